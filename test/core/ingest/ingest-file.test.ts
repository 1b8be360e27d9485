import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { customerHasher } from '../../../functions/core/ingest/customer-key.ts';
import { ingestFile, type IngestDeps } from '../../../functions/core/ingest/ingest-file.ts';
import { lakeKeys } from '../../../functions/core/ingest/manifest.ts';
import { readParquetRows } from '../../../functions/core/lake/parquet-reader.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';

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
    hashCustomer: customerHasher(SECRET),
    clock: { now: () => NOW },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Korean headers, UTF-8 with BOM. Worked out by hand:
// line 2 C1 phone 09:00 KST → dt 2026-03-02, hour 9, handle 100+10+20 = 130
// line 3 C2 chat 16:30Z → 01:30 KST on 2026-03-02, hour 1; same customer as C1 (+82 form)
// line 4 C3 outcome 모름 is not a known outcome → quarantined (field outcome)
// line 5 C1 again → duplicate
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
    expect(m).toMatchObject({ status: 'ok', rows_read: 6, rows_written: 2, rows_quarantined: 3, duplicates_dropped: 1 });
    expect(m.partitions.map((p) => [p.dt, p.rows])).toEqual([['2026-03-02', 2]]);

    const key = m.partitions[0]!.object_key;
    expect(key).toMatch(/^contacts\/client_id=acme\/dt=2026-03-02\/cti--day1\.csv-[0-9a-f]{10}\.parquet$/);
    const rows = await readParquetRows(await deps.lake.get(key));
    expect(rows.map((r) => [r.contact_id, r.channel, r.outcome, r.local_hour, r.handle_seconds])).toEqual([
      ['C1', 'phone', 'answered', 9, 130],
      ['C2', 'chat', 'abandoned', 1, null],
    ]);
    expect(rows[0]!.customer_key).toBe(rows[1]!.customer_key);
    expect(rows[0]!.customer_key).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.source_file).toBe('day1.csv');

    const quarantine = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine.map((q) => [q.line, q.field])).toEqual([
      [4, 'outcome'],
      [6, 'arrived_at'],
      [7, '(row)'],
    ]);
    expect(quarantine[0].file).toBe('exports/day1.csv');
    expect(quarantine[2].reason).toBe('expected 10 fields, found 3');
  });

  it('never writes a raw phone number to the lake', async () => {
    const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const parquet = Buffer.from(await deps.lake.get(m.partitions[0]!.object_key));
    for (const needle of ['1234-5678', '12345678', '1012345678']) expect(parquet.includes(needle)).toBe(false);
  });

  it('replaces its own objects when the same file is ingested again', async () => {
    const first = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const before = await keys(deps.lake);
    const again = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    expect(await keys(deps.lake)).toEqual(before);
    expect(again.rows_written).toBe(first.rows_written);
    expect(again.duplicates_dropped).toBe(1);
  });

  it('drops every contact of a redelivery under another file name as a duplicate', async () => {
    await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1.csv', body: bytes(KOREAN_CSV) });
    const redelivered = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file: 'day1 (1).csv', body: bytes(KOREAN_CSV) });
    // C1, C2 are in the lake already, the second C1 is a duplicate within the file: 3 duplicates
    expect(redelivered).toMatchObject({ rows_read: 6, rows_written: 0, rows_quarantined: 3, duplicates_dropped: 3 });
    expect(redelivered.partitions).toEqual([]);
    expect((await keys(deps.lake, 'contacts/')).length).toBe(1);
  });

  it('records rejected files in a manifest and writes no data', async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['empty.csv', '', /empty/],
      ['wrong.csv', 'a,b,c\n1,2,3\n', /missing contact_id/],
      ['garbage.bin', new Uint8Array(3000).map((_, i) => (i * 7919 + 13) % 256), /not valid UTF-8/],
    ];
    for (const [file, content, reason] of cases) {
      const m = await ingestFile(deps, { config: cspulseConfig, sourceId: 'cti', file, body: bytes(content, 512) });
      expect(m.status, file).toBe('rejected');
      expect(m.error, file).toMatch(reason);
      expect(m.rows_read).toBe(0);
      const stored = JSON.parse(Buffer.from(await deps.lake.get(lakeKeys.manifest('acme', 'cti', m.file_id))).toString());
      expect(stored.status).toBe('rejected');
    }
    expect(await keys(deps.lake, 'contacts/')).toEqual([]);
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
    const rows = await readParquetRows(await deps.lake.get(m.partitions[0]!.object_key));
    expect(rows.map((r) => [r.survey_id, r.survey_type, r.score, r.scale_min, r.scale_max])).toEqual([
      ['S1', 'csat', 5, 1, 5],
      ['S2', 'nps', 9, 0, 10],
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
    const rows = await readParquetRows(await deps.lake.get(m.partitions[0]!.object_key));
    const first = rows[0]!;
    // 00:10:05 KST on 2 March = 15:10:05Z on 1 March
    expect((first.arrived_at as Date).toISOString()).toBe('2026-03-01T15:10:05.000Z');
    expect(first).toMatchObject({ subcategory: '똠방각하 배송지연', wait_seconds: 35, handle_seconds: 225, local_hour: 0 });
    expect(rows[1]).toMatchObject({ outcome: 'abandoned', wait_seconds: 125, customer_key: null, agent_id: null, local_hour: 23 });
    expect(rows[2]!.outcome).toBe('excluded');
  });
});
