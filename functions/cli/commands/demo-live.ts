/**
 * `cspulse demo --live`: a day replayed at speed, so a newcomer sees the live page move and an alert fire. The
 * simulator writes five weeks of one client's exports (the usual days the page compares with) and the last day,
 * from the morning on, as a collector pulling every 15 minutes (and Amazon Connect's Firehose) would deliver it;
 * the planted incident of the client (the example shop's courier-hub failure) falls on that day. The history is
 * ingested at once; then a clock runs from `--from` to `--until` at `--speed`, each export is ingested when the
 * clock passes its delivery time, the intraday alerts are evaluated after it (their e-mails land in the outbox),
 * and `cspulse serve`'s page follows the same clock.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { createOutboxMailer } from '../../adapters/local/outbox-mailer.ts';
import { localIngestDeps, localPaths, type LocalPaths } from '../../composition/local.ts';
import { localLiveAlerts } from '../../composition/local-live.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { loadClientConfigs } from '../../core/config/load-configs.ts';
import { ingestFiles } from '../../core/ingest/ingest-batch.ts';
import type { IngestDeps } from '../../core/ingest/ingest-file.ts';
import type { AlertRunResult } from '../../core/live/run-alerts.ts';
import { addDays } from '../../core/kpis/periods.ts';
import type { Clock } from '../../core/ports.ts';
import { simulate } from '../../simulator/index.ts';
import type { CliContext } from '../context.ts';
import { clearClient } from './demo-run.ts';
import { startServe, type RunningServe } from './serve.ts';

/** Five weeks before the live day: four same weekdays for the usual, and a week of coverage before it. */
export const LIVE_HISTORY_DAYS = 35;
export const LIVE_WINDOW_MINUTES = 15;

export interface LiveDemoOptions {
  client: string;
  date: string;
  from: string;
  until: string;
  speed: number;
  port: number;
  host: string;
  exit?: boolean;
  configDir: string;
  lake?: string;
  out: string;
  exports: string;
}

export interface ReplayFile {
  path: string;
  sourceId: string;
  deliveredAt: Date;
}

/** A clock the replay moves; the page, the ingest and the alerts all read it. */
export class ReplayClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return this.at;
  }
  set(at: Date): void {
    this.at = at;
  }
}

