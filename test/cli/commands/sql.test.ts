/**
 * `cspulse sql` prints what the report sends to Athena: the report's own code runs here against the Athena adapter
 * on a mocked Athena client (Athena's engine has no local peer), and every StartQueryExecution it sends is compared
 * with the command's output, text and execution parameters.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAthenaEngine } from '../../../functions/adapters/aws/athena-engine.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { registerSqlCommand } from '../../../functions/cli/commands/sql.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { KPI_SQL_NAMES } from '../../../functions/core/sql/sql-catalog.ts';
import type { PeriodKind } from '../../../functions/core/kpis/kpi-result.ts';
import { contact, tempLake, writeLakeTable } from '../../core/kpis/lake-fixture.ts';

async function run(args: string[]) {
  const out: string[] = [];
  const failures: string[] = [];
  const program = new Command('cspulse').exitOverride().configureOutput({ writeErr: () => undefined });
  registerSqlCommand(program, { loadConfig: loadClientConfig, out: (l) => out.push(l), fail: (m) => failures.push(m) });
  const error = await program.parseAsync(args, { from: 'user' }).then(() => undefined, (e: unknown) => e);
  return { out, failures, error };
}

/** The queries the report sends through the Athena adapter for a period. */
async function sentToAthena(kind: PeriodKind, date: string): Promise<{ QueryString: string; ExecutionParameters: string[] }[]> {
  const athena = mockClient(AthenaClient);
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [{ Data: [] }] } });
  const engine = createAthenaEngine({ client: new AthenaClient({ region: 'ap-northeast-2' }), workgroup: 'w', database: 'cspulse', sleep: async () => {} });
  await computeKpiDocument(engine, await loadClientConfig('clients', 'example'), kind, date);
  const sent = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input as { QueryString: string; ExecutionParameters: string[] });
  athena.restore();
  return sent;
}

/** Every file of sql/kpis/: the report sends each of them for a period. */
const NAMES = KPI_SQL_NAMES.map((n) => n.replace('kpis/', ''));

describe('cspulse sql', () => {
  for (const [kind, date] of [['daily', '2026-03-03'], ['monthly', '2026-02-14']] as const) {
    it(`prints each KPI query of a ${kind} report as the report sends it to Athena`, async () => {
      const sent = await sentToAthena(kind, date);
      expect(sent.length).toBe(NAMES.length);
      for (const name of NAMES) {
        const { out, error } = await run(['sql', name, '--client', 'example', '--period', kind, '--date', date]);
        expect(error, name).toBeUndefined();
        const body = out.slice(3).join('\n');
        const match = sent.find((q) => q.QueryString === body);
        expect(match, `${name}: the printed text is a query the report sent`).toBeDefined();
        expect(out[2]).toBe(`-- execution parameters, in order: ${match!.ExecutionParameters.join(', ')}`);
      }
    });
  }

  it('names the file, the period and the contract version, and lists the parameters worked out by hand', async () => {
    const { out } = await run(['sql', 'contact_kpis', '--client', 'example', '--period', 'daily', '--date', '2026-03-03']);
    expect(out.slice(0, 3)).toEqual([
      '-- sql/kpis/contact_kpis.sql as the daily report of example for 2026-03-03 sends it to Athena',
      '-- (contract version in force from 2026-01-01)',
      // the trend's 14 days start 02-18, less 2 days for the 24 h repeat window; 4 days after for the 72 h FCR
      // window; the newest-contact probe from the day to 4 + 3 days after it
      "-- execution parameters, in order: 'example', '2026-02-16', '2026-03-07', 'example', '2026-03-03', '2026-03-10'",
    ]);
    // the phone terms of clients/example.yaml, as literals
    expect(out.join('\n')).toContain("('phone', cast(20 as double), cast(5 as double), 'answered_within_over_offered_less_short')");
  });

  it('refuses a query that is not a KPI file, and a client that does not exist', async () => {
    expect(String((await run(['sql', 'kpi_daily', '--client', 'example', '--period', 'daily', '--date', '2026-03-03'])).error)).toContain(
      `must be one of ${NAMES.join(', ')}`,
    );
    expect(String((await run(['sql', 'contact_kpis', '--client', 'nope', '--period', 'daily', '--date', '2026-03-03'])).error)).toContain('no client "nope"');
  });

  describe('--inline', () => {
    let engine: DuckDbEngine;
    beforeAll(async () => {
      const lake = await tempLake();
      await writeLakeTable(lake, 'contacts', [
        { client_id: 'example', dt: '2026-03-03', row: contact({ contact_id: 'a', arrived_at: new Date('2026-03-03T01:00:00Z'), local_hour: 10, wait_seconds: 10 }) },
        { client_id: 'example', dt: '2026-03-03', row: contact({ contact_id: 'b', arrived_at: new Date('2026-03-03T02:00:00Z'), local_hour: 11, wait_seconds: 40 }) },
      ]);
      engine = await createDuckDbEngine({ lakeRoot: lake });
    });
    afterAll(async () => engine.close());

    it('writes the parameters in: no mark left, and the text answers as the parameterized query does', async () => {
      const { out } = await run(['sql', 'contact_kpis', '--client', 'example', '--period', 'daily', '--date', '2026-03-03', '--inline']);
      const inlined = out.slice(3).join('\n');
      expect(inlined).not.toMatch(/\?/);
      expect(inlined).toContain("where client_id = 'example' and dt between '2026-02-16' and '2026-03-07'");
      const listed = await run(['sql', 'contact_kpis', '--client', 'example', '--period', 'daily', '--date', '2026-03-03']);
      const params = ['example', '2026-02-16', '2026-03-07', 'example', '2026-03-03', '2026-03-10'];
      const direct = await engine.query(listed.out.slice(3).join('\n'), params);
      const pasted = await engine.query(inlined);
      expect(pasted.rows).toEqual(direct.rows);
      // a current-period phone row with both calls: one of two answered within 20 s
      expect(pasted.rows.find((r) => r.period_name === 'current' && r.grain === 'period' && r.channel_group === 'phone')).toMatchObject({ answered: 2, service_level: 0.5 });
    });
  });
});
