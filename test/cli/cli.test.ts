import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClientConfig } from '../../functions/core/config/load-configs.ts';
import { runCli } from '../../functions/cli/main.ts';
import { CliFailure, type CliContext } from '../../functions/cli/context.ts';

function capture(): CliContext & { stdout: string[]; stderr: string[] } {
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
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cspulse CLI', () => {
  it('config check lists the valid clients', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check'], ctx)).toBe(0);
    expect(ctx.stdout.at(-1)).toMatch(/^\d+ client config\(s\) valid in clients$/);
    expect(ctx.stdout.some((l) => l.startsWith('ok  example  예시몰'))).toBe(true);
  });

  it('ingest prints one JSON line per file with the contract fields and fails on a rejected file', async () => {
    const good = join(dir, 'calls.tsv');
    // two calls on 1 Feb 1999 in the bank's mapping (tab-separated Technion format)
    await writeFile(
      good,
      'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n' +
        'AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\r\n' +
        'AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n',
    );
    const empty = join(dir, 'empty.tsv');
    await writeFile(empty, '');
    const ctx = capture();
    const code = await runCli(
      ['ingest', '--client', 'anonymous-bank', '--source', 'calls', '--config-dir', 'test/fixtures/clients', '--lake', join(dir, 'lake'), good, empty],
      ctx,
    );
    expect(code).toBe(1);
    const lines = ctx.stdout.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ file: good, status: 'ok', rows_read: 2, rows_written: 2, rows_quarantined: 0, duplicates_dropped: 0, rows_excluded: 0, partitions: ['1999-02-01'] });
    expect(lines[1]).toMatchObject({ file: empty, status: 'rejected' });
    expect(ctx.stderr.join('\n')).toMatch(/1 rejected of 2 file\(s\)/);
  });

  it('ingests every file of a folder', async () => {
    const folder = join(dir, 'exports');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder);
    const header = 'contact_id,channel,arrived_at,outcome\n';
    await writeFile(join(folder, 'b.csv'), `${header}C2,phone,2026-03-02T10:00:00+09:00,제외\n`);
    await writeFile(join(folder, 'a.csv'), `${header}C1,phone,2026-03-02T09:00:00+09:00,응대\n`);
    const configDir = join(dir, 'clients');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'acme.yaml'),
      'id: acme\nname: ACME\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\ncontract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [a@acme.example] }\n',
    );
    const ctx = capture();
    const code = await runCli(['ingest', '--client', 'acme', '--source', 'cti', '--config-dir', configDir, '--lake', join(dir, 'lake3'), folder], ctx);
    expect(code).toBe(0);
    const lines = ctx.stdout.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.rows_written, l.rows_excluded])).toEqual([
      [join(folder, 'a.csv'), 1, 0],
      [join(folder, 'b.csv'), 1, 1],
    ]);
  });

  it('says partial and exits 1 when a file quarantines more than half its rows', async () => {
    const configDir = join(dir, 'clients-partial');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'acme.yaml'),
      'id: acme\nname: ACME\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\ncontract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [a@acme.example] }\n',
    );
    const header = 'contact_id,channel,arrived_at,outcome,talk_seconds\n';
    // 2 of 3 rows carry a talk time as H:MM:SS where seconds are expected: 66.7 % quarantined, over the default half
    const mostly = join(dir, 'mostly-bad.csv');
    await writeFile(mostly, `${header}P1,phone,2026-03-24T09:00:00+09:00,응대,0:04:17\nP2,phone,2026-03-24T09:05:00+09:00,응대,0:02:00\nP3,phone,2026-03-24T09:10:00+09:00,응대,120\n`);
    // 1 of 3: within the share
    const fine = join(dir, 'mostly-good.csv');
    await writeFile(fine, `${header}P4,phone,2026-03-24T10:00:00+09:00,응대,0:04:17\nP5,phone,2026-03-24T10:05:00+09:00,응대,90\nP6,phone,2026-03-24T10:10:00+09:00,응대,120\n`);
    const ctx = capture();
    const code = await runCli(['ingest', '--client', 'acme', '--source', 'cti', '--config-dir', configDir, '--lake', join(dir, 'lake4'), mostly, fine], ctx);
    expect(code).toBe(1);
    const lines = ctx.stdout.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.status, l.rows_written, l.rows_quarantined])).toEqual([
      ['partial', 1, 2],
      ['ok', 2, 1],
    ]);
    expect(lines[0].error).toBe('2 of 3 rows (66.7%) were quarantined, more than the source allows (completeness.max_quarantined_share 0.5)');
    expect(ctx.stderr.join('\n')).toBe('cspulse: 1 partly quarantined (status partial) of 2 file(s)');
  });

  it("writes the account manager's note of a period where the report reads it, and clears it", async () => {
    const configDir = join(dir, 'clients-note');
    const { mkdir, readFile } = await import('node:fs/promises');
    await mkdir(configDir);
    await writeFile(
      join(configDir, 'acme.yaml'),
      'id: acme\nname: ACME\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\ncontract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [a@acme.example] }\n',
    );
    const ctx = capture();
    // any date of March names the monthly report of March
    expect(await runCli(['note', '--client', 'acme', '--period', 'monthly', '--date', '2026-03-17', '--config-dir', configDir, '--text', '3/4 택배사 파업'], ctx)).toBe(0);
    const file = join(configDir, 'notes', 'client_id=acme', 'monthly', '2026-03-01.md');
    expect(JSON.parse(ctx.stdout[0]!)).toEqual({ client: 'acme', period: { kind: 'monthly', start: '2026-03-01', end: '2026-03-31' }, file, shown: '3/4 택배사 파업' });
    expect(await readFile(file, 'utf8')).toBe('3/4 택배사 파업');
    expect(await runCli(['note', '--client', 'acme', '--period', 'monthly', '--date', '2026-03-17', '--config-dir', configDir, '--clear'], ctx)).toBe(0);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
    const bad = capture();
    expect(await runCli(['note', '--client', 'acme', '--period', 'monthly', '--date', '2026-03-17', '--config-dir', configDir], bad)).toBe(1);
  });

  it('names an unknown source', async () => {
    const ctx = capture();
    const file = join(dir, 'x.csv');
    await writeFile(file, 'a\n');
    const code = await runCli(['ingest', '--client', 'example', '--source', 'nope', '--lake', join(dir, 'lake2'), file], ctx);
    expect(code).toBe(1);
    expect(ctx.stderr.join('\n')).toBe('cspulse: client "example" has no source "nope" (sources: cti, chat, surveys)');
  });
});
