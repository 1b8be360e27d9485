/**
 * Writes hand-written rows as a Hive-partitioned Parquet lake with DuckDB itself, the column list taken from
 * functions/core/tables.ts (client_id and dt become the partition folders, as the ingest writes them).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lakeTables, type ContactRow, type LakeTableName, type SurveyRow } from '../../../functions/core/tables.ts';

type Lit = string | number | boolean | Date | null;

const duckType = { string: 'varchar', timestamp: 'timestamptz', double: 'double', int: 'integer', boolean: 'boolean' } as const;

const literal = (v: Lit): string => {
  if (v === null) return 'null';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return String(v);
};

export async function writeLakeTable(
  lakeRoot: string,
  table: LakeTableName,
  rows: readonly { client_id: string; dt: string; row: Record<string, Lit> }[],
): Promise<void> {
  if (rows.length === 0) return;
  const def = lakeTables[table];
  const columns = [...def.columns, ...def.partitionKeys];
  const values = rows.map(({ client_id, dt, row }) => {
    const all: Record<string, Lit> = { ...row, client_id, dt };
    return `(${columns.map((c) => `cast(${literal(all[c.name] ?? null)} as ${duckType[c.type]})`).join(', ')})`;
  });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    await connection.run(
      `COPY (select * from (values ${values.join(',\n')}) as t (${columns.map((c) => c.name).join(', ')})) ` +
        `TO '${join(lakeRoot, table)}' (FORMAT parquet, PARTITION_BY (client_id, dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'fixture--{i}')`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export const tempLake = (): Promise<string> => mkdtemp(join(tmpdir(), 'cspulse-lake-'));

const T0 = new Date('2026-01-01T00:00:00Z');

/** A contact with everything not given set as the ingest would for a plain answered call. */
export function contact(partial: Partial<ContactRow> & Pick<ContactRow, 'contact_id' | 'arrived_at' | 'local_hour'>): Record<string, Lit> {
  const row: ContactRow = {
    channel: 'phone',
    direction: 'inbound',
    queue: null,
    category: null,
    subcategory: null,
    customer_key: null,
    agent_id: null,
    answered_at: null,
    ended_at: null,
    ivr_seconds: null,
    wait_seconds: null,
    talk_seconds: null,
    hold_seconds: null,
    acw_seconds: null,
    handle_seconds: null,
    outcome: 'answered',
    is_transferred: false,
    is_resolved: null,
    source: 'fixture',
    source_file: 'fixture.csv',
    ingested_at: T0,
    updated_at: null,
    delivered_at: T0,
    wait_min_seconds: null,
    wait_max_seconds: null,
    ...partial,
  } as ContactRow;
  return { ...row };
}

export function survey(partial: Partial<SurveyRow> & Pick<SurveyRow, 'survey_id' | 'survey_type' | 'score' | 'responded_at'>): Record<string, Lit> {
  const scales = { csat: [1, 5], nps: [0, 10], ces: [1, 7] } as const;
  const row: SurveyRow = {
    contact_id: null,
    channel: null,
    agent_id: null,
    scale_min: scales[partial.survey_type][0],
    scale_max: scales[partial.survey_type][1],
    comment: null,
    source: 'fixture',
    source_file: 'surveys.csv',
    ingested_at: T0,
    delivered_at: T0,
    ...partial,
  };
  return { ...row };
}
