/**
 * Why a contract target was missed, hour by hour: which hours of the day made the miss, and whether in those
 * hours more contacts came than usual, contacts took longer than usual, or fewer agents handled them than the
 * target needed — the chain the seeds describe (포기호 from long waits, long waits from too few agents at the peak).
 *
 * - The hours: per hour of day, the contacts the hour fell short of the target by (for a service level of t:
 *   t × the formula's denominator − contacts within T; for an abandon rate: abandons beyond t of the base; for an
 *   answer rate: answers short of t; for ASA: wait-seconds beyond t per answered contact). Every hour that fell
 *   short gets its share of all the shortfall, so the shares of all such hours add up to 1; the cause names the
 *   fewest hours, largest first, that make up most of it (at least 60 %, at most three hours).
 * - Against the usual: the same hours on the open days of a baseline (the report builds it: the same weekday of
 *   the four weeks before for a day, the four weeks before for a week or a month), per open day.
 * - Staffing: Erlang C (erlang-c.ts) gives the agents the hour's volume and AHT needed for the target; beside it
 *   the agents seen answering in that hour (distinct agent ids, per open day) and their occupancy (handle time
 *   over agent-hours). Erlang C assumes no abandonment and agents on the phones all hour, so it explains a miss;
 *   it never judges one (docs/metrics.md, "Staffing model").
 * The driver is the largest of three ratios, each read as "how much heavier each agent's load was than usual":
 * volume (offered per day ÷ usual), handle time (AHT ÷ usual) and staffing (usual agents ÷ agents). A ratio must
 * pass 1.1 to be named; when none does and the agents seen were fewer than Erlang C needed, the cause is staffing
 * all the same (a chronic shortfall, not a change).
 */
import { agentsNeeded, agentsNeededForAsa } from './erlang-c.ts';

/** Sums over the open days of a period for one channel and hour of day. */
export interface HourStats {
  hour: number;
  /** open days the sums are over */
  days: number;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  /** the contract formula's service-level numerator and denominator */
  slNumerator: number;
  slDenominator: number;
  /** summed waits of answered contacts */
  answeredWaitSeconds: number;
  /** summed handle seconds of answered contacts with a handle time, and how many there were */
  handleSeconds: number;
  handled: number;
  /** Σ over days of the distinct agents who answered in this hour */
  agentHours: number;
}

export type MissedKpi = 'service_level' | 'abandon_rate' | 'answer_rate' | 'asa_seconds';

export interface MissedTarget {
  kpi: MissedKpi;
  /** ≥ for service level and answer rate, ≤ for abandon rate and ASA */
  target: number;
}

/** What the staffing model is asked for: the contract's service level within T (or ASA), on this channel. */
export type StaffingGoal = { kind: 'service_level'; thresholdSeconds: number; value: number } | { kind: 'asa'; seconds: number };

export interface HourShortfall {
  hour: number;
  /** the KPI in that hour (service level, abandon rate, answer rate or ASA), null when it had no base */
  value: number | null;
  offered: number;
  abandoned: number;
  /** contacts (or wait-seconds, for ASA) the hour fell short of the target by */
  shortfall: number;
  /** of all the hours' shortfall */
  share: number;
}

export type Driver = 'volume' | 'handle-time' | 'staffing';

export interface MissCause {
  /** every hour that fell short, largest first: their shares add up to 1 */
  shortHours: HourShortfall[];
  /** the fewest of them that make up most of the shortfall */
  hours: HourShortfall[];
  /** their share of the shortfall */
  share: number;
  /** per open day, in those hours */
  offeredPerDay: number;
  usualOfferedPerDay: number | null;
  ahtSeconds: number | null;
  usualAhtSeconds: number | null;
  /** agents answering per hour (mean over those hours and their open days) */
  agents: number | null;
  usualAgents: number | null;
  /** Erlang C agents per hour the goal needed, mean over those hours; null when AHT is unknown or unreachable */
  agentsNeeded: number | null;
  /** handle time over agent-hours in those hours */
  occupancy: number | null;
  driver: Driver | null;
  ratios: { volume: number | null; handleTime: number | null; staffing: number | null };
}

const MOST = 0.6;
const MAX_HOURS = 3;
/** a ratio must pass this to name a cause */
const NOTABLE = 1.1;
const HOUR_SECONDS = 3600;

function hourValueAndShortfall(h: HourStats, miss: MissedTarget): { value: number | null; shortfall: number } {
  const t = miss.target;
  const base = h.offered - h.shortAbandoned;
  switch (miss.kpi) {
    case 'service_level':
      return { value: h.slDenominator === 0 ? null : h.slNumerator / h.slDenominator, shortfall: t * h.slDenominator - h.slNumerator };
    case 'abandon_rate':
      return { value: base <= 0 ? null : (h.abandoned - h.shortAbandoned) / base, shortfall: h.abandoned - h.shortAbandoned - t * base };
    case 'answer_rate':
      return { value: base <= 0 ? null : h.answered / base, shortfall: t * base - h.answered };
    case 'asa_seconds':
      return { value: h.answered === 0 ? null : h.answeredWaitSeconds / h.answered, shortfall: h.answeredWaitSeconds - t * h.answered };
  }
}

