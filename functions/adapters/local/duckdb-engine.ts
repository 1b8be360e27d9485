/**
 * QueryEngine over a local lake folder with DuckDB: the stand-in for Athena. Tables are exposed under the
 * Athena names (`contacts`, `surveys`) with `client_id` and `dt` as VARCHAR Hive partition keys, so the SQL in
 * `sql/` runs unchanged (with the Trino shims of duckdb-dialect.ts).
 *
 * Time: the lake's timestamps are UTC instants. Athena reads them as `timestamp` in a UTC session, so Trino's
 * `arrived_at AT TIME ZONE 'Asia/Seoul'` is the Seoul wall clock of that instant. DuckDB's `AT TIME ZONE` on a
 * zone-less TIMESTAMP does the opposite (it reads the value as a Seoul wall clock and gives the UTC instant, 18
 * hours away from Athena's answer for Seoul), and on a TIMESTAMP WITH TIME ZONE it does what Trino does. So the
 * lake columns are exposed as TIMESTAMPTZ here, and both engines give the same wall clock. In results, an
 * instant prints as ISO 8601 UTC with `Z`; a zone-less timestamp (a local wall clock a query computed, such as
 * the views' `*_local` columns) prints without a zone.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  timestampValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

import { QueryError, type QueryEngine, type QueryResult, type SqlParam, type SqlValue } from '../../core/ports.ts';
import { lakeTables, type LakeTableName, type TableDef } from '../../core/tables.ts';
import { DUCKDB_TRINO_SHIMS } from './duckdb-dialect.ts';

export interface DuckDbEngineOptions {
  /** folder holding `contacts/client_id=…/dt=…/*.parquet` and `surveys/…` */
  lakeRoot: string;
}

export interface DuckDbEngine extends QueryEngine {
  /** EXPLAIN ANALYZE text of a query: shows the files each scan read (`Scanning Files: n/m`). */
  explainAnalyze(sql: string, params?: readonly SqlParam[]): Promise<string>;
  /**
   * Writes a query's result to a Parquet file with DuckDB's own writer, column types kept (the lake's instants as
   * UTC timestamps, local times without a zone). Returns the rows written.
   */
  exportParquet(sql: string, file: string): Promise<number>;
}

const duckType: Record<string, string> = {
  string: 'varchar',
  // instants: see the module comment
  timestamp: 'timestamptz',
  double: 'double',
  int: 'integer',
  boolean: 'boolean',
};

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

async function hasParquet(dir: string, depth: number): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.parquet') && depth === 0) return true;
    if (e.isDirectory() && depth > 0 && (await hasParquet(join(dir, e.name), depth - 1))) return true;
  }
  return false;
}

/** The view body: typed like the Athena table, or an empty relation with the same columns. */
export function lakeViewSql(table: TableDef, lakeRoot: string, hasFiles: boolean): string {
  const dataColumns = table.columns.map((c) => `cast(${c.name} as ${duckType[c.type]}) as ${c.name}`);
  const keys = table.partitionKeys.map((k) => k.name);
  if (!hasFiles) {
    const nulls = [...table.columns.map((c) => `cast(null as ${duckType[c.type]}) as ${c.name}`), ...keys.map((k) => `cast(null as varchar) as ${k}`)];
    return `create or replace temp view ${table.name} as select ${nulls.join(', ')} where false`;
  }
  const glob = join(lakeRoot, table.name, `${keys.map((k) => `${k}=*`).join('/')}`, '*.parquet');
  const hiveTypes = keys.map((k) => `'${k}': varchar`).join(', ');
  return (
    `create or replace temp view ${table.name} as select ${[...dataColumns, ...keys].join(', ')} ` +
    `from read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {${hiveTypes}})`
  );
}

function toDuckValue(param: SqlParam): DuckDBValue {
  if (param instanceof Date) return timestampValue(BigInt(param.getTime()) * 1000n);
  return param;
}

const isoFromMicros = (micros: bigint): string => new Date(Number(micros / 1000n)).toISOString();

/**
 * How a zone-less TIMESTAMP is read: `utc` — as a UTC instant (`…Z`: the ingest workspace, whose timestamps all
 * are); `wall-clock` — as a local date and time without a zone (`2026-03-08T01:59:59.000`: the query engine,
 * where the lake's instants are TIMESTAMPTZ and a zone-less value is a wall clock a query computed).
 */
