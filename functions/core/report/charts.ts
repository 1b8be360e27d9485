/**
 * Charts as PNG: Gmail and Outlook drop inline SVG, so the report embeds PNG images (cid:). Vega-Lite specs are
 * compiled to SVG by Vega without a canvas, then rasterized by resvg with the bundled Pretendard font only:
 * system fonts are never consulted, so Korean labels render the same on a laptop and in Lambda.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { ChartSeries, ReportModel } from './model.ts';
import { ChartRenderError } from './errors.ts';

export const CHART_FONT_FAMILY = 'Pretendard';
/** CSS pixels; the PNG is rendered at twice this for sharp text on phones */
export const CHART_WIDTH = 520;
const SCALE = 2;

const require = createRequire(import.meta.url);

/** The bundled font files, resolved from the installed package so the same files load everywhere. */
export function pretendardFontFiles(): string[] {
  const dir = path.join(path.dirname(require.resolve('pretendard/package.json')), 'dist/public/static/alternative');
  return ['Pretendard-Regular.ttf', 'Pretendard-SemiBold.ttf'].map((file) => path.join(dir, file));
}

export interface ChartImage {
  cid: string;
  fileName: string;
  png: Uint8Array;
  /** CSS pixel size the HTML shows it at */
  width: number;
  height: number;
  alt: string;
}

const COLORS = { bars: '#9db7e0', line: '#d9480f', text: '#343a40', grid: '#e9ecef', peak: '#1c4f9c' };

type VlSpec = vegaLite.TopLevelSpec;

const baseConfig = {
  font: CHART_FONT_FAMILY,
  background: '#ffffff',
  view: { stroke: null },
  axis: {
    labelFont: CHART_FONT_FAMILY,
    titleFont: CHART_FONT_FAMILY,
    labelFontSize: 15,
    titleFontSize: 15,
    labelColor: COLORS.text,
    titleColor: COLORS.text,
    gridColor: COLORS.grid,
    domainColor: '#adb5bd',
    tickColor: '#adb5bd',
  },
  legend: { labelFont: CHART_FONT_FAMILY, titleFont: CHART_FONT_FAMILY, labelFontSize: 12 },
};

export async function renderSpecToPng(spec: VlSpec): Promise<{ png: Uint8Array; width: number; height: number }> {
  let svg: string;
  try {
    const compiled = vegaLite.compile(spec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    svg = await view.toSVG();
    view.finalize();
  } catch (error) {
    throw new ChartRenderError('could not compile the chart', { cause: error });
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: SCALE },
    font: { loadSystemFonts: false, fontFiles: pretendardFontFiles(), defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    background: '#ffffff',
  });
  const rendered = resvg.render();
  return { png: new Uint8Array(rendered.asPng()), width: Math.round(rendered.width / SCALE), height: Math.round(rendered.height / SCALE) };
}

const COLORS_TARGET = '#868e96';

/** Bars of offered contacts with a rate line on a 0–100 % axis and, when the contract sets one, its target dashed. */
function barsWithLine(series: ChartSeries, width: number, height: number, xAxis: Record<string, unknown>): VlSpec {
  const values = series.points.map((p) => ({ x: p.label, offered: p.offered, line: p.line }));
  const x = { field: 'x', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0, ...xAxis } };
  const rate = { type: 'quantitative', title: null, scale: { domain: [0, 1] } };
  const layers: unknown[] = [
    {
      mark: { type: 'bar', color: COLORS.bars, cornerRadiusEnd: 2 },
      encoding: { x, y: { field: 'offered', type: 'quantitative', title: null, axis: { format: ',d', tickMinStep: 1 } } },
    },
    {
      mark: { type: 'line', color: COLORS.line, strokeWidth: 2.5, point: { color: COLORS.line, size: 30 } },
      encoding: { x, y: { field: 'line', ...rate, axis: { format: '.0%', labelColor: COLORS.line, grid: false } } },
    },
  ];
  if (series.target !== null) {
    // the same fixed 0–100 % domain as the line, so the rule sits at the target on the line's axis
    layers.push({
      data: { values: [{ target: series.target }] },
      mark: { type: 'rule', color: COLORS_TARGET, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'target', ...rate, axis: null } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    data: { values },
    config: baseConfig,
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  } as VlSpec;
}

export function trendChartSpec(model: ReportModel): VlSpec {
  if (model.trend === null) throw new ChartRenderError('the report has no trend to draw');
  return barsWithLine(model.trend, CHART_WIDTH - 110, 200, { labelOverlap: 'parity' });
}

export function hourlyChartSpec(model: ReportModel): VlSpec {
  if (model.hourlyLine === null) throw new ChartRenderError('the report has no hourly profile to draw');
  return barsWithLine(model.hourlyLine, CHART_WIDTH - 110, 170, { labelExpr: 'datum.value % 3 === 0 ? datum.label : ""' });
}

/** The report's charts; a chart with no data is left out rather than drawn empty. */
export async function renderCharts(model: ReportModel): Promise<ChartImage[]> {
  const charts: ChartImage[] = [];
  const m = model.format.messages;
  if (model.trend !== null) {
    const { png, width, height } = await renderSpecToPng(trendChartSpec(model));
    charts.push({ cid: `trend@cspulse`, fileName: 'trend.png', png, width, height, alt: `${m.sections.trend} — ${model.trendCaption ?? ''}` });
  }
  if (model.hourlyLine !== null) {
    const { png, width, height } = await renderSpecToPng(hourlyChartSpec(model));
    charts.push({ cid: `hourly@cspulse`, fileName: 'hourly.png', png, width, height, alt: model.peakHourText ?? m.sections.hourly });
  }
  return charts;
}
