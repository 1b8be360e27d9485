/**
 * `cspulse serve`: the live page of every client of the config folder, from the local lake, on 127.0.0.1:8080 by
 * default. It prints one signed link per client (valid for the client's `live.link_days`); the page refuses any
 * other. Runs until interrupted.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { LiveServer } from '../../adapters/local/live-server.ts';
import type { LocalLive } from '../../composition/local-live.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import { systemClock, type Clock } from '../../core/ports.ts';
import type { CliContext } from '../context.ts';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  port: number;
  host: string;
  configDir: string;
  lake?: string;
  /** the address links are printed with, when the page is reached through a proxy; default the server's own */
  baseUrl?: string;
}

export interface RunningServe {
  server: LiveServer;
  live: LocalLive;
  configs: ClientConfig[];
  /** the base of the printed links */
  baseUrl: string;
  /** one signed link per client */
  links: Map<string, string>;
  close(): Promise<void>;
}

export const parsePort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
};

/** Starts the server and makes the links; the caller closes it. */
export async function startServe(options: ServeOptions, context: Pick<CliContext, 'err'>, clock: Clock = systemClock, configs?: ClientConfig[]): Promise<RunningServe> {
  // loaded when the server starts: `cspulse --help` loads none of it (main.ts)
  const [{ startLiveServer }, { localPaths }, { localLive }, { loadClientConfigs }, { handleLiveRequest }] = await Promise.all([
    import('../../adapters/local/live-server.ts'),
    import('../../composition/local.ts'),
    import('../../composition/local-live.ts'),
    import('../../core/config/load-configs.ts'),
    import('../../core/live/live-request.ts'),
  ]);
  const clients = configs ?? (await loadClientConfigs(options.configDir));
  const paths = localPaths({ lake: options.lake });
  const live = await localLive(paths, clients, clock, options.configDir);
  let server: LiveServer;
  try {
    server = await startLiveServer({
      host: options.host,
      port: options.port,
      handle: (request) => handleLiveRequest(live.requests, request),
      onError: (error) => context.err(`cspulse serve: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    await live.close();
    throw error;
  }
  const baseUrl = (options.baseUrl ?? server.url).replace(/\/+$/, '');
  const links = new Map<string, string>();
  for (const config of clients) links.set(config.id, await live.link(baseUrl, config, clock.now()));
  return {
    server,
    live,
    configs: clients,
    baseUrl,
    links,
    close: async () => {
      await server.close();
      await live.close();
    },
  };
}

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description(
      'Serve the live page (today so far against the usual, alerts, data freshness) of every client in the config ' +
        'folder from the local lake. Prints one signed link per client; any other request is refused with 403.',
    )
    .option('--port <n>', `port to listen on (0: any free port)`, parsePort, DEFAULT_PORT)
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--config-dir <dir>', 'folder of client configs', 'clients')
    .option('--lake <dir>', 'local lake folder (default .cspulse/lake)')
    .option('--base-url <url>', 'address the printed links start with (default the server\'s own)')
    .action(async (opts: ServeOptions) => {
      const running = await startServe(opts, context);
      context.out(`cspulse live page on ${running.server.url} (Ctrl-C to stop)`);
      for (const [id, link] of running.links) context.out(`  ${id}: ${link}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.close();
    });
}
