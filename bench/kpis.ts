/**
 * `npm run bench:kpis`: one client, one year (~1M contacts, ~100k survey answers) of Parquet written by DuckDB,
 * then the daily, weekly and monthly KPI documents computed on DuckDB. For each report: wall time, the ratio to
 * a full-year scan measured in the same run (the baseline), and the partitions (files) and bytes each query
 * reads, taken from DuckDB's EXPLAIN ANALYZE ("Scanning Files: read/total") and checked against the dt ranges
 * the parameters ask for. A daily report must read a handful of days, not the year.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbEngine } from '../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../functions/core/config/client-config.ts';
import { computeKpiDocument, DAILY_TREND_DAYS, versionForPeriod } from '../functions/core/kpis/compute-kpi-document.ts';
import {
  categoryMixQuery,
  categoryPeriods,
  contactKpiQuery,
  DEFAULT_SPIKE_RULE,
  EMPTY_RANGE,
  surveyKpiQuery,
  type BoundQuery,
  type ReportRanges,
} from '../functions/core/kpis/kpi-queries.ts';
import type { PeriodKind } from '../functions/core/kpis/kpi-result.ts';
import { addDays, periodFor, priorPeriod, weekAgoPeriod } from '../functions/core/kpis/periods.ts';
import { loadSqlCatalog } from '../functions/core/sql/sql-catalog.ts';
import { contactsTable, surveysTable } from '../functions/core/tables.ts';
import { columnsSelect, SYNTHETIC_CONTACTS } from './synthetic-rows.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const lake = join(import.meta.dirname, '.work', 'kpis-lake');
const CLIENT = 'bench';
const REPORT_DATE = '2025-06-18';

const config = clientConfigSchema.parse({
  id: CLIENT,
  name: 'Bench',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'cti', format: 'cspulse-csv' }],
  recipients: { to: ['cs@example.com'] },
  contract: [
    {
      effective_from: '2025-01-01',
      monthly_cost: 50_000_000,
      targets: [
        { kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 },
        { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 },
        { kpi: 'csat_avg', op: '>=', value: 4.5 },
      ],
    },
  ],
});

const surveyExpr: Record<string, string> = {
  survey_id: `'s' || i`,
  contact_id: `'k' || i`,
  channel: `case when i % 10 < 6 then 'phone' when i % 10 < 9 then 'chat' else 'board' end`,
  agent_id: `null`,
  survey_type: `(['csat', 'nps', 'ces'])[1 + (hash(i, 13) % 3)::bigint]`,
  score: `(case (['csat', 'nps', 'ces'])[1 + (hash(i, 13) % 3)::bigint] when 'csat' then 1 + hash(i, 14) % 5 when 'nps' then hash(i, 14) % 11 else 1 + hash(i, 14) % 7 end)::double`,
  scale_min: `case (['csat', 'nps', 'ces'])[1 + (hash(i, 13) % 3)::bigint] when 'nps' then 0 else 1 end`,
  scale_max: `case (['csat', 'nps', 'ces'])[1 + (hash(i, 13) % 3)::bigint] when 'csat' then 5 when 'nps' then 10 else 7 end`,
  comment: `null`,
  responded_at: `lt - interval 9 hour + interval 10 minute`,
  source: `'surveys'`,
  source_file: `'surveys.csv'`,
  ingested_at: `timestamptz '2026-01-01 00:00:00+00'`,
  delivered_at: `timestamp '2026-01-01 00:00:00'`,
};

async function generate(): Promise<void> {
  await rm(lake, { recursive: true, force: true });
  await mkdir(lake, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  // contacts spread over 2025, local business hours 08:00–21:59 Seoul
  const base = `select i, timestamp '2025-01-01 08:00:00' + to_days((i % 365)::integer) + to_seconds((hash(i, 0) % 50400)::bigint) as lt
                from range(${ROWS}) as t (i)`;
  const select = (table: typeof contactsTable | typeof surveysTable, exprs: Record<string, string>, where = '') =>
    `select ${columnsSelect(table, exprs)}, '${CLIENT}' as client_id, strftime(lt, '%Y-%m-%d') as dt from (${base}) ${where}`;
  const copy = (table: string) =>
    `TO '${join(lake, table)}' (FORMAT parquet, PARTITION_BY (client_id, dt), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'bench--{i}')`;
  await c.run(`COPY (${select(contactsTable, SYNTHETIC_CONTACTS)}) ${copy('contacts')}`);
  await c.run(`COPY (${select(surveysTable, surveyExpr, 'where hash(i, 15) % 10 = 0')}) ${copy('surveys')}`);
  c.closeSync();
  instance.closeSync();
}

interface Partition {
  files: number;
  bytes: number;
}

async function partitionSizes(table: string): Promise<Map<string, Partition>> {
  const sizes = new Map<string, Partition>();
  const root = join(lake, table, `client_id=${CLIENT}`);
  for (const dir of await readdir(root)) {
    let bytes = 0;
    const files = await readdir(join(root, dir));
    for (const f of files) bytes += (await stat(join(root, dir, f))).size;
    sizes.set(dir.replace('dt=', ''), { files: files.length, bytes });
  }
  return sizes;
}

/** Files each parquet scan of the plan read ("Total Files Read: n" of EXPLAIN ANALYZE). */
const filesRead = (plan: string): number[] => [...plan.matchAll(/Total Files Read: (\d+)/g)].map((m) => Number(m[1]));

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const t0 = performance.now();
await generate();
const contactSizes = await partitionSizes('contacts');
const surveySizes = await partitionSizes('surveys');
const sum = (m: Map<string, Partition>) => [...m.values()].reduce((a, b) => a + b.bytes, 0);
const fileCount = (m: Map<string, Partition>) => [...m.values()].reduce((a, b) => a + b.files, 0);
console.log(
  `generated ${ROWS.toLocaleString('en')} contacts in ${contactSizes.size} daily partitions (${mb(sum(contactSizes))}), ` +
    `${fileCount(contactSizes)} files; surveys ${mb(sum(surveySizes))}, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const engine = await createDuckDbEngine({ lakeRoot: lake });
const sql = await loadSqlCatalog();

const timeIt = async (work: () => Promise<unknown>, runs = 3): Promise<number> => {
  await work(); // warm the file cache and the parquet metadata
  const times: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const s = performance.now();
    await work();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
};

const baselineMs = await timeIt(() =>
  engine.query(`select channel, count(*), avg(wait_seconds) from contacts where client_id = ? group by channel`, [CLIENT]),
);
console.log(`baseline: full-year aggregate over contacts = ${baselineMs.toFixed(0)} ms\n`);

const inRange = (sizes: Map<string, Partition>, from: string, to: string) => [...sizes].filter(([dt]) => dt >= from && dt <= to);

console.log('report   | wall ms | × baseline | query          | days (partitions) | files read (EXPLAIN) | dt ranges                       | bytes in range');
console.log('---------+---------+------------+----------------+-------------------+----------------------+---------------------------------+---------------');
for (const kind of ['daily', 'weekly', 'monthly'] as PeriodKind[]) {
  const ms = await timeIt(() => computeKpiDocument(engine, config, kind, REPORT_DATE, { sql }));
  const period = periodFor(kind, REPORT_DATE);
  const version = versionForPeriod(config, period);
  const ranges: ReportRanges = {
    current: period,
    prior: priorPeriod(period),
    week_ago: kind === 'daily' ? weekAgoPeriod(period) : EMPTY_RANGE,
    trend: kind === 'daily' ? { start: addDays(period.end, 1 - DAILY_TREND_DAYS), end: period.end } : EMPTY_RANGE,
  };
  const cq = contactKpiQuery(sql['kpis/contact_kpis'], CLIENT, ranges, version, config.sources.map((s) => s.id));
  const sq = surveyKpiQuery(sql['kpis/survey_kpis'], CLIENT, ranges, version);
  const categories = categoryPeriods(period, priorPeriod, weekAgoPeriod);
  const kq = categoryMixQuery(sql['kpis/category_mix'], CLIENT, categories, DEFAULT_SPIKE_RULE);
  const cp = cq.params;
  const sp = sq.params;
  const queries = [
    {
      name: 'contact_kpis',
      query: cq,
      // main scan, then the newest-contact probe (arrived_at only); each scan reads the dt ranges listed
      scans: [[[String(cp[1]), String(cp[2])]], [[String(cp[4]), String(cp[5])]]],
      sizes: contactSizes,
    },
    { name: 'survey_kpis', query: sq, scans: [[[String(sp[1]), String(sp[2])]]], sizes: surveySizes },
    // one scan over the six periods' days (current, prior, four baseline periods)
    { name: 'category_mix', query: kq, scans: [categories.map((c) => [c.start, c.end])], sizes: contactSizes },
  ] as { name: string; query: BoundQuery; scans: string[][][]; sizes: Map<string, Partition> }[];
  /** The partitions one scan covers: every date in any of its ranges, once. */
  const scanPartitions = (sizes: Map<string, Partition>, ranges: string[][]) => {
    const dates = new Map<string, Partition>();
    for (const [a, b] of ranges) for (const [dt, p] of inRange(sizes, a!, b!)) dates.set(dt, p);
    return [...dates.values()];
  };
  let first = true;
  for (const q of queries) {
    const plan = await engine.explainAnalyze(q.query.sql, q.query.params);
    const read = filesRead(plan);
    const partitions = q.scans.map((ranges) => scanPartitions(q.sizes, ranges));
    const expectedFiles = partitions.map((ps) => ps.reduce((n, p) => n + p.files, 0));
    const days = partitions.map((ps) => ps.length);
    if (read.join() !== expectedFiles.join()) {
      throw new Error(`${kind} ${q.name}: EXPLAIN read ${read.join('+')} files, the dt ranges hold ${expectedFiles.join('+')}`);
    }
    const bytes = partitions.flat().reduce((a, p) => a + p.bytes, 0);
    console.log(
      [
        (first ? kind : '').padEnd(8),
        (first ? ms.toFixed(0) : '').padStart(7),
        (first ? `${(ms / baselineMs).toFixed(2)}×` : '').padStart(10),
        q.name.padEnd(14),
        `${days.join(' + ')} of ${q.sizes.size}`.padEnd(17),
        `${read.join(' + ')} of ${fileCount(q.sizes)}`.padEnd(20),
        q.scans.flat().map(([a, b]) => (a === b ? a : `${a}..${b}`)).join(', ').padEnd(31),
        mb(bytes),
      ].join(' | '),
    );
    first = false;
  }
}
await engine.close();
