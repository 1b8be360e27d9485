/**
 * IAM statements that confine a client's functions to that client's prefixes. The bucket `grant*` methods
 * are not used for the shared buckets: they also grant s3:List* on the whole bucket, which would let one
 * client's function list every other client's file names. Listing is allowed here only with an s3:prefix
 * condition on the client's own prefixes, and object actions only on `<prefix>*` ARNs.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

import { coverageKeys } from '../../functions/core/ingest/coverage.ts';
import { lakeKeys } from '../../functions/core/ingest/manifest.ts';

export const OBJECT_READ = ['s3:GetObject'];
export const OBJECT_WRITE = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
export const OBJECT_DELETE = ['s3:DeleteObject'];

/** Every prefix a client owns, per bucket. Each ends with `/`, so client `abc` never matches `abcd`. */
export function clientPrefixes(clientId: string) {
  return {
    raw: lakeKeys.rawPrefix(clientId),
    contacts: lakeKeys.partitionPrefix('contacts', clientId, '').replace(/dt=\/$/, ''),
    surveys: lakeKeys.partitionPrefix('surveys', clientId, '').replace(/dt=\/$/, ''),
    manifests: lakeKeys.manifestPrefix(clientId),
    coverage: coverageKeys.datePrefix(clientId, '').replace(/dt=\/$/, ''),
    /** every delivery's own rows (not queried; ingest rebuilds a date from them) */
    versions: [
      lakeKeys.versionsPrefix('contacts', clientId, '', '').replace(/dt=\/--$/, ''),
      lakeKeys.versionsPrefix('surveys', clientId, '', '').replace(/dt=\/--$/, ''),
    ] as const,
    deliveries: lakeKeys.deliveriesPrefix(clientId),
    /** the account manager's notes on reports (functions/core/report/notes.ts), written by the operator */
    notes: `notes/client_id=${clientId}/`,
    quarantine: `client_id=${clientId}/`,
    athenaResults: `client_id=${clientId}/`,
  } as const;
}

export function objectStatement(bucket: s3.IBucket, prefixes: readonly string[], actions: readonly string[]) {
  return new iam.PolicyStatement({
    actions: [...actions],
    resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
  });
}

export function listStatement(bucket: s3.IBucket, prefixes: readonly string[]) {
  return new iam.PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
  });
}

/** Query through the client's own workgroup only; read the shared catalog entries the queries name. */
export function athenaStatements(scope: Construct, workgroupName: string, databaseName: string, tableNames: string[]) {
  const stack = Stack.of(scope);
  const arn = (service: string, resource: string, resourceName?: string) =>
    stack.formatArn({ service, resource, resourceName });
  return [
    new iam.PolicyStatement({
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
      ],
      resources: [arn('athena', 'workgroup', workgroupName)],
    }),
    new iam.PolicyStatement({
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      resources: [
        arn('glue', 'catalog'),
        arn('glue', 'database', databaseName),
        ...tableNames.map((t) => arn('glue', 'table', `${databaseName}/${t}`)),
      ],
    }),
  ];
}
