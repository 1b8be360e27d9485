import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapConnectCtr, readConnectCtrs } from '../../../../functions/core/ingest/formats/amazon-connect-ctr.ts';
import { FileRejectedError, type ContactDraft, type SourceRecord } from '../../../../functions/core/ingest/types.ts';

const fixture = readFileSync(new URL('../../../fixtures/connect/ctr-day.ndjson', import.meta.url), 'utf8');
const fixtureLines = fixture.split('\n').filter((l) => l !== '');
const enc = new TextEncoder();
const defaults = { category_attribute: 'category', subcategory_attribute: 'subcategory' };

async function* chunked(bytes: Uint8Array, sizes: number[] | number): AsyncIterable<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = typeof sizes === 'number' ? sizes : sizes[i++ % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function readAll(
  input: Uint8Array | string,
  sizes: number[] | number = 65536,
  options?: { maxRecordBytes?: number },
): Promise<SourceRecord<Record<string, unknown>>[]> {
  const bytes = typeof input === 'string' ? enc.encode(input) : input;
  const out: SourceRecord<Record<string, unknown>>[] = [];
  for await (const item of readConnectCtrs(chunked(bytes, sizes), 'ctr.json', options)) out.push(item);
  return out;
}

const ids = (items: SourceRecord<Record<string, unknown>>[]): (string | null)[] =>
  items.map((i) => (i.ok ? (i.record['ContactId'] as string) : null));

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const EXPECTED_IDS = Array.from({ length: 11 }, (_, i) => {
  const n = String(i + 1);
  return `c${n.padStart(7, '0')}-0000-4000-8000-${n.padStart(12, '0')}`;
});

describe('readConnectCtrs', () => {
  it('reads newline-delimited records with their 1-based record numbers', async () => {
    const items = await readAll(fixture);
    expect(ids(items)).toEqual(EXPECTED_IDS);
    expect(items.map((i) => i.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(items[1]!.raw).toBe(fixtureLines[1]);
  });

  it('reads Firehose concatenation with no separator, with a BOM, split into every chunk size', async () => {
    const bytes = concat(new Uint8Array([0xef, 0xbb, 0xbf]), enc.encode(fixtureLines.join('')));
    for (const sizes of [1, 2, 3, 7, [1, 2, 5, 11, 64]]) {
      const items = await readAll(bytes, sizes);
      expect(ids(items)).toEqual(EXPECTED_IDS);
    }
  });

  it('splits records exactly inside multi-byte characters and escaped quotes', async () => {
    // record 6 holds "사이즈 \"L\" 재고 {문의}": a brace and escaped quotes inside a string
    const line = fixtureLines[5]!;
    const bytes = enc.encode(line + line);
    const escapeAt = bytes.indexOf(0x5c); // the backslash before "L"
    const hangulAt = bytes.indexOf(0xec); // first byte of a three-byte Hangul syllable (사 = EC 82 AC)
    expect(escapeAt).toBeGreaterThan(0);
    expect(hangulAt).toBeGreaterThan(0);
    for (const cut of [escapeAt + 1, hangulAt + 1, hangulAt + 2]) {
      const items = await readAll(bytes, [cut, bytes.length]);
      expect(items).toHaveLength(2);
      const record = items[0]!.ok ? items[0]!.record : null;
      expect((record?.['Attributes'] as Record<string, string>)['detail']).toBe('사이즈 "L" 재고 {문의}');
    }
  });

  it('yields both copies of a record delivered twice', async () => {
    const items = await readAll(fixtureLines[0]! + fixtureLines[0]!);
    expect(ids(items)).toEqual([EXPECTED_IDS[0], EXPECTED_IDS[0]]);
  });

  it('rejects a truncated final object and keeps what came before', async () => {
    const items = await readAll(`${fixtureLines[0]}\n${fixtureLines[1]}\n{"ContactId":"c-cut","Chan`);
    expect(ids(items)).toEqual([EXPECTED_IDS[0], EXPECTED_IDS[1], null]);
    expect(items[2]).toEqual({
      ok: false,
      line: 3,
      raw: '{"ContactId":"c-cut","Chan',
      rejection: { field: '(row)', reason: 'truncated: the file ends inside this record' },
    });
  });

  it('rejects garbage between records and carries on', async () => {
    const bytes = concat(
      enc.encode(fixtureLines[0]!),
      new Uint8Array([0x00, 0xff, 0x41, 0x42]),
      enc.encode('\n'),
      enc.encode(fixtureLines[1]!),
    );
    const items = await readAll(bytes, 5);
    expect(ids(items)).toEqual([EXPECTED_IDS[0], null, EXPECTED_IDS[1]]);
    expect(items[1]).toEqual({
      ok: false,
      line: 2,
      raw: '\u0000\uFFFDAB',
      rejection: { field: '(row)', reason: 'not a JSON object: bytes between records' },
    });
  });

  it('recovers the next record after a record cut short with no separator', async () => {
    const items = await readAll(`{"ContactId":"c-bad","Queue":{"Name":"일반상담","Duration":tru${fixtureLines[2]}`);
    expect(ids(items)).toEqual([null, EXPECTED_IDS[2]]);
    const bad = items[0]!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.raw).toBe('{"ContactId":"c-bad","Queue":{"Name":"일반상담","Duration":tru');
      expect(bad.rejection.reason).toMatch(/^(invalid JSON|truncated)/);
    }
  });

  it('rejects a record that is not valid UTF-8', async () => {
    const bytes = concat(enc.encode('{"ContactId":"'), new Uint8Array([0xc3, 0x28]), enc.encode('"}'), enc.encode(fixtureLines[0]!));
    const items = await readAll(bytes);
    expect(ids(items)).toEqual([null, EXPECTED_IDS[0]]);
    expect(items[0]!.ok ? null : items[0]!.rejection.reason).toBe('not valid UTF-8');
  });

  it('rejects an oversized record and reads the next one', async () => {
    const items = await readAll(`{"a":"${'x'.repeat(1000)}"}${fixtureLines[2]}`, 16, { maxRecordBytes: 600 });
    expect(ids(items)).toEqual([null, EXPECTED_IDS[2]]);
    expect(items[0]!.ok ? null : items[0]!.rejection.reason).toBe('record larger than 600 bytes');
  });

  it('survives binary garbage after a first brace', async () => {
    const items = await readAll(new Uint8Array([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x7b, 0x5c, 0x22]));
    // The string opened at 0x22 never closes, so the file ends inside the span. The second { follows a quote,
    // which a nested value never does, so the span is cut there and `{\"` is read again: also truncated.
    const truncated = { field: '(row)', reason: 'truncated: the file ends inside this record' };
    expect(items).toEqual([
      { ok: false, line: 1, raw: '{\u0000\uFFFD\uFFFD"', rejection: truncated },
      { ok: false, line: 2, raw: '{\\"', rejection: truncated },
    ]);
  });

  it('rejects the whole file when it does not start with a JSON object', async () => {
    await expect(readAll('콜ID,발신번호\n1,010-1234-5678\n')).rejects.toBeInstanceOf(FileRejectedError);
    await expect(readAll(new Uint8Array([0x1f, 0x8b, 0x08, 0x00]))).rejects.toThrow(/gzip-compressed/);
  });

  it('reads one JSON array of records (an API or console dump) like a Firehose object, in any chunk size', async () => {
    const array = `\ufeff [\n${fixtureLines.join(',\n')}\n]\n`;
    for (const sizes of [1, 5, 65536]) {
      const items = await readAll(array, sizes);
      expect(ids(items), String(sizes)).toEqual(EXPECTED_IDS);
      expect(items.map((i) => i.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }
    const mixed = await readAll(`[${fixtureLines[0]}, 42, ${fixtureLines[1]}]`);
    expect(mixed.map((i) => (i.ok ? 'ok' : i.rejection.reason))).toEqual(['ok', 'an array element that is not a JSON object', 'ok']);
    await expect(readAll(`[${fixtureLines[0]}, {"ContactId": `)).rejects.toThrow(/not a valid JSON array of contact records after record 1/);
  });

  it('yields nothing for an empty or white-space-only file', async () => {
    expect(await readAll('')).toEqual([]);
    expect(await readAll(new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x20]))).toEqual([]);
  });
});

const parse = (i: number): Record<string, unknown> => JSON.parse(fixtureLines[i]!) as Record<string, unknown>;
const draft = (i: number, source = defaults): ContactDraft => {
  const result = mapConnectCtr(parse(i), source);
  if (!result.ok) throw new Error(`${result.rejection.field}: ${result.rejection.reason}`);
  return result.value;
};
const t = (iso: string): Date => new Date(iso);

describe('mapConnectCtr', () => {
  it('maps an answered inbound call', () => {
    expect(draft(0)).toEqual({
      contact_id: 'c0000001-0000-4000-8000-000000000001',
      channel: 'phone',
      direction: 'inbound',
      queue: '일반상담',
      category: '배송',
      subcategory: '배송지연',
      customer_raw: '+821012345678',
      agent_id: 'kim.jiyoung',
      arrived_at: t('2026-03-02T00:59:58Z'),
      answered_at: t('2026-03-02T01:00:53Z'),
      ended_at: t('2026-03-02T01:05:28Z'),
      ivr_seconds: 35, // enqueue 01:00:35 − connected to system 01:00:00
      wait_seconds: 18, // Queue.Duration
      talk_seconds: 245,
      hold_seconds: 30,
      acw_seconds: 40,
      handle_seconds: null,
      outcome: 'answered',
      is_transferred: false,
      is_resolved: null,
      updated_at: t('2026-03-02T01:07:10Z'), // LastUpdateTimestamp: decides which copy of the contact wins
    } satisfies ContactDraft);
  });

  it('maps a call abandoned in queue, its wait measured to the disconnect', () => {
    expect(draft(1)).toMatchObject({
      outcome: 'abandoned',
      direction: 'inbound',
      agent_id: null,
      answered_at: null,
      category: '결제',
      subcategory: null,
      ivr_seconds: 20, // 02:10:20 − 02:10:00
      wait_seconds: 47, // disconnect 02:11:07 − enqueue 02:10:20
      talk_seconds: null,
      hold_seconds: null,
      acw_seconds: null,
    });
  });

  it('maps a call the IVR ended as self-service, its IVR time the whole stay', () => {
    expect(draft(2)).toMatchObject({
      outcome: 'self_service',
      queue: null,
      wait_seconds: null,
      ivr_seconds: 90, // 03:01:35 − 03:00:05
      arrived_at: t('2026-03-02T03:00:03Z'),
      subcategory: '비밀번호 재설정',
    });
  });

  it('tells a caller who hung up in the IVR (ivr_abandoned) from one the IVR served, as the source says', () => {
    // record 3: the flow ended the call (CONTACT_FLOW_DISCONNECT) after 90 s in the IVR
    const hungUp = { ...parse(2), DisconnectReason: 'CUSTOMER_DISCONNECT' };
    expect(mapConnectCtr(hungUp, defaults)).toMatchObject({ ok: true, value: { outcome: 'self_service' } }); // never: the CTR alone does not say
    const byDisconnect = { ...defaults, ivr_abandoned_when: 'customer_disconnect' as const };
    expect(mapConnectCtr(hungUp, byDisconnect)).toMatchObject({ ok: true, value: { outcome: 'ivr_abandoned', ivr_seconds: 90, wait_seconds: null, queue: null } });
    expect(mapConnectCtr(parse(2), byDisconnect)).toMatchObject({ ok: true, value: { outcome: 'self_service' } });
    const byAttribute = { ...defaults, ivr_abandoned_when: { unless_attribute: 'selfServed' } };
    expect(mapConnectCtr(hungUp, byAttribute)).toMatchObject({ ok: true, value: { outcome: 'ivr_abandoned' } });
    const served = { ...hungUp, Attributes: { ...(parse(2).Attributes as object), selfServed: 'true' } };
    expect(mapConnectCtr(served, byAttribute)).toMatchObject({ ok: true, value: { outcome: 'self_service' } });
    expect(mapConnectCtr({ ...served, Attributes: { selfServed: 'false' } }, byAttribute)).toMatchObject({ ok: true, value: { outcome: 'ivr_abandoned' } });
    // a contact the flow ended is never an IVR abandon; a queued one is an abandon in the queue, not in the IVR
    expect(mapConnectCtr(parse(2), byAttribute)).toMatchObject({ ok: true, value: { outcome: 'self_service' } });
    expect(mapConnectCtr(parse(1), byDisconnect)).toMatchObject({ ok: true, value: { outcome: 'abandoned' } });
  });

  it('maps the waiting contact of a queued callback as callback_requested and the callback as outbound work', () => {
    expect(draft(3)).toMatchObject({
      outcome: 'callback_requested',
      direction: 'inbound',
      wait_seconds: 100,
      ivr_seconds: 20,
      category: null,
      customer_raw: '+821077776666',
      ended_at: t('2026-03-02T02:37:05Z'),
    });
    expect(draft(4)).toMatchObject({
      outcome: 'answered',
      direction: 'outbound',
      queue: 'CallbackQueue',
      agent_id: 'park.minsu',
      arrived_at: t('2026-03-02T02:37:00Z'),
      answered_at: t('2026-03-02T02:39:00Z'),
      wait_seconds: 21,
      ivr_seconds: null,
      talk_seconds: 180,
      hold_seconds: 0,
      acw_seconds: 15,
    });
  });

  it('keeps callback_requested to calls: a chat the flow ended while queued is abandoned', () => {
    const chat = { ...parse(3), Channel: 'CHAT' };
    const result = mapConnectCtr(chat, defaults);
    expect(result.ok && result.value.outcome).toBe('abandoned');
    expect(result.ok && result.value.wait_seconds).toBe(100);
  });

  it('maps a chat with the category in configured attributes and no customer endpoint', () => {
    expect(draft(5, { category_attribute: 'topic', subcategory_attribute: 'detail' })).toMatchObject({
      channel: 'chat',
      direction: 'inbound',
      outcome: 'answered',
      queue: '채팅상담',
      category: '상품문의',
      subcategory: '사이즈 "L" 재고 {문의}',
      customer_raw: null,
      wait_seconds: 10, // no Queue.Duration: connected to agent 05:00:12 − enqueue 05:00:02
      ivr_seconds: 2,
    });
    expect(draft(5)).toMatchObject({ category: null, subcategory: null });
  });

  it('takes the customer of a chat from the configured attribute, never over a phone endpoint', () => {
    const chat = { ...parse(5), Attributes: { customer_email: 'Kim@Example.com' } };
    const options = { category_attribute: 'topic', subcategory_attribute: 'detail', customer_attribute: 'customer_email' };
    const mapped = mapConnectCtr(chat, options);
    expect(mapped.ok && mapped.value.customer_raw).toBe('Kim@Example.com');
    const call = { ...parse(1), Attributes: { customer_email: 'someone@example.com' } };
    const mappedCall = mapConnectCtr(call, options);
    expect(mappedCall.ok && mappedCall.value.customer_raw).not.toBe('someone@example.com');
  });

  it('marks the transferring contact and excludes the transfer leg', () => {
    expect(draft(6)).toMatchObject({ outcome: 'answered', is_transferred: true, wait_seconds: 25, ivr_seconds: 5 });
    expect(draft(7)).toMatchObject({
      outcome: 'excluded',
      direction: 'inbound',
      is_transferred: false,
      wait_seconds: 20,
      ivr_seconds: 0, // no ConnectedToSystemTimestamp: initiation 06:02:40 = enqueue
    });
  });

  it('counts a warm transfer to an agent or queue (NextContactId only) as Connect counts "transferred out"', () => {
    // contact 7 without the cold-transfer fields: the agent stayed until the next agent joined
    const warm = { ...parse(6), TransferCompletedTimestamp: null, TransferredToEndpoint: null };
    expect(mapConnectCtr(warm, defaults)).toMatchObject({ ok: true, value: { outcome: 'answered', is_transferred: true } });
    // an instance whose flows set a disconnect flow (a post-call survey) says NextContactId is no transfer
    expect(mapConnectCtr(warm, { ...defaults, next_contact_is_transfer: false })).toMatchObject({ ok: true, value: { is_transferred: false } });
    // the waiting contact of a queued callback also has NextContactId, but it was never answered: no transfer
    expect(draft(3)).toMatchObject({ outcome: 'callback_requested', is_transferred: false });
  });

  it('reads a chat\'s first response from ChatMetrics, under either name of its contact-level part', () => {
    const chat = parse(5);
    const queue = chat['Queue'] as { EnqueueTimestamp: string };
    const enqueued = Date.parse(queue.EnqueueTimestamp);
    // the agent replied 42.5 s after the chat entered the queue
    const replied = new Date(enqueued + 42_500).toISOString();
    for (const name of ['ChatContactMetrics', 'ContactMetrics']) {
      const withReply = { ...chat, ChatMetrics: { [name]: { AgentFirstResponseTimestamp: replied, AgentFirstResponseTimeInMillis: 9_000 } } };
      expect(mapConnectCtr(withReply, defaults)).toMatchObject({ ok: true, value: { channel: 'chat', outcome: 'answered', wait_seconds: 42.5 } });
    }
    // only the response time after the agent took the chat: the queue time (connected 05:00:12 − enqueued
    // 05:00:02 = 10 s, the record has no Queue.Duration) plus 9 s
    const millisOnly = { ...chat, ChatMetrics: { ChatContactMetrics: { AgentFirstResponseTimeInMillis: 9_000 } } };
    expect(mapConnectCtr(millisOnly, defaults)).toMatchObject({ ok: true, value: { wait_seconds: 19 } });
    // no reply at all: the queue time, as for a call
    expect(draft(5).wait_seconds).toBe(10);
    // a chat that never got a connection reached nobody
    const never = { ...chat, Agent: null, DisconnectReason: 'CUSTOMER_CONNECTION_NOT_ESTABLISHED' };
    expect(mapConnectCtr(never, defaults)).toMatchObject({ ok: true, value: { outcome: 'excluded' } });
    // without an endpoint or attribute the CRM's CustomerId keys the customer
    expect(mapConnectCtr({ ...chat, CustomerId: 'crm-8841' }, defaults)).toMatchObject({ ok: true, value: { customer_raw: 'crm-8841' } });
    const bad = { ...chat, ChatMetrics: { ChatContactMetrics: { AgentFirstResponseTimeInMillis: -1 } } };
    expect(mapConnectCtr(bad, defaults)).toEqual({
      ok: false,
      rejection: { field: 'ChatMetrics.ChatContactMetrics.AgentFirstResponseTimeInMillis', reason: 'not a non-negative number of milliseconds' },
    });
  });

  it('maps an outbound call, an e-mail and a task', () => {
    expect(draft(8)).toMatchObject({
      direction: 'outbound',
      outcome: 'answered',
      queue: '아웃바운드',
      wait_seconds: null,
      ivr_seconds: null,
      category: null,
    });
    expect(draft(9)).toMatchObject({
      channel: 'email',
      customer_raw: 'buyer@example.com',
      wait_seconds: 3540,
      ivr_seconds: 60,
      talk_seconds: 420,
      hold_seconds: null,
      acw_seconds: 600,
      subcategory: '똠양꿍 소스',
    });
    expect(draft(10)).toMatchObject({
      channel: 'board',
      direction: 'inbound',
      outcome: 'abandoned',
      wait_seconds: 1800, // dequeue 10:30 − enqueue 10:00
      customer_raw: null,
    });
  });

  it('rejects with the field named', () => {
    const base = parse(0);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, InitiationTimestamp: '2026-03-02 01:00:00' }, 'InitiationTimestamp', 'not an ISO 8601 timestamp'],
      [{ ...base, InitiationTimestamp: '2026-03-02T01:00:00' }, 'InitiationTimestamp', 'not an ISO 8601 timestamp'],
      [{ ...base, InitiationTimestamp: undefined }, 'InitiationTimestamp', 'missing'],
      [{ ...base, ContactId: undefined }, 'ContactId', 'missing'],
      [{ ...base, ContactId: 42 }, 'ContactId', 'not a string'],
      [{ ...base, Channel: 'SMS' }, 'Channel', 'unknown channel "SMS"'],
      [
        { ...base, Agent: { ...(base['Agent'] as object), AgentInteractionDuration: '245' } },
        'Agent.AgentInteractionDuration',
        'not a non-negative number of seconds',
      ],
      [{ ...base, Queue: 'q' }, 'Queue', 'not an object'],
      [
        { ...base, ConnectedToSystemTimestamp: '2026-03-02T01:00:40Z' },
        'Queue.EnqueueTimestamp',
        'ends before it starts',
      ],
    ];
    for (const [record, field, reason] of cases) {
      expect(mapConnectCtr(record, defaults)).toEqual({ ok: false, rejection: { field, reason } });
    }
  });
});
