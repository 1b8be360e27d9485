/** KPI document figures the report shows beyond the contract: comments, and unknown service levels. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { contact, survey, tempLake, writeLakeTable } from './lake-fixture.ts';

const config = clientConfigSchema.parse({
  id: 'shop',
  name: 'Shop',
  timezone: 'UTC',
  phone_region: 'US',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2026-01-01' }],
});
const at = (iso: string) => new Date(iso);

let engine: DuckDbEngine;
beforeAll(async () => {
  const lake = await tempLake();
  const row = (dt: string, r: ReturnType<typeof contact>) => ({ client_id: 'shop', dt, row: r });
  await writeLakeTable(lake, 'contacts', [
    // 2026-03-10: an export without queue times: no wait is known
    row('2026-03-10', contact({ contact_id: 'a1', arrived_at: at('2026-03-10T09:00:00Z'), local_hour: 9 })),
    row('2026-03-10', contact({ contact_id: 'a2', arrived_at: at('2026-03-10T09:10:00Z'), local_hour: 9 })),
    row('2026-03-10', contact({ contact_id: 'a3', arrived_at: at('2026-03-10T10:00:00Z'), local_hour: 10 })),
    row('2026-03-10', contact({ contact_id: 'b1', arrived_at: at('2026-03-10T10:00:00Z'), local_hour: 10, outcome: 'abandoned' })),
    // 2026-03-11: one known wait among them is enough to judge
    row('2026-03-11', contact({ contact_id: 'c1', arrived_at: at('2026-03-11T09:00:00Z'), local_hour: 9, wait_seconds: 12 })),
    row('2026-03-11', contact({ contact_id: 'c2', arrived_at: at('2026-03-11T09:00:00Z'), local_hour: 9 })),
  ]);
  const s = (dt: string, r: ReturnType<typeof survey>) => ({ client_id: 'shop', dt, row: r });
  await writeLakeTable(lake, 'surveys', [
    // one contact answered CSAT and NPS with the same comment: one comment
    s('2026-03-10', survey({ survey_id: 's1', survey_type: 'csat', score: 5, contact_id: 'a1', channel: 'phone', comment: '빨리 해결됐어요', responded_at: at('2026-03-10T11:00:00Z') })),
    s('2026-03-10', survey({ survey_id: 's2', survey_type: 'nps', score: 9, contact_id: 'a1', channel: 'phone', comment: '빨리 해결됐어요', responded_at: at('2026-03-10T11:00:05Z') })),
    s('2026-03-10', survey({ survey_id: 's3', survey_type: 'csat', score: 1, contact_id: 'a2', channel: 'phone', comment: '가'.repeat(600), responded_at: at('2026-03-10T15:00:00Z') })),
    // blank and missing comments are no comments; a comment of another day is another period's
    s('2026-03-10', survey({ survey_id: 's4', survey_type: 'csat', score: 4, contact_id: 'a3', channel: 'phone', comment: '   ', responded_at: at('2026-03-10T16:00:00Z') })),
    s('2026-03-10', survey({ survey_id: 's5', survey_type: 'csat', score: 4, contact_id: 'b1', channel: 'phone', responded_at: at('2026-03-10T17:00:00Z') })),
    s('2026-03-11', survey({ survey_id: 's6', survey_type: 'csat', score: 2, contact_id: 'c1', channel: 'phone', comment: '다음 날', responded_at: at('2026-03-11T10:00:00Z') })),
  ]);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('figures of the report', () => {
  it('service level is unknown, not 0, when no contact of its base has a known wait', async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-03-10');
    const phone = doc.current.by_channel.phone!;
    // answered a1 a2 a3, abandoned b1 (wait unknown, so not a short abandon): answer rate 3 / 4
    expect(phone.answer_rate).toBe(0.75);
    expect(phone.service_level).toBeNull();
    expect(doc.current.total.service_level).toBeNull();
    expect(doc.hourly[9]!.service_level).toBeNull();
    // the next day one wait is known (12 s ≤ 20 s): c1 within / 2 offered = 0.5; c2's unknown wait is not within
    const next = await computeKpiDocument(engine, config, 'daily', '2026-03-11');
    expect(next.current.total.service_level).toBe(0.5);
  });

  it('lists the voices of the period, the lowest-scored first, one per contact, cut to 500 characters', async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-03-10');
    const shortened = (c: string | null) => (c !== null && c.length > 20 ? `${c.slice(0, 3)}…(${c.length})` : c);
    // s3: CSAT 1 on 1-5 is in the lowest quarter (≤ 2); s1 + s2 (CSAT 5, NPS 9) are one contact's voice, not low;
    // s4's comment is blank and s5 has none: neither is low, so neither is listed
    expect(doc.comments.map((c) => ({ ...c, comment: shortened(c.comment) }))).toEqual([
      { responded_at: '2026-03-10T15:00:00.000Z', channel: 'phone', csat_score: 1, nps_score: null, ces_score: null, is_low: true, category: null, comment: '가가가…(500)' },
      { responded_at: '2026-03-10T11:00:05.000Z', channel: 'phone', csat_score: 5, nps_score: 9, ces_score: null, is_low: false, category: null, comment: '빨리 해결됐어요' },
    ]);
  });
});
