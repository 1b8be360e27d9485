/**
 * A zone's offset history as a list of transitions, so that SQL can convert a million wall-clock times with a
 * CASE over a few boundaries instead of asking a time-zone library per row. The offsets come from Intl, as
 * local-time.ts's do, and the local → UTC boundaries follow its gap and overlap rules, so both give the same
 * instant for every wall-clock time:
 * - a transition at UTC instant T from offset a to offset b makes local times before T + max(a, b) read with
 *   a and the rest with b: a time in a spring-forward gap takes the offset before the gap (moves forward),
 *   and a time in a fall-back overlap takes the offset before the change (the earlier of its two instants).
 */
import { InvalidTimeZoneError, offsetFinder, parseFixedOffset } from './local-time.ts';

export interface ZoneTransition {
  /** UTC epoch ms of the first instant with the new offset */
  at: number;
  before: number;
  after: number;
}

export interface ZoneHistory {
  /** offset in force before the first transition (and always, for a zone without transitions) */
  initial: number;
  transitions: ZoneTransition[];
}

const DAY = 86_400_000;
const STEP = 2 * DAY;
const cache = new Map<string, ZoneHistory>();

/** First and last instants covered: ingest rejects timestamps before 1970 and more than a day ahead. */
export const HISTORY_FROM_MS = Date.UTC(1970, 0, 1);
const historyTo = (): number => Date.UTC(new Date().getUTCFullYear() + 3, 0, 1);

/**
 * Offset changes of `zone` between 1970 and three years from now; a fixed offset (`+09:00`) has none.
 * @throws InvalidTimeZoneError
 */
export function zoneHistory(zone: string): ZoneHistory {
  const fixed = parseFixedOffset(zone);
  if (fixed !== undefined) return { initial: fixed, transitions: [] };
  const cached = cache.get(zone);
  if (cached) return cached;
  const offsetAt = offsetFinder(zone);
  const transitions: ZoneTransition[] = [];
  const end = historyTo();
  let t = HISTORY_FROM_MS;
  let offset = offsetAt(t);
  const initial = offset;
  while (t < end) {
    const next = t + STEP;
    const nextOffset = offsetAt(next);
    if (nextOffset !== offset) {
      // bisect to the second: transitions fall on whole seconds
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi, before: offset, after: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  const history = { initial, transitions };
  cache.set(zone, history);
  return history;
}

/** Validates a zone name, for config checks. */
export function assertZone(zone: string): void {
  if (parseFixedOffset(zone) !== undefined) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new InvalidTimeZoneError(zone);
  }
}

/** The offset (ms) to subtract from a local wall-clock time, by the rules above. */
export function localOffsetBoundaries(history: ZoneHistory): { from: number; offset: number }[] {
  return history.transitions.map((t) => ({ from: t.at + Math.max(t.before, t.after), offset: t.after }));
}
