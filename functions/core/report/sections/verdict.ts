/**
 * The verdict line, first in the subject and first on the screen: how many contract targets were met, how many
 * contacts were handled and, where the contract states a fee, the fee and the cost per contact — "계약 지표 4개 중
 * 1개 달성 · 응대 10,664건 · 월 ₩5,000,000 (건당 ₩469)". A target of a channel closed the whole period is not
 * counted; while data is missing the line says it is provisional and how many targets wait for it.
 */
import { versionForPeriod } from '../../kpis/compute-kpi-document.ts';
import type { ContractCard, KpiFigure } from '../model.ts';
import type { ReportContext } from './context.ts';

export interface VerdictLine {
  text: string;
  provisional: boolean;
}

export function verdictLine(ctx: ReportContext, contract: readonly ContractCard[], cost: KpiFigure | null): VerdictLine | null {
  const { f, msg, doc } = ctx;
  if (ctx.noData) return null;
  const parts: string[] = [];
  const judged = contract.filter((c) => c.verdict !== 'closed');
  const met = judged.filter((c) => c.verdict === 'met').length;
  const pending = judged.filter((c) => c.verdict === 'provisional').length;
  if (judged.length > 0) {
    const targets = msg.verdict.targets(f.count(met), f.count(judged.length));
    parts.push(pending > 0 ? `${targets}, ${msg.verdict.pending(f.count(pending))}` : targets);
  } else if (contract.length > 0) {
    parts.push(msg.verdict.closed);
  }
  parts.push(msg.verdict.handled(f.count(doc.current.total.answered)));
  const fee = versionForPeriod(ctx.config, doc.period).monthly_cost;
  if (fee !== undefined) parts.push(cost === null ? msg.verdict.feeOnly(f.money(fee)) : msg.verdict.fee(f.money(fee), cost.display));
  const text = parts.join(' · ');
  // counts and verdicts of a period whose data has not all arrived are provisional, and the line says so first
  return ctx.incomplete ? { text: msg.verdict.provisional(text), provisional: true } : { text, provisional: false };
}
