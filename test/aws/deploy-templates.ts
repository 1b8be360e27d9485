/**
 * Creates in moto what the synthesized CloudFormation templates in cdk.out declare, read from the templates,
 * not retyped: the data stack's buckets (versioning, S3 → EventBridge delivery), the key stack's secret, the
 * client stack's queues (FIFO, content-based deduplication, visibility timeout, redrive to the dead-letter
 * queue), its SES configuration set, its EventBridge rule with its targets, and the functions' code, settings
 * and environment, with every Ref, Fn::GetAtt and Fn::ImportValue resolved to what moto created.
 *
 * What moto cannot run stays a record the scenario checks against: the Lambda functions (run by
 * lambda-sandbox.ts), the event source mapping (polled by the scenario as Lambda's poller would), the alarms
 * (evaluated against the metrics the handlers print).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateConfigurationSetCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';

export const REGION = 'ap-northeast-2';
export const ACCOUNT = '123456789012';
export const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties?: Json;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

export interface FunctionSpec {
  logicalId: string;
  name: string;
  /** the bundle folder in cdk.out */
  assetDir: string;
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  ephemeralMb: number;
  description: string;
}

export interface AlarmSpec {
  logicalId: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  threshold: number;
  comparison: string;
  statistic: string;
  periodSeconds: number;
}

export interface DeployedClient {
  functions: Record<string, FunctionSpec>;
  /** Lambda's SQS poller: which function reads which queue, in batches of how many */
  eventSources: { functionName: string; queueUrl: string; queueArn: string; batchSize: number }[];
  queues: Record<string, { url: string; arn: string }>;
  alarms: AlarmSpec[];
  /** EventBridge Scheduler, which moto does not run: what each schedule would invoke, when, with which event */
  schedules: ScheduleSpec[];
  outputs: Record<string, string>;
}

export interface ScheduleSpec {
  logicalId: string;
  expression: string;
  timezone: string | undefined;
  /** the logical id of the function the schedule invokes */
  targetFunction: string;
  /** the event the function receives: the target's Input, parsed */
  input: unknown;
}

export interface DeployedApp {
  exports: Record<string, string>;
  outputs: Record<string, Record<string, string>>;
  client: DeployedClient;
}

export function awsClients(endpoint: string) {
  const common = { endpoint, region: REGION, credentials: CREDENTIALS };
  return {
    s3: new S3Client({ ...common, forcePathStyle: true }),
    sqs: new SQSClient(common),
    ses: new SESClient(common),
    secrets: new SecretsManagerClient(common),
    events: new EventBridgeClient(common),
  };
}

const readTemplate = (outdir: string, stack: string): Template => JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as Template;

class Resolver {
  readonly refs = new Map<string, string>();
  readonly attrs = new Map<string, string>();
  constructor(private readonly exports: Record<string, string>) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Json;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = obj[k];
      if (k === 'Ref') {
        if (arg === 'AWS::Region') return REGION;
        if (arg === 'AWS::AccountId') return ACCOUNT;
        if (arg === 'AWS::Partition') return 'aws';
        if (arg === 'AWS::URLSuffix') return 'amazonaws.com';
        const ref = this.refs.get(arg as string);
        if (ref === undefined) throw new Error(`Ref ${String(arg)}: not created`);
        return ref;
      }
      if (k === 'Fn::GetAtt') {
        const [id, attr] = arg as [string, string];
        const v = this.attrs.get(`${id}.${attr}`);
        if (v === undefined) throw new Error(`Fn::GetAtt ${id}.${attr}: not created`);
        return v;
      }
      if (k === 'Fn::ImportValue') {
        const v = this.exports[arg as string];
        if (v === undefined) throw new Error(`Fn::ImportValue ${String(arg)}: no such export`);
        return v;
      }
      if (k === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).join(sep);
      }
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(obj[key])]));
  }

  str(value: unknown): string {
    const v = this.resolve(value);
    if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
    return v;
  }
}

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

