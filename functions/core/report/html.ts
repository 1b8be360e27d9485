/**
 * The HTML e-mail. MJML turns a small component tree into the table layout and inline CSS that Gmail, Outlook
 * and phone mail apps agree on. The first screen is the contract: the targets the client pays for, each judged
 * on its own channel, then what to act on. Tables stay narrow (at most six short columns) so they fit a 375 px
 * screen without sideways scrolling, every number is one unbreakable run (`cs-num`, white-space: nowrap), and
 * charts are fluid images that shrink with the screen.
 */
import mjml2html from 'mjml';
import type { ChartImage } from './charts.ts';
import { escapeHtml as esc } from './escape.ts';
import { ReportRenderError } from './errors.ts';
import type { Change, ContractCard, KpiFigure, ReportModel, Verdict } from './model.ts';

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
  infoBg: '#e7f0fb',
  infoInk: '#1c4f9c',
};

/** A number as one run that never wraps inside itself ("14/21", "83.7%"). */
const num = (text: string, style = ''): string => `<span class="cs-num" style="white-space:nowrap${style === '' ? '' : `;${style}`}">${esc(text)}</span>`;

function changeHtml(change: Change): string {
  if (change.direction === null) return num(change.text, `color:${C.muted}`);
  const color = change.direction === 'better' ? C.better : change.direction === 'worse' ? C.worse : C.muted;
  const weight = change.direction === 'better' || change.direction === 'worse' ? ';font-weight:600' : '';
  return num(change.text, `color:${color}${weight}`);
}

const VERDICT_STYLE: Record<Verdict, { color: string; mark: string; bg: string }> = {
  met: { color: C.better, mark: '●', bg: '#ffffff' },
  missed: { color: C.worse, mark: '▲', bg: C.badBg },
  provisional: { color: C.warnInk, mark: '◐', bg: C.warnBg },
  'no-data': { color: C.muted, mark: '–', bg: '#ffffff' },
  closed: { color: C.muted, mark: '○', bg: C.soft },
};

function contractCard(card: ContractCard, model: ReportModel): string {
  const m = model.format.messages;
  const v = VERDICT_STYLE[card.verdict];
  const details = [
    `${esc(m.sla.target)} ${num(card.target)}`,
    `${esc(m.sla.prior)} ${num(card.prior)}`,
    card.daysMet === null ? null : num(card.daysMet),
    card.smallSample === null ? null : num(card.smallSample),
  ].filter((x): x is string => x !== null);
  // the margin to target sits under the value in the verdict's colour, apart from changes against the prior period
  const margin = card.verdict === 'no-data' || card.verdict === 'closed' || card.margin === m.dash ? '' : ` <span style="font-size:13px;font-weight:600;color:${v.color}">${num(card.margin)}</span>`;
  return `<div style="border:1px solid ${C.line};border-left:4px solid ${v.color};border-radius:6px;padding:9px 12px;margin:0 0 8px;background:${v.bg}">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
    <td style="font-size:13px;color:${C.ink};font-weight:600">${esc(card.label)}</td>
    <td style="text-align:right;white-space:nowrap"><span style="color:${v.color};font-weight:700;font-size:13px;white-space:nowrap">${v.mark} ${esc(card.verdictText)}</span></td>
  </tr></table>
  <div style="font-size:22px;font-weight:700;color:${C.ink};padding:2px 0">${num(card.actual)}${margin}</div>
  <div style="font-size:12px;color:${C.muted}">${details.join(' · ')}</div>
</div>`;
}

function contractSection(model: ReportModel): string {
  if (model.contract.length === 0) return '';
  return sectionTitle(model.format.messages.sections.contract) + `<mj-text padding="0 24px">${model.contract.map((c) => contractCard(c, model)).join('')}</mj-text>`;
}

