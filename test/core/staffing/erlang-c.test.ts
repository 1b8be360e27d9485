import { describe, expect, it } from 'vitest';

import {
  agentsNeeded,
  agentsNeededForAsa,
  averageSpeedOfAnswer,
  erlangB,
  occupancy,
  probabilityOfWaiting,
  serviceLevel,
  trafficErlangs,
} from '../../../functions/core/staffing/erlang-c.ts';
import { InvalidStaffingInputError } from '../../../functions/core/staffing/errors.ts';

/**
 * Erlang C the textbook way, Σ A^k/k! in log space: an independent computation (no Erlang B recursion) that
 * does not overflow either, to hold the recursion against at any size.
 */
function erlangCBySums(agents: number, traffic: number): number {
  const logTerm = (k: number) => {
    let logFactorial = 0;
    for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
    return k * Math.log(traffic) - logFactorial;
  };
  const logTop = logTerm(agents) + Math.log(agents / (agents - traffic));
  const logs = [...Array.from({ length: agents }, (_, k) => logTerm(k)), logTop];
  const max = Math.max(...logs);
  const sum = logs.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.exp(logTop - max) / sum;
}

describe('the published worked example: 360 calls per half hour, AHT 240 s, 55 agents, 15 s', () => {
  // The Mitan/Westbay page "The Erlang-C formula" (http://www.mitan.co.uk/erlang/elgcmath.htm, archived at
  // https://web.archive.org/web/20181209042241/http://www.mitan.co.uk/erlang/elgcmath.htm) works this example
  // step by step: arrival rate 360 / 1800 s = 0.2 calls/s, traffic u = 0.2 × 240 = 48 Erlangs, occupancy
  // 48 / 55 = 0.873, E_C = 0.2387, ASA = 8.184 s, service level within 15 s = 0.8459. A Maxima worked example
  // that reproduces the page ("Expected waiting time formulas in Maxima": E_c(0.2 call/s, 240 s/call, 55) =
  // 0.2387, T_w = 8.184 s/call, W(15 s) = 0.8459) states that these agree with the figures on the page.
  // Call Centre Helper's "Erlang C Formula – Made Simple" (below) uses the same SL and ASA formulas.
  const traffic = trafficErlangs(360, 240, 1800);

  it('has 48 Erlangs of traffic and an occupancy of 87.3 %', () => {
    expect(traffic).toBe(48);
    expect(occupancy(55, traffic)).toBeCloseTo(0.873, 3);
  });

  it('gives the probability of waiting 0.2387', () => {
    expect(probabilityOfWaiting(55, traffic)).toBeCloseTo(0.2387, 4);
  });

  it('gives an ASA of 8.184 s', () => {
    expect(averageSpeedOfAnswer(55, traffic, 240)).toBeCloseTo(8.184, 3);
  });

  it('gives a service level of 0.8459 within 15 s', () => {
    expect(serviceLevel(55, traffic, 240, 15)).toBeCloseTo(0.8459, 4);
  });

  it('agrees with the textbook sum of A^k/k! to 12 digits', () => {
    expect(probabilityOfWaiting(55, 48)).toBeCloseTo(erlangCBySums(55, 48), 12);
  });
});