async function deployData(outdir: string, clients: ReturnType<typeof awsClients>, exports: Record<string, string>): Promise<Record<string, string>> {
  const t = readTemplate(outdir, 'CsPulse-Data');
  const r = new Resolver(exports);
  for (const [id, res] of ofType(t, 'AWS::S3::Bucket')) {
    const name = `cspulse-${id.toLowerCase()}`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    const versioning = (res.Properties?.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    if (versioning === 'Enabled') await clients.s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
    r.refs.set(id, name);
    r.attrs.set(`${id}.Arn`, `arn:aws:s3:::${name}`);
  }
  // the custom resource CDK uses for `eventBridgeEnabled`: its NotificationConfiguration is put on the bucket
  for (const [, res] of ofType(t, 'Custom::S3BucketNotifications')) {
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: r.str(res.Properties!.BucketName),
        NotificationConfiguration: res.Properties!.NotificationConfiguration as never,
      }),
    );
  }
  return outputsOf(t, r, exports);
}

function outputsOf(t: Template, r: Resolver, exports: Record<string, string>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, o] of Object.entries(t.Outputs ?? {})) {
    let value: string;
    try {
      value = r.str(o.Value);
    } catch {
      continue; // an output of something moto does not hold (a Glue database, a topic)
    }
    outputs[name] = value;
    if (o.Export) exports[o.Export.Name] = value;
  }
  return outputs;
}

/** The template's generated secrets, named as given or, without a name, as CloudFormation would make one up. */
async function createSecrets(t: Template, r: Resolver, clients: ReturnType<typeof awsClients>, stack: string): Promise<void> {
  for (const [id, res] of ofType(t, 'AWS::SecretsManager::Secret')) {
    const gen = res.Properties!.GenerateSecretString as { PasswordLength: number };
    // what GenerateSecretString with ExcludePunctuation makes: letters and digits of the given length
    const secret = randomBytes(gen.PasswordLength * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, gen.PasswordLength);
    const name = res.Properties!.Name === undefined ? `${stack}-${id}` : r.str(res.Properties!.Name);
    const out = await clients.secrets.send(new CreateSecretCommand({ Name: name, SecretString: secret }));
    r.refs.set(id, out.ARN!);
  }
}

async function deployKey(outdir: string, clientId: string, clients: ReturnType<typeof awsClients>, exports: Record<string, string>) {
  const stack = `CsPulse-Key-${clientId}`;
  const t = readTemplate(outdir, stack);
  const r = new Resolver(exports);
  await createSecrets(t, r, clients, stack);
  return outputsOf(t, r, exports);
}

