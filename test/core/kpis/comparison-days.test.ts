import { describe, expect, it } from 'vitest';
import type { OpeningDays } from '../../../functions/core/calendar/opening-days.ts';
import { previousOpenDays, weekAgoOpenDays } from '../../../functions/core/kpis/comparison-days.ts';
import { isoWeekday } from '../../../functions/core/kpis/periods.ts';

// Phone on weekdays except 삼일절 (Sun 3/1) and its substitute holiday (Mon 3/2); chat every day.
const holidays = new Set(['2026-03-01', '2026-03-02']);
const calendar: OpeningDays = {
  channels: ['phone', 'chat'],
  isOpen: (channel, dt) => channel === 'chat' || (isoWeekday(dt) <= 5 && !holidays.has(dt)),
};

describe('the day a daily report compares with', () => {
  it('compares a Monday phone day with Friday, not with a chat-only Sunday', () => {
    const days = previousOpenDays('2026-03-30', calendar, 13);
    expect(days.by_channel.phone).toBe('2026-03-27');
    expect(days.by_channel.chat).toBe('2026-03-29');
    // all channels together: the last day phone and chat were both open
    expect(days.total).toBe('2026-03-27');
  });

  it('compares the day after the substitute holiday with the last working day before the long weekend', () => {
    const days = previousOpenDays('2026-03-03', calendar, 13);
    // 3/2 substitute holiday, 3/1 삼일절 (Sunday), 2/28 Saturday: Friday 2/27
    expect(days).toMatchObject({ total: '2026-02-27', by_channel: { phone: '2026-02-27', chat: '2026-03-02' } });
  });

  it('skips the week-ago day of a channel that was closed then', () => {
    // a week before Monday 3/9 is the substitute holiday 3/2: no phone comparison, chat compares with it
    expect(weekAgoOpenDays('2026-03-09', calendar)).toMatchObject({ total: null, by_channel: { phone: null, chat: '2026-03-02' } });
    expect(weekAgoOpenDays('2026-03-10', calendar).by_channel.phone).toBe('2026-03-03');
  });

  it('is the day before when the client has no calendar', () => {
    const always: OpeningDays = { channels: [], isOpen: () => true };
    expect(previousOpenDays('2026-03-30', always, 13).total).toBe('2026-03-29');
    expect(previousOpenDays('2026-03-30', always, 13).by_channel.phone).toBe('2026-03-29');
  });

  it('has no comparison day when the channel was closed for longer than the days the document holds', () => {
    const closedLong: OpeningDays = { channels: ['phone'], isOpen: (_ch, dt) => dt < '2026-03-01' || dt >= '2026-03-20' };
    expect(previousOpenDays('2026-03-20', closedLong, 13).by_channel.phone).toBeNull();
  });
});
