import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { createFormatter } from '../../../functions/core/report/format.ts';
import { config, dailyDoc, kpis, manifest } from './fixtures.ts';

const build = (overrides: Parameters<typeof dailyDoc>[0] = {}, cfg = config(), manifests = [] as ReturnType<typeof manifest>[], incomplete = false) =>
  buildReportModel({ doc: dailyDoc(overrides), config: cfg, manifests, incomplete });

describe('headline KPIs', () => {
  const model = build();
  const byKey = Object.fromEntries(model.headline.map((k) => [k.key, k]));

  it('shows rates with percentage-point changes and judges them by direction', () => {
    // answer rate 0.90 vs 0.85: +5.0 points, better
    expect(byKey.answer_rate!.display).toBe('90.0%');
    expect(byKey.answer_rate!.vsPrior).toMatchObject({ text: '+5.0%p', direction: 'better' });
    // service level 0.78 vs 0.82: −4.0 points, worse
    expect(byKey.service_level!.vsPrior).toMatchObject({ text: '-4.0%p', direction: 'worse' });
    // abandon rate falls 0.15 → 0.10: −5.0 points, and falling is better
    expect(byKey.abandon_rate!.vsPrior).toMatchObject({ text: '-5.0%p', direction: 'better' });
  });

  it('shows relative changes for durations and counts; a slower ASA is worse, more contacts is neither', () => {
    // ASA 25 s vs 20 s: +25.0 %, worse
    expect(byKey.asa_seconds!.display).toBe('25초');
    expect(byKey.asa_seconds!.vsPrior).toMatchObject({ text: '+25.0%', direction: 'worse' });
    // AHT 245 s = 4 min 5 s, unchanged
    expect(byKey.aht_seconds!.display).toBe('4분 5초');
    expect(byKey.aht_seconds!.vsPrior).toMatchObject({ text: '0.0%', direction: 'same' });
    // offered 1000 vs 800: +25.0 %
    expect(byKey.offered!.vsPrior).toMatchObject({ text: '+25.0%', direction: 'neutral' });
  });

  it('compares a daily report with the same weekday a week earlier', () => {
    expect(model.vsWeekAgoLabel).toBe('전주 같은 요일 대비');
    // ASA 25 vs 30: (25 − 30) / 30 = −16.7 %, better
    expect(byKey.asa_seconds!.vsWeekAgo).toMatchObject({ text: '-16.7%', direction: 'better' });
    // answer rate 0.90 vs 0.92: −2.0 points
    expect(byKey.answer_rate!.vsWeekAgo).toMatchObject({ text: '-2.0%p', direction: 'worse' });
  });

  it('prints "—" when the prior is null or zero', () => {
    const ces = model.surveys.find((s) => s.key === 'ces_avg')!;
    expect(ces.vsPrior).toEqual({ delta: null, relative: null, text: '—', direction: null });
    const zeroPrior = build({ prior: { total: kpis({ offered: 0 }), by_channel: {} } });
    const offered = zeroPrior.headline.find((k) => k.key === 'offered')!;
    expect(offered.vsPrior.text).toBe('—');
    expect(offered.vsPrior.relative).toBeNull();
    // a null KPI shows as a dash
    expect(zeroPrior.headline.find((k) => k.key === 'asa_seconds')!.priorDisplay).toBe('—');
  });

  it('formats cost per contact as won and judges a cheaper contact better', () => {
    // 2,500 vs 3,000: −16.7 %
    expect(model.cost.display).toBe('₩2,500');
    expect(model.cost.vsPrior).toMatchObject({ text: '-16.7%', direction: 'better' });
  });
});

describe('SLA table', () => {
  it('shows actual, target, result, margin and prior per target', () => {
    const model = build();
    expect(model.sla).toEqual([
      { label: '전화 서비스 레벨 80/20', channel: 'phone', actual: '75.0%', target: '≥ 80.0%', met: false, resultText: '미달', margin: '-5.0%p', prior: '81.0%', daysMet: null },
      { label: '전화 포기율', channel: 'phone', actual: '4.0%', target: '≤ 5.0%', met: true, resultText: '달성', margin: '+1.0%p', prior: '6.0%', daysMet: null },
      { label: '고객만족도(CSAT)', channel: null, actual: '4.60', target: '≥ 4.50', met: true, resultText: '달성', margin: '+0.10', prior: '4.40', daysMet: null },
    ]);
    expect(model.showDaysMet).toBe(false);
  });

  it('shows days met in monthly reports', () => {
    const doc = dailyDoc();
    const model = build({
      period: { kind: 'monthly', start: '2026-03-01', end: '2026-03-31' },
      prior_period: { kind: 'monthly', start: '2026-02-01', end: '2026-02-28' },
      week_ago_period: null,
      week_ago: null,
      sla: doc.sla.map((r) => ({ ...r, days_met: 25, days_judged: 31 })),
    });
    expect(model.showDaysMet).toBe(true);
    expect(model.sla.map((r) => r.daysMet)).toEqual(['25/31', '25/31', '25/31']);
    expect(model.vsPriorLabel).toBe('전월 대비');
    expect(model.vsWeekAgoLabel).toBeNull();
    expect(model.headline[0]!.vsWeekAgo).toBeNull();
    expect(model.periodLabel).toBe('2026년 3월');
  });
});