async function exportFiles(dir: string, config: ClientConfig): Promise<ReplayFile[]> {
  const out: ReplayFile[] = [];
  for (const source of config.sources) {
    const sourceDir = join(dir, config.id, source.id);
    for (const name of (await readdir(sourceDir).catch(() => [] as string[])).sort()) {
      const path = join(sourceDir, name);
      out.push({ path, sourceId: source.id, deliveredAt: (await stat(path)).mtime });
    }
  }
  return out.sort((a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime() || a.path.localeCompare(b.path));
}

/** The simulated exports and the lake with everything delivered before the replay starts. */
export interface LiveDemo {
  config: ClientConfig;
  paths: LocalPaths;
  startAt: Date;
  untilAt: Date;
  /** delivered after startAt, oldest first */
  pending: ReplayFile[];
  ingest: IngestDeps;
  /** ingests every pending file delivered at or before `at` (each as of its own delivery), in order */
  advanceTo(at: Date): Promise<ReplayFile[]>;
}

export async function prepareLiveDemo(opts: LiveDemoOptions, log: (line: string) => void): Promise<LiveDemo> {
  const configs = await loadClientConfigs(opts.configDir);
  const config = configs.find((c) => c.id === opts.client);
  if (config === undefined) throw new InvalidArgumentError(`no client "${opts.client}" in ${opts.configDir}`);
  const paths = localPaths({ lake: opts.lake });
  const exportsDir = resolve(opts.exports, 'live');
  await rm(exportsDir, { recursive: true, force: true });
  const at = (hm: string) => DateTime.fromISO(`${opts.date}T${hm}`, { zone: config.timezone }).toJSDate();
  const startAt = at(opts.from);
  const untilAt = at(opts.until);
  if (untilAt <= startAt) throw new InvalidArgumentError('--until must be after --from');
  await simulate({
    seed: 42,
    startDate: addDays(opts.date, -LIVE_HISTORY_DAYS),
    days: LIVE_HISTORY_DAYS + 1,
    outDir: exportsDir,
    clients: [config.id],
    configDir: opts.configDir,
    intraday: { from: opts.date, minutes: LIVE_WINDOW_MINUTES, sources: config.sources.filter((s) => s.table === 'contacts').map((s) => s.id) },
    incidentOn: opts.date,
  });
  await clearClient(paths.lake, paths.quarantine, config.id);
  const ingest = await localIngestDeps(paths, config);
  const files = await exportFiles(exportsDir, config);
  let pending = files.filter((f) => f.deliveredAt > startAt);
  // each source's files in delivery order, each as of its own delivery (batch ingest: one pass per source)
  const ingestDelivered = async (list: readonly ReplayFile[]) => {
    for (const source of config.sources) {
      const own = list.filter((f) => f.sourceId === source.id);
      if (own.length === 0) continue;
      await ingestFiles(ingest, {
        config,
        sourceId: source.id,
        files: own.map((f) => ({ file: f.path, open: () => createReadStream(f.path), deliveredAt: f.deliveredAt, recordedAt: f.deliveredAt })),
      });
    }
  };
  const history = files.filter((f) => f.deliveredAt <= startAt);
  await ingestDelivered(history);
  log(`${config.id}: ${history.length} export files of ${addDays(opts.date, -LIVE_HISTORY_DAYS)} … ${opts.date} ${opts.from} ingested; ${pending.length} more arrive during the replay`);
  return {
    config,
    paths,
    startAt,
    untilAt,
    get pending() {
      return pending;
    },
    ingest,
    async advanceTo(to: Date) {
      const due = pending.filter((f) => f.deliveredAt <= to);
      pending = pending.filter((f) => f.deliveredAt > to);
      await ingestDelivered(due);
      return due;
    },
  };
}

function alertLines(result: AlertRunResult, time: string): string[] {
  return [
    ...result.sent.map((s) => `${time}  ${s.event === 'start' ? 'ALERT' : 'CLEAR'} ${s.subject}`),
    ...result.failed.map((f) => `${time}  alert ${f.key} ${f.event} not sent: ${f.error}`),
  ];
}

export async function runLiveDemo(opts: LiveDemoOptions, context: CliContext): Promise<void> {
  const demo = await prepareLiveDemo(opts, (l) => context.out(l));
  const { config } = demo;
  const clock = new ReplayClock(demo.startAt);
  const serve: RunningServe = await startServe({ port: opts.port, host: opts.host, configDir: opts.configDir, ...(opts.lake === undefined ? {} : { lake: opts.lake }) }, context, clock, [config]);
  const outbox = join(resolve(opts.out), config.id, 'alerts');
  const mailer = createOutboxMailer(outbox);
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: config.timezone }).toFormat('HH:mm');
  context.out(`live page of ${config.name}: ${serve.links.get(config.id)}`);
  context.out(`replaying ${opts.date} ${opts.from} → ${opts.until} (${config.timezone}) at ${opts.speed === 0 ? 'full speed' : `${opts.speed}×`}; alert e-mails go to ${outbox}/`);
  try {
    const step = opts.speed === 0 ? 5 * 60_000 : opts.speed * 1000;
    for (let t = demo.startAt.getTime(); t < demo.untilAt.getTime(); ) {
      if (opts.speed > 0) await new Promise((r) => setTimeout(r, 1000));
      t = Math.min(t + step, demo.untilAt.getTime());
      const now = new Date(t);
      clock.set(now);
      const ingested = await demo.advanceTo(now);
      if (ingested.length === 0) continue;
      const result = await localLiveAlerts(serve.live, demo.paths, config, mailer, clock, serve.baseUrl);
      for (const line of alertLines(result, local(now))) context.out(line);
    }
    context.out(`replay reached ${opts.until}.${opts.exit === true ? '' : ' The page stays up until Ctrl-C.'}`);
    if (opts.exit !== true) {
      await new Promise<void>((r) => {
        process.once('SIGINT', r);
        process.once('SIGTERM', r);
      });
    }
  } finally {
    await serve.close();
  }
}
