/** The plain-text alternative: the same content as the HTML, for clients that show text and for previews. */
import { stripBidiControls } from './bidi.ts';
import type { KpiFigure, ReportModel } from './model.ts';

export function renderReportText(model: ReportModel): string {
  const m = model.format.messages;
  const out: string[] = [];
  const heading = (title: string) => {
    out.push('', `■ ${title}`);
  };
  const marks = (k: Pick<KpiFigure, 'smallSample' | 'provisional'>) =>
    [k.smallSample, k.provisional ? m.comparison.provisional : null].filter((x): x is string => x !== null).map((x) => ` [${x}]`).join('');
  out.push(`${model.clientName} · ${model.correction === null ? '' : `${m.tags.corrected} `}${model.title}`, model.periodLabel);
  if (model.correction !== null) {
    heading(m.sections.correction);
    out.push(model.correction.notice, model.correction.intro);
    for (const c of model.correction.changes) out.push(`- ${c.text}`);
  }
  if (model.banner !== null) out.push('', `⚠ ${model.banner}`);
  if (model.verdict !== null) out.push('', model.verdict.text);
  if (model.note !== null) out.push('', `${m.sections.note}: ${model.note}`);
  if (model.contract.length > 0) {
    heading(m.sections.contract);
    for (const c of model.contract) {
      const extra = [c.daysMet, c.smallSample].filter((x): x is string => x !== null).join(', ');
      const margin = c.verdict === 'no-data' || c.verdict === 'closed' ? '' : ` (${c.margin})`;
      out.push(`- ${c.label}: ${c.actual} / ${m.sla.target} ${c.target} → ${c.verdictText}${margin}, ${m.sla.prior} ${c.prior}${extra === '' ? '' : `, ${extra}`}`);
    }
  }
  heading(m.sections.actions);
  if (model.actions.length === 0) out.push(`- ${model.noActionsText}`);
  for (const a of model.actions) out.push(`- ${a.text}`);
  if (model.intradayAlerts !== null) {
    heading(m.sections.intradayAlerts);
    for (const line of model.intradayAlerts.lines) out.push(`- ${line}`);
    if (model.intradayAlerts.more !== null) out.push(`- ${model.intradayAlerts.more}`);
  }
  const figureLine = (k: KpiFigure) => {
    let line = `- ${k.label}${k.caption == null ? '' : ` (${k.caption})`}: ${k.display}${marks(k)} (${model.vsPriorLabel} ${k.vsPrior.text}`;
    if (k.vsWeekAgo !== null && model.vsWeekAgoLabel !== null) line += `, ${model.vsWeekAgoLabel} ${k.vsWeekAgo.text}`;
    return `${line})`;
  };
  if (model.channels.length > 0) {
    heading(m.sections.channels);
    for (const c of model.channels) {
      out.push(`${c.label}: ${[c.countsText ?? c.stateText, c.selfServiceText].filter((x) => x !== null).join(' · ')}`);
      for (const k of c.figures) out.push(figureLine(k));
    }
  }
  if (model.keyFigures.length > 0) {
    heading(m.sections.keyFigures);
    for (const k of model.keyFigures) out.push(figureLine(k));
  }
  if (model.comparisonNote !== null) out.push(`  ${model.comparisonNote}`);
  if (model.peakHourText !== null) {
    heading(m.sections.hourly);
    out.push(`- ${model.peakHourText}`);
  }
  if (model.categories.length > 0) {
    heading(m.sections.categories);
    for (const c of model.categories) {
      out.push(`- ${c.label}: ${c.count} (${c.share}), ${model.vsPriorLabel} ${c.change.text}${c.isSpike ? ` [${m.spike}]` : ''}`);
    }
    out.push(`  ${model.categoryBase}`);
  }
  if (model.surveys.some((s) => s.value !== null) || model.comments.length > 0) {
    heading(m.sections.surveys);
    for (const s of model.surveys) out.push(`- ${s.label}: ${s.display}${marks(s)} (${model.vsPriorLabel} ${s.vsPrior.text})`);
    out.push(`  ${model.surveyResponsesText}`);
    if (model.lowAnswersText !== null) out.push(`  ${model.lowAnswersText}`);
    if (model.comments.length > 0) {
      out.push(`  ${m.sections.comments}:`);
      for (const c of model.comments) out.push(`  “${c.text}” (${c.low ? `${m.surveys.lowMark} · ` : ''}${c.meta})`);
    }
  }
  if (model.cost !== null) {
    heading(m.sections.cost);
    out.push(`- ${m.cost.perContact}: ${model.cost.display} (${model.vsPriorLabel} ${model.cost.vsPrior.text})`);
    if (model.costBase !== null) out.push(`  ${model.costBase}`);
  } else if (model.costNote !== null) {
    heading(m.sections.cost);
    out.push(`- ${m.cost.perContact}: ${m.dash} (${model.costNote})`);
  }
  heading(m.sections.dataQuality);
  for (const l of model.dataQuality) out.push(`- ${l}`);
  heading(m.sections.contractTerms);
  for (const l of model.contractNotes) out.push(`- ${l}`);
  if (model.liveLink !== null) out.push('', `${m.liveLink}: ${model.liveLink}`);
  out.push('', m.footer, '');
  // export text (categories, comments) may carry bidi controls that would reorder the figures after them
  return stripBidiControls(out.join('\n'));
}
