/**
 * An HTTP proxy in front of s3rver that answers the way S3 answers a caller holding a given IAM policy.
 * s3rver itself allows everything and answers a missing key with 404; S3 does not:
 *
 * - every request is authorized against the policy's Allow statements (action, resource ARN and the
 *   `s3:prefix` StringLike condition of ListBucket), and anything not allowed is 403 AccessDenied;
 * - a GET or HEAD of a missing key is 404 only when the caller may `s3:ListBucket` the bucket without a
 *   condition the request does not meet; a role whose ListBucket carries an `s3:prefix` condition gets
 *   403 AccessDenied instead, because a GET carries no `s3:prefix` (S3 API reference, GetObject and
 *   HeadObject, "Permissions": https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html);
 * - `If-None-Match: *` on PutObject and CompleteMultipartUpload is honoured with 412 PreconditionFailed,
 *   which s3rver ignores (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 *
 * Requests are forwarded byte for byte with their Host header, so the SigV4 signature s3rver checks stays valid.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

export interface S3PolicyStatement {
  actions: string[];
  /** ARNs with IAM wildcards: `arn:aws:s3:::bucket`, `arn:aws:s3:::bucket/prefix/*` */
  resources: string[];
  /** `StringLike` values of `s3:prefix`; the statement then applies only to requests carrying a matching one */
  prefixes?: string[];
}

export interface ProxiedRequest {
  action: string;
  bucket: string;
  key?: string;
  prefix?: string;
  status: number;
}

export interface IamProxy {
  endpoint: string;
  client: S3Client;
  /** every request answered, in order */
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/** IAM's `*` (any characters) and `?` (one character) wildcards; nothing else is special. */
export function iamWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

export function isAllowed(policy: readonly S3PolicyStatement[], action: string, arn: string, prefix: string | undefined): boolean {
  return policy.some(
    (s) =>
      s.actions.some((a) => iamWildcard(a, action, true)) &&
      s.resources.some((r) => iamWildcard(r, arn)) &&
      // a condition on a key the request does not carry is not met (IAM condition evaluation)
      (s.prefixes === undefined || (prefix !== undefined && s.prefixes.some((p) => iamWildcard(p, prefix)))),
  );
}

interface S3Request {
  action: string;
  bucket: string;
  key?: string;
  prefix?: string;
  conditional: boolean;
}

/** Which S3 action a path-style request is (the subset the S3 adapter and the SDK send). */
function classify(req: IncomingMessage): S3Request | undefined {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const [, bucket, ...rest] = url.pathname.split('/');
  if (!bucket) return undefined;
  const key = rest.length > 0 && rest.join('/') !== '' ? decodeURIComponent(rest.join('/')) : undefined;
  const q = url.searchParams;
  const conditional = req.headers['if-none-match'] === '*';
  const method = req.method ?? 'GET';
  if (key === undefined) {
    if ((method === 'GET' || method === 'HEAD') && q.get('list-type') === '2') {
      return { action: 's3:ListBucket', bucket, prefix: q.get('prefix') ?? undefined, conditional };
    }
    if (method === 'GET' && q.has('location')) return { action: 's3:GetBucketLocation', bucket, conditional };
    return undefined;
  }
  if ((method === 'GET' || method === 'HEAD') && !q.has('uploadId')) return { action: 's3:GetObject', bucket, key, conditional };
  if (method === 'GET' && q.has('uploadId')) return { action: 's3:ListMultipartUploadParts', bucket, key, conditional };
  if (method === 'PUT' || method === 'POST') return { action: 's3:PutObject', bucket, key, conditional };
  if (method === 'DELETE' && q.has('uploadId')) return { action: 's3:AbortMultipartUpload', bucket, key, conditional };
  if (method === 'DELETE') return { action: 's3:DeleteObject', bucket, key, conditional };
  return undefined;
}

/** Node answers `Expect: 100-continue` itself; passing it on would make s3rver wait for a second go-ahead. */
function withoutExpect(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { expect: _expect, ...rest } = headers;
  return rest;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string, head: boolean): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': head ? 0 : Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/** Starts a proxy to `upstream` (an s3rver endpoint) answering as S3 would for a caller with `policy`. */
export async function startIamProxy(upstream: string, policy: readonly S3PolicyStatement[]): Promise<IamProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  // conditional writes of one key run one at a time, so check-then-write is atomic for clients of this proxy
  const locks = new Map<string, Promise<void>>();

