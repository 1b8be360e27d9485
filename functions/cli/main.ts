/**
 * `cspulse`: the local entry to the same core the Lambdas run. Each command lives in commands/ and gets
 * the context; errors become a message on stderr and a non-zero exit, never a stack trace for expected
 * failures (bad config, rejected file).
 *
 * Starting is cheap: this module and the commands' definitions load nothing but commander; a command loads
 * the engine, the renderers and the rest of the core when it runs (`await import(...)` in its action), so
 * `cspulse --help` or a mistyped option answers at once (bin/cspulse.js runs a bundle split at those imports).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config/errors.ts';
import { describeInfrastructureError } from '../core/errors/infrastructure.ts';
import { registerConfigCommand } from './commands/config-check.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { DEFAULT_LAKE, registerKpisCommand } from './commands/kpis.ts';
import { registerNoteCommand } from './commands/note.ts';
import { registerQueryCommand } from './commands/query.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerLinkCommand } from './commands/link.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSqlCommand } from './commands/sql.ts';
import { resolve } from 'node:path';
import { CliFailure, processContext, type CliContext } from './context.ts';

/** Errors that describe a mistake in the input or config: shown as one line, without a stack trace. */
const USER_ERRORS = new Set(['MappingConfigError', 'UnknownSourceError', 'FileRejectedError', 'InvalidTimeZoneError']);

export function buildProgram(context: CliContext): Command {
  const program = new Command('cspulse')
    .description('Contact-center reporting: ingest exports, compute KPIs, send reports')
    .exitOverride();
  registerIngestCommand(program, context);
  registerKpisCommand(program, context);
  registerReportCommand(program, {
    ...context,
    resolveLake: (opts) => resolve(opts.lake ?? DEFAULT_LAKE),
    loadKpis: async (lakeDir, config, kind, date) => (await import('../composition/local.ts')).localLoadKpis(lakeDir, config, kind, date),
  });
  registerQueryCommand(program, context);
  registerSqlCommand(program, context);
  registerConfigCommand(program, context);
  registerNoteCommand(program, context);
  registerDemoCommand(program, context);
  registerServeCommand(program, context);
  registerLinkCommand(program, context);
  return program;
}

export async function runCli(argv: string[], context: CliContext = processContext): Promise<number> {
  try {
    await buildProgram(context).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliFailure || error instanceof ConfigError || (error instanceof Error && USER_ERRORS.has(error.name))) {
      context.err(`cspulse: ${error.message}`);
      return 1;
    }
    // a full disk, a read-only lake, a folder it may not write: one line, what failed and where
    const infrastructure = describeInfrastructureError(error);
    if (infrastructure !== undefined) {
      context.err(`cspulse: ${infrastructure}; nothing was half-written: rerun once it is fixed`);
      return 1;
    }
    context.err(`cspulse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
