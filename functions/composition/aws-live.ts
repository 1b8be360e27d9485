/**
 * The live page's and the intraday alerts' AWS composition, apart from aws.ts so that the collector's bundle does
 * not carry them: Athena through the client's workgroup, the lake bucket, SES, the link key.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { createSesMailer } from '../adapters/aws/ses-mailer.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import { INTRADAY_SQL } from '../core/live/intraday-query.ts';
import type { LiveRequestDeps } from '../core/live/live-request.ts';
import { loadLiveView, type LiveViewDeps } from '../core/live/live-view.ts';
import { liveWindow } from '../core/live/live-days.ts';
import { cachingQueryEngine, cachingViewLoader } from '../core/live/query-cache.ts';
import { runLiveAlerts, type AlertRunResult } from '../core/live/run-alerts.ts';
import { systemClock } from '../core/ports.ts';
import { RUNTIME_ENV } from '../core/runtime-env.ts';
import { loadSqlCatalog } from '../core/sql/sql-catalog.ts';
import { awsAthena, awsLinkKey, awsLiveLink, awsRuntime } from './aws.ts';

async function liveViewDeps(engine: LiveViewDeps['engine']): Promise<LiveViewDeps> {
  const rt = awsRuntime();
  const sqlDir = process.env[RUNTIME_ENV.sqlDir];
  const sql = await loadSqlCatalog(...(sqlDir ? [sqlDir] : []));
  // the account manager's notes: `notes/client_id=<client>/` of the lake bucket (docs/deploy.md)
  return { engine, intradaySql: sql[INTRADAY_SQL], lake: rt.lake, notes: rt.lake };
}

/**
 * Live function: Athena through the client's workgroup, each result kept a minute (query-cache.ts: the query
 * changes with the minute, so every viewer of that minute shares one query) and the whole view with it, the link
 * key from Secrets Manager.
 */
export async function awsLiveRequestDeps(): Promise<LiveRequestDeps> {
  const rt = awsRuntime();
  const view = await liveViewDeps(cachingQueryEngine(awsAthena(), systemClock));
  return {
    config: (id) => (id === rt.config.id ? rt.config : undefined),
    linkKey: (id) => (id === rt.config.id ? awsLinkKey() : Promise.reject(new Error(`not this stack's client: ${id}`))),
    // the whole view of a minute, kept for the minute: every viewer's reload in it reads nothing again
    view: cachingViewLoader((config, now) => loadLiveView(view, config, now), (now, zone) => liveWindow(now, zone).asOf, systemClock),
    clock: systemClock,
  };
}

/**
 * The intraday alerts after an ingest: the same view through Athena (no cache: an ingest just changed the data),
 * e-mails through SES from the stack's sender, a link to the live page in them. No locks: the ingest queue runs a
 * client's files one at a time, and each message is claimed before it is sent.
 */
export async function awsLiveAlerts(): Promise<((config: ClientConfig) => Promise<AlertRunResult>) | undefined> {
  // the stack gives the link key only where it deployed the live page and the alerts' permissions with it
  if (!process.env[RUNTIME_ENV.linkKeySecret]) return undefined;
  const view = await liveViewDeps(awsAthena());
  const configurationSet = process.env[RUNTIME_ENV.sesConfigurationSet];
  const mailer = createSesMailer({ client: new SESClient({ maxAttempts: 1 }), ...(configurationSet ? { configurationSet } : {}) });
  return (config) => runLiveAlerts({ ...view, mailer, clock: systemClock, link: (c, now) => awsLiveLink(c, undefined, now) }, config);
}

