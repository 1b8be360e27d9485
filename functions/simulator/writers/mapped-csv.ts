/**
 * Writes a `mapped-csv` or `mapped-survey-csv` source exactly as its client config describes it: the header is
 * the config's column names in the order the fields are listed, values are written in each field's unit,
 * format and value map (the reverse of what ingest reads), and the text is encoded in the config's encoding.
 * The file therefore matches the config by construction, and changing a column name in the config changes
 * the export with it.
 */
import iconv from 'iconv-lite';

import type { FieldMapping, SourceConfig } from '../../core/config/client-config.ts';
import { compactDate, isoSeconds, ZoneClock } from '../calendar.ts';
import type { SimContact, SimSurvey } from '../engine.ts';
import { SimulatorConfigError } from '../errors.ts';
import type { DataQualityScenario } from '../scenario.ts';
import {
  BucketSet,
  csvCell,
  INTRADAY_DELAY_MS,
  windowStart,
  writeOutput,
  type IntradayDelivery,
  type PlantedRow,
  type SimDayWithEnd,
  type SourceFilesTruth,
  type SourceWriter,
} from './output.ts';

/** A vendor's nightly export lands about three hours after the day it covers closes. */
const EXPORT_DELAY_MS = 3 * 3_600_000;

type MappedSource = Extract<SourceConfig, { format: 'mapped-csv' | 'mapped-survey-csv' }>;
type Value = string | number | boolean | null;

const TIMESTAMP_FIELDS = new Set(['arrived_at', 'answered_at', 'ended_at', 'responded_at']);
const DURATION_FIELDS = new Set(['ivr_seconds', 'wait_seconds', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'handle_seconds']);

/** The parts of a field mapping the writer reads; every variant of FieldMapping fits this view. */
interface MappingView {
  readonly column?: string | number;
  readonly null_values?: readonly string[];
  readonly map?: Readonly<Record<string, string | boolean | number | null>>;
  readonly unit?: 'seconds' | 'milliseconds' | 'minutes' | 'hms' | 'dhms' | 'days';
  readonly format?: string;
  readonly date?: { readonly column: string | number; readonly format: string };
  readonly time?: { readonly column: string | number; readonly format: string };
}

interface Column {
  readonly name: string;
  readonly field: string;
  readonly part: 'whole' | 'date' | 'time';
  readonly mapping: MappingView;
}

export function formatWallClock(wall: Date, format: string): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return format.replace(/YYYY|YY|MM|DD|HH|H|mm|ss|SSS/g, (token) => {
    switch (token) {
      case 'YYYY': return String(wall.getUTCFullYear());
      case 'YY': return p2(wall.getUTCFullYear() % 100);
      case 'MM': return p2(wall.getUTCMonth() + 1);
      case 'DD': return p2(wall.getUTCDate());
      case 'HH': return p2(wall.getUTCHours());
      case 'H': return String(wall.getUTCHours());
      case 'mm': return p2(wall.getUTCMinutes());
      case 'ss': return p2(wall.getUTCSeconds());
      default: return String(wall.getUTCMilliseconds()).padStart(3, '0');
    }
  });
}

