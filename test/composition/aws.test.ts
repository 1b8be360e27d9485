import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeConfigEnv, encodeConfigEnv } from '../../functions/core/config/config-env.ts';
import { RUNTIME_ENV } from '../../functions/core/runtime-env.ts';

const ENV = {
  [RUNTIME_ENV.rawBucket]: 'raw-bucket',
  [RUNTIME_ENV.lakeBucket]: 'lake-bucket',
  [RUNTIME_ENV.quarantineBucket]: 'quarantine-bucket',
  [RUNTIME_ENV.athenaWorkgroup]: 'cspulse-example',
  [RUNTIME_ENV.glueDatabase]: 'cspulse',
  [RUNTIME_ENV.piiKeySecret]: 'cspulse/example/pii-key',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('AWS composition', () => {
  it('reads the client config the stack passes as JSON, whatever the id', async () => {
    const json = JSON.stringify(parseYaml(await readFile('clients/example.yaml', 'utf8')));
    for (const [k, v] of Object.entries({ ...ENV, [RUNTIME_ENV.clientConfig]: json })) vi.stubEnv(k, v);
    const { awsRuntime } = await import('../../functions/composition/aws.ts');
    const runtime = awsRuntime();
    expect(runtime.config.id).toBe('example');
    expect(runtime.rawBucket).toBe('raw-bucket');
  });

  it('reads the compressed config the stack passes, a third of the JSON', async () => {
    const json = JSON.stringify(parseYaml(await readFile('clients/example.yaml', 'utf8')));
    const packed = encodeConfigEnv(json);
    expect(packed.startsWith('br:')).toBe(true);
    expect(packed.length).toBeLessThan(json.length / 2);
    expect(decodeConfigEnv(packed)).toBe(json);
    for (const [k, v] of Object.entries({ ...ENV, [RUNTIME_ENV.clientConfig]: packed })) vi.stubEnv(k, v);
    const { awsRuntime } = await import('../../functions/composition/aws.ts');
    expect(awsRuntime().config.calendar?.[0]?.chat?.[0]?.hours).toEqual({ from: '09:00', to: '21:00' });
  });

  it('sends from the address the stack resolved and allowed in IAM, also for a config without a sender', async () => {
    const raw = parseYaml(await readFile('clients/northwind.yaml', 'utf8')) as Record<string, unknown>;
    delete raw.sender;
    for (const [k, v] of Object.entries({ ...ENV, [RUNTIME_ENV.clientConfig]: JSON.stringify(raw), [RUNTIME_ENV.sender]: 'reports@cs-partner.co.kr' })) {
      vi.stubEnv(k, v);
    }
    const { awsRuntime } = await import('../../functions/composition/aws.ts');
    expect(awsRuntime().config.sender).toBe('reports@cs-partner.co.kr');
  });

  it("sends the ingest function's poison messages to the dead-letter queue the stack names", async () => {
    const json = JSON.stringify(parseYaml(await readFile('clients/example.yaml', 'utf8')));
    for (const [k, v] of Object.entries({ ...ENV, [RUNTIME_ENV.clientConfig]: json })) vi.stubEnv(k, v);
    const { awsIngestDeadLetters } = await import('../../functions/composition/aws.ts');
    expect(() => awsIngestDeadLetters()).toThrow(`environment variable ${RUNTIME_ENV.ingestDeadLetterQueueUrl} is not set`);
    vi.stubEnv(RUNTIME_ENV.ingestDeadLetterQueueUrl, 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/dlq.fifo');
    expect(typeof awsIngestDeadLetters().send).toBe('function');
  });

  it('names the missing variable at cold start', async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    vi.stubEnv(RUNTIME_ENV.clientConfig, '');
    const { awsRuntime } = await import('../../functions/composition/aws.ts');
    expect(() => awsRuntime()).toThrow(`environment variable ${RUNTIME_ENV.clientConfig} is not set`);
  });
});
