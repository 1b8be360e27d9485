import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../../functions/adapters/local/outbox-mailer.ts';
import { createSmtpMailer } from '../../../functions/adapters/local/smtp-mailer.ts';
import type { ClientConfig } from '../../../functions/core/config/client-config.ts';
import { coverageKeys, type CoverageEntry } from '../../../functions/core/ingest/coverage.ts';
import { ingestFile } from '../../../functions/core/ingest/ingest-file.ts';
import type { KpiDocument } from '../../../functions/core/kpis/kpi-result.ts';
import { MailerError, type ObjectStore } from '../../../functions/core/ports.ts';
import { deliveryKeys, readSent } from '../../../functions/core/schedule/delivery-log.ts';
import { DeliveryLogError, KpiPeriodMismatchError, PeriodNotEndedError } from '../../../functions/core/schedule/errors.ts';
import { periodContaining } from '../../../functions/core/schedule/periods.ts';
import { runReport, type RunReportDeps } from '../../../functions/core/schedule/run-report.ts';
import { noteKey } from '../../../functions/core/report/notes.ts';
import { writeAlertRecord, type AlertRecord, type AlertStreak } from '../../../functions/core/live/alert-log.ts';
import { config, coverageEntry, dailyDoc } from '../report/fixtures.ts';

const DAY = '2026-03-04';
const ref = { clientId: 'shop', kind: 'daily' as const, periodStart: DAY };

let root: string;
let lake: ObjectStore;
let outbox: string;
let now: Date;
let kpiLoads: string[];
/** what the lake says the phone service level of the day is; late data changes it */
let phoneSl: number;

async function deliver(entry: CoverageEntry) {
  await lake.put(coverageKeys.entry(entry.client_id, entry.dt, entry.source, entry.file_id), JSON.stringify(entry));
}

const deps = (overrides: Partial<RunReportDeps> = {}): RunReportDeps => ({
  loadKpis: async (_config, kind, date) => {
    kpiLoads.push(`${kind}:${date}`);
    const doc = dailyDoc({ period: periodContaining(kind, date) });
    doc.current.by_channel.phone!.service_level = phoneSl;
    doc.sla[0]!.actual = phoneSl;
    doc.sla[0]!.met = phoneSl >= 0.8;
    doc.sla[0]!.margin = phoneSl - 0.8;
    return doc;
  },
  lake,
  mailer: createOutboxMailer(outbox),
  clock: { now: () => now },
  ...overrides,
});

const emlFiles = async (dir = outbox) => (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
const subjectOf = async (file: string, dir = outbox) => (await simpleParser(await readFile(path.join(dir, file)))).subject;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cspulse-run-report-'));
  lake = createFolderStore(path.join(root, 'lake'));
  outbox = path.join(root, 'outbox');
  // 2026-03-05 08:05 KST, the morning after the report day
  now = new Date('2026-03-04T23:05:00Z');
  kpiLoads = [];
  phoneSl = 0.75;
  await deliver(coverageEntry({ source: 'cti', dt: DAY }));
});

