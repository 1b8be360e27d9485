/**
 * `cspulse report`: builds and sends one report from the local lake. By default the e-mail lands in an
 * outbox folder (.eml plus an .html preview); with --smtp it goes to an SMTP server. It goes through the same
 * delivery log as the Lambda, so a second run says "already sent" unless --force.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createFolderStore } from '../../adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../adapters/local/outbox-mailer.ts';
import { createSmtpMailer } from '../../adapters/local/smtp-mailer.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import type { KpiDocument, PeriodKind } from '../../core/kpis/kpi-result.ts';
import { systemClock, type Clock } from '../../core/ports.ts';
import { periodContaining } from '../../core/schedule/periods.ts';
import { parseDate, parseKind } from './kpis.ts';
import { runReport } from '../../core/schedule/run-report.ts';

export interface ReportCommandContext {
  resolveLake(opts: { lake?: string }): string;
  loadConfig(configDir: string, clientId: string): Promise<ClientConfig>;
  loadKpis(lakeDir: string, config: ClientConfig, kind: PeriodKind, date: string): Promise<KpiDocument>;
  out?(line: string): void;
  clock?: Clock;
}


interface ReportOptions {
  client: string;
  period: PeriodKind;
  date: string;
  out?: string;
  smtp?: string;
  force?: boolean;
  configDir: string;
  lake?: string;
}

export function registerReportCommand(program: Command, context: ReportCommandContext): void {
  program
    .command('report')
    .description(
      'Build the e-mail report of one client and period (HTML with charts, text, CSV attachment) and deliver it ' +
        'to an outbox folder (default out/) or an SMTP server. Data still missing is reported as incomplete.',
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--period <kind>', 'daily | weekly | monthly', parseKind)
    .requiredOption('--date <YYYY-MM-DD>', "a local date inside the period (client's time zone)", parseDate)
    .option('--out <dir>', 'outbox folder for <name>.eml and <name>.html (default out/)')
    .option('--smtp <url>', 'send over SMTP instead, e.g. smtp://localhost:1025')
    .option('--force', 'send again even if the delivery log says it was sent')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder (default .cspulse/lake)')
    .action(async (opts: ReportOptions) => {
      if (opts.out !== undefined && opts.smtp !== undefined) throw new InvalidArgumentError('use either --out or --smtp');
      const config = await context.loadConfig(opts.configDir, opts.client);
      const lakeDir = context.resolveLake(opts);
      const outDir = path.resolve(opts.out ?? 'out');
      const mailer = opts.smtp !== undefined ? createSmtpMailer(opts.smtp) : createOutboxMailer(outDir);
      const result = await runReport(
        {
          loadKpis: (cfg, kind, date) => context.loadKpis(lakeDir, cfg, kind, date),
          lake: createFolderStore(lakeDir),
          mailer,
          clock: context.clock ?? systemClock,
        },
        config,
        opts.period,
        opts.date,
        { ignoreDeadline: true, force: opts.force === true },
      );
      const summary: Record<string, unknown> = { status: result.status, period: result.period };
      if (result.status === 'sent' || result.status === 'sent-incomplete') {
        summary.message_id = result.messageId;
        summary.subject = result.subject;
        summary.delivered_to = opts.smtp !== undefined ? opts.smtp : path.join(outDir, result.providerMessageId);
      } else if (result.status === 'skipped-already-sent') {
        summary.message_id = result.sent.message_id;
        summary.sent_at = result.sent.sent_at;
        summary.hint = 'already sent; use --force to send again';
      }
      const line = JSON.stringify(summary);
      if (context.out) context.out(line);
      else process.stdout.write(`${line}\n`);
    });
}
