/**
 * What to act on: data that did not arrive, missed targets, category spikes against the baseline the rule used,
 * and big worsening of a watched KPI. Comparisons are raised only between periods whose data fully arrived.
 */
import { KPI_META } from '../kpi-meta.ts';
import type { KpiKey } from '../messages.ts';
import type { ActionItem, ContractCard } from '../model.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';
import { targetKey } from './contract.ts';

/** KPIs whose worsening is worth an action item even without an SLA target */
const WATCHED_KEYS: KpiKey[] = ['answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds', 'repeat_rate', 'fcr', 'csat_avg'];
/** a rate that moved this many points the wrong way, or another KPI this much relatively, is a "big" worsening */
const WORSENING_POINTS = 0.05;
const WORSENING_RELATIVE = 0.2;
export const MAX_ACTIONS = 6;

export function actionItems(ctx: ReportContext, contract: readonly ContractCard[], missingText: string | null): ActionItem[] {
  const { doc, f, msg, kind } = ctx;
  const actions: ActionItem[] = [];
  if (ctx.noData) actions.push({ severity: 'high', text: msg.actions.noData(missingText ?? msg.dash) });
  else if (ctx.incomplete) actions.push({ severity: 'high', text: msg.actions.dataIncomplete(missingText ?? msg.dash) });
  for (const card of contract) {
    if (card.verdict === 'missed') actions.push({ severity: 'high', text: msg.actions.slaMissed(card.label, card.actual, card.target) });
    else if (card.verdict === 'provisional' && doc.sla.find((r) => targetKey(r) === card.key)?.met === false) {
      actions.push({ severity: 'medium', text: msg.actions.slaProvisional(card.label, card.actual, card.target) });
    }
  }
  if (ctx.noData) return actions;
  for (const c of doc.categories.filter((x) => x.is_spike).sort((a, b) => b.count - a.count)) {
    const mean = c.baseline_mean;
    const change = mean === null || mean === 0 ? msg.dash : f.relativeChange((c.count - mean) / mean);
    actions.push({
      severity: 'medium',
      text: msg.actions.spike(cut(c.category, MAX_DISPLAY_LABEL_CHARS), f.count(c.count), mean === null ? msg.dash : f.decimal(mean, mean % 1 === 0 ? 0 : 1), change, kind),
    });
  }
  if (ctx.completeness.complete && ctx.priorComplete) {
    const missedTotals = new Set(contract.filter((c) => c.verdict === 'missed' && c.channel === null).map((c) => c.kpi as string));
    for (const key of WATCHED_KEYS) {
      if (missedTotals.has(key)) continue;
      const change = ctx.figure(key).vsPrior;
      if (change.direction !== 'worse' || change.delta === null) continue;
      const big = KPI_META[key].kind === 'rate' ? Math.abs(change.delta) >= WORSENING_POINTS : change.relative !== null && Math.abs(change.relative) >= WORSENING_RELATIVE;
      if (big) actions.push({ severity: 'medium', text: msg.actions.worsened(msg.kpi[key], change.text, msg.vsPrior[kind]) });
    }
  }
  return actions;
}
