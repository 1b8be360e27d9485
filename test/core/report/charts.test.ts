import { describe, expect, it } from 'vitest';
import { hourlyChartSpec, renderCharts, renderSpecToPng, trendChartSpec } from '../../../functions/core/report/charts.ts';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from './fixtures.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const textSpec = (text: string) =>
  ({
    width: 120,
    height: 40,
    data: { values: [{}] },
    mark: { type: 'text', fontSize: 28, font: 'Pretendard' },
    encoding: { text: { value: text } },
    config: { view: { stroke: null } },
  }) as const;

describe('charts', () => {
  it('renders the trend and hourly charts as PNG at twice their CSS size', async () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')) });
    const charts = await renderCharts(model);
    expect(charts.map((c) => [c.cid, c.fileName])).toEqual([
      ['trend@cspulse', 'trend.png'],
      ['hourly@cspulse', 'hourly.png'],
    ]);
    for (const c of charts) {
      expect([...c.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // IHDR width (bytes 16–19) is the CSS width × 2
      const view = new DataView(c.png.buffer, c.png.byteOffset);
      expect(view.getUint32(16)).toBe(c.width * 2);
      expect(view.getUint32(20)).toBe(c.height * 2);
    }
  });

  it('draws Korean glyphs with the bundled font: different syllables give different images', async () => {
    // Without a Korean font every syllable is the same empty box, so the two images would be identical.
    const [ga, na, ga2] = await Promise.all([renderSpecToPng(textSpec('가')), renderSpecToPng(textSpec('나')), renderSpecToPng(textSpec('가'))]);
    expect(Buffer.from(ga.png).equals(Buffer.from(ga2.png))).toBe(true);
    expect(Buffer.from(ga.png).equals(Buffer.from(na.png))).toBe(false);
  });

  it('draws the contract target as a dashed rule on the trend line\'s axis', () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')) });
    const spec = JSON.stringify(trendChartSpec(model));
    expect(spec).toContain('"values":[{"target":0.8}]');
    expect(spec).toContain('"strokeDash":[6,4]');
    // the hourly chart has the phone service level per hour beside the bars
    const hourly = hourlyChartSpec(model) as unknown as { data: { values: { x: string; offered: number; line: number | null }[] } };
    expect(hourly.data.values[10]).toEqual({ x: '10', offered: 150, line: 0.72 });
  });

  it('leaves out charts without data', async () => {
    const doc = dailyDoc({ daily: [], hourly: [] });
    const model = buildReportModel({ doc, config: config(), completeness: completenessFor(dayPeriod('2026-03-04')) });
    expect(await renderCharts(model)).toEqual([]);
  });
});
