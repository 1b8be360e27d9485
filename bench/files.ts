/**
 * `npm run bench:files`: many small files, and how fast the command starts. Three measurements, each against a
 * baseline measured in the same run:
 *
 * - the demo's exports (90 days of the sample clients: 543 files of 50–700 rows) ingested as the CLI does, one
 *   `cspulse ingest --client C --source S <folder>` process per source folder, against DuckDB converting the
 *   same files to Parquet one by one in one process per folder (bench/files-duckdb.ts), both timed from spawn to
 *   exit. DuckDB cannot decode CP949 here (its encodings extension cannot be downloaded), so it converts UTF-8
 *   copies of the CTI files and skips the decoding cspulse does. Target: at most 3x;
 * - `npm run demo` from spawn to exit (simulation, ingest, KPIs and reports of both clients);
 * - `cspulse --help` against `node -e 0`: what every command pays before it does anything.
 *
 * Times are the best of a few runs (the machine is shared; the best run is the one least disturbed).
 * BENCH_RUNS changes how many. It fails only when an ingest does not finish cleanly, never on a time.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import iconv from 'iconv-lite';
import { currentBundle } from '../bin/cli-bundle.js';
import { demoOptions, simulate } from '../functions/simulator/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROOT = join(import.meta.dirname, '..');
const work = join(import.meta.dirname, '.work', 'files');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });

const exportsDir = join(work, 'exports');
const simulation = await simulate(demoOptions(exportsDir));
/** Each source folder of the demo, and the folder and reader DuckDB converts it from. */
const folders: { client: string; source: string; dir: string; duckdbDir: string; format: 'csv' | 'json'; files: number }[] = [];
for (const client of simulation.clients) {
  for (const source of (await readdir(join(exportsDir, client.clientId), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const dir = join(exportsDir, client.clientId, source);
    const names = (await readdir(dir)).sort();
    let duckdbDir = dir;
    if (source === 'cti') {
      // the CTI writes CP949: DuckDB reads a UTF-8 copy of the same rows
      duckdbDir = join(work, 'utf8', client.clientId, source);
      await mkdir(duckdbDir, { recursive: true });
      for (const name of names) await writeFile(join(duckdbDir, name), iconv.decode(await readFile(join(dir, name)), 'cp949'));
    }
    folders.push({ client: client.clientId, source, dir, duckdbDir, format: source === 'connect' ? 'json' : 'csv', files: names.length });
  }
}

const cli = join(ROOT, 'bin', 'cspulse.js');
await currentBundle();
const baseline = join(work, 'files-duckdb.mjs');
await build({
  entryPoints: [join(import.meta.dirname, 'files-duckdb.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: baseline,
  external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  logLevel: 'warning',
});

/** Runs a process to its end; returns its stdout and the wall time from spawn to exit. */
function timed(args: string[], options: { cwd?: string } = {}): { ms: number; stdout: string } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ms: performance.now() - started, stdout };
}

interface FolderRun {
  cspulse: number;
  duckdb: number;
  conversion: number;
  rowsRead: number;
  rowsDuckdb: number;
}

function runFolder(f: (typeof folders)[number], run: number): FolderRun {
  const lake = join(work, `lake-${run}`);
  const ours = timed([cli, 'ingest', '--client', f.client, '--source', f.source, '--lake', lake, f.dir]);
  const lines = ours.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string; rows_read: number });
  if (lines.length !== f.files || lines.some((l) => l.status !== 'ok')) throw new Error(`${f.client}/${f.source}: not every file was ingested ok`);
  const out = join(work, `parquet-${run}`);
  execFileSync('mkdir', ['-p', out]);
  const duck = timed([baseline, f.format, f.duckdbDir, out]);
  const measured = JSON.parse(duck.stdout.trim()) as { ms: number; files: number; rows: number };
  execFileSync('rm', ['-rf', out]);
  return { cspulse: ours.ms, duckdb: duck.ms, conversion: measured.ms, rowsRead: lines.reduce((n, l) => n + l.rows_read, 0), rowsDuckdb: measured.rows };
}

const best = (ms: readonly number[]): number => Math.min(...ms);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const results = folders.map(() => [] as FolderRun[]);
for (let run = 0; run < RUNS; run++) {
  // each run ingests every folder into an empty lake, as the CLI would on a new machine
  await rm(join(work, `lake-${run}`), { recursive: true, force: true });
  for (const [i, f] of folders.entries()) results[i]!.push(runFolder(f, run));
  await rm(join(work, `lake-${run}`), { recursive: true, force: true });
}

console.log('');
console.log(`the demo's exports: ${folders.reduce((n, f) => n + f.files, 0)} files, ${simulation.startDate} … ${simulation.endDate}; best of ${RUNS} runs`);
console.log('folder                files  rows read | cspulse ingest | DuckDB process (conversion) | ratio');
let ours = 0;
let theirs = 0;
for (const [i, f] of folders.entries()) {
  const r = results[i]!;
  const [o, d] = [best(r.map((x) => x.cspulse)), best(r.map((x) => x.duckdb))];
  ours += o;
  theirs += d;
  console.log(
    `${`${f.client}/${f.source}`.padEnd(21)} ${String(f.files).padStart(5)} ${String(r[0]!.rowsRead).padStart(10)} | ${seconds(o).padStart(14)} | ` +
      `${`${seconds(d)} (${seconds(best(r.map((x) => x.conversion)))})`.padStart(27)} | ${(o / d).toFixed(2)}x`,
  );
}
const ratio = ours / theirs;
console.log(`${'all'.padEnd(21)} ${' '.repeat(16)} | ${seconds(ours).padStart(14)} | ${seconds(theirs).padStart(27)} | ${ratio.toFixed(2)}x (target <= 3x) ${ratio <= 3 ? 'OK' : 'OVER TARGET'}`);

const demoRuns = Array.from({ length: Math.max(1, Math.min(RUNS, 2)) }, (_, i) => {
  const dir = join(work, `demo-${i}`);
  const run = timed([cli, 'demo', '--lake', join(dir, 'lake'), '--out', join(dir, 'out'), '--exports', join(dir, 'exports')]);
  execFileSync('rm', ['-rf', dir]);
  return run.ms;
});
console.log('');
console.log(`npm run demo (90 days, two clients, ${relative(ROOT, cli)} demo from spawn to exit): ${seconds(best(demoRuns))}`);

const starts = (args: string[]) => best(Array.from({ length: 10 }, () => timed(args).ms));
const help = starts([cli, '--help']);
const bare = starts(['-e', '0']);
console.log(`cspulse --help: ${seconds(help)} against node -e 0: ${seconds(bare)} (+${seconds(help - bare)}), best of 10`);
await rm(work, { recursive: true, force: true });
