import { describe, expect, it } from 'vitest';
import { CalendarInputError } from '../../../functions/core/calendar/errors.ts';
import { resolveCalendar } from '../../../functions/core/calendar/operating-calendar.ts';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';

const shop = (calendar: string, head = 'timezone: Asia/Seoul\n') =>
  parseClientConfig(
    `id: shop\nname: Shop\n${head}sources: [{ id: cti, format: cspulse-csv, channel: phone }]\n` +
      `contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [lead@shop.example] }\n${calendar}`,
    'clients/shop.yaml',
  );

/** Phone on weekdays 09–18; chat weekdays 09–21 and 10–18 on weekends and public holidays (clients/example.yaml). */
const KR_SHOP = shop(
  'calendar:\n' +
    '  - phone: { days: mon-fri, hours: "09:00-18:00" }\n' +
    '    chat: [{ days: mon-fri, hours: "09:00-21:00" }, { days: [sat, sun, holiday], hours: "10:00-18:00" }]\n',
);

describe('operating calendar: a Korean shop', () => {
  const calendar = resolveCalendar(KR_SHOP);

  it('declares the channels it has hours for', () => {
    expect(calendar.channels).toEqual(['phone', 'chat']);
  });

  it('compares Monday 3/30 with Friday 3/27 on the phone, which has no Sunday service, and with Sunday in chat', () => {
    expect(calendar.day('phone', '2026-03-29')).toEqual({ dt: '2026-03-29', open: false, reason: 'weekday-closed', name: null, hours: null });
    expect(calendar.previousOpenDay('phone', '2026-03-30')).toBe('2026-03-27');
    expect(calendar.previousOpenDay('chat', '2026-03-30')).toBe('2026-03-29');
  });

  it('compares 3/3 with Friday 2/27: 3/1 (3·1절, a Sunday) and its substitute holiday 3/2 are closed', () => {
    expect(calendar.day('phone', '2026-03-02')).toEqual({ dt: '2026-03-02', open: false, reason: 'holiday', name: '대체공휴일(3ㆍ1절)', hours: null });
    expect(calendar.previousOpenDay('phone', '2026-03-03')).toBe('2026-02-27');
    // chat keeps its holiday hours on 3/2, so its day before 3/3 is 3/2
    expect(calendar.day('chat', '2026-03-02')).toEqual({
      dt: '2026-03-02',
      open: true,
      reason: 'open',
      name: '대체공휴일(3ㆍ1절)',
      hours: { from: '10:00', to: '18:00' },
    });
    expect(calendar.previousOpenDay('chat', '2026-03-03')).toBe('2026-03-02');
  });

  it('counts two open phone days in the week of 설날 (Mon 2/16 – Sun 2/22) and seven in chat', () => {
    expect(calendar.openDays('phone', { start: '2026-02-16', end: '2026-02-22' })).toEqual(['2026-02-19', '2026-02-20']);
    expect(calendar.openDays('chat', { start: '2026-02-16', end: '2026-02-22' })).toHaveLength(7);
    expect(calendar.day('phone', '2026-02-17').name).toBe('설날');
    // March 2026: 22 weekdays, less 3/2 → 21 open phone days
    expect(calendar.openDays('phone', { start: '2026-03-01', end: '2026-03-31' })).toHaveLength(21);
  });

  it('closes on 2026-06-03, the day of the local elections', () => {
    expect(calendar.day('phone', '2026-06-03')).toMatchObject({ open: false, reason: 'holiday', name: '전국동시지방선거' });
  });

  it('says which local hours are open: 09–18 is hours 9 to 17', () => {
    expect([8, 9, 17, 18].map((h) => calendar.isOpenHour('phone', '2026-03-03', h))).toEqual([false, true, true, false]);
    expect(calendar.isOpenHour('phone', '2026-03-02', 10)).toBe(false);
    expect([9, 10, 17, 18].map((h) => calendar.isOpenHour('chat', '2026-03-01', h))).toEqual([false, true, true, false]);
  });

  it('gives up looking back after maxDays', () => {
    expect(calendar.previousOpenDay('phone', '2026-03-03', 3)).toBeNull();
    expect(calendar.previousOpenDay('phone', '2026-03-03', 4)).toBe('2026-02-27');
  });

  it('refuses a date that is not one, a range that runs backwards and an hour past 23', () => {
    expect(() => calendar.day('phone', '2026-02-30')).toThrow(CalendarInputError);
    expect(() => calendar.isOpen('phone', '3/3/2026')).toThrow('not a local date YYYY-MM-DD: "3/3/2026"');
    expect(() => calendar.openDays('phone', { start: '2026-03-31', end: '2026-03-01' })).toThrow('range ends (2026-03-01) before it starts (2026-03-31)');
    expect(() => calendar.isOpenHour('phone', '2026-03-03', 24)).toThrow('not a local hour 0-23: 24');
  });

  it('has nothing to say about years the gazette data covers, and warns of a Korean year it does not', () => {
    expect(calendar.notes({ start: '2026-01-01', end: '2026-12-31' })).toEqual([]);
    const notes = calendar.notes({ start: '2027-12-15', end: '2028-01-15' });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^KR public holidays of 2028 are not in the installed @hyunbinseo\/holidays-kr \(it has 2018–2027\)/);
  });
});

