/**
 * The ingest workspace on DuckDB, in-process: a fresh in-memory database per input file, with a memory limit
 * and a spill folder so a large export fits a Lambda's memory. The session time zone is UTC, so timestamps
 * are plain UTC instants whatever the host's zone.
 */
import { blobValue, DuckDBInstance, timestampValue, type DuckDBValue } from '@duckdb/node-api';
import {
  WorkspaceError,
  type OpenSqlWorkspace,
  type SqlValue,
  type SqlWorkspace,
  type WorkspaceParam,
} from '../../core/ports.ts';
import { fromDuckValue } from './duckdb-engine.ts';

function toDuckValue(param: WorkspaceParam): DuckDBValue {
  if (param instanceof Date) return timestampValue(BigInt(param.getTime()) * 1000n);
  if (param instanceof Uint8Array) return blobValue(param);
  return param;
}

const reason = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export const openDuckDbWorkspace: OpenSqlWorkspace = async (options) => {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: `${options.memoryLimitMb}MB`,
    temp_directory: options.spillDir,
    threads: String(options.threads ?? 2),
    // Row order is carried by explicit columns (the source line); not keeping it lets scans run in parallel.
    preserve_insertion_order: 'false',
    // Ingest reads and writes local files only: no extension is ever downloaded or loaded on demand.
    autoinstall_known_extensions: 'false',
    // A partitioned COPY buffers this many rows per thread before writing them out; the default (524,288)
    // holds a whole million-row export in memory, outside the memory limit.
    partitioned_write_flush_threshold: '32768',
    // Give freed memory back to the system after each task above this, so the process stays small.
    allocator_flush_threshold: '32MB',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);

  const workspace: SqlWorkspace = {
    async run(sql, params = []) {
      try {
        await connection.run(sql, params.map(toDuckValue));
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: ${reason(cause)}`, sql, { cause });
      }
    },
    async query(sql, params = []) {
      try {
        const reader = await connection.runAndReadAll(sql, params.map(toDuckValue));
        const names = reader.columnNames();
        const types = reader.columnTypes();
        return reader.getRows().map((raw) => {
          const row: Record<string, SqlValue> = {};
          names.forEach((name, i) => {
            row[name] = fromDuckValue(raw[i] ?? null, types[i]!);
          });
          return row;
        });
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: ${reason(cause)}`, sql, { cause });
      }
    },
    async appendText(table, rows) {
      try {
        const appender = await connection.createAppender(table);
        for (const row of rows) {
          for (const value of row) {
            if (value === null) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
        appender.closeSync();
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: appending to ${table}: ${reason(cause)}`, undefined, { cause });
      }
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  return workspace;
};
