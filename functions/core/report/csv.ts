/**
 * The CSV attachment: the daily and the hourly breakdown in one file, UTF-8 with a byte order mark so Excel
 * (which assumes the ANSI code page otherwise) shows Korean headers. Rates are fractions like in the KPI
 * document, so a spreadsheet can format them; CRLF line ends as RFC 4180 says.
 */
import type { ReportModel } from './model.ts';

const BOM = '\uFEFF';

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (fields: (string | number | null)[]) => fields.map(csvField).join(',');

export function renderReportCsv(model: ReportModel): { fileName: string; content: Uint8Array } {
  const m = model.format.messages.csv;
  const c = m.columns;
  const lines: string[] = [];
  lines.push(row([m.section.daily]));
  lines.push(row([c.date, c.offered, c.answered, c.abandoned, c.answer_rate, c.service_level, c.asa_seconds, c.aht_seconds]));
  for (const p of model.daily) {
    lines.push(row([p.dt, p.offered, p.answered, p.abandoned, p.answer_rate, p.service_level, p.asa_seconds, p.aht_seconds]));
  }
  lines.push('');
  lines.push(row([m.section.hourly]));
  lines.push(row([c.hour, c.offered, c.answered, c.abandoned, c.service_level, c.avg_per_day]));
  for (const h of model.hourly) lines.push(row([h.hour, h.offered, h.answered, h.abandoned, h.service_level, h.avg_per_day]));
  const text = BOM + lines.join('\r\n') + '\r\n';
  return { fileName: m.fileName(model.clientId, model.kind, model.period.start), content: new TextEncoder().encode(text) };
}
