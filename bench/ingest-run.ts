/**
 * One ingest of one file in a fresh process, so the benchmark can read this process's own peak RSS.
 * Prints a JSON line: wall time, peak RSS and the manifest counts.
 */
import { openDuckDbWorkspace } from '../functions/adapters/local/duckdb-workspace.ts';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
    customerKeySecret: 'benchmark-secret-0123456789', openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date() },
    workDir: tmpdir(),
  },
  { config, sourceId: 'cti', file, body: createReadStream(file, { highWaterMark: 1 << 20 }) },
);
const ms = performance.now() - started;
console.log(
  JSON.stringify({
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rows_read: manifest.rows_read,
    rows_written: manifest.rows_written,
    rows_quarantined: manifest.rows_quarantined,
    duplicates_dropped: manifest.duplicates_dropped,
    partitions: manifest.partitions.length,
  }),
);
