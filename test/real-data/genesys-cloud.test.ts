/**
 * A real Genesys Cloud conversation (test/fixtures/real/genesys-cloud/README.md) read with `preset:
 * genesys-cloud-conversations`: an inbound call that spent 64.5 s in the IVR, 12.4 s in the queue, rang a first
 * agent who did not answer and was answered by a second one. The README works every value out from the
 * conversation's metrics; the customer's `tel:` ANI must be the same customer as the same number in a CTI export.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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

const FILE = join(import.meta.dirname, '../fixtures/real/genesys-cloud/conversation-details.json');
const config = clientConfigSchema.parse({
  id: 'equatorial',
  name: 'Ouvidoria',
  timezone: 'America/Sao_Paulo',
  sources: [
    { id: 'genesys', preset: 'genesys-cloud-conversations' },
    {
      id: 'cti',
      format: 'mapped-csv',
      channel: 'phone',
      fields: {
        contact_id: 'id',
        customer: 'caller',
        arrived_at: { column: 'start', format: 'YYYY-MM-DD HH:mm:ss' },
        outcome: { column: 'result', map: { atendida: 'answered' } },
      },
    },
  ],
  contract: [{ effective_from: '2024-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let manifest: IngestManifest;
let rows: Record<string, SqlValue>[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-genesys-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'genesys-test-secret-00000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  manifest = await ingestFile(deps, { config, sourceId: 'genesys', file: 'conversation-details.json', body: createReadStream(FILE) });
  // the same caller as a Brazilian CTI writes the number: national spelling with the area code in parentheses
  const cti = 'id,caller,start,result\nC1,(51) 90000-0001,2024-04-30 09:00:00,atendida\n';
  await ingestFile(deps, { config, sourceId: 'cti', file: 'cti.csv', body: Readable.from([Buffer.from(cti)]) });
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'equatorial' ORDER BY arrived_at`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const iso = (v: SqlValue | undefined) => new Date(String(v)).toISOString();

describe('Genesys Cloud conversation details through preset genesys-cloud-conversations', () => {
  it('reads the one conversation as one contact', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 1, rows_written: 1, rows_quarantined: 0 });
  });

  it('gives the README\'s outcome, times, wait, talk, ACW, IVR time, agent and queue', () => {
    const c = rows.find((r) => r.source === 'genesys')!;
    expect(c).toMatchObject({
      contact_id: '32d23263-e5bd-4567-bff3-143e38f7b095',
      channel: 'phone',
      direction: 'inbound',
      outcome: 'answered',
      queue: 'EQT Dist - Ouvidoria - RS',
      agent_id: '2eb54224-120e-47b0-aab1-8c2daeac20d9', // the second agent: the first did not respond (tNotResponding)
      wait_seconds: 12.411, // tAnswered 12411 ms
      talk_seconds: 374.894, // tTalk 374894 ms
      hold_seconds: null,
      acw_seconds: 60, // tAcw 57000 (first agent) + 3000 (second) ms
      handle_seconds: 434.894, // 374.894 + 0 + 60
      ivr_seconds: 64.488, // tIvr 64488 ms
      is_transferred: false,
      dt: '2024-04-29',
      local_hour: 14, // 17:30Z in São Paulo (UTC−3)
    });
    expect(iso(c.arrived_at)).toBe('2024-04-29T17:30:43.090Z');
    expect(iso(c.answered_at)).toBe('2024-04-29T17:32:00.080Z');
    expect(iso(c.ended_at)).toBe('2024-04-29T17:38:17.974Z');
  });

  it('keys the customer\'s tel: ANI as the same customer as the CTI export\'s (51) 90000-0001', () => {
    const genesys = rows.find((r) => r.source === 'genesys')!;
    const cti = rows.find((r) => r.source === 'cti')!;
    expect(genesys.customer_key).not.toBeNull();
    expect(genesys.customer_key).toBe(cti.customer_key);
  });
});
