/**
 * The mapping stage for a batch of files of one source: the record files of every file whose compiled mapping
 * is the same (the same header, so the same SELECT) are typed, validated and dated in one statement, instead
 * of one statement per file. Each staged row's `__line` carries its file: k × LINE_BASE + the source line, so
 * everything after this stage can count and decide per file with plain arithmetic on one relation.
 *
 * What a file gets is what ingesting it alone would give: the same mapping over the same records, the same
 * reader rejections (DuckDB's reject tables name the file of each rejected line), the same recount. A group
 * whose statement fails on one file's content is staged again file by file, so only that file is rejected;
 * a file whose rows do not add up after the parallel scan is staged again in one sequential scan, as
 * ingest-file.ts does, and rejected if it still does not add up. Sources with call legs group the legs of
 * each file on its own (assembly/group-legs.ts), since a call never spans two files.
 */
import { WorkspaceError, type SqlWorkspace } from '../../ports.ts';
import { groupLegs } from '../assembly/group-legs.ts';
import { capped, REASON_LIMIT, withoutValues } from '../ingest-file.ts';
import { readRecordsSql } from '../mapping/record-relation.ts';
import { sqlString } from '../mapping/sql-text.ts';
import type { RecordSet } from '../records/read-records.ts';
import { FileRejectedError } from '../types.ts';

/** Lines of one file stay below this (a 4 GiB file has fewer); k × LINE_BASE stays exact in a double for k < 8,192. */
export const LINE_BASE = 2 ** 40;
export const MAX_BATCH_FILES = 8_191;
/** Record files one mapping statement reads at most. */
const FILES_PER_STATEMENT = 64;

/** SQL: the batch index of the file a staged `__line` belongs to, and its line in that file. */
export const fileOfLine = (line: string): string => `(${line} // ${LINE_BASE})`;
export const lineInFile = (line: string): string => `(${line} % ${LINE_BASE})`;

export interface BatchRecords {
  /** 1-based index of the file in the batch */
  k: number;
  file: string;
  records: RecordSet;
  /** the latest plausible time of the file's rows (epoch ms): its ingest time plus the tolerance */
  latestMs: number;
}

export interface StagedBatch {
  /** every staged row of the files that were staged, `__line` = k × LINE_BASE + line */
  relation: string;
  /** files whose content the engine could not stage, by k */
  rejected: Map<number, FileRejectedError>;
  /** sources with call legs: leg rows folded into another leg's contact, by k */
  legsGrouped: Map<number, number>;
}

interface Group {
  files: BatchRecords[];
  /** true: the rows' `__line` is encoded while staging; false (a legs file): after its legs are grouped */
  encode: boolean;
}

type GroupResult = { ok: true; rejected: Map<number, FileRejectedError> } | { ok: false; error: WorkspaceError };

/** The record files of a batch, staged into Parquet files under `dir` (the batch's staging folder). */
export async function stageBatch(ws: SqlWorkspace, files: readonly BatchRecords[], dir: string, maxRecordBytes: number): Promise<StagedBatch> {
  await ws.run(`CREATE OR REPLACE TABLE batch_files_text (k VARCHAR, path VARCHAR, latest_ms VARCHAR)`);
  await ws.appendText('batch_files_text', files.map((f) => [String(f.k), f.records.path, String(f.latestMs)]));
  await ws.run(
    `CREATE OR REPLACE TABLE batch_files AS SELECT CAST(k AS INTEGER) AS k, path, CAST(k AS BIGINT) * ${LINE_BASE} AS base, ` +
      `CAST(latest_ms AS BIGINT) AS latest_ms FROM batch_files_text`,
  );

  const groups = new Map<string, Group>();
  for (const f of files) {
    const { records } = f;
    const key = records.mapping.legs === undefined ? `${records.width}\0${records.delimiter}\0${records.mapping.select}` : `legs\0${f.k}`;
    const group = groups.get(key) ?? { files: [], encode: records.mapping.legs === undefined };
    group.files.push(f);
    groups.set(key, group);
  }
  // a scan of many files holds a reader buffer per file it has open: groups stay a few dozen files each
  const statements = [...groups.values()].flatMap((g) =>
    Array.from({ length: Math.ceil(g.files.length / FILES_PER_STATEMENT) }, (_, i) => ({ ...g, files: g.files.slice(i * FILES_PER_STATEMENT, (i + 1) * FILES_PER_STATEMENT) })),
  );
  const rejected = new Map<number, FileRejectedError>();
  const legsGrouped = new Map<number, number>();
  const parts: string[] = [];
  const queue = statements;
  let n = 0;
  while (queue.length > 0) {
    const group = queue.shift()!;
    const out = `${dir}/staged-${n++}.parquet`;
    const result = await stageGroup(ws, group, out, maxRecordBytes);
    if (!result.ok) {
      if (group.files.length > 1) {
        // one file's content (or the engine's memory) broke the statement: each half again, down to the one
        // file that breaks it alone, which is rejected as it would be alone
        const half = Math.ceil(group.files.length / 2);
        queue.unshift({ ...group, files: group.files.slice(0, half) }, { ...group, files: group.files.slice(half) });
        continue;
      }
      const f = group.files[0]!;
      rejected.set(f.k, new FileRejectedError(f.file, `the file could not be read: ${capped(withoutValues(result.error.message), REASON_LIMIT)}`, { cause: result.error }));
      continue;
    }
    for (const [k, error] of result.rejected) rejected.set(k, error);
    if (group.encode) {
      parts.push(`SELECT * FROM read_parquet(${sqlString(out)})`);
      continue;
    }
    const f = group.files[0]!;
    if (rejected.has(f.k)) continue;
    const contacts = `${dir}/contacts-${f.k}.parquet`;
    legsGrouped.set(f.k, await groupLegs(ws, f.records.mapping.legs!, `read_parquet(${sqlString(out)})`, contacts));
    parts.push(`SELECT * REPLACE (__line + ${f.k * LINE_BASE} AS __line) FROM read_parquet(${sqlString(contacts)})`);
  }
  const skip = rejected.size === 0 ? '' : ` WHERE ${fileOfLine('__line')} NOT IN (${[...rejected.keys()].join(', ')})`;
  const union = parts.length === 0 ? `SELECT CAST(NULL AS BIGINT) AS __line, CAST(NULL AS VARCHAR) AS __field WHERE FALSE` : parts.join(' UNION ALL BY NAME ');
  return { relation: `(SELECT * FROM (${union})${skip})`, rejected, legsGrouped };
}

