/**
 * What the ingest Lambda pays per object of a Firehose-fed Amazon Connect source: Firehose flushes its buffer
 * every few minutes, so such a source delivers hundreds of small objects a day, each its own invocation. The
 * demo's Connect day is cut into five-minute objects (by each record's LastUpdateTimestamp, as a 300-second
 * buffer would), and each is ingested by ingestFile in one warm process, as a warm Lambda container runs them,
 * into a lake that already holds the month before. The baseline, in the same process: DuckDB converting each
 * object to Parquet (read_json + COPY) in one warm database.
 *
 * Besides time it counts the store requests of each object and its round trips: requests started while no
 * other was in flight, each a wait for S3 (small requests answer in tens of milliseconds,
 * https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html),
 * which the local folder store here answers in about a millisecond.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWorkspace } from '../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { loadClientConfig } from '../functions/core/config/load-configs.ts';
import { ingestFiles } from '../functions/core/ingest/ingest-batch.ts';
import { ingestFile, type IngestDeps } from '../functions/core/ingest/ingest-file.ts';
import type { ObjectStore } from '../functions/core/ports.ts';
import { addDays } from '../functions/core/kpis/periods.ts';
import { simulate } from '../functions/simulator/index.ts';

const BUFFER_MS = 300_000;

export interface FirehoseResult {
  objects: number;
  records: number;
  /** per object: median wall ms, CPU ms, store requests and round trips */
  cspulse: { ms: number; cpuMs: number; requests: number; roundTrips: number; firstHourMs: number; lastHourMs: number };
  duckdb: { ms: number };
}

/** Counts requests, and round trips: requests that start while none is in flight. */
function tripCounter(store: ObjectStore, counts: { requests: number; roundTrips: number }): ObjectStore {
  let inFlight = 0;
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    counts.requests++;
    if (inFlight === 0) counts.roundTrips++;
    inFlight++;
    try {
      return await f();
    } finally {
      inFlight--;
    }
  };
  return {
    get: (k) => call(() => store.get(k)),
    getStream: (k) => call(() => store.getStream(k)),
    put: (k, b, o) => call(() => store.put(k, b, o)),
    putIfAbsent: (k, b, o) => call(() => store.putIfAbsent(k, b, o)),
    copy: (from, to) => call(() => store.copy(from, to)),
    head: (k) => call(() => store.head(k)),
    delete: (k) => call(() => store.delete(k)),
    async *list(prefix) {
      counts.requests++;
      if (inFlight === 0) counts.roundTrips++;
      inFlight++;
      try {
        yield* store.list(prefix);
      } finally {
        inFlight--;
      }
    },
  };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The day's records in five-minute objects (JSON lines), in delivery order. */
async function firehoseDay(dir: string, day: string): Promise<{ at: number; text: string; records: number }[]> {
  const records: { at: number; json: string }[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    // the simulator writes some objects concatenated, some one record per line
    for (const json of text.split(/(?<=\})(?=\{)|\n/).filter((l) => l.trim() !== '')) {
      const at = Date.parse((JSON.parse(json) as { LastUpdateTimestamp: string }).LastUpdateTimestamp);
      if (new Date(at).toISOString().slice(0, 10) === day) records.push({ at, json });
    }
  }
  const buckets = new Map<number, string[]>();
  for (const r of records.sort((a, b) => a.at - b.at)) {
    const window = Math.floor(r.at / BUFFER_MS);
    buckets.set(window, [...(buckets.get(window) ?? []), r.json]);
  }
  return [...buckets].map(([window, lines]) => ({ at: (window + 1) * BUFFER_MS, text: `${lines.join('\n')}\n`, records: lines.length }));
}

