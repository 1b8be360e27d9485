/**
 * The KPI document: what `cspulse kpis --json` prints and what the e-mail report is built from.
 * Definitions are in docs/metrics.md. Rates are fractions in [0, 1], NPS is −100..100,
 * durations are seconds, and a KPI whose denominator is empty is null.
 */
import type { Channel } from '../tables.ts';
import type { ServiceLevelFormula, SlaTarget, TargetKpi } from '../config/client-config.ts';
import type { ComparisonDays } from './comparison-days.ts';
import type { ChannelHours, ChannelStaffingPlan, HourCategory } from './hourly-drivers.ts';

export type PeriodKind = 'daily' | 'weekly' | 'monthly';

export interface Period {
  kind: PeriodKind;
  /** first local date, inclusive */
  start: string;
  /** last local date, inclusive */
  end: string;
}

export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  short_abandoned: number;
  callbacks: number;
  self_service: number;
  /** inbound contacts that left in the IVR or the bot unserved: not offered, not self-service */
  ivr_abandoned: number;
  /** inbound contacts (any outcome but excluded) */
  inbound: number;
  excluded: number;
  /** outbound contacts (not excluded): counted, in no rate */
  outbound: number;
  answer_rate: number | null;
  abandon_rate: number | null;
  service_level: number | null;
  asa_seconds: number | null;
  aht_seconds: number | null;
  avg_talk_seconds: number | null;
  avg_acw_seconds: number | null;
  wait_p90_seconds: number | null;
  max_wait_seconds: number | null;
  avg_abandon_wait_seconds: number | null;
  transfer_rate: number | null;
  self_service_rate: number | null;
  /** ivr_abandoned / inbound */
  ivr_abandon_rate: number | null;
  repeat_rate: number | null;
  retry_after_abandon_rate: number | null;
  fcr: number | null;
  fcr_provisional: boolean;
  /** the denominators of repeat rate, retry after abandon and FCR: contacts with a customer key */
  inbound_with_key: number;
  abandoned_with_key: number;
  answered_with_key: number;
  csat_avg: number | null;
  csat_satisfied_rate: number | null;
  csat_responses: number;
  nps: number | null;
  nps_responses: number;
  ces_avg: number | null;
  ces_low_effort_rate: number | null;
  ces_responses: number;
  survey_response_rate: number | null;
  cost_per_contact: number | null;
  contacts_per_day: number | null;
  contacts_per_agent_day: number | null;
}

export interface KpiSet {
  total: Kpis;
  by_channel: Partial<Record<Channel, Kpis>>;
}

export interface SlaResult {
  kpi: TargetKpi;
  channel: Channel | null;
  op: SlaTarget['op'];
  target: number;
  label: string | null;
  actual: number | null;
  /** null when actual is null (no data to judge) */
  met: boolean | null;
  /** actual − target, signed so that a positive margin is always good */
  margin: number | null;
  prior_actual: number | null;
  /** monthly reports: days of the period that met the target, and days with data to judge */
  days_met: number | null;
  days_judged: number | null;
}

export interface CategoryResult {
  category: string;
  count: number;
  share: number | null;
  prior_count: number;
  prior_share: number | null;
  /** relative change of the count against the prior period; null when the prior count is 0 */
  change: number | null;
  /** mean count per period over the trailing baseline periods before the current one */
  baseline_mean: number | null;
  /** (count − baseline mean) / baseline standard deviation; null when the deviation is 0 or unknown */
  z_score: number | null;
  is_spike: boolean;
}

export interface HourlyResult {
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  service_level: number | null;
  avg_per_day: number | null;
  /** per channel with contacts in that hour */
  by_channel: Partial<Record<Channel, { offered: number; service_level: number | null }>>;
}

export interface DailyPoint {
  dt: string;
  offered: number;
  answered: number;
  abandoned: number;
  answer_rate: number | null;
  service_level: number | null;
  asa_seconds: number | null;
  aht_seconds: number | null;
  /** per channel with contacts that day */
  by_channel: Partial<Record<Channel, { offered: number; answer_rate: number | null; service_level: number | null; abandon_rate: number | null }>>;
}

/**
 * One customer's voice in the period's surveys (one per contact): every answer with a comment, and every low one
 * (CSAT in the lowest quarter of its scale, NPS 0-6, CES in the lowest third). Lowest-scored first, then newest.
 */
export interface SurveyComment {
  responded_at: string;
  channel: Channel | null;
  csat_score: number | null;
  nps_score: number | null;
  ces_score: number | null;
  /** the answer scored low on one of its questions */
  is_low: boolean;
  /** the category of the contact it is about, when the lake has it */
  category: string | null;
  /** at most 500 characters, contact details masked at ingest: escape before showing; null without a comment */
  comment: string | null;
}

/** The trailing periods the category spike rule compared the current period with. */
export interface SpikeBaseline {
  /** daily: the same weekday of the four weeks before; weekly/monthly: the four periods before */
  kind: 'same_weekday' | 'previous_periods';
  periods: { start: string; end: string }[];
  min_count: number;
  min_ratio: number;
  min_z: number;
}

export interface ContractTerms {
  effective_from: string;
  service_level_formula: ServiceLevelFormula;
  service_level_seconds: Partial<Record<Channel, number>>;
  short_abandon_seconds: Partial<Record<Channel, number>>;
  repeat_window_hours: number;
  fcr_window_hours: number;
  retry_window_minutes: number;
  csat_satisfied_min: number;
  ces_low_effort_min: number;
  note: string | null;
  /** effective_from of versions that took effect inside the period (their terms apply from the next period) */
  later_versions_in_period: string[];
}

export interface KpiDocument {
  client_id: string;
  timezone: string;
  period: Period;
  prior_period: Period;
  /** daily reports: the same weekday a week earlier */
  week_ago_period: Period | null;
  /**
   * daily reports: the days `prior` and `week_ago` hold, per channel — the previous day the channel was open, and
   * the same weekday a week before when it was open then (null: no such day, and no comparison)
   */
  comparison_days: { prior: ComparisonDays; week_ago: ComparisonDays } | null;
  current: KpiSet;
  prior: KpiSet;
  week_ago: KpiSet | null;
  sla: SlaResult[];
  categories: CategoryResult[];
  spike_baseline: SpikeBaseline;
  /** the voices of the period's surveys: comments and low scores, lowest-scored first (SurveyComment) */
  comments: SurveyComment[];
  hourly: HourlyResult[];
  /** local hour with the most offered contacts in the period; null when nothing was offered */
  peak_hour: number | null;
  /** one point per local date of the period (daily: the trailing 14 days, for the trend chart) */
  daily: DailyPoint[];
  /** every KPI of each of those dates, per channel */
  days: { dt: string; kpis: KpiSet }[];
  /** per channel and hour of day, the period's open days against the usual (hourly-drivers.ts) */
  drivers: ChannelHours[];
  /** contacts per channel, hour and category in the period and the usual days */
  hour_categories: HourCategory[];
  /** weekly and monthly: next period's staffing plan per channel; null for daily reports */
  staffing: ChannelStaffingPlan[] | null;
  contract: ContractTerms;
  /** newest arrived_at in the lake for the client, ISO UTC; decides FCR provisional */
  data_through: string | null;
  generated_at: string;
}
