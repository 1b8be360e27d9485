/**
 * `cspulse config check` with the engine: every mapping prepared by the SQL engine over an empty record file
 * (a pattern JavaScript accepts can still be one RE2 refuses: `(?=…)`), and, given a sample export, a report
 * of what the mapping makes of it — records read and rejected per field, the map keys and rule values that
 * never occur in their column (a value the export spells differently never matches), JSON field paths no
 * record has, and how the customer values will be keyed (customerSampleReport: how many numbers the
 * numbering plan could not place and fell back to their digits).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientConfig, SourceConfig } from '../../config/client-config.ts';
import { WorkspaceError, type OpenSqlWorkspace } from '../../ports.ts';
import { groupLegsSql } from '../assembly/group-legs.ts';
import { customerKeyScope, customerSampleReport, type CustomerSampleReport } from '../customer-key.ts';
import { readRecordsSql } from '../mapping/record-relation.ts';
import { trimmedCell } from '../mapping/sql-values.ts';
import type { SqlMapping } from '../mapping/sql-mapping.ts';
import { FUTURE_TOLERANCE_MS } from '../ingest-file.ts';
import { readRecords } from '../records/read-records.ts';
import { parseFixedOffset, offsetFinder } from '../../time/local-time.ts';
import { compileWithoutData, isMapped, matchedValues } from './check-mapping.ts';
import { hintFor, maskReason, quotedValue } from './sample-hints.ts';

/** Keyed customer values a sample needs before a mostly-unplaceable column is taken for user ids. */
const USER_ID_HINT_MIN = 10;

const MAX_RECORD_BYTES = 1 << 20;

/** The mapping's SELECT, and for a source with call legs the grouping over it. */
const fullSelect = (mapping: SqlMapping): string => (mapping.legs === undefined ? mapping.select : groupLegsSql(`(${mapping.select})`, mapping.legs));

