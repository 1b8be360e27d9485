/** What customers said in the period's surveys, the lowest scores first: escaped by the renderers, masked here. */
import { maskContactDetails } from '../../privacy/mask.ts';
import type { SurveyComment } from '../../kpis/kpi-result.ts';
import type { CommentRow } from '../model.ts';
import { cut, MAX_COMMENT_CHARS, MAX_DISPLAY_LABEL_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';

// Customers type their phone number or e-mail into comments; the report shows neither (privacy/mask.ts).
export { maskContactDetails };

/** Comments shown in the e-mail: the lowest-scored first, then the newest. */
const SHOWN: Record<'daily' | 'weekly' | 'monthly', number> = { daily: 5, weekly: 10, monthly: 10 };
const TOP_LOW_CATEGORIES = 3;

function commentRow(ctx: ReportContext, c: SurveyComment): CommentRow {
  const { f, msg } = ctx;
  const scores = [
    c.csat_score === null ? null : `CSAT ${f.decimal(c.csat_score, 0)}`,
    c.nps_score === null ? null : `NPS ${f.decimal(c.nps_score, 0)}`,
    c.ces_score === null ? null : `CES ${f.decimal(c.ces_score, 0)}`,
  ]
    .filter((x): x is string => x !== null)
    .join(' ');
  const category = c.category === null ? null : cut(c.category, MAX_DISPLAY_LABEL_CHARS);
  return {
    text: cut(maskContactDetails((c.comment ?? '').replace(/\s+/g, ' ').trim()), MAX_COMMENT_CHARS),
    meta: [msg.surveys.comment(f.instant(c.responded_at), c.channel === null ? null : msg.channel[c.channel], scores), category].filter((x) => x !== null).join(' · '),
    low: c.is_low,
    values: { responded_at: c.responded_at, channel: c.channel, category: c.category, csat: c.csat_score, nps: c.nps_score, ces: c.ces_score },
  };
}

/**
 * The voice of the customer that needs action: the lowest-scored answers with a comment first (the document
 * orders them worst first), then the newest others; a count of every low answer, with or without a comment,
 * and the categories they were about; every comment of the period for the XLSX.
 */
export function voiceSection(ctx: ReportContext): { comments: CommentRow[]; lowAnswersText: string | null; allComments: CommentRow[] } {
  const { f, msg } = ctx;
  if (ctx.noData) return { comments: [], lowAnswersText: null, allComments: [] };
  const voices = ctx.doc.comments;
  const withComment = voices.filter((c) => c.comment !== null);
  const low = withComment.filter((c) => c.is_low);
  const newest = withComment.filter((c) => !c.is_low).sort((a, b) => b.responded_at.localeCompare(a.responded_at));
  const shown = [...low, ...newest].slice(0, SHOWN[ctx.kind]);
  const lowAll = voices.filter((c) => c.is_low);
  const byCategory = new Map<string, number>();
  for (const c of lowAll) if (c.category !== null) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
  const top = [...byCategory]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_LOW_CATEGORIES)
    .map(([name, n]) => msg.surveys.category(cut(name, MAX_DISPLAY_LABEL_CHARS), f.count(n)));
  return {
    comments: shown.map((c) => commentRow(ctx, c)),
    lowAnswersText: lowAll.length === 0 ? null : msg.surveys.lowAnswers(f.count(lowAll.length), top.length === 0 ? null : top.join(', ')),
    allComments: withComment.map((c) => commentRow(ctx, c)),
  };
}

export function surveyResponsesText(ctx: ReportContext): string {
  const t = ctx.doc.current.total;
  return ctx.msg.surveys.responses(ctx.f.count(t.csat_responses + t.nps_responses + t.ces_responses));
}
