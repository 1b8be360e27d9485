import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema, type ClientConfig } from '../../../functions/core/config/client-config.ts';
import { completenessOf, declaredFileDate, declaredFileDates, readCoverage } from '../../../functions/core/ingest/coverage.ts';
import { ingestFile, type IngestDeps } from '../../../functions/core/ingest/ingest-file.ts';

const config: ClientConfig = clientConfigSchema.parse({
  id: 'acme',
  name: 'Acme',
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'cti', format: 'cspulse-csv', completeness: { file_date: { pattern: '_(\\d{8})\\.csv$', format: 'YYYYMMDD' } } },
    { id: 'connect', format: 'amazon-connect-ctr' },
    // a weekly backfill: export_20260302-20260308.csv is the export of the seven days it names
    { id: 'weekly', format: 'cspulse-csv', completeness: { file_date: { pattern: '_(\\d{8})-(\\d{8})\\.csv$', format: 'YYYYMMDD' } } },
    // a backfill whose name says nothing: the dates its rows hold are the dates it is the export of
    { id: 'backfill', format: 'cspulse-csv', completeness: { file_date: 'rows' } },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['lead@example.com'] },
});
const cti = config.sources[0]!;

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

const HEADER = 'contact_id,channel,arrived_at,outcome\n';

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-coverage-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'test-secret-0123456789abcdef', openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('coverage index', () => {
  it('defaults: daily files for CSV sources, continuous with a 60-minute grace for Connect', () => {
    expect(completenessOf(cti).expect).toBe('daily-file');
    expect(completenessOf(config.sources[1]!)).toEqual({ expect: 'continuous', graceMinutes: 60, fileDate: undefined, maxQuarantinedShare: 0.5 });
  });

  it('reads the date a file is the export of from its name, and nothing from a name without one', () => {
    expect(declaredFileDate(cti, 'client_id=acme/cti/export_20260302.csv')).toBe('2026-03-02');
    expect(declaredFileDate(cti, 'export_20261302.csv')).toBeUndefined();
    expect(declaredFileDate(cti, 'export.csv')).toBeUndefined();
  });

  it('runs the file-name pattern in RE2: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    const withPattern = (pattern: string) =>
      clientConfigSchema.parse({ ...config, sources: [{ id: 'cti', format: 'cspulse-csv', completeness: { file_date: { pattern, format: 'YYYYMMDD' } } }] }).sources[0]!;
    // ^(a+)+$ against 34 a's and a "!": 2^34 paths in a backtracking engine (minutes), linear in RE2
    const redos = withPattern('^(a+)+$');
    const started = performance.now();
    expect(declaredFileDate(redos, `${'a'.repeat(34)}!`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
    // no capture group: the whole match is the date
    expect(declaredFileDate(withPattern('\\d{8}'), 'cti-20260302-v2.csv')).toBe('2026-03-02');
  });

  it('config check refuses a file-name pattern RE2 cannot run, with RE2\'s reason', () => {
    const parsed = clientConfigSchema.safeParse({ ...config, sources: [{ id: 'cti', format: 'cspulse-csv', completeness: { file_date: { pattern: '_(?=\\d{8})', format: 'YYYYMMDD' } } }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({
      path: ['sources', 0, 'completeness', 'file_date', 'pattern'],
      message: 'must be an RE2 regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)',
    });
  });

  it('has one entry per date a delivery wrote, plus the declared date of a quiet day, read per date', async () => {
    // 09:00 KST on 3/2 and 23:30 KST on 3/2 → dt 2026-03-02; 00:10 KST on 3/3 → dt 2026-03-03
    await ingestFile(deps, {
      config,
      sourceId: 'cti',
      file: 'export_20260302.csv',
      deliveredAt: new Date('2026-03-03T01:00:00Z'),
      body: bytes(`${HEADER}A1,phone,2026-03-02T09:00:00+09:00,answered\nA2,phone,2026-03-02T23:30:00+09:00,excluded\nA3,phone,2026-03-03T00:10:00+09:00,answered\n`),
    });
    // a quiet Sunday: header only
    await ingestFile(deps, { config, sourceId: 'cti', file: 'export_20260308.csv', body: bytes(HEADER) });

    const entries = await readCoverage(deps.lake, 'acme', ['2026-03-02', '2026-03-03', '2026-03-08']);
    const summary = entries.map((e) => [e.dt, e.file, e.rows, e.excluded, e.declared, e.delivered_at]);
    expect(summary).toEqual([
      ['2026-03-02', 'export_20260302.csv', 2, 1, true, '2026-03-03T01:00:00.000Z'],
      ['2026-03-03', 'export_20260302.csv', 1, 0, false, '2026-03-03T01:00:00.000Z'],
      // without deliveredAt the delivery time is when ingest started
      ['2026-03-08', 'export_20260308.csv', 0, 0, true, '2026-03-10T00:00:00.000Z'],
    ]);
    expect(await readCoverage(deps.lake, 'acme', ['2026-03-04'])).toEqual([]);
  });

  it('records a rejected export on the date its name declares, until a readable delivery replaces it', async () => {
    const file = 'export_20260304.csv';
    const empty = await ingestFile(deps, { config, sourceId: 'cti', file, body: bytes('') });
    expect(empty.status).toBe('rejected');
    const [rejected] = await readCoverage(deps.lake, 'acme', ['2026-03-04']);
    expect(rejected).toMatchObject({ dt: '2026-03-04', file, rows: 0, declared: false, rejected: 'export_20260304.csv: the file is empty: no header row' });

    await ingestFile(deps, { config, sourceId: 'cti', file, body: bytes(`${HEADER}C1,phone,2026-03-04T10:00:00+09:00,answered\n`) });
    const entries = await readCoverage(deps.lake, 'acme', ['2026-03-04']);
    expect(entries.map((e) => [e.rows, e.declared, e.rejected])).toEqual([[1, true, undefined]]);

    // an unreadable redelivery of a file that was read keeps what the good delivery wrote, coverage included
    await ingestFile(deps, { config, sourceId: 'cti', file, body: bytes('') });
    expect((await readCoverage(deps.lake, 'acme', ['2026-03-04'])).map((e) => [e.rows, e.rejected])).toEqual([[1, undefined]]);
  });

  it('reads a range of dates from a name with two dates, up to 62 days, forwards only', () => {
    const weekly = config.sources[2]!;
    expect(declaredFileDates(weekly, 'export_20260302-20260308.csv')).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(declaredFileDates(weekly, 'export_20260228-20260301.csv')).toEqual(['2026-02-28', '2026-03-01']);
    expect(declaredFileDates(weekly, 'export_20260308-20260302.csv')).toEqual([]); // backwards
    expect(declaredFileDates(weekly, 'export_20260101-20260601.csv')).toEqual([]); // five months: not a backfill file
    expect(declaredFileDate(weekly, 'export_20260302-20260308.csv')).toBe('2026-03-02');
  });

  it('declares every day of a weekly file, quiet ones included, and a rejected one on each day it names', async () => {
    await ingestFile(deps, {
      config,
      sourceId: 'weekly',
      file: 'export_20260302-20260308.csv',
      deliveredAt: new Date('2026-03-09T01:00:00Z'),
      body: bytes(`${HEADER}W1,phone,2026-03-02T09:00:00+09:00,answered
W2,phone,2026-03-05T10:00:00+09:00,answered
`),
    });
    const week = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'];
    expect((await readCoverage(deps.lake, 'acme', week)).map((e) => [e.dt, e.rows, e.declared])).toEqual(week.map((dt) => [dt, dt === '2026-03-02' || dt === '2026-03-05' ? 1 : 0, true]));
    await ingestFile(deps, { config, sourceId: 'weekly', file: 'export_20260309-20260310.csv', body: bytes('') });
    expect((await readCoverage(deps.lake, 'acme', ['2026-03-09', '2026-03-10'])).map((e) => [e.dt, e.declared, e.rejected !== undefined])).toEqual([
      ['2026-03-09', false, true],
      ['2026-03-10', false, true],
    ]);
  });

  it('with file_date: rows, declares the dates the rows hold and nothing else', async () => {
    await ingestFile(deps, {
      config,
      sourceId: 'backfill',
      file: 'history.csv',
      body: bytes(`${HEADER}H1,phone,2026-02-10T09:00:00+09:00,answered
H2,phone,2026-02-12T09:00:00+09:00,answered
`),
    });
    expect((await readCoverage(deps.lake, 'acme', ['2026-02-10', '2026-02-11', '2026-02-12'])).map((e) => [e.dt, e.declared])).toEqual([
      ['2026-02-10', true],
      ['2026-02-12', true],
    ]);
  });

  it('leaves no entry for a rejected file whose name declares no date', async () => {
    await ingestFile(deps, { config, sourceId: 'cti', file: 'export.csv', body: bytes('') });
    expect(await readCoverage(deps.lake, 'acme', ['2026-03-04', '2026-03-10'])).toEqual([]);
  });

  it('counts quarantined rows on the day their arrival reads as, and undated ones on the declared day', async () => {
    // the 144-row case in small: a file whose talk time cannot be read has nothing written and every row quarantined
    const header = 'contact_id,channel,arrived_at,outcome,talk_seconds\n';
    const rows = [
      'Q1,phone,2026-03-04T09:00:00+09:00,answered,0:04:17', // 3/4, talk time not a number of seconds
      'Q2,phone,2026-03-04T10:00:00+09:00,answered,0:03:00', // 3/4, same
      'Q3,phone,2026-03-05T00:30:00+09:00,answered,0:01:00', // 3/5 in Seoul, same
      'Q4,phone,not-a-time,answered,60', // no date to read: counted on the declared 3/4
      'Q5,phone,2026-03-04T11:00:00+09:00,answered,95', // written
    ];
    const manifest = await ingestFile(deps, { config, sourceId: 'cti', file: 'export_20260304.csv', body: bytes(`${header}${rows.join('\n')}\n`) });
    expect([manifest.rows_read, manifest.rows_written, manifest.rows_quarantined]).toEqual([5, 1, 4]);
    expect(manifest.coverage_dates).toEqual(['2026-03-04', '2026-03-05']);
    const entries = await readCoverage(deps.lake, 'acme', ['2026-03-04', '2026-03-05']);
    expect(entries.map((e) => [e.dt, e.rows, e.quarantined, e.declared])).toEqual([
      ['2026-03-04', 1, 3, true],
      ['2026-03-05', 0, 1, false],
    ]);
    // the most frequent field first, with a reason that quotes no value
    const reasons = entries[0]!.quarantine_reasons!;
    expect(reasons.map((r) => [r.field, r.rows])).toEqual([
      ['talk_seconds', 3],
      ['arrived_at', 1],
    ]);
    expect(reasons[0]!.reason).not.toContain('0:04:17');

    // corrected and delivered again: the quarantine-only day has no rows left, and its entry goes
    await ingestFile(deps, {
      config,
      sourceId: 'cti',
      file: 'export_20260304.csv',
      body: bytes(`${header}Q1,phone,2026-03-04T09:00:00+09:00,answered,257\n`),
    });
    const after = await readCoverage(deps.lake, 'acme', ['2026-03-04', '2026-03-05']);
    expect(after.map((e) => [e.dt, e.rows, e.quarantined, e.quarantine_reasons])).toEqual([['2026-03-04', 1, 0, undefined]]);
  });

  it('drops the entry of a date a re-ingest of the same file no longer writes to', async () => {
    const file = 'late.csv';
    await ingestFile(deps, { config, sourceId: 'cti', file, body: bytes(`${HEADER}B1,phone,2026-03-04T10:00:00+09:00,answered\n`) });
    await ingestFile(deps, { config, sourceId: 'cti', file, body: bytes(`${HEADER}B1,phone,2026-03-05T10:00:00+09:00,answered\n`) });
    const entries = await readCoverage(deps.lake, 'acme', ['2026-03-04', '2026-03-05']);
    expect(entries.map((e) => [e.dt, e.rows])).toEqual([['2026-03-05', 1]]);
  });
});
