/** The top categories of the period with their share, change and spike flag. */
import type { CategoryResult } from '../../kpis/kpi-result.ts';
import { TEXT_LENGTH_LIMITS } from '../../tables.ts';
import { compareValues, type Change } from '../compare.ts';
import type { CategoryRow } from '../model.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';

const TOP_CATEGORIES = 5;

export function categoryRows(ctx: ReportContext): CategoryRow[] {
  const { f } = ctx;
  if (ctx.noData) return [];
  const categoryChange = (c: CategoryResult): Change => {
    const ch = compareValues('offered', c.count, c.prior_count === 0 ? null : c.prior_count, f, { perDay: ctx.perDay });
    return { ...ch, direction: ch.direction === null ? null : c.count === c.prior_count ? 'same' : 'neutral' };
  };
  // every share is its count over the one base the section states (all inbound contacts, self-service included),
  // so a reader can check each on the page
  const base = ctx.doc.current.total.inbound;
  return [...ctx.doc.categories]
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, TOP_CATEGORIES)
    .map((c) => {
      const share = base === 0 ? null : c.count / base;
      return {
        name: cut(c.category, TEXT_LENGTH_LIMITS.category),
        label: cut(c.category, MAX_DISPLAY_LABEL_CHARS),
        count: f.count(c.count),
        share: f.percent(share),
        change: categoryChange(c),
        isSpike: c.is_spike,
        values: { count: c.count, share, prior_count: c.prior_count },
      };
    });
}
