/**
 * The baseline the ingest benchmark compares with: DuckDB reading the CTI export with read_csv and writing
 * Parquet with COPY TO, in one statement, on all cores. It does the light typing our ingest also does
 * (date + time to a timestamp, H:MM:SS to seconds) but none of the rest (validation, hashing, dedupe, quarantine):
 * a row its reader cannot type is skipped (`ignore_errors`), a value it cannot convert becomes NULL.
 *
 * DuckDB's CSV reader decodes only UTF-8, UTF-16 and Latin-1 itself; CP949 needs the `encodings` extension,
 * which is downloaded on demand and cannot be here. So when the source is CP949 the baseline first asks the
 * installed DuckDB (a tiny probe file), and when it cannot decode CP949 it converts a UTF-8 copy of the same
 * rows (bench/generate-cti.ts with encoding utf-8 and the same seed writes it) and says so in `note`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

const COLUMNS = `{
  '콜ID': 'VARCHAR', '발신번호': 'VARCHAR', '큐': 'VARCHAR', '상담유형': 'VARCHAR', '상세유형': 'VARCHAR',
  '상담원ID': 'VARCHAR', '인입일자': 'VARCHAR', '인입시각': 'VARCHAR', 'IVR시간': 'INTEGER', '대기시간': 'VARCHAR',
  '통화시간': 'INTEGER', '보류시간': 'INTEGER', '후처리시간': 'INTEGER', '처리결과': 'VARCHAR', '호전환': 'VARCHAR'
}`;

function copySql(csvPath: string, outParquet: string, encoding: string): string {
  return `copy (
    select
      "콜ID" as contact_id,
      "발신번호" as customer,
      "큐" as queue,
      "상담유형" as category,
      "상세유형" as subcategory,
      nullif("상담원ID", '') as agent_id,
      try_strptime("인입일자" || ' ' || "인입시각", '%Y%m%d %H:%M:%S') as arrived_local,
      "IVR시간" as ivr_seconds,
      3600 * try_cast(split_part("대기시간", ':', 1) as integer)
        + 60 * try_cast(split_part("대기시간", ':', 2) as integer)
        + try_cast(split_part("대기시간", ':', 3) as integer) as wait_seconds,
      "통화시간" as talk_seconds,
      "보류시간" as hold_seconds,
      "후처리시간" as acw_seconds,
      "처리결과" as outcome,
      "호전환" = 'Y' as is_transferred
    from read_csv(${sqlString(csvPath)}, header = true, delim = ',', encoding = ${sqlString(encoding)},
                  columns = ${COLUMNS}, ignore_errors = true)
  ) to ${sqlString(outParquet)} (format parquet, compression zstd)`;
}

/** Whether this DuckDB decodes CP949 in read_csv (it does once the encodings extension is loaded). */
export async function duckdbReadsCp949(connection: DuckDBConnection): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'cspulse-cp949-probe-'));
  try {
    const probe = join(dir, 'probe.csv');
    await writeFile(probe, iconv.encode('a\r\n똠\r\n', 'cp949'));
    const reader = await connection.runAndReadAll(
      `select a from read_csv(${sqlString(probe)}, header = true, encoding = 'cp949')`,
    );
    return reader.getRows()[0]?.[0] === '똠';
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface DuckdbBaselineOptions {
  /** encoding of csvPath; cp949 by default, as the CTI writes it */
  sourceEncoding?: 'cp949' | 'utf-8';
  /** the same rows in UTF-8, converted instead when DuckDB cannot decode CP949 */
  utf8CopyPath?: string;
}

/**
 * Converts the export to Parquet and measures the wall time of that conversion only (not the probe, not
 * writing the UTF-8 copy). `rows` is read back from the Parquet file after the clock stops.
 */
export async function duckdbBaseline(
  csvPath: string,
  outParquet: string,
  options: DuckdbBaselineOptions = {},
): Promise<{ ms: number; rows: number; note: string }> {
  const sourceEncoding = options.sourceEncoding ?? 'cp949';
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const threads = (await connection.runAndReadAll(`select current_setting('threads')`)).getRows()[0]?.[0];
    const version = (await connection.runAndReadAll('select version()')).getRows()[0]?.[0];
    let input = csvPath;
    let encoding: string = sourceEncoding;
    let note = `DuckDB ${String(version)} read_csv + COPY TO parquet (zstd), ${String(threads)} threads`;
    if (sourceEncoding === 'cp949' && !(await duckdbReadsCp949(connection))) {
      if (options.utf8CopyPath === undefined) {
        throw new Error(
          'this DuckDB cannot decode CP949 (no encodings extension) and no UTF-8 copy of the rows was given',
        );
      }
      input = options.utf8CopyPath;
      encoding = 'utf-8';
      note +=
        '; converted a UTF-8 copy of the same rows: this DuckDB cannot decode CP949 without its encodings ' +
        'extension, which cannot be downloaded here, so the baseline skips the CP949 decoding our ingest does';
    }
    const started = performance.now();
    await connection.run(copySql(input, outParquet, encoding));
    const ms = performance.now() - started;
    const counted = (
      await connection.runAndReadAll(`select count(*) from read_parquet(${sqlString(outParquet)})`)
    ).getRows()[0]?.[0];
    return { ms, rows: Number(counted), note };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
