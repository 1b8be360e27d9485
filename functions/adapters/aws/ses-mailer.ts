/**
 * SES with the raw MIME message the core built (SendRawEmail keeps our Message-ID, inline images and CSV
 * attachment intact). Throttling and service-side failures are retryable; a rejected message is not.
 */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailerError, type Mailer } from '../../core/ports.ts';

const RETRYABLE_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout']);

export function isRetryableSesError(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** SES tag names and values allow only ASCII letters, digits, _ - and . */
const tagSafe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 255);

export function createSesMailer(options: { client: SESClient; configurationSet?: string }): Mailer {
  return {
    async send(email) {
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