describe('runReport', () => {
  it('sends once when two runs start at the same time, logs what it showed, and skips afterwards', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const results = await Promise.all([runReport(deps(), config(), 'daily', DAY), runReport(deps(), config(), 'daily', DAY)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe('sent');
    expect(['skipped-claimed', 'skipped-already-sent']).toContain(statuses[1]);
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04.eml']);
    expect(kpiLoads).toEqual(['daily:2026-03-04']);

    const sent = (await readSent(lake, ref))!;
    expect(sent).toMatchObject({
      status: 'sent',
      revision: 0,
      message_id: '<report.shop.daily.2026-03-04@cspulse.example.com>',
      provider_message_id: 'shop-daily-2026-03-04.eml',
      recipients: { to: ['cs-lead@example.com'], cc: ['ceo@example.com'] },
      incomplete: false,
      missing: [],
      sent_at: '2026-03-04T23:05:00.000Z',
      history: [],
    });
    // the fingerprint of what the first screen showed
    expect(sent.figures['sla:service_level:phone:>=0.8']).toBe(0.75);
    expect(sent.verdicts['sla:service_level:phone:>=0.8']).toBe('missed');
    expect(sent.coverage_digest).toMatch(/^[0-9a-f]{64}$/);
    const again = await runReport(deps(), config(), 'daily', DAY);
    expect(again).toMatchObject({ status: 'skipped-already-sent', rechecked: false });
    expect(await emlFiles()).toHaveLength(1);
    expect(kpiLoads).toHaveLength(1);
  });

  it('waits for a missing source-day until the deadline, then sends marked incomplete and names it', async () => {
    // chat delivered nothing for 3/4
    const early = await runReport(deps(), config(), 'daily', DAY);
    // deadline: 3/5 08:00 KST + 180 min = 02:00 UTC
    expect(early).toEqual({
      status: 'deferred-not-fresh',
      period: { kind: 'daily', start: DAY, end: DAY },
      lagging: [{ source: 'chat', missing: [DAY], pending: [] }],
      retryUntil: '2026-03-05T02:00:00.000Z',
    });
    expect(kpiLoads).toEqual([]);
    now = new Date('2026-03-05T02:00:00Z');
    const late = await runReport(deps(), config(), 'daily', DAY);
    expect(late).toMatchObject({ status: 'sent-incomplete', missing: [{ source: 'chat', dt: DAY }], subject: '[예시몰] 잠정: 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 | 일간 CS 리포트 · 2026년 3월 4일 (수) (데이터 미완료: 채팅 3/4)' });
  });

  it('refuses a period that has not ended, and claims nothing', async () => {
    // 2026-03-04 23:59 KST: the day is not over
    now = new Date('2026-03-04T14:59:00Z');
    const failure = await runReport(deps(), config(), 'daily', DAY, { ignoreDeadline: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PeriodNotEndedError);
    expect((failure as Error).message).toBe('the daily period 2026-03-04…2026-03-04 has not ended yet in Asia/Seoul (it ends at 2026-03-04T15:00:00.000Z); a report can only be sent for a period that is over');
    // a future week: nothing in the delivery log either
    await expect(runReport(deps(), config(), 'weekly', '2027-01-05')).rejects.toBeInstanceOf(PeriodNotEndedError);
    expect(await lake.head(deliveryKeys.claim(ref, 0))).toBeUndefined();
    expect(await lake.head(deliveryKeys.claim({ ...ref, kind: 'weekly', periodStart: '2027-01-04' }, 0))).toBeUndefined();
    expect(kpiLoads).toEqual([]);
    // and it does not stand in the way of the real report once the day is over
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    now = new Date('2026-03-04T23:05:00Z');
    expect((await runReport(deps(), config(), 'daily', DAY)).status).toBe('sent');
  });

  it('gives the claim back when the mailer failed before it had the message, so the next run sends at once', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    // nothing listens on port 1: a real connection refusal
    const failure = await runReport(deps({ mailer: createSmtpMailer('smtp://127.0.0.1:1') }), config(), 'daily', DAY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailerError);
    expect((failure as MailerError).retryable).toBe(true);
    expect((failure as MailerError).handedOver).toBe(false);
    expect((await runReport(deps(), config(), 'daily', DAY)).status).toBe('sent');
  });

  it('keeps the claim when the delivery log cannot be written after the send: no second copy, ever', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const broken: ObjectStore = {
      ...lake,
      get: (k) => lake.get(k),
      getStream: (k) => lake.getStream(k),
      head: (k) => lake.head(k),
      list: (p) => lake.list(p),
      delete: (k) => lake.delete(k),
      putIfAbsent: (k, b, o) => lake.putIfAbsent(k, b, o),
      put: async (k, b, o) => {
        if (k.endsWith('.sent.json')) throw new Error('S3 said 503 Slow Down');
        return lake.put(k, b, o);
      },
    };
    const failure = await runReport(deps({ lake: broken }), config(), 'daily', DAY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryLogError);
    expect((failure as Error).message).toContain('the report went out but the delivery log could not be written');
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04.eml']);
    // the log is healthy again, and a day passes: still no second copy
    now = new Date('2026-03-05T23:05:00Z');
    const next = await runReport(deps(), config(), 'daily', DAY);
    expect(next).toMatchObject({ status: 'skipped-in-doubt', holder: { sending: { message_ids: ['<report.shop.daily.2026-03-04@cspulse.example.com>'] } } });
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04.eml']);
    // an operator who checked the mailbox can send it again
    expect((await runReport(deps(), config(), 'daily', DAY, { force: true })).status).toBe('sent');
    expect(await emlFiles()).toHaveLength(2);
  });

  it('refuses a KPI document for another period and leaves nothing behind', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    await deliver(coverageEntry({ source: 'cti', dt: '2026-03-03' }));
    await deliver(coverageEntry({ source: 'chat', dt: '2026-03-03' }));
    const wrong = deps({ loadKpis: async () => dailyDoc() });
    const failure = await runReport(wrong, config(), 'daily', '2026-03-03').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KpiPeriodMismatchError);
    expect((failure as Error).message).toBe('the KPI document is for daily 2026-03-04…2026-03-04, the report is for daily 2026-03-03…2026-03-03');
    // the claim was released and nothing was logged as sent: the right document can still go out
    expect(await readSent(lake, { ...ref, periodStart: '2026-03-03' })).toBeUndefined();
    expect((await runReport(deps(), config(), 'daily', DAY)).status).toBe('sent');
  });

  it('sends the same report again only when forced', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    await runReport(deps(), config(), 'daily', DAY);
    const forced = await runReport(deps(), config(), 'daily', DAY, { force: true });
    expect(forced).toMatchObject({ status: 'sent', revision: 0, messageId: '<report.shop.daily.2026-03-04@cspulse.example.com>' });
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04-2.eml', 'shop-daily-2026-03-04.eml']);
    expect((await readSent(lake, ref))!.history).toHaveLength(1);
  });

  it('sends nothing to a client nobody there gets this kind of report for', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const ceoOnly = config({ recipients: { to: [{ address: 'ceo@example.com', kinds: ['monthly'] }] } });
    expect((await runReport(deps(), ceoOnly, 'daily', DAY)).status).toBe('skipped-no-recipients');
    expect(await emlFiles()).toEqual([]);
    expect(await readSent(lake, ref)).toBeUndefined();
  });

  it('sends one message per language of the recipients, logged together', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const mixed = config({ recipients: { to: ['cs-lead@example.com', { address: 'hq@example.com', locale: 'en' }] } });
    const result = await runReport(deps(), mixed, 'daily', DAY);
    expect(result).toMatchObject({ status: 'sent', messages: [{ recipients: ['cs-lead@example.com'] }, { recipients: ['hq@example.com'], subject: '[예시몰] 2 of 3 contract targets met · 900 answered · ₩5,000,000 a month (₩2,500 per contact) | Daily CS report · Wed 4 Mar 2026' }] });
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04-en.eml', 'shop-daily-2026-03-04.eml']);
    expect((await readSent(lake, ref))!.messages.map((m) => m.message_id)).toEqual([
      '<report.shop.daily.2026-03-04@cspulse.example.com>',
      '<report.shop.daily.2026-03-04.en@cspulse.example.com>',
    ]);
  });
});

