/**
 * The records stage for XLSX workbooks and JSON records, through real ingest into a temporary lake. The
 * workbooks are written here with exceljs in the shape 채널톡 (Channel.io) documents for its chat export: one
 * workbook, a sheet per kind of data ("UserChat data" beside "User data", "Manager data"…), durations written
 * like `0h 5m 23s`. The sheet names and column names follow Channel.io's help pages ("상담 통계 다운로드"); no
 * public 채널톡 export was found to take real values from, so the values are made up and worked out here.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../../../functions/core/ingest/ingest-file.ts';
import { valueAt } from '../../../../functions/core/ingest/records/json-records.ts';
import { columnIndex, columnName, numberText } from '../../../../functions/core/ingest/records/xlsx/sheet-rows.ts';

const TIME = 'YYYY-MM-DD HH:mm:ss';
const chatFields = {
  contact_id: 'id',
  customer: 'userId',
  arrived_at: { column: 'openedAt', format: TIME },
  answered_at: { column: 'firstRepliedAtAfterOpen', format: TIME, null_values: [''] },
  wait_seconds: { column: 'waitingTime', unit: 'dhms', null_values: [''], fallback: [{ between: ['arrived_at', 'answered_at'] }] },
  agent_id: { column: 'assigneeId', null_values: [''] },
  category: { column: 'tags', null_values: ['', '[]'] },
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
    { id: 'channeltalk', format: 'mapped-xlsx', sheet: 'UserChat data', channel: 'chat', user_id_namespace: 'channeltalk', fields: chatFields, outcome_rules: chatRules },
    {
      id: 'channeltalk-users',
      format: 'mapped-xlsx',
      sheet: 'UserChat data',
      lookups: [{ sheet: 'User data', key: 'id', by: 'userId' }],
      channel: 'chat',
      fields: { ...chatFields, customer: { column: 'User data.mobileNumber', null_values: [''], fallback: [{ column: 'userId' }] } },
      outcome_rules: chatRules,
    },
    { id: 'first-sheet', format: 'mapped-xlsx', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'excel' }, outcome: { constant: 'answered' } } },
    { id: 'positions', format: 'mapped-xlsx', header: false, channel: 'chat', fields: { contact_id: 0, arrived_at: { column: 2, format: TIME }, outcome: { constant: 'answered' } } },
    {
      id: 'app',
      format: 'mapped-json',
      channel: 'chat',
      fields: {
        contact_id: 'id',
        customer: 'user.mobileNumber',
        arrived_at: { column: 'openedAt', format: 'epoch_ms' },
        agent_id: { column: 'managers[0].name', null_values: [''] },
        is_transferred: { column: 'transferred', default: false },
        outcome: { column: 'state', map: { closed: 'answered', missed: 'abandoned' } },
      },
    },
    { id: 'api', format: 'mapped-json', records: 'data.userChats', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'openedAt', format: 'epoch_ms' }, outcome: { constant: 'answered' } } },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-structured-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'structured-test-secret-0000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function workbook(sheets: Record<string, unknown[][]>): Promise<string> {
  const path = join(dir, `book-${Object.keys(sheets).join('-').replace(/\W+/g, '_')}.xlsx`);
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  // written whole to a buffer first: the streaming writer's commit can resolve before the file is flushed
  await writeFile(path, Buffer.from(await book.xlsx.writeBuffer()));
  return path;
}
async function lake(source: string) {
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    return (await engine.query(`SELECT contact_id, arrived_at, wait_seconds, agent_id, category, outcome, customer_key, is_transferred FROM contacts WHERE source = ? ORDER BY contact_id`, [source])).rows;
  } finally {
    await engine.close();
  }
}
async function* text(content: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(content, 'utf8');
}
const utc = (v: unknown) => new Date(String(v)).toISOString();

describe('XLSX', () => {
  it('reads the named sheet of a 채널톡-shaped workbook, header first, durations like 0h 5m 23s', async () => {
    const path = await workbook({
      'User data': [['id', 'name', 'mobileNumber'], ['u-1', '김고객', '010-1234-5678']],
      'UserChat data': [
        ['id', 'userId', 'state', 'openedAt', 'firstRepliedAtAfterOpen', 'waitingTime', 'assigneeId', 'tags'],
        // opened 09:00:00 KST, first reply 09:05:23: 채널톡's own waitingTime 0h 5m 23s = 323 s
        ['chat-1', 'u-1', 'closed', '2026-03-02 09:00:00', '2026-03-02 09:05:23', '0h 5m 23s', 'm-7', '배송'],
        // no waitingTime written: the fallback, between openedAt and the first reply, 1 min 2 s
        ['chat-2', 'u-1', 'closed', '2026-03-02 10:00:00', '2026-03-02 10:01:02', '', 'm-7', '[]'],
        // never answered
        ['chat-3', 'u-2', 'closed', '2026-03-02 11:00:00', '', '', '', ''],
      ],
      'Manager data': [['id', 'name'], ['m-7', '이상담']],
    });
    const manifest = await ingestFile(deps, { config, sourceId: 'channeltalk', file: 'userchats.xlsx', body: createReadStream(path) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 3, rows_quarantined: 0, lines_read: 4 });
    const rows = await lake('channeltalk');
    expect(rows.map((r) => [r.contact_id, utc(r.arrived_at), r.wait_seconds, r.agent_id, r.category, r.outcome])).toEqual([
      ['chat-1', '2026-03-02T00:00:00.000Z', 323, 'm-7', '배송', 'answered'],
      ['chat-2', '2026-03-02T01:00:00.000Z', 62, 'm-7', null, 'answered'],
      ['chat-3', '2026-03-02T02:00:00.000Z', null, null, null, 'abandoned'],
    ]);
    expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key);
  });

  it('looks up the customer\'s phone number in the user sheet, whether it comes before or after the chats', async () => {
    const chats = [
      ['id', 'userId', 'state', 'openedAt', 'firstRepliedAtAfterOpen', 'waitingTime', 'assigneeId', 'tags'],
      ['chat-1', 'u-1', 'closed', '2026-03-02 09:00:00', '2026-03-02 09:05:23', '0h 5m 23s', 'm-7', ''],
      ['chat-2', 'u-2', 'closed', '2026-03-02 10:00:00', '2026-03-02 10:01:02', '0h 1m 2s', 'm-7', ''],
      ['chat-3', 'u-3', 'closed', '2026-03-02 11:00:00', '', '', '', ''],
    ];
    // u-1 and u-2 are one person with two accounts, by phone; u-3 has no phone and no user row
    const users = [['id', 'name', 'mobileNumber'], ['u-1', '김고객', '010-1234-5678'], ['u-2', '김고객', '+82 10-1234-5678']];
    for (const [n, sheets] of [
      [1, { 'User data': users, 'UserChat data': chats }],
      [2, { 'UserChat data': chats, 'Manager data': [['id'], ['m-7']], 'User data': users }],
    ] as const) {
      const path = await workbook(sheets as Record<string, unknown[][]>);
      const manifest = await ingestFile(deps, { config, sourceId: 'channeltalk-users', file: `chats-${n}.xlsx`, body: createReadStream(path) });
      expect(manifest).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 3, rows_quarantined: 0 });
      const rows = await lake('channeltalk-users');
      expect(rows.map((r) => r.contact_id)).toEqual(['chat-1', 'chat-2', 'chat-3']);
      expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key); // the same phone number in two spellings
      expect(rows[2]!.customer_key).not.toBe(rows[0]!.customer_key); // the user id u-3, as the fallback
      expect(rows[2]!.customer_key).not.toBeNull();
    }
    const noUsers = await workbook({ 'UserChat data': chats });
    const rejected = await ingestFile(deps, { config, sourceId: 'channeltalk-users', file: 'nousers.xlsx', body: createReadStream(noUsers) });
    expect(rejected).toMatchObject({ status: 'rejected', error: 'nousers.xlsx: no sheet "User data" to look up; the workbook has "UserChat data"' });
  });

  it('reads the first tab by default, with dates as serials; positions when there is no header', async () => {
    const book = await workbook({ Calls: [['id', 'at'], ['c-1', 46083.375]], Other: [['x'], ['y']] });
    // serial 46083.375 = 2026-03-02 09:00 on the Seoul wall clock (46083 days after 1899-12-30, plus 9 h)
    expect(await ingestFile(deps, { config, sourceId: 'first-sheet', file: 'calls.xlsx', body: createReadStream(book) })).toMatchObject({ rows_written: 1 });
    expect((await lake('first-sheet')).map((r) => utc(r.arrived_at))).toEqual(['2026-03-02T00:00:00.000Z']);
    const bare = await workbook({ Sheet1: [['p-1', 'ignored', '2026-03-02 12:00:00']] });
    expect(await ingestFile(deps, { config, sourceId: 'positions', file: 'bare.xlsx', body: createReadStream(bare) })).toMatchObject({ rows_read: 1, rows_written: 1 });
  });

  it('rejects a workbook whole: no such sheet (naming the sheets), encrypted, not a workbook at all', async () => {
    const other = await workbook({ Summary: [['a'], ['b']], 'User data': [['id'], ['u-1']] });
    const missing = await ingestFile(deps, { config, sourceId: 'channeltalk', file: 'other.xlsx', body: createReadStream(other) });
    expect(missing).toMatchObject({ status: 'rejected', error: 'other.xlsx: no sheet "UserChat data"; the workbook has "Summary", "User data"' });
    const encrypted = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await writeFile(join(dir, 'locked.xlsx'), encrypted);
    const locked = await ingestFile(deps, { config, sourceId: 'channeltalk', file: 'locked.xlsx', body: createReadStream(join(dir, 'locked.xlsx')) });
    expect(locked.status).toBe('rejected');
    expect(locked.error).toContain('an encrypted workbook (an export downloaded with a file password) or an old .xls file');
    const csv = await ingestFile(deps, { config, sourceId: 'channeltalk', file: 'chats.xlsx', body: text('id,userId\n1,2\n') });
    expect(csv).toMatchObject({ status: 'rejected', error: 'chats.xlsx: not an XLSX workbook (an XLSX file is a zip archive, starting "PK")' });
  });

  it('number cells become text as stored: plain integers digit for digit, other numbers as JavaScript writes them', () => {
    expect(numberText('12345678901234567891')).toBe('12345678901234567891');
    expect(numberText('46083.375')).toBe('46083.375');
    expect(numberText('1.5E-3')).toBe('0.0015');
    expect(numberText('0.25')).toBe('0.25');
    expect(numberText('')).toBe('');
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA1'), columnIndex('XFD1048576'), columnIndex('12')]).toEqual([0, 25, 26, 16_383, -1]);
    expect([columnName(0), columnName(25), columnName(26), columnName(16_383)]).toEqual(['A', 'Z', 'AA', 'XFD']);
  });
});

describe('JSON records', () => {
  it('NDJSON with field paths; a broken record is quarantined and reading goes on', async () => {
    const file =
      '{"id":"j1","openedAt":1772409600000,"state":"closed","user":{"mobileNumber":"010-1234-5678"},"managers":[{"name":"이상담"}]}\n' +
      '{"id":"j2","openedAt":1772413200000,"state":"missed","user":{"mobileNumber":"+82 10-1234-5678"},"transferred":true,"managers":[]}\n' +
      '{"id":"j3","openedAt":17724\n' +
      '{"id":"j4","openedAt":1772416800000,"state":"closed"}\n';
    const manifest = await ingestFile(deps, { config, sourceId: 'app', file: 'chats.ndjson', body: text(file) });
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 3, rows_quarantined: 1 });
    const rows = await lake('app');
    expect(rows.map((r) => [r.contact_id, utc(r.arrived_at), r.agent_id, r.outcome, r.is_transferred])).toEqual([
      ['j1', '2026-03-02T00:00:00.000Z', '이상담', 'answered', false],
      ['j2', '2026-03-02T01:00:00.000Z', null, 'abandoned', true],
      ['j4', '2026-03-02T02:00:00.000Z', null, 'answered', false],
    ]);
    expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key); // one customer in two spellings
    expect(rows[2]!.customer_key).toBeNull();
    const [entry] = (await readFile(join(dir, 'quarantine', manifest.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ line: 3, field: '(row)' });
  });

  it('an array of records, and the array at a path of one document', async () => {
    const array = '[{"id":"a1","openedAt":1772409600000,"state":"closed"},{"id":"a2","openedAt":1772409600000,"state":"missed"}]';
    expect(await ingestFile(deps, { config, sourceId: 'app', file: 'chats.json', body: text(array) })).toMatchObject({ rows_read: 2, rows_written: 2 });
    const doc = '{"next":null,"data":{"total":2,"userChats":[{"id":"p1","openedAt":1772409600000},{"id":"p2","openedAt":1772413200000}]}}';
    expect(await ingestFile(deps, { config, sourceId: 'api', file: 'page.json', body: text(doc) })).toMatchObject({ rows_read: 2, rows_written: 2 });
    expect((await lake('api')).map((r) => r.contact_id)).toEqual(['p1', 'p2']);
    const broken = await ingestFile(deps, { config, sourceId: 'api', file: 'broken.json', body: text('{"data":{"userChats":[{"id":"p1",') });
    expect(broken.status).toBe('rejected');
  });

  it('field paths: nested keys, array items, and a key that holds a dot', () => {
    const record = { user: { profile: { phone: '010' } }, managers: [{ name: 'a' }, { name: 'b' }], 'meta.source': 'web' };
    expect(valueAt(record, 'user.profile.phone')).toBe('010');
    expect(valueAt(record, 'managers[1].name')).toBe('b');
    expect(valueAt(record, 'meta.source')).toBe('web');
    expect(valueAt(record, 'user.missing')).toBeUndefined();
  });
});
