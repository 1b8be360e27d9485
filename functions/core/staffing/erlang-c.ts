/**
 * Erlang C: the M/M/N queue a contact-center planner uses to say how many agents a volume of calls needs.
 * Calls arrive at random (Poisson), handle times are exponential, nobody hangs up while waiting, nobody calls
 * back, and N agents take calls from one first-come queue all interval long. Real queues break every one of
 * these (abandonment above all), so the report uses the model to explain a miss and to plan, never as a KPI
 * the contract judges (docs/metrics.md, "Staffing model (Erlang C)").
 *
 * Formulas, with A the traffic in Erlangs (calls × AHT / interval), N agents, T the service-level threshold:
 *   P(wait)  = C(N, A)                          probability an arriving call has to queue
 *   SL(T)    = 1 − C(N, A) · e^(−(N − A)·T/AHT)  share answered within T
 *   ASA      = C(N, A) · AHT / (N − A)          mean wait over all calls
 *   occupancy = A / N
 * as the Mitan/Westbay page works them out step by step for 360 calls per half hour, AHT 240 s, 55 agents
 * (http://www.mitan.co.uk/erlang/elgcmath.htm, archived at
 * https://web.archive.org/web/20181209042241/http://www.mitan.co.uk/erlang/elgcmath.htm), and as Call Centre
 * Helper's "Erlang C Formula – Made Simple With an Easy Worked Example" does for 100 calls per half hour
 * (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm).
 *
 * Both pages compute C from A^N / N! and a sum of A^k / k!, which overflows a double past N ≈ 170 (171! is
 * Infinity). Here C comes from Erlang B by its recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), whose
 * every step stays in [0, 1], and C = N·B / (N − A·(1 − B)), which follows from writing both over the same
 * Σ A^k/k! (the tests check it against that sum, taken in log space, up to 540 agents). Brian Borchers' Erlang
 * routines (New Mexico Tech) give the same reason for the recurrence: the textbook formula loses to round-off
 * when servers and load are large. So a few thousand agents cost a few thousand multiplications and nothing
 * overflows.
 */
import { InvalidStaffingInputError } from './errors.ts';

/** How far agentsNeeded searches unless told otherwise: beyond any single queue this product reports on. */
export const DEFAULT_MAX_AGENTS = 2_000;

function requireFinite(field: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new InvalidStaffingInputError(field, `${String(value)} is not a number ≥ ${min}`);
  }
}

function requireAgents(field: string, agents: number): void {
  if (!Number.isInteger(agents) || agents < 0) {
    throw new InvalidStaffingInputError(field, `${String(agents)} is not a whole number of agents ≥ 0`);
  }
}

function requireWork(traffic: number, ahtSeconds: number): void {
  // Traffic without handle time is a contradiction: the exponent (N − A)·T/AHT would divide by zero.
  if (traffic > 0 && ahtSeconds === 0) {
    throw new InvalidStaffingInputError('ahtSeconds', `0 while the traffic is ${traffic} Erlangs`);
  }
}

/** Offered load in Erlangs: the hours of handling the calls bring per hour (calls × AHT / interval). */
export function trafficErlangs(callsPerInterval: number, ahtSeconds: number, intervalSeconds: number): number {
  requireFinite('callsPerInterval', callsPerInterval, 0);
  requireFinite('ahtSeconds', ahtSeconds, 0);
  requireFinite('intervalSeconds', intervalSeconds, 0);
  if (intervalSeconds === 0) throw new InvalidStaffingInputError('intervalSeconds', '0 is not an interval');
  return (callsPerInterval * ahtSeconds) / intervalSeconds;
}

