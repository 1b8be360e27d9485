/**
 * The real Asterisk PBX's calls (test/fixtures/real/asterisk/) in the layout Asterisk's `cdr_custom` writes with
 * the default mapping of cdr_custom.conf.sample (test/fixtures/real/asterisk-custom/README.md): 19 columns, every
 * value quoted but the sequence, no linkedid. Read with `preset: asterisk-cdr-custom`, the 36 calls must come out
 * as the cdr_csv file's README works them out; the 11 rows whose caller is a Local channel half (a ring group's
 * inner legs, 9 such channels) carry their own uniqueid, so they are excluded contacts of their own.
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

const FILE = join(import.meta.dirname, '../fixtures/real/asterisk-custom/Master.csv');
const config = clientConfigSchema.parse({
  id: 'stadion',
  name: 'Stadion',
  timezone: 'Europe/Moscow',
  sources: [{ id: 'pbx', preset: 'asterisk-cdr-custom', timezone: 'UTC' }],
  contract: [{ effective_from: '2024-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let manifest: IngestManifest;
let rows: Record<string, SqlValue>[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-asterisk-custom-'));
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
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'stadion' ORDER BY arrived_at, contact_id`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const iso = (v: SqlValue | undefined) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

describe('Asterisk cdr_custom Master.csv through preset asterisk-cdr-custom', () => {
  it('counts 84 rows as 36 calls and 9 excluded Local-channel contacts: 84 = 45 written + 39 grouped', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 84, rows_written: 45, rows_quarantined: 0, duplicates_dropped: 0, legs_grouped: 39, rows_excluded: 9 });
  });

  it('gives every call the cdr_csv README\'s outcome, answer time, wait, talk and agent', () => {
    const got = rows
      .filter((r) => r.outcome !== 'excluded')
      .map((r) => [r.contact_id, r.outcome, r.answered_at === null ? null : iso(r.answered_at)!.slice(11, 19), r.wait_seconds, r.talk_seconds, r.agent_id]);
    expect(got).toEqual(CALLS);
  });

  it('excludes only contacts whose caller is a Local channel', () => {
    const excluded = rows.filter((r) => r.outcome === 'excluded');
    expect(excluded).toHaveLength(9);
    // their ids are the Local channels' own uniqueids, none a call's
    expect(excluded.every((r) => !CALLS.some((c) => c[0] === r.contact_id))).toBe(true);
  });
});
