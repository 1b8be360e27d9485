/**
 * A real Asterisk `Master.csv` (test/fixtures/real/asterisk/README.md): 84 rows, one per call leg, of 36
 * calls, read with `preset: asterisk-cdr` and nothing else but the file's zone. Every call's outcome, answer
 * time, wait, talk and agent is compared with the README's table, which works them out by hand from the raw
 * rows (wait = answer − start of the call; talk = billsec of the answered legs that rang a phone).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../functions/core/config/client-config.ts';
import { ingestFile } from '../../functions/core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { SqlValue } from '../../functions/core/ports.ts';
import { CALLS } from './asterisk-calls.ts';

const FILE = join(import.meta.dirname, '../fixtures/real/asterisk/Master.csv');


const config = clientConfigSchema.parse({
  id: 'stadion',
  name: 'Stadion',
  timezone: 'Europe/Moscow',
  // cdr_csv wrote UTC here (usegmtime): the epoch in each uniqueid is the call's start
  sources: [{ id: 'pbx', preset: 'asterisk-cdr', timezone: 'UTC' }],
  contract: [{ effective_from: '2024-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let manifest: IngestManifest;
let rows: Record<string, SqlValue>[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-asterisk-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'asterisk-test-secret-000000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  manifest = await ingestFile(deps, { config, sourceId: 'pbx', file: 'Master.csv', body: createReadStream(FILE) });
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'stadion' ORDER BY arrived_at`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const iso = (v: SqlValue | undefined) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

describe('Asterisk Master.csv through preset asterisk-cdr', () => {
  it('counts 84 rows as 36 calls: each leg is written, grouped into its call, or quarantined', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 84, rows_written: 36, rows_quarantined: 0, duplicates_dropped: 0, legs_grouped: 48 });
  });

  it('gives every call the README\'s outcome, answer time, wait, talk and agent', () => {
    const got = rows.map((r) => [
      r.contact_id,
      r.outcome,
      r.answered_at === null ? null : iso(r.answered_at)!.slice(11, 19),
      r.wait_seconds,
      r.talk_seconds,
      r.agent_id,
    ]);
    expect(got).toEqual(CALLS);
  });

  it('totals: 24 answered, 6 abandoned, 6 self-service, none transferred; ASA 105 / 24 s, talk 790 s', () => {
    const count = (o: string) => rows.filter((r) => r.outcome === o).length;
    expect([count('answered'), count('abandoned'), count('self_service')]).toEqual([24, 6, 6]);
    expect(rows.filter((r) => r.is_transferred).length).toBe(0);
    const answered = rows.filter((r) => r.outcome === 'answered');
    expect(answered.reduce((s, r) => s + Number(r.wait_seconds), 0)).toBe(105);
    expect(answered.reduce((s, r) => s + Number(r.talk_seconds), 0)).toBe(790);
    // wait = answered_at − arrived_at for every answered call (the earliest start of its legs)
    for (const r of answered) expect(Number(r.wait_seconds)).toBe((Date.parse(iso(r.answered_at)!) - Date.parse(iso(r.arrived_at)!)) / 1000);
    expect(rows.every((r) => r.channel === 'phone' && r.direction === 'inbound')).toBe(true);
  });

  it('keys the same caller the same in every call: 89000000001 in calls 1–5, 89000000018 in 25–26', () => {
    const keyOf = (n: number) => rows[n - 1]!.customer_key;
    expect(new Set([1, 2, 3, 4, 5].map(keyOf)).size).toBe(1);
    expect(keyOf(25)).toBe(keyOf(26));
    expect(keyOf(6)).not.toBe(keyOf(1));
    expect(new Set(rows.map((r) => r.customer_key)).size).toBe(28); // 28 distinct callers, README
    expect(rows[0]!.dt).toBe('2024-01-27'); // 15:07:24 UTC is 18:07 in Moscow
  });
});
