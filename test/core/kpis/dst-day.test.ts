import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { contact, tempLake, writeLakeTable } from './lake-fixture.ts';

// New York springs forward on 2026-03-08 at 02:00 EST → 03:00 EDT: that local day has 23 hours.
const config = clientConfigSchema.parse({
  id: 'nyshop',
  name: 'NY Shop',
  timezone: 'America/New_York',
  locale: 'en',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2026-01-01' }],
});

let engine: DuckDbEngine;
beforeAll(async () => {
  const lake = await tempLake();
  const row = (id: string, dt: string, utc: string, hour: number) => ({
    client_id: 'nyshop',
    dt,
    row: contact({ contact_id: id, arrived_at: new Date(utc), local_hour: hour, wait_seconds: 5 }),
  });
  await writeLakeTable(lake, 'contacts', [
    row('n1', '2026-03-08', '2026-03-08T06:30:00Z', 1), // 01:30 EST (UTC−5)
    row('n2', '2026-03-08', '2026-03-08T07:30:00Z', 3), // 03:30 EDT (UTC−4): one real hour after n1
    row('n3', '2026-03-08', '2026-03-09T03:30:00Z', 23), // 23:30 EDT: the UTC date is already 03-09
    row('n4', '2026-03-09', '2026-03-09T04:30:00Z', 0), // 00:30 EDT on 03-09
  ]);
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('a DST-change day in America/New_York', () => {
  it('takes the day from dt and the hour from local_hour, not from the UTC instant', async () => {
    const doc = await computeKpiDocument(engine, config, 'daily', '2026-03-08');
    expect(doc.current.total.offered).toBe(3); // n1, n2, n3 (n3 is 03-09 in UTC)
    expect(doc.hourly.filter((h) => h.offered > 0).map((h) => h.hour)).toEqual([1, 3, 23]);
    expect(doc.hourly[2]!.offered).toBe(0); // 02:00–02:59 did not exist that day
    expect(doc.prior.total.offered).toBe(0);
    expect(doc.daily.at(-1)).toMatchObject({ dt: '2026-03-08', offered: 3 });
  });

  it('shows local wall-clock times in contacts_local, from the client zone or, without a config, from dt and local_hour', async () => {
    const { createViewsSql } = await import('../../../functions/core/sql/views.ts');
    for (const configs of [[config], []]) {
      for (const statement of await createViewsSql(configs)) await engine.query(statement);
      const r = await engine.query(
        'select contact_id, arrived_at_local, channel_ko, channel_en from contacts_local where client_id = ? order by arrived_at',
        ['nyshop'],
      );
      expect(r.rows.map((x) => x.arrived_at_local), `${configs.length} configs`).toEqual([
        '2026-03-08T01:30:00.000',
        '2026-03-08T03:30:00.000',
        '2026-03-08T23:30:00.000',
        '2026-03-09T00:30:00.000',
      ]);
      expect(r.rows[0]).toMatchObject({ channel_ko: '전화', channel_en: 'Phone' });
    }
  });
});
