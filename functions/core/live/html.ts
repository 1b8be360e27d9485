/**
 * The live page as one server-rendered HTML document: no script, no framework, no external request. It reloads
 * itself with a meta refresh (the signed link stays in the address bar), lays out in one column that fits a
 * 375 px phone (figures two to a row, every number one unbreakable run), and escapes every string it shows —
 * category names and notes come from exports and people. The response headers (live-request.ts) forbid
 * scripts, framing and the Referer that would leak the link.
 */
import { escapeHtml as esc } from '../report/escape.ts';
import { intradayChartSvg } from './chart-svg.ts';
import type { LiveAlertLine, LiveChannelCard, LiveFigure, LivePageModel } from './model.ts';

const FONT = "'Apple SD Gothic Neo', 'Malgun Gothic', '맑은 고딕', Pretendard, 'Noto Sans KR', system-ui, Arial, sans-serif";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#eef1f4;color:#212529;font:14px/1.45 ${FONT}}
main{max-width:720px;margin:0 auto;padding:0 0 24px}
header{background:#1c4f9c;color:#fff;padding:14px 16px 12px}
header .client{color:#d0ddf2;font-size:13px}
h1{margin:2px 0 0;font-size:21px}
header .meta{font-size:13px;margin-top:2px}
section{background:#fff;margin:10px 8px 0;border-radius:8px;padding:12px 12px 10px}
h2{margin:0 0 8px;font-size:16px}
h3{margin:10px 0 6px;font-size:13px;color:#495057}
.banner{background:#fff4e6;border-left:4px solid #c92a2a}
.banner h2{color:#a14a00}
.banner ul,.list{margin:0;padding-left:18px}
.banner li{margin:3px 0;font-weight:600}
.when{font-weight:400;color:#6c757d;font-size:12px;white-space:nowrap}
.note{white-space:pre-line}
.state{margin:0 0 4px;color:#6c757d}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:6px}
.fig{border:1px solid #dee2e6;border-radius:6px;padding:7px 9px;min-width:0}
.fig .label{font-size:12px;color:#6c757d}
.fig .value{font-size:20px;font-weight:700}
.fig .sub{font-size:12px;color:#6c757d}
.num{white-space:nowrap}
.better{color:#2b8a3e;font-weight:600}
.worse{color:#c92a2a;font-weight:600}
.met{color:#2b8a3e}
.missed{color:#c92a2a;font-weight:600}
figure{margin:10px 0 0}
figcaption,.usual-days,.rule,footer{font-size:12px;color:#6c757d}
.chart{width:100%;height:auto;display:block}
.chart .band{fill:#a5d8ff;opacity:.55}
.chart .usual{fill:none;stroke:#1971c2;stroke-width:1.5}
.chart .today{fill:#1c4f9c}
.chart .grid{stroke:#e9ecef}
.chart .tick{font-size:9px;fill:#868e96}
.silent{color:#c92a2a;font-weight:600}
footer{padding:12px 16px}
`;

const num = (text: string, cls = ''): string => `<span class="num${cls === '' ? '' : ` ${cls}`}">${esc(text)}</span>`;

function figureHtml(f: LiveFigure, channel: string, period: 'so-far' | 'last-hour', model: LivePageModel): string {
  const m = model.messages;
  const target =
    f.target === null
      ? ''
      : `<div class="sub">${num(f.target.display)}${f.target.met === null ? '' : ` <span class="${f.target.met ? 'met' : 'missed'}">${esc(f.target.met ? m.met : m.missed)}</span>`}</div>`;
  const change = f.change === null ? '' : ` · ${num(f.change.text, f.change.direction ?? '')}`;
  return `<div class="fig" data-channel="${esc(channel)}" data-period="${period}" data-kpi="${f.key}" data-value="${f.value === null ? '' : esc(String(f.value))}">
<div class="label">${esc(f.label)}</div>
<div class="value">${num(f.display)}</div>${target}
<div class="sub">${num(f.usualDisplay)}${change}</div>
</div>`;
}

function channelHtml(c: LiveChannelCard, model: LivePageModel): string {
  const m = model.messages;
  const state = c.stateText === null ? '' : `<p class="state">${esc(c.stateText)}</p>`;
  if (c.state !== 'live') return `<section class="channel" id="channel-${esc(c.channel)}" data-state="${c.state}"><h2>${esc(c.label)}</h2>${state}</section>`;
  const chart = intradayChartSvg(c.chart, { alt: c.chartAlt, today: m.chartToday, usual: m.chartUsual });
  return `<section class="channel" id="channel-${esc(c.channel)}" data-state="${c.state}">
<h2>${esc(c.label)}</h2>${state}
<h3>${esc(m.soFar)}</h3>
<div class="grid">${c.soFar.map((f) => figureHtml(f, c.channel, 'so-far', model)).join('')}</div>
<h3>${esc(m.lastHour)}</h3>
<div class="grid">${c.lastHour.map((f) => figureHtml(f, c.channel, 'last-hour', model)).join('')}</div>
${chart === '' ? '' : `<figure>${chart}<figcaption>${esc(m.chartCaption)}</figcaption></figure>`}
<p class="usual-days">${esc(c.usualText)}</p>
</section>`;
}

const alertItem = (a: LiveAlertLine): string =>
  `<li data-alert="${esc(a.key)}">${esc(a.text)} <span class="when">${esc(a.clearedText === null ? a.sinceText : `${a.sinceText} · ${a.clearedText}`)}</span></li>`;

export function renderLivePage(model: LivePageModel): string {
  const m = model.messages;
  const banner =
    model.alerts.length === 0
      ? ''
      : `<section class="banner" role="alert"><h2>⚠ ${esc(m.sections.alerts)}</h2><ul>${model.alerts.map(alertItem).join('')}</ul></section>`;
  const note = model.note === null ? '' : `<section class="note-box"><h2>${esc(m.sections.note)}</h2><div class="note">${esc(model.note)}</div></section>`;
  const categories = `<section class="categories"><h2>${esc(m.sections.categories)}</h2>${
    model.categories.length === 0
      ? `<p class="state">${esc(m.noCategories)}</p>`
      : `<ul class="list">${model.categories.map((c) => `<li><strong>${esc(c.label)}</strong> ${num(c.text)}</li>`).join('')}</ul>`
  }<p class="rule">${esc(model.categoryRule)}</p></section>`;
  const sources = `<section class="sources"><h2>${esc(m.sections.freshness)}</h2><ul class="list">${model.sources
    .map((s) => `<li data-source="${esc(s.source)}">${esc(s.label)}: ${num(s.text)}${s.silent ? ` <span class="silent">${esc(m.freshness.silent)}</span>` : ''}</li>`)
    .join('')}</ul></section>`;
  const cleared =
    model.cleared.length === 0 ? '' : `<section class="cleared"><h2>${esc(m.sections.cleared)}</h2><ul class="list">${model.cleared.map(alertItem).join('')}</ul></section>`;
  return `<!doctype html>
<html lang="${model.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${model.refreshSeconds}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${esc(`${model.clientName} ${model.title}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><div class="client">${esc(model.clientName)}</div><h1>${esc(model.title)}</h1><div class="meta">${esc(model.dateLabel)} · <span class="num" id="as-of">${esc(model.asOfText)}</span> · ${esc(model.refreshText)}</div></header>
${banner}
${note}
${model.channels.map((c) => channelHtml(c, model)).join('\n')}
${categories}
${sources}
${cleared}
${model.footer === null ? '' : `<footer>${esc(model.footer)}</footer>`}
</main>
</body>
</html>
`;
}

/** What a refused link gets: a status line and nothing of the page. */
export function refusedPage(text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>403</title></head><body><p>${esc(text)}</p></body></html>\n`;
}
