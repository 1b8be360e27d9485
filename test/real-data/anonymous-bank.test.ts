/**
 * Real third-party data: the "Anonymous Bank" call center's 1999 records (Technion SEE lab), ingested
 * through a declarative mapping with no code. Expected counts are taken from the raw lines here, by splitting
 * the text independently of the ingest code, and compared with what DuckDB reads back from the lake.
 */
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { ingestFile, type IngestDeps } from '../../functions/core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { QueryEngine } from '../../functions/core/ports.ts';

const DATA = join(import.meta.dirname, '../../../shared/data/anonymous-bank-1999');

async function rawCounts(file: string, separator: string, dateOf: (date: string) => string) {
  const lines = (await readFile(join(DATA, file), 'utf8')).split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(separator);
  const col = (name: string) => header.indexOf(name);
  const perDay = new Map<string, number>();
  const outcomes = { answered: 0, self_service: 0, abandoned: 0, excluded: 0 };
  for (const line of lines.slice(1)) {
    const f = line.split(separator);
    const day = dateOf(f[col('date')]!);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const outcome = f[col('outcome')];
    if (outcome === 'AGENT') outcomes.answered++;
    else if (outcome === 'PHANTOM') outcomes.excluded++;
    else if (outcome === 'HANG' && f[col('q_start')] === '0:00:00') outcomes.self_service++;
    else if (outcome === 'HANG') outcomes.abandoned++;
  }
  return { rows: lines.length - 1, perDay, outcomes };
}

async function lakeCounts(engine: QueryEngine, clientId: string) {
  const days = await engine.query('select dt, count(*) as n from contacts where client_id = ? group by dt order by dt', [clientId]);
  const outcomes = await engine.query('select outcome, count(*) as n from contacts where client_id = ? group by outcome', [clientId]);
  return {
    perDay: new Map(days.rows.map((r) => [r.dt as string, r.n as number])),
    outcomes: Object.fromEntries(outcomes.rows.map((r) => [r.outcome as string, r.n as number])),
  };
}

let dir: string;
let deps: IngestDeps;
let engine: QueryEngine;
const manifests: Record<string, IngestManifest> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-bank-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'bank-test-secret-000000000', openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-11-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  for (const [id, file] of [
    ['anonymous-bank', 'february_1999.txt'],
    ['anonymous-bank-august', 'august_1999_from_ods.csv'],
  ] as const) {
    const path = `test/fixtures/clients/${id}.yaml`;
    const config = parseClientConfig(await readFile(path, 'utf8'), path);
    manifests[id] = await ingestFile(deps, { config, sourceId: 'calls', file, body: createReadStream(join(DATA, file)) });
  }
  engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('February 1999 (tab-separated Technion text)', () => {
  it('accounts for every one of the 33,344 rows', async () => {
    const m = manifests['anonymous-bank']!;
    expect(m.rows_read).toBe(33_344);
    expect(m.rows_written + m.rows_quarantined + m.duplicates_dropped).toBe(33_344);
    expect(m.rows_quarantined).toBe(0);
    expect(m.duplicates_dropped).toBe(0);
  });

  it('has the same rows per day in the lake as in the raw lines', async () => {
    const raw = await rawCounts('february_1999.txt', '\t', (d) => `19${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4, 6)}`);
    const lake = await lakeCounts(engine, 'anonymous-bank');
    expect(raw.perDay.size).toBe(28);
    expect(lake.perDay).toEqual(raw.perDay);
    // PHANTOM records are kept as excluded; HANG before the queue is VRU self-service
    expect(lake.outcomes).toEqual(raw.outcomes);
    expect(raw.outcomes.excluded).toBe(278);
    expect(raw.outcomes.answered).toBe(27_162);
  });
});

describe('August 1999 (spreadsheet CSV with known defects)', () => {
  it('quarantines the corrupted call id visibly and keeps every other row', async () => {
    const m = manifests['anonymous-bank-august']!;
    expect(m).toMatchObject({ rows_read: 42_078, rows_written: 42_077, rows_quarantined: 1, duplicates_dropped: 0 });
    const quarantined = JSON.parse((await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim());
    expect(quarantined).toMatchObject({ line: 31_843, field: 'contact_id' });
    expect(quarantined.raw).toContain('AA0216,2010-08-,');
  });

  it('dates the calls in 1999, not in the spreadsheet year 2010', async () => {
    const raw = await rawCounts('august_1999_from_ods.csv', ',', (d) => d.replace(/^2010/, '1999'));
    const lake = await lakeCounts(engine, 'anonymous-bank-august');
    // the quarantined row was on 1999-08-23
    raw.perDay.set('1999-08-23', raw.perDay.get('1999-08-23')! - 1);
    expect(lake.perDay).toEqual(raw.perDay);
    expect([...lake.perDay.keys()].every((d) => d.startsWith('1999-08-'))).toBe(true);
  });
});