async function deployClient(outdir: string, clientId: string, clients: ReturnType<typeof awsClients>, exports: Record<string, string>): Promise<DeployedClient> {
  const stack = `CsPulse-Client-${clientId}`;
  const t = readTemplate(outdir, stack);
  const r = new Resolver(exports);
  const queues: DeployedClient['queues'] = {};
  // dead-letter queues first: a redrive policy names its queue's ARN
  const queueResources = ofType(t, 'AWS::SQS::Queue').sort(([, a], [, b]) => Number(a.Properties?.RedrivePolicy !== undefined) - Number(b.Properties?.RedrivePolicy !== undefined));
  for (const [id, res] of queueResources) {
    const p = r.resolve(res.Properties ?? {}) as Json;
    const attributes: Record<string, string> = {};
    for (const key of ['FifoQueue', 'ContentBasedDeduplication', 'VisibilityTimeout', 'MessageRetentionPeriod']) {
      if (p[key] !== undefined) attributes[key] = String(p[key]);
    }
    if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
    const name = `${stack}-${id}`.slice(0, 75) + (p.FifoQueue ? '.fifo' : '');
    const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const arn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    r.refs.set(id, created.QueueUrl!);
    r.attrs.set(`${id}.Arn`, arn);
    r.attrs.set(`${id}.QueueName`, name);
    queues[id] = { url: created.QueueUrl!, arn };
  }
  for (const [id, res] of ofType(t, 'AWS::SES::ConfigurationSet')) {
    const name = (res.Properties?.Name as string | undefined) ?? `${stack}-${id}`;
    await clients.ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: name } }));
    r.refs.set(id, name);
  }
  for (const [id, res] of ofType(t, 'AWS::Events::Rule')) {
    const p = r.resolve(res.Properties) as { EventPattern: unknown; Targets: { Id: string; Arn: string; SqsParameters?: { MessageGroupId: string }; DeadLetterConfig?: { Arn: string } }[] };
    await clients.events.send(new PutRuleCommand({ Name: id, EventPattern: JSON.stringify(p.EventPattern), State: 'ENABLED' }));
    await clients.events.send(new PutTargetsCommand({ Rule: id, Targets: p.Targets }));
    r.refs.set(id, id);
  }
  // the live-link key (a generated name), which the functions' environment names
  await createSecrets(t, r, clients, stack);
  // a function URL moto does not serve: its address, which the report's footer and the alert e-mails link to
  for (const [id] of ofType(t, 'AWS::Lambda::Url')) r.attrs.set(`${id}.FunctionUrl`, `https://${id.toLowerCase()}.lambda-url.${REGION}.on.aws/`);
  const functions: Record<string, FunctionSpec> = {};
  for (const [id, res] of ofType(t, 'AWS::Lambda::Function')) {
    const p = res.Properties as Json;
    const key = (p.Code as { S3Key: string }).S3Key;
    const environment = r.resolve((p.Environment as { Variables: Json }).Variables) as Record<string, string>;
    functions[id] = {
      logicalId: id,
      name: `${stack}-${id}`,
      assetDir: join(outdir, `asset.${key.replace(/\.zip$/, '')}`),
      handler: p.Handler as string,
      environment,
      timeoutSeconds: p.Timeout as number,
      memoryMb: p.MemorySize as number,
      ephemeralMb: (p.EphemeralStorage as { Size: number } | undefined)?.Size ?? 512,
      description: p.Description as string,
    };
    r.refs.set(id, functions[id]!.name);
  }
  const eventSources: DeployedClient['eventSources'] = [];
  for (const [, res] of ofType(t, 'AWS::Lambda::EventSourceMapping')) {
    const p = r.resolve(res.Properties) as { EventSourceArn: string; FunctionName: string; BatchSize: number };
    const queue = Object.values(queues).find((q) => q.arn === p.EventSourceArn)!;
    eventSources.push({ functionName: p.FunctionName, queueUrl: queue.url, queueArn: queue.arn, batchSize: p.BatchSize });
  }
  const alarms: AlarmSpec[] = ofType(t, 'AWS::CloudWatch::Alarm').flatMap(([id, res]) => {
    const p = res.Properties as Json;
    if (typeof p.Namespace !== 'string') return [];
    let dims: { Name: string; Value: unknown }[];
    try {
      dims = r.resolve(p.Dimensions ?? []) as { Name: string; Value: unknown }[];
    } catch {
      dims = [];
    }
    return [
      {
        logicalId: id,
        namespace: p.Namespace,
        metricName: p.MetricName as string,
        dimensions: Object.fromEntries(dims.map((d) => [d.Name, String(d.Value)])),
        threshold: p.Threshold as number,
        comparison: p.ComparisonOperator as string,
        statistic: p.Statistic as string,
        periodSeconds: p.Period as number,
      },
    ];
  });
  const schedules: ScheduleSpec[] = ofType(t, 'AWS::Scheduler::Schedule').map(([id, res]) => {
    const p = res.Properties as Json;
    const target = p.Target as { Arn: { 'Fn::GetAtt': [string, string] }; Input?: string };
    return {
      logicalId: id,
      expression: p.ScheduleExpression as string,
      timezone: p.ScheduleExpressionTimezone as string | undefined,
      targetFunction: target.Arn['Fn::GetAtt'][0],
      input: target.Input === undefined ? undefined : (JSON.parse(target.Input) as unknown),
    };
  });
  const outputs = outputsOf(t, r, exports);
  // the one manual step of docs/deploy.md: the sender's identity verified in SES (the sandbox needs it)
  await clients.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: outputs.Sender! }));
  return { functions, eventSources, queues, alarms, schedules, outputs };
}

/** Deploys the data stack, the client's key stack and its client stack, in CloudFormation's order. */
export async function deployToMoto(outdir: string, clientId: string, endpoint: string): Promise<DeployedApp> {
  const clients = awsClients(endpoint);
  const exports: Record<string, string> = {};
  const data = await deployData(outdir, clients, exports);
  const key = await deployKey(outdir, clientId, clients, exports);
  const client = await deployClient(outdir, clientId, clients, exports);
  return { exports, outputs: { 'CsPulse-Data': data, [`CsPulse-Key-${clientId}`]: key }, client };
}
