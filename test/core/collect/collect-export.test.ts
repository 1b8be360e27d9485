import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { collectExport, type CollectDeps } from '../../../functions/core/collect/collect-export.ts';
import { CollectAuthError, CollectError, EmptyExportError } from '../../../functions/core/collect/errors.ts';
import type { ObjectBody, Secrets } from '../../../functions/core/ports.ts';
import { SecretNotFoundError } from '../../../functions/core/ports.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let route: Route;
const seen: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
});

/** A store that consumes the body as a stream and remembers what it was handed. */
function recordingStore(onFirstBytes?: () => void) {
  const puts: { key: string; bytes: number; sha256: string; text: string; streamed: boolean }[] = [];
  return {
    puts,
    async put(key: string, body: ObjectBody) {
      const hash = createHash('sha256');
      let bytes = 0;
      const kept: Buffer[] = [];
      const streamed = typeof body !== 'string' && !(body instanceof Uint8Array);
      const chunks: AsyncIterable<Uint8Array> | Uint8Array[] =
        typeof body === 'string' ? [Buffer.from(body)] : body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        if (bytes === 0) onFirstBytes?.();
        bytes += chunk.byteLength;
        hash.update(chunk);
        if (kept.length < 4) kept.push(Buffer.from(chunk));
      }
      puts.push({ key, bytes, sha256: hash.digest('hex'), text: Buffer.concat(kept).toString('utf8'), streamed });
    },
  };
}

const secrets = (values: Record<string, string>): Secrets => ({
  async get(name) {
    const v = values[name];
    if (v === undefined) throw new SecretNotFoundError(name);
    return v;
  },
});

const source = (path: string) => ({
  id: 'cti',
  pull: { url: `${base}${path}`, secret_name: 'cspulse/acme/cti' },
});

