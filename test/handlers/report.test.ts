import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../functions/adapters/local/outbox-mailer.ts';
import { createReportHandler, ReportEventError, type ReportHandlerDeps } from '../../functions/handlers/report.ts';
import { coverageKeys } from '../../functions/core/ingest/coverage.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import type { PeriodKind } from '../../functions/core/kpis/kpi-result.ts';
import { periodContaining } from '../../functions/core/schedule/periods.ts';
import { MailerError } from '../../functions/core/ports.ts';
import { handlerLogger, handlerMetrics } from '../../functions/handlers/observability.ts';
import { config, coverageEntry, dailyDoc } from '../core/report/fixtures.ts';
import { captureOutput, type CapturedOutput } from './captured-output.ts';

let deps: ReportHandlerDeps;
let outbox: string;
let loads: string[];
let out: CapturedOutput;
let now: Date;
let lake: ObjectStore;
let asa: number;

beforeEach(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'cspulse-report-handler-'));
  lake = createFolderStore(path.join(root, 'lake'));
  outbox = path.join(root, 'outbox');
  loads = [];
  asa = 25;
  out = captureOutput();
  // every source delivered every day from 2026-02-01 to 2026-03-08
  for (let d = new Date('2026-02-01T00:00:00Z'); d <= new Date('2026-03-08T00:00:00Z'); d = new Date(d.getTime() + 86_400_000)) {
    const dt = d.toISOString().slice(0, 10);
    for (const source of ['cti', 'chat']) {
      // 10 rows a source-day: a month of them (620) stays within the 1,050 contacts the stub document counts,
      // so every report is consistent with its coverage (functions/core/schedule/lake-consistency.ts)
      const e = coverageEntry({ source, dt, rows: 10 });
      await lake.put(coverageKeys.entry('shop', dt, source, e.file_id), JSON.stringify(e));
    }
  }
  deps = {
    config: config(),
    lake,
    mailer: createOutboxMailer(outbox),
    clock: { now: () => now },
    loadKpis: async (_c, kind: PeriodKind, date: string) => {
      loads.push(`${kind}:${date}`);
      const period = periodContaining(kind, date);
      const doc = kind === 'daily' ? dailyDoc({ period }) : dailyDoc({ period, week_ago: null, week_ago_period: null });
      // the phone ASA, which the report shows on the phone card
      doc.current.by_channel.phone = { ...doc.current.by_channel.phone!, asa_seconds: asa };
      return doc;
    },
    logger: handlerLogger('report', 'shop'),
    metrics: handlerMetrics('report', 'shop'),
  };
});
afterEach(() => out.restore());

