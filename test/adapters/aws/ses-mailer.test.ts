import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesMailer } from '../../../functions/adapters/aws/ses-mailer.ts';
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
    const mailer = createSesMailer({ client: new SESClient({ region: 'ap-northeast-2' }) });
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const throttled = await mailer.send(email).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(MailerError);
    expect((throttled as MailerError).retryable).toBe(true);

    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    const rejected = await mailer.send(email).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(MailerError);
    expect((rejected as MailerError).retryable).toBe(false);
  });
});
