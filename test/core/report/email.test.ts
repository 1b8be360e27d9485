import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildReportEmail } from '../../../functions/core/report/email.ts';
import { config, dailyDoc } from './fixtures.ts';

const build = () =>
  buildReportEmail({ doc: dailyDoc(), config: config(), manifests: [], incomplete: false, now: new Date('2026-03-04T23:00:00Z') });

describe('report e-mail MIME', () => {
  it('builds a multipart message with html, text, inline charts and the CSV', async () => {
    const report = await build();
    const mail = await simpleParser(Buffer.from(report.email.raw));
    expect(mail.subject).toBe('[예시몰] 일간 CS 리포트 · 2026년 3월 4일 (수)');
    expect(mail.messageId).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');
    expect(mail.from?.value).toEqual([{ address: 'reports@cspulse.example.com', name: '예시몰 CS' }]);
    expect(mail.date?.toISOString()).toBe('2026-03-04T23:00:00.000Z');
    expect(mail.headers.get('x-cspulse-report')).toBe('shop/daily/2026-03-04');
    expect(mail.text).toContain('응대율: 90.0%');
    expect(mail.html).toContain('일간 CS 리포트');
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.cid).sort()).toEqual(['hourly@cspulse', 'trend@cspulse']);
    const csv = mail.attachments.find((a) => a.filename === 'cspulse-shop-daily-2026-03-04.csv');
    expect([...csv!.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // the Subject header itself is RFC 2047 encoded, never raw UTF-8
    const head = Buffer.from(report.email.raw).toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(report.email).toMatchObject({ from: 'reports@cspulse.example.com', to: ['cs-lead@example.com'], cc: ['ceo@example.com'] });
  });

  it('is byte-for-byte identical when rebuilt, so a duplicate is recognizable', async () => {
    const [a, b] = [await build(), await build()];
    expect(Buffer.from(a.email.raw).equals(Buffer.from(b.email.raw))).toBe(true);
  });
});
