/** Cost per contact: shown only for a period whose data has fully arrived, compared only with a complete prior. */
import { unknownChange } from '../compare.ts';
import type { KpiFigure } from '../model.ts';
import type { ReportContext } from './context.ts';

export function costSection(ctx: ReportContext): { cost: KpiFigure | null; costNote: string | null; costBase: string | null } {
  const { msg, noData, completeness, priorComplete } = ctx;
  const figure = ctx.figure('cost_per_contact');
  const shown = !noData && completeness.complete && figure.value !== null;
  const cost: KpiFigure | null = shown
    ? {
        ...figure,
        prior: priorComplete ? figure.prior : null,
        priorDisplay: priorComplete ? figure.priorDisplay : msg.dash,
        vsPrior: priorComplete ? figure.vsPrior : unknownChange(ctx.f),
      }
    : null;
  // the base beside the result: the period's share of the fee over the contacts answered
  const answered = ctx.doc.current.total.answered;
  const costBase = cost === null || cost.value === null ? null : msg.cost.base(ctx.f.money(Math.round(cost.value * answered)), ctx.f.count(answered));
  return { cost, costNote: !noData && !completeness.complete && figure.value !== null ? msg.cost.incomplete : null, costBase };
}
