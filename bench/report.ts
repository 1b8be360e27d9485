/**
 * `npm run bench:report`: the cost of one report run as a client's lake grows. For lakes of 30, 90, 180 and 365
 * days of history (a Firehose-fed Amazon Connect source delivering ~300 objects a day, plus a daily CTI file), it
 * runs the daily, weekly and monthly report of the last day end to end — coverage index, KPI SQL on DuckDB,
 * rendering, the outbox mailer, the delivery log — and counts what the report read from the lake store: list
 * calls, keys listed, objects read. Every figure is a ratio against the smallest lake that holds everything the
 * report reads — its period, the prior period, the category baseline (30 days for the daily report, 90 for the
 * weekly one, 180 for the monthly one, whose baseline is the four months before) — measured in the same run; a
 * report whose cost follows its period, not the history, stays at 1.0× and reads the same objects.
 *
 * BENCH_DAYS=30,90,180,365  BENCH_DELIVERIES_PER_DAY=300  BENCH_CONTACTS_PER_DAY=2000 change the sizes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbEngine } from '../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../functions/adapters/local/outbox-mailer.ts';
import { clientConfigSchema } from '../functions/core/config/client-config.ts';
import { coverageKeys, type CoverageEntry } from '../functions/core/ingest/coverage.ts';
import { computeKpiDocument } from '../functions/core/kpis/compute-kpi-document.ts';
import { categoryPeriods } from '../functions/core/kpis/kpi-queries.ts';
import type { PeriodKind } from '../functions/core/kpis/kpi-result.ts';
import { addDays, periodFor, priorPeriod, weekAgoPeriod } from '../functions/core/kpis/periods.ts';
import { loadSqlCatalog } from '../functions/core/sql/sql-catalog.ts';
import { runReport } from '../functions/core/schedule/run-report.ts';
import { contactsTable } from '../functions/core/tables.ts';
import { countedStore, noOps, type StoreOps } from './counted-store.ts';
import { columnsSelect } from './synthetic-rows.ts';

const SIZES = (process.env.BENCH_DAYS ?? '30,90,180,365').split(',').map(Number);
const PER_DAY = Number(process.env.BENCH_DELIVERIES_PER_DAY ?? 300);
const CONTACTS_PER_DAY = Number(process.env.BENCH_CONTACTS_PER_DAY ?? 2000);
const CLIENT = 'bench';
const LAST_DAY = '2026-03-31';
const work = join(import.meta.dirname, '.work', 'report');

const config = clientConfigSchema.parse({
  id: CLIENT,
  name: 'Bench',
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'connect', format: 'amazon-connect-ctr' },
    { id: 'cti', format: 'cspulse-csv', channel: 'phone' },
  ],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2025-01-01', monthly_cost: 50_000_000, targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 }] }],
  reports: { attachments: ['csv'] },
});

/** Writes `days` days of coverage entries and contacts ending LAST_DAY into a fresh lake folder. */
async function buildLake(root: string, days: number): Promise<void> {
  await rm(root, { recursive: true, force: true });
  const first = addDays(LAST_DAY, 1 - days);
  for (let d = 0; d < days; d++) {
    const dt = addDays(first, d);
    const dir = join(root, coverageKeys.datePrefix(CLIENT, dt));
    await mkdir(dir, { recursive: true });
    const entries: CoverageEntry[] = [];
    const entry = (source: string, fileId: string, rows: number): CoverageEntry => ({
      client_id: CLIENT,
      source,
      table: 'contacts',
      dt,
      file: `${fileId}.json`,
      file_id: fileId,
      delivered_at: `${dt}T15:10:00.000Z`,
      finished_at: `${dt}T15:11:00.000Z`,
      rows,
      excluded: 0,
      declared: false,
      file_rows_read: rows,
      file_rows_quarantined: 0,
    });
    for (let i = 0; i < PER_DAY; i++) entries.push(entry('connect', `fh-${dt}-${String(i).padStart(3, '0')}`, 10));
    entries.push(entry('cti', `cti-${dt}`, CONTACTS_PER_DAY));
    await Promise.all(entries.map((e) => writeFile(join(dir, `${e.source}--${e.file_id}.json`), JSON.stringify(e))));
  }
  // contacts: one Parquet partition per day, written by DuckDB (the KPI SQL's own cost is bench:kpis's subject)
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  const expr: Record<string, string> = {
    contact_id: `'k' || i`,
    channel: `case when i % 3 = 0 then 'chat' else 'phone' end`,
    direction: `'inbound'`,
    queue: `null`,
    category: `(['배송', '교환', '환불', '기타'])[1 + (hash(i, 2) % 4)::bigint]`,
    subcategory: `null`,
    customer_key: `'c' || (hash(i, 4) % 50000)`,
    agent_id: `'a' || (hash(i, 5) % 40)`,
    arrived_at: `lt - interval 9 hour`,
    answered_at: `null`,
    ended_at: `null`,
    ivr_seconds: `null`,
    wait_seconds: `(hash(i, 7) % 60)::double`,
    talk_seconds: `(60 + hash(i, 8) % 400)::double`,
    hold_seconds: `null`,
    acw_seconds: `(hash(i, 10) % 60)::double`,
    handle_seconds: `null`,
    outcome: `case when hash(i, 11) % 10 < 9 then 'answered' else 'abandoned' end`,
    is_transferred: `false`,
    is_resolved: `null`,
    local_hour: `hour(lt)::integer`,
    source: `'cti'`,
    source_file: `'bench.csv'`,
    ingested_at: `timestamptz '2026-04-01 00:00:00+00'`,
    updated_at: `null::timestamp`,
    delivered_at: `timestamp '2026-04-01 00:00:00'`,
    wait_min_seconds: `null::double`,
    wait_max_seconds: `null::double`,
  };
  const rows = days * CONTACTS_PER_DAY;
  await c.run(
    `COPY (select ${columnsSelect(contactsTable, expr)}, '${CLIENT}' as client_id, strftime(lt, '%Y-%m-%d') as dt
       from (select i, timestamp '${first} 08:00:00' + to_days((i % ${days})::integer) + to_seconds((hash(i, 0) % 50400)::bigint) as lt from range(${rows}) as t (i)))
     TO '${join(root, 'contacts')}' (FORMAT parquet, PARTITION_BY (client_id, dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'bench--{i}')`,
  );
  c.closeSync();
  instance.closeSync();
}


