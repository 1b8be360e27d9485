/**
 * The value rules of the mapping language as SQL expressions (DuckDB dialect, RE2 regular expressions), so a
 * million cells are read column by column instead of one JS call at a time. Each rule is as strict as the
 * one written for people in docs/sources.md: a cell is read exactly or its row is quarantined.
 *
 * A rule that needs a regular expression's groups evaluates it once, into a struct column registered with
 * `derive`, and reads the groups from there. Text a regular expression has already validated is converted
 * with TRY_CAST all the same: the engine may evaluate a CASE branch for rows that branch does not select, and
 * one failing CAST there would abort the whole file.
 *
 * Timestamps are carried as BIGINT epoch milliseconds until the end of the mapping: wall-clock fields become
 * "civil" milliseconds (the same fields read as if in UTC), and a zone's offset history (zone-transitions.ts)
 * turns those into instants.
 */
import { localOffsetBoundaries, zoneHistory } from '../../time/zone-transitions.ts';
import { InvalidFormatError } from './errors.ts';
import { expandTwoDigitYearSql } from './sql-text.ts';

/** Registers an expression as a column of an earlier layer and returns the column's name. */
export type Derive = (expression: string) => string;

/** JS's `String.prototype.trim` set: Unicode white space, line terminators and the BOM, as an RE2 class. */
export const SPACE_CLASS = '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

/**
 * A cell as every rule sees it: trimmed of all Unicode spaces (NBSP included) and NULL when nothing is left.
 * Only records the records stage flagged (`__trim`) can need it.
 */
export const trimmedCell = (column: string): string =>
  `CASE WHEN __trim THEN nullif(regexp_replace(${column}, '^${SPACE_CLASS}+|${SPACE_CLASS}+$', '', 'g'), '') ELSE ${column} END`;

const struct = (derive: Derive, v: string, regex: string, names: readonly string[]): string =>
  derive(`regexp_extract(${v}, '${regex}', [${names.map((n) => `'${n}'`).join(', ')}])`);

/** A decimal number (see parseDecimal): sign, digits, thousands commas in groups of three, a fraction. */
const DECIMAL_RE = '^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.][0-9]+)?$';
/**
 * A whole number written plainly (`504`) is read by an integer cast, about a third of the regular expression's
 * cost; the round trip keeps out what the cast takes and the rule does not (signs, underscores, leading zeros),
 * and those go to the regular expression, which decides.
 */
const plainInteger = (v: string): string => `CAST(TRY_CAST(${v} AS UBIGINT) AS VARCHAR) = ${v}`;
export const decimalValue = (derive: Derive, v: string): string =>
  derive(
    `CASE WHEN ${plainInteger(v)} THEN CAST(TRY_CAST(${v} AS UBIGINT) AS DOUBLE) ` +
      `WHEN regexp_matches(${v}, '${DECIMAL_RE}') THEN TRY_CAST(replace(${v}, ',', '') AS DOUBLE) END`,
  );

/**
 * A clock reading H:MM:SS or HH:MM:SS as a TIME, by a cast whose result, written back, must give the value
 * (zero-padded to two hour digits): no fraction, no one-digit minutes, nothing a TIME cast reads loosely
 * (`5:2:331` is 05:02:33.1 to it). NULL for anything else, which the caller's regular expression decides.
 * A cast and a comparison cost a seventh of the digit-and-colon checks they replace.
 */
const exactClock = (v: string): string =>
  `CASE WHEN strlen(${v}) BETWEEN 7 AND 8 AND CAST(TRY_CAST(${v} AS TIME) AS VARCHAR) = ` +
  `CASE WHEN strlen(${v}) = 7 THEN '0' || ${v} ELSE ${v} END THEN TRY_CAST(${v} AS TIME) END`;

