/**
 * The abandons alert, worked by hand. The last hour of phone: 150 offered, no short abandons; the usual four
 * Tuesdays brought 1, 0, 0, 1 abandons in that hour (mean 0.5, sd 0.577) and that hour is 150 of a usual day's
 * 1,500 offered, so the spike rule (DEFAULT_SPIKE_RULE: at least 10 a day, 1.5 × the mean, z ≥ 2) asks for at
 * least max(3, ⌈10 × 0.1⌉) = 3 abandons, 0.75 and z = (n − 0.5) / 0.577 ≥ 2, i.e. n ≥ 1.66.
 *   6 abandons: over the usual; 6/150 = 4.0 % is within the contract's 5 % target → not an alert
 *   9 abandons: over the usual; 9/150 = 6.0 % over the target → an alert
 * Without an abandon-rate target, over the usual is enough.
 */
import { describe, expect, it } from 'vitest';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { judgeConditions } from '../../../functions/core/live/conditions.ts';
import { ZERO_COUNTS, type ChannelIntraday, type IntradayFigures } from '../../../functions/core/live/intraday-figures.ts';
import { configInput } from './live-fixture.ts';

const USUAL_DAYS = ['2026-03-24', '2026-03-17', '2026-03-10', '2026-03-03'];

function figures(abandoned: number): IntradayFigures {
  const lastHour = { ...ZERO_COUNTS, offered: 150, answered: 150 - abandoned, abandoned };
  const phone: ChannelIntraday = {
    channel: 'phone',
    openToday: true,
    usualDays: USUAL_DAYS,
    soFar: lastHour,
    lastHour,
    usualSoFar: ZERO_COUNTS,
    usualLastHour: ZERO_COUNTS,
    usualOfferedSoFar: [150, 150, 150, 150],
    usualOfferedLastHour: [150, 150, 150, 150],
    usualAbandonsLastHour: [1, 0, 0, 1],
    // one bucket holding the whole usual day: 1,500 offered on each usual day
    buckets: [{ bucket: 0, from: '00:00', today: 150, usual: [1500, 1500, 1500, 1500] }],
  };
  return {
    window: { today: '2026-03-31' } as IntradayFigures['window'],
    channels: [phone],
    categories: [],
    usualDays: USUAL_DAYS,
    inboundSoFar: 150,
    inboundLastHour: 150,
    usualInboundSoFar: [],
    usualInboundLastHour: [],
    usualInboundDay: [],
    sources: [],
  };
}

const judge = (abandoned: number, withTarget: boolean) => {
  const config = clientConfigSchema.parse({
    ...configInput,
    contract: [{ ...configInput.contract![0]!, targets: configInput.contract![0]!.targets!.filter((t) => withTarget || t.kpi !== 'abandon_rate') }],
  });
  return judgeConditions(figures(abandoned), [], config, config.contract[0]).find((c) => c.key === 'abandons:phone')!;
};

describe('the abandons alert', () => {
  it('stays off while the hour keeps within the contract abandon rate, however quiet the usual hour was', () => {
    expect(judge(6, true)).toMatchObject({ state: 'off', value: 6, usual: 0.5 });
  });

  it('is on when the abandons are over their usual and the hour is over the contract abandon rate', () => {
    expect(judge(9, true)).toMatchObject({ state: 'on', value: 9, usual: 0.5 });
  });

  it('judges by the usual alone for a contract without an abandon-rate target', () => {
    expect(judge(6, false)).toMatchObject({ state: 'on', value: 6 });
    expect(judge(2, false)).toMatchObject({ state: 'off', value: 2 });
  });
});
