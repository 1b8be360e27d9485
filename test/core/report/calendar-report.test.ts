/**
 * The client's working days in the report, end to end: KPI documents computed by DuckDB over hand-written lake
 * rows, with the operating calendar of the config (Korean public holidays from the gazette data), and the report
 * model built on them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { contact, tempLake, writeLakeTable } from '../kpis/lake-fixture.ts';
import { completenessFor, coverageEntry, dailyDoc, kpis } from './fixtures.ts';
import { assessCompleteness } from '../../../functions/core/report/completeness.ts';
import { datesOf } from '../../../functions/core/kpis/periods.ts';

const base: ClientConfigInput = {
  id: 'shop',
  name: '예시몰',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'fixture', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  // phone on weekdays, closed on Korean public holidays; chat every day
  calendar: [{ phone: { days: 'mon-fri', hours: '09:00-18:00' }, chat: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] } }],
  contract: [
    {
      effective_from: '2026-01-01',
      channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 }, chat: { service_level_seconds: 60 } },
      targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8, label: '전화 서비스 레벨 80/20' }],
    },
  ],
};
const config: ClientConfig = clientConfigSchema.parse(base);

/** `n` calls (or chats) answered at 10:00 local on a date, the first `within` of them within 10 s, the rest after 30 s */
function answered(dt: string, channel: 'phone' | 'chat', n: number, within: number) {
  return Array.from({ length: n }, (_, i) => ({
    client_id: 'shop',
    dt,
    row: contact({
      contact_id: `${channel}-${dt}-${i}`,
      channel,
      arrived_at: new Date(`${dt}T01:00:00Z`),
      local_hour: 10,
      wait_seconds: i < within ? 10 : channel === 'phone' ? 30 : 100,
      talk_seconds: 120,
      agent_id: `${channel}-agent`,
    }),
  }));
}

let engine: DuckDbEngine;

beforeAll(async () => {
  const lake = await tempLake();
  await writeLakeTable(lake, 'contacts', [
    // Friday 3/27: phone 9 of 10 within 20 s; the weekend: chat only; Monday 3/30: phone 9 of 10 again, chat too
    ...answered('2026-03-27', 'phone', 10, 9),
    ...answered('2026-03-28', 'chat', 4, 4),
    ...answered('2026-03-29', 'chat', 4, 4),
    ...answered('2026-03-30', 'phone', 10, 9),
    ...answered('2026-03-30', 'chat', 5, 5),
    // around 삼일절 (Sunday 3/1) and its substitute holiday (Monday 3/2): phone on Friday 2/27 and Tuesday 3/3
    ...answered('2026-02-27', 'phone', 10, 8),
    ...answered('2026-03-02', 'chat', 3, 3),
    ...answered('2026-03-03', 'phone', 10, 6),
    // the week of 설날 (2/16–2/18, Monday to Wednesday): phone open Thursday and Friday only; one call came on the
    // holiday Monday anyway (an after-hours line)
    ...answered('2026-02-16', 'phone', 1, 0),
    ...answered('2026-02-19', 'phone', 10, 10),
    ...answered('2026-02-20', 'phone', 10, 5),
  ]);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('a Monday after a weekend with no phone service', () => {
  it("compares Monday's phone with Friday's and raises no false worsening", async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-03-30');
    expect(doc.comparison_days!.prior.by_channel).toMatchObject({ phone: '2026-03-27', chat: '2026-03-29' });
    // both days 9 of 10 within 20 s: 0.9 against 0.9
    expect([doc.current.by_channel.phone!.service_level, doc.prior.by_channel.phone!.service_level]).toEqual([0.9, 0.9]);
    const model = buildReportModel({ doc, config, completeness: completenessFor(doc.period, config) });
    expect(model.contract[0]).toMatchObject({ actual: '90.0%', verdict: 'met', prior: '90.0%' });
    const phoneSl = model.channels.find((c) => c.channel === 'phone')!;
    expect(phoneSl.figures.find((k) => k.key === 'answer_rate')!.vsPrior).toMatchObject({ text: '0.0%p', direction: 'same' });
    expect(model.actions.filter((a) => a.text.includes('악화'))).toEqual([]);
    expect(model.comparisonNote).toBe('전일 대비는 채널별 직전 영업일과 비교합니다: 전화 3월 27일 (금), 채팅 3월 29일 (일).');
  });
});

describe('the day after 2026-03-02, the substitute holiday of 삼일절', () => {
  it("compares Tuesday 3/3's phone with Friday 2/27's, not with a chat-only holiday", async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-03-03');
    expect(doc.comparison_days!.prior.by_channel).toMatchObject({ phone: '2026-02-27', chat: '2026-03-02' });
    // 6 of 10 within 20 s against 8 of 10: −20.0 points, a real worsening against the last working day
    const model = buildReportModel({ doc, config, completeness: completenessFor(doc.period, config) });
    expect(model.contract[0]).toMatchObject({ actual: '60.0%', verdict: 'missed', prior: '80.0%' });
    // all channels together are compared with the last day both were open
    expect(doc.comparison_days!.prior.total).toBe('2026-02-27');
  });
});

