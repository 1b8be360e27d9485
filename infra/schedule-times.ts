/**
 * When a client's reports run. Hundreds of clients all asking for 08:00 would start hundreds of Athena
 * queries in the same minute, past the account's active-query quota, so every client's runs are moved by a
 * fixed number of minutes derived from its id: the same client always gets the same time, and clients spread
 * evenly over the window.
 */
import { DateTime } from 'luxon';

/** Report runs of all clients spread over this many minutes after their configured send_at. */
export const REPORT_STAGGER_WINDOW_MINUTES = 30;
/** While data is late, the report is tried again this often until the freshness deadline. */
export const REPORT_RETRY_EVERY_MINUTES = 15;

export interface LocalTime {
  hour: number;
  minute: number;
}

/** Cron fields for EventBridge Scheduler; the other fields are set by the caller. */
export interface CronTime {
  minute: string;
  hour: string;
}

/** 32-bit FNV-1a of the UTF-8 bytes: small, stable across Node versions, and evenly spread. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function staggerOffsetMinutes(clientId: string, windowMinutes = REPORT_STAGGER_WINDOW_MINUTES): number {
  return fnv1a32(clientId) % windowMinutes;
}

export function parseLocalTime(hhmm: string): LocalTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}

/**
 * send_at moved by the offset. A run moved past midnight would report on a different day, so near midnight
 * the offset is applied backwards instead.
 */
export function staggeredTime(sendAt: string, offsetMinutes: number): LocalTime {
  const base = parseLocalTime(sendAt);
  const start = base.hour * 60 + base.minute;
  const moved = start + offsetMinutes < 24 * 60 ? start + offsetMinutes : start - offsetMinutes;
  return { hour: Math.floor(moved / 60), minute: moved % 60 };
}

/**
 * Cron fields for the retries after the first run: every `every` minutes until `deadlineMinutes` after it,
 * ending at 23:59 at the latest. Runs are grouped into hours that share the same minutes, so a 3-hour
 * deadline needs at most three schedules (first partial hour, full hours, last partial hour).
 */
export function retryCronTimes(
  first: LocalTime,
  deadlineMinutes: number,
  every = REPORT_RETRY_EVERY_MINUTES,
): CronTime[] {
  const start = first.hour * 60 + first.minute;
  const byHour = new Map<number, number[]>();
  for (let t = start + every; t <= start + deadlineMinutes && t < 24 * 60; t += every) {
    const hour = Math.floor(t / 60);
    byHour.set(hour, [...(byHour.get(hour) ?? []), t % 60]);
  }
  const groups: { from: number; to: number; minutes: string }[] = [];
  for (const [hour, minutes] of byHour) {
    const key = minutes.join(',');
    const last = groups.at(-1);
    if (last && last.minutes === key && last.to === hour - 1) last.to = hour;
    else groups.push({ from: hour, to: hour, minutes: key });
  }
  return groups.map((g) => ({ minute: g.minutes, hour: g.from === g.to ? `${g.from}` : `${g.from}-${g.to}` }));
}

/**
 * The local dates of a year on which `time` does not exist in `zone`: the hour skipped when clocks go forward.
 * EventBridge Scheduler skips a cron run that falls there (and runs once, not twice, in the hour repeated when
 * clocks go back): https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time
 */
export function skippedDates(zone: string, time: LocalTime, year: number): string[] {
  const out: string[] = [];
  for (let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }); day.year === year; day = day.plus({ days: 1 })) {
    const at = DateTime.fromObject({ year, month: day.month, day: day.day, hour: time.hour, minute: time.minute }, { zone });
    // luxon moves a time that does not exist forward by the gap
    if (at.hour !== time.hour || at.minute !== time.minute) out.push(day.toISODate()!);
  }
  return out;
}