function figureCell(kpi: KpiFigure, model: ReportModel): string {
  const m = model.format.messages;
  const weekAgo =
    kpi.vsWeekAgo !== null && model.vsWeekAgoLabel !== null
      ? `<div style="font-size:12px;color:${C.muted};padding-top:2px">${esc(m.vsWeekAgoShort)} ${changeHtml(kpi.vsWeekAgo)}</div>`
      : '';
  const marks = [kpi.smallSample, kpi.provisional ? m.comparison.provisional : null].filter((x): x is string => x !== null);
  const mark = marks.length === 0 ? '' : ` <span style="font-size:11px;color:${C.warnInk};white-space:nowrap">${esc(marks.join(' · '))}</span>`;
  return `<td style="width:50%;padding:5px;vertical-align:top">
  <div style="border:1px solid ${C.line};border-radius:6px;padding:9px 11px;background:#ffffff">
    <div style="font-size:12px;color:${C.muted}">${esc(kpi.label)}</div>${kpi.caption == null ? '' : `<div style="font-size:11px;color:${C.muted}">${esc(kpi.caption)}</div>`}
    <div style="font-size:21px;font-weight:700;color:${C.ink};padding:2px 0">${num(kpi.display)}${mark}</div>
    <div style="font-size:12px;color:${C.muted}">${esc(m.vsPriorShort[model.kind])} ${changeHtml(kpi.vsPrior)}</div>
    ${weekAgo}
  </div>
</td>`;
}

function figureGrid(figures: readonly KpiFigure[], model: ReportModel): string {
  const rows: string[] = [];
  for (let i = 0; i < figures.length; i += 2) {
    const pair = figures.slice(i, i + 2);
    rows.push(`<tr>${pair.map((k) => figureCell(k, model)).join('')}${pair.length === 1 ? '<td></td>' : ''}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:separate;table-layout:fixed">${rows.join('')}</table>`;
}

const th = (text: string, align: 'left' | 'right' = 'right') =>
  `<th style="text-align:${align};font-weight:600;font-size:12px;color:${C.muted};padding:6px 3px;border-bottom:2px solid ${C.line}">${esc(text)}</th>`;
const td = (html: string, align: 'left' | 'right' = 'right', extra = '') =>
  `<td style="text-align:${align};padding:7px 3px;border-bottom:1px solid ${C.line};${extra}">${html}</td>`;

function table(headers: string, rows: string[]): string {
  return `<mj-table font-size="13px" color="${C.ink}" padding="0 24px" width="100%" table-layout="auto">
<tr>${headers}</tr>
${rows.join('\n')}
</mj-table>`;
}

function sectionTitle(title: string): string {
  return `<mj-text font-size="16px" font-weight="700" color="${C.ink}" padding="22px 24px 8px">${esc(title)}</mj-text>`;
}

const note = (text: string | null, padding = '4px 24px 0'): string =>
  text === null ? '' : `<mj-text font-size="12px" color="${C.muted}" padding="${padding}">${esc(text)}</mj-text>`;

/** One block per channel: the counts its rates rest on, then its own figures against the prior period. */
function channelSection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.channels.length === 0) return '';
  const blocks = model.channels.map((c) => {
    const head = [c.countsText ?? c.stateText, c.selfServiceText].filter((x): x is string => x !== null).map((x) => esc(x)).join(' · ');
    const grid = c.figures.length === 0 ? '' : `<mj-text padding="0 19px">${figureGrid(c.figures, model)}</mj-text>`;
    return `<mj-text padding="10px 24px 2px" font-size="14px" color="${C.ink}"><b>${esc(c.label)}</b> <span style="font-size:12px;color:${C.muted}">${head}</span></mj-text>${grid}`;
  });
  return sectionTitle(m.sections.channels) + blocks.join('');
}

function verdictSection(model: ReportModel): string {
  const m = model.format.messages;
  const note =
    model.note === null
      ? ''
      : `<mj-text padding="6px 24px 0" font-size="13px" line-height="1.5" color="${C.ink}"><div style="background:${C.infoBg};border-radius:6px;padding:10px 12px"><div style="font-weight:700;color:${C.infoInk};padding-bottom:2px">${esc(m.sections.note)}</div><div style="white-space:pre-line;word-break:break-word">${esc(model.note)}</div></div></mj-text>`;
  if (model.verdict === null) return note;
  const color = model.verdict.provisional ? C.warnInk : C.ink;
  return `<mj-text padding="16px 24px 4px" font-size="16px" font-weight="700" line-height="1.45" color="${color}">${esc(model.verdict.text)}</mj-text>${note}`;
}

