/**
 * The intraday chart as inline SVG: today's offered per 15 minutes as bars, the usual days' range as a band and
 * their mean as a line. Drawn by hand rather than through vega-lite: the page is re-rendered every minute for
 * every viewer, a dozen rectangles need no layout engine, and inline SVG scales to any phone width without an
 * image request (a browser page, unlike an e-mail, shows SVG everywhere). Every text is escaped.
 */
import { escapeHtml as esc } from '../report/escape.ts';
import type { LiveChartBucket } from './model.ts';

const W = 340;
const H = 150;
const PAD = { left: 26, right: 6, top: 8, bottom: 20 };

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** A "nice" axis maximum: 1, 2, 5 × a power of ten at or above the data. */
function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= n)!;
}

export function intradayChartSvg(buckets: readonly LiveChartBucket[], labels: { alt: string; today: string; usual: string }): string {
  if (buckets.length === 0) return '';
  const max = niceMax(Math.max(1, ...buckets.map((b) => Math.max(b.today ?? 0, b.usualMax ?? 0))));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / buckets.length;
  const x = (i: number) => PAD.left + i * step;
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const mid = (i: number) => x(i) + step / 2;

  const band = buckets.every((b) => b.usualMin === null)
    ? ''
    : `<polygon class="band" points="${[
        ...buckets.map((b, i) => `${fmt(mid(i))},${fmt(y(b.usualMax ?? 0))}`),
        ...[...buckets].reverse().map((b, j) => `${fmt(mid(buckets.length - 1 - j))},${fmt(y(b.usualMin ?? 0))}`),
      ].join(' ')}"/>`;
  const meanLine = buckets.every((b) => b.usualMean === null)
    ? ''
    : `<polyline class="usual" points="${buckets.map((b, i) => `${fmt(mid(i))},${fmt(y(b.usualMean ?? 0))}`).join(' ')}"/>`;
  const bars = buckets
    .map((b, i) => (b.today === null || b.today === 0 ? '' : `<rect class="today" x="${fmt(x(i) + step * 0.15)}" y="${fmt(y(b.today))}" width="${fmt(step * 0.7)}" height="${fmt(y(0) - y(b.today))}"><title>${esc(`${b.from} ${labels.today} ${b.today} · ${labels.usual} ${b.usualMin ?? '—'}–${b.usualMax ?? '—'}`)}</title></rect>`))
    .join('');
  const hours = buckets
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.from.endsWith(':00') && Number(b.from.slice(0, 2)) % 3 === 0)
    .map(({ b, i }) => `<text class="tick" x="${fmt(x(i))}" y="${H - 5}">${esc(String(Number(b.from.slice(0, 2))))}</text>`)
    .join('');
  const grid = [0, max / 2, max]
    .map((v) => `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/><text class="tick" x="${PAD.left - 4}" y="${fmt(y(v) + 3)}" text-anchor="end">${fmt(v)}</text>`)
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(labels.alt)}" xmlns="http://www.w3.org/2000/svg">${grid}${band}${bars}${meanLine}${hours}</svg>`;
}
