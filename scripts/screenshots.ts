/**
 * The report screenshots in docs/, taken from the demo's own lake, so what a newcomer sees in the README is what
 * the demo sends: the daily report of the last demo day, the first screen of the monthly report at phone width
 * in Korean and in English, and the daily report of the day after a public holiday (2026-03-03, after 삼일절's
 * substitute holiday: its phone figures are compared with the Friday before).
 *
 *   npm run demo && npm run screenshots        (or: npx tsx scripts/screenshots.ts --lake DIR --out docs)
 *
 * Needs Chromium (CHROMIUM_PATH, /usr/bin/chromium, …) and the demo lake (.cspulse/lake by default).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createDuckDbEngine } from '../functions/adapters/local/duckdb-engine.ts';
import { createFolderStore } from '../functions/adapters/local/folder-store.ts';
import { loadClientConfig } from '../functions/core/config/load-configs.ts';
import { computeKpiDocument, DAILY_TREND_DAYS } from '../functions/core/kpis/compute-kpi-document.ts';
import type { PeriodKind } from '../functions/core/kpis/kpi-result.ts';
import { addDays, periodFor, priorPeriod } from '../functions/core/kpis/periods.ts';
import { pretendardFontFiles } from '../functions/core/report/charts.ts';
import { buildReportEmails } from '../functions/core/report/email.ts';
import type { Locale } from '../functions/core/report/messages.ts';
import { readNote } from '../functions/core/report/notes.ts';
import { loadPeriodCoverage } from '../functions/core/schedule/freshness.ts';
import { findChromium } from '../test/core/report/browser.ts';

const { values } = parseArgs({ options: { lake: { type: 'string', default: '.cspulse/lake' }, out: { type: 'string', default: 'docs' }, 'config-dir': { type: 'string', default: 'clients' } } });
const lakeDir = path.resolve(values.lake!);
const outDir = path.resolve(values.out!);
const configDir = values['config-dir']!;

/** The report e-mail's HTML with its charts inline and the bundled Korean font, as a mail app would show it. */
async function reportHtml(kind: PeriodKind, date: string, locale: Locale): Promise<string> {
  const config = { ...(await loadClientConfig(configDir, 'example')), locale };
  const engine = await createDuckDbEngine({ lakeRoot: lakeDir });
  try {
    const doc = await computeKpiDocument(engine, config, kind, date);
    const lake = createFolderStore(lakeDir);
    const now = new Date(`${addDays(doc.period.end, 1)}T00:00:00Z`);
    const comparedWith = kind === 'daily' ? { start: addDays(doc.period.start, 1 - DAILY_TREND_DAYS), end: addDays(doc.period.start, -1) } : priorPeriod(doc.period);
    const [report] = await buildReportEmails({
      doc,
      config: { ...config, recipients: { ...config.recipients, to: [config.recipients.to[0]!], cc: [] } },
      completeness: (await loadPeriodCoverage(lake, config, doc.period, now)).completeness,
      priorCompleteness: (await loadPeriodCoverage(lake, config, comparedWith, now, { details: false })).completeness,
      now,
      note: await readNote(createFolderStore(configDir), config.id, kind, doc.period.start),
    });
    let html = report!.html;
    for (const chart of report!.charts) html = html.replaceAll(`cid:${chart.cid}`, `data:image/png;base64,${Buffer.from(chart.png).toString('base64')}`);
    const fonts = pretendardFontFiles()
      .map((f, i) => `@font-face{font-family:Pretendard;font-weight:${i === 0 ? 400 : 700};src:url('${pathToFileURL(f).href}')}`)
      .join('');
    return html.replace('</head>', `<style>${fonts}</style></head>`);
  } finally {
    await engine.close();
  }
}

const executablePath = findChromium();
if (executablePath === undefined) throw new Error('no Chromium found: set CHROMIUM_PATH or install chromium');
await mkdir(outDir, { recursive: true });
const work = path.join(tmpdir(), `cspulse-screenshots-${process.pid}`);
await mkdir(work, { recursive: true });
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const shots: { name: string; kind: PeriodKind; date: string; locale: Locale; fullPage: boolean }[] = [
  { name: 'report-daily-ko.png', kind: 'daily', date: '2026-03-31', locale: 'ko', fullPage: true },
  { name: 'report-monthly-first-screen-ko.png', kind: 'monthly', date: '2026-03-01', locale: 'ko', fullPage: false },
  { name: 'report-monthly-first-screen-en.png', kind: 'monthly', date: '2026-03-01', locale: 'en', fullPage: false },
  { name: 'report-after-holiday-ko.png', kind: 'daily', date: '2026-03-03', locale: 'ko', fullPage: true },
];
try {
  for (const shot of shots) {
    const file = path.join(work, shot.name.replace(/\.png$/, '.html'));
    await writeFile(file, await reportHtml(shot.kind, shot.date, shot.locale));
    // a phone's first screen: 375 × 812 CSS pixels
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: path.join(outDir, shot.name), fullPage: shot.fullPage });
    await page.close();
    console.log(`${path.join(outDir, shot.name)}: the ${shot.kind} report of ${periodFor(shot.kind, shot.date).start} (${shot.locale})`);
  }
} finally {
  await browser.close();
}
