/**
 * A cross-channel repeat for a US client, end to end: a chat platform writes the customer as
 * `+1 415-555-0123`, the CTI the next morning as `(415) 555-0123`. Both files go through the real ingest into
 * a temporary lake; the repeat rate and FCR come from sql/kpis/contact_kpis.sql run by DuckDB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { customerHasher, customerKeyScope, type CustomerHasher } from '../../../functions/core/ingest/customer-key.ts';
import { ingestFile } from '../../../functions/core/ingest/ingest-file.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';

const config = clientConfigSchema.parse({
  id: 'pacific',
  name: 'Pacific Outfitters',
  timezone: 'America/Los_Angeles', // no phone_region: US from the zone
  locale: 'en',
  sources: [
    { id: 'chat', format: 'cspulse-csv', channel: 'chat' },
    { id: 'cti', format: 'cspulse-csv', channel: 'phone' },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['cs@pacific.example'] },
});

// Pacific daylight time (UTC−7) from 2026-03-08.
//   CH1 chat  2026-03-10 09:00 PDT  +1 415-555-0123   answered
//   C1  call  2026-03-11 08:00 PDT  (415) 555-0123    answered: 23 h after CH1, the same customer → a repeat
//   C2  call  2026-03-11 09:00 PDT  (415) 555-0124    answered: another customer, no earlier contact
// 2026-03-11: 2 inbound contacts with a customer key, 1 repeat → repeat rate 1/2.
// 2026-03-10: CH1 answered and followed by C1 within the 72 h FCR window → FCR 0/1.
const CHAT = 'contact_id,arrived_at,answered_at,outcome,wait_seconds,customer\r\nCH1,2026-03-10T16:00:00Z,2026-03-10T16:00:40Z,answered,40,+1 415-555-0123\r\n';
const CTI =
  'contact_id,arrived_at,answered_at,outcome,wait_seconds,customer\r\n' +
  'C1,2026-03-11T15:00:00Z,2026-03-11T15:00:12Z,answered,12,(415) 555-0123\r\n' +
  'C2,2026-03-11T16:00:00Z,2026-03-11T16:00:09Z,answered,9,(415) 555-0124\r\n';

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

async function ingestBoth(dir: string, hashCustomer: CustomerHasher): Promise<DuckDbEngine> {
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    hashCustomer,
    clock: { now: () => new Date('2026-03-12T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  for (const [sourceId, file, text] of [['chat', 'chat-0310.csv', CHAT], ['cti', 'cti-0311.csv', CTI]] as const) {
    const manifest = await ingestFile(deps, { config, sourceId, file, body: bytes(text) });
    expect(manifest).toMatchObject({ status: 'ok', rows_quarantined: 0 });
  }
  return createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
}

const SECRET = 'repeat-test-secret-0123456789';
let dir: string;
let engine: DuckDbEngine;
let before: DuckDbEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-repeat-'));
  engine = await ingestBoth(join(dir, 'region'), customerHasher(SECRET, customerKeyScope(config)));
  // the same files keyed without a region, as before phone_region: the national spelling stays apart
  before = await ingestBoth(join(dir, 'no-region'), customerHasher(SECRET));
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await before?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a US customer who chats, then calls from a national spelling of the same number', () => {
  it('is one customer key in the lake', async () => {
    const r = await engine.query('select contact_id, customer_key from contacts where client_id = ? order by contact_id', ['pacific']);
    const key = Object.fromEntries(r.rows.map((row) => [row.contact_id as string, row.customer_key as string]));
    expect(key.C1).toBe(key.CH1);
    expect(key.C2).not.toBe(key.C1);
  });

  it('counts the call as a repeat of the chat, and the chat as not resolved first time', async () => {
    const day = await computeKpiDocument(engine, config, 'daily', '2026-03-11');
    expect(day.current.total.repeat_rate).toBe(0.5);
    expect(day.current.by_channel.phone?.repeat_rate).toBe(0.5);
    const chatDay = await computeKpiDocument(engine, config, 'daily', '2026-03-10');
    expect(chatDay.current.total.fcr).toBe(0);
  });

  it('was no repeat without the numbering plan', async () => {
    const day = await computeKpiDocument(before, config, 'daily', '2026-03-11');
    expect(day.current.total.repeat_rate).toBe(0);
    const chatDay = await computeKpiDocument(before, config, 'daily', '2026-03-10');
    expect(chatDay.current.total.fcr).toBe(1);
  });
});
