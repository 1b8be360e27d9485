/**
 * The first screen: each target of the contract in force, judged on the channel the contract names, with its
 * margin, the prior period's value and (weekly, monthly) the days it was met.
 */
import type { SlaResult } from '../../kpis/kpi-result.ts';
import { KPI_META, sampleSize, SURVEY_KPIS } from '../kpi-meta.ts';
import type { ContractCard, Verdict } from '../model.ts';
import { cut, MAX_LABEL_CHARS } from '../text-limits.ts';
import { closedAllPeriod } from './channels.ts';
import { affectsFigure, channelLabel, type ReportContext } from './context.ts';

export const targetKey = (row: Pick<SlaResult, 'kpi' | 'channel' | 'op' | 'target'>) => `sla:${row.kpi}:${row.channel ?? 'all'}:${row.op}${row.target}`;

export function verdictText(ctx: Pick<ReportContext, 'msg'>, verdict: Verdict): string {
  const { sla } = ctx.msg;
  return { met: sla.met, missed: sla.missed, provisional: sla.provisional, 'no-data': sla.noData, closed: sla.closed }[verdict];
}

function targetText(ctx: ReportContext, kind: (typeof KPI_META)[keyof typeof KPI_META]['kind'], op: '>=' | '<=', value: number): string {
  return `${op === '>=' ? '≥' : '≤'} ${ctx.f.value(kind, value)}`;
}

export function contractCards(ctx: ReportContext): ContractCard[] {
  const { doc, f, msg, noData, kind } = ctx;
  if (noData) return [];
  const minSample = ctx.config.reports.min_sample;
  return doc.sla.map((row) => {
    const valueKind = KPI_META[row.kpi].kind;
    const set = row.channel === null ? doc.current.total : (doc.current.by_channel[row.channel] ?? null);
    const n = set === null ? null : sampleSize(row.kpi, set);
    const provisional = row.met !== null && affectsFigure(ctx.currentMissing, row.kpi, row.channel);
    // a contact KPI of a channel closed the whole period has nothing to judge: 휴무, not 데이터 없음
    const closed = row.met === null && !SURVEY_KPIS.has(row.kpi) && closedAllPeriod(ctx, row.channel);
    const verdict: Verdict = closed ? 'closed' : row.met === null ? 'no-data' : provisional ? 'provisional' : row.met ? 'met' : 'missed';
    const label = row.label !== null ? cut(row.label, MAX_LABEL_CHARS) : row.channel === null ? msg.kpi[row.kpi] : channelLabel(f, row.channel, row.kpi);
    // "4.30 against ≥ 4.30: missed" would contradict itself: when rounding hides the difference, show more digits
    const hidden = row.actual !== null && row.actual !== row.target && f.value(valueKind, row.actual) === f.value(valueKind, row.target);
    return {
      key: targetKey(row),
      label,
      kpi: row.kpi,
      channel: row.channel,
      value: row.actual,
      actual: hidden ? f.precise(valueKind, row.actual) : f.value(valueKind, row.actual),
      target: targetText(ctx, valueKind, row.op, row.target),
      verdict,
      verdictText: verdictText(ctx, verdict),
      margin: row.margin === null ? msg.dash : msg.sla.margin(hidden ? f.preciseChange(valueKind, row.margin) : f.absoluteChange(valueKind, row.margin)),
      prior: f.value(valueKind, row.prior_actual),
      daysMet: kind === 'daily' || row.days_met === null || row.days_judged === null ? null : msg.sla.daysMet(f.count(row.days_met), f.count(row.days_judged)),
      smallSample: n !== null && row.actual !== null && n < minSample ? msg.comparison.smallSample(f.count(n)) : null,
    };
  });
}
