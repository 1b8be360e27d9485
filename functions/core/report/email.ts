/** From KPI document to a ready-to-send e-mail: model, charts, HTML, text, CSV and the raw MIME message. */
import type { ClientConfig } from '../config/client-config.ts';
import type { IngestManifest } from '../ingest/manifest.ts';
import type { KpiDocument } from '../kpis/kpi-result.ts';
import type { OutgoingEmail } from '../ports.ts';
import { renderCharts, type ChartImage } from './charts.ts';
import { renderReportCsv } from './csv.ts';
import { renderReportHtml } from './html.ts';
import { composeMime, reportMessageId } from './mime.ts';
import { buildReportModel, type ReportModel } from './model.ts';
import { renderReportText } from './text.ts';

/** used when a client config names no sender; deployments set `sender` to a verified SES identity */
export const DEFAULT_SENDER = 'reports@cspulse.local';

export interface ReportEmail {
  model: ReportModel;
  html: string;
  text: string;
  charts: ChartImage[];
  csv: { fileName: string; content: Uint8Array };
  messageId: string;
  email: OutgoingEmail;
}

export interface BuildReportEmailInput {
  doc: KpiDocument;
  config: ClientConfig;
  manifests: readonly IngestManifest[];
  incomplete: boolean;
  /** the Date header */
  now: Date;
}

export async function buildReportEmail(input: BuildReportEmailInput): Promise<ReportEmail> {
  const { config } = input;
  const model = buildReportModel(input);
  const charts = await renderCharts(model);
  const html = await renderReportHtml(model, charts);
  const text = renderReportText(model);
  const csv = renderReportCsv(model);
  const from = config.sender ?? DEFAULT_SENDER;
  const messageId = reportMessageId(config.id, model.kind, model.period.start, from);
  const raw = await composeMime({
    from: `"${config.name.replace(/["\\]/g, '')} CS" <${from}>`,
    to: config.recipients.to,
    cc: config.recipients.cc,
    replyTo: config.recipients.reply_to,
    subject: model.subject,
    html,
    text,
    images: charts,
    attachments: [{ fileName: csv.fileName, content: csv.content, contentType: 'text/csv; charset=utf-8' }],
    messageId,
    date: input.now,
    headers: {
      'X-Cspulse-Report': `${config.id}/${model.kind}/${model.period.start}`,
      'Auto-Submitted': 'auto-generated',
    },
  });
  return {
    model,
    html,
    text,
    charts,
    csv,
    messageId,
    email: {
      from,
      to: config.recipients.to,
      cc: config.recipients.cc,
      raw,
      subject: model.subject,
      tags: { client: config.id, report: model.kind },
    },
  };
}
