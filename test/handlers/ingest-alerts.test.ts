/**
 * The ingest function evaluates the intraday alerts after a file that wrote rows of the client's today, not after
 * a backfill of past days, and an alert that fails is logged and counted without failing the file.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import type { IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { AlertRunResult } from '../../functions/core/live/run-alerts.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import { handlerLogger, handlerMetrics } from '../../functions/handlers/observability.ts';
import { CLIENT, config, NOW } from '../core/live/live-fixture.ts';
import { captureOutput, type CapturedOutput } from './captured-output.ts';

const event = (key: string) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  time: '2026-03-31T02:00:05Z',
  detail: { bucket: { name: 'raw-bucket' }, object: { key, size: 10 }, reason: 'PutObject' },
});

const manifest = (dt: string): IngestManifest => ({
  client_id: CLIENT,
  source: 'cti',
  table: 'contacts',
  file: 'x',
  file_sha256: 'x',
  file_id: 'x',
  started_at: NOW.toISOString(),
  finished_at: NOW.toISOString(),
  status: 'ok',
  error: null,
  rows_read: 3,
  rows_written: 3,
  rows_quarantined: 0,
  duplicates_dropped: 0,
  partitions: [{ dt, rows: 3, excluded: 0, object_key: 'k' }],
  quarantine_key: null,
});

const result = (sent: number): AlertRunResult => ({
  at: NOW.toISOString(),
  started: [],
  cleared: [],
  sent: Array.from({ length: sent }, (_, i) => ({ key: `k${i}`, event: 'start' as const, streak: 1, messageId: `<m${i}>`, subject: 's' })),
  skipped: [],
  failed: [],
});

describe('the ingest function and the intraday alerts', () => {
  let out: CapturedOutput;
  beforeEach(() => {
    out = captureOutput();
  });
  afterEach(() => out.restore());

  it('evaluates them after rows of today, not after a past day, and survives their failure', async () => {
    const raw = createFolderStore(await mkdtemp(join(tmpdir(), 'cspulse-raw-')));
    for (const name of ['today.csv', 'past.csv', 'failing.csv']) await raw.put(`client_id=${CLIENT}/cti/${name}`, 'contact_id\n');
    const evaluated: string[] = [];
    let fail = false;
    const handler = createIngestHandler({
      config: config(),
      rawBucket: 'raw-bucket',
      raw,
      ingest: async (r) => manifest(r.file.includes('past') ? '2026-03-24' : '2026-03-31'),
      deadLetters: { send: async () => undefined },
      logger: handlerLogger('ingest', CLIENT),
      metrics: handlerMetrics('ingest', CLIENT),
      clock: { now: () => NOW },
      liveAlerts: async (c: ClientConfig) => {
        evaluated.push(c.id);
        if (fail) throw new Error('Athena: throttled');
        return result(2);
      },
    });
    expect(await handler(event(`client_id=${CLIENT}/cti/today.csv`))).toEqual({ ingested: 1 });
    expect(await handler(event(`client_id=${CLIENT}/cti/past.csv`))).toEqual({ ingested: 1 });
    expect(evaluated).toEqual([CLIENT]);
    fail = true;
    expect(await handler(event(`client_id=${CLIENT}/cti/failing.csv`))).toEqual({ ingested: 1 });
    const metric = (name: string) => out.emf().filter((l) => name in l).map((l) => l[name]);
    expect(metric('AlertsSent')).toEqual([2]);
    expect(metric('AlertsFailed')).toEqual([1]);
    expect(out.logs().filter((l) => l.message === 'intraday alerts could not be evaluated')).toHaveLength(1);
  });
});
