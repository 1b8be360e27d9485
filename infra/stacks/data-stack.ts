/**
 * `CsPulse-Data`: everything stateful and shared. Buckets are retained when the stack is deleted; a
 * client stack only ever adds statements for its own prefixes to its own roles. The one part that follows the
 * client configs is the analyst views' contract terms (contract_terms and its siblings, views of literal rows):
 * adding a client or a contract version changes those views, and `cdk deploy CsPulse-Client-<id>` deploys this
 * stack first when it changed (docs/deploy.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import type { AnalystView } from '../../functions/core/sql/views.ts';
import { AnalystViews } from '../constructs/analyst-views.ts';
import { ATHENA_ENGINE_VERSION } from '../constructs/athena.ts';
import { LakeTables } from '../constructs/lake-tables.ts';
import { secureBucket } from '../constructs/secure-bucket.ts';

export const GLUE_DATABASE_NAME = 'cspulse';
export const ANALYST_WORKGROUP_NAME = 'cspulse-analysts';
/** Query results live under the workgroup's own prefix: `client_id=<id>/` for clients, this for analysts. */
export const ANALYST_RESULTS_PREFIX = 'analysts/';
/** An analyst query that would scan more than this is cancelled (Athena bills per byte scanned). */
export const ANALYST_BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;

export interface DataStackProps extends StackProps {
  /** the repository's sql/ folder: its views and KPI queries become named queries for analysts */
  sqlDir?: string;
  /** the analyst views (functions/core/sql/views.ts) to create in the Glue catalog: sql/views/ and the configs' */
  views?: readonly AnalystView[];
}

/** The .sql files analysts get as named queries: views and KPI queries, not the generated DDL. */
export function namedQueryFiles(sqlDir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const folder of ['views', 'kpis']) {
    const dir = join(sqlDir, folder);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
      out.push({ name: `${folder}/${file.replace(/\.sql$/, '')}`, text: readFileSync(join(dir, file), 'utf8') });
    }
  }
  return out;
}

export class DataStack extends Stack {
  readonly rawBucket: s3.Bucket;
  readonly lakeBucket: s3.Bucket;
  readonly quarantineBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly glueDatabaseName = GLUE_DATABASE_NAME;
  readonly lakeTables: LakeTables;
  readonly analystViews: AnalystViews;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the other buckets; logging it into itself would loop.',
    });
    const logsTo = (prefix: string) => ({ bucket: this.accessLogsBucket, prefix });

    this.rawBucket = secureBucket(this, 'Raw', {
      versioned: true,
      accessLogs: logsTo('raw/'),
      // Each client stack has an EventBridge rule for its own prefix; S3 notifications would put every
      // client's queue into this stack's bucket configuration.
      eventBridgeEnabled: true,
      lifecycleRules: [
        {
          id: 'raw-exports-age-out',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
          // kept 13 months so a mapping fix can be re-ingested over a whole year of exports
          expiration: Duration.days(400),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    this.lakeBucket = secureBucket(this, 'Lake', {
      versioned: true,
      accessLogs: logsTo('lake/'),
      lifecycleRules: [
        {
          id: 'lake-old-versions',
          // Each delivery rewrites whole date objects, so a Firehose source (hundreds of deliveries a day) made
          // about 140 times a day's bytes of old versions in 30 days. Old versions are a safety net against a bad
          // write or delete, not history (versions/ keeps each delivery's rows): the three newest stay, older
          // ones go a day after they are replaced.
          noncurrentVersionExpiration: Duration.days(1),
          noncurrentVersionsToRetain: 3,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    this.quarantineBucket = secureBucket(this, 'Quarantine', {
      versioned: false,
      accessLogs: logsTo('quarantine/'),
      lifecycleRules: [
        { id: 'quarantine-expiry', expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    this.athenaResultsBucket = secureBucket(this, 'AthenaResults', {
      versioned: false,
      accessLogs: logsTo('athena-results/'),
      lifecycleRules: [
        // results are read once by the report that asked; a week leaves time to debug a report
        { id: 'athena-results-expiry', expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    // eventBridgeEnabled is applied by CDK's BucketNotifications custom resource, whose handler role uses
    // the AWS managed basic execution policy; it only writes its own logs.
    const notificationsHandler = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's own handler that turns on EventBridge delivery for the raw bucket; the managed policy lets it write " +
          'its logs and nothing else, and it cannot be given a custom role.',
      });
    }

    this.lakeTables = new LakeTables(this, 'Catalog', { databaseName: GLUE_DATABASE_NAME, lakeBucket: this.lakeBucket });
    this.analystViews = new AnalystViews(this, 'Views', {
      databaseName: GLUE_DATABASE_NAME,
      dependsOn: [this.lakeTables.database, ...Object.values(this.lakeTables.tables)],
      views: props.views ?? [],
    });

    const analysts = new athena.CfnWorkGroup(this, 'AnalystWorkGroup', {
      name: ANALYST_WORKGROUP_NAME,
      description: 'Ad hoc queries over all clients by the ops analysts',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: ANALYST_BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.athenaResultsBucket.bucketName}/${ANALYST_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    for (const [i, query] of namedQueryFiles(props.sqlDir ?? '').entries()) {
      new athena.CfnNamedQuery(this, `NamedQuery${i}`, {
        name: `cspulse ${query.name}`,
        description: `sql/${query.name}.sql (client id and dates as ? execution parameters, in WHERE; {{ }} slots as SQL literals: docs/metrics.md)`,
        database: GLUE_DATABASE_NAME,
        workGroup: analysts.name,
        queryString: query.text,
      }).addResourceDependency(analysts);
    }

    // CloudWatch alarms can publish to an encrypted topic only with a customer managed key that lets
    // CloudWatch use it; the AWS managed SNS key does not.
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'cspulse alarm topic',
      enableKeyRotation: true,
    });
    alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: 'cspulse alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    // what docs/deploy.md tells people to use
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('AlarmsTopicArn', this.alarmTopic.topicArn, 'subscribe the operations team to every cspulse alarm');
    output('RawBucketName', this.rawBucket.bucketName, 'exports: client_id=<id>/<source>/<file>');
    output('LakeBucketName', this.lakeBucket.bucketName, 'Parquet tables, manifests, coverage and delivery log');
    output('QuarantineBucketName', this.quarantineBucket.bucketName, 'rejected rows with their reasons');
    output('AthenaResultsBucketName', this.athenaResultsBucket.bucketName, 'Athena query results');
    output('AnalystWorkGroupName', analysts.name, 'Athena workgroup for ad hoc queries');
    output('GlueDatabaseName', GLUE_DATABASE_NAME, 'Glue database of the contacts and surveys tables');
  }
}
