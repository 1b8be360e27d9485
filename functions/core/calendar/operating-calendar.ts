/**
 * The client's operating calendar: on a local date, is a channel open, from when to when, and if not, why.
 * Every part of a report that needs to know whether a day was a working day asks this one module, so a
 * closed day is "closed" everywhere and never "no data".
 *
 * The rules of a day, first match wins (docs/calendar.md):
 * 1. a channel the version in force gives no hours is not served (`no-service`);
 * 2. a client `closed` day closes it (`client-closed`), a client `open` day opens it (`client-open`);
 * 3. a public holiday of the version's country closes it (`holiday`), unless the channel has `holiday` hours:
 *    then it is open those hours (`open`, with the holiday's name);
 * 4. otherwise its hours of that weekday (`open`), or closed (`weekday-closed`).
 * A config without `calendar:` keeps the behaviour from before calendars: every channel open every day, all
 * hours. The version in force on a date is the last whose effective_from is on or before it; the first
 * version also covers every earlier date.
 */
import { calendarChannels, datesOfEntry, holidayRegionOf, type CalendarVersion } from '../config/calendar-config.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { CalendarInputError, UnknownHolidayRegionError } from './errors.ts';
import { KR_GAZETTE_YEARS, holidaySourceOf, publicHolidayName } from './public-holidays.ts';
import { minutesOf, WEEKDAYS, type DayToken, type OpeningHours } from './opening-hours.ts';

export type CalendarReason = 'open' | 'weekday-closed' | 'holiday' | 'client-closed' | 'client-open' | 'no-service';

export interface CalendarDay {
  dt: string;
  open: boolean;
  /**
   * `open`: the channel's hours of the day (on a public holiday with `holiday` hours too: `name` says which);
   * `weekday-closed`: no hours on this weekday; `holiday`: a public holiday; `client-closed` / `client-open`:
   * the client's own closed or extra open day; `no-service`: the channel has no hours in the version in force
   */
  reason: CalendarReason;
  /** the public holiday's name in its country's language (ko for KR), or the client's name for its own day */
  name: string | null;
  /** local "HH:MM" (to may be "24:00"), null when closed */
  hours: OpeningHours | null;
}

export interface DateRange {
  start: string;
  end: string;
}

export interface OperatingCalendar {
  /** channels the calendar gives hours (empty when the config has no calendar: then every channel is open) */
  readonly channels: readonly Channel[];
  day(channel: Channel, dt: string): CalendarDay;
  isOpen(channel: Channel, dt: string): boolean;
  /** open dates of a channel in [start, end], ascending */
  openDays(channel: Channel, range: DateRange): string[];
  /** the latest open date of the channel before dt, looking back at most `maxDays` (default 31), or null */
  previousOpenDay(channel: Channel, dt: string, maxDays?: number): string | null;
  /** is the local hour (0-23) of that date inside the channel's open hours (an hour partly open counts) */
  isOpenHour(channel: Channel, dt: string, hour: number): boolean;
  /**
   * what a reader of the calendar over these dates should know: public holidays computed by rule where the
   * official list is not in the installed data (Korea beyond the gazette years)
   */
  notes(range: DateRange): string[];
}

