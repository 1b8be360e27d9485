/**
 * The ingest and report roles exactly as the client stack synthesizes them, enforced on S3 calls: s3rver sits
 * behind a proxy that authorizes every request against the role's IAM statements and answers a missing key
 * with 403 where S3 would (the roles' ListBucket carries an s3:prefix condition, so a GET or HEAD of a missing
 * key is AccessDenied, not NoSuchKey). Ingest and the report delivery log then run through the real S3 adapter.
 * A prefix or action the code needs and the stack does not grant fails here, as it would on AWS.
 */
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createS3Store } from '../../functions/adapters/aws/s3-store.ts';
import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../functions/core/ingest/ingest-file.ts';
import { claimDelivery, markSending, readSent, releaseClaim, writeSent, type DeliveryRef, type SentRecord } from '../../functions/core/schedule/delivery-log.ts';
import { buildApp } from '../../infra/build-app.ts';
import { startIamProxy, type IamProxy, type ProxiedRequest, type S3PolicyStatement } from '../adapters/aws/iam-proxy.ts';
import { startS3rver, type RunningS3rver } from '../adapters/aws/s3rver-server.ts';

const FIXTURE_HANDLER = join(import.meta.dirname, 'fixtures', 'handler.ts');
const CLIENT = 'anonymous-bank';
/** s3rver bucket per data-stack bucket, by the logical id CloudFormation exports it under */
const BUCKETS = { Raw: 'raw', Lake: 'lake', Quarantine: 'quarantine', AthenaResults: 'athena-results' } as const;

const BANK_HEADER =
  'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n';
// two calls on 1 Feb 1999 (Asia/Jerusalem): one answered by DORIT, one hung up in the queue
const BANK_ROWS =
  'AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\r\n' +
  'AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n';

type Json = Record<string, unknown>;
interface CfnStatement {
  Action: string | string[];
  Resource: unknown;
  Condition?: { StringLike?: { 's3:prefix'?: string | string[] } };
}
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** An ARN the proxy understands: the data stack's bucket imports become `arn:aws:s3:::<s3rver bucket>`. */
function s3Arn(resource: unknown): string | undefined {
  const part = (r: unknown): string => {
    if (typeof r === 'string') return r;
    const o = r as Json;
    if (o['Fn::Join']) return ((o['Fn::Join'] as [string, unknown[]])[1]).map(part).join('');
    if (o['Fn::ImportValue']) {
      const match = /ExportsOutputFnGetAtt(Raw|Lake|Quarantine|AthenaResults)[0-9A-F]{8}Arn/.exec(o['Fn::ImportValue'] as string);
      return match ? `arn:aws:s3:::${BUCKETS[match[1] as keyof typeof BUCKETS]}` : '<other import>';
    }
    return '<unresolved>';
  };
  const text = part(resource);
  return text.startsWith('arn:aws:s3:::') ? text : undefined;
}

/** The S3 statements of the role whose logical id starts with `rolePrefix`, as the proxy's policy. */
function s3PolicyOf(template: Template, rolePrefix: string): S3PolicyStatement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: CfnStatement[] } };
  }[];
  const mine = policies.filter((p) => p.Properties.Roles.some((r) => r.Ref.startsWith(rolePrefix)));
  expect(mine.length, rolePrefix).toBeGreaterThan(0);
  const out: S3PolicyStatement[] = [];
  for (const statement of mine.flatMap((p) => p.Properties.PolicyDocument.Statement)) {
    const actions = asArray(statement.Action).filter((a) => a.startsWith('s3:'));
    const resources = asArray(statement.Resource).map(s3Arn).filter((r): r is string => r !== undefined);
    if (actions.length === 0 || resources.length === 0) continue;
    const prefixes = statement.Condition?.StringLike?.['s3:prefix'];
    out.push({ actions, resources, ...(prefixes === undefined ? {} : { prefixes: asArray(prefixes) }) });
  }
  return out;
}

/**
 * Every 403 the role met must be S3 hiding a missing key, settled by the store's exact-key listing after it
 * (not always the next request: ingest sends independent reads at once): any other 403 is a grant the stack lacks.
 */
function deniedBeyondMissingKeys(requests: readonly ProxiedRequest[]): ProxiedRequest[] {
  return requests.filter((r, i) => {
    if (r.status !== 403) return false;
    const settled =
      r.action === 's3:GetObject' &&
      requests.slice(i + 1).some((next) => next.action === 's3:ListBucket' && next.prefix === r.key && next.status === 200);
    return !settled;
  });
}

let configDir: string;
let work: string;
let s3: RunningS3rver;
let ingestProxy: IamProxy;
let reportProxy: IamProxy;
let config: ClientConfig;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'cspulse-roles-'));
  await copyFile(join('test/fixtures/clients', `${CLIENT}.yaml`), join(configDir, `${CLIENT}.yaml`));
  const built = await buildApp({
    configDir,
    env: { account: '123456789012', region: 'ap-northeast-2' },
    entries: { ingest: FIXTURE_HANDLER, report: FIXTURE_HANDLER },
    nag: false,
  });
  const stack = built.clients.get(CLIENT)!;
  config = built.configs.find((c) => c.id === CLIENT)!;
  const template = Template.fromStack(stack);

  s3 = await startS3rver(BUCKETS.Raw, [BUCKETS.Lake, BUCKETS.Quarantine, BUCKETS.AthenaResults]);
  ingestProxy = await startIamProxy(s3.endpoint, s3PolicyOf(template, 'IngestRole'));
  reportProxy = await startIamProxy(s3.endpoint, s3PolicyOf(template, 'ReportRole'));
  work = await mkdtemp(join(tmpdir(), 'cspulse-roles-work-'));
}, 120_000);

