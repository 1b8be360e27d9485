/**
 * The XLSX attachment, for people who open the figures in Excel: one sheet per table of the report (daily,
 * hourly, SLA, channels, categories), rates as percentages, durations as [h]:mm:ss, counts with thousands
 * separators. The CSV beside it keeps raw fractions and seconds for machines.
 *
 * Built with the writer in xlsx-workbook.ts, every zip entry dated at the report's own time, so a rebuilt report
 * is byte-for-byte the same message.
 */
import { ReportRenderError } from './errors.ts';
import { KPI_META, type ReportModel } from './model.ts';
import { addSheet, cellValue, newWorkbook, numFmt, packWorkbook } from './xlsx-workbook.ts';

export async function renderReportXlsx(model: ReportModel, currency: string, at: Date): Promise<{ fileName: string; content: Uint8Array }> {
  const m = model.format.messages;
  const c = m.csv.columns;
  const wb = newWorkbook(at);
  addSheet(
    wb,
    m.xlsx.sheets.daily,
    [
      { header: c.date, kind: 'text', width: 12 },
      { header: c.offered, kind: 'count' },
      { header: c.answered, kind: 'count' },
      { header: c.abandoned, kind: 'count' },
      { header: c.answer_rate, kind: 'rate' },
      { header: c.service_level, kind: 'rate' },
      { header: m.kpi.asa_seconds, kind: 'seconds' },
      { header: m.kpi.aht_seconds, kind: 'seconds' },
    ],
    model.daily.map((p) => [p.dt, p.offered, p.answered, p.abandoned, p.answer_rate, p.service_level, p.asa_seconds, p.aht_seconds]),
    currency,
  );
  addSheet(
    wb,
    m.xlsx.sheets.hourly,
    [
      { header: c.hour, kind: 'text', width: 8 },
      { header: c.offered, kind: 'count' },
      { header: c.answered, kind: 'count' },
      { header: c.abandoned, kind: 'count' },
      { header: c.service_level, kind: 'rate' },
      { header: c.avg_per_day, kind: 'decimal' },
    ],
    model.hourly.map((h) => [m.hourLabel(h.hour), h.offered, h.answered, h.abandoned, h.service_level, h.avg_per_day]),
    currency,
  );
  if (model.contract.length > 0) {
    // one sheet, several KPIs of different units: each row's value cell carries its own format
    const ws = wb.addWorksheet(m.xlsx.sheets.sla, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [m.sla.kpi, m.sla.actual, m.sla.target, m.sla.result, m.sla.prior].map((header, i) => ({ header, key: `c${i}`, width: i === 0 ? 32 : 14 }));
    ws.getRow(1).font = { bold: true };
    for (const card of model.contract) {
      const row = ws.addRow({ c0: card.label, c1: cellValue(KPI_META[card.kpi].kind, card.value), c2: card.target, c3: card.verdictText, c4: card.prior });
      row.getCell(2).numFmt = numFmt(KPI_META[card.kpi].kind, currency);
    }
  }
  if (model.channels.length > 0) {
    addSheet(
      wb,
      m.xlsx.sheets.channels,
      [
        { header: m.table.channel, kind: 'text' },
        { header: m.kpi.offered, kind: 'count' },
        { header: m.kpi.answer_rate, kind: 'rate' },
        { header: m.kpi.service_level, kind: 'rate' },
        { header: m.kpi.abandon_rate, kind: 'rate' },
        { header: m.kpi.asa_seconds, kind: 'seconds' },
        { header: m.kpi.max_wait_seconds, kind: 'seconds' },
      ],
      model.channels.map((r) => [r.label, r.values.offered, r.values.answer_rate, r.values.service_level, r.values.abandon_rate, r.values.asa_seconds, r.values.max_wait_seconds]),
      currency,
    );
  }
  if (model.categories.length > 0) {
    addSheet(
      wb,
      m.xlsx.sheets.categories,
      [
        { header: m.table.category, kind: 'text', width: 32 },
        { header: m.table.count, kind: 'count' },
        { header: m.table.share, kind: 'rate' },
        { header: `${m.table.count} (${model.vsPriorLabel})`, kind: 'count' },
      ],
      model.categories.map((r) => [r.name, r.values.count, r.values.share, r.values.prior_count]),
      currency,
    );
  }
  try {
    const content = await packWorkbook(wb, at);
    return { fileName: m.xlsx.fileName(model.clientId, model.kind, model.period.start), content };
  } catch (error) {
    throw new ReportRenderError('could not build the XLSX attachment', { cause: error });
  }
}
