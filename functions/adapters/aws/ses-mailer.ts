/**
 * SES with the raw MIME message the core built (SendRawEmail keeps our Message-ID, inline images and CSV
 * attachment intact). Throttling and service-side failures are retryable; a rejected message is not.
 *
 * SES refuses, and no retry changes, a SendRawEmail (API v1) message over 10 MB after base64 encoding
 * (https://docs.aws.amazon.com/ses/latest/dg/quotas.html), with more than 50 recipients, or with a line over
 * 1,000 characters (RFC 5321; https://docs.aws.amazon.com/ses/latest/APIReference/API_RawMessage.html). Those
 * are checked here, before the call, so the error says which limit and by how much.
 */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailerError, type Mailer, type OutgoingEmail } from '../../core/ports.ts';

const RETRYABLE_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout']);

export function isRetryableSesError(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

export const SES_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
export const SES_MAX_RECIPIENTS = 50;
/** characters of a line, CRLF included */
export const SES_MAX_LINE = 1_000;

/** The size SES counts: the message base64-encoded (4 characters per 3 bytes). */
export const base64Bytes = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** Why SES would refuse the message whatever happens, or undefined. */
export function sesLimitProblem(email: OutgoingEmail): string | undefined {
  const size = base64Bytes(email.raw.byteLength);
  if (size > SES_MAX_MESSAGE_BYTES) {
    return `the message is ${(size / 1024 / 1024).toFixed(1)} MB base64-encoded; SES accepts at most ${SES_MAX_MESSAGE_BYTES / 1024 / 1024} MB`;
  }
  const recipients = email.to.length + (email.cc?.length ?? 0);
  if (recipients > SES_MAX_RECIPIENTS) return `the message has ${recipients} recipients; SES accepts at most ${SES_MAX_RECIPIENTS}`;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= email.raw.byteLength; i++) {
    if (i === email.raw.byteLength || email.raw[i] === 0x0a) {
      // bytes from the line's start through its LF; a message ends with one, so the last stretch is empty
      const length = i - start + (i < email.raw.byteLength ? 1 : 0);
      if (length > SES_MAX_LINE) return `line ${line} of the message is ${length} characters long; SES accepts at most ${SES_MAX_LINE}`;
      start = i + 1;
      line++;
    }
  }
  return undefined;
}

/** SES tag names and values allow only ASCII letters, digits, _ - and . */
const tagSafe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 255);

export function createSesMailer(options: { client: SESClient; configurationSet?: string }): Mailer {
  return {
    async send(email) {
      const problem = sesLimitProblem(email);
      if (problem !== undefined) throw new MailerError(`SES would refuse the report e-mail "${email.subject}": ${problem}`, false);
      const command = new SendRawEmailCommand({
        Source: email.from,
        Destinations: [...email.to, ...(email.cc ?? [])],
        RawMessage: { Data: email.raw },
        ConfigurationSetName: options.configurationSet,
        Tags: email.tags === undefined ? undefined : Object.entries(email.tags).map(([Name, Value]) => ({ Name: tagSafe(Name), Value: tagSafe(Value) })),
      });
      try {
        const out = await options.client.send(command);
        return { messageId: out.MessageId ?? '' };
      } catch (error) {
        throw new MailerError(`SES SendRawEmail failed: ${(error as Error).message}`, isRetryableSesError(error), { cause: error });
      }
    },
  };
}
