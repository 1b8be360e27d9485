import { describe, expect, it } from 'vitest';

import { InvalidStaffingInputError } from '../../../functions/core/staffing/errors.ts';
import { forecastOffered, type Forecast, type HourlyHistoryRow } from '../../../functions/core/staffing/forecast.ts';

const cell = (forecast: Forecast, weekday: number, hour: number) =>
  forecast.cells.find((c) => c.weekday === weekday && c.hour === hour)!;

/** Monday to Friday of the weeks starting on these Mondays. */
function weekdays(...mondays: string[]): string[] {
  return mondays.flatMap((monday) =>
    [0, 1, 2, 3, 4].map((i) => new Date(Date.parse(`${monday}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)),
  );
}

describe('the seasonal average per weekday and hour', () => {
  // Forecast for the week of Monday 2026-03-30 from the four weeks 03-02 … 03-29. Open Monday to Friday;
  // Monday 03-16 a holiday. Monday 02-23 is open but a week too early, and 03-30 is the forecast week itself:
  // neither may enter the mean.
  const openDates = weekdays('2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23').filter(
    (d) => d !== '2026-03-16',
  );
  const history: HourlyHistoryRow[] = [
    { date: '2026-02-23', hour: 10, offered: 100, answered: 100, handleSeconds: 100_000 },
    // Mondays 10 h: 10, 14, (holiday: 3), 18 — 03-23 in two rows (two phone lines) that add up.
    { date: '2026-03-02', hour: 10, offered: 10, answered: 10, handleSeconds: 2200 },
    { date: '2026-03-09', hour: 10, offered: 14, answered: 10, handleSeconds: 2200 },
    { date: '2026-03-16', hour: 10, offered: 3, answered: 3, handleSeconds: 9999 },
    { date: '2026-03-23', hour: 10, offered: 11, answered: 6, handleSeconds: 1320 },
    { date: '2026-03-23', hour: 10, offered: 7, answered: 4, handleSeconds: 880 },
    // Tuesdays 10 h: 8, 8, 12, 12, each 5 answered of 120 s.
    { date: '2026-03-03', hour: 10, offered: 8, answered: 5, handleSeconds: 600 },
    { date: '2026-03-10', hour: 10, offered: 8, answered: 5, handleSeconds: 600 },
    { date: '2026-03-17', hour: 10, offered: 12, answered: 5, handleSeconds: 600 },
    { date: '2026-03-24', hour: 10, offered: 12, answered: 5, handleSeconds: 600 },
    // Wednesdays 11 h: 4 each, no handle times in the export.
    { date: '2026-03-04', hour: 11, offered: 4 },
    { date: '2026-03-11', hour: 11, offered: 4 },
    { date: '2026-03-18', hour: 11, offered: 4 },
    { date: '2026-03-25', hour: 11, offered: 4 },
    { date: '2026-03-30', hour: 10, offered: 50 },
  ];
  const forecast = forecastOffered({ history, openDates, start: '2026-03-30' });

  it('averages each weekday-hour over its open days only', () => {
    expect(forecast.weeksUsed).toBe(4);
    expect(forecast.weeksWanted).toBe(4);
    expect(forecast.cells).toHaveLength(168);
    // Monday 10 h: (10 + 14 + 18) / 3 open Mondays = 14; the holiday is neither a day nor a 3.
    expect(cell(forecast, 0, 10)).toEqual({ weekday: 0, hour: 10, offered: 14, days: 3 });
    // Tuesday 10 h: (8 + 8 + 12 + 12) / 4 = 10.
    expect(cell(forecast, 1, 10)).toEqual({ weekday: 1, hour: 10, offered: 10, days: 4 });
    expect(cell(forecast, 2, 11)).toEqual({ weekday: 2, hour: 11, offered: 4, days: 4 });
    // Friday was open without calls at 10 h: a forecast of 0. Saturday was never open: no forecast.
    expect(cell(forecast, 4, 10)).toEqual({ weekday: 4, hour: 10, offered: 0, days: 4 });
    expect(cell(forecast, 5, 10)).toEqual({ weekday: 5, hour: 10, offered: null, days: 0 });
  });

  it('takes each hour’s AHT as its handle time over its answered contacts', () => {
    // 10 h: Mondays 3 × 2,200 s over 3 × 10 calls, Tuesdays 4 × 600 s over 4 × 5 calls:
    // (6,600 + 2,400) / (30 + 20) = 180 s (a mean of the daily AHTs, (3 × 220 + 4 × 120) / 7 = 162.9 s, is not).
    expect(forecast.ahtSecondsByHour[10]).toBe(180);
    expect(forecast.ahtSecondsByHour[11]).toBeNull();
    expect(forecast.ahtSecondsByHour).toHaveLength(24);
    expect(forecast.ahtSeconds).toBe(180);
  });

  it('backtests the weeks that have a week of history before them', () => {
    // 03-23, 03-16 and 03-09 each have earlier open weeks; 03-02 has 02-23.
    expect(forecast.backtest.weeks).toBe(4);
  });
});

describe('WAPE and bias by backtest', () => {
  // Open on Mondays only; forecast for Monday 2026-03-30. Monday 9 h over eight weeks:
  //   02-02: 10, 02-09: 10, 02-16: 10, 02-23: 10, 03-02: 12, 03-09: 8, 03-16: 14, 03-23: 20; 10 h always 5.
  // Forecast 9 h = (12 + 8 + 14 + 20) / 4 = 13.5. Each of the last four weeks from the four Mondays before it:
  //   03-23: (10 + 12 + 8 + 14) / 4 = 11    actual 20   |error| 9     forecast − actual −9
  //   03-16: (10 + 10 + 12 + 8) / 4 = 10    actual 14   |error| 4                       −4
  //   03-09: (10 + 10 + 10 + 12) / 4 = 10.5 actual 8    |error| 2.5                     +2.5
  //   03-02: (10 + 10 + 10 + 10) / 4 = 10   actual 12   |error| 2                       −2
  // and 10 h: forecast 5, actual 5, four times. Σ actual = 54 + 20 = 74, Σ |error| = 17.5, Σ forecast = 61.5:
  // WAPE = 17.5 / 74 = 0.236486, bias = (61.5 − 74) / 74 = −12.5 / 74 = −0.168919 (forecast too low).
  const mondays = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
  const nine = [10, 10, 10, 10, 12, 8, 14, 20];
  const history: HourlyHistoryRow[] = mondays.flatMap((date, i) => [
    { date, hour: 9, offered: nine[i]! },
    { date, hour: 10, offered: 5 },
  ]);

  it('measures each of the last four weeks against the four before it', () => {
    const forecast = forecastOffered({ history, openDates: mondays, start: '2026-03-30' });
    expect(cell(forecast, 0, 9).offered).toBe(13.5);
    expect(cell(forecast, 0, 10).offered).toBe(5);
    expect(forecast.backtest).toEqual({
      weeks: 4,
      actual: 74,
      forecast: 61.5,
      absoluteError: 17.5,
      wape: 17.5 / 74,
      bias: -12.5 / 74,
    });
    expect(forecast.backtest.wape).toBeCloseTo(0.236486, 6);
    expect(forecast.backtest.bias).toBeCloseTo(-0.168919, 6);
  });

  it('uses the weeks that exist for a new client and says how many', () => {
    // Only 03-16 (14) and 03-23 (20) at 9 h: forecast (14 + 20) / 2 = 17 over 2 weeks. Backtest: 03-23 from
    // 03-16 alone, 9 h 14 against 20 (|error| 6) and 10 h 5 against 5: Σ actual 25, Σ forecast 19,
    // WAPE 6 / 25 = 0.24, bias −6 / 25 = −0.24. 03-16 has no week before it and is not tested.
    const recent = history.filter((r) => r.date >= '2026-03-16');
    const forecast = forecastOffered({ history: recent, openDates: ['2026-03-16', '2026-03-23'], start: '2026-03-30' });
    expect(forecast.weeksUsed).toBe(2);
    expect(cell(forecast, 0, 9)).toEqual({ weekday: 0, hour: 9, offered: 17, days: 2 });
    expect(forecast.backtest).toMatchObject({ weeks: 1, actual: 25, forecast: 19, absoluteError: 6 });
    expect(forecast.backtest.wape).toBeCloseTo(0.24, 12);
    expect(forecast.backtest.bias).toBeCloseTo(-0.24, 12);
  });

  it('forecasts nothing and measures nothing without history', () => {
    const forecast = forecastOffered({ history: [], openDates: [], start: '2026-03-30' });
    expect(forecast.weeksUsed).toBe(0);
    expect(forecast.cells.every((c) => c.offered === null && c.days === 0)).toBe(true);
    expect(forecast.ahtSeconds).toBeNull();
    expect(forecast.backtest).toEqual({ weeks: 0, actual: 0, forecast: 0, absoluteError: 0, wape: null, bias: null });
  });
});

describe('bad input', () => {
  const ok = { date: '2026-03-02', hour: 9, offered: 1 };

  it('names the row and field', () => {
    const call = (row: HourlyHistoryRow) =>
      forecastOffered({ history: [ok, row], openDates: ['2026-03-02'], start: '2026-03-30' });
    expect(() => call({ ...ok, hour: 24 })).toThrow(InvalidStaffingInputError);
    expect(() => call({ ...ok, hour: 24 })).toThrow('history[1].hour: 24 is not an hour 0–23');
    expect(() => call({ ...ok, date: '2026-02-30' })).toThrow('history[1].date: 2026-02-30 is not a calendar date');
    expect(() => call({ ...ok, offered: -1 })).toThrow('history[1].offered: -1 is not a number ≥ 0');
    expect(() => call({ ...ok, handleSeconds: Number.NaN })).toThrow('history[1].handleSeconds');
  });

  it('refuses a bad start, open date or number of weeks', () => {
    expect(() => forecastOffered({ history: [], openDates: [], start: '30/03/2026' })).toThrow(/^start: /);
    expect(() => forecastOffered({ history: [], openDates: ['2026-3-2'], start: '2026-03-30' })).toThrow(
      /^openDates\[0\]: /,
    );
    expect(() => forecastOffered({ history: [], openDates: [], start: '2026-03-30', weeks: 0 })).toThrow(/^weeks: /);
  });
});
