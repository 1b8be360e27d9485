/**
 * The live page over HTTP on this machine (node:http): each request becomes a LiveRequest for the core's
 * handler and its LiveResponse is written back as it is. Bound to 127.0.0.1 unless told otherwise: the page is
 * a client's data, and the signed link is its only lock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveRequest, LiveResponse } from '../../core/live/live-request.ts';

export interface LiveServer {
  /** `http://<host>:<port>` as bound (port 0 picks a free one) */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface LiveServerOptions {
  host: string;
  port: number;
  handle(request: LiveRequest): Promise<LiveResponse>;
  /** told about each failed request (the visitor gets a 500 without details) */
  onError?(error: unknown): void;
}

export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    options
      .handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams })
      .then((response) => {
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('500\n');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
