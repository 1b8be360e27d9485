/**
 * A full disk under the lake: `cspulse ingest` ends with one line naming the failure and a non-zero exit, not a
 * stack trace. The disk is a real one: a small tmpfs filled to the last byte (mounting needs root, as CI and the
 * development machine have; elsewhere this file says so and skips). The classification itself is checked on
 * errors the operating system and the engines really raise.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../functions/cli/context.ts';
import { runCli } from '../../functions/cli/main.ts';
import { loadClientConfig } from '../../functions/core/config/load-configs.ts';
import { describeInfrastructureError, permanentFailure } from '../../functions/core/errors/infrastructure.ts';

let dir: string;
let disk: string;
let mounted = false;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-enospc-'));
  disk = join(dir, 'disk');
  await mkdir(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'ignore' });
    mounted = true;
    // fill it: every later write fails with ENOSPC
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops at ENOSPC, as intended
    }
  } catch {
    console.warn('infrastructure-errors: cannot mount a tmpfs here (needs root); the full-disk run is skipped');
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [disk], { stdio: 'ignore' });
  await rm(dir, { recursive: true, force: true });
});

function capture(): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, loadConfig: loadClientConfig, out: (l) => stdout.push(l), err: (l) => stderr.push(l), fail: (m) => { throw new CliFailure(m); } };
}

describe('infrastructure failures', () => {
  it('ingest into a lake on a full disk: one line on stderr, exit 1', async (ctx) => {
    if (!mounted) ctx.skip();
    const file = join(dir, 'calls.csv');
    await writeFile(file, 'contact_id,channel,arrived_at,outcome\nC1,phone,2026-03-02T09:00:00+09:00,answered\n');
    const out = capture();
    const code = await runCli(['ingest', '--client', 'example', '--source', 'cti', '--lake', join(disk, 'lake'), '--quarantine', join(dir, 'q'), file], out);
    expect(code).toBe(1);
    expect(out.stderr).toHaveLength(1);
    expect(out.stderr[0]).toMatch(/^cspulse: no space left on the device( \([^)]*\))? \[ENOSPC\]; nothing was half-written: rerun once it is fixed$/);
    expect(out.stderr[0]).not.toContain('\n');
  }, 60_000);

  it('names real errors by their code or the engine\'s words, and leaves other errors alone', () => {
    let enospc: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (error) {
      enospc = error;
    }
    expect(describeInfrastructureError(enospc)).toBe('no space left on the device [ENOSPC]');
    // DuckDB reports a full spill folder in its message, wrapped by the workspace adapter
    const duck = new Error('Workspace query failed', { cause: new Error('IO Error: Could not write file "/tmp/x.parquet": No space left on device') });
    expect(describeInfrastructureError(duck)).toBe('no space left on the device [ENOSPC]');
    const erofs = Object.assign(new Error("EROFS: read-only file system, open '/lake/x'"), { code: 'EROFS', syscall: 'open', path: '/lake/x' });
    expect(describeInfrastructureError(erofs)).toBe('the file system is read-only (open /lake/x) [EROFS]');
    expect(describeInfrastructureError(new Error('socket hang up'))).toBeUndefined();
    expect(permanentFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(permanentFailure(new RangeError('Invalid string length'))).toBe("the JavaScript engine's limit: Invalid string length");
  });
});
