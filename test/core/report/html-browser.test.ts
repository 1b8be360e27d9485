/**
 * Looks at the e-mail as a reader would: the rendered HTML opened in headless Chromium at a phone width (375 px)
 * and a desktop width, in Korean and English, for daily, weekly and monthly reports. Charts are swapped from
 * cid: to data: URIs, as a mail client resolves them from the message. Without a browser on the machine the
 * file is skipped with one line (see browser.ts); under CI=true that is a failure.
 *
 * CSPULSE_SCREENSHOT_DIR=docs npx vitest run test/core/report/html-browser.test.ts writes two screenshots of
 * docs/ (an incomplete report and its correction at phone width); the others come from the demo's own lake
 * (npm run screenshots, scripts/screenshots.ts).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientConfig } from '../../../functions/core/config/client-config.ts';
import type { KpiDocument, PeriodKind } from '../../../functions/core/kpis/kpi-result.ts';
import { datesOf, periodFor, priorPeriod } from '../../../functions/core/kpis/periods.ts';
import { pretendardFontFiles } from '../../../functions/core/report/charts.ts';
import type { PeriodCompleteness } from '../../../functions/core/report/completeness.ts';
import { buildReportEmails } from '../../../functions/core/report/email.ts';
import type { PreviousReport } from '../../../functions/core/report/model.ts';
import { findChromium, isCi, NO_BROWSER_HINT } from './browser.ts';
import { completenessFor, config, dailyDoc } from './fixtures.ts';

interface PageFacts {
  heading: string;
  body: string;
  images: { complete: boolean; naturalWidth: number }[];
  scrollWidth: number;
  numbers: number;
  broken: string[];
}

const executablePath = findChromium();
if (executablePath === undefined && !isCi()) console.warn(`test/core/report/html-browser.test.ts skipped: ${NO_BROWSER_HINT}`);

/** A document of the kind: the fixture's figures on the kind's period, a point per day for weekly and monthly. */
function docFor(kind: PeriodKind): KpiDocument {
  const period = periodFor(kind, kind === 'daily' ? '2026-03-04' : kind === 'weekly' ? '2026-03-02' : '2026-03-01');
  if (kind === 'daily') return dailyDoc();
  const base = dailyDoc();
  const days = datesOf(period).map((dt, i) => ({ ...base.daily[i % base.daily.length]!, dt }));
  return dailyDoc({
    period,
    prior_period: priorPeriod(period),
    week_ago_period: null,
    week_ago: null,
    daily: days,
    // 14 of 21 days met: the "14/21" that must not break into "14/2" + "1"
    sla: base.sla.map((r) => ({ ...r, days_met: kind === 'weekly' ? 5 : 14, days_judged: kind === 'weekly' ? 7 : 21 })),
  });
}

let browser: Browser;
let dir: string;

async function previewFile(name: string, input: { doc: KpiDocument; cfg: ClientConfig; completeness: PeriodCompleteness; previous?: PreviousReport }): Promise<string> {
  const [report] = await buildReportEmails({
    doc: input.doc,
    config: input.cfg,
    completeness: input.completeness,
    previous: input.previous ?? null,
    revision: input.previous === undefined ? 0 : 1,
    now: new Date('2026-03-04T23:00:00Z'),
  });
  let html = report!.html;
  for (const chart of report!.charts) {
    html = html.replaceAll(`cid:${chart.cid}`, `data:image/png;base64,${Buffer.from(chart.png).toString('base64')}`);
  }
  // Mail apps on phones and desktops ship a Korean font; this machine may not, so the page gets the bundled one.
  const fontFace = pretendardFontFiles()
    .map((f, i) => `@font-face{font-family:Pretendard;font-weight:${i === 0 ? 400 : 700};src:url('${pathToFileURL(f).href}')}`)
    .join('');
  html = html.replace('</head>', `<style>${fontFace}</style></head>`);
  const file = path.join(dir, `${name}.html`);
  await writeFile(file, html);
  return file;
}

