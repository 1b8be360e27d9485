/**
 * One ingest of one file in a fresh process, so the benchmark can read this process's own peak RSS and CPU time.
 * Prints a JSON line: wall time of the ingest, CPU time and peak RSS of the process, and the manifest counts.
 * Exits non-zero when the file did not ingest, so a failed run is never read as a fast one.
 */
import { openDuckDbWorkspace } from '../functions/adapters/local/duckdb-workspace.ts';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { parseClientConfig } from '../functions/core/config/parse-config.ts';
import { ingestFile } from '../functions/core/ingest/ingest-file.ts';

const [file, lakeDir] = process.argv.slice(2);
if (!file || !lakeDir) throw new Error('usage: ingest-run.ts FILE LAKE_DIR');
const config = parseClientConfig(await readFile('clients/example.yaml', 'utf8'), 'clients/example.yaml');
const started = performance.now();
const manifest = await ingestFile(
  {
    lake: createFolderStore(join(lakeDir, 'lake')),
    quarantine: createFolderStore(join(lakeDir, 'quarantine')),
    customerKeySecret: 'benchmark-secret-0123456789',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date() },
    workDir: join(lakeDir, 'work'),
  },
  { config, sourceId: 'cti', file, body: createReadStream(file, { highWaterMark: 1 << 20 }) },
);
const ms = performance.now() - started;
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    status: manifest.status,
    error: manifest.error,
    ms,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMb: usage.maxRSS / 1024,
    rows_read: manifest.rows_read,
    rows_written: manifest.rows_written,
    rows_quarantined: manifest.rows_quarantined,
    duplicates_dropped: manifest.duplicates_dropped,
    partitions: manifest.partitions.length,
  }),
);
if (manifest.status !== 'ok') process.exitCode = 1;
