/**
 * Two test clients synthesized once, with a tiny fixture handler for every Lambda so bundling is quick and
 * the stacks are complete whichever real handlers exist. Assertions read the synthesized CloudFormation.
 */
import { decodeConfigEnv } from '../../functions/core/config/config-env.ts';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clientConfigSchema } from '../../functions/core/config/client-config.ts';
import { DEFAULT_SENDER } from '../../functions/core/config/sender.ts';
import { maxExportBytes } from '../../functions/core/ingest/staging-space.ts';
import { RUNTIME_ENV } from '../../functions/core/runtime-env.ts';
import { lakeTables } from '../../functions/core/tables.ts';
import { buildApp, REPO_HANDLER_ENTRIES, type BuiltApp } from '../../infra/build-app.ts';
import { REPO_ROOT } from '../../infra/constructs/cspulse-function.ts';
import { namedQueryFiles } from '../../infra/stacks/data-stack.ts';
import { CsPulseChecks } from '../../infra/nag.ts';
import { REPORT_CONCURRENCY_CONTEXT } from '../../infra/stacks/client-stack.ts';
import { App } from 'aws-cdk-lib';
import { ALPHA_YAML, BETA_YAML, writeConfigs } from './fixtures/configs.ts';

const FIXTURE_HANDLER = join(import.meta.dirname, 'fixtures', 'handler.ts');

type Json = Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown; Condition?: Json; Effect: string };

let built: BuiltApp;
let alpha: Template;
let beta: Template;
let data: Template;
let configDir: string;
let nag: CsPulseChecks;
let nagViolations: { ruleName: string; violatingResources: { constructPath: string }[] }[];

beforeAll(async () => {
  configDir = await writeConfigs({ 'alpha.yaml': ALPHA_YAML, 'beta.yaml': BETA_YAML });
  built = await buildApp({
    configDir,
    env: { account: '123456789012', region: 'ap-northeast-2' },
    // the real collector (it is ours and small); fixtures for the two heavy handlers
    entries: { collector: REPO_HANDLER_ENTRIES.collector, ingest: FIXTURE_HANDLER, report: FIXTURE_HANDLER },
    nag: false,
  });
  built.app.synth();
  alpha = Template.fromStack(built.clients.get('alpha')!);
  beta = Template.fromStack(built.clients.get('beta')!);
  data = Template.fromStack(built.data);
  nag = new CsPulseChecks();
  nagViolations = nag.validateScope(built.app).violations as typeof nagViolations;
});
afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function statements(template: Template): Statement[] {
  const out: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    out.push(...((policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement));
  }
  return out;
}

/** A resource rendered as text: joins flattened, references by name, so prefixes can be read. */
function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Json;
  if (r['Fn::Join']) {
    const [, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map(resourceText).join('');
  }
  if (r['Fn::ImportValue']) return `<${r['Fn::ImportValue'] as string}>`;
  if (r['Fn::GetAtt']) return `<${(r['Fn::GetAtt'] as string[]).join('.')}>`;
  if (r.Ref) return `<${r.Ref as string}>`;
  return JSON.stringify(resource);
}

