/**
 * Produces the KPI document of one client and period: runs the KPI SQL of `sql/kpis/` (contacts, surveys,
 * category mix) on a QueryEngine and shapes the rows. The SQL computes every KPI; this module picks the
 * periods and contract terms, adds cost per contact (a contract figure, not lake data) and judges the SLA.
 */
import { contractInForce, channelParameters, type ClientConfig, type ContractVersion } from '../config/client-config.ts';
import type { QueryEngine, SqlValue } from '../ports.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { loadSqlCatalog, type SqlCatalog } from '../sql/sql-catalog.ts';
import { costPerContact, periodCost } from './cost.ts';
import { NoContractError } from './errors.ts';
import {
  categoryMixQuery,
  categoryPeriods,
  contactKpiQuery,
  DEFAULT_SPIKE_RULE,
  EMPTY_RANGE,
  surveyCommentsQuery,
  surveyKpiQuery,
  type BoundQuery,
  type DateRange,
  type ReportRanges,
  type SpikeRule,
} from './kpi-queries.ts';
import type {
  CategoryResult,
  ContractTerms,
  DailyPoint,
  HourlyResult,
  KpiDocument,
  Kpis,
  KpiSet,
  Period,
  PeriodKind,
  SurveyComment,
} from './kpi-result.ts';
import { addDays, datesOf, periodFor, priorPeriod, weekAgoPeriod } from './periods.ts';
import { evaluateSla } from './sla.ts';
import { channelHours, hourCategories, hourCategoriesQuery, hourlyDriversQuery, staffingPlans } from './hourly-drivers.ts';
import { sourceRecords } from '../config/source-channels.ts';
import { openingDaysOf, type OpeningDays } from '../calendar/opening-days.ts';
import { previousOpenDays, weekAgoOpenDays, type ComparisonDays } from './comparison-days.ts';

export interface ComputeKpiOptions {
  /** SQL texts (bundled Lambdas); read from the repository's sql/ folder when absent */
  sql?: SqlCatalog;
  /** the client's opening days (default: from its config) */
  openingDays?: OpeningDays;
  /** generated_at */
  now?: Date;
  spikeRule?: SpikeRule;
}

/** Days in the daily report's trend chart, ending with the report date. */
export const DAILY_TREND_DAYS = 14;

type Row = Record<string, SqlValue>;

