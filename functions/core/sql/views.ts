/**
 * The analyst views: the relations of the client configs (config-views.ts), then the files of `sql/views/`, in the
 * order they can be created. The same texts become CREATE OR REPLACE VIEW statements for DuckDB (`cspulse query`)
 * and, in the CDK data stack, views in the Glue catalog that Athena runs.
 */
import type { ClientConfig } from '../config/client-config.ts';
import { configRelationQuery, configRelations, type ViewColumn } from './config-views.ts';
import { SqlTemplateError } from './errors.ts';
import { readFile } from 'node:fs/promises';
import { readSqlFile, SQL_DIR, VIEW_SQL_NAMES } from './sql-catalog.ts';

export interface AnalystView {
  name: string;
  /** `views/<name>` for a file of sql/, null for a relation of the configs */
  file: string | null;
  /** the view's SELECT, Trino syntax */
  query: string;
  /** its columns: from its definition (the config relations) or from sql/views/columns.json (the files) */
  columns: readonly ViewColumn[];
}

/** The committed column names and Trino types of the view files (a test keeps it equal to what DuckDB computes). */
export const VIEW_COLUMNS_FILE = 'views/columns.json';

export async function loadViewColumns(dir: string = SQL_DIR): Promise<Record<string, ViewColumn[]>> {
  return JSON.parse(await readFile(`${dir.replace(/\/$/, '')}/${VIEW_COLUMNS_FILE}`, 'utf8')) as Record<string, ViewColumn[]>;
}

const VIEW_HEADER = /^create or replace view ([a-z][a-z0-9_]*) as[ \t]*$/m;

/**
 * The name and the SELECT of a view file: its `create or replace view <name> as` line, then the query.
 * @throws SqlTemplateError naming the file when the line is missing or names another view than the file
 */
export function splitViewFile(text: string, file: string): { name: string; query: string } {
  const match = VIEW_HEADER.exec(text);
  const expected = file.replace(/^views\//, '');
  if (!match) throw new SqlTemplateError(`sql/${file}.sql: no "create or replace view ${expected} as" line`);
  if (match[1] !== expected) throw new SqlTemplateError(`sql/${file}.sql: creates view ${match[1]}, not ${expected}`);
  return { name: match[1]!, query: text.slice(match.index + match[0].length).trim() };
}

export async function analystViews(configs: readonly ClientConfig[], dir: string = SQL_DIR): Promise<AnalystView[]> {
  const fromConfigs = configRelations(configs).map((r) => ({ name: r.name, file: null, query: configRelationQuery(r), columns: r.columns }));
  const columns = await loadViewColumns(dir);
  const fromFiles = await Promise.all(
    VIEW_SQL_NAMES.map(async (file) => {
      const { name, query } = splitViewFile(await readSqlFile(file, dir), file);
      return { name, query, file, columns: columns[name] ?? [] };
    }),
  );
  return [...fromConfigs, ...fromFiles];
}

export const createViewStatement = (view: AnalystView): string => `create or replace view ${view.name} as\n${view.query}`;

/** CREATE OR REPLACE VIEW statements, in order, for an engine that runs them one by one (DuckDB). */
export async function createViewsSql(configs: readonly ClientConfig[], dir: string = SQL_DIR): Promise<string[]> {
  return (await analystViews(configs, dir)).map(createViewStatement);
}
