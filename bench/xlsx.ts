/**
 * `npm run bench:xlsx`: the XLSX reader's memory on the workbooks of bench/xlsx-workbooks.ts, each read in a
 * fresh process (bundled by esbuild, as the Lambda runs ingest) by cspulse's ingest and, as the baseline in the
 * same run, by exceljs's streaming reader, the reader cspulse used before. Prints peak RSS and wall time of
 * both, and fails unless cspulse reads what it must: every chat of the 200,000-row export written, the
 * 480 MB cell's row quarantined and the other two written, and the 2,000 chats behind 8 million shared
 * strings written. Peak RSS is the process's own (getrusage maxrss), Node and DuckDB included.
 *
 * The workbooks are generated once into bench/.work/xlsx (about 30 MB) and reused; `--baseline false` skips
 * exceljs (on the huge-cell workbook it needs about 1.7 GB and a minute).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { writeChats, writeHugeCell, writeSharedStrings } from './xlsx-workbooks.ts';

const work = join(import.meta.dirname, '.work', 'xlsx');
mkdirSync(work, { recursive: true });
const withBaseline = !process.argv.includes('--baseline=false') && !(process.argv.includes('--baseline') && process.argv[process.argv.indexOf('--baseline') + 1] === 'false');

const script = join(work, 'xlsx-run.mjs');
await build({
  entryPoints: [join(import.meta.dirname, 'xlsx-run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: script,
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  logLevel: 'warning',
});

interface Run {
  reader: string;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  status?: string;
  error?: string | null;
  rows?: number;
  rows_read?: number;
  rows_written?: number;
  rows_quarantined?: number;
}

const workbooks = [
  { name: 'chats-200k', file: join(work, 'chats-200k.xlsx'), write: writeChats, lookups: true, expect: { rows_read: 200_000, rows_written: 200_000, rows_quarantined: 0 } },
  { name: 'shared-strings-8m', file: join(work, 'shared-strings-8m.xlsx'), write: writeSharedStrings, lookups: false, expect: { rows_read: 2_000, rows_written: 2_000, rows_quarantined: 0 } },
  { name: 'huge-cell-480mb', file: join(work, 'huge-cell-480mb.xlsx'), write: writeHugeCell, lookups: false, expect: { rows_read: 3, rows_written: 2, rows_quarantined: 1 } },
];

function run(reader: 'cspulse' | 'exceljs', file: string, lookups: boolean): Run & { wall: number } {
  const dir = join(work, `run-${reader}`);
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const output = execFileSync(process.execPath, [script, reader, file, dir, lookups ? 'lookups' : ''], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const wall = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  return { ...(JSON.parse(output.trim().split('\n').pop()!) as Run), wall };
}

const mb = (n: number) => `${Math.round(n)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cpu = (ms: number) => `${(ms / 1000).toFixed(1)} CPU-s`;
console.log('| workbook | zipped | cspulse peak RSS | cspulse wall / CPU | exceljs peak RSS | exceljs wall / CPU | cspulse rows read / written / quarantined |');
console.log('|---|---|---|---|---|---|---|');
for (const w of workbooks) {
  if (!existsSync(w.file)) await w.write(w.file);
  const size = Number(execFileSync('stat', ['-c', '%s', w.file], { encoding: 'utf8' }).trim());
  const ours = run('cspulse', w.file, w.lookups);
  const got = { rows_read: ours.rows_read, rows_written: ours.rows_written, rows_quarantined: ours.rows_quarantined };
  if (ours.status !== 'ok' || JSON.stringify(got) !== JSON.stringify(w.expect)) {
    throw new Error(`${w.name}: cspulse read ${JSON.stringify(got)} (${ours.status}: ${ours.error}), expected ${JSON.stringify(w.expect)}`);
  }
  const theirs = withBaseline ? run('exceljs', w.file, w.lookups) : undefined;
  console.log(
    `| ${w.name} | ${(size / 1024 / 1024).toFixed(1)} MB | ${mb(ours.peakRssMb)} | ${s(ours.wall)} / ${cpu(ours.cpuMs)} | ${theirs === undefined ? '—' : `${mb(theirs.peakRssMb)}${theirs.error ? ` (failed: ${theirs.error})` : ''}`} | ${theirs === undefined ? '—' : `${s(theirs.wall)} / ${cpu(theirs.cpuMs)}`} | ${ours.rows_read} / ${ours.rows_written} / ${ours.rows_quarantined} |`,
  );
}
