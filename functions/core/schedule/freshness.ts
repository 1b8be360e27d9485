/**
 * The freshness gate: a period's data is complete when every source of the client has delivered through the
 * period's last day, i.e. has a successful manifest with a partition on or after the last day, or a manifest
 * that finished after that day was over (an export of a quiet day can have no rows, hence no partition).
 */
import type { ClientConfig } from '../config/client-config.ts';
import type { IngestManifest } from '../ingest/manifest.ts';
import { lakeKeys } from '../ingest/manifest.ts';
import type { Period } from '../kpis/kpi-result.ts';
import type { ObjectStore } from '../ports.ts';
import { endOfLocalDay } from './periods.ts';

export interface Freshness {
  complete: boolean;
  /** sources with nothing through the period's end */
  lagging: { source: string; through: string | null }[];
}

export function checkFreshness(period: Period, config: ClientConfig, manifests: readonly IngestManifest[]): Freshness {
  const dayOver = endOfLocalDay(period.end, config.timezone).getTime();
  const lagging: Freshness['lagging'] = [];
  for (const source of config.sources) {
    let through: string | null = null;
    let covered = false;
    for (const m of manifests) {
      if (m.client_id !== config.id || m.source !== source.id || m.status !== 'ok') continue;
      for (const p of m.partitions) if (through === null || p.dt > through) through = p.dt;
      if (Date.parse(m.finished_at) >= dayOver) covered = true;
    }
    if (through !== null && through >= period.end) covered = true;
    if (!covered) lagging.push({ source: source.id, through });
  }
  return { complete: lagging.length === 0, lagging };
}

/** Every manifest of the client. Unreadable manifests are skipped: they cannot prove freshness anyway. */
export async function loadManifests(lake: ObjectStore, clientId: string): Promise<IngestManifest[]> {
  const out: IngestManifest[] = [];
  for await (const info of lake.list(lakeKeys.manifestPrefix(clientId))) {
    if (!info.key.endsWith('.json')) continue;
    try {
      const parsed = JSON.parse(new TextDecoder().decode(await lake.get(info.key))) as IngestManifest;
      if (parsed && typeof parsed === 'object' && Array.isArray(parsed.partitions)) out.push(parsed);
    } catch {
      // a manifest being replaced or corrupt: it is reconsidered on the next run
    }
  }
  return out;
}
