/**
 * A CTI vendor's HTTPS export endpoint, as a collector meets it: `GET /export?date=YYYY-MM-DD` with the
 * credential the client's secret holds answers that day's export (the simulator's file of the date, as an
 * attachment with its own name); a wrong credential answers 401. Its certificate is made for 127.0.0.1 by
 * openssl when it starts: the collector's Node trusts it through NODE_EXTRA_CA_CERTS, as Lambda's trusts a
 * vendor's public certificate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { simulate } from '../../functions/simulator/index.ts';

export interface ExportEndpoint {
  /** the URL template a source's `pull.url` takes */
  urlTemplate: string;
  /** the credential the vendor accepts now (a test rotates it to see a stale secret refused) */
  token: string;
  /** the certificate the collector must trust */
  certificateFile: string;
  /** every request, in order: its path and query, and the Authorization header it sent */
  requests: { url: string; authorization: string | undefined }[];
  /** the file answered for a date, by the last request for it */
  served: Map<string, { name: string; body: Buffer }>;
  stop(): Promise<void>;
}

export async function startExportEndpoint(options: { dir: string; clientId: string; sourceId: string; token: string }): Promise<ExportEndpoint> {
  const key = join(options.dir, 'vendor.key');
  const certificateFile = join(options.dir, 'vendor.crt');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', certificateFile,
    ], { stdio: 'ignore' });
  } catch (cause) {
    throw new Error("the stand-in vendor's certificate needs the openssl command (Debian package openssl)", { cause });
  }
  const endpoint: ExportEndpoint = {
    urlTemplate: '',
    token: options.token,
    certificateFile,
    requests: [],
    served: new Map(),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function exportOf(date: string): Promise<{ name: string; body: Buffer }> {
    const outDir = join(options.dir, `export-${date}`);
    await simulate({ seed: 11, startDate: date, days: 1, outDir, clients: [options.clientId] });
    const dir = join(outDir, options.clientId, options.sourceId);
    const name = (await readdir(dir)).find((n) => n.includes(date.replaceAll('-', '')));
    if (name === undefined) throw new Error(`the simulator wrote no ${options.sourceId} export of ${date}`);
    return { name, body: await readFile(join(dir, name)) };
  }

  const server = createServer({ key: readFileSync(key), cert: readFileSync(certificateFile) }, (req, res) => {
    endpoint.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const date = url.searchParams.get('date') ?? '';
    if (req.headers.authorization !== `Bearer ${endpoint.token}`) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    if (url.pathname !== '/export' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      res.writeHead(404).end();
      return;
    }
    exportOf(date).then(
      (file) => {
        endpoint.served.set(date, file);
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': `attachment; filename="${file.name}"` }).end(file.body);
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  endpoint.urlTemplate = `https://127.0.0.1:${port}/export?date={date}`;
  return endpoint;
}
