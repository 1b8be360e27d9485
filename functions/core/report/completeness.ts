/**
 * What a period's data is made of, per source and per local day, from the coverage index (one entry per
 * delivery and business date, written by ingest): which source-days arrived, which are missing, which arrived
 * late. Every claim the report makes about completeness comes from here, and the report reads only the
 * coverage entries of the dates it concerns (plus the day after, see below), never the client's whole history.
 *
 * When a source-day counts as received, by the source's `completeness` (functions/core/ingest/coverage.ts):
 * - `daily-file` (CSV exports): a delivery says in its file name that it is that day's export
 *   (`completeness.file_date`), or a delivery holds rows of that day and either arrived after the day was over
 *   or also holds rows of a later day. A file delivered while the day was still going on, whose rows stop on
 *   that day, may be a partial export (a chat platform that cuts its files at UTC midnight delivers a Seoul
 *   morning at 09:00): it does not make the day complete until the rest of the day arrives.
 * - `continuous` (Amazon Connect through Firehose): the day has rows and `grace_minutes` have passed since it
 *   ended; before that it is `pending`.
 * A day of any other state is `missing`; a missing day whose export arrived and was rejected whole says so
 * (`rejected`), so nobody reads "no data" when a file came and could not be read. Coverage rows are what each
 * delivery wrote; a later delivery may supersede some of them, so they are a sign of arrival here, never a
 * count the report prints.
 */
import { DateTime } from 'luxon';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { completenessOf, type CoverageEntry } from '../ingest/coverage.ts';
import { addDays, datesOf } from '../kpis/periods.ts';

export type SourceDayState = 'received' | 'pending' | 'missing';

export interface SourceDay {
  dt: string;
  state: SourceDayState;
  /** deliveries with an entry for this source and day */
  deliveries: number;
  /** the first delivery's arrival, ISO UTC; null when nothing arrived */
  firstDeliveredAt: string | null;
  /** the first delivery arrived after the report for this day was due (next local day at send_at) */
  late: boolean;
  /** deliveries of this day that were rejected whole (a missing day's export arrived and could not be read) */
  rejected: number;
}

export interface SourceCompleteness {
  source: string;
  expect: 'daily-file' | 'continuous';
  days: SourceDay[];
}

export interface PeriodCompleteness {
  start: string;
  end: string;
  sources: SourceCompleteness[];
  /** every source-day that has not been received, in date then config order */
  missing: { source: string; dt: string; state: Exclude<SourceDayState, 'received'>; rejected: boolean }[];
  /** days every source has received */
  completeDays: string[];
  complete: boolean;
  /** nothing at all arrived for the period from any source */
  noData: boolean;
  /** distinct input files that wrote to the period, with their rows read and quarantined (each file once) */
  files: number;
  rowsRead: number;
  rowsQuarantined: number;
  /** the newest finished_at of any entry of the period (ISO UTC), null without entries */
  lastFinishedAt: string | null;
}

/** The dates whose coverage `assessCompleteness` needs for a period: its days and the day after. */
export function coverageDates(range: { start: string; end: string }): string[] {
  return [...datesOf(range), addDays(range.end, 1)];
}

const endOfDay = (dt: string, zone: string): number => DateTime.fromISO(dt, { zone }).plus({ days: 1 }).startOf('day').toMillis();

/** The report of a day is due the next local day at send_at. */
function dueAt(dt: string, config: ClientConfig): number {
  const [hour, minute] = config.reports.send_at.split(':').map(Number);
  return DateTime.fromISO(dt, { zone: config.timezone })
    .plus({ days: 1 })
    .set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 })
    .toMillis();
}

function sourceDay(dt: string, source: SourceConfig, config: ClientConfig, entries: readonly CoverageEntry[], later: ReadonlySet<string>, now: Date): SourceDay {
  const rule = completenessOf(source);
  const ofDay = entries.filter((e) => e.dt === dt);
  // a rejected file's entry tells that it came, never that the day did
  const own = ofDay.filter((e) => e.rejected === undefined);
  const arrivals = own.map((e) => Date.parse(e.delivered_at)).filter(Number.isFinite);
  const first = arrivals.length === 0 ? null : Math.min(...arrivals);
  const dayOver = endOfDay(dt, config.timezone);
  let state: SourceDayState = 'missing';
  if (rule.expect === 'continuous') {
    if (own.some((e) => e.rows > 0)) state = now.getTime() >= dayOver + rule.graceMinutes * 60_000 ? 'received' : 'pending';
  } else if (own.some((e) => e.declared || (e.rows > 0 && (Date.parse(e.delivered_at) >= dayOver || later.has(e.file_id))))) {
    state = 'received';
  }
  return {
    dt,
    state,
    deliveries: own.length,
    firstDeliveredAt: first === null ? null : new Date(first).toISOString(),
    late: first !== null && first > dueAt(dt, config),
    rejected: ofDay.length - own.length,
  };
}

/**
 * @param entries coverage entries of `coverageDates(range)` (entries of other dates and clients are ignored)
 * @param now decides whether a continuous source's grace period is over
 */
export function assessCompleteness(
  range: { start: string; end: string },
  config: ClientConfig,
  entries: readonly CoverageEntry[],
  now: Date,
): PeriodCompleteness {
  const dates = datesOf(range);
  const own = entries.filter((e) => e.client_id === config.id);
  const inRange = own.filter((e) => e.dt >= range.start && e.dt <= range.end && e.rejected === undefined);
  const sources: SourceCompleteness[] = config.sources.map((source) => {
    const bySource = own.filter((e) => e.source === source.id);
    const usable = bySource.filter((e) => e.rejected === undefined);
    const days = dates.map((dt) => {
      // deliveries that also wrote rows of a later day run past the end of this one
      const later = new Set(usable.filter((e) => e.dt > dt && e.rows > 0).map((e) => e.file_id));
      return sourceDay(dt, source, config, bySource, later, now);
    });
    return { source: source.id, expect: completenessOf(source).expect, days };
  });
  const missing: PeriodCompleteness['missing'] = [];
  for (const dt of dates) {
    for (const s of sources) {
      const day = s.days.find((d) => d.dt === dt)!;
      if (day.state !== 'received') missing.push({ source: s.source, dt, state: day.state, rejected: day.state === 'missing' && day.rejected > 0 });
    }
  }
  const files = new Map<string, CoverageEntry>();
  for (const e of inRange) files.set(`${e.source}/${e.file_id}`, e);
  const finished = inRange.map((e) => e.finished_at).sort();
  return {
    start: range.start,
    end: range.end,
    sources,
    missing,
    completeDays: dates.filter((dt) => sources.every((s) => s.days.find((d) => d.dt === dt)!.state === 'received')),
    complete: missing.length === 0,
    noData: !inRange.some((e) => e.rows > 0 || e.declared),
    files: files.size,
    rowsRead: [...files.values()].reduce((n, e) => n + e.file_rows_read, 0),
    rowsQuarantined: [...files.values()].reduce((n, e) => n + e.file_rows_quarantined, 0),
    lastFinishedAt: finished.at(-1) ?? null,
  };
}
