/**
 * `cspulse ingest`'s intraday alerts: evaluated on the lake after files that wrote rows of the client's today,
 * their e-mails to the outbox (`<alerts-out>/<client>/alerts/`) or SMTP, one line on stderr per message.
 */
import { join, resolve } from 'node:path';
import { createOutboxMailer } from '../../adapters/local/outbox-mailer.ts';
import { createSmtpMailer } from '../../adapters/local/smtp-mailer.ts';
import type { LocalPaths } from '../../composition/local.ts';
import { localLive, localLiveAlerts } from '../../composition/local-live.ts';
import type { ClientConfig } from '../../core/config/client-config.ts';
import type { IngestManifest } from '../../core/ingest/manifest.ts';
import { systemClock } from '../../core/ports.ts';
import { localDateOf } from '../../core/schedule/periods.ts';
import type { CliContext } from '../context.ts';

export async function alertsAfterIngest(
  context: CliContext,
  paths: LocalPaths,
  config: ClientConfig,
  manifests: readonly IngestManifest[],
  opts: { alertsOut: string; smtp?: string; liveUrl?: string; configDir: string },
): Promise<void> {
  const clock = context.clock ?? systemClock;
  const today = localDateOf(clock.now(), config.timezone);
  if (!manifests.some((m) => m.partitions.some((p) => p.dt === today && p.rows > 0))) return;
  const live = await localLive(paths, [config], clock, opts.configDir);
  try {
    const mailer = opts.smtp !== undefined ? createSmtpMailer(opts.smtp) : createOutboxMailer(join(resolve(opts.alertsOut), config.id, 'alerts'));
    const result = await localLiveAlerts(live, paths, config, mailer, clock, opts.liveUrl ?? null);
    for (const s of result.sent) context.err(`alert ${s.event === 'start' ? 'started' : 'cleared'}: ${s.subject}`);
    for (const f of result.failed) context.err(`alert ${f.key} (${f.event}) not sent: ${f.error}`);
  } finally {
    await live.close();
  }
}
