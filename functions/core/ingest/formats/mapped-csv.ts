/**
 * The declarative column mapping: any vendor's CSV/TSV export becomes contacts or surveys through a client
 * config alone (`format: mapped-csv` / `mapped-survey-csv`). A mapping is compiled once per file against the
 * file's header — every referenced column resolved, every regex, format and value map prepared — and the
 * compiled `map` then turns one `string[]` record into a draft or a rejection naming the canonical field, the
 * source column and the raw value.
 *
 * Reading rules, per field (documented for config authors in README "Adding a client"):
 * - Cells are trimmed. An empty cell, a cell in `null_values` or matching `null_pattern` means "no value";
 *   "no value" becomes `default` when one is given, else null (a required field then rejects the row).
 *   An explicit `""` key in `map` takes precedence over the empty-cell rule.
 * - `pattern`: the raw value must match or the row is rejected (checked after the null rules).
 * - `map`: raw → canonical value; a raw value missing from the map becomes `default` when given, else rejects.
 * - `fallback`: mappings tried in order when the field's own mapping gives no value.
 * - Durations: `unit` seconds (default), milliseconds, minutes, or hms (`H:MM:SS`, `HH:MM:SS`, `MM:SS`).
 *   A negative duration rejects the row unless `negative_as_null`.
 * - Numbers: see parseDecimal (a comma is a thousands separator only in groups of three; no exponents).
 * - Booleans: a map, or Y/N, yes/no, true/false, 1/0 in any case.
 * - Timestamps: `format` on one column (`iso`, `epoch_s`, `epoch_ms` or a token pattern) or `date` + `time`
 *   in two columns. A value without an offset is local time in the source's `timezone`, else the client's;
 *   an offset or `Z` in the value always wins. `year_offset` is added to the parsed year.
 * - Midnight rollover: a two-column timestamp other than arrived_at that reads the same date column as
 *   arrived_at and comes out more than 12 hours before arrived_at is on the next day (exports that write one
 *   date per call and only clock times wrap calls past midnight to `0:xx:xx`). A time slightly earlier than
 *   arrived_at is clock skew in the source and is kept as it is.
 * - outcome: `outcome_rules` first (ordered, first match wins; a condition's `empty` means an empty cell or
 *   one of the `null_values` that any field declares for that column), then the `outcome` field; when neither
 *   decides, the row is rejected.
 * - Defaults when a field is not mapped: channel = the source's `channel`, direction = inbound,
 *   is_transferred = false, is_resolved / handle_seconds / other optional fields = null (the pipeline computes
 *   handle_seconds from talk + hold + acw).
 */
import type { FieldMapping, SourceConfig } from '../../config/client-config.ts';
import {
  CHANNELS,
  DIRECTIONS,
  OUTCOMES,
  SURVEY_TYPES,
  type Channel,
  type Direction,
  type Outcome,
  type SurveyType,
} from '../../tables.ts';
import { civilToMs, localToEpochMs, type LocalToEpochMs } from '../../time/local-time.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { FileRejectedError, type ContactDraft, type MapResult, type SurveyDraft } from '../types.ts';

export { MappingConfigError };
import {
  compileTokenPattern,
  daysInMonth,
  InvalidFormatError,
  newDateTimeParts,
  parseDecimal,
  parseEpochMillis,
  parseEpochSeconds,
  parseHms,
  parseIso,
  validDateTime,
  type DateTimeParts,
} from './value-parsers.ts';

export type MappedCsvSource = Extract<SourceConfig, { format: 'mapped-csv' }>;
export type MappedSurveyCsvSource = Extract<SourceConfig, { format: 'mapped-survey-csv' }>;

export interface CompiledMapping<T> {
  map(record: string[]): MapResult<T>;
}

type ColumnRef = string | number;

/** Every option a field mapping may carry (the column shorthand is `{ column }`). */
interface MappingSpec {
  column?: ColumnRef | undefined;
  columns?: ColumnRef[] | undefined;
  separator?: string | undefined;
  constant?: string | number | boolean | undefined;
  null_values?: string[] | undefined;
  map?: Record<string, string | boolean | null> | undefined;
  default?: string | boolean | number | null | undefined;
  unit?: 'seconds' | 'milliseconds' | 'minutes' | 'hms' | undefined;
  format?: string | undefined;
  date?: { column: ColumnRef; format: string } | undefined;
  time?: { column: ColumnRef; format: string } | undefined;
  negative_as_null?: boolean | undefined;
  pattern?: string | undefined;
  null_pattern?: string | undefined;
  year_offset?: number | undefined;
  fallback?: MappingSpec[] | undefined;
}

