/**
 * Public holidays of a country (or one of its states), by local date, with their names in the country's own
 * language. Two maintained libraries, each where it is right:
 *
 * - Korea (KR): @hyunbinseo/holidays-kr, which copies the 월력요항 that 우주항공청 publishes in the official gazette
 *   each year (천문법 §5), amended as holidays are proclaimed later: election days (2026-06-03
 *   전국동시지방선거), temporary holidays (2025-01-27 임시공휴일), every 대체공휴일, and law changes such as 제헌절
 *   and 노동절 becoming public holidays in 2026 (https://github.com/hyunbinseo/holidays-kr, src/holidays/2026.ts).
 *   date-holidays computes Korea by rule and is wrong where it matters to a contact center: its 설날 spans the
 *   day itself and the two after, so in 2026 it closes 02-17…02-19 instead of 02-16…02-18 (its own
 *   data/countries/KR.yaml says so: "the underlying `korean 01-0-01 P3D` 3-day span is anchored at 당일 instead
 *   of 전날"), and it knows no election or temporary holiday.
 * - Every other country: date-holidays (https://github.com/commenthol/date-holidays), which covers about 200
 *   countries and their states with substitute days ("Independence Day (substitute day)" on Friday 2026-07-03).
 *   Only its type `public` counts: `bank`, `school`, `optional` and `observance` days (a bank holiday that
 *   closes banks only, Valentine's Day) do not close a contact center. A public holiday that starts in the
 *   afternoon (China's half-day 国际妇女节 for women) does not close the day either.
 *
 * The gazette data covers the years the installed package has (2018–2027 in 5.2027.1; a new year is added when
 * 우주항공청 publishes it, around June of the year before). For a Korean year outside them the rules of
 * date-holidays stand in, and `holidaySourceOf` says so, so `cspulse config check` can warn that the package
 * wants updating.
 */
import * as gazette from '@hyunbinseo/holidays-kr/all';
import Holidays from 'date-holidays';

/** Local date → holiday name (several names joined by ", ", as on 2025-05-05 어린이날, 부처님 오신 날). */
export type HolidayNames = ReadonlyMap<string, string>;

const KR_GAZETTE: ReadonlyMap<number, Readonly<Record<string, readonly string[]>>> = new Map(
  Object.entries(gazette)
    .filter(([key]) => /^y\d{4}$/.test(key))
    .map(([key, preset]) => [Number(key.slice(1)), preset as Readonly<Record<string, readonly string[]>>]),
);

/** Years the Korean gazette data covers, ascending. */
export const KR_GAZETTE_YEARS: readonly number[] = [...KR_GAZETTE.keys()].sort((a, b) => a - b);

export type HolidaySource = 'gazette' | 'rules';

/** Where a place's holidays of a year come from: the Korean gazette, or date-holidays' rules. */
export function holidaySourceOf(region: string, year: number): HolidaySource {
  return region === 'KR' && KR_GAZETTE.has(year) ? 'gazette' : 'rules';
}

const DAY_MS = 86_400_000;
const libraries = new Map<string, Holidays>();
const years = new Map<string, HolidayNames>();

function libraryFor(region: string): Holidays {
  let library = libraries.get(region);
  if (library === undefined) {
    const [country, state] = region.split('-') as [string, string | undefined];
    // The country's own language first (ko, ja, de): the names the client's people use.
    library = state === undefined ? new Holidays(country) : new Holidays(country, state);
    libraries.set(region, library);
  }
  return library;
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** date-holidays' public holidays that touch a year, each day of a multi-day holiday (春节) on its own date. */
function fromRules(region: string, year: number): Map<string, string> {
  const names = new Map<string, string>();
  const library = libraryFor(region);
  // A holiday of the year before may run into this one (a span over New Year).
  for (const holiday of [...library.getHolidays(year - 1), ...library.getHolidays(year)]) {
    if (holiday.type !== 'public' || holiday.date.slice(11, 19) !== '00:00:00') continue;
    // `date` is the local start ("2026-02-16 00:00:00"); start and end are instants, a whole number of days
    // apart but for a daylight-saving change inside the span.
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    for (let i = 0; i < length; i++) {
      const date = addDays(holiday.date.slice(0, 10), i);
      if (Number(date.slice(0, 4)) !== year) continue;
      const before = names.get(date);
      if (before === undefined) names.set(date, holiday.name);
      else if (!before.split(', ').includes(holiday.name)) names.set(date, `${before}, ${holiday.name}`);
    }
  }
  return names;
}

/** Public holidays of a place in a year; computed once per place and year. */
export function publicHolidays(region: string, year: number): HolidayNames {
  const key = `${region}:${year}`;
  let names = years.get(key);
  if (names === undefined) {
    const preset = region === 'KR' ? KR_GAZETTE.get(year) : undefined;
    names =
      preset === undefined
        ? fromRules(region, year)
        : new Map(Object.entries(preset).map(([date, list]) => [date, list.join(', ')]));
    years.set(key, names);
  }
  return names;
}

/** The public holiday on a local date (YYYY-MM-DD), or null. */
export function publicHolidayName(region: string, date: string): string | null {
  return publicHolidays(region, Number(date.slice(0, 4))).get(date) ?? null;
}
