import { writeFileSync } from 'node:fs';
/**
 * The ingest Lambda against a real S3-compatible server: raw, lake and quarantine are prefixes of one s3rver
 * bucket, so the handler streams the export from S3 and publishes Parquet and the manifest back to it. The
 * dead-letter queue is the handler's port, recorded here; its SQS adapter has its own test.
 */
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Store } from '../../functions/adapters/aws/s3-store.ts';
import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { ingestFile, type IngestRequest } from '../../functions/core/ingest/ingest-file.ts';
import { lakeKeys, type IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import type { DeadLetterQueue } from '../../functions/handlers/dead-letter-queue.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import { handlerLogger, handlerMetrics } from '../../functions/handlers/observability.ts';
import { startS3rver, type RunningS3rver } from '../adapters/aws/s3rver-server.ts';
import { captureOutput, type CapturedOutput } from './captured-output.ts';

const BANK_HEADER =
  'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n';
// two calls on 1 Feb 1999: one answered, one hung up in the queue
const BANK_ROWS =
  'AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\r\n' +
  'AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n';
/**
 * The two calls moved to another day of February 1999, with call ids of their own: the same call id a day
 * apart would be the same contact delivered again, and only the newest copy would count.
 */
const rowsOn = (yymmdd: string): string => BANK_ROWS.replaceAll('990201', yymmdd).replaceAll('\t3453', `\t${yymmdd.slice(-2)}3453`);
const FLAKY = 'client_id=anonymous-bank/calls/flaky.tsv';
/** keys whose reading fails as a full disk and as a blown stack do: the same message would fail again */
const FULL = 'client_id=anonymous-bank/calls/full.tsv';
const DEEP = 'client_id=anonymous-bank/calls/deep.tsv';
/** A real ENOSPC from the operating system: /dev/full refuses every write with it. */
function realEnospc(): Error {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (error) {
    return error as Error;
  }
  throw new Error('/dev/full took a write');
}
function realStackOverflow(): Error {
  const down = (n: number): number => down(n + 1) + 1;
  try {
    down(0);
  } catch (error) {
    return error as Error;
  }
  throw new Error('no overflow');
}
const FIFO_ARN = 'arn:aws:sqs:ap-northeast-2:123456789012:ingest.fifo';

let s3: RunningS3rver;
let work: string;
let raw: ObjectStore;
let lake: ObjectStore;
let config: ClientConfig;
let handler: ReturnType<typeof createIngestHandler>;
let requests: IngestRequest[];
let deadLetters: { message: { body: string; messageId: string; messageGroupId?: string }; reason: string }[];
let failDeadLetters: boolean;
let out: CapturedOutput;

const s3Event = (key: string, eventTime?: string) => ({
  Records: [
    {
      eventName: 'ObjectCreated:Put',
      ...(eventTime ? { eventTime } : {}),
      s3: { bucket: { name: 'cspulse-test' }, object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/') } },
    },
  ],
});
const objectCreated = (key: string, time = '2026-03-01T18:00:05Z') => ({
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  time,
  detail: { bucket: { name: 'cspulse-test' }, object: { key, size: 10 }, reason: 'PutObject' },
});
const sqsRecord = (messageId: string, body: unknown, fifo = false) => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: fifo ? { MessageGroupId: 'anonymous-bank', ApproximateReceiveCount: '1' } : { ApproximateReceiveCount: '1' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: fifo ? FIFO_ARN : 'arn:aws:sqs:ap-northeast-2:123456789012:ingest',
  awsRegion: 'ap-northeast-2',
});

beforeAll(async () => {
  s3 = await startS3rver();
  work = await mkdtemp(join(tmpdir(), 'cspulse-ingest-handler-'));
  raw = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'raw' });
  lake = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'lake' });
  const quarantine = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'quarantine' });
  const path = 'test/fixtures/clients/anonymous-bank.yaml';
  config = parseClientConfig(await readFile(path, 'utf8'), path);
  const deps = { lake, quarantine, customerKeySecret: 'handler-test-secret-000', openWorkspace: openDuckDbWorkspace, clock: { now: () => new Date('2026-01-01T00:00:00Z') }, workDir: work };
  const dlq: DeadLetterQueue = {
    send: async (message, reason) => {
      if (failDeadLetters) throw new Error('SQS unavailable');
      deadLetters.push({ message, reason });
    },
  };
  handler = createIngestHandler({
    config,
    rawBucket: 'cspulse-test',
    // The S3 event names keys of the raw bucket; here the raw "bucket" is the raw/ prefix of the test bucket.
    raw: {
      ...raw,
      getStream: async (key) => {
        if (key === FLAKY) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        if (key === FULL) throw realEnospc();
        if (key === DEEP) throw realStackOverflow();
        return raw.getStream(key);
      },
    },
    ingest: (request) => {
      requests.push(request);
      return ingestFile(deps, request);
    },
    deadLetters: dlq,
    logger: handlerLogger('ingest', config.id),
    metrics: handlerMetrics('ingest', config.id),
  });
}, 60_000);

