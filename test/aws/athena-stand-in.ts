/**
 * Athena's API on 127.0.0.1, answered by DuckDB over the Parquet the ingest bundle wrote into moto's S3. Athena's
 * engine has no local peer; its API does: the report bundle's own Athena client sends StartQueryExecution,
 * GetQueryExecution, GetQueryResults and StopQueryExecution here (AWS_ENDPOINT_URL_ATHENA) exactly as it would
 * to AWS (JSON 1.1, `X-Amz-Target: AmazonAthena.<Action>`), and gets Athena's answers back: a header row, then
 * every value as a string with its type in ResultSetMetadata.
 *
 * Each query's SQL, parameters, workgroup and database are recorded, and a query is failed as Athena fails it
 * when an execution parameter stands outside a WHERE clause or the text's `?` count differs from the
 * parameters (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
 * `answerFromEmptyLocation` makes the tables read an empty location, as a table whose LOCATION or partition
 * projection misses the lake does: the query succeeds with no rows.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { TrinoSQL } from 'dt-sql-parser';
import { ParameterContext, QuerySpecificationContext, WhereClauseContext, InlineTableContext } from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser.js';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import type { QueryResult, SqlParam, SqlValue } from '../../functions/core/ports.ts';

export interface RecordedQuery {
  id: string;
  sql: string;
  params: string[];
  workgroup: string | undefined;
  database: string | undefined;
  state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  rows: number;
}

export interface AthenaStandIn {
  endpoint: string;
  queries: RecordedQuery[];
  /** true: tables read an empty location (a projection or LOCATION slip), so every query answers no rows */
  answerFromEmptyLocation: boolean;
  stop(): Promise<void>;
}

interface TreeNode {
  getChildCount(): number;
  getChild(i: number): TreeNode | null;
}

/** Where each `?` of a statement stands, by the Trino grammar. */
export function parameterPlaces(sql: string): ('where' | 'select' | 'values')[] {
  const tree = new TrinoSQL().parse(sql) as unknown as TreeNode;
  const places: ('where' | 'select' | 'values')[] = [];
  const walk = (node: TreeNode, nearest: 'where' | 'select' | 'values' | null) => {
    let here = nearest;
    if (node instanceof WhereClauseContext) here = 'where';
    else if (node instanceof QuerySpecificationContext) here = 'select';
    else if (node instanceof InlineTableContext) here = 'values';
    if (node instanceof ParameterContext) places.push(here ?? 'select');
    for (let i = 0; i < node.getChildCount(); i++) {
      const child = node.getChild(i);
      if (child !== null) walk(child, here);
    }
  };
  walk(tree, null);
  return places;
}

/** An ExecutionParameters literal back to the value it stands for (the inverse of the adapter's athenaLiteral). */
export function parseAthenaLiteral(text: string): SqlParam {
  const ts = /^TIMESTAMP '(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)'$/.exec(text);
  if (ts) return new Date(`${ts[1]}T${ts[2]}Z`);
  const str = /^'((?:[^']|'')*)'$/.exec(text);
  if (str) return str[1]!.replace(/''/g, "'");
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  if (text.trim() !== '' && Number.isFinite(n)) return n;
  throw new Error(`not an Athena literal: ${text}`);
}

/** The Athena (Trino) type name of a DuckDB result column: sums are HUGEINT in DuckDB, BIGINT in Athena. */
function athenaType(duckType: string): string {
  const t = duckType.toLowerCase();
  if (/int/.test(t)) return 'bigint';
  if (/^(decimal|double|float|real)/.test(t)) return 'double';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'boolean' || t === 'date') return t;
  return 'varchar';
}

function athenaText(value: SqlValue, type: string): string | undefined {
  if (value === null) return undefined;
  if (type.startsWith('timestamp') && typeof value === 'string') return value.replace('T', ' ').replace(/Z$/, '');
  return String(value);
}

