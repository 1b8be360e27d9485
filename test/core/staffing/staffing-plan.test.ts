import { describe, expect, it } from 'vitest';

import { forecastOffered, type HourlyHistoryRow } from '../../../functions/core/staffing/forecast.ts';
import { staffingPlan } from '../../../functions/core/staffing/staffing-plan.ts';

// Four weeks before Monday 2026-03-30, open Monday to Friday. Forecast: Monday 10 h 14 calls, Tuesday 10 h
// 10 calls, Wednesday 11 h 4 calls. Handle times only at 10 h: 50 calls of 180 s on average (9,000 s / 50).
const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
const openDates = mondays.flatMap((monday) =>
  [0, 1, 2, 3, 4].map((i) => new Date(Date.parse(`${monday}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)),
);
const history: HourlyHistoryRow[] = [
  ...mondays.map((date, i) => ({ date, hour: 10, offered: [10, 14, 14, 18][i]!, answered: 10, handleSeconds: 1800 })),
  ...['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24'].map((date) => ({
    date,
    hour: 10,
    offered: 10,
    answered: 15,
    handleSeconds: 2700,
  })),
  ...['2026-03-04', '2026-03-11', '2026-03-18', '2026-03-25'].map((date) => ({ date, hour: 11, offered: 4 })),
];
const forecast = forecastOffered({ history, openDates, start: '2026-03-30' });

describe('the staffing plan for 80 % within 20 s', () => {
  // Hand-worked, A = calls × 180 s / 3600 s:
  // Monday 10 h, 14 calls, A = 0.7. N = 1: C = ρ = 0.7, SL = 1 − 0.7·e^(−0.3·20/180) = 0.3229 (short).
  //   N = 2: terms 1 + 0.7 = 1.7; A²/2!·2/(2 − 0.7) = 0.245·2/1.3 = 0.49/1.3; C = 0.49 / (2.21 + 0.49) = 49/270
  //   = 0.181481; SL = 1 − 0.181481·e^(−1.3·20/180) = 1 − 0.181481 × 0.865503 = 0.842927;
  //   ASA = (49/270)·180/1.3 = 25.128 s; occupancy 0.7/2 = 0.35.
  // Tuesday 10 h, 10 calls, A = 0.5. N = 1: SL = 1 − 0.5·e^(−0.5·20/180) = 0.5270 (short).
  //   N = 2: B(1) = 1/3, B(2) = (1/6)/(13/6) = 1/13, C = (2/13)/(2 − 0.5·12/13) = (2/13)/(20/13) = 1/10;
  //   SL = 1 − 0.1·e^(−1.5·20/180) = 1 − 0.1 × 0.846482 = 0.915352; ASA = 0.1·180/1.5 = 12 s; occupancy 0.25.
  // Wednesday 11 h, 4 calls, no AHT at 11 h, so the window's 180 s: A = 0.2. N = 1: C = 0.2,
  //   SL = 1 − 0.2·e^(−0.8·20/180) = 1 − 0.2 × 0.914947 = 0.817011; ASA = 0.2·180/0.8 = 45 s; occupancy 0.2.
  const plan = staffingPlan({ forecast, target: { kind: 'service_level', thresholdSeconds: 20, value: 0.8 } });

  it('staffs each hour with calls and carries the forecast error', () => {
    expect(plan.start).toBe('2026-03-30');
    expect(plan.weeksUsed).toBe(4);
    expect(plan.rows.map((r) => [r.weekday, r.hour, r.forecastOffered, r.ahtSeconds, r.agents])).toEqual([
      [0, 10, 14, 180, 2],
      [1, 10, 10, 180, 2],
      [2, 11, 4, 180, 1],
    ]);
    // Backtest, Mondays 10 h: 03-23 forecast (10 + 14 + 14) / 3 = 12.667 for 18, 03-16 (10 + 14) / 2 = 12 for
    // 14, 03-09 10 for 14; 03-02 has no week before. Tuesdays (10 for 10) and Wednesdays (4 for 4) are exact.
    // Σ actual = 46 + 30 + 12 = 88; Σ |error| = 5.333 + 2 + 4 = 11.333; WAPE = 11.333/88 = 0.128788;
    // bias = −11.333/88 = −0.128788.
    expect(plan.backtestWeeks).toBe(3);
    expect(plan.wape).toBeCloseTo(34 / 3 / 88, 12);
    expect(plan.bias).toBeCloseTo(-34 / 3 / 88, 12);
  });

  it('gives each row the service level, ASA and occupancy of its agents', () => {
    const [monday, tuesday, wednesday] = plan.rows;
    expect(monday!.trafficErlangs).toBeCloseTo(0.7, 12);
    expect(monday!.serviceLevel).toBeCloseTo(0.842927, 6);
    expect(monday!.asaSeconds).toBeCloseTo(25.128, 3);
    expect(monday!.occupancy).toBeCloseTo(0.35, 12);
    expect(tuesday!.serviceLevel).toBeCloseTo(0.915352, 6);
    expect(tuesday!.asaSeconds).toBeCloseTo(12, 12);
    expect(tuesday!.occupancy).toBeCloseTo(0.25, 12);
    expect(wednesday!.serviceLevel).toBeCloseTo(0.817011, 6);
    expect(wednesday!.asaSeconds).toBeCloseTo(45, 12);
    expect(wednesday!.problem).toBeNull();
  });
});

describe('the staffing plan for other targets and edges', () => {
  it('staffs for an ASA target', () => {
    // ASA ≤ 15 s. Monday A = 0.7: N = 2 gives 25.1 s; N = 3: terms 1 + 0.7 + 0.245 = 1.945,
    //   A³/3!·3/2.3 = 0.0571667 × 1.304348 = 0.0745652, C = 0.0745652 / 2.0195652 = 0.036921, ASA = 2.89 s → 3.
    // Tuesday A = 0.5: N = 2 gives 12 s → 2. Wednesday A = 0.2: N = 1 gives 45 s; N = 2: C = 1/55,
    //   ASA = (1/55)·180/1.8 = 1.818 s → 2.
    const plan = staffingPlan({ forecast, target: { kind: 'asa', seconds: 15 } });
    expect(plan.rows.map((r) => r.agents)).toEqual([3, 2, 2]);
    expect(plan.rows[0]!.asaSeconds).toBeCloseTo(2.8895, 4);
    expect(plan.rows[0]!.serviceLevel).toBeNull();
    expect(plan.rows[2]!.asaSeconds).toBeCloseTo(100 / 55, 12);
  });

  it('raises an hour to the occupancy cap', () => {
    // Capped at 30 %: Monday needs 0.7/0.3 → 3 agents (23.3 %), Tuesday 0.5/0.3 → 2 (25 %), Wednesday 1 (20 %).
    const plan = staffingPlan({
      forecast,
      target: { kind: 'service_level', thresholdSeconds: 20, value: 0.8 },
      maxOccupancy: 0.3,
    });
    expect(plan.rows.map((r) => r.agents)).toEqual([3, 2, 1]);
  });

  it('says why an hour has no number', () => {
    const capped = staffingPlan({
      forecast,
      target: { kind: 'service_level', thresholdSeconds: 20, value: 0.8 },
      maxAgents: 1,
    });
    expect(capped.rows.map((r) => [r.agents, r.problem])).toEqual([
      [null, 'agent-cap'],
      [null, 'agent-cap'],
      [1, null],
    ]);
    expect(capped.rows[0]!.trafficErlangs).toBeCloseTo(0.7, 12);
    const withoutHandleTimes = forecastOffered({
      history: history.map(({ date, hour, offered }) => ({ date, hour, offered })),
      openDates,
      start: '2026-03-30',
    });
    const blind = staffingPlan({
      forecast: withoutHandleTimes,
      target: { kind: 'service_level', thresholdSeconds: 20, value: 0.8 },
    });
    expect(blind.rows.map((r) => [r.agents, r.ahtSeconds, r.problem])).toEqual([
      [null, null, 'no-handle-time'],
      [null, null, 'no-handle-time'],
      [null, null, 'no-handle-time'],
    ]);
    const perfect = staffingPlan({ forecast, target: { kind: 'service_level', thresholdSeconds: 20, value: 1 } });
    expect(perfect.rows.every((r) => r.problem === 'target-unreachable' && r.agents === null)).toBe(true);
  });
});
