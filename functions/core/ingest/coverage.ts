/**
 * The coverage index: which deliveries of which source hold rows of which business date. Ingest writes one
 * small entry per (delivery, business date) beside the file's manifest; readers ask for the dates of a period
 * and list only those dates' prefixes, so a report's cost follows its period, not the client's history.
 *
 * Key: `coverage/client_id=<id>/dt=<YYYY-MM-DD>/<source>--<file id>.json`. An entry exists for every date the
 * delivery wrote rows to, and for the date the delivery says it is the export of (`completeness.file_date`,
 * read from the file name), even when that day had no rows: a quiet day's export is still a delivery.
 * A daily export rejected whole leaves an entry for the date its name declares, with the reason (`rejected`), so the
 * report can say the day's export arrived and could not be read instead of that nothing arrived; it never
 * counts as received, and the next good delivery of the file replaces it.
 */
import { re2Exec } from '../config/re2-pattern.ts';
import type { SourceConfig } from '../config/client-config.ts';
import type { ObjectStore } from '../ports.ts';
import type { LakeTableName } from '../tables.ts';
import { tokenRegex } from './mapping/sql-values.ts';

export interface CoverageEntry {
  client_id: string;
  source: string;
  table: LakeTableName;
  dt: string;
  /** the input file's name (raw key or path) and its stable id */
  file: string;
  file_id: string;
  /** when the export arrived (the raw object's last-modified time, or the file's mtime) */
  delivered_at: string;
  /** when ingest finished with it */
  finished_at: string;
  /** rows of this delivery on this date, as written */
  rows: number;
  /**
   * rows of this delivery rejected into quarantine whose business date still reads as this date (a row rejected
   * for its talk time still has an arrival); rows whose date cannot be read count on the date the file name
   * declares, else only in file_rows_quarantined. Absent in entries written before it was counted.
   */
  quarantined?: number;
  /** of those, outcome excluded */
  excluded: number;
  /** true when the file name says the file is the export of this date */
  declared: boolean;
  /** the whole file's counts, repeated on each of its dates so a period's reader needs no manifest */
  file_rows_read: number;
  file_rows_quarantined: number;
  /**
   * why the file's rows were quarantined, the most frequent first (at most three fields, one example reason each):
   * what the report's operator notice and the data-quality footer name. Reasons name columns and lines.
   */
  quarantine_reasons?: QuarantineReason[];
  /** set when the file was rejected whole: the manifest's reason (names columns and lines, never values) */
  rejected?: string;
}

export interface QuarantineReason {
  field: string;
  /** one of the field's reasons, as the quarantine file has it */
  reason: string;
  rows: number;
}

export const coverageKeys = {
  datePrefix: (clientId: string, dt: string) => `coverage/client_id=${clientId}/dt=${dt}/`,
  entry: (clientId: string, dt: string, source: string, fileId: string) =>
    `coverage/client_id=${clientId}/dt=${dt}/${source}--${fileId}.json`,
} as const;

/** Writes one entry under the key its own client, date, source and file give it. */
export async function putCoverageEntry(lake: ObjectStore, entry: CoverageEntry): Promise<void> {
  const key = coverageKeys.entry(entry.client_id, entry.dt, entry.source, entry.file_id);
  await lake.put(key, JSON.stringify(entry), { contentType: 'application/json' });
}

/** How a source's data is expected to arrive, with the defaults filled in. */
export interface Completeness {
  /**
   * `daily-file`: one export per local business date; a date is received when a delivery has rows on it or
   * names it in its file name. `continuous`: records stream in (Amazon Connect through Firehose); a date is
   * received once it has rows and `grace_minutes` have passed since it ended. `sporadic`: records come only when
   * something happens (survey answers): a day without a delivery is quiet, not missing.
   */
  expect: 'daily-file' | 'continuous' | 'sporadic';
  graceMinutes: number;
  fileDate: { pattern: string; format: string } | 'rows' | undefined;
  /** a delivery quarantining more than this share of its rows failed to deliver its days */
  maxQuarantinedShare: number;
}

/** The share of a delivery's rows that may be quarantined before its days count as failed. */
export const DEFAULT_MAX_QUARANTINED_SHARE = 0.5;

export function completenessOf(source: SourceConfig): Completeness {
  const declared = source.completeness;
  return {
    expect: declared?.expect ?? (source.format === 'amazon-connect-ctr' ? 'continuous' : source.table === 'surveys' ? 'sporadic' : 'daily-file'),
    graceMinutes: declared?.grace_minutes ?? 60,
    fileDate: declared?.file_date,
    maxQuarantinedShare: declared?.max_quarantined_share ?? DEFAULT_MAX_QUARANTINED_SHARE,
  };
}

/** The longest range a file name may declare: a month's backfill, with room. */
const MAX_DECLARED_DAYS = 62;

/**
 * The business date a file name says the file is the export of, by the source's `completeness.file_date`
 * (the first capture group of `pattern`, read with `format`), or undefined; for a range, its first date.
 */
