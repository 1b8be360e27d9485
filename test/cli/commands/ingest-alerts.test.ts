/**
 * `cspulse ingest` evaluates the intraday alerts after files that hold rows of the client's today, and only
 * then: six calls of Tuesday 2026-03-31 between 10:10 and 10:55, three of them answered within 20 s, make the
 * last hour's service level 3/6 = 50 %, under 80 % − 5 pp, and the operator gets one e-mail; an export of a past
 * day, ingested the same morning, evaluates nothing.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../../functions/cli/context.ts';
import { runCli } from '../../../functions/cli/main.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { configInput } from '../../core/live/live-fixture.ts';

function capture(now: Date): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    loadConfig: loadClientConfig,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    fail: (m) => {
      throw new CliFailure(m);
    },
    clock: { now: () => now },
  };
}

const calls = (date: string) =>
  'contact_id,channel,arrived_at,wait_seconds,outcome,category\n' +
  [
    ['c1', '10:10:00', 5, 'answered'],
    ['c2', '10:20:00', 45, 'answered'],
    ['c3', '10:30:00', 12, 'answered'],
    ['c4', '10:40:00', 70, 'abandoned'],
    ['c5', '10:50:00', 30, 'answered'],
    ['c6', '10:55:00', 3, 'answered'],
  ]
    .map(([id, at, wait, outcome]) => `${date}-${id},phone,${new Date(`${date}T${at}+09:00`).toISOString()},${wait},${outcome},배송`)
    .join('\n') +
  '\n';

describe('cspulse ingest and the intraday alerts', () => {
  it("alerts after an export of today, and not after one of a past day", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cspulse-ingest-alerts-'));
    const configDir = join(dir, 'clients');
    await mkdir(configDir);
    await writeFile(join(configDir, 'livemall.json'), JSON.stringify(configInput));
    const today = join(dir, 'calls-20260331.csv');
    const past = join(dir, 'calls-20260324.csv');
    await writeFile(today, calls('2026-03-31'));
    await writeFile(past, calls('2026-03-24'));
    const args = (file: string) => ['ingest', '--client', 'livemall', '--source', 'cti', '--config-dir', configDir, '--lake', join(dir, 'lake'), '--alerts-out', join(dir, 'out'), file];
    const morning = new Date('2026-03-31T02:00:30Z'); // 11:00:30 in Seoul

    const pastRun = capture(morning);
    expect(await runCli(args(past), pastRun)).toBe(0);
    expect(pastRun.stderr).toEqual([]);
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);

    const todayRun = capture(morning);
    expect(await runCli(args(today), todayRun)).toBe(0);
    expect(JSON.parse(todayRun.stdout[0]!)).toMatchObject({ status: 'ok', rows_written: 6, partitions: ['2026-03-31'] });
    expect(todayRun.stderr).toContain('alert started: [라이브몰] 실시간 알림: 전화 최근 1시간 서비스 레벨 50.0% (목표 80.0%)');
    expect((await readdir(join(dir, 'out', 'livemall', 'alerts'))).filter((f) => f.endsWith('.eml'))).toEqual(['livemall-2026-03-31-service_level-phone-1-start.eml']);

    // the same export again: the streak goes on, nothing is sent twice
    const again = capture(new Date('2026-03-31T02:05:30Z'));
    expect(await runCli(args(today), again)).toBe(0);
    expect(again.stderr).toEqual([]);
  });
});
