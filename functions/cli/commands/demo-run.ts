/** What `cspulse demo` does (demo.ts): simulate, ingest each source's files as one batch, report. */
import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDuckDbEngine } from '../../adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../adapters/local/outbox-mailer.ts';
import { localIngestDeps, localPaths } from '../../composition/local.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { loadClientConfigs } from '../../core/config/load-configs.ts';
import { ingestFiles } from '../../core/ingest/ingest-batch.ts';
import { coverageKeys } from '../../core/ingest/coverage.ts';
import { lakeKeys } from '../../core/ingest/manifest.ts';
import { computeKpiDocument } from '../../core/kpis/compute-kpi-document.ts';
import type { KpiDocument, PeriodKind } from '../../core/kpis/kpi-result.ts';
import { addDays, periodFor } from '../../core/kpis/periods.ts';
import type { Clock, QueryEngine } from '../../core/ports.ts';
import { runReport } from '../../core/schedule/run-report.ts';
import { localTimeConverter } from '../../core/time/local-time.ts';
import { DEMO_END_DATE, demoOptions, SCENARIOS, simulate, type ClientTruth } from '../../simulator/index.ts';
import type { CliContext } from '../context.ts';

export interface DemoOptions {
  days: number;
  configDir: string;
  lake?: string;
  out: string;
  exports: string;
}


/** The morning after the last simulated day, at the client's send time: when the reports would go out. */
function reportMorning(config: ClientConfig, lastDay: string): Clock {
  const [y, m, d] = addDays(lastDay, 1).split('-').map(Number) as [number, number, number];
  const [hh, mm] = config.reports.send_at.split(':').map(Number) as [number, number];
  const at = localTimeConverter(config.timezone)(y, m, d, hh, mm, 0, 0);
  return { now: () => at };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile() && e.name !== 'truth.json') out.push(path);
  }
  return out;
}


/** Removes one client's data from the local stores, so a re-run starts from the same empty state. */
export async function clearClient(lakeDir: string, quarantineDir: string, clientId: string): Promise<void> {
  for (const prefix of [
    lakeKeys.partitionPrefix('contacts', clientId, '').replace(/dt=\/$/, ''),
    lakeKeys.partitionPrefix('surveys', clientId, '').replace(/dt=\/$/, ''),
    `versions/${lakeKeys.partitionPrefix('contacts', clientId, '').replace(/dt=\/$/, '')}`,
    `versions/${lakeKeys.partitionPrefix('surveys', clientId, '').replace(/dt=\/$/, '')}`,
    coverageKeys.datePrefix(clientId, '').replace(/dt=\/$/, ''),
    lakeKeys.manifestPrefix(clientId),
    lakeKeys.deliveriesPrefix(clientId),
    coverageKeys.datePrefix(clientId, '').replace(/dt=\/$/, ''),
  ]) {
    await rm(join(lakeDir, prefix), { recursive: true, force: true });
  }
  await rm(join(quarantineDir, lakeKeys.rawPrefix(clientId)), { recursive: true, force: true });
}

async function reportClient(
  engine: QueryEngine,
  config: ClientConfig,
  truthFile: string,
  lastDay: string,
  clock: Clock,
  lakeDir: string,
  outDir: string,
  configDir: string,
): Promise<string[]> {
  // The summary reads the documents the reports were built from: each is computed once.
  const documents = new Map<string, Promise<KpiDocument>>();
  const loadKpis = (c: ClientConfig, kind: PeriodKind, date: string): Promise<KpiDocument> => {
    const key = `${kind} ${periodFor(kind, date).start}`;
    let doc = documents.get(key);
    if (!doc) documents.set(key, (doc = computeKpiDocument(engine, c, kind, date, { now: clock.now() })));
    return doc;
  };
  // the account manager's notes beside the configs (clients/notes/): the demo's March has one
  const deps = { loadKpis, lake: createFolderStore(lakeDir), mailer: createOutboxMailer(join(outDir, config.id)), clock, notes: createFolderStore(configDir) };
  // The reports that go out on the morning after the last day: yesterday, the last full ISO week, last month.
  const lastSunday = addDays(lastDay, -((new Date(`${lastDay}T00:00:00Z`).getUTCDay() + 7) % 7));
  const runs: [PeriodKind, string][] = [
    ['daily', lastDay],
    ['weekly', lastSunday],
    ['monthly', lastDay],
  ];
  const lines = [`${config.name} (${config.id}) — reports in ${join(outDir, config.id)}/`];
  for (const [kind, date] of runs) {
    const result = await runReport(deps, config, kind, date, { ignoreDeadline: true });
    lines.push(`  ${kind.padEnd(7)} ${result.period.start} … ${result.period.end}: ${result.status}`);
    // the report's own first line and the figures it judges: the console says what the client reads
    if ('verdict' in result && result.verdict !== null) lines.push(`          ${result.verdict}`);
    if (kind === 'monthly' && 'targets' in result) for (const target of result.targets) lines.push(`          ${target}`);
  }
  lines.push(...(await incidentCheck(loadKpis, config, truthFile)));
  return lines;
}

/** Did the KPIs flag the incident the simulator planted? Daily category spikes on its days say so. */
async function incidentCheck(
  loadKpis: (c: ClientConfig, kind: PeriodKind, date: string) => Promise<KpiDocument>,
  config: ClientConfig,
  truthFile: string,
): Promise<string[]> {
  const truth = JSON.parse(await readFile(truthFile, 'utf8')) as ClientTruth;
  if (!truth.incident) return [];
  const { category, dates } = truth.incident;
  const flagged: string[] = [];
  for (const date of dates) {
    const doc = await loadKpis(config, 'daily', date);
    const row = doc.categories.find((c) => c.category === category);
    if (row?.is_spike) flagged.push(`${date} (${row.count} vs baseline ${row.baseline_mean?.toFixed(1) ?? '—'})`);
  }
  return [
    `  planted incident: ${category} spike on ${dates.join(', ')} — ` +
      (flagged.length > 0 ? `detected as a spike on ${flagged.join(', ')}` : 'NOT detected'),
  ];
}

