/**
 * The records stage of ingest: one input file → its record file (record-file.ts) and the SQL mapping compiled
 * against its header. Each format is read here and nowhere else:
 * - CSV/TSV sources (`cspulse-csv`, `mapped-csv`, `mapped-survey-csv`): decoded and framed byte by byte
 *   (text-decoding.ts, csv-framing.ts); the mapping is the source's own, or for cspulse CSV one generated from
 *   the header.
 * - Amazon Connect CTRs: each JSON record is mapped to a draft contact in JS (amazon-connect-ctr.ts) and
 *   written in the cspulse CSV layout, which the generated cspulse mapping then reads like any CSV.
 * - XLSX workbooks (`mapped-xlsx`, xlsx-records.ts): one sheet streamed row by row, its header row the column
 *   names; JSON records (`mapped-json`, json-records.ts): field paths as column names. Both are written as
 *   records under that header and read by the source's mapping like a CSV.
 *
 * Records that cannot even become records (a broken quote, a CTR that is not JSON) are handed to `onReject`
 * with their line and a reason; every other record reaches the SQL stage.
 */
import type { SourceConfig } from '../../config/client-config.ts';
import type { LakeTableName } from '../../tables.ts';
import { mapConnectCtr, readConnectCtrs } from '../formats/amazon-connect-ctr.ts';
import { cspulseContactMapping, cspulseSurveyMapping } from '../formats/cspulse-csv.ts';
import { compileContactSql, compileSurveySql, type CompileInput, type SqlMapping } from '../mapping/sql-mapping.ts';
import { FileRejectedError, type ContactDraft } from '../types.ts';
import { frameCsv, type FramingRejection } from './csv-framing.ts';
import { RecordFileWriter } from './record-file.ts';
import { decodeToUtf8, gunzipIfNeeded, type DecodeLimits } from './text-decoding.ts';
import { readJsonRecords } from './json-records.ts';

export interface RecordSet {
  /** the record file */
  path: string;
  width: number;
  delimiter: string;
  mapping: SqlMapping;
  /** the column names of the record file (the file's header, JSON field paths), null for a file without one */
  header: string[] | null;
  /** records written to the record file */
  records: number;
  /** records rejected before the SQL stage */
  rejected: number;
  /** records flagged for trimming (record-file.ts); when none is, the SQL stage skips the trim altogether */
  trimmed?: number;
  /** physical lines (CSV) or records (JSON) of the input */
  lines: number;
  blankLines: number;
}

export interface ReadRecordsInput {
  source: SourceConfig;
  table: LakeTableName;
  file: string;
  body: AsyncIterable<Uint8Array>;
  clientZone: string;
  /** where the record file is written */
  path: string;
  limits: DecodeLimits & { maxRecordBytes: number };
  /** what the compiled mapping also checks and gives: the latest plausible time, the customer-key scope */
  compile: Pick<CompileInput, 'latestMs' | 'customerScope'>;
  onReject(rejection: FramingRejection): void;
}

/** The cspulse CSV columns a Connect draft is written in (English names; see cspulse-csv.ts). */
const DRAFT_COLUMNS = [
  'contact_id',
  'channel',
  'direction',
  'queue',
  'category',
  'subcategory',
  'customer',
  'agent_id',
  'arrived_at',
  'answered_at',
  'ended_at',
  'ivr_seconds',
  'wait_seconds',
  'talk_seconds',
  'hold_seconds',
  'acw_seconds',
  'handle_seconds',
  'outcome',
  'is_transferred',
  'is_resolved',
  'updated_at',
] as const;

const text = (v: string | number | boolean | Date | null | undefined): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(6).replace(/0+$/, '');
  return String(v);
};

function draftFields(d: ContactDraft): string[] {
  const values: Record<(typeof DRAFT_COLUMNS)[number], string | number | boolean | Date | null | undefined> = {
    contact_id: d.contact_id,
    channel: d.channel,
    direction: d.direction,
    queue: d.queue,
    category: d.category,
    subcategory: d.subcategory,
    customer: d.customer_raw,
    agent_id: d.agent_id,
    arrived_at: d.arrived_at,
    answered_at: d.answered_at,
    ended_at: d.ended_at,
    ivr_seconds: d.ivr_seconds,
    wait_seconds: d.wait_seconds,
    talk_seconds: d.talk_seconds,
    hold_seconds: d.hold_seconds,
    acw_seconds: d.acw_seconds,
    handle_seconds: d.handle_seconds,
    outcome: d.outcome,
    is_transferred: d.is_transferred,
    is_resolved: d.is_resolved,
    updated_at: d.updated_at,
  };
  return DRAFT_COLUMNS.map((c) => text(values[c]));
}

