import { describe, expect, it } from 'vitest';
import { IdSet } from '../../../functions/core/ingest/id-set.ts';

describe('IdSet', () => {
  it('tells new ids from seen ones, through many resizes', () => {
    const ids = new IdSet(4);
    for (let i = 0; i < 200_000; i++) expect(ids.add(`C2026030200${i}`)).toBe(true);
    expect(ids.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(ids.add(`C2026030200${i}`)).toBe(false);
    expect(ids.has('C20260302000')).toBe(true);
    expect(ids.has('C2026030200-1')).toBe(false);
    expect(ids.size).toBe(200_000);
  });

  it('keeps ids apart that differ only in order, case or Korean syllables', () => {
    const ids = new IdSet();
    for (const id of ['ab', 'ba', 'AB', '상담1', '상담2', '똠', '', ' ']) expect(ids.add(id)).toBe(true);
    expect(ids.size).toBe(8);
  });
});