const num = (row: Row | undefined, key: string): number | null => {
  const v = row?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const count = (row: Row | undefined, key: string): number => num(row, key) ?? 0;

const rowKey = (period: string, grain: string, channel: string, dt: SqlValue, hour: SqlValue): string =>
  `${period}|${grain}|${channel}|${dt ?? ''}|${hour ?? ''}`;

function indexRows(rows: readonly Row[]): Map<string, Row> {
  const map = new Map<string, Row>();
  for (const r of rows) {
    map.set(rowKey(String(r.period_name), String(r.grain), String(r.channel_group), r.dt ?? null, r.local_hour ?? null), r);
  }
  return map;
}

function toKpis(c: Row | undefined, s: Row | undefined, days: number, cost: number | null): Kpis {
  const answered = count(c, 'answered');
  const responses = count(s, 'survey_responses');
  return {
    offered: count(c, 'offered'),
    answered,
    abandoned: count(c, 'abandoned'),
    short_abandoned: count(c, 'short_abandoned'),
    callbacks: count(c, 'callbacks'),
    self_service: count(c, 'self_service'),
    ivr_abandoned: count(c, 'ivr_abandoned'),
    inbound: count(c, 'inbound'),
    excluded: count(c, 'excluded'),
    outbound: count(c, 'outbound'),
    answer_rate: num(c, 'answer_rate'),
    abandon_rate: num(c, 'abandon_rate'),
    service_level: num(c, 'service_level'),
    asa_seconds: num(c, 'asa_seconds'),
    aht_seconds: num(c, 'aht_seconds'),
    avg_talk_seconds: num(c, 'avg_talk_seconds'),
    avg_acw_seconds: num(c, 'avg_acw_seconds'),
    wait_p90_seconds: num(c, 'wait_p90_seconds'),
    max_wait_seconds: num(c, 'max_wait_seconds'),
    avg_abandon_wait_seconds: num(c, 'avg_abandon_wait_seconds'),
    transfer_rate: num(c, 'transfer_rate'),
    self_service_rate: num(c, 'self_service_rate'),
    ivr_abandon_rate: num(c, 'ivr_abandon_rate'),
    repeat_rate: num(c, 'repeat_rate'),
    retry_after_abandon_rate: num(c, 'retry_after_abandon_rate'),
    fcr: num(c, 'fcr'),
    fcr_provisional: c?.fcr_provisional === true,
    inbound_with_key: count(c, 'inbound_with_key'),
    abandoned_with_key: count(c, 'abandoned_with_key'),
    answered_with_key: count(c, 'answered_with_key'),
    csat_avg: num(s, 'csat_avg'),
    csat_satisfied_rate: num(s, 'csat_satisfied_rate'),
    csat_responses: count(s, 'csat_responses'),
    nps: num(s, 'nps'),
    nps_responses: count(s, 'nps_responses'),
    ces_avg: num(s, 'ces_avg'),
    ces_low_effort_rate: num(s, 'ces_low_effort_rate'),
    ces_responses: count(s, 'ces_responses'),
    survey_response_rate: answered === 0 ? null : responses / answered,
    cost_per_contact: costPerContact(cost, answered),
    contacts_per_day: days === 0 ? null : answered / days,
    contacts_per_agent_day: num(c, 'contacts_per_agent_day'),
  };
}

function contractTerms(version: ContractVersion, config: ClientConfig, period: Period): ContractTerms {
  const sl: Partial<Record<Channel, number>> = {};
  const short: Partial<Record<Channel, number>> = {};
  for (const ch of CHANNELS) {
    const p = channelParameters(version, ch);
    sl[ch] = p.serviceLevelSeconds;
    short[ch] = p.shortAbandonSeconds;
  }
  return {
    effective_from: version.effective_from,
    service_level_formula: version.service_level_formula,
    service_level_seconds: sl,
    short_abandon_seconds: short,
    repeat_window_hours: version.repeat_window_hours,
    fcr_window_hours: version.fcr_window_hours,
    retry_window_minutes: version.retry_window_minutes,
    csat_satisfied_min: version.csat_satisfied_min,
    ces_low_effort_min: version.ces_low_effort_min,
    note: version.note ?? null,
    later_versions_in_period: config.contract
      .map((v) => v.effective_from)
      .filter((from) => from > period.start && from <= period.end),
  };
}

/** A day of the trend chart: all channels' counts and rates, and each channel's own. */
function dailyPoint(dt: string, set: KpiSet): DailyPoint {
  const byChannel: DailyPoint['by_channel'] = {};
  for (const [ch, k] of Object.entries(set.by_channel) as [Channel, Kpis][]) {
    if (k.offered + k.inbound > 0) byChannel[ch] = { offered: k.offered, answer_rate: k.answer_rate, service_level: k.service_level, abandon_rate: k.abandon_rate };
  }
  const t = set.total;
  return { dt, offered: t.offered, answered: t.answered, abandoned: t.abandoned, answer_rate: t.answer_rate, service_level: t.service_level, asa_seconds: t.asa_seconds, aht_seconds: t.aht_seconds, by_channel: byChannel };
}

/** The current period per local hour, all channels and each channel with contacts in the hour. */
function hourlyProfile(contacts: ReadonlyMap<string, Row>, periodDays: number): HourlyResult[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const r = contacts.get(rowKey('current', 'hour', 'all', null, hour));
    const byChannel: HourlyResult['by_channel'] = {};
    for (const ch of CHANNELS) {
      const c = contacts.get(rowKey('current', 'hour', ch, null, hour));
      if (c !== undefined && count(c, 'offered') > 0) byChannel[ch] = { offered: count(c, 'offered'), service_level: num(c, 'service_level') };
    }
    return {
      hour,
      offered: count(r, 'offered'),
      answered: count(r, 'answered'),
      abandoned: count(r, 'abandoned'),
      service_level: num(r, 'service_level'),
      avg_per_day: count(r, 'offered') / periodDays,
      by_channel: byChannel,
    };
  });
}

