/**
 * Which reports are due at an instant. The scheduler invokes the report function repeatedly from send_at until
 * the freshness deadline; every invocation that day sees the same due reports, and the delivery log makes sure
 * each goes out once.
 */
import { DateTime } from 'luxon';
import type { ClientConfig } from '../config/client-config.ts';
import type { Period, PeriodKind } from '../kpis/kpi-result.ts';
import { freshnessDeadline, localDateOf, periodReportedOn, sendTime } from './periods.ts';

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
