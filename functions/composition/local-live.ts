/**
 * The live page and the intraday alerts on this machine: DuckDB over the lake folder, the coverage index and
 * the alert records in the same folder, the notes beside the client configs, a link key per client in the local
 * secrets folder (made on first use, like the customer key), alerts to the outbox folder or an SMTP server.
 */
import { join } from 'node:path';
import { createDuckDbEngine, type DuckDbEngine } from '../adapters/local/duckdb-engine.ts';
import { createFileLocks } from '../adapters/local/file-locks.ts';
import { createFolderStore } from '../adapters/local/folder-store.ts';
import { ensureLocalSecret } from '../adapters/local/local-secrets.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import type { LiveRequestDeps } from '../core/live/live-request.ts';
import { loadLiveView, type LiveViewDeps } from '../core/live/live-view.ts';
import { runLiveAlerts, type AlertRunResult } from '../core/live/run-alerts.ts';
import { linkKeySecretName, liveUrl } from '../core/live/signed-link.ts';
import { INTRADAY_SQL } from '../core/live/intraday-query.ts';
import type { Clock, Mailer } from '../core/ports.ts';
import { readSqlFile } from '../core/sql/sql-catalog.ts';
import type { LocalPaths } from './local.ts';

export interface LocalLive {
  engine: DuckDbEngine;
  view: LiveViewDeps;
  /** the request handler's dependencies for these clients */
  requests: LiveRequestDeps;
  linkKey(clientId: string): Promise<string>;
  /** a link to the client's page that opens it for `live.link_days` from now */
  link(baseUrl: string, config: ClientConfig, now: Date, locale?: string): Promise<string>;
  close(): Promise<void>;
}

export async function localLive(paths: LocalPaths, configs: readonly ClientConfig[], clock: Clock, notesDir?: string): Promise<LocalLive> {
  const engine = await createDuckDbEngine({ lakeRoot: paths.lake });
  const view: LiveViewDeps = {
    engine,
    intradaySql: await readSqlFile(INTRADAY_SQL),
    lake: createFolderStore(paths.lake),
    ...(notesDir === undefined ? {} : { notes: createFolderStore(notesDir) }),
  };
  const linkKey = (clientId: string) => ensureLocalSecret(paths.secrets, linkKeySecretName(clientId));
  return {
    engine,
    view,
    linkKey,
    link: async (baseUrl, config, now, locale) =>
      liveUrl(baseUrl, await linkKey(config.id), config.id, new Date(now.getTime() + config.live.link_days * 86_400_000), locale),
    requests: {
      config: (id) => configs.find((c) => c.id === id),
      linkKey,
      view: (config, now) => loadLiveView(view, config, now),
      clock,
    },
    close: () => engine.close(),
  };
}

/**
 * The intraday alerts of one client, evaluated now, on this machine: after `cspulse ingest` wrote rows of today,
 * and after each file the live demo replays. The engine is the caller's (one per process).
 */
export async function localLiveAlerts(
  live: LocalLive,
  paths: LocalPaths,
  config: ClientConfig,
  mailer: Mailer,
  clock: Clock,
  baseUrl: string | null,
): Promise<AlertRunResult> {
  return runLiveAlerts(
    {
      ...live.view,
      mailer,
      clock,
      locks: createFileLocks(join(paths.lake, '..', 'locks')),
      ...(baseUrl === null ? {} : { link: (c: ClientConfig, now: Date) => live.link(baseUrl, c, now) }),
    },
    config,
  );
}
