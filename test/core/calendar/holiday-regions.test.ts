import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { HOLIDAY_COUNTRIES, holidayStates, isHolidayRegion } from '../../../functions/core/calendar/holiday-regions.ts';

describe('the places whose holidays are known', () => {
  it('are exactly the installed date-holidays\' countries and states (update the table with the library)', () => {
    const library = new Holidays();
    const countries = Object.keys(library.getCountries()).sort();
    expect([...HOLIDAY_COUNTRIES].sort()).toEqual(countries);
    for (const country of countries) expect(holidayStates(country), country).toEqual(Object.keys(library.getStates(country) ?? {}));
  });

  it('takes a country or a country and one of its states, in capitals', () => {
    expect(['KR', 'US', 'DE-BY', 'GB-ENG', 'US-CA'].every(isHolidayRegion)).toBe(true);
    expect(['kr', 'KP', 'DE-XX', 'KR-11', 'DE-BY-X', '', 'USA'].some(isHolidayRegion)).toBe(false);
  });
});
