/**
 * A real Zendesk Support ticket export (test/fixtures/real/zendesk/README.md): 22 tickets chosen by rule from
 * a company's 16,476, read with `preset: zendesk-support-tickets` plus the account's own category field. Each
 * ticket is compared with the README's table, worked out by hand from the raw lines.
 */
import { createHmac } from 'node:crypto';
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

const FILE = join(import.meta.dirname, '../fixtures/real/zendesk/tickets-export.csv');
const XLSX = join(import.meta.dirname, '../fixtures/real/zendesk/tickets-export.xlsx');
const category = { column: 'Manual Tagging of Categories [list]', null_values: ['', '-'] };
/**
 * The same tickets in the company's own XLSX copy: timestamps are date cells, stored as serials, and a ticket
 * not solved has `Solved at` serial 1 (1900-01-01, the CSV's 1900-01-01 00:00:00).
 */
const xlsxSource = {
  id: 'tickets-xlsx',
  preset: 'zendesk-support-tickets',
  format: 'mapped-xlsx',
  fields: {
    category,
    arrived_at: { column: 'Created at', format: 'excel' },
    ended_at: { column: 'Solved at', format: 'excel', null_values: ['', '1'] },
    updated_at: { column: 'Updated at', format: 'excel', null_values: [''] },
  },
};
const config = clientConfigSchema.parse({
  id: 'plum',
  name: 'Plum',
  // the account's zone, which the export does not state (the company is in India)
  timezone: 'Asia/Kolkata',
  sources: [
    {
      id: 'tickets',
      preset: 'zendesk-support-tickets',
      fields: { category },
    },
    xlsxSource,
  ],
  contract: [{ effective_from: '2023-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

/** The README's table: Id, direction, queue, outcome, arrived (account zone), wait s, is_resolved, category. */
const TICKETS: [number, string, string, string, string, number | null, boolean, string | null][] = [
  [297732, 'inbound', 'Support', 'answered', '2023-04-08 20:52:00', 10380, true, 'Is my treatment covered (IMTC)'],
  [329907, 'inbound', 'Support', 'answered', '2023-05-16 17:43:00', 3660, true, 'Claims'],
  [327745, 'inbound', 'Support', 'answered', '2023-05-14 11:54:00', 3720, true, 'Claims'],
  [317147, 'inbound', 'Support', 'answered', '2023-05-02 10:55:00', 13260, true, null],
  [291597, 'inbound', 'Reimbursement Claims', 'answered', '2023-04-01 19:41:00', 77340, false, null],
  [311482, 'inbound', 'Reimbursement Claims', 'excluded', '2023-04-24 20:16:00', null, true, null],
  [295790, 'outbound', 'Reimbursement Claims', 'answered', '2023-04-06 12:21:00', 1560, true, null],
  [297965, 'inbound', 'Support', 'answered', '2023-04-09 17:56:00', 17400, true, 'Others'],
  [302005, 'outbound', 'Support', 'answered', '2023-04-13 15:05:00', 33120, false, 'Claims'],
  [308121, 'inbound', 'Onboardings', 'answered', '2023-04-20 12:51:00', 49740, true, null],
  [329861, 'inbound', 'Support', 'answered', '2023-05-16 16:58:00', 1140, true, 'Is my treatment covered (IMTC)'],
  [294816, 'inbound', 'Support', 'answered', '2023-04-05 15:08:00', 15060, false, 'Claims'],
  [322248, 'inbound', 'Support', 'answered', '2023-05-08 10:15:00', 4440, false, null],
  [299595, 'inbound', 'Endorsements', 'abandoned', '2023-04-11 12:54:00', null, false, null],
  [305298, 'inbound', 'Support', 'excluded', '2023-04-17 20:44:00', null, true, null],
  [322900, 'outbound', 'Reimbursement Claims', 'excluded', '2023-05-08 17:28:00', null, true, null],
  [293486, 'inbound', 'Support', 'answered', '2023-04-04 12:36:00', 1260, true, null],
  [295723, 'outbound', 'Reimbursement Claims', 'excluded', '2023-04-06 11:43:00', null, false, null],
  [307596, 'inbound', 'Support', 'excluded', '2023-04-19 20:17:00', null, true, null],
  [303654, 'inbound', 'Support', 'abandoned', '2023-04-15 07:46:00', null, false, null],
  [307265, 'inbound', 'Support', 'abandoned', '2023-04-19 15:17:00', null, false, 'HR Queries'],
  [330316, 'inbound', 'Endorsements', 'abandoned', '2023-05-17 07:01:00', null, false, null],
];

let dir: string;
let manifest: IngestManifest;
let rows: Record<string, SqlValue>[];
let xlsxManifest: IngestManifest;
let xlsxRows: Record<string, SqlValue>[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-zendesk-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'zendesk-test-secret-0000000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-01T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  manifest = await ingestFile(deps, { config, sourceId: 'tickets', file: 'tickets-export.csv', body: createReadStream(FILE) });
  xlsxManifest = await ingestFile(deps, { config, sourceId: 'tickets-xlsx', file: 'tickets-export.xlsx', body: createReadStream(XLSX) });
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    rows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'plum' AND source = 'tickets'`)).rows;
    xlsxRows = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'plum' AND source = 'tickets-xlsx'`)).rows;
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Wall clock in India (UTC+5:30, no DST) of a lake timestamp. */
const kolkata = (v: SqlValue | undefined) => new Date(Date.parse(String(v)) + 5.5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('Zendesk Support tickets through preset zendesk-support-tickets', () => {
  it('reads all 22 tickets', () => {
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 22, rows_written: 22, rows_quarantined: 0, duplicates_dropped: 0 });
  });

  it('gives every ticket the README\'s direction, queue, outcome, arrival, wait, resolution and category', () => {
    const byId = new Map(rows.map((r) => [Number(r.contact_id), r]));
    const got = TICKETS.map(([id]) => {
      const r = byId.get(id)!;
      return [id, r.direction, r.queue, r.outcome, kolkata(r.arrived_at), r.wait_seconds, r.is_resolved, r.category];
    });
    expect(got).toEqual(TICKETS);
    expect(rows.every((r) => r.channel === 'email')).toBe(true);
  });

  it('reads 1900-01-01 in "Solved at" as not solved', () => {
    const hold = rows.find((r) => Number(r.contact_id) === 291597)!; // Status Hold, Solved at 1900-01-01 00:00:00
    expect(hold.ended_at).toBeNull();
    const solved = rows.find((r) => Number(r.contact_id) === 297732)!; // Solved at 2023-06-14 16:30:00
    expect(kolkata(solved.ended_at)).toBe('2023-06-14 16:30:00');
  });

  it('totals: 13 answered (11 inbound, 2 outbound), 4 abandoned, 5 excluded; resolved 13 of 22', () => {
    const count = (o: string, d?: string) => rows.filter((r) => r.outcome === o && (d === undefined || r.direction === d)).length;
    expect([count('answered'), count('answered', 'inbound'), count('answered', 'outbound'), count('abandoned'), count('excluded')]).toEqual([13, 11, 2, 4, 5]);
    expect(rows.filter((r) => r.is_resolved).length).toBe(13);
    expect(new Set(rows.map((r) => r.customer_key)).size).toBe(22); // 22 requesters
  });

  it('keys each requester as a Zendesk user id, never as a phone number with the same digits', () => {
    const hmac = (text: string) => createHmac('sha256', 'zendesk-test-secret-0000000').update(text).digest('hex');
    const key = (id: number) => rows.find((r) => Number(r.contact_id) === id)!.customer_key;
    // Id 297732: Requester id 10000000000001; Id 317147: Requester id 9000000000004 (the fixture's tokens)
    expect(key(297732)).toBe(hmac('id@zendesk:10000000000001'));
    expect(key(317147)).toBe(hmac('id@zendesk:9000000000004'));
    expect(key(297732)).not.toBe(hmac('tel:10000000000001'));
  });
});

describe('the same tickets as XLSX (mapped-xlsx, dates as Excel serials)', () => {
  it('reads the 22 rows of the sheet, lines numbered as the sheet\'s rows', () => {
    expect(xlsxManifest).toMatchObject({ status: 'ok', rows_read: 22, rows_written: 22, rows_quarantined: 0, lines_read: 23 });
  });

  it('gives every ticket exactly what the CSV gives it, serial 1 in "Solved at" included', () => {
    const fields = ['contact_id', 'direction', 'queue', 'outcome', 'arrived_at', 'ended_at', 'updated_at', 'wait_seconds', 'is_resolved', 'category', 'customer_key', 'dt', 'local_hour'];
    const pick = (r: Record<string, SqlValue>) => Object.fromEntries(fields.map((f) => [f, r[f] === null ? null : String(r[f])]));
    const sort = (a: Record<string, SqlValue>[]) => [...a].sort((x, y) => Number(x.contact_id) - Number(y.contact_id)).map(pick);
    expect(sort(xlsxRows)).toEqual(sort(rows));
    expect(kolkata(xlsxRows.find((r) => Number(r.contact_id) === 297732)!.arrived_at)).toBe('2023-04-08 20:52:00');
  });
});
