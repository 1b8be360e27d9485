/**
 * One report, start to finish: skip when the delivery log says it went out, wait for fresh data until the
 * deadline, claim, build, send, log. Safe to run twice at once or again after a crash: the claim and the log
 * make the e-mail go out once, and a failed send releases the claim so a retry can go ahead.
 */
import { randomUUID } from 'node:crypto';
import type { ClientConfig } from '../config/client-config.ts';
import type { KpiDocument, Period, PeriodKind } from '../kpis/kpi-result.ts';
import type { Clock, Mailer, ObjectStore } from '../ports.ts';
import { buildReportEmail } from '../report/email.ts';
import {
  claimDelivery,
  readSent,
  releaseClaim,
  writeSent,
  type ClaimRecord,
  type DeliveryRef,
  type SentRecord,
} from './delivery-log.ts';
import { checkFreshness, loadManifests, type Freshness } from './freshness.ts';
import { KpiPeriodMismatchError } from './errors.ts';
import { freshnessDeadline, periodContaining } from './periods.ts';

export interface RunReportDeps {
  /** the KPI document of the period of `kind` that contains the local date */
  loadKpis(config: ClientConfig, kind: PeriodKind, date: string): Promise<KpiDocument>;
  lake: ObjectStore;
  mailer: Mailer;
  clock: Clock;
}

export interface RunReportOptions {
  /** identifies this run in claims and the log (default: a random id) */
  owner?: string;
  leaseMs?: number;
  /** manual runs: do not wait for late data, send now (marked incomplete when data is missing) */
  ignoreDeadline?: boolean;
  /** send again even when the delivery log says the report went out */
  force?: boolean;
}

export type RunReportResult =
  | {
      status: 'sent' | 'sent-incomplete';
      period: Period;
      messageId: string;
      providerMessageId: string;
      subject: string;
      recipients: string[];
    }
  | { status: 'skipped-already-sent'; period: Period; sent: SentRecord }
  | { status: 'skipped-claimed'; period: Period; holder: ClaimRecord | null }
  | { status: 'deferred-not-fresh'; period: Period; lagging: Freshness['lagging']; retryUntil: string };

export async function runReport(
  deps: RunReportDeps,
  config: ClientConfig,
  kind: PeriodKind,
  date: string,
  options: RunReportOptions = {},
): Promise<RunReportResult> {
  const period = periodContaining(kind, date);
  const ref: DeliveryRef = { clientId: config.id, kind, periodStart: period.start };
  const owner = options.owner ?? randomUUID();

  if (options.force !== true) {
    const sent = await readSent(deps.lake, ref);
    if (sent !== undefined) return { status: 'skipped-already-sent', period, sent };
  }

  const manifests = await loadManifests(deps.lake, config.id);
  const freshness = checkFreshness(period, config, manifests);
  const deadline = freshnessDeadline(period, config);
  if (!freshness.complete && options.ignoreDeadline !== true && deps.clock.now().getTime() < deadline.getTime()) {
    return { status: 'deferred-not-fresh', period, lagging: freshness.lagging, retryUntil: deadline.toISOString() };
  }

  const claim = await claimDelivery(deps.lake, ref, owner, deps.clock.now(), options.leaseMs);
  if (!claim.ok) return { status: 'skipped-claimed', period, holder: claim.holder };

  try {
    // Another run may have sent and released its claim between our first look and our claim.
    if (options.force !== true) {
      const sent = await readSent(deps.lake, ref);
      if (sent !== undefined) {
        await releaseClaim(deps.lake, claim);
        return { status: 'skipped-already-sent', period, sent };
      }
    }
    const doc = await deps.loadKpis(config, kind, period.start);
    // The delivery log and the Message-ID are keyed by this period: a document for another one must not go out.
    if (doc.period.kind !== kind || doc.period.start !== period.start || doc.period.end !== period.end) {
      throw new KpiPeriodMismatchError(`${kind} ${period.start}…${period.end}`, `${doc.period.kind} ${doc.period.start}…${doc.period.end}`);
    }
    const report = await buildReportEmail({
      doc,
      config,
      manifests,
      incomplete: !freshness.complete,
      now: deps.clock.now(),
    });
    const { messageId: providerMessageId } = await deps.mailer.send(report.email);
    const record: SentRecord = {
      client_id: config.id,
      kind,
      period_start: period.start,
      period_end: period.end,
      message_id: report.messageId,
      provider_message_id: providerMessageId,
      recipients: { to: report.email.to, cc: report.email.cc ?? [] },
      subject: report.email.subject,
      incomplete: !freshness.complete,
      sent_at: deps.clock.now().toISOString(),
      claim_owner: owner,
    };
    await writeSent(deps.lake, ref, record);
    await releaseClaim(deps.lake, claim);
    return {
      status: freshness.complete ? 'sent' : 'sent-incomplete',
      period,
      messageId: report.messageId,
      providerMessageId,
      subject: report.email.subject,
      recipients: [...report.email.to, ...(report.email.cc ?? [])],
    };
  } catch (error) {
    // Whether the message left is unknown only when send() itself threw after handing it over; the mailers
    // report such cases as non-retryable, and the deterministic Message-ID makes a resend recognizable.
    await releaseClaim(deps.lake, claim).catch(() => undefined);
    throw error;
  }
}
