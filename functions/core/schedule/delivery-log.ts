/**
 * Exactly-once delivery per (client, kind, period). Before sending, a sender claims the report with an atomic
 * create (ObjectStore.putIfAbsent); after sending it writes the delivery log. A claim carries a lease: when a
 * sender crashed before it started to send, its claim expires and the next run takes over by creating the next
 * claim generation (`.claim`, `.claim.1`, `.claim.2`…), which again only one contender can create.
 *
 * Just before the mailer is called the claim is marked `sending`. From then on the message may have left, so
 * the claim is never taken over by expiry and never given back: a run that crashed, a mailer that failed after
 * it had handed the message over, or a delivery log that could not be written all leave a claim "in doubt",
 * which stops every later run from sending it again until someone looks (`--force`).
 *
 * The log (`<period>.sent.json`) keeps, for every message a report went out as, what it showed: the figures and
 * verdicts of its first screen and a digest of the coverage it was computed from, so a later run can tell
 * whether late data changed it (restatement), and its earlier revisions.
 */
import { lakeKeys } from '../ingest/manifest.ts';
import type { PeriodKind } from '../kpis/kpi-result.ts';
import type { ObjectStore } from '../ports.ts';
import { ObjectNotFoundError } from '../ports.ts';
import type { Verdict } from '../report/model.ts';

export const DEFAULT_LEASE_MS = 15 * 60_000;

export interface DeliveryRef {
  clientId: string;
  kind: PeriodKind;
  /** the period's first local date */
  periodStart: string;
}

const base = (ref: DeliveryRef) => `${lakeKeys.deliveriesPrefix(ref.clientId)}${ref.kind}/${ref.periodStart}`;

export const deliveryKeys = {
  claim: (ref: DeliveryRef, generation: number) => `${base(ref)}.claim${generation === 0 ? '' : `.${generation}`}`,
  sent: (ref: DeliveryRef) => `${base(ref)}.sent.json`,
};

export interface ClaimRecord {
  owner: string;
  generation: number;
  claimed_at: string;
  expires_at: string;
  /** set just before the mailer is called; a claim with it is in doubt until the log says sent */
  sending?: { started_at: string; message_ids: string[] };
}

export type ClaimResult =
  | { ok: true; key: string; record: ClaimRecord }
  | { ok: false; holder: ClaimRecord | null; inDoubt: boolean };

export interface SentMessage {
  message_id: string;
  /** the id the mail service gave the message (SES message id, SMTP queue id, outbox file) */
  provider_message_id: string;
  locale: string;
  /** the recipients the message was handed over for (refused ones are not among them) */
  recipients: { to: string[]; cc: string[] };
  subject: string;
  /** recipients the mail server refused while it took the message for the others */
  refused?: { address: string; reason: string }[];
}

export interface SentRevision {
  /** 0: the first report of the period; n: its n-th correction */
  revision: number;
  status: 'sent' | 'sent-incomplete' | 'no-data';
  /** for no-data: who was told (the operator's notice, the client's report, or nobody) */
  notified: 'client' | 'operator' | 'nobody';
  messages: SentMessage[];
  incomplete: boolean;
  /** the source-days not received when it went out */
  missing: { source: string; dt: string }[];
  /** what its first screen showed, by figure key; restatements compare against these */
  figures: Record<string, number | null>;
  verdicts: Record<string, Verdict>;
  /** digest of the period's coverage listing it was computed from */
  coverage_digest: string;
  sent_at: string;
  claim_owner: string;
}

export interface SentRecord extends SentRevision {
  client_id: string;
  kind: PeriodKind;
  period_start: string;
  period_end: string;
  /** the first message's id and recipients, for readers of the log who know one message per report */
  message_id: string;
  provider_message_id: string;
  recipients: { to: string[]; cc: string[] };
  subject: string;
  /** earlier revisions, oldest first */
  history: SentRevision[];
  /** when a later run recomputed the report on new coverage and found no figure changed */
  checked_at?: string;
}

const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  try {
    return decode(await store.get(key)) as T;
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}

function generationOf(key: string, claimKey0: string): number | null {
  if (key === claimKey0) return 0;
  const rest = key.slice(claimKey0.length);
  const match = /^\.(\d+)$/.exec(rest);
  return match ? Number(match[1]) : null;
}

async function newestClaim(store: ObjectStore, key0: string): Promise<{ key: string; generation: number } | undefined> {
  let newest: { key: string; generation: number } | undefined;
  for await (const info of store.list(key0)) {
    const generation = generationOf(info.key, key0);
    if (generation !== null && (newest === undefined || generation > newest.generation)) newest = { key: info.key, generation };
  }
  return newest;
}

export interface ClaimOptions {
  takeOverInDoubt?: boolean;
  /** a claim in doubt whose send the log already records (the run stopped after logging) is not in doubt */
  isLogged?: (holder: ClaimRecord) => boolean;
}