describe('a day whose export arrived with every row quarantined', () => {
  it('goes out incomplete naming it, and tells the operator which field and why', async () => {
    // the CTI export of 3/4: 144 calls whose talk time is H:MM:SS where the source expects seconds
    const cfg = config({ recipients: { to: ['cs-lead@example.com'], operator: 'ops@cs-company.example' } });
    const rows = Array.from({ length: 144 }, (_, i) => `Q${i},phone,2026-03-04T${String(9 + (i % 9)).padStart(2, '0')}:00:00+09:00,answered,0:04:17`);
    await lake.delete(coverageKeys.entry('shop', DAY, 'cti', `cti-${DAY}`));
    const manifest = await ingestFile(
      {
        lake,
        quarantine: createFolderStore(path.join(root, 'quarantine')),
        customerKeySecret: 'test-secret-0123456789abcdef',
        openWorkspace: openDuckDbWorkspace,
        clock: { now: () => new Date('2026-03-04T15:30:00Z') },
        workDir: path.join(root, 'work'),
      },
      { config: cfg, sourceId: 'cti', file: 'cti_20260304.csv', deliveredAt: new Date('2026-03-04T15:30:00Z'), body: (async function* () {
        yield Buffer.from(`contact_id,channel,arrived_at,outcome,talk_seconds\n${rows.join('\n')}\n`);
      })() },
    );
    expect([manifest.rows_read, manifest.rows_written, manifest.rows_quarantined]).toEqual([144, 0, 144]);
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    // past the deadline (08:00 KST + 180 min): it waited for a readable redelivery, none came
    now = new Date('2026-03-05T02:00:00Z');
    const result = await runReport(deps(), cfg, 'daily', DAY);
    expect(result).toMatchObject({ status: 'sent-incomplete', missing: [{ source: 'cti', dt: DAY }], failedDataNotified: true });
    expect((result as { subject: string }).subject).toMatch(/\(데이터 미완료: 전화 3\/4 \(형식 오류 144건\)\)$/);
    const notices = (await emlFiles()).filter((f) => f.includes('failed'));
    expect(notices).toHaveLength(1);
    const notice = await simpleParser(await readFile(path.join(outbox, notices[0]!)));
    expect(notice.to).toMatchObject({ value: [{ address: 'ops@cs-company.example' }] });
    expect(notice.subject).toBe('[cspulse] 예시몰 일간 리포트: 반영하지 못한 데이터 전화 3/4 (형식 오류 144건) · 2026년 3월 4일 (수)');
    expect(notice.text).toContain('전화 (cti) 3/4: 반영 0행, 격리 144행');
    expect(notice.text).toMatch(/ {2}talk_seconds 144건: /);
  });
});

