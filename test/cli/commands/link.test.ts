/**
 * `cspulse link` prints a link the page accepts: signed with the client's local key, for its live.link_days.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalSecrets } from '../../../functions/adapters/local/local-secrets.ts';
import { CliFailure, type CliContext } from '../../../functions/cli/context.ts';
import { runCli } from '../../../functions/cli/main.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { linkKeySecretName, verifyLink } from '../../../functions/core/live/signed-link.ts';

describe('cspulse link', () => {
  it("prints a link to the client's page that its key verifies, valid for its link_days", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cspulse-link-'));
    const now = new Date('2026-03-31T02:00:00Z');
    const out: string[] = [];
    const ctx: CliContext = { loadConfig: loadClientConfig, out: (l) => out.push(l), err: () => undefined, fail: (m) => { throw new CliFailure(m); }, clock: { now: () => now } };
    const code = await runCli(['link', '--client', 'example', '--base-url', 'https://abc.lambda-url.ap-northeast-2.on.aws/', '--lake', join(dir, 'lake'), '--lang', 'en'], ctx);
    expect(code).toBe(0);
    const url = new URL(out[0]!);
    expect(`${url.origin}${url.pathname}`).toBe('https://abc.lambda-url.ap-northeast-2.on.aws/live/example');
    expect(url.searchParams.get('lang')).toBe('en');
    const key = await createLocalSecrets(join(dir, 'secrets')).get(linkKeySecretName('example'));
    // clients/example.yaml leaves live.link_days at its default, 7
    expect(verifyLink(key, 'example', url.searchParams.get('e'), url.searchParams.get('s'), now)).toEqual({ expiresAt: new Date('2026-04-07T02:00:00Z') });
  });
});
