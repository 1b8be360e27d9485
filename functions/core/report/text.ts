/** The plain-text alternative: the same content as the HTML, for clients that show text and for previews. */
import type { ReportModel } from './model.ts';


export function renderReportText(model: ReportModel): string {
  const m = model.format.messages;
  const out: string[] = [];
  const heading = (title: string) => {
    out.push('', `■ ${title}`);
  };
  out.push(`${model.clientName} · ${model.title}`, model.periodLabel);
  if (model.incomplete) out.push('', `⚠ ${m.incompleteBanner}`);
  heading(m.sections.actions);
  if (model.actions.length === 0) out.push(`- ${m.actions.none}`);
  for (const a of model.actions) out.push(`- ${a.text}`);
  heading(m.sections.headline);
  for (const k of model.headline) {
    let line = `- ${k.label}: ${k.display} (${model.vsPriorLabel} ${k.vsPrior.text}`;
    if (k.vsWeekAgo !== null && model.vsWeekAgoLabel !== null) line += `, ${model.vsWeekAgoLabel} ${k.vsWeekAgo.text}`;
    out.push(`${line})`);
  }
  if (model.sla.length > 0) {
    heading(m.sections.sla);
    for (const r of model.sla) {
      const days = model.showDaysMet && r.daysMet !== null ? `, ${m.sla.daysMet} ${r.daysMet}` : '';
      out.push(`- ${r.label}: ${r.actual} / ${m.sla.target} ${r.target} → ${r.resultText} (${r.margin}), ${m.sla.prior} ${r.prior}${days}`);
    }
  }
  if (model.channels.length > 0) {
    heading(m.sections.channels);
    for (const c of model.channels) {
      out.push(`- ${c.label}: ${m.kpi.offered} ${c.offered}, ${m.kpi.answer_rate} ${c.answerRate}, ${m.kpi.service_level} ${c.serviceLevel}, ${m.kpi.abandon_rate} ${c.abandonRate}, ASA ${c.asa}, AHT ${c.aht}`);
    }
  }
  if (model.peakHourText !== null) {
    heading(m.sections.hourly);
    out.push(`- ${model.peakHourText}`);
  }
  if (model.categories.length > 0) {
    heading(m.sections.categories);
    for (const c of model.categories) {
      out.push(`- ${c.name}: ${c.count} (${c.share}), ${model.vsPriorLabel} ${c.change.text}${c.isSpike ? ` [${m.spike}]` : ''}`);
    }
  }
  if (model.surveys.some((s) => s.value !== null)) {
    heading(m.sections.surveys);
    for (const s of model.surveys) out.push(`- ${s.label}: ${s.display} (${model.vsPriorLabel} ${s.vsPrior.text})`);
    out.push(`  ${model.surveyResponsesText}`);
  }
  if (model.cost.value !== null) {
    heading(m.sections.cost);
    out.push(`- ${m.cost.perContact}: ${model.cost.display} (${model.vsPriorLabel} ${model.cost.vsPrior.text})`);
  }
  heading(m.sections.dataQuality);
  for (const l of model.dataQuality.lines) out.push(`- ${l}`);
  heading(m.sections.contract);
  for (const l of model.contractNotes) out.push(`- ${l}`);
  out.push('', m.footer, '');
  return out.join('\n');
}