beforeEach(() => {
  requests = [];
  deadLetters = [];
  failDeadLetters = false;
  out = captureOutput();
});
afterEach(() => out.restore());

afterAll(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

async function manifestOf(file: string): Promise<IngestManifest> {
  const keys: string[] = [];
  for await (const o of lake.list(lakeKeys.manifestPrefix('anonymous-bank'))) keys.push(o.key);
  for (const key of keys) {
    const m = JSON.parse(Buffer.from(await lake.get(key)).toString()) as IngestManifest;
    if (m.file === file) return m;
  }
  throw new Error(`no manifest for ${file} among ${keys.join(', ')}`);
}

describe('ingest Lambda handler', () => {
  it('ingests an object named by a direct S3 event, with a URL-encoded key, delivered at the event time', async () => {
    const key = 'client_id=anonymous-bank/calls/feb 01.tsv';
    await raw.put(key, BANK_HEADER + BANK_ROWS);
    expect(await handler(s3Event(key, '2026-03-01T18:00:00.000Z'))).toEqual({ ingested: 1 });
    const m = await manifestOf(key);
    expect(m).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2 });
    expect(m.partitions[0]!.object_key).toBe("contacts/client_id=anonymous-bank/dt=1999-02-01/calls.parquet");
    expect(await lake.head(m.partitions[0]!.object_key)).toBeDefined();
    expect(requests.map((r) => r.deliveredAt?.toISOString())).toEqual(['2026-03-01T18:00:00.000Z']);
  });

  it("takes the raw object's LastModified as the delivery time when the event has none", async () => {
    const key = 'client_id=anonymous-bank/calls/no-time.tsv';
    const before = Date.now();
    await raw.put(key, BANK_HEADER + rowsOn('990205'));
    await handler(s3Event(key));
    const lastModified = (await raw.head(key))!.lastModified;
    expect(requests[0]!.deliveredAt).toEqual(lastModified);
    // S3 keeps whole seconds
    expect(Math.abs(lastModified.getTime() - before)).toBeLessThan(60_000);
  });

  it('moves messages that can never succeed to the dead-letter queue, and retries only the transient failure', async () => {
    const good = 'client_id=anonymous-bank/calls/feb02.tsv';
    await raw.put(good, BANK_HEADER + rowsOn('990202'));
    await raw.put(FLAKY, BANK_HEADER + BANK_ROWS);
    const response = await handler({
      Records: [
        sqsRecord('m-good', s3Event(good)),
        sqsRecord('m-test-event', { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'cspulse-test' }),
        sqsRecord('m-not-json', 'Object Created: client_id=anonymous-bank/calls/x.tsv'),
        sqsRecord('m-not-an-event', { hello: 'world' }),
        sqsRecord('m-other-client', s3Event('client_id=someone-else/calls/x.tsv')),
        sqsRecord('m-unknown-source', objectCreated('client_id=anonymous-bank/chat/2026-03-01.csv')),
        sqsRecord('m-no-layout', objectCreated('client_id=anonymous-bank/loose-file.csv')),
        sqsRecord('m-missing', s3Event('client_id=anonymous-bank/calls/missing.tsv')),
        sqsRecord('m-flaky', s3Event(FLAKY)),
      ],
    });
    // only the S3 hiccup comes back from SQS; the rest either succeeded or can never succeed
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-flaky' }] });
    expect((await manifestOf(good)).rows_written).toBe(2);
    expect(deadLetters.map((d) => [d.message.messageId, d.reason])).toEqual([
      ['m-not-json', 'the message body is not JSON (52 characters)'],
      ['m-not-an-event', 'the message body is neither an S3 event notification nor an EventBridge "Object Created" event'],
      ['m-other-client', 'raw object client_id=someone-else/calls/x.tsv: belongs to client someone-else, not anonymous-bank'],
      ['m-unknown-source', 'raw object client_id=anonymous-bank/chat/2026-03-01.csv: client anonymous-bank has no source "chat" (sources: calls)'],
      ['m-no-layout', 'raw object client_id=anonymous-bank/loose-file.csv: expected client_id=<id>/<source>/<file>'],
      ['m-missing', 'raw object client_id=anonymous-bank/calls/missing.tsv: the raw object no longer exists'],
    ]);
    // the body goes to the dead-letter queue as it came, so a redrive after a fix ingests the same file
    expect(deadLetters[0]!.message.body).toBe('Object Created: client_id=anonymous-bank/calls/x.tsv');
  });

  it('parks a failure no retry can pass (a full disk, the engine\'s stack limit) at once, with a one-line reason', async () => {
    await raw.put(FULL, BANK_HEADER + BANK_ROWS);
    await raw.put(DEEP, BANK_HEADER + BANK_ROWS);
    const response = await handler({ Records: [sqsRecord('m-full', s3Event(FULL)), sqsRecord('m-deep', s3Event(DEEP))] });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(deadLetters.map((d) => [d.message.messageId, d.reason])).toEqual([
      ['m-full', 'no space left on the device [ENOSPC]'],
      ['m-deep', "the JavaScript engine's limit: Maximum call stack size exceeded"],
    ]);
  });

  it('on a FIFO queue, fails the rest of the batch after a transient failure so the order of files holds', async () => {
    const later = 'client_id=anonymous-bank/calls/feb04.tsv';
    await raw.put(later, BANK_HEADER + rowsOn('990204'));
    await raw.put(FLAKY, BANK_HEADER + BANK_ROWS);
    // every message of the batch failed (the later one so as not to overtake), so the invocation fails and
    // Lambda returns both messages to the queue
    await expect(handler({ Records: [sqsRecord('f-flaky', s3Event(FLAKY), true), sqsRecord('f-later', s3Event(later), true)] })).rejects.toThrow(
      /All records failed processing/,
    );
    await expect(manifestOf(later)).rejects.toThrow(/no manifest/);
  });

  it('on a FIFO queue, a poison message does not hold up the files after it', async () => {
    const later = 'client_id=anonymous-bank/calls/feb06.tsv';
    await raw.put(later, BANK_HEADER + rowsOn('990206'));
    const response = await handler({
      Records: [sqsRecord('p-poison', '{"truncated":', true), sqsRecord('p-later', objectCreated(later), true)],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await manifestOf(later)).rows_written).toBe(2);
    // the dead letter keeps the client's message group, so a redrive keeps its place in the order
    expect(deadLetters.map((d) => d.message)).toEqual([{ body: '{"truncated":', messageId: 'p-poison', messageGroupId: 'anonymous-bank' }]);
  });

  it('lets a poison message fail, to come back, when the dead-letter queue cannot take it', async () => {
    failDeadLetters = true;
    await expect(handler({ Records: [sqsRecord('d-poison', 'not json', true)] })).rejects.toThrow(/All records failed processing/);
  });

  it('fails the invocation when its one file fails, counting FilesFailed, so the error alarm fires at once', async () => {
    await raw.put(FLAKY, BANK_HEADER + BANK_ROWS);
    // batch size 1, as deployed: a partial batch response alone would leave Lambda's Errors metric at 0
    await expect(handler({ Records: [sqsRecord('one-flaky', s3Event(FLAKY), true)] })).rejects.toThrow(/All records failed processing/);
    expect(out.emf()).toEqual([expect.objectContaining({ service: 'cspulse-ingest', client_id: 'anonymous-bank', FilesFailed: 1 })]);
    expect(out.logs().find((l) => l.level === 'ERROR')).toMatchObject({ message: 'ingest failed; SQS will deliver the message again', correlation_id: 'one-flaky' });
  });

  it('finds a key with spaces, Hangul and "=" whether the EventBridge event carries it as it is or URL-encoded', async () => {
    const key = 'client_id=anonymous-bank/calls/2월 콜 a=b.tsv';
    await raw.put(key, BANK_HEADER + rowsOn('990209'));
    const encoded = encodeURIComponent(key).replace(/%20/g, '+');
    expect(encoded).toBe('client_id%3Danonymous-bank%2Fcalls%2F2%EC%9B%94+%EC%BD%9C+a%3Db.tsv');
    expect(await handler({ Records: [sqsRecord('m-encoded', objectCreated(encoded), true)] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [sqsRecord('m-plain', objectCreated(key), true)] })).toEqual({ batchItemFailures: [] });
    // both name the one object, which is ingested under its real key
    expect(requests.map((r) => r.file)).toEqual([key, key]);
    expect((await manifestOf(key)).rows_written).toBe(2);
    expect(deadLetters).toEqual([]);
  });

  it('reads an EventBridge Object Created event, whose key is not URL-encoded, delivered at its time', async () => {
    const key = 'client_id=anonymous-bank/calls/feb 03 A+B 100%.tsv';
    await raw.put(key, BANK_HEADER + rowsOn('990203'));
    expect(await handler({ Records: [sqsRecord('m-eb', objectCreated(key, '2026-02-03T21:30:00Z'))] })).toEqual({ batchItemFailures: [] });
    expect((await manifestOf(key)).rows_written).toBe(2);
    expect(requests.map((r) => [r.file, r.deliveredAt?.toISOString()])).toEqual([[key, '2026-02-03T21:30:00.000Z']]);
  });

  it('treats a rejected file as handled: its manifest says why and SQS does not retry it', async () => {
    const key = 'client_id=anonymous-bank/calls/wrong.csv';
    await raw.put(key, 'a,b\n1,2\n');
    expect(await handler({ Records: [sqsRecord('m-wrong', s3Event(key))] })).toEqual({ batchItemFailures: [] });
    const m = await manifestOf(key);
    expect(m.status).toBe('rejected');
    expect(m.error).toMatch(/missing columns/);
    expect(deadLetters).toEqual([]);
  });
});

