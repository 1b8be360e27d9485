/**
 * The cost of ingesting one daily file as the client's lake grows: a lake of `days` days of history (built by
 * ingesting a generated export of those days, as the product would have), then the next day's file ingested
 * into a copy of it. Ingest reads only the business dates a file touches and their neighbours, so the time
 * and the store work must not follow the history; this measures that, counting every store call.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDuckDbWorkspace } from '../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { parseClientConfig } from '../functions/core/config/parse-config.ts';
import { ingestFile, type IngestDeps } from '../functions/core/ingest/ingest-file.ts';
import type { ObjectStore } from '../functions/core/ports.ts';
import { countedStore, noOps, type StoreOps } from './counted-store.ts';
import { generateCtiExport } from './generate-cti.ts';

export interface GrowthResult {
  days: number;
  objects: number;
  ms: number;
  ops: StoreOps;
}

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function countObjects(store: ObjectStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list('')) n++;
  return n;
}

/**
 * @param dailyFile the file ingested into each lake: one business day, `day`
 * @param rowsPerDay rows of each history day
 */
export async function ingestGrowth(work: string, sizes: readonly number[], dailyFile: string, day: string, rowsPerDay: number): Promise<GrowthResult[]> {
  const config = parseClientConfig(await readFile('clients/example.yaml', 'utf8'), 'clients/example.yaml');
  const deps = (root: string, ops: StoreOps): IngestDeps => ({
    lake: countedStore(createFolderStore(join(root, 'lake')), ops),
    quarantine: createFolderStore(join(root, 'quarantine')),
    customerKeySecret: 'benchmark-secret-0123456789',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date() },
    workDir: join(root, 'work'),
  });
  const results: GrowthResult[] = [];
  for (const days of sizes) {
    const root = join(work, `growth-${days}`);
    const history = join(work, `history-${days}.csv`);
    await generateCtiExport(history, { rows: rowsPerDay * days, seed: 3, startDate: addDays(day, -days), days });
    const built = await ingestFile(deps(root, noOps()), { config, sourceId: 'cti', file: `history-${days}.csv`, body: createReadStream(history) });
    if (built.status !== 'ok') throw new Error(`the ${days}-day history did not ingest: ${built.error}`);
    await rm(history);
    const objects = await countObjects(createFolderStore(join(root, 'lake')));
    const times: number[] = [];
    let ops = noOps();
    for (let run = 0; run < 5; run++) {
      // a hard-linked copy: the store replaces objects by rename, so the history stays as built
      const clone = join(work, `growth-${days}-run`);
      await rm(clone, { recursive: true, force: true });
      execFileSync('cp', ['-al', root, clone]);
      const counts = noOps();
      const started = performance.now();
      const m = await ingestFile(deps(clone, counts), { config, sourceId: 'cti', file: 'daily.csv', body: createReadStream(dailyFile) });
      times.push(performance.now() - started);
      if (m.status !== 'ok') throw new Error(`the daily file did not ingest into the ${days}-day lake: ${m.error}`);
      ops = counts;
      await rm(clone, { recursive: true, force: true });
    }
    results.push({ days, objects, ms: Math.min(...times), ops });
    await rm(root, { recursive: true, force: true });
  }
  return results;
}