describe('a period without any data', () => {
  const withOperator = (overrides: Parameters<typeof config>[0] = {}): ClientConfig =>
    config({ recipients: { to: ['cs-lead@example.com'], operator: 'ops@cs-company.example' }, ...overrides });

  it('is not a report: the operator gets a notice instead, and the client report follows once data arrives', async () => {
    await lake.delete(coverageKeys.entry('shop', DAY, 'cti', `cti-${DAY}`));
    now = new Date('2026-03-05T02:00:00Z');
    const result = await runReport(deps(), withOperator(), 'daily', DAY);
    expect(result).toEqual({
      status: 'no-data',
      period: { kind: 'daily', start: DAY, end: DAY },
      notified: 'operator',
      missing: [{ source: 'cti', dt: DAY }, { source: 'chat', dt: DAY }],
      messageId: '<notice.shop.daily.2026-03-04@cspulse.example.com>',
    });
    expect(kpiLoads).toEqual([]);
    const [notice] = await emlFiles();
    const mail = await simpleParser(await readFile(path.join(outbox, notice!)));
    expect(mail.to).toMatchObject({ value: [{ address: 'ops@cs-company.example' }] });
    expect(mail.subject).toBe('[cspulse] 예시몰 일간 리포트 미발송: 데이터 없음 · 2026년 3월 4일 (수)');
    expect((await readSent(lake, ref))!).toMatchObject({ status: 'no-data', notified: 'operator' });
    // the same morning again: nothing new, nothing sent
    expect((await runReport(deps(), withOperator(), 'daily', DAY)).status).toBe('skipped-already-sent');

    // the exports arrive late; the next look sends the client its first report of the day
    await deliver(coverageEntry({ source: 'cti', dt: DAY, delivered_at: '2026-03-05T05:00:00.000Z' }));
    await deliver(coverageEntry({ source: 'chat', dt: DAY, delivered_at: '2026-03-05T05:00:00.000Z' }));
    now = new Date('2026-03-05T23:05:00Z');
    const report = await runReport(deps(), withOperator(), 'daily', DAY, { restateOnly: true });
    expect(report).toMatchObject({ status: 'sent', revision: 0, recipients: ['cs-lead@example.com'] });
    expect(await subjectOf('shop-daily-2026-03-04.eml')).toBe('[예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)');
  });

  it('can be skipped silently, or sent to the client saying there is no data', async () => {
    await lake.delete(coverageKeys.entry('shop', DAY, 'cti', `cti-${DAY}`));
    const skip = await runReport(deps(), withOperator({ reports: { when_no_data: 'skip' } }), 'daily', DAY, { ignoreDeadline: true });
    expect(skip).toMatchObject({ status: 'no-data', notified: 'nobody', messageId: null });
    expect(await emlFiles()).toEqual([]);

    const root2 = await mkdtemp(path.join(tmpdir(), 'cspulse-run-report-'));
    const send = await runReport(
      deps({ lake: createFolderStore(path.join(root2, 'lake')), mailer: createOutboxMailer(path.join(root2, 'out')) }),
      withOperator({ reports: { when_no_data: 'send' } }),
      'daily',
      DAY,
      { ignoreDeadline: true },
    );
    expect(send).toMatchObject({ status: 'no-data', notified: 'client' });
    expect(await subjectOf('shop-daily-2026-03-04.eml', path.join(root2, 'out'))).toBe('[예시몰] 일간 CS 리포트 · 2026년 3월 4일 (수) (데이터 없음)');
  });

  it('is what a report on a day after the last ingested file is, however late that file finished (issue: fooled freshness)', async () => {
    // Only the export of Feb 22 was ingested, finishing on Mar 2: before, any manifest that finished after a day
    // counted as coverage of that day, and the Mar 1 report went out "complete" with 0 contacts.
    const lake2 = createFolderStore(path.join(root, 'lake2'));
    const cfg = config({ sources: [{ id: 'cti', format: 'cspulse-csv', channel: 'phone' }], recipients: { to: ['cs-lead@example.com'], operator: 'ops@cs-company.example' } });
    await ingestFile(
      {
        lake: lake2,
        quarantine: createFolderStore(path.join(root, 'quarantine')),
        customerKeySecret: 'test-secret-0123456789abcdef',
        openWorkspace: openDuckDbWorkspace,
        clock: { now: () => new Date('2026-03-02T01:00:00Z') },
        workDir: path.join(root, 'work'),
      },
      { config: cfg, sourceId: 'cti', file: 'cti_20260222.csv', body: (async function* () {
        yield Buffer.from('contact_id,arrived_at,outcome\nA1,2026-02-22T10:00:00+09:00,answered\n');
      })() },
    );
    now = new Date('2026-03-02T03:00:00Z');
    const result = await runReport(deps({ lake: lake2 }), cfg, 'daily', '2026-03-01');
    expect(result).toMatchObject({ status: 'no-data', notified: 'operator', missing: [{ source: 'cti', dt: '2026-03-01' }] });
    expect(kpiLoads).toEqual([]);
  });
});

