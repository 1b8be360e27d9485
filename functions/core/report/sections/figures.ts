/** The key figures besides the contract, and the survey scores, each against the prior period. */
import type { KpiKey } from '../messages.ts';
import type { KpiFigure } from '../model.ts';
import type { ReportContext } from './context.ts';

/** What a CS lead watches besides the contract, in this order, when the contract does not judge them. */
export const KEY_FIGURE_KEYS: KpiKey[] = [
  'offered',
  'answer_rate',
  'service_level',
  'abandon_rate',
  'asa_seconds',
  'aht_seconds',
  'max_wait_seconds',
  'fcr',
  'repeat_rate',
  'self_service_rate',
  'retry_after_abandon_rate',
];
export const SURVEY_KEYS: KpiKey[] = ['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'survey_response_rate'];

export function keyFigures(ctx: ReportContext): KpiFigure[] {
  if (ctx.noData) return [];
  // A blended figure of a KPI the contract judges would contradict the contract's own row: leave it out.
  const judged = new Set(ctx.doc.sla.map((r) => r.kpi as string));
  return KEY_FIGURE_KEYS.filter((k) => !judged.has(k)).map((k) => ctx.figure(k));
}

export function surveyFigures(ctx: ReportContext): KpiFigure[] {
  return ctx.noData ? [] : SURVEY_KEYS.map((k) => ctx.figure(k));
}

export function comparisonNote(ctx: ReportContext): string | null {
  return ctx.perDay === null || ctx.noData ? null : ctx.msg.comparison.perDay(ctx.f.count(ctx.perDay.current), ctx.f.count(ctx.perDay.prior));
}