describe('operating calendar: the client\'s own days, partial hours, versions', () => {
  const calendar = resolveCalendar(
    shop(
      'calendar:\n' +
        '  - phone: { days: mon-fri, hours: "09:30-17:15" }\n' +
        '    email: {}\n' +
        '    closed:\n' +
        '      - { date: "2026-03-13", name: 창립기념일, channels: [phone] }\n' +
        '      - { date: "2026-03-02" }\n' +
        '    open:\n' +
        '      - { date: "2026-03-14", name: 특별 상담, channels: [phone] }\n' +
        '      - { date: "2026-02-17", channels: [phone], hours: "10:00-14:00" }\n' +
        '  - effective_from: "2026-04-01"\n' +
        '    phone: { days: mon-sat, hours: "09:00-18:00" }\n' +
        '    board: { days: mon-fri }\n',
    ),
  );

  it('closes the client\'s own closed days, with their name, or the holiday\'s when they have none', () => {
    expect(calendar.day('phone', '2026-03-13')).toEqual({ dt: '2026-03-13', open: false, reason: 'client-closed', name: '창립기념일', hours: null });
    expect(calendar.day('email', '2026-03-13')).toMatchObject({ open: true, reason: 'open' });
    expect(calendar.day('email', '2026-03-02')).toEqual({ dt: '2026-03-02', open: false, reason: 'client-closed', name: '대체공휴일(3ㆍ1절)', hours: null });
  });

  it('opens the extra open days: a Saturday with the first hours of the channel, a holiday with its own hours', () => {
    expect(calendar.day('phone', '2026-03-14')).toEqual({
      dt: '2026-03-14',
      open: true,
      reason: 'client-open',
      name: '특별 상담',
      hours: { from: '09:30', to: '17:15' },
    });
    expect(calendar.day('phone', '2026-02-17')).toEqual({ dt: '2026-02-17', open: true, reason: 'client-open', name: '설날', hours: { from: '10:00', to: '14:00' } });
  });

  it('counts an hour that is open in part: 09:30–17:15 opens hours 9 to 17', () => {
    expect([8, 9, 16, 17, 18].map((h) => calendar.isOpenHour('phone', '2026-03-12', h))).toEqual([false, true, true, true, false]);
  });

  it('applies the version in force: Saturdays and the board from April 1, and the first version before it', () => {
    expect(calendar.channels).toEqual(['phone', 'board', 'email']);
    expect(calendar.day('phone', '2026-03-28').reason).toBe('weekday-closed');
    expect(calendar.day('phone', '2026-04-04')).toMatchObject({ open: true, hours: { from: '09:00', to: '18:00' } });
    expect(calendar.day('board', '2026-03-31')).toEqual({ dt: '2026-03-31', open: false, reason: 'no-service', name: null, hours: null });
    expect(calendar.day('board', '2026-04-01').open).toBe(true);
    expect(calendar.day('email', '2026-04-01').reason).toBe('no-service');
    expect(calendar.day('phone', '2025-12-31')).toMatchObject({ open: true, hours: { from: '09:30', to: '17:15' } });
    expect(calendar.openDays('board', { start: '2026-03-30', end: '2026-04-05' })).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
  });
});

describe('operating calendar: other countries and no calendar', () => {
  it('a US client: Independence Day observed on Friday 7/3 and on Saturday 7/4 closes the phone, Thanksgiving too', () => {
    const calendar = resolveCalendar(
      shop('calendar:\n  - phone: [{ days: mon-fri, hours: "06:00-18:00" }, { days: sat, hours: "08:00-14:00" }]\n', 'timezone: America/Los_Angeles\n'),
    );
    expect(calendar.day('phone', '2026-07-03')).toMatchObject({ open: false, reason: 'holiday', name: 'Independence Day (substitute day)' });
    expect(calendar.day('phone', '2026-07-04')).toMatchObject({ open: false, reason: 'holiday', name: 'Independence Day' });
    expect(calendar.day('phone', '2026-11-26')).toMatchObject({ open: false, reason: 'holiday', name: 'Thanksgiving Day' });
    expect(calendar.previousOpenDay('phone', '2026-07-06')).toBe('2026-07-02');
  });

  it('holidays: false ignores public holidays', () => {
    const calendar = resolveCalendar(shop('calendar:\n  - phone: { days: mon-fri }\n    holidays: false\n'));
    expect(calendar.day('phone', '2026-03-02')).toEqual({ dt: '2026-03-02', open: true, reason: 'open', name: null, hours: { from: '00:00', to: '24:00' } });
  });

  it('without calendar: every channel open every day, all hours, as before calendars', () => {
    const calendar = resolveCalendar(shop(''));
    expect(calendar.channels).toEqual([]);
    expect(calendar.day('board', '2026-03-01')).toEqual({ dt: '2026-03-01', open: true, reason: 'open', name: null, hours: { from: '00:00', to: '24:00' } });
    expect(calendar.previousOpenDay('phone', '2026-03-03')).toBe('2026-03-02');
    expect(calendar.openDays('chat', { start: '2026-02-27', end: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(calendar.isOpenHour('email', '2026-03-01', 3)).toBe(true);
    expect(() => calendar.day('phone', '2026-13-01')).toThrow(CalendarInputError);
  });
});