describe('the intraday alerts of the period', () => {
  const streak = (n: number, started: string, cleared: string | null, value: number, usual: number | null, target: number | null): AlertStreak => ({
    n,
    started_at: started,
    start: { value, usual, target, since: null, detail: 'intraday' },
    last_seen_at: cleared ?? started,
    cleared_at: cleared,
    clear: null,
    start_message: null,
    clear_message: null,
  });
  const record = (dt: string, kind: AlertRecord['kind'], subject: string, streaks: AlertStreak[]): AlertRecord => ({
    client_id: 'shop',
    dt,
    key: `${kind}:${subject}`,
    kind,
    subject,
    open: streaks.at(-1)!.cleared_at === null,
    streaks,
    updated_at: streaks.at(-1)!.last_seen_at,
  });

  it('lists each streak the ingest function recorded, with its hours, in the words of the live page', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    // 3/4 (KST): 배송 above its usual 10:45–13:00 and again from 15:30 to the day's end; the phone's last hour
    // under target 11:00–11:45. A record of 3/3 belongs to another report.
    await writeAlertRecord(lake, record(DAY, 'category', '배송', [
      streak(1, '2026-03-04T01:45:00.000Z', '2026-03-04T04:00:00.000Z', 119, 46.3, null),
      streak(2, '2026-03-04T06:30:00.000Z', null, 240, 101.25, null),
    ]));
    await writeAlertRecord(lake, record(DAY, 'service_level', 'phone', [streak(1, '2026-03-04T02:00:00.000Z', '2026-03-04T02:45:00.000Z', 0.62, 0.9, 0.8)]));
    await writeAlertRecord(lake, record('2026-03-03', 'abandons', 'phone', [streak(1, '2026-03-03T02:00:00.000Z', null, 9, 2, null)]));
    expect((await runReport(deps(), config(), 'daily', DAY)).status).toBe('sent');
    const mail = await simpleParser(await readFile(path.join(outbox, 'shop-daily-2026-03-04.eml')));
    const text = mail.text!;
    const section = text.slice(text.indexOf('■ 실시간 알림'), text.indexOf('■', text.indexOf('■ 실시간 알림') + 1));
    expect(section.trim().split('\n')).toEqual([
      '■ 실시간 알림',
      '- 10:45–13:00 배송 문의가 평소보다 많았습니다: 10:45까지 119건 (평소 같은 시각까지 46.3건)',
      '- 11:00–11:45 전화 최근 1시간 서비스 레벨 62.0% (목표 80.0%)',
      '- 15:30부터 (마감까지) 배송 문의가 평소보다 많았습니다: 15:30까지 240건 (평소 같은 시각까지 101.3건)',
    ]);
    expect(mail.html).toContain('11:00–11:45 전화 최근 1시간 서비스 레벨 62.0% (목표 80.0%)');
  });

  it('puts the day in front in a weekly report, and counts what it leaves out', async () => {
    // the fixture's document holds one day's contacts: the lake has that day's files (the week goes out incomplete)
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    for (const dt of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']) {
      const day = Number(dt.slice(-2));
      // two streaks a day, 12 in the week before the 8th
      await writeAlertRecord(lake, record(dt, 'abandons', 'phone', [
        streak(1, `${dt}T01:00:00.000Z`, `${dt}T02:00:00.000Z`, 8 + day, 3, null),
        streak(2, `${dt}T05:00:00.000Z`, `${dt}T05:30:00.000Z`, 9, 3, null),
      ]));
    }
    now = new Date('2026-03-08T23:05:00Z');
    expect((await runReport(deps(), config(), 'weekly', '2026-03-02', { ignoreDeadline: true })).status).toMatch(/^sent/);
    const [file] = (await emlFiles()).filter((f) => f.includes('weekly'));
    const text = (await simpleParser(await readFile(path.join(outbox, file!)))).text!;
    const lines = text.split('\n');
    const from = lines.indexOf('■ 실시간 알림');
    expect(lines.slice(from + 1, from + 13)).toEqual([
      '- 3/2 10:00–11:00 전화 최근 1시간 포기호 10건 (평소 3.0건)',
      '- 3/2 14:00–14:30 전화 최근 1시간 포기호 9건 (평소 3.0건)',
      '- 3/3 10:00–11:00 전화 최근 1시간 포기호 11건 (평소 3.0건)',
      '- 3/3 14:00–14:30 전화 최근 1시간 포기호 9건 (평소 3.0건)',
      '- 3/4 10:00–11:00 전화 최근 1시간 포기호 12건 (평소 3.0건)',
      '- 3/4 14:00–14:30 전화 최근 1시간 포기호 9건 (평소 3.0건)',
      '- 3/5 10:00–11:00 전화 최근 1시간 포기호 13건 (평소 3.0건)',
      '- 3/5 14:00–14:30 전화 최근 1시간 포기호 9건 (평소 3.0건)',
      '- 3/6 10:00–11:00 전화 최근 1시간 포기호 14건 (평소 3.0건)',
      '- 3/6 14:00–14:30 전화 최근 1시간 포기호 9건 (평소 3.0건)',
      '- 외 4건',
      '',
    ]);
  });
});

