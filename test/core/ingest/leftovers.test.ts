/**
 * What interrupted runs leave and where dates begin: a run killed after its manifest (the commit) leaves the
 * replaced delivery's version objects for the next run of the file to delete; and no row gets a business date
 * before 1970-01-01, the first partition Athena's projection enumerates.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../../functions/core/ingest/ingest-file.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';

const config = clientConfigSchema.parse({
  id: 'acme',
  name: 'Acme',
  timezone: 'America/Los_Angeles',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  contract: [{ effective_from: '1970-01-01' }],
  recipients: { to: ['lead@example.com'] },
});
const HEADER = 'contact_id,channel,arrived_at,outcome\n';

let dir: string;
let lake: ObjectStore;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-leftovers-'));
  lake = createFolderStore(join(dir, 'lake'));
  deps = {
    lake,
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'leftovers-secret-0000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
async function* text(content: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(content, 'utf8');
}
async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of lake.list(prefix)) out.push(o.key);
  return out;
}

describe('a run killed after its commit', () => {
  it('leaves the replaced version objects, which the next run of the file deletes', async () => {
    const v1 = `${HEADER}C1,phone,2026-03-02T09:00:00Z,answered\nC2,phone,2026-03-03T09:00:00Z,answered\n`;
    const first = await ingestFile(deps, { config, sourceId: 'cti', file: 'calls.csv', body: text(v1) });
    expect(first.status).toBe('ok');
    const firstVersions = await keys('versions/');
    expect(firstVersions).toHaveLength(2);
    // the corrected redelivery dies right after its manifest: deleting the replaced versions is never done
    const dying: ObjectStore = {
      ...lake,
      delete: async (key) => {
        if (key.startsWith('versions/')) throw new Error('killed');
        return lake.delete(key);
      },
    };
    const v2 = `${HEADER}C1,phone,2026-03-02T09:00:00Z,abandoned\nC2,phone,2026-03-03T09:00:00Z,answered\n`;
    await expect(ingestFile({ ...deps, lake: dying }, { config, sourceId: 'cti', file: 'calls.csv', body: text(v2) })).rejects.toThrow('killed');
    // 2 of the first delivery, left behind, and 2 of the committed one
    expect(await keys('versions/')).toHaveLength(4);
    // the redelivery's manifest is written: it committed
    const manifestKey = (await keys('manifests/')).find((k) => k.endsWith('.json') && !k.endsWith('.pending.json'))!;
    expect(JSON.parse(new TextDecoder().decode(await lake.get(manifestKey)))).toMatchObject({ status: 'ok', rows_written: 2 });
    // the next run of the file, the same bytes again, deletes the leftovers
    const again = await ingestFile(deps, { config, sourceId: 'cti', file: 'calls.csv', body: text(v2) });
    expect(again.status).toBe('ok');
    const left = await keys('versions/');
    expect(left).toHaveLength(2);
    expect(left.every((k) => k.includes(again.delivery_id!))).toBe(true);
    expect((await keys('manifests/')).filter((k) => k.endsWith('.pending.json'))).toEqual([]);
  });
});

describe('the first business date', () => {
  it('1970-01-01T00:00Z is 1969-12-31 in Los Angeles: rejected with the reason; 08:00Z, local midnight, is written on 1970-01-01', async () => {
    const csv = `${HEADER}E1,phone,1970-01-01T00:00:00Z,answered\nE2,phone,1970-01-01T08:00:00Z,answered\n`;
    const m = await ingestFile(deps, { config, sourceId: 'cti', file: 'epoch.csv', body: text(csv) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 1, rows_quarantined: 1 });
    expect(m.partitions.map((p) => p.dt)).toEqual(['1970-01-01']);
    const [entry] = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(entry).toMatchObject({
      line: 2,
      field: 'arrived_at',
      reason: expect.stringContaining("1970-01-01T00:00:00.000Z is before 1970-01-01 in the client's time zone"),
    });
  });
});
