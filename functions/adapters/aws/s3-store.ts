import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectNotFoundError, type ObjectBody, type ObjectInfo, type ObjectStore } from '../../core/ports.ts';

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. `lake/`. A missing trailing slash is added. */
  prefix?: string;
  /**
   * Part size for streamed bodies. A streamed body that ends before one part is full goes up as one PutObject;
   * a longer one as a multipart upload, so at most one part is held in memory. S3 requires at least 5 MiB.
   */
  partSize?: number;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000). */
  listPageSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

interface ServiceError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function serviceError(error: unknown): ServiceError {
  return typeof error === 'object' && error !== null ? (error as ServiceError) : {};
}

function isMissing(error: unknown): boolean {
  const e = serviceError(error);
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** GET answers 403 with code AccessDenied; HEAD has no body, so only its status says 403. */
function isAccessDenied(error: unknown): boolean {
  const e = serviceError(error);
  return e.name === 'AccessDenied' || e.name === 'Forbidden' || e.$metadata?.httpStatusCode === 403;
}

/** S3 answers 412 when `If-None-Match: *` meets an existing key and 409 when a concurrent write races it. */
function isTaken(error: unknown): boolean {
  const e = serviceError(error);
  const code = e.name ?? e.Code;
  return (
    code === 'PreconditionFailed' ||
    code === 'ConditionalRequestConflict' ||
    e.$metadata?.httpStatusCode === 412
  );
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/**
 * Cuts a stream into parts of exactly `size` bytes (the last one shorter). Chunks are copied into a part
 * buffer as they come, so memory stays at one part however long the stream is.
 */
async function* parts(source: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  let part = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const n = Math.min(size - filled, chunk.byteLength - offset);
      part.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield part;
        part = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}

/**
 * An ObjectStore on one S3 bucket. Encryption is left to the bucket's default (SSE-S3 or SSE-KMS), so no
 * request sets ServerSideEncryption and the bucket policy stays the single place that decides it.
 */
export function createS3Store(options: S3StoreOptions): ObjectStore {
  const { client, bucket } = options;
  const rawPrefix = options.prefix ?? '';
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (partSize < MIN_PART_SIZE) throw new RangeError(`partSize must be at least ${MIN_PART_SIZE} bytes`);
  const listPageSize = options.listPageSize ?? 1000;

  const fullKey = (key: string): string => {
    if (key.length === 0 || key.startsWith('/')) throw new RangeError(`invalid object key ${JSON.stringify(key)}`);
    return prefix + key;
  };

  /**
   * Whether a GET or HEAD that failed with `error` failed because the key does not exist.
   *
   * S3 answers a request for a missing key with 404 only to a caller allowed `s3:ListBucket` on the bucket;
   * anyone else gets 403 AccessDenied, so that a caller who may not list cannot learn which keys exist (API
   * reference, GetObject and HeadObject, "Permissions"). cspulse's roles may list only under an `s3:prefix`
   * condition on their client's prefixes, and a GET or HEAD carries no `s3:prefix`, so for them every missing
   * key is a 403. A 403 is therefore settled by ListObjectsV2 with the key itself as the prefix, which the
   * prefix condition allows: listings are in key order, so an existing key is the first key listed. When the
   * key is there, the 403 was a real denial and stays an error.
   */
  async function isAbsent(key: string, error: unknown): Promise<boolean> {
    if (isMissing(error)) return true;
    if (!isAccessDenied(error)) return false;
    const Key = fullKey(key);
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: Key, MaxKeys: 1 })).catch(() => {
      // not allowed to list either: nothing tells a missing key from a denied one
      throw error;
    });
    return page.Contents?.[0]?.Key !== Key;
  }

  async function getObject(key: string) {
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
    } catch (error) {
      if (await isAbsent(key, error)) throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    }
  }

  /**
   * Uploads a body; `ifNoneMatch` makes it conditional. Returns false when the condition failed.
   * Conditional multipart uploads put the condition on CompleteMultipartUpload, which S3 checks atomically.
   */
  async function upload(
    key: string,
    body: ObjectBody,
    contentType: string | undefined,
    ifNoneMatch: boolean,
  ): Promise<boolean> {
    const Key = fullKey(key);
    const condition = ifNoneMatch ? { IfNoneMatch: '*' } : {};
    const type = contentType === undefined ? {} : { ContentType: contentType };

    const putWhole = async (Body: Uint8Array | string): Promise<boolean> => {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...type, ...condition }));
        return true;
      } catch (error) {
        if (ifNoneMatch && isTaken(error)) return false;
        throw error;
      }
    };

    if (!isAsyncIterable(body)) return putWhole(body);

    const iterator = parts(body, partSize)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) return putWhole(new Uint8Array(0));
    const second = await iterator.next();
    if (second.done) return putWhole(first.value);

    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...type }),
    );
    if (UploadId === undefined) throw new Error(`S3 returned no UploadId for ${Key}`);
    const completed: CompletedPart[] = [];
    const uploadPart = async (Body: Uint8Array): Promise<void> => {
      const PartNumber = completed.length + 1;
      const { ETag } = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body, ContentLength: Body.byteLength }),
      );
      completed.push({ ETag, PartNumber });
    };
    try {
      await uploadPart(first.value);
      await uploadPart(second.value);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        await uploadPart(next.value);
      }
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: completed },
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      // Parts of an unfinished upload are billed until aborted.
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }))
        .catch(() => undefined);
      if (ifNoneMatch && isTaken(error)) return false;
      throw error;
    }
  }

  return {
    async get(key) {
      const response = await getObject(key);
      if (response.Body === undefined) return new Uint8Array(0);
      return response.Body.transformToByteArray();
    },

    async getStream(key) {
      const response = await getObject(key);
      const body: unknown = response.Body;
      if (body === undefined) return (async function* () {})();
      if (!isAsyncIterable(body)) throw new TypeError('S3 response body is not a stream');
      return body;
    },

    async put(key, body, putOptions) {
      await upload(key, body, putOptions?.contentType, false);
    },

    async putIfAbsent(key, body, putOptions) {
      return upload(key, body, putOptions?.contentType, true);
    },

    async copy(from, to) {
      // CopySource is bucket/key, URL-encoded ("CopyObject", Amazon S3 API Reference:
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html); the key's slashes stay, and so does
      // the `=` of partition folders, a character S3 takes as is and local S3 peers that decode with decodeURI need
      const source = `${bucket}/${fullKey(from)
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/%3D/g, '='))
        .join('/')}`;
      try {
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: fullKey(to), CopySource: source }));
      } catch (error) {
        if (await isAbsent(from, error)) throw new ObjectNotFoundError(from, { cause: error });
        throw error;
      }
    },

    async head(key) {
      try {
        const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
        return { key, size: response.ContentLength ?? 0, lastModified: response.LastModified ?? new Date(0) };
      } catch (error) {
        if (await isAbsent(key, error)) return undefined;
        throw error;
      }
    },

    async *list(listPrefix): AsyncIterable<ObjectInfo> {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix + listPrefix,
            MaxKeys: listPageSize,
            ContinuationToken,
          }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          yield {
            key: object.Key.slice(prefix.length),
            size: object.Size ?? 0,
            lastModified: object.LastModified ?? new Date(0),
          };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken !== undefined);
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
    },
  };
}
