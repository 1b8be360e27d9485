/**
 * The ingest Lambda's trigger: S3 ObjectCreated notifications, delivered directly or wrapped in SQS messages
 * (the deployed path: S3 → SQS → Lambda, so a failing file is retried and then parked in the DLQ).
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

const sqsRecord = z.object({ messageId: z.string(), body: z.string(), eventSource: z.literal('aws:sqs') });
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

/** The S3 objects named by one SQS message; S3's `s3:TestEvent` carries none. */
export function objectsOfSqsBody(body: string): RawObjectRef[] {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed === 'object' && parsed !== null && (parsed as { Event?: string }).Event === 's3:TestEvent') return [];
  return objectsOfS3Event(s3EventSchema.parse(parsed));
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
