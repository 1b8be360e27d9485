import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFileLocks } from '../../../functions/adapters/local/file-locks.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../../functions/core/ingest/ingest-file.ts';
import { lakeKeys, type IngestManifest } from '../../../functions/core/ingest/manifest.ts';
import type { ObjectStore, SqlValue } from '../../../functions/core/ports.ts';

const SECRET = 'test-secret-0123456789abcdef';
const NOW = new Date('2026-03-10T00:00:00Z');

const baseConfig = (sources: ClientConfigInput['sources']): ClientConfig =>
  clientConfigSchema.parse({
    id: 'acme',
    name: '에이크미',
    timezone: 'Asia/Seoul',
    sources,
    contract: [{ effective_from: '2026-01-01' }],
    recipients: { to: ['lead@example.com'] },
  });

const cspulseConfig = baseConfig([
  { id: 'cti', format: 'cspulse-csv' },
  { id: 'survey', format: 'cspulse-csv', table: 'surveys' },
  { id: 'chat', format: 'mapped-csv', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'epoch_ms' }, answered_at: { column: 'answered', format: 'epoch_ms' }, outcome: { column: 'status', map: { ok: 'answered', gone: 'abandoned' } }, category: 'topic' } },
]);

async function* bytes(content: string | Uint8Array, chunk = 7): AsyncIterable<Uint8Array> {
  const all = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let i = 0; i < all.length; i += chunk) yield all.subarray(i, i + chunk);
}

async function keys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-ingest-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: SECRET,
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => NOW },
    workDir: join(dir, 'work'),
    locks: createFileLocks(join(dir, 'locks')),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a query sees: the contacts table of the lake, as Athena and the DuckDB engine expose it. */
async function lakeRows(sql = `SELECT * FROM contacts WHERE client_id = 'acme' ORDER BY contact_id`): Promise<Record<string, SqlValue>[]> {
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    return (await engine.query(sql)).rows;
  } finally {
    await engine.close();
  }
}

const invariant = (m: IngestManifest) => m.rows_read === m.rows_written + m.rows_quarantined + m.duplicates_dropped;

// Korean headers, UTF-8 with BOM. Worked out by hand:
// line 2 C1 phone 09:00 KST → dt 2026-03-02, hour 9, handle 100+10+20 = 130
// line 3 C2 chat 16:30Z → 01:30 KST on 2026-03-02, hour 1; same customer as C1 (+82 form)
// line 4 C3 outcome 모름 is not a known outcome → quarantined (field outcome)
// line 5 C1 again, the same values → duplicate within the file (the later line is kept: same values)
// line 6 C4 arrived 2026-13-02 → quarantined (field arrived_at)
// line 7 C5 has 3 fields instead of 10 → quarantined (row)
const KOREAN_CSV =
  '\ufeff상담ID,채널,인입일시,처리결과,대기시간,통화시간,보류시간,후처리시간,발신번호,상담유형\r\n' +
  'C1,전화,2026-03-02T09:00:00+09:00,응대,12,100,10,20,010-1234-5678,배송\r\n' +
  'C2,채팅,2026-03-01T16:30:00Z,포기,40,,,,+82 10-1234-5678,교환/반품\r\n' +
  'C3,전화,2026-03-02T10:00:00+09:00,모름,1,1,1,1,,배송\r\n' +
  'C1,전화,2026-03-02T09:00:00+09:00,응대,12,100,10,20,010-1234-5678,배송\r\n' +
  'C4,전화,2026-13-02T10:00:00+09:00,응대,1,1,1,1,,배송\r\n' +
  'C5,전화,2026-03-02T11:00:00+09:00\r\n';

