/**
 * The HTML e-mail. MJML turns a small component tree into the table layout and inline CSS that Gmail, Outlook
 * and phone mail apps agree on. Tables stay narrow (at most six columns) so they fit a 375 px screen without
 * sideways scrolling, and charts are fluid images that shrink with the screen.
 */
import mjml2html from 'mjml';
import type { ChartImage } from './charts.ts';
import { escapeHtml as esc } from './escape.ts';
import { ReportRenderError } from './errors.ts';
import type { Change, KpiFigure, ReportModel } from './model.ts';

const FONT = "'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', Pretendard, 'Noto Sans KR', Arial, sans-serif";
const C = {
  ink: '#212529',
  muted: '#6c757d',
  line: '#dee2e6',
  soft: '#f8f9fa',
  brand: '#1c4f9c',
  better: '#2b8a3e',
  worse: '#c92a2a',
  warnBg: '#fff4e6',
  warnInk: '#a14a00',
  badBg: '#fff5f5',
};

function changeHtml(change: Change): string {
  if (change.direction === null) return `<span style="color:${C.muted}">${esc(change.text)}</span>`;
  const color = change.direction === 'better' ? C.better : change.direction === 'worse' ? C.worse : C.muted;
  const weight = change.direction === 'better' || change.direction === 'worse' ? ';font-weight:600' : '';
  return `<span style="color:${color};white-space:nowrap${weight}">${esc(change.text)}</span>`;
}

function headlineCell(kpi: KpiFigure, model: ReportModel): string {
  const m = model.format.messages;
  const weekAgo =
    kpi.vsWeekAgo !== null && model.vsWeekAgoLabel !== null
      ? `<div style="font-size:12px;color:${C.muted};padding-top:2px">${esc(m.vsWeekAgoShort)} ${changeHtml(kpi.vsWeekAgo)}</div>`
      : '';
  return `<td style="width:50%;padding:6px;vertical-align:top">
  <div style="border:1px solid ${C.line};border-radius:6px;padding:10px 12px;background:#ffffff">
    <div style="font-size:13px;color:${C.muted}">${esc(kpi.label)}</div>
    <div style="font-size:24px;font-weight:700;color:${C.ink};padding:2px 0">${esc(kpi.display)}</div>
    <div style="font-size:12px;color:${C.muted}">${esc(m.vsPriorShort[model.kind])} ${changeHtml(kpi.vsPrior)}</div>
    ${weekAgo}
  </div>
</td>`;
}

function headlineGrid(model: ReportModel): string {
  const rows: string[] = [];
  for (let i = 0; i < model.headline.length; i += 2) {
    const pair = model.headline.slice(i, i + 2);
    rows.push(`<tr>${pair.map((k) => headlineCell(k, model)).join('')}${pair.length === 1 ? '<td></td>' : ''}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:separate;table-layout:fixed">${rows.join('')}</table>`;
}

const th = (text: string, align: 'left' | 'right' = 'right') =>
  `<th style="text-align:${align};font-weight:600;font-size:12px;color:${C.muted};padding:6px 4px;border-bottom:2px solid ${C.line}">${esc(text)}</th>`;
const td = (html: string, align: 'left' | 'right' = 'right', extra = '') =>
  `<td style="text-align:${align};padding:7px 4px;border-bottom:1px solid ${C.line};${extra}">${html}</td>`;

function table(headers: string, rows: string[]): string {
  return `<mj-table font-size="13px" color="${C.ink}" padding="0 24px" width="100%" table-layout="auto">
<tr>${headers}</tr>
${rows.join('\n')}
</mj-table>`;
}

function sectionTitle(title: string): string {
  return `<mj-text font-size="16px" font-weight="700" color="${C.ink}" padding="22px 24px 8px">${esc(title)}</mj-text>`;
}

function slaSection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.sla.length === 0) return '';
  const headers = [th(m.sla.kpi, 'left'), th(m.sla.actual), th(m.sla.target), th(m.sla.result), th(m.sla.prior)];
  if (model.showDaysMet) headers.push(th(m.sla.daysMet));
  const rows = model.sla.map((r) => {
    const color = r.met === null ? C.muted : r.met ? C.better : C.worse;
    const mark = r.met === null ? '' : r.met ? '● ' : '▲ ';
    const cells = [
      td(esc(r.label), 'left'),
      td(`<b>${esc(r.actual)}</b>`, 'right', 'white-space:nowrap'),
      td(esc(r.target), 'right', 'white-space:nowrap'),
      td(
        `<span style="color:${color};font-weight:700;white-space:nowrap">${mark}${esc(r.resultText)}</span><br><span style="font-size:11px;color:${C.muted};white-space:nowrap">${esc(r.margin)}</span>`,
      ),
      td(esc(r.prior), 'right', `color:${C.muted};white-space:nowrap`),
    ];
    if (model.showDaysMet) cells.push(td(esc(r.daysMet ?? m.dash)));
    return `<tr${r.met === false ? ` style="background:${C.badBg}"` : ''}>${cells.join('')}</tr>`;
  });
  return sectionTitle(m.sections.sla) + table(headers.join(''), rows);
}

