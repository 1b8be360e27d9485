/**
 * The staffing plan sheet: for each weekday and hour of the forecast, the agents Erlang C says the contract's
 * target needs on that hour's forecast volume and AHT. A plan, not a promise: the model assumes no abandonment
 * and agents on the phones the whole hour, so the numbers are the agents answering, before breaks, meetings
 * and absence (what planners call shrinkage) are added.
 */
import { agentsNeeded, agentsNeededForAsa, type StaffingResult } from './erlang-c.ts';
import type { Forecast } from './forecast.ts';

/** The contract target the plan staffs for: a service level within T, or a mean speed of answer. */
export type PlanTarget =
  | { kind: 'service_level'; thresholdSeconds: number; value: number }
  | { kind: 'asa'; seconds: number; thresholdSeconds?: number };

export interface StaffingPlanInput {
  forecast: Forecast;
  target: PlanTarget;
  /** agents may be busy at most this share of the hour (0–1] */
  maxOccupancy?: number;
  maxAgents?: number;
}

export interface StaffingPlanRow {
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  hour: number;
  forecastOffered: number;
  /** the hour's AHT over the forecast window, else the window's AHT; null when neither is known */
  ahtSeconds: number | null;
  trafficErlangs: number | null;
  /** null when the hour has no AHT, or no number of agents up to the cap meets the target */
  agents: number | null;
  serviceLevel: number | null;
  asaSeconds: number | null;
  occupancy: number | null;
  /** why agents is null */
  problem: 'no-handle-time' | 'target-unreachable' | 'agent-cap' | null;
}

export interface StaffingPlan {
  start: string;
  weeksUsed: number;
  /** the forecast's backtest, to print beside the plan */
  wape: number | null;
  bias: number | null;
  backtestWeeks: number;
  target: PlanTarget;
  /** weekday then hour; only the hours with a forecast above 0 (an hour without calls needs nobody) */
  rows: StaffingPlanRow[];
}

const HOUR_SECONDS = 3600;

function staff(input: StaffingPlanInput, calls: number, ahtSeconds: number): StaffingResult {
  const workload = {
    callsPerInterval: calls,
    ahtSeconds,
    intervalSeconds: HOUR_SECONDS,
    ...(input.maxOccupancy === undefined ? {} : { maxOccupancy: input.maxOccupancy }),
    ...(input.maxAgents === undefined ? {} : { maxAgents: input.maxAgents }),
  };
  const { target } = input;
  return target.kind === 'service_level'
    ? agentsNeeded({ ...workload, thresholdSeconds: target.thresholdSeconds, targetServiceLevel: target.value })
    : agentsNeededForAsa({
        ...workload,
        targetAsaSeconds: target.seconds,
        ...(target.thresholdSeconds === undefined ? {} : { thresholdSeconds: target.thresholdSeconds }),
      });
}

export function staffingPlan(input: StaffingPlanInput): StaffingPlan {
  const { forecast } = input;
  const rows: StaffingPlanRow[] = [];
  for (const cell of forecast.cells) {
    if (cell.offered === null || cell.offered === 0) continue;
    const aht = forecast.ahtSecondsByHour[cell.hour] ?? forecast.ahtSeconds;
    const row: StaffingPlanRow = {
      weekday: cell.weekday,
      hour: cell.hour,
      forecastOffered: cell.offered,
      ahtSeconds: aht,
      trafficErlangs: null,
      agents: null,
      serviceLevel: null,
      asaSeconds: null,
      occupancy: null,
      problem: null,
    };
    if (aht === null) {
      rows.push({ ...row, problem: 'no-handle-time' });
      continue;
    }
    const result = staff(input, cell.offered, aht);
    if (result.ok) {
      const v = result.value;
      rows.push({
        ...row,
        trafficErlangs: v.trafficErlangs,
        agents: v.agents,
        serviceLevel: v.serviceLevel,
        asaSeconds: v.asaSeconds,
        occupancy: v.occupancy,
      });
    } else {
      rows.push({ ...row, trafficErlangs: result.error.trafficErlangs, problem: result.error.reason });
    }
  }
  return {
    start: forecast.start,
    weeksUsed: forecast.weeksUsed,
    wape: forecast.backtest.wape,
    bias: forecast.backtest.bias,
    backtestWeeks: forecast.backtest.weeks,
    target: input.target,
    rows,
  };
}
