/**
 * Looks at the e-mail as a reader would: the rendered HTML opened in headless Chromium at a phone width and a
 * desktop width. Charts are swapped from cid: to data: URIs, as a mail client resolves them from the message.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pretendardFontFiles } from '../../../functions/core/report/charts.ts';
import { buildReportEmail } from '../../../functions/core/report/email.ts';
import { config, dailyDoc } from './fixtures.ts';

interface PageFacts {
  heading: string;
  body: string;
  images: { complete: boolean; naturalWidth: number }[];
  scrollWidth: number;
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'cspulse-report-browser-'));
});

afterAll(async () => {
  await browser?.close();
});

async function previewFile(locale: 'ko' | 'en'): Promise<string> {
  const report = await buildReportEmail({
    doc: dailyDoc(),
    config: config({ locale }),
    manifests: [],
    incomplete: false,
    now: new Date('2026-03-04T23:00:00Z'),
  });
  let html = report.html;
  for (const chart of report.charts) {
    html = html.replaceAll(`cid:${chart.cid}`, `data:image/png;base64,${Buffer.from(chart.png).toString('base64')}`);
  }
  // Mail apps on phones and desktops ship a Korean font; this machine does not, so the page gets the bundled one.
  const fontFace = pretendardFontFiles()
    .map((f, i) => `@font-face{font-family:Pretendard;font-weight:${i === 0 ? 400 : 700};src:url('${pathToFileURL(f).href}')}`)
    .join('');
  html = html.replace('</head>', `<style>${fontFace}</style></head>`);
  const file = path.join(dir, `report-${locale}.html`);
  await writeFile(file, html);
  return file;
}

describe('report e-mail in a browser', () => {
  for (const width of [375, 1200]) {
    it(`shows the Korean headline, loads every chart and does not scroll sideways at ${width} px`, async () => {
      const file = await previewFile('ko');
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`file://${file}`);
        // evaluated in the page (a string, as the test's TypeScript has no DOM types)
        const facts = (await page.evaluate(`({
          heading: document.querySelector('h1')?.textContent ?? '',
          body: document.body.innerText,
          images: Array.from(document.images).map((img) => ({ complete: img.complete, naturalWidth: img.naturalWidth })),
          scrollWidth: document.documentElement.scrollWidth,
        })`)) as PageFacts;
        expect(facts.heading).toBe('일간 CS 리포트');
        expect(facts.body).toContain('2026년 3월 4일 (수)');
        expect(facts.body).toContain('확인이 필요한 사항');
        // the escaped category shows as text, it is not executed or dropped
        expect(facts.body).toContain('<script>alert(1)</script>');
        expect(facts.images).toHaveLength(2);
        for (const img of facts.images) {
          expect(img.complete).toBe(true);
          expect(img.naturalWidth).toBeGreaterThan(0);
        }
        expect(facts.scrollWidth).toBeLessThanOrEqual(width);
        await page.screenshot({ path: path.join(process.env.CSPULSE_SCREENSHOT_DIR ?? dir, `report-daily-ko-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });
  }

  it('fits a phone in English too', async () => {
    const file = await previewFile('en');
    const page = await browser.newPage({ viewport: { width: 375, height: 900 } });
    try {
      await page.goto(`file://${file}`);
      const facts = (await page.evaluate(`({
        heading: document.querySelector('h1')?.textContent ?? '',
        scrollWidth: document.documentElement.scrollWidth,
      })`)) as Pick<PageFacts, 'heading' | 'scrollWidth'>;
      expect(facts.heading).toBe('Daily CS report');
      expect(facts.scrollWidth).toBeLessThanOrEqual(375);
    } finally {
      await page.close();
    }
  });
});
