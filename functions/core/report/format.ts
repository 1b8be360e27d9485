/**
 * Locale-aware formatting of every number, amount, rate and date the report shows. One formatter per report so
 * the locale, currency and time zone are chosen once from the client config.
 */
import { DateTime } from 'luxon';
import { messagesFor, type Locale, type Messages } from './messages.ts';

export type ValueKind = 'count' | 'rate' | 'seconds' | 'score' | 'nps' | 'money' | 'decimal';

export interface Formatter {
  readonly locale: Locale;
  readonly messages: Messages;
  count(n: number | null): string;
  decimal(n: number | null, digits?: number): string;
  /** a fraction in [0, 1] shown as a percentage with one decimal */
  percent(fraction: number | null): string;
  money(amount: number | null): string;
  duration(seconds: number | null): string;
  value(kind: ValueKind, n: number | null): string;
  /** the value with two more digits than `value` shows, for when rounding would hide a difference */
  precise(kind: ValueKind, n: number | null): string;
  /** `absoluteChange` with two more digits */
  preciseChange(kind: ValueKind, delta: number): string;
  /** a change in percentage points from two fractions: "+2.1%p" / "+2.1 pp" */
  pointsChange(deltaFraction: number): string;
  /** a relative change: "+12.5%" */
  relativeChange(ratio: number): string;
  /** an absolute change in the unit of the value, always signed */
  absoluteChange(kind: ValueKind, delta: number): string;
  /** a local date YYYY-MM-DD in the report's language: "3월 4일 (수)" / "Wed 4 Mar"; with the year, no weekday */
  date(iso: string, withYear?: boolean): string;
  /** a short date for tables and charts: "3/4" / "4 Mar" */
  shortDate(iso: string): string;
  /** dates as short dates, consecutive days joined into a range: "3/2, 3/4–3/8" */
  dayList(isoDates: readonly string[]): string;
  /** an instant (ISO UTC) shown in the client's zone */
  instant(isoUtc: string): string;
  periodLabel(kind: 'daily' | 'weekly' | 'monthly', start: string, end: string): string;
}

const INTL_LOCALE: Record<Locale, string> = { ko: 'ko-KR', en: 'en-US' };