describe('report handler', () => {
  it('sends what is due for an empty scheduler payload, once', async () => {
    // Monday 2026-03-09 08:10 KST: yesterday's daily and last week's weekly are due
    now = new Date('2026-03-08T23:10:00Z');
    const handler = createReportHandler(deps);
    expect(await handler({})).toEqual({
      results: [
        { kind: 'daily', start: '2026-03-08', end: '2026-03-08', status: 'sent' },
        { kind: 'weekly', start: '2026-03-02', end: '2026-03-08', status: 'sent' },
      ],
    });
    expect(loads).toEqual(['daily:2026-03-08', 'weekly:2026-03-02']);
    expect(out.logs()[0]).toMatchObject({
      level: 'INFO',
      message: 'report',
      service: 'cspulse-report',
      client_id: 'shop',
      correlation_id: 'shop/daily/2026-03-08',
      status: 'sent',
      message_id: '<report.shop.daily.2026-03-08@cspulse.example.com>',
    });
    // the next tick of the schedule finds both in the delivery log
    expect((await handler(null)).results.map((r) => r.status)).toEqual(['skipped-already-sent', 'skipped-already-sent']);
    expect((await readdir(outbox)).filter((f) => f.endsWith('.eml')).sort()).toEqual(['shop-daily-2026-03-08.eml', 'shop-weekly-2026-03-02.eml']);
  });

  it('sends one given period for {kind, date}', async () => {
    now = new Date('2026-03-20T00:00:00Z');
    const result = await createReportHandler(deps)({ kind: 'monthly', date: '2026-02-14' });
    expect(result.results).toEqual([{ kind: 'monthly', start: '2026-02-01', end: '2026-02-28', status: 'sent' }]);
  });

  it('rejects a malformed payload with a named error', async () => {
    now = new Date('2026-03-20T00:00:00Z');
    const handler = createReportHandler(deps);
    await expect(handler({ kind: 'yearly' })).rejects.toBeInstanceOf(ReportEventError);
    await expect(handler({ date: '2026-13-01' })).rejects.toBeInstanceOf(ReportEventError);
    await expect(handler({ kind: 'daily', extra: 1 })).rejects.toBeInstanceOf(ReportEventError);
    expect(loads).toEqual([]);
  });

  it('is a no-op with a log line for a period that has not ended', async () => {
    // 2026-03-09 10:00 KST: the week of 3/9 has just begun
    now = new Date('2026-03-09T01:00:00Z');
    const result = await createReportHandler(deps)({ kind: 'weekly', date: '2026-03-10' });
    expect(result.results).toEqual([{ kind: 'weekly', start: '2026-03-09', end: '2026-03-15', status: 'not-ended' }]);
    expect(out.logs().filter((l) => l.message === 'report')).toEqual([
      expect.objectContaining({ level: 'INFO', correlation_id: 'shop/weekly/2026-03-10', start: '2026-03-09', end: '2026-03-15', status: 'not-ended', ends_at: '2026-03-15T15:00:00.000Z' }),
    ]);
    expect(loads).toEqual([]);
    expect(await lake.head('deliveries/client_id=shop/weekly/2026-03-09.claim')).toBeUndefined();
  });

  it('looks back at recent reports on each scheduled run and corrects one whose data changed', async () => {
    // Monday 3/9 08:10 KST: the daily of 3/8 and the weekly go out
    now = new Date('2026-03-08T23:10:00Z');
    const handler = createReportHandler(deps);
    await handler({});
    // a corrected CTI export of 3/8 arrives in the afternoon; ASA of that day was 40 s, not 25 s
    const fix = coverageEntry({ source: 'cti', dt: '2026-03-08', file_id: 'cti-fix', delivered_at: '2026-03-09T06:00:00.000Z' });
    await lake.put(coverageKeys.entry('shop', '2026-03-08', 'cti', 'cti-fix'), JSON.stringify(fix));
    asa = 40;
    // Tuesday 3/10 08:10 KST: the daily of 3/9 is due but nothing of 3/9 has arrived, so it waits; the look-back
    // finds that 3/8 and the week of 3/2 changed and corrects both
    now = new Date('2026-03-09T23:10:00Z');
    const result = await handler({});
    expect(result.results).toEqual([
      { kind: 'daily', start: '2026-03-09', end: '2026-03-09', status: 'deferred-not-fresh' },
      { kind: 'daily', start: '2026-03-08', end: '2026-03-08', status: 'sent-correction' },
      { kind: 'weekly', start: '2026-03-02', end: '2026-03-08', status: 'sent-correction' },
    ]);
    expect((await readdir(outbox)).filter((f) => f.endsWith('.eml')).sort()).toEqual([
      'shop-daily-2026-03-08-r1.eml',
      'shop-daily-2026-03-08.eml',
      'shop-weekly-2026-03-02-r1.eml',
      'shop-weekly-2026-03-02.eml',
    ]);
    // the next tick: nothing changed, and the look-back says nothing
    const before = out.logs().length;
    expect((await handler({})).results).toEqual([{ kind: 'daily', start: '2026-03-09', end: '2026-03-09', status: 'deferred-not-fresh' }]);
    expect(out.logs().slice(before).filter((l) => l.message === 'report').map((l) => l.status)).toEqual(['deferred-not-fresh']);
  });
});

describe('report metrics', () => {
  const counts = (emf: Record<string, unknown>) =>
    Object.fromEntries(
      ((emf._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!.Metrics).map((m) => [m.Name, emf[m.Name]]),
    );

  it('counts reports sent and then skipped, per client, one EMF document per invocation', async () => {
    now = new Date('2026-03-08T23:10:00Z');
    const handler = createReportHandler(deps);
    await handler({});
    await handler({});
    const [first, second, ...more] = out.emf();
    expect(more).toEqual([]);
    expect((first!._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics).toEqual([
      { Namespace: 'cspulse', Dimensions: [['service', 'client_id']], Metrics: [{ Name: 'ReportsSent', Unit: 'Count' }] },
    ]);
    // daily and weekly: two sent, then two found in the delivery log. EMF carries one value per report;
    // CloudWatch sums them (Sum = 2).
    expect(first).toMatchObject({ service: 'cspulse-report', client_id: 'shop' });
    expect(counts(first!)).toEqual({ ReportsSent: [1, 1] });
    expect(counts(second!)).toEqual({ ReportsSkipped: [1, 1] });
  });

  it('counts and logs a failed report, and still publishes what was counted before it', async () => {
    now = new Date('2026-03-20T00:00:00Z');
    const failing = createReportHandler({
      ...deps,
      mailer: { send: async () => Promise.reject(new MailerError('Maximum sending rate exceeded.', true)) },
    });
    await expect(failing({ kind: 'daily', date: '2026-03-08' })).rejects.toThrow('Maximum sending rate exceeded.');
    expect(counts(out.emf()[0]!)).toEqual({ ReportsFailed: 1 });
    expect(out.logs().find((l) => l.level === 'ERROR')).toMatchObject({
      message: 'report failed',
      client_id: 'shop',
      correlation_id: 'shop/daily/2026-03-08',
      kind: 'daily',
      date: '2026-03-08',
      error: { name: 'MailerError', message: 'Maximum sending rate exceeded.' },
    });
  });
});
