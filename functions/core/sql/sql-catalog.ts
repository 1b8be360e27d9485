/**
 * The SQL files of `sql/` by name (path under `sql/` without `.sql`, e.g. `kpis/contact_kpis`). The CLI reads
 * them from the folder; a bundled Lambda passes the texts in (its bundler inlines the files).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const KPI_SQL_NAMES = [
  'kpis/contact_kpis',
  'kpis/survey_kpis',
  'kpis/category_mix',
  'kpis/survey_comments',
  'kpis/hourly_drivers',
  'kpis/hour_categories',
] as const;
export const VIEW_SQL_NAMES = ['views/contacts_local', 'views/surveys_local'] as const;
export type KpiSqlName = (typeof KPI_SQL_NAMES)[number];
export type ViewSqlName = (typeof VIEW_SQL_NAMES)[number];

export type SqlCatalog = Readonly<Record<KpiSqlName, string>>;

/** The repository's `sql/` folder, found from this module so it works from any working directory. */
export const SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));

export async function readSqlFile(name: string, dir: string = SQL_DIR): Promise<string> {
  return readFile(`${dir.replace(/\/$/, '')}/${name}.sql`, 'utf8');
}

export async function loadSqlCatalog(dir: string = SQL_DIR): Promise<SqlCatalog> {
  const entries = await Promise.all(KPI_SQL_NAMES.map(async (name) => [name, await readSqlFile(name, dir)] as const));
  return Object.fromEntries(entries) as Record<KpiSqlName, string>;
}
