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
      expect(c.missing).toEqual([{ source: 'chat', dt: DAY, state: 'missing', rejected: false }]);
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

    it('keeps a day whose export came and was rejected missing, and says it was rejected', () => {
      const rejected = coverageEntry({ source: 'chat', dt: DAY, rows: 0, declared: false, file_rows_read: 0, file_rows_quarantined: 0, rejected: 'the file is empty (0 bytes)' });
      const c = assessCompleteness(day, cfg, [coverageEntry({ source: 'cti', dt: DAY }), rejected], later);
      expect(c.missing).toEqual([{ source: 'chat', dt: DAY, state: 'missing', rejected: true }]);
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
});
