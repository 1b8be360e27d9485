import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import type { KpiDocument } from '../../../functions/core/kpis/kpi-result.ts';
import { contact, survey, tempLake, writeLakeTable } from './lake-fixture.ts';

const base: ClientConfigInput = {
  id: 'shop',
  name: 'Shop',
  timezone: 'Asia/Seoul',
  // the lake fixture's rows come from source `fixture`
  sources: [{ id: 'fixture', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [
    {
      effective_from: '2026-01-01',
      channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 }, chat: { service_level_seconds: 60 } },
      monthly_cost: 3_100_000,
      targets: [
        { kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 },
        { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 },
        { kpi: 'asa_seconds', channel: 'chat', op: '<=', value: 60 },
        { kpi: 'csat_avg', op: '>=', value: 3.5 },
      ],
    },
  ],
};
const configWith = (formula?: string): ClientConfig => {
  const input = structuredClone(base) as { contract: Record<string, unknown>[] };
  if (formula) input.contract[0]!.service_level_formula = formula;
  return clientConfigSchema.parse(input);
};

// Seoul is UTC+9: local 10:00 on 2026-03-10 is 01:00Z.
const at = (iso: string) => new Date(iso);
const day10 = (id: string, row: Parameters<typeof contact>[0]) => ({ client_id: 'shop', dt: '2026-03-10', row: contact({ ...row, contact_id: id }) });

const contacts = [
  // 2026-02-24, two weeks before the report day: the only day of the category baseline with contacts
  { client_id: 'shop', dt: '2026-02-24', row: contact({ contact_id: 'b1', arrived_at: at('2026-02-24T01:00:00Z'), local_hour: 10, customer_key: 'Y', wait_seconds: 5, talk_seconds: 60, agent_id: 'a1', category: '배송' }) },
  // 2026-03-09 (prior day)
  { client_id: 'shop', dt: '2026-03-09', row: contact({ contact_id: 'q1', arrived_at: at('2026-03-09T01:00:00Z'), local_hour: 10, customer_key: 'B', wait_seconds: 5, talk_seconds: 60, agent_id: 'a1', category: '배송' }) },
  { client_id: 'shop', dt: '2026-03-09', row: contact({ contact_id: 'q2', channel: 'chat', arrived_at: at('2026-03-09T00:00:00Z'), local_hour: 9, customer_key: 'F', wait_seconds: 30, talk_seconds: 60, agent_id: 'a2', category: '환불' }) },
  // 2026-03-10 (the report day)
  day10('p1', { contact_id: '', arrived_at: at('2026-03-10T01:00:00Z'), local_hour: 10, customer_key: 'A', wait_seconds: 10, talk_seconds: 100, hold_seconds: 20, acw_seconds: 30, agent_id: 'a1', category: '배송' }),
  day10('p2', { contact_id: '', arrived_at: at('2026-03-10T00:30:00Z'), local_hour: 9, customer_key: 'B', wait_seconds: 30, talk_seconds: 200, acw_seconds: 40, agent_id: 'a1', is_transferred: true, category: '배송' }),
  day10('p3', { contact_id: '', arrived_at: at('2026-03-10T02:00:00Z'), local_hour: 11, customer_key: 'C', wait_seconds: 3, outcome: 'abandoned', category: '환불' }),
  day10('p4', { contact_id: '', arrived_at: at('2026-03-10T02:00:00Z'), local_hour: 11, customer_key: 'D', wait_seconds: 40, outcome: 'abandoned', category: '배송' }),
  day10('p5', { contact_id: '', arrived_at: at('2026-03-10T03:00:00Z'), local_hour: 12, wait_seconds: 50, outcome: 'callback_requested', category: '기타' }),
  day10('p6', { contact_id: '', arrived_at: at('2026-03-10T03:00:00Z'), local_hour: 12, customer_key: 'E', ivr_seconds: 40, outcome: 'self_service' }),
  day10('p7', { contact_id: '', arrived_at: at('2026-03-10T03:00:00Z'), local_hour: 12, customer_key: 'E', wait_seconds: 1, outcome: 'excluded', category: '배송' }),
  day10('p8', { contact_id: '', direction: 'outbound', arrived_at: at('2026-03-10T04:00:00Z'), local_hour: 13, customer_key: 'A', talk_seconds: 50, agent_id: 'a3' }),
  day10('c1', { contact_id: '', channel: 'chat', arrived_at: at('2026-03-10T02:30:00Z'), local_hour: 11, customer_key: 'D', wait_seconds: 45, talk_seconds: 300, acw_seconds: 0, agent_id: 'a2', category: '배송' }),
  day10('c2', { contact_id: '', channel: 'chat', arrived_at: at('2026-03-10T05:00:00Z'), local_hour: 14, customer_key: 'A', wait_seconds: 90, talk_seconds: 100, agent_id: 'a2', category: '배송' }),
  // 2026-03-12: F comes back exactly 72 h after q2; Z is the newest contact in the lake (local 10:00)
  { client_id: 'shop', dt: '2026-03-12', row: contact({ contact_id: 'f2', channel: 'chat', arrived_at: at('2026-03-12T00:00:00Z'), local_hour: 9, customer_key: 'F', wait_seconds: 10 }) },
  { client_id: 'shop', dt: '2026-03-12', row: contact({ contact_id: 'z1', channel: 'chat', arrived_at: at('2026-03-12T01:00:00Z'), local_hour: 10, customer_key: 'Z', wait_seconds: 10 }) },
  // another client on the same day must not leak in
  { client_id: 'other', dt: '2026-03-10', row: contact({ contact_id: 'x1', arrived_at: at('2026-03-10T01:00:00Z'), local_hour: 10, customer_key: 'A', wait_seconds: 1 }) },
];

