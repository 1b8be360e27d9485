/**
 * `npm run bench:ingest`: a 1,000,000-row CP949 CTI export (15 Korean columns), ingested by cspulse and, in
 * the same run, converted to Parquet by DuckDB as the baseline. Prints rows/s, peak RSS and the ratio.
 * Targets: our wall time at most 3x DuckDB's, peak RSS at most 300 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { duckdbBaseline } from './duckdb-baseline.ts';
import { generateCtiExport } from './generate-cti.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const work = join(import.meta.dirname, '.work');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const cp949 = join(work, 'cti_export.csv');
const utf8 = join(work, 'cti_export.utf8.csv');
const options = { rows: ROWS, seed: 7, startDate: '2026-03-02', days: 7 };

let t = performance.now();
await generateCtiExport(cp949, { ...options, encoding: 'cp949' });
await generateCtiExport(utf8, { ...options, encoding: 'utf-8' });
const size = (await stat(cp949)).size;
console.log(`generated ${ROWS.toLocaleString('en')} rows, ${(size / 1e6).toFixed(1)} MB CP949, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const baseline = await duckdbBaseline(cp949, join(work, 'duckdb.parquet'), { utf8CopyPath: utf8 });

// Ingest runs as the Lambda runs it: bundled by esbuild into one file for plain Node, in a fresh process so
// its peak RSS is its own. Twice: with V8's default heap, which grows lazily on a large machine, and with the
// heap capped at 160 MB, which shows how much memory ingest needs rather than how much V8 takes.
const bundle = join(work, 'ingest-run.mjs');
await build({
  entryPoints: [join(import.meta.dirname, 'ingest-run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  // DuckDB's native binding is not bundled: the Lambda asset carries the package beside the bundle
  external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
  logLevel: 'warning',
});
type Run = {
  ms: number;
  peakRssMb: number;
  rows_read: number;
  rows_written: number;
  rows_quarantined: number;
  duplicates_dropped: number;
  partitions: number;
};
const runIngest = (nodeArgs: string[], lake: string): Run => {
  const output = execFileSync(process.execPath, [...nodeArgs, bundle, cp949, join(work, lake)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').pop()!) as Run;
};
const ours = runIngest([], 'lake');
const capped = runIngest(['--max-old-space-size=160'], 'lake-capped');

const ratio = ours.ms / baseline.ms;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s`;
console.log('');
console.log(`DuckDB baseline : ${(baseline.ms / 1000).toFixed(2)} s  ${rate(baseline.rows, baseline.ms)}  (${baseline.note})`);
console.log(
  `cspulse ingest  : ${(ours.ms / 1000).toFixed(2)} s  ${rate(ours.rows_read, ours.ms)}  peak RSS ${ours.peakRssMb.toFixed(0)} MB  ` +
    `(read ${ours.rows_read}, written ${ours.rows_written}, quarantined ${ours.rows_quarantined}, duplicates ${ours.duplicates_dropped}, ${ours.partitions} partitions)`,
);
console.log(`ratio           : ${ratio.toFixed(2)}x DuckDB's wall time (target <= 3x)  ${ratio <= 3 ? 'OK' : 'OVER TARGET'}`);
console.log(
  `memory          : ${ours.peakRssMb.toFixed(0)} MB peak RSS with V8's default heap; ${capped.peakRssMb.toFixed(0)} MB with the heap ` +
    `capped at 160 MB (${(capped.ms / 1000).toFixed(2)} s) (target <= 300 MB)  ${ours.peakRssMb <= 300 ? 'OK' : capped.peakRssMb <= 300 ? 'OK only with the cap' : 'OVER TARGET'}`,
);
await rm(work, { recursive: true, force: true });
