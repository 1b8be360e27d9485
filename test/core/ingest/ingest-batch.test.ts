/**
 * Batch ingest leaves the lake one-by-one ingestion leaves: the same files, in the same order, with the same
 * delivery times and customer-key secret, ingested file by file (ingest-file.ts, the reference) into one lake
 * and as batches (ingest-batch.ts) into another, compared by content (lake-content.ts): every data and version
 * object's rows, every manifest and coverage entry (times and delivery ids aside), every quarantine line.
 *
 * The inputs: a week of the demo's exports (a redelivered CTI file, malformed rows, Connect records delivered
 * twice and updated in later objects), the repository's real fixtures (Amazon Connect copies in every order,
 * Asterisk and FreeSWITCH call legs, Zendesk tickets, each also redelivered or corrected under another name),
 * and the cases the batch hands back to one-by-one ingestion (a row moved two days, the same file twice, a
 * redelivery of a file the lake holds), whose hand-counted manifests are checked too.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFileLocks } from '../../../functions/adapters/local/file-locks.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { ingestFiles } from '../../../functions/core/ingest/ingest-batch.ts';
import { ingestFile, type IngestDeps } from '../../../functions/core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../../functions/core/ingest/manifest.ts';
import { addDays } from '../../../functions/core/kpis/periods.ts';
import type { OpenSqlWorkspace } from '../../../functions/core/ports.ts';
import { DEMO_END_DATE, demoOptions, simulate } from '../../../functions/simulator/index.ts';
import { lakeContent } from './lake-content.ts';

const SECRET = 'same-lake-secret-0123456789abcdef';
const REAL = join(import.meta.dirname, '../../fixtures/real');

/** One export as it arrives: a file on disk or bytes, and when it was delivered. */
interface Delivery {
  file: string;
  bytes: () => Promise<Buffer>;
  deliveredAt: Date;
}

const onDisk = (path: string, deliveredAt: Date, file = path): Delivery => ({ file, bytes: () => readFile(path), deliveredAt });
const inline = (file: string, text: string, deliveredAt: Date): Delivery => ({ file, bytes: async () => Buffer.from(text, 'utf8'), deliveredAt });

async function* once(bytes: Promise<Buffer>): AsyncIterable<Uint8Array> {
  yield await bytes;
}

/** Two lakes under one folder, `one` and `batch`, with the same secret; counts the engines each opens. */
class TwoLakes {
  opens = { one: 0, batch: 0 };
  constructor(readonly dir: string) {}

  deps(which: 'one' | 'batch', at?: Date): IngestDeps {
    const open: OpenSqlWorkspace = (options) => {
      this.opens[which]++;
      return openDuckDbWorkspace(options);
    };
    return {
      lake: createFolderStore(join(this.dir, which, 'lake')),
      quarantine: createFolderStore(join(this.dir, which, 'quarantine')),
      customerKeySecret: SECRET,
      clock: { now: () => at ?? new Date('2026-04-01T00:00:00Z') },
      workDir: join(this.dir, which, 'work'),
      openWorkspace: open,
      locks: createFileLocks(join(this.dir, which, 'locks')),
    };
  }

  /** The deliveries into both lakes: file by file into `one`, as one batch call into `batch`. */
  async ingest(config: ClientConfig, sourceId: string, deliveries: readonly Delivery[]): Promise<{ one: IngestManifest[]; batch: IngestManifest[] }> {
    const one: IngestManifest[] = [];
    for (const d of deliveries) {
      one.push(await ingestFile(this.deps('one', d.deliveredAt), { config, sourceId, file: d.file, body: once(d.bytes()), deliveredAt: d.deliveredAt }));
    }
    const batch = await ingestFiles(this.deps('batch'), {
      config,
      sourceId,
      files: deliveries.map((d) => ({ file: d.file, open: () => once(d.bytes()), deliveredAt: d.deliveredAt, recordedAt: d.deliveredAt })),
    });
    return { one, batch };
  }

  async content(which: 'one' | 'batch') {
    return lakeContent(join(this.dir, which, 'lake'), join(this.dir, which, 'quarantine'));
  }

