/**
 * Hand-made KPI documents and configs for the report tests. Values are chosen so every expected figure in the
 * tests can be worked out on paper: e.g. answer rate 0.9 vs 0.85 is +5.0 %p.
 */
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import type { CoverageEntry } from '../../../functions/core/ingest/coverage.ts';
import type { IngestManifest } from '../../../functions/core/ingest/manifest.ts';
import type { KpiDocument, Kpis, Period } from '../../../functions/core/kpis/kpi-result.ts';
import type { HourStats } from '../../../functions/core/staffing/miss-causes.ts';
import { datesOf } from '../../../functions/core/kpis/periods.ts';
import { assessCompleteness, type PeriodCompleteness } from '../../../functions/core/report/completeness.ts';

export function kpis(overrides: Partial<Kpis> = {}): Kpis {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    short_abandoned: 0,
    callbacks: 0,
    self_service: 0,
    ivr_abandoned: 0,
    inbound: 0,
    excluded: 0,
    outbound: 0,
    answer_rate: null,
    abandon_rate: null,
    service_level: null,
    asa_seconds: null,
    aht_seconds: null,
    avg_talk_seconds: null,
    avg_acw_seconds: null,
    wait_p90_seconds: null,
    max_wait_seconds: null,
    avg_abandon_wait_seconds: null,
    transfer_rate: null,
    self_service_rate: null,
    ivr_abandon_rate: null,
    repeat_rate: null,
    retry_after_abandon_rate: null,
    fcr: null,
    fcr_provisional: false,
    inbound_with_key: 0,
    abandoned_with_key: 0,
    answered_with_key: 0,
    csat_avg: null,
    csat_satisfied_rate: null,
    csat_responses: 0,
    nps: null,
    nps_responses: 0,
    ces_avg: null,
    ces_low_effort_rate: null,
    ces_responses: 0,
    survey_response_rate: null,
    cost_per_contact: null,
    contacts_per_day: null,
    contacts_per_agent_day: null,
    ...overrides,
  };
}

export function config(overrides: Partial<ClientConfigInput> = {}): ClientConfig {
  return clientConfigSchema.parse({
    id: 'shop',
    name: '예시몰',
    timezone: 'Asia/Seoul',
    sources: [
      { id: 'cti', format: 'cspulse-csv', channel: 'phone' },
      { id: 'chat', format: 'cspulse-csv', channel: 'chat' },
    ],
    contract: [
      {
        effective_from: '2026-01-01',
        channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 }, chat: { service_level_seconds: 60 } },
        monthly_cost: 5_000_000,
        targets: [
          { kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8, label: '전화 서비스 레벨 80/20' },
          { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 },
          { kpi: 'csat_avg', op: '>=', value: 4.5 },
        ],
      },
    ],
    recipients: { to: ['cs-lead@example.com'], cc: ['ceo@example.com'] },
    sender: 'reports@cspulse.example.com',
    ...overrides,
  } satisfies ClientConfigInput);
}

const currentTotal = kpis({
  offered: 1000,
  answered: 900,
  abandoned: 100,
  short_abandoned: 0,
  inbound: 1050,
  answer_rate: 0.9,
  abandon_rate: 0.1,
  service_level: 0.78,
  asa_seconds: 25,
  aht_seconds: 245,
  repeat_rate: 0.12,
  fcr: 0.8,
  inbound_with_key: 950,
  abandoned_with_key: 90,
  answered_with_key: 850,
  max_wait_seconds: 312,
  self_service_rate: 0.05,
  retry_after_abandon_rate: 0.3,
  csat_avg: 4.6,
  csat_satisfied_rate: 0.9,
  csat_responses: 120,
  nps: 32,
  nps_responses: 80,
  ces_avg: 5.5,
  ces_responses: 45,
  survey_response_rate: 0.2222,
  cost_per_contact: 2500,
});

