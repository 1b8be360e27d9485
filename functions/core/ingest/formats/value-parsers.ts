/**
 * Strict parsers for the raw cell values of vendor exports: numbers, durations, dates and times. They run on
 * every cell of million-row files, so they read character codes into a reused parts object instead of
 * splitting strings, building regular expressions or going through `Date` parsing.
 *
 * Every parser returns NaN or false for anything it does not fully understand: a cell is read exactly or
 * the row is quarantined, never guessed at.
 */

/** Calendar and clock fields of one parsed value; reused between rows by each compiled field. */
export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** offset from UTC in ms, when the value carried one (`Z`, `+09:00`) */
  offsetMs: number;
  hasOffset: boolean;
}

export const newDateTimeParts = (): DateTimeParts => ({
  year: 1970,
  month: 1,
  day: 1,
  hour: 0,
  minute: 0,
  second: 0,
  millisecond: 0,
  offsetMs: 0,
  hasOffset: false,
});

const ZERO = 48;
const NINE = 57;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;
const COMMAS = /,/g;

/**
 * A decimal number: optional sign, digits, optional `.` and digits. A comma is read as a thousands separator
 * only in groups of three (`1,234` = 1234, `1,234,567.5`); `1,5`, `12abc`, `1e3`, `.5`, `` are NaN (a comma as
 * decimal point cannot be told from a thousands separator, and exponents come from spreadsheets that have
 * already rounded the value).
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i = 1;
  }
  let integer = 0;
  let digits = 0;
  let group = 0;
  let commas = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (isDigit(c)) {
      integer = integer * 10 + (c - ZERO);
      digits++;
      group++;
    } else if (c === 44) {
      if (group === 0 || (commas ? group !== 3 : group > 3)) return Number.NaN;
      commas = true;
      group = 0;
    } else break;
  }
  if (digits === 0 || (commas && group !== 3)) return Number.NaN;
  if (i === n) return negative ? -integer : integer;
  if (c !== 46 || i === n - 1) return Number.NaN;
  for (let j = i + 1; j < n; j++) if (!isDigit(s.charCodeAt(j))) return Number.NaN;
  return Number(commas ? s.replace(COMMAS, '') : s);
}

/**
 * A clock duration `H:MM:SS`, `HH:MM:SS` or `MM:SS` (optionally `.fff` and a leading `-`) in seconds. Hours may
 * exceed 23; minutes and seconds after the first group are two digits below 60. NaN when not one.
 */
export function parseHms(s: string): number {
  const n = s.length;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let total = 0;
  let groups = 0;
  while (true) {
    const start = i;
    let value = 0;
    while (i < n && isDigit(s.charCodeAt(i))) value = value * 10 + (s.charCodeAt(i++) - ZERO);
    const width = i - start;
    if (width === 0) return Number.NaN;
    if (groups > 0 && (width !== 2 || value > 59)) return Number.NaN;
    total = total * 60 + value;
    groups++;
    if (i === n) break;
    const c = s.charCodeAt(i);
    if (c === 58 && groups < 3) {
      i++;
      continue;
    }
    if (c === 46 && groups >= 2) {
      const fraction = Number(`0${s.slice(i)}`);
      if (Number.isNaN(fraction) || i === n - 1) return Number.NaN;
      total += fraction;
      break;
    }
    return Number.NaN;
  }
  if (groups < 2) return Number.NaN;
  return negative ? -total : total;
}

export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/** True when the calendar and clock fields are in range (no 24:00, no leap seconds). */
export function validDateTime(p: DateTimeParts): boolean {
  return (
    p.month >= 1 &&
    p.month <= 12 &&
    p.day >= 1 &&
    p.day <= daysInMonth(p.year, p.month) &&
    p.hour <= 23 &&
    p.minute <= 59 &&
    p.second <= 59
  );
}

// ---------------------------------------------------------------------------------------------------------
// Token patterns

const enum Part {
  Year4,
  Year2,
  Month,
  Day,
  Hour,
  Minute,
  Second,
  Fraction,
  Literal,
}

