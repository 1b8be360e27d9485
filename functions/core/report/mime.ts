/**
 * The raw RFC 5322 message. The Message-ID is derived from (client, kind, period start) only, so two copies of
 * the same report carry the same id: a duplicate is recognizable in the mailbox and in the delivery log, and
 * many clients thread or collapse them. The multipart boundary is derived the same way, which keeps the bytes
 * of a rebuilt report identical.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { PeriodKind } from '../kpis/kpi-result.ts';
import type { ChartImage } from './charts.ts';

const domainOf = (sender: string): string => (sender.includes('@') ? sender.slice(sender.lastIndexOf('@') + 1) : 'cspulse.local');

/**
 * `<report.<client>.<kind>.<period start>[.<locale>][.r<revision>]@<sender domain>>`: the locale when the copy is
 * not in the client's own language, the revision for a correction.
 */
export function reportMessageId(
  clientId: string,
  kind: PeriodKind,
  periodStart: string,
  sender: string,
  options: { locale?: string | null; revision?: number } = {},
): string {
  const locale = options.locale == null ? '' : `.${options.locale}`;
  const revision = options.revision === undefined || options.revision === 0 ? '' : `.r${options.revision}`;
  return `<report.${clientId}.${kind}.${periodStart}${locale}${revision}@${domainOf(sender)}>`;
}

/** The id of a no-data notice to the operator. */
export function noticeMessageId(clientId: string, kind: PeriodKind, periodStart: string, sender: string): string {
  return `<notice.${clientId}.${kind}.${periodStart}@${domainOf(sender)}>`;
}

export interface ComposeInput {
  from: string;
  to: string[];
  cc: string[];
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  images: readonly ChartImage[];
  attachments: readonly { fileName: string; content: Uint8Array; contentType: string }[];
  messageId: string;
  date: Date;
  headers?: Record<string, string>;
  inReplyTo?: string;
  references?: readonly string[];
}

export async function composeMime(input: ComposeInput): Promise<Uint8Array> {
  const boundarySeed = createHash('sha256').update(input.messageId).digest('hex').slice(0, 16);
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    cc: input.cc.length > 0 ? input.cc : undefined,
    replyTo: input.replyTo,
    subject: input.subject,
    html: input.html,
    text: input.text,
    inReplyTo: input.inReplyTo,
    references: input.references === undefined ? undefined : [...input.references],
    messageId: input.messageId,
    date: input.date,
    baseBoundary: boundarySeed,
    headers: input.headers,
    attachments: [
      ...input.images.map((img) => ({
        filename: img.fileName,
        content: Buffer.from(img.png),
        contentType: 'image/png',
        cid: img.cid,
        contentDisposition: 'inline' as const,
      })),
      ...input.attachments.map((a) => ({ filename: a.fileName, content: Buffer.from(a.content), contentType: a.contentType })),
    ],
  });
  const raw = await composer.compile().build();
  return new Uint8Array(raw);
}
