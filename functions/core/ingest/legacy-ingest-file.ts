/**
 * One input file → lake partitions, quarantine and a manifest. Every row read ends in exactly one of:
 * written, quarantined (with file, line, field and reason) or dropped as a duplicate contact id, so
 * rows_read = rows_written + rows_quarantined + duplicates_dropped always holds.
 *
 * Streaming end to end: bytes are decoded and parsed in chunks, rows go to one Parquet file per business date
 * on local disk, and only then are the finished files published. Object keys are derived from the source and
 * the file name, so ingesting the same file again replaces its objects instead of adding to them; each put is
 * atomic, and the manifest is written last, as the mark that the file is complete.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { ParquetFileWriter } from '../lake/parquet-writer.ts';
import { readParquetColumn } from '../lake/parquet-reader.ts';
import type { Clock, ObjectStore } from '../ports.ts';
import { businessDateConverter } from '../time/business-date.ts';
import { contactsTable, surveysTable, type LakeTableName } from '../tables.ts';
import { CsvRecordTooLongError, readCsvRecords, type CsvBatch } from './csv-records.ts';
import type { CustomerHasher } from './customer-key.ts';
import { decodeText, gunzipIfNeeded } from './decode-text.ts';
import { mapConnectCtr, readConnectCtrs } from './formats/amazon-connect-ctr.ts';
import { cspulseContactMapping, cspulseSurveyMapping } from './formats/cspulse-csv.ts';
import { compileContactMapping, compileSurveyMapping } from './formats/mapped-csv.ts';
import { coverageKeys, declaredFileDate, type CoverageEntry } from './coverage.ts';
import { IdSet } from './id-set.ts';
import { lakeKeys, type IngestManifest, type ManifestPartition } from './manifest.ts';
import {
  FileRejectedError,
  type ContactDraft,
  type MapResult,
  type Rejection,
  type SurveyDraft,
} from './types.ts';

export interface IngestDeps {
  lake: ObjectStore;
  quarantine: ObjectStore;
  hashCustomer: CustomerHasher;
  clock: Clock;
  /** local scratch folder for staging Parquet files (Lambda: /tmp) */
  workDir: string;
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

/**
 * One unit handed from a format reader to the shared row handling. `raw` is the source text for quarantine:
 * a CSV record's fields (joined only if the row is rejected, which few are) or a JSON record's text.
 */
type Mapped<T> = { line: number; raw: string | string[]; result: MapResult<T> };

const QUARANTINE_RAW_LIMIT = 2_000;
/** Rows per row group of one business date's file. */
const ROW_GROUP_SIZE = 32_768;
/**
 * Rows buffered across all dates of a file before the fullest date is flushed early. A file spanning many
 * days would otherwise hold a nearly full row group for each of them.
 */
const BUFFERED_ROWS_BUDGET = 40_000;

/** A short, stable id for an input file: readable, unique per source and file name. */
export function fileIdFor(sourceId: string, file: string): string {
  const name = basename(file)
    .replace(/\.(gz|gzip)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 60);
  const hash = createHash('sha256').update(`${sourceId}\0${file}`).digest('hex').slice(0, 10);
  return `${name}-${hash}`;
}

