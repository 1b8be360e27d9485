/**
 * Contract terms and period bounds as SQL literals. Athena accepts `?` execution parameters only in a WHERE
 * clause ("Use parameterized queries", considerations and limitations:
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html), so a KPI query that
 * needs a threshold in a CASE or a period bound in a VALUES list gets it as a literal instead. The values that
 * may travel this way are closed types the client config schema has already validated — a finite number, a
 * member of a fixed list, a `YYYY-MM-DD` date, a config id or a list of them, an IANA zone name, a boolean — and
 * `sqlLiteral` refuses anything else, so no free string (a category, a file name, anything from an export) can
 * ever reach SQL text. The KPI queries keep even the client id a `?` parameter in WHERE clauses; only the views
 * that carry the client configs to SQL (config-views.ts) write validated client and source ids as literals.
 *
 * SQL files mark a literal's place with `{{name}}`; `renderSqlTemplate` fills every slot through `sqlLiteral`
 * and fails on a slot without a value or a value without a slot.
 */
import { SqlTemplateError } from './errors.ts';

export type SqlLiteralValue =
  | { kind: 'number'; value: number }
  | { kind: 'date'; value: string }
  | { kind: 'enum'; value: string; members: readonly string[] }
  | { kind: 'ids'; values: readonly string[] }
  | { kind: 'id'; value: string }
  | { kind: 'zone'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export const num = (value: number): SqlLiteralValue => ({ kind: 'number', value });
export const date = (value: string): SqlLiteralValue => ({ kind: 'date', value });
export const member = <T extends string>(value: T, members: readonly T[]): SqlLiteralValue => ({ kind: 'enum', value, members });
/** a list of config ids (source ids: validated by the config schema) for an `in (…)` test */
export const ids = (values: readonly string[]): SqlLiteralValue => ({ kind: 'ids', values });
/** one config id (a client or source id), as a quoted varchar */
export const id = (value: string): SqlLiteralValue => ({ kind: 'id', value });
/** an IANA time zone name the config schema accepted (Asia/Seoul, America/Argentina/Buenos_Aires, UTC) */
export const zone = (value: string): SqlLiteralValue => ({ kind: 'zone', value });
export const bool = (value: boolean): SqlLiteralValue => ({ kind: 'boolean', value });
export const NULL: SqlLiteralValue = { kind: 'null' };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** enum members are identifiers or comparison signs: nothing to escape, and a member that needed escaping is refused */
const IDENTIFIER = /^(?:[a-z][a-z0-9_]*|[<>]=?)$/;
/** config ids (sources): lowercase letters, digits, "-" and "_", as the config schema allows */
const CONFIG_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** IANA zone names: letters, digits, "_", "+", "-" in "/"-separated parts; nothing to escape */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999 (0000-01-01 marks an empty range)
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString().slice(0, 10) === text;
}

/**
 * The SQL text of one closed-type value, the same on Trino and DuckDB: a number as `cast(<n> as double)` (so an
 * integer never divides as an integer), a date and an enum member as a quoted varchar.
 * @throws SqlTemplateError for a non-finite number, a string that is not a real date, or a value outside its list
 */
export function sqlLiteral(literal: SqlLiteralValue): string {
  switch (literal.kind) {
    case 'number': {
      const { value } = literal;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new SqlTemplateError(`not a finite number: ${String(value)}`);
      // String() gives digits, an optional fraction and an optional exponent (1e-7, 1e+21): both engines read
      // the exponent form as a double literal. -0 prints as 0.
      return `cast(${String(value).toUpperCase()} as double)`;
    }
    case 'date':
      if (typeof literal.value !== 'string' || !isCalendarDate(literal.value)) {
        throw new SqlTemplateError(`not a date YYYY-MM-DD: ${JSON.stringify(literal.value)}`);
      }
      return `'${literal.value}'`;
    case 'enum':
      if (!literal.members.includes(literal.value) || !IDENTIFIER.test(literal.value)) {
        throw new SqlTemplateError(`${JSON.stringify(literal.value)} is not one of ${literal.members.join(', ')}`);
      }
      return `'${literal.value}'`;
    case 'ids': {
      const bad = literal.values.find((v) => typeof v !== 'string' || !CONFIG_ID.test(v));
      if (bad !== undefined) throw new SqlTemplateError(`not a config id: ${JSON.stringify(bad)}`);
      // an empty list matches nothing: `x in (null)` is null, never true
      return literal.values.length === 0 ? '(cast(null as varchar))' : `(${literal.values.map((v) => `'${v}'`).join(', ')})`;
    }
    case 'id':
      if (typeof literal.value !== 'string' || !CONFIG_ID.test(literal.value)) throw new SqlTemplateError(`not a config id: ${JSON.stringify(literal.value)}`);
      return `'${literal.value}'`;
    case 'zone':
      if (typeof literal.value !== 'string' || !ZONE_NAME.test(literal.value)) throw new SqlTemplateError(`not a time zone name: ${JSON.stringify(literal.value)}`);
      return `'${literal.value}'`;
    case 'boolean':
      if (typeof literal.value !== 'boolean') throw new SqlTemplateError(`not a boolean: ${JSON.stringify((literal as { value: unknown }).value)}`);
      return literal.value ? 'true' : 'false';
    case 'null':
      return 'null';
    default:
      throw new SqlTemplateError(`unknown literal kind: ${JSON.stringify(literal)}`);
  }
}

const SLOT = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** The slot names of a SQL template, in order of first appearance. */
export function templateSlots(template: string): string[] {
  return [...new Set([...template.matchAll(SLOT)].map((m) => m[1]!))];
}

/**
 * Fills every `{{name}}` slot of a SQL file with its literal.
 * @throws SqlTemplateError naming the file and the slot when a slot has no value or a value has no slot
 */
export function renderSqlTemplate(template: string, values: Readonly<Record<string, SqlLiteralValue>>, file: string): string {
  const slots = new Set(templateSlots(template));
  for (const name of slots) if (!(name in values)) throw new SqlTemplateError(`${file}: no value for {{${name}}}`);
  for (const name of Object.keys(values)) if (!slots.has(name)) throw new SqlTemplateError(`${file}: has no slot {{${name}}}`);
  return template.replace(SLOT, (_m, name: string) => {
    try {
      return sqlLiteral(values[name]!);
    } catch (error) {
      throw new SqlTemplateError(`${file}: {{${name}}}: ${(error as Error).message}`, { cause: error });
    }
  });
}
