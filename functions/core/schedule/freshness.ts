/**
 * The freshness gate and its input: what the coverage index says about a period, per source and per business
 * date (functions/core/report/completeness.ts decides when a source-day counts as received). A report reads the
 * coverage of its own period's dates (and of its comparison periods), never the client's whole history, so its
 * cost stays flat as the lake grows.
 */
import { createHash } from 'node:crypto';
import type { ClientConfig } from '../config/client-config.ts';
import { completenessOf, listCoverage, readCoverageEntries, type CoverageEntry, type CoverageListing } from '../ingest/coverage.ts';
import type { ObjectStore } from '../ports.ts';
import { assessCompleteness, coverageDates, type PeriodCompleteness } from '../report/completeness.ts';

export interface Freshness {
  complete: boolean;
  /** the sources with days not received yet, and which */
  lagging: { source: string; missing: string[]; pending: string[] }[];
}

export function freshnessOf(c: PeriodCompleteness): Freshness {
  const lagging: Freshness['lagging'] = [];
  for (const s of c.sources) {
    // a day that arrived and could not be used may still be redelivered before the deadline
    const missing = s.days.filter((d) => d.state === 'missing' || d.state === 'failed').map((d) => d.dt);
    const pending = s.days.filter((d) => d.state === 'pending').map((d) => d.dt);
    if (missing.length + pending.length > 0) lagging.push({ source: s.source, missing, pending });
  }
  return { complete: lagging.length === 0, lagging };
}

/** The config source an entry key belongs to (`…/dt=<d>/<source>--<file id>.json`); source ids may contain "--". */
function sourceOfKey(key: string, config: ClientConfig): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return config.sources
    .map((s) => s.id)
    .filter((id) => name.startsWith(`${id}--`))
    .sort((a, b) => b.length - a.length)[0];
}

export interface PeriodCoverage {
  completeness: PeriodCompleteness;
  /** what the period's own dates held when read: a report restates only when this changes */
  digest: string;
  /** the entries read (continuous sources' from the listing alone when `details` is false) */
  entries: CoverageEntry[];
}

/** A digest of the period's coverage listing: new, replaced or removed entries change it. */
export function coverageDigest(listings: readonly CoverageListing[], range: { start: string; end: string }): string {
  const lines = listings
    .filter((l) => l.dt >= range.start && l.dt <= range.end)
    .map((l) => `${l.key}|${l.size}|${l.lastModified.getTime()}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export interface LoadCoverageOptions {
  /**
   * false: entries of continuous sources are taken from the listing alone (an entry of a continuous source exists
   * only for a date it wrote rows to), which spares reading hundreds of Firehose objects a day for a comparison
   * period whose files and rows the report does not print
   */
  details?: boolean;
  concurrency?: number;
}

/** Lists the coverage of `coverageDates(range)`, without reading entries: enough to tell whether anything changed. */
export async function listPeriodCoverage(lake: ObjectStore, config: ClientConfig, range: { start: string; end: string }): Promise<CoverageListing[]> {
  return listCoverage(lake, config.id, coverageDates(range));
}

export async function loadPeriodCoverage(
  lake: ObjectStore,
  config: ClientConfig,
  range: { start: string; end: string },
  now: Date,
  options: LoadCoverageOptions & { listings?: readonly CoverageListing[] } = {},
): Promise<PeriodCoverage> {
  const listings = options.listings ?? (await listPeriodCoverage(lake, config, range));
  const continuous = new Set(config.sources.filter((s) => completenessOf(s).expect === 'continuous').map((s) => s.id));
  const toRead: CoverageListing[] = [];
  const fromListing: CoverageEntry[] = [];
  for (const l of listings) {
    const source = sourceOfKey(l.key, config);
    if (source === undefined) continue;
    if (options.details === false && continuous.has(source)) {
      const at = l.lastModified.toISOString();
      const name = l.key.slice(l.key.lastIndexOf('/') + 1);
      fromListing.push({
        client_id: config.id,
        source,
        table: 'contacts',
        dt: l.dt,
        file: name,
        file_id: name.slice(source.length + 2, -'.json'.length),
        delivered_at: at,
        finished_at: at,
        rows: 1,
        excluded: 0,
        declared: false,
        file_rows_read: 0,
        file_rows_quarantined: 0,
      });
    } else {
      toRead.push(l);
    }
  }
  const entries = [...(await readCoverageEntries(lake, toRead, options.concurrency ?? 16)), ...fromListing];
  return { completeness: assessCompleteness(range, config, entries, now), digest: coverageDigest(listings, range), entries };
}
