/**
 * `cspulse query`: ad hoc SQL on the local lake under the Athena names — tables contacts and surveys, the analyst
 * views of sql/views/ (kpi_daily, kpi_hourly, sla_daily, repeat_contacts, contacts_classified, contacts_local,
 * surveys_local) and the client configs' relations (contract_terms, contract_targets, client_sources,
 * client_settings) — in Trino syntax. The SQL comes as an argument, from a file (--file F.sql) or from standard
 * input (`-`), so a saved query that begins with a `--` comment runs as it is; the result prints as a table, CSV or
 * JSON, or goes to a CSV, XLSX or Parquet file (--out).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { ClientConfig } from '../../core/config/client-config.ts';
import type { OutputFormat } from '../query-output.ts';
import { DEFAULT_LAKE, failClearly, resolveLakeOption, writeOut, type LakeCommandContext } from './kpis.ts';

export interface QueryCommandContext extends LakeCommandContext {
  readStdin?(): Promise<string>;
  err?(line: string): void;
  /** the time written into an XLSX file's properties; default now */
  now?(): Date;
}

interface QueryOptions {
  format: OutputFormat;
  file?: string;
  out?: string;
  configDir: string;
  lake?: string;
}

const parseFormat = (value: string): OutputFormat => {
  if (value === 'json' || value === 'csv' || value === 'table') return value;
  throw new InvalidArgumentError('must be json, csv or table');
};

/** the kind of file --out names (query-output.ts writes it; checked here so `--help` loads no more than commander) */
const outKind = (path: string): 'csv' | 'xlsx' | 'parquet' | null => {
  const m = /\.(csv|xlsx|parquet)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as 'csv' | 'xlsx' | 'parquet') : null;
};

const parseOut = (value: string): string => {
  if (outKind(value) === null) throw new InvalidArgumentError('must end in .csv, .xlsx or .parquet');
  return value;
};

function fail(context: QueryCommandContext, message: string): never {
  context.fail?.(message);
  throw new Error(message);
}

/** The query text: the argument, the --file, or standard input for `-` in either place. */
async function readQuery(context: QueryCommandContext, sql: string | undefined, file: string | undefined): Promise<string> {
  if (sql !== undefined && file !== undefined) fail(context, 'give the SQL as an argument or with --file, not both');
  const source = file ?? (sql === '-' ? '-' : undefined);
  if (source === undefined) {
    if (sql === undefined || sql.trim() === '') fail(context, 'no SQL: give it as an argument, with --file F.sql, or - to read standard input');
    // an unknown option lands here as the query text (options are parsed leniently so that "-- comment…" can)
    if (/^--?[a-z][a-z-]*$/i.test(sql)) fail(context, `unknown option ${sql}`);
    return sql;
  }
  if (source === '-') {
    if (!context.readStdin) fail(context, 'standard input cannot be read here');
    return context.readStdin();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    fail(context, `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The client configs the views measure with. Without a config folder the views still exist, with no contract
 * terms (their KPIs that need terms are null) and a warning saying so; a folder with a bad file fails as
 * `config check` would.
 */
async function viewConfigs(context: QueryCommandContext, configDir: string): Promise<ClientConfig[]> {
  if (!existsSync(configDir)) {
    context.err?.(`warning: no config folder ${configDir}: the views have no contract terms (use --config-dir)`);
    return [];
  }
  const { loadClientConfigs } = await import('../../core/config/load-configs.ts');
  return loadClientConfigs(configDir);
}

export function registerQueryCommand(program: Command, context: QueryCommandContext): void {
  program
    .command('query')
    .description(
      'Run SQL (Trino syntax, as on Athena) on the local lake: tables contacts and surveys (partition keys client_id ' +
        'and dt), the analyst views kpi_daily, kpi_hourly, sla_daily, repeat_contacts, contacts_classified, ' +
        'contacts_local and surveys_local, and the configs as contract_terms, contract_targets, client_sources and ' +
        'client_settings. Local times print without a zone, UTC instants with Z.',
    )
    .argument('[sql]', 'the query; - reads it from standard input')
    .option('--file <path>', 'read the query from a .sql file (- for standard input)')
    .option('--format <format>', 'json | csv | table', parseFormat, 'table' as OutputFormat)
    .option('--out <path>', 'write the result to F.csv, F.xlsx or F.parquet instead of printing it', parseOut)
    .option('--config-dir <dir>', 'folder of client configs: the contract terms the views measure with', 'clients')
    .option('--lake <dir>', 'local lake folder', DEFAULT_LAKE)
    // "-- the worst hour…" as the query would otherwise be read as an option
    .allowUnknownOption(true)
    .action(async (sql: string | undefined, opts: QueryOptions) => {
      const query = await readQuery(context, sql, opts.file);
      const configs = await viewConfigs(context, opts.configDir);
      // the engine and writers load when a query runs, not for `--help`
      const [{ createDuckDbEngine }, { createViewsSql }, { formatResult, outputFileKind, resultCsvFile, resultXlsxFile }] = await Promise.all([
        import('../../adapters/local/duckdb-engine.ts'),
        import('../../core/sql/views.ts'),
        import('../query-output.ts'),
      ]);
      const engine = await createDuckDbEngine({ lakeRoot: resolveLakeOption(context, opts) });
      try {
        for (const view of await createViewsSql(configs)) await engine.query(view);
        const kind = opts.out === undefined ? null : outputFileKind(opts.out);
        if (kind === 'parquet') {
          const rows = await engine.exportParquet(query, opts.out!);
          writeOut(context, `wrote ${rows} rows to ${opts.out}`);
          return;
        }
        const result = await engine.query(query);
        if (kind === null) {
          for (const l of formatResult(result, opts.format)) writeOut(context, l);
          return;
        }
        const bytes = kind === 'csv' ? resultCsvFile(result) : await resultXlsxFile(result, context.now?.() ?? new Date());
        await writeFile(opts.out!, bytes);
        writeOut(context, `wrote ${result.rows.length} rows to ${opts.out}`);
      } catch (error) {
        failClearly(context, error);
      } finally {
        await engine.close();
      }
    });
}
