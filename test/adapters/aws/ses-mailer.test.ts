import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { base64Bytes, createSesMailer, sesLimitProblem } from '../../../functions/adapters/aws/ses-mailer.ts';
import { buildReportEmails } from '../../../functions/core/report/email.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from '../../core/report/fixtures.ts';
import { MailerError, type OutgoingEmail } from '../../../functions/core/ports.ts';

const ses = mockClient(SESClient);
const raw = new TextEncoder().encode('Subject: test\r\n\r\nbody\r\n');
const email: OutgoingEmail = {
  from: 'reports@cspulse.example.com',
  to: ['cs-lead@example.com'],
  cc: ['ceo@example.com'],
  raw,
  subject: 'test',
  tags: { client: 'shop', report: 'daily' },
};

beforeEach(() => ses.reset());

describe('SES mailer', () => {
  it('sends the raw MIME with every recipient, the configuration set and the tags', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: '0100018e-abc' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2' }), configurationSet: 'cspulse-reports' });
    expect(await mailer.send(email)).toEqual({ messageId: '0100018e-abc' });
    const calls = ses.commandCalls(SendRawEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Source: 'reports@cspulse.example.com',
      Destinations: ['cs-lead@example.com', 'ceo@example.com'],
      RawMessage: { Data: raw },
      ConfigurationSetName: 'cspulse-reports',
      Tags: [
        { Name: 'client', Value: 'shop' },
        { Name: 'report', Value: 'daily' },
      ],
    });
  });

  it('reports throttling as retryable and a rejected message as final', async () => {
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2' }), attempts: 1 });
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const throttled = await mailer.send(email).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(MailerError);
    expect((throttled as MailerError).retryable).toBe(true);

    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    const rejected = await mailer.send(email).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(MailerError);
    expect((rejected as MailerError).retryable).toBe(false);
    // SES answered both times: the message did not leave
    expect((throttled as MailerError).handedOver).toBe(false);
    expect((rejected as MailerError).handedOver).toBe(false);
  });

  it('says the message may have left when SES never answered, and not when no connection was made', async () => {
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2', maxAttempts: 1 }), retryDelayMs: 1 });
    // what the SDK's Node HTTP handler raises when the response does not come within its request timeout
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: {} }));
    const silent = await mailer.send(email).catch((e: unknown) => e);
    expect(silent).toMatchObject({ name: 'MailerError', handedOver: true });

    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} }));
    expect(await mailer.send(email).catch((e: unknown) => e)).toMatchObject({ handedOver: true });

    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', $metadata: {} }));
    expect(await mailer.send(email).catch((e: unknown) => e)).toMatchObject({ handedOver: false });
    // a timeout is never sent again; a connection refused is retryable only if SES says so, and it said nothing
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(3);
  });

  it('sends again while SES answers that it is throttling, and stops at the first success', async () => {
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2', maxAttempts: 1 }), retryDelayMs: 1 });
    const throttling = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    ses.on(SendRawEmailCommand).rejectsOnce(throttling).rejectsOnce(throttling).resolves({ MessageId: 'third-time' });
    expect(await mailer.send(email)).toEqual({ messageId: 'third-time' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(3);
  });
});

describe("SES's message limits", () => {
  const big = (bytes: number): OutgoingEmail => ({ ...email, raw: new Uint8Array(bytes).fill(0x41).map((b, i) => ((i + 1) % 900 === 0 ? 0x0a : b)) });

  it('counts the size base64-encoded, as SES does: 7,864,320 raw bytes are exactly 10 MB', () => {
    // 7,864,320 = 10 MiB × 3 / 4; base64 makes 4 characters of every 3 bytes
    expect(base64Bytes(7_864_320)).toBe(10 * 1024 * 1024);
    expect(sesLimitProblem(big(7_864_320))).toBeUndefined();
    expect(sesLimitProblem(big(7_864_321))).toBe('the message is 10.0 MB base64-encoded; SES accepts at most 10 MB');
  });

  it('refuses more than 50 recipients and a line over 1,000 characters, without calling SES', async () => {
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2' }) });
    const crowd = { ...email, to: Array.from({ length: 40 }, (_, i) => `a${i}@example.com`), cc: Array.from({ length: 11 }, (_, i) => `c${i}@example.com`) };
    const error = await mailer.send(crowd).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect((error as MailerError).retryable).toBe(false);
    expect((error as MailerError).message).toBe('SES would refuse the report e-mail "test": the message has 51 recipients; SES accepts at most 50');
    // 998 characters and CRLF are 1,000: allowed; one more is not
    const line = (n: number) => ({ ...email, raw: new TextEncoder().encode(`Subject: x\r\n\r\n${'y'.repeat(n)}\r\n`) });
    expect(sesLimitProblem(line(998))).toBeUndefined();
    expect(sesLimitProblem(line(999))).toBe('line 3 of the message is 1001 characters long; SES accepts at most 1000');
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('passes a real daily report: charts, XLSX, CSV and all', async () => {
    const [report] = await buildReportEmails({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')), now: new Date('2026-03-04T23:00:00Z') });
    expect(sesLimitProblem(report!.email)).toBeUndefined();
    // far from the limit: a report is a few hundred KB
    expect(base64Bytes(report!.email.raw.byteLength)).toBeLessThan(2 * 1024 * 1024);
  });
});