function categorySection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.categories.length === 0) return '';
  const headers = [th(m.table.category, 'left'), th(m.table.count), th(m.table.share), th(m.table.change)].join('');
  const rows = model.categories.map((c) => {
    const badge = c.isSpike
      ? ` <span style="display:inline-block;background:${C.worse};color:#ffffff;font-size:11px;font-weight:700;border-radius:3px;padding:1px 5px;white-space:nowrap">${esc(m.spike)}</span>`
      : '';
    return `<tr>${[td(`${esc(c.label)}${badge}`, 'left', 'word-break:break-all'), td(num(c.count)), td(num(c.share)), td(changeHtml(c.change))].join('')}</tr>`;
  });
  return sectionTitle(m.sections.categories) + table(headers, rows) + note(`${model.categoryBase} · ${model.vsPriorLabel}`);
}

function surveySection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.surveys.every((s) => s.value === null) && model.comments.length === 0) return '';
  const headers = [th(m.sla.kpi, 'left'), th(m.sla.actual), th(model.vsPriorLabel)].join('');
  const rows = model.surveys.map((s) => {
    const n = s.smallSample === null ? '' : ` <span style="font-size:11px;color:${C.warnInk};white-space:nowrap">${esc(s.smallSample)}</span>`;
    return `<tr>${[td(esc(s.label), 'left'), td(`<b>${num(s.display)}</b>${n}`), td(changeHtml(s.vsPrior))].join('')}</tr>`;
  });
  const low = model.lowAnswersText === null ? '' : `<mj-text font-size="12px" color="${C.worse}" padding="2px 24px 6px">${esc(model.lowAnswersText)}</mj-text>`;
  const comments =
    model.comments.length === 0
      ? low
      : `<mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="14px 24px 4px">${esc(m.sections.comments)}</mj-text>` +
        low +
        `<mj-text padding="0 24px" font-size="13px" color="${C.ink}">${model.comments
          .map(
            (c) =>
              `<div style="border-left:3px solid ${c.low ? C.worse : C.line};padding:2px 0 2px 10px;margin:0 0 8px"><div style="word-break:break-word">“${esc(c.text)}”</div><div style="font-size:11px;color:${C.muted}">${esc(c.low ? `${m.surveys.lowMark} · ${c.meta}` : c.meta)}</div></div>`,
          )
          .join('')}</mj-text>`;
  return sectionTitle(m.sections.surveys) + table(headers, rows) + note(model.surveyResponsesText) + comments;
}

function costSection(model: ReportModel): string {
  const m = model.format.messages;
  if (model.cost === null) return model.costNote === null ? '' : sectionTitle(m.sections.cost) + note(model.costNote, '0 24px');
  return (
    sectionTitle(m.sections.cost) +
    `<mj-text font-size="14px" color="${C.ink}" padding="0 24px">${esc(m.cost.perContact)} <b style="font-size:18px">${num(model.cost.display)}</b> · ${esc(model.vsPriorLabel)} ${changeHtml(model.cost.vsPrior)}<br><span style="font-size:12px;color:${C.muted}">${esc(model.costBase ?? m.cost.explanation)}</span></mj-text>`
  );
}

function actionsSection(model: ReportModel): string {
  const m = model.format.messages;
  const calm = model.actions.length === 0;
  const items = calm
    ? `<div style="color:${C.better}">✓ ${esc(model.noActionsText)}</div>`
    : model.actions
        .map(
          (a) =>
            `<div style="padding:3px 0"><span style="color:${a.severity === 'high' ? C.worse : C.warnInk};font-weight:700">${a.severity === 'high' ? '●' : '○'}</span> ${esc(a.text)}</div>`,
        )
        .join('');
  return `<mj-text padding="16px 24px 0" font-size="14px" line-height="1.55" color="${C.ink}">
<div style="background:${calm ? '#ebfbee' : C.warnBg};border-radius:6px;padding:12px 14px">
<div style="font-weight:700;font-size:15px;padding-bottom:4px">${esc(m.sections.actions)}</div>
${items}
</div>
</mj-text>`;
}

/** The period's intraday alerts, as the live page's banner showed them during the day. */
function intradayAlertsSection(model: ReportModel): string {
  if (model.intradayAlerts === null) return '';
  const m = model.format.messages;
  const { lines, more } = model.intradayAlerts;
  const items = [...lines, ...(more === null ? [] : [more])].map((line) => `<div style="padding:2px 0">${esc(line)}</div>`).join('');
  return sectionTitle(m.sections.intradayAlerts) + `<mj-text font-size="13px" line-height="1.5" color="${C.ink}">${items}</mj-text>`;
}

