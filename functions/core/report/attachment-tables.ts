/**
 * The daily and hourly tables of the attachments, defined once for the XLSX and the CSV: counts of all channels
 * together, then each channel's own rates and durations — never a rate or a duration blended across channels
 * (a contract judges them per channel, and a blend of phone and chat AHT means nothing).
 */
import type { Kpis } from '../kpis/kpi-result.ts';
import type { ValueKind } from './format.ts';
import { KPI_META } from './kpi-meta.ts';
import type { KpiKey } from './messages.ts';
import type { ReportModel } from './model.ts';

export interface TableColumn {
  header: string;
  kind: ValueKind | 'text';
}

export interface Table {
  columns: TableColumn[];
  rows: (string | number | null)[][];
}

const TOTAL_DAY_KEYS = ['inbound', 'offered', 'answered', 'abandoned'] as const satisfies readonly (keyof Kpis & KpiKey)[];
const CHANNEL_DAY_KEYS = ['offered', 'answered', 'abandoned', 'answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds'] as const satisfies readonly (keyof Kpis & KpiKey)[];

export function dailyTable(model: ReportModel): Table {
  const m = model.format.messages;
  const columns: TableColumn[] = [
    { header: m.csv.columns.date, kind: 'text' },
    ...TOTAL_DAY_KEYS.map((k) => ({ header: m.kpi[k], kind: KPI_META[k].kind })),
    ...model.tableChannels.flatMap((ch) => CHANNEL_DAY_KEYS.map((k) => ({ header: `${m.channel[ch]} ${m.kpi[k]}`, kind: KPI_META[k].kind }))),
  ];
  const rows = model.days.map((d) => [
    d.dt,
    ...TOTAL_DAY_KEYS.map((k) => d.kpis.total[k]),
    ...model.tableChannels.flatMap((ch) => CHANNEL_DAY_KEYS.map((k) => d.kpis.by_channel[ch]?.[k] ?? (KPI_META[k].kind === 'count' ? 0 : null))),
  ]);
  return { columns, rows };
}

export function hourlyTable(model: ReportModel): Table {
  const m = model.format.messages;
  const columns: TableColumn[] = [
    { header: m.csv.columns.hour, kind: 'text' },
    { header: m.kpi.offered, kind: 'count' },
    { header: m.kpi.answered, kind: 'count' },
    { header: m.kpi.abandoned, kind: 'count' },
    { header: m.csv.columns.avg_per_day, kind: 'decimal' },
    ...model.tableChannels.flatMap((ch) => [
      { header: `${m.channel[ch]} ${m.kpi.offered}`, kind: 'count' as const },
      { header: `${m.channel[ch]} ${m.kpi.service_level}`, kind: 'rate' as const },
    ]),
  ];
  const rows = model.hourly.map((h) => [
    h.hour,
    h.offered,
    h.answered,
    h.abandoned,
    h.avg_per_day,
    ...model.tableChannels.flatMap((ch) => [h.by_channel[ch]?.offered ?? 0, h.by_channel[ch]?.service_level ?? null]),
  ]);
  return { columns, rows };
}
