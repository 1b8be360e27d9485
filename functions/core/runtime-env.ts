/**
 * Names of the environment variables the Lambda handlers read. The CDK app sets them and the handlers read
 * them, both through this one object, so a rename cannot leave one side behind. Only names live here:
 * reading `process.env` happens in handlers and composition, never in the core.
 */
export const RUNTIME_ENV = {
  /** the client's config file as compact JSON; handlers validate it with the zod schema at cold start */
  clientConfig: 'CSPULSE_CLIENT_CONFIG',
  /** raw exports: `client_id=<id>/<source>/<file>` */
  rawBucket: 'CSPULSE_RAW_BUCKET',
  /** Parquet tables, manifests and the delivery log */
  lakeBucket: 'CSPULSE_LAKE_BUCKET',
  /** rejected rows with their reasons */
  quarantineBucket: 'CSPULSE_QUARANTINE_BUCKET',
  /** the client's own Athena workgroup (enforces the result location and the bytes-scanned cutoff) */
  athenaWorkgroup: 'CSPULSE_ATHENA_WORKGROUP',
  /** Glue database holding the `contacts` and `surveys` tables */
  glueDatabase: 'CSPULSE_GLUE_DATABASE',
  /** Secrets Manager name of the client's HMAC key for customer_key */
  piiKeySecret: 'CSPULSE_PII_KEY_SECRET',
  /**
   * The From address of the reports, resolved by the stack (the client's `sender`, else the deployment's
   * default) and the same value the report role's `ses:FromAddress` condition allows
   */
  sender: 'CSPULSE_SENDER',
  /** SES configuration set the report e-mails are sent with */
  sesConfigurationSet: 'CSPULSE_SES_CONFIGURATION_SET',
  /** the ingest queue's dead-letter queue, where a message that can never be ingested goes at once */
  ingestDeadLetterQueueUrl: 'CSPULSE_INGEST_DLQ_URL',
  /** ingest only: the size of its /tmp in bytes, from which the largest export it can stage follows */
  ingestTmpBytes: 'CSPULSE_INGEST_TMP_BYTES',
  /** folder holding the `sql/` files inside the Lambda bundle (unset locally: the repository's `sql/`) */
  sqlDir: 'CSPULSE_SQL_DIR',
  /** folder holding the report fonts inside the Lambda bundle (unset locally: node_modules/pretendard) */
  fontDir: 'CSPULSE_FONT_DIR',
} as const;

export type RuntimeEnvName = (typeof RUNTIME_ENV)[keyof typeof RUNTIME_ENV];

/**
 * Name of a client's customer-key (HMAC) secret: in Secrets Manager, and as a file under the local secrets
 * folder. One name everywhere, so a key moved between the two keeps every customer's history joined.
 */
export const piiKeySecretName = (clientId: string): string => `cspulse/${clientId}/pii-key`;
