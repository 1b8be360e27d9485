/**
 * `CsPulse-Client-<id>`: one client's collectors, ingest trigger, report schedules and alarms. Everything
 * here is stateless except the client's PII key, which is retained. Each function's role is confined to
 * the client's prefixes, secrets and Athena workgroup (see constructs/tenant-access.ts).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Tags, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import { piiKeySecretName, RUNTIME_ENV } from '../../functions/core/runtime-env.ts';
import { lakeTables } from '../../functions/core/tables.ts';
import { BUNDLE_FONT_DIR, BUNDLE_SQL_DIR, CsPulseFunction } from '../constructs/cspulse-function.ts';
import {
  athenaStatements,
  clientPrefixes,
  listStatement,
  OBJECT_DELETE,
  OBJECT_READ,
  OBJECT_WRITE,
  objectStatement,
} from '../constructs/tenant-access.ts';
import { DeployConfigError } from '../errors.ts';
import { CLIENT_TAG } from '../nag.ts';
import { parseLocalTime, retryCronTimes, staggeredTime, staggerOffsetMinutes } from '../schedule-times.ts';
import type { DataStack } from './data-stack.ts';

/** Lambda allows 4 KB of environment in total; the config gets most of it, the other variables the rest. */
export const MAX_CONFIG_ENV_BYTES = 3_500;
/** A client's report query that would scan more than this is cancelled. */
export const CLIENT_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** Raw exports arrive daily; no new object for this long means a collector or an upload is broken. */
export const MISSING_DATA_HOURS = 26;
/** An SQS message is retried this many times before it moves to the dead-letter queue. */
export const INGEST_MAX_RECEIVE_COUNT = 5;
export const INGEST_TIMEOUT = Duration.minutes(5);

export const clientStackName = (clientId: string) => `CsPulse-Client-${clientId}`;
export const clientWorkgroupName = (clientId: string) => `cspulse-${clientId}`;
/** Collector credentials must live under this name prefix: the collector may read nothing else. */
export const collectorSecretPrefix = (clientId: string) => `cspulse/${clientId}/`;

export interface HandlerEntries {
  collector?: string;
  ingest?: string;
  report?: string;
}

export interface ClientStackProps extends StackProps {
  config: ClientConfig;
  /** the config file, for error messages */
  configFile: string;
  /** the config as compact JSON, for CSPULSE_CLIENT_CONFIG */
  configJson: string;
  data: DataStack;
  /** handler modules; a missing one leaves that part out (the app warns) */
  entries: HandlerEntries;
  /** From address when the config names no sender */
  defaultSender: string;
}

/** What must hold before a config can be deployed, beyond the schema. */
export function checkDeployable(config: ClientConfig, configFile: string, configJson: string): void {
  const bytes = Buffer.byteLength(configJson, 'utf8');
  if (bytes > MAX_CONFIG_ENV_BYTES) {
    throw new DeployConfigError(
      `${configFile}: the config is ${bytes} bytes as compact JSON; the Lambda environment holds at most ` +
        `${MAX_CONFIG_ENV_BYTES} for it. Shorten descriptions or value maps.`,
      configFile,
    );
  }
  for (const source of config.sources) {
    if (!source.pull) continue;
    if (!source.pull.url.startsWith('https://')) {
      throw new DeployConfigError(
        `${configFile}: sources.${source.id}.pull.url must use https: the collector sends credentials with it`,
        configFile,
      );
    }
    if (!source.pull.secret_name.startsWith(collectorSecretPrefix(config.id))) {
      throw new DeployConfigError(
        `${configFile}: sources.${source.id}.pull.secret_name must start with "${collectorSecretPrefix(config.id)}"; ` +
          `a client's collector may read only its own secrets`,
        configFile,
      );
    }
  }
}

