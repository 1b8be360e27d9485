/** What customers wrote in the period's surveys: escaped by the renderers, masked here. */
import { maskContactDetails } from '../../privacy/mask.ts';
import type { CommentRow } from '../model.ts';
import { cut, MAX_COMMENT_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';

// Customers type their phone number or e-mail into comments; the report shows neither (privacy/mask.ts).
export { maskContactDetails };

export function commentRows(ctx: ReportContext): CommentRow[] {
  const { f, msg } = ctx;
  if (ctx.noData) return [];
  return ctx.doc.comments.map((c) => {
    const scores = [
      c.csat_score === null ? null : `CSAT ${f.decimal(c.csat_score, 0)}`,
      c.nps_score === null ? null : `NPS ${f.decimal(c.nps_score, 0)}`,
      c.ces_score === null ? null : `CES ${f.decimal(c.ces_score, 0)}`,
    ]
      .filter((x): x is string => x !== null)
      .join(' ');
    return {
      text: cut(maskContactDetails(c.comment.replace(/\s+/g, ' ').trim()), MAX_COMMENT_CHARS),
      meta: msg.surveys.comment(f.instant(c.responded_at), c.channel === null ? null : msg.channel[c.channel], scores),
    };
  });
}

export function surveyResponsesText(ctx: ReportContext): string {
  const t = ctx.doc.current.total;
  return ctx.msg.surveys.responses(ctx.f.count(t.csat_responses + t.nps_responses + t.ces_responses));
}
