/**
 * Real FreeSWITCH mod_cdr_csv files (test/fixtures/real/freeswitch/README.md), read with `preset:
 * freeswitch-cdr`: A legs only, A and B legs of the same kinds of call, and a mod_callcenter queue call. The
 * README works out each call by hand: the B leg answers (its answer time, its billsec, the extension it rang),
 * wait = B answer − A start, and an extension calling an extension in context `default` is no customer contact.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
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

/**
 * `unanswered-a.csv` (README: "An unanswered call"): a caller who rang 20 s and hung up, then called again and was
 * answered. The PBX transfers its DID calls into context `default` (its public dialplan), so this client keeps
 * the preset's rules but for the internal-call exclusion.
 */
describe('FreeSWITCH: an unanswered call waits its ring time', () => {
  const client = clientConfigSchema.parse({
    id: 'voip2',
    name: 'VoIP 2',
    timezone: 'Asia/Kolkata',
    sources: [
      {
        id: 'pbx',
        preset: 'freeswitch-cdr',
        outcome_rules: [
          { when: [{ column: 5, empty: true }], then: 'abandoned' },
          { when: [{ column: 11, empty: true }], then: 'self_service' },
          { when: [{ column: 11, empty: false }], then: 'answered' },
        ],
      },
    ],
    contract: [{ effective_from: '2017-01-01' }],
    recipients: { to: ['ops@example.com'] },
  });
  let got: Record<string, SqlValue>[];
  let manifest: IngestManifest;

  beforeAll(async () => {
    const deps = {
      lake: createFolderStore(join(dir, 'lake2')),
      quarantine: createFolderStore(join(dir, 'quarantine2')),
      customerKeySecret: 'freeswitch-test-secret-0000',
      openWorkspace: openDuckDbWorkspace,
      clock: { now: () => new Date('2026-03-01T00:00:00Z') },
      workDir: join(dir, 'work2'),
    };
    manifest = await ingestFile(deps, { config: client, sourceId: 'pbx', file: 'unanswered-a.csv', body: createReadStream(join(DIR, 'unanswered-a.csv')) });
    const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake2') });
    try {
      got = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'voip2' ORDER BY arrived_at`)).rows;
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('is abandoned with a wait of duration − billsec = 20 − 0 s, no agent, the number dialled as its queue', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2, rows_quarantined: 0, legs_grouped: 0 });
    const [first] = got;
    // 10:42:36 local (IST, +05:30) is 05:12:36Z; it rang until 10:42:56
    expect(first).toMatchObject({ contact_id: '07e9b707-92b3-4cf9-b0b6-8476902ac417', outcome: 'abandoned', wait_seconds: 20, answered_at: null, agent_id: null, queue: '1002' });
    expect(new Date(String(first!.arrived_at)).toISOString()).toBe('2017-07-09T05:12:36.000Z');
  });

  it('and the retry 27 s later, answered at 10:43:27, waits 24 s (= 212 − 188) and talks 188 s: the same caller', () => {
    const [first, second] = got;
    expect(second).toMatchObject({ contact_id: 'fcf5e663-98c0-4022-8d6e-91562a8bff0a', outcome: 'answered', wait_seconds: 24, talk_seconds: 188, agent_id: null, queue: '1002' });
    expect(second!.customer_key).toBe(first!.customer_key);
    expect(first!.customer_key).not.toBeNull();
  });
});

describe('FreeSWITCH: an application where a party would be', () => {
  it('gives a leg whose caller or destination names an application (&park()) no queue, agent or customer', async () => {
    // one leg as `originate … &park()` can leave it: answered, never bridged; reconstructed, not from a real file
    const row = '"","&park()","&park()","default","2017-07-19 17:23:53","2017-07-19 17:24:04","2017-07-19 17:25:30","97","86","NORMAL_CLEARING","4e91772e-b90f-4745-83fd-201f8b6e8c8f","","","L16","L16"\n';
    const client = clientConfigSchema.parse({
      id: 'voip3',
      name: 'VoIP 3',
      timezone: 'UTC',
      phone_region: 'US',
      sources: [{ id: 'pbx', preset: 'freeswitch-cdr', outcome_rules: [{ when: [{ column: 11, empty: true }], then: 'self_service' }] }],
      contract: [{ effective_from: '2017-01-01' }],
      recipients: { to: ['ops@example.com'] },
    });
    const deps = {
      lake: createFolderStore(join(dir, 'lake3')),
      quarantine: createFolderStore(join(dir, 'quarantine3')),
      customerKeySecret: 'freeswitch-test-secret-0000',
      openWorkspace: openDuckDbWorkspace,
      clock: { now: () => new Date('2026-03-01T00:00:00Z') },
      workDir: join(dir, 'work3'),
    };
    const manifest = await ingestFile(deps, { config: client, sourceId: 'pbx', file: 'originate.csv', body: Readable.from([Buffer.from(row)]) });
    expect(manifest).toMatchObject({ status: 'ok', rows_written: 1 });
    const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake3') });
    try {
      const [leg] = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'voip3'`)).rows;
      expect(leg).toMatchObject({ outcome: 'self_service', queue: null, agent_id: null, customer_key: null });
    } finally {
      await engine.close();
    }
  });
});
