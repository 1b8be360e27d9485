/**
 * `npm run bench:live`: the live page of a busy client — 20,000 contacts a day (BENCH_LIVE_PER_DAY) over the 29
 * days a view can reach (today and the four weeks before), Parquet written by DuckDB — viewed at 15:00. For each
 * view: the wall time of the model (the intraday query, the coverage of the week, today's alert records, the
 * figures, the conditions, the page model) and of the rendered page, as a ratio against a plain aggregate over the
 * same five partitions measured in the same run (the baseline), and the files the query read, from DuckDB's
 * EXPLAIN ANALYZE, checked against the five partitions: a view must read today and the four usual days, never
 * the weeks between them.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbEngine } from '../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../functions/core/config/client-config.ts';
import { renderLivePage } from '../functions/core/live/html.ts';
import { intradayQuery } from '../functions/core/live/intraday-query.ts';
import { liveWindow } from '../functions/core/live/live-days.ts';
import { loadLiveView } from '../functions/core/live/live-view.ts';
import { buildLivePageModel } from '../functions/core/live/model.ts';
import { readSqlFile } from '../functions/core/sql/sql-catalog.ts';
import { contactsTable } from '../functions/core/tables.ts';
import { columnsSelect, SYNTHETIC_CONTACTS } from './synthetic-rows.ts';

const PER_DAY = Number(process.env.BENCH_LIVE_PER_DAY ?? 20_000);
const DAYS = 29;
const TODAY = '2025-06-17'; // a Tuesday
const lake = join(import.meta.dirname, '.work', 'live-lake');
const CLIENT = 'bench';

const config = clientConfigSchema.parse({
  id: CLIENT,
  name: 'Bench',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [{ effective_from: '2025-01-01', targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 }, { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 }] }],
  calendar: [{ effective_from: '2025-01-01', holidays: false, phone: { days: 'mon-sun', hours: '08:00-22:00' }, chat: { days: 'mon-sun', hours: '08:00-22:00' }, board: { days: 'mon-sun', hours: '00:00-24:00' } }],
});

/** bench:kpis' contacts, every one with a customer, each delivered five minutes after it arrived (a Firehose source). */
const contactExpr: Record<string, string> = {
  ...SYNTHETIC_CONTACTS,
  customer_key: `'c' || (hash(i, 4) % 250000)`,
  delivered_at: `lt - interval 9 hour + interval 5 minute`,
};

async function generate(): Promise<void> {
  await rm(lake, { recursive: true, force: true });
  await mkdir(lake, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  // PER_DAY contacts on each of the 29 days ending TODAY, local 08:00–21:59 Seoul
  const first = new Date(Date.parse(`${TODAY}T00:00:00Z`) - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const base = `select i, timestamp '${first} 08:00:00' + to_days((i % ${DAYS})::integer) + to_seconds((hash(i, 0) % 50400)::bigint) as lt
                from range(${PER_DAY * DAYS}) as t (i)`;
  await c.run(
    `COPY (select ${columnsSelect(contactsTable, contactExpr)}, '${CLIENT}' as client_id, strftime(lt, '%Y-%m-%d') as dt from (${base})) ` +
      `TO '${join(lake, 'contacts')}' (FORMAT parquet, PARTITION_BY (client_id, dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'bench--{i}')`,
  );
  c.closeSync();
  instance.closeSync();
}

/** Files each parquet scan of the plan read ("Total Files Read: n" of EXPLAIN ANALYZE). */
const filesRead = (plan: string): number[] => [...plan.matchAll(/Total Files Read: (\d+)/g)].map((m) => Number(m[1]));

async function filesOf(dt: string): Promise<number> {
  return (await readdir(join(lake, 'contacts', `client_id=${CLIENT}`, `dt=${dt}`))).length;
}

const median = async (work: () => Promise<unknown>, runs = 5): Promise<number> => {
  await work(); // warm the file cache and the parquet metadata
  const times: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const s = performance.now();
    await work();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
};

const t0 = performance.now();
await generate();
const totalFiles = (await readdir(join(lake, 'contacts', `client_id=${CLIENT}`))).length;
console.log(`generated ${PER_DAY.toLocaleString('en')} contacts a day on ${DAYS} days (${(PER_DAY * DAYS).toLocaleString('en')} rows, ${totalFiles} partitions) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const engine = await createDuckDbEngine({ lakeRoot: lake });
const store = createFolderStore(lake);
const intradaySql = await readSqlFile('live/intraday');
const deps = { engine, intradaySql, lake: store, notes: store };

console.log('view at | model ms | page ms | × baseline (5-partition aggregate) | contacts today | files read (EXPLAIN) | of the 5 partitions');
console.log('--------+----------+---------+------------------------------------+----------------+----------------------+--------------------');
for (const hhmm of ['11:00', '15:00', '21:59']) {
  const now = new Date(`${TODAY}T${hhmm}:30+09:00`);
  const window = liveWindow(now, config.timezone);
  const dates = window.days.map((d) => d.dt);
  const baselineMs = await median(() =>
    engine.query(`select channel, count(*) as n, avg(wait_seconds) as w from contacts where client_id = ? and dt in (?, ?, ?, ?, ?) group by channel`, [CLIENT, ...dates]),
  );
  const modelMs = await median(async () => buildLivePageModel(await loadLiveView(deps, config, now)));
  const model = buildLivePageModel(await loadLiveView(deps, config, now));
  const pageMs = await median(async () => renderLivePage(model));
  const q = intradayQuery(intradaySql, CLIENT, window, config.contract[0]!);
  const read = filesRead(await engine.explainAnalyze(q.sql, q.params));
  const expected = (await Promise.all(dates.map(filesOf))).reduce((a, b) => a + b, 0);
  if (read.join() !== String(expected)) throw new Error(`${hhmm}: EXPLAIN read ${read.join('+')} files, the five partitions hold ${expected}`);
  const today = model.channels.reduce((n, c) => n + (c.soFar.find((f) => f.key === 'offered')?.value ?? 0), 0);
  console.log(
    [
      hhmm.padEnd(7),
      modelMs.toFixed(0).padStart(8),
      pageMs.toFixed(1).padStart(7),
      `${(modelMs / baselineMs).toFixed(1)}× (${baselineMs.toFixed(0)} ms)`.padEnd(34),
      `${today.toLocaleString('en')} offered`.padEnd(14),
      `${read.join(' + ')} of ${totalFiles}`.padEnd(20),
      dates.join(' '),
    ].join(' | '),
  );
  if (modelMs > 1000) console.log(`  over a second: the model of ${hhmm} took ${modelMs.toFixed(0)} ms`);
}
await engine.close();
