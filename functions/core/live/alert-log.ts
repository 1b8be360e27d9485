/**
 * The intraday alerts' state, kept in the lake so the live page and the next report can list them: one object
 * per client, local date and alert, `alerts/client_id=<id>/dt=<date>/<alert>.json`, holding the day's streaks of
 * that alert. A streak starts the first time its condition is judged on, repeats silently while it stays on,
 * and clears the first time it is judged off; `unknown` (too few contacts, no usual days) changes nothing. A
 * new streak may start after one cleared. Each streak sends two messages, one when it starts and one when it
 * clears; each is claimed before it is sent (schedule/delivery-log.ts, `<alert>.<streak>.<start|clear>.claim`),
 * so two evaluations at once send it once, and a send that may have left is never repeated by itself.
 * The state is bounded by the day: a streak still open at midnight stays open in its day's object.
 */
import { createHash } from 'node:crypto';
import { datesOf } from '../kpis/periods.ts';
import { ObjectNotFoundError, type ObjectStore } from '../ports.ts';
import type { AlertKind, Condition } from './conditions.ts';

export interface AlertEvidence {
  value: number | null;
  usual: number | null;
  target: number | null;
  since: string | null;
  detail: 'intraday' | 'daily' | null;
}

export interface SentAlert {
  message_id: string;
  provider_message_id: string;
  recipients: string[];
  sent_at: string;
}

export interface AlertStreak {
  /** 1 for the day's first streak of this alert */
  n: number;
  /** the view minute it was first judged on (ISO UTC) */
  started_at: string;
  start: AlertEvidence;
  /** the last view minute it was judged on */
  last_seen_at: string;
  cleared_at: string | null;
  clear: AlertEvidence | null;
  start_message: SentAlert | null;
  clear_message: SentAlert | null;
}

export interface AlertRecord {
  client_id: string;
  dt: string;
  key: string;
  kind: AlertKind;
  subject: string;
  open: boolean;
  streaks: AlertStreak[];
  updated_at: string;
}

export type AlertEvent = 'start' | 'clear';

/** The object name of an alert: its kind and subject, a category by a digest (its name may hold anything). */
export function alertSlug(kind: AlertKind, subject: string): string {
  if (kind !== 'category' && /^[a-z0-9_-]{1,40}$/.test(subject)) return `${kind}-${subject}`;
  return `${kind}-${createHash('sha256').update(subject).digest('hex').slice(0, 16)}`;
}

export const alertKeys = {
  dayPrefix: (clientId: string, dt: string) => `alerts/client_id=${clientId}/dt=${dt}/`,
  record: (clientId: string, dt: string, slug: string) => `alerts/client_id=${clientId}/dt=${dt}/${slug}.json`,
  claim: (clientId: string, dt: string, slug: string, n: number, event: AlertEvent) => `alerts/client_id=${clientId}/dt=${dt}/${slug}.${n}.${event}.claim`,
};

const evidenceOf = (c: Condition): AlertEvidence => ({ value: c.value, usual: c.usual, target: c.target, since: c.since, detail: c.detail });

/**
 * The record after judging a condition at `at` (the view minute), and the message it owes, if any. Pure: the
 * caller writes the record before it sends, so a failed send is retried from the record (see pendingMessages).
 */
export function nextAlertRecord(
  previous: AlertRecord | undefined,
  condition: Condition,
  clientId: string,
  dt: string,
  at: string,
): { record: AlertRecord | undefined; event: AlertEvent | null } {
  if (condition.state === 'unknown') return { record: previous, event: null };
  const open = previous?.open === true;
  if (condition.state === 'on' && open) {
    const streaks = previous!.streaks.map((s, i, all) => (i === all.length - 1 ? { ...s, last_seen_at: at } : s));
    return { record: { ...previous!, streaks, updated_at: at }, event: null };
  }
  if (condition.state === 'on') {
    const base: AlertRecord = previous ?? { client_id: clientId, dt, key: condition.key, kind: condition.kind, subject: condition.subject, open: false, streaks: [], updated_at: at };
    const streak: AlertStreak = {
      n: base.streaks.length + 1,
      started_at: at,
      start: evidenceOf(condition),
      last_seen_at: at,
      cleared_at: null,
      clear: null,
      start_message: null,
      clear_message: null,
    };
    return { record: { ...base, open: true, streaks: [...base.streaks, streak], updated_at: at }, event: 'start' };
  }
  if (open) {
    const streaks = previous!.streaks.map((s, i, all) => (i === all.length - 1 ? { ...s, cleared_at: at, clear: evidenceOf(condition) } : s));
    return { record: { ...previous!, open: false, streaks, updated_at: at }, event: 'clear' };
  }
  return { record: previous, event: null };
}

/** The messages a record owes: every start and clear of its streaks that has no sent message yet, in order. */
export function pendingMessages(record: AlertRecord): { streak: AlertStreak; event: AlertEvent }[] {
  const out: { streak: AlertStreak; event: AlertEvent }[] = [];
  for (const s of record.streaks) {
    if (s.start_message === null) out.push({ streak: s, event: 'start' });
    if (s.cleared_at !== null && s.clear_message === null) out.push({ streak: s, event: 'clear' });
  }
  return out;
}

export async function readAlertRecord(store: ObjectStore, key: string): Promise<AlertRecord | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(key))) as AlertRecord;
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}

export async function writeAlertRecord(store: ObjectStore, record: AlertRecord): Promise<void> {
  await store.put(alertKeys.record(record.client_id, record.dt, alertSlug(record.kind, record.subject)), JSON.stringify(record, null, 2), {
    contentType: 'application/json',
  });
}

/** Every alert record of a client's day (what the page's banner and the next report list). */
export async function listAlertRecords(store: ObjectStore, clientId: string, dt: string): Promise<AlertRecord[]> {
  const out: AlertRecord[] = [];
  for await (const info of store.list(alertKeys.dayPrefix(clientId, dt))) {
    if (!info.key.endsWith('.json')) continue;
    const record = await readAlertRecord(store, info.key).catch(() => undefined);
    if (record !== undefined && record.dt === dt && record.client_id === clientId) out.push(record);
  }
  return out.sort((a, b) => (a.streaks[0]?.started_at ?? '').localeCompare(b.streaks[0]?.started_at ?? '') || a.key.localeCompare(b.key));
}

/** Every alert record of the client's days from `start` to `end` (a report's period), in the order they started. */
export async function listPeriodAlertRecords(store: ObjectStore, clientId: string, start: string, end: string): Promise<AlertRecord[]> {
  return (await Promise.all(datesOf({ start, end }).map((dt) => listAlertRecords(store, clientId, dt)))).flat();
}
