/**
 * The live page of a replayed demo day, as a person opens it: `cspulse demo --live`'s replay of the example
 * shop's Tuesday 2026-03-31 (its courier-hub incident day) on a scratch lake, `cspulse serve`'s HTTP server on a
 * random port, headless Chromium at 375 px. At 11:00 and at 15:00 the page's figures must equal a count made
 * straight from the export files the replay had delivered by then — read here with csv-parse and iconv, not
 * with anything of cspulse — the usual band must be drawn, and the 배송 spike must be in the banner. A tampered
 * link, an expired one and another client's are refused with 403 and nothing of the page.
 *
 * CSPULSE_SCREENSHOT_DIR=docs npx vitest run test/cli/commands/demo-live-browser.test.ts writes docs/live-page-ko.png.
 */
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLiveDemo, ReplayClock, type LiveDemo, type ReplayFile } from '../../../functions/cli/commands/demo-live.ts';
import { startServe, type RunningServe } from '../../../functions/cli/commands/serve.ts';
import { localLiveAlerts } from '../../../functions/composition/local-live.ts';
import { createOutboxMailer } from '../../../functions/adapters/local/outbox-mailer.ts';
import { livePath, signLink } from '../../../functions/core/live/signed-link.ts';
import { pretendardFontFiles } from '../../../functions/core/report/charts.ts';
import { findChromium, isCi, NO_BROWSER_HINT } from '../../core/report/browser.ts';

const executablePath = findChromium();
if (executablePath === undefined && !isCi()) console.warn(`test/cli/commands/demo-live-browser.test.ts skipped: ${NO_BROWSER_HINT}`);

const DAY = '2026-03-31';
const seoul = (hhmm: string) => new Date(`${DAY}T${hhmm}:00+09:00`);

interface Counted {
  offered: number;
  answered: number;
  abandoned: number;
  short: number;
  within: number;
  waits: number[];
}