export function formatHms(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Column layout of a source, in the order its fields are listed in the config file. The parsed config
 * cannot tell that order (the schema orders keys its own way), so the caller passes the file's key order.
 */
export function layoutOf(source: MappedSource, fieldOrder: readonly string[]): Column[] {
  const columns: Column[] = [];
  const fields = source.fields as Record<string, FieldMapping | undefined>;
  const ordered = [...fieldOrder.filter((f) => f in fields), ...Object.keys(fields).filter((f) => !fieldOrder.includes(f))];
  for (const field of ordered) {
    const full = fields[field];
    if (!full) continue;
    const mapping: MappingView = full;
    if (mapping.date || mapping.time) {
      for (const part of ['date', 'time'] as const) {
        const ref = mapping[part];
        if (!ref) continue;
        if (typeof ref.column !== 'string') throw new SimulatorConfigError(`${source.id}.${field}: positional columns are not simulated`);
        columns.push({ name: ref.column, field, part, mapping });
      }
      continue;
    }
    if (mapping.column === undefined) continue; // a constant: nothing in the file
    if (typeof mapping.column !== 'string') throw new SimulatorConfigError(`${source.id}.${field}: positional columns are not simulated`);
    columns.push({ name: mapping.column, field, part: 'whole', mapping });
  }
  return columns;
}

export class MappedCsvWriter implements SourceWriter {
  readonly sourceId: string;
  private readonly columns: Column[];
  private readonly clock: ZoneClock;
  private readonly buckets = new BucketSet();
  private readonly files: SourceFilesTruth['files'] = [];
  private readonly malformed: PlantedRow[] = [];
  private readonly duplicates: PlantedRow[] = [];
  private readonly redelivered: SourceFilesTruth['redelivered'] = [];
  private readonly intradayFiles = new Set<string>();

  /**
   * @param bucketOf file name and closing time for a row: CTI exports are per local day, chat and survey
   *   platforms export per UTC day.
   * @param plan per local day index, the data-quality defects to plant that day
   */
  constructor(
    private readonly source: MappedSource,
    private readonly opts: {
      readonly outDir: string;
      readonly timezone: string;
      readonly filePrefix: string;
      readonly bucket: 'local-day' | 'utc-day';
      readonly bom: boolean;
      readonly lineEnding: '\r\n' | '\n';
      readonly plan: ReadonlyMap<number, readonly DefectKind[]>;
      /** a day file that is delivered a second time as `<name>_resend.csv` */
      readonly redeliverFile: string | null;
      readonly dataQuality: DataQualityScenario;
      /** the source's field names in the order the config file lists them */
      readonly fieldOrder: readonly string[];
      /** from this date on, pulled every few minutes: a file per window of the contacts that ended in it */
      readonly intraday?: IntradayDelivery | null;
    },
  ) {
    this.sourceId = source.id;
    this.columns = layoutOf(source, opts.fieldOrder);
    this.clock = new ZoneClock(source.timezone ?? opts.timezone);
  }

  private bucketFor(ms: number, localDate: string, dayEndMs: number, readyMs: number): { name: string; closesAt: number; intraday: boolean } {
    const intraday = this.opts.intraday;
    if (intraday != null && localDate >= intraday.from) {
      // a pull returns what is finished: a contact once it ended, an answer once given
      const start = windowStart(readyMs, intraday.minutes);
      const wall = this.clock.wallClock(start).toISOString();
      const name = `${this.opts.filePrefix}_${compactDate(wall.slice(0, 10))}_${wall.slice(11, 13)}${wall.slice(14, 16)}.csv`;
      return { name, closesAt: start + intraday.minutes * 60_000, intraday: true };
    }
    return { ...this.dailyBucket(ms, localDate, dayEndMs), intraday: false };
  }

  private dailyBucket(ms: number, localDate: string, dayEndMs: number): { name: string; closesAt: number } {
    if (this.opts.bucket === 'local-day') return { name: `${this.opts.filePrefix}_${compactDate(localDate)}.csv`, closesAt: dayEndMs };
    const utc = new Date(ms).toISOString().slice(0, 10);
    return { name: `${this.opts.filePrefix}_${compactDate(utc)}.csv`, closesAt: Date.parse(`${utc}T00:00:00Z`) + 86_400_000 };
  }

  private cell(col: Column, value: Value): string {
    const m = col.mapping;
    if (value === null || value === undefined) {
      if (m.null_values && m.null_values.length > 0) return m.null_values[0]!;
      if (m.map) {
        const key = Object.keys(m.map).find((k) => m.map![k] === null);
        if (key !== undefined) return key;
      }
      // A CTI writes 0 for a duration that did not happen when its mapping has no "empty" value.
      return DURATION_FIELDS.has(col.field) ? this.formatDuration(m, 0) : '';
    }
    if (m.map) {
      const key = Object.keys(m.map).find((k) => m.map![k] === value);
      if (key === undefined) throw new SimulatorConfigError(`${this.source.id}.${col.field}: no raw value maps to ${String(value)}`);
      return key;
    }
    if (TIMESTAMP_FIELDS.has(col.field)) {
      const ms = value as number;
      const format = col.part === 'whole' ? m.format ?? 'iso' : m[col.part]!.format;
      if (format === 'iso') return isoSeconds(ms);
      if (format === 'epoch_s') return String(Math.floor(ms / 1000));
      if (format === 'epoch_ms') return String(ms);
      return formatWallClock(this.clock.wallClock(ms), format);
    }
    if (DURATION_FIELDS.has(col.field)) return this.formatDuration(m, value as number);
    return String(value);
  }

  private formatDuration(m: Column['mapping'], seconds: number): string {
    switch (m.unit) {
      case 'hms': return formatHms(seconds);
      case 'milliseconds': return String(Math.round(seconds * 1000));
      case 'minutes': return String(Math.round((seconds / 60) * 100) / 100);
      default: return String(Math.round(seconds));
    }
  }

  private row(values: Record<string, Value>): string[] {
    return this.columns.map((col) => this.cell(col, values[col.field] ?? null));
  }

  private line(cells: string[]): string {
    const d = this.source.delimiter;
    return cells.map((c) => csvCell(c, d)).join(d);
  }

  addDay(day: SimDayWithEnd): void {
    const pending = [...(this.opts.plan.get(day.dayIndex) ?? [])];
    const isSurvey = this.source.format === 'mapped-survey-csv';
    const items: { ms: number; readyMs: number; values: Record<string, Value>; contact: SimContact | null }[] = isSurvey
      ? day.surveys.filter((s) => s.sourceId === this.sourceId).map((s) => ({ ms: s.respondedMs, readyMs: s.respondedMs, values: surveyValues(s, this.source), contact: null }))
      : day.contacts.filter((c) => c.sourceId === this.sourceId).map((c) => ({ ms: c.arrivedMs, readyMs: c.endedMs, values: contactValues(c), contact: c }));
    for (const item of items) {
      const { name, closesAt, intraday } = this.bucketFor(item.ms, day.date, day.endMs, item.readyMs);
      if (intraday) this.intradayFiles.add(name);
      const bucket = this.buckets.get(name, closesAt);
      const cells = this.row(item.values);
      bucket.lines.push(this.line(cells));
      const id = String(item.values[isSurvey ? 'survey_id' : 'contact_id']);
      // Defects go next to an ordinary answered contact in the afternoon, where nobody would look for them.
      const eligible = item.contact ? item.contact.outcome === 'answered' && item.contact.localHour >= 13 : true;
      while (pending.length > 0 && eligible) {
        const kind = pending.shift()!;
        if (kind === 'duplicate_row') {
          bucket.lines.push(this.line(cells));
          this.duplicates.push({ file: name, line: bucket.lines.length + 1, kind, contact_id: id });
        } else {
          bucket.lines.push(this.defect(kind, cells, id));
          this.malformed.push({ file: name, line: bucket.lines.length + 1, kind, contact_id: id });
        }
      }
    }
  }

  /** A broken twin of a real row; it carries a fresh id so dedupe cannot hide it. */
  private defect(kind: DefectKind, cells: string[], id: string): string {
    const out = [...cells];
    const idCol = this.columns.findIndex((c) => c.field === 'contact_id' || c.field === 'survey_id');
    // Numbered so that two defects planted next to the same contact still differ.
    if (idCol >= 0) out[idCol] = `${id}9${this.malformed.length}`;
    switch (kind) {
      case 'bad_date': {
        const col = this.columns.findIndex((c) => c.field === 'arrived_at' || c.field === 'responded_at');
        const c = this.columns[col]!;
        const format = c.part === 'whole' ? c.mapping.format ?? 'iso' : c.mapping[c.part]!.format;
        out[col] = format === 'iso' ? `${out[col]!.slice(0, 4)}-02-30T25:61:00Z` : format.replace('YYYY', out[col]!.slice(0, 4)).replace('MM', '13').replace('DD', '45');
        break;
      }
      case 'unknown_outcome': {
        const col = this.columns.findIndex((c) => c.field === 'outcome' || c.field === 'survey_type');
        out[col] = this.opts.dataQuality.unknownOutcomeValue || 'UNKNOWN';
        break;
      }
      case 'missing_contact_id':
        if (idCol >= 0) out[idCol] = '';
        break;
      case 'too_few_columns':
        return this.line(out.slice(0, Math.max(1, Math.floor(out.length / 2))));
    }
    return this.line(out);
  }

  async flush(watermarkMs: number, final: boolean): Promise<void> {
    const dir = `${this.opts.outDir}/${this.sourceId}`;
    const header = this.line(this.columns.map((c) => c.name));
    const eol = this.opts.lineEnding;
    for (const bucket of this.buckets.take(watermarkMs, final)) {
      const text = (this.opts.bom ? '\uFEFF' : '') + [header, ...bucket.lines].join(eol) + eol;
      const bytes = this.source.encoding === 'cp949' || this.source.encoding === 'euc-kr' ? iconv.encode(text, 'cp949') : this.source.encoding === 'utf-16le' ? iconv.encode(text, 'utf-16le') : Buffer.from(text, 'utf8');
      // Nightly exports: the day's file lands a few hours after the day closes; a resend a day after that.
      await writeOutput(dir, bucket.name, bytes, bucket.closesAtMs + (this.intradayFiles.has(bucket.name) ? INTRADAY_DELAY_MS : EXPORT_DELAY_MS));
      this.files.push({ name: bucket.name, rows: bucket.lines.length, bytes: bytes.length });
      if (bucket.name === this.opts.redeliverFile) {
        const copy = bucket.name.replace(/\.csv$/, '_resend.csv');
        await writeOutput(dir, copy, bytes, bucket.closesAtMs + EXPORT_DELAY_MS + 24 * 3_600_000);
        this.files.push({ name: copy, rows: bucket.lines.length, bytes: bytes.length });
        this.redelivered.push({ file: copy, copy_of: bucket.name });
      }
    }
  }

  truth(): SourceFilesTruth {
    return {
      source_id: this.sourceId,
      format: this.source.format,
      files: [...this.files].sort((a, b) => (a.name < b.name ? -1 : 1)),
      malformed: this.malformed,
      duplicates: this.duplicates,
      redelivered: this.redelivered,
      extra_records: [],
    };
  }
}

export type DefectKind = 'bad_date' | 'unknown_outcome' | 'missing_contact_id' | 'too_few_columns' | 'duplicate_row';

/** The canonical values of a contact, as ingest should read them back from the export. */
export function contactValues(c: SimContact): Record<string, Value> {
  const handled = c.outcome === 'answered' || c.outcome === 'excluded';
  return {
    contact_id: c.id,
    channel: c.channel,
    direction: 'inbound',
    queue: c.queue,
    category: c.category,
    subcategory: c.subcategory,
    customer: c.customerRaw,
    agent_id: c.agentId,
    arrived_at: c.arrivedMs,
    answered_at: c.answeredMs,
    ended_at: c.endedMs,
    ivr_seconds: c.ivrSeconds,
    wait_seconds: handled || c.channel === 'phone' ? c.waitSeconds : null,
    talk_seconds: handled ? c.talkSeconds : null,
    hold_seconds: handled ? c.holdSeconds : null,
    acw_seconds: handled ? c.acwSeconds : null,
    handle_seconds: handled ? c.talkSeconds + c.holdSeconds + c.acwSeconds : null,
    outcome: c.outcome,
    is_transferred: c.isTransferred,
    is_resolved: c.channel === 'chat' ? c.isResolved : null,
  };
}

export function surveyValues(s: SimSurvey, source: MappedSource): Record<string, Value> {
  const scale = source.format === 'mapped-survey-csv' ? source.scales[s.type] : undefined;
  return {
    survey_id: s.id,
    contact_id: s.contactId,
    channel: s.channel,
    agent_id: s.agentId,
    survey_type: s.type,
    score: s.score,
    scale_min: scale?.min ?? null,
    scale_max: scale?.max ?? null,
    comment: s.comment,
    responded_at: s.respondedMs,
  };
}
