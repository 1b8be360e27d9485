/**
 * The intraday alerts, evaluated after an ingest (no polling): build the live view of now, judge every
 * condition, move each alert's record one step (alert-log.ts: a streak starts, repeats silently, clears), write
 * the records, then send what they owe. A message is claimed before it goes (schedule/delivery-log.ts), marked
 * `sending` before the mailer has it and logged in its record after, so it goes out once however many
 * evaluations run at once; a send that failed before the message left is retried by the next evaluation, one
 * that may have left is never repeated by itself (it is reported `in doubt`).
 */
import { randomUUID } from 'node:crypto';
import type { ClientConfig } from '../config/client-config.ts';
import { MailerError, type Clock, type Locks, type Mailer } from '../ports.ts';
import { claimObject, markSending, releaseClaim } from '../schedule/delivery-log.ts';
import {
  alertKeys,
  alertSlug,
  nextAlertRecord,
  pendingMessages,
  readAlertRecord,
  writeAlertRecord,
  type AlertEvent,
  type AlertRecord,
  type AlertStreak,
} from './alert-log.ts';
import { buildAlertMail } from './alert-mail.ts';
import { loadLiveView, type LiveView, type LiveViewDeps } from './live-view.ts';

/** How long a claim on an alert message holds before another evaluation may take it over. */
export const ALERT_LEASE_MS = 5 * 60_000;

export interface LiveAlertDeps extends LiveViewDeps {
  mailer: Mailer;
  clock: Clock;
  /** a signed link to the client's live page for the e-mails, or null when none can be made */
  link?: (config: ClientConfig, now: Date) => Promise<string | null>;
  /** local runs: one evaluation of a client at a time (records are read, changed and written back) */
  locks?: Locks;
  owner?: string;
}

export interface AlertRunResult {
  /** the view minute judged, ISO UTC */
  at: string;
  started: string[];
  cleared: string[];
  sent: { key: string; event: AlertEvent; streak: number; messageId: string; subject: string }[];
  /** messages another evaluation is sending, or whose send may have left before it was logged */
  skipped: { key: string; event: AlertEvent; streak: number; reason: 'claimed' | 'in-doubt' }[];
  failed: { key: string; event: AlertEvent; streak: number; error: string }[];
}

export async function runLiveAlerts(deps: LiveAlertDeps, config: ClientConfig): Promise<AlertRunResult> {
  const release = deps.locks === undefined ? null : await deps.locks.acquire([`alerts-${config.id}`]);
  try {
    const view = await loadLiveView(deps, config, deps.clock.now());
    const result: AlertRunResult = { at: view.window.asOf, started: [], cleared: [], sent: [], skipped: [], failed: [] };
    const records: AlertRecord[] = [];
    for (const condition of view.conditions) {
      const previous = view.alerts.find((r) => r.key === condition.key);
      const { record, event } = nextAlertRecord(previous, condition, config.id, view.window.today, view.window.asOf);
      if (record === undefined) continue;
      if (record !== previous) await writeAlertRecord(deps.lake, record);
      if (event === 'start') result.started.push(record.key);
      if (event === 'clear') result.cleared.push(record.key);
      records.push(record);
    }
    // records no condition speaks of any more still owe what they owe
    for (const r of view.alerts) if (!records.some((x) => x.key === r.key)) records.push(r);
    for (const record of records) {
      for (const { streak, event } of pendingMessages(record)) {
        const outcome = await sendOnce(deps, config, view, record, streak, event);
        const ref = { key: record.key, event, streak: streak.n };
        if (outcome.status === 'sent') result.sent.push({ ...ref, messageId: outcome.messageId, subject: outcome.subject });
        else if (outcome.status === 'failed') result.failed.push({ ...ref, error: outcome.error });
        else result.skipped.push({ ...ref, reason: outcome.status });
      }
    }
    return result;
  } finally {
    await release?.();
  }
}

type SendOutcome = { status: 'sent'; messageId: string; subject: string } | { status: 'claimed' | 'in-doubt' } | { status: 'failed'; error: string };

async function sendOnce(deps: LiveAlertDeps, config: ClientConfig, view: LiveView, record: AlertRecord, streak: AlertStreak, event: AlertEvent): Promise<SendOutcome> {
  const now = deps.clock.now();
  const slug = alertSlug(record.kind, record.subject);
  const claim = await claimObject(deps.lake, alertKeys.claim(config.id, record.dt, slug, streak.n, event), deps.owner ?? randomUUID(), now, ALERT_LEASE_MS);
  if (!claim.ok) return { status: claim.inDoubt ? 'in-doubt' : 'claimed' };
  let marked = claim;
  try {
    const link = deps.link === undefined ? null : await deps.link(config, now).catch(() => null);
    const mail = await buildAlertMail({ config, record, streak, event, link, now });
    marked = { ...claim, ...(await markSending(deps.lake, claim, [mail.messageId], now)) };
    const sent = await deps.mailer.send(mail.email);
    const key = alertKeys.record(config.id, view.window.today, slug);
    const latest = (await readAlertRecord(deps.lake, key)) ?? record;
    const message = { message_id: mail.messageId, provider_message_id: sent.messageId, recipients: mail.email.to, sent_at: now.toISOString() };
    await writeAlertRecord(deps.lake, {
      ...latest,
      streaks: latest.streaks.map((s) => (s.n !== streak.n ? s : event === 'start' ? { ...s, start_message: message } : { ...s, clear_message: message })),
    });
    // the record says sent: the claim has done its work
    await releaseClaim(deps.lake, marked).catch(() => undefined);
    return { status: 'sent', messageId: mail.messageId, subject: mail.subject };
  } catch (error) {
    // before the mailer had it (or when it says the message did not leave) the next evaluation may try again
    const left = marked !== claim && !(error instanceof MailerError && !error.handedOver);
    if (!left) await releaseClaim(deps.lake, marked).catch(() => undefined);
    return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
