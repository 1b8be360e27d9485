/**
 * The local stand-in for SES: each message becomes `<name>.eml` (open it in any mail program) and `<name>.html`,
 * a browser preview whose cid: images are inlined as data: URIs. A second copy of the same report gets a
 * numbered name instead of overwriting the first, so a duplicate delivery is visible in the folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { MailerError, type Mailer, type OutgoingEmail } from '../../core/ports.ts';
import { rawHeader } from './raw-headers.ts';

function baseName(email: OutgoingEmail): string {
  const report = rawHeader(email.raw, 'X-Cspulse-Report');
  const source = report ?? rawHeader(email.raw, 'Message-ID') ?? new Date().toISOString();
  return source.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'message';
}

async function writeNew(dir: string, name: string, raw: Uint8Array): Promise<string> {
  for (let n = 1; ; n++) {
    const stem = n === 1 ? name : `${name}-${n}`;
    try {
      await writeFile(path.join(dir, `${stem}.eml`), raw, { flag: 'wx' });
      return stem;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
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

export function createOutboxMailer(dir: string): Mailer {
  return {
    async send(email) {
      try {
        await mkdir(dir, { recursive: true });
        const stem = await writeNew(dir, baseName(email), email.raw);
        await writeFile(path.join(dir, `${stem}.html`), await htmlPreview(email.raw));
        return { messageId: `${stem}.eml` };
      } catch (error) {
        throw new MailerError(`could not write to the outbox ${dir}: ${(error as Error).message}`, false, { cause: error });
      }
    },
  };
}
