import { describe, expect, it } from 'vitest';
import { assessCompleteness, coverageDates } from '../../../functions/core/report/completeness.ts';
import { config, coverageEntry } from './fixtures.ts';

const DAY = '2026-03-04';
const day = { start: DAY, end: DAY };
const later = new Date('2026-03-10T00:00:00Z');
const state = (c: ReturnType<typeof assessCompleteness>, source: string) => c.sources.find((s) => s.source === source)!.days.map((d) => d.state);

describe('completeness from the coverage index', () => {
  it('needs the period and the day after', () => {
    expect(coverageDates({ start: '2026-03-02', end: '2026-03-03' })).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
  });

  describe('a daily-file source', () => {
    const cfg = config();

    it('has the day once a delivery made after the day holds its rows', () => {
      // 3/5 00:30 KST, after 3/4 ended
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), coverageEntry({ source: 'chat', dt: DAY })], later);
      expect(c).toMatchObject({ complete: true, noData: false, missing: [], completeDays: [DAY], files: 2, rowsRead: 206, rowsQuarantined: 6 });
    });

    it('does not take a file delivered while the day went on, whose rows stop on it, as the whole day', () => {
      // a chat platform that cuts at UTC midnight: its file of 3/3 (UTC) lands at 09:05 KST on 3/4 with the
      // first nine hours of the Seoul day 3/4, and nothing later
      const morning = coverageEntry({ source: 'chat', dt: DAY, file_id: 'chat_20260303', delivered_at: '2026-03-04T00:05:00.000Z' });
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), morning], later);
      expect(state(c, 'chat')).toEqual(['missing']);
      expect(c.missing).toEqual([{ source: 'chat', dt: DAY, state: 'missing', rejected: false, failure: null }]);
      // its next file holds the rest of 3/4 and the start of 3/5: now 3/4 is whole
      const rest = [coverageEntry({ source: 'chat', dt: DAY, file_id: 'chat_20260304', delivered_at: '2026-03-05T00:05:00.000Z' })];
      expect(assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), morning, ...rest], later).complete).toBe(true);
      // or: a file delivered during the day that also holds rows of the next day ran past the end of this one
      const spanning = [morning, coverageEntry({ source: 'chat', dt: '2026-03-05', file_id: 'chat_20260303', delivered_at: '2026-03-04T00:05:00.000Z' })];
      expect(state(assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), ...spanning], later), 'chat')).toEqual(['received']);
    });

    it('has a quiet day when a delivery declares it by its file name, rows or not', () => {
      const quiet = coverageEntry({ source: 'chat', dt: DAY, rows: 0, declared: true, delivered_at: '2026-03-04T12:00:00.000Z' });
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), quiet], later);
      expect(c.complete).toBe(true);
    });

    it('has a day whose export came and was rejected failed, with the rejection, not missing', () => {
      const rejected = coverageEntry({ source: 'chat', dt: DAY, rows: 0, declared: false, file_rows_read: 0, file_rows_quarantined: 0, rejected: 'the file is empty (0 bytes)' });
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), rejected], later);
      expect(c.missing).toEqual([
        {
          source: 'chat',
          dt: DAY,
          state: 'failed',
          rejected: true,
          failure: { kind: 'rejected', rows: 0, quarantined: 0, reasons: [{ field: '(file)', reason: 'the file is empty (0 bytes)', rows: 0 }] },
        },
      ]);
      // the rejected file is no delivery of the day and adds no file or rows to the period
      expect(c.sources.find((s) => s.source === 'chat')!.days[0]).toMatchObject({ deliveries: 0, rejected: 1, firstDeliveredAt: null });
      expect(c).toMatchObject({ complete: false, files: 1, rowsRead: 103 });
      // the file delivered again, readable: the day is received
      const good = coverageEntry({ source: 'chat', dt: DAY });
      expect(assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), rejected, good], later).complete).toBe(true);
      // a rejected file alone is no data
      expect(assessCompleteness(day, cfg, [rejected], later).noData).toBe(true);
    });

    it('has no data at all when nothing arrived for any source', () => {
      // another client's entry counts for nothing
      const c = assessCompleteness(day, cfg, [coverageEntry({ client_id: 'other', source: 'cti', dt: DAY })], later);
      expect(c).toMatchObject({ noData: true, complete: false, files: 0, lastFinishedAt: null });
      expect(c.missing.map((m) => `${m.source} ${m.dt}`)).toEqual(['cti 2026-03-04', 'chat 2026-03-04']);
    });

    it('flags a day whose first delivery came after that day\'s report was due', () => {
      // due 3/5 08:00 KST = 3/4 23:00Z; delivered 23:30Z
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY, delivered_at: '2026-03-04T23:30:00.000Z' }), coverageEntry({ source: 'chat', dt: DAY })], later);
      expect(c.sources.map((s) => s.days[0]!.late)).toEqual([true, false]);
    });
  });

  describe('a continuous source (Amazon Connect through Firehose)', () => {
    const cfg = config({ sources: [{ id: 'connect', format: 'amazon-connect-ctr' }] });
    const entry = coverageEntry({ source: 'connect', dt: DAY, delivered_at: '2026-03-04T14:59:00.000Z' });

    it('is pending until the grace period after the day is over, then received', () => {
      // 3/4 ends 15:00Z (00:00 KST 3/5); default grace 60 min → 16:00Z
      expect(state(assessCompleteness(day, cfg, [entry], new Date('2026-03-04T15:59:00Z')), 'connect')).toEqual(['pending']);
      expect(state(assessCompleteness(day, cfg, [entry], new Date('2026-03-04T16:00:00Z')), 'connect')).toEqual(['received']);
    });

    it('is missing without rows', () => {
      expect(state(assessCompleteness(day, cfg, [], later), 'connect')).toEqual(['missing']);
    });
  });

  it('counts a file that wrote to several days once', () => {
    const week = { start: '2026-03-02', end: '2026-03-03' };
    const entries = ['2026-03-02', '2026-03-03'].flatMap((dt) => [
      coverageEntry({ source: 'cti', dt, file_id: 'cti-week', file_rows_read: 500, file_rows_quarantined: 7 }),
      coverageEntry({ source: 'chat', dt }),
    ]);
    const c = assessCompleteness(week, config(), entries, later);
    // cti-week once (500, 7) + two chat files (103, 3 each)
    expect(c).toMatchObject({ files: 3, rowsRead: 706, rowsQuarantined: 13, complete: true });
  });

  describe('a source-day that arrived and cannot be used', () => {
    const cfg = config();

    it('failed when every row of the day was quarantined: 144 calls with an unreadable talk time', () => {
      const reasons = [{ field: 'talk_seconds', reason: 'column 통화시간: not a number of seconds (line 2)', rows: 144 }];
      const cti = coverageEntry({ source: 'cti', dt: DAY, rows: 0, quarantined: 144, declared: true, file_rows_read: 144, file_rows_quarantined: 144, quarantine_reasons: reasons });
      const c = assessCompleteness(day, cfg, [cti, coverageEntry({ source: 'chat', dt: DAY })], later);
      expect(c.missing).toEqual([{ source: 'cti', dt: DAY, state: 'failed', rejected: false, failure: { kind: 'quarantined', rows: 0, quarantined: 144, reasons } }]);
      expect(c.complete).toBe(false);
    });

    it('failed when more than the allowed share was quarantined: 51 of 100 over a half, 50 of 100 not', () => {
      const day51 = coverageEntry({ source: 'cti', dt: DAY, rows: 49, quarantined: 51 });
      const day50 = coverageEntry({ source: 'cti', dt: DAY, rows: 50, quarantined: 50 });
      const chat = coverageEntry({ source: 'chat', dt: DAY });
      expect(state(assessCompleteness(day, cfg, [day51, chat], later), 'cti')).toEqual(['failed']);
      expect(state(assessCompleteness(day, cfg, [day50, chat], later), 'cti')).toEqual(['received']);
      // the source may allow less: 10 % here
      const strict = config({ sources: [{ id: 'cti', format: 'cspulse-csv', channel: 'phone', completeness: { max_quarantined_share: 0.1 } }] });
      expect(state(assessCompleteness(day, strict, [coverageEntry({ source: 'cti', dt: DAY, rows: 89, quarantined: 11 })], later), 'cti')).toEqual(['failed']);
    });
  });

  describe('with an operating calendar', () => {
    // phone closed on Sunday 3/8 and on the 3/2 substitute holiday; chat open every day
    const closedPhone = new Set(['2026-03-02', '2026-03-08']);
    const calendar = { channels: ['phone', 'chat'] as const, isOpen: (ch: string, dt: string) => !(ch === 'phone' && closedPhone.has(dt)) };
    const cfg = config();
    const sunday = { start: '2026-03-08', end: '2026-03-08' };

    it('needs no phone export on a closed day and is complete without one', () => {
      const c = assessCompleteness(sunday, cfg, [coverageEntry({ source: 'chat', dt: '2026-03-08' })], later, calendar);
      expect(state(c, 'cti')).toEqual(['closed']);
      expect(c.complete).toBe(true);
      expect(c.completeDays).toEqual(['2026-03-08']);
      // without the calendar the same day is missing
      expect(state(assessCompleteness(sunday, cfg, [coverageEntry({ source: 'chat', dt: '2026-03-08' })], later), 'cti')).toEqual(['missing']);
    });

    it('takes a header-only export for a closed day as closed, and for an open day as failed', () => {
      const headerOnly = (dt: string) => coverageEntry({ source: 'cti', dt, rows: 0, quarantined: 0, declared: true, file_rows_read: 0, file_rows_quarantined: 0 });
      const closed = assessCompleteness(sunday, cfg, [headerOnly('2026-03-08'), coverageEntry({ source: 'chat', dt: '2026-03-08' })], later, calendar);
      expect(state(closed, 'cti')).toEqual(['closed']);
      const open = assessCompleteness(day, cfg, [headerOnly(DAY), coverageEntry({ source: 'chat', dt: DAY })], later, calendar);
      expect(open.missing).toEqual([{ source: 'cti', dt: DAY, state: 'failed', rejected: false, failure: { kind: 'empty', rows: 0, quarantined: 0, reasons: [] } }]);
    });

    it('counts calls that came on a closed day as received', () => {
      const c = assessCompleteness(sunday, cfg, [coverageEntry({ source: 'cti', dt: '2026-03-08', rows: 3 }), coverageEntry({ source: 'chat', dt: '2026-03-08' })], later, calendar);
      expect(state(c, 'cti')).toEqual(['received']);
    });
  });

  it('has quiet days for a survey source without answers, which make no period incomplete', () => {
    const cfg = config({ sources: [{ id: 'cti', format: 'cspulse-csv', channel: 'phone' }, { id: 'surveys', format: 'cspulse-csv', table: 'surveys' }] });
    const week = { start: '2026-03-02', end: '2026-03-04' };
    const entries = [
      ...['2026-03-02', '2026-03-03', '2026-03-04'].map((dt) => coverageEntry({ source: 'cti', dt })),
      coverageEntry({ source: 'surveys', dt: '2026-03-03' }),
    ];
    const c = assessCompleteness(week, cfg, entries, later);
    expect(state(c, 'surveys')).toEqual(['quiet', 'received', 'quiet']);
    expect(c.complete).toBe(true);
  });
});
