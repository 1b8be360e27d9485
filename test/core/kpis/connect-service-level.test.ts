/**
 * Amazon Connect's service level, worked by hand. Connect's "Service level X seconds" is the percentage of
 * contacts removed from the queue between 0 and X seconds after being added to it, where a contact is removed
 * when an agent answers it, the customer abandons it or the customer requests a callback:
 * (contacts removed from queue in X seconds / contacts queued) × 100
 * (Amazon Connect Administrator Guide, historical metrics definitions,
 * https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html#service-level-historical;
 * awsdocs/amazon-connect-admin-guide doc_source/historical-metrics-definitions.md at 257d765).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { contact, tempLake, writeLakeTable } from './lake-fixture.ts';

const config = (formula: string) =>
  clientConfigSchema.parse({
    id: 'north',
    name: 'NW',
    timezone: 'UTC',
    phone_region: 'US',
    sources: [{ id: 'connect', format: 'amazon-connect-ctr' }],
    recipients: { to: ['cs@example.com'] },
    contract: [{ effective_from: '2026-01-01', service_level_formula: formula, channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 } } }],
  });

// One phone queue on 2026-03-10 (UTC), T = 20 s, S = 5 s:
//   a1 answered after 10 s     within   a2 answered after 30 s   not within
//   b1 abandoned after 8 s     within   b2 abandoned after 2 s   within (a short abandon)
//   c1 callback after 15 s     within   c2 callback after 40 s   not within
//   s1 self-service (never queued), x1 excluded: in no denominator
const at = (hh: number) => new Date(`2026-03-10T${String(hh).padStart(2, '0')}:00:00Z`);
const rows = [
  contact({ contact_id: 'a1', arrived_at: at(9), local_hour: 9, wait_seconds: 10, outcome: 'answered' }),
  contact({ contact_id: 'a2', arrived_at: at(9), local_hour: 9, wait_seconds: 30, outcome: 'answered' }),
  contact({ contact_id: 'b1', arrived_at: at(10), local_hour: 10, wait_seconds: 8, outcome: 'abandoned' }),
  contact({ contact_id: 'b2', arrived_at: at(10), local_hour: 10, wait_seconds: 2, outcome: 'abandoned' }),
  contact({ contact_id: 'c1', arrived_at: at(11), local_hour: 11, wait_seconds: 15, outcome: 'callback_requested' }),
  contact({ contact_id: 'c2', arrived_at: at(11), local_hour: 11, wait_seconds: 40, outcome: 'callback_requested' }),
  contact({ contact_id: 's1', arrived_at: at(12), local_hour: 12, outcome: 'self_service' }),
  contact({ contact_id: 'x1', arrived_at: at(12), local_hour: 12, wait_seconds: 1, outcome: 'excluded' }),
].map((row) => ({ client_id: 'north', dt: '2026-03-10', row }));

let engine: DuckDbEngine;
beforeAll(async () => {
  const lake = await tempLake();
  await writeLakeTable(lake, 'contacts', rows);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe("Amazon Connect's service level", () => {
  it('counts answered, abandoned and callback-requested contacts removed from the queue within T, over contacts queued', async () => {
    const doc = await computeKpiDocument(engine, config('connect_within_over_offered'), 'daily', '2026-03-10');
    const phone = doc.current.by_channel.phone!;
    // queued (offered) = a1 a2 b1 b2 c1 c2 = 6; removed within 20 s = a1, b1, b2, c1 = 4 → 4 / 6
    expect(phone.offered).toBe(6);
    expect(phone.service_level).toBeCloseTo(4 / 6, 12);
    // per hour: 09 a1 / (a1, a2) = 1/2; 10 b1, b2 / 2 = 1; 11 c1 / (c1, c2) = 1/2
    expect(doc.hourly.slice(9, 12).map((h) => h.service_level)).toEqual([0.5, 1, 0.5]);
  });

  it('differs from the default formula, which counts answered contacts only and drops short abandons', async () => {
    const doc = await computeKpiDocument(engine, config('answered_within_over_offered_less_short'), 'daily', '2026-03-10');
    // a1 / (6 − 1 short abandon b2) = 1 / 5
    expect(doc.current.by_channel.phone!.service_level).toBe(0.2);
  });
});
