import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { holidaySourceOf, KR_GAZETTE_YEARS, publicHolidayName, publicHolidays } from '../../../functions/core/calendar/public-holidays.ts';

const sorted = (names: ReadonlyMap<string, string>) => [...names.keys()].sort();

describe('Korean public holidays (the gazette, @hyunbinseo/holidays-kr)', () => {
  it('2025 as proclaimed: the 2025 월력요항 plus the temporary holidays of 1/27 and of the presidential election', () => {
    // 우주항공청, 2025년도 월력요항 (2024-06-20): 설날 1/28–30, 3/3 대체공휴일 (3·1절 on a Saturday), 5/5 어린이날 and
    // 부처님 오신 날 on one day with 5/6 대체공휴일, 추석 10/5–7 with 10/8 대체공휴일 (10/5 a Sunday). Proclaimed later:
    // 1/27 임시공휴일 (국무회의 2025-01-08) and 6/3 임시공휴일 (제21대 대통령선거).
    expect(sorted(publicHolidays('KR', 2025))).toEqual([
      '2025-01-01', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-03-01', '2025-03-03',
      '2025-05-05', '2025-05-06', '2025-06-03', '2025-06-06', '2025-08-15', '2025-10-03', '2025-10-05',
      '2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-12-25',
    ]);
    expect(publicHolidayName('KR', '2025-05-05')).toBe('어린이날, 부처님 오신 날');
    expect(publicHolidayName('KR', '2025-06-03')).toBe('임시공휴일(대통령선거)');
  });

  it('2026 as proclaimed: substitutes, 설날 and 추석, the local elections, and the holidays the 2026 law changes added', () => {
    // 우주항공청, 2026년도 월력요항 (2025-06-30): 설날 2/16–18; 3/2 대체공휴일 (3·1절 on a Sunday); 5/25 대체공휴일
    // (부처님 오신 날 5/24, a Sunday); 8/17 and 10/5 대체공휴일 (광복절, 개천절 on Saturdays); 추석 9/24–26; 한글날 10/9.
    // 6/3 제9회 전국동시지방선거: an election day is a public holiday (관공서의 공휴일에 관한 규정 §2). 7/17 제헌절
    // and 5/1 노동절 became public holidays by the 2026 amendments, after the 월력요항 was published; the package
    // follows them (github.com/hyunbinseo/holidays-kr src/holidays/2026.ts, commit 11ee4cc9).
    expect(sorted(publicHolidays('KR', 2026))).toEqual([
      '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-03-01', '2026-03-02', '2026-05-01',
      '2026-05-05', '2026-05-24', '2026-05-25', '2026-06-03', '2026-06-06', '2026-07-17', '2026-08-15',
      '2026-08-17', '2026-09-24', '2026-09-25', '2026-09-26', '2026-10-03', '2026-10-05', '2026-10-09',
      '2026-12-25',
    ]);
    expect(publicHolidayName('KR', '2026-03-02')).toBe('대체공휴일(3ㆍ1절)');
    expect(publicHolidayName('KR', '2026-06-03')).toBe('전국동시지방선거');
    expect(publicHolidayName('KR', '2026-10-05')).toBe('대체공휴일(개천절)');
    expect(publicHolidayName('KR', '2026-03-03')).toBeNull();
    expect(holidaySourceOf('KR', 2026)).toBe('gazette');
  });

  it('is why Korea does not use date-holidays: its rule puts 설날 2026 on 2/17–19 and knows no election day', () => {
    const rules = new Holidays('KR').getHolidays(2026).find((h) => h.name === '설날')!;
    // its span starts on 설날 itself (2/17, local midnight) and runs three days, one past 설날 다음 날
    expect([rules.start.toISOString(), rules.end.toISOString()]).toEqual(['2026-02-16T15:00:00.000Z', '2026-02-19T15:00:00.000Z']);
    expect(new Holidays('KR').isHoliday(new Date('2026-06-03T03:00:00Z'))).toBe(false);
  });

  it('falls back to date-holidays\' rules for a Korean year the gazette data does not have yet, and says so', () => {
    const after = KR_GAZETTE_YEARS.at(-1)! + 1;
    expect(holidaySourceOf('KR', after)).toBe('rules');
    expect(publicHolidayName('KR', `${after}-03-01`)).toBe('3·1절');
  });
});

describe('public holidays of other countries (date-holidays)', () => {
  it('US 2026: the federal holidays with Independence Day observed on Friday 7/3 and Thanksgiving on 11/26', () => {
    // OPM, Federal Holidays 2026 (opm.gov/policy-data-oversight/pay-leave/federal-holidays): 1/1, 1/19, 2/16, 5/25,
    // 6/19, 7/3 (Independence Day, observed: 7/4 is a Saturday), 9/7, 10/12, 11/11, 11/26, 12/25. date-holidays also
    // keeps Saturday 7/4 itself.
    expect(sorted(publicHolidays('US', 2026))).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-07-04',
      '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
    expect(publicHolidayName('US', '2026-07-03')).toBe('Independence Day (substitute day)');
    expect(publicHolidayName('US', '2026-11-26')).toBe('Thanksgiving Day');
    // observances do not close a service
    expect(publicHolidayName('US', '2026-02-14')).toBeNull();
    expect(publicHolidayName('US', '2026-11-27')).toBeNull();
  });

  it('JP 2026: the 16 国民の祝日 with the 振替休日 of 5/6 and the 国民の休日 of 9/22, named in Japanese', () => {
    // 内閣府「国民の祝日について」, 令和8年（2026年）: 1/1 1/12 2/11 2/23 3/20 4/29 5/3 5/4 5/5 7/20 8/11 9/21 9/23
    // 10/12 11/3 11/23; 5/6 is a substitute holiday (祝日法 §3.2), 9/22 a 国民の休日 (§3.3). The bank holidays of 1/2,
    // 1/3 and 12/31 are not public holidays.
    expect(sorted(publicHolidays('JP', 2026))).toEqual([
      '2026-01-01', '2026-01-12', '2026-02-11', '2026-02-23', '2026-03-20', '2026-04-29', '2026-05-03',
      '2026-05-04', '2026-05-05', '2026-05-06', '2026-07-20', '2026-08-11', '2026-09-21', '2026-09-22',
      '2026-09-23', '2026-10-12', '2026-11-03', '2026-11-23',
    ]);
    expect(publicHolidayName('JP', '2026-09-22')).toBe('国民の休日');
  });

  it('a state has its own: Bavaria closes on Epiphany and England on its summer bank holiday, the whole country does not', () => {
    expect(publicHolidayName('DE-BY', '2026-01-06')).toBe('Heilige Drei Könige');
    expect(publicHolidayName('DE', '2026-01-06')).toBeNull();
    expect(publicHolidayName('GB-ENG', '2026-08-31')).toBe('Summer bank holiday');
    expect(publicHolidayName('GB', '2026-08-31')).toBeNull();
  });

  it('gives each day of a multi-day holiday its own date, and leaves half-day holidays out', () => {
    // 春节 2026: 2/16–2/18 in date-holidays (three one-day entries); 国庆节 10/1–10/3
    expect(['2026-02-16', '2026-02-17', '2026-02-18', '2026-10-03'].map((d) => publicHolidayName('CN', d))).toEqual(['春节', '春节', '春节', '国庆节']);
    // 国际妇女节 is a public half day (from 12:00) for women only: the contact center is open
    expect(publicHolidayName('CN', '2026-03-08')).toBeNull();
  });
});
