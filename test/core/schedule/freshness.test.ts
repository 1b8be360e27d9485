import { describe, expect, it } from 'vitest';
import { checkFreshness } from '../../../functions/core/schedule/freshness.ts';
import { config, manifest } from '../report/fixtures.ts';

const day = { kind: 'daily', start: '2026-03-04', end: '2026-03-04' } as const;
const part = (dt: string) => ({ dt, rows: 10, excluded: 0, object_key: `k/${dt}` });

describe('freshness gate', () => {
  it('is complete when every source has a partition on or after the last day', () => {
    const result = checkFreshness(day, config(), [
      manifest({ source: 'cti', file_id: 'a', partitions: [part('2026-03-04')] }),
      manifest({ source: 'chat', file_id: 'b', partitions: [part('2026-03-03'), part('2026-03-05')] }),
    ]);
    expect(result).toEqual({ complete: true, lagging: [] });
  });

  it('names the sources that lag and how far they got', () => {
    const result = checkFreshness(day, config(), [
      manifest({ source: 'cti', file_id: 'a', partitions: [part('2026-03-04')] }),
      // finished 2026-03-04 10:00 KST, while 3/4 was still going on
      manifest({ source: 'chat', file_id: 'b', finished_at: '2026-03-04T01:00:00.000Z', partitions: [part('2026-03-03')] }),
      // a rejected file proves nothing
      manifest({ source: 'chat', file_id: 'c', status: 'rejected', finished_at: '2026-03-05T00:00:00.000Z', partitions: [] }),
      // another client's file neither
      manifest({ client_id: 'other', source: 'chat', file_id: 'd', partitions: [part('2026-03-04')] }),
    ]);
    expect(result).toEqual({ complete: false, lagging: [{ source: 'chat', through: '2026-03-03' }] });
  });

  it('accepts an empty export ingested after the day was over', () => {
    // 2026-03-04T15:00Z is 2026-03-05 00:00 KST: the export covers all of 3/4 even without rows
    const empty = (finished: string) =>
      checkFreshness(day, config(), [
        manifest({ source: 'cti', file_id: 'a', partitions: [part('2026-03-04')] }),
        manifest({ source: 'chat', file_id: 'b', finished_at: finished, partitions: [] }),
      ]).complete;
    expect(empty('2026-03-04T15:00:00.000Z')).toBe(true);
    expect(empty('2026-03-04T14:59:59.000Z')).toBe(false);
  });

  it('lags with no manifests at all', () => {
    expect(checkFreshness(day, config(), []).lagging).toEqual([
      { source: 'cti', through: null },
      { source: 'chat', through: null },
    ]);
  });
});
