/**
 * QueryEngine on Amazon Athena: runs the same SQL as the local DuckDB engine, with positional parameters sent
 * as ExecutionParameters (never spliced into the text), polls until the query ends, pages through the results
 * and converts Athena's strings to the port's value types.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';

import { QueryError, type QueryColumn, type QueryEngine, type QueryResult, type SqlParam, type SqlValue } from '../../core/ports.ts';

export interface AthenaEngineOptions {
  client: AthenaClient;
  workgroup: string;
  database: string;
  catalog?: string;
  /** first wait between status polls; grows ×2 up to maxPollIntervalMs */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** overall time a query may take, from start to the last page */
  deadlineMs?: number;
  /**
   * The moment (epoch ms) by which a query must be finished or stopped, whatever deadlineMs says: in Lambda a
   * minute short of the invocation's end, so StopQueryExecution is sent before the function is killed and the
   * query does not go on scanning. Undefined: no such moment.
   */
  stopBy?: () => number | undefined;
  /** attempts for a throttled API call before giving up */
  maxThrottleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** 0 ≤ x < 1, for backoff jitter */
  random?: () => number;
}

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException']);

const isThrottling = (error: unknown): boolean =>
  error instanceof Error && (THROTTLING.has(error.name) || ('Reason' in error && (error as { Reason?: string }).Reason === 'CONCURRENT_QUERY_LIMIT_EXCEEDED'));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** One parameter as the Athena literal text ExecutionParameters expects. */
export function athenaLiteral(param: SqlParam): string {
  if (param instanceof Date) {
    const d = param;
    return `TIMESTAMP '${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}'`;
  }
  switch (typeof param) {
    case 'string':
      return `'${param.replace(/'/g, "''")}'`;
    case 'boolean':
      return param ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(param)) throw new QueryError(`cannot send ${param} to Athena as a parameter`);
      return String(param);
  }
}

/** Athena timestamp text (`2026-03-10 01:00:00.000`, UTC by the lake's convention) → ISO 8601 UTC. */
function isoFromAthena(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?: (.+))?$/.exec(text);
  if (!m) return text;
  const millis = (m[3] ?? '.000').slice(1).padEnd(3, '0').slice(0, 3);
  const zone = m[4];
  if (zone === undefined || zone === 'UTC' || zone === 'Z') return `${m[1]}T${m[2]}.${millis}Z`;
  return new Date(`${m[1]}T${m[2]}.${millis}${zone}`).toISOString();
}

/** Converts one cell by the column's Athena type. */
export function fromAthenaValue(text: string | undefined, type: string): SqlValue {
  if (text === undefined) return null;
  const t = type.toLowerCase();
  if (['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real'].includes(t) || t.startsWith('decimal')) {
    if (text === 'NaN') return Number.NaN;
    if (text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    return Number(text);
  }
  if (t === 'boolean') return text === 'true';
  if (t === 'date') return text;
  if (t.startsWith('timestamp')) return isoFromAthena(text);
  return text;
}

export function createAthenaEngine(options: AthenaEngineOptions): QueryEngine {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const firstPoll = options.pollIntervalMs ?? 250;
  const maxPoll = options.maxPollIntervalMs ?? 5_000;
  const deadlineMs = options.deadlineMs ?? 10 * 60_000;
  const maxRetries = options.maxThrottleRetries ?? 6;

  /** Sends a command, retrying throttling with full-jitter exponential backoff. */
  async function send<T>(call: () => Promise<T>, sql: string): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (isThrottling(error) && attempt < maxRetries) {
          await sleep(Math.floor(random() * Math.min(maxPoll, firstPoll * 2 ** attempt)));
          continue;
        }
        if (error instanceof QueryError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new QueryError(`Athena: ${message}`, sql, { cause: error });
      }
    }
  }

  return {
    async query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
      const started = now();
      const stopBy = Math.min(started + deadlineMs, options.stopBy?.() ?? Number.POSITIVE_INFINITY);
      const allowedMs = stopBy - started;
      const start = await send(
        () =>
          options.client.send(
            new StartQueryExecutionCommand({
              QueryString: sql,
              WorkGroup: options.workgroup,
              QueryExecutionContext: { Database: options.database, ...(options.catalog ? { Catalog: options.catalog } : {}) },
              ...(params.length > 0 ? { ExecutionParameters: params.map(athenaLiteral) } : {}),
            }),
          ),
        sql,
      );
      const queryId = start.QueryExecutionId;
      if (!queryId) throw new QueryError('Athena: StartQueryExecution returned no QueryExecutionId', sql);

      let wait = firstPoll;
      let bytesScanned: number | undefined;
      for (;;) {
        const execution = await send(() => options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })), sql);
        const status = execution.QueryExecution?.Status;
        bytesScanned = execution.QueryExecution?.Statistics?.DataScannedInBytes ?? bytesScanned;
        const state = status?.State;
        if (state === 'SUCCEEDED') break;
        if (state === 'FAILED' || state === 'CANCELLED') {
          throw new QueryError(`Athena query ${queryId} ${state}: ${status?.StateChangeReason ?? 'no reason given'}`, sql);
        }
        if (now() + wait > stopBy) {
          await send(() => options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })), sql).catch(() => undefined);
          throw new QueryError(`Athena query ${queryId} did not finish within ${allowedMs} ms (stopped)`, sql);
        }
        await sleep(wait);
        wait = Math.min(maxPoll, wait * 2);
      }

      let columns: QueryColumn[] = [];
      const rows: Record<string, SqlValue>[] = [];
      let nextToken: string | undefined;
      let first = true;
      do {
        const token = nextToken;
        const page: GetQueryResultsCommandOutput = await send(
          () =>
            options.client.send(
              new GetQueryResultsCommand({ QueryExecutionId: queryId, ...(token ? { NextToken: token } : {}), MaxResults: 1000 }),
            ),
          sql,
        );
        if (first) {
          const info: ColumnInfo[] = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
          columns = info.map((c) => ({ name: c.Name ?? '', type: (c.Type ?? 'varchar').toLowerCase() }));
        }
        // a SELECT's first row on the first page repeats the column names (DDL results have no such row)
        const pageRows = page.ResultSet?.Rows ?? [];
        const isHeader = first && pageRows.length > 0 && columns.every((c, i) => pageRows[0]!.Data?.[i]?.VarCharValue === c.name);
        const data = isHeader ? pageRows.slice(1) : pageRows;
        for (const r of data) {
          const row: Record<string, SqlValue> = {};
          columns.forEach((c, i) => {
            row[c.name] = fromAthenaValue(r.Data?.[i]?.VarCharValue, c.type);
          });
          rows.push(row);
        }
        first = false;
        nextToken = page.NextToken;
        if (nextToken && now() > stopBy) {
          throw new QueryError(`Athena query ${queryId}: results not read within ${allowedMs} ms`, sql);
        }
      } while (nextToken);

      return {
        columns,
        rows,
        stats: { engine: 'athena', elapsedMs: now() - started, queryId, ...(bytesScanned === undefined ? {} : { bytesScanned }) },
      };
    },
    async close() {},
  };
}
