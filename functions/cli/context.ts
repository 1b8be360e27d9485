import type { ClientConfig } from '../core/config/client-config.ts';
import type { Clock } from '../core/ports.ts';

/** What every CLI command gets: config loading and output, so tests can run commands in-process. */
export interface CliContext {
  loadConfig(configDir: string, clientId: string): Promise<ClientConfig>;
  out(line: string): void;
  err(line: string): void;
  /** reports a failure and makes the process exit non-zero */
  fail(message: string): void;
  /** what "today" is for commands that look ahead (config check's calendar); default the system clock */
  clock?: Clock;
  /** all of standard input, for `-` in place of a file (`cspulse query -`) */
  readStdin?(): Promise<string>;
}

export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const processContext: CliContext = {
  // the config schema and YAML parser load with the first command that reads a config
  loadConfig: async (configDir, clientId) => (await import('../core/config/load-configs.ts')).loadClientConfig(configDir, clientId),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  fail: (message) => {
    throw new CliFailure(message);
  },
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