interface Segment {
  part: Part;
  minDigits: number;
  maxDigits: number;
  /** char code, for literals */
  code: number;
}

export class InvalidFormatError extends Error {
  constructor(readonly format: string, reason: string) {
    super(`format "${format}": ${reason}`);
    this.name = 'InvalidFormatError';
  }
}

/** A compiled date/time pattern: fills `out` and returns true when `s` matches exactly. */
export interface TokenPattern {
  readonly format: string;
  readonly hasDate: boolean;
  readonly hasTime: boolean;
  parse(s: string, out: DateTimeParts): boolean;
}

const TOKENS: readonly [string, Part][] = [
  ['YYYY', Part.Year4],
  ['SSS', Part.Fraction],
  ['YY', Part.Year2],
  ['MM', Part.Month],
  ['DD', Part.Day],
  ['HH', Part.Hour],
  ['mm', Part.Minute],
  ['ss', Part.Second],
  ['SS', Part.Second],
  ['M', Part.Month],
  ['D', Part.Day],
  ['H', Part.Hour],
];

/**
 * Two-digit years (`YY`): 70–99 are 19xx, 00–69 are 20xx (the POSIX strptime pivot), so `990201` is
 * 1999-02-01 and `260301` is 2026-03-01.
 */
export const expandTwoDigitYear = (yy: number): number => (yy >= 70 ? 1900 + yy : 2000 + yy);

/**
 * Compiles a token pattern: YYYY YY MM M DD D HH H mm ss SSS, anything else literal. `MM`/`M` right after a
 * `:` are minutes and `SS` seconds, so the `H:MM:SS` spelling of clock times works as well as `H:mm:ss`.
 * A two-letter field between separators (or the ends) accepts one or two digits (`HH` reads `7:02:47`);
 * next to another field (`YYYYMMDDHHmmss`) it takes exactly two.
 */