const priorTotal = kpis({
  offered: 800,
  answered: 680,
  abandoned: 120,
  inbound: 820,
  answer_rate: 0.85,
  abandon_rate: 0.15,
  service_level: 0.82,
  asa_seconds: 20,
  aht_seconds: 245,
  repeat_rate: 0.1,
  fcr: 0.8,
  inbound_with_key: 780,
  abandoned_with_key: 110,
  answered_with_key: 640,
  max_wait_seconds: 240,
  self_service_rate: 0.025,
  retry_after_abandon_rate: 0.25,
  csat_avg: 4.4,
  csat_satisfied_rate: 0.85,
  csat_responses: 100,
  nps: 30,
  nps_responses: 70,
  ces_avg: null,
  survey_response_rate: 0.25,
  cost_per_contact: 3000,
});

/** An hour of day over `days` open days; every answered contact took 240 s. */
function hourStats(hour: number, days: number, o: Pick<HourStats, 'offered' | 'answered' | 'abandoned' | 'slNumerator' | 'slDenominator' | 'agentHours'>): HourStats {
  return { hour, days, shortAbandoned: 0, answeredWaitSeconds: 0, handleSeconds: o.answered * 240, handled: o.answered, ...o };
}

export function dailyDoc(overrides: Partial<KpiDocument> = {}): KpiDocument {
  return {
    client_id: 'shop',
    timezone: 'Asia/Seoul',
    period: { kind: 'daily', start: '2026-03-04', end: '2026-03-04' },
    prior_period: { kind: 'daily', start: '2026-03-03', end: '2026-03-03' },
    week_ago_period: { kind: 'daily', start: '2026-02-25', end: '2026-02-25' },
    comparison_days: null,
    current: {
      total: currentTotal,
      by_channel: {
        phone: kpis({ offered: 700, answered: 620, abandoned: 80, short_abandoned: 8, inbound: 750, self_service: 50, answer_rate: 0.8857, abandon_rate: 0.1143, service_level: 0.75, asa_seconds: 32, aht_seconds: 260, max_wait_seconds: 312 }),
        chat: kpis({ offered: 300, answered: 280, abandoned: 20, inbound: 300, answer_rate: 0.9333, abandon_rate: 0.0667, service_level: 0.85, asa_seconds: 9, aht_seconds: 211, max_wait_seconds: 95 }),
      },
    },
    prior: {
      total: priorTotal,
      by_channel: {
        phone: kpis({ offered: 560, answered: 480, abandoned: 80, short_abandoned: 10, inbound: 570, answer_rate: 0.8727, abandon_rate: 0.1273, service_level: 0.81, asa_seconds: 24, aht_seconds: 250, max_wait_seconds: 200 }),
        chat: kpis({ offered: 240, answered: 200, abandoned: 40, inbound: 250, answer_rate: 0.8333, abandon_rate: 0.1667, service_level: 0.86, asa_seconds: 10, aht_seconds: 230, max_wait_seconds: 90 }),
      },
    },
    week_ago: {
      total: kpis({ offered: 1000, answer_rate: 0.92, service_level: 0.8, abandon_rate: 0.08, asa_seconds: 30, aht_seconds: 250 }),
      by_channel: { phone: kpis({ offered: 690, answer_rate: 0.9, service_level: 0.8, abandon_rate: 0.1, asa_seconds: 40, aht_seconds: 250 }) },
    },
    sla: [
      { kpi: 'service_level', channel: 'phone', op: '>=', target: 0.8, label: '전화 서비스 레벨 80/20', actual: 0.75, met: false, margin: -0.05, prior_actual: 0.81, days_met: null, days_judged: null },
      { kpi: 'abandon_rate', channel: 'phone', op: '<=', target: 0.05, label: null, actual: 0.04, met: true, margin: 0.01, prior_actual: 0.06, days_met: null, days_judged: null },
      { kpi: 'csat_avg', channel: null, op: '>=', target: 4.5, label: null, actual: 4.6, met: true, margin: 0.1, prior_actual: 4.4, days_met: null, days_judged: null },
    ],
    spike_baseline: { kind: 'same_weekday', periods: ['2026-02-25', '2026-02-18', '2026-02-11', '2026-02-04'].map((d) => ({ start: d, end: d })), min_count: 10, min_ratio: 1.5, min_z: 2 },
    comments: [
      // the low answer first, as the document orders them; then the newest
      { responded_at: '2026-03-04T02:10:00.000Z', channel: 'phone', csat_score: 2, nps_score: 3, ces_score: null, is_low: true, category: '배송 & 반품 "지연"', comment: '대기 시간이 너무 길었습니다' },
      { responded_at: '2026-03-04T09:30:00.000Z', channel: 'chat', csat_score: 5, nps_score: null, ces_score: null, is_low: false, category: '결제', comment: '상담원이 <b>친절</b>했어요. 010-1234-5678로 연락 주세요' },
      // a low answer without a comment: counted, not shown
      { responded_at: '2026-03-04T05:00:00.000Z', channel: 'phone', csat_score: 1, nps_score: null, ces_score: null, is_low: true, category: '배송 & 반품 "지연"', comment: null },
    ],
    categories: [
      { category: '배송 & 반품 "지연"', count: 400, share: 0.4, prior_count: 200, prior_share: 0.25, change: 1, baseline_mean: 190, z_score: 7, is_spike: true },
      { category: '<script>alert(1)</script>', count: 300, share: 0.3, prior_count: 300, prior_share: 0.375, change: 0, baseline_mean: 290, z_score: 0.5, is_spike: false },
      { category: '결제', count: 200, share: 0.2, prior_count: 250, prior_share: 0.3125, change: -0.2, baseline_mean: 240, z_score: -1, is_spike: false },
      { category: '회원정보', count: 100, share: 0.1, prior_count: 0, prior_share: 0, change: null, baseline_mean: 5, z_score: null, is_spike: false },
    ],
    hourly: Array.from({ length: 24 }, (_, hour) => {
      const offered = hour >= 9 && hour <= 18 ? (hour === 10 ? 150 : 90) : hour === 19 ? 40 : 0;
      return {
        hour,
        offered,
        answered: Math.round(offered * 0.9),
        abandoned: offered - Math.round(offered * 0.9),
        service_level: offered === 0 ? null : 0.78,
        avg_per_day: offered,
        by_channel: offered === 0 ? {} : { phone: { offered: Math.round(offered * 0.7), service_level: 0.72 }, chat: { offered: offered - Math.round(offered * 0.7), service_level: 0.9 } },
      };
    }),
    peak_hour: 10,
    // 2026-02-19 .. 2026-03-04: the trailing 14 days a daily report draws
    daily: Array.from({ length: 14 }, (_, i) => {
      const dt = new Date(Date.UTC(2026, 1, 19 + i)).toISOString().slice(0, 10);
      return {
        dt,
        offered: 800 + i * 15,
        answered: 700 + i * 14,
        abandoned: 100 + i,
        answer_rate: 0.85 + (i % 4) * 0.02,
        service_level: 0.75 + (i % 5) * 0.03,
        asa_seconds: 20,
        aht_seconds: 240,
        by_channel: { phone: { offered: 560 + i * 10, answer_rate: 0.84, service_level: 0.7 + (i % 5) * 0.03, abandon_rate: 0.06 } },
      };
    }),
    // every KPI of the same 14 days, per channel, for the attachments
    days: Array.from({ length: 14 }, (_, i) => ({
      dt: new Date(Date.UTC(2026, 1, 19 + i)).toISOString().slice(0, 10),
      kpis: {
        total: kpis({ inbound: 850 + i * 15, offered: 800 + i * 15, answered: 700 + i * 14, abandoned: 100 + i }),
        by_channel: {
          phone: kpis({ inbound: 600 + i * 10, offered: 560 + i * 10, answered: 480 + i * 9, abandoned: 80 + i, answer_rate: 0.84, service_level: 0.7 + (i % 5) * 0.03, abandon_rate: 0.06, asa_seconds: 25, aht_seconds: 250 }),
          chat: kpis({ inbound: 250 + i * 5, offered: 240 + i * 5, answered: 220 + i * 5, abandoned: 20, answer_rate: 0.9, service_level: 0.85, abandon_rate: 0.05, asa_seconds: 9, aht_seconds: 211 }),
        },
      },
    })),
    // The phone's 10 o'clock made the miss: 65 of 100 within 20 s, 105 calls against the usual 70 a day, 8 agents
    drivers: [
      {
        channel: 'phone',
        current_days: 1,
        usual_days: 4,
        current: [hourStats(10, 1, { offered: 105, answered: 100, abandoned: 5, slNumerator: 65, slDenominator: 100, agentHours: 8 }), hourStats(11, 1, { offered: 100, answered: 98, abandoned: 2, slNumerator: 90, slDenominator: 100, agentHours: 8 }), hourStats(14, 1, { offered: 80, answered: 78, abandoned: 2, slNumerator: 60, slDenominator: 80, agentHours: 8 })],
        usual: [hourStats(10, 4, { offered: 280, answered: 272, abandoned: 8, slNumerator: 232, slDenominator: 280, agentHours: 32 }), hourStats(11, 4, { offered: 400, answered: 392, abandoned: 8, slNumerator: 360, slDenominator: 400, agentHours: 32 }), hourStats(14, 4, { offered: 320, answered: 312, abandoned: 8, slNumerator: 272, slDenominator: 320, agentHours: 32 })],
      },
    ],
    hour_categories: [
      { channel: 'phone', hour: 10, category: '배송 & 반품 "지연"', current: 60, usual: 100 },
      { channel: 'phone', hour: 10, category: '결제', current: 20, usual: 80 },
    ],
    staffing: null,
    contract: {
      effective_from: '2026-01-01',
      service_level_formula: 'answered_within_over_offered_less_short',
      service_level_seconds: { phone: 20, chat: 60 },
      short_abandon_seconds: { phone: 5, chat: 0 },
      repeat_window_hours: 24,
      fcr_window_hours: 72,
      retry_window_minutes: 60,
      csat_satisfied_min: 4,
      ces_low_effort_min: 5,
      note: null,
      later_versions_in_period: [],
    },
    data_through: '2026-03-04T14:58:00.000Z',
    generated_at: '2026-03-04T23:00:00.000Z',
    ...overrides,
  };
}

