/**
 * From KPI document to ready-to-send e-mails: one message per language among the recipients who get this kind
 * of report (a CEO may want only the monthly one, an overseas manager English), each with its model, charts,
 * HTML, text, attachments and raw MIME. Reply-To is the account manager, List-Unsubscribe a mailto to them.
 */
import type { ClientConfig, Recipient } from '../config/client-config.ts';
import type { KpiDocument, PeriodKind } from '../kpis/kpi-result.ts';
import type { AlertRecord } from '../live/alert-log.ts';
import type { OutgoingEmail } from '../ports.ts';
import { renderCharts, type ChartImage } from './charts.ts';
import type { PeriodCompleteness } from './completeness.ts';
import { renderReportCsv } from './csv.ts';
import { renderReportHtml } from './html.ts';
import type { Locale } from './messages.ts';
import { messagesFor } from './messages.ts';
import { composeMime, reportMessageId } from './mime.ts';
import { buildReportModel, type PreviousReport, type ReportModel } from './model.ts';
import { renderReportText } from './text.ts';
import { renderReportXlsx } from './xlsx.ts';

// defined beside resolveSender, so the intraday alerts use the same rule without the report's renderers
export { operatorOf, senderOf } from '../config/sender.ts';
import { operatorOf, senderOf } from '../config/sender.ts';

export interface Attachment {
  fileName: string;
  content: Uint8Array;
  contentType: string;
}

export interface ReportMessage {
  locale: Locale;
  model: ReportModel;
  html: string;
  text: string;
  charts: ChartImage[];
  attachments: Attachment[];
  messageId: string;
  email: OutgoingEmail;
}

export interface RecipientGroup {
  locale: Locale;
  to: string[];
  cc: string[];
}

/** The recipients of one kind of report, one group per language, the client's own language first. */
export function recipientGroups(config: ClientConfig, kind: PeriodKind): RecipientGroup[] {
  const wants = (r: Recipient) => !('kinds' in r) || r.kinds === undefined || r.kinds.includes(kind);
  const localeOf = (r: Recipient): Locale => ('locale' in r && r.locale !== undefined ? r.locale : config.locale);
  const groups = new Map<Locale, RecipientGroup>();
  const group = (locale: Locale) => {
    let g = groups.get(locale);
    if (g === undefined) groups.set(locale, (g = { locale, to: [], cc: [] }));
    return g;
  };
  for (const r of config.recipients.to.filter(wants)) group(localeOf(r)).to.push(r.address);
  for (const r of config.recipients.cc.filter(wants)) group(localeOf(r)).cc.push(r.address);
  const out = [...groups.values()].filter((g) => g.to.length + g.cc.length > 0);
  // a group of Cc only still needs a To: its first Cc moves up
  for (const g of out) if (g.to.length === 0) g.to.push(g.cc.shift()!);
  return out.sort((a, b) => (a.locale === config.locale ? -1 : b.locale === config.locale ? 1 : a.locale.localeCompare(b.locale)));
}

export interface BuildReportEmailsInput {
  doc: KpiDocument;
  config: ClientConfig;
  completeness: PeriodCompleteness;
  priorCompleteness?: PeriodCompleteness | null;
  weekAgoCompleteness?: PeriodCompleteness | null;
  /** a restatement: what the report sent before showed */
  previous?: PreviousReport | null;
  /** 0 for the first report of the period, n for its n-th correction */
  revision?: number;
  /** the Date header, and the XLSX's own dates */
  now: Date;
  /** the account manager's note on the period */
  note?: string | null;
  /** a signed link to the client's live page, per language of the copy; without it the footer has none */
  liveLinks?: Partial<Record<Locale, string>>;
  /** the intraday alert records of the period's days */
  alerts?: readonly AlertRecord[];
}

export async function buildReportEmails(input: BuildReportEmailsInput): Promise<ReportMessage[]> {
  const { config } = input;
  const kind = input.doc.period.kind;
  const from = senderOf(config);
  const revision = input.revision ?? 0;
  const replyTo = config.recipients.reply_to;
  const unsubscribeTo = replyTo ?? operatorOf(config);
  const messages: ReportMessage[] = [];
  for (const group of recipientGroups(config, kind)) {
    const model = buildReportModel({
      doc: input.doc,
      config,
      locale: group.locale,
      completeness: input.completeness,
      priorCompleteness: input.priorCompleteness ?? null,
      weekAgoCompleteness: input.weekAgoCompleteness ?? null,
      previous: input.previous ?? null,
      note: input.note ?? null,
      liveLink: input.liveLinks?.[group.locale] ?? null,
      alerts: input.alerts ?? [],
    });
    const charts = await renderCharts(model);
    const html = await renderReportHtml(model, charts);
    const text = renderReportText(model);
    const attachments: Attachment[] = [];
    if (config.reports.attachments.includes('xlsx')) {
      const xlsx = await renderReportXlsx(model, config.currency, input.now);
      attachments.push({ ...xlsx, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    }
    if (config.reports.attachments.includes('csv')) attachments.push({ ...renderReportCsv(model), contentType: 'text/csv; charset=utf-8' });
    const locale = group.locale === config.locale ? null : group.locale;
    const messageId = reportMessageId(config.id, kind, model.period.start, from, { locale, revision });
    const m = messagesFor(group.locale);
    const headers: Record<string, string> = {
      'X-Cspulse-Report': `${config.id}/${kind}/${model.period.start}${group.locale === config.locale ? '' : `/${group.locale}`}${revision === 0 ? '' : `/r${revision}`}`,
      'Auto-Submitted': 'auto-generated',
      // RFC 2369: a mailto the recipient's mail program offers as "unsubscribe"
      'List-Unsubscribe': `<mailto:${unsubscribeTo}?subject=${encodeURIComponent(m.unsubscribeSubject(config.name))}>`,
    };
    // a correction threads under the report it corrects and the corrections before it
    const earlier = Array.from({ length: revision }, (_, r) => reportMessageId(config.id, kind, model.period.start, from, { locale, revision: r }));
    const raw = await composeMime({
      from: `"${config.name.replace(/["\\\r\n]/g, '').slice(0, 60)} CS" <${from}>`,
      to: group.to,
      cc: group.cc,
      replyTo,
      subject: model.subject,
      html,
      text,
      images: charts,
      attachments,
      messageId,
      date: input.now,
      headers,
      ...(earlier.length === 0 ? {} : { inReplyTo: earlier.at(-1)!, references: earlier }),
    });
    messages.push({
      locale: group.locale,
      model,
      html,
      text,
      charts,
      attachments,
      messageId,
      email: { from, to: group.to, cc: group.cc, raw, subject: model.subject, tags: { client: config.id, report: kind } },
    });
  }
  return messages;
}