export class ClientStack extends Stack {
  readonly collector?: CsPulseFunction;
  readonly ingest?: CsPulseFunction;
  readonly report?: CsPulseFunction;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDlq: sqs.Queue;
  readonly workgroup: athena.CfnWorkGroup;
  readonly piiKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ClientStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    checkDeployable(config, props.configFile, props.configJson);
    const clientId = config.id;
    const prefixes = clientPrefixes(clientId);
    const zone = TimeZone.of(config.timezone);
    Tags.of(this).add(CLIENT_TAG, clientId);

    this.piiKey = new secretsmanager.Secret(this, 'PiiKey', {
      secretName: piiKeySecretName(clientId),
      description: `HMAC key for customer_key of client ${clientId}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Losing the key would make every future customer_key differ from the ones already in the lake.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.piiKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key links contacts of one customer across days (repeat rate, FCR); rotating it would split ' +
        'every customer in two. It is never shown to anyone and is read only by this client\'s ingest function.',
    });

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: clientWorkgroupName(clientId),
      description: `Report queries of client ${clientId}`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: CLIENT_BYTES_SCANNED_CUTOFF,
        resultConfiguration: {
          outputLocation: `s3://${data.athenaResultsBucket.bucketName}/${prefixes.athenaResults}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    const configurationSet = new ses.ConfigurationSet(this, 'Mail', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });

    const environment: Record<string, string> = {
      [RUNTIME_ENV.clientConfig]: props.configJson,
      [RUNTIME_ENV.rawBucket]: data.rawBucket.bucketName,
      [RUNTIME_ENV.lakeBucket]: data.lakeBucket.bucketName,
      [RUNTIME_ENV.quarantineBucket]: data.quarantineBucket.bucketName,
      [RUNTIME_ENV.athenaWorkgroup]: clientWorkgroupName(clientId),
      [RUNTIME_ENV.glueDatabase]: data.glueDatabaseName,
      [RUNTIME_ENV.piiKeySecret]: piiKeySecretName(clientId),
      [RUNTIME_ENV.sesConfigurationSet]: configurationSet.configurationSetName,
    };
    const alarmAction = new cwActions.SnsAction(data.alarmTopic);
    const alarmOnErrors = (fn: CsPulseFunction, what: string) => {
      fn.function
        .metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
        .createAlarm(fn, 'ErrorsAlarm', {
          alarmDescription: `cspulse ${clientId}: the ${what} function failed`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        })
        .addAlarmAction(alarmAction);
    };
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // --- collectors -------------------------------------------------------------------------------
    const pulled = config.sources.filter((s) => s.pull !== undefined);
    if (pulled.length > 0 && props.entries.collector) {
      const collector = new CsPulseFunction(this, 'Collector', {
        entry: props.entries.collector,
        description: `cspulse collector for ${clientId}`,
        environment,
        timeout: Duration.minutes(10),
        memorySize: 512,
      });
      this.collector = collector;
      collector.role.addToPolicy(
        objectStatement(data.rawBucket, pulled.map((s) => `${prefixes.raw}${s.id}/`), OBJECT_WRITE),
      );
      collector.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          // `-??????` is the random suffix Secrets Manager appends to every secret's ARN
          resources: pulled.map((s) =>
            this.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${s.pull!.secret_name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ),
        }),
      );
      for (const source of pulled) {
        const at = parseLocalTime(source.pull!.at);
        new scheduler.Schedule(this, `Collect-${source.id}`, {
          description: `collect ${clientId}/${source.id} daily at ${source.pull!.at} ${config.timezone}`,
          scheduleGroup,
          schedule: scheduler.ScheduleExpression.cron({
            minute: `${at.minute}`,
            hour: `${at.hour}`,
            timeZone: zone,
          }),
          target: new schedulerTargets.LambdaInvoke(collector.function, {
            input: scheduler.ScheduleTargetInput.fromObject({ source: source.id }),
            retryAttempts: 2,
            maxEventAge: Duration.hours(2),
          }),
        });
      }
      alarmOnErrors(collector, 'collector');
    }

