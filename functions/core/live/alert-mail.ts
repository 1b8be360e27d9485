/**
 * The e-mail of an intraday alert: one when a streak starts, one when it clears, to the client's operator (and
 * its `to` recipients when `live.alerts.notify_client`), in the client's language, with a signed link to the live
 * page when one can be made. Short on purpose: what is wrong, since when, and where to look.
 */
import type { ClientConfig } from '../config/client-config.ts';
import type { OutgoingEmail } from '../ports.ts';
import { operatorOf, senderOf } from '../config/sender.ts';
import { escapeHtml as esc } from '../report/escape.ts';
import { createFormatter } from '../report/format.ts';
import { messagesFor } from '../report/messages.ts';
import { composeMime } from '../report/mime.ts';
import { sourceLabels } from '../report/source-labels.ts';
import { cut, MAX_LABEL_CHARS } from '../report/text-limits.ts';
import { alertSlug, type AlertEvent, type AlertRecord, type AlertStreak } from './alert-log.ts';
import { liveMessagesFor } from './messages.ts';
import { alertText } from './alert-text.ts';

export interface AlertMail {
  messageId: string;
  subject: string;
  text: string;
  email: OutgoingEmail;
}

export function alertRecipients(config: ClientConfig): string[] {
  const client = config.live.alerts.notify_client ? config.recipients.to.map((r) => r.address) : [];
  return [...new Set([operatorOf(config), ...client])];
}

const domainOf = (sender: string): string => sender.slice(sender.lastIndexOf('@') + 1);

export async function buildAlertMail(input: {
  config: ClientConfig;
  record: AlertRecord;
  streak: AlertStreak;
  event: AlertEvent;
  link: string | null;
  now: Date;
}): Promise<AlertMail> {
  const { config, record, streak, event } = input;
  const locale = config.locale;
  const f = createFormatter(locale, config.currency, config.timezone);
  const m = liveMessagesFor(locale);
  const labels = sourceLabels(config, messagesFor(locale));
  const startText = alertText(record, streak.start, f, m, labels);
  const time = (iso: string) => f.instant(iso).slice(-5);
  const client = cut(config.name, MAX_LABEL_CHARS);
  const subject = event === 'start' ? m.mail.startSubject(client, startText) : m.mail.clearSubject(client, startText);
  const lines = [
    startText,
    event === 'start' ? m.mail.started(time(streak.started_at)) : m.mail.clearedAt(time(streak.cleared_at!), time(streak.started_at)),
    ...(event === 'clear' && streak.clear !== null && record.kind !== 'silent' ? [m.mail.now(alertText(record, streak.clear, f, m, labels))] : []),
    m.mail.why,
  ];
  const text = [...lines, ...(input.link === null ? [] : [`${m.mail.open}: ${input.link}`])].join('\n\n');
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head><body style="font-family:sans-serif;font-size:14px;line-height:1.5">` +
    lines.map((l, i) => (i === 0 ? `<p><strong>${esc(l)}</strong></p>` : `<p>${esc(l)}</p>`)).join('') +
    (input.link === null ? '' : `<p><a href="${esc(input.link)}">${esc(m.mail.open)}</a></p>`) +
    '</body></html>';
  const from = senderOf(config);
  const messageId = `<alert.${config.id}.${record.dt}.${alertSlug(record.kind, record.subject)}.${streak.n}.${event}@${domainOf(from)}>`;
  const to = alertRecipients(config);
  const raw = await composeMime({
    from: `"${config.name.replace(/["\\\r\n]/g, '').slice(0, 60)} CS" <${from}>`,
    to,
    cc: [],
    replyTo: config.recipients.reply_to,
    subject,
    html,
    text,
    images: [],
    attachments: [],
    messageId,
    date: input.now,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Cspulse-Alert': `${config.id}/${record.dt}/${alertSlug(record.kind, record.subject)}/${streak.n}/${event}` },
  });
  return { messageId, subject, text, email: { from, to, raw, subject, tags: { client: config.id, report: 'alert' } } };
}
