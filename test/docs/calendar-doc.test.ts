/**
 * docs/calendar.md shows calendars and `config check` output: each example must be valid, and the output must
 * be what the command prints for the demo clients.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../functions/cli/context.ts';
import { runCli } from '../../functions/cli/main.ts';
import { loadClientConfig } from '../../functions/core/config/load-configs.ts';
import { parseClientConfig } from '../../functions/core/config/parse-config.ts';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/calendar.md'), 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]!);

describe('docs/calendar.md', () => {
  it('every YAML example is a valid calendar', () => {
    const examples = blocks('yaml');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const yaml of examples) {
      const config = parseClientConfig(
        'id: shop\nname: Shop\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\n' +
          `contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [a@shop.example] }\n${yaml}\n`,
        'clients/shop.yaml',
      );
      expect(config.calendar!.length).toBeGreaterThan(0);
    }
  });

  it('shows config check\'s output for the demo clients as the command prints it', async () => {
    const shown = /```\n(\$ npx cspulse config check --from 2026-02-14\n[\s\S]*?)\n```/.exec(doc)![1]!.split('\n');
    const stdout: string[] = [];
    const context: CliContext = {
      loadConfig: loadClientConfig,
      out: (l) => stdout.push(l),
      err: () => undefined,
      fail: (m) => {
        throw new CliFailure(m);
      },
    };
    expect(await runCli(['config', 'check', '--from', '2026-02-14'], context)).toBe(0);
    expect(shown.slice(1)).toEqual(stdout);
  });
});
