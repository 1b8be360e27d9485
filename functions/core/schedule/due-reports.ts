/**
 * Which reports are due at an instant. The scheduler invokes the report function repeatedly from send_at until
 * the freshness deadline; every invocation that day sees the same due reports, and the delivery log makes sure
 * each goes out once.
 */
import { DateTime } from 'luxon';
import type { ClientConfig } from '../config/client-config.ts';
import type { Period, PeriodKind } from '../kpis/kpi-result.ts';
import { freshnessDeadline, localDateOf, periodContaining, periodReportedOn, sendTime } from './periods.ts';

export interface DueReport {
  kind: PeriodKind;
  period: Period;
  sendAt: Date;
  /** after this the report goes out even when data is missing, marked incomplete */
  deadline: Date;
}

export function dueReports(now: Date, config: ClientConfig): DueReport[] {
  const today = localDateOf(now, config.timezone);
  const local = DateTime.fromISO(today, { zone: 'utc' });
  const kinds: PeriodKind[] = [];
  if (config.reports.daily) kinds.push('daily');
  if (config.reports.weekly && local.weekday === 1) kinds.push('weekly');
  if (config.reports.monthly && local.day === 1) kinds.push('monthly');
  const due: DueReport[] = [];
  for (const kind of kinds) {
    const period = periodReportedOn(kind, today);
    const sendAt = sendTime(period, config);
    if (now.getTime() < sendAt.getTime()) continue;
    due.push({ kind, period, sendAt, deadline: freshnessDeadline(period, config) });
  }
  return due;
}

/** Days of daily reports, weeks of weekly reports and (early in a month) the month the look-back re-checks. */
export const RESTATEMENT_LOOKBACK = { dailyDays: 7, weeks: 2, monthlyUntilDay: 10 } as const;

/**
 * The recent periods whose reports may need a correction because data arrived after they went out: the daily
 * reports of the last week, the last two weekly reports and, in the first days of a month, the last monthly one.
 * Checking one costs a listing of its coverage; the report is recomputed only when that listing changed.
 */
export function restatementCandidates(now: Date, config: ClientConfig): Period[] {
  const today = localDateOf(now, config.timezone);
  const due = new Set(dueReports(now, config).map((d) => `${d.kind}/${d.period.start}`));
  const out: Period[] = [];
  const day = (n: number) => DateTime.fromISO(today, { zone: 'utc' }).minus({ days: n }).toISODate()!;
  if (config.reports.daily) for (let n = 1; n <= RESTATEMENT_LOOKBACK.dailyDays; n++) out.push(periodContaining('daily', day(n)));
  if (config.reports.weekly) for (let w = 1; w <= RESTATEMENT_LOOKBACK.weeks; w++) out.push(periodContaining('weekly', day(7 * w)));
  if (config.reports.monthly && DateTime.fromISO(today, { zone: 'utc' }).day <= RESTATEMENT_LOOKBACK.monthlyUntilDay) {
    out.push(periodContaining('monthly', day(DateTime.fromISO(today, { zone: 'utc' }).day)));
  }
  // only periods that are over, once each, and not the ones due now
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.kind}/${p.start}`;
    if (p.end >= today || seen.has(key) || due.has(key)) return false;
    seen.add(key);
    return true;
  });
}