describe('what to act on', () => {
  it('lists missed targets, spikes and big worsening in Korean', () => {
    expect(build().actions).toEqual([
      { severity: 'high', text: '전화 서비스 레벨 80/20 목표 미달: 실적 75.0%, 목표 ≥ 80.0%' },
      { severity: 'medium', text: `'배송 & 반품 "지연"' 문의 급증: 400건 (전일 대비 +100.0%)` },
      // ASA +25 % crosses the 20 % threshold; service level −4 points does not cross 5 points
      { severity: 'medium', text: '평균 응답 속도(ASA) 악화: 전일 대비 +25.0%' },
    ]);
  });

  it('puts incomplete data first and speaks English for English clients', () => {
    const model = build({}, config({ locale: 'en' }), [], true);
    expect(model.actions[0]).toEqual({ severity: 'high', text: 'Computed before all data had arrived; see Data quality.' });
    expect(model.actions[1]!.text).toBe('전화 서비스 레벨 80/20 target missed: 75.0% against ≥ 80.0%');
    expect(model.subject).toBe('[예시몰] Daily CS report · Wed 4 Mar 2026 (incomplete data)');
    expect(model.cost.display).toBe('₩2,500');
  });
});

describe('categories, hours and footer', () => {
  const model = build();

  it('keeps the top categories by count with change and spike flag', () => {
    expect(model.categories.map((c) => [c.name, c.count, c.share, c.change.text, c.isSpike])).toEqual([
      ['배송 & 반품 "지연"', '400', '40.0%', '+100.0%', true],
      ['<script>alert(1)</script>', '300', '30.0%', '0.0%', false],
      ['결제', '200', '20.0%', '-20.0%', false],
      ['회원정보', '100', '10.0%', '—', false],
    ]);
  });

  it('names the peak hour', () => {
    expect(model.peakHour).toBe(10);
    expect(model.peakHourText).toBe('피크 시간대: 10시 (인입 150건)');
  });

  it('names the service-level formula and the contract terms', () => {
    expect(model.contractNotes).toEqual([
      '2026년 1월 1일부터 적용되는 계약 조건',
      '서비스 레벨 = 기준 시간 내 응대 ÷ (인입 − 단순 포기호)',
      '기준 시간: 전화 20초, 채팅 1분',
      '재문의 기준 24시간, 첫 콜 해결 기준 72시간',
    ]);
  });

  it('sums the period rows of the manifests and lists missing and late days per source', () => {
    // cti covers 3/3 and 3/4 in one file (700 rows on 3/4), 3 rows quarantined; finished 3/5 00:31 KST, before 08:00
    // chat delivered only 3/3, and late: finished 3/4 10:00 KST, after the 3/3 report's 08:00
    const manifests = [
      manifest({ source: 'cti', file_id: 'f1', rows_quarantined: 3, partitions: [
        { dt: '2026-03-03', rows: 650, excluded: 0, object_key: 'a' },
        { dt: '2026-03-04', rows: 700, excluded: 2, object_key: 'b' },
      ] }),
      manifest({ source: 'chat', file_id: 'f2', finished_at: '2026-03-04T01:00:00.000Z', partitions: [
        { dt: '2026-03-03', rows: 280, excluded: 0, object_key: 'c' },
      ] }),
    ];
    const dq = build({}, config(), manifests).dataQuality;
    expect(dq.rowsIngested).toBe(700);
    expect(dq.rowsQuarantined).toBe(3);
    expect(dq.sources).toEqual([
      { source: 'cti', missingDays: [], lateDays: [] },
      { source: 'chat', missingDays: ['2026-03-04'], lateDays: [] },
    ]);
    expect(dq.lines).toEqual(['적재 700건 · 격리(오류) 3건', 'chat: 데이터 없는 날 3/4', '데이터 기준 시각: 2026-03-04 23:58']);

    const weekly = buildReportModel({
      doc: dailyDoc({ period: { kind: 'weekly', start: '2026-03-02', end: '2026-03-08' } }),
      config: config(),
      manifests,
      incomplete: false,
    }).dataQuality;
    expect(weekly.rowsIngested).toBe(650 + 700 + 280);
    expect(weekly.sources[1]).toEqual({
      source: 'chat',
      missingDays: ['2026-03-02', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'],
      lateDays: ['2026-03-03'],
    });
  });
});

describe('formatter', () => {
  it('formats for each locale', () => {
    const ko = createFormatter('ko', 'KRW', 'Asia/Seoul');
    expect([ko.count(1234567), ko.percent(0.8734), ko.money(5_000_000), ko.duration(3725), ko.duration(null)]).toEqual([
      '1,234,567', '87.3%', '₩5,000,000', '1시간 2분', '—',
    ]);
    expect(ko.periodLabel('weekly', '2026-03-02', '2026-03-08')).toBe('2026년 10주차 (3/2–3/8)');
    const en = createFormatter('en', 'USD', 'America/New_York');
    expect([en.money(2.5), en.duration(65), en.pointsChange(-0.021), en.date('2026-03-04')]).toEqual(['$2.50', '1 min 5 s', '-2.1 pp', 'Wed 4 Mar']);
    expect(en.periodLabel('weekly', '2026-03-02', '2026-03-08')).toBe('Week 10, 2026 (2 Mar–8 Mar)');
    // 2026-03-04T15:00Z is 10:00 in New York (EST, UTC−5)
    expect(en.instant('2026-03-04T15:00:00.000Z')).toBe('4 Mar 2026 10:00');
  });
});
