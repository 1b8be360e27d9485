/**
 * One report, start to finish, safe to run any number of times and at once:
 *
 * 1. A period that has not ended in the client's zone is refused (PeriodNotEndedError): nothing is claimed.
 * 2. The coverage index of the period's dates says what arrived. When the delivery log says the report went out
 *    and that coverage has not changed since, there is nothing to do. When it has changed (late files, a
 *    corrected redelivery), the report is recomputed and, if a figure it showed moved beyond a small tolerance,
 *    sent once more as a correction ("[정정]" / "[Corrected]") listing what changed.
 * 3. A first send waits for missing source-days until the freshness deadline, then goes out marked incomplete,
 *    naming them. A period with no data at all is not a report: by default the operator gets a short notice
 *    instead (reports.when_no_data), and the client's report follows by itself once data arrives.
 * 4. Claim, build, mark the claim `sending`, send, log. Once the mailer may have the message, the claim is kept:
 *    a delivery log that cannot be written or a mailer that fails after handing the message over never leads to
 *    a second copy (see delivery-log.ts).
 */
import { randomUUID } from 'node:crypto';
import { LOCALES, type ClientConfig } from '../config/client-config.ts';
import type { Locale } from '../report/messages.ts';
import type { KpiDocument, Period, PeriodKind } from '../kpis/kpi-result.ts';
import { DAILY_TREND_DAYS } from '../kpis/compute-kpi-document.ts';
import { addDays, priorPeriod } from '../kpis/periods.ts';
import { MailerError, type Clock, type Mailer, type ObjectStore, type RefusedRecipient } from '../ports.ts';
import type { PeriodCompleteness } from '../report/completeness.ts';
import { buildReportEmails, recipientGroups, type ReportMessage } from '../report/email.ts';
import type { Verdict } from '../report/model.ts';
import { listPeriodAlertRecords } from '../live/alert-log.ts';
import { readNote } from '../report/notes.ts';
import { buildFailedDataNotice, buildNoDataNotice, buildRefusedNotice } from '../report/notice.ts';
import {
  claimDelivery,
  markSending,
  nextSentRecord,
  readSent,
  releaseClaim,
  writeSent,
  type ClaimRecord,
  type ClaimResult,
  type DeliveryRef,
  type SentMessage,
  type SentRecord,
  type SentRevision,
} from './delivery-log.ts';
import { DeliveryLogError, KpiPeriodMismatchError, PeriodNotEndedError } from './errors.ts';
import { coverageDigest, freshnessOf, listPeriodCoverage, loadPeriodCoverage, type Freshness } from './freshness.ts';
import { checkLakeConsistency, holdBackInconsistentReport, type RowBounds } from './lake-consistency.ts';
import { endOfLocalDay, freshnessDeadline, periodContaining } from './periods.ts';

export interface RunReportDeps {
  /** the KPI document of the period of `kind` that contains the local date */
  loadKpis(config: ClientConfig, kind: PeriodKind, date: string): Promise<KpiDocument>;
  lake: ObjectStore;
  mailer: Mailer;
  clock: Clock;
  /** where the account manager's notes are (report/notes.ts); without it no report carries one */
  notes?: ObjectStore;
  /**
   * a link to the client's live page, signed now (functions/core/live/signed-link.ts), in the language of a copy;
   * null or absent: the report carries none
   */
  liveLink?: (config: ClientConfig, locale: Locale, now: Date) => Promise<string | null>;
}

export interface RunReportOptions {
  /** identifies this run in claims and the log (default: a random id) */
  owner?: string;
  leaseMs?: number;
  /** manual runs: do not wait for late data, send now (marked incomplete when data is missing) */
  ignoreDeadline?: boolean;
  /** send again even when the delivery log says the report went out, or a send is in doubt */
  force?: boolean;
  /** only restate a report that went out; never send a first one (the scheduler's look-back over recent periods) */
  restateOnly?: boolean;
}

export interface SentSummary {
  messageId: string;
  providerMessageId: string;
  subject: string;
  recipients: string[];
}

