/**
 * The XLSX reader against workbooks as other writers make them: openpyxl's (absolute part names, inline
 * strings, worksheet parts before the workbook part: test/fixtures/xlsx/make-openpyxl.py), Excel's layout
 * (a shared-string table, relative targets) written part by part, and hostile ones (a cell past the record
 * limit, a shared string that does not exist, XML that is not well-formed, the 1904 date system). Expected
 * values are worked out by hand beside each case.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../../../functions/core/ingest/ingest-file.ts';
import { resolveTarget } from '../../../../functions/core/ingest/records/xlsx/package.ts';
import { SharedStrings } from '../../../../functions/core/ingest/records/xlsx/shared-strings.ts';
import { parseXml } from '../../../../functions/core/ingest/records/xlsx/xml-stream.ts';
import { xlsxPackage } from './xlsx-package-writer.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/xlsx');
const TIME = 'YYYY-MM-DD HH:mm:ss';
const chatFields = {
  contact_id: 'id',
  customer: { column: 'User data.mobileNumber', null_values: [''], fallback: [{ column: 'userId' }] },
  arrived_at: { column: 'openedAt', format: TIME },
  answered_at: { column: 'firstRepliedAtAfterOpen', format: TIME, null_values: [''] },
  wait_seconds: { column: 'waitingTime', unit: 'dhms', null_values: [''] },
  agent_id: { column: 'Manager data.name', null_values: [''] },
  category: { column: 'tags', null_values: [''] },
};
const chatRules = [
  { when: [{ column: 'firstRepliedAtAfterOpen', empty: false }], then: 'answered' },
  { when: [{ column: 'firstRepliedAtAfterOpen', empty: true }], then: 'abandoned' },
];
const config = clientConfigSchema.parse({
  id: 'shop',
  name: '샵',
  timezone: 'Asia/Seoul',
  sources: [
    {
      id: 'chats',
      format: 'mapped-xlsx',
      sheet: 'UserChat data',
      lookups: [
        { sheet: 'User data', key: 'id', by: 'userId' },
        { sheet: 'Manager data', key: 'id', by: 'assigneeId' },
      ],
      channel: 'chat',
      fields: chatFields,
      outcome_rules: chatRules,
    },
    {
      id: 'plain',
      format: 'mapped-xlsx',
      sheet: 'UserChat data',
      channel: 'chat',
      fields: { contact_id: 'id', customer: 'userId', arrived_at: { column: 'openedAt', format: TIME }, category: { column: 'tags', null_values: [''] }, outcome: { constant: 'answered' } },
    },
    {
      id: 'serials',
      format: 'mapped-xlsx',
      channel: 'chat',
      fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'excel' }, queue: { column: 'queue', null_values: [''] }, category: { column: 'note', null_values: [''] }, outcome: { constant: 'answered' } },
    },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let deps: IngestDeps;
const depsFor = (name: string, limits: IngestDeps['limits'] = {}): IngestDeps => ({
  lake: createFolderStore(join(dir, name, 'lake')),
  quarantine: createFolderStore(join(dir, name, 'quarantine')),
  customerKeySecret: 'xlsx-test-secret-0000',
  openWorkspace: openDuckDbWorkspace,
  clock: { now: () => new Date('2026-03-10T00:00:00Z') },
  // one work folder for every run, as `cspulse ingest` of a folder has
  workDir: join(dir, 'work'),
  limits,
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-xlsx-'));
  deps = depsFor('main');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(root: string, sql: string) {
  const engine = await createDuckDbEngine({ lakeRoot: root });
  try {
    return (await engine.query(sql)).rows;
  } finally {
    await engine.close();
  }
}
const lakeRows = (name = 'main') =>
  rowsOf(join(dir, name, 'lake'), `SELECT contact_id, arrived_at, wait_seconds, agent_id, category, outcome, customer_key FROM contacts ORDER BY contact_id`);
const utc = (v: unknown) => new Date(String(v)).toISOString();
async function write(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}
async function quarantined(key: string, name = 'main') {
  return (await readFile(join(dir, name, 'quarantine', key), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { line: number; field: string; reason: string });
}

describe('workbooks written by openpyxl', () => {
  it('absolute part names, inline strings, sheets ordered UserChat, User, Message, Manager: both lookups resolve', async () => {
    const manifest = await ingestFile(deps, { config, sourceId: 'chats', file: 'openpyxl.xlsx', body: createReadStream(join(FIXTURES, 'channeltalk-openpyxl.xlsx')) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 3, rows_quarantined: 0, lines_read: 4 });
    const rows = await lakeRows();
    // 09:00 KST is 00:00Z; 0h 5m 23s = 323 s, 0h 1m 2s = 62 s; m-7 is 이상담 and m-8 박상담 in the manager sheet
    expect(rows.map((r) => [r.contact_id, utc(r.arrived_at), r.wait_seconds, r.agent_id, r.category, r.outcome])).toEqual([
      ['chat-1', '2026-03-02T00:00:00.000Z', 323, '이상담', '교환/반품', 'answered'],
      ['chat-2', '2026-03-02T01:00:00.000Z', 62, '박상담', '배송', 'answered'],
      ['chat-3', '2026-03-02T02:00:00.000Z', null, null, null, 'abandoned'],
    ]);
    // u-1 and u-2 have one phone number in two spellings; u-3 has no user row and is keyed by its id
    expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key);
    expect(rows[2]!.customer_key).not.toBe(rows[0]!.customer_key);
  });

  it('a category whose UTF-8 bytes straddle byte 65,536 of the inflated sheet is read whole, on all 3,000 rows', async () => {
    const manifest = await ingestFile(deps, { config, sourceId: 'plain', file: 'boundary.xlsx', body: createReadStream(join(FIXTURES, 'boundary-openpyxl.xlsx')) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 3000, rows_written: 3000, rows_quarantined: 0 });
    const categories = await rowsOf(join(dir, 'main', 'lake'), `SELECT category, count(*)::INTEGER AS n FROM contacts GROUP BY category`);
    expect(categories).toEqual([{ category: '교환/반품', n: 3000 }]);
  });

  it('files read concurrently and one after another, in one work folder, never share a temporary file', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `chats-${i}.xlsx`);
    for (const name of names) await copyFile(join(FIXTURES, 'channeltalk-openpyxl.xlsx'), join(dir, name));
    const concurrent = await Promise.all(names.map((name, i) => ingestFile(depsFor(`c${i}`), { config, sourceId: 'chats', file: name, body: createReadStream(join(dir, name)) })));
    expect(concurrent.map((m) => [m.status, m.rows_written, m.error])).toEqual(names.map(() => ['ok', 3, null]));
    for (const [i, name] of names.entries()) {
      const m = await ingestFile(depsFor(`s${i}`), { config, sourceId: 'chats', file: name, body: createReadStream(join(dir, name)) });
      expect([m.status, m.rows_written]).toEqual(['ok', 3]);
    }
    expect(await readdir(join(dir, 'work'))).toEqual([]);
  }, 60_000);
});

describe('workbooks in Excel\'s layout and hostile ones', () => {
  const header = ['id', 'userId', 'openedAt', 'tags'];

  it('a shared-string table after the sheets in the archive, relative targets, the second tab', async () => {
    const bytes = await xlsxPackage({
      partsFirst: true,
      sheets: [
        { name: 'Summary', rows: [['total'], [2]] },
        {
          name: 'UserChat data',
          rows: [
            header,
            ['chat-1', 'u-1', '2026-03-02 09:00:00', '교환/반품'],
            // rich text with a phonetic run: the runs' text, not the reading guide
            ['chat-2', 'u-2', '2026-03-02 10:00:00', { xml: ' t="inlineStr"><is><r><t>배송 </t></r><r><t>지연</t></r><rPh sb="0" eb="1"><t>ハイソウ</t></rPh></is>' }],
          ],
        },
      ],
    });
    const manifest = await ingestFile(deps, { config, sourceId: 'plain', file: 'excel.xlsx', body: createReadStream(await write('excel.xlsx', bytes)) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2 });
    expect((await lakeRows()).map((r) => [r.contact_id, r.category])).toEqual([
      ['chat-1', '교환/반품'],
      ['chat-2', '배송 지연'],
    ]);
  });

  it('numbers as stored: a date serial, a 20-digit id kept digit for digit, booleans and formula results', async () => {
    const bytes = await xlsxPackage({
      sheets: [
        {
          name: 'Calls',
          rows: [
            ['id', 'at', 'queue', 'note'],
            // serial 46083.375 = 2026-03-02 09:00 on the Seoul wall clock = 00:00Z
            [{ xml: '><v>12345678901234567891</v>' }, 46083.375, true, { xml: ' t="str"><f>A2&amp;"x"</f><v>ok</v>' }],
            [{ xml: '><v>12345678901234567892</v>' }, { xml: '><v>4.6083375E4</v>' }, { xml: ' t="e"><v>#N/A</v>' }, null],
          ],
        },
      ],
    });
    const manifest = await ingestFile(deps, { config, sourceId: 'serials', file: 'calls.xlsx', body: createReadStream(await write('calls.xlsx', bytes)) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2, duplicates_dropped: 0 });
    const rows = await rowsOf(join(dir, 'main', 'lake'), `SELECT contact_id, arrived_at, queue, category FROM contacts ORDER BY contact_id`);
    expect(rows.map((r) => [r.contact_id, utc(r.arrived_at), r.queue, r.category])).toEqual([
      ['12345678901234567891', '2026-03-02T00:00:00.000Z', 'TRUE', 'ok'],
      ['12345678901234567892', '2026-03-02T00:00:00.000Z', '#N/A', null],
    ]);
  });

  it('a cell past the record limit rejects its row, naming the column; a missing shared string likewise; the rest is read', async () => {
    const small = depsFor('small', { maxRecordBytes: 1_000 });
    const bytes = await xlsxPackage({
      strings: 'inline',
      sheets: [
        {
          name: 'UserChat data',
          rows: [
            header,
            ['chat-1', 'u-1', '2026-03-02 09:00:00', '배송'],
            ['chat-2', 'u-2', '2026-03-02 10:00:00', '가'.repeat(300_000)],
            ['chat-3', 'u-3', '2026-03-02 11:00:00', { xml: ' t="s"><v>99</v>' }],
            ['chat-4', 'u-4', '2026-03-02 12:00:00', '환불'],
          ],
        },
      ],
    });
    const manifest = await ingestFile(small, { config, sourceId: 'plain', file: 'long.xlsx', body: createReadStream(await write('long.xlsx', bytes)) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 2, rows_quarantined: 2 });
    expect((await quarantined(manifest.quarantine_key!, 'small')).map((e) => [e.line, e.field, e.reason])).toEqual([
      [3, '(row)', 'column D: a cell of more than 1,000 characters'],
      [4, '(row)', 'column D: shared string 99 does not exist in the workbook'],
    ]);
  });

  it('rejects whole: the 1904 date system, XML that is not well-formed, a missing sheet (listing the sheets), a zip that is no workbook', async () => {
    const rows = [header, ['chat-1', 'u-1', '2026-03-02 09:00:00', '배송']];
    const cases: [string, Buffer, string][] = [
      ['d1904.xlsx', await xlsxPackage({ date1904: true, sheets: [{ name: 'UserChat data', rows }] }), 'd1904.xlsx: the workbook uses the 1904 date system; save it with the 1900 date system (Excel: Options, Advanced)'],
      [
        'broken.xlsx',
        await xlsxPackage({ sheets: [{ name: 'UserChat data', rows }], override: { 'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c></row></sheetData></worksheet>' } }),
        'broken.xlsx: not a readable XLSX workbook: xl/worksheets/sheet1.xml: Unexpected close tag',
      ],
      ['other.xlsx', await xlsxPackage({ targets: 'absolute', sheets: [{ name: 'Sheet1', rows }, { name: 'User data', rows }] }), 'other.xlsx: no sheet "UserChat data"; the workbook has "Sheet1", "User data"'],
    ];
    for (const [name, bytes, error] of cases) {
      const m = await ingestFile(deps, { config, sourceId: 'plain', file: name, body: createReadStream(await write(name, bytes)) });
      expect(m.status, name).toBe('rejected');
      expect(m.error!.startsWith(error), `${name}: ${m.error}`).toBe(true);
    }
    const zip = await xlsxPackage({ sheets: [{ name: 'x', rows }], override: { '_rels/.rels': '<Relationships/>', 'xl/workbook.xml': '' } });
    const m = await ingestFile(deps, { config, sourceId: 'plain', file: 'nobook.xlsx', body: createReadStream(await write('nobook.xlsx', zip)) });
    expect(m.status).toBe('rejected');
  });

  it('part names: relative and absolute relationship targets name the same part (OPC §9.3)', () => {
    expect(resolveTarget('xl/workbook.xml', 'worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/workbook.xml', '/xl/worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/workbook.xml', '../customXml/item1.xml')).toBe('customXml/item1.xml');
    expect(resolveTarget('', 'xl/workbook.xml')).toBe('xl/workbook.xml');
  });
});

describe('the shared-string table', () => {
  it('past its memory budget the strings go to disk and read back the same, Korean and empty ones included', async () => {
    const prefix = join(dir, 'sst');
    // a budget of 1,000 bytes holds about 15 short strings (2 bytes a character + 40 of overhead)
    const strings = new SharedStrings(prefix, 1_000, 50);
    const values = Array.from({ length: 5_000 }, (_, i) => (i % 97 === 0 ? '' : `${i % 2 === 0 ? '교환/반품' : 'refund'}-${i}`));
    for (const v of values) strings.add(v);
    strings.add('x'.repeat(80));
    strings.seal();
    expect(strings.size).toBe(5_001);
    expect(strings.onDisk).toBeGreaterThan(4_900);
    for (const i of [0, 1, 14, 15, 16, 97, 2_501, 4_999]) expect(strings.get(i), `string ${i}`).toBe(values[i]);
    // kept to 50 + 1 characters: enough to know it is past the limit
    expect(strings.get(5_000)).toBe('x'.repeat(51));
    expect(strings.get(5_001)).toBeUndefined();
    strings.close();
    expect(await readdir(dir)).not.toContain('sst.data');
  });
});

describe('the XML stream', () => {
  it('hands a long text over in pieces of at most 128 KiB, so no cell is ever held whole by the parser', async () => {
    // 5 MB of text in one element, arriving in 1 MB chunks as an inflated part does
    const body = Buffer.from(`<c><is><t>${'가'.repeat(5 * 1024 * 1024 / 3)}</t></is></c>`, 'utf8');
    async function* chunks() {
      for (let i = 0; i < body.length; i += 1 << 20) yield body.subarray(i, i + (1 << 20));
    }
    let pieces = 0;
    let longest = 0;
    let total = 0;
    for await (const _ of parseXml(chunks(), 'f.xlsx', 'xl/worksheets/sheet1.xml', { open() {}, close() {}, text: (t) => ((pieces += 1), (longest = Math.max(longest, t.length)), (total += t.length)) }, [])) void _;
    expect(total).toBe(Math.floor((5 * 1024 * 1024) / 3));
    expect(pieces).toBeGreaterThan(10);
    expect(longest).toBeLessThanOrEqual(2 * 64 * 1024);
  });
});