describe("Call Centre Helper's worked example: 100 calls per half hour, AHT 180 s, 80 % in 20 s, occupancy ≤ 85 %", () => {
  // https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm gives the inputs, 200 calls per hour,
  // A = 200 × 3 min / 60 = 10 Erlangs, a first try of N = A + 1 = 11 agents and 11! = 39,916,800, and the
  // formulas X = A^N/N! × N/(N − A), Y = Σ_{i<N} A^i/i!, P(wait) = X/(Y + X),
  // SL = 1 − P(wait)·e^(−(N − A)·T/AHT). Worked by hand from those (exact fractions, e into 10 digits):
  //   N = 11: A^11/11! = 10^11 / 39,916,800 = 2,505.2108; X = 2,505.2108 × 11 = 27,557.319;
  //           Y = 1 + 10 + 50 + 166.667 + 416.667 + 833.333 + 1,388.889 + 1,984.127 + 2,480.159 + 2,755.732
  //             + 2,755.732 = 12,842.305; P(wait) = 27,557.319 / 40,399.624 = 0.68212;
  //           SL = 1 − 0.68212 × e^(−20/180) = 1 − 0.68212 × 0.894839 = 0.38961; ASA = 0.68212 × 180 / 1 = 122.78 s
  //   N = 12: P(wait) = 0.44939, SL = 1 − 0.44939 × e^(−40/180) = 0.64016
  //   N = 13: P(wait) = 0.28527, SL = 1 − 0.28527 × e^(−60/180) = 0.79559 (just short of 80 %)
  //   N = 14: P(wait) = 0.17413, SL = 1 − 0.17413 × e^(−80/180) = 0.88835, ASA = 0.17413 × 180 / 4 = 7.84 s,
  //           occupancy 10/14 = 71.4 % (under the 85 % cap)
  // So 14 agents are the fewest that reach 80 % in 20 s.
  it('has 10 Erlangs of traffic', () => {
    expect(trafficErlangs(100, 180, 1800)).toBe(10);
  });

  it('gives P(wait) 0.68212, SL 0.38961 and ASA 122.78 s with 11 agents', () => {
    expect(probabilityOfWaiting(11, 10)).toBeCloseTo(0.68212, 5);
    expect(serviceLevel(11, 10, 180, 20)).toBeCloseTo(0.38961, 5);
    expect(averageSpeedOfAnswer(11, 10, 180)).toBeCloseTo(122.78, 2);
  });

  it('needs 14 agents for 80 % in 20 s', () => {
    const result = agentsNeeded({
      callsPerInterval: 100,
      ahtSeconds: 180,
      intervalSeconds: 1800,
      thresholdSeconds: 20,
      targetServiceLevel: 0.8,
      maxOccupancy: 0.85,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.agents).toBe(14);
    expect(result.value.trafficErlangs).toBe(10);
    expect(result.value.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(result.value.asaSeconds).toBeCloseTo(7.84, 2);
    expect(result.value.occupancy).toBeCloseTo(0.714, 3);
    expect(result.value.limitedBy).toBe('target');
    expect(serviceLevel(13, 10, 180, 20)).toBeCloseTo(0.79559, 5);
  });
});

describe('small cases worked by hand', () => {
  // Erlang B by its recursion B(n) = A·B(n−1) / (n + A·B(n−1)), then C = N·B / (N − A·(1 − B)):
  //   A = 1, N = 2: B(1) = 1/2, B(2) = (1/2) / (2 + 1/2) = 1/5; C = (2/5) / (2 − 4/5) = 1/3
  //   A = 2, N = 3: B(1) = 2/3, B(2) = (4/3) / (2 + 4/3) = 2/5, B(3) = (4/5) / (3 + 4/5) = 4/19;
  //                 C = (12/19) / (3 − 2·15/19) = (12/19) / (27/19) = 4/9.
  //                 Check by the sums: 1 + 2 + 2 = 5; A³/3! · 3/(3 − 2) = 4/3 · 3 = 4; C = 4 / (5 + 4) = 4/9
  //   A = 2, N = 4: terms 1, 2, 2, 4/3 sum to 19/3; A⁴/4! · 4/2 = 2/3 · 2 = 4/3; C = (4/3) / (23/3) = 4/23
  //   A = 3, N = 4: terms 1, 3, 9/2, 9/2 sum to 13; A⁴/4! · 4/1 = 27/8 · 4 = 27/2; C = (27/2) / (53/2) = 27/53
  //   A = 1/2, N = 1: M/M/1, C = ρ = 1/2
  it.each([
    [1, 2, 1 / 3],
    [2, 3, 4 / 9],
    [2, 4, 4 / 23],
    [3, 4, 27 / 53],
    [0.5, 1, 1 / 2],
  ])('A = %s, N = %s: C = %s', (traffic, agents, expected) => {
    expect(probabilityOfWaiting(agents, traffic)).toBeCloseTo(expected, 14);
  });

  it('gives Erlang B 1/5 for A = 1, N = 2 and 4/19 for A = 2, N = 3', () => {
    expect(erlangB(2, 1)).toBeCloseTo(1 / 5, 15);
    expect(erlangB(3, 2)).toBeCloseTo(4 / 19, 15);
  });

  it('gives ASA, SL and occupancy for A = 2, N = 3, AHT 60 s, T = 30 s', () => {
    // ASA = (4/9) · 60 / (3 − 2) = 80/3 s; SL = 1 − (4/9)·e^(−1·30/60) = 1 − 0.444444 × 0.606531 = 0.730431
    expect(averageSpeedOfAnswer(3, 2, 60)).toBeCloseTo(80 / 3, 12);
    expect(serviceLevel(3, 2, 60, 30)).toBeCloseTo(0.730431, 6);
    expect(occupancy(3, 2)).toBeCloseTo(2 / 3, 15);
    // Threshold 0 s: the share answered at once, 1 − C = 5/9.
    expect(serviceLevel(3, 2, 60, 0)).toBeCloseTo(5 / 9, 15);
  });

  it('staffs the fewest agents meeting the target, the occupancy cap, or an ASA target', () => {
    // 120 calls an hour of 60 s = 2 Erlangs. N = 3: SL(30 s) = 0.730431; N = 4: C = 4/23,
    // SL = 1 − (4/23)·e^(−2·30/60) = 1 − 0.173913 × 0.367879 = 0.936021, ASA = (4/23)·60/2 = 120/23 = 5.217 s.
    const hour = { callsPerInterval: 120, ahtSeconds: 60, intervalSeconds: 3600, thresholdSeconds: 30 };
    const at73 = agentsNeeded({ ...hour, targetServiceLevel: 0.73 });
    expect(at73).toMatchObject({ ok: true, value: { agents: 3, limitedBy: 'target' } });
    const at75 = agentsNeeded({ ...hour, targetServiceLevel: 0.75 });
    expect(at75.ok && at75.value.agents).toBe(4);
    expect(at75.ok && at75.value.serviceLevel).toBeCloseTo(0.936021, 6);
    // A 60 % occupancy cap rules out 3 agents (2/3 = 66.7 %), so the cap, not the target, sets 4.
    const capped = agentsNeeded({ ...hour, targetServiceLevel: 0.73, maxOccupancy: 0.6 });
    expect(capped).toMatchObject({ ok: true, value: { agents: 4, occupancy: 0.5, limitedBy: 'occupancy' } });
    // ASA ≤ 30 s: 3 agents give 80/3 = 26.7 s. ASA ≤ 20 s: 4 agents give 5.217 s.
    const asa30 = agentsNeededForAsa({ ...hour, targetAsaSeconds: 30 });
    expect(asa30.ok && asa30.value.agents).toBe(3);
    expect(asa30.ok && asa30.value.asaSeconds).toBeCloseTo(80 / 3, 12);
    expect(asa30.ok && asa30.value.serviceLevel).toBeCloseTo(0.730431, 6);
    const asa20 = agentsNeededForAsa({ callsPerInterval: 120, ahtSeconds: 60, intervalSeconds: 3600, targetAsaSeconds: 20 });
    expect(asa20).toMatchObject({ ok: true, value: { agents: 4, serviceLevel: null } });
    expect(asa20.ok && asa20.value.asaSeconds).toBeCloseTo(120 / 23, 12);
  });
});

describe('stability for a few hundred agents', () => {
  it('stays finite, agrees with the log-space sums and falls with every added agent around 500 agents', () => {
    // 480 Erlangs: 171! already overflows a double, so a factorial formula returns NaN here.
    let previous = Number.POSITIVE_INFINITY;
    let previousSl = 0;
    for (let agents = 481; agents <= 540; agents++) {
      const c = probabilityOfWaiting(agents, 480);
      expect(Number.isFinite(c)).toBe(true);
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(previous);
      expect(c).toBeCloseTo(erlangCBySums(agents, 480), 10);
      const sl = serviceLevel(agents, 480, 240, 20);
      expect(sl).toBeGreaterThan(previousSl);
      previous = c;
      previousSl = sl;
    }
  });

  it('staffs 2,000 Erlangs within the default cap and says so when the cap is too low', () => {
    const big = agentsNeeded({
      callsPerInterval: 30_000,
      ahtSeconds: 240,
      intervalSeconds: 3600,
      thresholdSeconds: 20,
      targetServiceLevel: 0.8,
      maxAgents: 2_100,
    });
    expect(big.ok).toBe(true);
    if (!big.ok) return;
    expect(big.value.trafficErlangs).toBe(2000);
    // Fewest: the target holds at N and not at N − 1.
    expect(serviceLevel(big.value.agents, 2000, 240, 20)).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(big.value.agents - 1, 2000, 240, 20)).toBeLessThan(0.8);
    const capped = agentsNeeded({
      callsPerInterval: 30_000,
      ahtSeconds: 240,
      intervalSeconds: 3600,
      thresholdSeconds: 20,
      targetServiceLevel: 0.8,
    });
    expect(capped).toMatchObject({ ok: false, error: { reason: 'agent-cap', maxAgents: 2000, trafficErlangs: 2000 } });
  });
});

describe('edges', () => {
  const base = { ahtSeconds: 180, intervalSeconds: 3600, thresholdSeconds: 20, targetServiceLevel: 0.8 };

  it('needs no agents for no calls, or for calls that take no time', () => {
    for (const input of [{ ...base, callsPerInterval: 0 }, { ...base, callsPerInterval: 50, ahtSeconds: 0 }]) {
      expect(agentsNeeded(input)).toEqual({
        ok: true,
        value: {
          agents: 0,
          trafficErlangs: 0,
          probabilityOfWaiting: 0,
          serviceLevel: 1,
          asaSeconds: 0,
          occupancy: 0,
          limitedBy: 'target',
        },
      });
    }
  });

  it('says a 100 % service level or a 0 s ASA cannot be reached on any traffic', () => {
    expect(agentsNeeded({ ...base, callsPerInterval: 10, targetServiceLevel: 1 })).toMatchObject({
      ok: false,
      error: { reason: 'target-unreachable' },
    });
    expect(
      agentsNeededForAsa({ callsPerInterval: 10, ahtSeconds: 180, intervalSeconds: 3600, targetAsaSeconds: 0 }),
    ).toMatchObject({ ok: false, error: { reason: 'target-unreachable' } });
  });

  it('describes an overloaded queue (agents ≤ traffic) as every call waiting, none within T, all agents busy', () => {
    expect(probabilityOfWaiting(48, 48)).toBe(1);
    expect(serviceLevel(40, 48, 240, 15)).toBe(0);
    expect(averageSpeedOfAnswer(48, 48, 240)).toBe(Number.POSITIVE_INFINITY);
    expect(occupancy(40, 48)).toBe(1);
    expect(occupancy(0, 0)).toBe(0);
  });

  it('refuses inputs the formulas have no meaning for, naming the field', () => {
    expect(() => trafficErlangs(-1, 180, 1800)).toThrow(InvalidStaffingInputError);
    expect(() => trafficErlangs(10, 180, 0)).toThrow(/intervalSeconds/);
    expect(() => probabilityOfWaiting(2.5, 1)).toThrow(/agents: 2.5/);
    expect(() => serviceLevel(3, 2, Number.NaN, 20)).toThrow(/ahtSeconds/);
    expect(() => serviceLevel(3, 2, 0, 20)).toThrow(/ahtSeconds: 0 while the traffic is 2 Erlangs/);
    expect(() => agentsNeeded({ ...base, callsPerInterval: 10, targetServiceLevel: 80 })).toThrow(/targetServiceLevel/);
    expect(() => agentsNeeded({ ...base, callsPerInterval: 10, maxOccupancy: 0 })).toThrow(/maxOccupancy/);
    expect(() => agentsNeeded({ ...base, callsPerInterval: 10, maxAgents: 0 })).toThrow(/maxAgents/);
  });
});
