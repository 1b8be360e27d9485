/**
 * Binds the KPI SQL files (sql/kpis/*.sql): the `{{name}}` slots get literals of the contract terms and period
 * bounds (closed types only, through sqlLiteral), the `?` parameters of their WHERE clauses get the client id and
 * the partition ranges, in the order the files' headers document. Athena accepts `?` only in WHERE clauses.
 */
import { channelParameters, SERVICE_LEVEL_FORMULAS, type ContractVersion } from '../config/client-config.ts';
import type { SqlParam } from '../ports.ts';
import { date, ids, member, num, renderSqlTemplate, type SqlLiteralValue } from '../sql/sql-literal.ts';
import { CHANNELS } from '../tables.ts';
import type { Period } from './kpi-result.ts';
import { addDays } from './periods.ts';

export interface DateRange {
  start: string;
  end: string;
}

/** A period that selects nothing (`dt between '9999-12-31' and '0000-01-01'`). */
export const EMPTY_RANGE: DateRange = { start: '9999-12-31', end: '0000-01-01' };

const isEmpty = (r: DateRange): boolean => r.start > r.end;

/** The four periods one contact/survey query computes, by the names the SQL gives them. */
export interface ReportRanges {
  current: DateRange;
  prior: DateRange;
  week_ago: DateRange;
  trend: DateRange;
}

