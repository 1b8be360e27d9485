import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerKpisCommand } from '../../../functions/cli/commands/kpis.ts';
import { registerQueryCommand } from '../../../functions/cli/commands/query.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { contact, tempLake, writeLakeTable } from '../../core/kpis/lake-fixture.ts';

let lake: string;
let configDir: string;

beforeAll(async () => {
  lake = await tempLake();
  configDir = await mkdtemp(join(tmpdir(), 'cspulse-clients-'));
  await writeFile(
    join(configDir, 'shop.yaml'),
    [
      'id: shop',
      'name: 샵',
      'timezone: Asia/Seoul',
      'sources: [{ id: cti, format: cspulse-csv }]',
      'recipients: { to: [cs@example.com] }',
      'contract: [{ effective_from: "2026-01-01", monthly_cost: 3100000 }]',
    ].join('\n'),
  );
  await writeLakeTable(lake, 'contacts', [
    { client_id: 'shop', dt: '2026-03-10', row: contact({ contact_id: 'a', arrived_at: new Date('2026-03-10T01:00:00Z'), local_hour: 10, wait_seconds: 10, category: '배송, 지연' }) },
    { client_id: 'shop', dt: '2026-03-10', row: contact({ contact_id: 'b', arrived_at: new Date('2026-03-10T02:00:00Z'), local_hour: 11, wait_seconds: 30, outcome: 'abandoned' }) },
  ]);
});

async function run(args: string[]): Promise<{ out: string[]; failures: string[]; error: unknown }> {
  const out: string[] = [];
  const failures: string[] = [];
  const program = new Command('cspulse').exitOverride().configureOutput({ writeErr: () => undefined });
  const context = { loadConfig: loadClientConfig, out: (l: string) => out.push(l), fail: (m: string) => failures.push(m) };
  registerKpisCommand(program, context);
  registerQueryCommand(program, context);
  const error = await program.parseAsync(args, { from: 'user' }).then(() => undefined, (e: unknown) => e);
  return { out, failures, error };
}

describe('cspulse kpis', () => {
  it('prints the KPI document with the documented keys', async () => {
    const { out, error } = await run(['kpis', '--client', 'shop', '--period', 'daily', '--date', '2026-03-10', '--json', '--config-dir', configDir, '--lake', lake]);
    expect(error).toBeUndefined();
    const doc = JSON.parse(out.join('\n'));
    expect(doc.period).toEqual({ kind: 'daily', start: '2026-03-10', end: '2026-03-10' });
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['period', 'current', 'prior', 'sla', 'categories', 'hourly']));
    expect(Object.keys(doc.current)).toEqual(['total', 'by_channel']);
    const keys = 'offered answered abandoned short_abandoned callbacks self_service answer_rate abandon_rate service_level asa_seconds aht_seconds avg_talk_seconds avg_acw_seconds wait_p90_seconds max_wait_seconds avg_abandon_wait_seconds transfer_rate self_service_rate repeat_rate retry_after_abandon_rate fcr fcr_provisional csat_avg csat_satisfied_rate csat_responses nps nps_responses ces_avg survey_response_rate cost_per_contact contacts_per_day'.split(' ');
    expect(Object.keys(doc.current.total)).toEqual(expect.arrayContaining(keys));
    // offered 2, answered 1: answer rate 1/2; SL: a (10 s ≤ 20) / 2; cost 100,000 / 1
    expect(doc.current.total).toMatchObject({ offered: 2, answered: 1, answer_rate: 0.5, service_level: 0.5, cost_per_contact: 100000, csat_avg: null });
    expect(doc.prior.total.answer_rate).toBeNull();
  });

  it('rejects a bad period or date with a clear error', async () => {
    const bad = await run(['kpis', '--client', 'shop', '--period', 'yearly', '--date', '2026-03-10', '--config-dir', configDir]);
    expect(String(bad.error)).toContain('must be daily, weekly or monthly');
    const badDate = await run(['kpis', '--client', 'shop', '--period', 'daily', '--date', '2026-02-30', '--config-dir', configDir]);
    expect(String(badDate.error)).toContain('must be an existing date YYYY-MM-DD');
    const noClient = await run(['kpis', '--client', 'nope', '--period', 'daily', '--date', '2026-03-10', '--config-dir', configDir]);
    expect(String(noClient.error)).toContain('no client "nope"');
  });
});

describe('cspulse query', () => {
  it('runs SQL on the lake under the Athena names and prints CSV with quoting', async () => {
    const { out } = await run(['query', "select contact_id, category, outcome_ko from contacts_local where client_id = 'shop' order by contact_id", '--format', 'csv', '--lake', lake]);
    expect(out).toEqual(['contact_id,category,outcome_ko', 'a,"배송, 지연",응대', 'b,,포기']);
  });

  it('prints JSON rows and an aligned table', async () => {
    const json = await run(['query', 'select count(*) as n from contacts', '--format', 'json', '--lake', lake]);
    expect(JSON.parse(json.out.join('\n'))).toEqual([{ n: 2 }]);
    const table = await run(['query', "select dt, count(*) as n from contacts group by dt", '--lake', lake]);
    expect(table.out).toEqual(['dt         | n', '-----------+--', '2026-03-10 | 2', '(1 rows)']);
  });

  it('fails clearly on bad SQL', async () => {
    const { failures, error } = await run(['query', 'select nope from contacts', '--lake', lake]);
    expect(failures[0]).toMatch(/^query failed: DuckDB: Binder Error/);
    expect(error).toBeInstanceOf(Error);
  });
});
