import { describe, expect, it } from 'vitest';

import { erlangC, erlangServiceLevel, requiredAgents } from '../../functions/simulator/staffing.ts';

describe('Erlang C staffing', () => {
  it('gives the M/M/1 waiting probability rho', () => {
    // One server, 0.5 Erlang: P(wait) = rho = 0.5.
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
  });

  it('gives 1/3 for two servers at one Erlang', () => {
    // By hand: Erlang B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2; C = 2·0.2 / (2 − 1·(1 − 0.2)) = 0.4 / 1.2 = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('computes the service level as 1 − C·exp(−(N − A)·T / AHT)', () => {
    // 1800 calls/hour of 1 s = 0.5 Erlang on one agent, T = 1 s: 1 − 0.5·e^(−0.5) = 0.696734...
    expect(erlangServiceLevel(1, 1800, 1, 1)).toBeCloseTo(1 - 0.5 * Math.exp(-0.5), 12);
    // Overloaded (N ≤ A): nobody is answered within any threshold in steady state.
    expect(erlangServiceLevel(2, 7200, 1, 20)).toBe(0);
  });

  it('staffs the fewest agents that reach the target', () => {
    const n = requiredAgents(200, 180, 20, 0.8, 1);
    expect(erlangServiceLevel(n, 200, 180, 20)).toBeGreaterThanOrEqual(0.8);
    expect(erlangServiceLevel(n - 1, 200, 180, 20)).toBeLessThan(0.8);
    // 10 Erlangs need more than 10 agents for any service at all.
    expect(n).toBeGreaterThan(10);
  });
});