/** H:MM:SS, HH:MM:SS or MM:SS with an optional fraction and a sign (see parseHms), in seconds. */
const HMS_RE = '^(-?)([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?([.][0-9]+)?$';
export function hmsValue(derive: Derive, v: string): string {
  // most exports write H:MM:SS under 24 hours: a cast reads those, the regular expression only the rest
  const clock = derive(exactClock(v));
  const s = derive(`CASE WHEN ${clock} IS NULL THEN regexp_extract(${v}, '${HMS_RE}', ['sign', 'a', 'b', 'c', 'fraction']) END`);
  return derive(
    `CASE WHEN ${clock} IS NOT NULL THEN CAST(hour(${clock}) * 3600 + minute(${clock}) * 60 + second(${clock}) AS DOUBLE) ` +
      `WHEN ${s}.a <> '' THEN (CASE WHEN ${s}.sign = '-' THEN -1 ELSE 1 END) * (` +
      `CASE WHEN ${s}.c = '' THEN TRY_CAST(${s}.a AS DOUBLE) * 60 + TRY_CAST(${s}.b AS DOUBLE) ` +
      `ELSE TRY_CAST(${s}.a AS DOUBLE) * 3600 + TRY_CAST(${s}.b AS DOUBLE) * 60 + TRY_CAST(${s}.c AS DOUBLE) END` +
      ` + CASE WHEN ${s}.fraction = '' THEN 0 ELSE TRY_CAST('0' || ${s}.fraction AS DOUBLE) END) END`,
  );
}

/** Epoch milliseconds a timestamp can hold (the years 1 to 9999); anything beyond is not a time at all. */
const inTimestampRange = (ms: string): string => `CASE WHEN ${ms} BETWEEN -62135596800000 AND 253402300799999 THEN ${ms} END`;

/** Integer milliseconds since 1970 (see parseEpochMillis). */
export const epochMsValue = (derive: Derive, v: string): string =>
  derive(inTimestampRange(`CASE WHEN regexp_matches(${v}, '^[+-]?[0-9]+$') THEN TRY_CAST(${v} AS BIGINT) END`));
/** Seconds since 1970, fractions allowed (see parseEpochSeconds), as milliseconds. */
export const epochSecondsValue = (derive: Derive, v: string): string =>
  derive(inTimestampRange(`CASE WHEN regexp_matches(${v}, '^[+-]?[0-9]+(?:[.][0-9]+)?$') THEN TRY_CAST(round(TRY_CAST(${v} AS DOUBLE) * 1000) AS BIGINT) END`));

// ---------------------------------------------------------------------------------------------------------
// Token patterns (YYYY YY MM M DD D HH H mm ss SSS), the grammar of compileTokenPattern

export type DatePart = 'year4' | 'year2' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

export interface TokenRegex {
  format: string;
  /** anchored RE2 pattern, one capture group per part, in `parts` order */
  regex: string;
  parts: DatePart[];
  hasDate: boolean;
  hasTime: boolean;
}

const TOKENS: readonly [string, DatePart][] = [
  ['YYYY', 'year4'],
  ['SSS', 'fraction'],
  ['YY', 'year2'],
  ['MM', 'month'],
  ['DD', 'day'],
  ['HH', 'hour'],
  ['mm', 'minute'],
  ['ss', 'second'],
  ['SS', 'second'],
  ['M', 'month'],
  ['D', 'day'],
  ['H', 'hour'],
];

const escapeRegexChar = (ch: string): string => (/[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch === "'" ? "''" : ch);

/**
 * Compiles a token pattern to an anchored regular expression: `MM`/`M` right after `:` are minutes, a field
 * between separators takes one or two digits, a field next to another exactly two.
 * @throws InvalidFormatError
 */
export function tokenRegex(format: string): TokenRegex {
  type Raw = { part: DatePart | 'literal'; text: string };
  const raw: Raw[] = [];
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      let part = token[1];
      const previous = raw[raw.length - 1];
      if (part === 'month' && previous?.part === 'literal' && previous.text === ':') part = 'minute';
      raw.push({ part, text: token[0] });
      i += token[0].length;
    } else {
      raw.push({ part: 'literal', text: format[i]! });
      i++;
    }
  }
  const parts: DatePart[] = [];
  const pieces = raw.map((r, index) => {
    if (r.part === 'literal') return escapeRegexChar(r.text);
    if (parts.includes(r.part)) throw new InvalidFormatError(format, `has more than one ${r.part} field`);
    parts.push(r.part);
    if (r.part === 'year4') return '([0-9]{4})';
    if (r.part === 'year2') return '([0-9]{2})';
    if (r.part === 'fraction') return '([0-9]{1,9})';
    const previous = raw[index - 1];
    const next = raw[index + 1];
    const delimited = (previous === undefined || previous.part === 'literal') && (next === undefined || next.part === 'literal');
    if (!delimited && r.text.length === 1) throw new InvalidFormatError(format, 'a one-letter field must stand between separators');
    return delimited ? '([0-9]{1,2})' : '([0-9]{2})';
  });
  const has = (p: DatePart) => parts.includes(p);
  const hasDate = has('year4') || has('year2') || has('month') || has('day');
  const hasTime = has('hour');
  if (hasDate && !((has('year4') || has('year2')) && has('month') && has('day'))) {
    throw new InvalidFormatError(format, 'a date needs a year, a month and a day');
  }
  if (!hasDate && !hasTime) throw new InvalidFormatError(format, 'has neither a date nor an hour');
  return { format, regex: `^${pieces.join('')}$`, parts, hasDate, hasTime };
}