describe('tenant isolation (client alpha)', () => {
  it("names no other client's prefix, secret or workgroup anywhere in its policies", () => {
    const text = statements(alpha).flatMap((s) => asArray(s.Resource).map(resourceText));
    expect(text.length).toBeGreaterThan(20);
    for (const r of text) {
      expect(r).not.toMatch(/client_id=beta/);
      expect(r).not.toMatch(/cspulse\/beta\//);
      expect(r).not.toMatch(/workgroup\/cspulse-beta/);
    }
    expect(JSON.stringify(alpha.toJSON())).not.toContain('beta');
  });

  it("allows S3 object actions only under alpha's own prefixes, never on * or a whole bucket", () => {
    const objectStatements = statements(alpha).filter((s) =>
      asArray(s.Action).some((a) => /^s3:(Get|Put|Delete|Abort|ListMultipart)/.test(a) && a !== 's3:GetBucketLocation'),
    );
    // collector: raw; ingest: raw, lake, quarantine; report: lake read, deliveries, results
    expect(objectStatements.length).toBe(7);
    const ownPrefix =
      /^<CsPulse-Data:ExportsOutputFnGetAtt(Raw|Lake|Quarantine|AthenaResults)[A-Za-z0-9]+>\/((contacts|surveys|manifests|coverage|deliveries|notes|versions\/contacts|versions\/surveys)\/)?client_id=alpha\/([a-z]+\/)?\*$/;
    for (const s of objectStatements) {
      for (const r of asArray(s.Resource)) expect(resourceText(r)).toMatch(ownPrefix);
    }
    // the exact set of object prefixes each bucket grants, hand-listed from the layout in manifest.ts
    const granted = new Set(objectStatements.flatMap((s) => asArray(s.Resource).map((r) => resourceText(r).replace(/^<CsPulse-Data:ExportsOutputFnGetAtt([A-Za-z]+?)[0-9A-F]{8}Arn[0-9A-F]{8}>/, '$1'))));
    expect([...granted].sort()).toEqual([
      'AthenaResults/client_id=alpha/*',
      'Lake/contacts/client_id=alpha/*',
      'Lake/coverage/client_id=alpha/*',
      'Lake/deliveries/client_id=alpha/*',
      'Lake/manifests/client_id=alpha/*',
      'Lake/notes/client_id=alpha/*',
      'Lake/surveys/client_id=alpha/*',
      'Lake/versions/contacts/client_id=alpha/*',
      'Lake/versions/surveys/client_id=alpha/*',
      'Quarantine/client_id=alpha/*',
      'Raw/client_id=alpha/*',
      'Raw/client_id=alpha/chat/*',
      'Raw/client_id=alpha/cti/*',
    ]);
    expect(statements(alpha).some((s) => asArray(s.Resource).includes('*'))).toBe(false);
  });

  it('lists buckets only with an s3:prefix condition on its own prefixes', () => {
    const lists = statements(alpha).filter((s) => asArray(s.Action).includes('s3:ListBucket'));
    expect(lists).toHaveLength(5);
    for (const s of lists) {
      const prefixes = (s.Condition?.StringLike as Json | undefined)?.['s3:prefix'] as string[];
      expect(prefixes.length).toBeGreaterThan(0);
      for (const p of prefixes) expect(p).toMatch(/^((contacts|surveys|manifests|coverage|deliveries|notes|versions\/contacts|versions\/surveys)\/)?client_id=alpha\/\*$/);
    }
  });

  it('queries only through its own workgroup and reads only its own secrets', () => {
    const athena = statements(alpha).filter((s) => asArray(s.Action).some((a) => a.startsWith('athena:')));
    expect(athena.map((s) => asArray(s.Resource).map(resourceText))).toEqual([
      ['arn:<AWS::Partition>:athena:ap-northeast-2:123456789012:workgroup/cspulse-alpha'],
    ]);
    const secrets = statements(alpha).filter((s) => asArray(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(secrets.flatMap((s) => asArray(s.Resource).map(resourceText)).sort()).toEqual([
      // the PII key, from alpha's own key stack
      expect.stringMatching(/^<CsPulse-Key-alpha:ExportsOutputRefPiiKey[0-9A-F]+>$/),
      'arn:<AWS::Partition>:secretsmanager:ap-northeast-2:123456789012:secret:cspulse/alpha/chat-??????',
      'arn:<AWS::Partition>:secretsmanager:ap-northeast-2:123456789012:secret:cspulse/alpha/cti-??????',
    ]);
    alpha.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'cspulse-alpha',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { 'Fn::ImportValue': Match.stringLikeRegexp('AthenaResults') }, '/client_id=alpha/']],
          },
        },
      },
    });
  });

  it('sends mail only from its sender through its configuration set', () => {
    const ses = statements(alpha).find((s) => asArray(s.Action).includes('ses:SendRawEmail'))!;
    expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'reports@alpha.example' } });
  });

  it('beta, without a sender of its own and without pulled sources, gets the default sender and no collector', () => {
    const ses = statements(beta).find((s) => asArray(s.Action).includes('ses:SendRawEmail'))!;
    expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': DEFAULT_SENDER } });
    // the report function is told the same address, so it sends from the one IAM allows
    const report = Object.values(beta.findResources('AWS::Lambda::Function')).find(
      (f) => (f as { Properties: Json }).Properties.Description === 'cspulse report for beta',
    ) as { Properties: { Environment: { Variables: Record<string, string> } } };
    expect(report.Properties.Environment.Variables[RUNTIME_ENV.sender]).toBe(DEFAULT_SENDER);
    expect(JSON.parse(decodeConfigEnv(report.Properties.Environment.Variables[RUNTIME_ENV.clientConfig]!))).not.toHaveProperty('sender');
    expect(Object.keys(beta.findResources('AWS::Lambda::Function'))).toHaveLength(2);
    expect(JSON.stringify(beta.toJSON())).not.toContain('alpha');
  });
});


