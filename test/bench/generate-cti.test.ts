import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbBaseline } from '../../bench/duckdb-baseline.ts';
import { ctiLines, generateCtiExport, type CtiExportStats } from '../../bench/generate-cti.ts';
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { ingestFile } from '../../functions/core/ingest/ingest-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-generate-cti-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { rows: 1000, seed: 42, startDate: '2026-03-01', days: 3 };

// the columns clients/example.yaml's `cti` source maps, in the CTI's order
const HEADER = '콜ID,발신번호,큐,상담유형,상세유형,상담원ID,인입일자,인입시각,IVR시간,대기시간,통화시간,보류시간,후처리시간,처리결과,호전환';

describe('generateCtiExport', () => {
  it('writes a CP949 CSV with the example client header, the asked rows and 똠 intact', async () => {
    const path = join(dir, 'cti.csv');
    const { bytes } = await generateCtiExport(path, options);
    const raw = await readFile(path);
    expect(bytes).toBe(raw.length);

    // 똠 is CP949 0x8C63 (an extended syllable, absent from EUC-KR's KS X 1001 set)
    expect(iconv.encode('똠', 'cp949')).toEqual(Buffer.from([0x8c, 0x63]));
    expect(raw.includes(Buffer.from([0x8c, 0x63]))).toBe(true);
    // not UTF-8: 똠 in UTF-8 is EB 98 A0
    expect(raw.includes(Buffer.from([0xeb, 0x98, 0xa0]))).toBe(false);

    const text = iconv.decode(raw, 'cp949');
    expect(text.includes('\uFFFD')).toBe(false);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(HEADER);
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows).toHaveLength(1000);
    expect(rows.every((r) => r.length === 15)).toBe(true);
    expect(rows.some((r) => r[4]!.includes('똠'))).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(1000);

    // 1000 rows over 3 days: floor(1000·d/3) boundaries give 333, 333, 334
    const perDay = new Map<string, number>();
    for (const r of rows) perDay.set(r[6]!, (perDay.get(r[6]!) ?? 0) + 1);
    expect([...perDay]).toEqual([
      ['20260301', 333],
      ['20260302', 333],
      ['20260303', 334],
    ]);
    for (const r of rows) {
      expect(r[7]).toMatch(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
      expect(r[9]).toMatch(/^\d+:[0-5]\d:[0-5]\d$/);
      expect(['응대', '포기', '콜백', 'ARS종료', '테스트']).toContain(r[13]);
      expect(['Y', 'N']).toContain(r[14]);
      // an agent exactly on answered calls, as the example mapping's null_values [""] expects
      expect(r[5] !== '').toBe(r[13] === '응대');
    }
    // within a day the calls are in time order
    const day1 = rows.filter((r) => r[6] === '20260301').map((r) => r[7]!);
    expect([...day1].sort()).toEqual(day1);
  });

  it('is deterministic for a seed and differs for another', async () => {
    const hash = async (seed: number, name: string): Promise<string> => {
      const path = join(dir, name);
      await generateCtiExport(path, { ...options, seed });
      return createHash('sha256').update(await readFile(path)).digest('hex');
    };
    const first = await hash(7, 'a.csv');
    expect(await hash(7, 'b.csv')).toBe(first);
    expect(await hash(8, 'c.csv')).not.toBe(first);
  });

  it('writes the same rows in UTF-8 on request', async () => {
    const cp949 = join(dir, 'same-cp949.csv');
    const utf8 = join(dir, 'same-utf8.csv');
    await generateCtiExport(cp949, options);
    await generateCtiExport(utf8, { ...options, encoding: 'utf-8' });
    expect((await readFile(utf8, 'utf8'))).toBe(iconv.decode(await readFile(cp949), 'cp949'));
  });
});

