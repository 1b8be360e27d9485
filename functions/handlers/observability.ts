/**
 * Structured logs and metrics of the Lambda handlers, through Powertools for AWS Lambda (TypeScript):
 * - Logger writes one JSON object per line with `level`, `message`, `service`, `timestamp`, the Lambda context
 *   (`function_request_id`, `cold_start`…) once `addContext` has run, the persistent `client_id`, and a
 *   `correlation_id` per unit of work (the SQS message of a raw file; the client, kind and date of a report).
 * - Metrics writes CloudWatch embedded metric format (EMF) to stdout, which Lambda's log pipeline turns into
 *   metrics of namespace `cspulse` with the dimensions `service` and `client_id`; no PutMetricData call and
 *   no IAM permission (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'cspulse';

export const serviceName = (handler: 'collector' | 'ingest' | 'report' | 'live') => `cspulse-${handler}`;

export function handlerLogger(handler: 'collector' | 'ingest' | 'report' | 'live', clientId: string): Logger {
  return new Logger({ serviceName: serviceName(handler), persistentKeys: { client_id: clientId } });
}

export function handlerMetrics(handler: 'collector' | 'ingest' | 'report' | 'live', clientId: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: serviceName(handler), defaultDimensions: { client_id: clientId } });
}