const FAIL: unique symbol = Symbol('fail');
type Fail = typeof FAIL;
type Reader<T> = (record: string[]) => T | null | Fail;

const MAX_SHOWN = 40;
const show = (raw: string): string => JSON.stringify(raw.length > MAX_SHOWN ? `${raw.slice(0, MAX_SHOWN)}…` : raw);
const TWELVE_HOURS = 12 * 3_600_000;

/** State shared by the readers of one compiled mapping. */
class Compiler {
  readonly missing: string[] = [];
  readonly failure = { field: '', reason: '' };
  maxIndex = -1;
  /** null values declared for each column, for `empty` conditions */
  readonly nullsByColumn = new Map<number, Set<string>>();
  /** arrived_at of the row being mapped, in ms, and the date column it came from */
  anchorMs = Number.NaN;
  anchorDateIndex = -1;
  private readonly byName = new Map<string, number>();

  constructor(
    readonly sourceId: string,
    readonly header: string[] | null,
    readonly toMs: LocalToEpochMs,
  ) {
    header?.forEach((name, index) => {
      const clean = (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim();
      if (!this.byName.has(clean)) this.byName.set(clean, index);
    });
  }

  resolve(ref: ColumnRef): number {
    let index: number;
    if (typeof ref === 'number') {
      index = this.header !== null && ref >= this.header.length ? -1 : ref;
      const name = `#${ref} (the header has ${this.header?.length ?? 0} columns)`;
      if (index < 0 && !this.missing.includes(name)) this.missing.push(name);
    } else {
      index = this.byName.get(ref.trim()) ?? -1;
      if (index < 0 && !this.missing.includes(ref)) this.missing.push(ref);
    }
    if (index > this.maxIndex) this.maxIndex = index;
    return index;
  }

  label(ref: ColumnRef): string {
    return typeof ref === 'number' ? `#${ref}${this.header?.[ref] ? ` (${this.header[ref]})` : ''}` : ref;
  }

  noteNulls(index: number, values: readonly string[] | undefined): void {
    if (!values || index < 0) return;
    let set = this.nullsByColumn.get(index);
    if (!set) this.nullsByColumn.set(index, (set = new Set()));
    for (const v of values) set.add(v);
  }

  configError(field: string, reason: string): MappingConfigError {
    return new MappingConfigError(this.sourceId, field, reason);
  }
}

const spec = (mapping: FieldMapping): MappingSpec => mapping;

// ---------------------------------------------------------------------------------------------------------
// Cells: extraction, null rules and pattern, shared by every field type

interface Cell {
  /** trimmed raw value, or null for "no value", or FAIL (pattern mismatch) */
  read(record: string[]): string | null | Fail;
  /** last raw value read, for messages */
  raw: string;
  readonly label: string;
}

/** `trim` only when an end is whitespace: most cells are clean, and this skips the copy. */
const trim = (v: string): string => {
  const n = v.length;
  return n > 0 && (v.charCodeAt(0) <= 32 || v.charCodeAt(n - 1) <= 32) ? v.trim() : v;
};

function compileCell(c: Compiler, field: string, m: MappingSpec, ref: ColumnRef | ColumnRef[], mapHasEmpty: boolean): Cell {
  const refs = Array.isArray(ref) ? ref : [ref];
  const indexes = refs.map((r) => c.resolve(r));
  for (const index of indexes) c.noteNulls(index, m.null_values);
  const label = Array.isArray(ref) ? `columns ${refs.map((r) => c.label(r)).join(' + ')}` : `column ${c.label(ref)}`;
  const separator = m.separator ?? '-';
  const nulls = new Set(m.null_values ?? []);
  const nullRe = m.null_pattern === undefined ? undefined : new RegExp(m.null_pattern, 'u');
  const re = m.pattern === undefined ? undefined : new RegExp(m.pattern, 'u');
  const failure = c.failure;
  const single = indexes.length === 1 ? indexes[0]! : -1;

  const cell: Cell = {
    raw: '',
    label,
    read(record: string[]): string | null | Fail {
      let v: string;
      if (single >= 0) v = trim(record[single]!);
      else {
        v = trim(record[indexes[0]!]!);
        for (let k = 1; k < indexes.length; k++) v += separator + trim(record[indexes[k]!]!);
      }
      cell.raw = v;
      if ((v === '' && !mapHasEmpty) || nulls.has(v) || (nullRe !== undefined && nullRe.test(v))) return null;
      if (re !== undefined && !re.test(v)) {
        failure.field = field;
        failure.reason = `${label} value ${show(v)} does not match the pattern ${m.pattern}`;
        return FAIL;
      }
      return v;
    },
  };
  return cell;
}

const sourceRef = (c: Compiler, field: string, m: MappingSpec): ColumnRef | ColumnRef[] => {
  if (m.columns !== undefined) return m.columns;
  if (m.column !== undefined) return m.column;
  throw c.configError(field, 'needs a column, columns, constant, or date and time');
};

const failWith = (c: Compiler, field: string, reason: string): Fail => {
  c.failure.field = field;
  c.failure.reason = reason;
  return FAIL;
};

/** Runs the field's own reader, then its fallbacks in order while they give no value. */
function withFallbacks<T>(c: Compiler, field: string, m: MappingSpec, build: (m: MappingSpec) => Reader<T>): Reader<T> {
  const first = build(m);
  if (!m.fallback?.length) return first;
  const rest = m.fallback.map((f) => build({ ...f, fallback: undefined }));
  return (record) => {
    let v = first(record);
    for (let k = 0; v === null && k < rest.length; k++) v = rest[k]!(record);
    return v;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Field types

/** Strings and enums: value map, default, and (for enums) membership in the canonical values. */
function compileText<T extends string>(
  c: Compiler,
  field: string,
  m: MappingSpec,
  allowed?: readonly T[],
): Reader<T> {
  const allowedSet = allowed ? new Set<string>(allowed) : undefined;
  const check = (value: unknown, what: string): T | null => {
    if (value === null) return null;
    if (typeof value === 'boolean' || (typeof value === 'number' && allowedSet)) {
      throw c.configError(field, `${what} ${String(value)} is not text`);
    }
    const text = String(value);
    if (allowedSet && !allowedSet.has(text)) {
      throw c.configError(field, `${what} "${text}" is not one of ${[...allowedSet].join(', ')}`);
    }
    return text as T;
  };
  return withFallbacks(c, field, m, (m) => {
    if (m.constant !== undefined) {
      const constant = check(m.constant, 'constant');
      return () => constant;
    }
    const map = m.map ? new Map(Object.entries(m.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : undefined;
    const hasDefault = m.default !== undefined;
    const fallbackValue = hasDefault ? check(m.default, 'default') : null;
    const cell = compileCell(c, field, m, sourceRef(c, field, m), map?.has('') ?? false);
    const expected = allowedSet ? [...allowedSet].join(', ') : '';
    const mapKeys = map ? [...map.keys()].map((k) => JSON.stringify(k)).join(', ') : '';
    return (record) => {
      const v = cell.read(record);
      if (v === null) return fallbackValue;
      if (v === FAIL) return FAIL;
      if (map !== undefined) {
        const mapped = map.get(v);
        if (mapped !== undefined) return mapped;
        if (hasDefault) return fallbackValue;
        return failWith(c, field, `${cell.label} value ${show(v)} is not in the map (${mapKeys})`);
      }
      if (allowedSet !== undefined && !allowedSet.has(v)) {
        return failWith(c, field, `${cell.label} value ${show(v)} is not one of ${expected}`);
      }
      return v as T;
    };
  });
}

const TRUE_WORDS = new Set(['y', 'yes', 'true', '1', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'false', '0', 'f']);

function compileBoolean(c: Compiler, field: string, m: MappingSpec): Reader<boolean> {
  const check = (value: unknown, what: string): boolean | null => {
    if (value === null || typeof value === 'boolean') return value;
    throw c.configError(field, `${what} ${JSON.stringify(value)} is not true, false or null`);
  };
  return withFallbacks(c, field, m, (m) => {
    if (m.constant !== undefined) {
      const constant = check(m.constant, 'constant');
      return () => constant;
    }
    const map = m.map ? new Map(Object.entries(m.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : undefined;
    const hasDefault = m.default !== undefined;
    const fallbackValue = hasDefault ? check(m.default, 'default') : null;
    const cell = compileCell(c, field, m, sourceRef(c, field, m), map?.has('') ?? false);
    return (record) => {
      const v = cell.read(record);
      if (v === null) return fallbackValue;
      if (v === FAIL) return FAIL;
      if (map !== undefined) {
        const mapped = map.get(v);
        if (mapped !== undefined) return mapped;
      } else {
        const lower = v.toLowerCase();
        if (TRUE_WORDS.has(lower)) return true;
        if (FALSE_WORDS.has(lower)) return false;
      }
      if (hasDefault) return fallbackValue;
      return failWith(c, field, `${cell.label} value ${show(v)} is not a yes/no value${map ? ' in the map' : ''}`);
    };
  });
}

/** Durations (with `unit`) and plain numbers such as scores (`unit` undefined, sign allowed). */
function compileNumber(c: Compiler, field: string, m: MappingSpec, duration: boolean): Reader<number> {
  return withFallbacks(c, field, m, (m) => {
    if (m.map !== undefined) throw c.configError(field, 'a value map is not supported for numbers');
    if (m.constant !== undefined) {
      if (typeof m.constant !== 'number') throw c.configError(field, `constant ${JSON.stringify(m.constant)} is not a number`);
      const constant = m.constant;
      return () => constant;
    }
    if (m.default !== undefined && m.default !== null && typeof m.default !== 'number') {
      throw c.configError(field, `default ${JSON.stringify(m.default)} is not a number`);
    }
    const fallbackValue = m.default ?? null;
    const unit = m.unit ?? 'seconds';
    if (!duration && m.unit !== undefined) throw c.configError(field, 'unit applies to durations only');
    const factor = unit === 'milliseconds' ? 0.001 : unit === 'minutes' ? 60 : 1;
    const hms = unit === 'hms';
    const negativeAsNull = m.negative_as_null === true;
    const cell = compileCell(c, field, m, sourceRef(c, field, m), false);
    const what = hms ? 'a duration H:MM:SS' : duration ? `a number of ${unit}` : 'a number';
    return (record) => {
      const v = cell.read(record);
      if (v === null) return fallbackValue;
      if (v === FAIL) return FAIL;
      const parsed = hms ? parseHms(v) : parseDecimal(v);
      if (Number.isNaN(parsed)) return failWith(c, field, `${cell.label} value ${show(v)} is not ${what}`);
      if (duration && parsed < 0) {
        if (negativeAsNull) return null;
        return failWith(c, field, `${cell.label} value ${show(v)} is a negative duration`);
      }
      return factor === 1 ? parsed : parsed * factor;
    };
  });
}

/** Timestamps in epoch ms. `anchored`: may roll over past midnight relative to arrived_at. */
function compileTimestamp(c: Compiler, field: string, m: MappingSpec, anchored: boolean): Reader<number> {
  const toMs = c.toMs;
  const badFormat = (format: string, error: unknown): MappingConfigError =>
    c.configError(field, error instanceof InvalidFormatError ? error.message : `format "${format}" cannot be read`);
  return withFallbacks(c, field, m, (m) => {
    if (m.constant !== undefined || m.map !== undefined) {
      throw c.configError(field, 'a timestamp is read from columns, not a constant or a value map');
    }
    if (m.default !== undefined && m.default !== null) throw c.configError(field, 'a timestamp default can only be null');
    const yearOffset = m.year_offset ?? 0;
    const parts = newDateTimeParts();

    /** local or offset parts → ms; NaN when the calendar fields are out of range */
    const toInstant = (p: DateTimeParts): number => {
      p.year += yearOffset;
      if (!validDateTime(p)) return Number.NaN;
      return p.hasOffset
        ? civilToMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond) - p.offsetMs
        : toMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond);
    };

    if (m.date !== undefined || m.time !== undefined) {
      if (m.date === undefined || m.time === undefined) throw c.configError(field, 'date and time go together');
      if (m.format !== undefined || m.column !== undefined) {
        throw c.configError(field, 'give either column + format or date + time, not both');
      }
      const datePattern = (() => {
        try {
          return compileTokenPattern(m.date.format);
        } catch (error) {
          throw badFormat(m.date.format, error);
        }
      })();
      const timePattern = (() => {
        try {
          return compileTokenPattern(m.time.format);
        } catch (error) {
          throw badFormat(m.time.format, error);
        }
      })();
      if (!datePattern.hasDate || datePattern.hasTime) throw c.configError(field, `date format "${m.date.format}" is not a date`);
      if (!timePattern.hasTime || timePattern.hasDate) throw c.configError(field, `time format "${m.time.format}" is not a time`);
      const dateCell = compileCell(c, field, m, m.date.column, false);
      const timeCell = compileCell(c, field, m, m.time.column, false);
      const timeParts = newDateTimeParts();
      /** the date cell last parsed into `parts`: consecutive rows mostly share a date */
      let lastDate = '';
      const dateIndex = c.resolve(m.date.column);
      const dateFormat = m.date.format;
      const timeFormat = m.time.format;
      return (record) => {
        const d = dateCell.read(record);
        if (d === FAIL) return FAIL;
        const t = timeCell.read(record);
        if (t === FAIL) return FAIL;
        if (d === null || t === null) return null;
        if (d !== lastDate) {
          lastDate = '';
          if (!datePattern.parse(d, parts)) {
            return failWith(c, field, `${dateCell.label} value ${show(d)} is not a date in format ${dateFormat}`);
          }
          parts.year += yearOffset;
          lastDate = d;
        }
        if (!timePattern.parse(t, timeParts) || timeParts.hour > 23 || timeParts.minute > 59 || timeParts.second > 59) {
          return failWith(c, field, `${timeCell.label} value ${show(t)} is not a time in format ${timeFormat}`);
        }
        if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth(parts.year, parts.month)) {
          const shifted = yearOffset === 0 ? '' : ` (year shifted by ${yearOffset})`;
          return failWith(c, field, `${dateCell.label} value ${show(d)} is not a date in format ${dateFormat}${shifted}`);
        }
        const { year, month, day } = parts;
        const { hour, minute, second, millisecond } = timeParts;
        let ms = toMs(year, month, day, hour, minute, second, millisecond);
        if (anchored && dateIndex === c.anchorDateIndex && ms < c.anchorMs - TWELVE_HOURS) {
          ms = toMs(year, month, day + 1, hour, minute, second, millisecond);
        }
        return ms;
      };
    }

    const format = m.format ?? 'iso';
    const cell = compileCell(c, field, m, sourceRef(c, field, m), false);
    if (format === 'epoch_s' || format === 'epoch_ms') {
      const parse = format === 'epoch_s' ? parseEpochSeconds : parseEpochMillis;
      return (record) => {
        const v = cell.read(record);
        if (v === null || v === FAIL) return v;
        const ms = parse(v);
        if (Number.isNaN(ms)) return failWith(c, field, `${cell.label} value ${show(v)} is not ${format} (${format === 'epoch_s' ? 'seconds' : 'milliseconds'} since 1970)`);
        return ms;
      };
    }
    let parse: (s: string, out: DateTimeParts) => boolean;
    if (format === 'iso') parse = parseIso;
    else {
      let pattern;
      try {
        pattern = compileTokenPattern(format);
      } catch (error) {
        throw badFormat(format, error);
      }
      if (!pattern.hasDate) throw c.configError(field, `format "${format}" has no date: use date + time`);
      parse = pattern.parse;
    }
    const what = format === 'iso' ? 'an ISO 8601 timestamp' : `a timestamp in format ${format}`;
    return (record) => {
      const v = cell.read(record);
      if (v === null || v === FAIL) return v;
      const ms = parse(v, parts) ? toInstant(parts) : Number.NaN;
      if (Number.isNaN(ms)) return failWith(c, field, `${cell.label} value ${show(v)} is not ${what}`);
      return ms;
    };
  });
}

/** The date column a two-column timestamp reads, for the midnight rollover (-1 otherwise). */
const dateColumnIndex = (c: Compiler, m: MappingSpec | undefined): number =>
  m?.date !== undefined ? c.resolve(m.date.column) : -1;

// ---------------------------------------------------------------------------------------------------------
// Outcome rules

interface CompiledCondition {
  index: number;
  label: string;
  equals: string | undefined;
  within: Set<string> | undefined;
  empty: boolean | undefined;
}

function compileRules(c: Compiler, rules: MappedCsvSource['outcome_rules']): { conditions: CompiledCondition[]; then: Outcome }[] {
  return rules.map((rule, r) => ({
    then: rule.then,
    conditions: rule.when.map((cond) => {
      if (cond.equals === undefined && cond.in === undefined && cond.empty === undefined) {
        throw c.configError(`outcome_rules[${r}]`, `the condition on ${c.label(cond.column)} needs equals, in or empty`);
      }
      return {
        index: c.resolve(cond.column),
        label: c.label(cond.column),
        equals: cond.equals,
        within: cond.in === undefined ? undefined : new Set(cond.in),
        empty: cond.empty,
      };
    }),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Contacts

const isFail = (v: unknown): v is Fail => v === FAIL;

/** Where a required field is read from, for "is empty" reasons. */
const describe = (c: Compiler, m: FieldMapping): string => {
  const x = spec(m);
  if (x.date !== undefined && x.time !== undefined) return `columns ${c.label(x.date.column)} + ${c.label(x.time.column)}`;
  if (x.columns !== undefined) return `columns ${x.columns.map((r) => c.label(r)).join(' + ')}`;
  return x.column === undefined ? 'the constant' : `column ${c.label(x.column)}`;
};

function finish(c: Compiler, file: string): void {
  if (c.missing.length > 0) {
    const found = c.header === null ? 'the file has no header row: refer to columns by 0-based position' : `header found: ${c.header.join(' | ')}`;
    throw new FileRejectedError(file, `source ${c.sourceId}: missing column${c.missing.length > 1 ? 's' : ''} ${c.missing.join(', ')}; ${found}`);
  }
}

function rowTooShort(c: Compiler, record: string[]): MapResult<never> {
  return {
    ok: false,
    rejection: {
      field: '(row)',
      reason: `the row has ${record.length} column${record.length === 1 ? '' : 's'}, the mapping reads column ${c.maxIndex + 1}${c.header?.[c.maxIndex] ? ` (${c.header[c.maxIndex]})` : ''}`,
    },
  };
}

/**
 * Compiles a `mapped-csv` source against one file's header. Throws FileRejectedError listing every missing
 * column, MappingConfigError when the mapping itself cannot work.
 */
export function compileContactMapping(
  source: MappedCsvSource,
  header: string[] | null,
  clientZone: string,
  file = `source ${source.id}`,
): CompiledMapping<ContactDraft> {
  const c = new Compiler(source.id, header, localToEpochMs(source.timezone ?? clientZone));
  const f = source.fields;
  const optionalText = (name: string, m: FieldMapping | undefined): Reader<string> =>
    m === undefined ? () => null : compileText<string>(c, name, spec(m));
  const optionalDuration = (name: string, m: FieldMapping | undefined): Reader<number> =>
    m === undefined ? () => null : compileNumber(c, name, spec(m), true);
  const optionalTime = (name: string, m: FieldMapping | undefined): Reader<number> =>
    m === undefined ? () => null : compileTimestamp(c, name, spec(m), true);

  const contactId = compileText<string>(c, 'contact_id', spec(f.contact_id));
  let channel: Reader<Channel>;
  if (f.channel !== undefined) channel = compileText(c, 'channel', spec(f.channel), CHANNELS);
  else if (source.channel !== undefined) {
    const constant = source.channel;
    channel = () => constant;
  } else throw c.configError('channel', 'set the source\'s channel or map a channel column');
  const direction: Reader<Direction> = f.direction === undefined ? () => 'inbound' : compileText(c, 'direction', spec(f.direction), DIRECTIONS);
  const queue = optionalText('queue', f.queue);
  const category = optionalText('category', f.category);
  const subcategory = optionalText('subcategory', f.subcategory);
  const customer = optionalText('customer', f.customer);
  const agentId = optionalText('agent_id', f.agent_id);
  const arrivedAt = compileTimestamp(c, 'arrived_at', spec(f.arrived_at), false);
  const arrivedDateIndex = dateColumnIndex(c, spec(f.arrived_at));
  const answeredAt = optionalTime('answered_at', f.answered_at);
  const endedAt = optionalTime('ended_at', f.ended_at);
  const ivr = optionalDuration('ivr_seconds', f.ivr_seconds);
  const wait = optionalDuration('wait_seconds', f.wait_seconds);
  const talk = optionalDuration('talk_seconds', f.talk_seconds);
  const hold = optionalDuration('hold_seconds', f.hold_seconds);
  const acw = optionalDuration('acw_seconds', f.acw_seconds);
  const handle = optionalDuration('handle_seconds', f.handle_seconds);
  const outcomeField: Reader<Outcome> | undefined = f.outcome === undefined ? undefined : compileText(c, 'outcome', spec(f.outcome), OUTCOMES);
  const isTransferred = f.is_transferred === undefined ? () => false : compileBoolean(c, 'is_transferred', spec(f.is_transferred));
  const isResolved = f.is_resolved === undefined ? () => null : compileBoolean(c, 'is_resolved', spec(f.is_resolved));
  const rules = compileRules(c, source.outcome_rules);
  if (outcomeField === undefined && rules.length === 0) {
    throw c.configError('outcome', 'map an outcome column or give outcome_rules');
  }
  finish(c, file);

  const ruleColumns = [...new Map(rules.flatMap((r) => r.conditions.map((k) => [k.index, k.label] as const))).entries()];
  const nulls = c.nullsByColumn;
  const isEmpty = (index: number, v: string): boolean => v === '' || (nulls.get(index)?.has(v) ?? false);
  const decideByRules = (record: string[]): Outcome | undefined => {
    for (const rule of rules) {
      let all = true;
      for (const k of rule.conditions) {
        const v = trim(record[k.index]!);
        if (
          (k.equals !== undefined && v !== k.equals) ||
          (k.within !== undefined && !k.within.has(v)) ||
          (k.empty !== undefined && isEmpty(k.index, v) !== k.empty)
        ) {
          all = false;
          break;
        }
      }
      if (all) return rule.then;
    }
    return undefined;
  };
  const failure = c.failure;
  const rejected = (): MapResult<ContactDraft> => ({ ok: false, rejection: { field: failure.field, reason: failure.reason } });
  const requiredMissing = (field: string, from: string): MapResult<ContactDraft> => ({
    ok: false,
    rejection: { field, reason: `${from}: empty or a null value; ${field} is required` },
  });
  const contactIdFrom = describe(c, f.contact_id);
  const arrivedFrom = describe(c, f.arrived_at);
  const channelFrom = f.channel === undefined ? 'the source channel' : describe(c, f.channel);
  const maxIndex = c.maxIndex;

  return {
    map(record: string[]): MapResult<ContactDraft> {
      if (record.length <= maxIndex) return rowTooShort(c, record);
      const contact_id = contactId(record);
      if (isFail(contact_id)) return rejected();
      if (contact_id === null) return requiredMissing('contact_id', contactIdFrom);
      const arrived = arrivedAt(record);
      if (isFail(arrived)) return rejected();
      if (arrived === null) return requiredMissing('arrived_at', arrivedFrom);
      c.anchorMs = arrived;
      c.anchorDateIndex = arrivedDateIndex;
      const ch = channel(record);
      if (isFail(ch)) return rejected();
      if (ch === null) return requiredMissing('channel', channelFrom);
      const dir = direction(record);
      if (isFail(dir)) return rejected();
      const q = queue(record);
      if (isFail(q)) return rejected();
      const cat = category(record);
      if (isFail(cat)) return rejected();
      const sub = subcategory(record);
      if (isFail(sub)) return rejected();
      const cust = customer(record);
      if (isFail(cust)) return rejected();
      const agent = agentId(record);
      if (isFail(agent)) return rejected();
      const answered = answeredAt(record);
      if (isFail(answered)) return rejected();
      const ended = endedAt(record);
      if (isFail(ended)) return rejected();
      const ivrSeconds = ivr(record);
      if (isFail(ivrSeconds)) return rejected();
      const waitSeconds = wait(record);
      if (isFail(waitSeconds)) return rejected();
      const talkSeconds = talk(record);
      if (isFail(talkSeconds)) return rejected();
      const holdSeconds = hold(record);
      if (isFail(holdSeconds)) return rejected();
      const acwSeconds = acw(record);
      if (isFail(acwSeconds)) return rejected();
      const handleSeconds = handle(record);
      if (isFail(handleSeconds)) return rejected();
      let outcome: Outcome | null | Fail = rules.length > 0 ? (decideByRules(record) ?? null) : null;
      if (outcome === null && outcomeField !== undefined) {
        outcome = outcomeField(record);
        if (isFail(outcome)) return rejected();
      }
      if (outcome === null) {
        const seen = ruleColumns.map(([index, label]) => `${label}=${show(record[index]!.trim())}`).join(', ');
        return {
          ok: false,
          rejection: {
            field: 'outcome',
            reason: `no outcome rule matches (${seen})${outcomeField === undefined ? ' and no outcome column is mapped' : ' and the outcome column is empty'}`,
          },
        };
      }
      const transferred = isTransferred(record);
      if (isFail(transferred)) return rejected();
      const resolved = isResolved(record);
      if (isFail(resolved)) return rejected();
      return {
        ok: true,
        value: {
          contact_id,
          channel: ch,
          direction: dir ?? 'inbound',
          queue: q,
          category: cat,
          subcategory: sub,
          customer_raw: cust,
          agent_id: agent,
          arrived_at: new Date(arrived),
          answered_at: answered === null ? null : new Date(answered),
          ended_at: ended === null ? null : new Date(ended),
          ivr_seconds: ivrSeconds,
          wait_seconds: waitSeconds,
          talk_seconds: talkSeconds,
          hold_seconds: holdSeconds,
          acw_seconds: acwSeconds,
          handle_seconds: handleSeconds,
          outcome,
          is_transferred: transferred ?? false,
          is_resolved: resolved,
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Surveys

/**
 * Compiles a `mapped-survey-csv` source. The scale comes from scale_min/scale_max columns when mapped, else
 * from the source's `scales` for the row's survey type; a score outside the scale rejects the row.
 */
export function compileSurveyMapping(
  source: MappedSurveyCsvSource,
  header: string[] | null,
  clientZone: string,
  file = `source ${source.id}`,
): CompiledMapping<SurveyDraft> {
  const c = new Compiler(source.id, header, localToEpochMs(source.timezone ?? clientZone));
  const f = source.fields;
  const surveyId = compileText<string>(c, 'survey_id', spec(f.survey_id));
  const contactId: Reader<string> = f.contact_id === undefined ? () => null : compileText<string>(c, 'contact_id', spec(f.contact_id));
  const channel: Reader<Channel> = f.channel === undefined ? () => null : compileText(c, 'channel', spec(f.channel), CHANNELS);
  const agentId: Reader<string> = f.agent_id === undefined ? () => null : compileText<string>(c, 'agent_id', spec(f.agent_id));
  const surveyType = compileText(c, 'survey_type', spec(f.survey_type), SURVEY_TYPES);
  const score = compileNumber(c, 'score', spec(f.score), false);
  const scaleMin: Reader<number> = f.scale_min === undefined ? () => null : compileNumber(c, 'scale_min', spec(f.scale_min), false);
  const scaleMax: Reader<number> = f.scale_max === undefined ? () => null : compileNumber(c, 'scale_max', spec(f.scale_max), false);
  const comment: Reader<string> = f.comment === undefined ? () => null : compileText<string>(c, 'comment', spec(f.comment));
  const respondedAt = compileTimestamp(c, 'responded_at', spec(f.responded_at), false);
  finish(c, file);

  const scales = source.scales;
  const failure = c.failure;
  const rejected = (): MapResult<SurveyDraft> => ({ ok: false, rejection: { field: failure.field, reason: failure.reason } });
  const reject = (field: string, reason: string): MapResult<SurveyDraft> => ({ ok: false, rejection: { field, reason } });
  const empty = (field: string, m: FieldMapping): MapResult<SurveyDraft> =>
    reject(field, `${describe(c, m)}: empty or a null value; ${field} is required`);
  const maxIndex = c.maxIndex;

  return {
    map(record: string[]): MapResult<SurveyDraft> {
      if (record.length <= maxIndex) return rowTooShort(c, record);
      const survey_id = surveyId(record);
      if (isFail(survey_id)) return rejected();
      if (survey_id === null) return empty('survey_id', f.survey_id);
      const contact = contactId(record);
      if (isFail(contact)) return rejected();
      const ch = channel(record);
      if (isFail(ch)) return rejected();
      const agent = agentId(record);
      if (isFail(agent)) return rejected();
      const type = surveyType(record);
      if (isFail(type)) return rejected();
      if (type === null) return empty('survey_type', f.survey_type);
      const value = score(record);
      if (isFail(value)) return rejected();
      if (value === null) return empty('score', f.score);
      let min = scaleMin(record);
      if (isFail(min)) return rejected();
      let max = scaleMax(record);
      if (isFail(max)) return rejected();
      const configured = scales[type as SurveyType];
      min ??= configured?.min ?? null;
      max ??= configured?.max ?? null;
      if (min === null || max === null) {
        return reject('scale_min', `no scale for survey type ${type}: map scale_min/scale_max or add scales.${type} to the source`);
      }
      if (value < min || value > max) return reject('score', `score ${value} is outside the ${type} scale ${min}–${max}`);
      const text = comment(record);
      if (isFail(text)) return rejected();
      const responded = respondedAt(record);
      if (isFail(responded)) return rejected();
      if (responded === null) return empty('responded_at', f.responded_at);
      return {
        ok: true,
        value: {
          survey_id,
          contact_id: contact,
          channel: ch,
          agent_id: agent,
          survey_type: type,
          score: value,
          scale_min: min,
          scale_max: max,
          comment: text,
          responded_at: new Date(responded),
        },
      };
    },
  };
}