export function declaredFileDate(source: SourceConfig, file: string): string | undefined {
  return declaredFileDates(source, file)[0];
}

/**
 * Every business date a file name says the file is the export of: one (the first capture group of
 * `file_date.pattern`), or, when the pattern has a second group, each date from the first to the second
 * (at most 62 days; a range that runs backwards or longer declares nothing). Empty for `file_date: rows`,
 * whose dates are the rows' own (see declaresRowDates), and when the name does not match.
 */
export function declaredFileDates(source: SourceConfig, file: string): string[] {
  const rule = completenessOf(source).fileDate;
  if (rule === undefined || rule === 'rows') return [];
  const name = file.slice(file.lastIndexOf('/') + 1);
  // RE2, linear in the name whatever the pattern (config/re2-pattern.ts)
  const match = re2Exec(rule.pattern, name);
  const from = parseDeclaredDate(rule.format, match?.[1] ?? match?.[0]);
  if (from === undefined) return [];
  if (match?.[2] === undefined) return [from];
  const to = parseDeclaredDate(rule.format, match[2]);
  if (to === undefined || to < from) return [];
  const dates: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); dates.length <= MAX_DECLARED_DAYS; day += 86_400_000) {
    const dt = new Date(day).toISOString().slice(0, 10);
    dates.push(dt);
    if (dt === to) return dates;
  }
  return [];
}

/** Whether the source declares every date its rows fall on (`completeness.file_date: rows`). */
export const declaresRowDates = (source: SourceConfig): boolean => completenessOf(source).fileDate === 'rows';

function parseDeclaredDate(format: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // the same token patterns the mapping reads dates with; their regular expression is valid in JS too
  const pattern = tokenRegex(format);
  if (!pattern.hasDate || pattern.hasTime) return undefined;
  const groups = new RegExp(pattern.regex).exec(text);
  if (!groups) return undefined;
  const at = (part: 'year4' | 'year2' | 'month' | 'day') => Number(groups[pattern.parts.indexOf(part) + 1]);
  const year = pattern.parts.includes('year4') ? at('year4') : at('year2') >= 70 ? 1900 + at('year2') : 2000 + at('year2');
  const parts = { year, month: at('month'), day: at('day') };
  const probe = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (probe.getUTCFullYear() !== parts.year || probe.getUTCMonth() !== parts.month - 1 || probe.getUTCDate() !== parts.day) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(parts.year).padStart(4, '0')}-${pad(parts.month)}-${pad(parts.day)}`;
}

/** Every coverage entry of the client on the given dates. Unreadable entries are skipped, not fatal. */
export async function readCoverage(lake: ObjectStore, clientId: string, dates: readonly string[]): Promise<CoverageEntry[]> {
  const out: CoverageEntry[] = [];
  for (const dt of [...new Set(dates)].sort()) {
    for await (const info of lake.list(coverageKeys.datePrefix(clientId, dt))) {
      if (!info.key.endsWith('.json')) continue;
      try {
        const entry = JSON.parse(new TextDecoder().decode(await lake.get(info.key))) as CoverageEntry;
        if (entry && typeof entry === 'object' && entry.dt === dt) out.push(entry);
      } catch {
        // an entry being replaced or corrupt: the next ingest of its file writes it again
      }
    }
  }
  return out;
}

/** A coverage entry as a listing shows it, before it is read. */
export interface CoverageListing {
  key: string;
  dt: string;
  size: number;
  lastModified: Date;
}

/** Lists the coverage entries of the given dates without reading them (one list per date). */
export async function listCoverage(lake: ObjectStore, clientId: string, dates: readonly string[]): Promise<CoverageListing[]> {
  const out: CoverageListing[] = [];
  for (const dt of [...new Set(dates)].sort()) {
    for await (const info of lake.list(coverageKeys.datePrefix(clientId, dt))) {
      if (info.key.endsWith('.json')) out.push({ key: info.key, dt, size: info.size, lastModified: info.lastModified });
    }
  }
  return out;
}

/**
 * Reads listed coverage entries, `concurrency` at a time (a Firehose-fed source has hundreds a day). Unreadable
 * entries are skipped, not fatal, as in readCoverage.
 */
export async function readCoverageEntries(lake: ObjectStore, listings: readonly CoverageListing[], concurrency = 16): Promise<CoverageEntry[]> {
  const out: (CoverageEntry | undefined)[] = new Array(listings.length);
  let next = 0;
  const worker = async () => {
    while (next < listings.length) {
      const i = next++;
      const listing = listings[i]!;
      try {
        const entry = JSON.parse(new TextDecoder().decode(await lake.get(listing.key))) as CoverageEntry;
        if (entry && typeof entry === 'object' && entry.dt === listing.dt) out[i] = entry;
      } catch {
        // an entry being replaced or corrupt: the next ingest of its file writes it again
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, listings.length)) }, worker));
  return out.filter((e): e is CoverageEntry => e !== undefined);
}
