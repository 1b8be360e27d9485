import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { ingestFile } from '../../core/ingest/ingest-file.ts';
import { localIngestDeps, localPaths } from '../../composition/local.ts';
import type { CliContext } from '../context.ts';

export function registerIngestCommand(program: Command, context: CliContext): void {
  program
    .command('ingest')
    .description(
      'Ingest export files of one client source into the local lake. Prints one JSON line per file with ' +
        'rows_read, rows_written, rows_quarantined and duplicates_dropped; exits 1 if any file was rejected.',
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--source <id>', 'source id from the client config')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder', '.cspulse/lake')
    .option('--quarantine <dir>', 'local quarantine folder (default: beside the lake)')
    .argument('<files...>', 'export files (CSV, TSV, JSON; gzip is detected)')
    .action(async (files: string[], opts: { client: string; source: string; configDir: string; lake: string; quarantine?: string }) => {
      const config = await context.loadConfig(opts.configDir, opts.client);
      const paths = localPaths({ lake: opts.lake, quarantine: opts.quarantine });
      const deps = await localIngestDeps(paths, config.id);
      let failed = 0;
      for (const file of files) {
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
        if (manifest.status !== 'ok') failed++;
        context.out(
          JSON.stringify({
            file,
            status: manifest.status,
            rows_read: manifest.rows_read,
            rows_written: manifest.rows_written,
            rows_quarantined: manifest.rows_quarantined,
            duplicates_dropped: manifest.duplicates_dropped,
            partitions: manifest.partitions.map((p) => p.dt),
            quarantine: manifest.quarantine_key ? `${paths.quarantine}/${manifest.quarantine_key}` : null,
            ...(manifest.error ? { error: manifest.error } : {}),
          }),
        );
      }
      if (failed > 0) context.fail(`${failed} of ${files.length} file(s) rejected`);
    });
}
