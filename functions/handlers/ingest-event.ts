/**
 * The ingest Lambda's trigger: a raw object was created. Two shapes say so: S3 event notifications (keys
 * URL-encoded, `+` for a space) and EventBridge "Object Created" events (keys as they are). Either arrives
 * directly or wrapped in SQS messages; the deployed path is S3 → EventBridge → SQS → Lambda, so a failing
 * file is retried and then parked in the dead-letter queue.
 */
import { z } from 'zod';

const s3Record = z.object({
  eventName: z.string().optional(),
  eventTime: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional() }),
  }),
});

export const s3EventSchema = z.object({ Records: z.array(s3Record) });

export const eventBridgeObjectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  time: z.string().optional(),
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
  /** when S3 created the object, as the event says (S3 `eventTime`, EventBridge `time`) */
  createdAt?: Date;
}

/** An ISO 8601 time of an event, or undefined when it is missing or unreadable. */
function eventTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const withTime = (ref: RawObjectRef, at: Date | undefined): RawObjectRef => (at === undefined ? ref : { ...ref, createdAt: at });

/** S3 event keys are URL-encoded with `+` for spaces. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/** The URL-decoded key, or the key itself when it is not valid URL encoding (a literal `%` in a file name). */
export function decodeS3KeyOrSelf(key: string): string {
  try {
    return decodeS3Key(key);
  } catch {
    return key;
  }
}

export function objectsOfS3Event(event: z.infer<typeof s3EventSchema>): RawObjectRef[] {
  return event.Records.filter((r) => r.eventName === undefined || r.eventName.startsWith('ObjectCreated')).map(
    (r) => withTime({ bucket: r.s3.bucket.name, key: decodeS3Key(r.s3.object.key) }, eventTime(r.eventTime)),
  );
}

/** The raw objects an event names: an S3 notification or an EventBridge "Object Created" event. */
export function objectsOfEvent(event: unknown): RawObjectRef[] {
  if (typeof event === 'object' && event !== null && (event as { Event?: string }).Event === 's3:TestEvent') return [];
  const fromEventBridge = eventBridgeObjectCreatedSchema.safeParse(event);
  if (fromEventBridge.success) {
    const { bucket, object } = fromEventBridge.data.detail;
    return [withTime({ bucket: bucket.name, key: object.key }, eventTime(fromEventBridge.data.time))];
  }
  return objectsOfS3Event(s3EventSchema.parse(event));
}

/**
 * A message that can never be ingested, however often it is retried: not an event, another client's key, a
 * source the config does not have. It goes to the dead-letter queue at once.
 */
export class PoisonMessageError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'PoisonMessageError';
  }
}

/**
 * The raw objects named by one SQS message; S3's `s3:TestEvent` carries none.
 * @throws PoisonMessageError when the body is not JSON or not an object-created event
 */
export function objectsOfSqsBody(body: string): RawObjectRef[] {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (cause) {
    throw new PoisonMessageError(`the message body is not JSON (${body.length} characters)`, { cause });
  }
  try {
    return objectsOfEvent(event);
  } catch (cause) {
    throw new PoisonMessageError('the message body is neither an S3 event notification nor an EventBridge "Object Created" event', { cause });
  }
}

/** A raw object this client's ingest can never take: wrong bucket, wrong layout, another client. */
export class RawKeyError extends PoisonMessageError {
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
