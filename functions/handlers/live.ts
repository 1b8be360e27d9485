/**
 * The live page on AWS: one function per client stack behind a Lambda function URL with auth type NONE — the
 * signed link (functions/core/live/signed-link.ts) is the lock, checked by the core before anything is read. Thin:
 * it turns the function URL's request payload (format 2.0: rawPath, rawQueryString, requestContext.http.method;
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads) into a LiveRequest and the
 * LiveResponse into the response payload ({ statusCode, headers, body }). Refusals and failures are logged with
 * their reason, never shown; the metrics count pages served, links refused and failures.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { handleLiveRequest, SECURITY_HEADERS, type LiveRequestDeps } from '../core/live/live-request.ts';

const functionUrlEventSchema = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(''),
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
});

export interface LiveHandlerDeps extends LiveRequestDeps {
  logger: Logger;
  metrics: Metrics;
}

export interface FunctionUrlResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function createLiveHandler(deps: LiveHandlerDeps) {
  const { logger, metrics } = deps;
  return async function handler(event: unknown, context?: Context): Promise<FunctionUrlResponse> {
    if (context) logger.addContext(context);
    try {
      const parsed = functionUrlEventSchema.safeParse(event);
      if (!parsed.success) {
        logger.warn('not a function URL request', { error: z.prettifyError(parsed.error) });
        return { statusCode: 400, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: '400\n' };
      }
      const { rawPath, rawQueryString, requestContext } = parsed.data;
      const response = await handleLiveRequest(deps, { method: requestContext.http.method, path: rawPath, query: new URLSearchParams(rawQueryString) });
      if (response.refused !== undefined) {
        metrics.addMetric('LiveLinksRefused', MetricUnit.Count, 1);
        logger.info('live link refused', { reason: response.refused, path: rawPath });
      } else if (response.status === 200) {
        metrics.addMetric('LivePagesServed', MetricUnit.Count, 1);
      }
      return { statusCode: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      metrics.addMetric('LivePagesFailed', MetricUnit.Count, 1);
      logger.error('live page failed', { error: error as Error });
      return { statusCode: 503, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: '503\n' };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

let deployed: ReturnType<typeof createLiveHandler> | undefined;

/** The deployed entry point: composes Athena (results kept a minute), S3 and the link key on the first request. */
export async function handler(event: unknown, context: Context): Promise<FunctionUrlResponse> {
  if (!deployed) {
    const { awsRuntime } = await import('../composition/aws.ts');
    const { awsLiveRequestDeps } = await import('../composition/aws-live.ts');
    const { handlerLogger, handlerMetrics } = await import('./observability.ts');
    const rt = awsRuntime();
    deployed = createLiveHandler({
      ...(await awsLiveRequestDeps()),
      logger: handlerLogger('live', rt.config.id),
      metrics: handlerMetrics('live', rt.config.id),
    });
  }
  return deployed(event, context);
}
