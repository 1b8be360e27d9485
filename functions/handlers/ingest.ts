/**
 * Ingest Lambda: one raw export object → lake, quarantine and manifest. Thin: it validates the event, checks
 * that the object belongs to this stack's client, and calls the core. A file whose content is rejected is a
 * handled outcome (its manifest says why); only infrastructure errors fail the SQS message, so SQS retries it
 * and finally parks it in the dead-letter queue.
 */
import type { ClientConfig } from '../core/config/client-config.ts';
import type { IngestManifest } from '../core/ingest/manifest.ts';
import type { IngestRequest } from '../core/ingest/ingest-file.ts';
import type { ObjectStore } from '../core/ports.ts';
import { objectsOfEvent, objectsOfSqsBody, parseRawKey, RawKeyError, sqsEventSchema, type RawObjectRef } from './ingest-event.ts';

export interface IngestHandlerDeps {
  config: ClientConfig;
  rawBucket: string;
  raw: ObjectStore;
  ingest(request: IngestRequest): Promise<IngestManifest>;
  log(entry: Record<string, unknown>): void;
}

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export function createIngestHandler(deps: IngestHandlerDeps) {
  async function ingestObject(ref: RawObjectRef): Promise<void> {
    if (ref.bucket !== deps.rawBucket) throw new RawKeyError(ref.key, `bucket ${ref.bucket} is not the raw bucket`);
    const { clientId, sourceId } = parseRawKey(ref.key);
    // Tenant guard: IAM already confines this function to its client's prefix; refuse loudly if routing is wrong.
    if (clientId !== deps.config.id) throw new RawKeyError(ref.key, `belongs to client ${clientId}, not ${deps.config.id}`);
    const manifest = await deps.ingest({
      config: deps.config,
      sourceId,
      file: ref.key,
      body: await deps.raw.getStream(ref.key),
    });
    deps.log({
      message: 'ingested',
      key: ref.key,
      status: manifest.status,
      rows_read: manifest.rows_read,
      rows_written: manifest.rows_written,
      rows_quarantined: manifest.rows_quarantined,
      duplicates_dropped: manifest.duplicates_dropped,
      ...(manifest.error ? { error: manifest.error } : {}),
    });
  }

  return async function handler(event: unknown): Promise<SqsBatchResponse | { ingested: number }> {
    const sqs = sqsEventSchema.safeParse(event);
    if (sqs.success) {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of sqs.data.Records) {
        // A FIFO queue keeps a client's files in order: after a failure, the rest of the batch waits too.
        if (failures.length > 0 && record.eventSourceARN?.endsWith('.fifo')) {
          failures.push({ itemIdentifier: record.messageId });
          continue;
        }
        try {
          for (const ref of objectsOfSqsBody(record.body)) await ingestObject(ref);
        } catch (error) {
          deps.log({ message: 'ingest failed', messageId: record.messageId, error: String(error) });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    }
    const refs = objectsOfEvent(event);
    for (const ref of refs) await ingestObject(ref);
    return { ingested: refs.length };
  };
}

let deployed: ReturnType<typeof createIngestHandler> | undefined;

/** The deployed entry point: composes the AWS adapters on the first invocation of a container. */
export async function handler(event: unknown): Promise<SqsBatchResponse | { ingested: number }> {
  if (!deployed) {
    const { awsRuntime, awsIngestDeps } = await import('../composition/aws.ts');
    const { ingestFile } = await import('../core/ingest/ingest-file.ts');
    const rt = awsRuntime();
    const ingestDeps = await awsIngestDeps();
    deployed = createIngestHandler({
      config: rt.config,
      rawBucket: rt.rawBucket,
      raw: rt.raw,
      ingest: (request) => ingestFile(ingestDeps, request),
      log: (entry) => console.log(JSON.stringify(entry)),
    });
  }
  return deployed(event);
}
