import { describe, expect, it } from 'vitest';
import { missCause, shortHours, type HourStats } from '../../../functions/core/staffing/miss-causes.ts';

/** One hour of day over `days` open days, every offered contact answered within or beyond T as given. */
function hour(h: number, o: { days?: number; offered: number; within?: number; abandoned?: number; aht?: number; agents?: number }): HourStats {
  const days = o.days ?? 1;
  const abandoned = o.abandoned ?? 0;
  const answered = o.offered - abandoned;
  return {
    hour: h,
    days,
    offered: o.offered,
    answered,
    abandoned,
    shortAbandoned: 0,
    slNumerator: o.within ?? answered,
    slDenominator: o.offered,
    answeredWaitSeconds: 0,
    handleSeconds: answered * (o.aht ?? 240),
    handled: answered,
    agentHours: (o.agents ?? 6) * days,
  };
}

const SL_80_20 = { kpi: 'service_level' as const, target: 0.8 };
const GOAL = { kind: 'service_level' as const, thresholdSeconds: 20, value: 0.8 };

describe('the hours that made a miss', () => {
  it('gives every hour that fell short its share of the shortfall, the shares adding up to 1', () => {
    // target 80 %: 12h 47 of 100 within T → 80 − 47 = 33 short; 13h 58 → 22; 10h 78 → 2; 14h 90 → 10 over, not short
    const hours = [hour(10, { offered: 100, within: 78 }), hour(12, { offered: 100, within: 47 }), hour(13, { offered: 100, within: 58 }), hour(14, { offered: 100, within: 90 })];
    const short = shortHours(hours, SL_80_20);
    expect(short.map((h) => [h.hour, h.shortfall])).toEqual([
      [12, 33],
      [13, 22],
      [10, 2],
    ]);
    // 33/57, 22/57, 2/57
    expect(short.map((h) => h.share)).toEqual([33 / 57, 22 / 57, 2 / 57]);
    expect(short.reduce((s, h) => s + h.share, 0)).toBeCloseTo(1, 12);
    expect(short.map((h) => h.value)).toEqual([0.47, 0.58, 0.78]);

    // the fewest hours making up most of it: 12h alone is 57.9 % (< 60 %), with 13h 96.5 %
    const cause = missCause(hours, [], SL_80_20, GOAL)!;
    expect(cause.hours.map((h) => h.hour)).toEqual([12, 13]);
    expect(cause.share).toBeCloseTo(55 / 57, 12);
  });

  it('counts abandons beyond the target rate, and wait-seconds beyond the target ASA', () => {
    // abandon rate ≤ 5 %: 9 of 100 abandoned is 4 over; 3 of 100 is under
    const ab = shortHours([hour(9, { offered: 100, abandoned: 9 }), hour(11, { offered: 100, abandoned: 3 })], { kpi: 'abandon_rate', target: 0.05 });
    expect(ab.map((h) => [h.hour, h.shortfall, h.value])).toEqual([[9, 4, 0.09]]);
    // ASA ≤ 30 s: 10 answered with 450 s of waits is 150 s over (mean 45 s)
    const slow = { ...hour(15, { offered: 10 }), answeredWaitSeconds: 450 };
    expect(shortHours([slow], { kpi: 'asa_seconds', target: 30 }).map((h) => [h.shortfall, h.value])).toEqual([[150, 45]]);
  });

  it('has no cause when no hour fell short', () => {
    expect(missCause([hour(10, { offered: 100, within: 90 })], [], SL_80_20, GOAL)).toBeNull();
  });
});

describe('what drove it: volume, handle time or staffing, with Erlang C', () => {
  // The usual 12 o'clock over four open days: 50 calls a day, AHT 240 s, 6 agents answering.
  // Erlang C, 80 % within 20 s: 50 × 240 / 3600 = 3.33 Erlangs; 5 agents give 71.6 %, 6 give 88.1 % → 6 needed.
  const usual = [hour(12, { days: 4, offered: 200, within: 160, aht: 240, agents: 6 })];

  it('names volume: 40 % more calls, the same agents (70 calls need 8 agents: 7 give 79.4 %)', () => {
    const week = [hour(12, { days: 5, offered: 350, within: 200, aht: 240, agents: 6 })];
    const cause = missCause(week, usual, SL_80_20, GOAL)!;
    expect(cause.driver).toBe('volume');
    expect([cause.offeredPerDay, cause.usualOfferedPerDay]).toEqual([70, 50]);
    expect(cause.ratios).toEqual({ volume: 1.4, handleTime: 1, staffing: 1 });
    expect([cause.agentsNeeded, cause.agents]).toEqual([8, 6]);
    // 350 × 240 s handled over 5 days × 6 agents × 3600 s = 84,000 / 108,000
    expect(cause.occupancy).toBeCloseTo(84_000 / 108_000, 12);
  });

  it('names staffing: the usual calls, fewer agents (4 against the usual 6; 6 needed)', () => {
    const week = [hour(12, { days: 5, offered: 250, within: 150, aht: 240, agents: 4 })];
    const cause = missCause(week, usual, SL_80_20, GOAL)!;
    expect(cause.driver).toBe('staffing');
    expect(cause.ratios).toEqual({ volume: 1, handleTime: 1, staffing: 1.5 });
    expect([cause.agentsNeeded, cause.agents, cause.usualAgents]).toEqual([6, 4, 6]);
  });

  it('names handle time: the usual calls and agents, each call 30 % longer (312 s need 7 agents: 6 give 66.5 %)', () => {
    const week = [hour(12, { days: 5, offered: 250, within: 160, aht: 312, agents: 6 })];
    const cause = missCause(week, usual, SL_80_20, GOAL)!;
    expect(cause.driver).toBe('handle-time');
    expect(cause.ratios.handleTime).toBeCloseTo(1.3, 12);
    expect([cause.ahtSeconds, cause.usualAhtSeconds, cause.agentsNeeded]).toEqual([312, 240, 7]);
  });

  it('names staffing when nothing changed but the hour always had fewer agents than the target needs', () => {
    const chronic = [hour(12, { days: 4, offered: 200, within: 120, aht: 240, agents: 5 })];
    const cause = missCause(chronic, chronic, SL_80_20, GOAL)!;
    expect(cause.ratios).toEqual({ volume: 1, handleTime: 1, staffing: 1 });
    expect(cause.driver).toBe('staffing');
    expect([cause.agentsNeeded, cause.agents]).toEqual([6, 5]);
  });
});