export type NaiveTimestamps = 'utc' | 'wall-clock';

const naiveText = (iso: string, naive: NaiveTimestamps): string => (naive === 'utc' ? iso : iso.replace(/Z$/, ''));

/** Converts one DuckDB value to the port's value type (no BigInt, no engine objects). */
export function fromDuckValue(value: DuckDBValue, type: DuckDBType, naive: NaiveTimestamps = 'utc'): SqlValue {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return Boolean(value);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return Number(value);
    case DuckDBTypeId.DECIMAL:
      return value instanceof DuckDBDecimalValue ? value.toDouble() : Number(String(value));
    case DuckDBTypeId.DATE:
      return value instanceof DuckDBDateValue ? value.toString() : String(value);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value instanceof DuckDBTimestampTZValue ? isoFromMicros(value.micros) : String(value);
    case DuckDBTypeId.TIMESTAMP:
      return value instanceof DuckDBTimestampValue ? naiveText(isoFromMicros(value.micros), naive) : String(value);
    case DuckDBTypeId.TIMESTAMP_MS:
      return value instanceof DuckDBTimestampMillisecondsValue ? naiveText(new Date(Number(value.millis)).toISOString(), naive) : String(value);
    case DuckDBTypeId.TIMESTAMP_S:
      return value instanceof DuckDBTimestampSecondsValue ? naiveText(new Date(Number(value.seconds) * 1000).toISOString(), naive) : String(value);
    case DuckDBTypeId.TIMESTAMP_NS:
      return value instanceof DuckDBTimestampNanosecondsValue ? naiveText(isoFromMicros(value.nanos / 1000n), naive) : String(value);
    case DuckDBTypeId.VARCHAR:
      return String(value);
    default:
      return typeof value === 'bigint' ? Number(value) : String(value);
  }
}

export async function createDuckDbEngine(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  // The lake holds UTC instants; without this DuckDB would render and truncate them in the host's zone.
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const shim of DUCKDB_TRINO_SHIMS) await connection.run(shim);

  const viewHasFiles = new Map<LakeTableName, boolean>();
  const refreshViews = async (): Promise<void> => {
    for (const name of Object.keys(lakeTables) as LakeTableName[]) {
      if (viewHasFiles.get(name) === true) continue;
      // client_id=… / dt=… / file: files can appear after the engine was created, so look until they do
      const hasFiles = await hasParquet(join(options.lakeRoot, name), 2);
      if (viewHasFiles.get(name) === hasFiles) continue;
      await connection.run(lakeViewSql(lakeTables[name], options.lakeRoot, hasFiles));
      viewHasFiles.set(name, hasFiles);
    }
  };

  // One connection runs one statement at a time: queue callers instead of interleaving them.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const run = (sql: string, params: readonly SqlParam[]) =>
    serial(async () => {
      await refreshViews();
      try {
        return await connection.runAndReadAll(sql, params.map(toDuckValue));
      } catch (cause) {
        throw new QueryError(`DuckDB: ${cause instanceof Error ? cause.message : String(cause)}`, sql, { cause });
      }
    });

  return {
    async query(sql, params = []): Promise<QueryResult> {
      const started = performance.now();
      const reader = await run(sql, params);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const rows = reader.getRows().map((raw) => {
        const row: Record<string, SqlValue> = {};
        names.forEach((name, i) => {
          row[name] = fromDuckValue(raw[i] ?? null, types[i]!, 'wall-clock');
        });
        return row;
      });
      return {
        columns: names.map((name, i) => ({ name, type: types[i]!.toString().toLowerCase() })),
        rows,
        stats: { engine: 'duckdb', elapsedMs: performance.now() - started },
      };
    },
    async exportParquet(sql, file) {
      // COPY takes one SELECT: a trailing semicolon would end it early
      const query = sql.trim().replace(/;+\s*$/, '');
      const reader = await run(`copy (${query}\n) to ${sqlString(file)} (format parquet, compression zstd)`, []);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    },
    async explainAnalyze(sql, params = []) {
      const reader = await run(`explain analyze ${sql}`, params);
      return reader
        .getRows()
        .map((r) => String(r[1] ?? ''))
        .join('\n');
    },
    async close() {
      await serial(async () => {
        connection.closeSync();
        instance.closeSync();
      });
    },
  };
}
