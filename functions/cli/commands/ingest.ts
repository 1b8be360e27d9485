import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

interface AlertOptions {
  alerts: boolean;
  alertsOut: string;
  smtp?: string;
  liveUrl?: string;
}

export function registerIngestCommand(program: Command, context: CliContext): void {
  program
    .command('ingest')
    .description(
      'Ingest export files (or every file in the given folders) of one client source into the local lake, in the ' +
        'order given, in one pass. ' +
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
      const [{ deliveryStatus }, { ingestFiles }, { localIngestDeps, localPaths }] = await Promise.all([
        import('../../core/ingest/delivery-status.ts'),
        import('../../core/ingest/ingest-batch.ts'),
        import('../../composition/local.ts'),
      ]);
      const config = await context.loadConfig(opts.configDir, opts.client);
      const paths = localPaths({ lake: opts.lake, quarantine: opts.quarantine });
      const deps = await localIngestDeps(paths, config);
      const source = config.sources.find((s) => s.id === opts.source);
      let failed = 0;
      let partial = 0;
      const inputs = await expandFolders(files);
      const exists = await Promise.all(inputs.map(async (file) => (await stat(file).catch(() => undefined))?.isFile() === true));
      // the files are ingested together, in the order given (batch ingest: one pass, the lake as one by one)
      const manifests = await ingestFiles(deps, {
        config,
        sourceId: opts.source,
        files: inputs.filter((_, i) => exists[i]).map((file) => ({ file, open: () => createReadStream(file, { highWaterMark: 1 << 20 }) })),
      });
      let next = 0;
      for (const [i, file] of inputs.entries()) {
        if (!exists[i]) {
          context.out(JSON.stringify({ file, status: 'rejected', error: 'no such file' }));
          failed++;
          continue;
        }
        const manifest = manifests[next++]!;
        // ingestFiles knows the source (it throws for an unknown one)
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
      // the intraday alerts after files that hold rows of the client's today (an ingest of past days changes
      // nothing they judge); standard output keeps one JSON line per file, the alerts go to stderr
      if (opts.alerts) {
        const { alertsAfterIngest } = await import('./ingest-alerts.ts');
        await alertsAfterIngest(context, paths, config, manifests, { ...opts, configDir: opts.configDir });
      }
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