describe('schedules in the client time zone', () => {
  const schedules = (t: Template) =>
    Object.values(t.findResources('AWS::Scheduler::Schedule')).map((r) => {
      const p = (r as { Properties: Json }).Properties;
      return [p.ScheduleExpression, p.ScheduleExpressionTimezone, (p.Target as Json).Input].join(' | ');
    });

  it('alpha: collectors at pull.at, reports at 08:00 + 17 min stagger, retries every 15 min for 180 min', () => {
    // FNV-1a("alpha") = 1569418667; mod 30 = 17, so 08:00 becomes 08:17
    expect(schedules(alpha).sort()).toEqual(
      [
        'cron(0 3 * * ? *) | Asia/Seoul | {"source":"cti"}',
        'cron(30 4 * * ? *) | Asia/Seoul | {"source":"chat"}',
        'cron(17 8 * * ? *) | Asia/Seoul | {"kind":"daily"}',
        'cron(17 8 ? * MON *) | Asia/Seoul | {"kind":"weekly"}',
        'cron(17 8 1 * ? *) | Asia/Seoul | {"kind":"monthly"}',
        'cron(32,47 8 * * ? *) | Asia/Seoul | {}',
        'cron(2,17,32,47 9-10 * * ? *) | Asia/Seoul | {}',
        'cron(2,17 11 * * ? *) | Asia/Seoul | {}',
      ].sort(),
    );
  });

  it('beta: no weekly report, 07:30 + 11 min, retries until 60 min after', () => {
    // FNV-1a("beta") = 2944525511; mod 30 = 11: 07:41, retries 07:56, 08:11, 08:26, 08:41
    expect(schedules(beta).sort()).toEqual(
      [
        'cron(41 7 * * ? *) | America/New_York | {"kind":"daily"}',
        'cron(41 7 1 * ? *) | America/New_York | {"kind":"monthly"}',
        'cron(56 7 * * ? *) | America/New_York | {}',
        'cron(11,26,41 8 * * ? *) | America/New_York | {}',
      ].sort(),
    );
  });

  it('retries failed invocations twice and parks what still fails in the failed-deliveries queue', () => {
    const failed = { 'Fn::GetAtt': [Match.stringLikeRegexp('^FailedDeliveries'), 'Arn'] };
    const schedules = Object.values(alpha.findResources('AWS::Scheduler::Schedule')) as { Properties: { Target: Json } }[];
    expect(schedules).toHaveLength(8);
    for (const schedule of schedules) {
      expect(schedule.Properties.Target).toMatchObject({ RetryPolicy: { MaximumRetryAttempts: 2 } });
      expect((schedule.Properties.Target.DeadLetterConfig as { Arn: { 'Fn::GetAtt': string[] } }).Arn['Fn::GetAtt'][0]).toMatch(/^FailedDeliveries/);
    }
    // Scheduler invokes Lambda asynchronously: Lambda's own retries, then the on-failure destination
    for (const fn of ['Collector', 'Report']) {
      alpha.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp(`^${fn}Function`) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: failed } },
      });
    }
    // standard queue: Scheduler, Lambda destinations and EventBridge refuse FIFO dead-letter queues
    const queue = Object.entries(alpha.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('FailedDeliveries'))![1] as { Properties: Json };
    expect(queue.Properties.FifoQueue).toBeUndefined();
  });

  it('reserves no report concurrency unless the deployment asks for it', () => {
    const report = Object.values(alpha.findResources('AWS::Lambda::Function')).find(
      (f) => (f as { Properties: Json }).Properties.Description === 'cspulse report for alpha',
    ) as { Properties: Json };
    expect(report.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['x86_64'] });
    expect(report.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('ingest trigger', () => {
  it("routes only alpha's raw prefix to alpha's queue, with a DLQ and partial batch failures", () => {
    alpha.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: [{ prefix: 'client_id=alpha/' }] } },
      },
    });
    alpha.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: 5 },
      // six times the 15-minute function timeout (Lambda developer guide, SQS event source)
      VisibilityTimeout: 5400,
      SqsManagedSseEnabled: true,
    });
    // one file per invocation, each with the whole 15 minutes, one vCPU (1,769 MB) and Lambda's largest /tmp
    alpha.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
    });
    alpha.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'cspulse ingest for alpha',
      Timeout: 900,
      MemorySize: 1769,
      EphemeralStorage: { Size: 10_240 },
    });
    // told its /tmp size, it rejects a file staging could not fit: 10,240 MiB / 2.6 = 4,129,776,246 bytes
    const ingestFn = Object.values(alpha.findResources('AWS::Lambda::Function', { Properties: { Description: 'cspulse ingest for alpha' } }))[0] as {
      Properties: { Environment: { Variables: Record<string, string> } };
    };
    expect(ingestFn.Properties.Environment.Variables.CSPULSE_INGEST_TMP_BYTES).toBe('10737418240');
    expect(maxExportBytes(10_737_418_240)).toBe(4_129_776_246);
    // one client's files are ingested one at a time: a FIFO queue with a single message group
    alpha.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: true, MessageRetentionPeriod: 1_209_600 });
    const rule = Object.values(alpha.findResources('AWS::Events::Rule'))[0] as {
      Properties: { Targets: { SqsParameters?: { MessageGroupId: string }; DeadLetterConfig?: { Arn: { 'Fn::GetAtt': string[] } } }[] };
    };
    expect(rule.Properties.Targets[0]!.SqsParameters).toEqual({ MessageGroupId: 'alpha' });
    // an event EventBridge cannot put on the queue is kept, not dropped
    expect(rule.Properties.Targets[0]!.DeadLetterConfig!.Arn['Fn::GetAtt'][0]).toMatch(/^FailedDeliveries/);
  });

  it('hands the ingest handler the Object Created event unchanged, and the handler reads its key verbatim', async () => {
    const rule = Object.values(alpha.findResources('AWS::Events::Rule'))[0] as { Properties: { Targets: Record<string, unknown>[] } };
    // the event goes to the queue unchanged: no input transformer that could mangle the key
    expect(rule.Properties.Targets[0]).not.toHaveProperty('InputTransformer');
    expect(rule.Properties.Targets[0]).not.toHaveProperty('Input');
    // An "Object Created" event as S3 sends it to EventBridge (shape from the S3 user guide); EventBridge does
    // not URL-encode keys, so "+" and "%" are literal characters of the file name
    const event = {
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: '2026-03-01T18:00:05Z',
      detail: {
        version: '0',
        bucket: { name: 'cspulse-raw-bucket' },
        object: { key: 'client_id=alpha/cti/2026-03-01-통화 내역 A+B 100%.csv', size: 1234, etag: 'abc' },
        reason: 'PutObject',
      },
    };
    const { objectsOfSqsBody } = await import('../../functions/handlers/ingest-event.ts');
    expect(objectsOfSqsBody(JSON.stringify(event))).toEqual([
      // the event's time is when S3 created the object: the delivery time ingest records
      { bucket: 'cspulse-raw-bucket', key: 'client_id=alpha/cti/2026-03-01-통화 내역 A+B 100%.csv', createdAt: new Date('2026-03-01T18:00:05Z') },
    ]);
  });

  it('alarms on function errors, a non-empty DLQ, 26 hours without a raw file, rejected or failed files and reports in doubt, held back or partly refused', () => {
    const alarms = Object.values(alpha.findResources('AWS::CloudWatch::Alarm')).map((a) => (a as { Properties: Json }).Properties);
    // collector, ingest, report errors + ingest DLQ + failed deliveries + missing data + mail bounce + complaint
    // + files rejected, files failed, files partly quarantined, reports in doubt, reports held back, reports partly refused
    expect(alarms).toHaveLength(14);
    // the metrics exactly as the handlers publish them (EMF: namespace cspulse, dimensions service and client_id)
    for (const [service, metricName] of [
      ['cspulse-ingest', 'FilesRejected'],
      ['cspulse-ingest', 'FilesFailed'],
      ['cspulse-ingest', 'FilesPartial'],
      ['cspulse-report', 'ReportsInDoubt'],
      ['cspulse-report', 'ReportsInconsistent'],
      ['cspulse-report', 'ReportsPartlyRefused'],
    ]) {
      expect(alarms.find((a) => a.MetricName === metricName), metricName).toMatchObject({
        Namespace: 'cspulse',
        Dimensions: [
          { Name: 'client_id', Value: 'alpha' },
          { Name: 'service', Value: service },
        ],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    for (const metricName of ['Bounce', 'Complaint']) {
      expect(alarms.find((a) => a.MetricName === metricName)).toMatchObject({
        Namespace: 'AWS/SES',
        Dimensions: [{ Name: 'ses:configuration-set', Value: { Ref: expect.stringMatching(/^Mail/) } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    const missing = alarms.find((a) => a.MetricName === 'MatchedEvents')!;
    expect(missing).toMatchObject({
      Namespace: 'AWS/Events',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    for (const a of alarms) expect(resourceText((a.AlarmActions as unknown[])[0])).toMatch(/^<CsPulse-Data:ExportsOutputRefAlarms/);
  });

  it('requires TLS to the recipients\' mail servers unless the client config says reports.tls: optional', () => {
    alpha.hasResourceProperties('AWS::SES::ConfigurationSet', { DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
    expect(clientConfigSchema.shape.reports.parse({ tls: 'optional' }).tls).toBe('optional');
    expect(clientConfigSchema.shape.reports.parse({}).tls).toBe('require');
  });
});

describe('data stack', () => {
  it('encrypts every bucket, blocks public access, denies plain HTTP and retains the buckets', () => {
    const buckets = data.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(5);
    for (const b of Object.values(buckets) as { Properties: Json; DeletionPolicy: string }[]) {
      expect(b.DeletionPolicy).toBe('Retain');
      expect(b.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy')) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    expect(policies).toHaveLength(5);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('ages raw exports out, expires Athena results and old lake versions', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Status: 'Enabled',
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
            ],
          },
        ],
      },
    });
    data.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
    data.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [{ Id: 'athena-results-expiry', ExpirationInDays: 7 }] },
    });
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      // the three newest old versions stay; older ones go a day after they were replaced
      LifecycleConfiguration: { Rules: [{ Id: 'lake-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 3 } }] },
    });
  });

  it('defines the Glue tables from functions/core/tables.ts with partition projection', () => {
    for (const table of Object.values(lakeTables)) {
      data.hasResourceProperties('AWS::Glue::Table', {
        DatabaseName: 'cspulse',
        TableInput: {
          Name: table.name,
          PartitionKeys: [
            { Name: 'client_id', Type: 'string' },
            { Name: 'dt', Type: 'string' },
          ].map((k) => Match.objectLike(k)),
          StorageDescriptor: {
            Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
          },
          Parameters: {
            'projection.enabled': 'true',
            'projection.client_id.type': 'injected',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.dt.range': '1970-01-01,NOW+1DAYS',
          },
        },
      });
    }
  });

  it.skipIf(!existsSync(join(REPO_ROOT, 'sql/ddl/contacts.sql')))(
    'uses the same table properties as the Athena DDL in sql/ddl',
    () => {
      for (const table of Object.values(lakeTables)) {
        const ddl = readFileSync(join(REPO_ROOT, `sql/ddl/${table.name}.sql`), 'utf8');
        const fromDdl = Object.fromEntries(
          [...ddl.matchAll(/'((?:projection|storage)\.[^']+)'\s*=\s*'([^']*)'/g)].map((m) => [m[1]!, m[2]!]),
        );
        expect(Object.keys(fromDdl).length).toBeGreaterThan(6);
        const cfn = Object.values(data.findResources('AWS::Glue::Table')).find(
          (t) => (t as { Properties: { TableInput: { Name: string } } }).Properties.TableInput.Name === table.name,
        ) as { Properties: { TableInput: { Parameters: Record<string, unknown> } } };
        const params = cfn.Properties.TableInput.Parameters;
        for (const [key, value] of Object.entries(fromDdl)) {
          if (key === 'storage.location.template') {
            // the DDL says ${LAKE_LOCATION}; the stack joins in the lake bucket's name
            const joined = (params[key] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
            expect(joined.at(-1)).toBe(value.replace('${LAKE_LOCATION}', ''));
          } else {
            expect(params[key], key).toBe(value);
          }
        }
      }
    },
  );

  it('offers the views and KPI queries of sql/ as named queries in the analyst workgroup', () => {
    const files = namedQueryFiles(join(REPO_ROOT, 'sql'));
    const queries = Object.values(data.findResources('AWS::Athena::NamedQuery')) as { Properties: Json }[];
    expect(queries.map((q) => q.Properties.Name).sort()).toEqual(files.map((f) => `cspulse ${f.name}`).sort());
    for (const q of queries) expect(q.Properties).toMatchObject({ Database: 'cspulse', WorkGroup: 'cspulse-analysts' });
    data.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'cspulse-analysts',
      WorkGroupConfiguration: { EnforceWorkGroupConfiguration: true, BytesScannedCutoffPerQuery: 100 * 1024 ** 3 },
    });
  });

  it('publishes alarms to a KMS-encrypted topic that CloudWatch may use', () => {
    data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding', () => {
    expect(nagViolations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it("acknowledges wildcards only after the finding stack's own client prefix", () => {
    expect(nag.acknowledged.length).toBeGreaterThan(10);
    for (const a of nag.acknowledged) {
      const client = a.path.match(/^CsPulse-Client-([a-z0-9-]+)\//)![1]!;
      const other = client === 'alpha' ? 'beta' : 'alpha';
      expect(a.finding).not.toContain(other);
      expect(a.reason.length).toBeGreaterThan(60);
    }
  });

  it('gives a reason of its own to every rule acknowledged on a construct', () => {
    const reasons: string[] = [];
    for (const stack of [built.data, ...built.clients.values()]) {
      for (const c of stack.node.findAll()) {
        for (const m of c.node.metadata) {
          if (m.type === 'aws:cdk:acknowledged-rules') reasons.push(...Object.values(m.data as Record<string, string>));
        }
      }
    }
    expect(reasons.length).toBeGreaterThan(5);
    for (const r of reasons) expect(r.length).toBeGreaterThan(60);
  });
});

describe('ingest poison messages', () => {
  it('lets the ingest function send to its own dead-letter queue, and to no other queue', () => {
    const policies = Object.values(alpha.findResources('AWS::IAM::Policy')) as {
      Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    }[];
    const queuesSentToBy = (role: RegExp) =>
      policies
        .filter((p) => p.Properties.Roles.some((r) => role.test(r.Ref)))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s) => asArray(s.Action).includes('sqs:SendMessage'))
        .flatMap((s) => asArray(s.Resource).map(resourceText));
    expect(queuesSentToBy(/^IngestRole/)).toEqual([expect.stringMatching(/^<IngestDlq[0-9A-F]+\.Arn>$/)]);
    // everyone else may only park failures: the functions' on-failure destinations and the schedules' DLQs
    const others = queuesSentToBy(/^(?!IngestRole)/);
    expect(others.length).toBeGreaterThanOrEqual(3);
    for (const queue of others) expect(queue).toMatch(/^<FailedDeliveries[0-9A-F]+\.Arn>$/);
    const ingest = Object.values(alpha.findResources('AWS::Lambda::Function')).find(
      (f) => (f as { Properties: Json }).Properties.Description === 'cspulse ingest for alpha',
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(ingest.Properties.Environment.Variables[RUNTIME_ENV.ingestDeadLetterQueueUrl]).toEqual({ Ref: expect.stringMatching(/^IngestDlq/) });
  });
});

describe('SES bounces and complaints', () => {
  it('publishes the configuration set events to CloudWatch under its own name', () => {
    alpha.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('^Mail') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            { DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: { Ref: Match.stringLikeRegexp('^Mail') } },
          ],
        },
      },
    });
  });
});

describe('the PII key', () => {
  it('lives in a key stack of its own, retained and protected, which the client stack depends on', () => {
    const key = Template.fromStack(built.keys.get('alpha')!);
    const secrets = Object.values(key.findResources('AWS::SecretsManager::Secret')) as { Properties: Json; DeletionPolicy: string; UpdateReplacePolicy: string }[];
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { Name: 'cspulse/alpha/pii-key' } });
    expect(built.keys.get('alpha')!.terminationProtection).toBe(true);
    // destroying and redeploying the client stack never touches the secret
    expect(Object.keys(alpha.findResources('AWS::SecretsManager::Secret'))).toEqual([]);
    expect(built.clients.get('alpha')!.dependencies.map((d) => d.stackName).sort()).toEqual(['CsPulse-Data', 'CsPulse-Key-alpha']);
  });
});

