/**
 * The demo clients' calendars (clients/*.yaml) say what the simulator does: on every demo day and local hour a
 * channel's queue takes contacts exactly when the client's operating calendar says it is open, so the demo's
 * reports call closed the days the simulated center was closed.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { resolveCalendar } from '../../functions/core/calendar/operating-calendar.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { addDays } from '../../functions/simulator/calendar.ts';
import { dayKind } from '../../functions/simulator/engine.ts';
import { DEMO_DAYS, DEMO_END_DATE } from '../../functions/simulator/index.ts';
import { isOpen } from '../../functions/simulator/scenario.ts';
import { SCENARIOS } from '../../functions/simulator/simulate.ts';

describe.each(Object.keys(SCENARIOS))('the %s calendar and the simulator', (clientId) => {
  it('agree on every open hour of the demo range', async () => {
    const scenario = SCENARIOS[clientId]!;
    const calendar = resolveCalendar(parseClientConfig(await readFile(`clients/${clientId}.yaml`, 'utf8'), `clients/${clientId}.yaml`));
    expect(calendar.channels).toEqual(scenario.channels.map((c) => c.channel));
    const disagreements: string[] = [];
    for (let i = 0; i < DEMO_DAYS; i++) {
      const date = addDays(DEMO_END_DATE, i + 1 - DEMO_DAYS);
      const kind = dayKind(date, scenario.country);
      for (const ch of scenario.channels) {
        for (let hour = 0; hour < 24; hour++) {
          if (calendar.isOpenHour(ch.channel, date, hour) !== isOpen(ch.openHours, kind, hour)) disagreements.push(`${ch.channel} ${date} ${hour}h`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('the simulator\'s holidays are the calendar\'s: a holiday is a closed phone day named by the holiday data', async () => {
    const scenario = SCENARIOS[clientId]!;
    const calendar = resolveCalendar(parseClientConfig(await readFile(`clients/${clientId}.yaml`, 'utf8'), `clients/${clientId}.yaml`));
    const holidays: string[] = [];
    for (let i = 0; i < DEMO_DAYS; i++) {
      const date = addDays(DEMO_END_DATE, i + 1 - DEMO_DAYS);
      if (dayKind(date, scenario.country) === 'holiday') holidays.push(date);
      expect(dayKind(date, scenario.country) === 'holiday').toBe(calendar.day('phone', date).reason === 'holiday');
    }
    // worked out from the official lists: KR 신정, 설날 2/16–18, 3·1절 and its substitute day 3/2; US New Year's
    // Day, Martin Luther King Jr. Day (third Monday of January), Washington's Birthday (third Monday of February)
    expect(holidays).toEqual(
      scenario.country === 'KR'
        ? ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-03-01', '2026-03-02']
        : ['2026-01-01', '2026-01-19', '2026-02-16'],
    );
  });
});
