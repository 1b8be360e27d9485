/**
 * `CsPulse-Client-<id>`: one client's collectors, ingest trigger, report schedules and alarms. Everything
 * here is stateless: the client's PII key lives in `CsPulse-Key-<id>` (stacks/key-stack.ts), so this stack can
 * be destroyed and deployed again. Each function's role is confined to the client's prefixes, secrets and
 * Athena workgroup (see constructs/tenant-access.ts).
 *
 * Every asynchronous path ends somewhere visible: the ingest queue in its FIFO dead-letter queue (after
 * INGEST_MAX_RECEIVE_COUNT receives, or at once for a message that can never succeed), and every other
 * delivery that failed in the client's `FailedDeliveries` queue: EventBridge Scheduler's dead-letter events
 * (a schedule could not invoke its function), Lambda's on-failure records (an asynchronous invocation failed
 * after its retries) and EventBridge's dead-letter events (a raw-object event could not reach the ingest
 * queue). Both queues alarm on their first message.
 */
import { Annotations, ArnFormat, CfnOutput, Duration, RemovalPolicy, Size, Stack, Tags, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import { isReservedDomain, resolveSender } from '../../functions/core/config/sender.ts';
import { piiKeySecretName, RUNTIME_ENV } from '../../functions/core/runtime-env.ts';
import { lakeTables } from '../../functions/core/tables.ts';
import { METRICS_NAMESPACE, serviceName } from '../../functions/handlers/observability.ts';
import { ATHENA_ENGINE_VERSION } from '../constructs/athena.ts';
import { FirstEventAlarms } from '../constructs/first-event-alarms.ts';
import { BUNDLE_FONT_DIR, BUNDLE_SQL_DIR, CsPulseFunction, DUCKDB_PACKAGES } from '../constructs/cspulse-function.ts';
import {
  athenaStatements,
  clientPrefixes,
  listStatement,
  OBJECT_DELETE,
  OBJECT_READ,
  OBJECT_WRITE,
  objectStatement,
} from '../constructs/tenant-access.ts';
import { encodeConfigEnv } from '../../functions/core/config/config-env.ts';
import { DeployConfigError } from '../errors.ts';
import { CLIENT_TAG } from '../nag.ts';
import { parseLocalTime, retryCronTimes, skippedDates, staggeredTime, staggerOffsetMinutes, type LocalTime } from '../schedule-times.ts';
import type { DataStack } from './data-stack.ts';

/** Lambda allows 4 KB of environment in total; the config gets most of it, the other variables the rest. */
export const MAX_CONFIG_ENV_BYTES = 3_500;
/** A client's report query that would scan more than this is cancelled. */
export const CLIENT_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** Raw exports arrive daily; no new object for this long means a collector or an upload is broken. */
export const MISSING_DATA_HOURS = 26;
/** An SQS message is retried this many times before it moves to the dead-letter queue. */
export const INGEST_MAX_RECEIVE_COUNT = 5;
/**
 * One raw file per invocation, with Lambda's longest timeout: a large backfill file has the whole 15 minutes
 * to itself instead of sharing a timeout with the rest of a batch (a timed-out batch returns no partial
 * response, so every message in it would be retried). A client's files are ingested one at a time anyway
 * (FIFO, one message group), so a bigger batch would not be faster.
 */
export const INGEST_BATCH_SIZE = 1;
export const INGEST_TIMEOUT = Duration.minutes(15);
/**
 * Memory of the ingest function, in MB, chosen from `npm run bench:ingest` (bench/README.md). Ingest is
 * CPU-bound: about 9.5 CPU-seconds per million rows, on DuckDB's two threads. Its peak RSS is about 375 MB for
 * a million-row export (DuckDB spills past 192 MB of working memory, so a larger file needs little more) and
 * 230 MB for a typical 20,000-row day. Lambda gives CPU in proportion to memory, one full vCPU at 1,769 MB
 * ("Configure Lambda function memory": https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html):
 * that is the setting, with four times the measured peak to spare. A million rows then take about 10 s, and the
 * 3.8 GiB size limit about 6 minutes of the 12 a file may take. More memory would buy a second vCPU's share at
 * proportionally higher price per second; a daily file spends most of its half second in work that does not
 * run in parallel, so it would cost more for little.
 */
export const INGEST_MEMORY_MB = 1769;
/**
 * /tmp of the ingest function: the decoded export is staged there for DuckDB, and DuckDB spills to it when a
 * sort or join outgrows its memory; the Parquet files are written there before upload. Staging takes about
 * 2.6 times the export (functions/core/ingest/staging-space.ts), so Lambda's largest /tmp, 10,240 MiB, takes
 * an export of about 3.9 GiB; a larger one is rejected with that reason (the function is told its /tmp size).
 * /tmp is the only writable folder: DuckDB's temp_directory must point there (its default for an in-memory
 * database, `.tmp` in the working directory, is in read-only /var/task).
 */
export const INGEST_EPHEMERAL_STORAGE = Size.mebibytes(10_240);
/** CloudWatch dimension of the SES metrics: the auto-tag SES puts on every message of a configuration set. */
export const SES_DIMENSION = 'ses:configuration-set';
/** Context key: reserved concurrency of the report function (unset: none). See docs/deploy.md. */
export const REPORT_CONCURRENCY_CONTEXT = 'cspulse:reportReservedConcurrency';

/**
 * The live function: one Athena query a minute per container (its results are kept a minute), a page rendered
 * in milliseconds. 512 MB: a quarter of a vCPU is enough for a query that Athena runs; 30 s covers a slow query
 * of five partitions with room (the page waits for it, then reloads every minute).
 */
export const LIVE_MEMORY_MB = 512;
export const LIVE_TIMEOUT = Duration.seconds(30);

export const clientStackName = (clientId: string) => `CsPulse-Client-${clientId}`;
export const clientWorkgroupName = (clientId: string) => `cspulse-${clientId}`;
/** Collector credentials must live under this name prefix: the collector may read nothing else. */
export const collectorSecretPrefix = (clientId: string) => `cspulse/${clientId}/`;

export interface HandlerEntries {
  collector?: string;
  ingest?: string;
  report?: string;
  live?: string;
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
  /** the client's PII key, from its key stack */
  piiKey: secretsmanager.ISecret;
  /** reserved concurrency of the report function; undefined reserves none */
  reportReservedConcurrency?: number;
}

/** What must hold before a config can be deployed, beyond the schema. */
export function checkDeployable(config: ClientConfig, configFile: string, configJson: string): void {
  const bytes = Buffer.byteLength(encodeConfigEnv(configJson), 'utf8');
  if (bytes > MAX_CONFIG_ENV_BYTES) {
    throw new DeployConfigError(
      `${configFile}: the config is ${bytes} bytes as compressed JSON; the Lambda environment holds at most ` +
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

/** What the client stack's parts (the live page, collectors, ingest, reports) are built from. */
interface StackParts {
  props: ClientStackProps;
  config: ClientConfig;
  data: ClientStackProps['data'];
  clientId: string;
  prefixes: ReturnType<typeof clientPrefixes>;
  zone: TimeZone;
  /** every function's environment: the config, buckets, workgroup, secret names */
  environment: Record<string, string>;
  alarms: FirstEventAlarms;
  alarmOnCount: (handler: 'ingest' | 'report' | 'live', metricName: string, id: string, what: string) => void;
  /** SES, from exactly the stack's sender, through the client's configuration set */
  sendFromSender: () => iam.PolicyStatement;
  /** a warning when a local time does not exist on some day in the client's zone */
  warnIfSkipped: (what: string, time: LocalTime) => void;
  scheduleGroup: scheduler.ScheduleGroup;
}

export class ClientStack extends Stack {
  readonly collector?: CsPulseFunction;
  readonly ingest?: CsPulseFunction;
  readonly report?: CsPulseFunction;
  /** the live page (functions/handlers/live.ts) and its function URL */
  readonly live?: CsPulseFunction;
  readonly liveUrl?: lambda.FunctionUrl;
  /** signs and checks the links to the live page */
  readonly linkKey?: secretsmanager.Secret;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDlq: sqs.Queue;
  readonly failedDeliveries: sqs.Queue;
  readonly workgroup: athena.CfnWorkGroup;
  readonly configurationSet: ses.ConfigurationSet;
  /** the From address: IAM allows exactly this one, and the report function sends from it */
  readonly sender: string;

  constructor(scope: Construct, id: string, props: ClientStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    checkDeployable(config, props.configFile, props.configJson);
    const clientId = config.id;
    const prefixes = clientPrefixes(clientId);
    const zone = TimeZone.of(config.timezone);
    Tags.of(this).add(CLIENT_TAG, clientId);

    this.sender = resolveSender(config, props.defaultSender);
    const senderDomain = this.sender.slice(this.sender.lastIndexOf('@') + 1);
    if (isReservedDomain(senderDomain)) {
      Annotations.of(this).addWarningV2(
        'cspulse:unverifiable-sender',
        `${props.configFile}: reports go out from ${this.sender}, on a reserved domain SES cannot verify; set sender ` +
          'in the config or CSPULSE_DEFAULT_SENDER to an address of a domain verified in SES',
      );
    }

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: clientWorkgroupName(clientId),
      description: `Report queries of client ${clientId}`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: CLIENT_BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${data.athenaResultsBucket.bucketName}/${prefixes.athenaResults}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    const configurationSet = new ses.ConfigurationSet(this, 'Mail', {
      reputationMetrics: true,
      sendingEnabled: true,
      // per client (reports.tls): REQUIRE bounces mail to a server without STARTTLS
      // (https://docs.aws.amazon.com/ses/latest/APIReference/API_DeliveryOptions.html)
      tlsPolicy: config.reports.tls === 'optional' ? ses.ConfigurationSetTlsPolicy.OPTIONAL : ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet = configurationSet;
    // Bounces and complaints reach nobody by themselves: SES publishes them as CloudWatch metrics of this
    // configuration set (dimension: the auto-tag ses:configuration-set, which SES sets on every message sent
    // with it), and the alarms below watch them.
    configurationSet.addEventDestination('Metrics', {
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: SES_DIMENSION,
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: configurationSet.configurationSetName,
        },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
      ],
    });

    const environment: Record<string, string> = {
      [RUNTIME_ENV.clientConfig]: encodeConfigEnv(props.configJson),
      [RUNTIME_ENV.rawBucket]: data.rawBucket.bucketName,
      [RUNTIME_ENV.lakeBucket]: data.lakeBucket.bucketName,
      [RUNTIME_ENV.quarantineBucket]: data.quarantineBucket.bucketName,
      [RUNTIME_ENV.athenaWorkgroup]: clientWorkgroupName(clientId),
      [RUNTIME_ENV.glueDatabase]: data.glueDatabaseName,
      [RUNTIME_ENV.piiKeySecret]: piiKeySecretName(clientId),
      [RUNTIME_ENV.sesConfigurationSet]: configurationSet.configurationSetName,
    };
    const alarmAction = new cwActions.SnsAction(data.alarmTopic);
    const alarms = new FirstEventAlarms(this, alarmAction, `cspulse ${clientId}`);

    // Standard, not FIFO: EventBridge Scheduler, Lambda destinations and EventBridge rule dead-letter queues
    // accept only standard queues.
    this.failedDeliveries = new sqs.Queue(this, 'FailedDeliveries', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedDeliveries).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the schedules, the asynchronous invocations and the ' +
        "raw-object rule (DeadLetterConfig and Lambda on-failure destinations, not an SQS redrive policy, which cdk-nag looks for).",
    });
    alarms.onFirstMessage(
      this.failedDeliveries,
      'FailedDeliveriesAlarm',
      `a schedule, an asynchronous invocation or a raw-object event failed for good; its record waits in the failed-deliveries queue`,
    );
    for (const [metricName, what] of [
      ['Bounce', 'bounced'],
      ['Complaint', 'was marked as spam by its recipient'],
    ] as const) {
      alarms.onCount('AWS/SES', metricName, { [SES_DIMENSION]: configurationSet.configurationSetName }, `Mail${metricName}Alarm`, `a report e-mail ${what}`);
    }
    /**
     * Outcomes the handlers count (EMF, namespace cspulse, dimensions service and client_id) that no function
     * error shows: a file rejected whole (a vendor's header change rejects every file while files keep arriving,
     * so the missing-data alarm stays quiet), a report left in doubt, a report held back because the query
     * engine saw fewer rows than ingest wrote, a report some recipients were refused. The first one in an hour alarms.
     */
    const alarmOnCount = (handler: 'ingest' | 'report' | 'live', metricName: string, id: string, what: string) =>
      alarms.onCount(METRICS_NAMESPACE, metricName, { service: serviceName(handler), client_id: clientId }, id, what);
    /** SES, from exactly the stack's sender, through the client's configuration set */
    const sendFromSender = () =>
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: this.sender }),
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
          this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.sender } },
      });
    // A run at a local time the clocks skip (the spring-forward hour) does not happen that day.
    const year = new Date().getUTCFullYear();
    const warnIfSkipped = (what: string, time: LocalTime) => {
      const skipped = [...skippedDates(config.timezone, time, year), ...skippedDates(config.timezone, time, year + 1)];
      if (skipped.length === 0) return;
      const hhmm = `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
      Annotations.of(this).addWarningV2(
        'cspulse:skipped-schedule',
        `${props.configFile}: ${what} at ${hhmm} does not exist in ${config.timezone} on ${skipped.join(', ')} (clocks go ` +
          'forward); EventBridge Scheduler skips that run. Choose a time outside the skipped hour.',
      );
    };
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const parts: StackParts = { props, config, data, clientId, prefixes, zone, environment, alarms, alarmOnCount, sendFromSender, warnIfSkipped, scheduleGroup };
    const livePage = this.livePage(parts);
    this.linkKey = livePage.linkKey;
    this.live = livePage.live;
    this.liveUrl = livePage.liveUrl;
    this.collector = this.collectors(parts);
    const ingestPath = this.ingestPath(parts, livePage.liveEnvironment);
    this.ingestQueue = ingestPath.ingestQueue;
    this.ingestDlq = ingestPath.ingestDlq;
    this.ingest = ingestPath.ingest;
    this.report = this.reports(parts, livePage.liveEnvironment);

    // --- what docs/deploy.md tells people to use ----------------------------------------------------
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    if (this.collector) output('CollectorFunctionName', this.collector.function.functionName, 'collects a pulled source now (aws lambda invoke)');
    if (this.ingest) output('IngestFunctionName', this.ingest.function.functionName, 'ingests the raw files of this client');
    if (this.report) output('ReportFunctionName', this.report.function.functionName, 'sends a report now (aws lambda invoke)');
    if (this.liveUrl) output('LiveUrl', this.liveUrl.url, 'the live page; open it only through a signed link (docs/deploy.md)');
    if (this.linkKey) output('LiveLinkKeyArn', this.linkKey.secretArn, 'the key that signs live-page links: a new value ends every link sent');
    output('IngestQueueUrl', this.ingestQueue.queueUrl, 'raw-object events waiting for ingest (FIFO)');
    output('IngestDeadLetterQueueUrl', this.ingestDlq.queueUrl, 'raw files that failed ingest; redrive them to the ingest queue after a fix');
    output('FailedDeliveriesQueueUrl', this.failedDeliveries.queueUrl, 'schedules, invocations and events that failed for good');
    output('WorkGroupName', this.workgroup.name, "the client's Athena workgroup");
    output('ConfigurationSetName', configurationSet.configurationSetName, 'SES configuration set of the reports');
    output('Sender', this.sender, 'From address of the reports: verify its domain in SES');
  }

  /** The live page (before the other functions: the report's footer and the alert e-mails link to it). */
  private livePage(p: StackParts): { linkKey?: secretsmanager.Secret; live?: CsPulseFunction; liveUrl?: lambda.FunctionUrl; liveEnvironment: Record<string, string> } {
    const { props, clientId, prefixes, data, environment, alarms, alarmOnCount } = p;
    const liveEnvironment: Record<string, string> = {};
    if (!props.entries.live) return { liveEnvironment };
    // A secret of its own, not the customer key (functions/core/live/signed-link.ts): losing or rotating it only
    // ends the links already sent, so it lives and dies with this stack under a generated name.
    const linkKey = new secretsmanager.Secret(this, 'LiveLinkKey', {
      description: `signs the links to the live page of client ${clientId}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs links to the live page that expire within live.link_days (at most 31 days); replacing it ' +
        'by hand (a new value) ends every link already sent, which is the way to revoke them, and needs no rotation Lambda.',
    });
    const live = new CsPulseFunction(this, 'Live', {
      entry: props.entries.live,
      description: `cspulse live page of ${clientId}`,
      environment: { ...environment, [RUNTIME_ENV.sqlDir]: BUNDLE_SQL_DIR, [RUNTIME_ENV.linkKeySecret]: linkKey.secretArn },
      timeout: LIVE_TIMEOUT,
      memorySize: LIVE_MEMORY_MB,
      bundle: { sql: true },
    });
    // auth type NONE: the signed link is the lock, checked before anything is read (docs/deploy.md, "Live page")
    const liveUrl = live.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.athenaAccess(p, live, [prefixes.contacts, prefixes.coverage, prefixes.alerts, prefixes.notes]);
    live.role.addToPolicy(listStatement(data.lakeBucket, [prefixes.contacts, prefixes.coverage, prefixes.alerts, prefixes.notes]));
    linkKey.grantRead(live.role);
    alarms.onErrors(live, 'live page');
    alarmOnCount('live', 'LivePagesFailed', 'LivePagesFailedAlarm', 'the live page answered 503: its data could not be read; the live log says why');
    liveEnvironment[RUNTIME_ENV.linkKeySecret] = linkKey.secretArn;
    liveEnvironment[RUNTIME_ENV.liveUrl] = liveUrl.url;
    return { linkKey, live, liveUrl, liveEnvironment };
  }

  /** The collector of each pulled source, run by a schedule at its `pull.at` for the day before. */
  private collectors(p: StackParts): CsPulseFunction | undefined {
    const { props, config, clientId, prefixes, data, environment, alarms, zone, warnIfSkipped, scheduleGroup } = p;
    const pulled = config.sources.filter((s) => s.pull !== undefined);
    if (pulled.length === 0 || !props.entries.collector) return undefined;
    const collector = new CsPulseFunction(this, 'Collector', {
      entry: props.entries.collector,
      description: `cspulse collector for ${clientId}`,
      environment,
      timeout: Duration.minutes(10),
      memorySize: 512,
      asyncInvoke: { onFailure: this.failedDeliveries, retryAttempts: 2, maxEventAge: Duration.hours(2) },
    });
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
      warnIfSkipped(`sources.${source.id}.pull.at: the collector`, at);
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
          deadLetterQueue: this.failedDeliveries,
        }),
      });
    }
    alarms.onErrors(collector, 'collector');
    return collector;
  }

  /** Raw object → EventBridge rule → FIFO queue → ingest function, with its dead-letter queue and alarms. */
  private ingestPath(p: StackParts, liveEnvironment: Record<string, string>): { ingestQueue: sqs.Queue; ingestDlq: sqs.Queue; ingest?: CsPulseFunction } {
    const { props, clientId, prefixes, data, environment, alarms, alarmOnCount, sendFromSender } = p;
    // The queue and the rule exist even before the ingest function does: files uploaded meanwhile wait
    // in the queue, and the missing-data alarm watches the rule either way.
    // FIFO with one message group per client: a client's files are ingested one at a time. Ingest drops a
    // contact id already in the lake for that date, which holds only if no other file of the client is being
    // written at the same moment (Firehose redelivers records in objects that arrive close together).
    const ingestDlq = new sqs.Queue(this, 'IngestDlq', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      fifo: true,
      // the same event delivered twice by EventBridge within five minutes is one message
      contentBasedDeduplication: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // six times the function timeout, as Lambda's SQS guide recommends, so a slow batch is not redelivered
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: ingestDlq, maxReceiveCount: INGEST_MAX_RECEIVE_COUNT },
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
      targets: [new eventTargets.SqsQueue(ingestQueue, { messageGroupId: clientId, deadLetterQueue: this.failedDeliveries })],
    });
    let ingest: CsPulseFunction | undefined;
    if (props.entries.ingest) {
      ingest = new CsPulseFunction(this, 'Ingest', {
        entry: props.entries.ingest,
        description: `cspulse ingest for ${clientId}`,
        environment: {
          ...environment,
          [RUNTIME_ENV.sqlDir]: BUNDLE_SQL_DIR,
          [RUNTIME_ENV.ingestDeadLetterQueueUrl]: ingestDlq.queueUrl,
          [RUNTIME_ENV.ingestTmpBytes]: String(INGEST_EPHEMERAL_STORAGE.toMebibytes() * 1024 ** 2),
          // the intraday alerts after each file: the live page's link key and address, the From address
          ...liveEnvironment,
          ...(this.linkKey ? { [RUNTIME_ENV.sender]: this.sender } : {}),
        },
        timeout: INGEST_TIMEOUT,
        memorySize: INGEST_MEMORY_MB,
        ephemeralStorageSize: INGEST_EPHEMERAL_STORAGE,
        bundle: { sql: true, copiedPackages: DUCKDB_PACKAGES },
      });
      ingest.function.addEventSource(
        new SqsEventSource(ingestQueue, {
          batchSize: INGEST_BATCH_SIZE,
          reportBatchItemFailures: true,
        }),
      );
      // a message that can never succeed (not an event, another client's key, an unknown source) goes
      // straight to the dead-letter queue instead of blocking the client's FIFO group for five retries
      ingestDlq.grantSendMessages(ingest.role);
      const lakePrefixes = [prefixes.contacts, prefixes.surveys, prefixes.manifests, prefixes.coverage, ...prefixes.versions];
      ingest.role.addToPolicy(objectStatement(data.rawBucket, [prefixes.raw], OBJECT_READ));
      ingest.role.addToPolicy(listStatement(data.rawBucket, [prefixes.raw]));
      ingest.role.addToPolicy(objectStatement(data.lakeBucket, lakePrefixes, [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]));
      ingest.role.addToPolicy(listStatement(data.lakeBucket, lakePrefixes));
      // a re-ingest replaces the file's quarantine object, or deletes it when no row is rejected any more
      ingest.role.addToPolicy(
        objectStatement(data.quarantineBucket, [prefixes.quarantine], [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]),
      );
      ingest.role.addToPolicy(listStatement(data.quarantineBucket, [prefixes.quarantine]));
      props.piiKey.grantRead(ingest.role);
      if (this.linkKey) {
        // the intraday alerts (functions/core/live/run-alerts.ts): the live view through Athena, the alert records
        // and their claims (a claim is deleted when a send is given back), the e-mails through SES
        this.athenaAccess(p, ingest, [prefixes.notes]);
        ingest.role.addToPolicy(objectStatement(data.lakeBucket, [prefixes.alerts], [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]));
        ingest.role.addToPolicy(listStatement(data.lakeBucket, [prefixes.alerts, prefixes.notes]));
        ingest.role.addToPolicy(sendFromSender());
        this.linkKey.grantRead(ingest.role);
        alarmOnCount('ingest', 'AlertsFailed', 'AlertsFailedAlarm', 'an intraday alert could not be evaluated or sent; the ingest log says why');
      }
      alarms.onErrors(ingest, 'ingest');
      alarmOnCount('ingest', 'FilesRejected', 'FilesRejectedAlarm', 'a raw file was rejected whole; its manifest says why');
      alarmOnCount('ingest', 'FilesFailed', 'FilesFailedAlarm', 'a raw file failed ingest and will be retried');
      alarmOnCount('ingest', 'FilesPartial', 'FilesPartialAlarm', 'a raw file was read but more of its rows were quarantined than its source allows; its manifest and quarantine say why');
    }
    alarms.onFirstMessage(
      ingestDlq,
      'IngestDlqAlarm',
      `a raw file failed ingest ${INGEST_MAX_RECEIVE_COUNT} times, or its message can never be ingested; it waits in the dead-letter queue`,
    );
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
      .addAlarmAction(alarms.action);

    return { ingestQueue, ingestDlq, ingest };
  }

  /** The report function, its daily, weekly and monthly schedules and the retries while data is late. */
  private reports(p: StackParts, liveEnvironment: Record<string, string>): CsPulseFunction | undefined {
    const { props, config, clientId, prefixes, data, environment, alarms, alarmOnCount, sendFromSender, zone, warnIfSkipped, scheduleGroup } = p;
    if (!props.entries.report) return undefined;
    const report = new CsPulseFunction(this, 'Report', {
      entry: props.entries.report,
      description: `cspulse report for ${clientId}`,
      environment: {
        ...environment,
        [RUNTIME_ENV.sqlDir]: BUNDLE_SQL_DIR,
        [RUNTIME_ENV.fontDir]: BUNDLE_FONT_DIR,
        [RUNTIME_ENV.sender]: this.sender,
        // the footer's link to the live page
        ...liveEnvironment,
      },
      timeout: Duration.minutes(10),
      memorySize: 1536,
      // Optional: the delivery claim already makes a report go out once however many runs overlap; a
      // reservation only saves the duplicate Athena work, and a new account cannot spare any (docs/deploy.md).
      reservedConcurrentExecutions: props.reportReservedConcurrency,
      asyncInvoke: { onFailure: this.failedDeliveries, retryAttempts: 2, maxEventAge: Duration.hours(1) },
      bundle: { sql: true, fonts: true, copiedPackages: ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu'] },
    });
    // alerts: the intraday alerts of the period, listed in the report (live/alert-log.ts)
    const readPrefixes = [prefixes.contacts, prefixes.surveys, prefixes.manifests, prefixes.coverage, prefixes.notes, prefixes.alerts];
    this.athenaAccess(p, report, readPrefixes);
    // delete: a claim given back after a failed send (delivery-log.ts releaseClaim)
    report.role.addToPolicy(
      objectStatement(data.lakeBucket, [prefixes.deliveries], [...OBJECT_READ, ...OBJECT_WRITE, ...OBJECT_DELETE]),
    );
    report.role.addToPolicy(listStatement(data.lakeBucket, [...readPrefixes, prefixes.deliveries]));
    report.role.addToPolicy(sendFromSender());
    this.linkKey?.grantRead(report.role);

    const offset = staggerOffsetMinutes(clientId);
    const first = staggeredTime(config.reports.send_at, offset);
    warnIfSkipped('reports.send_at: the first report run', first);
    const invoke = (payload: Record<string, string>) =>
      new schedulerTargets.LambdaInvoke(report.function, {
        input: scheduler.ScheduleTargetInput.fromObject(payload),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.failedDeliveries,
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
    alarms.onErrors(report, 'report');
    alarmOnCount('report', 'ReportsInDoubt', 'ReportsInDoubtAlarm', 'a report send was interrupted after the message may have left; check the mailbox, then force');
    alarmOnCount('report', 'ReportsInconsistent', 'ReportsInconsistentAlarm', 'a report was held back: the query engine saw fewer contacts than ingest wrote');
    alarmOnCount('report', 'ReportsPartlyRefused', 'ReportsPartlyRefusedAlarm', 'a report went out but the mail server refused some of its recipients; the operator notice names them');
    return report;
  }

  /** Athena through the client's workgroup, reading these lake prefixes, results in the client's results prefix. */
  private athenaAccess(p: StackParts, fn: CsPulseFunction, lakeReadPrefixes: readonly string[]): void {
    const { data, prefixes, clientId } = p;
    fn.role.addToPolicy(objectStatement(data.lakeBucket, lakeReadPrefixes, OBJECT_READ));
    fn.role.addToPolicy(objectStatement(data.athenaResultsBucket, [prefixes.athenaResults], [...OBJECT_READ, ...OBJECT_WRITE]));
    fn.role.addToPolicy(listStatement(data.athenaResultsBucket, [prefixes.athenaResults]));
    fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [data.lakeBucket.bucketArn, data.athenaResultsBucket.bucketArn] }));
    for (const statement of athenaStatements(this, clientWorkgroupName(clientId), data.glueDatabaseName, Object.keys(lakeTables))) fn.role.addToPolicy(statement);
  }
}
