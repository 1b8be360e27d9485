/**
 * Pulls one day's export from a source's HTTPS endpoint into the raw store. The body is streamed from the
 * socket into the store, so a 500 MB export never sits in the function's memory. Transient failures (network,
 * timeouts, 408, 429, 5xx) are retried with backoff; a refused credential or another 4xx is not, because the
 * next attempt would be refused the same way.
 */
import type { ObjectStore, Secrets } from '../ports.ts';
import { authorizationHeader, parseCredentials } from './credentials.ts';
import { CollectAuthError, CollectError, EmptyExportError } from './errors.ts';
import { exportFileName, exportUrl, rawExportKey } from './export-target.ts';

export interface PullSource {
  id: string;
  pull: { url: string; secret_name: string };
}

export interface CollectRequest {
  clientId: string;
  source: PullSource;
  /** business date being collected, YYYY-MM-DD */
  date: string;
}

export interface CollectDeps {
  fetch: typeof globalThis.fetch;
  store: Pick<ObjectStore, 'put'>;
  secrets: Secrets;
  sleep?: (ms: number) => Promise<void>;
}

export interface CollectOptions {
  /** total attempts including the first; default 4 */
  attempts?: number;
  /** limit for one attempt, from request to the last body byte; default 5 minutes */
  attemptTimeoutMs?: number;
  /** wait before attempt n+1 (n starts at 1); default 2^n seconds */
  backoffMs?: (attempt: number) => number;
}

export interface CollectResult {
  key: string;
  bytes: number;
  attempts: number;
  /** HTTP status of the successful attempt */
  status: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;
/** Retry-After is honoured only up to this, so a misbehaving server cannot park the function until timeout. */
const MAX_RETRY_AFTER_MS = 30_000;

function redact(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return `${u.origin}${u.pathname}`;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * Re-yields the stream, counting bytes. The first chunk has already been read (to tell an empty body from
 * a file) and is yielded first.
 */
async function* counted(
  first: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  counter: { bytes: number },
): AsyncIterable<Uint8Array> {
  counter.bytes += first.byteLength;
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    counter.bytes += next.value.byteLength;
    yield next.value;
  }
}

async function attempt(
  request: CollectRequest,
  url: string,
  authorization: string,
  deps: CollectDeps,
  timeoutMs: number,
): Promise<{ key: string; bytes: number; status: number }> {
  const where = `${request.clientId}/${request.source.id} ${redact(url)}`;
  let response: Response;
  try {
    response = await deps.fetch(url, {
      headers: { authorization, accept: '*/*' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
  } catch (cause) {
    throw new CollectError(`${where}: request failed: ${String(cause)}`, true, undefined, { cause });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new CollectAuthError(
      `${where}: HTTP ${response.status}: the endpoint refused the credentials in secret ` +
        `${request.source.pull.secret_name}; update the secret, the next run will use it`,
      response.status,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new CollectError(`${where}: HTTP ${response.status}`, RETRYABLE_STATUS(response.status), response.status, {
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
  if (response.body === null) throw new EmptyExportError(`${where}: HTTP ${response.status} with no body`);
  const iterator = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    do first = await iterator.next();
    while (!first.done && first.value.byteLength === 0);
  } catch (cause) {
    throw new CollectError(`${where}: reading the body failed: ${String(cause)}`, true, response.status, { cause });
  }
  if (first.done) {
    throw new EmptyExportError(`${where}: HTTP ${response.status} with an empty body; nothing was stored for ${request.date}`);
  }
  const key = rawExportKey(
    request.clientId,
    request.source.id,
    request.date,
    exportFileName(response.url || url, response.headers.get('content-disposition')),
  );
  const counter = { bytes: 0 };
  try {
    await deps.store.put(key, counted(first.value, iterator, counter), {
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    });
  } catch (cause) {
    await iterator.return?.();
    throw new CollectError(`${where}: storing ${key} failed after ${counter.bytes} bytes: ${String(cause)}`, true, response.status, {
      cause,
    });
  }
  return { key, bytes: counter.bytes, status: response.status };
}

export async function collectExport(
  request: CollectRequest,
  deps: CollectDeps,
  options: CollectOptions = {},
): Promise<CollectResult> {
  const attempts = options.attempts ?? 4;
  const timeoutMs = options.attemptTimeoutMs ?? 300_000;
  const backoff = options.backoffMs ?? ((n: number) => 2 ** n * 1000);
  const sleep = deps.sleep ?? defaultSleep;
  const credentials = parseCredentials(
    request.source.pull.secret_name,
    await deps.secrets.get(request.source.pull.secret_name),
  );
  const authorization = authorizationHeader(credentials);
  const url = exportUrl(request.source.pull.url, request.date);
  for (let n = 1; ; n++) {
    try {
      const done = await attempt(request, url, authorization, deps, timeoutMs);
      return { ...done, attempts: n };
    } catch (error) {
      if (!(error instanceof CollectError) || !error.retryable || n >= attempts) {
        if (error instanceof CollectError && error.retryable) error.message += ` (gave up after ${n} attempts)`;
        throw error;
      }
      await sleep(error.retryAfterMs ?? backoff(n));
    }
  }
}
