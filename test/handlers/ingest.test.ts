/**
 * The ingest Lambda against a real S3-compatible server: raw, lake and quarantine are prefixes of one s3rver
 * bucket, so the handler streams the export from S3 and publishes Parquet and the manifest back to it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Store } from '../../functions/adapters/aws/s3-store.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { customerHasher } from '../../functions/core/ingest/customer-key.ts';
import { ingestFile } from '../../functions/core/ingest/ingest-file.ts';
import { lakeKeys, type IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import { startS3rver, type RunningS3rver } from '../adapters/aws/s3rver-server.ts';

const BANK_HEADER =
  'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n';
const BANK_ROWS =
  'AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\r\n' +
  'AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n';

let s3: RunningS3rver;
let work: string;
let raw: ObjectStore;
let lake: ObjectStore;
let handler: ReturnType<typeof createIngestHandler>;
const logs: Record<string, unknown>[] = [];

const s3Event = (key: string) => ({
  Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'cspulse-test' }, object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/') } } }],
});
const sqsRecord = (messageId: string, body: unknown) => ({ messageId, body: JSON.stringify(body), eventSource: 'aws:sqs' });

beforeAll(async () => {
  s3 = await startS3rver();
  work = await mkdtemp(join(tmpdir(), 'cspulse-ingest-handler-'));
  raw = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'raw' });
  lake = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'lake' });
  const quarantine = createS3Store({ client: s3.client, bucket: s3.bucket, prefix: 'quarantine' });
  const path = 'test/fixtures/clients/anonymous-bank.yaml';
  const config = parseClientConfig(await readFile(path, 'utf8'), path);
  const deps = { lake, quarantine, hashCustomer: customerHasher('handler-test-secret-000'), clock: { now: () => new Date('2026-01-01T00:00:00Z') }, workDir: work };
  handler = createIngestHandler({
    config,
    rawBucket: 'cspulse-test',
    // The S3 event names keys of the raw bucket; here the raw "bucket" is the raw/ prefix of the test bucket.
    raw: { ...raw, getStream: (key) => raw.getStream(key) },
    ingest: (request) => ingestFile(deps, request),
    log: (entry) => logs.push(entry),
  });
}, 60_000);

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
  it('ingests an object named by a direct S3 event, with a URL-encoded key', async () => {
    const key = 'client_id=anonymous-bank/calls/feb 01.tsv';
    await raw.put(key, BANK_HEADER + BANK_ROWS);
    expect(await handler(s3Event(key))).toEqual({ ingested: 1 });
    const m = await manifestOf(key);
    expect(m).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2 });
    expect(m.partitions[0]!.object_key).toMatch(/^contacts\/client_id=anonymous-bank\/dt=1999-02-01\/calls--feb_01\.tsv-/);
    expect(await lake.head(m.partitions[0]!.object_key)).toBeDefined();
  });

  it('reports only the failing SQS messages as batch item failures', async () => {
    const good = 'client_id=anonymous-bank/calls/feb02.tsv';
    await raw.put(good, BANK_HEADER + BANK_ROWS.replaceAll('990201', '990202'));
    const response = await handler({
      Records: [
        sqsRecord('m-good', s3Event(good)),
        sqsRecord('m-test-event', { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'cspulse-test' }),
        sqsRecord('m-other-client', s3Event('client_id=someone-else/calls/x.tsv')),
        sqsRecord('m-missing', s3Event('client_id=anonymous-bank/calls/missing.tsv')),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-other-client' }, { itemIdentifier: 'm-missing' }] });
    expect((await manifestOf(good)).rows_written).toBe(2);
    expect(logs.some((l) => String(l.error).includes('belongs to client someone-else'))).toBe(true);
  });

  it('on a FIFO queue, fails the rest of the batch after a failure so the order of files holds', async () => {
    const later = 'client_id=anonymous-bank/calls/feb04.tsv';
    await raw.put(later, BANK_HEADER + BANK_ROWS.replaceAll('990201', '990204'));
    const fifo = (id: string, body: unknown) => ({ ...sqsRecord(id, body), eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:ingest.fifo' });
    const response = await handler({
      Records: [fifo('f-missing', s3Event('client_id=anonymous-bank/calls/gone.tsv')), fifo('f-later', s3Event(later))],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'f-missing' }, { itemIdentifier: 'f-later' }] });
    await expect(manifestOf(later)).rejects.toThrow(/no manifest/);
  });

  it('reads an EventBridge Object Created event, whose key is not URL-encoded', async () => {
    const key = 'client_id=anonymous-bank/calls/feb 03 A+B 100%.tsv';
    await raw.put(key, BANK_HEADER + BANK_ROWS.replaceAll('990201', '990203'));
    const event = {
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'cspulse-test' }, object: { key, size: 10 }, reason: 'PutObject' },
    };
    expect(await handler({ Records: [sqsRecord('m-eb', event)] })).toEqual({ batchItemFailures: [] });
    expect((await manifestOf(key)).rows_written).toBe(2);
  });

  it('treats a rejected file as handled: its manifest says why and SQS does not retry it', async () => {
    const key = 'client_id=anonymous-bank/calls/wrong.csv';
    await raw.put(key, 'a,b\n1,2\n');
    expect(await handler({ Records: [sqsRecord('m-wrong', s3Event(key))] })).toEqual({ batchItemFailures: [] });
    const m = await manifestOf(key);
    expect(m.status).toBe('rejected');
    expect(m.error).toMatch(/missing columns/);
  });
});
