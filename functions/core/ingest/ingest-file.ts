/**
 * One input file → lake, quarantine, coverage and a manifest. Every record read ends in exactly one of:
 * written, quarantined (with file, line, field and reason), dropped as a duplicate contact id, or (sources
 * with one row per call leg) grouped into another leg's contact, so
 * rows_read = rows_written + rows_quarantined + duplicates_dropped + legs_grouped always holds.
 *
 * Stages, each in its own module:
 * - records (records/): bytes → the record file, one line per source record with its source line number;
 * - mapping (mapping/): the client's mapping compiled to one SQL SELECT that types, validates and dates every
 *   record, run by an embedded engine (the SqlWorkspace port: DuckDB) into a staged Parquet file;
 * - assembly (here and assembly-sql.ts): customer keys, one copy per contact (the newest wins), the lake's
 *   date objects rebuilt with this delivery's rows, published in an order that leaves the lake consistent if
 *   the run dies at any point.
 *
 * The newest delivery of a contact wins (docs/ingest.md): of several copies of one contact id from one source
 * — the same file delivered again, a corrected export under a new name, an update of a Connect contact — the
 * lake holds the one with the latest `updated_at` (the source's own update time, when it has one), then the
 * latest delivery time, then the later line of one file. Copies are matched within the business date of the
 * new copy and the dates either side of it, so a corrected row that moves to the next day is not counted twice.
 * Every delivery's own rows are kept (versions/), so when a file is delivered again, shorter, the contacts it
 * no longer holds fall back to their next-newest copy instead of disappearing.
 *
 * Publishing, in this order: a pending marker naming the delivery; its version objects; the quarantine; the
 * manifest (the commit: from here the delivery counts); each affected date's object (one atomic put per date,
 * so a reader sees every date either before or after the delivery, never half of it); the coverage index; then
 * the previous delivery's objects are deleted. A run killed before the manifest leaves nothing a query reads,
 * and the next run of the same file removes what it left; a run killed after it is completed by the next run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { ObjectNotFoundError, WorkspaceError, type Clock, type Locks, type ObjectStore, type OpenSqlWorkspace, type SqlWorkspace } from '../ports.ts';
import type { LakeTableName } from '../tables.ts';
import { lakeColumnsSql, lakeTableSql, otherCopiesSql, winnersSql } from './assembly-sql.ts';
import { groupLegs } from './assembly/group-legs.ts';
import { completenessOf, coverageKeys, declaredFileDates, declaresRowDates, putCoverageEntry, type CoverageEntry, type QuarantineReason } from './coverage.ts';
import { customerKeyScope } from './customer-key.ts';
import { createLakeRowTables } from './lake-row-tables.ts';
import { localDate } from './mapping/sql-mapping.ts';
import { readRecordsSql } from './mapping/record-relation.ts';
import { sqlString } from './mapping/sql-text.ts';
import { lakeKeys, type IngestManifest, type ManifestPartition } from './manifest.ts';
import type { FramingRejection } from './records/csv-framing.ts';
import { readRecords, type RecordSet } from './records/read-records.ts';
import { FileRejectedError } from './types.ts';

export interface IngestLimits {
  /** largest decoded (and decompressed) export, in bytes */
  maxBytes: number;
  /** why maxBytes is what it is, quoted in the rejection (Lambda: the /tmp size over the staging factor) */
  maxBytesReason?: string;
  /** longest record, in bytes */
  maxRecordBytes: number;
  /** time one file may take, in ms */
  maxMs: number;
  /** memory the SQL engine may hold before it spills to the work folder */
  engineMemoryMb: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxRecordBytes: 1024 ** 2,
  maxMs: 12 * 60_000,
  engineMemoryMb: 192,
};

export interface IngestDeps {
  lake: ObjectStore;
  quarantine: ObjectStore;
  /** the client's secret for customer keys (HMAC-SHA256); it is never written anywhere */
  customerKeySecret: string;
  clock: Clock;
  /** local scratch folder for the record file, staging and the engine's spill files (Lambda: /tmp) */
  workDir: string;
  openWorkspace: OpenSqlWorkspace;
  /** one ingest at a time per file and per business date (the local runtime; AWS runs a client's files in order) */
  locks?: Locks;
  limits?: Partial<IngestLimits>;
}

export interface IngestRequest {
  config: ClientConfig;
  sourceId: string;
  /** name of the input: its raw-store key or its path; it decides the object keys */
  file: string;
  body: AsyncIterable<Uint8Array>;
  /** when the export arrived (raw object's last-modified time, file mtime); default: now */
  deliveredAt?: Date;
}

export class UnknownSourceError extends Error {
  constructor(readonly clientId: string, readonly sourceId: string, known: string[]) {
    super(`client "${clientId}" has no source "${sourceId}" (sources: ${known.join(', ')})`);
    this.name = 'UnknownSourceError';
  }
}

/** A short, stable id for an input file: readable, unique per source and file name. */
export function fileIdFor(sourceId: string, file: string): string {
  const name = basename(file)
    .replace(/\.(gz|gzip)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 60);
  const hash = createHash('sha256').update(`${sourceId}\0${file}`).digest('hex').slice(0, 10);
  return `${name}-${hash}`;
}

