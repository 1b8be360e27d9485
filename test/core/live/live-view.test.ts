/**
 * The live view on a hand-worked DuckDB lake (live-fixture.ts), every figure counted by hand from its rows:
 *
 * Phone today up to 11:00 (cutoff 11:01:00; t9 at 11:05 is after it): offered t1-t8 = 8; answered t1 t2 t4 t6 t7
 * t8 = 6; abandoned t3 t5 = 2, of which t3 (3 s < S 5 s) short. Service level: answered within 20 s (t1 10, t4 5,
 * t7 15, t8 0) over offered less short abandons = 4/7. Abandon rate (2 − 1)/7. ASA (10+30+5+25+15+0)/6 = 85/6.
 * Last hour 10:01–11:01: t4-t8: offered 5, answered 4, abandoned 1 (t5), service level 3/5, ASA 45/4.
 *
 * The usual: the Tuesdays 3/24 and 3/3. 3/17 is open but the lake holds nothing of it (missing, not quiet);
 * 3/10 the calendar closes the phones (c1 was answered all the same). Up to 11:01 on those days: 3/24 a1 a2 a3,
 * 3/3 d1 d2: offered 5 (2.5 a day), answered 4, abandoned 1 (a3, 8 s: not short); service level (a1 d1 d2 within
 * 20 s) 3/5; ASA (10+50+12+18)/4 = 22.5. Their last hour: a2 a3 d2: offered 3, service level 1/3, ASA 34.
 *
 * Categories (inbound, all channels; t11 is excluded, t10 self-service counts): 배송 so far 8, in the last hour
 * 6; usual 배송 so far 1 and 1, in the last hour 0 and 0; all categories so far 3 and 2, in the last hour 2 and
 * 1, whole days 4 and 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { computeKpiDocument } from '../../../functions/core/kpis/compute-kpi-document.ts';
import { judgeSpike, categoriesAboveUsual } from '../../../functions/core/live/conditions.ts';
import { ratesOf } from '../../../functions/core/live/intraday-figures.ts';
import { liveWindow } from '../../../functions/core/live/live-days.ts';
import { loadLiveView, type LiveView } from '../../../functions/core/live/live-view.ts';
import { buildLivePageModel } from '../../../functions/core/live/model.ts';
import { sourceFreshness } from '../../../functions/core/live/source-freshness.ts';
import { openingDaysOf } from '../../../functions/core/calendar/opening-days.ts';
import { readSqlFile } from '../../../functions/core/sql/sql-catalog.ts';
import { config, kst, liveLake, NOW } from './live-fixture.ts';

let lake: string;
let engine: DuckDbEngine;
let intradaySql: string;
let view: LiveView;

beforeAll(async () => {
  lake = await liveLake();
  engine = await createDuckDbEngine({ lakeRoot: lake });
  intradaySql = await readSqlFile('live/intraday');
  view = await loadLiveView({ engine, intradaySql, lake: createFolderStore(lake) }, config(), NOW);
});
afterAll(async () => engine.close());

describe('the live window', () => {
  it('cuts today and each usual day at the end of the same local minute, and the last hour before it', () => {
    const w = liveWindow(NOW, 'Asia/Seoul');
    expect(w.today).toBe('2026-03-31');
    expect(w.asOfLocal).toBe('11:00');
    expect(w.days.map((d) => d.dt)).toEqual(['2026-03-31', '2026-03-24', '2026-03-17', '2026-03-10', '2026-03-03']);
    expect(w.days[0]).toMatchObject({ startUnix: kst('2026-03-31', '00:00:00').getTime() / 1000, cutoffUnix: kst('2026-03-31', '11:01:00').getTime() / 1000, hourStartUnix: kst('2026-03-31', '10:01:00').getTime() / 1000 });
    expect(w.days[4]!.cutoffUnix).toBe(kst('2026-03-03', '11:01:00').getTime() / 1000);
  });

  it('on a day the clocks change, cuts each day at its own wall-clock minute', () => {
    // Los Angeles moved to PDT on Sunday 2026-03-08; a Sunday view at 10:00 PDT, and 3/1 10:00 PST the week before
    const w = liveWindow(new Date('2026-03-15T17:00:00Z'), 'America/Los_Angeles');
    expect(w.asOfLocal).toBe('10:00');
    expect(new Date(w.days[1]!.cutoffUnix * 1000).toISOString()).toBe('2026-03-08T17:01:00.000Z');
    expect(new Date(w.days[2]!.cutoffUnix * 1000).toISOString()).toBe('2026-03-01T18:01:00.000Z');
  });
});

describe('the live view of a hand-worked lake at 11:00', () => {
  it('counts phone today so far and in the last hour', () => {
    const phone = view.figures.channels.find((c) => c.channel === 'phone')!;
    expect(phone.soFar).toMatchObject({ offered: 8, answered: 6, abandoned: 2, shortAbandoned: 1, slNumerator: 4, slDenominator: 7 });
    const rates = ratesOf(phone.soFar);
    expect(rates.serviceLevel).toBeCloseTo(4 / 7, 12);
    expect(rates.abandonRate).toBeCloseTo(1 / 7, 12);
    expect(rates.asaSeconds).toBeCloseTo(85 / 6, 12);
    expect(phone.lastHour).toMatchObject({ offered: 5, answered: 4, abandoned: 1, shortAbandoned: 0, slNumerator: 3, slDenominator: 5 });
    expect(ratesOf(phone.lastHour).asaSeconds).toBe(11.25);
  });

  it('compares with the open Tuesdays the lake holds, up to the same minute', () => {
    const phone = view.figures.channels.find((c) => c.channel === 'phone')!;
    expect(phone.usualDays).toEqual(['2026-03-24', '2026-03-03']);
    expect(phone.usualSoFar).toMatchObject({ offered: 5, answered: 4, abandoned: 1, shortAbandoned: 0, slNumerator: 3, slDenominator: 5 });
    expect(ratesOf(phone.usualSoFar).asaSeconds).toBe(22.5);
    expect(phone.usualLastHour).toMatchObject({ offered: 3, answered: 2, abandoned: 1, slNumerator: 1, slDenominator: 3 });
    expect(phone.usualOfferedLastHour).toEqual([2, 1]);
    expect(phone.usualAbandonsLastHour).toEqual([1, 0]);
  });

  it('puts offered into 15-minute buckets: today up to the bucket of 11:00, the usual days whole', () => {
    const phone = view.figures.channels.find((c) => c.channel === 'phone')!;
    const today = Object.fromEntries(phone.buckets.filter((b) => (b.today ?? 0) > 0).map((b) => [b.from, b.today]));
    expect(today).toEqual({ '09:00': 1, '09:15': 1, '09:30': 1, '10:00': 1, '10:30': 1, '10:45': 2, '11:00': 1 });
    expect(phone.buckets[44]!.today).toBe(1);
    expect(phone.buckets[45]!.today).toBeNull();
    const usual = Object.fromEntries(phone.buckets.filter((b) => b.usual.some((n) => n > 0)).map((b) => [b.from, b.usual]));
    expect(usual).toEqual({ '09:00': [1, 0], '09:30': [0, 1], '10:15': [1, 0], '10:30': [1, 0], '10:45': [0, 1], '11:30': [0, 1], '14:00': [1, 0] });
  });

  it('counts categories, sources and their usual', () => {
    const f = view.figures;
    expect(f.usualDays).toEqual(['2026-03-24', '2026-03-03']);
    expect(f.usualInboundSoFar).toEqual([3, 2]);
    expect(f.usualInboundLastHour).toEqual([2, 1]);
    expect(f.usualInboundDay).toEqual([4, 3]);
    const delivery = f.categories.find((c) => c.category === '배송')!;
    expect(delivery).toMatchObject({ soFar: 8, lastHour: 6, usualSoFar: [1, 1], usualLastHour: [0, 0] });
    expect(f.categories.find((c) => c.category === '테스트')).toBeUndefined();
    const cti = f.sources.find((s) => s.source === 'cti')!;
    // t1-t8, t10 and t11 (an excluded row still shows the source delivers); t9 is after the minute
    expect(cti).toMatchObject({ today: 10, lastHour: 7, newestArrivedAt: '2026-03-31T02:00:30.000Z', newestDeliveredAt: '2026-01-01T00:00:00.000Z', usualLastHour: [2, 1, 1] });
  });

  it('judges each condition as worked out by hand', () => {
    const byKey = Object.fromEntries(view.conditions.map((c) => [c.key, c]));
    // 3/5 = 60 % against 80 % − 5 pp
    expect(byKey['service_level:phone']).toMatchObject({ state: 'on', value: 0.6, target: 0.8 });
    // 1 abandon against a usual 0.5 a day; the hour holds 3/7 of a usual day, so at least max(3, ⌈10 × 3/7⌉) = 5
    expect(byKey['abandons:phone']).toMatchObject({ state: 'off', value: 1, usual: 0.5 });
    // chat: no hour of at least 5 offered
    expect(byKey['abandons:chat']).toMatchObject({ state: 'unknown' });
    // so far 8 against 1 and 1: at least max(3, ⌈10 × 5/7⌉) = 8, and 1.5 × 1; the usual days agree, so no z
    expect(byKey['category:배송']).toMatchObject({ state: 'on', value: 8, usual: 1 });
    expect(byKey['category:교환']).toMatchObject({ state: 'off', value: 1, usual: 1.5 });
    // cti usually brings 4/3 contacts in this hour: too few to judge its silence
    expect(byKey['silent:cti']).toMatchObject({ state: 'unknown' });
    // chat's file of 3/30 usually arrives 3 h after the day (03:00); at 11:00 it is long past 03:00 + 45 min
    expect(byKey['silent:chat']).toMatchObject({ state: 'on', since: '2026-03-30T18:00:00.000Z', detail: 'daily' });
  });

  it('flags 배송 as running above its usual so far: 8 ≥ max(3, ⌈10 × 5/7⌉) = 8', () => {
    expect(judgeSpike(8, [1, 1], 5 / 7)).toEqual({ on: true, usualMean: 1, minCount: 8 });
    expect(judgeSpike(7, [1, 1], 5 / 7).on).toBe(false);
    expect(categoriesAboveUsual(view.figures)).toEqual([{ category: '배송', count: 8, usual: 1 }]);
  });
});

describe('an intraday source that stops delivering', () => {
  const figuresWith = (delivered: string, usualLastHour: number[]) => ({
    ...view.figures,
    sources: [{ source: 'cti', today: 9, lastHour: 2, newestArrivedAt: kst('2026-03-31', '10:05:00').toISOString(), newestDeliveredAt: kst('2026-03-31', delivered).toISOString(), usualLastHour }],
  });
  const cti = (delivered: string, usual: number[], now: Date) => sourceFreshness(config(), figuresWith(delivered, usual), [], now, openingDaysOf(config())).find((f) => f.source === 'cti')!;

  it('is silent once no export has come for 45 minutes in an hour it usually delivers in', () => {
    // its last export came at 10:10; the usual Tuesdays brought 4, 3 and 5 of its contacts in this hour
    expect(cti('10:10:00', [4, 3, 5], kst('2026-03-31', '10:55:00'))).toMatchObject({ mode: 'intraday', silent: false });
    expect(cti('10:10:00', [4, 3, 5], kst('2026-03-31', '10:55:01'))).toMatchObject({ silent: true, silentSince: '2026-03-31T01:10:00.000Z' });
  });

  it('is not judged in an hour it usually brings fewer than 3 contacts in', () => {
    expect(cti('10:10:00', [2, 3, 2], kst('2026-03-31', '11:30:00'))).toMatchObject({ silent: null });
  });
});

describe('the page model', () => {
  it('shows each figure against its target and its usual, in Korean', () => {
    const model = buildLivePageModel(view);
    expect(model.asOfText).toBe('11:00 기준');
    const phone = model.channels.find((c) => c.channel === 'phone')!;
    expect(phone.state).toBe('live');
    const fig = Object.fromEntries(phone.soFar.map((f) => [f.key, f]));
    expect(fig.offered).toMatchObject({ display: '8', usualDisplay: '평소 3', change: { text: '+6', direction: null }, target: null });
    expect(fig.service_level).toMatchObject({ display: '57.1%', usualDisplay: '평소 60.0%', change: { text: '-2.9%p', direction: 'worse' }, target: { display: '목표 80.0%', met: false } });
    expect(fig.asa_seconds).toMatchObject({ display: '14초', usualDisplay: '평소 23초', change: { direction: 'better' }, target: { display: '목표 30초', met: true } });
    expect(fig.abandon_rate).toMatchObject({ display: '14.3%', target: { met: false } });
    expect(phone.usualText).toBe('평소: 같은 요일 최근 2일 (3/24, 3/3) 같은 시각까지');
    const chat = model.channels.find((c) => c.channel === 'chat')!;
    expect(chat).toMatchObject({ state: 'awaiting', stateText: '오늘 데이터가 아직 없습니다 (채팅: 3/29까지)' });
    expect(model.sources).toEqual([
      { source: 'cti', label: '전화', text: '11:00까지', silent: false },
      { source: 'chat', label: '채팅', text: '3/29까지', silent: true },
    ]);
    expect(model.categories).toEqual([{ label: '배송', text: '8건 · 평소 1.0건' }]);
  });

  it('reads the whole of a past day as the report does', async () => {
    // the view at the last minute of 3/24 covers the whole day: the report's daily figures of the same lake
    const whole = await loadLiveView({ engine, intradaySql, lake: createFolderStore(lake) }, config(), kst('2026-03-24', '23:59:10'));
    const phone = whole.figures.channels.find((c) => c.channel === 'phone')!;
    const doc = await computeKpiDocument(engine, config(), 'daily', '2026-03-24', { now: NOW });
    const report = doc.current.by_channel.phone!;
    const rates = ratesOf(phone.soFar);
    expect(phone.soFar.offered).toBe(report.offered);
    expect(phone.soFar.answered).toBe(report.answered);
    expect(phone.soFar.abandoned).toBe(report.abandoned);
    expect(rates.serviceLevel).toBe(report.service_level);
    expect(rates.asaSeconds).toBe(report.asa_seconds);
    expect(rates.abandonRate).toBe(report.abandon_rate);
    // and by hand: a1 a2 a3 a4, within 20 s a1 a4 of 4
    expect(rates.serviceLevel).toBe(0.5);
  });
});