const responded = at('2026-03-10T09:00:00Z');
const surveys = [
  survey({ survey_id: 's1', survey_type: 'csat', score: 5, contact_id: 'p1', channel: 'phone', responded_at: responded }),
  survey({ survey_id: 's2', survey_type: 'csat', score: 3, contact_id: 'p2', channel: 'phone', responded_at: responded }),
  survey({ survey_id: 's3', survey_type: 'csat', score: 4, contact_id: 'c1', channel: 'chat', responded_at: responded }),
  survey({ survey_id: 's4', survey_type: 'nps', score: 10, contact_id: 'p1', channel: 'phone', responded_at: responded }),
  survey({ survey_id: 's5', survey_type: 'nps', score: 6, contact_id: 'c1', channel: 'chat', responded_at: responded }),
  survey({ survey_id: 's6', survey_type: 'nps', score: 9, contact_id: 'p2', channel: 'phone', responded_at: responded }),
  survey({ survey_id: 's7', survey_type: 'ces', score: 6, contact_id: 'p1', channel: 'phone', responded_at: responded }),
  survey({ survey_id: 's8', survey_type: 'ces', score: 3, contact_id: 'p2', channel: 'phone', responded_at: responded }),
].map((row) => ({ client_id: 'shop', dt: '2026-03-10', row }));

let lake: string;
let engine: DuckDbEngine;
let doc: KpiDocument;

beforeAll(async () => {
  lake = await tempLake();
  await writeLakeTable(lake, 'contacts', contacts);
  await writeLakeTable(lake, 'surveys', surveys);
  engine = await createDuckDbEngine({ lakeRoot: lake });
  doc = await computeKpiDocument(engine, configWith(), 'daily', '2026-03-10', { spikeRule: { minCount: 3, minRatio: 1.5, minZ: 2, baselinePeriods: 4 } });
});
afterAll(async () => engine.close());

