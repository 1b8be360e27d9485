import { describe, expect, it } from 'vitest';

import { fnv1a32, retryCronTimes, skippedDates, staggeredTime, staggerOffsetMinutes } from '../../infra/schedule-times.ts';

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('staggerOffsetMinutes', () => {
  it('is the hash modulo the window', () => {
    // FNV-1a("example") = 2347908769; 2347908769 mod 30 = 19 (2347908750 = 30 × 78263625)
    expect(staggerOffsetMinutes('example')).toBe(19);
    // FNV-1a("acme") = 1174237615; mod 30 = 25
    expect(staggerOffsetMinutes('acme')).toBe(25);
  });
  it('spreads many ids over the whole window', () => {
    const counts = new Array<number>(30).fill(0);
    for (let i = 0; i < 3000; i++) counts[staggerOffsetMinutes(`client-${i}`)]!++;
    // 100 per minute expected; every minute gets between half and one and a half times that
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(150);
  });
});

describe('staggeredTime', () => {
  it('moves send_at forward by the offset', () => {
    expect(staggeredTime('08:00', 19)).toEqual({ hour: 8, minute: 19 });
    expect(staggeredTime('08:50', 19)).toEqual({ hour: 9, minute: 9 });
  });
  it('moves backwards rather than past midnight', () => {
    expect(staggeredTime('23:50', 19)).toEqual({ hour: 23, minute: 31 });
  });
});

describe('retryCronTimes', () => {
  it('covers every 15 minutes until the deadline in three cron groups', () => {
    // first run 08:17, deadline 180 min: 08:32 08:47 | 09:02 … 10:47 | 11:02 11:17 — 12 runs
    expect(retryCronTimes({ hour: 8, minute: 17 }, 180)).toEqual([
      { minute: '32,47', hour: '8' },
      { minute: '2,17,32,47', hour: '9-10' },
      { minute: '2,17', hour: '11' },
    ]);
  });
  it('stops at midnight', () => {
    // first run 23:00, deadline 180: 23:15 23:30 23:45, then the next day would begin
    expect(retryCronTimes({ hour: 23, minute: 0 }, 180)).toEqual([{ minute: '15,30,45', hour: '23' }]);
  });
  it('has nothing to retry when the deadline is shorter than one interval', () => {
    expect(retryCronTimes({ hour: 8, minute: 0 }, 10)).toEqual([]);
  });
});

describe('skippedDates', () => {
  it('finds the spring-forward day on which a local time does not exist', () => {
    // US clocks go from 02:00 to 03:00 on the second Sunday of March: 8 March 2026
    expect(skippedDates('America/New_York', { hour: 2, minute: 30 }, 2026)).toEqual(['2026-03-08']);
    // Europe: last Sunday of March, 02:00 → 03:00 in Berlin (29 March 2026)
    expect(skippedDates('Europe/Berlin', { hour: 2, minute: 0 }, 2026)).toEqual(['2026-03-29']);
  });
  it('finds nothing for a time that always exists, nor for the repeated hour in the autumn', () => {
    expect(skippedDates('Asia/Seoul', { hour: 2, minute: 30 }, 2026)).toEqual([]);
    expect(skippedDates('America/New_York', { hour: 3, minute: 0 }, 2026)).toEqual([]);
    // 01:30 happens twice on 1 November 2026 in New York; Scheduler runs it once
    expect(skippedDates('America/New_York', { hour: 1, minute: 30 }, 2026)).toEqual([]);
  });
});