export function createFormatter(locale: Locale, currency: string, timezone: string): Formatter {
  const messages = messagesFor(locale);
  const intl = INTL_LOCALE[locale];
  const integer = new Intl.NumberFormat(intl, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(intl, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const moneyFormat = new Intl.NumberFormat(intl, { style: 'currency', currency });
  const signedOneDecimal = new Intl.NumberFormat(intl, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const dash = messages.dash;

  const decimal = (n: number | null, digits = 1): string =>
    n === null || !Number.isFinite(n)
      ? dash
      : new Intl.NumberFormat(intl, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

  const duration = (seconds: number | null): string => {
    if (seconds === null || !Number.isFinite(seconds)) return dash;
    const total = Math.round(seconds);
    if (total < 60) return messages.seconds(integer.format(total));
    if (total < 3600) {
      const m = integer.format(Math.floor(total / 60));
      return total % 60 === 0 ? messages.minutes(m) : messages.minutesSeconds(m, integer.format(total % 60));
    }
    const minutes = Math.round(total / 60);
    return messages.hoursMinutes(integer.format(Math.floor(minutes / 60)), integer.format(minutes % 60));
  };

  const count = (n: number | null): string => (n === null || !Number.isFinite(n) ? dash : integer.format(n));
  const percent = (f: number | null): string =>
    f === null || !Number.isFinite(f) ? dash : `${oneDecimal.format(f * 100)}%`;
  const money = (amount: number | null): string =>
    amount === null || !Number.isFinite(amount) ? dash : moneyFormat.format(amount);

  const value = (kind: ValueKind, n: number | null): string => {
    switch (kind) {
      case 'count':
        return count(n);
      case 'rate':
        return percent(n);
      case 'seconds':
        return duration(n);
      case 'score':
        return decimal(n, 2);
      case 'nps':
        return decimal(n, 1);
      case 'money':
        return money(n);
      case 'decimal':
        return decimal(n, 1);
    }
  };

  const signed = (n: number, digits: number): string =>
    new Intl.NumberFormat(intl, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: 'exceptZero',
    }).format(n);

  const dateTime = (iso: string) => DateTime.fromISO(iso, { zone: timezone }).setLocale(intl);
  const shortDate = (iso: string): string => {
    const d = dateTime(iso);
    return locale === 'ko' ? `${d.month}/${d.day}` : d.toFormat('d LLL');
  };

  return {
    locale,
    messages,
    count,
    decimal,
    percent,
    money,
    duration,
    value,
    precise: (kind, n) => {
      if (n === null || !Number.isFinite(n)) return dash;
      switch (kind) {
        case 'rate':
          return `${new Intl.NumberFormat(intl, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(n * 100)}%`;
        case 'score':
          return decimal(n, 4);
        case 'nps':
        case 'decimal':
          return decimal(n, 3);
        case 'seconds':
          return messages.seconds(new Intl.NumberFormat(intl, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n));
        default:
          return value(kind, n);
      }
    },
    preciseChange: (kind, delta) => {
      switch (kind) {
        case 'rate':
          return messages.pp(signed(delta * 100, 3));
        case 'score':
          return signed(delta, 4);
        case 'nps':
        case 'decimal':
          return signed(delta, 3);
        case 'seconds':
          return messages.seconds(signed(delta, 2));
        default:
          return signed(delta, 2);
      }
    },
    pointsChange: (delta) => messages.pp(signedOneDecimal.format(delta * 100)),
    relativeChange: (ratio) => `${signedOneDecimal.format(ratio * 100)}%`,
    absoluteChange: (kind, delta) => {
      switch (kind) {
        case 'count':
          return signed(delta, 0);
        case 'rate':
          return messages.pp(signedOneDecimal.format(delta * 100));
        case 'seconds': {
          const text = duration(Math.abs(delta));
          return Math.round(delta) === 0 ? text : `${delta > 0 ? '+' : '-'}${text}`;
        }
        case 'score':
          return signed(delta, 2);
        case 'nps':
        case 'decimal':
          return signed(delta, 1);
        case 'money': {
          const text = moneyFormat.format(Math.abs(delta));
          return `${delta > 0 ? '+' : delta < 0 ? '-' : ''}${text}`;
        }
      }
    },
    date: (iso, withYear = false) => {
      const d = dateTime(iso);
      if (locale === 'ko') return withYear ? `${d.year}년 ${d.month}월 ${d.day}일` : `${d.month}월 ${d.day}일 (${d.toFormat('ccc')})`;
      return d.toFormat(withYear ? 'd LLL yyyy' : 'ccc d LLL');
    },
    shortDate,
    dayList: (isoDates) => {
      const sorted = [...new Set(isoDates)].sort();
      const runs: [string, string][] = [];
      for (const d of sorted) {
        const last = runs.at(-1);
        if (last !== undefined && DateTime.fromISO(last[1], { zone: 'utc' }).plus({ days: 1 }).toISODate() === d) last[1] = d;
        else runs.push([d, d]);
      }
      return runs.map(([a, b]) => (a === b ? shortDate(a) : `${shortDate(a)}–${shortDate(b)}`)).join(', ');
    },
    instant: (isoUtc) => {
      const d = DateTime.fromISO(isoUtc, { zone: 'utc' }).setZone(timezone).setLocale(intl);
      return locale === 'ko' ? d.toFormat('yyyy-MM-dd HH:mm') : d.toFormat('d LLL yyyy HH:mm');
    },
    periodLabel: (kind, start, end) => {
      const s = dateTime(start);
      const e = dateTime(end);
      if (kind === 'daily') {
        return locale === 'ko'
          ? `${s.year}년 ${s.month}월 ${s.day}일 (${s.toFormat('ccc')})`
          : s.toFormat('ccc d LLL yyyy');
      }
      if (kind === 'weekly') {
        const week = s.weekNumber;
        return locale === 'ko'
          ? `${s.weekYear}년 ${week}주차 (${s.month}/${s.day}–${e.month}/${e.day})`
          : `Week ${week}, ${s.weekYear} (${s.toFormat('d LLL')}–${e.toFormat('d LLL')})`;
      }
      return locale === 'ko' ? `${s.year}년 ${s.month}월` : s.toFormat('LLLL yyyy');
    },
  };
}