describe('the realistic export', () => {
  const realistic = { rows: 3000, seed: 11, startDate: '2026-03-02', days: 2, repeatShare: 0.3, malformedShare: 0.01 };

  it('repeats a caller on about 30 % of rows', () => {
    const rows = [...ctiLines(realistic)].slice(1).map((l) => l.split(','));
    const seen = new Set<string>();
    let repeats = 0;
    let withNumber = 0;
    for (const r of rows) {
      // a mobile number is written in several styles (010-…, +82-10-…): compare what follows the 10 or the 02
      const digits = r[1]!.replace(/\D/g, '');
      const phone = digits.startsWith('02') ? digits : digits.slice(-8);
      if (phone === '') continue;
      withNumber++;
      if (seen.has(phone)) repeats++;
      seen.add(phone);
    }
    expect(repeats / withNumber).toBeGreaterThan(0.27);
    expect(repeats / withNumber).toBeLessThan(0.33);
  });

  it('leaves the default export as it was: the options draw no random numbers unless set', () => {
    const plain = [...ctiLines(options)];
    expect([...ctiLines({ ...options, repeatShare: undefined, malformedShare: undefined })]).toEqual(plain);
    expect([...ctiLines({ ...options, malformedShare: 0.5 })]).not.toEqual(plain);
  });

  it('has malformed rows the example client quarantines one for one, and only those', async () => {
    const path = join(dir, 'realistic.csv');
    const stats: CtiExportStats = await generateCtiExport(path, realistic);
    expect(stats.rows).toBe(3000);
    expect(stats.malformed).toBeGreaterThan(10);
    const config = parseClientConfig(await readFile('clients/example.yaml', 'utf8'), 'clients/example.yaml');
    const manifest = await ingestFile(
      {
        lake: createFolderStore(join(dir, 'realistic-lake')),
        quarantine: createFolderStore(join(dir, 'realistic-quarantine')),
        customerKeySecret: 'test-secret-0123456789abcdef',
        openWorkspace: openDuckDbWorkspace,
        clock: { now: () => new Date('2026-03-10T00:00:00Z') },
        workDir: join(dir, 'realistic-work'),
      },
      { config, sourceId: 'cti', file: 'realistic.csv', body: createReadStream(path) },
    );
    expect(manifest).toMatchObject({ status: 'ok', rows_read: 3000, rows_quarantined: stats.malformed, duplicates_dropped: 0 });
    expect(manifest.rows_written).toBe(3000 - stats.malformed);
  });
});

describe('duckdbBaseline', () => {
  it('converts the rows to Parquet, falling back to the UTF-8 copy when DuckDB cannot decode CP949', async () => {
    const cp949 = join(dir, 'base-cp949.csv');
    const utf8 = join(dir, 'base-utf8.csv');
    await generateCtiExport(cp949, options);
    await generateCtiExport(utf8, { ...options, encoding: 'utf-8' });
    const result = await duckdbBaseline(cp949, join(dir, 'out.parquet'), { utf8CopyPath: utf8 });
    expect(result.rows).toBe(1000);
    expect(result.ms).toBeGreaterThan(0);
    expect(result.note).toMatch(/^DuckDB v\d/);
    // the installed DuckDB has no encodings extension, so the note must say the UTF-8 copy was converted
    expect(result.note).toContain('converted a UTF-8 copy of the same rows');
    await expect(duckdbBaseline(cp949, join(dir, 'out2.parquet'))).rejects.toThrow(/cannot decode CP949/);
  });

  it('reads the typed columns back as the CSV wrote them', async () => {
    const utf8 = join(dir, 'typed-utf8.csv');
    const out = join(dir, 'typed.parquet');
    await generateCtiExport(utf8, { ...options, rows: 30, days: 1, encoding: 'utf-8' });
    await duckdbBaseline(utf8, out, { sourceEncoding: 'utf-8' });
    const first = (await readFile(utf8, 'utf8')).split('\r\n')[1]!.split(',');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        `select contact_id, strftime(arrived_local, '%Y%m%d %H:%M:%S'), wait_seconds from read_parquet('${out}') limit 1`,
      )
    ).getRows();
    connection.closeSync();
    instance.closeSync();
    const [h, m, s] = first[9]!.split(':').map(Number);
    expect(rows).toEqual([[first[0], `${first[6]} ${first[7]}`, h! * 3600 + m! * 60 + s!]]);
  });
});
