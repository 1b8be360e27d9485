import { describe, expect, it } from 'vitest';
import { describeDays, parseDays, parseHours } from '../../../functions/core/calendar/opening-hours.ts';

describe('opening hours', () => {
  it('reads "HH:MM-HH:MM", up to 24:00', () => {
    expect(parseHours('09:00-18:00')).toEqual({ ok: true, value: { from: '09:00', to: '18:00' } });
    expect(parseHours('00:00 - 24:00')).toEqual({ ok: true, value: { from: '00:00', to: '24:00' } });
    expect(parseHours('09:30-12:15')).toEqual({ ok: true, value: { from: '09:30', to: '12:15' } });
  });

  it('refuses hours that close before they open, past midnight, or are not times', () => {
    expect(parseHours('18:00-09:00')).toEqual({
      ok: false,
      error: '"18:00-09:00" closes before it opens; hours past midnight are not supported: write the evening as "…-24:00" and the night as "00:00-…" of the next day',
    });
    expect(parseHours('09:00-09:00').ok).toBe(false);
    expect(parseHours('24:00-24:00')).toEqual({ ok: false, error: 'opens at 24:00, which is not a time of day (00:00 to 23:59)' });
    expect(parseHours('09:00-24:30')).toEqual({ ok: false, error: 'closes at 24:30, which is not a time of day (00:01 to 24:00)' });
    expect(parseHours('9-18')).toEqual({ ok: false, error: 'must be local opening hours "HH:MM-HH:MM" such as "09:00-18:00", not "9-18"' });
  });

  it('reads days, ranges (wrapping over the weekend) and holiday, in week order', () => {
    expect(parseDays('mon-fri')).toEqual({ ok: true, value: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(parseDays(['holiday', 'sun', 'sat'])).toEqual({ ok: true, value: ['sat', 'sun', 'holiday'] });
    expect(parseDays('fri-mon')).toEqual({ ok: true, value: ['mon', 'fri', 'sat', 'sun'] });
    expect(parseDays('Sat, Sun')).toEqual({ ok: true, value: ['sat', 'sun'] });
  });

  it('refuses a day named twice or a word that is not a day', () => {
    expect(parseDays(['mon-fri', 'fri'])).toEqual({ ok: false, error: 'fri is named twice' });
    expect(parseDays('weekdays')).toEqual({
      ok: false,
      error: '"weekdays" is not a day: use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or holiday',
    });
    expect(parseDays([])).toEqual({ ok: false, error: 'names no day' });
  });

  it('writes days back compactly', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('mon-fri');
    expect(describeDays(['sat', 'sun', 'holiday'])).toBe('sat, sun, holiday');
    expect(describeDays(['mon', 'wed', 'thu', 'fri', 'sun'])).toBe('mon, wed-fri, sun');
  });
});
