/**
 * The notice a period without any data gets instead of a client report (reports.when_no_data:
 * notify-operator): a short message to the operator naming the sources and days nothing arrived for. The
 * client never receives a report that says "every target met" about a day nobody measured.
 */
import type { ClientConfig } from '../config/client-config.ts';
import type { Period } from '../kpis/kpi-result.ts';
import type { OutgoingEmail, RefusedRecipient } from '../ports.ts';
import type { PeriodCompleteness } from './completeness.ts';
import { operatorOf, senderOf } from './email.ts';
import { escapeHtml as esc } from './escape.ts';
import { createFormatter } from './format.ts';
import { composeMime, noticeMessageId } from './mime.ts';
import { missingSummary } from './sections/data-quality.ts';
import { sourceLabels } from './source-labels.ts';

export interface NoDataNotice {
  messageId: string;
  subject: string;
  text: string;
  email: OutgoingEmail;
}

export async function buildNoDataNotice(config: ClientConfig, period: Period, completeness: PeriodCompleteness, now: Date): Promise<NoDataNotice> {
  const f = createFormatter(config.locale, config.currency, config.timezone);
  const m = f.messages;
  const label = f.periodLabel(period.kind, period.start, period.end);
  const missing = missingSummary(completeness, f, sourceLabels(config, m)) ?? m.dash;
  const subject = m.notice.subject(config.name, period.kind, label);
  const text = `${m.notice.body(config.name, label, missing)}\n\n${m.notice.action}\n`;
  const from = senderOf(config);
  const to = operatorOf(config);
  const messageId = noticeMessageId(config.id, period.kind, period.start, from);
  const raw = await composeMime({
    from: `"cspulse" <${from}>`,
    to: [to],
    cc: [],
    subject,
    html: `<!doctype html><html lang="${config.locale}"><body style="font-family:Arial,sans-serif"><p>${esc(m.notice.body(config.name, label, missing))}</p><p>${esc(m.notice.action)}</p></body></html>`,
    text,
    images: [],
    attachments: [],
    messageId,
    date: now,
    headers: { 'X-Cspulse-Report': `${config.id}/${period.kind}/${period.start}/notice`, 'Auto-Submitted': 'auto-generated' },
  });
  return { messageId, subject, text, email: { from, to: [to], cc: [], raw, subject, tags: { client: config.id, report: `${period.kind}-notice` } } };
}

/**
 * The notice a report gets when the mail server refused some of its recipients and took it for the others
 * (status sent-partial): the operator learns which addresses, and why, in the same message.
 */
export async function buildRefusedNotice(config: ClientConfig, period: Period, refused: RefusedRecipient[], now: Date): Promise<NoDataNotice> {
  const f = createFormatter(config.locale, config.currency, config.timezone);
  const m = f.messages;
  const label = f.periodLabel(period.kind, period.start, period.end);
  const list = refused.map((r) => `${r.address} (${r.reason})`).join(', ');
  const subject = m.refusedNotice.subject(config.name, period.kind, label);
  const body = m.refusedNotice.body(config.name, label, list);
  const text = `${body}\n\n${m.refusedNotice.action}\n`;
  const from = senderOf(config);
  const to = operatorOf(config);
  const messageId = noticeMessageId(config.id, period.kind, period.start, from).replace('<notice.', '<refused.');
  const raw = await composeMime({
    from: `"cspulse" <${from}>`,
    to: [to],
    cc: [],
    subject,
    html: `<!doctype html><html lang="${config.locale}"><body style="font-family:Arial,sans-serif"><p>${esc(body)}</p><p>${esc(m.refusedNotice.action)}</p></body></html>`,
    text,
    images: [],
    attachments: [],
    messageId,
    date: now,
    headers: { 'X-Cspulse-Report': `${config.id}/${period.kind}/${period.start}/refused`, 'Auto-Submitted': 'auto-generated' },
  });
  return { messageId, subject, text, email: { from, to: [to], cc: [], raw, subject, tags: { client: config.id, report: `${period.kind}-refused` } } };
}

/**
 * To the operator, after a report went out with source-days that arrived and could not be used (every row, or
 * too many, quarantined; a file rejected whole; an open day's empty export): each day, its source (label and id),
 * rows used and quarantined, and the fields and reasons the quarantine gives, so the mapping can be fixed.
 */
export async function buildFailedDataNotice(config: ClientConfig, period: Period, completeness: PeriodCompleteness, now: Date): Promise<NoDataNotice | null> {
  const failed = completeness.missing.filter((m) => m.state === 'failed' && m.failure !== null);
  if (failed.length === 0) return null;
  const f = createFormatter(config.locale, config.currency, config.timezone);
  const m = f.messages;
  const labels = sourceLabels(config, m);
  const label = f.periodLabel(period.kind, period.start, period.end);
  const lines: string[] = [];
  for (const day of failed) {
    const failure = day.failure!;
    lines.push(m.failedNotice.day(`${labels.get(day.source) ?? day.source} (${day.source})`, f.shortDate(day.dt), f.count(failure.rows), f.count(failure.quarantined)));
    if (failure.kind === 'empty') lines.push(`  ${m.dataQuality.emptyDetail}`);
    for (const r of failure.reasons) lines.push(m.failedNotice.reason(r.field, f.count(r.rows), r.reason));
  }
  const subject = m.failedNotice.subject(config.name, period.kind, label, missingSummary(completeness, f, labels) ?? m.dash);
  const body = m.failedNotice.body(config.name, label);
  const text = `${body}\n\n${lines.join('\n')}\n\n${m.failedNotice.action}\n`;
  const from = senderOf(config);
  const to = operatorOf(config);
  const messageId = noticeMessageId(config.id, period.kind, period.start, from).replace('<notice.', '<failed.');
  const raw = await composeMime({
    from: `"cspulse" <${from}>`,
    to: [to],
    cc: [],
    subject,
    html: `<!doctype html><html lang="${config.locale}"><body style="font-family:Arial,sans-serif"><p>${esc(body)}</p><pre>${esc(lines.join('\n'))}</pre><p>${esc(m.failedNotice.action)}</p></body></html>`,
    text,
    images: [],
    attachments: [],
    messageId,
    date: now,
    headers: { 'X-Cspulse-Report': `${config.id}/${period.kind}/${period.start}/failed`, 'Auto-Submitted': 'auto-generated' },
  });
  return { messageId, subject, text, email: { from, to: [to], cc: [], raw, subject, tags: { client: config.id, report: `${period.kind}-failed` } } };
}