export type RunReportResult =
  | ({
      /** sent-partial: the mail server refused some recipients and took the message for the others */
      status: 'sent' | 'sent-incomplete' | 'sent-correction' | 'sent-partial';
      period: Period;
      revision: number;
      missing: { source: string; dt: string }[];
      /** recipients refused, each with the server's answer; the operator was told unless operatorNotified is false */
      refused: RefusedRecipient[];
      operatorNotified: boolean | null;
      /** source-days arrived and unusable: the operator was told (true), the notice failed (false), none (null) */
      failedDataNotified: boolean | null;
      /** the report's first line and its contract targets, as the client reads them (in the client's language) */
      verdict: string | null;
      targets: string[];
      /** one per language group of recipients */
      messages: SentSummary[];
    } & SentSummary)
  | { status: 'no-data'; period: Period; notified: 'operator' | 'client' | 'nobody'; missing: { source: string; dt: string }[]; messageId: string | null }
  | { status: 'skipped-already-sent'; period: Period; sent: SentRecord; rechecked: boolean }
  | { status: 'skipped-not-sent'; period: Period }
  | { status: 'skipped-no-recipients'; period: Period }
  | { status: 'skipped-claimed'; period: Period; holder: ClaimRecord | null }
  | { status: 'skipped-in-doubt'; period: Period; holder: ClaimRecord | null }
  /** the query engine's count disagrees with the coverage index (lake-consistency.ts): nothing went to the client */
  | { status: 'failed-inconsistent'; period: Period; reason: string; rows: number; expected: RowBounds; notified: boolean }
  | { status: 'deferred-not-fresh'; period: Period; lagging: Freshness['lagging']; retryUntil: string };

const WRITE_ATTEMPTS = 3;