describe('daily KPI document on a hand-worked day (Asia/Seoul, 2026-03-10)', () => {
  it('counts phone contacts: offered excludes self-service, excluded and outbound; short abandons are wait < 5 s', () => {
    const phone = doc.current.by_channel.phone!;
    // inbound p1..p6 (p7 excluded, p8 outbound); offered p1..p5; answered p1,p2; abandoned p3,p4; short p3 (3 s < 5 s)
    expect(phone).toMatchObject({ inbound: 6, offered: 5, answered: 2, abandoned: 2, short_abandoned: 1, callbacks: 1, self_service: 1, excluded: 1, outbound: 1 });
    expect(phone.answer_rate).toBe(0.5); // 2 / (5 − 1)
    expect(phone.abandon_rate).toBe(0.25); // (2 − 1) / (5 − 1)
    expect(phone.service_level).toBe(0.25); // p1 (10 s ≤ 20) / (5 − 1)
    expect(phone.asa_seconds).toBe(20); // (10 + 30) / 2
    expect(phone.aht_seconds).toBe(195); // p1 100+20+30=150, p2 200+0+40=240 → 390 / 2
    expect(phone.avg_talk_seconds).toBe(150);
    expect(phone.avg_acw_seconds).toBe(35);
    expect(phone.wait_p90_seconds).toBe(30);
    expect(phone.max_wait_seconds).toBe(30);
    expect(phone.avg_abandon_wait_seconds).toBe(21.5); // (3 + 40) / 2
    expect(phone.transfer_rate).toBe(0.5); // p2 / 2 answered
    expect(phone.self_service_rate).toBeCloseTo(1 / 6, 12); // 1 / (1 + 5)
  });

  it('has an unknown transfer rate, not 0, when no source of the answered contacts records transfers', async () => {
    // the same rows from a mapped export that maps no transfer column (Zendesk, Asterisk, the bank)
    const input = structuredClone(base) as ClientConfigInput;
    input.sources = [{ id: 'fixture', format: 'mapped-csv', channel: 'phone', fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'iso' } } }];
    const d = await computeKpiDocument(engine, clientConfigSchema.parse(input), 'daily', '2026-03-10');
    expect(d.current.by_channel.phone!.answered).toBe(2);
    expect(d.current.by_channel.phone!.transfer_rate).toBeNull();
    expect(d.current.total.transfer_rate).toBeNull();
  });

  it('computes totals across channels, each contact judged with its own channel threshold', () => {
    const t = doc.current.total;
    expect(t).toMatchObject({ offered: 7, answered: 4, abandoned: 2, short_abandoned: 1 });
    expect(t.answer_rate).toBeCloseTo(4 / 6, 12);
    expect(t.abandon_rate).toBeCloseTo(1 / 6, 12);
    // p1 (10 ≤ 20) and c1 (45 ≤ 60) over 7 − 1
    expect(t.service_level).toBeCloseTo(2 / 6, 12);
    expect(doc.current.by_channel.chat!.service_level).toBe(0.5);
    expect(t.contacts_per_day).toBe(4);
    expect(t.contacts_per_agent_day).toBe(2); // 4 answered / (a1, a2) on one day
  });

  it('repeat: 24 h look-back across the period boundary and across channels', () => {
    // keyed inbound p1,p2,p3,p4,p6,c1,c2 = 7; repeats p2 (B's q1 23.5 h before), c1 (D's p4), c2 (A's p1)
    expect(doc.current.total.repeat_rate).toBeCloseTo(3 / 7, 12);
    expect(doc.current.by_channel.phone!.repeat_rate).toBe(0.2);
    expect(doc.current.by_channel.chat!.repeat_rate).toBe(1);
  });

  it('retry after abandon: p4 abandoned, D chatted 30 min later; p3 never came back', () => {
    expect(doc.current.total.retry_after_abandon_rate).toBe(0.5);
    expect(doc.current.by_channel.chat!.retry_after_abandon_rate).toBeNull(); // no abandoned chat
  });

  it('FCR: 72 h forward window, provisional while the window reaches past the newest contact', () => {
    // answered keyed p1 (A back at 14:00), p2, c1, c2 → 3 / 4; c2's window ends 03-13 > newest 03-12T01:00Z
    expect(doc.current.total.fcr).toBe(0.75);
    expect(doc.current.total.fcr_provisional).toBe(true);
    expect(doc.current.by_channel.phone!.fcr).toBe(0.5);
    // prior day: q1 (B back next day), q2 (F back exactly 72 h later: inside (t, t+72h]) → 0 / 2;
    // last window ends 03-12T01:00Z = the newest arrival, so complete
    expect(doc.prior.total.fcr).toBe(0);
    expect(doc.prior.total.fcr_provisional).toBe(false);
    expect(doc.data_through).toBe('2026-03-12T01:00:00.000Z');
  });

  it('the voices of the period: no comments here, but two low answers, the lowest-scored first', () => {
    // p2: CES 3 on 1-7 is high effort (lowest third, ≤ 3), its worst position (3 − 1) / 6 = 0.33; c1: NPS 6 is a
    // detractor, its worst position (4 − 1) / 4 = 0.75 for CSAT and 6 / 10 = 0.6 for NPS; p1 scored high throughout
    expect(doc.comments).toEqual([
      { responded_at: '2026-03-10T09:00:00.000Z', channel: 'phone', csat_score: 3, nps_score: 9, ces_score: 3, is_low: true, category: '배송', comment: null },
      { responded_at: '2026-03-10T09:00:00.000Z', channel: 'chat', csat_score: 4, nps_score: 6, ces_score: null, is_low: true, category: '배송', comment: null },
    ]);
    expect(doc.spike_baseline).toEqual({
      kind: 'same_weekday',
      periods: ['2026-03-03', '2026-02-24', '2026-02-17', '2026-02-10'].map((d) => ({ start: d, end: d })),
      min_count: 3,
      min_ratio: 1.5,
      min_z: 2,
    });
  });

  it('surveys: CSAT mean and satisfied share, NPS, CES, response rate', () => {
    const t = doc.current.total;
    expect(t.csat_avg).toBe(4); // (5 + 3 + 4) / 3
    expect(t.csat_satisfied_rate).toBeCloseTo(2 / 3, 12);
    expect(t.csat_responses).toBe(3);
    expect(t.nps).toBeCloseTo(100 / 3, 10); // promoters 10, 9; detractor 6 → (2 − 1) / 3
    expect(t.nps_responses).toBe(3);
    expect(t.ces_avg).toBe(4.5);
    expect(t.ces_low_effort_rate).toBe(0.5);
    expect(t.survey_response_rate).toBe(0.75); // contacts p1, p2, c1 surveyed / 4 answered
    expect(doc.current.by_channel.phone!.nps).toBe(100);
    expect(doc.current.by_channel.chat!.nps).toBe(-100);
  });

  it('cost per contact: March 3,100,000 / 31 days = 100,000 for the day, over 4 answered', () => {
    expect(doc.current.total.cost_per_contact).toBe(25_000);
    expect(doc.current.by_channel.phone!.cost_per_contact).toBeNull();
  });

  it('empty denominators are null, never 0: the week-ago day has no data', () => {
    const w = doc.week_ago!.total;
    expect(doc.week_ago_period).toEqual({ kind: 'daily', start: '2026-03-03', end: '2026-03-03' });
    expect(w.offered).toBe(0);
    for (const k of ['answer_rate', 'abandon_rate', 'service_level', 'asa_seconds', 'aht_seconds', 'fcr', 'repeat_rate', 'csat_avg', 'nps', 'cost_per_contact', 'survey_response_rate'] as const) {
      expect(w[k]).toBeNull();
    }
    expect(w.fcr_provisional).toBe(false);
  });

  it('SLA: actual, met, margin signed so that positive is good, prior actual', () => {
    expect(doc.sla).toEqual([
      { kpi: 'service_level', channel: 'phone', op: '>=', target: 0.8, label: null, actual: 0.25, met: false, margin: expect.closeTo(-0.55, 12), prior_actual: 1, days_met: null, days_judged: null },
      { kpi: 'abandon_rate', channel: 'phone', op: '<=', target: 0.05, label: null, actual: 0.25, met: false, margin: expect.closeTo(-0.2, 12), prior_actual: 0, days_met: null, days_judged: null },
      { kpi: 'asa_seconds', channel: 'chat', op: '<=', target: 60, label: null, actual: 67.5, met: false, margin: -7.5, prior_actual: 30, days_met: null, days_judged: null },
      { kpi: 'csat_avg', channel: null, op: '>=', target: 3.5, label: null, actual: 4, met: true, margin: 0.5, prior_actual: null, days_met: null, days_judged: null },
    ]);
  });

  it('hourly profile by local hour and the peak hour', () => {
    expect(doc.hourly).toHaveLength(24);
    // 11 h: p3 (phone, abandoned after 3 s: short), p4 (phone, abandoned after 40 s), c1 (chat, answered after 45 s)
    // phone: 0 within T / (2 offered − 1 short) = 0; chat: c1 within 60 s / 1 = 1; all: c1 / (3 − 1) = 0.5
    expect(doc.hourly[11]).toEqual({
      hour: 11,
      offered: 3,
      answered: 1,
      abandoned: 2,
      service_level: 0.5,
      avg_per_day: 3,
      by_channel: { phone: { offered: 2, service_level: 0 }, chat: { offered: 1, service_level: 1 } },
    });
    expect(doc.hourly[12]!.offered).toBe(1); // p5 callback; p6 self-service and p7 excluded are not offered
    expect(doc.hourly[3]!.service_level).toBeNull();
    expect(doc.peak_hour).toBe(11);
  });

  it('daily trend: the trailing 14 days ending with the report date', () => {
    expect(doc.daily).toHaveLength(14);
    expect(doc.daily[0]!.dt).toBe('2026-02-25');
    expect(doc.daily[12]).toMatchObject({ dt: '2026-03-09', offered: 2, answered: 2, service_level: 1 });
    expect(doc.daily[13]).toMatchObject({ dt: '2026-03-10', offered: 7, answered: 4 });
    // per channel, for a trend line on the channel a contract judges: phone p1 within T over (5 − 1) = 0.25
    expect(doc.daily[13]!.by_channel.phone).toEqual({ offered: 5, answer_rate: 0.5, service_level: 0.25, abandon_rate: 0.25 });
  });

  it('category mix with change and the spike rule (min count 3 here)', () => {
    // inbound (not excluded) 03-10: 배송 p1,p2,p4,c1,c2 = 5; 환불 p3; 기타 p5; (none) p6 → 8
    // prior day 03-09: 배송 q1, 환불 q2. Baseline, the same weekday of the four weeks before: 03-03 and 02-17 and
    // 02-10 have no contacts and are left out; 02-24 has 배송 b1 → mean 1, no deviation; 5 ≥ 3 and 5 ≥ 1.5 → spike
    const delivery = doc.categories[0]!;
    expect(delivery).toMatchObject({ category: '배송', count: 5, share: 5 / 8, prior_count: 1, prior_share: 0.5, change: 4, baseline_mean: 1, z_score: null, is_spike: true });
    expect(doc.categories.find((c) => c.category === '환불')).toMatchObject({ count: 1, prior_count: 1, change: 0, is_spike: false });
    expect(doc.categories.map((c) => c.category).sort()).toEqual(['(none)', '기타', '배송', '환불']);
  });
});