/**
 * The `records` view the compiled mapping reads, over the group's record files, with each record's file's
 * latest plausible time as `__latest_ms` (the batch compiles its mappings with that column as `latestMs`).
 */
function recordsView(group: Group, maxRecordBytes: number, parallel: boolean): string {
  const first = group.files[0]!;
  const trim = group.files.every((f) => f.records.trimmed === 0) ? ', FALSE AS __trim' : '';
  const paths = group.files.map((f) => f.records.path);
  const read = readRecordsSql({ path: paths.length === 1 ? paths[0]! : paths, width: first.records.width, delimiter: first.records.delimiter, maxRecordBytes, parallel });
  const latest = `CAST(${first.latestMs} AS BIGINT) AS __latest_ms`;
  if (!group.encode) return `SELECT *${trim ? ` REPLACE (${trim.slice(2)})` : ''}, ${latest} FROM ${read}`;
  if (paths.length === 1) return `SELECT * REPLACE (__line + ${first.k * LINE_BASE} AS __line${trim}), ${latest} FROM ${read}`;
  return (
    `SELECT r.* EXCLUDE (filename) REPLACE (r.__line + b.base AS __line${trim}), b.latest_ms AS __latest_ms ` +
    `FROM ${read} r JOIN batch_files b ON r.filename = b.path`
  );
}

/** Reader rejections of the group's files: the reject tables name each rejected line's file. */
const groupRejects = (group: Group): string =>
  `FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN batch_files b ON b.path = s.file_path ` +
  `WHERE b.k IN (${group.files.map((f) => f.k).join(', ')})`;

async function clearRejects(ws: SqlWorkspace, group: Group): Promise<void> {
  // the reject tables exist once a scan has stored into them
  const [exists] = await ws.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'reject_errors'`);
  if (Number(exists?.n ?? 0) === 0) return;
  const paths = group.files.map((f) => sqlString(f.records.path)).join(', ');
  await ws.run(
    `DELETE FROM reject_errors e WHERE EXISTS (SELECT 1 FROM reject_scans s WHERE s.scan_id = e.scan_id AND s.file_id = e.file_id AND s.file_path IN (${paths}))`,
  );
}

/**
 * Stages one group into `out`. Every record of every file must come out as a staged row or a reader rejection
 * (see ingest-file.ts stageRecords for why the parallel scan is checked); files that still do not add up in a
 * sequential scan are rejected.
 */
async function stageGroup(ws: SqlWorkspace, group: Group, out: string, maxRecordBytes: number): Promise<GroupResult> {
  const fileOfRow = group.encode ? fileOfLine('__line') : String(group.files[0]!.k);
  for (const parallel of [true, false]) {
    await ws.run(`CREATE OR REPLACE VIEW records AS ${recordsView(group, maxRecordBytes, parallel)}`);
    try {
      await ws.run(`COPY (${group.files[0]!.records.mapping.select}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)`);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      await clearRejects(ws, group);
      return { ok: false, error };
    }
    const counts = await ws.query(
      `SELECT k, sum(n) AS n FROM (SELECT ${fileOfRow} AS k, count(*) AS n FROM read_parquet(${sqlString(out)}) GROUP BY ALL ` +
        `UNION ALL SELECT b.k, count(DISTINCT e.line) AS n ${groupRejects(group)} GROUP BY ALL) GROUP BY k`,
    );
    const accounted = new Map(counts.map((r) => [Number(r.k), Number(r.n)]));
    const short = group.files.filter((f) => (accounted.get(f.k) ?? 0) !== f.records.records);
    if (short.length === 0) return { ok: true, rejected: new Map() };
    if (!parallel) {
      // never publish a file whose rows do not add up: the whole file goes to quarantine instead
      const rejected = new Map(
        short.map((f) => [
          f.k,
          new FileRejectedError(f.file, `the file could not be read completely: ${f.records.records} records, ${accounted.get(f.k) ?? 0} staged or rejected`),
        ]),
      );
      return { ok: true, rejected };
    }
    // the sequential scan's rejections replace those of the parallel one
    await clearRejects(ws, group);
  }
  return { ok: true, rejected: new Map() };
}

/** SQL of the reader rejections of one file of the batch (reject_errors rows), for its quarantine. */
export const readerRejectsOf = (k: number): string =>
  `FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN batch_files b ON b.path = s.file_path WHERE b.k = ${k}`;