function correctionSection(model: ReportModel): string {
  if (model.correction === null) return '';
  const m = model.format.messages;
  const lines = model.correction.changes.map((c) => `<li style="margin:2px 0">${esc(c.text)}</li>`).join('');
  return `<mj-section background-color="${C.infoBg}" padding="12px 0"><mj-column>
  <mj-text font-size="14px" font-weight="700" color="${C.infoInk}">${esc(m.sections.correction)}</mj-text>
  <mj-text font-size="13px" color="${C.ink}" padding="4px 24px 0">${esc(model.correction.notice)}</mj-text>
  <mj-text font-size="13px" color="${C.ink}" padding="6px 24px 0">${esc(model.correction.intro)}<ul style="margin:6px 0 0;padding-left:18px">${lines}</ul></mj-text>
</mj-column></mj-section>`;
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
  const banner =
    model.banner === null
      ? ''
      : `<mj-section background-color="${C.warnBg}" padding="10px 0"><mj-column><mj-text font-size="13px" color="${C.warnInk}" font-weight="700">⚠ ${esc(model.banner)}</mj-text></mj-column></mj-section>`;
  const quality = model.dataQuality.map((l) => `<div>${esc(l)}</div>`).join('');
  const contract = model.contractNotes.map((l) => `<div>${esc(l)}</div>`).join('');
  const preview = model.correction?.changes[0]?.text ?? model.verdict?.text ?? model.actions[0]?.text ?? model.noActionsText;
  return `<mjml lang="${model.locale}">
<mj-head>
  <mj-title>${esc(model.subject)}</mj-title>
  <mj-preview>${esc(preview)}</mj-preview>
  <mj-attributes>
    <mj-all font-family="${FONT}" />
    <mj-text line-height="1.5" padding="0 24px" />
  </mj-attributes>
</mj-head>
<mj-body background-color="#eef1f4" width="600px">
  <mj-section background-color="${C.brand}" padding="18px 0 16px">
    <mj-column>
      <mj-text color="#d0ddf2" font-size="13px" padding="0 24px">${esc(model.clientName)}</mj-text>
      <mj-text color="#ffffff" font-size="22px" font-weight="700" padding="2px 24px 0"><h1 style="margin:0;font-size:22px;font-weight:700">${esc(model.correction === null ? model.title : `${m.tags.corrected} ${model.title}`)}</h1></mj-text>
      <mj-text color="#ffffff" font-size="14px" padding="2px 24px 0">${esc(model.periodLabel)}</mj-text>
    </mj-column>
  </mj-section>
  ${correctionSection(model)}
  ${banner}
  <mj-section background-color="#ffffff" padding="0 0 24px">
    <mj-column>
      ${verdictSection(model)}
      ${contractSection(model)}
      ${actionsSection(model)}
      ${intradayAlertsSection(model)}
      ${channelSection(model)}
      ${model.keyFigures.length === 0 ? '' : sectionTitle(m.sections.keyFigures) + `<mj-text padding="0 19px">${figureGrid(model.keyFigures, model)}</mj-text>`}
      ${note(model.comparisonNote)}
      ${trend === undefined ? '' : sectionTitle(m.sections.trend) + imageBlock(trend, model.trendCaption)}
      ${hourly === undefined ? '' : sectionTitle(m.sections.hourly) + imageBlock(hourly, [model.peakHourText, model.hourlyLine === null ? null : m.hourlyCaption(model.hourlyLine.label)].filter((x) => x !== null).join(' · '))}
      ${categorySection(model)}
      ${surveySection(model)}
      ${costSection(model)}
    </mj-column>
  </mj-section>
  <mj-section background-color="${C.soft}" padding="8px 0 20px">
    <mj-column>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="10px 24px 4px">${esc(m.sections.dataQuality)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${quality}</mj-text>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="14px 24px 4px">${esc(m.sections.contractTerms)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${contract}</mj-text>
      <mj-divider border-width="1px" border-color="${C.line}" padding="14px 24px" />
      ${model.liveLink === null ? '' : `<mj-text font-size="13px" padding="0 24px 8px"><a href="${esc(model.liveLink)}" style="color:${C.brand}">${esc(m.liveLink)}</a></mj-text>`}
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
