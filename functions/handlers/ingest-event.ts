/**
 * The ingest Lambda's trigger: a raw object was created. Two shapes say so: S3 event notifications (keys
 * URL-encoded, `+` for a space) and EventBridge "Object Created" events (keys as they are). Either arrives
 * directly or wrapped in SQS messages; the deployed path is S3 → EventBridge → SQS → Lambda, so a failing
 * file is retried and then parked in the dead-letter queue.
 */
import { z } from 'zod';

const s3Record = z.object({
  eventName: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional() }),
  }),
});

export const s3EventSchema = z.object({ Records: z.array(s3Record) });

export const eventBridgeObjectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional() }),
  }),
});

const sqsRecord = z.object({
  messageId: z.string(),
  body: z.string(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string().optional(),
});
export const sqsEventSchema = z.object({ Records: z.array(sqsRecord).min(1) });

export interface RawObjectRef {
  bucket: string;
  key: string;
}

/** S3 event keys are URL-encoded with `+` for spaces. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export function objectsOfS3Event(event: z.infer<typeof s3EventSchema>): RawObjectRef[] {
  return event.Records.filter((r) => r.eventName === undefined || r.eventName.startsWith('ObjectCreated')).map(
    (r) => ({ bucket: r.s3.bucket.name, key: decodeS3Key(r.s3.object.key) }),
  );
}

/** The raw objects an event names: an S3 notification or an EventBridge "Object Created" event. */
export function objectsOfEvent(event: unknown): RawObjectRef[] {
  if (typeof event === 'object' && event !== null && (event as { Event?: string }).Event === 's3:TestEvent') return [];
  const fromEventBridge = eventBridgeObjectCreatedSchema.safeParse(event);
  if (fromEventBridge.success) {
    const { bucket, object } = fromEventBridge.data.detail;
    return [{ bucket: bucket.name, key: object.key }];
  }
  return objectsOfS3Event(s3EventSchema.parse(event));
}

/** The raw objects named by one SQS message; S3's `s3:TestEvent` carries none. */
export function objectsOfSqsBody(body: string): RawObjectRef[] {
  return objectsOfEvent(JSON.parse(body));
}

export class RawKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`raw object ${key}: ${reason}`);
    this.name = 'RawKeyError';
  }
}

/** `client_id=<id>/<source>/<file…>` → its parts; anything else is not ours to ingest. */
export function parseRawKey(key: string): { clientId: string; sourceId: string; file: string } {
  const match = /^client_id=([^/]+)\/([^/]+)\/(.+)$/.exec(key);
  if (!match) throw new RawKeyError(key, 'expected client_id=<id>/<source>/<file>');
  return { clientId: match[1]!, sourceId: match[2]!, file: match[3]! };
}