describe('stack outputs', () => {
  it('name every resource the deploy guide tells people to use', () => {
    expect(Object.keys(alpha.toJSON().Outputs as Json).sort()).toEqual([
      'CollectorFunctionName',
      'ConfigurationSetName',
      'FailedDeliveriesQueueUrl',
      'IngestDeadLetterQueueUrl',
      'IngestFunctionName',
      'IngestQueueUrl',
      'ReportFunctionName',
      'Sender',
      'WorkGroupName',
    ]);
    expect(Object.keys(data.toJSON().Outputs as Json).filter((k) => !k.startsWith('ExportsOutput')).sort()).toEqual([
      'AlarmsTopicArn',
      'AnalystWorkGroupName',
      'AthenaResultsBucketName',
      'GlueDatabaseName',
      'LakeBucketName',
      'QuarantineBucketName',
      'RawBucketName',
    ]);
    // beta has no pulled source, so no collector and no collector output
    expect(Object.keys(beta.toJSON().Outputs as Json)).not.toContain('CollectorFunctionName');
    data.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'cspulse-analysts',
      WorkGroupConfiguration: { EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' } },
    });
  });

  it('are what docs/deploy.md queries by name', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    // the guide reads outputs with its `output <stack> <OutputKey>` helper
    const used = [...guide.matchAll(/\boutput (CsPulse-[A-Za-z<>-]+) ([A-Za-z]+)/g)].map((m) => m[2]!);
    expect(used.length).toBeGreaterThan(3);
    const outputs = new Set([...Object.keys(alpha.toJSON().Outputs as Json), ...Object.keys(data.toJSON().Outputs as Json)]);
    for (const name of used) expect(outputs.has(name), name).toBe(true);
  });

  it('invoke functions in docs/deploy.md as AWS CLI v2 needs: raw JSON payloads, a read timeout past 60 s', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    // commands may continue over lines ending in a backslash
    const invokes = [...guide.replace(/\\\n\s*/g, ' ').matchAll(/aws lambda invoke[^\n`]*/g)].map((m) => m[0]);
    const withPayload = invokes.filter((c) => c.includes('--payload'));
    expect(withPayload.length).toBeGreaterThanOrEqual(3);
    for (const command of withPayload) {
      // CLI v2 reads --payload as base64 unless told otherwise
      expect(command).toContain('--cli-binary-format raw-in-base64-out');
      // the CLI gives up on a socket after 60 s and retries, invoking the function a second time
      expect(command).toMatch(/--cli-read-timeout (0|900)\b/);
    }
  });
});

describe('report concurrency from the deployment context', () => {
  it('reserves what -c cspulse:reportReservedConcurrency asks for and refuses anything but a whole number', async () => {
    const dir = await writeConfigs({ 'beta.yaml': BETA_YAML });
    try {
      const entries = { report: FIXTURE_HANDLER };
      const env = { account: '123456789012', region: 'ap-northeast-2' };
      const reserved = await buildApp({ configDir: dir, env, entries, nag: false, app: new App({ context: { [REPORT_CONCURRENCY_CONTEXT]: '2' } }) });
      Template.fromStack(reserved.clients.get('beta')!).hasResourceProperties('AWS::Lambda::Function', {
        Description: 'cspulse report for beta',
        ReservedConcurrentExecutions: 2,
      });
      await expect(
        buildApp({ configDir: dir, env, entries, nag: false, app: new App({ context: { [REPORT_CONCURRENCY_CONTEXT]: 'one' } }) }),
      ).rejects.toThrow('context cspulse:reportReservedConcurrency must be a whole number from 1, not "one"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy-time warnings', () => {
  it('warns about a run in the hour clocks skip and about a sender SES cannot verify', async () => {
    // 02:20 + 11 min stagger = 02:31 New York time, which does not exist on the second Sunday of March
    const dir = await writeConfigs({ 'beta.yaml': BETA_YAML.replace('"07:30"', '"02:20"') });
    try {
      const app = await buildApp({ configDir: dir, env: { account: '123456789012', region: 'ap-northeast-2' }, entries: { report: FIXTURE_HANDLER }, nag: false });
      const annotations = Annotations.fromStack(app.clients.get('beta')!);
      annotations.hasWarning('*', Match.stringLikeRegexp('reports.send_at: the first report run at 02:31 does not exist in America/New_York on \\d{4}-03-\\d{2}'));
      annotations.hasWarning('*', Match.stringLikeRegexp('reports go out from reports@cspulse.example.com, on a reserved domain SES cannot verify'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('client stack snapshot', () => {
  it('matches the committed template, asset hashes masked', () => {
    const text = JSON.stringify(alpha.toJSON(), null, 1)
      .replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>$1')
      .replace(/"cdk-[a-z0-9]+-assets-/g, '"cdk-<qualifier>-assets-');
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