afterAll(async () => {
  await ingestProxy?.stop();
  await reportProxy?.stop();
  await s3?.stop();
  await rm(configDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('the ingest role on S3', () => {
  it('ingests, deduplicates across deliveries and records a rejection, with every missing key a 403', async () => {
    const deps: IngestDeps = {
      lake: createS3Store({ client: ingestProxy.client, bucket: BUCKETS.Lake }),
      quarantine: createS3Store({ client: ingestProxy.client, bucket: BUCKETS.Quarantine }),
      customerKeySecret: 'roles-on-s3-test-key-000000', openWorkspace: openDuckDbWorkspace,
      clock: { now: () => new Date('2026-03-02T00:00:00Z') },
      workDir: work,
    };
    const raw = createS3Store({ client: ingestProxy.client, bucket: BUCKETS.Raw });
    // uploads come from the client, not from the ingest role
    const upload = createS3Store({ client: s3.client, bucket: BUCKETS.Raw });
    const ingest = async (name: string, text: string) => {
      const file = `client_id=${CLIENT}/calls/${name}`;
      await upload.put(file, text);
      return ingestFile(deps, { config, sourceId: 'calls', file, body: await raw.getStream(file), deliveredAt: new Date('2026-03-01T23:00:00Z') });
    };

    const first = await ingest('feb01.tsv', BANK_HEADER + BANK_ROWS);
    expect(first).toMatchObject({ status: 'ok', rows_read: 2, rows_written: 2, rows_quarantined: 0 });
    // the same two calls delivered again under another name add no contact to 1999-02-01
    const again = await ingest('feb01-resent.tsv', BANK_HEADER + BANK_ROWS);
    expect(again.status).toBe('ok');
    expect(again.rows_read).toBe(2);
    // (the newer delivery's copies replace the older ones: written, but each in place of one already there)
    expect(again).toMatchObject({ rows_written: 2, rows_replaced: 2 });
    // re-ingesting the first file reads its earlier manifest (it exists: 200) and replaces its objects
    expect(await ingest('feb01.tsv', BANK_HEADER + BANK_ROWS)).toMatchObject({ status: 'ok', rows_read: 2 });
    const rejected = await ingest('wrong.tsv', 'a\tb\r\n1\t2\r\n');
    expect(rejected.status).toBe('rejected');

    // the path this test exists for was taken: S3 hid missing keys behind 403 and the store listed instead
    expect(ingestProxy.requests.some((r) => r.action === 's3:GetObject' && r.status === 403)).toBe(true);
    expect(deniedBeyondMissingKeys(ingestProxy.requests)).toEqual([]);
  });
});

describe('the report role on S3: the delivery log', () => {
  it('claims once, reads "not sent" from a 403, writes and reads the sent record, releases a claim', async () => {
    const lake = createS3Store({ client: reportProxy.client, bucket: BUCKETS.Lake });
    const ref: DeliveryRef = { clientId: CLIENT, kind: 'daily', periodStart: '1999-02-01' };
    const now = new Date('2026-03-02T06:00:00Z');

    expect(await readSent(lake, ref)).toBeUndefined();
    const claim = await claimDelivery(lake, ref, 'run-a', now);
    expect(claim.ok).toBe(true);
    const second = await claimDelivery(lake, ref, 'run-b', now);
    expect(second).toMatchObject({ ok: false, holder: { owner: 'run-a', generation: 0 } });
    // the claim is marked "sending" before the mailer is called: an overwrite of its own claim
    if (!claim.ok) throw new Error('claim failed');
    await markSending(lake, claim, ['<daily.1999-02-01.anonymous-bank@bank.example>'], now);
    expect(await claimDelivery(lake, ref, 'run-b', now)).toMatchObject({ ok: false, inDoubt: true });

    const record: SentRecord = {
      client_id: CLIENT,
      kind: 'daily',
      period_start: '1999-02-01',
      period_end: '1999-02-01',
      message_id: '<daily.1999-02-01.anonymous-bank@bank.example>',
      provider_message_id: '0100018e-test',
      recipients: { to: ['ops@bank.example'], cc: [] },
      subject: 'daily report',
      revision: 0,
      status: 'sent',
      notified: 'client',
      messages: [
        {
          message_id: '<daily.1999-02-01.anonymous-bank@bank.example>',
          provider_message_id: '0100018e-test',
          locale: 'ko',
          recipients: { to: ['ops@bank.example'], cc: [] },
          subject: 'daily report',
        },
      ],
      incomplete: false,
      missing: [],
      figures: { 'kpi:offered': 31 },
      verdicts: {},
      coverage_digest: 'a'.repeat(64),
      sent_at: now.toISOString(),
      claim_owner: 'run-a',
      history: [],
    };
    await writeSent(lake, ref, record);
    expect(await readSent(lake, ref)).toEqual(record);

    // a claim given back after a failed send is deleted, so the next run may claim at once
    const other: DeliveryRef = { ...ref, kind: 'weekly' };
    const weekly = await claimDelivery(lake, other, 'run-c', now);
    if (!weekly.ok) throw new Error('weekly claim failed');
    await releaseClaim(lake, weekly);
    expect(await claimDelivery(lake, other, 'run-d', now)).toMatchObject({ ok: true, record: { owner: 'run-d', generation: 0 } });

    expect(reportProxy.requests.some((r) => r.action === 's3:GetObject' && r.status === 403)).toBe(true);
    expect(deniedBeyondMissingKeys(reportProxy.requests)).toEqual([]);
  });
});
