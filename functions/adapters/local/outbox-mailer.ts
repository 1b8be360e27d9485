/**
 * The local stand-in for SES: each message becomes `<name>.eml` (open it in any mail program) and `<name>.html`,
 * a browser preview whose cid: images are inlined as data: URIs. A second copy of the same report gets a
 * numbered name instead of overwriting the first, so a duplicate delivery is visible in the folder.
 *
 * "Handed over" means the .eml exists: the preview is written first, then the .eml is written to a temporary
 * name and linked into place in one step (link fails rather than overwrite). A failure before that link (a
 * full disk on the preview or the message) leaves neither file and is reported as not handed over, so the
 * rerun writes the one .eml; once the link is made the send has happened, whatever fails after it.
 */
import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { MailerError, type Mailer, type OutgoingEmail } from '../../core/ports.ts';
import { rawHeader } from './raw-headers.ts';

function baseName(email: OutgoingEmail): string {
  const report = rawHeader(email.raw, 'X-Cspulse-Report');
  const source = report ?? rawHeader(email.raw, 'Message-ID') ?? new Date().toISOString();
  return source.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'message';
}

export async function htmlPreview(raw: Uint8Array): Promise<string> {
  const parsed = await simpleParser(Buffer.from(raw));
  let html = typeof parsed.html === 'string' ? parsed.html : `<pre>${(parsed.text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
  for (const attachment of parsed.attachments) {
    if (!attachment.cid) continue;
    const uri = `data:${attachment.contentType};base64,${attachment.content.toString('base64')}`;
    html = html.split(`cid:${attachment.cid}`).join(uri);
  }
  return html;
}

/** The file operations the outbox uses (node:fs/promises; a test may fail one of them). */
export type OutboxFs = Pick<typeof nodeFs, 'mkdir' | 'writeFile' | 'link' | 'unlink'>;

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Writes the preview and then the message under the first free numbered stem; returns the stem. */
async function writeNew(fs: OutboxFs, dir: string, name: string, raw: Uint8Array, preview: string): Promise<string> {
  for (let n = 1; ; n++) {
    const stem = n === 1 ? name : `${name}-${n}`;
    const html = path.join(dir, `${stem}.html`);
    const eml = path.join(dir, `${stem}.eml`);
    const temporary = path.join(dir, `.${stem}.eml.${randomUUID().slice(0, 8)}.tmp`);
    try {
      await fs.writeFile(html, preview, { flag: 'wx' });
    } catch (error) {
      if (code(error) === 'EEXIST') continue;
      throw error;
    }
    try {
      await fs.writeFile(temporary, raw, { flag: 'wx' });
      await fs.link(temporary, eml);
    } catch (error) {
      await fs.unlink(html).catch(() => undefined);
      if (code(error) === 'EEXIST') continue;
      throw error;
    } finally {
      await fs.unlink(temporary).catch(() => undefined);
    }
    return stem;
  }
}

export function createOutboxMailer(dir: string, options: { fs?: OutboxFs } = {}): Mailer {
  const fs = options.fs ?? nodeFs;
  return {
    async send(email) {
      try {
        await fs.mkdir(dir, { recursive: true });
        const stem = await writeNew(fs, dir, baseName(email), email.raw, await htmlPreview(email.raw));
        return { messageId: `${stem}.eml` };
      } catch (error) {
        // nothing was linked into place: the message was not handed over, and a retry writes it once
        throw new MailerError(`could not write to the outbox ${dir}: ${(error as Error).message}`, false, { cause: error, handedOver: false });
      }
    },
  };
}