export function compileTokenPattern(format: string): TokenPattern {
  const raw: { part: Part; code: number; letters: number }[] = [];
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      let part = token[1];
      const previous = raw[raw.length - 1];
      if (part === Part.Month && previous?.part === Part.Literal && previous.code === 58) part = Part.Minute;
      raw.push({ part, code: 0, letters: token[0].length });
      i += token[0].length;
    } else {
      raw.push({ part: Part.Literal, code: format.charCodeAt(i), letters: 1 });
      i++;
    }
  }
  const segments: Segment[] = raw.map((r, index) => {
    if (r.part === Part.Literal) return { part: r.part, minDigits: 0, maxDigits: 0, code: r.code };
    if (r.part === Part.Year4) return { part: r.part, minDigits: 4, maxDigits: 4, code: 0 };
    if (r.part === Part.Year2) return { part: r.part, minDigits: 2, maxDigits: 2, code: 0 };
    if (r.part === Part.Fraction) return { part: r.part, minDigits: 1, maxDigits: 9, code: 0 };
    const previous = raw[index - 1];
    const next = raw[index + 1];
    const delimited =
      (previous === undefined || previous.part === Part.Literal) && (next === undefined || next.part === Part.Literal);
    if (!delimited && r.letters === 1) {
      throw new InvalidFormatError(format, 'a one-letter field must stand between separators');
    }
    return { part: r.part, minDigits: delimited ? 1 : 2, maxDigits: 2, code: 0 };
  });
  const parts = new Set(segments.map((s) => s.part));
  const hasDate = parts.has(Part.Year4) || parts.has(Part.Year2) || parts.has(Part.Month) || parts.has(Part.Day);
  const hasTime = parts.has(Part.Hour);
  if (hasDate && !((parts.has(Part.Year4) || parts.has(Part.Year2)) && parts.has(Part.Month) && parts.has(Part.Day))) {
    throw new InvalidFormatError(format, 'a date needs a year, a month and a day');
  }
  if (!hasDate && !hasTime) throw new InvalidFormatError(format, 'has neither a date nor an hour');
  const count = segments.length;

  return {
    format,
    hasDate,
    hasTime,
    parse(s: string, out: DateTimeParts): boolean {
      const n = s.length;
      let i = 0;
      out.hour = 0;
      out.minute = 0;
      out.second = 0;
      out.millisecond = 0;
      out.hasOffset = false;
      for (let k = 0; k < count; k++) {
        const seg = segments[k]!;
        if (seg.part === Part.Literal) {
          if (s.charCodeAt(i) !== seg.code) return false;
          i++;
          continue;
        }
        const start = i;
        let value = 0;
        const limit = Math.min(n, start + seg.maxDigits);
        while (i < limit && isDigit(s.charCodeAt(i))) value = value * 10 + (s.charCodeAt(i++) - ZERO);
        const width = i - start;
        if (width < seg.minDigits) return false;
        switch (seg.part) {
          case Part.Year4:
            out.year = value;
            break;
          case Part.Year2:
            out.year = expandTwoDigitYear(value);
            break;
          case Part.Month:
            out.month = value;
            break;
          case Part.Day:
            out.day = value;
            break;
          case Part.Hour:
            out.hour = value;
            break;
          case Part.Minute:
            out.minute = value;
            break;
          case Part.Second:
            out.second = value;
            break;
          case Part.Fraction:
            // digits beyond milliseconds are truncated
            out.millisecond = width >= 3 ? Math.floor(value / 10 ** (width - 3)) : value * 10 ** (3 - width);
            break;
          default:
            break;
        }
      }
      return i === n;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// ISO 8601 and epochs

const read2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - ZERO;
  const b = s.charCodeAt(i + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * ISO 8601 as exports write it: `YYYY-MM-DD`, then `T` or a space and `HH:mm`, optional `:ss` and fraction,
 * then optionally `Z`, `±HH:mm`, `±HHmm` or `±HH`. A date alone is local midnight.
 */
export function parseIso(s: string, out: DateTimeParts): boolean {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y1 = read2(s, 0);
  const y2 = read2(s, 2);
  const month = read2(s, 5);
  const day = read2(s, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0) return false;
  out.year = y1 * 100 + y2;
  out.month = month;
  out.day = day;
  out.hour = 0;
  out.minute = 0;
  out.second = 0;
  out.millisecond = 0;
  out.hasOffset = false;
  out.offsetMs = 0;
  if (n === 10) return true;
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 116 && sep !== 32) || n < 16 || s.charCodeAt(13) !== 58) return false;
  const hour = read2(s, 11);
  const minute = read2(s, 14);
  if (hour < 0 || minute < 0) return false;
  out.hour = hour;
  out.minute = minute;
  let i = 16;
  if (s.charCodeAt(i) === 58) {
    const second = read2(s, i + 1);
    if (second < 0) return false;
    out.second = second;
    i += 3;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      const start = i;
      let value = 0;
      while (i < n && isDigit(s.charCodeAt(i))) {
        if (i - start < 3) value = value * 10 + (s.charCodeAt(i) - ZERO);
        i++;
      }
      const width = i - start;
      if (width === 0) return false;
      out.millisecond = width >= 3 ? value : value * 10 ** (3 - width);
    }
  }
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i === n - 1) {
    out.hasOffset = true;
    return true;
  }
  if (c !== 43 && c !== 45) return false;
  const oh = read2(s, i + 1);
  if (oh < 0 || oh > 18) return false;
  let om = 0;
  const rest = n - (i + 3);
  if (rest === 3 && s.charCodeAt(i + 3) === 58) om = read2(s, i + 4);
  else if (rest === 2) om = read2(s, i + 3);
  else if (rest !== 0) return false;
  if (om < 0 || om > 59) return false;
  out.hasOffset = true;
  out.offsetMs = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
  return true;
}

/** Whole or fractional seconds since 1970 → ms (NaN when not a plain decimal). */
export function parseEpochSeconds(s: string): number {
  if (s.indexOf(',') !== -1) return Number.NaN;
  const v = parseDecimal(s);
  return Number.isNaN(v) ? v : Math.round(v * 1000);
}

/** Integer ms since 1970 (NaN when not an integer). */
export function parseEpochMillis(s: string): number {
  if (s.indexOf(',') !== -1 || s.indexOf('.') !== -1) return Number.NaN;
  return parseDecimal(s);
}
