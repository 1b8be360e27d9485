import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommand, type ReportCommandContext } from '../../../functions/cli/commands/report.ts';
import { CliFailure } from '../../../functions/cli/context.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { coverageKeys } from '../../../functions/core/ingest/coverage.ts';
import { periodContaining } from '../../../functions/core/schedule/periods.ts';
import { config, coverageEntry, dailyDoc } from '../../core/report/fixtures.ts';

async function deliver(root: string, dates: string[]) {
  const lake = createFolderStore(path.join(root, 'lake'));
  for (const dt of dates) {
    for (const source of ['cti', 'chat']) {
      // 10 rows a source-day: a month of them (620) stays within the 1,050 contacts the stub document counts,
      // so every report is consistent with its coverage (functions/core/schedule/lake-consistency.ts)
      const e = coverageEntry({ source, dt, rows: 10 });
      await lake.put(coverageKeys.entry('shop', dt, source, e.file_id), JSON.stringify(e));
    }
  }
}

let root: string;
let lines: string[];
let context: ReportCommandContext;
let lakesAsked: string[];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cspulse-cli-report-'));
  lines = [];
  lakesAsked = [];
  context = {
    resolveLake: (opts) => opts.lake ?? path.join(root, 'lake'),
    loadConfig: async (configDir, clientId) => {
      expect([configDir, clientId]).toEqual(['clients', 'shop']);
      return config({ locale: 'en' });
    },
    loadKpis: async (lakeDir, _config, kind, date) => {
      lakesAsked.push(lakeDir);
      return dailyDoc({ period: periodContaining(kind, date), ...(kind === 'daily' ? {} : { week_ago: null, week_ago_period: null }) });
    },
    out: (line) => lines.push(line),
    clock: { now: () => new Date('2026-03-05T00:00:00Z') },
  };
});

const run = (args: string[]) => {
  const program = new Command('cspulse').exitOverride();
  registerReportCommand(program, context);
  return program.parseAsync(args, { from: 'user' });
};

describe('cspulse report', () => {
  it('writes the report to the outbox, and only once', async () => {
    await deliver(root, ['2026-03-03', '2026-03-04']);
    const out = path.join(root, 'out');
    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out]);
    expect(JSON.parse(lines[0]!)).toEqual({
      status: 'sent',
      period: { kind: 'daily', start: '2026-03-04', end: '2026-03-04' },
      message_id: '<report.shop.daily.2026-03-04@cspulse.example.com>',
      subject: '[예시몰] 2 of 3 contract targets met · 900 answered · ₩5,000,000 a month (₩2,500 per contact) | Daily CS report · Wed 4 Mar 2026',
      delivered_to: path.join(out, 'shop-daily-2026-03-04.eml'),
    });
    expect(lakesAsked).toEqual([path.join(root, 'lake')]);
    const mail = await simpleParser(await readFile(path.join(out, 'shop-daily-2026-03-04.eml')));
    expect(mail.subject).toBe('[예시몰] 2 of 3 contract targets met · 900 answered · ₩5,000,000 a month (₩2,500 per contact) | Daily CS report · Wed 4 Mar 2026');

    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ status: 'skipped-already-sent', hint: 'already sent and no data arrived since; use --force to send again' });
    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out, '--force']);
    expect(JSON.parse(lines[2]!)).toMatchObject({ status: 'sent', delivered_to: path.join(out, 'shop-daily-2026-03-04-2.eml') });
    expect((await readdir(out)).length).toBe(4);
  });

  it('tells the operator, not the client, about a day without data', async () => {
    const out = path.join(root, 'out');
    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out]);
    expect(JSON.parse(lines[0]!)).toEqual({
      status: 'no-data',
      period: { kind: 'daily', start: '2026-03-04', end: '2026-03-04' },
      notified: 'operator',
      missing: [{ source: 'cti', dt: '2026-03-04' }, { source: 'chat', dt: '2026-03-04' }],
      hint: 'no data for the period: the operator was notified instead of the client (reports.when_no_data)',
    });
    expect(lakesAsked).toEqual([]);
    expect(await readdir(out)).toEqual(['shop-daily-2026-03-04-notice.eml', 'shop-daily-2026-03-04-notice.html']);
  });

  it('refuses a period that has not ended with one clear line', async () => {
    // the clock says 2026-03-05 09:00 KST
    const failure = await run(['report', '--client', 'shop', '--period', 'monthly', '--date', '2026-03-04']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as Error).message).toBe(
      'the monthly period 2026-03-01…2026-03-31 has not ended yet in Asia/Seoul (it ends at 2026-03-31T15:00:00.000Z); a report can only be sent for a period that is over',
    );
    expect(lines).toEqual([]);
    expect(lakesAsked).toEqual([]);
  });

  it('reports the weekly period containing the date', async () => {
    context.clock = { now: () => new Date('2026-03-09T00:00:00Z') };
    await deliver(root, ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    await run(['report', '--client', 'shop', '--period', 'weekly', '--date', '2026-03-04', '--out', path.join(root, 'o')]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ period: { kind: 'weekly', start: '2026-03-02', end: '2026-03-08' } });
  });

  it('rejects a bad period or date before doing anything', async () => {
    await expect(run(['report', '--client', 'shop', '--period', 'yearly', '--date', '2026-03-04'])).rejects.toThrow(/daily, weekly or monthly/);
    await expect(run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-02-30'])).rejects.toThrow(/existing date/);
    expect(lakesAsked).toEqual([]);
  });
});