describe('restatement', () => {
  it('sends one correction when late data changes a figure the report showed, once per change', async () => {
    // sent at the deadline with chat but without the CTI (phone) export: phone verdicts provisional, SL 70 %
    await lake.delete(coverageKeys.entry('shop', DAY, 'cti', `cti-${DAY}`));
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    phoneSl = 0.7;
    now = new Date('2026-03-05T02:00:00Z');
    const notes = createFolderStore(path.join(root, 'clients'));
    await notes.put(noteKey('shop', 'daily', DAY), '3/4 택배사 파업으로 배송 문의가 몰렸습니다.\n');
    expect((await runReport(deps({ notes }), config(), 'daily', DAY)).status).toBe('sent-incomplete');
    expect((await readSent(lake, ref))!.verdicts).toMatchObject({ 'sla:service_level:phone:>=0.8': 'provisional', 'sla:abandon_rate:phone:<=0.05': 'provisional' });

    // the CTI export arrives late; the lake now gives 75 %
    await deliver(coverageEntry({ source: 'cti', dt: DAY, delivered_at: '2026-03-05T04:10:00.000Z' }));
    phoneSl = 0.75;
    now = new Date('2026-03-05T23:05:00Z');
    const corrected = await runReport(deps({ notes }), config(), 'daily', DAY, { restateOnly: true });
    expect(corrected).toMatchObject({
      status: 'sent-correction',
      revision: 1,
      messageId: '<report.shop.daily.2026-03-04.r1@cspulse.example.com>',
      subject: '[정정] [예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)',
    });
    const mail = await simpleParser(await readFile(path.join(outbox, 'shop-daily-2026-03-04-r1.eml')));
    expect(mail.text).toContain('- 전화 서비스 레벨 80/20: 70.0% → 75.0%');
    // the account manager's note of the period went out with the report and goes out with its correction
    const first = await simpleParser(await readFile(path.join(outbox, 'shop-daily-2026-03-04.eml')));
    expect(first.text).toContain('담당자 코멘트: 3/4 택배사 파업으로 배송 문의가 몰렸습니다.');
    expect(mail.text).toContain('담당자 코멘트: 3/4 택배사 파업으로 배송 문의가 몰렸습니다.');
    // provisional → met: the verdict is final now that the data is complete
    expect(mail.text).toContain('- 전화 포기율 판정: 잠정 → 달성');
    expect(mail.inReplyTo).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');
    const log = (await readSent(lake, ref))!;
    expect(log).toMatchObject({ revision: 1, status: 'sent', incomplete: false, history: [{ revision: 0, status: 'sent-incomplete' }] });
    expect(log.figures['sla:service_level:phone:>=0.8']).toBe(0.75);

    // nothing new: nothing sent
    expect((await runReport(deps(), config(), 'daily', DAY, { restateOnly: true })).status).toBe('skipped-already-sent');
    // one more late file that changes nothing the report showed: recomputed, not resent
    await deliver(coverageEntry({ source: 'chat', dt: DAY, file_id: 'chat-straggler', delivered_at: '2026-03-06T01:00:00.000Z' }));
    phoneSl = 0.752;
    expect(await runReport(deps(), config(), 'daily', DAY, { restateOnly: true })).toMatchObject({ status: 'skipped-already-sent', rechecked: true });
    expect(await runReport(deps(), config(), 'daily', DAY, { restateOnly: true })).toMatchObject({ status: 'skipped-already-sent', rechecked: false });
    expect(await emlFiles()).toEqual(['shop-daily-2026-03-04-r1.eml', 'shop-daily-2026-03-04.eml']);
    // a real change again: the second correction
    phoneSl = 0.82;
    await deliver(coverageEntry({ source: 'cti', dt: DAY, file_id: 'cti-second-fix', delivered_at: '2026-03-06T02:00:00.000Z' }));
    expect(await runReport(deps(), config(), 'daily', DAY, { restateOnly: true })).toMatchObject({ status: 'sent-correction', revision: 2 });
    expect(kpiLoads).toHaveLength(4);
  });
});