export async function firehoseObjects(work: string): Promise<FirehoseResult> {
  await mkdir(work, { recursive: true });
  const config = await loadClientConfig('clients', 'northwind');
  const day = '2026-03-10';
  const simulation = await simulate({ seed: 42, startDate: addDays(day, -30), days: 31, outDir: join(work, 'exports'), clients: ['northwind'] });
  const exportsDir = join(simulation.outDir, 'northwind', 'connect');
  const counts = { requests: 0, roundTrips: 0 };
  const deps: IngestDeps = {
    lake: tripCounter(createFolderStore(join(work, 'lake')), counts),
    quarantine: tripCounter(createFolderStore(join(work, 'quarantine')), counts),
    customerKeySecret: 'firehose-bench-secret-0000000',
    clock: { now: () => new Date(`${day}T12:00:00Z`) },
    workDir: join(work, 'work'),
    openWorkspace: openDuckDbWorkspace,
    // no locks: on AWS the client's queue is FIFO, one object at a time
  };
  // the month before, as earlier invocations left it
  const history = (await readdir(exportsDir)).sort().filter((name) => !name.includes(`-${day}-`) && name < `northwind-ctr-1-${addDays(day, 1)}`);
  await ingestFiles(deps, { config, sourceId: 'connect', files: history.map((name) => ({ file: name, open: () => createReadStream(join(exportsDir, name)) })) });

  const objects = await firehoseDay(exportsDir, day);
  const objectsDir = join(work, 'objects');
  await mkdir(objectsDir, { recursive: true });
  for (const [i, o] of objects.entries()) await writeFile(join(objectsDir, `${i}.json`), o.text);

  const ours: { ms: number; cpuMs: number; requests: number; roundTrips: number }[] = [];
  for (const [i, o] of objects.entries()) {
    const at = new Date(o.at + 60_000);
    Object.assign(counts, { requests: 0, roundTrips: 0 });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const manifest = await ingestFile({ ...deps, clock: { now: () => at } }, { config, sourceId: 'connect', file: `client_id=northwind/connect/${i}.json`, body: createReadStream(join(objectsDir, `${i}.json`)), deliveredAt: at });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (manifest.status !== 'ok' || manifest.rows_read !== o.records) throw new Error(`object ${i}: ${manifest.status} ${manifest.error ?? ''}`);
    ours.push({ ms, cpuMs: (used.user + used.system) / 1000, ...counts });
  }

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const theirs: number[] = [];
  for (const i of objects.keys()) {
    const started = performance.now();
    await connection.run(`COPY (SELECT * FROM read_json('${join(objectsDir, `${i}.json`)}', format = 'auto')) TO '${join(work, 'duckdb.parquet')}' (FORMAT parquet)`);
    theirs.push(performance.now() - started);
  }
  connection.closeSync();
  instance.closeSync();

  return {
    objects: objects.length,
    records: objects.reduce((n, o) => n + o.records, 0),
    cspulse: {
      ms: median(ours.map((o) => o.ms)),
      cpuMs: median(ours.map((o) => o.cpuMs)),
      requests: median(ours.map((o) => o.requests)),
      roundTrips: median(ours.map((o) => o.roundTrips)),
      firstHourMs: median(ours.slice(0, 12).map((o) => o.ms)),
      lastHourMs: median(ours.slice(-12).map((o) => o.ms)),
    },
    duckdb: { ms: median(theirs) },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const work = join(import.meta.dirname, '.work', 'firehose');
  await rm(work, { recursive: true, force: true });
  const r = await firehoseObjects(work);
  const c = r.cspulse;
  console.log('');
  console.log(`a day of a Firehose-fed Connect source: ${r.objects} five-minute objects, ${r.records} records, one ingestFile each in a warm process (medians)`);
  console.log(
    `cspulse ${c.ms.toFixed(0)} ms per object (${c.cpuMs.toFixed(0)} ms CPU; first hour ${c.firstHourMs.toFixed(0)} ms, last hour ${c.lastHourMs.toFixed(0)} ms) ` +
      `vs DuckDB converting the object ${r.duckdb.ms.toFixed(1)} ms = ${(c.ms / r.duckdb.ms).toFixed(0)}x`,
  );
  console.log(`store requests per object ${c.requests}, of them round trips (each a wait for S3) ${c.roundTrips}`);
  await rm(work, { recursive: true, force: true });
}
