/**
 * SLA compliance: each contract target judged on the period's KPIs, with a margin signed so that positive is
 * always good (≥ targets: actual − target; ≤ targets: target − actual).
 */
import type { SlaTarget } from '../config/client-config.ts';
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

/**
 * @param days per-day KPI sets of the period when the report counts days met (weekly, monthly); null otherwise
 */
export function evaluateSla(
  targets: readonly SlaTarget[],
  current: KpiSet,
  prior: KpiSet,
  days: readonly KpiSet[] | null,
): SlaResult[] {
  return targets.map((target) => {
    const actual = targetActual(current, target);
    let daysMet: number | null = null;
    let daysJudged: number | null = null;
    if (days !== null) {
      const judged = days.map((d) => isMet(target, targetActual(d, target))).filter((m) => m !== null);
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
