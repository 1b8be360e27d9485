/**
 * The reconstructed 채널톡 chat-data workbook (test/fixtures/reconstructed/channeltalk/README.md) read with `preset:
 * channeltalk-userchat`: five chats, each worked out by hand in the README, the customer taken from the User data
 * sheet (a phone number joins the same caller's CTI calls; an e-mail, else the 채널톡 user id, keys the others).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../functions/core/config/client-config.ts';
import { ingestFile } from '../../functions/core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../functions/core/ingest/manifest.ts';
import type { SqlValue } from '../../functions/core/ports.ts';

const FILE = join(import.meta.dirname, '../fixtures/reconstructed/channeltalk/userchat-export.xlsx');
const config = clientConfigSchema.parse({
  id: 'shop',
  name: '샵',
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'chat', preset: 'channeltalk-userchat' },
    { id: 'cti', format: 'mapped-csv', channel: 'phone', fields: { contact_id: 'id', customer: 'caller', arrived_at: { column: 'start', format: 'YYYY-MM-DD HH:mm:ss' }, outcome: { constant: 'answered' } } },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let manifest: IngestManifest;
let rows: Record<string, SqlValue>[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-channeltalk-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'channeltalk-test-secret-000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  manifest = await ingestFile(deps, { config, sourceId: 'chat', file: 'userchat-export.xlsx', body: createReadStream(FILE) });
  await ingestFile(deps, { config, sourceId: 'cti', file: 'cti.csv', body: Readable.from([Buffer.from('id,caller,start\nC1,010-1234-5678,2026-03-02 16:00:00\n')]) });
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'shop' ORDER BY arrived_at`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const seoul = (v: SqlValue | undefined) => (v === null || v === undefined ? null : new Date(Date.parse(String(v)) + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));

describe('채널톡 UserChat workbook through preset channeltalk-userchat', () => {
  it('reads the five chats of the UserChat data sheet', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 5, rows_written: 5, rows_quarantined: 0 });
  });

  it('gives each chat the README\'s outcome, times, wait, agent and category', () => {
    const chats = rows.filter((r) => r.source === 'chat').map((r) => [String(r.contact_id).slice(-4), r.outcome, seoul(r.arrived_at), seoul(r.answered_at), seoul(r.ended_at), r.wait_seconds, r.agent_id, r.category, r.dt]);
    expect(chats).toEqual([
      ['0001', 'answered', '2026-03-02 10:00:00', '2026-03-02 10:01:05', '2026-03-02 10:12:00', 65, 'm-101', '배송', '2026-03-02'],
      ['0002', 'abandoned', '2026-03-02 10:30:00', null, '2026-03-02 11:30:00', null, null, '환불', '2026-03-02'],
      ['0003', 'answered', '2026-03-02 14:00:00', '2026-03-02 14:00:40', '2026-03-02 14:20:00', 40, 'm-102', '배송', '2026-03-02'],
      ['0004', 'abandoned', '2026-03-02 23:50:00', null, null, null, null, null, '2026-03-02'],
      ['0005', 'answered', '2026-03-03 09:00:00', '2026-03-03 10:02:03', null, 3723, 'm-101', '교환', '2026-03-03'],
    ]);
  });

  it('keys the customer by the User data sheet: the phone joins the CTI call, others by e-mail or user id', () => {
    const chat = (n: string) => rows.find((r) => String(r.contact_id).endsWith(n))!;
    const call = rows.find((r) => r.source === 'cti')!;
    expect(chat('0001').customer_key).toBe(call.customer_key); // +821012345678 is 010-1234-5678
    expect(chat('0003').customer_key).toBe(chat('0001').customer_key);
    expect(new Set(['0001', '0002', '0004', '0005'].map((n) => chat(n).customer_key)).size).toBe(4);
    expect(chat('0004').customer_key).not.toBeNull(); // no phone, no e-mail: the 채널톡 user id, in its namespace
  });
});
