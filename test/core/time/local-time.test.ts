import { describe, expect, it } from 'vitest';
import {
  InvalidTimeZoneError,
  daysFromCivil,
  localTimeConverter,
  localToEpochMs,
  parseFixedOffset,
} from '../../../functions/core/time/local-time.ts';

const iso = (d: Date): string => d.toISOString();

describe('daysFromCivil', () => {
  it('counts days from 1970-01-01', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1970, 1, 2)).toBe(1);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    // 2000-03-01: 30 years (7 leap days: 72,76,80,84,88,92,96) + Jan 31 + Feb 29 (2000 is a leap year)
    expect(daysFromCivil(2000, 3, 1)).toBe(30 * 365 + 7 + 31 + 29);
  });
  it('lets a day past the month end run into the next month', () => {
    expect(daysFromCivil(1999, 2, 29)).toBe(daysFromCivil(1999, 3, 1));
    expect(daysFromCivil(1999, 12, 32)).toBe(daysFromCivil(2000, 1, 1));
  });
});

describe('parseFixedOffset', () => {
  it('reads ±HH:MM, ±HHMM, ±HH and Z', () => {
    expect(parseFixedOffset('+09:00')).toBe(9 * 3_600_000);
    expect(parseFixedOffset('-05:00')).toBe(-5 * 3_600_000);
    expect(parseFixedOffset('+0530')).toBe(5.5 * 3_600_000);
    expect(parseFixedOffset('-03')).toBe(-3 * 3_600_000);
    expect(parseFixedOffset('Z')).toBe(0);
    expect(parseFixedOffset('Asia/Seoul')).toBeUndefined();
    expect(parseFixedOffset('+25:00')).toBeUndefined();
  });
});

describe('localTimeConverter', () => {
  it('Asia/Seoul is UTC+9 all year (no DST)', () => {
    const seoul = localTimeConverter('Asia/Seoul');
    expect(iso(seoul(2026, 1, 15, 9, 0, 0, 0))).toBe('2026-01-15T00:00:00.000Z');
    expect(iso(seoul(2026, 7, 15, 9, 0, 0, 0))).toBe('2026-07-15T00:00:00.000Z');
    // local midnight is the previous UTC day
    expect(iso(seoul(2026, 3, 1, 0, 30, 15, 250))).toBe('2026-02-28T15:30:15.250Z');
  });

  it('America/New_York spring-forward gap (2026-03-08 02:00 → 03:00) moves forward', () => {
    const ny = localTimeConverter('America/New_York');
    expect(iso(ny(2026, 3, 8, 1, 59, 59, 0))).toBe('2026-03-08T06:59:59.000Z'); // EST, UTC-5
    // 02:30 does not exist: read with EST (-5) = 07:30Z, which is 03:30 EDT
    expect(iso(ny(2026, 3, 8, 2, 30, 0, 0))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(ny(2026, 3, 8, 3, 0, 0, 0))).toBe('2026-03-08T07:00:00.000Z'); // EDT, UTC-4
    expect(iso(ny(2026, 3, 8, 3, 30, 0, 0))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('America/New_York fall-back overlap (2026-11-01 01:00–02:00 twice) takes the earlier instant', () => {
    const ny = localTimeConverter('America/New_York');
    expect(iso(ny(2026, 11, 1, 0, 30, 0, 0))).toBe('2026-11-01T04:30:00.000Z'); // EDT
    // 01:30 EDT = 05:30Z and 01:30 EST = 06:30Z: the earlier
    expect(iso(ny(2026, 11, 1, 1, 30, 0, 0))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(ny(2026, 11, 1, 2, 30, 0, 0))).toBe('2026-11-01T07:30:00.000Z'); // EST
  });

  it('fixed offsets', () => {
    expect(iso(localTimeConverter('+09:00')(2026, 1, 1, 0, 0, 0, 0))).toBe('2025-12-31T15:00:00.000Z');
    expect(iso(localTimeConverter('-05:00')(2026, 7, 1, 12, 0, 0, 0))).toBe('2026-07-01T17:00:00.000Z');
    expect(iso(localTimeConverter('Z')(2026, 7, 1, 12, 0, 0, 0))).toBe('2026-07-01T12:00:00.000Z');
  });

  it('Europe/London: GMT in winter, BST in summer, gap and overlap at 01:00 UTC', () => {
    const london = localTimeConverter('Europe/London');
    expect(iso(london(2026, 1, 15, 12, 0, 0, 0))).toBe('2026-01-15T12:00:00.000Z');
    expect(iso(london(2026, 7, 15, 12, 0, 0, 0))).toBe('2026-07-15T11:00:00.000Z');
    // 2026-03-29 01:30 does not exist (01:00 GMT → 02:00 BST): read with GMT = 01:30Z (02:30 BST)
    expect(iso(london(2026, 3, 29, 1, 30, 0, 0))).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 01:30 exists as BST (00:30Z) and GMT (01:30Z): the earlier, unlike luxon east of Greenwich
    expect(iso(london(2026, 10, 25, 1, 30, 0, 0))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('Asia/Jerusalem in February 1999 is UTC+2 (the Anonymous Bank data)', () => {
    expect(iso(localTimeConverter('Asia/Jerusalem')(1999, 2, 1, 7, 2, 47, 0))).toBe('1999-02-01T05:02:47.000Z');
  });

  it('a transition inside an hour (Australia/Lord_Howe +10:30 → +11 at 02:00 on 2026-10-04)', () => {
    const lordHowe = localTimeConverter('Australia/Lord_Howe');
    expect(iso(lordHowe(2026, 10, 4, 1, 45, 0, 0))).toBe('2026-10-03T15:15:00.000Z');
    // 02:15 is in the 30-minute gap: read with +10:30
    expect(iso(lordHowe(2026, 10, 4, 2, 15, 0, 0))).toBe('2026-10-03T15:45:00.000Z');
    expect(iso(lordHowe(2026, 10, 4, 2, 45, 0, 0))).toBe('2026-10-03T15:45:00.000Z');
  });

  it('every hour of a New York year renders back (via Intl) as the asked wall time, except the gap', () => {
    // independent reference: Intl's own rendering of each resulting instant must show the asked wall time,
    // except in the gap hour
    const toMs = localToEpochMs('America/New_York');
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    let mismatches = 0;
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day));
      for (let hour = 0; hour < 24; hour++) {
        const y = date.getUTCFullYear();
        const mo = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        const shown = format.format(new Date(toMs(y, mo, d, hour, 17, 0, 0)));
        const asked = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}, ${String(hour).padStart(2, '0')}:17`;
        if (shown !== asked) mismatches++;
      }
    }
    expect(mismatches).toBe(1); // 2026-03-08 02:17 only
  });

  it('rejects an unknown zone', () => {
    expect(() => localTimeConverter('Mars/Olympus')).toThrow(InvalidTimeZoneError);
  });
});
