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
import type { LiveDemoOptions } from './demo-live.ts';
import { parsePort } from './serve.ts';

const hhmm = (v: string): string => {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) throw new InvalidArgumentError('a local time HH:MM');
  return v;
};

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description(
      'Run the whole pipeline locally: simulate 90 days of realistic exports for the sample clients, ingest them, ' +
        'compute KPIs and write the daily, weekly and monthly e-mail reports to out/. With --live: replay one day at ' +
        'speed and serve its live page, its exports arriving every 15 minutes and the intraday alerts firing.',
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
    .option('--live', 'replay one day at speed and serve its live page (see --client, --date, --speed)')
    .option('--client <id>', 'live: the client whose day is replayed', 'example')
    .option('--date <YYYY-MM-DD>', 'live: the day replayed (its planted incident happens then)', DEMO_END_DATE)
    .option('--from <HH:MM>', "live: where the replay starts, client's local time", hhmm, '08:00')
    .option('--until <HH:MM>', "live: where it ends, client's local time", hhmm, '21:00')
    .option('--speed <n>', 'live: simulated seconds per second (0: as fast as it ingests)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of seconds per second, 0 or more');
      return n;
    }, 120)
    .option('--port <n>', 'live: port of the page', parsePort, 8080)
    .option('--host <address>', 'live: address of the page', '127.0.0.1')
    .option('--exit', 'live: stop when the replay ends instead of serving the page until Ctrl-C')
    .action(async (opts: DemoOptions & Partial<LiveDemoOptions> & { live?: boolean }) =>
      opts.live === true ? (await import('./demo-live.ts')).runLiveDemo(opts as LiveDemoOptions, context) : (await import('./demo-run.ts')).runDemo(opts, context),
    );
}
