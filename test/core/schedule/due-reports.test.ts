import { describe, expect, it } from 'vitest';
import { dueReports, restatementCandidates } from '../../../functions/core/schedule/due-reports.ts';
import { periodContaining } from '../../../functions/core/schedule/periods.ts';
import { InvalidPeriodError } from '../../../functions/core/kpis/errors.ts';
import { config } from '../report/fixtures.ts';

const summary = (now: string, cfg = config()) =>
  dueReports(new Date(now), cfg).map((d) => ({ kind: d.kind, start: d.period.start, end: d.period.end, sendAt: d.sendAt.toISOString(), deadline: d.deadline.toISOString() }));

describe('dueReports in Asia/Seoul (UTC+9, no DST)', () => {
  it('is empty before send_at', () => {
    // 2026-03-02 07:59 KST
    expect(summary('2026-03-01T22:59:00Z')).toEqual([]);
  });

  it('on a Monday at send_at: yesterday and the last ISO week', () => {
    // 2026-03-02 is a Monday; 08:00 KST = 23:00 UTC the day before; deadline +180 min
    expect(summary('2026-03-01T23:00:00Z')).toEqual([
      { kind: 'daily', start: '2026-03-01', end: '2026-03-01', sendAt: '2026-03-01T23:00:00.000Z', deadline: '2026-03-02T02:00:00.000Z' },
      { kind: 'weekly', start: '2026-02-23', end: '2026-03-01', sendAt: '2026-03-01T23:00:00.000Z', deadline: '2026-03-02T02:00:00.000Z' },
    ]);
  });

  it('on the 1st: the last month, and skips kinds the client turned off', () => {
    // 2026-04-01 (Wednesday) 09:30 KST
    expect(summary('2026-04-01T00:30:00Z', config({ reports: { daily: false } }))).toEqual([
      { kind: 'monthly', start: '2026-03-01', end: '2026-03-31', sendAt: '2026-03-31T23:00:00.000Z', deadline: '2026-04-01T02:00:00.000Z' },
    ]);
  });

  it('takes the ISO week across a year boundary', () => {
    // Monday 2026-01-05 08:00 KST: ISO week 1 of 2026 is 2025-12-29 .. 2026-01-04
    expect(summary('2026-01-04T23:00:00Z').map((d) => [d.kind, d.start, d.end])).toEqual([
      ['daily', '2026-01-04', '2026-01-04'],
      ['weekly', '2025-12-29', '2026-01-04'],
    ]);
  });
});

describe('dueReports in America/New_York (DST from 2026-03-08)', () => {
  const ny = config({ timezone: 'America/New_York', reports: { send_at: '08:00', freshness_deadline_minutes: 60 } });

  it('sends at 08:00 EST (13:00 UTC) before the change', () => {
    // Friday 2026-03-06
    expect(summary('2026-03-06T12:59:00Z', ny)).toEqual([]);
    expect(summary('2026-03-06T13:00:00Z', ny)).toEqual([
      { kind: 'daily', start: '2026-03-05', end: '2026-03-05', sendAt: '2026-03-06T13:00:00.000Z', deadline: '2026-03-06T14:00:00.000Z' },
    ]);
  });

  it('sends at 08:00 EDT (12:00 UTC) after it, for the 23-hour day and the week containing it', () => {
    // Monday 2026-03-09
    expect(summary('2026-03-09T12:00:00Z', ny)).toEqual([
      { kind: 'daily', start: '2026-03-08', end: '2026-03-08', sendAt: '2026-03-09T12:00:00.000Z', deadline: '2026-03-09T13:00:00.000Z' },
      { kind: 'weekly', start: '2026-03-02', end: '2026-03-08', sendAt: '2026-03-09T12:00:00.000Z', deadline: '2026-03-09T13:00:00.000Z' },
    ]);
  });
});

describe('periodContaining', () => {
  it('finds the daily, ISO weekly and monthly period of a date', () => {
    expect(periodContaining('daily', '2026-03-04')).toEqual({ kind: 'daily', start: '2026-03-04', end: '2026-03-04' });
    expect(periodContaining('weekly', '2026-03-04')).toEqual({ kind: 'weekly', start: '2026-03-02', end: '2026-03-08' });
    expect(periodContaining('monthly', '2024-02-10')).toEqual({ kind: 'monthly', start: '2024-02-01', end: '2024-02-29' });
    expect(() => periodContaining('daily', '2026-02-30')).toThrow(InvalidPeriodError);
  });
});

describe('restatementCandidates', () => {
  const periods = (now: string, cfg = config()) => restatementCandidates(new Date(now), cfg).map((p) => `${p.kind} ${p.start}`);

  it('looks back a week of daily reports, two weekly ones and, early in a month, the last monthly one', () => {
    // Tuesday 2026-03-03 09:00 KST: yesterday's daily (3/2) is due, so not a candidate; 3/1 … 2/24 are
    expect(periods('2026-03-03T00:00:00Z')).toEqual([
      'daily 2026-03-01', 'daily 2026-02-28', 'daily 2026-02-27', 'daily 2026-02-26', 'daily 2026-02-25', 'daily 2026-02-24',
      'weekly 2026-02-23', 'weekly 2026-02-16',
      'monthly 2026-02-01',
    ]);
  });

  it('never names a period that is not over, nor the month after the 10th', () => {
    // Friday 2026-03-20 09:00 KST: the week of 3/16 and March are not over; February is past the 10th
    expect(periods('2026-03-20T00:00:00Z')).toEqual([
      'daily 2026-03-18', 'daily 2026-03-17', 'daily 2026-03-16', 'daily 2026-03-15', 'daily 2026-03-14', 'daily 2026-03-13',
      'weekly 2026-03-09', 'weekly 2026-03-02',
    ]);
    // Friday 2026-03-20 07:00 KST, before send_at: yesterday's daily is not due yet, and is looked at like the others
    expect(periods('2026-03-19T22:00:00Z')[0]).toBe('daily 2026-03-19');
  });
});