/**
 * Claims the delivery for `owner`. Fails when another owner holds an unexpired claim, or any claim in doubt
 * (it began to send) unless `takeOverInDoubt`. Safe to call from any number of concurrent runs: each claim
 * generation is created by exactly one of them.
 */
export async function claimDelivery(
  store: ObjectStore,
  ref: DeliveryRef,
  owner: string,
  now: Date,
  leaseMs: number = DEFAULT_LEASE_MS,
  options: ClaimOptions = {},
): Promise<ClaimResult> {
  return claimObject(store, deliveryKeys.claim(ref, 0), owner, now, leaseMs, options);
}

/**
 * The same claim on any key: its generations are `<key0>`, `<key0>.1`, `<key0>.2`… (the intraday alerts claim
 * each message of a streak this way, functions/core/live/alert-log.ts).
 */
export async function claimObject(
  store: ObjectStore,
  key0: string,
  owner: string,
  now: Date,
  leaseMs: number = DEFAULT_LEASE_MS,
  options: ClaimOptions = {},
): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const newest = await newestClaim(store, key0);
    let generation = 0;
    if (newest !== undefined) {
      const holder = await readJson<ClaimRecord>(store, newest.key);
      // A claim being written or just released reads as missing: look again.
      if (holder === undefined) continue;
      const inDoubt = holder.sending !== undefined && options.isLogged?.(holder) !== true;
      if (inDoubt && options.takeOverInDoubt !== true) return { ok: false, holder, inDoubt: true };
      if (!inDoubt && Date.parse(holder.expires_at) > now.getTime()) return { ok: false, holder, inDoubt: false };
      generation = newest.generation + 1;
    }
    const record: ClaimRecord = {
      owner,
      generation,
      claimed_at: now.toISOString(),
      expires_at: new Date(now.getTime() + leaseMs).toISOString(),
    };
    const key = generation === 0 ? key0 : `${key0}.${generation}`;
    if (await store.putIfAbsent(key, JSON.stringify(record), { contentType: 'application/json' })) {
      return { ok: true, key, record };
    }
  }
  return { ok: false, holder: null, inDoubt: false };
}

/** Marks the claim as sending: written before the mailer is called, so a crash after it leaves a claim in doubt. */
export async function markSending(
  store: ObjectStore,
  claim: { key: string; record: ClaimRecord },
  messageIds: string[],
  now: Date,
): Promise<{ key: string; record: ClaimRecord }> {
  const record: ClaimRecord = { ...claim.record, sending: { started_at: now.toISOString(), message_ids: messageIds } };
  await store.put(claim.key, JSON.stringify(record), { contentType: 'application/json' });
  return { key: claim.key, record };
}

/** Gives a claim back so the next run can go ahead at once: only before anything was handed to the mailer. */
export async function releaseClaim(store: ObjectStore, claim: { key: string; record: ClaimRecord }): Promise<void> {
  const current = await readJson<ClaimRecord>(store, claim.key);
  if (current?.owner === claim.record.owner) await store.delete(claim.key);
}

export function readSent(store: ObjectStore, ref: DeliveryRef): Promise<SentRecord | undefined> {
  return readJson<SentRecord>(store, deliveryKeys.sent(ref));
}

export async function writeSent(store: ObjectStore, ref: DeliveryRef, record: SentRecord): Promise<void> {
  await store.put(deliveryKeys.sent(ref), JSON.stringify(record, null, 2), { contentType: 'application/json' });
}

/** The delivery log entry of a new revision, the earlier one (if any) moved into its history. */
export function nextSentRecord(
  ref: DeliveryRef,
  periodEnd: string,
  revision: SentRevision,
  previous: SentRecord | undefined,
): SentRecord {
  const first = revision.messages[0];
  const history = previous === undefined ? [] : [...(previous.history ?? []), stripRecord(previous)];
  return {
    client_id: ref.clientId,
    kind: ref.kind,
    period_start: ref.periodStart,
    period_end: periodEnd,
    ...revision,
    message_id: first?.message_id ?? '',
    provider_message_id: first?.provider_message_id ?? '',
    recipients: first?.recipients ?? { to: [], cc: [] },
    subject: first?.subject ?? '',
    history,
  };
}

function stripRecord(record: SentRecord): SentRevision {
  return {
    revision: record.revision ?? 0,
    status: record.status ?? (record.incomplete ? 'sent-incomplete' : 'sent'),
    notified: record.notified ?? 'client',
    messages: record.messages ?? [],
    incomplete: record.incomplete,
    missing: record.missing ?? [],
    figures: record.figures ?? {},
    verdicts: record.verdicts ?? {},
    coverage_digest: record.coverage_digest ?? '',
    sent_at: record.sent_at,
    claim_owner: record.claim_owner,
  };
}
