/**
 * What a period's data is made of, per source and per local day, from the coverage index (one entry per
 * delivery and business date, written by ingest) and the client's opening days: which source-days arrived,
 * which were closed, which arrived and could not be used, which are missing, which arrived late. This module is
 * the one place that decides such a claim: the subject, the banner, the actions and the footer all ask it, so
 * they cannot disagree. The report reads only the coverage entries of the dates it concerns (plus the day
 * after, see below), never the client's whole history.
 *
 * A source-day is, in this order:
 * - `failed` when it arrived and cannot be used: every delivery of the day was rejected whole (unreadable,
 *   empty, wrong encoding), or the day's rows were all quarantined, or more of them than the source's
 *   `completeness.max_quarantined_share` (default half), or — a daily export on an open day — the file that says
 *   it is the day's export held no row at all (a header-only file);
 * - `closed` when the client's calendar closes every channel the source carries that day and nothing was
 *   written for it: no export is needed (a survey source is never closed);
 * - `received`, by the source's `completeness` (functions/core/ingest/coverage.ts):
 *   - `daily-file` (CSV exports): a delivery says in its file name that it is that day's export
 *     (`completeness.file_date`), or a delivery holds rows of that day and either arrived after the day was over
 *     or also holds rows of a later day. A file delivered while the day was still going on, whose rows stop on
 *     that day, may be a partial export (a chat platform that cuts its files at UTC midnight delivers a Seoul
 *     morning at 09:00): it does not make the day complete until the rest of the day arrives.
 *   - `continuous` (Amazon Connect through Firehose): the day has rows and `grace_minutes` have passed since it
 *     ended; before that it is `pending`.
 *   - `sporadic` (survey answers): any delivery of the day;
 * - `quiet`: a sporadic source without a delivery that day — no answers is normal, not missing data;
 * - else `missing` (or `pending`, see above).
 * Coverage rows are what each delivery wrote; a later delivery may supersede some of them, so they are a sign of
 * arrival here, never a count the report prints.
 */
import { DateTime } from 'luxon';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { completenessOf, type CoverageEntry, type QuarantineReason } from '../ingest/coverage.ts';
import { quarantinedTooMuch } from '../ingest/delivery-status.ts';
import { addDays, datesOf } from '../kpis/periods.ts';
import { openingDaysOf, sourceClosedOn, type OpeningDays } from '../calendar/opening-days.ts';

export type SourceDayState = 'received' | 'closed' | 'quiet' | 'pending' | 'missing' | 'failed';

/** Why a source-day that arrived cannot be used. */
export interface DayFailure {
  /** `rejected`: every delivery was unreadable; `quarantined`: too many of its rows; `empty`: the day's export held no row */
  kind: 'rejected' | 'quarantined' | 'empty';
  /** rows of the day written and quarantined, over its usable deliveries */
  rows: number;
  quarantined: number;
  /** the deliveries' most frequent quarantine reasons, or the rejection of a rejected file */
  reasons: QuarantineReason[];
}

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
  /** set when the state is `failed` */
  failure: DayFailure | null;
}

export interface SourceCompleteness {
  source: string;
  expect: 'daily-file' | 'continuous' | 'sporadic';
  days: SourceDay[];
}

