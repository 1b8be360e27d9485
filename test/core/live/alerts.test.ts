/**
 * Intraday alert streaks: one message when a streak starts, silence while it lasts, one when it clears, and a
 * new streak after that. Worked by hand on the lake of live-fixture.ts with phone's service-level target 80 %,
 * margin 5 pp (so an hour under 75 % is on) and hours of at least 5 offered judged:
 *
 *   11:00  last hour 10:01–11:01: t4 ✓ t5 abandoned t6 ✗ t7 ✓ t8 ✓ → 3/5 = 60 %          on   → start, streak 1
 *   11:05  10:06–11:06: t4 t5 t6 t7 t8 and t9 (11:05, 2 s ✓) → 4/6 = 66.7 %                 on   → (silent)
 *   11:20  + four calls 11:10–11:18 answered in 5 s; 10:21–11:21: t5 t6 t7 t8 t9 + 4 → 7/9 = 77.8 %  off  → clear
 *   11:55  + five calls 11:30–11:50 abandoned after 60 s; 10:56–11:56: t7 t8 t9 + 4 ✓, 5 ✗ → 7/12 = 58.3 %  on → start, streak 2
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { createOutboxMailer } from '../../../functions/adapters/local/outbox-mailer.ts';
import type { ClientConfig } from '../../../functions/core/config/client-config.ts';
import { alertKeys, nextAlertRecord, readAlertRecord, type AlertRecord } from '../../../functions/core/live/alert-log.ts';
import type { Condition } from '../../../functions/core/live/conditions.ts';
import { runLiveAlerts, type LiveAlertDeps } from '../../../functions/core/live/run-alerts.ts';
import { MailerError, type Mailer, type ObjectStore } from '../../../functions/core/ports.ts';
import { readSqlFile } from '../../../functions/core/sql/sql-catalog.ts';
import { contact, writeLakeTable } from '../kpis/lake-fixture.ts';
import { CLIENT, config as configOf, configInput, kst, liveLake } from './live-fixture.ts';

const T = '2026-03-31';
const phoneOnly = (): ClientConfig =>
  configOf({
    ...configInput,
    sources: [{ id: 'cti', format: 'cspulse-csv', channel: 'phone' }],
    calendar: [{ effective_from: '2026-01-01', phone: { days: 'mon-fri', hours: '09:00-18:00' }, closed: [{ date: '2026-03-10', channels: ['phone'] }] }],
    live: { alerts: { min_offered: 5, categories: false, abandons: false } },
  });

const call = (id: string, at: string, wait: number, outcome: 'answered' | 'abandoned' = 'answered') => ({
  client_id: CLIENT,
  dt: T,
  row: contact({ contact_id: id, arrived_at: kst(T, at), local_hour: Number(at.slice(0, 2)), wait_seconds: wait, outcome, source: 'cti', category: '배송' }),
});

describe('an alert record, one judgement at a time', () => {
  const cond = (state: Condition['state'], value: number | null): Condition => ({ key: 'service_level:phone', kind: 'service_level', subject: 'phone', state, value, usual: null, target: 0.8, since: null, detail: null });
  it('starts, repeats silently, ignores what cannot be judged, clears, and starts again', () => {
    const steps: [Condition['state'], number | null, string][] = [
      ['off', 0.9, '09:00'],
      ['on', 0.6, '10:00'],
      ['on', 0.5, '10:05'],
      ['unknown', null, '10:10'],
      ['off', 0.85, '10:15'],
      ['off', 0.9, '10:20'],
      ['on', 0.7, '10:25'],
    ];
    let record: AlertRecord | undefined;
    const events: (string | null)[] = [];
    for (const [state, value, at] of steps) {
      const next = nextAlertRecord(record, cond(state, value), CLIENT, T, `${T}T${at}:00Z`);
      record = next.record;
      events.push(next.event);
    }
    expect(events).toEqual([null, 'start', null, null, 'clear', null, 'start']);
    expect(record!.open).toBe(true);
    expect(record!.streaks.map((s) => [s.n, s.started_at.slice(11, 16), s.last_seen_at.slice(11, 16), s.cleared_at?.slice(11, 16) ?? null, s.start.value, s.clear?.value ?? null])).toEqual([
      [1, '10:00', '10:05', '10:15', 0.6, 0.85],
      [2, '10:25', '10:25', null, 0.7, null],
    ]);
  });
});

describe('intraday alerts on the lake, evaluated after each ingest', () => {
  let lake: string;
  let outbox: string;
  let engine: DuckDbEngine;
  let store: ObjectStore;
  let intradaySql: string;
  const deps = (now: Date, mailer?: Mailer): LiveAlertDeps => ({
    engine,
    intradaySql,
    lake: store,
    mailer: mailer ?? createOutboxMailer(outbox),
    clock: { now: () => now },
    link: async () => 'https://live.example.test/live/livemall?e=1&s=x',
  });
  const mails = async () => (await readdir(outbox).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();

  beforeAll(async () => {
    lake = await liveLake();
    outbox = await mkdtemp(join(tmpdir(), 'cspulse-alerts-'));
    engine = await createDuckDbEngine({ lakeRoot: lake });
    store = createFolderStore(lake);
    intradaySql = await readSqlFile('live/intraday');
  });
  afterAll(async () => engine.close());

  it('11:00: the service level starts a streak, and two evaluations at once send its message once', async () => {
    const at = kst(T, '11:00:30');
    const [a, b] = await Promise.all([runLiveAlerts(deps(at), phoneOnly()), runLiveAlerts(deps(at), phoneOnly())]);
    expect([...a.started, ...b.started]).toContain('service_level:phone');
    expect([...a.sent, ...b.sent].map((s) => [s.key, s.event, s.streak])).toEqual([['service_level:phone', 'start', 1]]);
    expect(await mails()).toEqual(['livemall-2026-03-31-service_level-phone-1-start.eml']);
    const eml = await readFile(join(outbox, 'livemall-2026-03-31-service_level-phone-1-start.eml'), 'utf8');
    expect(eml).toContain('To: ops@example.com');
    expect(eml).toMatch(/Subject: =\?UTF-8\?/);
    const record = await readAlertRecord(store, alertKeys.record(CLIENT, T, 'service_level-phone'));
    expect(record).toMatchObject({ open: true, streaks: [{ n: 1, started_at: '2026-03-31T02:00:00Z', start: { value: 0.6, target: 0.8 } }] });
    expect(record!.streaks[0]!.start_message).toMatchObject({ recipients: ['ops@example.com'] });
  });

  it('11:05: still under (4/6) — no second message', async () => {
    const r = await runLiveAlerts(deps(kst(T, '11:05:30')), phoneOnly());
    expect(r).toMatchObject({ started: [], cleared: [], sent: [] });
    expect(await mails()).toHaveLength(1);
    const record = await readAlertRecord(store, alertKeys.record(CLIENT, T, 'service_level-phone'));
    expect(record!.streaks[0]!.last_seen_at).toBe('2026-03-31T02:05:00Z');
  });

  it('11:20: four quick answers bring the hour to 7/9 — it clears, once', async () => {
    await writeLakeTable(lake, 'contacts', [call('q1', '11:10:00', 5), call('q2', '11:12:00', 5), call('q3', '11:15:00', 5), call('q4', '11:18:00', 5)], 'quick--{i}');
    const r = await runLiveAlerts(deps(kst(T, '11:20:30')), phoneOnly());
    expect(r.cleared).toEqual(['service_level:phone']);
    expect(r.sent.map((s) => [s.event, s.streak])).toEqual([['clear', 1]]);
    const record = await readAlertRecord(store, alertKeys.record(CLIENT, T, 'service_level-phone'));
    expect(record!.open).toBe(false);
    expect(record!.streaks[0]!.clear!.value).toBeCloseTo(7 / 9, 12);
    expect(await runLiveAlerts(deps(kst(T, '11:21:30')), phoneOnly())).toMatchObject({ sent: [], cleared: [] });
    expect(await mails()).toHaveLength(2);
  });

  it('11:55: five abandons bring it to 7/12 — a second streak starts with its own message', async () => {
    const abandons = ['11:30:00', '11:35:00', '11:40:00', '11:45:00', '11:50:00'].map((at, i) => call(`x${i}`, at, 60, 'abandoned'));
    await writeLakeTable(lake, 'contacts', abandons, 'abandons--{i}');
    const r = await runLiveAlerts(deps(kst(T, '11:55:30')), phoneOnly());
    expect(r.sent.map((s) => [s.key, s.event, s.streak])).toEqual([['service_level:phone', 'start', 2]]);
    const record = await readAlertRecord(store, alertKeys.record(CLIENT, T, 'service_level-phone'));
    expect(record!.streaks.map((s) => s.n)).toEqual([1, 2]);
    expect(record!.streaks[1]!.start.value).toBeCloseTo(7 / 12, 12);
    expect(await mails()).toEqual([
      'livemall-2026-03-31-service_level-phone-1-clear.eml',
      'livemall-2026-03-31-service_level-phone-1-start.eml',
      'livemall-2026-03-31-service_level-phone-2-start.eml',
    ]);
    const clear = await simpleParser(await readFile(join(outbox, 'livemall-2026-03-31-service_level-phone-1-clear.eml')));
    expect(clear.subject).toBe('[라이브몰] 알림 해소: 전화 최근 1시간 서비스 레벨 60.0% (목표 80.0%)');
    expect(clear.text).toContain('11:00에 시작된 알림이 11:20에 해소되었습니다.');
    expect(clear.text).toContain('지금: 전화 최근 1시간 서비스 레벨 77.8% (목표 80.0%)');
    expect(clear.text).toContain('실시간 현황 보기: https://live.example.test/live/livemall?e=1&s=x');
  });
});

describe('a send that fails', () => {
  it('before the message left is sent by the next evaluation; one that may have left is never repeated', async () => {
    const lake = await liveLake();
    const engine = await createDuckDbEngine({ lakeRoot: lake });
    const store = createFolderStore(lake);
    const outbox = await mkdtemp(join(tmpdir(), 'cspulse-alerts-'));
    const intradaySql = await readSqlFile('live/intraday');
    try {
      const failing = (handedOver: boolean): Mailer => ({
        send: async () => {
          throw new MailerError('throttled', true, { handedOver });
        },
      });
      const run = (at: string, mailer?: Mailer) =>
        runLiveAlerts({ engine, intradaySql, lake: store, mailer: mailer ?? createOutboxMailer(outbox), clock: { now: () => kst(T, at) } }, phoneOnly());
      const first = await run('11:00:30', failing(false));
      expect(first.failed.map((f) => [f.key, f.event])).toEqual([['service_level:phone', 'start']]);
      const second = await run('11:05:30');
      expect(second.sent.map((s) => [s.key, s.event, s.streak])).toEqual([['service_level:phone', 'start', 1]]);

      // the clear: the mail server took the message and then failed to answer
      await writeLakeTable(lake, 'contacts', [call('q1', '11:10:00', 5), call('q2', '11:12:00', 5), call('q3', '11:15:00', 5), call('q4', '11:18:00', 5)], 'quick--{i}');
      expect((await run('11:20:30', failing(true))).failed).toHaveLength(1);
      const later = await run('11:21:30');
      expect(later.sent).toEqual([]);
      expect(later.skipped).toEqual([{ key: 'service_level:phone', event: 'clear', streak: 1, reason: 'in-doubt' }]);
      expect((await readdir(outbox)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});
