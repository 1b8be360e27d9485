/**
 * IVR abandons (IVR 이탈 / ARS 이탈): inbound, but neither offered nor self-service. A day of six phone calls,
 * worked out by hand: 2 answered, 1 abandoned in the queue, 1 served by the IVR, 2 left in the IVR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import type { KpiDocument } from '../../../functions/core/kpis/kpi-result.ts';
import { contact, tempLake, writeLakeTable } from './lake-fixture.ts';

const config = clientConfigSchema.parse({
  id: 'shop',
  name: 'Shop',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2026-01-01', channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 } } }],
});

const at = (iso: string) => new Date(iso);
const day = (id: string, row: Parameters<typeof contact>[0]) => ({ client_id: 'shop', dt: '2026-03-10', row: contact({ ...row, contact_id: id }) });
const contacts = [
  day('a1', { contact_id: '', arrived_at: at('2026-03-10T01:00:00Z'), local_hour: 10, customer_key: 'A', wait_seconds: 10, talk_seconds: 100, agent_id: 'x' }),
  day('a2', { contact_id: '', arrived_at: at('2026-03-10T01:10:00Z'), local_hour: 10, customer_key: 'B', wait_seconds: 30, talk_seconds: 100, agent_id: 'x' }),
  day('q1', { contact_id: '', arrived_at: at('2026-03-10T01:20:00Z'), local_hour: 10, customer_key: 'C', wait_seconds: 40, outcome: 'abandoned' }),
  day('s1', { contact_id: '', arrived_at: at('2026-03-10T01:30:00Z'), local_hour: 10, customer_key: 'D', ivr_seconds: 60, outcome: 'self_service' }),
  // C left the IVR 30 min after abandoning in the queue: a retry after abandon, and a repeat
  day('i1', { contact_id: '', arrived_at: at('2026-03-10T01:50:00Z'), local_hour: 10, customer_key: 'C', ivr_seconds: 25, outcome: 'ivr_abandoned' }),
  day('i2', { contact_id: '', arrived_at: at('2026-03-10T02:00:00Z'), local_hour: 11, customer_key: 'E', ivr_seconds: 8, outcome: 'ivr_abandoned' }),
];

let lake: string;
let engine: DuckDbEngine;
let doc: KpiDocument;

beforeAll(async () => {
  lake = await tempLake();
  await writeLakeTable(lake, 'contacts', contacts);
  engine = await createDuckDbEngine({ lakeRoot: lake });
  doc = await computeKpiDocument(engine, config, 'daily', '2026-03-10');
});
afterAll(async () => engine.close());

describe('ivr_abandoned in the KPI document', () => {
  it('is inbound but not offered: answer and abandon rates are over the 3 offered calls', () => {
    const phone = doc.current.by_channel.phone!;
    expect(phone).toMatchObject({ inbound: 6, offered: 3, answered: 2, abandoned: 1, self_service: 1, ivr_abandoned: 2 });
    expect(phone.answer_rate).toBeCloseTo(2 / 3, 12);
    expect(phone.abandon_rate).toBeCloseTo(1 / 3, 12);
  });

  it('is not self-service: the self-service rate is 1 / (1 + 3), not 3 / (3 + 3)', () => {
    expect(doc.current.by_channel.phone!.self_service_rate).toBe(0.25);
  });

  it('has its own rate over every inbound contact: 2 / 6', () => {
    expect(doc.current.by_channel.phone!.ivr_abandon_rate).toBeCloseTo(1 / 3, 12);
    expect(doc.current.total.ivr_abandon_rate).toBeCloseTo(1 / 3, 12);
  });

  it('still counts as the customer\'s inbound contact for repeat and retry after abandon', () => {
    // keyed inbound 6; repeat: i1 (C's q1 30 min before) → 1 / 6; retry: q1 followed by i1 within 60 min → 1 / 1
    expect(doc.current.total.repeat_rate).toBeCloseTo(1 / 6, 12);
    expect(doc.current.total.retry_after_abandon_rate).toBe(1);
  });

  it('is null, not 0, on a day without inbound contacts', () => {
    expect(doc.prior.total.ivr_abandon_rate).toBeNull();
  });
});