function deps(store: CollectDeps['store'], secretText: string, sleeps: number[] = []): CollectDeps {
  return {
    fetch: globalThis.fetch,
    store,
    secrets: secrets({ 'cspulse/acme/cti': secretText }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

// 콜ID = 3 + 2 bytes, 인입일자 = 4 × 3 bytes: 5 + 1 + 12 + 1 = 19, then two lines of 11 bytes: 41 bytes
const CSV = '콜ID,인입일자\n1,20260301\n2,20260301\n';

describe('collectExport against a local HTTP server', () => {
  it('stores the export under client_id=<id>/<source>/<date>-<name> with basic auth', async () => {
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(CSV);
    };
    const store = recordingStore();
    const result = await collectExport(
      { clientId: 'acme', source: source('/export/calls.csv?date={date}'), date: '2026-03-01' },
      deps(store, '{"username":"ops","password":"s3cret"}'),
    );
    expect(result).toEqual({ key: 'client_id=acme/cti/2026-03-01-calls.csv', bytes: 41, attempts: 1, status: 200 });
    // base64("ops:s3cret") = b3BzOnMzY3JldA==
    expect(seen).toEqual([{ url: '/export/calls.csv?date=2026-03-01', authorization: 'Basic b3BzOnMzY3JldA==' }]);
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0]!.text).toBe(CSV);
    expect(store.puts[0]!.streamed).toBe(true);
  });

  it('retries a 5xx with backoff, then stores the file, sending a bearer token', async () => {
    let calls = 0;
    route = (_req, res) => {
      calls++;
      if (calls <= 2) {
        res.writeHead(503);
        res.end('busy');
        return;
      }
      res.writeHead(200, { 'content-disposition': 'attachment; filename="chat 0301.csv"' });
      res.end('a,b\n1,2\n');
    };
    const store = recordingStore();
    const sleeps: number[] = [];
    const result = await collectExport(
      { clientId: 'acme', source: source('/x?d={date}'), date: '2026-03-01' },
      deps(store, '{"token":"tok-123"}', sleeps),
    );
    expect(result).toEqual({ key: 'client_id=acme/cti/2026-03-01-chat_0301.csv', bytes: 8, attempts: 3, status: 200 });
    expect(sleeps).toEqual([2000, 4000]);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer tok-123', 'Bearer tok-123', 'Bearer tok-123']);
    expect(store.puts.map((p) => p.key)).toEqual(['client_id=acme/cti/2026-03-01-chat_0301.csv']);
  });

  it('gives up after the configured attempts on a persistent 5xx and stores nothing', async () => {
    route = (_req, res) => {
      res.writeHead(502);
      res.end();
    };
    const store = recordingStore();
    const error = await collectExport(
      { clientId: 'acme', source: source('/x'), date: '2026-03-01' },
      deps(store, '{"token":"t"}'),
      { attempts: 3 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectError);
    expect((error as CollectError).status).toBe(502);
    expect((error as Error).message).toContain('gave up after 3 attempts');
    expect(seen).toHaveLength(3);
    expect(store.puts).toEqual([]);
  });

  it('does not retry a 401 and names the secret to fix', async () => {
    route = (_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic' });
      res.end('no');
    };
    const store = recordingStore();
    const error = await collectExport(
      { clientId: 'acme', source: source('/x'), date: '2026-03-01' },
      deps(store, '{"username":"ops","password":"wrong"}'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectAuthError);
    expect((error as CollectAuthError).status).toBe(401);
    expect((error as Error).message).toContain('refused the credentials in secret cspulse/acme/cti');
    expect((error as Error).message).not.toContain('wrong');
    expect(seen).toHaveLength(1);
    expect(store.puts).toEqual([]);
  });

  it('rejects an empty 200 body without storing an empty file', async () => {
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end();
    };
    const store = recordingStore();
    const error = await collectExport(
      { clientId: 'acme', source: source('/x'), date: '2026-03-01' },
      deps(store, '{"token":"t"}'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmptyExportError);
    expect((error as Error).message).toContain('empty body');
    expect(seen).toHaveLength(1);
    expect(store.puts).toEqual([]);
  });

  it('rejects a secret of the wrong shape before calling the endpoint', async () => {
    route = (_req, res) => res.end('x');
    const error = await collectExport(
      { clientId: 'acme', source: source('/x'), date: '2026-03-01' },
      deps(recordingStore(), '{"user":"a"}'),
    ).catch((e: unknown) => e);
    expect((error as Error).name).toBe('CredentialsFormatError');
    expect(seen).toHaveLength(0);
  });

  it('streams a large body into the store before the server has finished sending it', async () => {
    // The server sends 1 MiB, then waits until the store has received bytes before sending the other 31 MiB.
    // A collector that buffered the whole body first would never hand the store anything: the test would time out.
    const chunkSize = 1024 * 1024;
    const chunks = 32;
    const expectedHash = createHash('sha256');
    const chunk = (i: number) => Buffer.alloc(chunkSize, i % 251);
    for (let i = 0; i < chunks; i++) expectedHash.update(chunk(i));
    let storeStarted!: () => void;
    const storeHasBytes = new Promise<void>((resolve) => (storeStarted = resolve));
    let sentBeforeStoreStarted = 0;
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      void (async () => {
        res.write(chunk(0));
        sentBeforeStoreStarted = 1;
        await storeHasBytes;
        for (let i = 1; i < chunks; i++) {
          if (!res.write(chunk(i))) await new Promise((r) => res.once('drain', r));
        }
        res.end();
      })();
    };
    const store = recordingStore(() => storeStarted());
    const result = await collectExport(
      { clientId: 'acme', source: source('/big.csv'), date: '2026-03-01' },
      deps(store, '{"token":"t"}'),
    );
    expect(sentBeforeStoreStarted).toBe(1);
    expect(result.bytes).toBe(33_554_432); // 32 × 1,048,576
    expect(store.puts[0]!.bytes).toBe(33_554_432);
    expect(store.puts[0]!.sha256).toBe(expectedHash.digest('hex'));
  }, 30_000);
});
