/**
 * Renders the Athena (Glue) DDL of the lake tables from functions/core/tables.ts, so the committed
 * `sql/ddl/*.sql` files cannot drift from the Parquet the ingest writes (a test compares them).
 *
 * The files carry two placeholders the deployer substitutes (the CDK data stack, or a person in the Athena
 * console): `${DATABASE}` (Glue database name) and `${LAKE_LOCATION}` (lake root without trailing slash,
 * e.g. `s3://my-lake-bucket`). The `${client_id}` and `${dt}` in `storage.location.template` are Athena's own
 * partition projection variables and stay as they are.
 */
import { lakeTables, sqlType, type ColumnDef, type TableDef } from '../tables.ts';

export const DDL_PLACEHOLDERS = ['DATABASE', 'LAKE_LOCATION'] as const;
export type DdlPlaceholder = (typeof DDL_PLACEHOLDERS)[number];

/**
 * The business dates partition projection enumerates, as Athena's `projection.dt.range`
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html). Athena computes
 * `NOW` in UTC when the query runs, and drops dates outside the range without an error, so the range must
 * hold every date the lake can hold:
 * - from 1970-01-01: ingest does not write earlier years (backfills such as 1999 bank data must be visible);
 * - to one day past today in UTC: a client east of UTC is on the next date for part of every day (Seoul,
 *   UTC+9, from 15:00 UTC; the furthest zone, UTC+14, from 10:00 UTC), and its today must be queryable.
 */
export const PROJECTION_START_DATE = '1970-01-01';
export const PROJECTION_DT_RANGE = `${PROJECTION_START_DATE},NOW+1DAYS`;

/** Hive string literal: backslash escapes, as Athena DDL expects. */
const hiveString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const columnLine = (c: ColumnDef): string => `  \`${c.name}\` ${sqlType[c.type]} COMMENT ${hiveString(c.comment)}`;

export function renderDatabaseDdl(): string {
  return [
    '-- Generated from functions/core/tables.ts by functions/core/sql/athena-ddl.ts: do not edit by hand.',
    '-- Placeholder: ${DATABASE} = Glue database name.',
    "CREATE DATABASE IF NOT EXISTS `${DATABASE}` COMMENT 'cspulse contact-center lake'",
    '',
  ].join('\n');
}

export function renderTableDdl(table: TableDef): string {
  const location = `\${LAKE_LOCATION}/${table.name}/`;
  const properties: [string, string][] = [
    ['parquet.compression', 'SNAPPY'],
    ['projection.enabled', 'true'],
    // client ids are not enumerable in advance: every query must say `client_id = ...`
    ['projection.client_id.type', 'injected'],
    ['projection.dt.type', 'date'],
    ['projection.dt.format', 'yyyy-MM-dd'],
    ['projection.dt.range', PROJECTION_DT_RANGE],
    ['projection.dt.interval', '1'],
    ['projection.dt.interval.unit', 'DAYS'],
    ['storage.location.template', `${location}client_id=\${client_id}/dt=\${dt}/`],
  ];
  return [
    '-- Generated from functions/core/tables.ts by functions/core/sql/athena-ddl.ts: do not edit by hand.',
    '-- Placeholders: ${DATABASE} = Glue database name; ${LAKE_LOCATION} = lake root without trailing slash',
    "-- (e.g. s3://my-lake-bucket). ${client_id} and ${dt} below are Athena's partition projection variables.",
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`\${DATABASE}\`.\`${table.name}\` (`,
    table.columns.map(columnLine).join(',\n'),
    ')',
    `COMMENT ${hiveString(table.comment)}`,
    `PARTITIONED BY (`,
    table.partitionKeys.map(columnLine).join(',\n'),
    ')',
    'STORED AS PARQUET',
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    properties.map(([k, v]) => `  ${hiveString(k)} = ${hiveString(v)}`).join(',\n'),
    ')',
    '',
  ].join('\n');
}

/** Every generated DDL file: path relative to `sql/` → text. */
export function renderAllDdl(): Record<string, string> {
  return {
    'ddl/database.sql': renderDatabaseDdl(),
    'ddl/contacts.sql': renderTableDdl(lakeTables.contacts),
    'ddl/surveys.sql': renderTableDdl(lakeTables.surveys),
  };
}

/** Replaces the documented placeholders; leaves Athena's own `${client_id}`/`${dt}` alone. */
export function fillDdlPlaceholders(text: string, values: Record<DdlPlaceholder, string>): string {
  return text.replace(/\$\{(DATABASE|LAKE_LOCATION)\}/g, (_m, name: DdlPlaceholder) => values[name]);
}