export async function runDemo(opts: DemoOptions, context: CliContext): Promise<void> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const run: DemoRun = {
    opts,
    context,
    elapsed,
    configs: await loadClientConfigs(opts.configDir),
    paths: localPaths({ lake: opts.lake }),
    exportsDir: resolve(opts.exports),
    outDir: resolve(opts.out),
    startDate: addDays(DEMO_END_DATE, 1 - opts.days),
  };
  await rm(run.exportsDir, { recursive: true, force: true });
  // The sample clients run side by side, each simulated, ingested and reported on its own: one's simulation
  // and records stage keep a core busy while the other's engine works.
  const clients = await Promise.all(Object.keys(SCENARIOS).map((id) => demoClient(run, id)));
  const simulatedIn = Math.max(...clients.map((c) => c.simulatedMs));
  context.out(
    `simulated ${run.startDate} … ${DEMO_END_DATE} for ${clients.map((c) => c.id).join(', ')}: ` +
      `${clients.reduce((n, c) => n + c.files, 0)} export files (${(simulatedIn / 1000).toFixed(1)} s)`,
  );
  for (const c of clients) context.out(c.ingested);
  for (const c of clients) for (const line of c.summaries) context.out(line);
  const lakeOption = opts.lake === undefined ? '' : ` --lake ${opts.lake}`;
  context.out(
    `done in ${elapsed()}. Ad hoc (README, "Ad hoc queries"): npx cspulse query${lakeOption} ` +
      `"select dt, channel, offered, service_level from kpi_daily where client_id = 'example' and dt >= '2026-03-25' order by dt, channel"`,
  );
}

interface DemoRun {
  opts: DemoOptions;
  context: CliContext;
  elapsed: () => string;
  configs: ClientConfig[];
  paths: ReturnType<typeof localPaths>;
  exportsDir: string;
  outDir: string;
  startDate: string;
}

/** One sample client through the pipeline: its exports simulated, each source's files ingested as one batch, its reports. */
async function demoClient(run: DemoRun, clientId: string) {
  const { opts, context, paths, exportsDir, outDir } = run;
  const started = performance.now();
  const simulation = await simulate({ ...demoOptions(exportsDir), startDate: run.startDate, days: opts.days, configDir: opts.configDir, clients: [clientId] });
  const simulatedMs = performance.now() - started;
  const simulated = simulation.clients[0]!;
  const config = run.configs.find((c) => c.id === simulated.clientId);
  if (!config) throw new Error(`simulated client ${simulated.clientId} has no config in ${opts.configDir}`);
  await clearClient(paths.lake, paths.quarantine, config.id);
  await rm(join(outDir, config.id), { recursive: true, force: true });

  const clock = reportMorning(config, simulation.endDate);
  const totals = await ingestSimulatedExports(paths, config, exportsDir, (source, files) => context.err(`  ${config.id}/${source}: ${files} files ingested (${run.elapsed()})`));
  const ingested =
    `${config.id}: ingested ${totals.files} files, ${totals.read} rows read = ${totals.written} written + ` +
    `${totals.quarantined} quarantined + ${totals.duplicates} duplicates dropped` +
    (totals.rejected > 0 ? `; ${totals.rejected} files rejected` : '');

  const engine = await createDuckDbEngine({ lakeRoot: paths.lake });
  try {
    const summaries = await reportClient(engine, config, simulated.truthFile, simulation.endDate, clock, paths.lake, outDir, opts.configDir);
    return { id: config.id, files: simulated.files, simulatedMs, ingested, summaries };
  } finally {
    await engine.close();
  }
}

export interface IngestTotals {
  files: number;
  read: number;
  written: number;
  quarantined: number;
  duplicates: number;
  rejected: number;
}

/**
 * Ingests every simulated export of one client, each source's files as one batch in name order (the order the
 * simulator delivered them in), each file as of the moment it was delivered (the simulator dates the file so),
 * as the ingest Lambda would have done, so the data-quality footer sees on-time deliveries.
 */
export async function ingestSimulatedExports(
  paths: ReturnType<typeof localPaths>,
  config: ClientConfig,
  exportsDir: string,
  onSource: (sourceId: string, files: number) => void = () => undefined,
): Promise<IngestTotals> {
  const ingestDeps = await localIngestDeps(paths, config);
  const totals: IngestTotals = { files: 0, read: 0, written: 0, quarantined: 0, duplicates: 0, rejected: 0 };
  for (const source of config.sources) {
    const files = await filesUnder(join(exportsDir, config.id, source.id));
    const deliveries = await Promise.all(
      files.map(async (file) => {
        const deliveredAt = (await stat(file)).mtime;
        return { file, open: () => createReadStream(file), deliveredAt, recordedAt: deliveredAt };
      }),
    );
    for (const m of await ingestFiles(ingestDeps, { config, sourceId: source.id, files: deliveries })) {
      totals.files++;
      totals.read += m.rows_read;
      totals.written += m.rows_written;
      totals.quarantined += m.rows_quarantined;
      totals.duplicates += m.duplicates_dropped;
      if (m.status === 'rejected') totals.rejected++;
    }
    onSource(source.id, files.length);
  }
  return totals;
}
