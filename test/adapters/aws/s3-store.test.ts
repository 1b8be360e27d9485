import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Store } from '../../../functions/adapters/aws/s3-store.ts';
import { ObjectNotFoundError, type ObjectInfo } from '../../../functions/core/ports.ts';
import { objectStoreContract } from '../object-store-contract.ts';
import { startIamProxy, type IamProxy, type S3PolicyStatement } from './iam-proxy.ts';
import { startS3rver, type RunningS3rver } from './s3rver-server.ts';

const MiB = 1024 * 1024;

objectStoreContract(
  's3 on s3rver',
  async () => {
    const server = await startS3rver();
    return {
      // 5 MiB parts make the contract's 6 MiB streamed body a real two-part multipart upload; a page of 10
      // keys makes its 25-key listing follow continuation tokens.
      store: createS3Store({ client: server.client, bucket: server.bucket, partSize: 5 * MiB, listPageSize: 10 }),
      cleanup: server.stop,
    };
  },
  // s3rver ignores If-None-Match and overwrites; the refusal is asserted against the S3 API shape below.
  // It also lists in directory-walk order rather than S3's byte order.
  { honoursConditionalPut: false, listsInByteOrder: false },
);

/**
 * A role like cspulse's: every object action in the bucket, but ListBucket only with an s3:prefix condition.
 * GET and HEAD carry no s3:prefix, so S3 answers this role's request for a missing key with 403, not 404.
 */
