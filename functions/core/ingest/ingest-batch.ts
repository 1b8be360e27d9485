/**
 * Many files of one client source in one pass: a folder, a list, a backfill. The files share one engine, one
 * mapping statement per header (batch/stage-batch.ts), one decision of the newest copies
 * (batch/newest-copies-sql.ts) and one rewrite of each business date, instead of paying each of those once
 * per file; what a file costs on its own is then its records stage and its own objects.
 *
 * The lake it leaves is the lake ingesting the files one after the other, in the order given, would leave:
 * every file keeps its own manifest (with the counts it would have had at its turn), version objects,
 * quarantine and coverage entries; a file rejected whole is rejected alone; the newest-copy rule decides as it
 * would have file by file. Where the batch cannot be decided at once it is not: a file the lake already holds
 * a delivery of (a redelivery replaces that delivery's rows, docs/ingest.md) and the same file twice in one
 * batch are ingested on their own at their turn, and a batch whose copies reach past a file's window is
 * ingested file by file (ingest-file.ts), reading its files again.
 *
 * Publishing keeps the per-file order of ingest-file.ts, phase by phase over the batch: pending markers,
 * version objects, quarantines, manifests (each file's commit), the dates' objects, coverage, then the markers
 * are removed. A run killed part-way leaves what a killed one-by-one run leaves: files without a manifest are
 * cleaned up by their next delivery, files with one are completed by it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import type { IngestManifest, ManifestPartition } from './manifest.ts';
import { lakeKeys } from './manifest.ts';
import type { SqlWorkspace } from '../ports.ts';
import type { LakeTableName } from '../tables.ts';
import { lakeColumnsSql, lakeTableSql, otherCopiesSql } from './assembly-sql.ts';
import { fileOfLine, lineInFile, MAX_BATCH_FILES, readerRejectsOf, stageBatch, type BatchRecords } from './batch/stage-batch.ts';
import { rankedCopiesSql, REPLACED, windowMissesSql, WRITTEN } from './batch/newest-copies-sql.ts';
import { declaredFileDates } from './coverage.ts';
import { customerKeyScope } from './customer-key.ts';
import {
  coveredDates,
  DEFAULT_LIMITS,
  download,
  fileIdFor,
  FUTURE_TOLERANCE_MS,
  ingestFile,
  QUARANTINE_RAW_LIMIT,
  QuarantineFile,
  quarantineReasons,
  readJson,
  rejectFile,
  shiftDate,
  STAGING_PREFIX,
  sweepStaleStaging,
  UnknownSourceError,
  writeCoverageEntries,
  type Base,
  type IngestDeps,
  type IngestLimits,
  type PendingDelivery,
  type Rejections,
} from './ingest-file.ts';
import { createLakeRowTables } from './lake-row-tables.ts';
import { localDate } from './mapping/sql-mapping.ts';
import { sqlString } from './mapping/sql-text.ts';
import { readRecords, type RecordSet } from './records/read-records.ts';
import { FileRejectedError } from './types.ts';

export interface BatchFile {
  /** name of the input: its raw-store key or its path; it decides the object keys */
  file: string;
  /** the file's bytes; opened again when the batch falls back to ingesting file by file */
  open(): AsyncIterable<Uint8Array>;
  /** when the export arrived; default: when it is read, each file later than the one before */
  deliveredAt?: Date;
  /** the time this file's ingest is recorded at (manifest, coverage, the rows' ingested_at); default: now */
  recordedAt?: Date;
}

export interface BatchRequest {
  config: ClientConfig;
  sourceId: string;
  /** in delivery order: the order one-by-one ingestion would take them in */
  files: readonly BatchFile[];
}

/** Records read into one batch before it is cut: a backfill of large exports stays within the work folder. */
const BATCH_RECORDS = 2_000_000;
/** Store requests in flight at once while publishing. */
const PUBLISH_CONCURRENCY = 16;

/** Ingests the files in order; one manifest per file, in the order given. */
export async function ingestFiles(deps: IngestDeps, request: BatchRequest): Promise<IngestManifest[]> {
  const { config, sourceId } = request;
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new UnknownSourceError(config.id, sourceId, config.sources.map((s) => s.id));
  await mkdir(deps.workDir, { recursive: true });
  await sweepStaleStaging(deps.workDir);
  const manifests: IngestManifest[] = [];
  const files = request.files;
  let next = 0;
  while (next < files.length) {
    const segment = takeSegment(files, next, sourceId);
    const done = segment.length > 1 ? await ingestSegment(deps, config, source, segment) : { alone: 1 };
    if ('manifests' in done) {
      manifests.push(...done.manifests);
      next += done.manifests.length;
      continue;
    }
    for (const file of files.slice(next, next + done.alone)) manifests.push(await ingestAlone(deps, config, sourceId, file));
    next += done.alone;
  }
  return manifests;
}

