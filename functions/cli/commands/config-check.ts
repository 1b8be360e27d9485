/**
 * `cspulse config check`: the command's options; what it does is in config-check-run.ts, loaded when it runs.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { ConfigCheckOptions } from './config-check-run.ts';
import { parseDate } from './kpis.ts';

export function registerConfigCommand(program: Command, context: CliContext): void {
  const config = program.command('config').description('Client configuration');
  config
    .command('check')
    .description(
      'Validate every client config file and have the SQL engine prepare every mapping; errors name the file and the field, ' +
        'warnings go to stderr. Shows each client\'s operating calendar for the next 30 days. With --sample, read an ' +
        'export through a source\'s mapping and report on it instead, writing nothing.',
    )
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--sample <file>', 'an export to read through a source mapping: rejected rows, values that never occur, phone numbers that fall back')
    .option('--client <id>', 'the client of --sample (needed when the folder has several)')
    .option('--source <id>', 'the source of --sample (needed when the client has several)')
    .option('--from <YYYY-MM-DD>', "first day of the calendar shown (default today in each client's time zone)", parseDate)
    .action(async (opts: ConfigCheckOptions) => (await import('./config-check-run.ts')).runConfigCheck(opts, context));
}