describe('ingestFile with a cspulse CSV (Korean headers)', () => {
  it('writes, quarantines and drops duplicates with counts that add up', async () => {
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'exports/day1.csv', body: bytes(KOREAN_CSV) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 6, rows_written: 2, rows_quarantined: 3, duplicates_dropped: 1, rows_replaced: 0, lines_read: 7 });
    expect(m.partitions.map((p) => [p.dt, p.rows, p.object_key])).toEqual([['2026-03-02', 2, 'contacts/client_id=acme/dt=2026-03-02/cti.parquet']]);

    const rows = await lakeRows();
    expect(rows.map((r) => [r.contact_id, r.channel, r.outcome, r.local_hour, r.handle_seconds, r.dt, r.source_file])).toEqual([
      ['C1', 'phone', 'answered', 9, 130, '2026-03-02', 'day1.csv'],
      ['C2', 'chat', 'abandoned', 1, null, '2026-03-02', 'day1.csv'],
    ]);
    expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key);
    expect(rows[0]!.customer_key).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.delivered_at).toBe(NOW.toISOString());

    const quarantine = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine.map((q) => [q.line, q.field])).toEqual([
      [4, 'outcome'],
      [6, 'arrived_at'],
      [7, '(row)'],
    ]);
    expect(quarantine[0]).toMatchObject({ file: 'exports/day1.csv', raw: 'C3,전화,2026-03-02T10:00:00+09:00,모름,1,1,1,1,,배송' });
    expect(quarantine[2].reason).toBe('expected 10 fields, found 3');
  });

  it('never writes a raw phone number to the lake', async () => {
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const files = (await readdir(join(dir, 'lake'), { recursive: true })).filter((f) => f.endsWith('.parquet') || f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) {
      const content = await readFile(join(dir, 'lake', f));
      for (const needle of ['1234-5678', '12345678', '1012345678']) expect(content.includes(needle), f).toBe(false);
    }
  });

  it('the same file again replaces its own delivery: the same rows, one version object per date', async () => {
    const first = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const again = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    expect(again).toMatchObject({ rows_written: first.rows_written, duplicates_dropped: 1, rows_replaced: 0 });
    expect(again.delivery_id).not.toBe(first.delivery_id);
    expect(await keys(deps.lake, 'versions/')).toEqual([again.partitions[0]!.version_key]);
    expect((await lakeRows()).map((r) => r.contact_id)).toEqual(['C1', 'C2']);
    expect(await keys(deps.lake, 'manifests/')).toEqual([lakeKeys.manifest('acme', 'cti', first.file_id)]);
  });

  it('a redelivery under another file name is the newest copy of its contacts', async () => {
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV), deliveredAt: new Date('2026-03-03T00:00:00Z') });
    const redelivered = await ingestFile(deps, {
      config: cspulseConfig,
      sourceId: 'cti',
      file: 'day1 (1).csv',
      body: bytes(KOREAN_CSV),
      deliveredAt: new Date('2026-03-03T01:00:00Z'),
    });
    // C1 and C2 replace the older copies; the second C1 of the file is a duplicate within it
    expect(redelivered).toMatchObject({ rows_read: 6, rows_written: 2, rows_replaced: 2, rows_quarantined: 3, duplicates_dropped: 1 });
    const rows = await lakeRows();
    expect(rows.map((r) => [r.contact_id, r.source_file])).toEqual([
      ['C1', 'day1 (1).csv'],
      ['C2', 'day1 (1).csv'],
    ]);
    // an older delivery arriving late changes nothing: its copies lose to the newer ones
    const late = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1-late.csv', body: bytes(KOREAN_CSV), deliveredAt: new Date('2026-03-02T23:00:00Z') });
    expect(late).toMatchObject({ rows_written: 0, rows_replaced: 0, duplicates_dropped: 3 });
    expect((await lakeRows()).map((r) => r.source_file)).toEqual(['day1 (1).csv', 'day1 (1).csv']);
  });

  it('records rejected files in a manifest and writes no data; the reason quotes nothing from the file', async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['empty.csv', '', /empty/],
      ['wrong.csv', 'C1,010-1234-5678,kim@example.com\n1,2,3\n', /missing contact_id/],
      ['garbage.bin', new Uint8Array(3000).map((_, i) => (i * 7919 + 13) % 256), /binary data|not valid UTF-8/],
    ];
    for (const [file, content, reason] of cases) {
      const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file, body: bytes(content, 512) });
      expect(m.status, file).toBe('rejected');
      expect(m.error, file).toMatch(reason);
      expect(m.error).not.toMatch(/1234|kim@/);
      expect(m.rows_read).toBe(0);
      const stored = JSON.parse(Buffer.from(await deps.lake.get(lakeKeys.manifest('acme', 'cti', m.file_id))).toString());
      expect(stored.status).toBe('rejected');
    }
    expect(await keys(deps.lake, 'contacts/')).toEqual([]);
    expect(await keys(deps.lake, 'versions/')).toEqual([]);
  });

  it('keeps the data of a good delivery when a later delivery of the same file is unreadable', async () => {
    const good = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const bad = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes('a,b\n1,2\n') });
    expect(bad.status).toBe('rejected');
    expect(await deps.lake.head(good.partitions[0]!.object_key)).toBeDefined();
    const stored = (key: string) => deps.lake.get(key).then((b) => JSON.parse(Buffer.from(b).toString()));
    expect((await stored(lakeKeys.manifest('acme', 'cti', good.file_id))).status).toBe('ok');
    expect((await stored(lakeKeys.rejectedManifest('acme', 'cti', good.file_id))).status).toBe('rejected');
    // a good delivery again replaces both
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    expect(await deps.lake.head(lakeKeys.rejectedManifest('acme', 'cti', good.file_id))).toBeUndefined();
  });

  it('accepts a header-only file as a day without contacts', async () => {
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'quiet.csv', body: bytes('contact_id,channel,arrived_at,outcome\n') });
    expect(m).toMatchObject({ status: 'ok', rows_read: 0, rows_written: 0, partitions: [] });
  });

  it('ingests surveys and rejects a score outside the scale', async () => {
    const csv =
      'survey_id,contact_id,survey_type,score,responded_at\n' +
      'S1,C1,CSAT,5,2026-03-02T01:00:00Z\n' +
      'S2,C2,NPS,9,2026-03-02T02:00:00Z\n' +
      'S3,C3,CSAT,6,2026-03-02T03:00:00Z\n';
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'survey', file: 's.csv', body: bytes(csv) });
    expect(m).toMatchObject({ table: 'surveys', rows_read: 3, rows_written: 2, rows_quarantined: 1 });
    const rows = await lakeRows(`SELECT * FROM surveys ORDER BY survey_id`);
    expect(rows.map((r) => [r.survey_id, r.survey_type, r.score, r.scale_min, r.scale_max, r.dt])).toEqual([
      ['S1', 'csat', 5, 1, 5, '2026-03-02'],
      ['S2', 'nps', 9, 0, 10, '2026-03-02'],
    ]);
  });

  it('masks phone numbers and e-mails in survey comments before they reach the lake', async () => {
    const csv =
      'survey_id,contact_id,survey_type,score,comment,responded_at\n' +
      'S1,C1,CSAT,5,"친절해요, 연락은 ０１０－１２３４－５６７８ 로",2026-03-02T01:00:00Z\n' +
      'S2,C2,CSAT,2,답변이 늦어요 kim＠shop.co.kr,2026-03-02T02:00:00Z\n' +
      'S3,C3,CSAT,4,주문번호 12345678 잘 받았어요,2026-03-02T03:00:00Z\n' +
      'S4,C4,CSAT,4,,2026-03-02T04:00:00Z\n';
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'survey', file: 'comments.csv', body: bytes(csv) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 4 });
    const rows = await lakeRows(`SELECT survey_id, comment FROM surveys ORDER BY survey_id`);
    expect(rows.map((r) => [r.survey_id, r.comment])).toEqual([
      ['S1', '친절해요, 연락은 ***-****-**** 로'],
      ['S2', '답변이 늦어요 ***@***'],
      ['S3', '주문번호 12345678 잘 받았어요'],
      ['S4', null],
    ]);
  });
});