/** Consecutive files from `start`, each file once (a file given twice starts the next segment). */
function takeSegment(files: readonly BatchFile[], start: number, sourceId: string): BatchFile[] {
  const seen = new Set<string>();
  const out: BatchFile[] = [];
  for (const file of files.slice(start, start + MAX_BATCH_FILES)) {
    const id = fileIdFor(sourceId, file.file);
    if (seen.has(id)) break;
    seen.add(id);
    out.push(file);
  }
  return out;
}

function ingestAlone(deps: IngestDeps, config: ClientConfig, sourceId: string, file: BatchFile): Promise<IngestManifest> {
  const at = file.recordedAt;
  const clock = at === undefined ? deps.clock : { now: () => at };
  return ingestFile({ ...deps, clock }, { config, sourceId, file: file.file, body: file.open(), ...(file.deliveredAt ? { deliveredAt: file.deliveredAt } : {}) });
}

type SegmentResult = { manifests: IngestManifest[] } | { alone: number };

/**
 * Ingests a prefix of the segment as one batch and returns its manifests, or says how many of its first files
 * are to be ingested on their own (a redelivery, or a batch that cannot be decided at once).
 */
async function ingestSegment(deps: IngestDeps, config: ClientConfig, source: SourceConfig, files: BatchFile[]): Promise<SegmentResult> {
  const ids = files.map((f) => fileIdFor(source.id, f.file));
  const staging = join(deps.workDir, `${STAGING_PREFIX}${process.pid}-${randomUUID()}`);
  await mkdir(join(staging, 'spill'), { recursive: true });
  const releaseFiles = await deps.locks?.acquire(ids.map((id) => `${config.id}/${source.id}/${id}`));
  let ws: SqlWorkspace | undefined;
  try {
    const previous = await Promise.all(ids.map((id) => readJson<IngestManifest>(deps.lake, lakeKeys.manifest(config.id, source.id, id))));
    const redelivery = previous.findIndex((p) => p?.status === 'ok');
    const count = redelivery === -1 ? files.length : redelivery;
    if (count < 2) return { alone: Math.max(count, 1) };
    const limits = { ...DEFAULT_LIMITS, ...deps.limits };
    ws = await deps.openWorkspace({ spillDir: join(staging, 'spill'), memoryLimitMb: limits.engineMemoryMb });
    const run = new BatchRun(deps, ws, config, source, staging, limits);
    return await run.ingest(files.slice(0, count), ids, previous);
  } finally {
    await ws?.close();
    await releaseFiles?.();
    await rm(staging, { recursive: true, force: true });
  }
}

/** One file of a batch as its records stage left it. */
interface BatchEntry {
  k: number;
  file: BatchFile;
  fileId: string;
  previous: IngestManifest | undefined;
  base: Base;
  deliveredAt: Date;
  recordedAt: Date | undefined;
  framing: QuarantineFile;
  records?: RecordSet;
  sha256?: string;
  rejected?: FileRejectedError;
}

/** What the batch writes, in its staging folder: version objects by file and date, date objects by key. */
interface LocalObjects {
  versions: Map<number, Map<string, string>>;
  dates: Map<string, string>;
  /** date objects that are one file's version object: date key → the file and date */
  copies: Map<string, { k: number; dt: string }>;
  deletes: string[];
}

/** What a staged file became, as one-by-one ingestion would have counted it. */
interface FileOutcome {
  written: Map<string, { rows: number; excluded: number }>;
  dates: string[];
  fresh: number;
  valid: number;
  replaced: number;
  quarantined: number;
  quarantinePath: string;
  rejections: Rejections;
  legsGrouped: number | undefined;
}

/** The work of one batch, on one workspace. */
class BatchRun {
  private readonly table: LakeTableName;
  private readonly id: string;

  constructor(
    private readonly deps: IngestDeps,
    private readonly ws: SqlWorkspace,
    private readonly config: ClientConfig,
    private readonly source: SourceConfig,
    private readonly staging: string,
    private readonly limits: IngestLimits,
  ) {
    this.table = source.table;
    this.id = this.table === 'contacts' ? 'contact_id' : 'survey_id';
  }

  private path(name: string): string {
    return join(this.staging, name);
  }