describe('a mailer that fails after it handed the message over', () => {
  let server: SMTPServer;
  let port: number;
  let received = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream) {
        // takes the whole message, then never answers: the client cannot know whether it was queued
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received++;
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(resolve, 200);
    });
  });

  it('leaves the claim in doubt: the retry the error invites sends nothing', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const silent = createSmtpMailer(`smtp://127.0.0.1:${port}`, { socketTimeoutMs: 500 });
    const failure = await runReport(deps({ mailer: silent }), config(), 'daily', DAY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailerError);
    expect((failure as MailerError).handedOver).toBe(true);
    expect((failure as MailerError).retryable).toBe(false);
    expect(received).toBe(1);
    const retry = await runReport(deps({ mailer: silent }), config(), 'daily', DAY);
    expect(retry.status).toBe('skipped-in-doubt');
    expect(received).toBe(1);
    expect(await readSent(lake, ref)).toBeUndefined();
  });
});

describe('a recipient the mail server refuses', () => {
  let server: SMTPServer;
  let port: number;
  const received: { to: string[]; subject: string }[] = [];
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address === 'ceo@example.com') callback(Object.assign(new Error('5.1.1 <ceo@example.com>: mailbox unavailable'), { responseCode: 550 }));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '' });
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is sent-partial: the refused recipient named, the log lists only who got it, and the operator is told', async () => {
    await deliver(coverageEntry({ source: 'chat', dt: DAY }));
    const smtp = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const cfg = config({ recipients: { to: ['cs-lead@example.com'], cc: ['ceo@example.com'], operator: 'ops@cspulse.example.com' } });
    const result = await runReport(deps({ mailer: smtp }), cfg, 'daily', DAY);
    expect(result).toMatchObject({
      status: 'sent-partial',
      refused: [{ address: 'ceo@example.com', reason: '550 5.1.1 <ceo@example.com>: mailbox unavailable' }],
      operatorNotified: true,
    });
    const sent = (await readSent(lake, ref))!;
    expect(sent.recipients).toEqual({ to: ['cs-lead@example.com'], cc: [] });
    expect(sent.messages[0]!.refused).toEqual([{ address: 'ceo@example.com', reason: '550 5.1.1 <ceo@example.com>: mailbox unavailable' }]);
    expect(received.map((r) => r.to)).toEqual([['cs-lead@example.com'], ['ops@cspulse.example.com']]);
    expect(received[1]!.subject).toBe('[cspulse] 예시몰 일간 리포트 일부 수신자 발송 실패 · 2026년 3월 4일 (수)');
    // delivered to the others and logged: a rerun does not send it again
    expect((await runReport(deps({ mailer: smtp }), cfg, 'daily', DAY)).status).toBe('skipped-already-sent');
    expect(received).toHaveLength(2);
  });
});
