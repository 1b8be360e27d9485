/**
 * The hour-of-day figures that explain a miss and plan the next period: per channel and hour, the period's open
 * days against the usual (the same weekday of the four weeks before for a day; the four weeks before for a week
 * or a month), the categories of those hours, and — weekly and monthly — next period's staffing plan forecast
 * from the weeks before. Read with two small queries (sql/kpis/hourly_drivers.sql, sql/kpis/hour_categories.sql);
 * which days count is decided here, from the client's calendar, so closed days never dilute an average.
 */
import type { OpeningDays } from '../calendar/opening-days.ts';
import { channelParameters, type ContractVersion } from '../config/client-config.ts';
import type { SqlValue } from '../ports.ts';
import { date, num, renderSqlTemplate, type SqlLiteralValue } from '../sql/sql-literal.ts';
import type { HourStats } from '../staffing/miss-causes.ts';
import { forecastOffered } from '../staffing/forecast.ts';
import { staffingPlan, type PlanTarget, type StaffingPlan } from '../staffing/staffing-plan.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { channelContractLiterals, type BoundQuery, type DateRange } from './kpi-queries.ts';
import type { Period } from './kpi-result.ts';
import { addDays, datesOf, isoWeekday } from './periods.ts';

/** Days of history the staffing forecast reads: four weeks to average and four more to backtest them. */
export const PLAN_HISTORY_DAYS = 56;
const USUAL_WEEKS = 4;

/** The channel's hours of the period and of its usual, each over its own open days. */
export interface ChannelHours {
  channel: Channel;
  current_days: number;
  usual_days: number;
  current: HourStats[];
  usual: HourStats[];
}

/** Contacts of a category in an hour of day, in the period and in the usual days. */
export interface HourCategory {
  channel: Channel;
  hour: number;
  category: string;
  current: number;
  usual: number;
}

export interface ChannelStaffingPlan {
  channel: Channel;
  plan: StaffingPlan;
}

/** The usual days of a period: the same weekday of the four weeks before a day, else the four weeks before. */
export function usualRange(period: Period): { start: string; end: string; weekday: number | null } {
  if (period.kind === 'daily') return { start: addDays(period.start, -7 * USUAL_WEEKS), end: addDays(period.start, -7), weekday: isoWeekday(period.start) };
  return { start: addDays(period.start, -7 * USUAL_WEEKS), end: addDays(period.start, -1), weekday: null };
}

/** The dt range the drivers query reads: the usual days (and the staffing history) through the period's end. */
export function driversScanRange(period: Period): DateRange {
  const usual = usualRange(period).start;
  const history = addDays(period.end, 1 - PLAN_HISTORY_DAYS);
  return { start: period.kind === 'daily' ? usual : usual < history ? usual : history, end: period.end };
}

export function hourlyDriversQuery(template: string, clientId: string, period: Period, version: ContractVersion): BoundQuery {
  const scan = driversScanRange(period);
  return { sql: renderSqlTemplate(template, channelContractLiterals(version), 'sql/kpis/hourly_drivers.sql'), params: [clientId, scan.start, scan.end] };
}

export function hourCategoriesQuery(template: string, clientId: string, period: Period): BoundQuery {
  const usual = usualRange(period);
  const literals: Record<string, SqlLiteralValue> = {
    current_start: date(period.start),
    current_end: date(period.end),
    usual_start: date(usual.start),
    usual_end: date(usual.end),
    usual_weekday: num(usual.weekday ?? 0),
  };
  return { sql: renderSqlTemplate(template, literals, 'sql/kpis/hour_categories.sql'), params: [clientId, usual.start, period.end] };
}

type Row = Record<string, SqlValue>;
const count = (row: Row, key: string): number => (typeof row[key] === 'number' ? (row[key] as number) : 0);

