/**
 * The live function behind its function URL: the request payload (format 2.0) in, the response payload out.
 * The page's data comes through the live view over the hand-worked DuckDB lake of test/core/live/live-fixture.ts
 * (the view is the same code on AWS; only its engine differs). Athena, which has no local peer, is mocked to
 * pin what the function sends it: the intraday query's text, its six WHERE parameters as Athena literals, the
 * client's workgroup — and that the viewers of one minute share one query.
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAthenaEngine } from '../../functions/adapters/aws/athena-engine.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { intradayQuery } from '../../functions/core/live/intraday-query.ts';
import { liveWindow } from '../../functions/core/live/live-days.ts';
import { loadLiveView } from '../../functions/core/live/live-view.ts';
import { cachingQueryEngine } from '../../functions/core/live/query-cache.ts';
import { livePath } from '../../functions/core/live/signed-link.ts';
import { readSqlFile } from '../../functions/core/sql/sql-catalog.ts';
import { createLiveHandler } from '../../functions/handlers/live.ts';
import { handlerLogger, handlerMetrics } from '../../functions/handlers/observability.ts';
import { CLIENT, config, liveLake, NOW } from '../core/live/live-fixture.ts';
import { captureOutput, type CapturedOutput } from './captured-output.ts';

const KEY = 'the-link-key-of-livemall';
const EXPIRES = new Date('2026-04-07T02:00:00Z');

const request = (pathAndQuery: string, method = 'GET') => {
  const [rawPath, rawQueryString = ''] = pathAndQuery.split('?');
  return { version: '2.0', routeKey: '$default', rawPath, rawQueryString, headers: {}, requestContext: { http: { method, path: rawPath } }, isBase64Encoded: false };
};

describe('the live function', () => {
  let lake: string;
  let engine: DuckDbEngine;
  let out: CapturedOutput;
  let failView: boolean;
  let handler: ReturnType<typeof createLiveHandler>;

  beforeAll(async () => {
    lake = await liveLake();
    engine = await createDuckDbEngine({ lakeRoot: lake });
    const view = { engine, intradaySql: await readSqlFile('live/intraday'), lake: createFolderStore(lake) };
    handler = createLiveHandler({
      config: (id) => (id === CLIENT ? config() : undefined),
      linkKey: async () => KEY,
      view: async (c, now) => {
        if (failView) throw new Error('Athena: TOO_MANY_REQUESTS s3://secret-bucket/client_id=livemall');
        return loadLiveView(view, c, now);
      },
      clock: { now: () => NOW },
      logger: handlerLogger('live', CLIENT),
      metrics: handlerMetrics('live', CLIENT),
    });
  });
  afterAll(async () => engine.close());
  beforeEach(() => {
    failView = false;
    out = captureOutput();
  });
  afterEach(() => out.restore());

  it('serves the page to a good link, with the headers that keep it private', async () => {
    const response = await handler(request(livePath(KEY, CLIENT, EXPIRES)));
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    expect(response.body).toContain('<h1>실시간 현황</h1>');
    expect(response.body).toContain('11:00 기준');
    expect(response.body).toContain('이 링크는 4월 7일 (화)까지 열립니다');
    const metrics = out.emf().flatMap((l) => Object.keys(l).filter((k) => k.startsWith('Live')));
    expect(metrics).toEqual(['LivePagesServed']);
  });

  it('refuses a tampered link, an expired one and another client with 403 and nothing of the page', async () => {
    const good = livePath(KEY, CLIENT, EXPIRES);
    const tampered = good.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 3600}`);
    const expired = livePath(KEY, CLIENT, new Date(NOW.getTime() - 1000));
    const other = livePath(KEY, 'othermall', EXPIRES);
    for (const path of [tampered, expired, other, '/live/livemall', '/live/livemall?e=abc&s=def']) {
      const response = await handler(request(path));
      expect(response.statusCode, path).toBe(403);
      expect(response.body).not.toContain('라이브몰');
      expect(response.body).not.toContain('배송');
    }
    const reasons = out.logs().filter((l) => l.message === 'live link refused').map((l) => l.reason);
    expect(reasons).toEqual(['signature', 'expired', 'unknown-client', 'malformed', 'malformed']);
  });

  it('answers a failure with 503 and logs it, showing nothing of it', async () => {
    failView = true;
    const response = await handler(request(livePath(KEY, CLIENT, EXPIRES)));
    expect(response).toMatchObject({ statusCode: 503, body: '503\n' });
    expect(out.logs().find((l) => l.message === 'live page failed')).toBeDefined();
    expect(await handler({ Records: [] })).toMatchObject({ statusCode: 400 });
    expect((await handler(request('/'))).statusCode).toBe(404);
    expect((await handler(request(livePath(KEY, CLIENT, EXPIRES), 'POST'))).statusCode).toBe(405);
  });
});

describe('the live view through Athena', () => {
  const athena = mockClient(AthenaClient);
  afterEach(() => athena.reset());

  it('sends the intraday query with its parameters in WHERE, and one query serves a minute', async () => {
    const columns = ['grain', 'dt', 'channel', 'bucket', 'category', 'source', 'is_before_cutoff', 'is_last_hour', 'inbound', 'offered', 'answered', 'abandoned', 'short_abandoned', 'service_level_numerator', 'service_level_denominator', 'service_level_known_waits', 'service_level_unknown_brackets', 'answered_wait_seconds', 'answered_with_wait', 'contacts', 'newest_arrived_at', 'newest_delivered_at'];
    const types = ['varchar', 'varchar', 'varchar', 'integer', 'varchar', 'varchar', 'boolean', 'boolean', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'double', 'bigint', 'bigint', 'timestamp(3)', 'timestamp(3)'];
    const row = (...v: (string | undefined)[]) => ({ Data: v.map((x) => (x === undefined ? {} : { VarCharValue: x })) });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-live' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2048 } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((Name, i) => ({ Name, Type: types[i] })) },
        Rows: [
          row(...columns),
          // 09:00-09:15 today: 3 offered, 2 answered within T of 3
          row('bucket', '2026-03-31', 'phone', '36', '(none)', undefined, 'true', 'false', '3', '3', '2', '1', '0', '2', '3', '3', '0', '25.0', '2', '3', undefined, undefined),
          row('source', '2026-03-31', undefined, undefined, '(none)', 'cti', 'true', 'false', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0.0', '0', '3', '2026-03-31 00:14:00.000', '2026-03-31 00:16:00.000'),
        ],
      },
    });
    let now = NOW;
    const clock = { now: () => now };
    const engine = cachingQueryEngine(createAthenaEngine({ client: new AthenaClient({ region: 'ap-northeast-2' }), workgroup: 'cspulse-livemall', database: 'cspulse', sleep: async () => undefined }), clock);
    const intradaySql = await readSqlFile('live/intraday');
    const lake = createFolderStore(await liveLake());
    const deps = { engine, intradaySql, lake };

    const [first, second] = await Promise.all([loadLiveView(deps, config(), now), loadLiveView(deps, config(), new Date(now.getTime() + 20_000))]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    const sent = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    const expected = intradayQuery(intradaySql, CLIENT, liveWindow(NOW, 'Asia/Seoul'), config().contract[0]!);
    expect(sent).toEqual({
      QueryString: expected.sql,
      WorkGroup: 'cspulse-livemall',
      QueryExecutionContext: { Database: 'cspulse' },
      ExecutionParameters: ["'livemall'", "'2026-03-31'", "'2026-03-24'", "'2026-03-17'", "'2026-03-10'", "'2026-03-03'"],
    });
    const phone = first.figures.channels.find((c) => c.channel === 'phone')!;
    expect(phone.soFar).toMatchObject({ offered: 3, answered: 2, abandoned: 1, slNumerator: 2, slDenominator: 3, answeredWaitSeconds: 25 });
    expect(first.figures.sources.find((s) => s.source === 'cti')).toMatchObject({ newestArrivedAt: '2026-03-31T00:14:00.000Z', newestDeliveredAt: '2026-03-31T00:16:00.000Z' });
    expect(second.figures.channels).toEqual(first.figures.channels);

    // the next minute asks Athena again
    now = new Date(NOW.getTime() + 61_000);
    await loadLiveView(deps, config(), now);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
  });
});
