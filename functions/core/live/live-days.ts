/**
 * The days and instants a live view reads: today in the client's zone and the same weekday of the four weeks
 * before ("the usual"), each with its local midnight, the end of the minute the view is asked for at that
 * day's own wall-clock time (so a usual day is cut at the same minute of the day, whatever its UTC offset) and
 * the start of the hour before it. Computed with luxon's zone rules, so a day on which the clocks change is cut
 * at its own wall-clock minute too.
 */
import { DateTime } from 'luxon';
import { addDays } from '../kpis/periods.ts';

/** How many same weekdays before today make the usual. */
export const USUAL_WEEKS = 4;
/** Minutes in one bucket of the intraday chart. */
export const BUCKET_MINUTES = 15;
export const BUCKETS_PER_DAY = (24 * 60) / BUCKET_MINUTES;

export interface LiveDay {
  /** 0 = today, 1-4 = the same weekday 1-4 weeks before */
  index: number;
  dt: string;
  /** seconds since the epoch */
  startUnix: number;
  /** exclusive: contacts that arrived before it count */
  cutoffUnix: number;
  /** the last hour is [hourStartUnix, cutoffUnix) */
  hourStartUnix: number;
}

export interface LiveWindow {
  /** the minute the view is of, ISO UTC, seconds dropped */
  asOf: string;
  /** "HH:MM" local */
  asOfLocal: string;
  today: string;
  /** minutes since local midnight at the end of the minute (the part of the day the view covers) */
  minuteOfDay: number;
  days: LiveDay[];
}

/** The view of `now` in `zone`: now rounded down to its minute, the minute itself included. */
export function liveWindow(now: Date, zone: string): LiveWindow {
  const local = DateTime.fromJSDate(now, { zone }).startOf('minute');
  const today = local.toISODate()!;
  const { hour, minute } = local;
  const days: LiveDay[] = [];
  for (let index = 0; index <= USUAL_WEEKS; index++) {
    const dt = addDays(today, -7 * index);
    const midnight = DateTime.fromISO(dt, { zone }).startOf('day');
    const at = midnight.set({ hour, minute }).plus({ minutes: 1 });
    const hourStart = at.minus({ hours: 1 });
    days.push({
      index,
      dt,
      startUnix: midnight.toSeconds(),
      cutoffUnix: at.toSeconds(),
      hourStartUnix: Math.max(hourStart.toSeconds(), midnight.toSeconds()),
    });
  }
  return { asOf: local.toUTC().toISO({ suppressMilliseconds: true })!, asOfLocal: local.toFormat('HH:mm'), today, minuteOfDay: hour * 60 + minute + 1, days };
}
