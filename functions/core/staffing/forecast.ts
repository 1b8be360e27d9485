/**
 * Next period's offered contacts per weekday and local hour, for the staffing plan: the mean of the same
 * weekday-hour over the open days of the last four weeks (a seasonal average, the "same weekday of the four
 * weeks before" the report already compares days with), and its error measured the only honest way, by
 * backtest: each of the last four weeks forecast from the four weeks before it (a rolling forecast origin,
 * "time series cross-validation" in Hyndman & Athanasopoulos, Forecasting: Principles and Practice,
 * https://otexts.com/fpp3/), then WAPE and bias over them.
 *
 * Why no library: the npm registry's forecasting packages are SARIMA (`arima`, a WebAssembly build) or small
 * one-author utilities; no maintained Holt-Winters. A seasonal model with a 168-hour week has one observation
 * per seasonal slot per week, so on the four to eight weeks a client has it has almost nothing to estimate,
 * and it breaks down for a client with two weeks of history. The seasonal average has nothing to fit, uses the
 * weeks that exist, and its backtest error is printed beside it, so the reader sees how far to trust it.
 *
 * WAPE = Σ|actual − forecast| / Σ actual over every open (date, hour) of the backtest weeks, as Amazon Forecast
 * defines it ("Evaluating Predictor Accuracy", https://docs.aws.amazon.com/forecast/latest/dg/metrics.html): it
 * stays defined when single hours have 0 calls, where MAPE divides by zero. Bias = Σ(forecast − actual) /
 * Σ actual: positive means the method forecast too many.
 */
import { addDays, daysBetween, isoWeekday } from '../kpis/periods.ts';
import { InvalidStaffingInputError } from './errors.ts';

/** Offered contacts of one local date and hour; rows of the same date and hour add up. */
export interface HourlyHistoryRow {
  /** local business date YYYY-MM-DD */
  date: string;
  /** local hour 0–23 */
  hour: number;
  offered: number;
  /** answered contacts and their summed handle seconds, for the hour's AHT; leave out when unknown */
  answered?: number;
  handleSeconds?: number;
}

export interface ForecastInput {
  history: readonly HourlyHistoryRow[];
  /**
   * Dates that were open and whose data is complete. A date not listed (closed, a holiday, a day whose export
   * is missing) is left out of every mean, never counted as a day of 0 calls.
   */
  openDates: readonly string[];
  /** first date of the period to forecast; only history before it is read */
  start: string;
  /** weeks averaged, and weeks backtested (default 4) */
  weeks?: number;
}

export interface ForecastCell {
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  hour: number;
  /** mean offered of this weekday-hour over the open days of the window; null when no such day was open */
  offered: number | null;
  /** open days of this weekday in the window */
  days: number;
}

export interface ForecastAccuracy {
  /** weeks backtested: of the last `weeks`, those with an open day and at least one week of history before */
  weeks: number;
  actual: number;
  forecast: number;
  absoluteError: number;
  /** Σ|actual − forecast| / Σ actual; null when nothing was offered in the backtest weeks */
  wape: number | null;
  /** Σ(forecast − actual) / Σ actual; positive = forecast too high */
  bias: number | null;
}

export interface Forecast {
  start: string;
  weeksWanted: number;
  /** weeks of the window with at least one open day: fewer than wanted for a new client */
  weeksUsed: number;
  /** 7 × 24 cells, Monday 0 h first */
  cells: ForecastCell[];
  /** per local hour (index 0–23): handle seconds / answered over the window, null without answered contacts */
  ahtSecondsByHour: (number | null)[];
  /** the same over every hour of the window */
  ahtSeconds: number | null;
  backtest: ForecastAccuracy;
}

interface HourTotals {
  offered: number;
  answered: number;
  handleSeconds: number;
}

/** History summed per date and hour; one pass, so the backtest's five windows read the same map. */
type HistoryIndex = Map<string, HourTotals[]>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function requireDate(field: string, value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new InvalidStaffingInputError(field, `${JSON.stringify(value)} is not a date YYYY-MM-DD`);
  }
  try {
    if (addDays(value, 0) !== value) throw new Error('not a calendar date');
  } catch (cause) {
    throw new InvalidStaffingInputError(field, `${value} is not a calendar date`, { cause });
  }
  return value;
}

function requireCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidStaffingInputError(field, `${JSON.stringify(value)} is not a number ≥ 0`);
  }
  return value;
}

