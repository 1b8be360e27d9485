import { describe, expect, it } from 'vitest';
import type { ChartImage } from '../../../functions/core/report/charts.ts';
import { renderReportHtml } from '../../../functions/core/report/html.ts';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { noteText } from '../../../functions/core/report/notes.ts';
import { renderReportText } from '../../../functions/core/report/text.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from './fixtures.ts';

const chart = (fileName: string, cid: string): ChartImage => ({ cid, fileName, png: new Uint8Array([1]), width: 520, height: 200, alt: 'chart' });
const charts = [chart('trend.png', 'trend@cspulse'), chart('hourly.png', 'hourly@cspulse')];
const DAY = dayPeriod('2026-03-04');
const model = (cfg = config(), missing: { source: string; dt: string }[] = []) =>
  buildReportModel({ doc: dailyDoc(), config: cfg, completeness: completenessFor(DAY, cfg, missing) });

describe('report HTML', () => {
  it('escapes every string that came from an export, comments included', async () => {
    const html = await renderReportHtml(model(config({ name: '<b>몰</b> & "Co"' })), charts);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('배송 &amp; 반품 &quot;지연&quot;');
    expect(html).toContain('&lt;b&gt;몰&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<b>몰</b>');
    expect(html).toContain('상담원이 &lt;b&gt;친절&lt;/b&gt;했어요');
    expect(html).not.toContain('010-1234-5678');
  });

  it('drops bidi controls from export text: an unterminated U+202E in a category cannot reverse the figures after it', async () => {
    const doc = dailyDoc();
    doc.categories[0] = { ...doc.categories[0]!, category: '배송\u202E' };
    doc.comments[1] = { ...doc.comments[1]!, comment: '대기\u2067 시간이\u200F 길었습니다\u202B' };
    const withControls = buildReportModel({ doc, config: config(), completeness: completenessFor(DAY) });
    const controls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
    const text = renderReportText(withControls);
    // the category row as a reader sees it: 400 contacts, 40.0 % of 1,000
    expect(text).toContain('- 배송: 400 (38.1%)');
    expect(text).toContain('“대기 시간이 길었습니다”');
    expect(text).not.toMatch(controls);
    const html = await renderReportHtml(withControls, charts);
    expect(html).not.toMatch(controls);
    expect(html).toContain('대기 시간이 길었습니다');
  });

  it('shows a category longer than 60 characters as its first 59 and an ellipsis, in the HTML and the text', async () => {
    // 15 × "배송 지연 " (6 characters) + "끝" = 91 characters; shown: the first 59, then …
    const category = `${'배송 지연 '.repeat(15)}끝`;
    const doc = dailyDoc();
    doc.categories[0] = { ...doc.categories[0]!, category };
    const shown = `${'배송 지연 '.repeat(9)}배송 지연…`;
    expect([...shown]).toHaveLength(60);
    const long = buildReportModel({ doc, config: config(), completeness: completenessFor(DAY) });
    const html = await renderReportHtml(long, []);
    // in the category table and in the spike action item
    expect(html.split(shown)).toHaveLength(3);
    expect(html).not.toContain('끝');
    const text = renderReportText(long);
    expect(text).toContain(`- ${shown}: 400 (38.1%)`);
    expect(text).not.toContain('끝');
  });

  it('opens with the verdict line and the contract, then what to act on, then the channels and the other figures', async () => {
    const html = await renderReportHtml(model(), charts);
    expect(html).toContain('<html lang="ko"');
    const body = html.slice(html.indexOf('<body'));
    expect(body.indexOf('계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500)')).toBeGreaterThan(0);
    expect(body.indexOf('계약 지표 3개 중 2개 달성')).toBeLessThan(body.indexOf('계약 지표 (SLA)'));
    const order = ['계약 지표 (SLA)', '확인이 필요한 사항', '채널별 현황', '전체 채널 지표', '일별 추이', '시간대별 인입', '상담 유형 상위', '고객 설문', '고객 의견 (낮은 점수 먼저)', '데이터 품질'];
    const positions = order.map((t) => body.indexOf(t));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('src="cid:trend@cspulse"');
    expect(html).toContain('비중: 전체 문의 1,050건(IVR·챗봇 해결 포함) 대비');
    // MJML output: layout tables with inline styles, Outlook conditional comments
    expect(html).toContain('<!--[if mso');
    expect(html).not.toContain('<mj-');
  });

  it('writes every number as one unbreakable run', async () => {
    const html = await renderReportHtml(model(), charts);
    expect(html).toContain('<span class="cs-num" style="white-space:nowrap">75.0%</span>');
    expect(html).toContain('<span class="cs-num" style="white-space:nowrap">≥ 80.0%</span>');
  });

  it('shows a small n beside the figure and colours its change neither better nor worse', async () => {
    const doc = dailyDoc();
    doc.current.total = { ...doc.current.total, csat_avg: 4.2, csat_responses: 12 };
    const html = await renderReportHtml(buildReportModel({ doc, config: config(), completeness: completenessFor(DAY) }), []);
    const row = html.slice(html.indexOf('고객만족도(CSAT)</td>'), html.indexOf('CSAT 만족 비율'));
    expect(row).toContain('n=12');
    // −0.20 in the muted colour, not the red of "worse"
    expect(row).toContain('<span class="cs-num" style="white-space:nowrap;color:#6c757d">-0.20</span>');
  });

  it('names the missing source-days in the banner, in English for English clients', async () => {
    const html = await renderReportHtml(model(config({ locale: 'en' }), [{ source: 'cti', dt: '2026-03-04' }]), []);
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Provisional: computed before all data had arrived. Not received: Phone 4 Mar.');
    expect(html).toContain('What to act on');
    expect(html).not.toContain('cid:');
  });

  it("shows the account manager's note under the verdict, escaped, at most 1,000 characters", async () => {
    const note = noteText(`3/4 택배사 파업 <b>확인</b>\n\n배송 문의가 몰렸습니다. ${'가'.repeat(1_200)}`);
    const built = buildReportModel({ doc: dailyDoc(), config: config(), completeness: completenessFor(DAY), note });
    // blank lines folded; cut to 999 characters and an ellipsis
    const kept = '3/4 택배사 파업 <b>확인</b>\n배송 문의가 몰렸습니다. ';
    expect(built.note).toBe(`${kept}${'가'.repeat(999 - [...kept].length)}…`);
    expect([...built.note!]).toHaveLength(1_000);
    const html = await renderReportHtml(built, []);
    const body = html.slice(html.indexOf('<body'));
    expect(body).toContain('3/4 택배사 파업 &lt;b&gt;확인&lt;/b&gt;');
    expect(body).not.toContain('<b>확인</b>');
    expect(body.indexOf('계약 지표 3개 중 2개 달성')).toBeLessThan(body.indexOf('담당자 코멘트'));
    expect(body.indexOf('담당자 코멘트')).toBeLessThan(body.indexOf('계약 지표 (SLA)'));
    expect(renderReportText(built)).toContain('\n담당자 코멘트: 3/4 택배사 파업 <b>확인</b>\n배송 문의가 몰렸습니다.');
  });

  it('has a plain-text alternative with the same figures', () => {
    const text = renderReportText(model());
    expect(text.split('\n').slice(0, 4)).toEqual(['예시몰 · 일간 CS 리포트', '2026년 3월 4일 (수)', '', '계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500)']);
    expect(text).toContain('- 전화 서비스 레벨 80/20: 75.0% / 목표 ≥ 80.0% → 미달 (목표 대비 -5.0%p), 이전 81.0%');
    expect(text).toContain('전화: 인입 700 · 응대 620 · 포기 80 (단순 포기 8) · IVR·챗봇 해결 50');
    // phone answer rate 0.8857: +1.3 points on 0.8727 the day before, −1.4 points on 0.90 a week before
    expect(text).toContain('- 전화 응대율: 88.6% (전일 대비 +1.3%p, 전주 같은 요일 대비 -1.4%p)');
    expect(text).toContain('- 배송 & 반품 "지연": 400 (38.1%), 전일 대비 +100.0% [급증]');
    expect(text).toContain('  “대기 시간이 너무 길었습니다” (낮은 점수 · 2026-03-04 11:10 · 전화 · CSAT 2 NPS 3 · 배송 & 반품 "지연")');
  });
});