export async function ingestFile(deps: IngestDeps, request: IngestRequest): Promise<IngestManifest> {
  const { config, sourceId, file } = request;
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new UnknownSourceError(config.id, sourceId, config.sources.map((s) => s.id));
  const table: LakeTableName = source.table;
  const fileId = fileIdFor(sourceId, file);
  const startedAt = deps.clock.now();
  const stagingDir = join(deps.workDir, `ingest-${randomUUID()}`);
  await mkdir(stagingDir, { recursive: true });

  const sha = createHash('sha256');
  let bytesRead = 0;
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const chunk of request.body) {
      sha.update(chunk);
      bytesRead += chunk.length;
      yield chunk;
    }
  }

  const run = new FileRun(deps, config, source, table, file, fileId, stagingDir);
  const base = {
    client_id: config.id,
    source: sourceId,
    table,
    file,
    file_id: fileId,
    started_at: startedAt.toISOString(),
  };
  try {
    const mapped = table === 'contacts' ? contactRecords(source, hashed(), file, config.timezone) : surveyRecords(source, hashed(), file, config.timezone);
    for await (const batch of mapped) {
      run.accept(batch);
      await run.settle();
    }
    if (bytesRead === 0) throw new FileRejectedError(file, 'the file is empty (0 bytes)');
    const manifest = await run.publish({ ...base, file_sha256: sha.digest('hex') }, request.deliveredAt ?? startedAt);
    return manifest;
  } catch (error) {
    run.abort();
    if (!(error instanceof FileRejectedError)) throw error;
    const manifest: IngestManifest = {
      ...base,
      // the hash of a file rejected part-way would describe only a prefix of it
      file_sha256: null,
      finished_at: deps.clock.now().toISOString(),
      status: 'rejected',
      error: error.message,
      rows_read: 0,
      rows_written: 0,
      rows_quarantined: 0,
      duplicates_dropped: 0,
      partitions: [],
      quarantine_key: null,
    };
    // An unreadable redelivery does not wipe what the earlier, good delivery of the file wrote: the rejection
    // is recorded beside its manifest, and a later good delivery replaces both.
    const mainKey = lakeKeys.manifest(config.id, sourceId, fileId);
    const previous = await readManifest(deps.lake, mainKey);
    const key = previous?.status === 'ok' ? lakeKeys.rejectedManifest(config.id, sourceId, fileId) : mainKey;
    await deps.lake.put(key, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
    return manifest;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Format readers: bytes → batches of mapped rows                                                     */

type CsvSource = Extract<SourceConfig, { format: 'cspulse-csv' | 'mapped-csv' | 'mapped-survey-csv' }>;

async function* csvRows<T>(
  source: CsvSource,
  body: AsyncIterable<Uint8Array>,
  file: string,
  compile: (header: string[] | null) => { map(record: string[]): MapResult<T> },
): AsyncIterable<Mapped<T>[]> {
  const usesHeader = source.format === 'cspulse-csv' || source.header;
  let mapper: { map(record: string[]): MapResult<T> } | undefined;
  let width = -1;
  const batches = readCsvRecords(decodeText(body, source.encoding as 'utf-8', file), source.delimiter);
  for await (const batch of rejectingOverlongRecords(batches, file)) {
    const out: Mapped<T>[] = [];
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i]!;
      const line = batch.lines[i]!;
      if (mapper === undefined) {
        if (usesHeader) {
          const header = record.map((h) => h.trim());
          mapper = compile(header);
          width = header.length;
          continue;
        }
        mapper = compile(null);
        width = record.length;
      }
      if (record.length !== width) {
        out.push({
          line,
          raw: record,
          result: {
            ok: false,
            rejection: { field: '(row)', reason: `expected ${width} fields, found ${record.length}` },
          },
        });
        continue;
      }
      out.push({ line, raw: record, result: mapper.map(record) });
    }
    if (out.length > 0) yield out;
  }
  if (mapper === undefined) throw new FileRejectedError(file, usesHeader ? 'the file is empty: no header row' : 'the file is empty');
}

/** An overlong record makes the whole file unreadable from there on: reject it with the line it starts at. */
async function* rejectingOverlongRecords(batches: AsyncIterable<CsvBatch>, file: string): AsyncIterable<CsvBatch> {
  try {
    yield* batches;
  } catch (error) {
    if (error instanceof CsvRecordTooLongError) throw new FileRejectedError(file, error.message, { cause: error });
    throw error;
  }
}