async function look(file: string, width: number, screenshot?: string): Promise<PageFacts> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  try {
    await page.goto(pathToFileURL(file).href);
    // evaluated in the page (a string, as the test's TypeScript has no DOM types)
    const facts = (await page.evaluate(`({
      heading: document.querySelector('h1')?.textContent ?? '',
      body: document.body.innerText,
      images: Array.from(document.images).map((img) => ({ complete: img.complete, naturalWidth: img.naturalWidth })),
      scrollWidth: document.documentElement.scrollWidth,
      numbers: document.querySelectorAll('.cs-num').length,
      // an inline element that wraps has one client rect per line it spans
      broken: Array.from(document.querySelectorAll('.cs-num')).filter((el) => el.getClientRects().length > 1).map((el) => el.textContent),
    })`)) as PageFacts;
    if (screenshot !== undefined && process.env.CSPULSE_SCREENSHOT_DIR) {
      await page.screenshot({ path: path.join(process.env.CSPULSE_SCREENSHOT_DIR, screenshot), fullPage: true });
    }
    return facts;
  } finally {
    await page.close();
  }
}

describe.runIf(executablePath !== undefined)('report e-mail in a browser', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    dir = await mkdtemp(path.join(tmpdir(), 'cspulse-report-browser-'));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('catches a number that wraps (the check itself)', async () => {
    const file = path.join(dir, 'wrap.html');
    await writeFile(file, '<html><body><div style="width:30px;font-size:16px;word-break:break-all"><span class="cs-num">14/21</span> <span class="cs-num" style="white-space:nowrap">83.7%</span></div></body></html>');
    const facts = await look(file, 375);
    expect(facts.broken).toEqual(['14/21']);
  });

  for (const width of [375, 1200]) {
    it(`shows the contract first, loads every chart and does not scroll sideways at ${width} px`, async () => {
      const file = await previewFile('daily-ko', { doc: dailyDoc(), cfg: config(), completeness: completenessFor(dailyDoc().period) });
      const facts = await look(file, width);
      expect(facts.heading).toBe('일간 CS 리포트');
      expect(facts.body).toContain('2026년 3월 4일 (수)');
      expect(facts.body.indexOf('계약 지표 (SLA)')).toBeLessThan(facts.body.indexOf('확인이 필요한 사항'));
      // the escaped category shows as text, it is not executed or dropped
      expect(facts.body).toContain('<script>alert(1)</script>');
      expect(facts.images).toHaveLength(2);
      for (const img of facts.images) {
        expect(img.complete).toBe(true);
        expect(img.naturalWidth).toBeGreaterThan(0);
      }
      expect(facts.scrollWidth).toBeLessThanOrEqual(width);
    });
  }

  it('shows every category share as its count over the base printed beside it, and no blend of channels the contract judges apart', async () => {
    // totals blended across phone and chat, made distinctive so the page can be searched for them: a service level,
    // abandon rate, answer rate, ASA or AHT of all channels together must appear nowhere (the contract judges phone)
    const base = dailyDoc();
    const doc = dailyDoc({
      current: { ...base.current, total: { ...base.current.total, service_level: 0.7777, abandon_rate: 0.1234, answer_rate: 0.8765, asa_seconds: 27.4, aht_seconds: 247 } },
    });
    const file = await previewFile('daily-reconcile', { doc, cfg: config(), completeness: completenessFor(doc.period) });
    const page = await browser.newPage({ viewport: { width: 375, height: 900 } });
    try {
      await page.goto(pathToFileURL(file).href);
      const facts = (await page.evaluate(`(() => {
        // the category table: the innermost table with the 유형 and 비중 columns
        const tables = Array.from(document.querySelectorAll('table')).filter((t) => t.innerText.includes('유형') && t.innerText.includes('비중') && t.querySelectorAll('tr').length > 2 && t.querySelectorAll('table').length === 0);
        const rows = Array.from(tables[0].querySelectorAll('tr')).slice(1).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.innerText.trim()));
        return { rows, body: document.body.innerText };
      })()`)) as { rows: string[][]; body: string };
      const stated = /비중: 전체 문의 ([\d,]+)건/.exec(facts.body);
      expect(stated).not.toBeNull();
      const baseCount = Number(stated![1]!.replaceAll(',', ''));
      expect(baseCount).toBe(1050);
      expect(facts.rows).toHaveLength(4);
      for (const [label, count, share] of facts.rows) {
        const n = Number(count!.replaceAll(',', ''));
        expect(share, label).toBe(`${((n / baseCount) * 100).toFixed(1)}%`);
      }
      for (const blended of ['77.8%', '12.3%', '87.7%', '27초', '4분 7초']) expect(facts.body, blended).not.toContain(blended);
      // the channels' counts add up to the figures of all channels: Σ 인입 = 인입, Σ (인입 + IVR·챗봇 해결 + IVR 이탈) = 전체 문의
      const number = (text: string) => Number(text.replaceAll(',', ''));
      const cards = [...facts.body.matchAll(/인입 ([\d,]+) · 응대 [\d,]+ · 포기 [\d,]+ \(단순 포기 [\d,]+\)(?: · 콜백 [\d,]+)?(?: · IVR·챗봇 해결 ([\d,]+))?(?: · IVR 이탈 ([\d,]+))?/g)];
      expect(cards).toHaveLength(2);
      const offered = cards.reduce((n, m) => n + number(m[1]!), 0);
      const inbound = cards.reduce((n, m) => n + number(m[1]!) + number(m[2] ?? '0') + number(m[3] ?? '0'), 0);
      expect(facts.body).toMatch(new RegExp(`\\n인입\\n${offered.toLocaleString('en-US')}\\n`));
      expect(facts.body).toMatch(new RegExp(`\\n전체 문의\\n${inbound.toLocaleString('en-US')}\\n`));
      // while the phone figures the contract judges are there, on phone's card and contract
      expect(facts.body).toContain('75.0%');
      expect(facts.body).toContain('전화 서비스 레벨 80/20');
    } finally {
      await page.close();
    }
  });

  for (const locale of ['ko', 'en'] as const) {
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      it(`${locale} ${kind} at 375 px: no number breaks inside itself, nothing scrolls sideways`, async () => {
        const doc = docFor(kind);
        const file = await previewFile(`${kind}-${locale}`, { doc, cfg: config({ locale }), completeness: completenessFor(doc.period) });
        const facts = await look(file, 375);
        expect(facts.heading).toBe(locale === 'ko' ? { daily: '일간 CS 리포트', weekly: '주간 CS 리포트', monthly: '월간 CS 리포트' }[kind] : { daily: 'Daily CS report', weekly: 'Weekly CS report', monthly: 'Monthly CS report' }[kind]);
        expect(facts.numbers).toBeGreaterThan(30);
        expect(facts.broken).toEqual([]);
        expect(facts.scrollWidth).toBeLessThanOrEqual(375);
        if (kind !== 'daily') expect(facts.body).toContain(locale === 'ko' ? (kind === 'weekly' ? '달성 5/7 영업일' : '달성 14/21 영업일') : kind === 'weekly' ? 'met 5/7 open days' : 'met 14/21 open days');
      });
    }
  }

  it('shows an incomplete report and a correction at phone width', async () => {
    // the screenshots in docs/ show ordinary categories, not the escaping test's payload
    const doc = dailyDoc({ categories: dailyDoc().categories.map((c) => (c.category.startsWith('<script>') ? { ...c, category: '상품문의' } : c)) });
    const incomplete = await look(
      await previewFile('incomplete-ko', { doc, cfg: config(), completeness: completenessFor(doc.period, config(), [{ source: 'cti', dt: '2026-03-04' }]) }),
      375,
      'report-incomplete-ko.png',
    );
    expect(incomplete.body).toContain('받지 못한 데이터: 전화 3/4');
    expect(incomplete.body).toContain('잠정');
    expect(incomplete.broken).toEqual([]);
    expect(incomplete.scrollWidth).toBeLessThanOrEqual(375);

    const previous: PreviousReport = {
      sentAt: '2026-03-04T23:00:00.000Z',
      figures: { 'sla:service_level:phone:>=0.8': 0.7, 'sla:abandon_rate:phone:<=0.05': 0.04, 'kpi:asa_seconds': 31 },
      verdicts: { 'sla:service_level:phone:>=0.8': 'provisional', 'sla:abandon_rate:phone:<=0.05': 'provisional' },
    };
    const corrected = await look(await previewFile('corrected-ko', { doc, cfg: config(), completeness: completenessFor(doc.period), previous }), 375, 'report-corrected-ko.png');
    expect(corrected.heading).toBe('[정정] 일간 CS 리포트');
    expect(corrected.body).toContain('전화 서비스 레벨 80/20: 70.0% → 75.0%');
    expect(corrected.body).toContain('전화 포기율 판정: 잠정 → 달성');
    expect(corrected.scrollWidth).toBeLessThanOrEqual(375);
  });
});

describe.runIf(executablePath === undefined && isCi())('report e-mail in a browser, under CI', () => {
  it('needs a browser', () => {
    throw new Error(`CI=true: ${NO_BROWSER_HINT}`);
  });
});