describe('ingestFile with the example client (CP949 Korean CTI mapping)', () => {
  it('maps a CP949 export with date and time in two columns', async () => {
    const { parseClientConfig } = await import('../../../functions/core/config/parse-config.ts');
    const config = parseClientConfig(await readFile('clients/example.yaml', 'utf8'), 'clients/example.yaml');
    const csv =
      '콜ID,발신번호,큐,상담유형,상세유형,상담원ID,인입일자,인입시각,IVR시간,대기시간,통화시간,보류시간,후처리시간,처리결과,호전환\r\n' +
      '9001,010-9876-5432,일반상담,배송,똠방각하 배송지연,A01,20260302,00:10:05,15,0:00:35,185,10,30,응대,N\r\n' +
      '9002,발신번호표시제한,일반상담,결제,카드오류,,20260302,23:59:59,8,0:02:05,0,0,0,포기,N\r\n' +
      '9003,01011112222,일반상담,기타,,A02,20260302,10:00:00,3,0:00:00,0,0,0,테스트,N\r\n';
    const m = await ingestFile(deps, { config, sourceId: 'cti', file: 'cti_20260302.csv', body: bytes(iconv.encode(csv, 'cp949'), 100) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 3, rows_quarantined: 0 });
    expect(m.partitions).toEqual([expect.objectContaining({ dt: '2026-03-02', rows: 3, excluded: 1 })]);
    const rows = await lakeRows(`SELECT * FROM contacts WHERE client_id = 'example' ORDER BY contact_id`);
    // 00:10:05 KST on 2 March = 15:10:05Z on 1 March
    expect(rows[0]!.arrived_at).toBe('2026-03-01T15:10:05.000Z');
    expect(rows[0]).toMatchObject({ subcategory: '똠방각하 배송지연', wait_seconds: 35, handle_seconds: 225, local_hour: 0 });
    expect(rows[1]).toMatchObject({ outcome: 'abandoned', wait_seconds: 125, customer_key: null, agent_id: null, local_hour: 23 });
    expect(rows[2]!.outcome).toBe('excluded');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The newest delivery of a contact wins; deduplication never makes a row's only copy depend on another file.

const CHAT_HEADER = 'id,at,answered,status,topic\n';
/** n chats on 2026-03-02 KST (from 10:00 KST = 01:00Z, one a minute), topic `t`. */
const chats = (from: number, n: number, topic = 'delivery', dayShift = 0): string =>
  Array.from({ length: n }, (_, i) => {
    const at = Date.UTC(2026, 2, 2 + dayShift, 1, from + i);
    return `K${from + i},${at},${at + 30_000},ok,${topic}`;
  }).join('\n');

describe('one copy per contact across deliveries', () => {
  it('a truncated redelivery does not lose contacts another file also holds (issue: 50 of 100 lost)', async () => {
    const hundred = CHAT_HEADER + chats(0, 100) + '\n';
    const fifty = CHAT_HEADER + chats(0, 50) + '\n';
    const a = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'a.csv', body: bytes(hundred, 4096), deliveredAt: new Date('2026-03-03T01:00:00Z') });
    const b = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'b.csv', body: bytes(hundred, 4096), deliveredAt: new Date('2026-03-03T02:00:00Z') });
    expect([a.rows_written, a.rows_replaced]).toEqual([100, 0]);
    // b is newer: its 100 copies replace a's
    expect([b.rows_written, b.rows_replaced, b.duplicates_dropped]).toEqual([100, 100, 0]);
    const cut = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'a.csv', body: bytes(fifty, 4096), deliveredAt: new Date('2026-03-03T03:00:00Z') });
    // a again, newest now: its 50 rows win; the other 50 contacts keep b's copy
    expect([cut.rows_written, cut.rows_replaced, cut.duplicates_dropped]).toEqual([50, 50, 0]);
    const rows = await lakeRows(`SELECT source_file, count(*) AS n, count(DISTINCT contact_id) AS ids FROM contacts GROUP BY source_file ORDER BY source_file`);
    expect(rows).toEqual([
      { source_file: 'a.csv', n: 50, ids: 50 },
      { source_file: 'b.csv', n: 50, ids: 50 },
    ]);
    // and if b is taken back by a redelivery without rows, a's 50 remain and nothing else
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'b.csv', body: bytes(CHAT_HEADER, 4096), deliveredAt: new Date('2026-03-03T04:00:00Z') });
    expect(await lakeRows(`SELECT count(*) AS n FROM contacts`)).toEqual([{ n: 50 }]);
  });

  it('a corrected export under a new name replaces the values, and rows moved to the next day are not counted twice', async () => {
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'export.csv', body: bytes(CHAT_HEADER + chats(0, 100) + '\n', 4096), deliveredAt: new Date('2026-03-03T00:00:00Z') });
    // the correction: the first 10 chats moved to the next business date, the next 10 with another topic
    const corrected = CHAT_HEADER + [chats(0, 10, 'delivery', 1), chats(10, 10, 'returns'), chats(20, 80)].join('\n') + '\n';
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'export (corrected).csv', body: bytes(corrected, 4096), deliveredAt: new Date('2026-03-04T00:00:00Z') });
    expect(m).toMatchObject({ rows_read: 100, rows_written: 100, rows_replaced: 100, duplicates_dropped: 0 });
    expect(m.partitions.map((p) => [p.dt, p.rows])).toEqual([
      ['2026-03-02', 90],
      ['2026-03-03', 10],
    ]);
    const rows = await lakeRows(`SELECT dt, topic, count(*) AS n FROM (SELECT dt, category AS topic FROM contacts) GROUP BY dt, topic ORDER BY dt, topic`);
    expect(rows).toEqual([
      { dt: '2026-03-02', topic: 'delivery', n: 80 },
      { dt: '2026-03-02', topic: 'returns', n: 10 },
      { dt: '2026-03-03', topic: 'delivery', n: 10 },
    ]);
    expect(await lakeRows(`SELECT count(*) AS n, count(DISTINCT contact_id) AS ids FROM contacts`)).toEqual([{ n: 100, ids: 100 }]);
  });

  it('two ingests of one client at once publish one after the other (issue: 600,000 rows for 300,000 ids)', async () => {
    const text = CHAT_HEADER + chats(0, 300) + '\n';
    const [x, y] = await Promise.all([
      ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'x.csv', body: bytes(text, 1024), deliveredAt: new Date('2026-03-03T00:00:00Z') }),
      ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'y.csv', body: bytes(text, 1024), deliveredAt: new Date('2026-03-03T00:00:01Z') }),
    ]);
    expect(x.rows_written + y.rows_written - (x.rows_replaced ?? 0) - (y.rows_replaced ?? 0)).toBe(300);
    expect(await lakeRows(`SELECT count(*) AS n, count(DISTINCT contact_id) AS ids, min(source_file) AS f FROM contacts`)).toEqual([{ n: 300, ids: 300, f: 'y.csv' }]);
  });
});

