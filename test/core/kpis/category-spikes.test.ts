import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { contact, tempLake, writeLakeTable } from './lake-fixture.ts';

const config = clientConfigSchema.parse({
  id: 'shop',
  name: 'Shop',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2026-01-01' }],
});

// Daily counts per category. The report day is Friday 04-10; its prior day is 04-09 and its baseline the same
// weekday of the four weeks before (04-03, 03-27, 03-20, 03-13). The busy Wednesday 04-08 is in neither: had
// the baseline been the four days before, its 40 배송 contacts would have hidden the spike.
const counts: Record<string, Record<string, number>> = {
  '2026-03-13': { 배송: 4, 교환: 10, 환불: 12, 기타: 16 },
  '2026-03-20': { 배송: 2, 교환: 10, 환불: 8, 기타: 4 },
  '2026-03-27': { 배송: 4, 교환: 10, 환불: 12, 기타: 16 },
  '2026-04-03': { 배송: 2, 교환: 10, 환불: 8, 기타: 4 },
  '2026-04-08': { 배송: 40, 교환: 3, 환불: 3, 기타: 3 },
  '2026-04-09': { 배송: 4, 교환: 10, 환불: 12, 기타: 16 },
  '2026-04-10': { 배송: 12, 교환: 14, 환불: 15, 기타: 16 },
};

let engine: DuckDbEngine;
beforeAll(async () => {
  const lake = await tempLake();
  const rows = Object.entries(counts).flatMap(([dt, byCategory]) =>
    Object.entries(byCategory).flatMap(([category, n]) =>
      Array.from({ length: n }, (_, i) => ({
        client_id: 'shop',
        dt,
        row: contact({ contact_id: `${dt}-${category}-${i}`, category, arrived_at: new Date(`${dt}T03:00:00Z`), local_hour: 12, wait_seconds: 5 }),
      })),
    ),
  );
  await writeLakeTable(lake, 'contacts', rows);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('category spikes against the same weekday of the four weeks before', () => {
  it('flags a category far above its baseline by count, ratio and z-score', async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-04-10');
    const byName = Object.fromEntries(doc.categories.map((c) => [c.category, c]));
    // 배송: baseline 2,4,2,4 → mean 3, sd √(4/3) = 1.1547; 12 ≥ 10, 12 ≥ 4.5, z = 9 / 1.1547 = 7.794 → spike
    expect(byName['배송']).toMatchObject({ count: 12, prior_count: 4, change: 2, baseline_mean: 3, is_spike: true });
    expect(byName['배송']!.z_score).toBeCloseTo(9 / Math.sqrt(4 / 3), 10);
    // 교환: baseline 10 ×4 → sd 0; 14 < 1.5 × 10 → no spike (the ratio rule)
    expect(byName['교환']).toMatchObject({ count: 14, baseline_mean: 10, z_score: null, is_spike: false });
    // 환불: baseline 8,12,8,12 → mean 10, sd √(16/3) = 2.3094; 15 ≥ 15 and z = 5 / 2.3094 = 2.165 → spike
    expect(byName['환불']!.is_spike).toBe(true);
    expect(byName['환불']!.z_score).toBeCloseTo(5 / Math.sqrt(16 / 3), 10);
    // 기타: baseline 4,16,4,16 → mean 10, sd √48 = 6.928; 16 ≥ 15 but z = 0.866 < 2 → no spike
    expect(byName['기타']).toMatchObject({ count: 16, is_spike: false });
    // shares of the day's 57 inbound contacts, ordered by count
    expect(doc.categories.map((c) => c.category)).toEqual(['기타', '환불', '교환', '배송']);
    expect(byName['배송']!.share).toBeCloseTo(12 / 57, 12);
    expect(byName['배송']!.prior_share).toBeCloseTo(4 / 42, 12);
  });
});
