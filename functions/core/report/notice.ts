/**
 * The notice a period without any data gets instead of a client report (reports.when_no_data:
 * notify-operator): a short message to the operator naming the sources and days nothing arrived for. The
 * client never receives a report that says "every target met" about a day nobody measured.
 */
import type { ClientConfig } from '../config/client-config.ts';
import type { Period } from '../kpis/kpi-result.ts';
import type { OutgoingEmail } from '../ports.ts';
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
