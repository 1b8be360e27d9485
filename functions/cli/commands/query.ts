/**
 * `cspulse query`: ad hoc SQL on the local lake under the Athena table names (contacts, surveys, and the
 * contacts_local / surveys_local views), in Trino syntax.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { QueryResult, SqlValue } from '../../core/ports.ts';
import { DEFAULT_LAKE, failClearly, resolveLakeOption, writeOut, type LakeCommandContext } from './kpis.ts';

export type OutputFormat = 'json' | 'csv' | 'table';

const parseFormat = (value: string): OutputFormat => {
  if (value === 'json' || value === 'csv' || value === 'table') return value;
  throw new InvalidArgumentError('must be json, csv or table');
};

const text = (v: SqlValue): string => (v === null ? '' : String(v));

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
const csvField = (v: SqlValue): string => {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function formatResult(result: QueryResult, format: OutputFormat): string[] {
  const names = result.columns.map((c) => c.name);
  if (format === 'json') return [JSON.stringify(result.rows, null, 2)];
  if (format === 'csv') return [names.map(csvField).join(','), ...result.rows.map((r) => names.map((n) => csvField(r[n] ?? null)).join(','))];
  const cells = result.rows.map((r) => names.map((n) => (r[n] === null ? 'NULL' : text(r[n] ?? null))));
  // Hangul is two columns wide in a terminal
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(ch) ? 2 : 1), 0);
  const widths = names.map((n, i) => Math.max(width(n), ...cells.map((c) => width(c[i]!))));
  const line = (values: string[]) => values.map((v, i) => v + ' '.repeat(widths[i]! - width(v))).join(' | ');
  return [line(names), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line), `(${result.rows.length} rows)`];
}

export function registerQueryCommand(program: Command, context: LakeCommandContext): void {
  program
    .command('query')
    .description(
      'Run SQL (Trino syntax, as on Athena) on the local lake: tables contacts and surveys (partition keys ' +
        'client_id and dt), views contacts_local and surveys_local.',
    )
    .argument('<sql>', 'the query')
    .option('--format <format>', 'json | csv | table', parseFormat, 'table' as OutputFormat)
    .option('--config-dir <dir>', 'folder of client configs (unused; accepted like every command)', 'clients')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE)
    .action(async (sql: string, opts: { format: OutputFormat; lake?: string }) => {
      const [{ createDuckDbEngine }, { createViewsSql }] = await Promise.all([import('../../adapters/local/duckdb-engine.ts'), import('../../core/sql/views.ts')]);
      const engine = await createDuckDbEngine({ lakeRoot: resolveLakeOption(context, opts) });
      try {
        for (const view of await createViewsSql()) await engine.query(view);
        const result = await engine.query(sql);
        for (const l of formatResult(result, opts.format)) writeOut(context, l);
      } catch (error) {
        failClearly(context, error);
      } finally {
        await engine.close();
      }
    });
}
