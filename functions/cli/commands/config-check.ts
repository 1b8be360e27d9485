import type { Command } from 'commander';
import { loadClientConfigs } from '../../core/config/load-configs.ts';
import { senderWarning } from '../../core/config/sender.ts';
import { mappingProblems } from '../../core/ingest/formats/check-mapping.ts';
import type { CliContext } from '../context.ts';

export function registerConfigCommand(program: Command, context: CliContext): void {
  const config = program.command('config').description('Client configuration');
  config
    .command('check')
    .description('Validate every client config file; errors name the file and the field, warnings go to stderr')
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .action(async (opts: { configDir: string }) => {
      const configs = await loadClientConfigs(opts.configDir);
      const problems = configs.flatMap((c) => mappingProblems(c).map((p) => `${opts.configDir}/${c.id}: ${p}`));
      if (problems.length > 0) context.fail(`invalid mappings:\n${problems.join('\n')}`);
      for (const c of configs) {
        context.out(`ok  ${c.id}  ${c.name}  (${c.timezone}, ${c.locale}; sources: ${c.sources.map((s) => `${s.id}:${s.format}`).join(', ')})`);
      }
      // valid, but SES would refuse to send: worth knowing before the first deploy, not an error locally
      const warnings = configs.flatMap((c) => {
        const warning = senderWarning(c);
        return warning === undefined ? [] : [`warning: ${opts.configDir}/${c.id}: ${warning}`];
      });
      for (const line of warnings) context.err(line);
      context.out(`${configs.length} client config(s) valid in ${opts.configDir}`);
    });
}
