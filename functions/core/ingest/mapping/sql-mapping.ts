/**
 * The declarative column mapping, compiled to one SQL SELECT over the record file (`records`: `__line`,
 * `c0`…`cN`, all text). Everything a config decides — which columns, which rules, which maps and formats — is
 * resolved here, once per file, against the file's header; the engine then reads every row column by column.
 * `config check` runs the same compiler without data.
 *
 * The SELECT gives, per record, the draft row (timestamps as UTC epoch milliseconds) and, for a row that cannot
 * be read, `__field` and `__reason` naming the canonical field, the source column and the raw value, with
 * `__raw` holding the record's fields for the quarantine. A row is rejected for the first failing field, in
 * the order the fields are listed in docs/sources.md.
 *
 * Reading rules, per field (documented for config authors in docs/sources.md):
 * - Cells are trimmed of every Unicode space (NBSP and the BOM included). An empty cell, a cell in
 *   `null_values` or matching `null_pattern` means "no value"; "no value" becomes `default` when one is given,
 *   else null (a required field then rejects the row). An explicit `""` key in `map` takes precedence over the
 *   empty-cell rule.
 * - `pattern`: the raw value must match or the row is rejected (checked after the null rules).
 * - Ids, queue, categories, agent and comment longer than their column's limit (tables.ts TEXT_LENGTH_LIMITS:
 *   256, 200 or 2,000 characters) reject the row; the reason gives the length, not the value.
 * - `map`: raw → canonical value; a raw value missing from the map becomes `default` when given, else rejects.
 * - `fallback`: mappings tried in order when the field's own mapping gives no value.
 * - Durations: `unit` seconds (default), milliseconds, minutes, or hms (`H:MM:SS`, `HH:MM:SS`, `MM:SS`).
 *   A negative duration rejects the row unless `negative_as_null`.
 * - Numbers: a comma is a thousands separator only in groups of three; no exponents.
 * - Booleans: a map, or Y/N, yes/no, true/false, 1/0, t/f in any case.
 * - Timestamps: `format` on one column (`iso`, `epoch_s`, `epoch_ms` or a token pattern) or `date` + `time`
 *   in two columns. A value without an offset is local time in the source's `timezone`, else the client's;
 *   an offset or `Z` in the value always wins. `year_offset` is added to the parsed year.
 * - Midnight rollover: a two-column timestamp other than arrived_at that reads the same date column as
 *   arrived_at and comes out more than 12 hours before arrived_at is on the next day.
 * - outcome: `outcome_rules` first (ordered, first match wins; a condition's `empty` means an empty cell or
 *   one of the `null_values` that any field declares for that column), then the `outcome` field; when neither
 *   decides, the row is rejected.
 * - `when`: the mapping gives a value only on rows where its conditions hold (else no value: fallbacks next).
 * - `extract`: the first capture group of a regex (or the whole match) is the value; no match rejects.
 * - `map` on a number or duration replaces the raw values it lists; every other value is read as a number.
 * - `minus`: a duration column minus another in the same unit; `plus`: a timestamp plus a duration column.
 *   `unit: days` is a spreadsheet's fraction of a day (to the millisecond), `dhms` reads `1d 2h 3m 4s`;
 *   `format: excel` a spreadsheet's date serial on the source zone's wall clock.
 * - `between: [a, b]`: a duration from timestamp field a to b, computed in the finishing stage
 *   (finishContactsSql) on the contact's own times, so for a source with call legs after the legs are grouped
 *   (assembly/group-legs.ts); `between` alternatives and column reads of one field keep their order.
 * - Defaults when a field is not mapped: channel = the source's `channel`, direction = inbound,
 *   is_transferred = false, is_resolved / handle_seconds / other optional fields = null; handle_seconds
 *   unmapped is talk + hold + acw, also computed in the finishing stage.
 */
import { re2GroupCount } from '../../config/re2-pattern.ts';
import { maskedHeader } from '../file-messages.ts';
import { TIMESTAMP_FIELDS, type FieldMapping, type LegRule, type SourceConfig } from '../../config/client-config.ts';
import { CHANNELS, DIRECTIONS, OUTCOMES, SURVEY_TYPES, TEXT_LENGTH_LIMITS, type LimitedTextColumn } from '../../tables.ts';
import { FileRejectedError } from '../types.ts';
import type { CustomerKeyScope } from '../customer-key.ts';
import { customerDigitsSql, shortcutNormalizedSql } from './customer-key-sql.ts';
import { InvalidFormatError, MappingConfigError } from './errors.ts';
import { jsNumberText, showSql, sqlLiteral, sqlNumber, sqlString } from './sql-text.ts';
import {
  civilDays,
  civilMs,
  decimalValue,
  epochMsValue,
  epochSecondsValue,
  hmsValue,
  isoFields,
  localToUtcMs,
  utcToLocalMs,
  tokenFields,
  tokenRegex,
  trimmedCell,
  validClock,
  type TokenFields,
  type TokenRegex,
} from './sql-values.ts';

export type MappedCsvSource = Extract<SourceConfig, { format: 'mapped-csv' }>;
export type MappedSurveyCsvSource = Extract<SourceConfig, { format: 'mapped-survey-csv' }>;
/** What the contacts compiler reads of a mapped source, whatever its file format. */
export type MappedContactsSource = Pick<MappedCsvSource, 'id' | 'fields' | 'outcome_rules' | 'channel' | 'timezone' | 'legs'> & {
  delimiter?: string;
};
type Condition = MappedCsvSource['outcome_rules'][number]['when'][number];
export type LegsConfig = NonNullable<MappedCsvSource['legs']>;

/** The draft columns the contacts SELECT gives (besides `__line`, `__field`, `__reason`, `__raw`). */
export const CONTACT_DRAFT_COLUMNS = [
  'contact_id',
  'channel',
  'direction',
  'queue',
  'category',
  'subcategory',
  'customer_raw',
  'agent_id',
  'arrived_ms',
  'answered_ms',
  'ended_ms',
  'ivr_seconds',
  'wait_seconds',
  'talk_seconds',
  'hold_seconds',
  'acw_seconds',
  'handle_seconds',
  'outcome',
  'is_transferred',
  'is_resolved',
  'updated_ms',
  'wait_min_seconds',
  'wait_max_seconds',
] as const;

export const SURVEY_DRAFT_COLUMNS = [
  'survey_id',
  'contact_id',
  'channel',
  'agent_id',
  'survey_type',
  'score',
  'scale_min',
  'scale_max',
  'comment',
  'responded_ms',
] as const;

export interface SqlMapping {
  /** 0-based source columns the mapping reads */
  columns: ReadonlySet<number>;
  /**
   * SELECT over `records`; see the module comment. For a source with `legs` it gives one row per leg, with
   * `__key`, `__parent`, `__answered`, `__prefer` and `__raw` on every row, for assembly/group-legs.ts.
   */
  select: string;
  /** present when the source groups call legs into contacts */
  legs?: LegsSql;
}

/** What group-legs.ts needs from the compiled mapping to assemble contacts from leg rows. */
export interface LegsSql {
  config: LegsConfig;
  /** the rule of every draft column (`arrived_ms`, `customer_raw`, …), defaults filled in */
  rules: Record<string, LegRule>;
  /** the finishing SELECT (derived values, checks, dt, local_hour) over a relation of assembled contacts */
  finish: (relation: string) => string;
  /** how the key is shown in reasons, e.g. `column linkedid` */
  keyLabel: string;
}

type ColumnRef = string | number;

/** Every option a field mapping may carry (the column shorthand is `{ column }`). */
interface MappingSpec {
  column?: ColumnRef | undefined;
  columns?: ColumnRef[] | undefined;
  separator?: string | undefined;
  constant?: string | number | boolean | undefined;
  null_values?: string[] | undefined;
  map?: Record<string, string | boolean | number | null> | undefined;
  default?: string | boolean | number | null | undefined;
  unit?: DurationUnit | undefined;
  format?: string | undefined;
  date?: { column: ColumnRef; format: string } | undefined;
  time?: { column: ColumnRef; format: string } | undefined;
  negative_as_null?: boolean | undefined;
  pattern?: string | undefined;
  null_pattern?: string | undefined;
  year_offset?: number | undefined;
  extract?: string | undefined;
  when?: Condition[] | undefined;
  between?: [TimestampField, TimestampField] | undefined;
  minus?: ColumnRef | undefined;
  plus?: ColumnRef | { column: ColumnRef; unit?: DurationUnit | undefined } | undefined;
  fallback?: MappingSpec[] | undefined;
  brackets?: Record<string, [number, number | null] | null> | undefined;
}
type DurationUnit = 'seconds' | 'milliseconds' | 'minutes' | 'hms' | 'dhms' | 'days';
type TimestampField = (typeof TIMESTAMP_FIELDS)[number];
/** The staged column of each timestamp field (epoch ms). */
const MS_COLUMN: Record<TimestampField, string> = { arrived_at: 'arrived_ms', answered_at: 'answered_ms', ended_at: 'ended_ms', updated_at: 'updated_ms' };
const spec = (mapping: FieldMapping): MappingSpec => mapping;

/** A field's SQL: its value and, when it can fail, the reason (NULL when it does not). */
interface Read {
  value: string;
  fail: string | null;
}

const TWELVE_HOURS = 12 * 3_600_000;
const DAY = 86_400_000;