/** Every hour that fell short of the target, largest shortfall first, with its share of all of them. */
export function shortHours(hours: readonly HourStats[], miss: MissedTarget): HourShortfall[] {
  const short = hours
    .map((h) => ({ h, ...hourValueAndShortfall(h, miss) }))
    .filter((x) => x.shortfall > 1e-9)
    .sort((a, b) => b.shortfall - a.shortfall || a.h.hour - b.h.hour);
  const total = short.reduce((sum, x) => sum + x.shortfall, 0);
  return short.map((x) => ({ hour: x.h.hour, value: x.value, offered: x.h.offered, abandoned: x.h.abandoned, shortfall: x.shortfall, share: x.shortfall / total }));
}

function sum(hours: readonly HourStats[], pick: (h: HourStats) => number): number {
  return hours.reduce((s, h) => s + pick(h), 0);
}

const perDay = (hours: readonly HourStats[], pick: (h: HourStats) => number): number | null => {
  const days = Math.max(...hours.map((h) => h.days), 0);
  return days === 0 ? null : sum(hours, pick) / days;
};

const aht = (hours: readonly HourStats[]): number | null => {
  const n = sum(hours, (h) => h.handled);
  return n === 0 ? null : sum(hours, (h) => h.handleSeconds) / n;
};

/** Mean agents per hour: Σ agent-hours ÷ Σ (hour × open day). */
const agentsPerHour = (hours: readonly HourStats[]): number | null => {
  const slots = sum(hours, (h) => h.days);
  return slots === 0 ? null : sum(hours, (h) => h.agentHours) / slots;
};

function neededAgents(hours: readonly HourStats[], goal: StaffingGoal): number | null {
  const needs: number[] = [];
  for (const h of hours) {
    const hourAht = aht([h]);
    if (h.days === 0 || hourAht === null || hourAht <= 0) return null;
    const workload = { callsPerInterval: h.offered / h.days, ahtSeconds: hourAht, intervalSeconds: HOUR_SECONDS };
    const result =
      goal.kind === 'service_level'
        ? agentsNeeded({ ...workload, thresholdSeconds: goal.thresholdSeconds, targetServiceLevel: goal.value })
        : agentsNeededForAsa({ ...workload, targetAsaSeconds: goal.seconds });
    if (!result.ok) return null;
    needs.push(result.value.agents);
  }
  return needs.length === 0 ? null : needs.reduce((a, b) => a + b, 0) / needs.length;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

/**
 * @param current the period's open days, per hour of day (hours without contacts may be left out)
 * @param usual the baseline's open days, per hour of day; empty when there is no baseline
 */
export function missCause(current: readonly HourStats[], usual: readonly HourStats[], miss: MissedTarget, goal: StaffingGoal): MissCause | null {
  const all = shortHours(current, miss);
  if (all.length === 0) return null;
  const chosen: HourShortfall[] = [];
  let share = 0;
  for (const h of all) {
    if (chosen.length === MAX_HOURS || share >= MOST) break;
    chosen.push(h);
    share += h.share;
  }
  const chosenHours = new Set(chosen.map((h) => h.hour));
  const now = current.filter((h) => chosenHours.has(h.hour));
  const before = usual.filter((h) => chosenHours.has(h.hour) && h.days > 0);
  const offeredPerDay = perDay(now, (h) => h.offered) ?? 0;
  const usualOfferedPerDay = before.length === 0 ? null : perDay(before, (h) => h.offered);
  const ahtSeconds = aht(now);
  const usualAhtSeconds = before.length === 0 ? null : aht(before);
  const agents = agentsPerHour(now);
  const usualAgents = before.length === 0 ? null : agentsPerHour(before);
  const agentHours = sum(now, (h) => h.agentHours);
  const occupancy = agentHours === 0 ? null : sum(now, (h) => h.handleSeconds) / (agentHours * HOUR_SECONDS);
  const needed = neededAgents(now, goal);
  const ratios = {
    volume: ratio(offeredPerDay, usualOfferedPerDay),
    handleTime: ratio(ahtSeconds, usualAhtSeconds),
    staffing: agents === null || agents === 0 ? null : ratio(usualAgents, agents),
  };
  const candidates: [Driver, number | null][] = [
    ['volume', ratios.volume],
    ['handle-time', ratios.handleTime],
    ['staffing', ratios.staffing],
  ];
  let driver: Driver | null = null;
  let best = NOTABLE;
  for (const [name, r] of candidates) {
    if (r !== null && r > best) {
      best = r;
      driver = name;
    }
  }
  if (driver === null && needed !== null && agents !== null && agents < needed) driver = 'staffing';
  return {
    shortHours: all,
    hours: chosen,
    share,
    offeredPerDay,
    usualOfferedPerDay,
    ahtSeconds,
    usualAhtSeconds,
    agents,
    usualAgents,
    agentsNeeded: needed,
    occupancy,
    driver,
    ratios,
  };
}