describe('a run that dies part-way', () => {
  /** A lake that fails the first write whose key matches: the process "dies" there. */
  const dyingAt = (lake: ObjectStore, pattern: RegExp): ObjectStore => {
    let died = false;
    return {
      ...lake,
      get: (k) => lake.get(k),
      getStream: (k) => lake.getStream(k),
      head: (k) => lake.head(k),
      list: (p) => lake.list(p),
      delete: (k) => lake.delete(k),
      putIfAbsent: (k, b, o) => lake.putIfAbsent(k, b, o),
      put: async (key, body, options) => {
        if (!died && pattern.test(key)) {
          died = true;
          throw new Error('killed');
        }
        return lake.put(key, body, options);
      },
      copy: async (from, to) => {
        if (!died && pattern.test(to)) {
          died = true;
          throw new Error('killed');
        }
        return lake.copy(from, to);
      },
    };
  };

  it('before its manifest leaves nothing a query reads, and the next run of the file cleans up', async () => {
    const text = CHAT_HEADER + chats(0, 100) + '\n';
    const dying = { ...deps, lake: dyingAt(deps.lake, /^manifests\/.*\/chat--[^.]+\.csv-[0-9a-f]{10}\.json$/) };
    await expect(ingestFile(dying, { config: cspulseConfig, sourceId: 'chat', file: 'day.csv', body: bytes(text, 4096) })).rejects.toThrow('killed');
    // the version objects are there, but nothing a query reads, and no manifest
    expect((await keys(deps.lake, 'versions/')).length).toBe(1);
    expect(await lakeRows(`SELECT count(*) AS n FROM contacts`)).toEqual([{ n: 0 }]);
    expect(await readdir(join(dir, 'work'))).toEqual([]);
    // the re-run removes what the dead run left and publishes
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'day.csv', body: bytes(text, 4096) });
    expect(m.rows_written).toBe(100);
    expect(await keys(deps.lake, 'versions/')).toEqual([m.partitions[0]!.version_key]);
    expect(await keys(deps.lake, 'manifests/')).toEqual([lakeKeys.manifest('acme', 'chat', m.file_id)]);
  });

  it('after its manifest is completed by the next run of the file', async () => {
    const text = CHAT_HEADER + chats(0, 100) + '\n';
    const dying = { ...deps, lake: dyingAt(deps.lake, /^contacts\//) };
    await expect(ingestFile(dying, { config: cspulseConfig, sourceId: 'chat', file: 'day.csv', body: bytes(text, 4096) })).rejects.toThrow('killed');
    expect(await lakeRows(`SELECT count(*) AS n FROM contacts`)).toEqual([{ n: 0 }]);
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'day.csv', body: bytes(text, 4096) });
    expect(m).toMatchObject({ rows_written: 100, duplicates_dropped: 0 });
    expect(await lakeRows(`SELECT count(*) AS n FROM contacts`)).toEqual([{ n: 100 }]);
    expect(await keys(deps.lake, 'versions/')).toEqual([m.partitions[0]!.version_key]);
  });
});

