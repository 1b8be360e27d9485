/**
 * Ingest Lambda: one raw export object → lake, quarantine and manifest. Thin: it validates the event, checks
 * that the object belongs to this stack's client, and calls the core.
 *
 * Three kinds of outcome, three destinations:
 * - a file whose content is rejected is a handled outcome: its manifest says why, the message succeeds;
 * - a message that can never succeed (its body is not an object-created event, the key is not this client's
 *   layout or names another client or an unknown source, the raw object is gone) is a poison message: it is
 *   sent to the dead-letter queue at once, with the reason, and the message succeeds, so it does not block
 *   the client's FIFO message group for five retries (about 7.5 hours at a 90-minute visibility timeout);
 * - a failure the same message would meet again (a full /tmp, the JavaScript engine's limits:
 *   core/errors/infrastructure.ts) is sent to the dead-letter queue at once the same way;
 * - anything else (S3, Secrets Manager, a bug) fails the message, so SQS retries it and finally parks it in
 *   the dead-letter queue itself.
 * Partial batch responses come from the Powertools batch utility; on a FIFO queue its FIFO processor fails
 * the rest of the batch after a failure, so a client's files keep their order
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
import { deliveryStatus } from '../core/ingest/delivery-status.ts';
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';

import { permanentFailure } from '../core/errors/infrastructure.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import type { IngestRequest } from '../core/ingest/ingest-file.ts';
import type { IngestManifest } from '../core/ingest/manifest.ts';
import { ObjectNotFoundError, type ObjectStore } from '../core/ports.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import {
  decodeS3KeyOrSelf,
  objectsOfEvent,
  objectsOfSqsBody,
  parseRawKey,
  PoisonMessageError,
  RawKeyError,
  sqsEventSchema,
  type RawObjectRef,
} from './ingest-event.ts';

export interface IngestHandlerDeps {
  config: ClientConfig;
  rawBucket: string;
  raw: ObjectStore;
  ingest(request: IngestRequest): Promise<IngestManifest>;
  deadLetters: DeadLetterQueue;
  logger: Logger;
  metrics: Metrics;
}

export type IngestHandlerResult = SQSBatchResponse | { ingested: number };

export function createIngestHandler(deps: IngestHandlerDeps) {
  const { logger, metrics, config } = deps;

  /** The raw object under one spelling of its key: layout, tenant and source checked, body opened. */
  async function openRaw(ref: RawObjectRef, key: string): Promise<{ key: string; sourceId: string; body: AsyncIterable<Uint8Array>; deliveredAt: Date }> {
    if (ref.bucket !== deps.rawBucket) throw new RawKeyError(key, `bucket ${ref.bucket} is not the raw bucket`);
    const { clientId, sourceId } = parseRawKey(key);
    // Tenant guard: the EventBridge rule routes only this client's prefix here; refuse loudly if routing is wrong.
    if (clientId !== config.id) throw new RawKeyError(key, `belongs to client ${clientId}, not ${config.id}`);
    if (!config.sources.some((s) => s.id === sourceId)) {
      throw new RawKeyError(key, `client ${config.id} has no source "${sourceId}" (sources: ${config.sources.map((s) => s.id).join(', ')})`);
    }
    let body: AsyncIterable<Uint8Array>;
    let deliveredAt = ref.createdAt;
    try {
      // S3 events carry the object's creation time; an event without one falls back to its LastModified
      deliveredAt ??= (await deps.raw.head(key))?.lastModified;
      body = await deps.raw.getStream(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new RawKeyError(key, 'the raw object no longer exists');
      throw error;
    }
    if (deliveredAt === undefined) throw new RawKeyError(key, 'the raw object no longer exists');
    return { key, sourceId, body, deliveredAt };
  }

  /**
   * The key as the event gives it, then URL-decoded: EventBridge's "Object Created" events are documented with
   * keys as they are, S3 notifications URL-encode them (`+` for a space, `%3D` for `=`), and a key with spaces,
   * Hangul or `=` must be found whichever form arrives. A key that is literally spelled with `%` or `+` is found
   * by the first try.
   */
  async function openRawEitherForm(ref: RawObjectRef) {
    const decoded = decodeS3KeyOrSelf(ref.key);
    try {
      return await openRaw(ref, ref.key);
    } catch (error) {
      if (decoded === ref.key || !(error instanceof RawKeyError)) throw error;
      try {
        return await openRaw(ref, decoded);
      } catch (second) {
        throw second instanceof RawKeyError ? error : second;
      }
    }
  }

  async function ingestObject(ref: RawObjectRef): Promise<void> {
    const { key, sourceId, body, deliveredAt } = await openRawEitherForm(ref);
    ref = { ...ref, key };
    const manifest = await deps.ingest({ config, sourceId, file: ref.key, body, deliveredAt });
    metrics.addMetric(manifest.status === 'ok' ? 'FilesIngested' : 'FilesRejected', MetricUnit.Count, 1);
    // read, but more of its rows quarantined than the source allows: the report counts its days as failed
    const verdict = deliveryStatus(manifest, config.sources.find((s) => s.id === sourceId)!);
    if (verdict.status === 'partial') metrics.addMetric('FilesPartial', MetricUnit.Count, 1);
    metrics.addMetric('RowsRead', MetricUnit.Count, manifest.rows_read);
    metrics.addMetric('RowsWritten', MetricUnit.Count, manifest.rows_written);
    metrics.addMetric('RowsQuarantined', MetricUnit.Count, manifest.rows_quarantined);
    metrics.addMetric('DuplicatesDropped', MetricUnit.Count, manifest.duplicates_dropped);
    const counts = {
      file: ref.key,
      source: sourceId,
      status: manifest.status,
      rows_read: manifest.rows_read,
      rows_written: manifest.rows_written,
      rows_quarantined: manifest.rows_quarantined,
      duplicates_dropped: manifest.duplicates_dropped,
      ...(manifest.legs_grouped === undefined ? {} : { legs_grouped: manifest.legs_grouped }),
      delivered_at: deliveredAt.toISOString(),
    };
    if (verdict.status === 'ok') logger.info('ingested', counts);
    else if (verdict.status === 'partial') logger.warn('file mostly quarantined', { ...counts, status: 'partial', error: verdict.reason });
    else logger.warn('file rejected', { ...counts, error: manifest.error });
  }

  async function ingestRecord(record: SQSRecord): Promise<void> {
    logger.setCorrelationId(record.messageId);
    try {
      for (const ref of objectsOfSqsBody(record.body)) await ingestObject(ref);
    } catch (error) {
      // a failure no retry of the same message can pass (a full /tmp, the engine's own limits) is parked at once
      const permanent = error instanceof PoisonMessageError ? error.message : permanentFailure(error);
      if (permanent === undefined) {
        // counted, and (below) the invocation fails, so the function's error alarm fires on the first failure
        // instead of the dead-letter alarm five retries (7.5 hours) later
        metrics.addMetric('FilesFailed', MetricUnit.Count, 1);
        logger.error('ingest failed; SQS will deliver the message again', { error: error as Error });
        throw error;
      }
      // Sent before the message succeeds: if the send fails, the message fails and comes back.
      await deps.deadLetters.send(
        { body: record.body, messageId: record.messageId, ...(record.attributes?.MessageGroupId ? { messageGroupId: record.attributes.MessageGroupId } : {}) },
        permanent,
      );
      metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
      logger.error('message can never be ingested; moved to the dead-letter queue', { reason: permanent });
    } finally {
      logger.resetKeys();
    }
  }

  return async function handler(event: unknown, context?: Context): Promise<IngestHandlerResult> {
    if (context) logger.addContext(context);
    try {
      const sqs = sqsEventSchema.safeParse(event);
      if (sqs.success) {
        const records = (event as { Records: SQSRecord[] }).Records;
        const fifo = records.some((r) => r.eventSourceARN?.endsWith('.fifo'));
        // One file at a time either way: ingest drops ids already in the lake, which assumes no other file
        // of the client is being written at the same moment.
        // A batch whose every message failed fails the invocation (Powertools' FullBatchFailureError): with one
        // file per invocation that is every failure, so Lambda's Errors metric and the function's alarm see it at
        // once. A partial response alone leaves Errors at 0. The messages come back either way.
        return fifo
          ? await processPartialResponse(event as { Records: SQSRecord[] }, ingestRecord, new SqsFifoPartialProcessorAsync(), {
              ...(context ? { context } : {}),
              throwOnFullBatchFailure: true,
            })
          : await processPartialResponse(event as { Records: SQSRecord[] }, ingestRecord, new BatchProcessor(EventType.SQS), {
              ...(context ? { context } : {}),
              throwOnFullBatchFailure: true,
              processInParallel: false,
            });
      }
      // invoked directly (aws lambda invoke with an S3 or EventBridge event): errors fail the invocation
      const refs = objectsOfEvent(event);
      for (const ref of refs) await ingestObject(ref);
      return { ingested: refs.length };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

let deployed: ReturnType<typeof createIngestHandler> | undefined;

/** The deployed entry point: composes the AWS adapters on the first invocation of a container. */
export async function handler(event: unknown, context: Context): Promise<IngestHandlerResult> {
  if (!deployed) {
    const { awsRuntime, awsIngestDeadLetters } = await import('../composition/aws.ts');
    const { awsIngestDeps } = await import('../composition/aws-ingest.ts');
    const { ingestFile } = await import('../core/ingest/ingest-file.ts');
    const { handlerLogger, handlerMetrics } = await import('./observability.ts');
    const rt = awsRuntime();
    const ingestDeps = await awsIngestDeps();
    deployed = createIngestHandler({
      config: rt.config,
      rawBucket: rt.rawBucket,
      raw: rt.raw,
      ingest: (request) => ingestFile(ingestDeps, request),
      deadLetters: awsIngestDeadLetters(),
      logger: handlerLogger('ingest', rt.config.id),
      metrics: handlerMetrics('ingest', rt.config.id),
    });
  }
  return deployed(event, context);
}
