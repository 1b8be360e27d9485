/**
 * Comparing a figure with another period's: the change as the report prints it (percentage points for rates, a
 * relative change for counts and durations) and its direction, which knows which KPIs are good when they fall.
 * Also the rule for when a restated figure moved enough to correct a report already sent.
 */
import type { Formatter, ValueKind } from './format.ts';
import { KPI_META } from './kpi-meta.ts';
import type { KpiKey } from './messages.ts';

export type Direction = 'better' | 'worse' | 'same' | 'neutral';

export interface Change {
  /** current − prior, in the value's unit (fractions for rates); null when either side is null */
  delta: number | null;
  /** (current − prior) / prior; null when the prior is null or 0 */
  relative: number | null;
  /** what the report prints: percentage points for rates, the relative change otherwise, "—" when unknown */
  text: string;
  /** null when the change is unknown; `neutral` also for changes that are provisional or rest on a small n */
  direction: Direction | null;
}

export interface CompareOptions {
  /** the figure rests on data that has not fully arrived on either side: no direction */
  provisional?: boolean;
  /** too few responses or contacts: no direction */
  smallSample?: boolean;
  /** counts compared as per-day averages: the divisors of each side */
  perDay?: { current: number; prior: number } | null;
}

const COUNT_KINDS: ReadonlySet<ValueKind> = new Set(['count']);

export const unknownChange = (f: Formatter): Change => ({ delta: null, relative: null, text: f.messages.dash, direction: null });

export function compareValues(key: KpiKey, current: number | null, prior: number | null, f: Formatter, options: CompareOptions = {}): Change {
  const meta = KPI_META[key];
  if (current === null || prior === null) return unknownChange(f);
  let a = current;
  let b = prior;
  if (options.perDay != null && COUNT_KINDS.has(meta.kind)) {
    if (options.perDay.current === 0 || options.perDay.prior === 0) return unknownChange(f);
    a = current / options.perDay.current;
    b = prior / options.perDay.prior;
  }
  const delta = a - b;
  const relative = b === 0 ? null : delta / Math.abs(b);
  let text: string;
  if (meta.kind === 'rate') text = f.pointsChange(delta);
  else if (meta.kind === 'nps' || meta.kind === 'score') text = f.absoluteChange(meta.kind, delta);
  else text = relative === null ? f.messages.dash : f.relativeChange(relative);
  // A change too small to print is "same": the arrow must never contradict a printed 0.
  const epsilon = meta.kind === 'rate' ? 0.0005 : meta.kind === 'score' ? 0.005 : 1e-9;
  let direction: Direction;
  if (Math.abs(delta) < epsilon) direction = 'same';
  else if (meta.better === 'none' || options.provisional === true || options.smallSample === true) direction = 'neutral';
  else direction = (delta > 0) === (meta.better === 'up') ? 'better' : 'worse';
  return { delta, relative, text, direction };
}

/**
 * Whether a figure moved enough between two sends of a report to restate it. One late contact in a thousand
 * is not a correction; a rate that moved half a point, a duration that moved a second and 2 %, or a figure that
 * appeared or disappeared is.
 */
export function materiallyChanged(kind: ValueKind, before: number | null, after: number | null): boolean {
  if (before === null || after === null) return before !== after;
  const d = Math.abs(after - before);
  switch (kind) {
    case 'count':
      return d >= Math.max(1, 0.005 * Math.abs(before));
    case 'rate':
      return d >= 0.005;
    case 'seconds':
      return d >= Math.max(1, 0.02 * Math.abs(before));
    case 'score':
      return d >= 0.05;
    case 'nps':
      return d >= 1;
    case 'money':
    case 'decimal':
      return d >= 0.01 * Math.abs(before);
  }
}
