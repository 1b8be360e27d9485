/**
 * Sends the raw message over SMTP (a local catcher such as Mailpit, or a relay). The envelope lists every To and
 * Cc address; the message itself is passed through unchanged, so what arrives is byte for byte what SES would get.
 *
 * It talks to the server through nodemailer's SMTPConnection rather than a transport, because it must know
 * whether the server had the message when something failed: the message is a stream the connection reads only
 * after the server accepted DATA, so a timeout or a dropped connection after that read means the server may
 * have queued it (`handedOver`), and the report must not go out twice.
 */
import { Readable } from 'node:stream';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MailerError, type Mailer, type RefusedRecipient } from '../../core/ports.ts';
import { rawHeader } from './raw-headers.ts';

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS']);

export function isRetryableSmtpError(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500;
  return e.code !== undefined && TRANSIENT_CODES.has(e.code);
}

/**
 * The recipients the server refused at RCPT TO while it accepted others: nodemailer's SMTPConnection goes on
 * with the accepted ones and lists the rest in `rejected`, with each answer in `rejectedErrors` (it fails the
 * whole send only when every recipient is refused; https://www.nodemailer.com/extras/smtp-connection, `send`).
 * test/adapters/local/smtp-mailer.test.ts pins it against smtp-server refusing one mailbox with 550.
 */
function refusedOf(info: SMTPConnection.SentMessageInfo | undefined): RefusedRecipient[] {
  const errors = (info as { rejectedErrors?: { recipient?: string; response?: string; responseCode?: number }[] } | undefined)?.rejectedErrors ?? [];
  return (info?.rejected ?? []).map((address) => {
    const error = errors.find((e) => e.recipient === address);
    return { address, reason: (error?.response ?? (error?.responseCode === undefined ? 'refused' : String(error.responseCode))).slice(0, 200) };
  });
}

export interface SmtpMailerOptions {
  /** idle time before a silent server counts as failed (default 60 s) */
  socketTimeoutMs?: number;
}

/** One step of the conversation: its callback's result, or the connection's 'error' event, whichever comes first. */
const step = <T>(connection: SMTPConnection, fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    connection.once('error', onError);
    fn((err, value) => {
      connection.removeListener('error', onError);
      if (err) reject(err);
      else resolve(value as T);
    });
  });

export function createSmtpMailer(url: string, options: SmtpMailerOptions = {}): Mailer {
  const parsed = parseConnectionUrl(url);
  return {
    async send(email) {
      const socketTimeout = options.socketTimeoutMs ?? (parsed.socketTimeout === undefined ? 60_000 : Number(parsed.socketTimeout));
      const connection = new SMTPConnection({ ...parsed, socketTimeout });
      let handedOver = false;
      const body = new Readable({
        read() {
          // the connection reads the message only once the server has accepted DATA
          handedOver = true;
          this.push(Buffer.from(email.raw));
          this.push(null);
        },
      });
      // a late 'error' event after a step settled must not become an uncaught exception
      connection.on('error', () => undefined);
      try {
        await step<void>(connection, (cb) => connection.connect((err) => cb(err)));
        if (parsed.auth !== undefined && 'user' in parsed.auth) {
          const auth = parsed.auth;
          await step<void>(connection, (cb) => connection.login(auth as SMTPConnection.AuthenticationType, (err) => cb(err)));
        }
        const info = await step<SMTPConnection.SentMessageInfo>(connection, (cb) =>
          connection.send({ from: email.from, to: [...email.to, ...(email.cc ?? [])] }, body, (err, sent) => cb(err, sent)),
        );
        connection.quit();
        // the id in the message is ours; the server's queue id is in its answer only
        return { messageId: rawHeader(email.raw, 'Message-ID') ?? '', refused: refusedOf(info) };
      } catch (error) {
        connection.close();
        const answered = typeof (error as { responseCode?: unknown }).responseCode === 'number';
        const unknownFate = handedOver && !answered;
        throw new MailerError(`SMTP send failed: ${(error as Error).message}`, !unknownFate && isRetryableSmtpError(error), {
          cause: error,
          handedOver: unknownFate,
        });
      }
    },
  };
}
