/**
 * `cspulse report`: builds and sends one report from the local lake. By default the e-mail lands in an
 * outbox folder (.eml plus an .html preview); with --smtp it goes to an SMTP server. It goes through the same
 * delivery log as the Lambda, so a second run says "already sent" unless late data changed a figure (then it
 * sends a correction) or --force. A period that has not ended is refused with exit 1.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ClientConfig } from '../../core/config/client-config.ts';
import type { KpiDocument, PeriodKind } from '../../core/kpis/kpi-result.ts';
import { systemClock, type Clock } from '../../core/ports.ts';
import { parseDate, parseKind } from './kpis.ts';
import { DeliveryLogError, PeriodNotEndedError } from '../../core/schedule/errors.ts';
import type { RunReportResult } from '../../core/schedule/run-report.ts';
import { CliFailure } from '../context.ts';

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
  liveUrl?: string;
}

export function registerReportCommand(program: Command, context: ReportCommandContext): void {
  program
    .command('report')
    .description(
      'Build the e-mail report of one client and period (HTML with charts, text, XLSX and CSV attachments) and ' +
        'deliver it to an outbox folder (default out/) or an SMTP server. The period must be over. Data still ' +
        'missing is named and the report marked incomplete; a period without any data notifies the operator ' +
        '(reports.when_no_data); a report already sent goes out again only as a correction when late data changed it.',
    )
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--period <kind>', 'daily | weekly | monthly', parseKind)
    .requiredOption('--date <YYYY-MM-DD>', "a local date inside the period (client's time zone)", parseDate)
    .option('--out <dir>', 'outbox folder for <name>.eml and <name>.html (default out/)')
    .option('--smtp <url>', 'send over SMTP instead, e.g. smtp://localhost:1025')
    .option('--force', 'send again even if the delivery log says it was sent')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder (default .cspulse/lake)')
    .option('--live-url <url>', "address of the live page (cspulse serve): the footer links to it, signed for the client's live.link_days")
    .action(async (opts: ReportOptions) => {
      if (opts.out !== undefined && opts.smtp !== undefined) throw new InvalidArgumentError('use either --out or --smtp');
      const [{ createFolderStore }, { runReport }] = await Promise.all([
        import('../../adapters/local/folder-store.ts'),
        import('../../core/schedule/run-report.ts'),
      ]);
      const config = await context.loadConfig(opts.configDir, opts.client);
      const lakeDir = context.resolveLake(opts);
      const outDir = path.resolve(opts.out ?? 'out');
      const mailer =
        opts.smtp !== undefined
          ? (await import('../../adapters/local/smtp-mailer.ts')).createSmtpMailer(opts.smtp)
          : (await import('../../adapters/local/outbox-mailer.ts')).createOutboxMailer(outDir);
      let result: RunReportResult;
      try {
        result = await runReport(
          {
            loadKpis: (cfg, kind, date) => context.loadKpis(lakeDir, cfg, kind, date),
            lake: createFolderStore(lakeDir),
            mailer,
            clock: context.clock ?? systemClock,
            // the account manager's notes live beside the client configs (cspulse note)
            notes: createFolderStore(opts.configDir),
            ...(opts.liveUrl === undefined ? {} : { liveLink: await localLiveLinks(lakeDir, opts.liveUrl) }),
          },
          config,
          opts.period,
          opts.date,
          { ignoreDeadline: true, force: opts.force === true },
        );
      } catch (error) {
        if (error instanceof PeriodNotEndedError || error instanceof DeliveryLogError) throw new CliFailure(error.message);
        throw error;
      }
      const deliveredTo = (providerId: string) => (opts.smtp !== undefined ? opts.smtp : path.join(outDir, providerId));
      const summary: Record<string, unknown> = { status: result.status, period: result.period };
      switch (result.status) {
        case 'sent':
        case 'sent-incomplete':
        case 'sent-correction':
        case 'sent-partial':
          summary.message_id = result.messageId;
          summary.subject = result.subject;
          summary.delivered_to = deliveredTo(result.providerMessageId);
          if (result.messages.length > 1) summary.also = result.messages.slice(1).map((m) => ({ message_id: m.messageId, subject: m.subject, delivered_to: deliveredTo(m.providerMessageId) }));
          if (result.missing.length > 0) summary.missing = result.missing;
          if (result.failedDataNotified !== null) summary.operator_notified_of_failed_data = result.failedDataNotified;
          if (result.refused.length > 0) {
            summary.refused = result.refused;
            summary.operator_notified = result.operatorNotified;
          }
          break;
        case 'no-data':
          summary.notified = result.notified;
          summary.missing = result.missing;
          summary.hint =
            result.notified === 'operator'
              ? 'no data for the period: the operator was notified instead of the client (reports.when_no_data)'
              : 'no data for the period (reports.when_no_data)';
          break;
        case 'skipped-already-sent':
          summary.message_id = result.sent.message_id;
          summary.sent_at = result.sent.sent_at;
          summary.hint = result.rechecked
            ? 'already sent; data arrived since, but no figure it showed changed'
            : 'already sent and no data arrived since; use --force to send again';
          break;
        case 'skipped-in-doubt':
          summary.hint = 'an earlier send was interrupted after the message may have left; check the mailbox, then --force';
          break;
        case 'failed-inconsistent':
          summary.reason = result.reason;
          summary.notified = result.notified;
          summary.hint = 'not sent: the lake tables do not show the rows the coverage index records';
          break;
        default:
          break;
      }
      const line = JSON.stringify(summary);
      if (context.out) context.out(line);
      else process.stdout.write(`${line}\n`);
      if (result.status === 'skipped-in-doubt') throw new CliFailure(`${config.id} ${opts.period} ${result.period.start}: ${String(summary.hint)}`);
      if (result.status === 'failed-inconsistent') throw new CliFailure(`${config.id} ${opts.period} ${result.period.start}: ${result.reason}`);
      if (result.status === 'sent-partial') {
        const refused = result.refused.map((r) => r.address).join(', ');
        throw new CliFailure(`${config.id} ${opts.period} ${result.period.start}: sent, but the mail server refused ${refused}${result.operatorNotified === true ? ' (the operator was notified)' : ''}`);
      }
    });
}

/** Links to the live page signed with the client's local link key (made on first use), for the report's footer. */
async function localLiveLinks(lakeDir: string, baseUrl: string) {
  const [{ ensureLocalSecret }, { localPaths }, { linkKeySecretName, liveUrl }] = await Promise.all([
    import('../../adapters/local/local-secrets.ts'),
    import('../../composition/local.ts'),
    import('../../core/live/signed-link.ts'),
  ]);
  return async (config: ClientConfig, locale: string, now: Date): Promise<string> => {
    const key = await ensureLocalSecret(localPaths({ lake: lakeDir }).secrets, linkKeySecretName(config.id));
    return liveUrl(baseUrl, key, config.id, new Date(now.getTime() + config.live.link_days * 86_400_000), locale);
  };
}