  const forward = (req: IncomingMessage, init?: { method: string; headers: Record<string, string> }) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: init?.method ?? req.method,
          path: req.url,
          headers: init?.headers ?? withoutExpect(req.headers),
        },
        resolve,
      );
      out.on('error', reject);
      if (init) out.end();
      else req.pipe(out);
    });

  const exists = async (req: IncomingMessage, s3: S3Request): Promise<boolean> => {
    // Unsigned: s3rver serves anonymous requests, and this check is the proxy's, not the caller's.
    const path = `/${s3.bucket}/${s3.key!.split('/').map(encodeURIComponent).join('/')}`;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = httpRequest({ host: target.hostname, port: target.port, method: 'HEAD', path }, resolve);
      out.on('error', reject);
      out.end();
    });
    response.resume();
    return response.statusCode === 200;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const s3 = classify(req);
    const head = req.method === 'HEAD';
    const log = (status: number) =>
      requests.push({ action: s3?.action ?? `${req.method} ${req.url}`, bucket: s3?.bucket ?? '', key: s3?.key, prefix: s3?.prefix, status });
    if (s3 === undefined) {
      req.resume();
      log(403);
      return xmlError(res, 403, 'AccessDenied', 'Access Denied', head);
    }
    const arn = s3.key === undefined ? `arn:aws:s3:::${s3.bucket}` : `arn:aws:s3:::${s3.bucket}/${s3.key}`;
    // CopyObject is a PUT naming its source in a header; it needs s3:GetObject on the source as well
    // (S3 API reference, CopyObject, "Permissions": https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html)
    const copySource = req.headers['x-amz-copy-source'];
    const sourceArn = typeof copySource === 'string' ? `arn:aws:s3:::${decodeURIComponent(copySource.replace(/^\//, '').split('?')[0]!)}` : undefined;
    if (!isAllowed(policy, s3.action, arn, s3.prefix) || (sourceArn !== undefined && !isAllowed(policy, 's3:GetObject', sourceArn, undefined))) {
      req.resume();
      log(403);
      return xmlError(res, 403, 'AccessDenied', 'Access Denied', head);
    }

    const conditionalWrite =
      s3.conditional && req.method !== undefined && ['PUT', 'POST'].includes(req.method) && !new URL(req.url ?? '/', 'http://p').searchParams.has('partNumber') &&
      !new URL(req.url ?? '/', 'http://p').searchParams.has('uploads');
    let release: () => void = () => undefined;
    if (conditionalWrite) {
      const lockKey = `${s3.bucket}/${s3.key}`;
      const previous = locks.get(lockKey) ?? Promise.resolve();
      const mine = new Promise<void>((resolve) => (release = resolve));
      locks.set(lockKey, previous.then(() => mine));
      await previous;
      if (await exists(req, s3)) {
        req.resume();
        release();
        log(412);
        return xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', false);
      }
    }

    try {
      const upstreamResponse = await forward(req);
      const status = upstreamResponse.statusCode ?? 500;
      const missingObject = status === 404 && s3.action === 's3:GetObject';
      if (missingObject && !isAllowed(policy, 's3:ListBucket', `arn:aws:s3:::${s3.bucket}`, undefined)) {
        upstreamResponse.resume();
        log(403);
        return xmlError(res, 403, 'AccessDenied', 'Access Denied', head);
      }
      log(status);
      res.writeHead(status, upstreamResponse.headers);
      await new Promise<void>((resolve, reject) => {
        upstreamResponse.pipe(res);
        upstreamResponse.on('end', resolve);
        upstreamResponse.on('error', reject);
      });
    } finally {
      release();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) xmlError(res, 500, 'InternalError', String(error), req.method === 'HEAD');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // one attempt: a 403 must reach the adapter as S3 gives it, not be retried
    maxAttempts: 1,
  });
  return {
    endpoint,
    client,
    requests,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
