/**
 * A report whose query engine sees fewer contacts than ingest recorded is held back: the failure behind a
 * "complete" report of 0 contacts beside "4 files · 1,528 rows read" when Athena read the wrong place.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../../functions/adapters/local/outbox-mailer.ts';
import { coverageKeys, type CoverageEntry } from '../../../functions/core/ingest/coverage.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { readSent } from '../../../functions/core/schedule/delivery-log.ts';
import { checkLakeConsistency, contactRowBounds } from '../../../functions/core/schedule/lake-consistency.ts';
import { periodContaining } from '../../../functions/core/schedule/periods.ts';
import { runReport, type RunReportDeps } from '../../../functions/core/schedule/run-report.ts';
import { config, coverageEntry, dailyDoc } from '../report/fixtures.ts';

const DAY = '2026-03-04';
const period = { start: DAY, end: DAY };

describe('contactRowBounds', () => {
  it('takes per date and source the largest delivery as the least the lake holds, and the sum as the most', () => {
    const entries: CoverageEntry[] = [
      // cti delivered 3/4 twice (a corrected export of 120 rows after one of 100): the lake holds ≥ 120
      coverageEntry({ source: 'cti', dt: DAY, rows: 100, file_id: 'cti-a' }),
      coverageEntry({ source: 'cti', dt: DAY, rows: 120, file_id: 'cti-b' }),
      coverageEntry({ source: 'chat', dt: DAY, rows: 30 }),
      // not counted: another date, a rejected file, the surveys table
      coverageEntry({ source: 'chat', dt: '2026-03-05', rows: 500 }),
      coverageEntry({ source: 'chat', dt: DAY, rows: 0, file_id: 'bad', rejected: 'missing columns' }),
      coverageEntry({ source: 'surveys', dt: DAY, rows: 40 }),
    ];
    // min 120 + 30 = 150; max 100 + 120 + 30 = 250
    expect(contactRowBounds(entries, period)).toEqual({ min: 150, max: 250 });
  });

  it("counts the engine's inbound, outbound and excluded rows against the least", () => {
    const doc = dailyDoc({ period: periodContaining('daily', DAY) });
    doc.current.total = { ...doc.current.total, inbound: 140, outbound: 6, excluded: 4 };
    const entries = [coverageEntry({ source: 'cti', dt: DAY, rows: 150 })];
    expect(checkLakeConsistency(doc, entries)).toEqual({ ok: true, rows: 150, bounds: { min: 150, max: 150 } });
    doc.current.total = { ...doc.current.total, inbound: 0, outbound: 0, excluded: 0 };
    expect(checkLakeConsistency(doc, entries)).toEqual({
      ok: false,
      rows: 0,
      bounds: { min: 150, max: 150 },
      reason: 'the query engine counted 0 contacts for 2026-03-04…2026-03-04, where the coverage index of the deliveries says 150',
    });
  });
});

describe('runReport with an engine that sees no rows', () => {
  let lake: ObjectStore;
  let outbox: string;
  let deps: RunReportDeps;

  beforeEach(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cspulse-consistency-'));
    lake = createFolderStore(path.join(root, 'lake'));
    outbox = path.join(root, 'outbox');
    for (const source of ['cti', 'chat']) {
      const e = coverageEntry({ source, dt: DAY, rows: 764 });
      await lake.put(coverageKeys.entry('shop', DAY, source, e.file_id), JSON.stringify(e));
    }
    deps = {
      // what Athena answers when the table's location or projection misses the lake: nothing at all
      loadKpis: async (_c, kind, date) => {
        const doc = dailyDoc({ period: periodContaining(kind, date) });
        doc.current.total = { ...doc.current.total, inbound: 0, outbound: 0, excluded: 0, offered: 0, answered: 0 };
        return doc;
      },
      lake,
      mailer: createOutboxMailer(outbox),
      clock: { now: () => new Date('2026-03-04T23:05:00Z') },
    };
  });

  it('sends the client nothing, tells the operator once per coverage, and logs no delivery', async () => {
    const first = await runReport(deps, config(), 'daily', DAY);
    expect(first).toEqual({
      status: 'failed-inconsistent',
      period: { kind: 'daily', start: DAY, end: DAY },
      reason: 'the query engine counted 0 contacts for 2026-03-04…2026-03-04, where the coverage index of the deliveries says 1528',
      rows: 0,
      expected: { min: 1528, max: 1528 },
      notified: true,
    });
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const notice = await simpleParser(await readFile(path.join(outbox, files[0]!)));
    expect(notice.to).toMatchObject({ text: config().recipients.operator ?? config().recipients.reply_to ?? expect.any(String) });
    expect(notice.subject).toBe('[cspulse] 예시몰: daily report 2026-03-04 held back, the query engine disagrees with the coverage index');
    // the scheduled retry with the same coverage is quiet, and the report is still not logged as sent
    expect(await runReport(deps, config(), 'daily', DAY)).toMatchObject({ status: 'failed-inconsistent', notified: false });
    expect((await readdir(outbox)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    expect(await readSent(lake, { clientId: 'shop', kind: 'daily', periodStart: DAY })).toBeUndefined();
  });
});
