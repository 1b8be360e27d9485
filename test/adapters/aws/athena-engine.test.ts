import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { athenaLiteral, createAthenaEngine, fromAthenaValue } from '../../../functions/adapters/aws/athena-engine.ts';
import { QueryError } from '../../../functions/core/ports.ts';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'ap-northeast-2' });

let slept: number[];
let clock: number;
const engine = (extra: Partial<Parameters<typeof createAthenaEngine>[0]> = {}) =>
  createAthenaEngine({
    client,
    workgroup: 'cspulse',
    database: 'cspulse_lake',
    pollIntervalMs: 100,
    maxPollIntervalMs: 1000,
    deadlineMs: 10_000,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 0.5,
    ...extra,
  });

const cols = [
  { Name: 'channel', Type: 'varchar' },
  { Name: 'offered', Type: 'bigint' },
  { Name: 'rate', Type: 'double' },
  { Name: 'ok', Type: 'boolean' },
  { Name: 'dt', Type: 'date' },
  { Name: 'at', Type: 'timestamp' },
];
const row = (...v: (string | undefined)[]) => ({ Data: v.map((x) => (x === undefined ? {} : { VarCharValue: x })) });

beforeEach(() => {
  athena.reset();
  slept = [];
  clock = 0;
});

describe('Athena query engine', () => {
  it('starts with workgroup, database and literal parameters, polls with backoff, pages results', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 123456 } } });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', MaxResults: 1000 })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: cols },
          Rows: [row('channel', 'offered', 'rate', 'ok', 'dt', 'at'), row('phone', '12', '0.875', 'true', '2026-03-10', '2026-03-10 01:00:00.000')],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2', MaxResults: 1000 })
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: cols }, Rows: [row('chat', '3', undefined, 'false', '2026-03-11', undefined)] } });

    const result = await engine().query('select * from contacts where client_id = ? and dt between ? and ? and x = ? and y = ?', [
      "o'brien",
      '2026-03-10',
      0.8,
      true,
      new Date('2026-03-10T01:02:03.004Z'),
    ]);

    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'select * from contacts where client_id = ? and dt between ? and ? and x = ? and y = ?',
      WorkGroup: 'cspulse',
      QueryExecutionContext: { Database: 'cspulse_lake' },
      ExecutionParameters: ["'o''brien'", "'2026-03-10'", '0.8', 'true', "TIMESTAMP '2026-03-10 01:02:03.004'"],
    });
    expect(athena.commandCalls(GetQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1' },
      { QueryExecutionId: 'q-1' },
      { QueryExecutionId: 'q-1' },
    ]);
    expect(slept).toEqual([100, 200]); // doubles between polls
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1', MaxResults: 1000 },
      { QueryExecutionId: 'q-1', NextToken: 'page-2', MaxResults: 1000 },
    ]);
    expect(result.columns).toEqual([
      { name: 'channel', type: 'varchar' },
      { name: 'offered', type: 'bigint' },
      { name: 'rate', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'dt', type: 'date' },
      { name: 'at', type: 'timestamp' },
    ]);
    expect(result.rows).toEqual([
      { channel: 'phone', offered: 12, rate: 0.875, ok: true, dt: '2026-03-10', at: '2026-03-10T01:00:00.000Z' },
      { channel: 'chat', offered: 3, rate: null, ok: false, dt: '2026-03-11', at: null },
    ]);
    expect(result.stats).toMatchObject({ engine: 'athena', queryId: 'q-1', bytesScanned: 123456 });
  });

  it('sends no ExecutionParameters for a query without parameters', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'integer' }] }, Rows: [row('n'), row('1')] } });
    const r = await engine().query('select 1 as n');
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'select 1 as n',
      WorkGroup: 'cspulse',
      QueryExecutionContext: { Database: 'cspulse_lake' },
    });
    expect(r.rows).toEqual([{ n: 1 }]);
  });

  it('retries throttled calls with jittered exponential backoff', async () => {
    const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
    athena.on(StartQueryExecutionCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ QueryExecutionId: 'q-3' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    await engine().query('select 1');
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
    // random 0.5 × min(1000, 100 × 2^attempt): 50 then 100
    expect(slept).toEqual([50, 100]);
  });

  it('gives up on throttling after the retry budget', async () => {
    athena.on(StartQueryExecutionCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(engine({ maxThrottleRetries: 2 }).query('select 1')).rejects.toThrow(QueryError);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
  });

  it('raises QueryError with the StateChangeReason of a failed query', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-4' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" } },
    });
    const error = await engine().query('select nope from contacts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toBe("Athena query q-4 FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved");
    expect((error as QueryError).sql).toBe('select nope from contacts');
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('stops the query and fails at the deadline', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-5' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    await expect(engine({ deadlineMs: 1000 }).query('select 1')).rejects.toThrow('did not finish within 1000 ms');
    // waits 100, 200, 400 (total 700); the next 800 would pass 1000
    expect(slept).toEqual([100, 200, 400]);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({ QueryExecutionId: 'q-5' });
  });

  it('stops the query a given moment before the Lambda invocation ends, when that comes before its own deadline', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-6' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    clock = 50_000;
    // 10 s of query deadline, but the invocation must have its query stopped by 50,500: 500 ms from now
    await expect(engine({ stopBy: () => 50_500 }).query('select 1')).rejects.toThrow('did not finish within 500 ms (stopped)');
    // waits 100 and 200 (at 50,300); the next 400 would pass 50,500, so StopQueryExecution goes out first
    expect(slept).toEqual([100, 200]);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({ QueryExecutionId: 'q-6' });
  });

  it('renders literals and converts typed values', () => {
    expect(athenaLiteral("it's")).toBe("'it''s'");
    expect(athenaLiteral(-3)).toBe('-3');
    expect(athenaLiteral(false)).toBe('false');
    expect(() => athenaLiteral(Number.NaN)).toThrow(QueryError);
    expect(fromAthenaValue('2026-03-10 01:00:00.123 UTC', 'timestamp with time zone')).toBe('2026-03-10T01:00:00.123Z');
    expect(fromAthenaValue('12.50', 'decimal(10,2)')).toBe(12.5);
    expect(fromAthenaValue('', 'varchar')).toBe('');
  });
});
