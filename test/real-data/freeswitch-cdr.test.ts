/**
 * Real FreeSWITCH mod_cdr_csv files (test/fixtures/real/freeswitch/README.md), read with `preset:
 * freeswitch-cdr`: A legs only, A and B legs of the same kinds of call, and a mod_callcenter queue call. The
 * README works out each call by hand: the B leg answers (its answer time, its billsec, the extension it rang),
 * wait = B answer − A start, and an extension calling an extension in context `default` is no customer contact.
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

const DIR = join(import.meta.dirname, '../fixtures/real/freeswitch');
const config = clientConfigSchema.parse({
  id: 'voip',
  name: 'VoIP',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'pbx', preset: 'freeswitch-cdr' }],
  contract: [{ effective_from: '2023-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
const manifests: Record<string, IngestManifest> = {};
let rows: Record<string, SqlValue>[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-freeswitch-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'freeswitch-test-secret-0000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  for (const file of ['legs-a.csv', 'legs-ab.csv', 'callcenter-ab.csv']) {
    manifests[file] = await ingestFile(deps, { config, sourceId: 'pbx', file, body: createReadStream(join(DIR, file)) });
  }
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'voip' ORDER BY arrived_at`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Local wall clock in Seoul of a lake timestamp (the files' times are the server's local time). */
const seoul = (v: SqlValue | undefined) =>
  v === null || v === undefined ? null : new Date(Date.parse(String(v)) + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('FreeSWITCH mod_cdr_csv through preset freeswitch-cdr', () => {
  it('counts 8 rows as 5 calls: the B leg of each bridged call is grouped into its A leg', () => {
    expect(manifests['legs-a.csv']).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2, rows_quarantined: 0, legs_grouped: 0 });
    expect(manifests['legs-ab.csv']).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 2, rows_quarantined: 0, legs_grouped: 2 });
    expect(manifests['callcenter-ab.csv']).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 1, rows_quarantined: 0, legs_grouped: 1 });
  });

  it('gives each call the README\'s outcome, arrival, answer, wait, talk, agent and queue', () => {
    const got = rows.map((r) => ({
      id: String(r.contact_id).slice(0, 8),
      outcome: r.outcome,
      arrived: seoul(r.arrived_at),
      answered: r.outcome === 'excluded' ? undefined : seoul(r.answered_at),
      wait: r.outcome === 'excluded' ? undefined : r.wait_seconds,
      talk: r.outcome === 'excluded' ? undefined : r.talk_seconds,
      agent: r.outcome === 'excluded' ? undefined : r.agent_id,
      queue: r.outcome === 'excluded' ? undefined : r.queue,
    }));
    expect(got).toEqual([
      // legs-a: the A leg alone; its B leg (1e764847…) was not logged, so which extension answered is unknown
      { id: 'eb1e406c', outcome: 'answered', arrived: '2023-10-10 23:24:01', answered: '2023-10-10 23:24:03', wait: 2, talk: 8, agent: null, queue: '*1001' },
      { id: '7866825d', outcome: 'excluded', arrived: '2023-10-10 23:26:08' }, // 1001 → 1002 in default: internal
      // legs-ab: B (02132a5c…) rang 1001 and answered at 23:43:59; both legs say billsec 7 for the same 7 s
      { id: '99205d8f', outcome: 'answered', arrived: '2023-10-10 23:43:58', answered: '2023-10-10 23:43:59', wait: 1, talk: 7, agent: '1001', queue: '*1003' },
      { id: 'a03307a6', outcome: 'excluded', arrived: '2023-10-10 23:44:11' },
      // the queue call: the member leg was answered at once for hold music; the agent leg at 08:43:18, talk 4 s
      { id: 'd26a29f9', outcome: 'answered', arrived: '2023-10-11 08:43:13', answered: '2023-10-11 08:43:18', wait: 5, talk: 4, agent: '1001', queue: '3000' },
    ]);
  });

  it('totals: 3 answered (waits 2, 1, 5 s; talk 8, 7, 4 s), 2 excluded, none abandoned', () => {
    expect(rows.filter((r) => r.outcome === 'answered').map((r) => [r.wait_seconds, r.talk_seconds])).toEqual([[2, 8], [1, 7], [5, 4]]);
    expect(rows.filter((r) => r.outcome === 'excluded')).toHaveLength(2);
    expect(rows.filter((r) => r.outcome === 'abandoned')).toHaveLength(0);
  });
});
