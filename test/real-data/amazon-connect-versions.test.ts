/**
 * Real Amazon Connect contact records (test/fixtures/real/amazon-connect/README.md): three copies of one
 * answered call, delivered over six days, each later copy with attributes the earlier ones lack. Whatever the
 * order the copies arrive in, in one file or in three, the lake holds the newest copy (LastUpdateTimestamp
 * 2022-01-11T04:09:47Z), with the values the README works out by hand.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../functions/core/ingest/ingest-file.ts';

const copies = readFileSync(join(import.meta.dirname, '../fixtures/real/amazon-connect/ctr-versions.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

const config = clientConfigSchema.parse({
  id: 'tcc',
  name: 'TCC',
  timezone: 'America/New_York',
  // copy 2 adds greetingPlayed, copy 3 also GreetingPlayed: a first-copy-wins lake has neither
  sources: [{ id: 'connect', format: 'amazon-connect-ctr', category_attribute: 'GreetingPlayed', subcategory_attribute: 'greetingPlayed' }],
  contract: [{ effective_from: '2022-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
] as const;

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-connect-versions-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'connect-versions-secret-0000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* body(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

async function lake() {
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    return (await engine.query(`SELECT * FROM contacts WHERE client_id = 'tcc'`)).rows;
  } finally {
    await engine.close();
  }
}

/** The contact as the README's table works it out from copy 3. */
function expectNewestCopy(rows: Record<string, unknown>[]): void {
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row).toMatchObject({
    contact_id: '6fe40d2a-1a89-4d73-bfcf-5d9c33894f47',
    channel: 'phone',
    direction: 'inbound',
    queue: 'TCC Refrig AC LLA',
    agent_id: 'Agent.0001',
    category: 'false', // Attributes.GreetingPlayed: only in copy 3
    subcategory: 'false', // Attributes.greetingPlayed: copies 2 and 3
    ivr_seconds: 107, // enqueue 17:14:46 − start 17:12:59
    wait_seconds: 346, // Queue.Duration
    talk_seconds: 239,
    hold_seconds: 221,
    acw_seconds: 5,
    handle_seconds: 465, // 239 + 221 + 5
    outcome: 'answered',
    is_transferred: true, // TransferCompletedTimestamp, TransferredToEndpoint +18002430000
    dt: '2022-01-05', // 17:12:59Z is 12:12:59 EST
  });
  expect(new Date(String(row!.arrived_at)).toISOString()).toBe('2022-01-05T17:12:59.000Z');
  expect(new Date(String(row!.answered_at)).toISOString()).toBe('2022-01-05T17:20:32.000Z');
  expect(new Date(String(row!.ended_at)).toISOString()).toBe('2022-01-05T17:47:28.000Z');
  expect(new Date(String(row!.updated_at)).toISOString()).toBe('2022-01-11T04:09:47.000Z');
  expect(row!.customer_key).toMatch(/^[0-9a-f]{64}$/);
}

describe('Amazon Connect: the newest LastUpdateTimestamp wins', () => {
  it.each(ORDERS)('within one file, copies in the order %i %i %i', async (...order) => {
    const text = order.map((i) => copies[i]).join('\n') + '\n';
    const manifest = await ingestFile(deps, { config, sourceId: 'connect', file: 'ctr.json', body: body(text) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 1, rows_quarantined: 0, duplicates_dropped: 2 });
    expectNewestCopy(await lake());
  });

  it.each(ORDERS)('across three files delivered in the order %i %i %i', async (...order) => {
    for (const [n, i] of order.entries()) {
      // each later file is also delivered later: the delivery time must not decide, the copy's own update does
      const deliveredAt = new Date(Date.UTC(2022, 0, 12, n));
      const manifest = await ingestFile(deps, { config, sourceId: 'connect', file: `ctr-${n}.json`, body: body(`${copies[i]}\n`), deliveredAt });
      expect(manifest).toMatchObject({ status: 'ok', rows_read: 1, rows_quarantined: 0 });
      expect(manifest.rows_written + manifest.duplicates_dropped).toBe(1);
    }
    expectNewestCopy(await lake());
  });
});