export const QUARANTINE_RAW_LIMIT = 4_000;
/** Fields whose quarantine reasons a coverage entry keeps, the most frequent first. */
const QUARANTINE_REASONS_KEPT = 3;
/** A file-level reason is shown in manifests, logs and on the command line: kept short. */
export const REASON_LIMIT = 600;
const DAY_MS = 86_400_000;
/** Files of at most this many records are staged and assembled on one engine thread. */
const SMALL_FILE_RECORDS = 10_000;
/** Timestamps more than a day ahead of ingest are clock or format errors, not contacts. */
export const FUTURE_TOLERANCE_MS = DAY_MS;
export const STAGING_PREFIX = 'ingest-';
/** A staging folder older than this whose process is gone is a leftover of a killed run. */
const STALE_STAGING_MS = 60 * 60_000;

export type Base = Pick<IngestManifest, 'client_id' | 'source' | 'table' | 'file' | 'file_id' | 'started_at'>;

export const shiftDate = (dt: string, days: number): string => new Date(Date.parse(`${dt}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
export const capped = (text: string, limit: number): string => (text.length > limit ? `${text.slice(0, limit)}…` : text);
/** Engine messages quote the values they choked on; a file-level reason must not carry them. */
export const withoutValues = (message: string): string => message.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"');

/** Removes staging folders of runs that were killed: their process is gone, or they are old. */
export async function sweepStaleStaging(workDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(workDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const match = /^ingest-(\d+)-/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    // this process's own folders belong to runs still going (another file ingested at the same time)
    let running = true;
    if (pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        running = (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    const path = join(workDir, name);
    const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (!running || age > STALE_STAGING_MS) await rm(path, { recursive: true, force: true });
  }
}

/** A JSON object of the store, or undefined when there is none (or it does not parse): one request. */
export async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over the items at once; a store request each, they wait for S3 together instead of in turn. */
export async function eachAtOnce<T>(items: Iterable<T>, fn: (item: T) => Promise<unknown>): Promise<void> {
  await Promise.all([...items].map(fn));
}

export async function download(store: ObjectStore, key: string, path: string): Promise<void> {
  const out = createWriteStream(path);
  try {
    for await (const chunk of await store.getStream(key)) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** Quarantine entries, written as JSON lines while the file is read. */
export class QuarantineFile {
  private out: WriteStream | undefined;
  count = 0;
  constructor(
    readonly path: string,
    private readonly file: string,
  ) {}

  add(rejection: FramingRejection): void {
    this.out ??= createWriteStream(this.path, { flags: 'a', mode: 0o600 });
    const raw = capped(rejection.raw, QUARANTINE_RAW_LIMIT);
    this.out.write(`${JSON.stringify({ file: this.file, line: rejection.line, field: rejection.field, reason: rejection.reason, raw })}\n`);
    this.count++;
  }

  async close(): Promise<void> {
    const out = this.out;
    this.out = undefined;
    if (out) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

export async function ingestFile(deps: IngestDeps, request: IngestRequest): Promise<IngestManifest> {
  const { config, sourceId, file } = request;
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new UnknownSourceError(config.id, sourceId, config.sources.map((s) => s.id));
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const table: LakeTableName = source.table;
  const fileId = fileIdFor(sourceId, file);
  const startedAt = deps.clock.now();
  const deliveredAt = request.deliveredAt ?? startedAt;
  await mkdir(deps.workDir, { recursive: true });
  await sweepStaleStaging(deps.workDir);
  const staging = join(deps.workDir, `${STAGING_PREFIX}${process.pid}-${randomUUID()}`);
  await mkdir(join(staging, 'spill'), { recursive: true });
  const base: Base = { client_id: config.id, source: sourceId, table, file, file_id: fileId, started_at: startedAt.toISOString() };
  const releaseFile = await deps.locks?.acquire([`${config.id}/${sourceId}/${fileId}`]);
  let workspace: SqlWorkspace | undefined;
  try {
    const sha = createHash('sha256');
    let bytesRead = 0;
    async function* hashed(): AsyncIterable<Uint8Array> {
      for await (const chunk of request.body) {
        sha.update(chunk);
        bytesRead += chunk.length;
        yield chunk;
      }
    }
    const quarantine = new QuarantineFile(join(staging, 'quarantine-records.jsonl'), file);
    let records: RecordSet;
    try {
      records = await readRecords({
        source,
        table,
        file,
        body: hashed(),
        clientZone: config.timezone,
        path: join(staging, 'records.csv'),
        limits: {
          maxBytes: limits.maxBytes,
          ...(limits.maxBytesReason === undefined ? {} : { maxBytesReason: limits.maxBytesReason }),
          maxRecordBytes: limits.maxRecordBytes,
          deadline: Date.now() + limits.maxMs,
        },
        compile: {
          latestMs: startedAt.getTime() + FUTURE_TOLERANCE_MS,
          customerScope: table === 'contacts' ? customerKeyScope(config, source) : undefined,
        },
        onReject: (r) => quarantine.add(r),
      });
      if (bytesRead === 0) throw new FileRejectedError(file, 'the file is empty (0 bytes)');
    } finally {
      await quarantine.close();
    }
    // a small file costs the engine's fixed work per statement, which a second thread only doubles
    const threads = records.records <= SMALL_FILE_RECORDS ? { threads: 1 } : {};
    workspace = await deps.openWorkspace({ spillDir: join(staging, 'spill'), memoryLimitMb: limits.engineMemoryMb, ...threads });
    const staged = await stageRecords(workspace, records, join(staging, 'staged.parquet'), file, limits.maxRecordBytes);
    const run = new AssemblyRun(deps, workspace, config, source, table, file, fileId, staging, startedAt, deliveredAt);
    return await run.assemble(records, staged, quarantine, { ...base, file_sha256: sha.digest('hex') });
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    return rejectFile(deps, config, source, base, error, deliveredAt);
  } finally {
    await workspace?.close();
    await releaseFile?.();
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Runs the compiled mapping over the record file into one staged Parquet file: every record typed, validated
 * and dated once. An engine error on the file's content rejects the file.
 *
 * Every record must come out as a staged row or as a reader rejection. DuckDB's parallel scan (1.5) can lose a
 * record of the wrong width that starts near the boundary of one of its scan ranges: neither read nor in
 * reject_errors. When the two do not add up to the records written, the file is staged again in one
 * sequential scan, which is slower on a large file but loses nothing; the usual file pays one count.
 */
async function stageRecords(ws: SqlWorkspace, records: RecordSet, staged: string, file: string, maxRecordBytes: number): Promise<string> {
  for (const parallel of [true, false]) {
    const source = readRecordsSql({ path: records.path, width: records.width, delimiter: records.delimiter, maxRecordBytes, parallel });
    // a file no record of which needs trimming: the constant flag lets the engine drop every trim expression
    const trimFlag = records.trimmed === 0 ? ' REPLACE (FALSE AS __trim)' : '';
    await ws.run(`CREATE OR REPLACE VIEW records AS SELECT *${trimFlag} FROM ${source}`);
    try {
      // each writing thread holds a row group until it is full: 16,384 rows keep that to a few MB per thread
      await ws.run(`COPY (${records.mapping.select}) TO ${sqlString(staged)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)`);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      throw new FileRejectedError(file, `the file could not be read: ${capped(withoutValues(error.message), REASON_LIMIT)}`, { cause: error });
    }
    const [counts] = await ws.query(
      `SELECT (SELECT count(*) FROM read_parquet(${sqlString(staged)})) AS rows, (SELECT count(DISTINCT line) FROM reject_errors) AS rejected`,
    );
    const accounted = Number(counts?.rows ?? 0) + Number(counts?.rejected ?? 0);
    if (accounted === records.records) return staged;
    if (!parallel) {
      // never publish a file whose rows do not add up: the whole file goes to quarantine instead
      throw new FileRejectedError(file, `the file could not be read completely: ${records.records} records, ${accounted} staged or rejected`);
    }
    // the sequential scan's rejections replace those of the parallel one
    await ws.run(`DELETE FROM reject_errors`);
    await ws.run(`DELETE FROM reject_scans`);
  }
  return staged;
}

export async function rejectFile(
  deps: IngestDeps,
  config: ClientConfig,
  source: SourceConfig,
  base: Base,
  error: FileRejectedError,
  deliveredAt: Date,
): Promise<IngestManifest> {
  const manifest: IngestManifest = {
    ...base,
    // the hash of a file rejected part-way would describe only a prefix of it
    file_sha256: null,
    finished_at: deps.clock.now().toISOString(),
    status: 'rejected',
    error: capped(error.message, REASON_LIMIT),
    rows_read: 0,
    rows_written: 0,
    rows_quarantined: 0,
    duplicates_dropped: 0,
    partitions: [],
    quarantine_key: null,
  };
  // An unreadable redelivery does not wipe what the earlier, good delivery of the file wrote: the rejection
  // is recorded beside its manifest, and a later good delivery replaces both.
  const mainKey = lakeKeys.manifest(config.id, source.id, base.file_id);
  const previous = await readJson<IngestManifest>(deps.lake, mainKey);
  const key = previous?.status === 'ok' ? lakeKeys.rejectedManifest(config.id, source.id, base.file_id) : mainKey;
  await deps.lake.put(key, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
  // not for a continuous source: its coverage is read from listings alone for comparison periods, where every
  // entry means rows (schedule/freshness.ts)
  const declaredDates = completenessOf(source).expect !== 'continuous' && previous?.status !== 'ok' ? declaredFileDates(source, base.file) : [];
  for (const declared of declaredDates) {
    // the day's export arrived and could not be read: the report says so rather than that nothing came
    const entry: CoverageEntry = {
      client_id: config.id,
      source: source.id,
      table: base.table,
      dt: declared,
      file: base.file,
      file_id: base.file_id,
      delivered_at: deliveredAt.toISOString(),
      finished_at: manifest.finished_at,
      rows: 0,
      excluded: 0,
      // the date its name declares, but never the day's export: a reader that overlooks `rejected` still
      // does not take the day for received
      declared: false,
      file_rows_read: 0,
      file_rows_quarantined: 0,
      rejected: manifest.error ?? 'rejected',
    };
    await putCoverageEntry(deps.lake, entry);
  }
  return manifest;
}

/** The dates a delivery's coverage entries are written for: the dates it wrote rows to, quarantined rows of, or names. */
export function coveredDates(partitions: readonly ManifestPartition[], rejections: Rejections, declared: readonly string[]): string[] {
  return [...new Set([...partitions.map((p) => p.dt), ...rejections.byDate.keys(), ...declared])].sort();
}

/** What the quarantine of one delivery holds, for its manifest and coverage entries. */
export interface Rejections {
  /** rows the SQL stage rejected (the reader's and the mapping's; the framing stage counts its own) */
  sqlRejected: number;
  /** rejected rows per business date their time reads as */
  byDate: Map<string, number>;
  reasons: QuarantineReason[];
}

export interface PendingDelivery {
  delivery_id: string;
  started_at: string;
  /** objects the delivery writes before its manifest */
  keys: string[];
  /** the replaced delivery's version objects, deleted after the manifest: a run killed in between leaves them to the next */
  replaces?: string[];
}

type ManifestBase = Omit<
  IngestManifest,
  'finished_at' | 'status' | 'error' | 'rows_read' | 'rows_written' | 'rows_quarantined' | 'duplicates_dropped' | 'partitions' | 'quarantine_key'
>;

interface OtherCopies {
  /** relation of the other copies, or null when there are none */
  relation: string | null;
  /** objects of the one-object-per-file layout on each date, replaced by the date's object once it is rewritten */
  legacyByDate: Map<string, string[]>;
  rebuild: boolean;
}

/** The SQL stage and publishing of one file, on one workspace. */
class AssemblyRun {
  private readonly deliveryId: string;
  private readonly id: string;

  constructor(
    private readonly deps: IngestDeps,
    private readonly ws: SqlWorkspace,
    private readonly config: ClientConfig,
    private readonly source: SourceConfig,
    private readonly table: LakeTableName,
    private readonly file: string,
    private readonly fileId: string,
    private readonly staging: string,
    private readonly startedAt: Date,
    private readonly deliveredAt: Date,
  ) {
    this.deliveryId = `${startedAt.getTime().toString(36)}-${randomUUID().slice(0, 8)}`;
    this.id = table === 'contacts' ? 'contact_id' : 'survey_id';
  }

  private path(name: string): string {
    return join(this.staging, name);
  }

  async assemble(records: RecordSet, staged: string, framing: QuarantineFile, base: ManifestBase): Promise<IngestManifest> {
    const { ws } = this;
    const clientId = this.config.id;
    const manifestKey = lakeKeys.manifest(clientId, this.source.id, this.fileId);
    const pendingKey = lakeKeys.pendingDelivery(clientId, this.source.id, this.fileId);
    // the file's earlier manifest and a killed run's marker, read while the engine works (the file lock is held)
    const earlier = Promise.all([readJson<IngestManifest>(this.deps.lake, manifestKey), readJson<PendingDelivery>(this.deps.lake, pendingKey)]);
    earlier.catch(() => undefined);
    // 1. Every record was typed, validated and dated once, into the staged file.
    let stagedRows = `read_parquet(${sqlString(staged)})`;
    // 1b. A source with one row per call leg: the legs of each call become one contact (assembly/group-legs.ts).
    let legsGrouped = 0;
    if (records.mapping.legs !== undefined) {
      const contacts = this.path('contacts.parquet');
      legsGrouped = await groupLegs(ws, records.mapping.legs, stagedRows, contacts);
      stagedRows = `read_parquet(${sqlString(contacts)})`;
    }

    // 2. Rejected rows: those the strict reader refused (a wrong number of fields) and those the mapping rejected.
    const quarantinePath = this.path('quarantine.jsonl');
    const rejections = await this.collectRejections(records, stagedRows, framing, quarantinePath);
    const quarantined = framing.count + rejections.sqlRejected;

    // 3. Lake rows: customer keys (spellings the engine cannot key itself are normalized once per distinct
    // value by normalizeCustomer), UTC timestamps, provenance.
    const { joinNorms, joinCommentMasks } = await createLakeRowTables(ws, stagedRows, this.table, this.config, this.source, this.deps.customerKeySecret);
    const withPads = lakeTableSql(this.table, {
      staged: stagedRows,
      joinNorms,
      joinCommentMasks,
      source: this.source.id,
      provenance: { sourceFile: basename(this.file), ingestedAt: this.deps.clock.now().getTime(), deliveredAt: this.deliveredAt.getTime() },
      pads: { outer: '(SELECT outer_pad FROM hmac_pads)', inner: '(SELECT inner_pad FROM hmac_pads)' },
    });

    // 4. One copy per contact within the file: the newest (latest update, then the later line).
    // Distinct 64-bit hashes first: a set of integers, a fraction of the memory of a set of ids. As many distinct
    // hashes as rows proves every id distinct; fewer (a repeat, or a collision) asks for the exact count.
    const [totals] = await ws.query(`SELECT count(*) AS n, count(DISTINCT hash(${this.id})) AS hashes FROM ${stagedRows} WHERE __field IS NULL`);
    const valid = Number(totals?.n ?? 0);
    let distinctIds = Number(totals?.hashes ?? 0);
    if (distinctIds < valid) {
      const [exact] = await ws.query(`SELECT count(DISTINCT ${this.id}) AS ids FROM ${stagedRows} WHERE __field IS NULL`);
      distinctIds = Number(exact?.ids ?? 0);
    }
    const inFileDuplicates = valid - distinctIds;
    if (inFileDuplicates > 0) {
      await ws.run(
        `CREATE TABLE fresh AS SELECT * FROM (${withPads}) QUALIFY row_number() OVER (PARTITION BY ${this.id} ORDER BY ` +
          `${this.table === 'contacts' ? 'updated_at DESC NULLS LAST, ' : ''}__line DESC) = 1`,
      );
    } else {
      await ws.run(`CREATE VIEW fresh AS ${withPads}`);
    }
    const freshDates = (await ws.query(`SELECT dt FROM ${stagedRows} WHERE __field IS NULL GROUP BY dt ORDER BY dt`)).map((r) => String(r.dt));

    // 5. The lake's other copies of these contacts, on these dates and the dates either side.
    const [previous, abandoned] = await earlier;
    const replacing = previous?.status === 'ok' ? previous : undefined;
    const touched = [...new Set([...freshDates, ...(replacing?.partitions.map((p) => p.dt) ?? [])])].sort();
    const window = [...new Set(touched.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].sort();
    const releaseDates = await this.deps.locks?.acquire(window.map((dt) => `${clientId}/${this.table}/${dt}`));
    try {
      await this.cleanAbandoned(pendingKey, abandoned, previous);
      // 6. Publish: pending marker, version objects and quarantine, manifest (the commit), date objects, coverage.
      // Each phase's requests go out together, the first ones beside the reads of the other copies: on S3 every
      // request is a wait of tens of milliseconds, and a Firehose source sends hundreds of objects a day.
      const versionPaths = await this.writeVersions(freshDates);
      const versionKey = (dt: string) => lakeKeys.versionObject(this.table, clientId, dt, this.source.id, this.fileId, this.deliveryId);
      const replaced = (replacing?.partitions ?? []).flatMap((p) => (p.version_key !== undefined && p.version_key !== versionKey(p.dt) ? [p.version_key] : []));
      const pending: PendingDelivery = {
        delivery_id: this.deliveryId,
        started_at: this.startedAt.toISOString(),
        keys: [...versionPaths.keys()].map(versionKey),
        replaces: replaced,
      };
      const quarantineKey = lakeKeys.quarantine(clientId, this.source.id, this.fileId);
      const publishVersions = async () => {
        await this.deps.lake.put(pendingKey, JSON.stringify(pending), { contentType: 'application/json' });
        await Promise.all([
          eachAtOnce(versionPaths, ([dt, path]) => this.deps.lake.put(versionKey(dt), createReadStream(path), { contentType: 'application/vnd.apache.parquet' })),
          quarantined > 0
            ? this.deps.quarantine.put(quarantineKey, createReadStream(quarantinePath), { contentType: 'application/x-ndjson' })
            : previous?.quarantine_key
              ? this.deps.quarantine.delete(previous.quarantine_key)
              : undefined,
        ]);
      };
      const [others] = await Promise.all([this.otherCopies(window, replacing), publishVersions()]);
      const outcome = await this.decideWinners(others, freshDates, window);

      const partitions: ManifestPartition[] = freshDates.map((dt) => ({
        dt,
        rows: outcome.byDate.get(dt)?.rows ?? 0,
        excluded: outcome.byDate.get(dt)?.excluded ?? 0,
        object_key: lakeKeys.sourceObject(this.table, clientId, dt, this.source.id),
        ...(versionPaths.has(dt) ? { version_key: versionKey(dt) } : {}),
      }));
      const rowsWritten = partitions.reduce((sum, p) => sum + p.rows, 0);
      const manifest: IngestManifest = {
        ...base,
        finished_at: this.deps.clock.now().toISOString(),
        status: 'ok',
        error: null,
        rows_read: records.records + records.rejected,
        rows_written: rowsWritten,
        rows_quarantined: quarantined,
        duplicates_dropped: inFileDuplicates + outcome.lostToNewer,
        ...(records.mapping.legs === undefined ? {} : { legs_grouped: legsGrouped }),
        rows_replaced: outcome.replaced,
        rows_excluded: partitions.reduce((sum, p) => sum + p.excluded, 0),
        lines_read: records.lines,
        blank_lines: records.blankLines,
        delivered_at: this.deliveredAt.toISOString(),
        delivery_id: this.deliveryId,
        partitions,
        coverage_dates: coveredDates(partitions, rejections, declaredFileDates(this.source, this.file)),
        quarantine_key: quarantined > 0 ? quarantineKey : null,
      };
      if (manifest.rows_read !== manifest.rows_written + manifest.rows_quarantined + manifest.duplicates_dropped + legsGrouped) {
        throw new Error(`ingest bookkeeping error for ${this.file}: ${JSON.stringify({ ...manifest, partitions: undefined })}`);
      }
      // the dates' new objects, written locally before the commit so that after it only the store is waited for
      const dateObjects = new Map<string, string | 'copy' | 'delete'>();
      for (const dt of outcome.rewrite) {
        if (others.relation === null && versionPaths.has(dt)) {
          // nothing else on the date: its object is this delivery's version, copied inside the store, not sent twice
          dateObjects.set(dt, 'copy');
          continue;
        }
        const winners = others.relation === null ? 'fresh' : 'winners';
        const [count] = await ws.query(`SELECT count(*) AS n FROM ${winners} WHERE dt = ${sqlString(dt)}`);
        if (Number(count?.n ?? 0) === 0) {
          dateObjects.set(dt, 'delete');
          continue;
        }
        const path = this.path(`date-${dt}.parquet`);
        await ws.run(`COPY (${lakeColumnsSql(this.table, winners, `dt = ${sqlString(dt)}`)}) TO ${sqlString(path)} (FORMAT parquet)`);
        dateObjects.set(dt, path);
      }
      await this.deps.lake.put(manifestKey, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
      await Promise.all([
        this.deps.lake.delete(lakeKeys.rejectedManifest(clientId, this.source.id, this.fileId)),
        eachAtOnce(dateObjects, async ([dt, object]) => {
          const key = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
          if (object === 'copy') await this.deps.lake.copy(versionKey(dt), key);
          else if (object === 'delete') await this.deps.lake.delete(key);
          else await this.deps.lake.put(key, createReadStream(object), { contentType: 'application/vnd.apache.parquet' });
          await eachAtOnce(others.legacyByDate.get(dt) ?? [], (legacy) => this.deps.lake.delete(legacy));
        }),
      ]);
      // the marker goes once the replaced delivery's versions are gone (the next run deletes them if this one
      // dies first); with none to delete it goes with the coverage entries
      await Promise.all([
        this.writeCoverage(manifest, previous, rejections),
        eachAtOnce(replaced, (key) => this.deps.lake.delete(key)),
        replaced.length === 0 ? this.deps.lake.delete(pendingKey) : undefined,
      ]);
      if (replaced.length > 0) await this.deps.lake.delete(pendingKey);
      return manifest;
    } finally {
      await releaseDates?.();
    }
  }

  /**
   * Every date's version file of the delivery, in one pass over its rows (one folder per date, as Hive writes
   * them). A date only a copy the file itself holds again later was on has no row of this delivery, and no file.
   */
  private async writeVersions(freshDates: string[]): Promise<Map<string, string>> {
    const { ws } = this;
    const versionPaths = new Map<string, string>();
    if (freshDates.length === 0) return versionPaths;
    const folder = this.path('versions');
    await ws.run(
      `COPY (${lakeColumnsSql(this.table, 'fresh', 'TRUE', ['dt'])}) TO ${sqlString(folder)} ` +
        `(FORMAT parquet, PARTITION_BY (dt), FILENAME_PATTERN 'rows{i}', WRITE_PARTITION_COLUMNS false, ROW_GROUP_SIZE 32768)`,
    );
    for (const dt of freshDates) {
      const files = (await readdir(join(folder, `dt=${dt}`)).catch(() => [])).filter((f) => f.endsWith('.parquet')).map((f) => join(folder, `dt=${dt}`, f));
      if (files.length === 0) continue;
      let path = files[0]!;
      if (files.length > 1) {
        // the engine split a large date: one object per date all the same
        path = this.path(`version-${dt}.parquet`);
        await ws.run(`COPY (SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])) TO ${sqlString(path)} (FORMAT parquet)`);
      }
      versionPaths.set(dt, path);
    }
    return versionPaths;
  }

  /**
   * Writes every rejected record to one JSON-lines file, ordered by line. Returns how many the SQL stage rejected,
   * how many rejected rows fall on each business date their time still reads as, and the most frequent reasons.
   */
  private async collectRejections(records: RecordSet, stagedRows: string, framing: QuarantineFile, out: string): Promise<Rejections> {
    const { ws } = this;
    const file = sqlString(this.file);
    const d = sqlString(records.delimiter);
    const parts = framing.count > 0 ? [framing.path] : [];
    const [reader] = await ws.query(`SELECT count(DISTINCT line) AS n FROM reject_errors`);
    const readerRejected = Number(reader?.n ?? 0);
    if (readerRejected > 0) {
      // the record file's own line starts with the source line and the trim flag
      const path = this.path('quarantine-reader.jsonl');
      await ws.run(
        `COPY (SELECT ${file} AS file, CAST(split_part(csv_line, ${d}, 1) AS BIGINT) AS line, '(row)' AS field, ` +
          `'expected ${records.width} fields, found ' || CAST(CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER) - 2 AS VARCHAR) AS reason, ` +
          `left(substr(csv_line, length(split_part(csv_line, ${d}, 1)) + 2 * length(${d}) + 2), ${QUARANTINE_RAW_LIMIT}) AS raw ` +
          `FROM (SELECT line, any_value(csv_line) AS csv_line, any_value(error_message) AS error_message FROM reject_errors GROUP BY line)) ` +
          `TO ${sqlString(path)} (FORMAT json)`,
      );
      parts.push(path);
    }
    const [mapping] = await ws.query(`SELECT count(*) AS n FROM ${stagedRows} WHERE __field IS NOT NULL`);
    const mappingRejected = Number(mapping?.n ?? 0);
    if (mappingRejected > 0) {
      const path = this.path('quarantine-mapping.jsonl');
      await ws.run(
        `COPY (SELECT ${file} AS file, __line AS line, __field AS field, __reason AS reason, left(__raw, ${QUARANTINE_RAW_LIMIT}) AS raw ` +
          `FROM ${stagedRows} WHERE __field IS NOT NULL) TO ${sqlString(path)} (FORMAT json)`,
      );
      parts.push(path);
    }
    const byDate = new Map<string, number>();
    if (mappingRejected > 0) {
      // a row rejected for another field than its time still says which day it belongs to
      const time = this.table === 'contacts' ? 'arrived_ms' : 'responded_ms';
      const dated = await ws.query(
        `SELECT ${localDate(this.config.timezone, time)} AS dt, count(*) AS n FROM ${stagedRows} WHERE __field IS NOT NULL AND ${time} IS NOT NULL GROUP BY 1`,
      );
      for (const row of dated) byDate.set(String(row.dt), Number(row.n));
    }
    const reasons: QuarantineReason[] = [];
    if (parts.length > 0) {
      await ws.run(
        `COPY (SELECT file, line, field, reason, raw FROM read_json([${parts.map(sqlString).join(', ')}], format = 'newline_delimited', ` +
          `columns = {file: 'VARCHAR', line: 'BIGINT', field: 'VARCHAR', reason: 'VARCHAR', raw: 'VARCHAR'}) ORDER BY line) TO ${sqlString(out)} (FORMAT json)`,
      );
      reasons.push(...(await quarantineReasons(ws, out)));
    }
    return { sqlRejected: readerRejected + mappingRejected, byDate, reasons };
  }

  /**
   * What an earlier run of this file left (its marker, read with the manifest): killed before its manifest, its
   * own objects (nobody reads them); killed after it, the version objects of the delivery it replaced, which it
   * had yet to delete.
   */
  private async cleanAbandoned(pendingKey: string, pending: PendingDelivery | undefined, previous: IngestManifest | undefined): Promise<void> {
    if (!pending) return;
    const committed = pending.delivery_id === previous?.delivery_id;
    await eachAtOnce(committed ? (pending.replaces ?? []) : pending.keys, (key) => this.deps.lake.delete(key));
    await this.deps.lake.delete(pendingKey);
  }

  /**
   * The copies of this source's contacts the new rows compete with, on the window's dates: the dates' current
   * objects when the file is new; when it replaces an earlier delivery of the same file, every other
   * delivery's own rows (version objects a manifest lists), so that contacts the new delivery no longer holds
   * fall back to their next-newest copy.
   */
  private async otherCopies(window: string[], replacing: IngestManifest | undefined): Promise<OtherCopies> {
    const { lake } = this.deps;
    const clientId = this.config.id;
    const legacyByDate = new Map<string, string[]>();
    const committed = new Map<string, Promise<string | undefined>>();
    const deliveryOf = (fileId: string) => {
      if (!committed.has(fileId)) {
        const read = readJson<IngestManifest>(lake, lakeKeys.manifest(clientId, this.source.id, fileId));
        committed.set(fileId, read.then((m) => (m?.status === 'ok' ? m.delivery_id : undefined)));
      }
      return committed.get(fileId)!;
    };
    /** The objects holding the date's other copies (the dates are listed at once: each list waits for S3). */
    const objectsOf = async (dt: string): Promise<string[]> => {
      const prefix = lakeKeys.partitionPrefix(this.table, clientId, dt);
      const current = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      const legacy: string[] = [];
      let hasCurrent = false;
      for await (const object of lake.list(prefix)) {
        if (object.key === current) hasCurrent = true;
        // the layout before date objects: one object per file, `<source>--<file id>.parquet`
        else if (object.key.startsWith(`${prefix}${this.source.id}--`) && object.key.endsWith('.parquet')) legacy.push(object.key);
      }
      if (legacy.length > 0) legacyByDate.set(dt, legacy);
      const keys = legacy.filter((key) => !replacing || !key.includes(`--${this.fileId}.parquet`));
      if (!replacing) return hasCurrent ? [...keys, current] : keys;
      let versions = 0;
      for await (const object of lake.list(lakeKeys.versionsPrefix(this.table, clientId, dt, this.source.id))) {
        const match = /--([^/]+)--([^/-]+-[^/-]+)\.parquet$/.exec(object.key);
        if (!match) continue;
        versions++;
        const fileId = match[1]!;
        if (fileId === this.fileId) continue;
        // only versions a manifest lists: a run that died before its manifest left objects nobody reads
        if ((await deliveryOf(fileId)) === match[2]) keys.push(object.key);
      }
      if (hasCurrent && versions === 0 && !replacing.partitions.some((p) => p.dt === dt)) keys.push(current);
      return keys;
    };
    const perDate = await Promise.all(window.map(async (dt) => ({ dt, keys: await objectsOf(dt) })));
    const files = perDate.flatMap(({ dt, keys }) => keys.map((key) => ({ key, dt }))).map((f, i) => ({ ...f, path: this.path(`other-${i}.parquet`) }));
    await eachAtOnce(files, (f) => download(lake, f.key, f.path));
    return { relation: files.length === 0 ? null : otherCopiesSql(files), legacyByDate, rebuild: replacing !== undefined };
  }

  /**
   * The newest copy of every contact among the new rows and the other copies (table `winners`), what the new
   * rows did (written per date, replaced an older copy, lost to a newer one) and the dates to rewrite.
   */
  private async decideWinners(others: OtherCopies, freshDates: string[], window: string[]) {
    const { ws } = this;
    const id = this.id;
    const winners = others.relation === null ? 'fresh' : 'winners';
    if (others.relation !== null) await ws.run(`CREATE TABLE winners AS ${winnersSql(this.table, 'fresh', others.relation, id)}`);
    const excluded = this.table === 'contacts' ? `count(*) FILTER (WHERE outcome = 'excluded')` : '0';
    const byDate = new Map<string, { rows: number; excluded: number }>();
    for (const r of await ws.query(`SELECT dt, count(*) AS n, ${excluded} AS x FROM ${winners} WHERE __fresh GROUP BY dt`)) {
      byDate.set(String(r.dt), { rows: Number(r.n), excluded: Number(r.x) });
    }
    const [fresh] = await ws.query(`SELECT count(*) AS n FROM fresh`);
    const written = [...byDate.values()].reduce((sum, c) => sum + c.rows, 0);
    if (others.relation === null) {
      return { byDate, replaced: 0, lostToNewer: Number(fresh?.n ?? 0) - written, rewrite: others.rebuild ? window : freshDates };
    }
    const [r] = await ws.query(`SELECT count(DISTINCT o.${id}) AS n FROM (${others.relation}) o JOIN winners w ON o.${id} = w.${id} WHERE w.__fresh`);
    // a rebuild rewrites every date of the window; a new file the dates it wins rows on and those it took rows from
    const rewrite = others.rebuild
      ? window
      : (
          await ws.query(
            `SELECT DISTINCT dt FROM (SELECT dt FROM winners WHERE __fresh UNION ALL ` +
              `SELECT o.dt FROM (${others.relation}) o JOIN winners w ON o.${id} = w.${id} WHERE w.__fresh) ORDER BY dt`,
          )
        ).map((row) => String(row.dt));
    return { byDate, replaced: Number(r?.n ?? 0), lostToNewer: Number(fresh?.n ?? 0) - written, rewrite };
  }

  private async writeCoverage(manifest: IngestManifest, previous: IngestManifest | undefined, rejections: Rejections): Promise<void> {
    const delivery = { source: this.source, file: this.file, fileId: this.fileId, deliveredAt: this.deliveredAt };
    await writeCoverageEntries(this.deps.lake, delivery, manifest, previous, rejections);
  }
}

/**
 * One coverage entry per business date the delivery wrote to, quarantined rows of, or names; stale dates of a
 * re-ingest go. Batch ingest (ingest-batch.ts) writes each file's entries here too.
 */
export async function writeCoverageEntries(
  lake: ObjectStore,
  delivery: { source: SourceConfig; file: string; fileId: string; deliveredAt: Date },
  manifest: IngestManifest,
  previous: IngestManifest | undefined,
  rejections: Rejections,
): Promise<void> {
  const { source, file, fileId } = delivery;
  const clientId = manifest.client_id;
  // the dates the file name declares (a day, or a backfill's range), or with file_date: rows every date it has rows on
  const declared = new Set(declaredFileDates(source, file));
  const rowDates = declaresRowDates(source);
  const written = new Map(manifest.partitions.map((p) => [p.dt, p]));
  const dated = [...rejections.byDate.values()].reduce((sum, n) => sum + n, 0);
  // rows whose day cannot be read belong to the (first) day the file says it is the export of
  const undated = manifest.rows_quarantined - dated;
  const firstDeclared = [...declared].sort()[0];
  const dates = new Set(manifest.coverage_dates ?? []);
  const entries: CoverageEntry[] = [];
  for (const dt of dates) {
    const p = written.get(dt) ?? { rows: 0, excluded: 0 };
    const entry: CoverageEntry = {
      client_id: clientId,
      source: source.id,
      table: manifest.table,
      dt,
      file,
      file_id: fileId,
      delivered_at: delivery.deliveredAt.toISOString(),
      finished_at: manifest.finished_at,
      rows: p.rows,
      quarantined: (rejections.byDate.get(dt) ?? 0) + (dt === firstDeclared ? undated : 0),
      excluded: p.excluded,
      declared: declared.has(dt) || (rowDates && p.rows > 0),
      file_rows_read: manifest.rows_read,
      file_rows_quarantined: manifest.rows_quarantined,
      ...(rejections.reasons.length === 0 ? {} : { quarantine_reasons: rejections.reasons }),
    };
    entries.push(entry);
  }
  const stale = [...new Set([...(previous?.partitions.map((p) => p.dt) ?? []), ...(previous?.coverage_dates ?? [])])].filter((dt) => !dates.has(dt));
  await Promise.all([
    eachAtOnce(entries, (entry) => putCoverageEntry(lake, entry)),
    eachAtOnce(stale, (dt) => lake.delete(coverageKeys.entry(clientId, dt, source.id, fileId))),
  ]);
}

/** The fields a quarantine file's rows were rejected for, the most frequent first, with one reason each. */
export async function quarantineReasons(ws: SqlWorkspace, quarantineFile: string): Promise<QuarantineReason[]> {
  const top = await ws.query(
    `SELECT field, count(*) AS n, min(reason) AS reason FROM read_json(${sqlString(quarantineFile)}, format = 'newline_delimited', ` +
      `columns = {field: 'VARCHAR', reason: 'VARCHAR'}) GROUP BY field ORDER BY n DESC, field LIMIT ${QUARANTINE_REASONS_KEPT}`,
  );
  return top.map((row) => ({ field: String(row.field), reason: capped(withoutValues(String(row.reason)), REASON_LIMIT), rows: Number(row.n) }));
}