export async function readRecords(input: ReadRecordsInput): Promise<RecordSet> {
  const { source, table, file } = input;
  if (source.format === 'amazon-connect-ctr') {
    if (table !== 'contacts') throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
    const header = [...DRAFT_COLUMNS];
    const mapping = compileContactSql(
      cspulseContactMapping({ ...source, format: 'cspulse-csv', delimiter: ',', encoding: 'utf-8', invalid_bytes: 'reject', header: true, timezone: 'UTC', table: 'contacts' }, header, file),
      { header, width: header.length, clientZone: input.clientZone, file, delimiter: ',', ...input.compile },
    );
    const writer = new RecordFileWriter(input.path, Buffer.from(','));
    let rejected = 0;
    let records = 0;
    try {
      for await (const item of readConnectCtrs(gunzipIfNeeded(input.body, file, input.limits.maxBytes, input.limits.maxBytesReason), file)) {
        records++;
        const mapped = item.ok ? mapConnectCtr(item.record, source) : { ok: false as const, rejection: item.rejection };
        if (mapped.ok) writer.writeFields(item.line, draftFields(mapped.value));
        else {
          input.onReject({ line: item.line, field: mapped.rejection.field, reason: mapped.rejection.reason, raw: item.raw });
          rejected++;
        }
      }
    } catch (error) {
      writer.abort();
      throw error;
    }
    writer.close();
    return { path: input.path, width: header.length, delimiter: ',', mapping, header, records: writer.count, rejected, trimmed: writer.trimmed, lines: records, blankLines: 0 };
  }

  if (source.format === 'mapped-xlsx' || source.format === 'mapped-json') {
    if (table !== 'contacts') throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
    if (source.format === 'mapped-json') return readJsonRecords({ ...input, source });
    // the workbook reader (exceljs) loads only for a workbook: it costs every other ingest a third of a second
    const { readXlsxRecords } = await import('./xlsx-records.ts');
    return readXlsxRecords({ ...input, source });
  }

  if (source.format === 'mapped-csv' && table !== 'contacts') throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
  if (source.format === 'mapped-survey-csv' && table !== 'surveys') {
    throw new FileRejectedError(file, `source "${source.id}" is a survey source, not a contacts source`);
  }
  const usesHeader = source.format === 'cspulse-csv' || source.header;
  let mapping: SqlMapping | undefined;
  let fileHeader: string[] | null = null;
  const compile = (header: string[] | null, width: number): SqlMapping => {
    const at = { header, width, clientZone: input.clientZone, file, ...input.compile };
    switch (source.format) {
      case 'cspulse-csv':
        return table === 'contacts'
          ? compileContactSql(cspulseContactMapping(source, header ?? [], file), at)
          : compileSurveySql(cspulseSurveyMapping(source, header ?? [], file), at);
      case 'mapped-csv':
        return compileContactSql(source, at);
      case 'mapped-survey-csv':
        return compileSurveySql(source, at);
    }
  };
  const writer = new RecordFileWriter(input.path, Buffer.from(source.delimiter, 'utf8'));
  try {
    const framed = await frameCsv(decodeToUtf8(input.body, source.encoding, file, input.limits), writer, {
      file,
      delimiter: source.delimiter,
      header: usesHeader,
      encoding: source.encoding,
      invalidBytes: source.invalid_bytes,
      maxRecordBytes: input.limits.maxRecordBytes,
      onHeader: (header, width) => {
        fileHeader = header;
        mapping = compile(header, width);
        return mapping.columns;
      },
      onReject: input.onReject,
    });
    writer.close();
    return {
      path: input.path,
      width: framed.width,
      delimiter: source.delimiter,
      mapping: mapping!,
      header: fileHeader,
      records: framed.records,
      rejected: framed.rejected,
      trimmed: writer.trimmed,
      lines: framed.lines,
      blankLines: framed.blankLines,
    };
  } catch (error) {
    writer.abort();
    throw error;
  }
}
