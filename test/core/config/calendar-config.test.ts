import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config/errors.ts';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';

const client = (calendar: string, head = 'timezone: Asia/Seoul\n'): string =>
  `id: acme\nname: ACME\n${head}sources: [{ id: cti, format: cspulse-csv, channel: phone }]\n` +
  `contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [lead@acme.example] }\ncalendar:\n${calendar}`;

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parseClientConfig(text, 'clients/acme.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('calendar config', () => {
  it('fills the defaults: holidays on, every weekday all day for a bare channel, one group for one object', () => {
    const config = parseClientConfig(
      client('  - phone: { days: mon-fri, hours: "09:00-18:00" }\n    chat: {}\n    closed: [{ date: "2026-05-01", name: 근로자의 날, channels: [phone] }]\n'),
      'clients/acme.yaml',
    );
    expect(config.calendar).toEqual([
      {
        holidays: true,
        phone: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], hours: { from: '09:00', to: '18:00' } }],
        chat: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: { from: '00:00', to: '24:00' } }],
        closed: [{ date: '2026-05-01', name: '근로자의 날', channels: ['phone'] }],
        open: [],
      },
    ]);
  });

  it('names the field of bad hours, an unknown day and an unknown channel', () => {
    expect(issuesOf(client('  - phone: { days: mon-fri, hours: "18:00-09:00" }\n'))).toEqual([
      {
        path: 'calendar.0.phone.hours',
        message: '"18:00-09:00" closes before it opens; hours past midnight are not supported: write the evening as "…-24:00" and the night as "00:00-…" of the next day',
      },
    ]);
    expect(issuesOf(client('  - chat: [{ days: mon-fri }, { days: [sat, sundays] }]\n'))).toEqual([
      {
        path: 'calendar.0.chat.1.days',
        message: '"sundays" is not a day: use mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or holiday',
      },
    ]);
    const unknown = issuesOf(client('  - phone: {}\n    fax: {}\n'));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.path).toBe('calendar.0');
    expect(unknown[0]!.message).toMatch(/fax/);
    expect(issuesOf(client('  - phone: {}\n    closed: [{ date: "2026-05-01", channels: [fax] }]\n'))[0]!.path).toBe('calendar.0.closed.0.channels.0');
  });

  it('refuses a day with two sets of hours, and a closed day for a channel the version has no hours for', () => {
    expect(issuesOf(client('  - chat: [{ days: mon-fri, hours: "09:00-21:00" }, { days: [fri, sat], hours: "10:00-18:00" }]\n'))).toEqual([
      { path: 'calendar.0.chat.1.days', message: 'fri already has hours in entry 0: a day has one set of hours' },
    ]);
    expect(issuesOf(client('  - phone: {}\n    closed: [{ date: "2026-05-01", channels: [chat] }]\n'))).toEqual([
      { path: 'calendar.0.closed.0.channels', message: 'chat has no hours in this version' },
    ]);
  });

  it('refuses a date listed twice for a channel, in closed or in closed and open', () => {
    expect(
      issuesOf(client('  - phone: {}\n    chat: {}\n    closed: [{ date: "2026-05-01", channels: [phone] }, { date: "2026-04-30", until: "2026-05-02" }]\n')),
    ).toEqual([{ path: 'calendar.0.closed.1.date', message: '2026-05-01 (phone) is already listed in closed[0]' }]);
    expect(issuesOf(client('  - phone: {}\n    closed: [{ date: "2026-05-01" }]\n    open: [{ date: "2026-05-01" }]\n'))).toEqual([
      { path: 'calendar.0.open.0.date', message: '2026-05-01 (phone) is already listed in closed[0]' },
    ]);
  });

  it('refuses versions out of order, a later version without effective_from, and a day outside its version', () => {
    const versions =
      '  - phone: {}\n    closed: [{ date: "2026-08-03" }]\n' +
      '  - effective_from: "2026-07-01"\n    phone: {}\n' +
      '  - effective_from: "2026-03-01"\n    phone: {}\n' +
      '  - phone: {}\n';
    expect(issuesOf(client(versions))).toEqual([
      {
        path: 'calendar.0.closed.0.date',
        message: '2026-08-03 is outside the days this version is in force (the first days … the day before 2026-07-01), so it would never apply: list it in that version',
      },
      { path: 'calendar.2.effective_from', message: 'calendar versions must be in ascending effective_from order' },
      { path: 'calendar.3.effective_from', message: 'is required on every version but the first' },
    ]);
  });

  it('refuses a date that is not in the calendar, and a run of days longer than a closure', () => {
    expect(issuesOf(client('  - phone: {}\n    closed: [{ date: "2026-02-30" }]\n'))).toEqual([
      { path: 'calendar.0.closed.0.date', message: 'is not a date of the calendar' },
    ]);
    expect(issuesOf(client('  - phone: {}\n    closed: [{ date: "2026-01-01", until: "2026-12-31" }]\n'))).toEqual([
      { path: 'calendar.0.closed.0.until', message: 'covers more than 62 days: a closure that long is a change of hours (a new calendar version)' },
    ]);
  });

  it('needs a country whose holidays are known: the phone region, the zone\'s country, or one set', () => {
    const ok = (text: string) => parseClientConfig(text, 'clients/acme.yaml').calendar;
    expect(ok(client('  - phone: {}\n', 'timezone: UTC\nphone_region: KR\n'))).toHaveLength(1);
    expect(ok(client('  - phone: {}\n    country: DE-BY\n', 'timezone: UTC\nphone_region: KR\n'))![0]!.country).toBe('DE-BY');
    expect(issuesOf(client('  - phone: {}\n', 'timezone: Asia/Seoul\nphone_region: KP\n'))).toEqual([
      { path: 'calendar.0.country', message: "no public holidays are known for KP (the client's phone_region): set country, or holidays: false" },
    ]);
    expect(ok(client('  - phone: {}\n    holidays: false\n', 'timezone: Asia/Seoul\nphone_region: KP\n'))![0]!.holidays).toBe(false);
    expect(issuesOf(client('  - phone: {}\n    country: Korea\n'))).toEqual([
      {
        path: 'calendar.0.country',
        message: 'must be a country (ISO 3166-1 alpha-2, such as KR) or a state (ISO 3166-2, such as DE-BY) whose public holidays are known',
      },
    ]);
    expect(issuesOf(client('  - phone: {}\n', 'timezone: UTC\n'))).toContainEqual({
      path: 'calendar.0.country',
      message: 'timezone UTC is not the zone of one country: set the country whose public holidays apply, such as KR, or holidays: false',
    });
  });
});