const prefixConditionedRole = (bucket: string): S3PolicyStatement[] => [
  {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    resources: [`arn:aws:s3:::${bucket}/*`],
  },
  { actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${bucket}`], prefixes: ['*'] },
];

objectStoreContract(
  's3 for a role without bucket-wide ListBucket (missing keys answer 403)',
  async () => {
    const server = await startS3rver('cspulse-403');
    const proxy = await startIamProxy(server.endpoint, prefixConditionedRole(server.bucket));
    return {
      store: createS3Store({ client: proxy.client, bucket: server.bucket, partSize: 5 * MiB, listPageSize: 10 }),
      cleanup: async () => {
        await proxy.stop();
        await server.stop();
      },
    };
  },
  // the proxy answers If-None-Match: * as S3 does; listing order is still s3rver's
  { honoursConditionalPut: true, listsInByteOrder: false },
);

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out;
}

/** Counts the commands a client sends, by command name, without changing them. */
function countCommands(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
}

describe('createS3Store on s3rver', () => {
  let server: RunningS3rver;
  let counted: S3Client;
  let counts: Map<string, number>;

  beforeAll(async () => {
    server = await startS3rver('cspulse-s3-store');
    counted = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    counts = countCommands(counted);
  });
  afterAll(async () => {
    counted?.destroy();
    await server?.stop();
  });
  afterEach(() => counts.clear());

  it('pages through more than 1000 keys with the default page size', async () => {
    const store = createS3Store({ client: counted, bucket: server.bucket });
    const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, 'x')));
    }
    counts.clear();
    const listed = await collect(store.list('many/'));
    expect(listed.map((o) => o.key)).toEqual(keys);
    // 1000 on the first page, 5 on the second
    expect(counts.get('ListObjectsV2Command')).toBe(2);
  });

  it('uploads a streamed body larger than one part as a multipart upload', async () => {
    const store = createS3Store({ client: counted, bucket: server.bucket, partSize: 5 * MiB });
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 11; i++) yield new Uint8Array(MiB).fill(i);
    }
    await store.put('multipart/eleven.bin', body());
    // 11 MiB in 5 MiB parts: 5 + 5 + 1
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('UploadPartCommand')).toBe(3);
    expect(counts.get('CompleteMultipartUploadCommand')).toBe(1);
    expect(counts.get('PutObjectCommand')).toBeUndefined();
    const back = await store.get('multipart/eleven.bin');
    expect(back.byteLength).toBe(11 * MiB);
    expect([back[0], back[5 * MiB - 1], back[5 * MiB], back[10 * MiB], back[11 * MiB - 1]]).toEqual([0, 4, 5, 10, 10]);
  });

  it('uploads a short streamed body with one PutObject', async () => {
    const store = createS3Store({ client: counted, bucket: server.bucket });
    async function* body(): AsyncIterable<Uint8Array> {
      yield Buffer.from('part one, ');
      yield Buffer.from('part two');
    }
    await store.put('single/short.txt', body());
    expect(counts.get('PutObjectCommand')).toBe(1);
    expect(counts.get('CreateMultipartUploadCommand')).toBeUndefined();
    expect(Buffer.from(await store.get('single/short.txt')).toString()).toBe('part one, part two');
  });

  it('keeps keys under the configured prefix and strips it when listing', async () => {
    const store = createS3Store({ client: server.client, bucket: server.bucket, prefix: 'tenant-a' });
    await store.put('lake/x.txt', 'x');
    const raw = await server.client.send(new GetObjectCommand({ Bucket: server.bucket, Key: 'tenant-a/lake/x.txt' }));
    expect(await raw.Body?.transformToString()).toBe('x');
    expect((await collect(store.list('lake/'))).map((o) => o.key)).toEqual(['lake/x.txt']);
    expect((await store.head('lake/x.txt'))?.key).toBe('lake/x.txt');
  });
});

describe('createS3Store when S3 answers a missing key with 403', () => {
  let server: RunningS3rver;
  let proxy: IamProxy;

  beforeAll(async () => {
    server = await startS3rver('cspulse-403-paths');
    proxy = await startIamProxy(server.endpoint, [
      ...prefixConditionedRole(server.bucket).map((s) =>
        // objects under secret/ exist but this role may not read them
        s.actions.includes('s3:GetObject') ? { ...s, resources: [`arn:aws:s3:::${server.bucket}/open/*`] } : s,
      ),
    ]);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });
  afterEach(() => {
    proxy.requests.length = 0;
  });

  it('settles the 403 with one ListObjectsV2 of the exact key, which the prefix condition allows', async () => {
    const store = createS3Store({ client: proxy.client, bucket: server.bucket });
    await expect(store.get('open/missing.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(proxy.requests).toEqual([
      { action: 's3:GetObject', bucket: server.bucket, key: 'open/missing.json', prefix: undefined, status: 403 },
      { action: 's3:ListBucket', bucket: server.bucket, key: undefined, prefix: 'open/missing.json', status: 200 },
    ]);
  });

  it('keeps a denied read of an existing key an AccessDenied error, not "missing"', async () => {
    await server.client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'secret/key.txt', Body: 'k' }));
    const store = createS3Store({ client: proxy.client, bucket: server.bucket });
    const error = await store.get('secret/key.txt').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ObjectNotFoundError);
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(store.head('secret/key.txt')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});

describe('createS3Store request shapes (S3 API mocked)', () => {
  // Mock this one instance: mocking the class would also replace the s3rver clients above.
  const client = new S3Client({ region: 'eu-central-1' });
  const s3 = mockClient(client);
  const store = createS3Store({ client, bucket: 'lake-bucket', prefix: 'data/' });

  afterEach(() => s3.reset());

  const preconditionFailed = () =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
      message: 'At least one of the pre-conditions you specified did not hold',
    });

  it('putIfAbsent sends PutObject with If-None-Match * and no per-request encryption', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"abc"' });
    expect(await store.putIfAbsent('claims/file-1.json', '{"by":"ingest"}', { contentType: 'application/json' })).toBe(
      true,
    );
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: 'lake-bucket',
        Key: 'data/claims/file-1.json',
        Body: '{"by":"ingest"}',
        ContentType: 'application/json',
        IfNoneMatch: '*',
      },
    ]);
  });

  it('putIfAbsent returns false on 412 PreconditionFailed', async () => {
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    expect(await store.putIfAbsent('claims/file-1.json', 'x')).toBe(false);
  });

  it('putIfAbsent returns false on 409 ConditionalRequestConflict', async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'ConditionalRequestConflict',
        $fault: 'client',
        $metadata: { httpStatusCode: 409 },
        message: 'A conflicting conditional operation is currently in progress against this resource.',
      }),
    );
    expect(await store.putIfAbsent('claims/file-1.json', 'x')).toBe(false);
  });

  it('putIfAbsent rethrows other errors', async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }),
    );
    await expect(store.putIfAbsent('claims/file-1.json', 'x')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('put sends a plain PutObject without a condition', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('lake/a.parquet', new Uint8Array([1, 2, 3]));
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'lake-bucket', Key: 'data/lake/a.parquet', Body: new Uint8Array([1, 2, 3]) },
    ]);
  });

  it('a conditional multipart upload puts If-None-Match on Complete and aborts when it is refused', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).rejects(preconditionFailed());
    s3.on(AbortMultipartUploadCommand).resolves({});
    const partStore = createS3Store({ client, bucket: 'lake-bucket', partSize: 5 * MiB });
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 6; i++) yield new Uint8Array(MiB);
    }
    expect(await partStore.putIfAbsent('claims/big.bin', body())).toBe(false);

    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'lake-bucket',
      Key: 'claims/big.bin',
    });
    expect(s3.commandCalls(UploadPartCommand).map((c) => [c.args[0].input.PartNumber, c.args[0].input.ContentLength])).toEqual([
      [1, 5 * MiB],
      [2, MiB],
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'lake-bucket',
      Key: 'claims/big.bin',
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: [
          { ETag: '"etag-1"', PartNumber: 1 },
          { ETag: '"etag-2"', PartNumber: 2 },
        ],
      },
      IfNoneMatch: '*',
    });
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'lake-bucket',
      Key: 'claims/big.bin',
      UploadId: 'upload-1',
    });
  });

  it('get maps NoSuchKey to ObjectNotFoundError', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' }),
    );
    const error = await store.get('lake/missing.parquet').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect((error as ObjectNotFoundError).key).toBe('lake/missing.parquet');
  });

  it('head maps a bodiless HEAD 403 to undefined when the exact-key listing is empty', async () => {
    // S3 sends no body with a HEAD error, so the SDK has only the status to go on
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'Unknown', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'UnknownError' }),
    );
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    expect(await store.head('lake/manifests/m.json')).toBeUndefined();
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lake-bucket', Prefix: 'data/lake/manifests/m.json', MaxKeys: 1 },
    ]);
  });

  it('head rethrows the 403 when the listing shows only a longer key (the prefix is not the key)', async () => {
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'Unknown', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'UnknownError' }),
    );
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'data/lake/m.json' }] });
    await expect(store.head('lake/m.json')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'data/lake/m.json.rejected' }] });
    expect(await store.head('lake/m.json')).toBeUndefined();
  });

  it('rethrows the first 403 when listing is denied too', async () => {
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
    s3.on(GetObjectCommand).rejects(denied);
    s3.on(ListObjectsV2Command).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'list denied' }),
    );
    await expect(store.get('lake/x')).rejects.toBe(denied);
  });

  it('list follows NextContinuationToken with the prefixed Prefix', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      IsTruncated: true,
      NextContinuationToken: 'token-2',
      Contents: [{ Key: 'data/lake/a', Size: 1, LastModified: new Date('2026-03-01T00:00:00Z') }],
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'token-2' }).resolves({
      IsTruncated: false,
      Contents: [{ Key: 'data/lake/b', Size: 2, LastModified: new Date('2026-03-02T00:00:00Z') }],
    });
    const listed = await collect(store.list('lake/'));
    expect(listed).toEqual([
      { key: 'lake/a', size: 1, lastModified: new Date('2026-03-01T00:00:00Z') },
      { key: 'lake/b', size: 2, lastModified: new Date('2026-03-02T00:00:00Z') },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lake-bucket', Prefix: 'data/lake/', MaxKeys: 1000, ContinuationToken: undefined },
      { Bucket: 'lake-bucket', Prefix: 'data/lake/', MaxKeys: 1000, ContinuationToken: 'token-2' },
    ]);
  });
});