function channelSection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.channels.length === 0) return '';
  const headers = [th(m.table.channel, 'left'), th(m.kpi.offered), th(m.kpi.answer_rate), th('SL'), th(m.kpi.abandon_rate), th('ASA')].join('');
  const rows = model.channels.map(
    (c) => `<tr>${[td(esc(c.label), 'left'), td(esc(c.offered)), td(esc(c.answerRate)), td(esc(c.serviceLevel)), td(esc(c.abandonRate)), td(esc(c.asa), 'right', 'white-space:nowrap')].join('')}</tr>`,
  );
  return sectionTitle(m.sections.channels) + table(headers, rows);
}

function categorySection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.categories.length === 0) return '';
  const headers = [th(m.table.category, 'left'), th(m.table.count), th(m.table.share), th(model.vsPriorLabel)].join('');
  const rows = model.categories.map((c) => {
    const badge = c.isSpike
      ? ` <span style="display:inline-block;background:${C.worse};color:#ffffff;font-size:11px;font-weight:700;border-radius:3px;padding:1px 5px;white-space:nowrap">${esc(m.spike)}</span>`
      : '';
    return `<tr>${[td(`${esc(c.name)}${badge}`, 'left', 'word-break:break-all'), td(esc(c.count)), td(esc(c.share)), td(changeHtml(c.change))].join('')}</tr>`;
  });
  return sectionTitle(m.sections.categories) + table(headers, rows);
}

function surveySection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.surveys.every((s) => s.value === null)) return '';
  const headers = [th(m.sla.kpi, 'left'), th(m.sla.actual), th(model.vsPriorLabel)].join('');
  const rows = model.surveys.map((s) => `<tr>${[td(esc(s.label), 'left'), td(`<b>${esc(s.display)}</b>`), td(changeHtml(s.vsPrior))].join('')}</tr>`);
  return (
    sectionTitle(m.sections.surveys) +
    table(headers, rows) +
    `<mj-text font-size="12px" color="${C.muted}" padding="4px 24px 0">${esc(model.surveyResponsesText)}</mj-text>`
  );
}

function costSection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.cost.value === null) return '';
  return (
    sectionTitle(m.sections.cost) +
    `<mj-text font-size="14px" color="${C.ink}" padding="0 24px">${esc(m.cost.perContact)} <b style="font-size:18px">${esc(model.cost.display)}</b> · ${esc(model.vsPriorLabel)} ${changeHtml(model.cost.vsPrior)}<br><span style="font-size:12px;color:${C.muted}">${esc(m.cost.explanation)}</span></mj-text>`
  );
}

function actionsSection(model: ReportModel): string {
  const m = model.format.messages;
  const items =
    model.actions.length === 0
      ? `<div style="color:${C.better}">✓ ${esc(m.actions.none)}</div>`
      : model.actions
          .map(
            (a) =>
              `<div style="padding:3px 0"><span style="color:${a.severity === 'high' ? C.worse : C.warnInk};font-weight:700">${a.severity === 'high' ? '●' : '○'}</span> ${esc(a.text)}</div>`,
          )
          .join('');
  return `<mj-text padding="16px 24px 0" font-size="14px" line-height="1.55" color="${C.ink}">
<div style="background:${model.actions.length === 0 ? '#ebfbee' : C.warnBg};border-radius:6px;padding:12px 14px">
<div style="font-weight:700;font-size:15px;padding-bottom:4px">${esc(m.sections.actions)}</div>
${items}
</div>
</mj-text>`;
}

