/**
 * A mapping can be valid by the schema and still unable to work (an outcome mapped to a value that is not an
 * outcome, no channel anywhere). Compiling it against a header made of the columns it names finds that when
 * the config is checked, not when the first export arrives.
 */
import type { ClientConfig } from '../../config/client-config.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { compileContactSql, compileSurveySql } from '../mapping/sql-mapping.ts';

function columnsNamed(value: unknown, into: Set<string | number>): Set<string | number> {
  if (Array.isArray(value)) for (const v of value) columnsNamed(v, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'column' && (typeof v === 'string' || typeof v === 'number')) into.add(v);
      else if (key === 'columns' && Array.isArray(v)) for (const c of v) into.add(c as string | number);
      else columnsNamed(v, into);
    }
  }
  return into;
}

/** Problems of every mapped source of a client, as `sources.<id>: message` lines; empty when all compile. */
export function mappingProblems(config: ClientConfig): string[] {
  const problems: string[] = [];
  for (const source of config.sources) {
    if (source.format !== 'mapped-csv' && source.format !== 'mapped-survey-csv') continue;
    const named = columnsNamed({ fields: source.fields, rules: 'outcome_rules' in source ? source.outcome_rules : [] }, new Set());
    const width = Math.max(0, ...[...named].filter((c): c is number => typeof c === 'number').map((c) => c + 1));
    const header = [...Array.from({ length: width }, (_, i) => `#${i}`), ...[...named].filter((c): c is string => typeof c === 'string')];
    try {
      const input = { header: source.header ? header : null, width: header.length, clientZone: config.timezone };
      if (source.format === 'mapped-csv') compileContactSql(source, input);
      else compileSurveySql(source, input);
    } catch (error) {
      if (error instanceof MappingConfigError) problems.push(`sources.${source.id}: ${error.message}`);
      else throw error;
    }
  }
  return problems;
}