function contactRecords(
  source: SourceConfig,
  body: AsyncIterable<Uint8Array>,
  file: string,
  zone: string,
): AsyncIterable<Mapped<ContactDraft>[]> {
  switch (source.format) {
    case 'cspulse-csv':
      return csvRows(source, body, file, (header) =>
        compileContactMapping(cspulseContactMapping(source, header ?? [], file), header, zone, file),
      );
    case 'mapped-csv':
      return csvRows(source, body, file, (header) => compileContactMapping(source, header, zone, file));
    case 'amazon-connect-ctr':
      return ctrRows(source, body, file);
    case 'mapped-survey-csv':
      throw new FileRejectedError(file, `source "${source.id}" is a survey source, not a contacts source`);
  }
}

function surveyRecords(
  source: SourceConfig,
  body: AsyncIterable<Uint8Array>,
  file: string,
  zone: string,
): AsyncIterable<Mapped<SurveyDraft>[]> {
  switch (source.format) {
    case 'cspulse-csv':
      return csvRows(source, body, file, (header) =>
        compileSurveyMapping(cspulseSurveyMapping(source, header ?? [], file), header, zone, file),
      );
    case 'mapped-survey-csv':
      return csvRows(source, body, file, (header) => compileSurveyMapping(source, header, zone, file));
    default:
      throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
  }
}

