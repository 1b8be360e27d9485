/**
 * The client configs as four small relations for SQL, so that the analyst views of `sql/views/` measure every
 * client with its own contract, as the report does, on Athena as on DuckDB:
 *
 * - `client_settings`: one row per client — its time zone;
 * - `client_sources`: one row per source — whether its exports record transfers (the transfer rate of contacts
 *   from other sources is unknown, not 0);
 * - `contract_terms`: one row per client × contract version × channel — the service-level threshold T, the
 *   short-abandon threshold S and formula of the channel, and the version's windows, survey minimums and cost;
 * - `contract_targets`: one row per target of each contract version.
 *
 * Athena's views cannot read the YAML files, so the relations are views of literal rows (`values (…)`), rendered
 * here from the validated configs: the CDK data stack creates them in the Glue catalog beside the other views,
 * and `cspulse query` creates them from the config folder. Every value passes through sqlLiteral: numbers, enum
 * members, dates, config ids, zone names and booleans only, so no free text of a config (a name, a label, an
 * address) reaches SQL.
 *
 * Versions: a version applies from its `effective_from` to the day before the next one (`effective_to`, or
 * 9999-12-31 for the newest). The views measure a day with the version in force on it; the report measures a
 * whole period with the version in force on its first day (docs/metrics.md). Before the first version took effect
 * its terms are the only ones known, so its `applies_from` is 0000-01-01 (the report does the same), while the
 * cost counts only from `effective_from` (cost.ts).
 */
import { channelParameters, SERVICE_LEVEL_FORMULAS, TARGET_KPIS, type ClientConfig } from '../config/client-config.ts';
import { sourceRecords } from '../config/source-channels.ts';
import { addDays } from '../kpis/periods.ts';
import { CHANNELS } from '../tables.ts';
import { bool, date, id, member, NULL, num, sqlLiteral, zone, type SqlLiteralValue } from './sql-literal.ts';

/** Trino type names of view columns, as a view's definition in the Glue catalog records them. */
export type ViewColumnType = 'varchar' | 'double' | 'bigint' | 'integer' | 'boolean' | 'date' | 'timestamp(3)';

export interface ViewColumn {
  name: string;
  type: ViewColumnType;
}

export interface ConfigRelation {
  name: (typeof CONFIG_VIEW_NAMES)[number];
  columns: readonly ViewColumn[];
  rows: SqlLiteralValue[][];
}

export const CONFIG_VIEW_NAMES = ['client_settings', 'client_sources', 'contract_terms', 'contract_targets'] as const;

/** The first and last dates a version can apply to: string-comparable with `dt`. */
export const FIRST_DATE = '0000-01-01';
export const LAST_DATE = '9999-12-31';

const col = (name: string, type: ViewColumnType): ViewColumn => ({ name, type });

const VERSION_COLUMNS = [
  col('client_id', 'varchar'),
  col('effective_from', 'varchar'),
  col('applies_from', 'varchar'),
  col('effective_to', 'varchar'),
];

const COLUMNS: Record<ConfigRelation['name'], readonly ViewColumn[]> = {
  client_settings: [col('client_id', 'varchar'), col('timezone', 'varchar')],
  client_sources: [col('client_id', 'varchar'), col('source_id', 'varchar'), col('records_transfers', 'boolean')],
  contract_terms: [
    ...VERSION_COLUMNS,
    col('channel', 'varchar'),
    col('service_level_seconds', 'double'),
    col('short_abandon_seconds', 'double'),
    col('service_level_formula', 'varchar'),
    col('repeat_window_seconds', 'double'),
    col('retry_window_seconds', 'double'),
    col('fcr_window_seconds', 'double'),
    col('csat_satisfied_min', 'double'),
    col('ces_low_effort_min', 'double'),
    col('monthly_cost', 'double'),
  ],
  contract_targets: [
    ...VERSION_COLUMNS,
    col('target_index', 'bigint'),
    col('kpi', 'varchar'),
    col('channel', 'varchar'),
    col('op', 'varchar'),
    col('target_value', 'double'),
  ],
};

const OPS = ['>=', '<='] as const;

function versionRows(config: ClientConfig): { version: ClientConfig['contract'][number]; lead: SqlLiteralValue[] }[] {
  return config.contract.map((version, i) => {
    const next = config.contract[i + 1];
    return {
      version,
      lead: [
        id(config.id),
        date(version.effective_from),
        date(i === 0 ? FIRST_DATE : version.effective_from),
        date(next === undefined ? LAST_DATE : addDays(next.effective_from, -1)),
      ],
    };
  });
}

/** The four relations of a set of client configs, in the order views that join them must be created. */
export function configRelations(configs: readonly ClientConfig[]): ConfigRelation[] {
  const rows: Record<ConfigRelation['name'], SqlLiteralValue[][]> = {
    client_settings: [],
    client_sources: [],
    contract_terms: [],
    contract_targets: [],
  };
  for (const config of [...configs].sort((a, b) => a.id.localeCompare(b.id))) {
    rows.client_settings.push([id(config.id), zone(config.timezone)]);
    for (const source of config.sources) {
      if (source.table !== 'contacts') continue;
      rows.client_sources.push([id(config.id), id(source.id), bool(sourceRecords(source, 'is_transferred'))]);
    }
    for (const { version, lead } of versionRows(config)) {
      for (const channel of CHANNELS) {
        const p = channelParameters(version, channel);
        rows.contract_terms.push([
          ...lead,
          member(channel, CHANNELS),
          num(p.serviceLevelSeconds),
          num(p.shortAbandonSeconds),
          member(p.serviceLevelFormula, SERVICE_LEVEL_FORMULAS),
          num(version.repeat_window_hours * 3600),
          num(version.retry_window_minutes * 60),
          num(version.fcr_window_hours * 3600),
          num(version.csat_satisfied_min),
          num(version.ces_low_effort_min),
          version.monthly_cost === undefined ? NULL : num(version.monthly_cost),
        ]);
      }
      version.targets.forEach((target, i) => {
        rows.contract_targets.push([
          ...lead,
          num(i + 1),
          member(target.kpi, TARGET_KPIS),
          target.channel === undefined ? NULL : member(target.channel, CHANNELS),
          member(target.op, OPS),
          num(target.value),
        ]);
      });
    }
  }
  return CONFIG_VIEW_NAMES.map((name) => ({ name, columns: COLUMNS[name], rows: rows[name] }));
}

/**
 * The SELECT of one relation: its rows as a VALUES list under an outer select that gives every column its type
 * (a VALUES column of quoted words would otherwise be varchar(5) on Trino), or no row at all.
 */
export function configRelationQuery(relation: ConfigRelation): string {
  const typed = relation.columns.map((c) => `cast(${c.name} as ${c.type}) as ${c.name}`).join(', ');
  if (relation.rows.length === 0) {
    return `select ${relation.columns.map((c) => `cast(null as ${c.type}) as ${c.name}`).join(', ')} where false`;
  }
  const values = relation.rows.map((row) => `    (${row.map(sqlLiteral).join(', ')})`).join(',\n');
  return `select ${typed}\nfrom (\n  values\n${values}\n) as config_rows (${relation.columns.map((c) => c.name).join(', ')})`;
}
