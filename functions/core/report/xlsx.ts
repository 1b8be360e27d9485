/**
 * The XLSX attachment, for people who open the figures in Excel: one sheet per table of the report (daily,
 * hourly, SLA, channels, categories), rates as percentages, durations as [h]:mm:ss, counts with thousands
 * separators. The CSV beside it keeps raw fractions and seconds for machines.
 *
 * Built with the writer in xlsx-workbook.ts, every zip entry dated at the report's own time, so a rebuilt report
 * is byte-for-byte the same message.
 */
import type ExcelJS from 'exceljs';
import { ReportRenderError } from './errors.ts';
import { dailyTable, hourlyTable } from './attachment-tables.ts';
import { KPI_META, type ReportModel } from './model.ts';
import { addSheet, cellValue, newWorkbook, numFmt, packWorkbook } from './xlsx-workbook.ts';

export async function renderReportXlsx(model: ReportModel, currency: string, at: Date): Promise<{ fileName: string; content: Uint8Array }> {
  const m = model.format.messages;
  const wb = newWorkbook(at);
  const daily = dailyTable(model);
  addSheet(wb, m.xlsx.sheets.daily, daily.columns.map((col, i) => ({ ...col, ...(i === 0 ? { width: 12 } : {}) })), daily.rows, currency);
  const hourly = hourlyTable(model);
  addSheet(
    wb,
    m.xlsx.sheets.hourly,
    hourly.columns.map((col, i) => ({ ...col, ...(i === 0 ? { width: 8 } : {}) })),
    hourly.rows.map(([hour, ...rest]) => [m.hourLabel(hour as number), ...rest]),
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
        { header: m.kpi.inbound, kind: 'count' },
        { header: m.kpi.offered, kind: 'count' },
        { header: m.kpi.answered, kind: 'count' },
        { header: m.kpi.abandoned, kind: 'count' },
        { header: m.csv.columns.short_abandoned, kind: 'count' },
        { header: m.kpi.answer_rate, kind: 'rate' },
        { header: m.kpi.service_level, kind: 'rate' },
        { header: m.kpi.abandon_rate, kind: 'rate' },
        { header: m.kpi.asa_seconds, kind: 'seconds' },
        { header: m.kpi.aht_seconds, kind: 'seconds' },
        { header: m.kpi.max_wait_seconds, kind: 'seconds' },
      ],
      model.channels.map((r) => {
        const v = r.values;
        return [r.label, v.inbound, v.offered, v.answered, v.abandoned, v.short_abandoned, v.answer_rate, v.service_level, v.abandon_rate, v.asa_seconds, v.aht_seconds, v.max_wait_seconds];
      }),
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
  if (model.allComments.length > 0) {
    const x = m.xlsx.comments;
    addSheet(
      wb,
      m.xlsx.sheets.comments,
      [
        { header: x.respondedAt, kind: 'text', width: 22 },
        { header: m.table.channel, kind: 'text' },
        { header: m.table.category, kind: 'text', width: 24 },
        { header: 'CSAT', kind: 'decimal' },
        { header: 'NPS', kind: 'decimal' },
        { header: 'CES', kind: 'decimal' },
        { header: x.low, kind: 'text' },
        { header: x.comment, kind: 'text', width: 80 },
      ],
      model.allComments.map((c) => [
        model.format.instant(c.values.responded_at),
        c.values.channel === null ? null : m.channel[c.values.channel as keyof typeof m.channel],
        c.values.category,
        c.values.csat,
        c.values.nps,
        c.values.ces,
        c.low ? m.surveys.lowMark : null,
        c.text,
      ]),
      currency,
    );
  }
  if (model.staffing !== null && model.staffing.length > 0) addStaffingSheet(wb, model, currency);
  try {
    const content = await packWorkbook(wb, at);
    return { fileName: m.xlsx.fileName(model.clientId, model.kind, model.period.start), content };
  } catch (error) {
    throw new ReportRenderError('could not build the XLSX attachment', { cause: error });
  }
}

/**
 * Next period's staffing plan: per channel, weekday and hour the forecast offered, the AHT it was planned with
 * and the agents Erlang C says the contract's target needs, then how the forecast was made, how far it was off
 * on the weeks before, and what the model leaves out.
 */
function addStaffingSheet(wb: ExcelJS.Workbook, model: ReportModel, currency: string): void {
  const m = model.format.messages;
  const x = m.xlsx.staffing;
  const f = model.format;
  const rows = model.staffing!.flatMap((s) =>
    s.plan.rows.map((r) => [s.label, m.weekdays[r.weekday]!, m.hourLabel(r.hour), r.forecastOffered, r.ahtSeconds, r.agents, r.serviceLevel, r.asaSeconds, r.occupancy]),
  );
  addSheet(
    wb,
    m.xlsx.sheets.staffing,
    [
      { header: m.table.channel, kind: 'text' },
      { header: x.weekday, kind: 'text', width: 8 },
      { header: m.table.hour, kind: 'text', width: 8 },
      { header: x.forecast, kind: 'decimal' },
      { header: m.kpi.aht_seconds, kind: 'seconds' },
      { header: x.agents, kind: 'count' },
      { header: m.kpi.service_level, kind: 'rate' },
      { header: m.kpi.asa_seconds, kind: 'seconds' },
      { header: x.occupancy, kind: 'rate' },
    ],
    rows,
    currency,
  );
  const ws = wb.getWorksheet(m.xlsx.sheets.staffing)!;
  ws.addRow([]);
  for (const s of model.staffing!) {
    const p = s.plan;
    const target = p.target.kind === 'service_level' ? `${f.percent(p.target.value)} / ${f.duration(p.target.thresholdSeconds)}` : `ASA ≤ ${f.duration(p.target.seconds)}`;
    ws.addRow([`${s.label}: ${x.method(f.count(p.weeksUsed), f.count(p.backtestWeeks), f.percent(p.wape), f.percent(p.bias))}`]);
    ws.addRow([`${s.label}: ${x.target(target)}`]);
  }
  ws.addRow([x.assumptions]);
}