describe('the week of 설날', () => {
  it('judges the phone target on the two days the phone was open, not on the holidays', async () => {
    const doc = await computeKpiDocument(engine, config, 'weekly', '2026-02-16');
    // Thursday 10 of 10 (met), Friday 5 of 10 (missed); the holiday Monday's one call is not a day judged
    expect(doc.sla[0]).toMatchObject({ days_met: 1, days_judged: 2 });
    const model = buildReportModel({ doc, config, completeness: completenessFor(doc.period, config) });
    expect(model.contract[0]!.daysMet).toBe('달성 1/2 영업일');
  });
});

describe('a survey source with quiet days beside a ticket source', () => {
  it('is not incomplete, and compares the tickets per day of their own data', () => {
    const cfg = clientConfigSchema.parse({
      ...base,
      calendar: undefined,
      sources: [
        { id: 'tickets', format: 'cspulse-csv', channel: 'email' },
        { id: 'surveys', format: 'cspulse-csv', table: 'surveys' },
      ],
    } satisfies ClientConfigInput);
    const april = { kind: 'monthly' as const, start: '2026-04-01', end: '2026-04-30' };
    const march = { kind: 'monthly' as const, start: '2026-03-01', end: '2026-03-31' };
    const now = new Date('2026-06-01T00:00:00Z');
    // tickets every day; survey answers on 21 days of April only
    const entries = (p: { start: string; end: string }, surveyDays: number) =>
      datesOf(p).flatMap((dt, i) => [
        coverageEntry({ client_id: 'shop', source: 'tickets', dt }),
        ...(i < surveyDays ? [coverageEntry({ client_id: 'shop', source: 'surveys', dt })] : []),
      ]);
    const completeness = assessCompleteness(april, cfg, entries(april, 21), now);
    expect(completeness.complete).toBe(true);
    const doc = dailyDoc({
      period: april,
      prior_period: march,
      week_ago: null,
      week_ago_period: null,
      current: { total: kpis({ offered: 1045, inbound: 1045 }), by_channel: { email: kpis({ offered: 1045, inbound: 1045 }) } },
      prior: { total: kpis({ offered: 1054, inbound: 1054 }), by_channel: { email: kpis({ offered: 1054, inbound: 1054 }) } },
      sla: [],
    });
    const model = buildReportModel({ doc, config: cfg, completeness, priorCompleteness: assessCompleteness(march, cfg, entries(march, 31), now) });
    expect(model.status).toBe('complete');
    // 1,045 / 30 against 1,054 / 31: 34.83 / 34.00 − 1 = +2.45 %, shown with one decimal
    expect(model.keyFigures.find((k) => k.key === 'offered')!.vsPrior.text).toBe('+2.5%');
    expect(model.comparisonNote).toBe('건수는 데이터가 있는 영업일의 하루 평균으로 비교합니다 (이번 기간 / 이전 기간): 전체 30일 / 31일.');
  });
});