export interface TokenFields {
  /** true when the value matched the pattern */
  matched: string;
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  millisecond: string;
}

/** The pieces of a token pattern that is only fixed-width digit fields (YYYYMMDD, YYMMDD, YYYYMMDDHHmmss). */
function fixedDigits(pattern: TokenRegex): { width: number; offsets: Map<DatePart, [number, number]> } | undefined {
  const body = pattern.regex.slice(1, -1);
  const widths = [...body.matchAll(/\(\[0-9\]\{(\d)\}\)/g)].map((m) => Number(m[1]));
  if (widths.length !== pattern.parts.length || widths.map((w) => `([0-9]{${w}})`).join('') !== body) return undefined;
  const offsets = new Map<DatePart, [number, number]>();
  let at = 0;
  pattern.parts.forEach((part, i) => {
    offsets.set(part, [at, widths[i]!]);
    at += widths[i]!;
  });
  return { width: at, offsets };
}

const isClockPattern = (pattern: TokenRegex): boolean =>
  pattern.regex === '^([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})$' && pattern.parts.join() === 'hour,minute,second';

/**
 * The integer fields of a value read with a token pattern (absent parts are 0). Two shapes most exports use are
 * read by casts, a fraction of a regular expression's cost: digits only (`20260301`) as one integer, and a clock
 * time (`9:15:00`) as a TIME. Any value those casts do not take exactly goes to the regular expression, which
 * decides; validClock still checks what the cast gave (a TIME of 24:00:00 is no clock time).
 */
export function tokenFields(derive: Derive, v: string, pattern: TokenRegex): TokenFields {
  // evaluated only for the rows no cast took: written out where it is used rather than derived for every row
  const slow = `regexp_extract(${v}, '${pattern.regex}', [${pattern.parts.map((n) => `'${n}'`).join(', ')}])`;
  const slowInt = (part: DatePart): string => `TRY_CAST(nullif((${slow}).${part}, '') AS BIGINT)`;
  let fast: string | undefined;
  let fastInt: ((part: DatePart) => string) | undefined;
  const digits = fixedDigits(pattern);
  if (digits !== undefined) {
    // the round trip rejects signs, spaces and underscores an integer cast would let through
    fast = derive(
      `CASE WHEN strlen(${v}) = ${digits.width} AND (${plainInteger(v)} OR lpad(CAST(TRY_CAST(${v} AS UBIGINT) AS VARCHAR), ${digits.width}, '0') = ${v}) ` +
        `THEN TRY_CAST(${v} AS UBIGINT) END`,
    );
    fastInt = (part) => {
      const [offset, width] = digits.offsets.get(part)!;
      return `CAST((${fast} // ${10 ** (digits.width - offset - width)}) % ${10 ** width} AS BIGINT)`;
    };
  } else if (isClockPattern(pattern)) {
    // H:MM:SS or HH:MM:SS, exactly; other spellings the pattern takes (`9:5:00`) go to the regular expression
    fast = derive(exactClock(v));
    fastInt = (part) => `CAST(${part === 'hour' ? 'hour' : part === 'minute' ? 'minute' : 'second'}(${fast}) AS BIGINT)`;
  }
  const int = (part: DatePart): string => {
    if (!pattern.parts.includes(part)) return '0';
    return fast === undefined ? slowInt(part) : `CASE WHEN ${fast} IS NOT NULL THEN ${fastInt!(part)} ELSE ${slowInt(part)} END`;
  };
  const year = pattern.parts.includes('year4') ? int('year4') : pattern.parts.includes('year2') ? expandTwoDigitYearSql(int('year2')) : '1970';
  const first = pattern.parts[0]!;
  return {
    matched: fast === undefined ? `((${slow}).${first} <> '')` : `(${fast} IS NOT NULL OR (${slow}).${first} <> '')`,
    year,
    month: pattern.parts.includes('month') ? int('month') : '1',
    day: pattern.parts.includes('day') ? int('day') : '1',
    hour: int('hour'),
    minute: int('minute'),
    second: int('second'),
    millisecond: pattern.parts.includes('fraction') ? `TRY_CAST(rpad(left((${slow}).fraction, 3), 3, '0') AS BIGINT)` : '0',
  };
}

