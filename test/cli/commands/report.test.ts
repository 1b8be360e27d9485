import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommand, type ReportCommandContext } from '../../../functions/cli/commands/report.ts';
import { periodContaining } from '../../../functions/core/schedule/periods.ts';
import { config, dailyDoc } from '../../core/report/fixtures.ts';

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
  it('writes the report to the outbox, marked incomplete when the lake has no manifests, and only once', async () => {
    const out = path.join(root, 'out');
    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out]);
    expect(JSON.parse(lines[0]!)).toEqual({
      status: 'sent-incomplete',
      period: { kind: 'daily', start: '2026-03-04', end: '2026-03-04' },
      message_id: '<report.shop.daily.2026-03-04@cspulse.example.com>',
      subject: '[예시몰] Daily CS report · Wed 4 Mar 2026 (incomplete data)',
      delivered_to: path.join(out, 'shop-daily-2026-03-04.eml'),
    });
    expect(lakesAsked).toEqual([path.join(root, 'lake')]);
    const mail = await simpleParser(await readFile(path.join(out, 'shop-daily-2026-03-04.eml')));
    expect(mail.subject).toBe('[예시몰] Daily CS report · Wed 4 Mar 2026 (incomplete data)');

    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ status: 'skipped-already-sent', hint: 'already sent; use --force to send again' });
    await run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-03-04', '--out', out, '--force']);
    expect(JSON.parse(lines[2]!)).toMatchObject({ status: 'sent-incomplete', delivered_to: path.join(out, 'shop-daily-2026-03-04-2.eml') });
    expect((await readdir(out)).length).toBe(4);
  });

  it('reports the weekly period containing the date', async () => {
    await run(['report', '--client', 'shop', '--period', 'weekly', '--date', '2026-03-04', '--out', path.join(root, 'o')]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ period: { kind: 'weekly', start: '2026-03-02', end: '2026-03-08' } });
  });

  it('rejects a bad period or date before doing anything', async () => {
    await expect(run(['report', '--client', 'shop', '--period', 'yearly', '--date', '2026-03-04'])).rejects.toThrow(/daily, weekly or monthly/);
    await expect(run(['report', '--client', 'shop', '--period', 'daily', '--date', '2026-02-30'])).rejects.toThrow(/existing date/);
    expect(lakesAsked).toEqual([]);
  });
});