function imageBlock(chart: ChartImage | undefined, caption: string | null): string {
  if (chart === undefined) return '';
  const cap = caption === null ? '' : `<mj-text font-size="12px" color="${C.muted}" padding="0 24px 4px">${esc(caption)}</mj-text>`;
  return `${cap}<mj-image src="cid:${esc(chart.cid)}" alt="${esc(chart.alt)}" width="${chart.width}px" height="auto" padding="0 24px" fluid-on-mobile="true"></mj-image>`;
}

export function reportMjml(model: ReportModel, charts: readonly ChartImage[]): string {
  const m = model.format.messages;
  const trend = charts.find((c) => c.fileName === 'trend.png');
  const hourly = charts.find((c) => c.fileName === 'hourly.png');
  const banner = model.incomplete
    ? `<mj-section background-color="${C.warnBg}" padding="10px 0"><mj-column><mj-text font-size="13px" color="${C.warnInk}" font-weight="700">⚠ ${esc(m.incompleteBanner)}</mj-text></mj-column></mj-section>`
    : '';
  const quality = model.dataQuality.lines.map((l) => `<div>${esc(l)}</div>`).join('');
  const contract = model.contractNotes.map((l) => `<div>${esc(l)}</div>`).join('');
  return `<mjml lang="${model.locale}">
<mj-head>
  <mj-title>${esc(model.subject)}</mj-title>
  <mj-preview>${esc(model.actions[0]?.text ?? m.actions.none)}</mj-preview>
  <mj-attributes>
    <mj-all font-family="${FONT}" />
    <mj-text line-height="1.5" padding="0 24px" />
  </mj-attributes>
</mj-head>
<mj-body background-color="#eef1f4" width="600px">
  <mj-section background-color="${C.brand}" padding="18px 0 16px">
    <mj-column>
      <mj-text color="#d0ddf2" font-size="13px" padding="0 24px">${esc(model.clientName)}</mj-text>
      <mj-text color="#ffffff" font-size="22px" font-weight="700" padding="2px 24px 0"><h1 style="margin:0;font-size:22px;font-weight:700">${esc(model.title)}</h1></mj-text>
      <mj-text color="#ffffff" font-size="14px" padding="2px 24px 0">${esc(model.periodLabel)}</mj-text>
    </mj-column>
  </mj-section>
  ${banner}
  <mj-section background-color="#ffffff" padding="0 0 24px">
    <mj-column>
      ${actionsSection(model)}
      ${sectionTitle(m.sections.headline)}
      <mj-text padding="0 18px">${headlineGrid(model)}</mj-text>
      ${slaSection(model)}
      ${channelSection(model)}
      ${trend === undefined ? '' : sectionTitle(m.sections.trend) + imageBlock(trend, m.trendCaption(model.trendLineLabel))}
      ${hourly === undefined ? '' : sectionTitle(m.sections.hourly) + imageBlock(hourly, model.peakHourText)}
      ${categorySection(model)}
      ${surveySection(model)}
      ${costSection(model)}
    </mj-column>
  </mj-section>
  <mj-section background-color="${C.soft}" padding="8px 0 20px">
    <mj-column>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="10px 24px 4px">${esc(m.sections.dataQuality)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${quality}</mj-text>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="14px 24px 4px">${esc(m.sections.contract)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${contract}</mj-text>
      <mj-divider border-width="1px" border-color="${C.line}" padding="14px 24px" />
      <mj-text font-size="11px" color="${C.muted}">${esc(m.footer)}</mj-text>
    </mj-column>
  </mj-section>
</mj-body>
</mjml>`;
}

/** mjml 5's mjml2html returns a Promise (4.x was synchronous). */
export async function renderReportHtml(model: ReportModel, charts: readonly ChartImage[]): Promise<string> {
  try {
    const result = await mjml2html(reportMjml(model, charts), { validationLevel: 'strict', keepComments: false });
    return result.html;
  } catch (error) {
    throw new ReportRenderError('could not render the report HTML', { cause: error });
  }
}