/** Sums the query's rows of one channel over the given dates, per hour of day (hours with contacts only). */
export function hourStatsOf(rows: readonly Row[], channel: Channel, dates: ReadonlySet<string>): HourStats[] {
  const byHour = new Map<number, HourStats>();
  for (const r of rows) {
    if (r.channel !== channel || !dates.has(String(r.dt))) continue;
    const hour = count(r, 'local_hour');
    const h = byHour.get(hour) ?? { hour, days: dates.size, offered: 0, answered: 0, abandoned: 0, shortAbandoned: 0, slNumerator: 0, slDenominator: 0, answeredWaitSeconds: 0, handleSeconds: 0, handled: 0, agentHours: 0 };
    h.offered += count(r, 'offered');
    h.answered += count(r, 'answered');
    h.abandoned += count(r, 'abandoned');
    h.shortAbandoned += count(r, 'short_abandoned');
    h.slNumerator += count(r, 'service_level_numerator');
    h.slDenominator += count(r, 'service_level_denominator');
    h.answeredWaitSeconds += count(r, 'answered_wait_seconds');
    h.handleSeconds += count(r, 'handle_seconds');
    h.handled += count(r, 'handled');
    h.agentHours += count(r, 'agents');
    byHour.set(hour, h);
  }
  return [...byHour.values()].sort((a, b) => a.hour - b.hour);
}

/** The open days of a channel in a range, optionally only one ISO weekday. */
function openDates(opening: OpeningDays, channel: Channel, range: { start: string; end: string }, weekday: number | null): string[] {
  return datesOf(range).filter((dt) => (weekday === null || isoWeekday(dt) === weekday) && opening.isOpen(channel, dt));
}

export function channelHours(rows: readonly Row[], period: Period, opening: OpeningDays): ChannelHours[] {
  const usual = usualRange(period);
  const channels = CHANNELS.filter((ch) => rows.some((r) => r.channel === ch));
  return channels.map((channel) => {
    const current = new Set(openDates(opening, channel, period, null));
    const before = new Set(openDates(opening, channel, usual, usual.weekday));
    return { channel, current_days: current.size, usual_days: before.size, current: hourStatsOf(rows, channel, current), usual: hourStatsOf(rows, channel, before) };
  });
}

export function hourCategories(rows: readonly Row[]): HourCategory[] {
  const out = new Map<string, HourCategory>();
  for (const r of rows) {
    const channel = r.channel as Channel;
    if (!CHANNELS.includes(channel) || typeof r.category !== 'string') continue;
    const hour = count(r, 'local_hour');
    const key = `${channel}\0${hour}\0${r.category}`;
    const row = out.get(key) ?? { channel, hour, category: r.category, current: 0, usual: 0 };
    if (r.period_name === 'current') row.current += count(r, 'contacts');
    else if (r.period_name === 'usual') row.usual += count(r, 'contacts');
    out.set(key, row);
  }
  return [...out.values()];
}

/** The contract target a channel is staffed for: its service-level target, else its ASA target, else 80 % in T. */
export function staffingTarget(version: ContractVersion, channel: Channel): PlanTarget {
  const threshold = channelParameters(version, channel).serviceLevelSeconds;
  const sl = version.targets.find((t) => t.kpi === 'service_level' && t.channel === channel) ?? version.targets.find((t) => t.kpi === 'service_level' && t.channel === undefined);
  if (sl !== undefined) return { kind: 'service_level', thresholdSeconds: threshold, value: sl.value };
  const asa = version.targets.find((t) => t.kpi === 'asa_seconds' && t.channel === channel);
  if (asa !== undefined) return { kind: 'asa', seconds: asa.value, thresholdSeconds: threshold };
  return { kind: 'service_level', thresholdSeconds: threshold, value: 0.8 };
}

/** Next period's plan per channel: offered per weekday and hour forecast from the weeks before, and the agents. */
export function staffingPlans(rows: readonly Row[], period: Period, opening: OpeningDays, version: ContractVersion): ChannelStaffingPlan[] {
  const start = addDays(period.end, 1);
  const history = { start: addDays(start, -PLAN_HISTORY_DAYS), end: period.end };
  const channels = CHANNELS.filter((ch) => rows.some((r) => r.channel === ch));
  return channels.map((channel) => {
    const forecast = forecastOffered({
      start,
      openDates: openDates(opening, channel, history, null),
      history: rows
        .filter((r) => r.channel === channel && String(r.dt) >= history.start && String(r.dt) <= history.end)
        .map((r) => ({ date: String(r.dt), hour: count(r, 'local_hour'), offered: count(r, 'offered'), answered: count(r, 'handled'), handleSeconds: count(r, 'handle_seconds') })),
    });
    return { channel, plan: staffingPlan({ forecast, target: staffingTarget(version, channel) }) };
  });
}
