import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../functions/core/report/html.ts';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { renderReportText } from '../../../functions/core/report/text.ts';
import type { ChartImage } from '../../../functions/core/report/charts.ts';
import { config, dailyDoc } from './fixtures.ts';

const chart = (fileName: string, cid: string): ChartImage => ({ cid, fileName, png: new Uint8Array([1]), width: 520, height: 200, alt: 'chart' });
const charts = [chart('trend.png', 'trend@cspulse'), chart('hourly.png', 'hourly@cspulse')];

describe('report HTML', () => {
  it('escapes every string that came from an export', async () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config({ name: '<b>몰</b> & "Co"' }), manifests: [], incomplete: false });
    const html = await renderReportHtml(model, charts);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('배송 &amp; 반품 &quot;지연&quot;');
    expect(html).toContain('&lt;b&gt;몰&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<b>몰</b>');
  });

  it('is Korean by default, references the charts by cid and inlines its CSS', async () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config(), manifests: [], incomplete: false });
    const html = await renderReportHtml(model, charts);
    expect(html).toContain('<html lang="ko"');
    expect(html).toContain('일간 CS 리포트');
    expect(html).toContain('SLA 달성 현황');
    expect(html).toContain('src="cid:trend@cspulse"');
    expect(html).toContain('src="cid:hourly@cspulse"');
    // MJML output: layout tables with inline styles, Outlook conditional comments
    expect(html).toContain('<!--[if mso');
    expect(html).toMatch(/<td[^>]+style="[^"]*padding/);
    expect(html).not.toContain('<mj-');
  });

  it('says so when data is incomplete, in English for English clients', async () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config({ locale: 'en' }), manifests: [], incomplete: true });
    const html = await renderReportHtml(model, []);
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('This report was sent before all data had arrived.');
    expect(html).toContain('What to act on');
    expect(html).not.toContain('cid:');
  });

  it('has a plain-text alternative with the same figures', () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config(), manifests: [], incomplete: false });
    const text = renderReportText(model);
    expect(text).toContain('- 응대율: 90.0% (전일 대비 +5.0%p, 전주 같은 요일 대비 -2.0%p)');
    expect(text).toContain('- 전화 서비스 레벨 80/20: 75.0% / 목표 ≥ 80.0% → 미달 (-5.0%p), 이전 81.0%');
    expect(text).toContain('- 배송 & 반품 "지연": 400 (40.0%), 전일 대비 +100.0% [급증]');
  });
});