const categoryOf = (r: Row): CategoryResult => ({
  category: String(r.category),
  count: count(r, 'category_count'),
  share: num(r, 'share'),
  prior_count: count(r, 'prior_count'),
  prior_share: num(r, 'prior_share'),
  change: num(r, 'change'),
  baseline_mean: num(r, 'baseline_mean'),
  z_score: num(r, 'z_score'),
  is_spike: r.is_spike === true,
});

const commentOf = (r: Row): SurveyComment => ({
  responded_at: String(r.responded_at),
  channel: CHANNELS.includes(r.channel as Channel) ? (r.channel as Channel) : null,
  csat_score: num(r, 'csat_score'),
  nps_score: num(r, 'nps_score'),
  ces_score: num(r, 'ces_score'),
  is_low: r.is_low === true,
  category: typeof r.category === 'string' ? r.category : null,
  comment: typeof r.comment === 'string' && r.comment.trim() !== '' ? r.comment : null,
});

/** The KPIs of the chosen comparison days: all channels from the total's day, each channel from its own. */
function setOfDays(days: ComparisonDays, byDate: ReadonlyMap<string, KpiSet>): KpiSet {
  const total = days.total === null ? undefined : byDate.get(days.total)?.total;
  const byChannel: Partial<Record<Channel, Kpis>> = {};
  for (const ch of CHANNELS) {
    const dt = days.by_channel[ch];
    const k = dt == null ? undefined : byDate.get(dt)?.by_channel[ch];
    if (k !== undefined) byChannel[ch] = k;
  }
  return { total: total ?? toKpis(undefined, undefined, 1, null), by_channel: byChannel };
}

/** The contract version whose terms a period is measured with: the one in force on its first day. */
export function versionForPeriod(config: ClientConfig, period: Period): ContractVersion {
  // before the first version took effect, its terms are the only ones known
  const version = contractInForce(config, period.start) ?? config.contract[0];
  if (version === undefined) throw new NoContractError(config.id);
  return version;
}