async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < WRITE_ATTEMPTS; i++) {
    try {
      return await fn();
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

const missingOf = (c: PeriodCompleteness) => c.missing.map((m) => ({ source: m.source, dt: m.dt }));

type HeldClaim = Extract<ClaimResult, { ok: true }>;

/**
 * The sending side of a claimed report: its messages, one at a time, and its delivery log. After the first
 * message the mailer may have had, the claim is never given back (`mayHaveSent`), and a log that cannot be
 * written is a DeliveryLogError that keeps the claim, never a retry that would send a second copy.
 */
class ClaimedDelivery {
  private handedOver = false;
  private sentCount = 0;
  /** the delivery log as the claim found it: what a new revision is appended to */
  previous: SentRecord | undefined;

  constructor(
    private readonly deps: RunReportDeps,
    readonly claim: HeldClaim,
    readonly ref: DeliveryRef,
    private readonly period: Period,
  ) {}

  get mayHaveSent(): boolean {
    return this.handedOver;
  }

  async send(email: Parameters<Mailer['send']>[0]): ReturnType<Mailer['send']> {
    const before = this.handedOver;
    this.handedOver = true;
    try {
      const result = await this.deps.mailer.send(email);
      this.sentCount++;
      return result;
    } catch (error) {
      // the mailer knows this one did not leave, and none before it did: the claim can go back at once
      if (this.sentCount === 0 && !before && error instanceof MailerError && !error.handedOver) this.handedOver = false;
      throw error;
    }
  }

  async log(revision: SentRevision): Promise<void> {
    try {
      await withRetries(() => writeSent(this.deps.lake, this.ref, nextSentRecord(this.ref, this.period.end, revision, this.previous)));
    } catch (error) {
      if (!this.handedOver) throw error;
      throw new DeliveryLogError(
        `${this.ref.clientId} ${this.ref.kind} ${this.ref.periodStart}: the report went out but the delivery log could not be written; ` +
          'the claim is kept so it is not sent again automatically',
        { cause: error },
      );
    }
  }

  /** Nothing went out: the next run may go ahead at once. */
  release(): Promise<void> {
    return releaseClaim(this.deps.lake, this.claim);
  }
}

export async function runReport(
  deps: RunReportDeps,
  config: ClientConfig,
  kind: PeriodKind,
  date: string,
  options: RunReportOptions = {},
): Promise<RunReportResult> {
  const period = periodContaining(kind, date);
  const now = () => deps.clock.now();
  const ends = endOfLocalDay(period.end, config.timezone);
  if (now().getTime() < ends.getTime()) throw new PeriodNotEndedError(kind, period.start, period.end, ends.toISOString(), config.timezone);

  const ref: DeliveryRef = { clientId: config.id, kind, periodStart: period.start };
  const owner = options.owner ?? randomUUID();
  const force = options.force === true;

  let sent = await readSent(deps.lake, ref);
  if (options.restateOnly === true && sent === undefined) return { status: 'skipped-not-sent', period };
  const listings = await listPeriodCoverage(deps.lake, config, period);
  const digest = coverageDigest(listings, period);
  // A log without a digest predates restatements: it cannot be compared, so it stands.
  if (sent !== undefined && !force && (sent.coverage_digest === undefined || sent.coverage_digest === digest)) {
    return { status: 'skipped-already-sent', period, sent, rechecked: false };
  }

  const { completeness, entries } = await loadPeriodCoverage(deps.lake, config, period, now(), { listings });
  const deadline = freshnessDeadline(period, config);
  if (sent === undefined && !completeness.complete && options.ignoreDeadline !== true && now().getTime() < deadline.getTime()) {
    return { status: 'deferred-not-fresh', period, lagging: freshnessOf(completeness).lagging, retryUntil: deadline.toISOString() };
  }
  const noDataAction = completeness.noData ? config.reports.when_no_data : null;
  if (noDataAction !== 'notify-operator' && noDataAction !== 'skip' && recipientGroups(config, kind).length === 0) {
    return { status: 'skipped-no-recipients', period };
  }

  const claim = await claimDelivery(deps.lake, ref, owner, now(), options.leaseMs, {
    takeOverInDoubt: force,
    // a claim whose send the log already records is not in doubt: the run crashed after logging
    isLogged: (holder) => sent !== undefined && Date.parse(sent.sent_at) >= Date.parse(holder.sending?.started_at ?? ''),
  });
  if (!claim.ok) return claim.inDoubt ? { status: 'skipped-in-doubt', period, holder: claim.holder } : { status: 'skipped-claimed', period, holder: claim.holder };

  const delivery = new ClaimedDelivery(deps, claim, ref, period);
  try {
    // Another run may have sent (or restated) between our first look and our claim.
    const latest = await readSent(deps.lake, ref);
    if (!force && latest !== undefined && (latest.sent_at !== sent?.sent_at || latest.coverage_digest === digest)) {
      await delivery.release();
      return { status: 'skipped-already-sent', period, sent: latest, rechecked: false };
    }
    sent = latest;
    delivery.previous = sent;
    const restating = sent !== undefined && !force;
    const base = { claim_owner: owner, coverage_digest: digest, missing: missingOf(completeness) };

    if (completeness.noData && noDataAction !== 'send') {
      return await noDataOutcome(deps, config, period, completeness, delivery, { restating, notifyOperator: noDataAction === 'notify-operator', base });
    }

    const doc = await deps.loadKpis(config, kind, period.start);
    // The delivery log and the Message-ID are keyed by this period: a document for another one must not go out.
    if (doc.period.kind !== kind || doc.period.start !== period.start || doc.period.end !== period.end) {
      throw new KpiPeriodMismatchError(`${kind} ${period.start}…${period.end}`, `${doc.period.kind} ${doc.period.start}…${doc.period.end}`);
    }
    const consistency = checkLakeConsistency(doc, entries);
    if (!consistency.ok) {
      await delivery.release();
      const notified = await holdBackInconsistentReport(deps, config, period, consistency, digest, now());
      return { status: 'failed-inconsistent', period, reason: consistency.reason, rows: consistency.rows, expected: consistency.bounds, notified };
    }
    // Comparisons are fair only when the report knows what the periods it compares with held. A daily report
    // compares each channel with the previous day it was open, any of the trend window's days before this one.
    const comparedWith = kind === 'daily' ? { start: addDays(period.start, 1 - DAILY_TREND_DAYS), end: addDays(period.start, -1) } : priorPeriod(period);
    const prior = await loadPeriodCoverage(deps.lake, config, comparedWith, now(), { details: false });
    const weekAgo = kind === 'daily' ? prior : null;
    // A correction is due only for a report the client got; after a notice to the operator the first report goes out.
    const previousClientReport = restating && (sent!.status !== 'no-data' || sent!.notified === 'client') ? sent! : undefined;
    const revision = previousClientReport === undefined ? (force ? (sent?.revision ?? 0) : 0) : (sent!.revision ?? 0) + 1;
    const messages = await buildReportEmails({
      doc,
      config,
      completeness,
      priorCompleteness: prior.completeness,
      weekAgoCompleteness: weekAgo?.completeness ?? null,
      previous:
        previousClientReport === undefined
          ? null
          : { sentAt: previousClientReport.sent_at, figures: previousClientReport.figures ?? {}, verdicts: previousClientReport.verdicts ?? {} },
      revision,
      now: now(),
      note: deps.notes === undefined ? null : await readNote(deps.notes, config.id, kind, period.start),
      liveLinks: await liveLinksOf(deps, config, now()),
      alerts: await listPeriodAlertRecords(deps.lake, config.id, period.start, period.end),
    });
    if (messages.length === 0) {
      await delivery.release();
      return { status: 'skipped-no-recipients', period };
    }
    const first = messages[0]!;
    if (previousClientReport !== undefined && (first.model.correction?.changes.length ?? 0) === 0) {
      // Late data changed nothing the report showed: no correction, and no need to look again for this coverage.
      const checked: SentRecord = { ...previousClientReport, coverage_digest: digest, checked_at: now().toISOString() };
      await withRetries(() => writeSent(deps.lake, ref, checked));
      await delivery.release();
      return { status: 'skipped-already-sent', period, sent: checked, rechecked: true };
    }

    const marked = await markSending(deps.lake, claim, messages.map((m) => m.messageId), now());
    const delivered: SentMessage[] = [];
    for (const message of messages) {
      const { messageId: providerMessageId, refused } = await delivery.send(message.email);
      delivered.push(sentMessage(message, providerMessageId, refused ?? []));
    }
    const refused = delivered.flatMap((d) => d.refused ?? []);
    const status = refused.length > 0 ? 'sent-partial' : previousClientReport !== undefined ? 'sent-correction' : completeness.complete ? 'sent' : 'sent-incomplete';
    await delivery.log({
      ...base,
      revision,
      status: completeness.noData ? 'no-data' : completeness.complete ? 'sent' : 'sent-incomplete',
      notified: 'client',
      messages: delivered,
      incomplete: !completeness.complete,
      figures: Object.fromEntries(first.model.figures.map((f) => [f.key, f.value])),
      verdicts: Object.fromEntries(first.model.figures.filter((f) => f.verdict !== undefined).map((f) => [f.key, f.verdict as Verdict])),
      sent_at: now().toISOString(),
    });
    // the log says sent: a claim left behind by a failed release is recognised as logged by the next run
    await releaseClaim(deps.lake, marked).catch(() => undefined);
    const operatorNotified = refused.length === 0 ? null : await notifyRefused(deps.mailer, config, period, refused, now());
    const failedDataNotified = await notifyFailedData(deps.mailer, config, period, completeness, now());
    const summaries = delivered.map((d) => ({ messageId: d.message_id, providerMessageId: d.provider_message_id, subject: d.subject, recipients: [...d.recipients.to, ...d.recipients.cc] }));
    if (completeness.noData && previousClientReport === undefined) {
      return { status: 'no-data', period, notified: 'client', missing: missingOf(completeness), messageId: summaries[0]!.messageId };
    }
    return {
      status,
      period,
      revision,
      missing: missingOf(completeness),
      refused,
      operatorNotified,
      failedDataNotified,
      verdict: first.model.verdict?.text ?? null,
      targets: first.model.contract.map((c) => `${c.label}: ${c.actual} ${c.verdictText} (${first.model.format.messages.sla.target} ${c.target})`),
      messages: summaries,
      ...summaries[0]!,
    };
  } catch (error) {
    // Before the mailer had anything the claim goes back, so a retry can go ahead at once; after, it stays.
    if (!delivery.mayHaveSent) await delivery.release().catch(() => undefined);
    throw error;
  }
}

/**
 * A period without any data is not a report: the operator gets a short notice (or nobody anything), logged as
 * `no-data`; a restatement of one that was logged only remembers the coverage, so the next run does not look
 * again.
 */
async function noDataOutcome(
  deps: RunReportDeps,
  config: ClientConfig,
  period: Period,
  completeness: PeriodCompleteness,
  delivery: ClaimedDelivery,
  run: { restating: boolean; notifyOperator: boolean; base: Pick<SentRevision, 'claim_owner' | 'coverage_digest' | 'missing'> },
): Promise<RunReportResult> {
  const now = () => deps.clock.now();
  const sent = delivery.previous;
  if (run.restating) {
    await withRetries(() => writeSent(deps.lake, delivery.ref, { ...sent!, coverage_digest: run.base.coverage_digest, checked_at: now().toISOString() }));
    await delivery.release();
    return { status: 'skipped-already-sent', period, sent: sent!, rechecked: true };
  }
  const record: SentRevision = {
    ...run.base,
    revision: 0,
    status: 'no-data',
    notified: run.notifyOperator ? 'operator' : 'nobody',
    messages: [],
    incomplete: true,
    figures: {},
    verdicts: {},
    sent_at: now().toISOString(),
  };
  let messageId: string | null = null;
  if (run.notifyOperator) {
    const notice = await buildNoDataNotice(config, period, completeness, now());
    await markSending(deps.lake, delivery.claim, [notice.messageId], now());
    const { messageId: providerId } = await delivery.send(notice.email);
    messageId = notice.messageId;
    record.messages = [{ message_id: notice.messageId, provider_message_id: providerId, locale: config.locale, recipients: { to: notice.email.to, cc: [] }, subject: notice.subject }];
  }
  await delivery.log(record);
  await delivery.release().catch(() => undefined);
  return { status: 'no-data', period, notified: record.notified, missing: record.missing, messageId };
}

/** A fresh link per language; a link that cannot be made leaves the footer without one, never the report unsent. */
async function liveLinksOf(deps: RunReportDeps, config: ClientConfig, now: Date): Promise<Partial<Record<Locale, string>>> {
  if (deps.liveLink === undefined) return {};
  const out: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const link = await deps.liveLink(config, locale, now).catch(() => null);
    if (link !== null) out[locale] = link;
  }
  return out;
}

function sentMessage(message: ReportMessage, providerMessageId: string, refused: RefusedRecipient[]): SentMessage {
  const taken = (list: string[]) => list.filter((a) => !refused.some((r) => r.address.toLowerCase() === a.toLowerCase()));
  return {
    message_id: message.messageId,
    provider_message_id: providerMessageId,
    locale: message.locale,
    recipients: { to: taken(message.email.to), cc: taken(message.email.cc ?? []) },
    subject: message.email.subject,
    ...(refused.length === 0 ? {} : { refused }),
  };
}

/**
 * Tells the operator which source-days arrived and could not be used, with the fields and reasons; null when there
 * are none. A notice that cannot be sent is reported, not thrown: the client's report went out.
 */
async function notifyFailedData(mailer: Mailer, config: ClientConfig, period: Period, completeness: PeriodCompleteness, now: Date): Promise<boolean | null> {
  try {
    const notice = await buildFailedDataNotice(config, period, completeness, now);
    if (notice === null) return null;
    await mailer.send(notice.email);
    return true;
  } catch {
    return false;
  }
}

/** Tells the operator which recipients were refused; a notice that cannot be sent is reported, not thrown. */
async function notifyRefused(mailer: Mailer, config: ClientConfig, period: Period, refused: RefusedRecipient[], now: Date): Promise<boolean> {
  try {
    const notice = await buildRefusedNotice(config, period, refused, now);
    await mailer.send(notice.email);
    return true;
  } catch {
    return false;
  }
}
