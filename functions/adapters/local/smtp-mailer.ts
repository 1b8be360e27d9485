/**
 * Sends the raw message over SMTP (a local catcher such as Mailpit, or a relay). The envelope lists every To and
 * Cc address; the message itself is passed through unchanged, so what arrives is byte for byte what SES would get.
 */
import nodemailer from 'nodemailer';
import { MailerError, type Mailer } from '../../core/ports.ts';
import { rawHeader } from './raw-headers.ts';

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS']);

export function isRetryableSmtpError(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500;
  return e.code !== undefined && TRANSIENT_CODES.has(e.code);
}

export function createSmtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(email) {
      try {
        const info = await transport.sendMail({
          envelope: { from: email.from, to: [...email.to, ...(email.cc ?? [])] },
          raw: Buffer.from(email.raw),
        });
        // nodemailer reports an id of its own for raw messages; the one in the message is ours
        return { messageId: rawHeader(email.raw, 'Message-ID') ?? info.messageId ?? '' };
      } catch (error) {
        throw new MailerError(`SMTP send failed: ${(error as Error).message}`, isRetryableSmtpError(error), { cause: error });
      }
    },
  };
}
