/**
 * Local wall-clock time → UTC instant, for a zone given as an IANA name or a fixed offset.
 *
 * This runs on every timestamp of every row of million-row exports, so a zone's UTC offset is looked up with
 * Intl only once per distinct local hour and cached; a call is then integer arithmetic and a Map lookup.
 *
 * Rules where the wall clock is ambiguous (IANA zones with daylight saving time):
 * - a local time that does not exist (the gap when clocks spring forward, e.g. 02:30 on 2026-03-08 in
 *   America/New_York) is read with the offset in force before the gap, which moves it forward by the length of
 *   the gap (02:30 → 03:30 EDT = 07:30Z), as luxon does;
 * - a local time that exists twice (the overlap when clocks fall back, e.g. 01:30 on 2026-11-01 in New York)
 *   is the earlier of the two instants (01:30 EDT = 05:30Z), in every zone. (luxon picks the earlier one only
 *   in zones west of Greenwich; we want one rule.)
 */

export class InvalidTimeZoneError extends Error {
  constructor(readonly zone: string) {
    super(`"${zone}" is neither an IANA time zone (e.g. Asia/Seoul) nor a fixed offset (e.g. +09:00, -05:00, Z)`);
    this.name = 'InvalidTimeZoneError';
  }
}

/** Converts local calendar fields (month 1–12) to epoch milliseconds. */
export type LocalToEpochMs = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
) => number;

export type LocalToDate = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
) => Date;

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Linear in `day`, so a day
 * past the end of the month (e.g. 32 January) lands on the following days, which callers use to add a day.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Wall-clock fields read as if they were UTC, in milliseconds. */
export function civilToMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000 + millisecond;
}

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

/** Offset in milliseconds of a fixed-offset zone string, or undefined when it is not one. */
export function parseFixedOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const m = FIXED_OFFSET.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 18 || minutes > 59) return undefined;
  const offset = (hours * 60 + minutes) * MS_PER_MINUTE;
  return m[1] === '-' ? -offset : offset;
}

/** UTC offset in ms of an IANA zone at an instant, from Intl (slow: only called to fill the cache). */
export function offsetFinder(zone: string): (instantMs: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    throw new InvalidTimeZoneError(zone);
  }
  return (instantMs: number): number => {
    const fields: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(instantMs))) fields[part.type] = part.value;
    const yearInEra = Number(fields.year);
    const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearInEra : yearInEra;
    const wall = civilToMs(
      year,
      Number(fields.month),
      Number(fields.day),
      Number(fields.hour),
      Number(fields.minute),
      Number(fields.second),
      0,
    );
    return wall - Math.floor(instantMs / 1000) * 1000;
  };
}

/**
 * The offset to subtract from one exact local wall time, with the gap/overlap rules above. `before` and `after`
 * are the offsets a day either side, which are the only candidates when at most one transition lies between.
 */
function resolveOffset(localMs: number, before: number, after: number, offsetAt: (t: number) => number): number {
  if (before === after) return before;
  const beforeValid = offsetAt(localMs - before) === before;
  const afterValid = offsetAt(localMs - after) === after;
  if (beforeValid && afterValid) return Math.max(before, after); // overlap: the larger offset is the earlier instant
  if (beforeValid) return before;
  if (afterValid) return after;
  return before; // gap: the offset before the gap moves the time forward
}

/**
 * A converter from local wall-clock fields to epoch milliseconds in `zone`. Fields must form a valid date and
 * time (the caller validates ranges); `day` may run past the month's end to mean the following days.
 */
export function localToEpochMs(zone: string): LocalToEpochMs {
  const fixed = parseFixedOffset(zone);
  if (fixed !== undefined) {
    return (y, mo, d, h, mi, s, ms) => civilToMs(y, mo, d, h, mi, s, ms) - fixed;
  }
  const offsetAt = offsetFinder(zone);
  /** per local hour (hours since epoch, wall clock): the offset valid for the whole hour, or NaN = decide per call */
  const cache = new Map<number, number>();
  let lastHour = Number.NaN;
  let lastOffset = Number.NaN;

  const offsetForHour = (hourKey: number): number => {
    const start = hourKey * MS_PER_HOUR;
    const before = offsetAt(start - MS_PER_DAY);
    const after = offsetAt(start + MS_PER_DAY);
    if (before === after) return before;
    // A transition is near. The resolved offset is a step function of local time, so if the first and the
    // last millisecond of the hour resolve alike, the whole hour does.
    const first = resolveOffset(start, before, after, offsetAt);
    const last = resolveOffset(start + MS_PER_HOUR - 1, before, after, offsetAt);
    return first === last ? first : Number.NaN;
  };

  return (y, mo, d, h, mi, s, ms) => {
    const localMs = civilToMs(y, mo, d, h, mi, s, ms);
    const hourKey = Math.floor(localMs / MS_PER_HOUR);
    let offset: number;
    if (hourKey === lastHour) {
      offset = lastOffset;
    } else {
      const cached = cache.get(hourKey);
      offset = cached === undefined ? offsetForHour(hourKey) : cached;
      if (cached === undefined) cache.set(hourKey, offset);
      lastHour = hourKey;
      lastOffset = offset;
    }
    if (Number.isNaN(offset)) {
      // An hour in which a transition falls at a non-hour boundary (e.g. Australia/Lord_Howe's 30-minute shift).
      offset = resolveOffset(localMs, offsetAt(localMs - MS_PER_DAY), offsetAt(localMs + MS_PER_DAY), offsetAt);
    }
    return localMs - offset;
  };
}

/** `localToEpochMs` returning Dates. Throws InvalidTimeZoneError for an unknown zone. */
export function localTimeConverter(zone: string): LocalToDate {
  const toMs = localToEpochMs(zone);
  return (y, mo, d, h, mi, s, ms) => new Date(toMs(y, mo, d, h, mi, s, ms));
}