const ALL_DAY: OpeningHours = { from: '00:00', to: '24:00' };
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** UTC midnight of a local date, validated (2026-02-30 is refused, not rolled over). */
function dayMs(dt: string): number {
  const ms = ISO_DATE.test(dt) ? Date.parse(`${dt}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== dt) {
    throw new CalendarInputError(`not a local date YYYY-MM-DD: ${JSON.stringify(dt)}`);
  }
  return ms;
}
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const weekdayOf = (ms: number): DayToken => WEEKDAYS[(new Date(ms).getUTCDay() + 6) % 7]!;

interface ResolvedVersion {
  readonly from: string | undefined;
  readonly region: string | null;
  readonly hours: Partial<Record<Channel, ReadonlyMap<DayToken, OpeningHours>>>;
  readonly firstHours: Partial<Record<Channel, OpeningHours>>;
  /** keyed `${channel} ${date}` */
  readonly closed: ReadonlyMap<string, string | null>;
  readonly open: ReadonlyMap<string, { name: string | null; hours: OpeningHours | undefined }>;
}

function resolveVersion(config: ClientConfig, version: CalendarVersion): ResolvedVersion {
  const region = holidayRegionOf(version, config);
  if (region === undefined) throw new UnknownHolidayRegionError(config.id, version.country ?? config.phone_region);
  const hours: Partial<Record<Channel, Map<DayToken, OpeningHours>>> = {};
  const firstHours: Partial<Record<Channel, OpeningHours>> = {};
  const declared: Channel[] = [];
  for (const ch of CHANNELS) {
    const groups = version[ch];
    if (groups === undefined) continue;
    declared.push(ch);
    hours[ch] = new Map(groups.flatMap((g) => g.days.map((d) => [d, g.hours] as const)));
    firstHours[ch] = groups[0]!.hours;
  }
  const closed = new Map<string, string | null>();
  for (const entry of version.closed) {
    for (const date of datesOfEntry(entry)) for (const ch of entry.channels ?? declared) closed.set(`${ch} ${date}`, entry.name ?? null);
  }
  const open = new Map<string, { name: string | null; hours: OpeningHours | undefined }>();
  for (const entry of version.open) {
    for (const date of datesOfEntry(entry)) {
      for (const ch of entry.channels ?? declared) open.set(`${ch} ${date}`, { name: entry.name ?? null, hours: entry.hours });
    }
  }
  return { from: version.effective_from, region, hours, firstHours, closed, open };
}

function alwaysOpen(): OperatingCalendar {
  return {
    channels: [],
    day: (_channel, dt) => (dayMs(dt), { dt, open: true, reason: 'open', name: null, hours: ALL_DAY }),
    isOpen: (_channel, dt) => (dayMs(dt), true),
    openDays: (_channel, range) => datesIn(range),
    previousOpenDay: (_channel, dt, maxDays = 31) => (maxDays >= 1 ? dateOf(dayMs(dt) - DAY_MS) : null),
    isOpenHour: (_channel, dt, hour) => (dayMs(dt), checkHour(hour), true),
    notes: () => [],
  };
}

function datesIn(range: DateRange): string[] {
  const first = dayMs(range.start);
  const last = dayMs(range.end);
  if (last < first) throw new CalendarInputError(`range ends (${range.end}) before it starts (${range.start})`);
  const out: string[] = [];
  for (let ms = first; ms <= last; ms += DAY_MS) out.push(dateOf(ms));
  return out;
}

function checkHour(hour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new CalendarInputError(`not a local hour 0-23: ${hour}`);
}

/** The calendar a client config describes; public holidays are looked up once per country and year. */
export function resolveCalendar(config: ClientConfig): OperatingCalendar {
  if (config.calendar === undefined) return alwaysOpen();
  const versions = config.calendar.map((v) => resolveVersion(config, v));
  const channels = calendarChannels(config.calendar);
  const versionOn = (dt: string): ResolvedVersion => {
    let found = versions[0]!;
    for (const v of versions) if (v.from !== undefined && v.from <= dt) found = v;
    return found;
  };

  const dayAt = (channel: Channel, dt: string, ms: number): CalendarDay => {
    const v = versionOn(dt);
    const hours = v.hours[channel];
    if (hours === undefined) return { dt, open: false, reason: 'no-service', name: null, hours: null };
    const holiday = v.region === null ? null : publicHolidayName(v.region, dt);
    const key = `${channel} ${dt}`;
    const closedName = v.closed.get(key);
    if (closedName !== undefined) return { dt, open: false, reason: 'client-closed', name: closedName ?? holiday, hours: null };
    const weekdayHours = hours.get(weekdayOf(ms));
    const extra = v.open.get(key);
    if (extra !== undefined) {
      return { dt, open: true, reason: 'client-open', name: extra.name ?? holiday, hours: extra.hours ?? weekdayHours ?? v.firstHours[channel]! };
    }
    if (holiday !== null) {
      const holidayHours = hours.get('holiday');
      return holidayHours === undefined
        ? { dt, open: false, reason: 'holiday', name: holiday, hours: null }
        : { dt, open: true, reason: 'open', name: holiday, hours: holidayHours };
    }
    return weekdayHours === undefined
      ? { dt, open: false, reason: 'weekday-closed', name: null, hours: null }
      : { dt, open: true, reason: 'open', name: null, hours: weekdayHours };
  };
  const day = (channel: Channel, dt: string): CalendarDay => dayAt(channel, dt, dayMs(dt));

  return {
    channels,
    day,
    isOpen: (channel, dt) => day(channel, dt).open,
    openDays: (channel, range) => datesIn(range).filter((dt) => day(channel, dt).open),
    previousOpenDay: (channel, dt, maxDays = 31) => {
      const ms = dayMs(dt);
      for (let i = 1; i <= maxDays; i++) {
        const before = ms - i * DAY_MS;
        if (dayAt(channel, dateOf(before), before).open) return dateOf(before);
      }
      return null;
    },
    isOpenHour: (channel, dt, hour) => {
      checkHour(hour);
      const { hours } = day(channel, dt);
      return hours !== null && hour * 60 < minutesOf(hours.to) && (hour + 1) * 60 > minutesOf(hours.from);
    },
    notes: (range) => holidayNotes(versionOn, range),
  };
}

function holidayNotes(versionOn: (dt: string) => ResolvedVersion, range: DateRange): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const dt of datesIn(range)) {
    const { region } = versionOn(dt);
    const year = Number(dt.slice(0, 4));
    if (region !== 'KR' || holidaySourceOf(region, year) !== 'rules' || seen.has(`${region} ${year}`)) continue;
    seen.add(`${region} ${year}`);
    notes.push(
      `KR public holidays of ${year} are not in the installed @hyunbinseo/holidays-kr (it has ${KR_GAZETTE_YEARS[0]}–${KR_GAZETTE_YEARS.at(-1)}): ` +
        'they are computed by date-holidays\' rules, which miss election and temporary holidays and place 설날 a day late; ' +
        'update @hyunbinseo/holidays-kr, or list the days under closed',
    );
  }
  return notes;
}
