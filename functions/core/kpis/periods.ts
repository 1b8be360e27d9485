/**
 * Report periods on local dates (YYYY-MM-DD in the client's time zone): daily = one local date, weekly = ISO
 * week Monday–Sunday, monthly = calendar month. Dates here are calendar dates, not instants, so the arithmetic
 * is done on UTC midnights, where every day has 24 hours.
 */
import type { Period, PeriodKind } from './kpi-result.ts';
import { InvalidPeriodError } from './errors.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtcMs(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new InvalidPeriodError(`not a date YYYY-MM-DD: "${date}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new InvalidPeriodError(`no such date: "${date}"`);
  return ms;
}

const fromUtcMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
}

export function daysInMonth(date: string): number {
  const d = new Date(toUtcMs(date));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(date: string): number {
  const day = new Date(toUtcMs(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Every date from start to end inclusive. */
export function datesOf(period: { start: string; end: string }): string[] {
  const out: string[] = [];
  for (let d = period.start; d <= period.end; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The period of the given kind that contains the local date. */
export function periodFor(kind: PeriodKind, date: string): Period {
  toUtcMs(date);
  switch (kind) {
    case 'daily':
      return { kind, start: date, end: date };
    case 'weekly': {
      const start = addDays(date, 1 - isoWeekday(date));
      return { kind, start, end: addDays(start, 6) };
    }
    case 'monthly': {
      const start = `${date.slice(0, 8)}01`;
      return { kind, start, end: addDays(start, daysInMonth(date) - 1) };
    }
    default:
      throw new InvalidPeriodError(`unknown period kind: ${String(kind)}`);
  }
}

/** The period of the same kind just before. */
export function priorPeriod(period: Period): Period {
  return periodFor(period.kind, addDays(period.start, -1));
}

/** The same weekday a week earlier (daily reports). */
export function weekAgoPeriod(period: Period): Period {
  return { kind: period.kind, start: addDays(period.start, -7), end: addDays(period.end, -7) };
}

/** ISO 8601 week label of a date, e.g. 2026-W01 (the week with the year's first Thursday). */
export function isoWeekLabel(date: string): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
