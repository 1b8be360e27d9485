import { describe, expect, it } from 'vitest';
import { InvalidPeriodError } from '../../../functions/core/kpis/errors.ts';
import { isoWeekLabel, periodFor, priorPeriod, weekAgoPeriod } from '../../../functions/core/kpis/periods.ts';

describe('periods', () => {
  it('daily is the local date; prior crosses the year end', () => {
    const p = periodFor('daily', '2026-01-01');
    expect(p).toEqual({ kind: 'daily', start: '2026-01-01', end: '2026-01-01' });
    expect(priorPeriod(p)).toEqual({ kind: 'daily', start: '2025-12-31', end: '2025-12-31' });
    expect(weekAgoPeriod(p)).toEqual({ kind: 'daily', start: '2025-12-25', end: '2025-12-25' });
  });

  it('weekly is the ISO week Monday–Sunday, also across a year end', () => {
    // 2026-01-01 is a Thursday: ISO week 2026-W01 runs Mon 2025-12-29 … Sun 2026-01-04
    expect(periodFor('weekly', '2026-01-01')).toEqual({ kind: 'weekly', start: '2025-12-29', end: '2026-01-04' });
    expect(isoWeekLabel('2025-12-29')).toBe('2026-W01');
    // 2027-01-01 is a Friday: it belongs to 2026-W53, Mon 2026-12-28 … Sun 2027-01-03
    expect(periodFor('weekly', '2027-01-01')).toEqual({ kind: 'weekly', start: '2026-12-28', end: '2027-01-03' });
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53');
    // a Sunday belongs to the week that started six days earlier
    expect(periodFor('weekly', '2026-03-01')).toEqual({ kind: 'weekly', start: '2026-02-23', end: '2026-03-01' });
    expect(priorPeriod(periodFor('weekly', '2026-01-01'))).toEqual({ kind: 'weekly', start: '2025-12-22', end: '2025-12-28' });
  });

  it('monthly is the calendar month, leap February included', () => {
    expect(periodFor('monthly', '2024-02-10')).toEqual({ kind: 'monthly', start: '2024-02-01', end: '2024-02-29' });
    expect(priorPeriod(periodFor('monthly', '2026-03-31'))).toEqual({ kind: 'monthly', start: '2026-02-01', end: '2026-02-28' });
    expect(priorPeriod(periodFor('monthly', '2026-01-15'))).toEqual({ kind: 'monthly', start: '2025-12-01', end: '2025-12-31' });
  });

  it('rejects dates that do not exist', () => {
    expect(() => periodFor('daily', '2026-02-30')).toThrow(InvalidPeriodError);
    expect(() => periodFor('daily', '2026/02/01')).toThrow(InvalidPeriodError);
  });
});
