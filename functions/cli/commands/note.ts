/**
 * `cspulse note`: the account manager's note on one client's report of one period, shown under the verdict as
 * 담당자 코멘트 (report/notes.ts). Written as a Markdown file in the config folder,
 * `notes/client_id=<client>/<kind>/<period start>.md`; on AWS the same key in the lake bucket (docs/deploy.md).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createFolderStore } from '../../adapters/local/folder-store.ts';
import { periodFor } from '../../core/kpis/periods.ts';
import type { PeriodKind } from '../../core/kpis/kpi-result.ts';
import { MAX_NOTE_CHARS, noteKey, noteText } from '../../core/report/notes.ts';
import type { CliContext } from '../context.ts';
import { parseDate, parseKind } from './kpis.ts';

interface NoteOptions {
  client: string;
  period: PeriodKind;
  date: string;
  text?: string;
  file?: string;
  clear?: boolean;
  configDir: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerNoteCommand(program: Command, context: CliContext): void {
  program
    .command('note')
    .description(
      "Write the account manager's note on one client's report of one period (shown under the verdict as " +
        `담당자 코멘트, as text, at most ${MAX_NOTE_CHARS} characters): --text, --file F or - for standard input; --clear removes it.`,
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--period <kind>', 'daily | weekly | monthly', parseKind)
    .requiredOption('--date <YYYY-MM-DD>', "a local date inside the period (client's time zone)", parseDate)
    .option('--text <text>', 'the note')
    .option('--file <file>', 'read the note from a file, or - for standard input')
    .option('--clear', 'remove the note')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .action(async (opts: NoteOptions) => {
      const given = [opts.text !== undefined, opts.file !== undefined, opts.clear === true].filter(Boolean).length;
      if (given !== 1) throw new InvalidArgumentError('give exactly one of --text, --file or --clear');
      const config = await context.loadConfig(opts.configDir, opts.client);
      const period = periodFor(opts.period, opts.date);
      const key = noteKey(config.id, period.kind, period.start);
      const store = createFolderStore(opts.configDir);
      if (opts.clear === true) {
        await store.delete(key);
        context.out(JSON.stringify({ client: config.id, period, note: null }));
        return;
      }
      const raw = opts.text ?? (opts.file === '-' ? await readStdin() : await readFile(opts.file!, 'utf8'));
      const shown = noteText(raw);
      if (shown === null) throw new InvalidArgumentError('the note is empty: use --clear to remove one');
      await store.put(key, raw, { contentType: 'text/markdown; charset=utf-8' });
      context.out(JSON.stringify({ client: config.id, period, file: path.join(opts.configDir, key), shown }));
    });
}
