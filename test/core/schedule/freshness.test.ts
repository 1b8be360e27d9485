import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { coverageKeys, type CoverageEntry } from '../../../functions/core/ingest/coverage.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { freshnessOf, loadPeriodCoverage } from '../../../functions/core/schedule/freshness.ts';
import { config, coverageEntry } from '../report/fixtures.ts';

const day = { start: '2026-03-04', end: '2026-03-04' };
const later = new Date('2026-03-10T00:00:00Z');

let lake: ObjectStore;
const reads: string[] = [];
const lists: string[] = [];
async function deliver(e: CoverageEntry) {
  await lake.put(coverageKeys.entry(e.client_id, e.dt, e.source, e.file_id), JSON.stringify(e));
}

beforeEach(async () => {
  const folder = createFolderStore(await mkdtemp(path.join(tmpdir(), 'cspulse-freshness-')));
  reads.length = 0;
  lists.length = 0;
  lake = {
    ...folder,
    get: (k) => (reads.push(k), folder.get(k)),
    getStream: (k) => folder.getStream(k),
    head: (k) => folder.head(k),
    put: (k, b, o) => folder.put(k, b, o),
    putIfAbsent: (k, b, o) => folder.putIfAbsent(k, b, o),
    delete: (k) => folder.delete(k),
    list: (p) => (lists.push(p), folder.list(p)),
  };
});

describe('freshness from the coverage index', () => {
  it('names the sources and days that have not arrived', async () => {
    await deliver(coverageEntry({ source: 'cti', dt: '2026-03-04' }));
    const { completeness } = await loadPeriodCoverage(lake, config(), day, later);
    expect(freshnessOf(completeness)).toEqual({ complete: false, lagging: [{ source: 'chat', missing: ['2026-03-04'], pending: [] }] });
  });

  it('reads only the dates of the period and the day after, however much history the lake holds', async () => {
    for (const dt of ['2026-01-10', '2026-02-28', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-20']) {
      await deliver(coverageEntry({ source: 'cti', dt }));
      await deliver(coverageEntry({ source: 'chat', dt }));
    }
    const { completeness } = await loadPeriodCoverage(lake, config(), day, later);
    expect(completeness.complete).toBe(true);
    expect(lists).toEqual(['coverage/client_id=shop/dt=2026-03-04/', 'coverage/client_id=shop/dt=2026-03-05/']);
    expect(reads.sort()).toEqual([
      'coverage/client_id=shop/dt=2026-03-04/chat--chat-2026-03-04.json',
      'coverage/client_id=shop/dt=2026-03-04/cti--cti-2026-03-04.json',
      'coverage/client_id=shop/dt=2026-03-05/chat--chat-2026-03-05.json',
      'coverage/client_id=shop/dt=2026-03-05/cti--cti-2026-03-05.json',
    ]);
  });

  it('changes its digest with a new or replaced delivery of the period, not with one of the next day', async () => {
    await deliver(coverageEntry({ source: 'cti', dt: '2026-03-04' }));
    const a = (await loadPeriodCoverage(lake, config(), day, later)).digest;
    await deliver(coverageEntry({ source: 'cti', dt: '2026-03-05' }));
    expect((await loadPeriodCoverage(lake, config(), day, later)).digest).toBe(a);
    await deliver(coverageEntry({ source: 'chat', dt: '2026-03-04' }));
    expect((await loadPeriodCoverage(lake, config(), day, later)).digest).not.toBe(a);
  });

  it('can take a Firehose-fed source from the listing alone, for comparison periods', async () => {
    const cfg = config({ sources: [{ id: 'connect', format: 'amazon-connect-ctr' }, { id: 'surveys', format: 'cspulse-csv', table: 'surveys' }] });
    for (let i = 0; i < 5; i++) await deliver(coverageEntry({ source: 'connect', dt: '2026-03-04', file_id: `firehose-${i}` }));
    await deliver(coverageEntry({ source: 'surveys', dt: '2026-03-04' }));
    const { completeness } = await loadPeriodCoverage(lake, cfg, day, later, { details: false });
    expect(completeness.complete).toBe(true);
    // the five Firehose objects were listed, not read; the survey export was read
    expect(reads).toEqual(['coverage/client_id=shop/dt=2026-03-04/surveys--surveys-2026-03-04.json']);
  });
});
