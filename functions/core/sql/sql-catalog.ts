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
/** The live page's and the intraday alerts' query (functions/core/live/), which the live and ingest functions read. */
export const LIVE_SQL_NAMES = ['live/intraday'] as const;
/** In the order they can be created: a view comes after the views it reads. */
export const VIEW_SQL_NAMES = [
  'views/contacts_local',
  'views/surveys_local',
  'views/contacts_classified',
  'views/kpi_daily',
  'views/kpi_hourly',
  'views/sla_daily',
  'views/repeat_contacts',
] as const;
export type KpiSqlName = (typeof KPI_SQL_NAMES)[number];
export type LiveSqlName = (typeof LIVE_SQL_NAMES)[number];
export type ViewSqlName = (typeof VIEW_SQL_NAMES)[number];

export type SqlCatalog = Readonly<Record<KpiSqlName | LiveSqlName, string>>;

/** The repository's `sql/` folder, found from this module so it works from any working directory. */
export const SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));

export async function readSqlFile(name: string, dir: string = SQL_DIR): Promise<string> {
  return readFile(`${dir.replace(/\/$/, '')}/${name}.sql`, 'utf8');
}

export async function loadSqlCatalog(dir: string = SQL_DIR): Promise<SqlCatalog> {
  const entries = await Promise.all([...KPI_SQL_NAMES, ...LIVE_SQL_NAMES].map(async (name) => [name, await readSqlFile(name, dir)] as const));
  return Object.fromEntries(entries) as Record<KpiSqlName | LiveSqlName, string>;
}
