/**
 * Builds the positional parameters of the KPI SQL files (sql/kpis/*.sql) in the order their headers document.
 * Every client id, date and contract term travels as a parameter; none is spliced into SQL text.
 */
import { channelParameters, type ContractVersion } from '../config/client-config.ts';
import type { SqlParam } from '../ports.ts';
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

const periodParams = (ranges: ReportRanges): SqlParam[] => [
  ranges.current.start,
  ranges.current.end,
  ranges.prior.start,
  ranges.prior.end,
  ranges.week_ago.start,
  ranges.week_ago.end,
  ranges.trend.start,
  ranges.trend.end,
];

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

export function contactKpiParams(clientId: string, ranges: ReportRanges, version: ContractVersion): SqlParam[] {
  const channelRows = CHANNELS.flatMap((channel) => {
    const p = channelParameters(version, channel);
    return [channel, p.serviceLevelSeconds, p.shortAbandonSeconds, p.serviceLevelFormula];
  });
  const scan = contactScanRange(ranges, version);
  const union = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  const probe = isEmpty(union)
    ? EMPTY_RANGE
    : { start: union.end, end: addDays(union.end, marginDays(version.fcr_window_hours) + FRESHNESS_PROBE_EXTRA_DAYS) };
  return [
    ...channelRows,
    version.repeat_window_hours * 3600,
    version.retry_window_minutes * 60,
    version.fcr_window_hours * 3600,
    ...periodParams(ranges),
    clientId,
    scan.start,
    scan.end,
    clientId,
    probe.start,
    probe.end,
  ];
}

export function surveyKpiParams(clientId: string, ranges: ReportRanges, version: ContractVersion): SqlParam[] {
  const scan = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  return [version.csat_satisfied_min, version.ces_low_effort_min, ...periodParams(ranges), clientId, scan.start, scan.end];
}

/** Current period and the four before it (newest first), for the category baseline. */
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

export function categoryMixParams(clientId: string, periods: readonly DateRange[], rule: SpikeRule): SqlParam[] {
  if (periods.length !== 6) throw new RangeError('category mix takes the current period, the prior period and 4 baseline periods');
  const ranges = periods.flatMap((p) => [p.start, p.end]);
  return [rule.minCount, rule.minRatio, rule.minZ, ...ranges, clientId, ...ranges];
}
