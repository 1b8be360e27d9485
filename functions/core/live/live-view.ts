/**
 * Everything the live page and the intraday alerts know at one minute, read through the ports: the intraday
 * query over today's and the usual days' partitions only (sql/live/intraday.sql), the coverage index of the
 * week for the sources without contacts today, today's alert records, and the account manager's note on
 * today's daily report. Both the page (model.ts) and the alerts (run-alerts.ts) are built from this one view, so
 * they judge the same figures.
 */
import { openingDaysOf } from '../calendar/opening-days.ts';
import { contractInForce, type ClientConfig, type ContractVersion } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import { listCoverage, readCoverageEntries, type CoverageListing } from '../ingest/coverage.ts';
import type { ObjectStore, QueryEngine } from '../ports.ts';
import { readNote } from '../report/notes.ts';
import type { Channel } from '../tables.ts';
import { listAlertRecords, type AlertRecord } from './alert-log.ts';
import { judgeConditions, type Condition } from './conditions.ts';
import { intradayFigures, type IntradayFigures } from './intraday-figures.ts';
import { intradayQuery } from './intraday-query.ts';
import { liveWindow, type LiveWindow } from './live-days.ts';
import { freshnessDates, sourceFreshness, type SourceFreshness } from './source-freshness.ts';

export interface LiveViewDeps {
  engine: QueryEngine;
  /** the text of sql/live/intraday.sql */
  intradaySql: string;
  /** coverage index and alert records */
  lake: ObjectStore;
  /** where the account manager's notes are (report/notes.ts); without it the page shows none */
  notes?: ObjectStore;
}

export interface LiveView {
  config: ClientConfig;
  window: LiveWindow;
  version: ContractVersion | undefined;
  figures: IntradayFigures;
  freshness: SourceFreshness[];
  conditions: Condition[];
  /** today's alert records as the lake holds them */
  alerts: AlertRecord[];
  note: string | null;
  now: string;
}

/** The config source a coverage key belongs to (`…/<source>--<file id>.json`); ids may contain "--". */
function sourceOfListing(listing: CoverageListing, ids: readonly string[]): string | undefined {
  const name = listing.key.slice(listing.key.lastIndexOf('/') + 1);
  return ids.filter((id) => name.startsWith(`${id}--`)).sort((a, b) => b.length - a.length)[0];
}

/** The channels the client's config names: its calendar's and those its sources are bound to. */
export function declaredChannels(config: ClientConfig, calendarChannels: readonly Channel[]): Channel[] {
  const out = new Set<Channel>(calendarChannels);
  for (const s of config.sources) for (const ch of sourceChannels(s) ?? []) out.add(ch);
  return [...out];
}

export async function loadLiveView(deps: LiveViewDeps, config: ClientConfig, now: Date): Promise<LiveView> {
  const window = liveWindow(now, config.timezone);
  const version = contractInForce(config, window.today) ?? config.contract[0];
  const opening = openingDaysOf(config);
  const query = intradayQuery(deps.intradaySql, config.id, window, version!);
  const result = await deps.engine.query(query.sql, query.params);
  const figures = intradayFigures(result.rows, window, opening, declaredChannels(config, opening.channels));

  // coverage only for the sources with nothing of today in the lake: a Firehose source writes hundreds of entries a day
  const withRows = new Set(figures.sources.filter((s) => s.today > 0).map((s) => s.source));
  const needed = config.sources.map((s) => s.id).filter((id) => !withRows.has(id));
  const listings = needed.length === 0 ? [] : (await listCoverage(deps.lake, config.id, freshnessDates(window.today))).filter((l) => needed.includes(sourceOfListing(l, config.sources.map((s) => s.id)) ?? ''));
  const coverage = await readCoverageEntries(deps.lake, listings);
  const freshness = sourceFreshness(config, figures, coverage, now, opening);

  const [alerts, note] = await Promise.all([
    listAlertRecords(deps.lake, config.id, window.today),
    deps.notes === undefined ? Promise.resolve(null) : readNote(deps.notes, config.id, 'daily', window.today),
  ]);
  return {
    config,
    window,
    version,
    figures,
    freshness,
    conditions: judgeConditions(figures, freshness, config, version),
    alerts,
    note,
    now: now.toISOString(),
  };
}