export interface PeriodCompleteness {
  start: string;
  end: string;
  sources: SourceCompleteness[];
  /** every source-day the report lacks (missing, pending or failed), in date then config order */
  missing: { source: string; dt: string; state: 'missing' | 'pending' | 'failed'; rejected: boolean; failure: DayFailure | null }[];
  /** days every source has received, or has closed or quiet */
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

/** Why a day's usable deliveries failed to deliver it, or null when they did. */
function dayFailure(source: SourceConfig, own: readonly CoverageEntry[], openByCalendar: boolean): DayFailure | null {
  if (own.length === 0) return null;
  const rows = own.reduce((n, e) => n + e.rows, 0);
  const quarantined = own.reduce((n, e) => n + (e.quarantined ?? 0), 0);
  const reasons = mergedReasons(own);
  const rule = completenessOf(source);
  if (quarantinedTooMuch(quarantined, rows + quarantined, rule.maxQuarantinedShare)) return { kind: 'quarantined', rows, quarantined, reasons };
  // a header-only file for a day the client's calendar says was open: the export ran and delivered nothing
  // (without a calendar nobody knows the day was open, and a quiet day's file is a quiet day)
  if (rule.expect === 'daily-file' && openByCalendar && rows === 0 && quarantined === 0 && own.some((e) => e.declared)) {
    return { kind: 'empty', rows, quarantined, reasons };
  }
  return null;
}

function mergedReasons(entries: readonly CoverageEntry[]): QuarantineReason[] {
  const byField = new Map<string, QuarantineReason>();
  for (const e of entries) {
    for (const r of e.quarantine_reasons ?? []) {
      const seen = byField.get(r.field);
      byField.set(r.field, seen === undefined ? { ...r } : { ...seen, rows: seen.rows + r.rows });
    }
  }
  return [...byField.values()].sort((a, b) => b.rows - a.rows || a.field.localeCompare(b.field));
}

function sourceDay(
  dt: string,
  source: SourceConfig,
  config: ClientConfig,
  entries: readonly CoverageEntry[],
  later: ReadonlySet<string>,
  now: Date,
  days: OpeningDays,
): SourceDay {
  const rule = completenessOf(source);
  const ofDay = entries.filter((e) => e.dt === dt);
  // a rejected file's entry tells that it came, never that the day did
  const own = ofDay.filter((e) => e.rejected === undefined);
  const rejectedFiles = ofDay.filter((e) => e.rejected !== undefined);
  const arrivals = own.map((e) => Date.parse(e.delivered_at)).filter(Number.isFinite);
  const first = arrivals.length === 0 ? null : Math.min(...arrivals);
  const dayOver = endOfDay(dt, config.timezone);
  const closed = sourceClosedOn(source, dt, days);
  const written = own.some((e) => e.rows > 0);
  let state: SourceDayState = 'missing';
  let failure = closed && !written ? null : dayFailure(source, own, !closed && days.channels.length > 0);
  if (failure !== null) state = 'failed';
  else if (closed && !written) state = 'closed';
  else if (rule.expect === 'sporadic') state = own.length > 0 ? 'received' : rejectedFiles.length > 0 ? 'failed' : 'quiet';
  else if (rule.expect === 'continuous') {
    if (written) state = now.getTime() >= dayOver + rule.graceMinutes * 60_000 ? 'received' : 'pending';
  } else if (own.some((e) => e.declared || (e.rows > 0 && (Date.parse(e.delivered_at) >= dayOver || later.has(e.file_id))))) {
    state = 'received';
  }
  if (state === 'missing' && rejectedFiles.length > 0) state = 'failed';
  if (state === 'failed' && failure === null) {
    failure = { kind: 'rejected', rows: 0, quarantined: 0, reasons: rejectedFiles.map((e) => ({ field: '(file)', reason: e.rejected!, rows: 0 })) };
  }
  return {
    dt,
    state,
    deliveries: own.length,
    firstDeliveredAt: first === null ? null : new Date(first).toISOString(),
    late: first !== null && first > dueAt(dt, config),
    rejected: rejectedFiles.length,
    failure,
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
  opening: OpeningDays = openingDaysOf(config),
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
      return sourceDay(dt, source, config, bySource, later, now, opening);
    });
    return { source: source.id, expect: completenessOf(source).expect, days };
  });
  const missing: PeriodCompleteness['missing'] = [];
  for (const dt of dates) {
    for (const s of sources) {
      const day = s.days.find((d) => d.dt === dt)!;
      if (day.state === 'missing' || day.state === 'pending' || day.state === 'failed') {
        missing.push({ source: s.source, dt, state: day.state, rejected: day.rejected > 0 && day.failure?.kind === 'rejected', failure: day.failure });
      }
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
    completeDays: dates.filter((dt) => !missing.some((m) => m.dt === dt)),
    complete: missing.length === 0,
    noData: !inRange.some((e) => e.rows > 0 || e.declared),
    files: files.size,
    rowsRead: [...files.values()].reduce((n, e) => n + e.file_rows_read, 0),
    rowsQuarantined: [...files.values()].reduce((n, e) => n + e.file_rows_quarantined, 0),
    lastFinishedAt: finished.at(-1) ?? null,
  };
}
