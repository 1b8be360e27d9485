/**
 * The AWS runtime, composed once per Lambda container: S3 buckets as object stores, Secrets Manager, and the
 * client config the stack passed in. Everything reads process.env here and nowhere else; a missing variable
 * fails the cold start with its name.
 */
import { decodeConfigEnv } from '../core/config/config-env.ts';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAthenaEngine } from '../adapters/aws/athena-engine.ts';
import { createS3Store } from '../adapters/aws/s3-store.ts';
import { createSesMailer } from '../adapters/aws/ses-mailer.ts';
import { createSecretsManagerSecrets } from '../adapters/aws/secrets-manager.ts';
import { createSqsDeadLetterQueue } from '../adapters/aws/sqs-dead-letter-queue.ts';
import type { DeadLetterQueue } from '../handlers/dead-letter-queue.ts';
import { parseClientConfig } from '../core/config/parse-config.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import { computeKpiDocument } from '../core/kpis/compute-kpi-document.ts';
import { systemClock, type ObjectStore, type Secrets } from '../core/ports.ts';
import type { RunReportDeps } from '../core/schedule/run-report.ts';
import { loadSqlCatalog } from '../core/sql/sql-catalog.ts';
import { RUNTIME_ENV, type RuntimeEnvName } from '../core/runtime-env.ts';
import { liveUrl } from '../core/live/signed-link.ts';
import type { Locale } from '../core/report/messages.ts';

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

/** How long a container keeps the link key it read: a rotated key reaches every container within this. */
const LINK_KEY_TTL_MS = 5 * 60_000;
let linkKeyCache: { at: number; key: Promise<string> } | undefined;

/** The client's live-link key (Secrets Manager, by the ARN the stack passes), kept for a few minutes. */
export function awsLinkKey(): Promise<string> {
  const now = Date.now();
  if (linkKeyCache === undefined || now - linkKeyCache.at > LINK_KEY_TTL_MS) {
    const key = awsRuntime().secrets.get(requiredEnv(RUNTIME_ENV.linkKeySecret));
    linkKeyCache = { at: now, key };
    key.catch(() => {
      linkKeyCache = undefined;
    });
  }
  return linkKeyCache.key;
}

/** A fresh link to the client's live page, valid for its live.link_days; null when the stack gave no live URL. */
export async function awsLiveLink(config: ClientConfig, locale: Locale | undefined, now: Date): Promise<string | null> {
  const base = process.env[RUNTIME_ENV.liveUrl];
  if (base === undefined || base === '') return null;
  return liveUrl(base, await awsLinkKey(), config.id, new Date(now.getTime() + config.live.link_days * 86_400_000), locale);
}

/** Athena through the client's workgroup. */
export function awsAthena(stopBy?: () => number | undefined) {
  return createAthenaEngine({
    client: new AthenaClient({}),
    workgroup: requiredEnv(RUNTIME_ENV.athenaWorkgroup),
    database: requiredEnv(RUNTIME_ENV.glueDatabase),
    ...(stopBy ? { stopBy } : {}),
  });
}

export function awsRuntime(): AwsRuntime {
  if (runtime) return runtime;
  const parsed = parseClientConfig(decodeConfigEnv(requiredEnv(RUNTIME_ENV.clientConfig)), `${RUNTIME_ENV.clientConfig}.json`, { fromFile: false });
  // The stack resolved the From address (the config's sender, else the deployment's default) and allowed
  // exactly that one in IAM; sending from anything else would be refused.
  const sender = process.env[RUNTIME_ENV.sender];
  const config: ClientConfig = sender ? { ...parsed, sender } : parsed;
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

/** Where the ingest function sends a message that can never be ingested: its queue's dead-letter queue. */
export function awsIngestDeadLetters(): DeadLetterQueue {
  const rt = awsRuntime();
  return createSqsDeadLetterQueue({
    client: new SQSClient({}),
    queueUrl: requiredEnv(RUNTIME_ENV.ingestDeadLetterQueueUrl),
    defaultGroupId: rt.config.id,
  });
}

/**
 * Report Lambda: KPIs from Athena through the client's workgroup, e-mail through SES. `stopBy` gives the moment
 * the current invocation's queries must be stopped by (the handler sets it from the Lambda context).
 */
export async function awsReportDeps(stopBy?: () => number | undefined): Promise<RunReportDeps> {
  const rt = awsRuntime();
  const engine = awsAthena(stopBy);
  const sqlDir = process.env[RUNTIME_ENV.sqlDir];
  const sql = await loadSqlCatalog(...(sqlDir ? [sqlDir] : []));
  const configurationSet = process.env[RUNTIME_ENV.sesConfigurationSet];
  return {
    loadKpis: (config, kind, date) => computeKpiDocument(engine, config, kind, date, { sql }),
    lake: rt.lake,
    mailer: createSesMailer({ client: new SESClient({ maxAttempts: 1 }), ...(configurationSet ? { configurationSet } : {}) }),
    clock: systemClock,
    // the account manager's notes: `notes/client_id=<client>/` of the lake bucket (docs/deploy.md)
    notes: rt.lake,
    // the footer's link to the live page, when the stack deployed one
    liveLink: (config, locale, now) => awsLiveLink(config, locale, now),
  };
}
