/**
 * Report periods and their send times, in the client's time zone. A report goes out on the local day after its
 * period ends, at reports.send_at: daily the next morning, weekly on Monday, monthly on the 1st.
 */
import { DateTime } from 'luxon';
import type { ClientConfig } from '../config/client-config.ts';
import type { Period, PeriodKind } from '../kpis/kpi-result.ts';
import { periodFor } from '../kpis/periods.ts';

/** The period of the given kind that contains the local date YYYY-MM-DD. */
export function periodContaining(kind: PeriodKind, localDate: string): Period {
  // One definition of periods for KPIs and schedules: ISO weeks, calendar months, local dates.
  return periodFor(kind, localDate);
}

/** The period a report sent on the local date reports on: the one that ended the day before. */
export function periodReportedOn(kind: PeriodKind, sendDate: string): Period {
  const yesterday = DateTime.fromISO(sendDate, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
  return periodContaining(kind, yesterday);
}

function atLocalTime(localDate: string, hhmm: string, zone: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return DateTime.fromISO(localDate, { zone }).set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

/** When the report for the period is due: send_at on the local day after the period ends. */
export function sendTime(period: Period, config: ClientConfig): Date {
  const next = DateTime.fromISO(period.end, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  return atLocalTime(next, config.reports.send_at, config.timezone).toJSDate();
}

/** After this instant a report whose data is still incomplete goes out marked incomplete. */
export function freshnessDeadline(period: Period, config: ClientConfig): Date {
  return new Date(sendTime(period, config).getTime() + config.reports.freshness_deadline_minutes * 60_000);
}

/** The local date of an instant in the client's zone. */
export function localDateOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The first instant of the local day after the date: data ingested from then on can cover the whole day. */
export function endOfLocalDay(localDate: string, zone: string): Date {
  return DateTime.fromISO(localDate, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
}