describe('values out of range are quarantined, not crashed on', () => {
  it('an epoch_ms answered_at past the year 9999, a time before 1970, an unknown outcome (issue 12.3 and 12.10)', async () => {
    const at = Date.UTC(2026, 2, 2, 1, 0);
    const text = `${CHAT_HEADER}A,${at},99999999999999999,ok,x\nB,${at},${at + 1000},ok,x\nC,-86400000,,ok,x\nD,${at},,maybe,x\n`;
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'odd.csv', body: bytes(text) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 1, rows_quarantined: 3 });
    const quarantine = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine.map((q) => [q.line, q.field, q.reason])).toEqual([
      [2, 'answered_at', 'column answered value "99999999999999999" is not epoch_ms (milliseconds since 1970)'],
      [4, 'arrived_at', '1969-12-31T00:00:00.000Z is before 1970: not a contact time (check the date format, or year_offset)'],
      [5, 'outcome', 'column status value "maybe" is not in the map ("ok", "gone")'],
    ]);
    expect(await readdir(join(dir, 'work'))).toEqual([]);
  });
});

describe('every record comes out as a row or a rejection', () => {
  it('a short last row is quarantined wherever the engine splits its scan (found by ingest-fuzz.test.ts)', async () => {
    // DuckDB's parallel CSV scan dropped a record of the wrong width that starts near a scan boundary: neither
    // read nor in reject_errors, so the run stopped with a bookkeeping error. Its ranges are about one
    // max_line_size long (here 512 + 64 bytes: 8 rows of about 73 bytes); files of 9 to 16 rows put the short last
    // row at every offset within one range. Hand count: n rows, the last with 4 fields instead of 5.
    for (let n = 9; n <= 16; n++) {
      const rows = chats(100 * n, n, 'x'.repeat(30)).split('\n');
      rows[n - 1] = rows[n - 1]!.replace(/,[^,]*$/, '');
      const m = await ingestFile({ ...deps, limits: { maxRecordBytes: 512 } }, { config: cspulseConfig, sourceId: 'chat', file: `short-${n}.csv`, body: bytes(`${CHAT_HEADER}${rows.join('\n')}\n`, 64) });
      expect(m, `${n} rows`).toMatchObject({ status: 'ok', rows_read: n, rows_written: n - 1, rows_quarantined: 1 });
      const [q] = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect([q.line, q.field, q.reason]).toEqual([n + 1, '(row)', 'expected 5 fields, found 4']);
    }
  });
});

