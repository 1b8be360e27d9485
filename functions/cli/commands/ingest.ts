import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createOutboxMailer } from '../../adapters/local/outbox-mailer.ts';
import { createSmtpMailer } from '../../adapters/local/smtp-mailer.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { deliveryStatus } from '../../core/ingest/delivery-status.ts';
import { ingestFile } from '../../core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../core/ingest/manifest.ts';
import { systemClock, type Clock } from '../../core/ports.ts';
import { localDateOf } from '../../core/schedule/periods.ts';
import { localIngestDeps, localPaths, type LocalPaths } from '../../composition/local.ts';
import { localLive, localLiveAlerts } from '../../composition/local-live.ts';
import type { CliContext } from '../context.ts';

interface AlertOptions {
  alerts: boolean;
  alertsOut: string;
  smtp?: string;
  liveUrl?: string;
  configDir: string;
}

/**
 * The intraday alerts after an ingest that wrote rows of the client's today (an ingest of past days changes
 * nothing they judge): evaluated on the lake, their e-mails to the outbox (`<alerts-out>/<client>/alerts/`) or
 * SMTP. One line on stderr per message; standard output keeps one JSON line per file.
 */
async function alertsAfterIngest(context: CliContext, paths: LocalPaths, config: ClientConfig, manifests: readonly IngestManifest[], opts: AlertOptions, clock: Clock): Promise<void> {
  const today = localDateOf(clock.now(), config.timezone);
  if (!opts.alerts || !manifests.some((m) => m.partitions.some((p) => p.dt === today && p.rows > 0))) return;
  const live = await localLive(paths, [config], clock, opts.configDir);
  try {
    const mailer = opts.smtp !== undefined ? createSmtpMailer(opts.smtp) : createOutboxMailer(join(resolve(opts.alertsOut), config.id, 'alerts'));
    const result = await localLiveAlerts(live, paths, config, mailer, clock, opts.liveUrl ?? null);
    for (const s of result.sent) context.err(`alert ${s.event === 'start' ? 'started' : 'cleared'}: ${s.subject}`);
    for (const f of result.failed) context.err(`alert ${f.key} (${f.event}) not sent: ${f.error}`);
  } finally {
    await live.close();
  }
}

export function registerIngestCommand(program: Command, context: CliContext): void {
  program
    .command('ingest')
    .description(
      'Ingest export files (or every file in the given folders) of one client source into the local lake. ' +
        'Prints one JSON line per file with rows_read, rows_written, rows_quarantined, duplicates_dropped and ' +
        'rows_excluded, and status ok, partial (more of its rows quarantined than the source allows, ' +
        'completeness.max_quarantined_share, default half) or rejected; exits 1 if any file was not ok.',
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--source <id>', 'source id from the client config')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder', '.cspulse/lake')
    .option('--quarantine <dir>', 'local quarantine folder (default: beside the lake)')
    .option('--no-alerts', "do not evaluate the intraday alerts (they run when the files hold rows of the client's today)")
    .option('--alerts-out <dir>', 'outbox of the alert e-mails: <dir>/<client>/alerts/', 'out')
    .option('--smtp <url>', 'send the alert e-mails over SMTP instead, e.g. smtp://localhost:1025')
    .option('--live-url <url>', 'address of the live page (cspulse serve), for the link in alert e-mails')
    .argument('<files...>', 'export files or folders of them (CSV, TSV, JSON; gzip is detected)')
    .action(async (files: string[], opts: { client: string; source: string; configDir: string; lake: string; quarantine?: string } & AlertOptions) => {
      const config = await context.loadConfig(opts.configDir, opts.client);
      const paths = localPaths({ lake: opts.lake, quarantine: opts.quarantine });
      const deps = await localIngestDeps(paths, config);
      const source = config.sources.find((s) => s.id === opts.source);
      let failed = 0;
      let partial = 0;
      const manifests: IngestManifest[] = [];
      const inputs = await expandFolders(files);
      for (const file of inputs) {
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) {
          context.out(JSON.stringify({ file, status: 'rejected', error: 'no such file' }));
          failed++;
          continue;
        }
        const manifest = await ingestFile(deps, {
          config,
          sourceId: opts.source,
          file,
          body: createReadStream(file, { highWaterMark: 1 << 20 }),
        });
        manifests.push(manifest);
        // ingestFile knows the source (it throws for an unknown one)
        const verdict = deliveryStatus(manifest, source!);
        if (verdict.status === 'rejected') failed++;
        if (verdict.status === 'partial') partial++;
        context.out(
          JSON.stringify({
            file,
            status: verdict.status,
            rows_read: manifest.rows_read,
            rows_written: manifest.rows_written,
            rows_quarantined: manifest.rows_quarantined,
            duplicates_dropped: manifest.duplicates_dropped,
            ...(manifest.legs_grouped === undefined ? {} : { legs_grouped: manifest.legs_grouped }),
            rows_excluded: manifest.partitions.reduce((n, p) => n + p.excluded, 0),
            partitions: manifest.partitions.map((p) => p.dt),
            quarantine: manifest.quarantine_key ? `${paths.quarantine}/${manifest.quarantine_key}` : null,
            ...(verdict.reason === null ? {} : { error: verdict.reason }),
          }),
        );
      }
      await alertsAfterIngest(context, paths, config, manifests, opts, context.clock ?? systemClock);
      const problems = [failed > 0 ? `${failed} rejected` : null, partial > 0 ? `${partial} partly quarantined (status partial)` : null].filter(Boolean);
      if (problems.length > 0) context.fail(`${problems.join(', ')} of ${inputs.length} file(s)`);
    });
}

/** Files as given, folders replaced by the files in them (sorted, not recursive, hidden files left out). */
async function expandFolders(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = await readdir(path, { withFileTypes: true });
    for (const e of entries.filter((e) => e.isFile() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(join(path, e.name));
    }
  }
  return out;
}
