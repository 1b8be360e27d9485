/**
 * Local dates and their instants. The simulator thinks in a client's local business day (staffing, opening
 * hours and the lake's `dt` partition are local) and writes UTC; across a DST change a local day has 23 or 25
 * hours, so local time is converted per hour instead of with one offset per day.
 */
import { DateTime } from 'luxon';

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (ISO weekday − 1), the order the weekly profiles use. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function compactDate(date: string): string {
  return date.replaceAll('-', '');
}

/**
 * Epoch milliseconds of each local hour start 0..24 of a date in a zone. In the spring-forward gap the missing
 * hour maps onto the next one (luxon moves a nonexistent local time forward), which is how a phone system that
 * stamps wall-clock time behaves too.
 */
export function localHourStarts(date: string, zone: string): number[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const starts: number[] = [];
  for (let h = 0; h < 24; h++) {
    starts.push(DateTime.fromObject({ year: y, month: m, day: d, hour: h }, { zone }).toMillis());
  }
  const next = addDays(date, 1).split('-').map(Number) as [number, number, number];
  starts.push(DateTime.fromObject({ year: next[0], month: next[1], day: next[2] }, { zone }).toMillis());
  return starts;
}

/** Local wall-clock parts of an instant, with the zone offset looked up once per UTC hour. */
export class ZoneClock {
  private readonly offsets = new Map<number, number>();

  constructor(readonly zone: string) {}

  offsetMinutes(epochMs: number): number {
    const hour = Math.floor(epochMs / 3_600_000);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      offset = DateTime.fromMillis(hour * 3_600_000, { zone: this.zone }).offset;
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** Shifted Date whose UTC fields read as local wall-clock time. */
  wallClock(epochMs: number): Date {
    return new Date(epochMs + this.offsetMinutes(epochMs) * 60_000);
  }

  localDate(epochMs: number): string {
    return this.wallClock(epochMs).toISOString().slice(0, 10);
  }
}

/** ISO 8601 UTC to the second, the form CTI vendors and Amazon Connect write: 2026-03-01T16:30:01Z. */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