  async expectSameLake(): Promise<void> {
    const [one, batch] = [await this.content('one'), await this.content('batch')];
    expect(Object.keys(batch.objects).sort()).toEqual(Object.keys(one.objects).sort());
    for (const key of Object.keys(one.objects)) expect({ key, content: batch.objects[key] }).toEqual({ key, content: one.objects[key] });
  }
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cspulse-batch-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Comparable manifests: without the fields two runs differ in by nature. */
const counts = (m: IngestManifest) => ({
  file: m.file,
  status: m.status,
  rows_read: m.rows_read,
  rows_written: m.rows_written,
  rows_quarantined: m.rows_quarantined,
  duplicates_dropped: m.duplicates_dropped,
  legs_grouped: m.legs_grouped,
  rows_replaced: m.rows_replaced,
  dates: m.partitions.map((p) => [p.dt, p.rows]),
});

describe('batch ingest gives the lake one-by-one ingestion gives', () => {
  it('a week of the demo: every source of both sample clients', async () => {
    const lakes = new TwoLakes(join(root, 'demo'));
    const exportsDir = join(root, 'demo-exports');
    const simulation = await simulate({ ...demoOptions(exportsDir), startDate: addDays(DEMO_END_DATE, -6), days: 7 });
    const all: IngestManifest[] = [];
    for (const simulated of simulation.clients) {
      const config = await loadClientConfig('clients', simulated.clientId);
      for (const source of config.sources) {
        const dir = join(exportsDir, config.id, source.id);
        const names = (await readdir(dir)).sort();
        const deliveries = await Promise.all(names.map(async (name) => onDisk(join(dir, name), (await stat(join(dir, name))).mtime)));
        const { one, batch } = await lakes.ingest(config, source.id, deliveries);
        expect(batch.map(counts)).toEqual(one.map(counts));
        all.push(...one);
      }
    }
    await lakes.expectSameLake();
    // the week holds what makes the newest-copy rule work across files: the simulator's redelivered CTI
    // file, Connect records delivered twice, malformed rows
    expect(all).toHaveLength(45);
    expect(all.find((m) => m.file.endsWith('cti_20260326_resend.csv'))).toMatchObject({ rows_replaced: expect.any(Number), rows_written: expect.any(Number) });
    const resend = all.find((m) => m.file.endsWith('cti_20260326_resend.csv'))!;
    expect(resend.rows_replaced).toBe(resend.rows_written);
    expect(all.filter((m) => m.source === 'connect').reduce((n, m) => n + m.duplicates_dropped, 0)).toBeGreaterThanOrEqual(5);
    expect(all.reduce((n, m) => n + m.rows_quarantined, 0)).toBe(3);
    // one engine per source and client: 5 batches
    expect(lakes.opens.batch).toBe(5);
  }, 300_000);

  it('Amazon Connect: three real copies of one contact as three files, in every order', async () => {
    const copies = (await readFile(join(REAL, 'amazon-connect/ctr-versions.ndjson'), 'utf8')).split('\n').filter((l) => l !== '');
    const config = clientConfigSchema.parse({
      id: 'tcc',
      name: 'TCC',
      timezone: 'America/New_York',
      sources: [{ id: 'connect', format: 'amazon-connect-ctr', category_attribute: 'GreetingPlayed', subcategory_attribute: 'greetingPlayed' }],
      contract: [{ effective_from: '2022-01-01' }],
      recipients: { to: ['ops@example.com'] },
    });
    for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
      const lakes = new TwoLakes(join(root, `connect-${order.join('')}`));
      const deliveries = order.map((i, n) => inline(`ctr-${n}.json`, `${copies[i]}\n`, new Date(Date.UTC(2022, 0, 12, n))));
      const { one, batch } = await lakes.ingest(config, 'connect', deliveries);
      expect(batch.map(counts)).toEqual(one.map(counts));
      await lakes.expectSameLake();
      // the copy with the latest LastUpdateTimestamp is copy 2: written by its file, and by no file after it
      const newest = order.indexOf(2);
      expect(batch[newest]).toMatchObject({ rows_written: 1, rows_replaced: newest === 0 ? 0 : 1 });
      for (const [n, m] of batch.entries()) if (n > newest) expect(m).toMatchObject({ rows_written: 0, duplicates_dropped: 1 });
    }
  }, 120_000);

  it('call legs (Asterisk, FreeSWITCH) and Zendesk tickets, each also redelivered or corrected under another name', async () => {
    const at = (h: number) => new Date(Date.UTC(2026, 2, 1, h));
    const lakes = new TwoLakes(join(root, 'real'));
    const pbx = (id: string, preset: string, extra: Record<string, unknown> = {}) =>
      clientConfigSchema.parse({
        id,
        name: id,
        timezone: 'Asia/Seoul',
        sources: [{ id: 'pbx', preset, ...extra }],
        contract: [{ effective_from: '2023-01-01' }],
        recipients: { to: ['ops@example.com'] },
      });
    const asterisk = join(REAL, 'asterisk/Master.csv');
    const asteriskRun = await lakes.ingest(pbx('stadion', 'asterisk-cdr', { timezone: 'UTC' }), 'pbx', [
      onDisk(asterisk, at(1), 'Master.csv'),
      onDisk(asterisk, at(2), 'Master-resent.csv'),
    ]);
    // 84 rows of 36 calls (test/fixtures/real/asterisk/README.md): 48 legs grouped; the resent copy replaces all 36
    expect(asteriskRun.batch.map(counts)).toEqual(asteriskRun.one.map(counts));
    expect(asteriskRun.batch[0]).toMatchObject({ rows_read: 84, rows_written: 36, legs_grouped: 48, rows_replaced: 0 });
    expect(asteriskRun.batch[1]).toMatchObject({ rows_read: 84, rows_written: 36, legs_grouped: 48, rows_replaced: 36 });

    const freeswitch = ['legs-a.csv', 'legs-ab.csv', 'callcenter-ab.csv'].map((f, n) => onDisk(join(REAL, 'freeswitch', f), at(3 + n), f));
    const fs = await lakes.ingest(pbx('voip', 'freeswitch-cdr'), 'pbx', freeswitch);
    expect(fs.batch.map(counts)).toEqual(fs.one.map(counts));

    const tickets = await readFile(join(REAL, 'zendesk/tickets-export.csv'), 'utf8');
    // a corrected export: ticket 299595 (pending, no reply: abandoned) was answered and solved since
    const corrected = tickets.replace(/^299595,.*$/m, (line) => {
      const f = line.split(',');
      [f[3], f[7], f[10], f[14], f[15]] = ['Solved', '2023-06-20 10:00:00', '2023-06-20 10:00:00', '1', '60'];
      return f.join(',');
    });
    expect(corrected).not.toBe(tickets);
    const plum = clientConfigSchema.parse({
      id: 'plum',
      name: 'Plum',
      timezone: 'Asia/Kolkata',
      sources: [{ id: 'tickets', preset: 'zendesk-support-tickets', fields: { category: { column: 'Manual Tagging of Categories [list]', null_values: ['', '-'] } } }],
      contract: [{ effective_from: '2023-01-01' }],
      recipients: { to: ['ops@example.com'] },
    });
    const zd = await lakes.ingest(plum, 'tickets', [inline('tickets-export.csv', tickets, at(6)), inline('tickets-export-corrected.csv', corrected, at(7))]);
    expect(zd.batch.map(counts)).toEqual(zd.one.map(counts));
    expect(zd.batch[1]).toMatchObject({ rows_read: 22, rows_written: 22, rows_replaced: 22 });
    await lakes.expectSameLake();
  }, 120_000);

  describe('what the batch hands to one-by-one ingestion, and files rejected or quarantined in a batch', () => {
    const HEADER = 'chat_id,user_id,topic,agent,created_at,first_reply_at,closed_at,first_response_seconds,duration_seconds,status,resolved';
    /** A chat of the example client's chat export (clients/example.yaml), answered or missed, at a UTC time. */
    const chat = (id: string, at: string, status: 'solved' | 'missed' = 'solved') =>
      status === 'solved'
        ? `${id},u-${id},배송,A1,${at},${at.replace(':00Z', ':30Z')},,30,300,solved,true`
        : `${id},u-${id},배송,,${at},,,,,missed,false`;
    const csv = (...rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 23));
    let example: ClientConfig;
    beforeAll(async () => {
      example = await loadClientConfig('clients', 'example');
    });

    it('a contact moved two days by a later file: both copies stay, as file by file', async () => {
      const lakes = new TwoLakes(join(root, 'moved'));
      const { batch } = await lakes.ingest(example, 'chat', [
        inline('a.csv', csv(chat('C1', '2026-01-05T01:00:00Z', 'missed'), chat('C2', '2026-01-05T02:00:00Z')), at(5)),
        inline('b.csv', csv(chat('C1', '2026-01-08T01:00:00Z')), at(8)),
      ]);
      await lakes.expectSameLake();
      // copies are matched on a file's dates and the dates either side: 2026-01-05 is not beside 2026-01-08
      expect(batch.map(counts)).toEqual([
        expect.objectContaining({ rows_read: 2, rows_written: 2, rows_replaced: 0, dates: [['2026-01-05', 2]] }),
        expect.objectContaining({ rows_read: 1, rows_written: 1, rows_replaced: 0, dates: [['2026-01-08', 1]] }),
      ]);
      // the batch found it could not decide at once and ingested the two files on their own
      expect(lakes.opens.batch).toBe(3);
    }, 60_000);

    it('a redelivery of a file the lake holds, the same file twice in one batch, over rows already in the lake', async () => {
      const lakes = new TwoLakes(join(root, 'redelivered'));
      const earlier = [inline('day1.csv', csv(chat('C1', '2026-01-01T01:00:00Z'), chat('C2', '2026-01-01T02:00:00Z', 'missed')), at(1))];
      await lakes.ingest(example, 'chat', earlier);
      const { batch } = await lakes.ingest(example, 'chat', [
        // C2 was missed on day 1; day 2's export has it answered (a corrected row under another file)
        inline('day2.csv', csv(chat('C2', '2026-01-01T02:00:00Z'), chat('C3', '2026-01-02T01:00:00Z')), at(2)),
        inline('day2-late.csv', csv(chat('C5', '2026-01-02T05:00:00Z')), at(2)),
        // day 1 again, shorter: C1 alone (C2's newest copy is day 2's)
        inline('day1.csv', csv(chat('C1', '2026-01-01T01:00:00Z')), at(3)),
        inline('day3.csv', csv(chat('C4', '2026-01-03T01:00:00Z'), chat('C3', '2026-01-02T01:00:00Z', 'missed')), at(4)),
        // day 3 twice in one batch: the second delivery replaces the first
        inline('day3.csv', csv(chat('C4', '2026-01-03T01:00:00Z', 'missed')), at(5)),
      ]);
      await lakes.expectSameLake();
      expect(batch.map(counts)).toEqual([
        expect.objectContaining({ file: 'day2.csv', rows_written: 2, rows_replaced: 1 }),
        expect.objectContaining({ file: 'day2-late.csv', rows_written: 1, rows_replaced: 0 }),
        // a redelivery competes with the other files' copies, not with its own earlier delivery's
        expect.objectContaining({ file: 'day1.csv', rows_written: 1, rows_replaced: 0, duplicates_dropped: 0 }),
        expect.objectContaining({ file: 'day3.csv', rows_written: 2, rows_replaced: 1 }),
        expect.objectContaining({ file: 'day3.csv', rows_read: 1, rows_written: 1, rows_replaced: 0 }),
      ]);
      const rows = Object.entries((await lakes.content('batch')).objects).filter(([k]) => k.startsWith('contacts/'));
      const outcomes = rows.flatMap(([, r]) => (r as string[]).map((row) => JSON.parse(row) as { contact_id: string; outcome: string }));
      // C3's newest copy was day 3's first delivery (missed); the second no longer holds C3, so day 2's stands
      expect(Object.fromEntries(outcomes.map((o) => [o.contact_id, o.outcome]))).toEqual({ C1: 'answered', C2: 'answered', C3: 'answered', C4: 'abandoned', C5: 'answered' });
      // day 1 first (on its own: a batch of one), then day 2 and its late file as one batch over day 1's rows,
      // then each redelivery on its own
      expect(lakes.opens.batch).toBe(5);
    }, 90_000);

    it('a batch with files rejected whole, rows quarantined, and a contact twice in one file on two dates', async () => {
      const lakes = new TwoLakes(join(root, 'rejected'));
      const { batch } = await lakes.ingest(example, 'chat', [
        inline('good.csv', csv(chat('C1', '2026-02-01T01:00:00Z'), chat('C2', '2026-02-01T03:00:00Z')), at(32)),
        inline('empty.csv', '', at(33)),
        inline('columns.csv', 'chat_id,user_id\nC9,u9\n', at(34)),
        // a row with too few fields (the reader rejects it) and one with an unknown status (the mapping does)
        inline('bad-rows.csv', csv(chat('C3', '2026-02-02T01:00:00Z'), 'C4,u4,배송', chat('C5', '2026-02-02T02:00:00Z').replace(',solved,', ',lost,')), at(35)),
        // C6 twice: the later line (the next day) is the copy kept; the earlier date gets no row of the file
        inline('twice.csv', csv(chat('C6', '2026-02-03T01:00:00Z', 'missed'), chat('C6', '2026-02-04T01:00:00Z')), at(36)),
      ]);
      await lakes.expectSameLake();
      expect(batch.map((m) => m.status)).toEqual(['ok', 'rejected', 'rejected', 'ok', 'ok']);
      expect(batch[1]!.error).toMatch(/empty/);
      expect(batch[2]!.error).toMatch(/missing column/);
      expect(batch[3]).toMatchObject({ rows_read: 3, rows_written: 1, rows_quarantined: 2 });
      expect(batch[4]).toMatchObject({ rows_read: 2, rows_written: 1, duplicates_dropped: 1 });
      expect(batch[4]!.partitions.map((p) => [p.dt, p.rows, p.version_key === undefined])).toEqual([
        ['2026-02-03', 0, true],
        ['2026-02-04', 1, false],
      ]);
      expect(lakes.opens.batch).toBe(1);
    }, 60_000);
  });
});