  async ingest(files: BatchFile[], ids: string[], previous: (IngestManifest | undefined)[]): Promise<SegmentResult> {
    const entries = await this.readAll(files, ids, previous);
    const good = entries.filter((e) => e.rejected === undefined);
    const staged = await stageBatch(
      this.ws,
      good.map((e) => ({ k: e.k, file: e.file.file, records: e.records!, latestMs: this.latestMs(e) }) satisfies BatchRecords),
      this.staging,
      this.limits.maxRecordBytes,
    );
    for (const [k, error] of staged.rejected) entries[k - 1]!.rejected = error;
    const live = entries.filter((e) => e.rejected === undefined);
    const outcomes = live.length === 0 ? new Map<number, FileOutcome>() : await this.assemble(live, staged.relation, staged.legsGrouped);
    const touched = [...new Set([...outcomes.values()].flatMap((o) => o.dates))];
    const window = [...new Set(touched.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].sort();
    const releaseDates = await this.deps.locks?.acquire(window.map((dt) => `${this.config.id}/${this.table}/${dt}`));
    try {
      if (live.length > 0) {
        await this.createWindows(outcomes);
        const lake = await this.loadLake(window);
        if (lake === 'legacy' || (await this.windowMisses(lake))) return { alone: entries.length };
        await this.decide(lake, outcomes);
      }
      return { manifests: await this.publish(entries, outcomes) };
    } finally {
      await releaseDates?.();
    }
  }

  private latestMs(e: BatchEntry): number {
    return Date.parse(e.base.started_at) + FUTURE_TOLERANCE_MS;
  }

  /** The records stage of each file, in order, until the batch holds BATCH_RECORDS records. */
  private async readAll(files: BatchFile[], ids: string[], previous: (IngestManifest | undefined)[]): Promise<BatchEntry[]> {
    const entries: BatchEntry[] = [];
    let records = 0;
    let lastDelivered = 0;
    for (const [i, file] of files.entries()) {
      const now = file.recordedAt ?? this.deps.clock.now();
      // one by one, each file is delivered after the one before: the newest-copy rule relies on that order
      const deliveredAt = file.deliveredAt ?? new Date(Math.max(now.getTime(), lastDelivered + 1));
      lastDelivered = deliveredAt.getTime();
      const entry: BatchEntry = {
        k: i + 1,
        file,
        fileId: ids[i]!,
        previous: previous[i],
        base: { client_id: this.config.id, source: this.source.id, table: this.table, file: file.file, file_id: ids[i]!, started_at: now.toISOString() },
        deliveredAt,
        recordedAt: file.recordedAt,
        framing: new QuarantineFile(this.path(`quarantine-records-${i + 1}.jsonl`), file.file),
      };
      await this.readOne(entry);
      entries.push(entry);
      records += entry.records?.records ?? 0;
      if (records >= BATCH_RECORDS) break;
    }
    return entries;
  }

  private async readOne(entry: BatchEntry): Promise<void> {
    const sha = createHash('sha256');
    let bytesRead = 0;
    const body = entry.file.open();
    async function* hashed(): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        sha.update(chunk);
        bytesRead += chunk.length;
        yield chunk;
      }
    }
    try {
      entry.records = await readRecords({
        source: this.source,
        table: this.table,
        file: entry.file.file,
        body: hashed(),
        clientZone: this.config.timezone,
        path: this.path(`records-${entry.k}.csv`),
        limits: {
          maxBytes: this.limits.maxBytes,
          ...(this.limits.maxBytesReason === undefined ? {} : { maxBytesReason: this.limits.maxBytesReason }),
          maxRecordBytes: this.limits.maxRecordBytes,
          deadline: Date.now() + this.limits.maxMs,
        },
        // each file's own latest plausible time, given per record by the staging view (batch/stage-batch.ts)
        compile: { latestMs: '__latest_ms', customerScope: this.table === 'contacts' ? customerKeyScope(this.config, this.source) : undefined },
        onReject: (r) => entry.framing.add(r),
      });
      if (bytesRead === 0) throw new FileRejectedError(entry.file.file, 'the file is empty (0 bytes)');
      entry.sha256 = sha.digest('hex');
    } catch (error) {
      if (!(error instanceof FileRejectedError)) throw error;
      entry.rejected = error;
    } finally {
      await entry.framing.close();
    }
  }

  /** Quarantine and lake rows of the staged files: the table `fresh` (each file's rows) and what each file holds. */
  private async assemble(live: BatchEntry[], staged: string, legsGrouped: Map<number, number>): Promise<Map<number, FileOutcome>> {
    const { ws } = this;
    const outcomes = new Map<number, FileOutcome>();
    const rejections = await this.collectRejections(live, staged);
    for (const e of live) {
      const rejected = rejections.get(e.k)!;
      outcomes.set(e.k, {
        written: new Map(),
        dates: [],
        fresh: 0,
        valid: 0,
        replaced: 0,
        quarantined: e.framing.count + rejected.sqlRejected,
        quarantinePath: this.path(`quarantine-${e.k}.jsonl`),
        rejections: rejected,
        legsGrouped: e.records!.mapping.legs === undefined ? undefined : (legsGrouped.get(e.k) ?? 0),
      });
    }
    await this.createFresh(live, staged);
    for (const r of await ws.query(`SELECT ${fileOfLine('__line')} AS k, count(*) AS n FROM ${staged} WHERE __field IS NULL GROUP BY ALL`)) {
      outcomes.get(Number(r.k))!.valid = Number(r.n);
    }
    for (const r of await ws.query(`SELECT __k AS k, count(*) AS n FROM fresh GROUP BY ALL`)) outcomes.get(Number(r.k))!.fresh = Number(r.n);
    // a file's dates are those of its valid rows, as one by one (ingest-file.ts freshDates)
    for (const r of await ws.query(`SELECT DISTINCT ${fileOfLine('__line')} AS k, dt FROM ${staged} WHERE __field IS NULL ORDER BY k, dt`)) {
      outcomes.get(Number(r.k))!.dates.push(String(r.dt));
    }
    return outcomes;
  }

  /**
   * Each file's rejected records in one JSON-lines file, ordered by line; per file, how many the SQL stage
   * rejected, on which business dates, and the most frequent reasons (as ingest-file.ts collectRejections).
   */
  private async collectRejections(live: BatchEntry[], staged: string): Promise<Map<number, Rejections>> {
    const { ws } = this;
    const counts = new Map<number, { reader: number; mapping: number }>();
    const count = (k: number) => counts.get(k) ?? counts.set(k, { reader: 0, mapping: 0 }).get(k)!;
    const ks = live.map((e) => e.k).join(', ');
    for (const r of await ws.query(
      `SELECT b.k AS k, count(DISTINCT e.line) AS n FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id ` +
        `JOIN batch_files b ON b.path = s.file_path WHERE b.k IN (${ks}) GROUP BY ALL`,
    )) {
      count(Number(r.k)).reader = Number(r.n);
    }
    for (const r of await ws.query(`SELECT ${fileOfLine('__line')} AS k, count(*) AS n FROM ${staged} WHERE __field IS NOT NULL GROUP BY ALL`)) {
      count(Number(r.k)).mapping = Number(r.n);
    }
    // a row rejected for another field than its time still says which day it belongs to
    const byDate = new Map<number, Map<string, number>>();
    const time = this.table === 'contacts' ? 'arrived_ms' : 'responded_ms';
    if ([...counts.values()].some((c) => c.mapping > 0)) {
      for (const r of await ws.query(
        `SELECT ${fileOfLine('__line')} AS k, ${localDate(this.config.timezone, time)} AS dt, count(*) AS n FROM ${staged} ` +
          `WHERE __field IS NOT NULL AND ${time} IS NOT NULL GROUP BY ALL`,
      )) {
        const dates = byDate.get(Number(r.k)) ?? byDate.set(Number(r.k), new Map()).get(Number(r.k))!;
        dates.set(String(r.dt), Number(r.n));
      }
    }
    const out = new Map<number, Rejections>();
    for (const e of live) {
      const c = counts.get(e.k) ?? { reader: 0, mapping: 0 };
      const rejections: Rejections = { sqlRejected: c.reader + c.mapping, byDate: byDate.get(e.k) ?? new Map(), reasons: [] };
      if (c.reader + c.mapping + e.framing.count > 0) {
        await this.writeQuarantine(e, staged, c);
        rejections.reasons = await quarantineReasons(ws, this.path(`quarantine-${e.k}.jsonl`));
      }
      out.set(e.k, rejections);
    }
    return out;
  }

  /** The quarantine file of one file, as ingest-file.ts collectRejections writes it. */
  private async writeQuarantine(e: BatchEntry, staged: string, c: { reader: number; mapping: number }): Promise<void> {
    const { ws } = this;
    const file = sqlString(e.file.file);
    const records = e.records!;
    const d = sqlString(records.delimiter);
    const parts = e.framing.count > 0 ? [e.framing.path] : [];
    if (c.reader > 0) {
      const path = this.path(`quarantine-reader-${e.k}.jsonl`);
      await ws.run(
        `COPY (SELECT ${file} AS file, CAST(split_part(csv_line, ${d}, 1) AS BIGINT) AS line, '(row)' AS field, ` +
          `'expected ${records.width} fields, found ' || CAST(CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER) - 2 AS VARCHAR) AS reason, ` +
          `left(substr(csv_line, length(split_part(csv_line, ${d}, 1)) + 2 * length(${d}) + 2), ${QUARANTINE_RAW_LIMIT}) AS raw ` +
          `FROM (SELECT e.line, any_value(e.csv_line) AS csv_line, any_value(e.error_message) AS error_message ${readerRejectsOf(e.k)} GROUP BY e.line)) ` +
          `TO ${sqlString(path)} (FORMAT json)`,
      );
      parts.push(path);
    }
    if (c.mapping > 0) {
      const path = this.path(`quarantine-mapping-${e.k}.jsonl`);
      await ws.run(
        `COPY (SELECT ${file} AS file, ${lineInFile('__line')} AS line, __field AS field, __reason AS reason, left(__raw, ${QUARANTINE_RAW_LIMIT}) AS raw ` +
          `FROM ${staged} WHERE __field IS NOT NULL AND ${fileOfLine('__line')} = ${e.k}) TO ${sqlString(path)} (FORMAT json)`,
      );
      parts.push(path);
    }
    await ws.run(
      `COPY (SELECT file, line, field, reason, raw FROM read_json([${parts.map(sqlString).join(', ')}], format = 'newline_delimited', ` +
        `columns = {file: 'VARCHAR', line: 'BIGINT', field: 'VARCHAR', reason: 'VARCHAR', raw: 'VARCHAR'}) ORDER BY line) ` +
        `TO ${sqlString(this.path(`quarantine-${e.k}.jsonl`))} (FORMAT json)`,
    );
  }

  /** `fresh`: each file's lake rows (customer keys, UTC times, provenance), one copy per contact within a file. */
  private async createFresh(live: BatchEntry[], staged: string): Promise<void> {
    const { ws } = this;
    const { joinNorms, joinCommentMasks } = await createLakeRowTables(ws, staged, this.table, this.config, this.source, this.deps.customerKeySecret);
    await ws.run(`CREATE TABLE provenance_text (k VARCHAR, source_file VARCHAR, ingested_ms VARCHAR, delivered_ms VARCHAR)`);
    await ws.appendText(
      'provenance_text',
      live.map((e) => [String(e.k), basename(e.file.file), String(Date.parse(e.base.started_at)), String(e.deliveredAt.getTime())]),
    );
    await ws.run(
      `CREATE TABLE provenance AS SELECT CAST(k AS INTEGER) AS __k, source_file AS __source_file, CAST(ingested_ms AS BIGINT) AS __ingested_ms, ` +
        `CAST(delivered_ms AS BIGINT) AS __delivered_ms FROM provenance_text`,
    );
    const lakeRows = lakeTableSql(this.table, {
      staged: `(SELECT s.*, p.* FROM ${staged} s JOIN provenance p ON ${fileOfLine('s.__line')} = p.__k)`,
      joinNorms,
      joinCommentMasks,
      source: this.source.id,
      provenance: { sourceFileSql: '__source_file', ingestedAtSql: '__ingested_ms', deliveredAtSql: '__delivered_ms' },
      pads: { outer: '(SELECT outer_pad FROM hmac_pads)', inner: '(SELECT inner_pad FROM hmac_pads)' },
    });
    // one copy per contact within each file: the newest (latest update, then the later line), as one by one
    await ws.run(
      `CREATE TABLE fresh AS SELECT *, CAST(${fileOfLine('__line')} AS INTEGER) AS __k FROM (${lakeRows}) ` +
        `QUALIFY row_number() OVER (PARTITION BY ${fileOfLine('__line')}, ${this.id} ORDER BY ` +
        `${this.table === 'contacts' ? 'updated_at DESC NULLS LAST, ' : ''}__line DESC) = 1`,
    );
  }

  /** `windows (k, dt)`: the dates each file's rows meet other copies on (its dates and the dates either side). */
  private async createWindows(outcomes: Map<number, FileOutcome>): Promise<void> {
    const rows = [...outcomes].flatMap(([k, o]) => [...new Set(o.dates.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].map((dt) => [String(k), dt]));
    await this.ws.run(`CREATE TABLE windows_text (k VARCHAR, dt VARCHAR)`);
    await this.ws.appendText('windows_text', rows);
    await this.ws.run(`CREATE TABLE windows AS SELECT CAST(k AS INTEGER) AS k, dt FROM windows_text`);
  }

  /**
   * The source's rows in the lake on the batch's window as the table `lake_rows` (`__k` 0), or null when it has
   * none there; 'legacy' when a date still has objects of the one-object-per-file layout (ingest-file.ts
   * replaces those file by file).
   */
  private async loadLake(window: string[]): Promise<string | null | 'legacy'> {
    const { lake } = this.deps;
    const clientId = this.config.id;
    const found: { key: string; dt: string }[] = [];
    let legacy = false;
    await inParallel(window, async (dt) => {
      const prefix = lakeKeys.partitionPrefix(this.table, clientId, dt);
      const current = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      for await (const object of lake.list(prefix)) {
        if (object.key === current) found.push({ key: current, dt });
        else if (object.key.startsWith(`${prefix}${this.source.id}--`) && object.key.endsWith('.parquet')) legacy = true;
      }
    });
    if (legacy) return 'legacy';
    if (found.length === 0) return null;
    const files = found.sort((a, b) => (a.dt < b.dt ? -1 : 1)).map((f, i) => ({ ...f, path: this.path(`lake-${i}.parquet`) }));
    await inParallel(files, (f) => download(lake, f.key, f.path));
    await this.ws.run(`CREATE TABLE lake_rows AS SELECT *, CAST(0 AS INTEGER) AS __k FROM (${otherCopiesSql(files)})`);
    return 'lake_rows';
  }

  /** True when some copy could reach past a file's window: the batch then goes file by file. */
  private async windowMisses(lake: string | null): Promise<boolean> {
    const [row] = await this.ws.query(windowMissesSql(this.id, 'fresh', lake));
    return Number(row?.n ?? 0) > 0;
  }

  /** Ranks every copy (table `ranked`) and fills in what each file wrote and replaced, per date. */
  private async decide(lake: string | null, outcomes: Map<number, FileOutcome>): Promise<void> {
    const { ws } = this;
    await ws.run(`CREATE TABLE ranked AS ${rankedCopiesSql(this.table, this.id, 'fresh', lake)}`);
    const excluded = this.table === 'contacts' ? `count(*) FILTER (WHERE ${WRITTEN} AND outcome = 'excluded')` : '0';
    const rows = await ws.query(
      `SELECT __k AS k, dt, count(*) FILTER (WHERE ${WRITTEN}) AS n, ${excluded} AS x, count(*) FILTER (WHERE ${REPLACED}) AS r ` +
        `FROM ranked WHERE __k > 0 GROUP BY ALL`,
    );
    for (const r of rows) {
      const o = outcomes.get(Number(r.k))!;
      o.replaced += Number(r.r);
      if (Number(r.n) > 0) o.written.set(String(r.dt), { rows: Number(r.n), excluded: Number(r.x) });
    }
  }

  /**
   * Writes every file's version objects (by file, then date) and the changed dates' objects (by key) locally.
   * A changed date whose rows are exactly one file's version is that object, copied in the store (as
   * ingest-file.ts does when nothing else is on the date); a changed date left without rows is deleted.
   */
  private async writeObjects(live: BatchEntry[]): Promise<LocalObjects> {
    const { ws } = this;
    const clientId = this.config.id;
    const perFile = await ws.query(`SELECT __k AS k, count(DISTINCT dt) AS n FROM fresh GROUP BY ALL ORDER BY k`);
    const versionsIn = new Map<number, string>();
    for (const [i, chunk] of chunked(perFile.map((r) => ({ item: Number(r.k), size: Number(r.n) }))).entries()) {
      const folder = this.path(`versions-${i}`);
      await this.copyPartitioned(lakeColumnsSql(this.table, 'fresh', `__k BETWEEN ${chunk[0]} AND ${chunk.at(-1)}`, ['__k', 'dt']), folder, ['__k', 'dt'], 32768);
      for (const k of chunk) versionsIn.set(k, join(folder, `__k=${k}`));
    }
    const versionPaths = new Map<number, Map<string, string>>();
    for (const e of live) {
      const byDate = new Map<string, string>();
      const folder = versionsIn.get(e.k);
      for (const dt of folder === undefined ? [] : await subfolders(folder, 'dt=')) {
        byDate.set(dt, await this.onePath(join(folder!, `dt=${dt}`), `version-${e.k}-${dt}.parquet`));
      }
      versionPaths.set(e.k, byDate);
    }

    const changed = await ws.query(
      `WITH d AS (SELECT dt, count(*) FILTER (WHERE __rank = 1) AS winners, min(__k) FILTER (WHERE __rank = 1) AS first_k, ` +
        `max(__k) FILTER (WHERE __rank = 1) AS last_k FROM ranked ` +
        `WHERE dt IN (SELECT dt FROM ranked WHERE (__k > 0 AND __rank = 1) OR (__k = 0 AND __rank > 1)) GROUP BY dt) ` +
        `SELECT dt, winners, CASE WHEN first_k = last_k AND first_k > 0 AND winners = (SELECT count(*) FROM fresh f WHERE f.__k = d.first_k AND f.dt = d.dt) ` +
        `THEN first_k END AS version_of FROM d ORDER BY dt`,
    );
    const objects: LocalObjects = { versions: versionPaths, dates: new Map(), copies: new Map(), deletes: [] };
    const toWrite: string[] = [];
    for (const r of changed) {
      const dt = String(r.dt);
      const key = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      if (Number(r.winners) === 0) objects.deletes.push(key);
      else if (r.version_of !== null) objects.copies.set(key, { k: Number(r.version_of), dt });
      else toWrite.push(dt);
    }
    for (const [i, chunk] of chunked(toWrite.map((dt) => ({ item: dt, size: 1 }))).entries()) {
      const folder = this.path(`dates-${i}`);
      await this.copyPartitioned(lakeColumnsSql(this.table, 'ranked', `__rank = 1 AND dt IN (${chunk.map(sqlString).join(', ')})`, ['dt']), folder, ['dt']);
      for (const dt of chunk) objects.dates.set(lakeKeys.sourceObject(this.table, clientId, dt, this.source.id), await this.onePath(join(folder, `dt=${dt}`), `date-${dt}.parquet`));
    }
    return objects;
  }

  /** One Parquet file per partition of the SELECT, in Hive folders (`name=value/rows0.parquet`). */
  private async copyPartitioned(select: string, folder: string, by: string[], rowGroupSize?: number): Promise<void> {
    // one writing thread: with two, a partition both threads hold rows of becomes two files to merge again, and
    // each thread buffers every partition it writes (the batch's partitions are many and small)
    const [threads] = await this.ws.query(`SELECT current_setting('threads') AS n`);
    await this.ws.run(`SET threads = 1`);
    try {
      await this.ws.run(
        `COPY (${select}) TO ${sqlString(folder)} (FORMAT parquet, PARTITION_BY (${by.join(', ')}), FILENAME_PATTERN 'rows{i}', ` +
          `WRITE_PARTITION_COLUMNS false${rowGroupSize === undefined ? '' : `, ROW_GROUP_SIZE ${rowGroupSize}`})`,
      );
    } finally {
      await this.ws.run(`SET threads = ${Number(threads?.n ?? 1)}`);
    }
  }

  /** The one Parquet file of a partition folder (the engine splits a large one: merged into `name`). */
  private async onePath(folder: string, name: string): Promise<string> {
    const files = (await readdir(folder)).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(folder, f));
    if (files.length === 1) return files[0]!;
    const path = this.path(name);
    await this.ws.run(`COPY (SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])) TO ${sqlString(path)} (FORMAT parquet)`);
    return path;
  }

  /**
   * Publishes the batch in ingest-file.ts's order, phase by phase: pending markers, version objects,
   * quarantines, manifests, the changed dates' objects, coverage, markers removed. Files rejected whole get
   * the manifest (and coverage entry) ingest-file.ts gives them.
   */
  private async publish(entries: BatchEntry[], outcomes: Map<number, FileOutcome>): Promise<IngestManifest[]> {
    const { lake, quarantine } = this.deps;
    const clientId = this.config.id;
    const live = entries.filter((e) => e.rejected === undefined);
    const deliveryIds = new Map(live.map((e) => [e.k, `${Date.parse(e.base.started_at).toString(36)}-${randomUUID().slice(0, 8)}`]));
    const objects: LocalObjects = live.length === 0 ? { versions: new Map(), dates: new Map(), copies: new Map(), deletes: [] } : await this.writeObjects(live);
    const pendingKey = (e: BatchEntry) => lakeKeys.pendingDelivery(clientId, this.source.id, e.fileId);
    const versionKey = (e: BatchEntry, dt: string) => lakeKeys.versionObject(this.table, clientId, dt, this.source.id, e.fileId, deliveryIds.get(e.k)!);
    const versionKeys = (e: BatchEntry) => [...(objects.versions.get(e.k)?.keys() ?? [])].map((dt) => versionKey(e, dt));

    await inParallel(live, (e) => this.cleanAbandoned(pendingKey(e), e.previous));
    await inParallel(live, (e) => {
      const pending: PendingDelivery = { delivery_id: deliveryIds.get(e.k)!, started_at: e.base.started_at, keys: versionKeys(e) };
      return lake.put(pendingKey(e), JSON.stringify(pending), { contentType: 'application/json' });
    });
    const versions = live.flatMap((e) => [...(objects.versions.get(e.k) ?? [])].map(([dt, path]) => [versionKey(e, dt), path] as const));
    await inParallel(versions, ([key, path]) => lake.put(key, createReadStream(path), { contentType: 'application/vnd.apache.parquet' }));
    const manifests = new Map<number, IngestManifest>();
    for (const e of live) manifests.set(e.k, this.manifestOf(e, outcomes.get(e.k)!, deliveryIds.get(e.k)!, objects.versions.get(e.k)!));
    await inParallel(live, async (e) => {
      const m = manifests.get(e.k)!;
      if (m.quarantine_key !== null) await quarantine.put(m.quarantine_key, createReadStream(outcomes.get(e.k)!.quarantinePath), { contentType: 'application/x-ndjson' });
      else if (e.previous?.quarantine_key) await quarantine.delete(e.previous.quarantine_key);
    });
    await inParallel(live, async (e) => {
      await lake.put(lakeKeys.manifest(clientId, this.source.id, e.fileId), JSON.stringify(manifests.get(e.k)!, null, 2), { contentType: 'application/json' });
      await lake.delete(lakeKeys.rejectedManifest(clientId, this.source.id, e.fileId));
    });
    await inParallel([...objects.dates], ([key, path]) => lake.put(key, createReadStream(path), { contentType: 'application/vnd.apache.parquet' }));
    await inParallel([...objects.copies], ([key, { k, dt }]) => lake.copy(versionKey(live.find((e) => e.k === k)!, dt), key));
    await inParallel(objects.deletes, (key) => lake.delete(key));
    await inParallel(live, (e) =>
      writeCoverageEntries(lake, { source: this.source, file: e.file.file, fileId: e.fileId, deliveredAt: e.deliveredAt }, manifests.get(e.k)!, e.previous, outcomes.get(e.k)!.rejections),
    );
    await inParallel(live, (e) => lake.delete(pendingKey(e)));

    const out: IngestManifest[] = [];
    for (const e of entries) {
      if (e.rejected === undefined) {
        out.push(manifests.get(e.k)!);
        continue;
      }
      const at = e.recordedAt;
      const deps = at === undefined ? this.deps : { ...this.deps, clock: { now: () => at } };
      out.push(await rejectFile(deps, this.config, this.source, e.base, e.rejected, e.deliveredAt));
    }
    return out;
  }

  /** A delivery of this file that started and died before its manifest: its objects go (as ingest-file.ts). */
  private async cleanAbandoned(pendingKey: string, previous: IngestManifest | undefined): Promise<void> {
    const pending = await readJson<PendingDelivery>(this.deps.lake, pendingKey);
    if (!pending) return;
    const committed = pending.delivery_id === previous?.delivery_id;
    for (const key of committed ? (pending.replaces ?? []) : pending.keys) await this.deps.lake.delete(key);
    await this.deps.lake.delete(pendingKey);
  }

  private manifestOf(e: BatchEntry, o: FileOutcome, deliveryId: string, versions: Map<string, string>): IngestManifest {
    const clientId = this.config.id;
    const records = e.records!;
    const partitions: ManifestPartition[] = o.dates.map((dt) => ({
      dt,
      rows: o.written.get(dt)?.rows ?? 0,
      excluded: o.written.get(dt)?.excluded ?? 0,
      object_key: lakeKeys.sourceObject(this.table, clientId, dt, this.source.id),
      ...(versions.has(dt) ? { version_key: lakeKeys.versionObject(this.table, clientId, dt, this.source.id, e.fileId, deliveryId) } : {}),
    }));
    const rowsWritten = partitions.reduce((sum, p) => sum + p.rows, 0);
    const legsGrouped = o.legsGrouped ?? 0;
    const manifest: IngestManifest = {
      ...e.base,
      file_sha256: e.sha256!,
      finished_at: (e.recordedAt ?? this.deps.clock.now()).toISOString(),
      status: 'ok',
      error: null,
      rows_read: records.records + records.rejected,
      rows_written: rowsWritten,
      rows_quarantined: o.quarantined,
      duplicates_dropped: o.valid - rowsWritten,
      ...(o.legsGrouped === undefined ? {} : { legs_grouped: legsGrouped }),
      rows_replaced: o.replaced,
      rows_excluded: partitions.reduce((sum, p) => sum + p.excluded, 0),
      lines_read: records.lines,
      blank_lines: records.blankLines,
      delivered_at: e.deliveredAt.toISOString(),
      delivery_id: deliveryId,
      partitions,
      coverage_dates: coveredDates(partitions, o.rejections, declaredFileDates(this.source, e.file.file)),
      quarantine_key: o.quarantined > 0 ? lakeKeys.quarantine(clientId, this.source.id, e.fileId) : null,
    };
    if (manifest.rows_read !== manifest.rows_written + manifest.rows_quarantined + manifest.duplicates_dropped + legsGrouped) {
      throw new Error(`ingest bookkeeping error for ${e.file.file}: ${JSON.stringify({ ...manifest, partitions: undefined })}`);
    }
    return manifest;
  }

}

/**
 * Partitions a partitioned write may hold open at once: DuckDB buffers every open partition's columns (a few
 * MB each), so hundreds of small files in one statement would pass the engine's memory limit.
 */
const PARTITIONS_PER_WRITE = 48;

/** Consecutive items in chunks whose sizes add up to at most PARTITIONS_PER_WRITE (an item larger alone). */
function chunked<T>(items: readonly { item: T; size: number }[]): T[][] {
  const chunks: T[][] = [];
  let size = Infinity;
  for (const { item, size: n } of items) {
    if (size + n > PARTITIONS_PER_WRITE) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(item);
    size += n;
  }
  return chunks;
}

/** The values of the `name=value` subfolders of a folder (none when it does not exist). */
async function subfolders(folder: string, name: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((d) => d.isDirectory() && d.name.startsWith(name)).map((d) => d.name.slice(name.length)).sort();
}

/** Runs `fn` over the items, PUBLISH_CONCURRENCY at a time; stops taking new items after a failure. */
async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUBLISH_CONCURRENCY, items.length) }, worker));
}