/** Problems the engine finds preparing each mapped source's SQL over an empty record file. */
export async function prepareMappings(config: ClientConfig, openWorkspace: OpenSqlWorkspace, workDir: string): Promise<string[]> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, 'config-check-'));
  const problems: string[] = [];
  try {
    const ws = await openWorkspace({ spillDir: dir, memoryLimitMb: 128 });
    try {
      for (const source of config.sources) {
        if (!isMapped(source)) continue;
        let compiled: ReturnType<typeof compileWithoutData>;
        try {
          compiled = compileWithoutData(config, source);
        } catch {
          continue; // mappingProblems reports it
        }
        const path = join(dir, `${source.id}.csv`);
        await writeFile(path, '');
        const view = `records_${problems.length}_${source.id.replace(/\W/g, '_')}`;
        try {
          await ws.run(`CREATE OR REPLACE VIEW records AS SELECT * FROM ${readRecordsSql({ path, width: compiled.width, delimiter: ',', maxRecordBytes: MAX_RECORD_BYTES })}`);
          await ws.query(`SELECT * FROM (${fullSelect(compiled.mapping)}) ${view} LIMIT 0`);
        } catch (error) {
          if (!(error instanceof WorkspaceError)) throw error;
          problems.push(`sources.${source.id}: the SQL engine cannot run this mapping: ${error.message.replace(/^DuckDB: /, '')}`);
        }
      }
    } finally {
      await ws.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return problems;
}

export interface SampleReport {
  source: string;
  file: string;
  /** records of the sample */
  records: number;
  /** records rejected, by the records stage or the mapping, per field, with its first reasons (masked) and a hint */
  rejected: { field: string; count: number; reasons: string[]; hint?: string }[];
  /** contacts sources: the valid contacts per outcome, most first */
  outcomes: { outcome: string; count: number }[];
  /** the local business dates the valid rows fall on, in the client's zone; null when none is valid */
  dates: { first: string; last: string; days: number; zone: string } | null;
  /** leg rows, for a source with call legs: contacts assembled from them */
  contacts?: number;
  warnings: string[];
  /** contacts sources: how the customer values of the valid rows will be keyed */
  customers: CustomerSampleReport | null;
}

const shown = (v: string) => JSON.stringify(v).replace(/\u00a0/g, '\\u00a0');

export interface SampleInput {
  config: ClientConfig;
  source: SourceConfig;
  file: string;
  body: AsyncIterable<Uint8Array>;
  openWorkspace: OpenSqlWorkspace;
  workDir: string;
}

/** Reads a sample export as ingest would, without writing anything, and reports on it (see the module comment). */
export async function checkSample(input: SampleInput): Promise<SampleReport> {
  const { config, source, file } = input;
  await mkdir(input.workDir, { recursive: true });
  const dir = await mkdtemp(join(input.workDir, 'config-sample-'));
  const rejectedBy = new Map<string, number>();
  const bump = (field: string, n = 1) => rejectedBy.set(field, (rejectedBy.get(field) ?? 0) + n);
  const reasonsBy = new Map<string, string[]>();
  const note = (field: string, reason: string) => {
    const list = reasonsBy.get(field) ?? [];
    if (list.length < REASONS_SHOWN && !list.includes(reason)) list.push(reason);
    reasonsBy.set(field, list);
  };
  try {
    const records = await readRecords({
      source,
      table: source.table,
      file,
      body: input.body,
      clientZone: config.timezone,
      path: join(dir, 'records.csv'),
      limits: { maxBytes: 4 * 1024 ** 3, maxRecordBytes: MAX_RECORD_BYTES, deadline: Date.now() + 12 * 60_000 },
      onReject: (r) => {
        bump(r.field);
        note(r.field, r.reason);
      },
      // the same checks as ingest: no time past tomorrow, customers keyed as the lake keys them
      compile: { latestMs: Date.now() + FUTURE_TOLERANCE_MS, customerScope: source.table === 'contacts' ? customerKeyScope(config, source) : undefined },
    });
    const ws = await input.openWorkspace({ spillDir: dir, memoryLimitMb: 256 });
    try {
      // one sequential scan: a sample is small, and the parallel scan can lose a record of the wrong width
      await ws.run(
        `CREATE VIEW records AS SELECT * FROM ${readRecordsSql({ path: records.path, width: records.width, delimiter: records.delimiter, maxRecordBytes: MAX_RECORD_BYTES, parallel: false })}`,
      );
      await ws.run(`CREATE TABLE staged AS ${records.mapping.select}`);
      const [reader] = await ws.query(`SELECT count(DISTINCT line) AS n FROM reject_errors`);
      if (Number(reader?.n ?? 0) > 0) bump('(row)', Number(reader!.n));
      for (const r of await ws.query(`SELECT __field AS field, count(*) AS n FROM staged WHERE __field IS NOT NULL GROUP BY __field`)) bump(String(r.field), Number(r.n));
      const firstReasons = `SELECT __field AS field, __reason AS reason FROM (SELECT __field, __reason, row_number() OVER (PARTITION BY __field ORDER BY __line) AS n FROM staged WHERE __field IS NOT NULL) WHERE n <= ${REASONS_SHOWN} ORDER BY field, n`;
      for (const r of await ws.query(firstReasons)) note(String(r.field), String(r.reason));
      const read = records.records + records.rejected;
      const warnings: string[] = [];
      if (isMapped(source)) await valueWarnings(ws, source, records.header, read, warnings);
      // a source with call legs: its contacts, as ingest assembles them from the legs
      let contacts: number | undefined;
      let rows = 'staged';
      if (records.mapping.legs !== undefined) {
        await ws.run(`CREATE TABLE contacts AS ${groupLegsSql('staged', records.mapping.legs)}`);
        const [grouped] = await ws.query(`SELECT count(*) AS n FROM contacts WHERE __field IS NULL`);
        contacts = Number(grouped?.n ?? 0);
        rows = 'contacts';
      }
      const outcomes =
        source.table === 'contacts'
          ? (await ws.query(`SELECT outcome, count(*) AS n FROM ${rows} WHERE __field IS NULL GROUP BY outcome ORDER BY n DESC, outcome`)).map((r) => ({
              outcome: String(r.outcome),
              count: Number(r.n),
            }))
          : [];
      // the business date of every valid row (a contact's arrival, a survey's answer) in the client's zone
      const [span] = await ws.query(`SELECT min(dt) AS first, max(dt) AS last, count(DISTINCT dt) AS days FROM ${rows} WHERE __field IS NULL`);
      const dates = span?.first === null || span?.first === undefined ? null : { first: String(span.first), last: String(span.last), days: Number(span.days), zone: config.timezone };
      if (source.table === 'contacts') {
        const epochWarning = epochIdWarning(
          (await ws.query(`SELECT contact_id, arrived_ms FROM ${rows} WHERE __field IS NULL LIMIT 5000`)).map((r) => ({ id: String(r.contact_id), arrivedMs: Number(r.arrived_ms) })),
          source,
          config.timezone,
        );
        if (epochWarning !== undefined) warnings.push(epochWarning);
      }
      let customers: CustomerSampleReport | null = null;
      if (source.table === 'contacts') {
        const values = (await ws.query(`SELECT customer_raw AS v FROM ${rows} WHERE __field IS NULL AND customer_raw IS NOT NULL`)).map((r) => String(r.v));
        customers = customerSampleReport(values, customerKeyScope(config, source));
        const keyed = customers.values - customers.hidden;
        if (source.customer_kind !== 'user_id' && keyed >= USER_ID_HINT_MIN && customers.phone_fallback * 2 >= keyed) {
          // mostly digits no numbering plan places: member or requester numbers, more likely than phone numbers
          warnings.push(
            `sources.${source.id}.customer_kind: ${customers.phone_fallback} of ${keyed} customer values are digits that are not phone numbers ` +
              `of region ${customers.phone_region ?? '(none)'}; if the column holds user ids, set customer_kind: user_id so none is keyed as a phone number`,
          );
        }
      }
      return {
        source: source.id,
        file,
        records: read,
        rejected: [...rejectedBy]
          .map(([field, count]) => {
            const reasons = reasonsBy.get(field) ?? [];
            // a hint the reason already states (the value is in the configured format, but no valid time) is none
            const hint = reasons
              .map((r) => {
                const value = quotedValue(r);
                const h = value === undefined ? undefined : hintFor(field, value);
                return h !== undefined && r.includes(h.replace(/^(format|unit): "?|"$/g, '')) ? undefined : h;
              })
              .find((h) => h !== undefined);
            return { field, count, reasons: reasons.map(maskReason), ...(hint === undefined ? {} : { hint }) };
          })
          .sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : 1)),
        outcomes,
        dates,
        ...(contacts === undefined ? {} : { contacts }),
        warnings,
        customers,
      };
    } finally {
      await ws.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const REASONS_SHOWN = 2;

/** `[system-]epoch.sequence`: an Asterisk uniqueid/linkedid, whose epoch is the call's start. */
const EPOCH_ID = /(?:^|-)(\d{9,10})\.\d+$/;

/**
 * A PBX's call ids that carry the call's start as an epoch (Asterisk's uniqueid and linkedid) tell the zone the
 * file's times are in: when most ids' epochs differ from the start times read in the configured zone by the same
 * whole quarter hours, the times are in another zone. The warning names the offset that makes them agree.
 */
export function epochIdWarning(rows: readonly { id: string; arrivedMs: number }[], source: SourceConfig, clientZone: string): string | undefined {
  const diffs: number[] = [];
  for (const r of rows) {
    const m = EPOCH_ID.exec(r.id);
    if (m !== null && Number.isFinite(r.arrivedMs)) diffs.push(Number(m[1]) * 1000 - r.arrivedMs);
  }
  if (diffs.length < 3) return undefined;
  const sorted = [...diffs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const agreeing = diffs.filter((d) => Math.abs(d - median) <= 120_000).length;
  const quarter = 15 * 60_000;
  const rounded = Math.round(median / quarter) * quarter;
  if (rounded === 0 || agreeing * 10 < diffs.length * 8 || Math.abs(median - rounded) > 120_000) return undefined;
  const zone = 'timezone' in source && typeof source.timezone === 'string' ? source.timezone : clientZone;
  const at = rows.find((r) => EPOCH_ID.test(r.id))!.arrivedMs;
  const configured = parseFixedOffset(zone) ?? offsetFinder(zone)(at);
  const fileOffset = configured - rounded;
  const show = (ms: number) => `UTC${ms < 0 ? '-' : '+'}${String(Math.floor(Math.abs(ms) / 3_600_000)).padStart(2, '0')}:${String((Math.abs(ms) % 3_600_000) / 60_000).padStart(2, '0')}`;
  const suggestion = fileOffset === 0 ? 'UTC' : show(fileOffset).slice(3);
  return (
    `sources.${source.id}.timezone: the epochs in ${agreeing} of ${diffs.length} contact ids (the PBX's uniqueid) differ from their start times read as ${zone} ` +
    `(${show(configured)}) by ${(rounded / 3_600_000).toFixed(2).replace(/\.?0+$/, '')} h: the file's times look like ${show(fileOffset)}; set timezone: ${suggestion}`
  );
}

/** Map keys and rule values that never occur in their column of the sample; JSON paths with no value at all. */
async function valueWarnings(
  ws: Awaited<ReturnType<OpenSqlWorkspace>>,
  source: Extract<SourceConfig, { format: 'mapped-csv' | 'mapped-survey-csv' | 'mapped-xlsx' | 'mapped-json' }>,
  header: string[] | null,
  records: number,
  warnings: string[],
): Promise<void> {
  const indexOf = (ref: string | number): number => {
    if (typeof ref === 'number') return ref;
    return (header ?? []).findIndex((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim() === ref.trim());
  };
  const label = (ref: string | number) => (typeof ref === 'number' ? `#${ref}` : ref);
  const counts = new Map<number, Map<string | null, number>>();
  const countsOf = async (index: number) => {
    let c = counts.get(index);
    if (c === undefined) {
      c = new Map();
      for (const r of await ws.query(`SELECT ${trimmedCell(`c${index}`)} AS v, count(*) AS n FROM records GROUP BY 1`)) c.set(r.v === null ? null : String(r.v), Number(r.n));
      counts.set(index, c);
    }
    return c;
  };
  for (const m of matchedValues(source)) {
    // null values are guards against what an export may write; only values that decide something must occur
    if (m.column === undefined || m.path.endsWith('.null_values')) continue;
    const index = indexOf(m.column);
    if (index < 0) continue;
    const c = await countsOf(index);
    const n = m.value === '' ? (c.get(null) ?? 0) : (c.get(m.value) ?? 0);
    if (n > 0) continue;
    const trimmed = m.value.trim();
    const near = trimmed !== m.value && trimmed !== '' ? (c.get(trimmed) ?? 0) : 0;
    warnings.push(
      `sources.${source.id}.${m.path}: ${shown(m.value)} never occurs in column ${label(m.column)} of the sample (${records} records)` +
        (near > 0 ? `; ${shown(trimmed)} occurs ${near} times` : ''),
    );
  }
  if (source.format === 'mapped-json' && header !== null) {
    for (const [i, path] of header.entries()) {
      const c = await countsOf(i);
      if (records > 0 && [...c.keys()].every((k) => k === null)) warnings.push(`sources.${source.id}: field path ${path} has no value in any record of the sample`);
    }
  }
}
