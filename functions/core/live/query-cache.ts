/**
 * A query engine that remembers each result for a while: the live page reloads every minute for every viewer,
 * and its query's text changes only when the minute does (live-days.ts rounds the view to its minute), so one
 * Athena query a minute serves them all. Requests that arrive while the same query runs wait for it rather than
 * start their own; a failed query is not remembered.
 */
import type { Clock, QueryEngine, QueryResult, SqlParam } from '../ports.ts';

export const LIVE_CACHE_MS = 60_000;

export function cachingQueryEngine(engine: QueryEngine, clock: Clock, ttlMs: number = LIVE_CACHE_MS, maxEntries = 32): QueryEngine {
  const entries = new Map<string, { at: number; result: Promise<QueryResult> }>();
  return {
    query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
      const now = clock.now().getTime();
      for (const [k, e] of entries) if (now - e.at >= ttlMs) entries.delete(k);
      const key = JSON.stringify([sql, params.map((p) => (p instanceof Date ? p.toISOString() : p))]);
      const hit = entries.get(key);
      if (hit !== undefined) return hit.result;
      const result = engine.query(sql, params);
      entries.set(key, { at: now, result });
      result.catch(() => entries.delete(key));
      // the oldest first out: a container serves a few clients' minutes at most
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return result;
    },
    close: () => engine.close(),
  };
}

/**
 * The live view of a client's minute, kept for the minute: the page's other reads (the week's coverage listing,
 * today's alert records, the note) cost a handful of S3 requests each, which every viewer's reload would repeat.
 */
export function cachingViewLoader<C extends { id: string; timezone: string }, V>(
  load: (config: C, now: Date) => Promise<V>,
  minuteOf: (now: Date, zone: string) => string,
  clock: Clock,
  ttlMs: number = LIVE_CACHE_MS,
): (config: C, now: Date) => Promise<V> {
  const entries = new Map<string, { at: number; view: Promise<V> }>();
  return (config, now) => {
    const at = clock.now().getTime();
    for (const [k, e] of entries) if (at - e.at >= ttlMs) entries.delete(k);
    const key = `${config.id} ${minuteOf(now, config.timezone)}`;
    const hit = entries.get(key);
    if (hit !== undefined) return hit.view;
    const view = load(config, now);
    entries.set(key, { at, view });
    view.catch(() => entries.delete(key));
    return view;
  };
}