async function* ctrRows(
  source: Extract<SourceConfig, { format: 'amazon-connect-ctr' }>,
  body: AsyncIterable<Uint8Array>,
  file: string,
): AsyncIterable<Mapped<ContactDraft>[]> {
  let out: Mapped<ContactDraft>[] = [];
  for await (const item of readConnectCtrs(gunzipIfNeeded(body, file), file)) {
    out.push(
      item.ok
        ? { line: item.line, raw: item.raw, result: mapConnectCtr(item.record, source) }
        : { line: item.line, raw: item.raw, result: { ok: false, rejection: item.rejection } },
    );
    if (out.length >= 1_000) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/* ------------------------------------------------------------------------------------------------ */
/* Shared row handling: validate, hash, partition, dedupe, stage, publish                             */

interface Staged {
  writer: ParquetFileWriter;
  path: string;
  excluded: number;
}

const isBadDuration = (v: number | null): boolean => v !== null && (!Number.isFinite(v) || v < 0);
const DURATIONS = ['ivr_seconds', 'wait_seconds', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'handle_seconds'] as const;
/** Timestamps more than a day ahead of ingest are clock or format errors, not contacts. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

class FileRun {
  private rowsRead = 0;
  private rowsWritten = 0;
  private quarantined = 0;
  private duplicates = 0;
  private readonly seenInFile = new IdSet(1 << 16);
  /** ids already in the lake for a business date, from other files: loaded when the date first appears */
  private readonly existingIds = new Map<string, IdSet>();
  private readonly pendingDates = new Set<string>();
  private readonly staged = new Map<string, Staged>();
  /** rows appended to the staged writers and not yet flushed, at most BUFFERED_ROWS_BUDGET */
  private buffered = 0;
  private quarantineOut: WriteStream | undefined;
  private readonly quarantinePath: string;
  private readonly toLocal: ReturnType<typeof businessDateConverter>;
  private readonly ingestedAt: Date;
  private readonly futureLimit: number;
  private readonly sourceFile: string;
  private readonly delimiter: string;
  private heldBack: { dt: string; row: Record<string, unknown>; id: string; excluded: boolean }[] = [];

  constructor(
    private readonly deps: IngestDeps,
    private readonly config: ClientConfig,
    private readonly source: SourceConfig,
    private readonly table: LakeTableName,
    private readonly file: string,
    private readonly fileId: string,
    private readonly stagingDir: string,
  ) {
    this.quarantinePath = join(stagingDir, 'quarantine.jsonl');
    this.toLocal = businessDateConverter(config.timezone);
    this.ingestedAt = deps.clock.now();
    this.futureLimit = this.ingestedAt.getTime() + FUTURE_TOLERANCE_MS;
    this.sourceFile = basename(file);
    this.delimiter = 'delimiter' in source ? source.delimiter : ',';
  }

  accept(batch: Mapped<ContactDraft>[] | Mapped<SurveyDraft>[]): void {
    for (const item of batch) {
      this.rowsRead++;
      if (!item.result.ok) {
        this.reject(item.line, item.raw, item.result.rejection);
        continue;
      }
      const checked =
        this.table === 'contacts'
          ? this.contactRow(item.result.value as ContactDraft)
          : this.surveyRow(item.result.value as SurveyDraft);
      if (!checked.ok) {
        this.reject(item.line, item.raw, checked.rejection);
        continue;
      }
      const { id, at, row, excluded } = checked.value;
      if (!this.seenInFile.add(id)) {
        this.duplicates++;
        continue;
      }
      const { dt, hour } = this.toLocal(at);
      if (this.table === 'contacts') row.local_hour = hour;
      this.route({ dt, row, id, excluded });
    }
  }

  /** Rows wait until the ids already in the lake for their date are known. */
  private route(entry: { dt: string; row: Record<string, unknown>; id: string; excluded: boolean }): void {
    const known = this.existingIds.get(entry.dt);
    if (known !== undefined) {
      this.place(entry, known);
      return;
    }
    this.pendingDates.add(entry.dt);
    this.heldBack.push(entry);
  }

  private place(entry: { dt: string; row: Record<string, unknown>; id: string; excluded: boolean }, known: IdSet): void {
    if (known.has(entry.id)) {
      this.duplicates++;
      return;
    }
    let staged = this.staged.get(entry.dt);
    if (!staged) {
      const path = join(this.stagingDir, `${entry.dt}.parquet`);
      const tableDef = this.table === 'contacts' ? contactsTable : surveysTable;
      staged = { writer: new ParquetFileWriter(path, tableDef, { rowGroupSize: ROW_GROUP_SIZE }), path, excluded: 0 };
      this.staged.set(entry.dt, staged);
    }
    staged.writer.append(entry.row);
    if (entry.excluded) staged.excluded++;
    this.rowsWritten++;
    if (++this.buffered > BUFFERED_ROWS_BUDGET) this.flushFullest();
  }

  private flushFullest(): void {
    let fullest: Staged | undefined;
    let total = 0;
    for (const staged of this.staged.values()) {
      total += staged.writer.bufferedRows;
      if (!fullest || staged.writer.bufferedRows > fullest.writer.bufferedRows) fullest = staged;
    }
    if (fullest && total > BUFFERED_ROWS_BUDGET) {
      total -= fullest.writer.bufferedRows;
      fullest.writer.flush();
    }
    this.buffered = total;
  }

  /** Loads the ids of new dates and places the rows that waited for them. Call between batches. */
  async settle(): Promise<void> {
    if (this.heldBack.length === 0) return;
    for (const dt of this.pendingDates) this.existingIds.set(dt, await this.loadExistingIds(dt));
    this.pendingDates.clear();
    const waiting = this.heldBack;
    this.heldBack = [];
    for (const entry of waiting) this.place(entry, this.existingIds.get(entry.dt)!);
  }

  private async loadExistingIds(dt: string): Promise<IdSet> {
    const ids = new IdSet();
    const prefix = lakeKeys.partitionPrefix(this.table, this.config.id, dt);
    const own = lakeKeys.dataObject(this.table, this.config.id, dt, this.source.id, this.fileId);
    const idColumn = this.table === 'contacts' ? 'contact_id' : 'survey_id';
    for await (const object of this.deps.lake.list(prefix)) {
      if (object.key === own || !object.key.endsWith('.parquet')) continue;
      for (const id of await readParquetColumn(await this.deps.lake.get(object.key), idColumn)) ids.add(String(id));
    }
    return ids;
  }

  private contactRow(d: ContactDraft): MapResult<{ id: string; at: Date; row: Record<string, unknown>; excluded: boolean }> {
    if (d.contact_id.trim() === '') return fail('contact_id', 'empty');
    if (Number.isNaN(d.arrived_at.getTime())) return fail('arrived_at', 'not a valid time');
    if (d.arrived_at.getTime() > this.futureLimit) {
      return fail('arrived_at', `${d.arrived_at.toISOString()} is in the future`);
    }
    for (const field of DURATIONS) {
      if (isBadDuration(d[field])) return fail(field, `${d[field]} is not a duration in seconds`);
    }
    const parts = [d.talk_seconds, d.hold_seconds, d.acw_seconds];
    const handle =
      d.handle_seconds ?? (parts.every((p) => p === null) ? null : parts.reduce<number>((sum, p) => sum + (p ?? 0), 0));
    // Built field by field rather than spread: one object shape for every row keeps this path fast.
    const row: Record<string, unknown> = {
      contact_id: d.contact_id,
      channel: d.channel,
      direction: d.direction,
      queue: d.queue,
      category: d.category,
      subcategory: d.subcategory,
      customer_key: this.deps.hashCustomer(d.customer_raw),
      agent_id: d.agent_id,
      arrived_at: d.arrived_at,
      answered_at: d.answered_at,
      ended_at: d.ended_at,
      ivr_seconds: d.ivr_seconds,
      wait_seconds: d.wait_seconds,
      talk_seconds: d.talk_seconds,
      hold_seconds: d.hold_seconds,
      acw_seconds: d.acw_seconds,
      handle_seconds: handle,
      outcome: d.outcome,
      is_transferred: d.is_transferred,
      is_resolved: d.is_resolved,
      local_hour: 0,
      source: this.source.id,
      source_file: this.sourceFile,
      ingested_at: this.ingestedAt,
    };
    return { ok: true, value: { id: d.contact_id, at: d.arrived_at, row, excluded: d.outcome === 'excluded' } };
  }

  private surveyRow(d: SurveyDraft): MapResult<{ id: string; at: Date; row: Record<string, unknown>; excluded: boolean }> {
    if (d.survey_id.trim() === '') return fail('survey_id', 'empty');
    if (Number.isNaN(d.responded_at.getTime())) return fail('responded_at', 'not a valid time');
    if (d.responded_at.getTime() > this.futureLimit) {
      return fail('responded_at', `${d.responded_at.toISOString()} is in the future`);
    }
    if (!Number.isFinite(d.score) || d.score < d.scale_min || d.score > d.scale_max) {
      return fail('score', `${d.score} is outside the scale ${d.scale_min}-${d.scale_max}`);
    }
    const row: Record<string, unknown> = {
      survey_id: d.survey_id,
      contact_id: d.contact_id,
      channel: d.channel,
      agent_id: d.agent_id,
      survey_type: d.survey_type,
      score: d.score,
      scale_min: d.scale_min,
      scale_max: d.scale_max,
      comment: d.comment,
      responded_at: d.responded_at,
      source: this.source.id,
      source_file: this.sourceFile,
      ingested_at: this.ingestedAt,
    };
    return { ok: true, value: { id: d.survey_id, at: d.responded_at, row, excluded: false } };
  }

  private reject(line: number, source: string | string[], rejection: Rejection): void {
    const raw = typeof source === 'string' ? source : source.join(this.delimiter);
    this.quarantined++;
    this.quarantineOut ??= createWriteStream(this.quarantinePath);
    const entry = {
      file: this.file,
      line,
      field: rejection.field,
      reason: rejection.reason,
      raw: raw.length > QUARANTINE_RAW_LIMIT ? `${raw.slice(0, QUARANTINE_RAW_LIMIT)}…` : raw,
    };
    this.quarantineOut.write(`${JSON.stringify(entry)}\n`);
  }

  async publish(
    base: Omit<IngestManifest, 'finished_at' | 'status' | 'error' | 'rows_read' | 'rows_written' | 'rows_quarantined' | 'duplicates_dropped' | 'partitions' | 'quarantine_key'>,
    deliveredAt: Date,
  ): Promise<IngestManifest> {
    await this.settle();
    const { lake, quarantine } = this.deps;
    const clientId = this.config.id;
    const partitions: ManifestPartition[] = [];
    for (const [dt, staged] of [...this.staged].sort(([a], [b]) => a.localeCompare(b))) {
      const { rows } = await staged.writer.close();
      const key = lakeKeys.dataObject(this.table, clientId, dt, this.source.id, this.fileId);
      await lake.put(key, createReadStream(staged.path), { contentType: 'application/vnd.apache.parquet' });
      partitions.push({ dt, rows, excluded: staged.excluded, object_key: key });
    }
    this.staged.clear();

    const manifestKey = lakeKeys.manifest(clientId, this.source.id, this.fileId);
    const previous = await readManifest(lake, manifestKey);
    // A re-ingest may place rows on other dates (a corrected zone, say): remove what this file wrote before.
    for (const old of previous?.partitions ?? []) {
      if (!partitions.some((p) => p.object_key === old.object_key)) await lake.delete(old.object_key);
    }

    const quarantineKey = lakeKeys.quarantine(clientId, this.source.id, this.fileId);
    if (this.quarantineOut) {
      const out = this.quarantineOut;
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      this.quarantineOut = undefined;
      await quarantine.put(quarantineKey, createReadStream(this.quarantinePath), { contentType: 'application/x-ndjson' });
    } else if (previous?.quarantine_key) {
      await quarantine.delete(previous.quarantine_key);
    }

    const manifest: IngestManifest = {
      ...base,
      finished_at: this.deps.clock.now().toISOString(),
      status: 'ok',
      error: null,
      rows_read: this.rowsRead,
      rows_written: this.rowsWritten,
      rows_quarantined: this.quarantined,
      duplicates_dropped: this.duplicates,
      partitions,
      quarantine_key: this.quarantined > 0 ? quarantineKey : null,
    };
    if (manifest.rows_read !== manifest.rows_written + manifest.rows_quarantined + manifest.duplicates_dropped) {
      throw new Error(`ingest bookkeeping error for ${this.file}: ${JSON.stringify(manifest)}`);
    }
    await lake.put(manifestKey, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
    await lake.delete(lakeKeys.rejectedManifest(clientId, this.source.id, this.fileId));
    await this.writeCoverage(manifest, deliveredAt, previous);
    return manifest;
  }

  /** One coverage entry per business date the delivery wrote to or names; stale dates of a re-ingest go. */
  private async writeCoverage(manifest: IngestManifest, deliveredAt: Date, previous: IngestManifest | undefined): Promise<void> {
    const { lake } = this.deps;
    const clientId = this.config.id;
    const declared = declaredFileDate(this.source, this.file);
    const dates = new Map(manifest.partitions.map((p) => [p.dt, p]));
    if (declared !== undefined && !dates.has(declared)) dates.set(declared, { dt: declared, rows: 0, excluded: 0, object_key: '' });
    for (const [dt, p] of dates) {
      const entry: CoverageEntry = {
        client_id: clientId,
        source: this.source.id,
        table: this.table,
        dt,
        file: this.file,
        file_id: this.fileId,
        delivered_at: deliveredAt.toISOString(),
        finished_at: manifest.finished_at,
        rows: p.rows,
        excluded: p.excluded,
        declared: dt === declared,
        file_rows_read: manifest.rows_read,
        file_rows_quarantined: manifest.rows_quarantined,
      };
      await lake.put(coverageKeys.entry(clientId, dt, this.source.id, this.fileId), JSON.stringify(entry), { contentType: 'application/json' });
    }
    for (const old of previous?.partitions ?? []) {
      if (!dates.has(old.dt)) await lake.delete(coverageKeys.entry(clientId, old.dt, this.source.id, this.fileId));
    }
  }

  abort(): void {
    for (const staged of this.staged.values()) staged.writer.abort();
    this.staged.clear();
    this.quarantineOut?.destroy();
  }
}

const fail = <T>(field: string, reason: string): MapResult<T> => ({ ok: false, rejection: { field, reason } });

async function readManifest(store: ObjectStore, key: string): Promise<IngestManifest | undefined> {
  if ((await store.head(key)) === undefined) return undefined;
  return JSON.parse(new TextDecoder().decode(await store.get(key))) as IngestManifest;
}