/** ISO 8601 as exports write it (see parseIso): a date, then `T`/space and HH:mm[:ss[.f]], then Z or an offset. */
const ISO_RE =
  '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?$';

export interface IsoFields extends TokenFields {
  /** true when the value carries Z or an offset */
  hasOffset: string;
  /** the offset in ms (0 for Z) */
  offsetMs: string;
  /** true when an offset's fields are in range */
  offsetValid: string;
}

export function isoFields(derive: Derive, v: string): IsoFields {
  const s = struct(derive, v, ISO_RE, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z', 'sign', 'oh', 'om']);
  const int = (name: string, empty = '0') => `coalesce(TRY_CAST(nullif(${s}.${name}, '') AS BIGINT), ${empty})`;
  return {
    matched: `(${s}.y <> '')`,
    year: int('y'),
    month: int('mo'),
    day: int('d'),
    hour: int('h'),
    minute: int('mi'),
    second: int('s'),
    millisecond: `CASE WHEN ${s}.f = '' THEN 0 ELSE TRY_CAST(rpad(left(${s}.f, 3), 3, '0') AS BIGINT) END`,
    hasOffset: `(${s}.z <> '' OR ${s}.sign <> '')`,
    offsetMs: `CASE WHEN ${s}.sign = '' THEN 0 ELSE (CASE WHEN ${s}.sign = '-' THEN -1 ELSE 1 END) * (${int('oh')} * 60 + ${int('om')}) * 60000 END`,
    offsetValid: `(${s}.sign = '' OR (${int('oh')} <= 18 AND ${int('om')} <= 59))`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Calendar and zones

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a valid calendar date, NULL when the fields do not form one. The month and day are
 * checked before make_date sees them: make_date throws on 2026-13-99, and catching that with try() makes DuckDB
 * evaluate the whole vector again row by row, which made each malformed date cost thousands of valid ones.
 * (Years come from at most four digits, well inside make_date's range.)
 */
export function civilDays(derive: Derive, year: string, month: string, day: string): string {
  const [y, m, d] = [derive(year), derive(month), derive(day)];
  const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
  const daysInMonth = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  return `CASE WHEN ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${daysInMonth} THEN date_diff('day', DATE '1970-01-01', make_date(${y}, ${m}, ${d})) END`;
}

/** True when clock fields are a time of day (no 24:00, no leap second). */
export const validClock = (f: Pick<TokenFields, 'hour' | 'minute' | 'second'>): string =>
  `(${f.hour} <= 23 AND ${f.minute} <= 59 AND ${f.second} <= 59)`;

/** Civil milliseconds of a day count and clock fields. */
export const civilMs = (days: string, f: Pick<TokenFields, 'hour' | 'minute' | 'second' | 'millisecond'>): string =>
  `(${days} * ${MS_PER_DAY} + ${f.hour} * 3600000 + ${f.minute} * 60000 + ${f.second} * 1000 + ${f.millisecond})`;

/**
 * Local wall-clock civil ms in `zone` → UTC epoch ms, with local-time.ts's gap and overlap rules. `civil`
 * should be a column: the CASE reads it once per boundary tried, newest first.
 */
export function localToUtcMs(zone: string, civil: string): string {
  const history = zoneHistory(zone);
  const boundaries = localOffsetBoundaries(history);
  if (boundaries.length === 0) return `(${civil} - ${history.initial})`;
  const branches = [...boundaries].reverse().map((b) => `WHEN ${civil} >= ${b.from} THEN ${b.offset}`);
  return `(${civil} - CASE ${branches.join(' ')} ELSE ${history.initial} END)`;
}

/** UTC epoch ms → the civil ms of the wall clock in `zone` (for the business date and local hour). */
export function utcToLocalMs(zone: string, utc: string): string {
  const history = zoneHistory(zone);
  if (history.transitions.length === 0) return `(${utc} + ${history.initial})`;
  const branches = [...history.transitions].reverse().map((t) => `WHEN ${utc} >= ${t.at} THEN ${t.after}`);
  return `(${utc} + CASE ${branches.join(' ')} ELSE ${history.initial} END)`;
}
