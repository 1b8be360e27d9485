/**
 * The CSV attachment: the daily and the hourly breakdown in one file (attachment-tables.ts: counts of all
 * channels, each channel's own rates), UTF-8 with a byte order mark so Excel
 * (which assumes the ANSI code page otherwise) shows Korean headers. Rates are fractions like in the KPI
 * document, so a spreadsheet can format them; CRLF line ends as RFC 4180 says.
 */
import { dailyTable, hourlyTable } from './attachment-tables.ts';
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
  const lines: string[] = [];
  for (const [title, table] of [
    [m.section.daily, dailyTable(model)],
    [m.section.hourly, hourlyTable(model)],
  ] as const) {
    if (lines.length > 0) lines.push('');
    lines.push(row([title]));
    // durations are raw seconds here: the header says so
    lines.push(row(table.columns.map((c) => (c.kind === 'seconds' ? `${c.header} ${m.secondsUnit}` : c.header))));
    for (const r of table.rows) lines.push(row(r));
  }
  const text = BOM + lines.join('\r\n') + '\r\n';
  return { fileName: m.fileName(model.clientId, model.kind, model.period.start), content: new TextEncoder().encode(text) };
}
