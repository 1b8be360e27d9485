/**
 * Report Lambda, invoked by EventBridge Scheduler in the client's time zone. Thin: validate the payload, pick
 * the reports, call runReport for each. An empty payload sends whatever is due now; the schedule fires every
 * few minutes between send_at and the freshness deadline, and the delivery log turns every repeat into a cheap
 * "already sent". `{kind, date}` (re)sends one period, e.g. for a backfill.
 *
 * A retryable mail failure is rethrown so Lambda's own retry tries again; the claim was released already.
 * Logs (Powertools Logger) carry the client and, per report, a correlation id `<client>/<kind>/<date>`; the
 * metrics (EMF) count reports sent, incomplete, skipped, deferred and failed per client.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { ClientConfig } from '../core/config/client-config.ts';
import type { PeriodKind } from '../core/kpis/kpi-result.ts';
import { dueReports } from '../core/schedule/due-reports.ts';
import { localDateOf, periodReportedOn } from '../core/schedule/periods.ts';
import { runReport, type RunReportDeps, type RunReportResult } from '../core/schedule/run-report.ts';

export const reportEventSchema = z
  .object({
    kind: z.enum(['daily', 'weekly', 'monthly']).optional(),
    /** a local date inside the period; without it, the period that ended yesterday */
    date: z.iso.date().optional(),
    /** send again even when the delivery log says it went out */
    force: z.boolean().optional(),
  })
  .strict();
export type ReportEvent = z.infer<typeof reportEventSchema>;

export class ReportEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportEventError';
  }
}

export interface ReportHandlerDeps extends RunReportDeps {
  config: ClientConfig;
  logger: Logger;
  metrics: Metrics;
}

export interface ReportHandlerResult {
  results: { kind: PeriodKind; start: string; end: string; status: RunReportResult['status'] }[];
}

export function createReportHandler(deps: ReportHandlerDeps) {
  const { logger, metrics } = deps;
  return async function handler(event: unknown, context?: Context): Promise<ReportHandlerResult> {
    if (context) logger.addContext(context);
    try {
      return await run(event);
    } finally {
      metrics.publishStoredMetrics();
    }
  };

  async function run(event: unknown): Promise<ReportHandlerResult> {
    // Scheduler delivers the configured Input as is; an absent Input arrives as an empty object or null.
    const parsed = reportEventSchema.safeParse(event ?? {});
    if (!parsed.success) throw new ReportEventError(`invalid report event: ${z.prettifyError(parsed.error)}`);
    const { kind, date, force } = parsed.data;
    const { config } = deps;

    let targets: { kind: PeriodKind; date: string }[];
    if (kind === undefined && date === undefined) {
      targets = dueReports(deps.clock.now(), config).map((d) => ({ kind: d.kind, date: d.period.start }));
    } else {
      const k = kind ?? 'daily';
      targets = [{ kind: k, date: date ?? periodReportedOn(k, localDateOf(deps.clock.now(), config.timezone)).start }];
    }

    const results: ReportHandlerResult['results'] = [];
    for (const target of targets) {
      logger.setCorrelationId(`${config.id}/${target.kind}/${target.date}`);
      try {
        const result = await runReport(deps, config, target.kind, target.date, { force: force === true });
        metrics.addMetric(METRIC_OF_STATUS[result.status], MetricUnit.Count, 1);
        if (result.status === 'sent-incomplete') metrics.addMetric('ReportsSent', MetricUnit.Count, 1);
        logger.info('report', { kind: target.kind, start: result.period.start, end: result.period.end, status: result.status, ...detail(result) });
        results.push({ kind: target.kind, start: result.period.start, end: result.period.end, status: result.status });
      } catch (error) {
        metrics.addMetric('ReportsFailed', MetricUnit.Count, 1);
        logger.error('report failed', { kind: target.kind, date: target.date, error: error as Error });
        throw error;
      } finally {
        logger.resetKeys();
      }
    }
    return { results };
  }
}

/** The metric each outcome counts in; an incomplete report also counts as sent. */
const METRIC_OF_STATUS: Record<RunReportResult['status'], string> = {
  sent: 'ReportsSent',
  'sent-incomplete': 'ReportsIncomplete',
  'skipped-already-sent': 'ReportsSkipped',
  'skipped-claimed': 'ReportsSkipped',
  'deferred-not-fresh': 'ReportsDeferred',
};

function detail(result: RunReportResult): Record<string, unknown> {
  switch (result.status) {
    case 'sent':
    case 'sent-incomplete':
      return { message_id: result.messageId, provider_message_id: result.providerMessageId };
    case 'skipped-already-sent':
      return { message_id: result.sent.message_id, sent_at: result.sent.sent_at };
    case 'skipped-claimed':
      return { claimed_by: result.holder?.owner ?? null };
    case 'deferred-not-fresh':
      return { lagging: result.lagging, retry_until: result.retryUntil };
  }
}

let deployed: ReturnType<typeof createReportHandler> | undefined;

/** The deployed entry point: composes Athena, S3 and SES on the first invocation of a container. */
export async function handler(event: unknown, context: Context): Promise<ReportHandlerResult> {
  if (!deployed) {
    const { awsRuntime, awsReportDeps } = await import('../composition/aws.ts');
    const { handlerLogger, handlerMetrics } = await import('./observability.ts');
    const rt = awsRuntime();
    deployed = createReportHandler({
      ...(await awsReportDeps()),
      config: rt.config,
      logger: handlerLogger('report', rt.config.id),
      metrics: handlerMetrics('report', rt.config.id),
    });
  }
  return deployed(event, context);
}
