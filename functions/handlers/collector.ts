/**
 * Collector Lambda: invoked by EventBridge Scheduler with `{ "source": "<source id>" }` at the source's
 * `pull.at` in the client's zone, it collects the previous local day. `{ "source", "date": "YYYY-MM-DD" }`
 * collects a given day (backfill by hand with `aws lambda invoke`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { decodeConfigEnv } from '../core/config/config-env.ts';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

import { createS3Store } from '../adapters/aws/s3-store.ts';
import { createSecretsManagerSecrets } from '../adapters/aws/secrets-manager.ts';

import { collectExport, type CollectResult } from '../core/collect/collect-export.ts';
import { previousLocalDate } from '../core/collect/export-target.ts';
import { clientConfigSchema, type ClientConfig } from '../core/config/client-config.ts';
import { systemClock, type Clock, type ObjectStore, type Secrets } from '../core/ports.ts';
import { RUNTIME_ENV } from '../core/runtime-env.ts';
import { handlerLogger } from './observability.ts';

const collectorEventSchema = z
  .object({
    source: z.string().min(1),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
  })
  .strict();
export type CollectorEvent = z.infer<typeof collectorEventSchema>;

export class CollectorEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectorEventError';
  }
}

export class RuntimeEnvError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeEnvError';
  }
}

export interface CollectorDeps {
  config: ClientConfig;
  store: Pick<ObjectStore, 'put'>;
  secrets: Secrets;
  fetch: typeof globalThis.fetch;
  clock: Clock;
  logger: Logger;
}

export type CollectorResponse = CollectResult & { source: string; date: string };

export function createCollectorHandler(deps: CollectorDeps) {
  return async (event: unknown, context?: Context): Promise<CollectorResponse> => {
    if (context) deps.logger.addContext(context);
    const parsed = collectorEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new CollectorEventError(`collector event must be {"source": "<id>", "date"?: "YYYY-MM-DD"}: ${parsed.error.message}`);
    }
    const source = deps.config.sources.find((s) => s.id === parsed.data.source);
    if (!source?.pull) {
      const pulled = deps.config.sources.filter((s) => s.pull).map((s) => s.id);
      throw new CollectorEventError(
        `client ${deps.config.id} has no pulled source "${parsed.data.source}" (pulled: ${pulled.join(', ') || 'none'})`,
      );
    }
    const date = parsed.data.date ?? previousLocalDate(deps.clock.now(), deps.config.timezone);
    const result = await collectExport(
      { clientId: deps.config.id, source: { id: source.id, pull: source.pull }, date },
      { fetch: deps.fetch, store: deps.store, secrets: deps.secrets },
      // stays well inside the function's 10-minute timeout even with every retry and backoff
      { attempts: 3, attemptTimeoutMs: 170_000 },
    );
    deps.logger.info('collected', { source: source.id, date, ...result });
    return { ...result, source: source.id, date };
  };
}

/** The client config from CSPULSE_CLIENT_CONFIG, validated with the same schema as the CLI and the CDK app. */
export function configFromEnv(env: NodeJS.ProcessEnv): ClientConfig {
  const text = env[RUNTIME_ENV.clientConfig];
  if (!text) throw new RuntimeEnvError(`${RUNTIME_ENV.clientConfig} is not set`);
  let raw: unknown;
  try {
    raw = JSON.parse(decodeConfigEnv(text));
  } catch (cause) {
    throw new RuntimeEnvError(`${RUNTIME_ENV.clientConfig} is not JSON`, { cause });
  }
  const parsed = clientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RuntimeEnvError(`${RUNTIME_ENV.clientConfig} is not a valid client config: ${issues}`, { cause: parsed.error });
  }
  return parsed.data;
}

export function collectorDepsFromEnv(env: NodeJS.ProcessEnv): CollectorDeps {
  const bucket = env[RUNTIME_ENV.rawBucket];
  if (!bucket) throw new RuntimeEnvError(`${RUNTIME_ENV.rawBucket} is not set`);
  const config = configFromEnv(env);
  return {
    config,
    logger: handlerLogger('collector', config.id),
    // streamed bodies go up in 8 MiB parts: one part of an export in memory at a time
    store: createS3Store({ client: new S3Client({}), bucket }),
    secrets: createSecretsManagerSecrets(new SecretsManagerClient({})),
    fetch: globalThis.fetch,
    clock: systemClock,
  };
}

let cold: ReturnType<typeof createCollectorHandler> | undefined;

export const handler = async (event: unknown, context: Context): Promise<CollectorResponse> => {
  cold ??= createCollectorHandler(collectorDepsFromEnv(process.env));
  return cold(event, context);
};
