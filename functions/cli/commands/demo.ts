/**
 * `cspulse demo`: the whole pipeline on one machine. Simulates 90 days of exports for the sample clients,
 * ingests them into the local lake, computes the KPIs and writes each client's daily, weekly and monthly
 * e-mail into out/. Deterministic: a fixed seed and a fixed "report morning" clock, and the demo clients'
 * earlier lake data is cleared first, so a second run gives the same lake and the same reports.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { DEMO_DAYS, DEMO_END_DATE } from '../../simulator/demo-range.ts';
import type { CliContext } from '../context.ts';
import type { DemoOptions } from './demo-run.ts';

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description(
      'Run the whole pipeline locally: simulate 90 days of realistic exports for the sample clients, ingest them, ' +
        'compute KPIs and write the daily, weekly and monthly e-mail reports to out/.',
    )
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder (default .cspulse/lake)')
    .option('--out <dir>', 'where the reports go', 'out')
    .option('--exports <dir>', 'where the simulated exports go', '.cspulse/demo-exports')
    .option('--days <n>', `days to simulate, ending ${DEMO_END_DATE}`, (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 7 || n > 366) throw new InvalidArgumentError('a whole number of days from 7 to 366');
      return n;
    }, DEMO_DAYS)
    .action(async (opts: DemoOptions) => (await import('./demo-run.ts')).runDemo(opts, context));
}
