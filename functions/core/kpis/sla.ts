/**
 * SLA compliance: each contract target judged on the period's KPIs, with a margin signed so that positive is
 * always good (≥ targets: actual − target; ≤ targets: target − actual).
 */
import type { SlaTarget } from '../config/client-config.ts';
import { ALWAYS_OPEN, type OpeningDays } from '../calendar/opening-days.ts';
import { CHANNELS } from '../tables.ts';
import type { KpiSet, SlaResult } from './kpi-result.ts';

export function targetActual(set: KpiSet | null, target: SlaTarget): number | null {
  if (set === null) return null;
  const kpis = target.channel === undefined ? set.total : set.by_channel[target.channel];
  const value = kpis?.[target.kpi];
  return typeof value === 'number' ? value : null;
}

export function isMet(target: SlaTarget, actual: number | null): boolean | null {
  if (actual === null) return null;
  return target.op === '>=' ? actual >= target.value : actual <= target.value;
}

export function margin(target: SlaTarget, actual: number | null): number | null {
  if (actual === null) return null;
  return target.op === '>=' ? actual - target.value : target.value - actual;
}

/** Whether a target's channel (any channel, for a target of all channels) was open on a day. */
function openFor(target: SlaTarget, dt: string, opening: OpeningDays): boolean {
  if (target.channel !== undefined) return opening.isOpen(target.channel, dt);
  const channels = opening.channels.length > 0 ? opening.channels : CHANNELS;
  return channels.some((ch) => opening.isOpen(ch, dt));
}

/**
 * @param days per-day KPI sets of the period when the report counts days met (weekly, monthly); null otherwise.
 * Days met count open days only ("달성 14/21 영업일"): a closed day is not judged.
 */
export function evaluateSla(
  targets: readonly SlaTarget[],
  current: KpiSet,
  prior: KpiSet,
  days: readonly { dt: string; set: KpiSet }[] | null,
  opening: OpeningDays = ALWAYS_OPEN,
): SlaResult[] {
  return targets.map((target) => {
    const actual = targetActual(current, target);
    let daysMet: number | null = null;
    let daysJudged: number | null = null;
    if (days !== null) {
      const judged = days
        .filter((d) => openFor(target, d.dt, opening))
        .map((d) => isMet(target, targetActual(d.set, target)))
        .filter((m) => m !== null);
      daysJudged = judged.length;
      daysMet = judged.filter((m) => m).length;
    }
    return {
      kpi: target.kpi,
      channel: target.channel ?? null,
      op: target.op,
      target: target.value,
      label: target.label ?? null,
      actual,
      met: isMet(target, actual),
      margin: margin(target, actual),
      prior_actual: targetActual(prior, target),
      days_met: daysMet,
      days_judged: daysJudged,
    };
  });
}
