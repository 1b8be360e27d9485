/**
 * `bin/cspulse.js` as a user runs it: a fresh Node process on the bundle of the checkout (bin/cli-bundle.js),
 * built by `npm ci` or, on a clone where it is missing or stale, by the first command. The commands read sql/
 * and the sample clients from the checkout and DuckDB from node_modules; `--help` loads nothing but commander.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBundle, sourceFingerprint } from '../../bin/cli-bundle.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const cspulse = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin/cspulse.js'), ...args], { cwd: ROOT });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bin/cspulse.js', () => {
  it('answers --help with every command', async () => {
    const { stdout } = await cspulse('--help');
    expect(stdout).toMatch(/^Usage: cspulse /);
    for (const command of ['ingest', 'kpis', 'report', 'query', 'config', 'demo']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('ingests a file and queries it through the sql/ views, from the bundle', async () => {
    const file = join(dir, 'calls.tsv');
    // two calls of 1 Feb 1999 in the bank's mapping (tab-separated Technion format), as in cli.test.ts
    await writeFile(
      file,
      'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n' +
        'AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT\r\n' +
        'AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n',
    );
    const lake = join(dir, 'lake');
    const ingested = await cspulse('ingest', '--client', 'anonymous-bank', '--source', 'calls', '--config-dir', 'test/fixtures/clients', '--lake', lake, file);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ file, status: 'ok', rows_read: 2, rows_written: 2, partitions: ['1999-02-01'] });
    // contacts_local is sql/views/contacts_local.sql, read from the checkout at run time
    const queried = await cspulse('query', 'select contact_id, outcome_ko, arrived_at_local from contacts_local order by contact_id', '--lake', lake, '--format', 'csv');
    // the bank's calls at 7:02:47 and 8:09:16 Jerusalem time (a local wall clock: no Z); the second left the queue
    // after 5 s
    expect(queried.stdout.trim().split('\n')).toEqual([
      'contact_id,outcome_ko,arrived_at_local',
      'AA0101-34536,응대,1999-02-01T07:02:47.000',
      'AA0101-34539,포기,1999-02-01T08:09:16.000',
    ]);
  });

  it('loads only commander before a command runs: DuckDB, the renderers and the config schema load with the command', async () => {
    const entry = await currentBundle();
    const meta = JSON.parse(await readFile(join(dirname(entry), 'meta.json'), 'utf8')) as {
      outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
    };
    const key = (path: string) => Object.keys(meta.outputs).find((k) => k.endsWith(path))!;
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (output: string) => {
      if (seen.has(output)) return;
      seen.add(output);
      for (const i of meta.outputs[output]!.imports) {
        if (i.kind !== 'import-statement') continue;
        if (i.external) packages.add(i.path);
        else visit(key(i.path));
      }
    };
    visit(key('/cspulse.js'));
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['commander']);
  });

  it('fingerprints every bundled source: a changed, added or removed file means a new bundle', async () => {
    const checkout = join(dir, 'checkout');
    await mkdir(join(checkout, 'functions/cli'), { recursive: true });
    await mkdir(join(checkout, 'presets'), { recursive: true });
    await writeFile(join(checkout, 'package.json'), '{}');
    await writeFile(join(checkout, 'functions/cli/a.ts'), 'export const a = 1;\n');
    await writeFile(join(checkout, 'presets/p.json'), '{}');
    const first = sourceFingerprint(checkout);
    expect(sourceFingerprint(checkout)).toBe(first);
    await utimes(join(checkout, 'functions/cli/a.ts'), new Date(), new Date(Date.now() + 5_000));
    const touched = sourceFingerprint(checkout);
    expect(touched).not.toBe(first);
    await writeFile(join(checkout, 'presets/q.json'), '{}');
    const added = sourceFingerprint(checkout);
    expect(added).not.toBe(touched);
    await rm(join(checkout, 'presets/q.json'));
    expect(sourceFingerprint(checkout)).toBe(touched);
  });
});
