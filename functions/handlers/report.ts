/**
 * Report Lambda, invoked by EventBridge Scheduler in the client's time zone. Thin: validate the payload, pick
 * the reports, call runReport for each. An empty payload sends whatever is due now; the schedule fires every
 * few minutes between send_at and the freshness deadline, and the delivery log turns every repeat into a cheap
 * "already sent". `{kind, date}` (re)sends one period, e.g. for a backfill.
 *
 * A retryable mail failure is rethrown so Lambda's own retry tries again; the claim was released already.
 * An explicit period that has not ended is a no-op with a log line. After the due reports, each run looks back
 * at the recent reports (restatementCandidates) and sends a correction where late data changed one.
 * Logs (Powertools Logger) carry the client and, per report, a correlation id `<client>/<kind>/<date>`; the
 * metrics (EMF) count reports sent, incomplete, skipped, deferred and failed per client.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { ClientConfig } from '../core/config/client-config.ts';
import type { PeriodKind } from '../core/kpis/kpi-result.ts';
import { dueReports, restatementCandidates } from '../core/schedule/due-reports.ts';
import { PeriodNotEndedError } from '../core/schedule/errors.ts';
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
  results: { kind: PeriodKind; start: string; end: string; status: RunReportResult['status'] | 'not-ended' }[];
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

    let targets: { kind: PeriodKind; date: string; restateOnly: boolean }[];
    if (kind === undefined && date === undefined) {
      // what is due now, then a look back at recent reports whose data may have changed since they went out
      targets = [
        ...dueReports(deps.clock.now(), config).map((d) => ({ kind: d.kind, date: d.period.start, restateOnly: false })),
        ...restatementCandidates(deps.clock.now(), config).map((p) => ({ kind: p.kind, date: p.start, restateOnly: true })),
      ];
    } else {
      const k = kind ?? 'daily';
      targets = [{ kind: k, date: date ?? periodReportedOn(k, localDateOf(deps.clock.now(), config.timezone)).start, restateOnly: false }];
    }

    const results: ReportHandlerResult['results'] = [];
    for (const target of targets) {
      logger.setCorrelationId(`${config.id}/${target.kind}/${target.date}`);
      try {
        const result = await runReport(deps, config, target.kind, target.date, { force: force === true, restateOnly: target.restateOnly });
        // the look-back is quiet about the reports it found unchanged
        if (target.restateOnly && (result.status === 'skipped-already-sent' || result.status === 'skipped-not-sent')) continue;
        metrics.addMetric(METRIC_OF_STATUS[result.status], MetricUnit.Count, 1);
        if (result.status === 'sent-incomplete' || result.status === 'sent-correction' || result.status === 'sent-partial') metrics.addMetric('ReportsSent', MetricUnit.Count, 1);
        if (result.status === 'sent-partial') metrics.addMetric('RecipientsRefused', MetricUnit.Count, result.refused.length);
        const line = { kind: target.kind, start: result.period.start, end: result.period.end, status: result.status, ...detail(result) };
        if (result.status === 'failed-inconsistent') logger.error('report held back', line);
        else logger.info('report', line);
        results.push({ kind: target.kind, start: result.period.start, end: result.period.end, status: result.status });
      } catch (error) {
        if (error instanceof PeriodNotEndedError) {
          // a period that is not over is not a failure of the schedule: nothing is sent, nothing is claimed
          metrics.addMetric('ReportsNotEnded', MetricUnit.Count, 1);
          logger.info('report', { kind: target.kind, start: error.start, end: error.end, status: 'not-ended', ends_at: error.endsAt });
          results.push({ kind: target.kind, start: error.start, end: error.end, status: 'not-ended' });
          continue;
        }
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

/** The metric each outcome counts in; an incomplete report and a correction also count as sent. */
const METRIC_OF_STATUS: Record<RunReportResult['status'], string> = {
  sent: 'ReportsSent',
  'sent-incomplete': 'ReportsIncomplete',
  'sent-correction': 'ReportsCorrected',
  // the mail server refused some recipients: the operator got a notice, and the alarm on it fires
  'sent-partial': 'ReportsPartlyRefused',
  'no-data': 'ReportsNoData',
  'skipped-already-sent': 'ReportsSkipped',
  'skipped-claimed': 'ReportsSkipped',
  'skipped-not-sent': 'ReportsSkipped',
  'skipped-no-recipients': 'ReportsSkipped',
  // a send that may or may not have left: someone has to look
  'skipped-in-doubt': 'ReportsInDoubt',
  'deferred-not-fresh': 'ReportsDeferred',
  // the query engine and the coverage index disagree: nothing was sent, someone has to look
  'failed-inconsistent': 'ReportsInconsistent',
};

function detail(result: RunReportResult): Record<string, unknown> {
  switch (result.status) {
    case 'sent':
    case 'sent-incomplete':
    case 'sent-correction':
    case 'sent-partial':
      return {
        message_id: result.messageId,
        provider_message_id: result.providerMessageId,
        revision: result.revision,
        missing: result.missing,
        ...(result.refused.length === 0 ? {} : { refused: result.refused, operator_notified: result.operatorNotified }),
      };
    case 'no-data':
      return { notified: result.notified, missing: result.missing, message_id: result.messageId };
    case 'skipped-already-sent':
      return { message_id: result.sent.message_id, sent_at: result.sent.sent_at, rechecked: result.rechecked };
    case 'skipped-claimed':
    case 'skipped-in-doubt':
      return { claimed_by: result.holder?.owner ?? null, sending_since: result.holder?.sending?.started_at ?? null };
    case 'deferred-not-fresh':
      return { lagging: result.lagging, retry_until: result.retryUntil };
    case 'failed-inconsistent':
      return { reason: result.reason, rows: result.rows, expected: result.expected, notified: result.notified };
    case 'skipped-not-sent':
    case 'skipped-no-recipients':
      return {};
  }
}

let deployed: ReturnType<typeof createReportHandler> | undefined;

/**
 * Athena queries are stopped this long before the invocation would time out: Lambda kills a function at its
 * timeout without warning, and a query nobody stops goes on scanning (and billing) after the function is gone.
 */
export const ATHENA_STOP_MARGIN_MS = 60_000;
let invocationEndsAt: number | undefined;

/** The deployed entry point: composes Athena, S3 and SES on the first invocation of a container. */
export async function handler(event: unknown, context: Context): Promise<ReportHandlerResult> {
  invocationEndsAt = Date.now() + context.getRemainingTimeInMillis();
  if (!deployed) {
    const { awsRuntime, awsReportDeps } = await import('../composition/aws.ts');
    const { handlerLogger, handlerMetrics } = await import('./observability.ts');
    const rt = awsRuntime();
    deployed = createReportHandler({
      ...(await awsReportDeps(() => (invocationEndsAt === undefined ? undefined : invocationEndsAt - ATHENA_STOP_MARGIN_MS))),
      config: rt.config,
      logger: handlerLogger('report', rt.config.id),
      metrics: handlerMetrics('report', rt.config.id),
    });
  }
  return deployed(event, context);
}
