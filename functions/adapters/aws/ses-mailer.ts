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

/** Errors raised before a connection exists: the request, and the message, never reached SES. */
const BEFORE_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CredentialsProviderError']);

/**
 * Whether a failed SendRawEmail may still have sent the message. An answer from SES (any HTTP status) means it
 * did not take the message; no answer at all — a timeout or a connection dropped after the request went out —
 * leaves it unknown, and the report must then not be sent again.
 */
export function mayHaveLeft(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata?.httpStatusCode !== undefined) return false;
  return !BEFORE_CONNECTION.has(e.code ?? '') && !BEFORE_CONNECTION.has(e.name ?? '');
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

export function createSesMailer(options: {
  client: SESClient;
  configurationSet?: string;
  /** sends tried while SES answers that it is throttling or failing (default 3) */
  attempts?: number;
  retryDelayMs?: number;
}): Mailer {
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
      // Retried here, not by the SDK (give the client maxAttempts: 1): the SDK also retries a timeout, which may
      // send the report twice; here only an answer from SES that it took nothing (throttling, 5xx) is retried.
      for (let attempt = 1; ; attempt++) {
        try {
          const out = await options.client.send(command);
          return { messageId: out.MessageId ?? '' };
        } catch (error) {
          const retryable = isRetryableSesError(error);
          const handedOver = mayHaveLeft(error);
          if (retryable && !handedOver && attempt < (options.attempts ?? 3)) {
            await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 500) * 2 ** (attempt - 1)));
            continue;
          }
          throw new MailerError(`SES SendRawEmail failed: ${(error as Error).message}`, retryable, { cause: error, handedOver });
        }
      }
    },
  };
}