/** Erlang B, the share of calls blocked with N servers and no queue, by the recursion that never overflows. */
export function erlangB(agents: number, traffic: number): number {
  requireAgents('agents', agents);
  requireFinite('traffic', traffic, 0);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/** C from B; only for agents > traffic, where the queue is stable. */
function erlangCFromB(agents: number, traffic: number, b: number): number {
  return (agents * b) / (agents - traffic * (1 - b));
}

/**
 * Erlang C: the probability an arriving call waits. 1 when agents ≤ traffic: the queue then grows without
 * end and, in the long run, every call waits.
 */
export function probabilityOfWaiting(agents: number, traffic: number): number {
  requireAgents('agents', agents);
  requireFinite('traffic', traffic, 0);
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1;
  return erlangCFromB(agents, traffic, erlangB(agents, traffic));
}

/** SL(T) = 1 − C·e^(−(N − A)·T/AHT); 0 when agents ≤ traffic (no call is answered within any T for long). */
export function serviceLevel(agents: number, traffic: number, ahtSeconds: number, thresholdSeconds: number): number {
  requireFinite('ahtSeconds', ahtSeconds, 0);
  requireFinite('thresholdSeconds', thresholdSeconds, 0);
  const c = probabilityOfWaiting(agents, traffic);
  requireWork(traffic, ahtSeconds);
  if (traffic === 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - c * Math.exp((-(agents - traffic) * thresholdSeconds) / ahtSeconds);
}

/** ASA = C·AHT/(N − A), the mean wait over all calls (those answered at once count 0); Infinity when overloaded. */
export function averageSpeedOfAnswer(agents: number, traffic: number, ahtSeconds: number): number {
  requireFinite('ahtSeconds', ahtSeconds, 0);
  const c = probabilityOfWaiting(agents, traffic);
  requireWork(traffic, ahtSeconds);
  if (traffic === 0) return 0;
  if (agents <= traffic) return Number.POSITIVE_INFINITY;
  return (c * ahtSeconds) / (agents - traffic);
}

/** A/N, the share of the agents' time on calls; 1 when agents ≤ traffic (all busy all the time). */
export function occupancy(agents: number, traffic: number): number {
  requireAgents('agents', agents);
  requireFinite('traffic', traffic, 0);
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1;
  return traffic / agents;
}

/** What a number of agents gives on a traffic, by the model. */
export interface Staffing {
  agents: number;
  trafficErlangs: number;
  probabilityOfWaiting: number;
  /** share answered within the threshold; null when no threshold was given (an ASA target alone) */
  serviceLevel: number | null;
  asaSeconds: number;
  occupancy: number;
  /** which condition set the number: the target, or the occupancy cap (more agents than the target needs) */
  limitedBy: 'target' | 'occupancy';
}

/** Why no number of agents up to the cap does it. */
export interface StaffingShortfall {
  /** 'target-unreachable': no number of agents can (a 100 % service level, an ASA of 0 s, on any traffic) */
  reason: 'target-unreachable' | 'agent-cap';
  trafficErlangs: number;
  maxAgents: number;
  message: string;
}

export type StaffingResult = { ok: true; value: Staffing } | { ok: false; error: StaffingShortfall };

interface Workload {
  callsPerInterval: number;
  ahtSeconds: number;
  intervalSeconds: number;
  /** agents may be busy at most this share of their time (0–1]; a planner's cap against burnout */
  maxOccupancy?: number;
  /** search no further than this many agents (default DEFAULT_MAX_AGENTS) */
  maxAgents?: number;
}

export interface ServiceLevelStaffingInput extends Workload {
  thresholdSeconds: number;
  /** share of calls to answer within the threshold, (0, 1] */
  targetServiceLevel: number;
}

export interface AsaStaffingInput extends Workload {
  targetAsaSeconds: number;
  /** when given, the result also says the service level within this threshold */
  thresholdSeconds?: number;
}

/** The fewest agents whose service level within T reaches the target (and whose occupancy the cap allows). */
export function agentsNeeded(input: ServiceLevelStaffingInput): StaffingResult {
  requireFinite('thresholdSeconds', input.thresholdSeconds, 0);
  const target = input.targetServiceLevel;
  if (!Number.isFinite(target) || target <= 0 || target > 1) {
    throw new InvalidStaffingInputError('targetServiceLevel', `${String(target)} is not a share in (0, 1]`);
  }
  return search(input, input.thresholdSeconds, target === 1, (agents, traffic, c) =>
    1 - c * Math.exp((-(agents - traffic) * input.thresholdSeconds) / input.ahtSeconds) >= target,
  );
}

/** The fewest agents whose mean speed of answer is at most the target (and whose occupancy the cap allows). */
export function agentsNeededForAsa(input: AsaStaffingInput): StaffingResult {
  requireFinite('targetAsaSeconds', input.targetAsaSeconds, 0);
  if (input.thresholdSeconds !== undefined) requireFinite('thresholdSeconds', input.thresholdSeconds, 0);
  const target = input.targetAsaSeconds;
  return search(input, input.thresholdSeconds ?? null, target === 0, (agents, traffic, c) =>
    (c * input.ahtSeconds) / (agents - traffic) <= target,
  );
}

/**
 * Steps N up from 1, carrying Erlang B along (one multiplication per agent), until the target holds and the
 * occupancy cap allows N. Both conditions only get easier as N grows (C falls, A/N falls), so the first N
 * that meets both is the answer.
 */
function search(
  workload: Workload,
  thresholdSeconds: number | null,
  unreachable: boolean,
  meetsTarget: (agents: number, traffic: number, c: number) => boolean,
): StaffingResult {
  const traffic = trafficErlangs(workload.callsPerInterval, workload.ahtSeconds, workload.intervalSeconds);
  const maxOccupancy = workload.maxOccupancy ?? 1;
  if (!Number.isFinite(maxOccupancy) || maxOccupancy <= 0 || maxOccupancy > 1) {
    throw new InvalidStaffingInputError('maxOccupancy', `${String(maxOccupancy)} is not a share in (0, 1]`);
  }
  const maxAgents = workload.maxAgents ?? DEFAULT_MAX_AGENTS;
  if (!Number.isInteger(maxAgents) || maxAgents < 1) {
    throw new InvalidStaffingInputError('maxAgents', `${String(maxAgents)} is not a whole number ≥ 1`);
  }
  if (traffic === 0) {
    const value: Staffing = {
      agents: 0,
      trafficErlangs: 0,
      probabilityOfWaiting: 0,
      serviceLevel: thresholdSeconds === null ? null : 1,
      asaSeconds: 0,
      occupancy: 0,
      limitedBy: 'target',
    };
    return { ok: true, value };
  }
  if (unreachable) {
    return shortfall('target-unreachable', traffic, maxAgents,
      'the model gives every call a chance to wait, so no number of agents answers all of them at once');
  }
  let b = 1;
  let firstMeetingTarget: number | null = null;
  for (let agents = 1; agents <= maxAgents; agents++) {
    b = (traffic * b) / (agents + traffic * b);
    if (agents <= traffic) continue;
    const c = erlangCFromB(agents, traffic, b);
    if (firstMeetingTarget === null && meetsTarget(agents, traffic, c)) firstMeetingTarget = agents;
    if (firstMeetingTarget !== null && traffic / agents <= maxOccupancy) {
      return {
        ok: true,
        value: {
          agents,
          trafficErlangs: traffic,
          probabilityOfWaiting: c,
          serviceLevel: thresholdSeconds === null
            ? null
            : 1 - c * Math.exp((-(agents - traffic) * thresholdSeconds) / workload.ahtSeconds),
          asaSeconds: (c * workload.ahtSeconds) / (agents - traffic),
          occupancy: traffic / agents,
          limitedBy: agents > firstMeetingTarget ? 'occupancy' : 'target',
        },
      };
    }
  }
  return shortfall('agent-cap', traffic, maxAgents,
    `${maxAgents} agents do not meet the target on ${traffic.toFixed(1)} Erlangs`);
}

function shortfall(
  reason: StaffingShortfall['reason'],
  traffic: number,
  maxAgents: number,
  message: string,
): StaffingResult {
  return { ok: false, error: { reason, trafficErlangs: traffic, maxAgents, message } };
}