/**
 * The SELECT being built: trimmed cells first, then derived columns in as many layers as their dependencies
 * need, so every regular expression and every parsed value is computed once per row.
 */
class Plan {
  readonly missing: string[] = [];
  /** null values declared for each column, for `empty` conditions */
  readonly nullsByColumn = new Map<number, Set<string>>();
  readonly cells = new Map<number, string>();
  private readonly derived = new Map<string, { name: string; level: number }>();
  private readonly levels: { name: string; expression: string }[][] = [];
  private readonly byName = new Map<string, number>();

  constructor(
    readonly sourceId: string,
    readonly header: string[] | null,
    readonly width: number,
    readonly zone: string,
  ) {
    header?.forEach((name, index) => {
      const clean = (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim();
      if (!this.byName.has(clean)) this.byName.set(clean, index);
    });
  }

  resolve(ref: ColumnRef): number {
    let index: number;
    if (typeof ref === 'number') {
      index = ref >= this.width ? -1 : ref;
      const name = `#${ref} (the file has ${this.width} columns)`;
      if (index < 0 && !this.missing.includes(name)) this.missing.push(name);
    } else {
      index = this.byName.get(ref.trim()) ?? -1;
      if (index < 0 && !this.missing.includes(ref)) this.missing.push(ref);
    }
    return index;
  }

  /** The trimmed cell of a source column (a harmless NULL for a missing one: the file is rejected anyway). */
  cell(ref: ColumnRef): string {
    const index = this.resolve(ref);
    if (index < 0) return 'CAST(NULL AS VARCHAR)';
    let name = this.cells.get(index);
    if (name === undefined) {
      name = `k${index}`;
      this.cells.set(index, name);
    }
    return name;
  }

  label(ref: ColumnRef): string {
    return typeof ref === 'number' ? `#${ref}${this.header?.[ref] ? ` (${this.header[ref]})` : ''}` : ref;
  }

  noteNulls(ref: ColumnRef, values: readonly string[] | undefined, quietly = false): void {
    // quietly: ahead of compiling, without reporting a missing column out of the fields' order
    const index = quietly ? (typeof ref === 'number' ? (ref < this.width ? ref : -1) : (this.byName.get(ref.trim()) ?? -1)) : this.resolve(ref);
    if (!values || index < 0) return;
    let set = this.nullsByColumn.get(index);
    if (!set) this.nullsByColumn.set(index, (set = new Set()));
    for (const v of values) set.add(v);
  }

  /** True when a cell is empty or one of the null values any field declares for its column. */
  emptyOf(ref: ColumnRef): string {
    const cell = this.cell(ref);
    const nulls = this.nullsByColumn.get(this.resolve(ref));
    return nulls?.size ? `(${cell} IS NULL OR ${cell} IN (${[...nulls].map(sqlString).join(', ')}))` : `(${cell} IS NULL)`;
  }

  /** SQL that is true when every condition holds (outcome rules, `when`, legs' `answered` and `prefer`). */
  conditions(where: string, conds: readonly Condition[]): string {
    return conds
      .map((cond) => {
        if (cond.equals === undefined && cond.in === undefined && cond.empty === undefined && cond.matches === undefined) {
          throw this.configError(where, `the condition on ${this.label(cond.column)} needs equals, in, empty or matches`);
        }
        const cell = this.cell(cond.column);
        const parts: string[] = [];
        if (cond.equals !== undefined) parts.push(`coalesce(${cell}, '') = ${sqlString(cond.equals)}`);
        if (cond.in !== undefined) parts.push(`coalesce(${cell}, '') IN (${cond.in.map(sqlString).join(', ')})`);
        if (cond.empty !== undefined) parts.push(cond.empty ? this.emptyOf(cond.column) : `NOT ${this.emptyOf(cond.column)}`);
        if (cond.matches !== undefined) parts.push(`regexp_matches(coalesce(${cell}, ''), ${sqlString(cond.matches)})`);
        return parts.join(' AND ');
      })
      .map((c) => `(${c})`)
      .join(' AND ');
  }

  /** Registers an expression as a column (one per distinct expression) and returns its name. */
  readonly derive = (expression: string): string => {
    const known = this.derived.get(expression);
    if (known) return known.name;
    let level = 1;
    for (const match of expression.matchAll(/\bd(\d+)\b/g)) {
      const dependency = this.levelOf.get(`d${match[1]}`);
      if (dependency !== undefined) level = Math.max(level, dependency + 1);
    }
    const name = `d${this.derived.size}`;
    this.derived.set(expression, { name, level });
    this.levelOf.set(name, level);
    (this.levels[level] ??= []).push({ name, expression });
    return name;
  };
  private readonly levelOf = new Map<string, number>();

  configError(field: string, reason: string): MappingConfigError {
    return new MappingConfigError(this.sourceId, field, reason);
  }

  /**
   * The SELECT: `outputs` are expressions over the plan's columns, `fieldColumn` the derived column naming the
   * failing field; rejected rows also get their fields re-joined as `__raw`.
   */
  build(
    outputs: readonly [string, string][],
    fieldColumn: string,
    delimiter: string,
    whenValid: readonly [string, string][] = [],
    rawAlways = false,
  ): string {
    const cells = [...this.cells].map(([index, name]) => `${trimmedCell(`c${index}`)} AS ${name}`);
    const layers: string[] = [`l0 AS (SELECT *${cells.length ? `, ${cells.join(', ')}` : ''} FROM records)`];
    let last = 'l0';
    for (let level = 1; level < this.levels.length; level++) {
      const columns = this.levels[level] ?? [];
      if (columns.length === 0) continue;
      const name = `l${level}`;
      layers.push(`${name} AS (SELECT *, ${columns.map((c) => `${c.expression} AS ${c.name}`).join(', ')} FROM ${last})`);
      last = name;
    }
    const raw = Array.from({ length: this.width }, (_, i) => `coalesce(c${i}, '')`);
    const rawRecord = this.width === 0 ? `''` : `concat_ws(${sqlString(delimiter)}, ${raw.join(', ')})`;
    const select = [
      ...outputs.map(([name, expression]) => `${expression} AS ${name}`),
      ...whenValid.map(([name, expression]) => `CASE WHEN ${fieldColumn} IS NULL THEN ${expression} END AS ${name}`),
    ];
    const rawColumn = rawAlways ? `${rawRecord} AS __raw` : `CASE WHEN ${fieldColumn} IS NOT NULL THEN ${rawRecord} END AS __raw`;
    return `WITH ${layers.join(',\n')}\nSELECT __line, ${select.join(', ')}, ${rawColumn} FROM ${last}`;
  }
}

/** The trimmed text a field reads, its null rule and its pattern, from one column or several joined. */
interface CellRead {
  /** the text after trimming (NULL = empty cell) */
  text: string;
  /** true when the text means "no value" */
  isNull: string;
  /** the pattern failure reason, or null when the field has no pattern */
  fail: string | null;
  label: string;
}

function readCell(p: Plan, field: string, m: MappingSpec, ref: ColumnRef | ColumnRef[], mapHasEmpty: boolean): CellRead {
  const refs = Array.isArray(ref) ? ref : [ref];
  for (const r of refs) p.noteNulls(r, m.null_values);
  const label = Array.isArray(ref) ? `columns ${refs.map((r) => p.label(r)).join(' + ')}` : `column ${p.label(ref)}`;
  const separator = m.separator ?? '-';
  let text =
    refs.length === 1 ? p.cell(refs[0]!) : p.derive(`nullif(${refs.map((r) => `coalesce(${p.cell(r)}, '')`).join(` || ${sqlString(separator)} || `)}, '')`);
  if (mapHasEmpty) text = `coalesce(${text}, '')`;
  const conditions: string[] = [];
  if (!mapHasEmpty) conditions.push(`${text} IS NULL`);
  if (m.null_values?.length) conditions.push(`${text} IN (${m.null_values.map(sqlString).join(', ')})`);
  if (m.null_values?.includes('') && mapHasEmpty) conditions.push(`${text} = ''`);
  if (m.null_pattern !== undefined) conditions.push(`regexp_matches(${text}, ${sqlString(m.null_pattern)})`);
  const isNull = conditions.length === 0 ? 'FALSE' : p.derive(`coalesce(${conditions.join(' OR ')}, TRUE)`);
  const patternFail =
    m.pattern === undefined
      ? null
      : p.derive(
          `CASE WHEN NOT ${isNull} AND NOT regexp_matches(${text}, ${sqlString(m.pattern)}) THEN ` +
            `${sqlString(`${label} value `)} || ${showSql(text)} || ${sqlString(` does not match the pattern ${m.pattern}`)} END`,
        );
  if (m.extract === undefined) return { text, isNull, fail: patternFail, label };
  // the first capture group when the expression has one, else the whole match
  const group = re2GroupCount(m.extract) > 0 ? 1 : 0;
  const extractFail = p.derive(
    `CASE WHEN NOT ${isNull} AND NOT regexp_matches(${text}, ${sqlString(m.extract)}) THEN ` +
      `${sqlString(`${label} value `)} || ${showSql(text)} || ${sqlString(` does not match the extract pattern ${m.extract}`)} END`,
  );
  const extracted = p.derive(`CASE WHEN NOT ${isNull} THEN nullif(regexp_extract(${text}, ${sqlString(m.extract)}, ${group}), '') END`);
  const fail = patternFail === null ? extractFail : p.derive(`coalesce(${patternFail}, ${extractFail})`);
  return { text: extracted, isNull: p.derive(`(${isNull} OR ${extracted} IS NULL)`), fail, label };
}

const sourceRef = (p: Plan, field: string, m: MappingSpec): ColumnRef | ColumnRef[] => {
  if (m.columns !== undefined) return m.columns;
  if (m.column !== undefined) return m.column;
  throw p.configError(field, 'needs a column, columns, constant, or date and time');
};

/** A read that fails with `reason` when `failed`, after the cell's own pattern failure. */
function failWhen(cell: CellRead, failed: string, reason: string): string {
  const own = `CASE WHEN ${failed} THEN ${reason} END`;
  return cell.fail === null ? own : `coalesce(${cell.fail}, ${own})`;
}

/** Runs the field's own read, then its fallbacks in order while they give no value. */
function withFallbacks(p: Plan, field: string, m: MappingSpec, buildRead: (m: MappingSpec) => Read): Read {
  // `when`: outside its conditions the mapping gives no value (and so no failure either)
  const build = (m: MappingSpec): Read => {
    const read = buildRead(m);
    if (m.when === undefined) return read;
    const holds = p.derive(p.conditions(field, m.when));
    return {
      value: p.derive(`CASE WHEN ${holds} THEN ${read.value} END`),
      fail: read.fail === null ? null : p.derive(`CASE WHEN ${holds} THEN ${read.fail} END`),
    };
  };
  const first = build(m);
  if (!m.fallback?.length) return first;
  const reads = [first, ...m.fallback.map((f) => build({ ...f, fallback: undefined }))];
  const value: string[] = [];
  const fail: string[] = [];
  for (const r of reads) {
    if (r.fail !== null) {
      value.push(`WHEN ${r.fail} IS NOT NULL THEN NULL`);
      fail.push(`WHEN ${r.fail} IS NOT NULL THEN ${r.fail}`);
    }
    value.push(`WHEN ${r.value} IS NOT NULL THEN ${r.value}`);
    fail.push(`WHEN ${r.value} IS NOT NULL THEN NULL`);
  }
  const anyFail = reads.some((r) => r.fail !== null);
  return {
    value: p.derive(`CASE ${value.join(' ')} END`),
    fail: anyFail ? p.derive(`CASE ${fail.join(' ')} END`) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Field types

/** Strings and enums: value map, default, and (for enums) membership in the canonical values. */
function compileText(p: Plan, field: string, m: MappingSpec, allowed?: readonly string[]): Read {
  const allowedSet = allowed ? new Set<string>(allowed) : undefined;
  const check = (value: unknown, what: string): string | null => {
    if (value === null) return null;
    if (typeof value === 'boolean' || (typeof value === 'number' && allowedSet)) {
      throw p.configError(field, `${what} ${String(value)} is not text`);
    }
    const text = String(value);
    if (allowedSet && !allowedSet.has(text)) {
      throw p.configError(field, `${what} "${text}" is not one of ${[...allowedSet].join(', ')}`);
    }
    return text;
  };
  return withFallbacks(p, field, m, (m) => {
    if (m.constant !== undefined) return { value: sqlLiteral(check(m.constant, 'constant')), fail: null };
    const map = m.map ? new Map(Object.entries(m.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : undefined;
    const hasDefault = m.default !== undefined;
    const fallbackValue = sqlLiteral(hasDefault ? check(m.default, 'default') : null);
    const cell = readCell(p, field, m, sourceRef(p, field, m), map?.has('') ?? false);
    const t = cell.text;
    if (map !== undefined) {
      const keys = [...map.keys()];
      const inMap = keys.length === 0 ? 'FALSE' : `${t} IN (${keys.map(sqlString).join(', ')})`;
      const lookup = keys.length === 0 ? 'NULL' : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString(k)} THEN ${sqlLiteral(map.get(k)!)}`).join(' ')} END`;
      const mapKeys = keys.map((k) => JSON.stringify(k)).join(', ');
      const value = p.derive(
        `CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} WHEN ${inMap} THEN ${lookup} ELSE ${hasDefault ? fallbackValue : 'NULL'} END AS VARCHAR)`,
      );
      const notInMap = `${sqlString(`${cell.label} value `)} || ${showSql(t)} || ${sqlString(` is not in the map (${mapKeys})`)}`;
      const fail = hasDefault ? cell.fail : p.derive(failWhen(cell, `NOT ${cell.isNull} AND NOT (${inMap})`, notInMap));
      return { value: cell.fail === null ? value : `CASE WHEN ${cell.fail} IS NULL THEN ${value} END`, fail };
    }
    const value = p.derive(`CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} ELSE ${t} END AS VARCHAR)`);
    if (allowedSet === undefined) return { value: cell.fail === null ? value : `CASE WHEN ${cell.fail} IS NULL THEN ${value} END`, fail: cell.fail };
    const expected = [...allowedSet].join(', ');
    const notAllowed = `${sqlString(`${cell.label} value `)} || ${showSql(t)} || ${sqlString(` is not one of ${expected}`)}`;
    const fail = p.derive(failWhen(cell, `NOT ${cell.isNull} AND ${t} NOT IN (${[...allowedSet].map(sqlString).join(', ')})`, notAllowed));
    return { value: `CASE WHEN ${fail} IS NULL THEN ${value} END`, fail };
  });
}

/**
 * A free-text field with its length limit (tables.ts TEXT_LENGTH_LIMITS): a longer value rejects the row with
 * a reason naming the column, the value's length and the limit, never the value. `strlen` (bytes, known
 * without reading the text) is never less than the length in characters, so only long values are counted.
 */
function compileLimitedText(p: Plan, field: LimitedTextColumn, m: FieldMapping): Read {
  const read = compileText(p, field, spec(m));
  const limit = TEXT_LENGTH_LIMITS[field];
  const value = p.derive(read.value);
  const tooLong = p.derive(
    `CASE WHEN strlen(${value}) > ${limit} AND length(${value}) > ${limit} THEN ${sqlString(`${describe(p, m)}: `)} || format('{:,}', length(${value})) || ` +
      `${sqlString(` characters, more than the ${limit.toLocaleString('en')} allowed for ${field}`)} END`,
  );
  return { value, fail: read.fail === null ? tooLong : p.derive(`coalesce(${read.fail}, ${tooLong})`) };
}

const TRUE_WORDS = ['y', 'yes', 'true', '1', 't'];
const FALSE_WORDS = ['n', 'no', 'false', '0', 'f'];

function compileBoolean(p: Plan, field: string, m: MappingSpec): Read {
  const check = (value: unknown, what: string): boolean | null => {
    if (value === null || typeof value === 'boolean') return value;
    throw p.configError(field, `${what} ${JSON.stringify(value)} is not true, false or null`);
  };
  return withFallbacks(p, field, m, (m) => {
    if (m.constant !== undefined) return { value: sqlLiteral(check(m.constant, 'constant')), fail: null };
    const map = m.map ? new Map(Object.entries(m.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : undefined;
    const hasDefault = m.default !== undefined;
    const fallbackValue = sqlLiteral(hasDefault ? check(m.default, 'default') : null);
    const cell = readCell(p, field, m, sourceRef(p, field, m), map?.has('') ?? false);
    const t = cell.text;
    let known: string;
    let lookup: string;
    if (map !== undefined) {
      const keys = [...map.keys()];
      known = keys.length === 0 ? 'FALSE' : `${t} IN (${keys.map(sqlString).join(', ')})`;
      lookup = keys.length === 0 ? 'NULL' : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString(k)} THEN ${sqlLiteral(map.get(k)!)}`).join(' ')} END`;
    } else {
      const words = [...TRUE_WORDS, ...FALSE_WORDS].map(sqlString).join(', ');
      known = `lower(${t}) IN (${words})`;
      lookup = `lower(${t}) IN (${TRUE_WORDS.map(sqlString).join(', ')})`;
    }
    const value = p.derive(
      `CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} WHEN ${known} THEN ${lookup} ELSE ${hasDefault ? fallbackValue : 'NULL'} END AS BOOLEAN)`,
    );
    const notYesNo = `${sqlString(`${cell.label} value `)} || ${showSql(t)} || ${sqlString(` is not a yes/no value${map ? ' in the map' : ''}`)}`;
    const fail = hasDefault ? cell.fail : p.derive(failWhen(cell, `NOT ${cell.isNull} AND NOT (${known})`, notYesNo));
    return { value: fail === null ? value : `CASE WHEN ${fail} IS NULL THEN ${value} END`, fail };
  });
}

/** Seconds per unit of a duration column (hms is parsed, not scaled). */
const UNIT_FACTOR: Record<DurationUnit, number> = { seconds: 1, milliseconds: 0.001, minutes: 60, hms: 1, dhms: 1, days: 86_400 };

/** `1d 2h 3m 4.5s`, each part optional but one, spaces between them optional, in seconds. */
const DHMS_RE = '^(?:([0-9]+)d)? *(?:([0-9]+)h)? *(?:([0-9]+)m)? *(?:([0-9]+(?:[.][0-9]+)?)s)?$';
function dhmsValue(p: Plan, v: string): string {
  const s = p.derive(`regexp_extract(${v}, '${DHMS_RE}', ['d', 'h', 'm', 's'])`);
  const part = (name: string) => `coalesce(TRY_CAST(nullif(${s}.${name}, '') AS DOUBLE), 0)`;
  return p.derive(
    `CASE WHEN regexp_matches(${v}, '${DHMS_RE}') AND ${v} <> '' THEN ${part('d')} * 86400 + ${part('h')} * 3600 + ${part('m')} * 60 + ${part('s')} END`,
  );
}

/**
 * Durations (with `unit`) and plain numbers such as scores (`unit` undefined, sign allowed). A `map` replaces
 * the raw values it lists; `minus` subtracts a second duration column read the same way.
 */
function compileNumber(p: Plan, field: string, m: MappingSpec, duration: boolean): Read {
  return withFallbacks(p, field, m, (m) => {
    if (m.between !== undefined) throw p.configError(field, 'between is computed from timestamp fields: it cannot be combined here');
    if (m.constant !== undefined) {
      if (typeof m.constant !== 'number') throw p.configError(field, `constant ${JSON.stringify(m.constant)} is not a number`);
      return { value: `CAST(${sqlNumber(m.constant)} AS DOUBLE)`, fail: null };
    }
    if (m.default !== undefined && m.default !== null && typeof m.default !== 'number') {
      throw p.configError(field, `default ${JSON.stringify(m.default)} is not a number`);
    }
    const own = readNumber(p, field, m, duration);
    if (m.minus === undefined) return own;
    if (!duration) throw p.configError(field, 'minus applies to durations only');
    const other = readNumber(p, field, { column: m.minus, unit: m.unit, null_values: m.null_values, null_pattern: m.null_pattern, negative_as_null: true }, true);
    const ref = sourceRef(p, field, m);
    const label = `columns ${Array.isArray(ref) ? ref.map((r) => p.label(r)).join(' + ') : p.label(ref)} − ${p.label(m.minus)}`;
    const difference = p.derive(`CASE WHEN ${own.fail ?? 'NULL'} IS NULL AND ${other.fail ?? 'NULL'} IS NULL THEN ${own.value} - ${other.value} END`);
    const negative =
      m.negative_as_null === true ? 'NULL' : `CASE WHEN ${difference} < 0 THEN ${sqlString(`${label}: `)} || ${jsNumberText(difference)} || ' s is a negative duration' END`;
    const fails = [own.fail, other.fail, negative].filter((f): f is string => f !== null && f !== 'NULL');
    return {
      value: p.derive(`CASE WHEN ${difference} >= 0 THEN ${difference} END`),
      fail: fails.length === 0 ? null : p.derive(fails.length === 1 ? fails[0]! : `coalesce(${fails.join(', ')})`),
    };
  });
}

/** One number column: null rules, map, unit, sign. */
function readNumber(p: Plan, field: string, m: MappingSpec, duration: boolean): Read {
  const fallbackValue = m.default === undefined || m.default === null ? 'NULL' : sqlNumber(m.default as number);
  const unit = m.unit ?? 'seconds';
  if (!duration && m.unit !== undefined) throw p.configError(field, 'unit applies to durations only');
  const map = new Map<string, number | null>();
  for (const [key, raw] of Object.entries(m.map ?? {})) {
    const value = raw === null ? null : typeof raw === 'number' ? raw : typeof raw === 'string' && /^[+-]?[0-9]+(?:[.][0-9]+)?$/.test(raw) ? Number(raw) : undefined;
    if (value === undefined) throw p.configError(field, `map value ${JSON.stringify(raw)} for "${key}" is not a number or null`);
    map.set(key, value);
  }
  const factor = UNIT_FACTOR[unit];
  const hms = unit === 'hms';
  const cell = readCell(p, field, m, sourceRef(p, field, m), map.has(''));
  const t = cell.text;
  const keys = [...map.keys()];
  const inMap = keys.length === 0 ? 'FALSE' : p.derive(`coalesce(${t} IN (${keys.map(sqlString).join(', ')}), FALSE)`);
  const mapped =
    keys.length === 0 ? 'NULL' : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString(k)} THEN ${map.get(k) === null ? 'NULL' : sqlNumber(map.get(k)!)}`).join(' ')} END`;
  const parsed = hms ? hmsValue(p.derive, t) : unit === 'dhms' ? dhmsValue(p, t) : decimalValue(p.derive, t);
  const what = hms ? 'a duration H:MM:SS' : unit === 'dhms' ? 'a duration like 1h 2m 3s' : duration ? `a number of ${unit}` : 'a number';
  const shown = `${sqlString(`${cell.label} value `)} || ${showSql(t)}`;
  const reasons = [`WHEN ${inMap} THEN NULL`, `WHEN ${cell.isNull} THEN NULL`, `WHEN ${parsed} IS NULL THEN ${shown} || ${sqlString(` is not ${what}`)}`];
  if (duration && m.negative_as_null !== true) reasons.push(`WHEN ${parsed} < 0 THEN ${shown} || ${sqlString(' is a negative duration')}`);
  const ownFail = `CASE ${reasons.join(' ')} END`;
  const fail = p.derive(cell.fail === null ? ownFail : `coalesce(${cell.fail}, ${ownFail})`);
  // a spreadsheet's time of day is a binary fraction of a day: to the millisecond, 6/86400 days is 6 s
  const scaled = unit === 'days' ? `round(${parsed} * ${factor}, 3)` : factor === 1 ? parsed : `${parsed} * ${sqlNumber(factor)}`;
  const negative = duration ? `WHEN ${parsed} < 0 THEN NULL ` : '';
  const value = p.derive(
    `CAST(CASE WHEN ${fail} IS NOT NULL THEN NULL WHEN ${inMap} THEN ${mapped} WHEN ${cell.isNull} THEN ${fallbackValue} ${negative}ELSE ${scaled} END AS DOUBLE)`,
  );
  return { value, fail };
}

/** arrived_at, for the midnight rollover of the other two-column timestamps */
interface Anchor {
  value: string;
  /** the date column arrived_at reads (-1 when it is not a two-column timestamp) */
  dateIndex: number;
}

/** Timestamps in UTC epoch ms. `anchor`: arrived_at, for a field that may roll over past midnight. */
function compileTimestamp(p: Plan, field: string, m: MappingSpec, anchor?: Anchor): Read {
  const badFormat = (format: string, error: unknown): MappingConfigError =>
    p.configError(field, error instanceof InvalidFormatError ? error.message : `format "${format}" cannot be read`);
  const pattern = (format: string): TokenRegex => {
    try {
      return tokenRegex(format);
    } catch (error) {
      throw badFormat(format, error);
    }
  };
  const read = (m: MappingSpec): Read => {
    if (m.between !== undefined || m.minus !== undefined) throw p.configError(field, 'between and minus make durations, not timestamps');
    if (m.constant !== undefined || m.map !== undefined) {
      throw p.configError(field, 'a timestamp is read from columns, not a constant or a value map');
    }
    if (m.default !== undefined && m.default !== null) throw p.configError(field, 'a timestamp default can only be null');
    const yearOffset = m.year_offset ?? 0;
    const withOffset = (year: string) => (yearOffset === 0 ? year : `(${year} + ${yearOffset})`);

    if (m.date !== undefined || m.time !== undefined) {
      if (m.date === undefined || m.time === undefined) throw p.configError(field, 'date and time go together');
      if (m.format !== undefined || m.column !== undefined) {
        throw p.configError(field, 'give either column + format or date + time, not both');
      }
      const datePattern = pattern(m.date.format);
      const timePattern = pattern(m.time.format);
      if (!datePattern.hasDate || datePattern.hasTime) throw p.configError(field, `date format "${m.date.format}" is not a date`);
      if (!timePattern.hasTime || timePattern.hasDate) throw p.configError(field, `time format "${m.time.format}" is not a time`);
      const dateCell = readCell(p, field, m, m.date.column, false);
      const timeCell = readCell(p, field, m, m.time.column, false);
      const d = tokenFields(p.derive, dateCell.text, datePattern);
      const t = tokenFields(p.derive, timeCell.text, timePattern);
      const days = p.derive(civilDays(p.derive, withOffset(d.year), d.month, d.day));
      const shifted = yearOffset === 0 ? '' : ` (year shifted by ${yearOffset})`;
      const dateShown = `${sqlString(`${dateCell.label} value `)} || ${showSql(dateCell.text)}`;
      const timeShown = `${sqlString(`${timeCell.label} value `)} || ${showSql(timeCell.text)}`;
      const reasons = [
        dateCell.fail && `WHEN ${dateCell.fail} IS NOT NULL THEN ${dateCell.fail}`,
        timeCell.fail && `WHEN ${timeCell.fail} IS NOT NULL THEN ${timeCell.fail}`,
        `WHEN ${dateCell.isNull} OR ${timeCell.isNull} THEN NULL`,
        `WHEN NOT ${d.matched} THEN ${dateShown} || ${sqlString(` is not a date in format ${m.date.format}`)}`,
        `WHEN NOT ${t.matched} OR NOT ${validClock(t)} THEN ${timeShown} || ${sqlString(` is not a time in format ${m.time.format}`)}`,
        `WHEN ${days} IS NULL THEN ${dateShown} || ${sqlString(` is not a date in format ${m.date.format}${shifted}`)}`,
      ].filter(Boolean);
      const fail = p.derive(`CASE ${reasons.join(' ')} END`);
      const civil = p.derive(`CASE WHEN ${fail} IS NULL AND NOT (${dateCell.isNull} OR ${timeCell.isNull}) THEN ${civilMs(days, t)} END`);
      const value = p.derive(`CAST(${localToUtcMs(p.zone, civil)} AS BIGINT)`);
      if (anchor === undefined || anchor.dateIndex < 0 || p.resolve(m.date.column) !== anchor.dateIndex) return { value, fail };
      // exports that write one date per call and only clock times wrap calls past midnight to 0:xx:xx
      const nextDay = p.derive(`CAST(${localToUtcMs(p.zone, `(${civil} + ${DAY})`)} AS BIGINT)`);
      return { value: p.derive(`CASE WHEN ${value} < ${anchor.value} - ${TWELVE_HOURS} THEN ${nextDay} ELSE ${value} END`), fail };
    }

    const format = m.format ?? 'iso';
    const cell = readCell(p, field, m, sourceRef(p, field, m), false);
    const v = cell.text;
    const shown = `${sqlString(`${cell.label} value `)} || ${showSql(v)}`;
    if (format === 'excel') {
      // a spreadsheet serial: days since 1899-12-30 (25,569 days before 1970-01-01), the fraction the time of
      // day, on the wall clock of the source's zone; rounded to the millisecond a binary fraction misses
      const serial = decimalValue(p.derive, v);
      const fail = p.derive(failWhen(cell, `NOT ${cell.isNull} AND (${serial} IS NULL OR ${serial} <= 0)`, `${shown} || ' is not a spreadsheet date serial'`));
      const civil = p.derive(`CASE WHEN ${fail} IS NULL AND NOT ${cell.isNull} THEN CAST(round((${serial} - 25569) * ${DAY}) AS BIGINT) END`);
      return { value: p.derive(`CAST(${localToUtcMs(p.zone, civil)} AS BIGINT)`), fail };
    }
    if (format === 'epoch_s' || format === 'epoch_ms') {
      const ms = format === 'epoch_s' ? epochSecondsValue(p.derive, v) : epochMsValue(p.derive, v);
      const what = `${format} (${format === 'epoch_s' ? 'seconds' : 'milliseconds'} since 1970)`;
      const fail = p.derive(failWhen(cell, `NOT ${cell.isNull} AND ${ms} IS NULL`, `${shown} || ${sqlString(` is not ${what}`)}`));
      return { value: p.derive(`CASE WHEN ${fail} IS NULL AND NOT ${cell.isNull} THEN ${ms} END`), fail };
    }
    let f: TokenFields;
    let hasOffset = 'FALSE';
    let offsetMs = '0';
    let offsetValid = 'TRUE';
    if (format === 'iso') {
      const iso = isoFields(p.derive, v);
      f = iso;
      hasOffset = iso.hasOffset;
      offsetMs = iso.offsetMs;
      offsetValid = iso.offsetValid;
    } else {
      const tokens = pattern(format);
      if (!tokens.hasDate) throw p.configError(field, `format "${format}" has no date: use date + time`);
      f = tokenFields(p.derive, v, tokens);
    }
    const days = p.derive(civilDays(p.derive, withOffset(f.year), f.month, f.day));
    const what = format === 'iso' ? 'an ISO 8601 timestamp' : `a timestamp in format ${format}`;
    const bad = `NOT ${cell.isNull} AND (NOT ${f.matched} OR ${days} IS NULL OR NOT ${validClock(f)} OR NOT ${offsetValid})`;
    const fail = p.derive(failWhen(cell, bad, `${shown} || ${sqlString(` is not ${what}`)}`));
    const civil = p.derive(`CASE WHEN ${fail} IS NULL AND NOT ${cell.isNull} THEN ${civilMs(days, f)} END`);
    const value = p.derive(`CAST(CASE WHEN ${hasOffset} THEN ${civil} - (${offsetMs}) ELSE ${localToUtcMs(p.zone, civil)} END AS BIGINT)`);
    return { value, fail };
  };
  return withFallbacks(p, field, m, (m) => addPlus(p, field, m, read(m)));
}

/** `plus`: a timestamp plus a duration column (no value when either is missing). */
function addPlus(p: Plan, field: string, m: MappingSpec, read: Read): Read {
  if (m.plus === undefined) return read;
  const spec = typeof m.plus === 'object' ? m.plus : { column: m.plus };
  const duration = readNumber(p, field, { column: spec.column, unit: spec.unit, negative_as_null: false }, true);
  const value = p.derive(`CASE WHEN ${read.value} IS NOT NULL AND ${duration.value} IS NOT NULL THEN ${read.value} + CAST(round(${duration.value} * 1000) AS BIGINT) END`);
  const fails = [read.fail, duration.fail].filter((f): f is string => f !== null);
  return { value, fail: fails.length === 0 ? null : p.derive(fails.length === 1 ? fails[0]! : `coalesce(${fails.join(', ')})`) };
}

/** Where a required field is read from, for "is empty" reasons. */
const describe = (p: Plan, m: FieldMapping): string => {
  const x = spec(m);
  if (x.date !== undefined && x.time !== undefined) return `columns ${p.label(x.date.column)} + ${p.label(x.time.column)}`;
  if (x.columns !== undefined) return `columns ${x.columns.map((r) => p.label(r)).join(' + ')}`;
  return x.column === undefined ? 'the constant' : `column ${p.label(x.column)}`;
};

function finish(p: Plan, file: string): void {
  if (p.missing.length > 0) {
    const found =
      p.header === null
        ? 'the file has no header row: refer to columns by 0-based position'
        : `the header has ${p.header.length} columns: ${maskedHeader(p.header)}`;
    throw new FileRejectedError(file, `source ${p.sourceId}: missing column${p.missing.length > 1 ? 's' : ''} ${p.missing.join(', ')}; ${found}`);
  }
}

/** Ordered failure checks → the derived columns naming the failing field and its reason. */
function rejection(p: Plan, checks: readonly { field: string; fail: string }[]): { field: string; reason: string } {
  if (checks.length === 0) return { field: p.derive('CAST(NULL AS VARCHAR)'), reason: 'CAST(NULL AS VARCHAR)' };
  return {
    field: p.derive(`CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${sqlString(c.field)}`).join(' ')} END`),
    reason: p.derive(`CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${c.fail}`).join(' ')} END`),
  };
}

export interface CompileInput {
  header: string[] | null;
  /** fields per record in the file */
  width: number;
  clientZone: string;
  file?: string;
  delimiter?: string;
  /**
   * Latest plausible instant (epoch ms): later times are clock or format errors, not contacts. Times before
   * 1970 are rejected too (a date format that misread the year). Without it only 1970 is checked. A string is
   * an SQL expression over the records giving it per record (a batch of files, each with its own ingest time).
   */
  latestMs?: number | string;
  /**
   * The client's customer-key scope: the mapping then also gives `customer_shortcut`, the customer's normalized
   * text where the shortcut rule decides it (customer-key-sql.ts), so assembly keys most rows without JS.
   */
  customerScope?: CustomerKeyScope;
}

/**
 * Range checks of a timestamp field: before 1970 or after `latestMs` rejects the row, naming the field. For the
 * field that decides `dt` (`businessZone` given), a time whose local date in the client's zone is before
 * 1970-01-01 is rejected too: 1970-01-01T00:00Z is 1969-12-31 in Los Angeles, a partition before the first
 * date Athena's projection enumerates (sql/athena-ddl.ts PROJECTION_START_DATE), where it would be invisible.
 */
function timeChecks(field: string, read: Read, latestMs: number | string | undefined, businessZone?: string): { field: string; fail: string }[] {
  const v = read.value;
  const iso = `strftime(epoch_ms(${v}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
  const shown = `CASE WHEN ${v} BETWEEN -62135596800000 AND 253402300799999 THEN ${iso} ELSE 'a time outside the years 1-9999' END`;
  const future = latestMs === undefined ? '' : `WHEN ${v} > ${latestMs} THEN ${shown} || ' is in the future' `;
  // only the first day of 1970 can fall before it locally (no zone is more than a day behind UTC)
  const localEarly =
    businessZone === undefined
      ? ''
      : `WHEN ${v} < 86400000 AND ${utcToLocalMs(businessZone, v)} < 0 THEN ${shown} || ' is before 1970-01-01 in the client''s time zone: its business date is before the first the lake holds' `;
  return [{ field, fail: `CASE ${future}WHEN ${v} < 0 THEN ${shown} || ' is before 1970: not a contact time (check the date format, or year_offset)' ${localEarly}END` }];
}

/** The business date and local hour of a UTC instant in the client's zone. */
/** The local business date (YYYY-MM-DD) in `zone` of a column of UTC epoch milliseconds. */
export const localDate = (zone: string, utc: string): string => `strftime(epoch_ms(${utcToLocalMs(zone, utc)}), '%Y-%m-%d')`;
const localHour = (zone: string, utc: string): string => `CAST(hour(epoch_ms(${utcToLocalMs(zone, utc)})) AS INTEGER)`;

/** A wait or other duration derived from two timestamp fields of the assembled contact. */
interface Between {
  from: TimestampField;
  to: TimestampField;
  negativeAsNull: boolean;
}

/** A duration field read partly from `between` (computed last), partly from columns. */
interface DerivedDuration {
  field: string;
  /** `between` alternatives tried before the column reads, and after them */
  before: Between[];
  after: Between[];
}

/** The duration fields, for `between`. */
const DURATION_FIELDS = ['ivr_seconds', 'wait_seconds', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'handle_seconds'] as const;

/** Splits a duration field's chain of mappings into `between` alternatives and column reads, in order. */
function splitDerived(p: Plan, field: string, m: MappingSpec): { columns: MappingSpec | undefined; derived: DerivedDuration | undefined } {
  const chain = [m, ...(m.fallback ?? [])].map((x) => ({ ...x, fallback: undefined }));
  if (!chain.some((x) => x.between !== undefined)) return { columns: m, derived: undefined };
  const derived: DerivedDuration = { field, before: [], after: [] };
  const columns: MappingSpec[] = [];
  for (const x of chain) {
    if (x.between === undefined) {
      columns.push(x);
      continue;
    }
    const extra = Object.entries(x).filter(([k, v]) => v !== undefined && !['between', 'negative_as_null', 'fallback'].includes(k));
    if (extra.length > 0) throw p.configError(field, `between takes no other option (found ${extra.map(([k]) => k).join(', ')})`);
    const [from, to] = x.between;
    if (from === to) throw p.configError(field, `between needs two different timestamp fields, not ${from} twice`);
    (columns.length === 0 ? derived.before : derived.after).push({ from, to, negativeAsNull: x.negative_as_null === true });
  }
  const [first, ...rest] = columns;
  return { columns: first === undefined ? undefined : { ...first, fallback: rest.length ? rest : undefined }, derived };
}

/** ISO text of an epoch-ms column, for reasons. */
const isoText = (ms: string): string => `strftime(epoch_ms(${ms}), '%Y-%m-%dT%H:%M:%SZ')`;

/**
 * The finishing SELECT of contact rows (the mapping's own rows, or contacts assembled from call legs): durations
 * derived from timestamp fields, handle time from its parts when the source gives none, the checks of derived
 * values (a row already rejected keeps its reason), and dt / local_hour of valid rows.
 */
function finishContactsSql(relation: string, derived: readonly DerivedDuration[], clientZone: string, customerScope?: CustomerKeyScope): string {
  const diff = (b: Between) => `(CAST(${MS_COLUMN[b.to]} - ${MS_COLUMN[b.from]} AS DOUBLE) / 1000)`;
  const usable = (b: Between) =>
    `${MS_COLUMN[b.from]} IS NOT NULL AND ${MS_COLUMN[b.to]} IS NOT NULL${b.negativeAsNull ? ` AND ${MS_COLUMN[b.to]} >= ${MS_COLUMN[b.from]}` : ''}`;
  const replaced: string[] = [];
  const checks: { field: string; fail: string }[] = [];
  for (const d of derived) {
    const alternatives = [...d.before.map((b) => ({ b })), { b: undefined }, ...d.after.map((b) => ({ b }))];
    const value = alternatives.map(({ b }) => (b === undefined ? `WHEN ${d.field} IS NOT NULL THEN ${d.field}` : `WHEN ${usable(b)} THEN ${diff(b)}`));
    replaced.push(`CAST(CASE ${value.join(' ')} END AS DOUBLE) AS ${d.field}`);
    const fail = alternatives.map(({ b }) =>
      b === undefined
        ? `WHEN ${d.field} IS NOT NULL THEN NULL`
        : `WHEN ${usable(b)} THEN ` +
          (b.negativeAsNull
            ? 'NULL'
            : `CASE WHEN ${MS_COLUMN[b.to]} < ${MS_COLUMN[b.from]} THEN ${sqlString(`${b.to} `)} || ${isoText(MS_COLUMN[b.to])} || ` +
              `${sqlString(` is before ${b.from} `)} || ${isoText(MS_COLUMN[b.from])} || ${sqlString(`: ${d.field} between them would be negative`)} END`),
    );
    if (alternatives.some(({ b }) => b !== undefined && !b.negativeAsNull)) checks.push({ field: d.field, fail: `CASE ${fail.join(' ')} END` });
  }
  const f1 = replaced.length === 0 ? relation : `(SELECT * REPLACE (${replaced.join(', ')}) FROM ${relation})`;
  // the source's own handle figure when it gives one, else talk + hold + acw with a missing part counting 0
  const handle =
    `coalesce(handle_seconds, CASE WHEN talk_seconds IS NULL AND hold_seconds IS NULL AND acw_seconds IS NULL THEN NULL ` +
    `ELSE coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0) END)`;
  const checkField = checks.length === 0 ? 'NULL' : `CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${sqlString(c.field)}`).join(' ')} END`;
  const checkReason = checks.length === 0 ? 'NULL' : `CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${c.fail}`).join(' ')} END`;
  const f2 =
    `(SELECT * REPLACE (CAST(${handle} AS DOUBLE) AS handle_seconds, CAST(coalesce(__field, ${checkField}) AS VARCHAR) AS __field, ` +
    `CAST(CASE WHEN __field IS NOT NULL THEN __reason ELSE ${checkReason} END AS VARCHAR) AS __reason) FROM ${f1})`;
  // the customer's normalized text where the shortcut rule decides it (customer-key-sql.ts), once per row
  const f3 = customerScope === undefined ? f2 : `(SELECT *, ${customerDigitsSql('customer_raw')} AS __customer_digits FROM ${f2})`;
  const shortcut =
    customerScope === undefined
      ? ''
      : `, CASE WHEN __field IS NULL THEN ${shortcutNormalizedSql('customer_raw', '__customer_digits', customerScope)} END AS customer_shortcut`;
  return (
    `SELECT *${customerScope === undefined ? '' : ' EXCLUDE (__customer_digits)'}, CASE WHEN __field IS NULL THEN ${localDate(clientZone, 'arrived_ms')} END AS dt, ` +
    `CASE WHEN __field IS NULL THEN ${localHour(clientZone, 'arrived_ms')} END AS local_hour${shortcut} FROM ${f3}`
  );
}

/** Default rule of each draft column when legs are grouped (docs/sources.md, "One row per call leg"). */
const LEG_DEFAULTS: Record<string, LegRule> = {
  contact_id: 'first',
  channel: 'first',
  direction: 'first',
  queue: 'first',
  category: 'first',
  subcategory: 'first',
  customer: 'first',
  agent_id: 'answering',
  arrived_at: 'earliest',
  answered_at: 'answering',
  ended_at: 'latest',
  ivr_seconds: 'first',
  wait_seconds: 'answering',
  talk_seconds: 'answering',
  hold_seconds: 'answering',
  acw_seconds: 'answering',
  handle_seconds: 'answering',
  is_transferred: 'any',
  is_resolved: 'last',
  updated_at: 'latest',
};
const LEG_RULES_BY_TYPE: Record<'text' | 'timestamp' | 'duration' | 'boolean', readonly LegRule[]> = {
  text: ['first', 'last', 'answering'],
  timestamp: ['first', 'last', 'earliest', 'latest', 'answering'],
  duration: ['first', 'last', 'min', 'max', 'sum', 'answering'],
  boolean: ['first', 'last', 'any', 'all', 'answering'],
};
const fieldType = (field: string): keyof typeof LEG_RULES_BY_TYPE =>
  (TIMESTAMP_FIELDS as readonly string[]).includes(field)
    ? 'timestamp'
    : (DURATION_FIELDS as readonly string[]).includes(field)
      ? 'duration'
      : field === 'is_transferred' || field === 'is_resolved'
        ? 'boolean'
        : 'text';
/** The staged column of a canonical field. */
const draftColumn = (field: string): string =>
  field === 'customer' ? 'customer_raw' : (TIMESTAMP_FIELDS as readonly string[]).includes(field) ? MS_COLUMN[field as TimestampField] : field;

/**
 * Compiles a mapped contacts source (CSV, XLSX or JSON records) against one file's header. Throws
 * FileRejectedError listing every missing column, MappingConfigError when the mapping itself cannot work.
 */
export function compileContactSql(source: MappedContactsSource, input: CompileInput): SqlMapping {
  const file = input.file ?? `source ${source.id}`;
  const p = new Plan(source.id, input.header, input.width, source.timezone ?? input.clientZone);
  const f = source.fields;
  // null values are known for every column before any condition reads them (`empty` means one of them too)
  for (const m of Object.values(f)) {
    for (const x of [spec(m), ...(spec(m).fallback ?? [])]) if (x.column !== undefined && x.columns === undefined) p.noteNulls(x.column, x.null_values, true);
  }
  const optionalText = (name: string, m: FieldMapping | undefined): Read =>
    m === undefined ? { value: 'CAST(NULL AS VARCHAR)', fail: null } : compileText(p, name, spec(m));
  const optionalLimited = (name: LimitedTextColumn, m: FieldMapping | undefined): Read =>
    m === undefined ? { value: 'CAST(NULL AS VARCHAR)', fail: null } : compileLimitedText(p, name, m);
  const derived: DerivedDuration[] = [];
  const optionalDuration = (name: string, m: FieldMapping | undefined): Read => {
    if (m === undefined) return { value: 'CAST(NULL AS DOUBLE)', fail: null };
    const split = splitDerived(p, name, spec(m));
    if (split.derived !== undefined) {
      for (const b of [...split.derived.before, ...split.derived.after]) {
        for (const t of [b.from, b.to]) if (f[t] === undefined) throw p.configError(name, `between reads ${t}, which the mapping does not map`);
      }
      derived.push(split.derived);
    }
    return split.columns === undefined ? { value: 'CAST(NULL AS DOUBLE)', fail: null } : compileNumber(p, name, split.columns, true);
  };

  const contactId = compileLimitedText(p, 'contact_id', f.contact_id);
  const arrived = compileTimestamp(p, 'arrived_at', spec(f.arrived_at));
  let channel: Read;
  if (f.channel !== undefined) channel = compileText(p, 'channel', spec(f.channel), CHANNELS);
  else if (source.channel !== undefined) channel = { value: sqlString(source.channel), fail: null };
  else throw p.configError('channel', "set the source's channel or map a channel column");
  const direction: Read = f.direction === undefined ? { value: `'inbound'`, fail: null } : compileText(p, 'direction', spec(f.direction), DIRECTIONS);
  const queue = optionalLimited('queue', f.queue);
  const category = optionalLimited('category', f.category);
  const subcategory = optionalLimited('subcategory', f.subcategory);
  const customer = optionalText('customer', f.customer);
  const agentId = optionalLimited('agent_id', f.agent_id);
  const anchor: Anchor = { value: arrived.value, dateIndex: spec(f.arrived_at).date === undefined ? -1 : p.resolve(spec(f.arrived_at).date!.column) };
  const anchored = (name: string, m: FieldMapping | undefined): Read =>
    m === undefined ? { value: 'CAST(NULL AS BIGINT)', fail: null } : compileTimestamp(p, name, spec(m), anchor);
  const answeredAt = anchored('answered_at', f.answered_at);
  const endedAt = anchored('ended_at', f.ended_at);
  const ivr = optionalDuration('ivr_seconds', f.ivr_seconds);
  const waitSpec = f.wait_seconds === undefined ? undefined : spec(f.wait_seconds);
  const bracket = waitSpec?.brackets === undefined ? undefined : compileBracket(p, 'wait_seconds', waitSpec);
  const wait = bracket?.exact ?? optionalDuration('wait_seconds', f.wait_seconds);
  const talk = optionalDuration('talk_seconds', f.talk_seconds);
  const hold = optionalDuration('hold_seconds', f.hold_seconds);
  const acw = optionalDuration('acw_seconds', f.acw_seconds);
  const handle = optionalDuration('handle_seconds', f.handle_seconds);
  const outcomeField = f.outcome === undefined ? undefined : compileText(p, 'outcome', spec(f.outcome), OUTCOMES);
  const transferred: Read = f.is_transferred === undefined ? { value: 'FALSE', fail: null } : compileBoolean(p, 'is_transferred', spec(f.is_transferred));
  const resolved: Read = f.is_resolved === undefined ? { value: 'CAST(NULL AS BOOLEAN)', fail: null } : compileBoolean(p, 'is_resolved', spec(f.is_resolved));
  const updatedAt: Read = f.updated_at === undefined ? { value: 'CAST(NULL AS BIGINT)', fail: null } : compileTimestamp(p, 'updated_at', spec(f.updated_at));

  const rules = source.outcome_rules.map((rule, r) => ({ then: rule.then, holds: p.conditions(`outcome_rules[${r}]`, rule.when), columns: rule.when.map((c) => c.column) }));
  if (outcomeField === undefined && rules.length === 0) throw p.configError('outcome', 'map an outcome column or give outcome_rules');
  const legs = source.legs;
  const legKey = legs === undefined ? undefined : typeof legs.key === 'object' ? legs.key : { column: legs.key, parent: undefined };
  const legColumns =
    legs === undefined
      ? undefined
      : {
          key: p.cell(legKey!.column),
          parent: legKey!.parent === undefined ? 'CAST(NULL AS VARCHAR)' : p.cell(legKey!.parent),
          answered: legs.answered === undefined ? undefined : p.derive(p.conditions('legs.answered', legs.answered)),
          prefer: legs.prefer === undefined ? 'FALSE' : p.derive(p.conditions('legs.prefer', legs.prefer)),
        };
  finish(p, file);

  const ruleOutcome =
    rules.length === 0 ? 'CAST(NULL AS VARCHAR)' : p.derive(`CASE ${rules.map((rule) => `WHEN ${rule.holds} THEN ${sqlString(rule.then)}`).join(' ')} END`);
  const ruleColumns = [...new Map(rules.flatMap((r) => r.columns.map((c) => [p.resolve(c), c] as const))).values()];
  const seen = ruleColumns.map((c) => `${sqlString(`${p.label(c)}=`)} || ${showSql(`coalesce(${p.cell(c)}, '')`)}`).join(` || ', ' || `);
  const outcome = p.derive(`CASE WHEN ${ruleOutcome} IS NOT NULL THEN ${ruleOutcome} ${outcomeField ? `ELSE ${outcomeField.value}` : ''} END`);
  const noOutcome =
    `'no outcome rule matches (' || ${seen || "''"} || ` +
    sqlString(`)${outcomeField === undefined ? ' and no outcome column is mapped' : ' and the outcome column is empty'}`);
  const outcomeFail = p.derive(
    `CASE WHEN ${ruleOutcome} IS NOT NULL THEN NULL ${outcomeField?.fail ? `WHEN ${outcomeField.fail} IS NOT NULL THEN ${outcomeField.fail} ` : ''}` +
      `WHEN ${outcome} IS NULL THEN ${noOutcome} END`,
  );

  const required = (field: string, read: Read, from: string) => [
    ...(read.fail ? [{ field, fail: read.fail }] : []),
    { field, fail: `CASE WHEN ${read.value} IS NULL THEN ${sqlString(`${from}: empty or a null value; ${field} is required`)} END` },
  ];
  const optional = (field: string, read: Read) => (read.fail ? [{ field, fail: read.fail }] : []);
  const checks = [
    ...(legColumns
      ? [{ field: '(legs)', fail: `CASE WHEN ${legColumns.key} IS NULL THEN ${sqlString(`column ${p.label(legKey!.column)}, the key of the call's legs, is empty`)} END` }]
      : []),
    ...required('contact_id', contactId, describe(p, f.contact_id)),
    ...required('arrived_at', arrived, describe(p, f.arrived_at)),
    ...required('channel', channel, f.channel === undefined ? 'the source channel' : describe(p, f.channel)),
    ...optional('direction', direction),
    ...optional('queue', queue),
    ...optional('category', category),
    ...optional('subcategory', subcategory),
    ...optional('customer', customer),
    ...optional('agent_id', agentId),
    ...optional('answered_at', answeredAt),
    ...optional('ended_at', endedAt),
    ...optional('ivr_seconds', ivr),
    ...optional('wait_seconds', wait),
    ...optional('talk_seconds', talk),
    ...optional('hold_seconds', hold),
    ...optional('acw_seconds', acw),
    ...optional('handle_seconds', handle),
    { field: 'outcome', fail: outcomeFail },
    ...optional('is_transferred', transferred),
    ...optional('is_resolved', resolved),
    ...optional('updated_at', updatedAt),
    ...timeChecks('arrived_at', arrived, input.latestMs, input.clientZone),
    ...(f.answered_at ? timeChecks('answered_at', answeredAt, input.latestMs) : []),
    ...(f.ended_at ? timeChecks('ended_at', endedAt, input.latestMs) : []),
    ...(f.updated_at ? timeChecks('updated_at', updatedAt, input.latestMs) : []),
  ];
  const rejected = rejection(p, checks);
  const outputs: [string, string][] = [
    ['contact_id', contactId.value],
    ['channel', channel.value],
    ['direction', `coalesce(${direction.value}, 'inbound')`],
    ['queue', queue.value],
    ['category', category.value],
    ['subcategory', subcategory.value],
    ['customer_raw', customer.value],
    ['agent_id', agentId.value],
    ['arrived_ms', arrived.value],
    ['answered_ms', answeredAt.value],
    ['ended_ms', endedAt.value],
    ['ivr_seconds', ivr.value],
    ['wait_seconds', wait.value],
    ['talk_seconds', talk.value],
    ['hold_seconds', hold.value],
    ['acw_seconds', acw.value],
    // finishContactsSql fills in talk + hold + acw when the source gives no handle time
    ['handle_seconds', handle.value],
    ['outcome', outcome],
    ['is_transferred', `coalesce(${transferred.value}, FALSE)`],
    ['is_resolved', resolved.value],
    ['wait_min_seconds', bracket?.min ?? 'CAST(NULL AS DOUBLE)'],
    ['wait_max_seconds', bracket?.max ?? 'CAST(NULL AS DOUBLE)'],
    ['updated_ms', updatedAt.value],
    ['__field', rejected.field],
    ['__reason', rejected.reason],
  ];
  const delimiter = input.delimiter ?? source.delimiter ?? ',';
  const columns = new Set(p.cells.keys());
  const finishing = (relation: string) => finishContactsSql(relation, derived, input.clientZone, input.customerScope);
  const needsRaw = derived.some((d) => [...d.before, ...d.after].some((b) => !b.negativeAsNull));
  if (legs === undefined || legColumns === undefined) {
    return { columns, select: finishing(`(${p.build(outputs, rejected.field, delimiter, [], needsRaw)})`) };
  }
  outputs.push(
    ['__key', legColumns.key],
    ['__parent', legColumns.parent],
    ['__answered', legColumns.answered ?? `coalesce(${outcome} = 'answered', FALSE)`],
    ['__prefer', legColumns.prefer],
  );
  const ruleOf: Record<string, LegRule> = {};
  for (const [field, rule] of Object.entries(LEG_DEFAULTS)) ruleOf[draftColumn(field)] = rule;
  for (const [field, rule] of Object.entries(legs.fields)) {
    if (!(field in LEG_DEFAULTS)) throw p.configError(`legs.fields.${field}`, `is not a contact field (${Object.keys(LEG_DEFAULTS).join(', ')})`);
    if (!LEG_RULES_BY_TYPE[fieldType(field)].includes(rule)) {
      throw p.configError(`legs.fields.${field}`, `rule ${rule} does not apply to a ${fieldType(field)} field (use ${LEG_RULES_BY_TYPE[fieldType(field)].join(', ')})`);
    }
    ruleOf[draftColumn(field)] = rule;
  }
  // a bracketed wait's edges go with the wait
  ruleOf.wait_min_seconds = ruleOf.wait_max_seconds = ruleOf.wait_seconds!;
  return {
    columns,
    select: p.build(outputs, rejected.field, delimiter, [], true),
    legs: { config: legs, rules: ruleOf, finish: finishing, keyLabel: `column ${p.label(legKey!.column)}` },
  };
}

/**
 * A duration an export gives only as a bracket (Zendesk Explore's `0-1 hrs`, `1-8 hrs`, `>24 hrs`): each listed
 * raw value is its edges in seconds, `[lower, upper]` (`upper` null for an open bracket) or null for no value
 * (`No replies`). The value itself is unknown (null) unless the bracket is a single point; the edges are kept
 * beside it, so a service level whose threshold is an edge is still exact (contact_kpis.sql). A value that is
 * not listed rejects the row.
 */
function compileBracket(p: Plan, field: string, m: MappingSpec): { exact: Read; min: string; max: string } {
  const extra = Object.entries(m).filter(([k, v]) => v !== undefined && !['column', 'null_values', 'brackets'].includes(k));
  if (extra.length > 0) throw p.configError(field, `brackets take only column and null_values (found ${extra.map(([k]) => k).join(', ')})`);
  if (m.column === undefined) throw p.configError(field, 'brackets need a column');
  const brackets = Object.entries(m.brackets!);
  for (const [key, edges] of brackets) {
    if (edges !== null && (edges[0] < 0 || (edges[1] !== null && edges[1] < edges[0]))) {
      throw p.configError(field, `bracket ${JSON.stringify(key)}: [${edges[0]}, ${edges[1]}] is not a range of seconds`);
    }
  }
  const cell = p.cell(m.column);
  const edge = (i: 0 | 1) =>
    p.derive(`CAST(CASE ${cell} ${brackets.filter(([, e]) => e !== null && e[i] !== null).map(([k, e]) => `WHEN ${sqlString(k)} THEN ${sqlNumber(e![i]!)}`).join(' ') || 'WHEN NULL THEN NULL'} END AS DOUBLE)`);
  const min = edge(0);
  const max = edge(1);
  const known = [...brackets.map(([k]) => k), ...(m.null_values ?? [])];
  const shown = brackets.map(([k]) => JSON.stringify(k)).join(', ');
  const fail = p.derive(
    `CASE WHEN ${cell} IS NOT NULL AND ${cell} NOT IN (${known.map(sqlString).join(', ')}) THEN ` +
      `${sqlString(`column ${p.label(m.column)} value `)} || ${showSql(cell)} || ${sqlString(` is not one of the brackets (${shown})`)} END`,
  );
  return { exact: { value: p.derive(`CASE WHEN ${min} = ${max} THEN ${min} END`), fail }, min, max };
}

/** SQL true when the raw cell of a one-column mapping is a value it declares as no value (null_values, map → null). */
function declaredNoValueSql(p: Plan, m: MappingSpec): string {
  if (m.column === undefined) return 'FALSE';
  const values = [...(m.null_values ?? []), ...Object.entries(m.map ?? {}).filter(([, v]) => v === null).map(([k]) => k)];
  if (values.length === 0) return 'FALSE';
  return `(coalesce(${p.cell(m.column)}, '') IN (${values.map(sqlString).join(', ')}))`;
}

/**
 * Compiles a `mapped-survey-csv` source. The scale comes from scale_min/scale_max columns when mapped, else
 * from the source's `scales` for the row's survey type; a score outside the scale rejects the row.
 */
export function compileSurveySql(source: MappedSurveyCsvSource, input: CompileInput): SqlMapping {
  const file = input.file ?? `source ${source.id}`;
  const p = new Plan(source.id, input.header, input.width, source.timezone ?? input.clientZone);
  const f = source.fields;
  const none = (type: string): Read => ({ value: `CAST(NULL AS ${type})`, fail: null });
  const surveyId = compileLimitedText(p, 'survey_id', f.survey_id);
  const contactId = f.contact_id === undefined ? none('VARCHAR') : compileLimitedText(p, 'contact_id', f.contact_id);
  const channel = f.channel === undefined ? none('VARCHAR') : compileText(p, 'channel', spec(f.channel), CHANNELS);
  const agentId = f.agent_id === undefined ? none('VARCHAR') : compileLimitedText(p, 'agent_id', f.agent_id);
  const surveyType = compileText(p, 'survey_type', spec(f.survey_type), SURVEY_TYPES);
  const score = compileNumber(p, 'score', spec(f.score), false);
  const scaleMin = f.scale_min === undefined ? none('DOUBLE') : compileNumber(p, 'scale_min', spec(f.scale_min), false);
  const scaleMax = f.scale_max === undefined ? none('DOUBLE') : compileNumber(p, 'scale_max', spec(f.scale_max), false);
  const comment = f.comment === undefined ? none('VARCHAR') : compileLimitedText(p, 'comment', f.comment);
  const responded = compileTimestamp(p, 'responded_at', spec(f.responded_at));
  finish(p, file);

  const configured = (bound: 'min' | 'max'): string => {
    const entries = Object.entries(source.scales).filter(([, s]) => s !== undefined);
    if (entries.length === 0) return 'CAST(NULL AS DOUBLE)';
    return `CAST(CASE ${surveyType.value} ${entries.map(([type, s]) => `WHEN ${sqlString(type)} THEN ${sqlNumber(s![bound])}`).join(' ')} END AS DOUBLE)`;
  };
  const min = p.derive(`coalesce(${scaleMin.value}, ${configured('min')})`);
  const max = p.derive(`coalesce(${scaleMax.value}, ${configured('max')})`);
  const empty = (field: string, read: Read, m: FieldMapping) => [
    ...(read.fail ? [{ field, fail: read.fail }] : []),
    { field, fail: `CASE WHEN ${read.value} IS NULL THEN ${sqlString(`${describe(p, m)}: empty or a null value; ${field} is required`)} END` },
  ];
  const optional = (field: string, read: Read) => (read.fail ? [{ field, fail: read.fail }] : []);
  // a score the mapping itself says is no value (`Offered: null`, a null value) is a survey not answered: the
  // row is written with score null; an empty or unknown score is still an error
  const noAnswer = declaredNoValueSql(p, spec(f.score));
  const scoreRequired = [
    ...(score.fail ? [{ field: 'score', fail: score.fail }] : []),
    {
      field: 'score',
      fail: `CASE WHEN ${score.value} IS NULL AND NOT ${noAnswer} THEN ${sqlString(`${describe(p, f.score)}: empty or a null value; score is required`)} END`,
    },
  ];
  const checks = [
    ...empty('survey_id', surveyId, f.survey_id),
    ...optional('contact_id', contactId),
    ...optional('channel', channel),
    ...optional('agent_id', agentId),
    ...empty('survey_type', surveyType, f.survey_type),
    ...scoreRequired,
    ...optional('scale_min', scaleMin),
    ...optional('scale_max', scaleMax),
    {
      field: 'scale_min',
      fail: `CASE WHEN ${min} IS NULL OR ${max} IS NULL THEN 'no scale for survey type ' || ${surveyType.value} || ': map scale_min/scale_max or add scales.' || ${surveyType.value} || ' to the source' END`,
    },
    {
      field: 'score',
      fail:
        `CASE WHEN ${score.value} < ${min} OR ${score.value} > ${max} THEN 'score ' || ${jsNumberText(score.value)} || ' is outside the ' || ` +
        `${surveyType.value} || ' scale ' || ${jsNumberText(min)} || '–' || ${jsNumberText(max)} END`,
    },
    ...optional('comment', comment),
    ...empty('responded_at', responded, f.responded_at),
    ...timeChecks('responded_at', responded, input.latestMs, input.clientZone),
  ];
  const rejected = rejection(p, checks);
  const outputs: [string, string][] = [
    ['survey_id', surveyId.value],
    ['contact_id', contactId.value],
    ['channel', channel.value],
    ['agent_id', agentId.value],
    ['survey_type', surveyType.value],
    ['score', score.value],
    ['scale_min', min],
    ['scale_max', max],
    ['comment', comment.value],
    ['responded_ms', responded.value],
    ['__field', rejected.field],
    ['__reason', rejected.reason],
  ];
  const whenValid: [string, string][] = [['dt', localDate(input.clientZone, responded.value)]];
  return { columns: new Set(p.cells.keys()), select: p.build(outputs, rejected.field, input.delimiter ?? source.delimiter, whenValid) };
}
