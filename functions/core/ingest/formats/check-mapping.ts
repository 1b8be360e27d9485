/**
 * A mapping can be valid by the schema and still unable to work (an outcome mapped to a value that is not an
 * outcome, no channel anywhere, a regular expression the engine's RE2 does not take). `config check` compiles
 * every mapping against a header made of the columns it names, has the engine prepare the SQL over an empty
 * record file, and warns of values that can never match. That is the same compiler ingest runs, without data.
 */
import type { ClientConfig, SourceConfig } from '../../config/client-config.ts';
import { columnsNamed, mappingParts } from '../mapping/columns-named.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { compileJsonPaths } from '../mapping/json-path.ts';
import { compileContactSql, compileSurveySql, type SqlMapping } from '../mapping/sql-mapping.ts';
import { FileRejectedError } from '../types.ts';

type MappedSource = Extract<SourceConfig, { format: 'mapped-csv' | 'mapped-survey-csv' | 'mapped-xlsx' | 'mapped-json' }>;

export const isMapped = (source: SourceConfig): source is MappedSource =>
  source.format === 'mapped-csv' || source.format === 'mapped-survey-csv' || source.format === 'mapped-xlsx' || source.format === 'mapped-json';

/** The source's mapping compiled against a header of exactly the columns it names. */
export function compileWithoutData(config: ClientConfig, source: MappedSource): { mapping: SqlMapping; width: number } {
  const named = columnsNamed(source.format === 'mapped-survey-csv' ? { fields: source.fields } : mappingParts(source));
  const width = Math.max(0, ...[...named].filter((c): c is number => typeof c === 'number').map((c) => c + 1));
  const names = [...named].filter((c): c is string => typeof c === 'string');
  const header = [...Array.from({ length: width }, (_, i) => `#${i}`), ...names];
  const hasHeader = source.format === 'mapped-json' || source.header;
  const input = { header: hasHeader ? header : null, width: header.length, clientZone: config.timezone, delimiter: ',' };
  if (source.format === 'mapped-survey-csv') return { mapping: compileSurveySql(source, input), width: header.length };
  if (source.format === 'mapped-json' && width > 0) throw new MappingConfigError(source.id, '(columns)', `JSON records are read by field path, not by position (${width - 1})`);
  if (source.format === 'mapped-json') compileJsonPaths(source.id, names, source.fields);
  return { mapping: compileContactSql(source, input), width: header.length };
}

/** Problems of every mapped source of a client, as `sources.<id>: message` lines; empty when all compile. */
export function mappingProblems(config: ClientConfig): string[] {
  const problems: string[] = [];
  for (const source of config.sources) {
    if (!isMapped(source)) continue;
    try {
      compileWithoutData(config, source);
    } catch (error) {
      if (error instanceof MappingConfigError || error instanceof FileRejectedError) problems.push(`sources.${source.id}: ${error.message}`);
      else throw error;
    }
  }
  return problems;
}

/** The trim set of the records stage (JS's String.prototype.trim, the same class as SPACE_CLASS in SQL). */
const hasSurroundingSpace = (value: string): boolean => value !== value.trim();
const shown = (value: string): string => JSON.stringify(value).replace(/\u00a0/g, '\\u00a0');

/** A raw value the mapping compares cells with: a map key, a null value, a condition's equals or in. */
export interface MatchedValue {
  /** where in the source it is written, e.g. `fields.outcome.map` */
  path: string;
  column: string | number | undefined;
  value: string;
}

/** Every raw value a source's mapping compares trimmed cells with, and the column it compares. */
export function matchedValues(source: MappedSource): MatchedValue[] {
  const out: MatchedValue[] = [];
  const walk = (node: unknown, path: string, column: string | number | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, column));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    const own = typeof o.column === 'string' || typeof o.column === 'number' ? o.column : column;
    if (o.map && typeof o.map === 'object') for (const key of Object.keys(o.map)) out.push({ path: `${path}.map`, column: own, value: key });
    if (Array.isArray(o.null_values)) for (const v of o.null_values) if (typeof v === 'string') out.push({ path: `${path}.null_values`, column: own, value: v });
    if (typeof o.equals === 'string') out.push({ path: `${path}.equals`, column: own, value: o.equals });
    if (Array.isArray(o.in)) for (const v of o.in) if (typeof v === 'string') out.push({ path: `${path}.in`, column: own, value: v });
    for (const [key, value] of Object.entries(o)) {
      if (['map', 'null_values', 'equals', 'in'].includes(key)) continue;
      // a field's date/time parts and its fallbacks are read from their own columns
      walk(value, `${path}.${key}`, key === 'fallback' || key === 'date' || key === 'time' ? undefined : own);
    }
  };
  walk(source.fields, 'fields', undefined);
  if ('outcome_rules' in source) walk(source.outcome_rules, 'outcome_rules', undefined);
  if ('legs' in source && source.legs) walk(source.legs, 'legs', undefined);
  return out;
}

/**
 * Values that can never match: cells are trimmed of every Unicode space before any rule sees them, so a map
 * key or rule value with a space at either end is never equal to one.
 */
export function mappingWarnings(config: ClientConfig): string[] {
  const warnings: string[] = [];
  for (const source of config.sources) {
    if (!isMapped(source)) continue;
    for (const m of matchedValues(source)) {
      if (hasSurroundingSpace(m.value)) {
        warnings.push(
          `sources.${source.id}.${m.path}: ${shown(m.value)} has a space at its start or end; cells are trimmed, so it never matches (write ${shown(m.value.trim())})`,
        );
      }
    }
  }
  return warnings;
}
