import { describe, expect, it } from 'vitest';
import { liveWindow } from '../../../functions/core/live/live-days.ts';
import { cachingViewLoader } from '../../../functions/core/live/query-cache.ts';

describe('the live view of a minute, kept for the minute', () => {
  it('loads once per client and minute, again the next minute, and forgets a failure', async () => {
    let clock = new Date('2026-03-31T02:00:05Z');
    const loads: string[] = [];
    let fail = false;
    const load = cachingViewLoader(
      async (c: { id: string; timezone: string }, now: Date) => {
        loads.push(`${c.id} ${now.toISOString()}`);
        if (fail) throw new Error('Athena: throttled');
        return loads.length;
      },
      (now, zone) => liveWindow(now, zone).asOf,
      { now: () => clock },
    );
    const a = { id: 'a', timezone: 'Asia/Seoul' };
    const b = { id: 'b', timezone: 'Asia/Seoul' };
    expect(await Promise.all([load(a, clock), load(a, new Date('2026-03-31T02:00:50Z')), load(b, clock)])).toEqual([1, 1, 2]);
    clock = new Date('2026-03-31T02:01:10Z');
    fail = true;
    await expect(load(a, clock)).rejects.toThrow('throttled');
    fail = false;
    expect(await load(a, clock)).toBe(4);
    expect(loads).toHaveLength(4);
  });
});
