import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createS3Store } from '../../functions/adapters/aws/s3-store.ts';
import { createSecretsManagerSecrets } from '../../functions/adapters/aws/secrets-manager.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { RUNTIME_ENV } from '../../functions/core/runtime-env.ts';
import { configFromEnv, createCollectorHandler } from '../../functions/handlers/collector.ts';
import { handlerLogger } from '../../functions/handlers/observability.ts';
import { captureOutput } from './captured-output.ts';
import { startS3rver, type RunningS3rver } from '../adapters/aws/s3rver-server.ts';

let s3: RunningS3rver;
let http: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  s3 = await startS3rver('raw-test');
  http = createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.authorization}`);
    res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="calls.csv"' });
    res.end('id,at\n1,2026-02-28T10:00:00Z\n');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await s3?.stop();
});

const yaml = (url: string) => `
id: acme
name: Acme
timezone: Asia/Seoul
sources:
  - id: cti
    format: cspulse-csv
    pull: { url: "${url}", secret_name: cspulse/acme/cti, at: "03:00" }
  - id: chat
    format: cspulse-csv
contract:
  - effective_from: "2026-01-01"
recipients: { to: [ops@example.com] }
`;

function handlerFor(now: string) {
  const secretsClient = new SecretsManagerClient({ region: 'ap-northeast-2' });
  const secretsMock = mockClient(secretsClient);
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: '{"token":"t-1"}' });
  const handler = createCollectorHandler({
    config: parseClientConfig(yaml(`${base}/export?date={date}`), 'acme.yaml'),
    store: createS3Store({ client: s3.client, bucket: s3.bucket }),
    secrets: createSecretsManagerSecrets(secretsClient),
    fetch: globalThis.fetch,
    clock: { now: () => new Date(now) },
    logger: handlerLogger('collector', 'acme'),
  });
  return { handler, secretsMock };
}

describe('collector handler', () => {
  it('collects the previous local day of the scheduled source into the real (s3rver) raw bucket', async () => {
    // 2026-02-28T18:00Z is 2026-03-01 03:00 in Seoul: the day collected is 2026-02-28
    const { handler, secretsMock } = handlerFor('2026-02-28T18:00:00Z');
    const result = await handler({ source: 'cti' });
    expect(result).toEqual({
      key: 'client_id=acme/cti/2026-02-28-calls.csv',
      bytes: 29,
      attempts: 1,
      status: 200,
      source: 'cti',
      date: '2026-02-28',
    });
    expect(requests.at(-1)).toBe('/export?date=2026-02-28 Bearer t-1');
    expect(secretsMock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'cspulse/acme/cti' },
    ]);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'client_id=acme/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['client_id=acme/cti/2026-02-28-calls.csv']);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'client_id=acme/cti/2026-02-28-calls.csv' }));
    expect(await object.Body!.transformToString()).toBe('id,at\n1,2026-02-28T10:00:00Z\n');
  });

  it('logs what it collected as one JSON line with the client', async () => {
    const out = captureOutput();
    try {
      const { handler } = handlerFor('2026-02-28T18:00:00Z');
      await handler({ source: 'cti' });
      expect(out.logs()).toMatchObject([
        {
          level: 'INFO',
          message: 'collected',
          service: 'cspulse-collector',
          client_id: 'acme',
          source: 'cti',
          date: '2026-02-28',
          key: 'client_id=acme/cti/2026-02-28-calls.csv',
          bytes: 29,
        },
      ]);
    } finally {
      out.restore();
    }
  });

  it('collects a given date for a backfill', async () => {
    const { handler } = handlerFor('2026-03-10T00:00:00Z');
    const result = await handler({ source: 'cti', date: '2026-01-15' });
    expect(result.key).toBe('client_id=acme/cti/2026-01-15-calls.csv');
    expect(requests.at(-1)).toBe('/export?date=2026-01-15 Bearer t-1');
  });

  it('rejects an event for a source that is not pulled, and a malformed event', async () => {
    const { handler } = handlerFor('2026-03-10T00:00:00Z');
    await expect(handler({ source: 'chat' })).rejects.toThrow('client acme has no pulled source "chat" (pulled: cti)');
    await expect(handler({ source: 'cti', date: '1/2/2026' })).rejects.toThrow(/must be a date YYYY-MM-DD/);
    await expect(handler({})).rejects.toThrow(/collector event must be/);
  });
});

describe('configFromEnv', () => {
  it('re-validates the config JSON with the client schema', () => {
    const good = JSON.stringify({
      id: 'acme',
      name: 'Acme',
      timezone: 'Asia/Seoul',
      sources: [{ id: 'cti', format: 'cspulse-csv' }],
      contract: [{ effective_from: '2026-01-01' }],
      recipients: { to: ['ops@example.com'] },
    });
    const config = configFromEnv({ [RUNTIME_ENV.clientConfig]: good });
    expect(config.reports.send_at).toBe('08:00'); // the schema's default, filled at cold start
    expect(() => configFromEnv({})).toThrow('CSPULSE_CLIENT_CONFIG is not set');
    expect(() => configFromEnv({ [RUNTIME_ENV.clientConfig]: good.replace('Asia/Seoul', 'Mars/Base') })).toThrow(
      /timezone: must be an IANA time zone/,
    );
  });
});