const sql = await loadSqlCatalog();
// 2026-04-01 08:00 KST, when the daily, weekly (of 3/23) and monthly reports go out
const clock = { now: () => new Date('2026-03-31T23:00:00Z') };
const runs: [PeriodKind, string][] = [
  ['daily', LAST_DAY],
  ['weekly', '2026-03-23'],
  ['monthly', LAST_DAY],
];
const results: { days: number; kind: PeriodKind; ms: number; ops: StoreOps; holds: boolean }[] = [];
/**
 * Whether a lake of `days` days ending LAST_DAY holds everything the report reads: its period, the prior period
 * (and the week-ago day), the category baseline and the repeat window before them. A shorter lake makes a
 * report cheaper only because its data is not there.
 */
function holds(days: number, kind: PeriodKind, date: string): boolean {
  const period = periodFor(kind, date);
  // the contact query reads back a repeat window (24 h + a day) before the earliest period it computes
  const contacts = addDays([priorPeriod(period).start, ...(kind === 'daily' ? [weekAgoPeriod(period).start, addDays(period.end, -13)] : [])].sort()[0]!, -2);
  const earliest = [contacts, ...categoryPeriods(period, priorPeriod, weekAgoPeriod).map((p) => p.start)].sort()[0]!;
  return addDays(LAST_DAY, 1 - days) <= earliest;
}

for (const days of SIZES) {
  const root = join(work, `lake-${days}`);
  const t0 = performance.now();
  await buildLake(root, days);
  console.log(`lake of ${days} days: ${(days * (PER_DAY + 1)).toLocaleString('en')} coverage entries, ${(days * CONTACTS_PER_DAY).toLocaleString('en')} contacts (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const engine = await createDuckDbEngine({ lakeRoot: root });
  try {
    for (const [kind, date] of runs) {
      const times: number[] = [];
      let ops = noOps();
      // one warm-up run, then three; each a first send (the delivery log is cleared in between)
      for (let r = 0; r < 4; r++) {
        await rm(join(root, 'deliveries'), { recursive: true, force: true });
        const counts = noOps();
        const started = performance.now();
        const result = await runReport(
          {
            loadKpis: (cfg, k, d) => computeKpiDocument(engine, cfg, k, d, { sql, now: clock.now() }),
            lake: countedStore(createFolderStore(root), counts),
            mailer: createOutboxMailer(join(work, `out-${days}`)),
            clock,
          },
          config,
          kind,
          date,
          { ignoreDeadline: true },
        );
        if (result.status !== 'sent' && result.status !== 'sent-incomplete') throw new Error(`${days} days ${kind}: ${result.status}`);
        if (r > 0) times.push(performance.now() - started);
        ops = counts;
      }
      results.push({ days, kind, ms: times.sort((a, b) => a - b)[1]!, ops, holds: holds(days, kind, date) });
    }
  } finally {
    await engine.close();
  }
}

console.log('\nreport  | lake days | wall ms | × smallest lake holding it | store lists | keys listed | objects read');
console.log('--------+-----------+---------+---------------------------+-------------+-------------+-------------');
const baseOf = (kind: PeriodKind) => results.find((b) => b.kind === kind && b.holds);
for (const r of results) {
  const base = baseOf(r.kind);
  console.log(
    [
      r.kind.padEnd(7),
      String(r.days).padStart(9),
      r.ms.toFixed(0).padStart(7),
      (r.holds && base !== undefined ? `${(r.ms / base.ms).toFixed(2)}×` : 'lake too short').padStart(25),
      String(r.ops.lists).padStart(11),
      String(r.ops.listed).padStart(11),
      String(r.ops.gets).padStart(12),
    ].join(' | '),
  );
}
const grew = results.filter((r) => {
  const base = baseOf(r.kind);
  return r.holds && base !== undefined && (r.ops.lists !== base.ops.lists || r.ops.listed !== base.ops.listed || r.ops.gets !== base.ops.gets);
});
if (grew.length > 0) {
  console.error(`\nthe store work of ${grew.map((r) => `${r.kind} at ${r.days} days`).join(', ')} grew with the lake`);
  process.exitCode = 1;
}