    // --- ingest -----------------------------------------------------------------------------------
    // The queue and the rule exist even before the ingest function does: files uploaded meanwhile wait
    // in the queue, and the missing-data alarm watches the rule either way.
    // FIFO with one message group per client: a client's files are ingested one at a time. Ingest drops a
    // contact id already in the lake for that date, which holds only if no other file of the client is being
    // written at the same moment (Firehose redelivers records in objects that arrive close together).
    this.ingestDlq = new sqs.Queue(this, 'IngestDlq', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      fifo: true,
      // the same event delivered twice by EventBridge within five minutes is one message
      contentBasedDeduplication: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // six times the function timeout, as Lambda's SQS guide recommends, so a slow batch is not redelivered
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.ingestDlq, maxReceiveCount: INGEST_MAX_RECEIVE_COUNT },
    });
    const rawObjectCreated = new events.Rule(this, 'RawObjectCreated', {
      description: `raw exports of ${clientId} to its ingest queue`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [data.rawBucket.bucketName] },
          object: { key: [{ prefix: prefixes.raw }] },
        },
      },
      // The "Object Created" event goes to the queue as it is; the ingest handler reads its key verbatim.
      targets: [new eventTargets.SqsQueue(this.ingestQueue, { messageGroupId: clientId })],
    });
    if (props.entries.ingest) {
      const ingest = new CsPulseFunction(this, 'Ingest', {
        entry: props.entries.ingest,
        description: `cspulse ingest for ${clientId}`,
        environment: { ...environment, [RUNTIME_ENV.sqlDir]: BUNDLE_SQL_DIR },
        timeout: INGEST_TIMEOUT,
        memorySize: 2048,
        bundle: { sql: true },
      });
      this.ingest = ingest;
      ingest.function.addEventSource(
        new SqsEventSource(this.ingestQueue, {
          batchSize: 10,
          reportBatchItemFailures: true,
        }),
      );
      const lakePrefixes = [prefixes.contacts, prefixes.surveys, prefixes.manifests, prefixes.coverage];
      ingest.role.addToPolicy(objectStatement(data.rawBucket, [prefixes.raw], OBJECT_READ));
      ingest.role.addToPolicy(listStatement(data.rawBucket, [prefixes.raw]));
      ingest.role.addToPolicy(objectStatement(data.lakeBucket, lakePrefixes, [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]));
      ingest.role.addToPolicy(listStatement(data.lakeBucket, lakePrefixes));
      // a re-ingest replaces the file's quarantine object, or deletes it when no row is rejected any more
      ingest.role.addToPolicy(
        objectStatement(data.quarantineBucket, [prefixes.quarantine], [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]),
      );
      ingest.role.addToPolicy(listStatement(data.quarantineBucket, [prefixes.quarantine]));
      this.piiKey.grantRead(ingest.role);
      alarmOnErrors(ingest, 'ingest');
    }
    this.ingestDlq
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'IngestDlqAlarm', {
        alarmDescription: `cspulse ${clientId}: raw files failed ingest ${INGEST_MAX_RECEIVE_COUNT} times and wait in the dead-letter queue`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(alarmAction);
    // EventBridge publishes MatchedEvents per rule only in hours with a match, so a missing datapoint
    // means "no raw object arrived in that hour"; 26 such hours in a row means a daily export is missing.
    new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: rawObjectCreated.ruleName },
      period: Duration.hours(1),
      statistic: cloudwatch.Stats.SUM,
    })
      .createAlarm(this, 'MissingDataAlarm', {
        alarmDescription: `cspulse ${clientId}: no raw export arrived for ${MISSING_DATA_HOURS} hours`,
        threshold: 1,
        evaluationPeriods: MISSING_DATA_HOURS,
        datapointsToAlarm: MISSING_DATA_HOURS,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      })
      .addAlarmAction(alarmAction);

    // --- reports ----------------------------------------------------------------------------------
    if (props.entries.report) {
      const report = new CsPulseFunction(this, 'Report', {
        entry: props.entries.report,
        description: `cspulse report for ${clientId}`,
        environment: { ...environment, [RUNTIME_ENV.sqlDir]: BUNDLE_SQL_DIR, [RUNTIME_ENV.fontDir]: BUNDLE_FONT_DIR },
        timeout: Duration.minutes(10),
        memorySize: 1536,
        // one report run per client at a time: a retry never races the run it retries
        reservedConcurrentExecutions: 1,
        bundle: { sql: true, fonts: true, copiedPackages: ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu'] },
      });
      this.report = report;
      const readPrefixes = [prefixes.contacts, prefixes.surveys, prefixes.manifests, prefixes.coverage];
      report.role.addToPolicy(objectStatement(data.lakeBucket, readPrefixes, OBJECT_READ));
      // delete: a claim given back after a failed send (delivery-log.ts releaseClaim)
      report.role.addToPolicy(
        objectStatement(data.lakeBucket, [prefixes.deliveries], [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]),
      );
      report.role.addToPolicy(listStatement(data.lakeBucket, [...readPrefixes, prefixes.deliveries]));
      report.role.addToPolicy(
        objectStatement(data.athenaResultsBucket, [prefixes.athenaResults], [...OBJECT_READ, ...OBJECT_WRITE]),
      );
      report.role.addToPolicy(listStatement(data.athenaResultsBucket, [prefixes.athenaResults]));
      report.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation'],
          resources: [data.lakeBucket.bucketArn, data.athenaResultsBucket.bucketArn],
        }),
      );
      for (const statement of athenaStatements(this, clientWorkgroupName(clientId), data.glueDatabaseName, Object.keys(lakeTables))) {
        report.role.addToPolicy(statement);
      }
      const sender = config.sender ?? props.defaultSender;
      const senderDomain = sender.slice(sender.indexOf('@') + 1);
      report.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendRawEmail', 'ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: sender }),
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
            this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': sender } },
        }),
      );

      const offset = staggerOffsetMinutes(clientId);
      const first = staggeredTime(config.reports.send_at, offset);
      const invoke = (payload: Record<string, string>) =>
        new schedulerTargets.LambdaInvoke(report.function, {
          input: scheduler.ScheduleTargetInput.fromObject(payload),
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        });
      const at = { minute: `${first.minute}`, hour: `${first.hour}` };
      const runs: { id: string; kind: 'daily' | 'weekly' | 'monthly'; cron: scheduler.ScheduleExpression }[] = [];
      if (config.reports.daily) runs.push({ id: 'Daily', kind: 'daily', cron: scheduler.ScheduleExpression.cron({ ...at, timeZone: zone }) });
      if (config.reports.weekly) {
        runs.push({ id: 'Weekly', kind: 'weekly', cron: scheduler.ScheduleExpression.cron({ ...at, weekDay: 'MON', timeZone: zone }) });
      }
      if (config.reports.monthly) {
        runs.push({ id: 'Monthly', kind: 'monthly', cron: scheduler.ScheduleExpression.cron({ ...at, day: '1', timeZone: zone }) });
      }
      for (const run of runs) {
        new scheduler.Schedule(this, `Report-${run.id}`, {
          description: `${run.kind} report of ${clientId} at ${first.hour}:${String(first.minute).padStart(2, '0')} ${config.timezone} (send_at ${config.reports.send_at} + ${offset} min stagger)`,
          scheduleGroup,
          schedule: run.cron,
          target: invoke({ kind: run.kind }),
        });
      }
      // Retries carry no kind: the report function sends whatever is due and not yet sent, so one set of
      // schedules serves the daily, weekly and monthly reports alike.
      if (runs.length > 0) {
        for (const [i, cron] of retryCronTimes(first, config.reports.freshness_deadline_minutes).entries()) {
          new scheduler.Schedule(this, `Report-Retry${i}`, {
            description: `retry due reports of ${clientId} while data is late (until ${config.reports.freshness_deadline_minutes} min after the first run)`,
            scheduleGroup,
            schedule: scheduler.ScheduleExpression.cron({ ...cron, timeZone: zone }),
            target: invoke({}),
          });
        }
      }
      alarmOnErrors(report, 'report');
    }
  }
}
