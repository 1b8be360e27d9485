/**
 * What to act on: data that did not arrive, missed targets, category spikes against the baseline the rule used,
 * and big worsening of a watched KPI. Comparisons are raised only between periods whose data fully arrived.
 */
import { KPI_META } from '../kpi-meta.ts';
import type { KpiKey } from '../messages.ts';
import type { ActionItem, ContractCard, KpiFigure } from '../model.ts';
import { clientChannels } from './channels.ts';
import { fcrFigure } from './figures.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';
import type { TargetCause } from './causes.ts';
import { targetKey } from './contract.ts';

/** A channel's KPIs whose worsening is worth an action item even without an SLA target, judged per channel */
const WATCHED_CHANNEL_KEYS: KpiKey[] = ['answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds'];
/** the same for the KPIs of all channels together */
const WATCHED_TOTAL_KEYS: KpiKey[] = ['repeat_rate', 'fcr', 'csat_avg'];
/** a rate that moved this many points the wrong way, or another KPI this much relatively, is a "big" worsening */
const WORSENING_POINTS = 0.05;
const WORSENING_RELATIVE = 0.2;
export const MAX_ACTIONS = 8;

export function actionItems(ctx: ReportContext, contract: readonly ContractCard[], missingText: string | null, causes: readonly TargetCause[] = []): ActionItem[] {
  const { doc, f, msg, kind } = ctx;
  const actions: ActionItem[] = [];
  if (ctx.noData) actions.push({ severity: 'high', text: msg.actions.noData(missingText ?? msg.dash) });
  else if (ctx.incomplete) actions.push({ severity: 'high', text: msg.actions.dataIncomplete(missingText ?? msg.dash) });
  for (const card of contract) {
    if (card.verdict === 'missed') {
      actions.push({ severity: 'high', text: msg.actions.slaMissed(card.label, card.actual, card.target) });
      // why, right under it: the hours, and volume, handle time or staffing (causes.ts)
      for (const cause of causes.filter((c) => c.key === card.key)) actions.push({ severity: 'high', text: cause.text });
    }
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
    const missed = new Set(contract.filter((c) => c.verdict === 'missed').map((c) => `${c.kpi}:${c.channel ?? 'all'}`));
    const watched: KpiFigure[] = [
      ...clientChannels(ctx).flatMap((ch) => WATCHED_CHANNEL_KEYS.filter((key) => !missed.has(`${key}:${ch}`)).map((key) => ctx.figure(key, ch))),
      ...WATCHED_TOTAL_KEYS.filter((key) => !missed.has(`${key}:all`)).map((key) => (key === 'fcr' ? fcrFigure(ctx) : ctx.figure(key))),
    ];
    for (const fig of watched) {
      const change = fig.vsPrior;
      if (change.direction !== 'worse' || change.delta === null) continue;
      const big = KPI_META[fig.key].kind === 'rate' ? Math.abs(change.delta) >= WORSENING_POINTS : change.relative !== null && Math.abs(change.relative) >= WORSENING_RELATIVE;
      if (big) actions.push({ severity: 'medium', text: msg.actions.worsened(fig.label, change.text, msg.vsPrior[kind]) });
    }
  }
  return actions;
}
