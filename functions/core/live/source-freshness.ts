/**
 * How fresh each source's data is on the live page, and whether it has gone silent: "connect: 14:05까지, cti:
 * 어제까지". A source with contacts of today in the lake delivers intraday (Amazon Connect through Firehose, a
 * collector that pulls every few minutes): its data reaches as far as its newest contact. One without is read
 * from the coverage index of the last week, through report/completeness.ts, which decides for the report
 * too when a source-day has arrived, is closed or is missing: its data reaches the last day that is complete.
 *
 * Silent past its usual arrival:
 * - an intraday source from which no export has come for `silent_minutes` (its rows' delivered_at; none yet today
 *   counts from midnight), in an hour in which its usual days held at least MIN_USUAL_PER_HOUR of its contacts — a
 *   quiet hour delivers nothing and is no silence;
 * - a daily export whose yesterday is missing (or failed) when its usual arrival has passed by `silent_minutes`:
 *   the usual arrival is the median, over the week's days it delivered, of how long after the day ended its
 *   first file came. Without such a history it is not judged.
 * Survey sources (`sporadic`) are never silent: a day without answers is a quiet day.
 */
import { DateTime } from 'luxon';
import type { OpeningDays } from '../calendar/opening-days.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { completenessOf, type CoverageEntry } from '../ingest/coverage.ts';
import { addDays } from '../kpis/periods.ts';
import { assessCompleteness, type SourceDayState } from '../report/completeness.ts';
import type { IntradayFigures } from './intraday-figures.ts';
import { mean } from './intraday-figures.ts';

/** Days of coverage the page reads back: enough for a week's usual arrival and a long weekend's gap. */
export const FRESHNESS_DAYS = 7;
/** An intraday source that usually delivers fewer contacts an hour than this is not judged silent. */
export const MIN_USUAL_PER_HOUR = 3;

export interface SourceFreshness {
  source: string;
  /** `intraday`: it has contacts of today; `daily`: read from the coverage index; `none`: nothing in the week */
  mode: 'intraday' | 'daily' | 'none';
  expect: 'daily-file' | 'continuous' | 'sporadic';
  /** intraday: its newest contact of today, ISO UTC */
  newestArrivedAt: string | null;
  /** daily: the last local date it is complete through (received, closed or quiet), within the week */
  through: string | null;
  /** daily: yesterday's state, as the report would judge it now */
  yesterday: SourceDayState | null;
  /** daily: when yesterday's export usually arrives (ISO UTC), when its history says */
  usualArrival: string | null;
  /** judged silent past its usual arrival; null when it cannot be judged */
  silent: boolean | null;
  /** silent: since when nothing came (intraday: its last delivery; daily: its usual arrival) */
  silentSince: string | null;
}

/** The dates whose coverage the page reads: the week before today, and today (the day after yesterday). */
export function freshnessDates(today: string): string[] {
  return Array.from({ length: FRESHNESS_DAYS + 1 }, (_, i) => addDays(today, i - FRESHNESS_DAYS));
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const endOfDay = (dt: string, zone: string): number => DateTime.fromISO(dt, { zone }).plus({ days: 1 }).startOf('day').toMillis();

export function sourceFreshness(
  config: ClientConfig,
  figures: IntradayFigures,
  coverage: readonly CoverageEntry[],
  now: Date,
  opening: OpeningDays,
): SourceFreshness[] {
  const today = figures.window.today;
  const yesterday = addDays(today, -1);
  const range = { start: addDays(today, -FRESHNESS_DAYS), end: yesterday };
  const completeness = assessCompleteness(range, config, coverage, now, opening);
  const silentMs = config.live.alerts.silent_minutes * 60_000;
  return config.sources.map((source) => {
    const expect = completenessOf(source).expect;
    const rows = figures.sources.find((s) => s.source === source.id);
    const base = { source: source.id, expect, newestArrivedAt: null, through: null, yesterday: null, usualArrival: null, silent: null, silentSince: null };
    const usualPerHour = rows === undefined ? null : mean(rows.usualLastHour);
    const delivering = usualPerHour !== null && usualPerHour >= MIN_USUAL_PER_HOUR;
    if (rows !== undefined && rows.today > 0) {
      const delivered = rows.newestDeliveredAt;
      const silent = delivering ? delivered === null || now.getTime() - Date.parse(delivered) > silentMs : null;
      return { ...base, mode: 'intraday', newestArrivedAt: rows.newestArrivedAt, silent, silentSince: silent === true ? delivered : null };
    }
    const days = completeness.sources.find((s) => s.source === source.id)?.days ?? [];
    const through = [...days].reverse().find((d) => d.state === 'received' || d.state === 'closed' || d.state === 'quiet')?.dt ?? null;
    const state = days.find((d) => d.dt === yesterday)?.state ?? null;
    // an intraday source with nothing today while it usually delivers at this hour is silent since midnight
    if (expect === 'continuous' || delivering) {
      const silent = source.table === 'contacts' && delivering ? true : null;
      return { ...base, mode: through === null ? 'none' : 'daily', through, yesterday: state, silent, silentSince: silent ? DateTime.fromISO(today, { zone: config.timezone }).toUTC().toISO() : null };
    }
    const offsets = days
      .filter((d) => d.state === 'received' && d.firstDeliveredAt !== null)
      .map((d) => Date.parse(d.firstDeliveredAt!) - endOfDay(d.dt, config.timezone))
      .filter((ms) => ms >= 0);
    const usual = median(offsets);
    const usualArrival = usual === null ? null : new Date(endOfDay(yesterday, config.timezone) + usual).toISOString();
    let silent: boolean | null = null;
    if (expect === 'daily-file' && usualArrival !== null && state !== null) {
      silent = (state === 'missing' || state === 'failed') && now.getTime() > Date.parse(usualArrival) + silentMs;
    }
    return { ...base, mode: through === null ? 'none' : 'daily', through, yesterday: state, usualArrival, silent, silentSince: silent === true ? usualArrival : null };
  });
}