export async function startAthenaStandIn(s3: S3Client, lakeBucket: string): Promise<AthenaStandIn> {
  const work = await mkdtemp(join(tmpdir(), 'cspulse-athena-'));
  const empty = join(work, 'empty');
  await mkdir(empty, { recursive: true });
  const results = new Map<string, { query: RecordedQuery; result?: QueryResult }>();
  let seq = 0;

  /** The lake's table objects as they are in moto's S3 now, in the lake layout DuckDB reads. */
  async function mirrorLake(): Promise<string> {
    const dir = join(work, `lake-${seq}`);
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: lakeBucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (!/^(contacts|surveys)\/client_id=[^/]+\/dt=[^/]+\/[^/]+\.parquet$/.test(o.Key!)) continue;
        const body = await (await s3.send(new GetObjectCommand({ Bucket: lakeBucket, Key: o.Key }))).Body!.transformToByteArray();
        await mkdir(join(dir, o.Key!, '..'), { recursive: true });
        await writeFile(join(dir, o.Key!), body);
      }
      token = page.NextContinuationToken;
    } while (token);
    return dir;
  }

  async function run(query: RecordedQuery): Promise<QueryResult | undefined> {
    // a `?` in a comment counts as a placeholder for a reader that does not parse comments; the SQL has none
    const commented = (query.sql.match(/--[^\n]*/g) ?? []).filter((c) => c.includes('?'));
    const textCount = query.sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''").split('?').length - 1 + commented.length;
    if (textCount !== query.params.length) {
      query.state = 'FAILED';
      query.reason = `the query text has ${textCount} ? but ${query.params.length} execution parameters were given`;
      return undefined;
    }
    const outside = parameterPlaces(query.sql).filter((p) => p !== 'where');
    if (outside.length > 0) {
      query.state = 'FAILED';
      query.reason = `execution parameters stand outside a WHERE clause (${outside.join(', ')})`;
      return undefined;
    }
    const root = standIn.answerFromEmptyLocation ? empty : await mirrorLake();
    const engine = await createDuckDbEngine({ lakeRoot: root });
    try {
      const result = await engine.query(query.sql, query.params.map(parseAthenaLiteral));
      query.state = 'SUCCEEDED';
      query.rows = result.rows.length;
      return result;
    } catch (error) {
      query.state = 'FAILED';
      query.reason = (error as Error).message;
      return undefined;
    } finally {
      await engine.close();
      if (root !== empty) await rm(root, { recursive: true, force: true });
    }
  }

  async function handle(action: string, input: Record<string, unknown>): Promise<unknown> {
    switch (action) {
      case 'StartQueryExecution': {
        const id = `q-${++seq}`;
        const context = input.QueryExecutionContext as { Database?: string } | undefined;
        const query: RecordedQuery = {
          id,
          sql: input.QueryString as string,
          params: (input.ExecutionParameters as string[] | undefined) ?? [],
          workgroup: input.WorkGroup as string | undefined,
          database: context?.Database,
          state: 'FAILED',
          rows: 0,
        };
        standIn.queries.push(query);
        const result = await run(query);
        results.set(id, { query, ...(result ? { result } : {}) });
        return { QueryExecutionId: id };
      }
      case 'GetQueryExecution': {
        const entry = results.get(input.QueryExecutionId as string)!;
        return {
          QueryExecution: {
            QueryExecutionId: entry.query.id,
            Query: entry.query.sql,
            Status: { State: entry.query.state, ...(entry.query.reason ? { StateChangeReason: entry.query.reason } : {}) },
            Statistics: { DataScannedInBytes: 0 },
          },
        };
      }
      case 'GetQueryResults': {
        const entry = results.get(input.QueryExecutionId as string)!;
        const result = entry.result!;
        const columns = result.columns.map((c) => ({ Name: c.name, Type: athenaType(c.type) }));
        const max = (input.MaxResults as number | undefined) ?? 1000;
        const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
        // the first page starts with the header row, which counts against MaxResults
        const header = start === 0 ? [{ Data: columns.map((c) => ({ VarCharValue: c.Name })) }] : [];
        const take = max - header.length;
        const rows = result.rows.slice(start, start + take).map((row) => ({
          Data: columns.map((c) => {
            const text = athenaText(row[c.Name] ?? null, c.Type);
            return text === undefined ? {} : { VarCharValue: text };
          }),
        }));
        const next = start + take < result.rows.length ? String(start + take) : undefined;
        return { ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: [...header, ...rows] }, ...(next ? { NextToken: next } : {}) };
      }
      case 'StopQueryExecution':
        return {};
      default:
        throw Object.assign(new Error(`the Athena stand-in does not answer ${action}`), { code: 'UnknownOperationException' });
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonAthena\./, '');
      handle(action, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(body));
        },
        (error: Error & { code?: string }) => {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: error.code ?? 'InternalServerException', message: error.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const standIn: AthenaStandIn = {
    endpoint: `http://127.0.0.1:${port}`,
    queries: [],
    answerFromEmptyLocation: false,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(work, { recursive: true, force: true });
    },
  };
  return standIn;
}
