import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../../functions/adapters/local/smtp-mailer.ts';
import { buildReportEmails } from '../../../functions/core/report/email.ts';
import { MailerError } from '../../../functions/core/ports.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from '../../core/report/fixtures.ts';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

const received: Received[] = [];
let rejectNext: number | null = null;
let silentNext = false;
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // a mailbox that does not exist, refused at RCPT TO as a real server does
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // takes the message and never answers: the sender cannot know whether it was queued
        if (silentNext) {
          silentNext = false;
          return;
        }
        if (rejectNext !== null) {
          const code = rejectNext;
          rejectNext = null;
          callback(Object.assign(new Error('try later'), { responseCode: code }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SMTP mailer against a real SMTP server', () => {
  it('delivers the report with Korean subject, inline charts and the XLSX and CSV attachments', async () => {
    const [report] = await buildReportEmails({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')), now: new Date('2026-03-04T23:00:00Z') });
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const { messageId } = await mailer.send(report!.email);
    expect(messageId).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');

    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.from).toBe('reports@cspulse.example.com');
    expect(got.to).toEqual(['cs-lead@example.com', 'ceo@example.com']);
    const mail = await simpleParser(got.raw, { keepCidLinks: true });
    expect(mail.messageId).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');
    expect(mail.subject).toBe('[예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)');
    expect(mail.html).toContain('일간 CS 리포트');
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(mail.html).toContain(`cid:${image.cid}`);
      expect([...image.content.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    }
    expect(mail.attachments.find((a) => a.filename === 'cspulse-shop-daily-2026-03-04.xlsx')?.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const csv = mail.attachments.find((a) => a.contentType.startsWith('text/csv'));
    expect(csv?.filename).toBe('cspulse-shop-daily-2026-03-04.csv');
    expect([...csv!.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv!.content.subarray(3).toString('utf8').split('\r\n')[0]).toBe('일별');
  });

  it('names the recipients the server refused at RCPT while it took the message for the others', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const before = received.length;
    const email = { from: 'a@example.com', to: ['lead@example.com', 'nobody@example.com'], raw: Buffer.from('Subject: x\r\n\r\ny\r\n'), subject: 'x' };
    const result = await mailer.send(email);
    expect(result.refused).toEqual([{ address: 'nobody@example.com', reason: '550 5.1.1 mailbox unavailable' }]);
    expect(received.slice(before).map((r) => r.to)).toEqual([['lead@example.com']]);
    // every recipient refused: nothing was handed over, and the send fails, final
    const none = await mailer.send({ ...email, to: ['nobody@example.com'] }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(MailerError);
    expect((none as MailerError).handedOver).toBe(false);
  });

  it('marks a 4xx answer retryable and a 5xx answer final', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const email = { from: 'a@example.com', to: ['b@example.com'], raw: Buffer.from('Subject: x\r\n\r\ny\r\n'), subject: 'x' };
    rejectNext = 451;
    const soft = await mailer.send(email).catch((e: unknown) => e);
    expect(soft).toBeInstanceOf(MailerError);
    expect((soft as MailerError).retryable).toBe(true);
    rejectNext = 554;
    const hard = await mailer.send(email).catch((e: unknown) => e);
    expect((hard as MailerError).retryable).toBe(false);
  });

  it('says the message may have left when the server took it and then went silent, and that a retry is unsafe', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, { socketTimeoutMs: 400 });
    const email = { from: 'a@example.com', to: ['b@example.com'], raw: Buffer.from('Subject: x\r\n\r\ny\r\n'), subject: 'x' };
    silentNext = true;
    const failure = await mailer.send(email).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'MailerError', handedOver: true, retryable: false });
    // refused before anything was sent: safe to retry
    const refused = await createSmtpMailer('smtp://127.0.0.1:1').send(email).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'MailerError', handedOver: false, retryable: true });
  });
});