function indexHistory(history: readonly HourlyHistoryRow[]): HistoryIndex {
  const index: HistoryIndex = new Map();
  history.forEach((row, i) => {
    const at = `history[${i}]`;
    const date = requireDate(`${at}.date`, row.date);
    if (!Number.isInteger(row.hour) || row.hour < 0 || row.hour > 23) {
      throw new InvalidStaffingInputError(`${at}.hour`, `${JSON.stringify(row.hour)} is not an hour 0–23`);
    }
    const offered = requireCount(`${at}.offered`, row.offered);
    const answered = row.answered === undefined ? 0 : requireCount(`${at}.answered`, row.answered);
    const handle = row.handleSeconds === undefined ? 0 : requireCount(`${at}.handleSeconds`, row.handleSeconds);
    let hours = index.get(date);
    if (hours === undefined) {
      hours = Array.from({ length: 24 }, () => ({ offered: 0, answered: 0, handleSeconds: 0 }));
      index.set(date, hours);
    }
    const slot = hours[row.hour]!;
    slot.offered += offered;
    slot.answered += answered;
    slot.handleSeconds += handle;
  });
  return index;
}

const weekdayOf = (date: string): number => isoWeekday(date) - 1;

/** Open dates of [start − 7·weeks, start − 1]. */
function windowDates(open: ReadonlySet<string>, start: string, weeks: number): string[] {
  const dates: string[] = [];
  for (let d = addDays(start, -7 * weeks); d < start; d = addDays(d, 1)) if (open.has(d)) dates.push(d);
  return dates;
}

function seasonalCells(index: HistoryIndex, dates: readonly string[]): ForecastCell[] {
  const days = new Array<number>(7).fill(0);
  const sums = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const date of dates) {
    const weekday = weekdayOf(date);
    days[weekday]! += 1;
    const hours = index.get(date);
    if (hours !== undefined) hours.forEach((slot, hour) => (sums[weekday]![hour]! += slot.offered));
  }
  const cells: ForecastCell[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    const n = days[weekday]!;
    for (let hour = 0; hour < 24; hour++) {
      cells.push({ weekday, hour, offered: n === 0 ? null : sums[weekday]![hour]! / n, days: n });
    }
  }
  return cells;
}

function handleTimes(index: HistoryIndex, dates: readonly string[]): Pick<Forecast, 'ahtSecondsByHour' | 'ahtSeconds'> {
  const answered = new Array<number>(24).fill(0);
  const handle = new Array<number>(24).fill(0);
  for (const date of dates) {
    index.get(date)?.forEach((slot, hour) => {
      answered[hour]! += slot.answered;
      handle[hour]! += slot.handleSeconds;
    });
  }
  const totalAnswered = answered.reduce((s, n) => s + n, 0);
  const totalHandle = handle.reduce((s, n) => s + n, 0);
  return {
    // Weighted by answered contacts: an hour's AHT is its handle time over its calls, not a mean of daily AHTs.
    ahtSecondsByHour: answered.map((n, hour) => (n === 0 ? null : handle[hour]! / n)),
    ahtSeconds: totalAnswered === 0 ? null : totalHandle / totalAnswered,
  };
}

function weeksWithOpenDays(dates: readonly string[], start: string): number {
  return new Set(dates.map((d) => Math.floor((daysBetween(d, start) - 1) / 7))).size;
}

/**
 * Each of the last `weeks` weeks forecast from the `weeks` weeks before it. An open day of a weekday the
 * earlier weeks never had open is forecast 0, as the plan would have staffed it.
 */
function backtest(index: HistoryIndex, open: ReadonlySet<string>, start: string, weeks: number): ForecastAccuracy {
  let tested = 0;
  let actual = 0;
  let forecast = 0;
  let absoluteError = 0;
  for (let k = 1; k <= weeks; k++) {
    const weekStart = addDays(start, -7 * k);
    const targetDates = windowDates(open, addDays(weekStart, 7), 1);
    const before = windowDates(open, weekStart, weeks);
    if (targetDates.length === 0 || before.length === 0) continue;
    tested += 1;
    const cells = seasonalCells(index, before);
    for (const date of targetDates) {
      const hours = index.get(date);
      for (let hour = 0; hour < 24; hour++) {
        const a = hours?.[hour]!.offered ?? 0;
        const f = cells[weekdayOf(date) * 24 + hour]!.offered ?? 0;
        actual += a;
        forecast += f;
        absoluteError += Math.abs(a - f);
      }
    }
  }
  return {
    weeks: tested,
    actual,
    forecast,
    absoluteError,
    wape: actual === 0 ? null : absoluteError / actual,
    bias: actual === 0 ? null : (forecast - actual) / actual,
  };
}

export function forecastOffered(input: ForecastInput): Forecast {
  const start = requireDate('start', input.start);
  const weeks = input.weeks ?? 4;
  if (!Number.isInteger(weeks) || weeks < 1) {
    throw new InvalidStaffingInputError('weeks', `${String(weeks)} is not a whole number of weeks ≥ 1`);
  }
  const open = new Set(input.openDates.map((d, i) => requireDate(`openDates[${i}]`, d)));
  const index = indexHistory(input.history);
  const dates = windowDates(open, start, weeks);
  return {
    start,
    weeksWanted: weeks,
    weeksUsed: weeksWithOpenDays(dates, start),
    cells: seasonalCells(index, dates),
    ...handleTimes(index, dates),
    backtest: backtest(index, open, start, weeks),
  };
}
