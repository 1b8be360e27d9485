import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../../functions/cli/context.ts';
import { runCli } from '../../../functions/cli/main.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';

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

const client = (id: string, sender?: string) =>
  `id: ${id}\nname: ${id}\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\n` +
  `contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [cs@${id}.co.kr] }\n${sender ? `sender: ${sender}\n` : ''}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-config-check-'));
  await writeFile(join(dir, 'verified.yaml'), client('verified', 'reports@cs-partner.co.kr'));
  await writeFile(join(dir, 'nosender.yaml'), client('nosender'));
  await writeFile(join(dir, 'placeholder.yaml'), client('placeholder', 'reports@cspulse.example.com'));
  await writeFile(join(dir, 'localdev.yaml'), client('localdev', 'me@laptop.local'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cspulse config check: senders', () => {
  it('warns, without failing, about a client with no sender or a sender SES cannot verify', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', dir], ctx)).toBe(0);
    expect(ctx.stdout.at(-1)).toBe(`4 client config(s) valid in ${dir}`);
    expect(ctx.stderr).toEqual([
      `warning: ${dir}/localdev: sender me@laptop.local is on laptop.local, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`,
      `warning: ${dir}/nosender: no sender: reports go out from the deployment's default (CSPULSE_DEFAULT_SENDER at cdk synth, else reports@cspulse.example.com); set sender to an address of a domain verified in SES`,
      `warning: ${dir}/placeholder: sender reports@cspulse.example.com is on cspulse.example.com, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`,
    ]);
  });
});