describe('ingest logs and metrics', () => {
  it('logs one JSON line per file with the client, the file and the SQS message as correlation id', async () => {
    const key = 'client_id=anonymous-bank/calls/logged.tsv';
    await raw.put(key, BANK_HEADER + rowsOn('990207'));
    await handler({ Records: [sqsRecord('m-logged', objectCreated(key)), sqsRecord('m-junk', 'junk')] });
    const logs = out.logs();
    expect(logs.find((l) => l.message === 'ingested')).toMatchObject({
      level: 'INFO',
      service: 'cspulse-ingest',
      client_id: 'anonymous-bank',
      correlation_id: 'm-logged',
      file: key,
      source: 'calls',
      status: 'ok',
      rows_read: 2,
      rows_written: 2,
      rows_quarantined: 0,
      duplicates_dropped: 0,
      delivered_at: '2026-03-01T18:00:05.000Z',
    });
    expect(logs.find((l) => l.correlation_id === 'm-junk')).toMatchObject({
      level: 'ERROR',
      message: 'message can never be ingested; moved to the dead-letter queue',
      reason: 'the message body is not JSON (4 characters)',
      client_id: 'anonymous-bank',
    });
    // keys of one message do not leak into the next
    expect(logs.find((l) => l.correlation_id === 'm-junk')).not.toHaveProperty('file');
  });

  it('publishes rows and files per client as one EMF document per invocation', async () => {
    const key = 'client_id=anonymous-bank/calls/metered.tsv';
    // 2 good rows + 1 row with a date that does not parse: 3 read, 2 written, 1 quarantined
    await raw.put(key, BANK_HEADER + rowsOn('990208') + BANK_ROWS.split('\r\n')[0]!.replace('990201', '99XX08').replace('34536', '34999') + '\r\n');
    await handler({ Records: [sqsRecord('m-metered', objectCreated(key)), sqsRecord('m-poison', 'junk')] });
    const [emf, ...more] = out.emf();
    expect(more).toEqual([]);
    expect((emf!._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics).toEqual([
      {
        Namespace: 'cspulse',
        Dimensions: [['service', 'client_id']],
        Metrics: [
          { Name: 'FilesIngested', Unit: 'Count' },
          { Name: 'RowsRead', Unit: 'Count' },
          { Name: 'RowsWritten', Unit: 'Count' },
          { Name: 'RowsQuarantined', Unit: 'Count' },
          { Name: 'DuplicatesDropped', Unit: 'Count' },
          { Name: 'PoisonMessages', Unit: 'Count' },
        ],
      },
    ]);
    expect(emf).toMatchObject({
      service: 'cspulse-ingest',
      client_id: 'anonymous-bank',
      FilesIngested: 1,
      RowsRead: 3,
      RowsWritten: 2,
      RowsQuarantined: 1,
      DuplicatesDropped: 0,
      PoisonMessages: 1,
    });
  });

  it('counts a file read with more than half its rows quarantined as FilesPartial, and says why in the log', async () => {
    const key = 'client_id=anonymous-bank/calls/mostly-bad.tsv';
    // 1 good row + 2 rows whose date does not parse: 3 read, 1 written, 2 quarantined (66.7 % over the default half)
    const bad = (id: string) => BANK_ROWS.split('\r\n')[0]!.replace('990201', '99XX08').replace('34536', id);
    await raw.put(key, BANK_HEADER + rowsOn('990208').split('\r\n')[0] + '\r\n' + bad('34998') + '\r\n' + bad('34999') + '\r\n');
    await handler({ Records: [sqsRecord('m-partial', objectCreated(key))] });
    const [emf] = out.emf();
    expect(emf).toMatchObject({ FilesIngested: 1, FilesPartial: 1, RowsRead: 3, RowsWritten: 1, RowsQuarantined: 2 });
    expect(out.logs().find((l) => l.correlation_id === 'm-partial')).toMatchObject({
      level: 'WARN',
      message: 'file mostly quarantined',
      status: 'partial',
      error: '2 of 3 rows (66.7%) were quarantined, more than the source allows (completeness.max_quarantined_share 0.5)',
    });
  });

  it('builds its logger and metrics with Powertools, not by hand', () => {
    expect(handlerLogger('ingest', 'x')).toBeInstanceOf(Logger);
    expect(handlerMetrics('ingest', 'x')).toBeInstanceOf(Metrics);
  });
});
