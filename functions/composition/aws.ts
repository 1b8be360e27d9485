/**
 * The AWS runtime, composed once per Lambda container: S3 buckets as object stores, Secrets Manager, and the
 * client config the stack passed in. Everything reads process.env here and nowhere else; a missing variable
 * fails the cold start with its name.
 */
import { tmpdir } from 'node:os';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createS3Store } from '../adapters/aws/s3-store.ts';
import { createSecretsManagerSecrets } from '../adapters/aws/secrets-manager.ts';
import { parseClientConfig } from '../core/config/parse-config.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import { customerHasher } from '../core/ingest/customer-key.ts';
import type { IngestDeps } from '../core/ingest/ingest-file.ts';
import { systemClock, type ObjectStore, type Secrets } from '../core/ports.ts';
import { RUNTIME_ENV, type RuntimeEnvName } from '../core/runtime-env.ts';

export function requiredEnv(name: RuntimeEnvName): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export interface AwsRuntime {
  config: ClientConfig;
  s3: S3Client;
  rawBucket: string;
  raw: ObjectStore;
  lake: ObjectStore;
  quarantine: ObjectStore;
  secrets: Secrets;
}

let runtime: AwsRuntime | undefined;

export function awsRuntime(): AwsRuntime {
  if (runtime) return runtime;
  const config = parseClientConfig(requiredEnv(RUNTIME_ENV.clientConfig), `${RUNTIME_ENV.clientConfig}.json`);
  const s3 = new S3Client({});
  const rawBucket = requiredEnv(RUNTIME_ENV.rawBucket);
  runtime = {
    config,
    s3,
    rawBucket,
    raw: createS3Store({ client: s3, bucket: rawBucket }),
    lake: createS3Store({ client: s3, bucket: requiredEnv(RUNTIME_ENV.lakeBucket) }),
    quarantine: createS3Store({ client: s3, bucket: requiredEnv(RUNTIME_ENV.quarantineBucket) }),
    secrets: createSecretsManagerSecrets(new SecretsManagerClient({})),
  };
  return runtime;
}

export async function awsIngestDeps(): Promise<IngestDeps> {
  const rt = awsRuntime();
  const key = await rt.secrets.get(requiredEnv(RUNTIME_ENV.piiKeySecret));
  return {
    lake: rt.lake,
    quarantine: rt.quarantine,
    hashCustomer: customerHasher(key),
    clock: systemClock,
    workDir: tmpdir(),
  };
}
