/**
 * The `dt` partition projection range against Athena's documented semantics
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html, "Date type"):
 * the range is two inclusive bounds, each a date in `projection.dt.format` or `NOW` with an optional
 * `(+|-) <n> <unit>`, and "projected date columns are generated in Coordinated Universal Time (UTC) at query
 * execution time". A date outside the range is not an error: the query just returns no rows for it
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html, considerations), which is why the
 * range must hold every date the lake can hold.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { lakeTables } from '../../functions/core/tables.ts';
import { projectionParameters } from '../../infra/constructs/lake-tables.ts';

/** The documented pattern of a relative bound. */
const RELATIVE = /^\s*NOW\s*(([+-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?)\s*)?$/;

/** A bound as Athena evaluates it at `now`: the UTC date it stands for (format yyyy-MM-dd). */
function bound(text: string, now: Date): string {
  const relative = RELATIVE.exec(text);
  if (!relative) return text.trim();
  let at = DateTime.fromJSDate(now, { zone: 'UTC' });
  if (relative[1]) {
    const unit = relative[4]!.toLowerCase().replace(/s?$/, 's') as 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds';
    at = at.plus({ [unit]: Number(relative[3]) * (relative[2] === '-' ? -1 : 1) });
  }
  return at.toFormat('yyyy-MM-dd');
}

function visible(range: string, dt: string, now: Date): boolean {
  const [from, to] = range.split(',');
  return dt >= bound(from!, now) && dt <= bound(to!, now);
}

const range = projectionParameters(lakeTables.contacts, 's3://lake')['projection.dt.range']!;

describe('partition projection of dt', () => {
  it('shows a Seoul morning: at 08:00 KST on 2 March the UTC date is still 1 March', () => {
    // 2026-03-02 08:00 Asia/Seoul (UTC+9) = 2026-03-01 23:00 UTC
    const now = new Date('2026-03-01T23:00:00Z');
    expect(visible(range, '2026-03-02', now)).toBe(true);
    // the range cspulse used to have hid it: NOW is 2026-03-01 in UTC
    expect(visible('2020-01-01,NOW', '2026-03-02', now)).toBe(false);
  });

  it("holds every zone's today at every hour of a day", () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (let hour = 0; hour < 24; hour++) {
        const now = new Date(Date.UTC(2026, 2, 1, hour, 30));
        const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
        expect(visible(range, today, now), `${zone} at ${now.toISOString()}`).toBe(true);
      }
    }
    // the furthest zone east: Kiritimati is UTC+14, on 2 March from 10:00 UTC on 1 March
    const now = new Date('2026-03-01T10:00:00Z');
    expect(DateTime.fromJSDate(now, { zone: 'Pacific/Kiritimati' }).toFormat('yyyy-MM-dd')).toBe('2026-03-02');
  });

  it('shows backfilled history: the 1999 bank calls and anything from 1970 on', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(visible(range, '1999-02-01', now)).toBe(true);
    expect(visible(range, '1970-01-01', now)).toBe(true);
    expect(visible('2020-01-01,NOW', '1999-02-01', now)).toBe(false);
  });

  it('is the same for both tables', () => {
    expect(projectionParameters(lakeTables.surveys, 's3://lake')['projection.dt.range']).toBe(range);
  });
});