describe('text longer than its column allows', () => {
  it('a 201-character category quarantines its row, with the length and the limit but not the value; the others are written', async () => {
    const at = Date.UTC(2026, 2, 2, 1, 0);
    const chat = (id: string, topic: string) => `${id},${at},${at + 30_000},ok,${topic}`;
    // hand count: 4 rows; L2's topic is 201 characters (one over the 200 of a category); L3's 200 Hangul
    // syllables are 600 bytes but 200 characters: 3 written, 1 quarantined
    const text = `${CHAT_HEADER}${[chat('L1', 'c'.repeat(200)), chat('L2', 'c'.repeat(201)), chat('L3', '배'.repeat(200)), chat('L4', 'delivery')].join('\n')}\n`;
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'chat', file: 'long.csv', body: bytes(text) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 3, rows_quarantined: 1, duplicates_dropped: 0 });
    const [q, ...more] = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(more).toEqual([]);
    expect([q.line, q.field, q.reason]).toEqual([3, 'category', 'column topic: 201 characters, more than the 200 allowed for category']);
    expect((await lakeRows(`SELECT contact_id, length(category) AS n FROM contacts ORDER BY contact_id`)).map((r) => [r.contact_id, r.n])).toEqual([
      ['L1', 200],
      ['L3', 200],
      ['L4', 8],
    ]);
  });
});