export async function computeKpiDocument(
  engine: QueryEngine,
  config: ClientConfig,
  kind: PeriodKind,
  date: string,
  options: ComputeKpiOptions = {},
): Promise<KpiDocument> {
  const period = periodFor(kind, date);
  const prior = priorPeriod(period);
  const weekAgo = kind === 'daily' ? weekAgoPeriod(period) : null;
  const trend: DateRange = kind === 'daily' ? { start: addDays(period.end, 1 - DAILY_TREND_DAYS), end: period.end } : EMPTY_RANGE;
  const ranges: ReportRanges = { current: period, prior, week_ago: weekAgo ?? EMPTY_RANGE, trend };
  const version = versionForPeriod(config, period);
  const sql = options.sql ?? (await loadSqlCatalog());
  const baseline = categoryPeriods(period, priorPeriod, weekAgoPeriod);

  const run = (q: BoundQuery) => engine.query(q.sql, q.params);
  const spikeRule = options.spikeRule ?? DEFAULT_SPIKE_RULE;
  const [contactResult, surveyResult, categoryResult, commentResult, driverResult, hourCategoryResult] = await Promise.all([
    run(contactKpiQuery(sql['kpis/contact_kpis'], config.id, ranges, version, config.sources.filter((s) => sourceRecords(s, 'is_transferred')).map((s) => s.id))),
    run(surveyKpiQuery(sql['kpis/survey_kpis'], config.id, ranges, version)),
    run(categoryMixQuery(sql['kpis/category_mix'], config.id, baseline, spikeRule)),
    run(surveyCommentsQuery(sql['kpis/survey_comments'], config.id, period)),
    run(hourlyDriversQuery(sql['kpis/hourly_drivers'], config.id, period, version)),
    run(hourCategoriesQuery(sql['kpis/hour_categories'], config.id, period)),
  ]);
  const contacts = indexRows(contactResult.rows);
  const surveys = indexRows(surveyResult.rows);

  const kpiSet = (name: string, range: DateRange, grain: 'period' | 'day', dt: string | null): KpiSet => {
    const days = grain === 'day' ? 1 : datesOf(range).length;
    const get = (map: Map<string, Row>, channel: string) => map.get(rowKey(name, grain, channel, dt, null));
    const byChannel: Partial<Record<Channel, Kpis>> = {};
    for (const ch of CHANNELS) {
      const c = get(contacts, ch);
      const s = get(surveys, ch);
      // cost is a whole-service figure: it is not split across channels
      if (c !== undefined || s !== undefined) byChannel[ch] = toKpis(c, s, days, null);
    }
    const cost = periodCost(config, grain === 'day' ? { start: dt!, end: dt! } : range);
    return { total: toKpis(get(contacts, 'all'), get(surveys, 'all'), days, cost), by_channel: byChannel };
  };

  const current = kpiSet('current', period, 'period', null);
  const dayName = kind === 'daily' ? 'trend' : 'current';
  const dayRange = kind === 'daily' ? trend : period;
  const perDay = datesOf(dayRange).map((dt) => ({ dt, set: kpiSet(dayName, { start: dt, end: dt }, 'day', dt) }));
  const opening = options.openingDays ?? openingDaysOf(config);
  // A daily report compares each channel with the previous day it was open (comparison-days.ts); the trend window
  // holds those days. Weekly and monthly compare with the period before.
  let priorSet: KpiSet;
  let weekAgoSet: KpiSet | null;
  let comparison: KpiDocument['comparison_days'] = null;
  if (kind === 'daily') {
    const byDate = new Map(perDay.map((d) => [d.dt, d.set]));
    const priorDays = previousOpenDays(date, opening, DAILY_TREND_DAYS - 1);
    const weekAgoDays = weekAgoOpenDays(date, opening);
    comparison = { prior: priorDays, week_ago: weekAgoDays };
    priorSet = setOfDays(priorDays, byDate);
    weekAgoSet = setOfDays(weekAgoDays, byDate);
  } else {
    priorSet = kpiSet('prior', prior, 'period', null);
    weekAgoSet = weekAgo === null ? null : kpiSet('week_ago', weekAgo, 'period', null);
  }

  const daily = perDay.map(({ dt, set }) => dailyPoint(dt, set));
  const hourly = hourlyProfile(contacts, datesOf(period).length);
  const peak = hourly.reduce<HourlyResult | null>((best, h) => (h.offered > (best?.offered ?? 0) ? h : best), null);

  const currentDays = kind === 'daily' ? null : perDay.filter((d) => d.dt >= period.start && d.dt <= period.end);
  const through = contactResult.rows.find((r) => typeof r.data_through === 'string')?.data_through;

  return {
    client_id: config.id,
    timezone: config.timezone,
    period,
    prior_period: comparison?.prior.total == null ? prior : { kind, start: comparison.prior.total, end: comparison.prior.total },
    week_ago_period: weekAgo,
    comparison_days: comparison,
    current,
    prior: priorSet,
    week_ago: weekAgoSet,
    sla: evaluateSla(version.targets, current, priorSet, currentDays, opening),
    categories: categoryResult.rows.map(categoryOf),
    spike_baseline: {
      kind: kind === 'daily' ? 'same_weekday' : 'previous_periods',
      periods: baseline.slice(2).map((p) => ({ start: p.start, end: p.end })),
      min_count: spikeRule.minCount,
      min_ratio: spikeRule.minRatio,
      min_z: spikeRule.minZ,
    },
    comments: commentResult.rows.map(commentOf),
    hourly,
    peak_hour: peak?.hour ?? null,
    daily,
    days: perDay.map((d) => ({ dt: d.dt, kpis: d.set })),
    drivers: channelHours(driverResult.rows, period, opening),
    hour_categories: hourCategories(hourCategoryResult.rows),
    staffing: kind === 'daily' ? null : staffingPlans(driverResult.rows, period, opening, version),
    contract: contractTerms(version, config, period),
    data_through: typeof through === 'string' ? through : null,
    generated_at: (options.now ?? new Date()).toISOString(),
  };
}
