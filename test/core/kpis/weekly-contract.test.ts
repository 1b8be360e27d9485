import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { contact, tempLake, writeLakeTable } from './lake-fixture.ts';

// Terms change on 2026-03-01, the Sunday that ends ISO week 2026-W09 (Mon 02-23 … Sun 03-01).
const config = clientConfigSchema.parse({
  id: 'shop',
  name: 'Shop',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [
    {
      effective_from: '2026-01-01',
      channels: { phone: { service_level_seconds: 20 } },
      monthly_cost: 2_800_000,
      targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 }],
    },
    {
      effective_from: '2026-03-01',
      channels: { phone: { service_level_seconds: 30 } },
      monthly_cost: 3_100_000,
      note: 'new rate card',
      targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.7 }],
    },
  ],
});

const call = (id: string, dt: string, utc: string, hour: number, wait: number) => ({
  client_id: 'shop',
  dt,
  row: contact({ contact_id: id, arrived_at: new Date(utc), local_hour: hour, wait_seconds: wait, talk_seconds: 60 }),
});

let engine: DuckDbEngine;
beforeAll(async () => {
  const lake = await tempLake();
  await writeLakeTable(lake, 'contacts', [
    call('w1', '2026-02-24', '2026-02-24T01:00:00Z', 10, 25),
    call('w2', '2026-02-25', '2026-02-25T01:00:00Z', 10, 10),
    call('w3', '2026-02-27', '2026-02-27T01:00:00Z', 10, 15),
    call('w4', '2026-03-01', '2026-03-01T01:00:00Z', 10, 40),
  ]);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('weekly period spanning a month end and a contract change', () => {
  it('uses the terms in force at the period start and footnotes the later version', async () => {
    const doc = await computeKpiDocument(engine, config, 'weekly', '2026-02-26');
    expect(doc.period).toEqual({ kind: 'weekly', start: '2026-02-23', end: '2026-03-01' });
    // T = 20 s from the 2026-01-01 terms: 10 s and 15 s are within → 2 / 4 (T = 30 s would give 3 / 4)
    expect(doc.current.by_channel.phone!.service_level).toBe(0.5);
    expect(doc.contract.effective_from).toBe('2026-01-01');
    expect(doc.contract.service_level_seconds.phone).toBe(20);
    expect(doc.contract.later_versions_in_period).toEqual(['2026-03-01']);
  });

  it('spreads each month’s cost over its own days, from the version in force on each day', async () => {
    const doc = await computeKpiDocument(engine, config, 'weekly', '2026-02-26');
    // 6 February days × 2,800,000 / 28 + 1 March day × 3,100,000 / 31 = 600,000 + 100,000 = 700,000; / 4 answered
    expect(doc.current.total.cost_per_contact).toBe(175_000);
    expect(doc.current.total.contacts_per_day).toBeCloseTo(4 / 7, 12);
  });

  it('counts the days of the period that met each target', async () => {
    const doc = await computeKpiDocument(engine, config, 'weekly', '2026-02-26');
    // per day with calls: 02-24 0/1 missed, 02-25 met, 02-27 met, 03-01 (40 s > 20 s) missed
    expect(doc.sla).toEqual([
      expect.objectContaining({ kpi: 'service_level', target: 0.8, actual: 0.5, met: false, margin: expect.closeTo(-0.3, 12), prior_actual: null, days_met: 2, days_judged: 4 }),
    ]);
    expect(doc.daily.map((d) => d.dt)).toEqual(['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']);
    expect(doc.daily[0]).toMatchObject({ offered: 0, service_level: null });
  });

  it('monthly March uses the March terms (T = 30 s)', async () => {
    const doc = await computeKpiDocument(engine, config, 'monthly', '2026-03-15');
    expect(doc.current.by_channel.phone!.service_level).toBe(0); // only w4, 40 s > 30 s
    // the prior month is measured with the same (current) terms, like for like: 25, 10, 15 s ≤ 30 s → 3 / 3
    expect(doc.prior.by_channel.phone!.service_level).toBe(1);
    expect(doc.current.total.cost_per_contact).toBe(3_100_000); // the whole March cost over 1 answered
    expect(doc.contract).toMatchObject({ effective_from: '2026-03-01', note: 'new rate card', later_versions_in_period: [] });
  });
});