describe('the hours behind a miss, on the same lake', () => {
  const pick = (h: { hour: number; days: number; offered: number; answered: number; abandoned: number; shortAbandoned: number; slNumerator: number; slDenominator: number; answeredWaitSeconds: number; handleSeconds: number; handled: number; agentHours: number }) =>
    [h.hour, h.days, h.offered, h.answered, h.abandoned, h.shortAbandoned, h.slNumerator, h.slDenominator, h.answeredWaitSeconds, h.handleSeconds, h.handled, h.agentHours];

  it('sums each phone hour of the day: offered, answered, abandons, the formula numerator and denominator, handle and agents', () => {
    const phone = doc.drivers.find((d) => d.channel === 'phone')!;
    // Tuesday 3/10; its usual days are the four Tuesdays before (2/10, 2/17, 2/24, 3/3), every day open here
    expect([phone.current_days, phone.usual_days]).toEqual([1, 4]);
    // [hour, days, offered, answered, abandoned, short, within T, base, answered waits, handle, handled, agents]
    expect(phone.current.map(pick)).toEqual([
      // p2: answered after 30 s (> 20 s), 200 + 40 = 240 s handle, agent a1
      [9, 1, 1, 1, 0, 0, 0, 1, 30, 240, 1, 1],
      // p1: answered after 10 s, 100 + 20 + 30 = 150 s, agent a1
      [10, 1, 1, 1, 0, 0, 1, 1, 10, 150, 1, 1],
      // p3 abandoned after 3 s (short: out of the base), p4 after 40 s
      [11, 1, 2, 0, 2, 1, 0, 1, 0, 0, 0, 0],
      // p5 asked for a callback after 50 s; p6 ended in the IVR (inbound, not offered)
      [12, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    ]);
    // b1 on 2/24 at 10: answered after 5 s, 60 s of talk, agent a1; the hour's sums are over the four Tuesdays
    expect(phone.usual.map(pick)).toEqual([[10, 4, 1, 1, 0, 0, 1, 1, 5, 60, 1, 1]]);
  });

  it('counts categories per hour in the day and in its usual days', () => {
    const at10 = doc.hour_categories.filter((c) => c.channel === 'phone' && c.hour === 10);
    expect(at10).toEqual([{ channel: 'phone', hour: 10, category: '배송', current: 1, usual: 1 }]);
  });

  it('has no staffing plan in a daily report', () => {
    expect(doc.staffing).toBeNull();
  });
});

describe('service-level formula variants', () => {
  it('answered within T / answered', async () => {
    const d = await computeKpiDocument(engine, configWith('answered_within_over_answered'), 'daily', '2026-03-10');
    expect(d.current.by_channel.phone!.service_level).toBe(0.5); // p1 / (p1, p2)
    expect(d.current.total.service_level).toBe(0.5); // p1, c1 / 4
    expect(d.contract.service_level_formula).toBe('answered_within_over_answered');
  });
  it("Amazon Connect's (answered, abandoned or callback requested within T) / offered", async () => {
    const d = await computeKpiDocument(engine, configWith('connect_within_over_offered'), 'daily', '2026-03-10');
    expect(d.current.by_channel.phone!.service_level).toBe(0.4); // p1 (10 s), p3 (abandoned at 3 s) / 5; p5's callback came after 50 s
    expect(d.current.total.service_level).toBeCloseTo(3 / 7, 12); // + c1 / 7
  });
});
