/**
 * `cspulse link`: a signed link to a client's live page, for an operator who wants one outside the daily e-mail.
 * The key is the client's local link key (made on first use, as `cspulse serve` does), or, for a deployed client,
 * its Secrets Manager value given on standard input (`--key-stdin`; docs/deploy.md shows the command).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.ts';

interface LinkOptions {
  client: string;
  baseUrl: string;
  days?: number;
  lang?: string;
  keyStdin?: boolean;
  configDir: string;
  lake?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerLinkCommand(program: Command, context: CliContext): void {
  program
    .command('link')
    .description("Print a signed link to a client's live page, valid for its live.link_days (or --days).")
    .requiredOption('--client <id>', 'client id (clients/<id>.yaml)')
    .requiredOption('--base-url <url>', 'where the page is: the cspulse serve address, or the stack output LiveUrl')
    .option('--days <n>', 'how long the link works (1 to 31)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 31) throw new InvalidArgumentError('a whole number of days from 1 to 31');
      return n;
    })
    .option('--lang <ko|en>', 'the language the page opens in (default the client\'s)')
    .option('--key-stdin', "read the client's link key from standard input (a deployed client's secret value)")
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder, beside which the local keys are (default .cspulse/lake)')
    .action(async (opts: LinkOptions) => {
      const config = await context.loadConfig(opts.configDir, opts.client);
      const [{ ensureLocalSecret }, { localPaths }, { linkKeySecretName, liveUrl }] = await Promise.all([
        import('../../adapters/local/local-secrets.ts'),
        import('../../composition/local.ts'),
        import('../../core/live/signed-link.ts'),
      ]);
      const key = opts.keyStdin === true ? await readStdin() : await ensureLocalSecret(localPaths({ lake: opts.lake }).secrets, linkKeySecretName(config.id));
      if (key === '') throw new InvalidArgumentError('the link key read from standard input is empty');
      const now = (context.clock?.now() ?? new Date()).getTime();
      const days = opts.days ?? config.live.link_days;
      context.out(liveUrl(opts.baseUrl, key, config.id, new Date(now + days * 86_400_000), opts.lang));
    });
}
