import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../../functions/adapters/local/outbox-mailer.ts';
import { createSmtpMailer } from '../../../functions/adapters/local/smtp-mailer.ts';
import { lakeKeys, type IngestManifest } from '../../../functions/core/ingest/manifest.ts';
import { MailerError, type ObjectStore } from '../../../functions/core/ports.ts';
import { readSent } from '../../../functions/core/schedule/delivery-log.ts';
import { KpiPeriodMismatchError } from '../../../functions/core/schedule/errors.ts';
import { runReport, type RunReportDeps } from '../../../functions/core/schedule/run-report.ts';
import { config, dailyDoc, manifest } from '../report/fixtures.ts';

const cfg = config();
const part = (dt: string) => ({ dt, rows: 10, excluded: 0, object_key: `k/${dt}` });

let lake: ObjectStore;
let outbox: string;
let now: Date;
let kpiLoads: string[];

async function putManifest(m: IngestManifest) {
  await lake.put(lakeKeys.manifest(m.client_id, m.source, m.file_id), JSON.stringify(m));
}

const deps = (mailer = createOutboxMailer(outbox)): RunReportDeps => ({
  loadKpis: async (_config, kind, date) => {
    kpiLoads.push(`${kind}:${date}`);
    return dailyDoc();
  },
  lake,
  mailer,
  clock: { now: () => now },
});

beforeEach(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cspulse-run-report-'));
  lake = createFolderStore(path.join(root, 'lake'));
  outbox = path.join(root, 'outbox');
  // 2026-03-05 08:05 KST
  now = new Date('2026-03-04T23:05:00Z');
  kpiLoads = [];
  await putManifest(manifest({ source: 'cti', file_id: 'a', partitions: [part('2026-03-04')] }));
});

describe('runReport', () => {
  it('sends once when two runs start at the same time, and skips afterwards', async () => {
    await putManifest(manifest({ source: 'chat', file_id: 'b', partitions: [part('2026-03-04')] }));
    const results = await Promise.all([runReport(deps(), cfg, 'daily', '2026-03-04'), runReport(deps(), cfg, 'daily', '2026-03-04')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe('sent');
    expect(['skipped-claimed', 'skipped-already-sent']).toContain(statuses[1]);
    expect((await readdir(outbox)).sort()).toEqual(['shop-daily-2026-03-04.eml', 'shop-daily-2026-03-04.html']);
    expect(kpiLoads).toEqual(['daily:2026-03-04']);

    const sent = await readSent(lake, { clientId: 'shop', kind: 'daily', periodStart: '2026-03-04' });
    expect(sent).toMatchObject({
      message_id: '<report.shop.daily.2026-03-04@cspulse.example.com>',
      provider_message_id: 'shop-daily-2026-03-04.eml',
      recipients: { to: ['cs-lead@example.com'], cc: ['ceo@example.com'] },
      incomplete: false,
      sent_at: '2026-03-04T23:05:00.000Z',
    });
    const again = await runReport(deps(), cfg, 'daily', '2026-03-04');
    expect(again.status).toBe('skipped-already-sent');
    expect((await readdir(outbox)).length).toBe(2);
  });

  it('waits for a lagging source until the deadline, then sends marked incomplete', async () => {
    // chat delivered only through 3/3
    await putManifest(manifest({ source: 'chat', file_id: 'b', finished_at: '2026-03-04T01:00:00.000Z', partitions: [part('2026-03-03')] }));
    const early = await runReport(deps(), cfg, 'daily', '2026-03-04');
    // deadline: 3/5 08:00 KST + 180 min = 02:00 UTC
    expect(early).toEqual({
      status: 'deferred-not-fresh',
      period: { kind: 'daily', start: '2026-03-04', end: '2026-03-04' },
      lagging: [{ source: 'chat', through: '2026-03-03' }],
      retryUntil: '2026-03-05T02:00:00.000Z',
    });
    expect(kpiLoads).toEqual([]);
    now = new Date('2026-03-05T02:00:00Z');
    const late = await runReport(deps(), cfg, 'daily', '2026-03-04');
    expect(late).toMatchObject({ status: 'sent-incomplete', subject: '[예시몰] 일간 CS 리포트 · 2026년 3월 4일 (수) (데이터 미완료)' });
  });

  it('releases the claim when sending fails, so the next run sends at once', async () => {
    await putManifest(manifest({ source: 'chat', file_id: 'b', partitions: [part('2026-03-04')] }));
    // nothing listens on port 1: a real connection refusal
    const refused = createSmtpMailer('smtp://127.0.0.1:1');
    const failure = await runReport(deps(refused), cfg, 'daily', '2026-03-04').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailerError);
    expect((failure as MailerError).retryable).toBe(true);
    const retry = await runReport(deps(), cfg, 'daily', '2026-03-04');
    expect(retry.status).toBe('sent');
  });

  it('refuses a KPI document for another period', async () => {
    await putManifest(manifest({ source: 'chat', file_id: 'b', partitions: [part('2026-03-04')] }));
    const failure = await runReport(deps(), cfg, 'daily', '2026-03-03', { ignoreDeadline: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KpiPeriodMismatchError);
    expect((failure as Error).message).toBe('the KPI document is for daily 2026-03-04…2026-03-04, the report is for daily 2026-03-03…2026-03-03');
    // the claim was released and nothing was logged as sent: the right document can still go out
    expect(await readSent(lake, { clientId: 'shop', kind: 'daily', periodStart: '2026-03-03' })).toBeUndefined();
    expect((await runReport(deps(), cfg, 'daily', '2026-03-04')).status).toBe('sent');
  });

  it('sends again only when forced', async () => {
    await putManifest(manifest({ source: 'chat', file_id: 'b', partitions: [part('2026-03-04')] }));
    await runReport(deps(), cfg, 'daily', '2026-03-04');
    const forced = await runReport(deps(), cfg, 'daily', '2026-03-04', { force: true });
    expect(forced.status).toBe('sent');
    expect((await readdir(outbox)).sort()).toEqual([
      'shop-daily-2026-03-04-2.eml',
      'shop-daily-2026-03-04-2.html',
      'shop-daily-2026-03-04.eml',
      'shop-daily-2026-03-04.html',
    ]);
  });
});