export interface SpikeRule {
  /** at least this many contacts in the current period */
  minCount: number;
  /** at least this multiple of the baseline mean */
  minRatio: number;
  /** at least this many baseline standard deviations above the mean (skipped when the deviation is 0) */
  minZ: number;
  /** how many periods before the current one form the baseline (the SQL takes 4) */
  baselinePeriods: 4;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = { minCount: 10, minRatio: 1.5, minZ: 2, baselinePeriods: 4 };

/** Days a window can reach beyond a local date range: hours → whole days, plus one for zone/DST offsets. */
export const marginDays = (hours: number): number => Math.ceil(hours / 24) + 1;

/** Days past the FCR window the newest-contact probe looks (a closed long weekend must not look like missing data). */
export const FRESHNESS_PROBE_EXTRA_DAYS = 3;

export function unionRange(ranges: readonly DateRange[]): DateRange {
  const used = ranges.filter((r) => !isEmpty(r));
  if (used.length === 0) return EMPTY_RANGE;
  return {
    start: used.map((r) => r.start).reduce((a, b) => (a < b ? a : b)),
    end: used.map((r) => r.end).reduce((a, b) => (a > b ? a : b)),
  };
}

/** A KPI query ready to run: the SQL file with its literal slots filled, and its WHERE-clause parameters. */
export interface BoundQuery {
  sql: string;
  params: SqlParam[];
}

const periodLiterals = (ranges: ReportRanges): Record<string, SqlLiteralValue> => {
  const out: Record<string, SqlLiteralValue> = {};
  for (const name of ['current', 'prior', 'week_ago', 'trend'] as const) {
    out[`${name}_start`] = date(ranges[name].start);
    out[`${name}_end`] = date(ranges[name].end);
  }
  return out;
};

/** The dt range the contact KPI query scans: the periods plus the look-back and look-forward margins. */
export function contactScanRange(ranges: ReportRanges, version: ContractVersion): DateRange {
  const union = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  if (isEmpty(union)) return union;
  const forwardHours = Math.max(version.fcr_window_hours, version.retry_window_minutes / 60);
  return {
    start: addDays(union.start, -marginDays(version.repeat_window_hours)),
    end: addDays(union.end, marginDays(forwardHours)),
  };
}

/** The dt range probed for the newest contact (FCR provisional): from the last period end past the FCR window. */
export function freshnessProbeRange(ranges: ReportRanges, version: ContractVersion): DateRange {
  const union = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  if (isEmpty(union)) return EMPTY_RANGE;
  return { start: union.end, end: addDays(union.end, marginDays(version.fcr_window_hours) + FRESHNESS_PROBE_EXTRA_DAYS) };
}

export function contactKpiQuery(
  template: string,
  clientId: string,
  ranges: ReportRanges,
  version: ContractVersion,
  transferRecordingSources: readonly string[],
): BoundQuery {
  const literals: Record<string, SqlLiteralValue> = {
    transfer_recording_sources: ids(transferRecordingSources),
    repeat_window_seconds: num(version.repeat_window_hours * 3600),
    retry_window_seconds: num(version.retry_window_minutes * 60),
    fcr_window_seconds: num(version.fcr_window_hours * 3600),
    ...periodLiterals(ranges),
  };
  Object.assign(literals, channelContractLiterals(version));
  const scan = contactScanRange(ranges, version);
  const probe = freshnessProbeRange(ranges, version);
  return {
    sql: renderSqlTemplate(template, literals, 'sql/kpis/contact_kpis.sql'),
    params: [clientId, scan.start, scan.end, clientId, probe.start, probe.end],
  };
}

/**
 * Each channel's contract terms the contact SQL judges by (`<channel>_service_level_seconds`,
 * `_short_abandon_seconds`, `_service_level_formula`), shared by the period KPIs, the hourly drivers and the
 * live page so the three judge a contact alike.
 */
export function channelContractLiterals(version: ContractVersion): Record<string, SqlLiteralValue> {
  const literals: Record<string, SqlLiteralValue> = {};
  for (const channel of CHANNELS) {
    const p = channelParameters(version, channel);
    literals[`${channel}_service_level_seconds`] = num(p.serviceLevelSeconds);
    literals[`${channel}_short_abandon_seconds`] = num(p.shortAbandonSeconds);
    literals[`${channel}_service_level_formula`] = member(p.serviceLevelFormula, SERVICE_LEVEL_FORMULAS);
  }
  return literals;
}

/** The voice of the customer of the current period: comments and low scores (sql/kpis/survey_comments.sql). */
export function surveyCommentsQuery(template: string, clientId: string, current: DateRange): BoundQuery {
  return {
    sql: renderSqlTemplate(template, {}, 'sql/kpis/survey_comments.sql'),
    params: [clientId, current.start, current.end, clientId, addDays(current.start, -7), current.end],
  };
}

export function surveyKpiQuery(template: string, clientId: string, ranges: ReportRanges, version: ContractVersion): BoundQuery {
  const scan = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  const literals = {
    csat_satisfied_min: num(version.csat_satisfied_min),
    ces_low_effort_min: num(version.ces_low_effort_min),
    ...periodLiterals(ranges),
  };
  return { sql: renderSqlTemplate(template, literals, 'sql/kpis/survey_kpis.sql'), params: [clientId, scan.start, scan.end] };
}

/**
 * The periods the category mix reads: the current one, the prior one, and four baseline periods. A daily
 * report's baseline is the same weekday of the four weeks before; weekly and monthly baselines are the four
 * periods before the current one.
 */
export function categoryPeriods(current: Period, prior: (p: Period) => Period, weekAgo: (p: Period) => Period): Period[] {
  const step = current.kind === 'daily' ? weekAgo : prior;
  const baseline: Period[] = [];
  let p = current;
  for (let i = 0; i < 4; i += 1) baseline.push((p = step(p)));
  return [current, prior(current), ...baseline];
}

export function categoryMixQuery(template: string, clientId: string, periods: readonly DateRange[], rule: SpikeRule): BoundQuery {
  if (periods.length !== 6) throw new RangeError('category mix takes the current period, the prior period and 4 baseline periods');
  const literals: Record<string, SqlLiteralValue> = { min_count: num(rule.minCount), min_ratio: num(rule.minRatio), min_z: num(rule.minZ) };
  periods.forEach((p, i) => {
    literals[`period_${i}_start`] = date(p.start);
    literals[`period_${i}_end`] = date(p.end);
  });
  return {
    sql: renderSqlTemplate(template, literals, 'sql/kpis/category_mix.sql'),
    params: [clientId, ...periods.flatMap((p) => [p.start, p.end])],
  };
}