export function manifest(overrides: Partial<IngestManifest> & Pick<IngestManifest, 'source' | 'file_id' | 'partitions'>): IngestManifest {
  const rowsWritten = overrides.partitions.reduce((s, p) => s + p.rows, 0);
  return {
    client_id: 'shop',
    table: 'contacts',
    file: `${overrides.source}-${overrides.file_id}.csv`,
    file_sha256: 'a'.repeat(64),
    started_at: '2026-03-04T15:30:00.000Z',
    finished_at: '2026-03-04T15:31:00.000Z',
    status: 'ok',
    error: null,
    rows_read: rowsWritten,
    rows_written: rowsWritten,
    rows_quarantined: 0,
    duplicates_dropped: 0,
    quarantine_key: null,
    ...overrides,
  };
}

/** A coverage entry as ingest writes it: one delivery of a source with rows on a business date. */
export function coverageEntry(overrides: Partial<CoverageEntry> & Pick<CoverageEntry, 'source' | 'dt'>): CoverageEntry {
  const fileId = overrides.file_id ?? `${overrides.source}-${overrides.dt}`;
  return {
    client_id: 'shop',
    table: overrides.source === 'surveys' ? 'surveys' : 'contacts',
    file: `${fileId}.csv`,
    file_id: fileId,
    // the export of a day lands at 00:30 KST the next day (15:30Z the same UTC day)
    delivered_at: `${overrides.dt}T15:30:00.000Z`,
    finished_at: `${overrides.dt}T15:31:00.000Z`,
    rows: 100,
    excluded: 0,
    declared: false,
    file_rows_read: 103,
    file_rows_quarantined: 3,
    ...overrides,
  };
}

/**
 * What the coverage index says about a period: every source of the config delivered every day, except the
 * source-days listed as missing. Built with the real assessment, from coverage entries.
 */
export function completenessFor(period: Pick<Period, 'start' | 'end'>, cfg = config(), missing: { source: string; dt: string }[] = [], now = new Date('2026-06-01T00:00:00Z')): PeriodCompleteness {
  const entries: CoverageEntry[] = [];
  for (const dt of datesOf(period)) {
    for (const s of cfg.sources) {
      if (missing.some((m) => m.source === s.id && m.dt === dt)) continue;
      entries.push(coverageEntry({ client_id: cfg.id, source: s.id, dt }));
    }
  }
  return assessCompleteness(period, cfg, entries, now);
}

export const dayPeriod = (d: string) => ({ start: d, end: d });
