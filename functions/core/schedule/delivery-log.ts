/**
 * Exactly-once delivery per (client, kind, period). Before sending, a sender claims the report with an atomic
 * create (ObjectStore.putIfAbsent); after sending it writes the delivery log. A claim carries a lease: when a
 * sender crashed mid-way, its claim expires and the next run takes over by creating the next claim generation
 * (`.claim`, `.claim.1`, `.claim.2`…), which again only one contender can create.
 */
import { lakeKeys } from '../ingest/manifest.ts';
import type { PeriodKind } from '../kpis/kpi-result.ts';
import type { ObjectStore } from '../ports.ts';
import { ObjectNotFoundError } from '../ports.ts';

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
}

export interface SentRecord {
  client_id: string;
  kind: PeriodKind;
  period_start: string;
  period_end: string;
  message_id: string;
  /** the id the mail service gave the message (SES message id, SMTP queue id, outbox file) */
  provider_message_id: string;
  recipients: { to: string[]; cc: string[] };
  subject: string;
  incomplete: boolean;
  sent_at: string;
  claim_owner: string;
}

export type ClaimResult =
  | { ok: true; key: string; record: ClaimRecord }
  | { ok: false; holder: ClaimRecord | null };

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

async function newestClaim(store: ObjectStore, ref: DeliveryRef): Promise<{ key: string; generation: number } | undefined> {
  const key0 = deliveryKeys.claim(ref, 0);
  let newest: { key: string; generation: number } | undefined;
  for await (const info of store.list(key0)) {
    const generation = generationOf(info.key, key0);
    if (generation !== null && (newest === undefined || generation > newest.generation)) newest = { key: info.key, generation };
  }
  return newest;
}

/**
 * Claims the delivery for `owner`. Fails when another owner holds an unexpired claim. Safe to call from any
 * number of concurrent runs: each claim generation is created by exactly one of them.
 */
export async function claimDelivery(
  store: ObjectStore,
  ref: DeliveryRef,
  owner: string,
  now: Date,
  leaseMs: number = DEFAULT_LEASE_MS,
): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const newest = await newestClaim(store, ref);
    let generation = 0;
    if (newest !== undefined) {
      const holder = await readJson<ClaimRecord>(store, newest.key);
      // A claim being written or just released reads as missing: look again.
      if (holder === undefined) continue;
      if (Date.parse(holder.expires_at) > now.getTime()) return { ok: false, holder };
      generation = newest.generation + 1;
    }
    const record: ClaimRecord = {
      owner,
      generation,
      claimed_at: now.toISOString(),
      expires_at: new Date(now.getTime() + leaseMs).toISOString(),
    };
    const key = deliveryKeys.claim(ref, generation);
    if (await store.putIfAbsent(key, JSON.stringify(record), { contentType: 'application/json' })) {
      return { ok: true, key, record };
    }
  }
  return { ok: false, holder: null };
}

/** Gives a claim back after a failed send so the next run can try at once instead of waiting for the lease. */
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