/** Seconds of the CTI's H:MM:SS wait column. */
const hms = (v: string) => {
  const [h, m, s] = v.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

/**
 * The phone calls of the day in the CTI files delivered by `at`, arrived before the end of the view's minute:
 * each call once (a row written twice is one call), rows without an id, with a broken date or with an outcome
 * the shop's mapping does not know left out, as the client file's mapping reads them. Offered: 응대, 포기 and 콜백;
 * short abandons under 5 s; within the service level: answered in 20 s or less (clients/example.yaml).
 */
function countPhone(files: { text: string }[], cutoff: string): Counted {
  const calls = new Map<string, Record<string, string>>();
  for (const { text } of files) {
    const rows = parse(text, { columns: true, relax_column_count: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) {
      if (Object.keys(r).length !== 15 || r['콜ID'] === '' || r['인입일자'] !== DAY.replaceAll('-', '') || r['인입시각']! >= cutoff) continue;
      calls.set(r['콜ID']!, r);
    }
  }
  const c: Counted = { offered: 0, answered: 0, abandoned: 0, short: 0, within: 0, waits: [] };
  for (const r of calls.values()) {
    const outcome = r['처리결과'];
    if (!['응대', '포기', '콜백'].includes(outcome!)) continue;
    const wait = hms(r['대기시간']!);
    c.offered++;
    if (outcome === '응대') {
      c.answered++;
      c.waits.push(wait);
      if (wait <= 20) c.within++;
    }
    if (outcome === '포기') {
      c.abandoned++;
      if (wait < 5) c.short++;
    }
  }
  return c;
}

/** The chats the same way: created before the cutoff on the day in Seoul; solved or missed offered; within 60 s. */
function countChat(files: { text: string }[], cutoffMs: number): Counted {
  const chats = new Map<string, Record<string, string>>();
  for (const { text } of files) {
    const rows = parse(text, { columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) {
      const created = Date.parse(r.created_at ?? '');
      if (!Number.isFinite(created) || r.chat_id === '' || created >= cutoffMs || created < seoul('00:00').getTime()) continue;
      chats.set(r.chat_id!, r);
    }
  }
  const c: Counted = { offered: 0, answered: 0, abandoned: 0, short: 0, within: 0, waits: [] };
  for (const r of chats.values()) {
    if (r.status !== 'solved' && r.status !== 'missed') continue;
    c.offered++;
    if (r.status === 'solved') {
      c.answered++;
      const wait = Number(r.first_response_seconds);
      c.waits.push(wait);
      if (wait <= 60) c.within++;
    } else c.abandoned++;
  }
  return c;
}

async function delivered(files: readonly ReplayFile[], source: string, by: Date): Promise<{ text: string }[]> {
  const own = files.filter((f) => f.sourceId === source && f.deliveredAt <= by && path.basename(f.path).includes(DAY.replaceAll('-', '')));
  return Promise.all(own.map(async (f) => ({ text: source === 'cti' ? iconv.decode(await readFile(f.path), 'cp949') : await readFile(f.path, 'utf8') })));
}

interface Shown {
  [kpi: string]: { value: string; text: string };
}

async function shownFigures(page: Page, channel: string, period: string): Promise<Shown> {
  // evaluated in the page (a string, as the test's TypeScript has no DOM types)
  return (await page.evaluate(`(() => {
    const out = {};
    for (const el of document.querySelectorAll('.fig[data-channel="${channel}"][data-period="${period}"]')) {
      out[el.dataset.kpi] = { value: el.dataset.value ?? '', text: el.querySelector('.value').textContent.trim() };
    }
    return out;
  })()`)) as Shown;
}

describe.skipIf(executablePath === undefined)('the live page of a replayed demo day, in Chromium', () => {
  let dir: string;
  let demo: LiveDemo;
  let allFiles: ReplayFile[];
  let clock: ReplayClock;
  let serve: RunningServe;
  let browser: Browser;
  const errors: string[] = [];

  /** Moves the replay to a local time in 15-minute steps, evaluating the alerts after each step's files. */
  async function replayTo(hhmm: string): Promise<void> {
    const target = seoul(hhmm).getTime();
    for (let t = clock.now().getTime(); t < target; ) {
      t = Math.min(t + 15 * 60_000, target);
      clock.set(new Date(t));
      if ((await demo.advanceTo(clock.now())).length > 0) {
        await localLiveAlerts(serve.live, demo.paths, demo.config, createOutboxMailer(path.join(dir, 'out')), clock, serve.baseUrl);
      }
    }
  }

  async function open(url: string, width = 375): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    // phones ship a Korean font; this machine may not, so the page gets the bundled one (served on the page's own
    // origin: Chromium loads no file: URL into an http: page)
    const fonts = pretendardFontFiles();
    await page.route(/\/__test-font\/\d\.ttf$/, async (route) => route.fulfill({ body: await readFile(fonts[Number(route.request().url().slice(-5, -4))]!), contentType: 'font/ttf' }));
    const faces = fonts.map((_, i) => `@font-face{font-family:Pretendard;font-weight:${i === 0 ? 400 : 700};src:url('/__test-font/${i}.ttf')}`).join('');
    await page.addStyleTag({ content: faces });
    await page.evaluate('document.fonts.ready.then(() => true)');
    return page;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cspulse-live-demo-'));
    const options = { client: 'example', date: DAY, from: '08:00', until: '15:00', speed: 0, port: 0, host: '127.0.0.1', configDir: 'clients', lake: path.join(dir, 'lake'), out: path.join(dir, 'out'), exports: path.join(dir, 'exports') };
    demo = await prepareLiveDemo(options, () => undefined);
    allFiles = [...demo.pending];
    clock = new ReplayClock(demo.startAt);
    serve = await startServe({ port: 0, host: '127.0.0.1', configDir: 'clients', lake: options.lake }, { err: (l) => errors.push(l) }, clock, [demo.config]);
    browser = await chromium.launch({ executablePath: executablePath! });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  for (const [time, locale] of [
    ['11:00', 'ko'],
    ['15:00', 'en'],
  ] as const) {
    it(`at ${time} shows what the delivered exports hold, the usual band and the 배송 spike (${locale})`, async () => {
      await replayTo(time);
      // the view's minute counts whole: arrivals before hh:01 local (Seoul is UTC+9 all year)
      const cutoff = new Date(seoul(time).getTime() + 60_000);
      const phone = countPhone(await delivered(allFiles, 'cti', seoul(time)), `${time.slice(0, 3)}01:00`);
      const chat = countChat(await delivered(allFiles, 'chat', seoul(time)), cutoff.getTime());
      expect(phone.offered).toBeGreaterThan(50);
      expect(chat.offered).toBeGreaterThan(10);

      const page = await open(`${serve.links.get('example')!}&lang=${locale}`);
      expect(await page.textContent('#as-of')).toBe(locale === 'ko' ? `${time} 기준` : `as of ${time}`);
      for (const [channel, c] of [
        ['phone', phone],
        ['chat', chat],
      ] as const) {
        const shown = await shownFigures(page, channel, 'so-far');
        expect(Number(shown.offered!.value), `${channel} offered`).toBe(c.offered);
        expect(Number(shown.answered!.value), `${channel} answered`).toBe(c.answered);
        expect(Number(shown.abandoned!.value), `${channel} abandoned`).toBe(c.abandoned);
        expect(shown.offered!.text).toBe(c.offered.toLocaleString('en-US'));
        const sl = c.within / (c.offered - c.short);
        expect(Number(shown.service_level!.value), `${channel} service level`).toBeCloseTo(sl, 12);
        expect(shown.service_level!.text).toBe(`${(Math.round(sl * 1000) / 10).toFixed(1)}%`);
        const asa = c.waits.reduce((a, b) => a + b, 0) / c.waits.length;
        expect(Number(shown.asa_seconds!.value), `${channel} ASA`).toBeCloseTo(asa, 9);
      }
      // the usual band and mean of each channel: an area and a line over the day's buckets
      const chart = (await page.evaluate(`[...document.querySelectorAll('section.channel')].map((s) => ({
        band: s.querySelector('svg.chart polygon.band')?.getAttribute('points')?.split(' ').length ?? 0,
        mean: s.querySelector('svg.chart polyline.usual')?.getAttribute('points')?.split(' ').length ?? 0,
        bars: s.querySelectorAll('svg.chart rect.today').length,
      }))`)) as { band: number; mean: number; bars: number }[];
      for (const c of chart) {
        expect(c.band).toBeGreaterThan(40);
        expect(c.mean).toBe(c.band / 2);
        expect(c.bars).toBeGreaterThan(4);
      }
      // the incident day's spike, in the banner: the 배송 category far above its usual
      const banner = await page.textContent('section.banner');
      expect(banner).toContain('배송');
      expect(banner).toContain(locale === 'ko' ? '평소보다 많습니다' : 'above its usual');
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width, 'no sideways scrolling at 375 px').toBeLessThanOrEqual(375);
      if (process.env.CSPULSE_SCREENSHOT_DIR && time === '11:00') {
        await page.screenshot({ path: path.join(process.env.CSPULSE_SCREENSHOT_DIR, 'live-page-ko.png'), fullPage: true });
      }
      await page.context().close();
      expect(errors).toEqual([]);
    }, 120_000);
  }

  it('refuses a tampered link, an expired link and another client\'s link with 403 and nothing of the page', async () => {
    const good = serve.links.get('example')!;
    const url = new URL(good);
    const key = await serve.live.linkKey('example');
    const now = Math.floor(clock.now().getTime() / 1000);
    const tampered = new URL(good);
    tampered.searchParams.set('e', String(Number(url.searchParams.get('e')) + 86_400));
    const expired = `${serve.baseUrl}${livePath(key, 'example', new Date((now - 60) * 1000))}`;
    // a link signed for northwind with northwind's own key, tried on example's page
    const northwindKey = await serve.live.linkKey('northwind');
    const other = `${serve.baseUrl}/live/example?e=${now + 3600}&s=${signLink(northwindKey, 'northwind', now + 3600)}`;
    const unknown = `${serve.baseUrl}/live/northwind?e=${now + 3600}&s=${signLink(northwindKey, 'northwind', now + 3600)}`;
    for (const bad of [tampered.toString(), expired, other, unknown, `${serve.baseUrl}/live/example`]) {
      const response = await fetch(bad);
      const body = await response.text();
      expect(response.status, bad).toBe(403);
      expect(body).not.toContain('예시몰');
      expect(body).not.toContain('배송');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const ok = await fetch(good);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    await writeFile(path.join(dir, 'page.html'), await ok.text());
  });
});
