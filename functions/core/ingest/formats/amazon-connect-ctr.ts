/**
 * Amazon Connect contact records (CTRs) as Kinesis Data Firehose delivers them to S3: one JSON object per
 * contact, objects concatenated with nothing between them (`{...}{...}`) or one per line.
 *
 * Reading. The reader splits the byte stream into top-level objects with a small state machine over bytes
 * (string, escape, brace depth). It works on bytes, not text, because every JSON structural character is
 * ASCII and no byte of a multi-byte UTF-8 sequence is below 0x80, so a chunk boundary inside a character or
 * inside an escaped quote cannot mislead it; each complete object is decoded (strict UTF-8) and parsed on its
 * own. stream-json's `jsonStreaming` parses concatenated values too, but stops at the first syntax error,
 * while a Firehose object can hold a record cut short by a failed put followed by good ones: this splitter
 * rejects the bad span and carries on with the next record.
 *
 * Recovery rule: when a span does not parse (or the file ends inside it), the span is cut at the first `{`
 * that cannot be a nested value of valid JSON (one not preceded, ignoring white space, by `:`, `,` or `[`),
 * the part before is rejected and the rest is read again as new input. So `{"a":tru{"ContactId":...}` yields
 * one rejection and one record instead of losing the good record.
 *
 * Whole-file rejection: a file whose first non-white-space byte is not `{` is not a CTR file (a gzip object
 * Firehose was told to compress, a CSV, an HTML error page): the reader throws FileRejectedError before it
 * yields anything, so the pipeline writes nothing for it. Garbage after a first object is rejected record by
 * record. An empty file yields nothing.
 *
 * `line` of every yielded item is its 1-based record number in the file, counting rejected spans as records.
 */
import JSONParser from '@streamparser/json/jsonparser.js';
import type { Channel, Direction, Outcome } from '../../tables.ts';
import {
  FileRejectedError,
  type ContactDraft,
  type MapResult,
  type Rejection,
  type SourceRecord,
} from '../types.ts';

const RAW_LIMIT = 500;
const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

const isWhitespace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

const truncate = (text: string): string => (text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}…` : text);
const rawOf = (bytes: Uint8Array): string => truncate(lenientUtf8.decode(bytes.subarray(0, RAW_LIMIT * 4)));

/** Grows like a vector; holds at most one record (bounded by maxRecordBytes) or one garbage prefix. */
class ByteBuffer {
  private data = new Uint8Array(4096);
  length = 0;

  push(b: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = b;
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }

  take(): Uint8Array {
    const copy = this.data.slice(0, this.length);
    this.length = 0;
    if (this.data.length > 64 * 1024) this.data = new Uint8Array(4096);
    return copy;
  }
}

type Item = SourceRecord<Record<string, unknown>>;

/** The byte-level splitter. `push` and `end` return the items completed so far, in file order. */
class CtrSplitter {
  private record = 0;
  private seenContent = false;
  private atFileStart = true;
  private bomBytes = 0;

  /** outside a record: garbage bytes since the last record */
  private garbage = new ByteBuffer();
  private garbageBytes = 0;
  /** inside a record */
  private span = new ByteBuffer();
  private depth = 0;
  private inString = false;
  private escaped = false;
  private overflowed = false;
  private overflowRaw = '';

  private readonly out: Item[] = [];

  constructor(
    private readonly file: string,
    private readonly maxRecordBytes: number,
    private readonly parse: (text: string) => unknown = JSON.parse,
  ) {}

  push(chunk: Uint8Array): Item[] {
    this.scan(chunk);
    return this.out.splice(0);
  }

  end(): Item[] {
    if (this.depth > 0 && this.overflowed) {
      this.resetToOutside();
      this.reject(this.overflowRaw, `truncated: the file ends inside a record larger than ${this.maxRecordBytes} bytes`);
    } else if (this.depth > 0) {
      this.failSpan(this.span.take(), 'truncated: the file ends inside this record', true);
    }
    this.flushGarbage();
    return this.out.splice(0);
  }

  private scan(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.atFileStart && this.skipBom(b)) continue;
      if (this.depth === 0) this.outside(b);
      else this.inside(b);
    }
  }

  /** Consumes a UTF-8 byte order mark split over any chunks; false once the first non-BOM byte arrives. */
  private skipBom(b: number): boolean {
    const bom = [0xef, 0xbb, 0xbf];
    if (b === bom[this.bomBytes]) {
      this.bomBytes++;
      if (this.bomBytes === 3) this.atFileStart = false;
      return true;
    }
    this.atFileStart = false;
    // a partial BOM followed by something else is content
    for (let k = 0; k < this.bomBytes; k++) this.outside(bom[k]!);
    return false;
  }

  private outside(b: number): void {
    if (b === OPEN_BRACE) {
      this.flushGarbage();
      this.seenContent = true;
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
      this.overflowed = false;
      this.span.push(b);
      return;
    }
    if (isWhitespace(b)) {
      if (this.garbageBytes > 0) this.keepGarbage(b);
      return;
    }
    if (!this.seenContent) {
      const hint = b === 0x1f ? ' (gzip-compressed? decompress before ingesting)' : '';
      throw new FileRejectedError(
        this.file,
        `not Amazon Connect contact records: the first byte is 0x${b.toString(16).padStart(2, '0')}, expected "{" or "["${hint}`,
      );
    }
    this.keepGarbage(b);
  }

  private keepGarbage(b: number): void {
    this.garbageBytes++;
    if (this.garbage.length < RAW_LIMIT * 4) this.garbage.push(b);
  }

  private flushGarbage(): void {
    if (this.garbageBytes === 0) return;
    const raw = rawOf(this.garbage.take());
    this.garbageBytes = 0;
    this.reject(raw.trimEnd(), 'not a JSON object: bytes between records');
  }

  private inside(b: number): void {
    if (!this.overflowed) {
      this.span.push(b);
      if (this.span.length > this.maxRecordBytes) {
        this.overflowed = true;
        // Try to resynchronise inside what we hold; if nothing looks like a record start, skip to depth 0.
        const held = this.span.take();
        const cut = resyncPoint(held);
        if (cut > 0) {
          this.resetToOutside();
          this.reject(rawOf(held.subarray(0, cut)), `record larger than ${this.maxRecordBytes} bytes`);
          this.scan(held.subarray(cut));
          return;
        }
        this.overflowRaw = rawOf(held);
      }
    }
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return;
    }
    if (b === QUOTE) this.inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth === 0) this.completeSpan();
    }
  }

  private resetToOutside(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private completeSpan(): void {
    if (this.overflowed) {
      this.overflowed = false;
      this.reject(this.overflowRaw, `record larger than ${this.maxRecordBytes} bytes`);
      this.overflowRaw = '';
      return;
    }
    const bytes = this.span.take();
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.failSpan(bytes, 'not valid UTF-8', false);
      return;
    }
    let value: unknown;
    try {
      value = this.parse(text);
    } catch (error) {
      const e = error as Error;
      this.failSpan(bytes, e.name === 'JsonDepthError' ? `the record is ${e.message}` : `invalid JSON: ${e.message}`, false);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.failSpan(bytes, 'not a JSON object', false);
      return;
    }
    this.out.push({ ok: true, line: ++this.record, record: value as Record<string, unknown>, raw: text });
  }

  /** Rejects a span that did not parse; when it holds a likely record start, reads from there again. */
  private failSpan(bytes: Uint8Array, reason: string, atEnd: boolean): void {
    this.resetToOutside();
    const cut = resyncPoint(bytes);
    if (cut > 0) {
      this.reject(rawOf(bytes.subarray(0, cut)), reason);
      this.scan(bytes.subarray(cut));
      if (atEnd && this.depth > 0) this.failSpan(this.span.take(), reason, true);
      return;
    }
    this.reject(rawOf(bytes), reason);
  }

  private reject(raw: string, reason: string): void {
    const rejection: Rejection = { field: '(row)', reason };
    this.out.push({ ok: false, line: ++this.record, raw, rejection });
  }
}

/**
 * Index of the first `{` after position 0 that valid JSON could not have as a nested value: a nested object
 * always follows `:`, `,` or `[` (white space aside). 0 when there is none.
 */
function resyncPoint(bytes: Uint8Array): number {
  let previous = bytes[0] ?? 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === OPEN_BRACE && previous !== COLON && previous !== COMMA && previous !== OPEN_BRACKET) return i;
    if (!isWhitespace(b)) previous = b;
  }
  return 0;
}

/**
 * Streams the records of one Firehose CTR object. Memory is bounded by the largest record (at most
 * `maxRecordBytes`, 1 MiB by default; Connect caps a record's attributes at 32 KB).
 *
 * A file that is one JSON array of records (what people save from the API, such as `DescribeContact` answers
 * collected into a list, or a console dump) is read element by element, each element a record numbered from 1,
 * like a Firehose object; a syntax error in an array rejects the file, since the rest of it cannot be placed.
 *
 * @throws FileRejectedError when the content does not start with a JSON object or array
 */
export async function* readConnectCtrs(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  options: {
    maxRecordBytes?: number;
    /** how one record's text is parsed (default JSON.parse); a lossless reader keeps numbers as written */
    parse?: (text: string) => unknown;
  } = {},
): AsyncIterable<SourceRecord<Record<string, unknown>>> {
  const { first, rest } = await firstByte(chunks);
  if (first === 0x5b) {
    yield* readCtrArray(rest, file);
    return;
  }
  const splitter = new CtrSplitter(file, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, options.parse);
  for await (const chunk of rest) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** The first byte that is not white space or a BOM, and the stream from the start again. */
async function firstByte(body: AsyncIterable<Uint8Array>): Promise<{ first: number | undefined; rest: AsyncIterable<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let first: number | undefined;
  let offset = 0;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    const at = offset;
    first = next.value.find((b, i) => !(isWhitespace(b) || (at + i < 3 && (b === 0xef || b === 0xbb || b === 0xbf))));
    offset += next.value.length;
  }
  async function* rest(): AsyncIterable<Uint8Array> {
    yield* held;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, rest: rest() };
}

/** The elements of a JSON array of CTRs, as records; an element that is not an object is rejected alone. */
async function* readCtrArray(chunks: AsyncIterable<Uint8Array>, file: string): AsyncIterable<SourceRecord<Record<string, unknown>>> {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: SourceRecord<Record<string, unknown>>[] = [];
  let count = 0;
  let error: Error | undefined;
  parser.onValue = ({ value }) => {
    count++;
    const raw = JSON.stringify(value) ?? '';
    ready.push(
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { ok: true, line: count, record: value as Record<string, unknown>, raw }
        : { ok: false, line: count, raw: raw.slice(0, 2000), rejection: { field: '(record)', reason: 'an array element that is not a JSON object' } },
    );
  };
  parser.onError = (e) => (error ??= e);
  for await (const chunk of chunks) {
    parser.write(chunk);
    if (error) break;
    yield* ready.splice(0);
  }
  if (!error && !parser.isEnded) parser.end();
  if (error) throw new FileRejectedError(file, `not a valid JSON array of contact records after record ${count}: ${error.message.replace(/"[^"]*"/g, '"…"').slice(0, 200)}`);
  yield* ready.splice(0);
}

/*
 * Mapping a CTR to a contact. Field meanings are those of AWS's "Data model for Amazon Connect contact
 * records" (https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html: ContactTraceRecord,
 * Agent, QueueInfo, Endpoint, ChatMetrics) and "Contact initiation methods"; durations in a CTR are whole
 * seconds, timestamps ISO 8601 in UTC.
 *
 * Versions. "Amazon Connect delivers contact records at least once. Contact records may be delivered again …
 *              Use the LastUpdateTimestamp property to determine if a copy contains new data than previous
 *              copies. Then use the ContactId property for deduplication." (the data-model page). The draft
 *              carries LastUpdateTimestamp as updated_at, and assembly keeps the copy with the latest
 *              updated_at whatever the order the copies arrive in, within a file and across files.
 * Transfers.   Counted as Connect's historical metric "Contacts transferred out" counts them: "Count of
 *              contacts transferred from the queue after being answered by an agent", internal ("to an
 *              internal source, such as a queue or another agent … any source that can be added as a Quick
 *              Connect") and external ("to an external source, such as a phone number"), from "Historical
 *              metrics definitions" (https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html).
 *              In the CTR: an answered contact is_transferred when it has
 *              - TransferredToEndpoint (transferred out of Connect: external), or TransferCompletedTimestamp
 *                (the data model: set when the transferring agent drops before the new agent joins, a cold
 *                transfer, internal or external), or
 *              - NextContactId (internal): the data model sets it when "an agent uses a Quick Connect or the
 *                number pad on the CCP" and Connect then creates the new contact with InitiationMethod
 *                TRANSFER; a warm transfer leaves TransferCompletedTimestamp empty, so NextContactId is the
 *                one mark it leaves on the answered contact.
 *              NextContactId is also set by the flow blocks "Transfer to flow", "Transfer to queue" and "Set
 *              disconnect flow"; on an answered contact the first two are transfers too, but a disconnect
 *              flow (a post-call survey) is not, and the CTR alone cannot tell them apart (the next
 *              contact's InitiationMethod, DISCONNECT, would). A source whose flows set a disconnect flow
 *              says `next_contact_is_transfer: false`, and then only the two transfer fields count. The
 *              TRANSFER leg itself is excluded (rule 1 below): the transferred customer counts once.
 * Chat.        CHAT contacts carry ChatMetrics (the data model's ContactMetrics, called ChatContactMetrics
 *              in the DescribeContact API; either name is read). Their wait is the first-response time
 *              (PRODUCT: "first-response time for chat"): from Queue.EnqueueTimestamp to
 *              AgentFirstResponseTimestamp, else Queue.Duration + AgentFirstResponseTimeInMillis ("the time
 *              for an agent to respond after obtaining a chat contact"), else, with no agent reply, the
 *              queue time as for calls. A chat whose DisconnectReason is CUSTOMER_CONNECTION_NOT_ESTABLISHED
 *              ("Customer starts chat but never gets connection") never reached anyone: excluded. A chat
 *              without a customer endpoint is keyed by `customer_attribute` when the source names one, else
 *              by the record's CustomerId (the data model: "a customer number from your CRM").
 *
 * channel      VOICE → phone, CHAT → chat, TASK → board (a task is a back-office ticket, like a board post),
 *              EMAIL → email. Anything else is rejected rather than guessed.
 * direction    OUTBOUND, EXTERNAL_OUTBOUND (an agent dialled) and CALLBACK → outbound; every other method
 *              (INBOUND, TRANSFER, QUEUE_TRANSFER, API, WEBRTC_API, …) → inbound. CALLBACK is outbound
 *              because Connect runs a queued callback as a new contact in which the agent dials the customer;
 *              the customer's request is the original INBOUND contact. Connect's own "Contacts handled
 *              incoming" likewise excludes callback contacts (they have "Callback contacts handled").
 * outcome      first rule that matches:
 *              1. MONITOR (a supervisor listening in), TRANSFER and DISCONNECT contacts → excluded. They are
 *                 legs Connect creates for a conversation that already has a contact: the agent who
 *                 transferred answered the original contact, which carries is_transferred = true and counts
 *                 once as offered and answered. Counting the leg again would inflate offered and make the
 *                 caller look like a repeat (버블호) minutes later. They stay in the lake for ad hoc queries.
 *                 A chat that never connected (CUSTOMER_CONNECTION_NOT_ESTABLISHED) → excluded as well.
 *              2. Agent.ConnectedToAgentTimestamp present → answered.
 *              3. Queued (Queue.EnqueueTimestamp present) and not connected:
 *                 a. NextContactId present, or DisconnectReason CONTACT_FLOW_DISCONNECT → callback_requested
 *                    when the contact is an inbound call (queued callbacks exist only for voice). Connect ends the waiting contact itself when the customer
 *                    accepts a queued callback (the customer queue flow runs "Transfer to queue" into the
 *                    callback queue and hangs up; the callback becomes a new CALLBACK contact), and Connect's
 *                    metrics do not count such contacts as abandoned. A flow that moves a waiting contact to
 *                    another queue (QUEUE_TRANSFER) also sets NextContactId; the CTR alone cannot tell the two
 *                    apart, and a customer who was moved on did not abandon either, so callback_requested
 *                    (offered, not abandoned) is the closer of the available outcomes. The QUEUE_TRANSFER leg
 *                    itself is mapped like any inbound contact so that an answer in the second queue is not
 *                    lost; such a customer is then offered twice. Telling the two apart needs the contact
 *                    chain (PreviousContactId of the next contact), which a per-record mapper does not see.
 *                 b. otherwise → abandoned: Connect defines an abandoned contact as one disconnected while in
 *                    queue, never connected to an agent.
 *              4. Never queued, not connected, inbound → self_service: the IVR or the chat bot ended it; or
 *                 ivr_abandoned when the source's `ivr_abandoned_when` says the customer left unserved:
 *                 `customer_disconnect` when DisconnectReason is CUSTOMER_DISCONNECT ("the customer disconnected
 *                 first", https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html, DisconnectReason)
 *                 rather than CONTACT_FLOW_DISCONNECT (the flow ended it, its work done); `{ unless_attribute }` when
 *                 the flow did not set that attribute (to anything but "" or "false"). A contact the flows ended
 *                 is never an IVR abandon, whatever the rule.
 *              5. Never queued, not connected, outbound → excluded: an outbound attempt that reached no agent
 *                 (a failed or unanswered dial) is no service delivered to a customer.
 * wait_seconds Queue.Duration (enqueue to dequeue), else ConnectedToAgentTimestamp − EnqueueTimestamp, else
 *              DequeueTimestamp − EnqueueTimestamp, else for an unanswered queued contact
 *              DisconnectTimestamp − EnqueueTimestamp; null when never queued. Chats: see above.
 * ivr_seconds  EnqueueTimestamp − (ConnectedToSystemTimestamp, else InitiationTimestamp) when queued; for a
 *              self-service contact the whole stay, DisconnectTimestamp − the same start; else null.
 * talk, hold, acw  Agent.AgentInteractionDuration, Agent.CustomerHoldDuration, Agent.AfterContactWorkDuration.
 *              handle_seconds is left null: the CTR has no handle field and the pipeline sums the parts.
 * arrived_at   InitiationTimestamp (for INBOUND when the contact arrived; for CALLBACK when the callback was
 *              created). answered_at Agent.ConnectedToAgentTimestamp. ended_at DisconnectTimestamp.
 *              updated_at LastUpdateTimestamp.
 * customer_raw CustomerEndpoint.Address when its Type is TELEPHONE_NUMBER or EMAIL_ADDRESS; other endpoint
 *              types (a chat participant, a flow) carry no customer identity: then `customer_attribute`,
 *              else CustomerId.
 * is_transferred see Transfers above.
 * is_resolved  null: a CTR says nothing about resolution.
 */

const CHANNELS: Record<string, Channel> = { VOICE: 'phone', CHAT: 'chat', TASK: 'board', EMAIL: 'email' };
const OUTBOUND_METHODS = new Set(['OUTBOUND', 'EXTERNAL_OUTBOUND', 'CALLBACK']);
const LEG_METHODS = new Set(['MONITOR', 'TRANSFER', 'DISCONNECT']);
const CUSTOMER_ENDPOINT_TYPES = new Set(['TELEPHONE_NUMBER', 'EMAIL_ADDRESS']);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

class FieldError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'FieldError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A nested object such as Agent or Queue; Connect writes null when the contact had none. */
function section(record: Record<string, unknown>, name: string): Record<string, unknown> | null {
  const value = record[name];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new FieldError(name, 'not an object');
  return value;
}

function optionalString(obj: Record<string, unknown> | null, key: string, path: string): string | null {
  const value = obj?.[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new FieldError(path, 'not a string');
  return value === '' ? null : value;
}

function optionalTimestamp(obj: Record<string, unknown> | null, key: string, path: string): Date | null {
  const value = obj?.[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !ISO_8601.test(value)) throw new FieldError(path, 'not an ISO 8601 timestamp');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new FieldError(path, 'not an ISO 8601 timestamp');
  return date;
}

function optionalDuration(obj: Record<string, unknown> | null, key: string, path: string): number | null {
  const value = obj?.[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FieldError(path, 'not a non-negative number of seconds');
  }
  return value;
}

const secondsBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / 1000;

/** A derived interval; negative (clock skew between Connect components) is reported, not silently kept. */
function interval(from: Date | null, to: Date | null, path: string): number | null {
  if (from === null || to === null) return null;
  const seconds = secondsBetween(from, to);
  if (seconds < 0) throw new FieldError(path, 'ends before it starts');
  return seconds;
}

export function mapConnectCtr(
  record: Record<string, unknown>,
  source: ConnectSourceOptions,
): MapResult<ContactDraft> {
  try {
    return { ok: true, value: toDraft(record, source) };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, rejection: { field: error.field, reason: error.message } };
    throw error;
  }
}

/** Which contact attributes carry the category and, for channels without a customer endpoint, the customer. */
export interface ConnectSourceOptions {
  category_attribute: string;
  subcategory_attribute: string;
  /** chats started through the API carry no phone endpoint: the customer's e-mail or user id is an attribute */
  customer_attribute?: string | undefined;
  /** false when the instance's flows set a disconnect flow, so NextContactId does not mean a transfer */
  next_contact_is_transfer?: boolean | undefined;
  /** when a never-queued inbound contact left the IVR unserved rather than being served by it (rule 4 below) */
  ivr_abandoned_when?: IvrAbandonRule | undefined;
}

/**
 * `never`: the CTR alone does not say whether the IVR served the customer, so every never-queued inbound contact is
 * self-service. `customer_disconnect`: the customer hung up before the flow ended the contact (DisconnectReason
 * CUSTOMER_DISCONNECT), for instances whose self-service flows end with a Disconnect block. `{ unless_attribute }`:
 * the flows set this contact attribute when the IVR or the bot served the customer; without it the customer left.
 */
export type IvrAbandonRule = 'never' | 'customer_disconnect' | { unless_attribute: string };

function toDraft(record: Record<string, unknown>, source: ConnectSourceOptions): ContactDraft {
  const contactId = optionalString(record, 'ContactId', 'ContactId');
  if (contactId === null) throw new FieldError('ContactId', 'missing');

  const channelRaw = optionalString(record, 'Channel', 'Channel');
  if (channelRaw === null) throw new FieldError('Channel', 'missing');
  const channel = CHANNELS[channelRaw];
  if (channel === undefined) throw new FieldError('Channel', `unknown channel "${channelRaw}"`);

  const method = optionalString(record, 'InitiationMethod', 'InitiationMethod');
  const direction: Direction = method !== null && OUTBOUND_METHODS.has(method) ? 'outbound' : 'inbound';

  const arrivedAt = optionalTimestamp(record, 'InitiationTimestamp', 'InitiationTimestamp');
  if (arrivedAt === null) throw new FieldError('InitiationTimestamp', 'missing');
  const systemAt = optionalTimestamp(record, 'ConnectedToSystemTimestamp', 'ConnectedToSystemTimestamp');
  const endedAt = optionalTimestamp(record, 'DisconnectTimestamp', 'DisconnectTimestamp');

  const queue = section(record, 'Queue');
  const queueName = optionalString(queue, 'Name', 'Queue.Name');
  const enqueuedAt = optionalTimestamp(queue, 'EnqueueTimestamp', 'Queue.EnqueueTimestamp');
  const dequeuedAt = optionalTimestamp(queue, 'DequeueTimestamp', 'Queue.DequeueTimestamp');
  const queueDuration = optionalDuration(queue, 'Duration', 'Queue.Duration');

  const agent = section(record, 'Agent');
  const agentId = optionalString(agent, 'Username', 'Agent.Username');
  const answeredAt = optionalTimestamp(agent, 'ConnectedToAgentTimestamp', 'Agent.ConnectedToAgentTimestamp');
  const talk = optionalDuration(agent, 'AgentInteractionDuration', 'Agent.AgentInteractionDuration');
  const hold = optionalDuration(agent, 'CustomerHoldDuration', 'Agent.CustomerHoldDuration');
  const acw = optionalDuration(agent, 'AfterContactWorkDuration', 'Agent.AfterContactWorkDuration');

  const endpoint = section(record, 'CustomerEndpoint');
  const endpointType = optionalString(endpoint, 'Type', 'CustomerEndpoint.Type');
  const address = optionalString(endpoint, 'Address', 'CustomerEndpoint.Address');
  const attributes = section(record, 'Attributes');
  const customerRaw =
    endpointType !== null && CUSTOMER_ENDPOINT_TYPES.has(endpointType)
      ? address
      : ((source.customer_attribute === undefined
          ? null
          : optionalString(attributes, source.customer_attribute, `Attributes.${source.customer_attribute}`)) ??
        optionalString(record, 'CustomerId', 'CustomerId'));

  const category = optionalString(attributes, source.category_attribute, `Attributes.${source.category_attribute}`);
  const subcategory = optionalString(
    attributes,
    source.subcategory_attribute,
    `Attributes.${source.subcategory_attribute}`,
  );

  const transferredAt = optionalTimestamp(record, 'TransferCompletedTimestamp', 'TransferCompletedTimestamp');
  const transferredTo = section(record, 'TransferredToEndpoint');
  const nextContactId = optionalString(record, 'NextContactId', 'NextContactId');
  const disconnectReason = optionalString(record, 'DisconnectReason', 'DisconnectReason');
  const updatedAt = optionalTimestamp(record, 'LastUpdateTimestamp', 'LastUpdateTimestamp');
  const chat = channel === 'chat' ? chatResponse(record) : null;

  const queued = enqueuedAt !== null;
  const connected = answeredAt !== null;
  const start = systemAt ?? arrivedAt;

  let outcome: Outcome;
  if (method !== null && LEG_METHODS.has(method)) outcome = 'excluded';
  else if (channel === 'chat' && disconnectReason === 'CUSTOMER_CONNECTION_NOT_ESTABLISHED') outcome = 'excluded';
  else if (connected) outcome = 'answered';
  else if (queued) {
    const movedOn = nextContactId !== null || disconnectReason === 'CONTACT_FLOW_DISCONNECT';
    outcome = movedOn && direction === 'inbound' && channel === 'phone' ? 'callback_requested' : 'abandoned';
  } else if (direction === 'inbound') {
    outcome = leftTheIvr(source.ivr_abandoned_when ?? 'never', disconnectReason, attributes) ? 'ivr_abandoned' : 'self_service';
  } else outcome = 'excluded';

  let wait: number | null = null;
  if (queued && chat !== null && (chat.firstResponseAt !== null || chat.firstResponseMs !== null)) {
    wait =
      interval(enqueuedAt, chat.firstResponseAt, 'ChatMetrics.ChatContactMetrics.AgentFirstResponseTimestamp') ??
      (chat.firstResponseMs === null
        ? null
        : (queueDuration ?? interval(enqueuedAt, answeredAt, 'Agent.ConnectedToAgentTimestamp') ?? Number.NaN) + chat.firstResponseMs / 1000);
    if (Number.isNaN(wait)) wait = null;
  }
  if (queued && wait === null) {
    wait =
      queueDuration ??
      interval(enqueuedAt, answeredAt, 'Agent.ConnectedToAgentTimestamp') ??
      interval(enqueuedAt, dequeuedAt, 'Queue.DequeueTimestamp') ??
      (connected ? null : interval(enqueuedAt, endedAt, 'DisconnectTimestamp'));
  }

  let ivr: number | null = null;
  if (direction === 'inbound') {
    if (queued) ivr = interval(start, enqueuedAt, 'Queue.EnqueueTimestamp');
    else if (outcome === 'self_service' || outcome === 'ivr_abandoned') ivr = interval(start, endedAt, 'DisconnectTimestamp');
  }

  return {
    contact_id: contactId,
    channel,
    direction,
    queue: queueName,
    category,
    subcategory,
    customer_raw: customerRaw,
    agent_id: agentId,
    arrived_at: arrivedAt,
    answered_at: answeredAt,
    ended_at: endedAt,
    ivr_seconds: ivr,
    wait_seconds: wait,
    talk_seconds: talk,
    hold_seconds: hold,
    acw_seconds: acw,
    handle_seconds: null,
    outcome,
    is_transferred:
      transferredAt !== null ||
      transferredTo !== null ||
      (connected && nextContactId !== null && source.next_contact_is_transfer !== false && (method === null || !LEG_METHODS.has(method))),
    is_resolved: null,
    updated_at: updatedAt,
  };
}

/** Rule 4: did a never-queued inbound contact leave the IVR or the bot unserved? */
function leftTheIvr(rule: IvrAbandonRule, disconnectReason: string | null, attributes: Record<string, unknown> | null): boolean {
  if (rule === 'never' || disconnectReason === 'CONTACT_FLOW_DISCONNECT') return false;
  if (rule === 'customer_disconnect') return disconnectReason === 'CUSTOMER_DISCONNECT';
  const served = attributes?.[rule.unless_attribute];
  return served === undefined || served === null || served === '' || String(served).toLowerCase() === 'false';
}

/** The agent's first reply of a chat, from ChatMetrics (either name of its contact-level part). */
function chatResponse(record: Record<string, unknown>): { firstResponseAt: Date | null; firstResponseMs: number | null } {
  const metrics = section(record, 'ChatMetrics');
  const name = metrics?.['ChatContactMetrics'] !== undefined ? 'ChatContactMetrics' : 'ContactMetrics';
  const contact = metrics === null ? null : section(metrics, name);
  const path = `ChatMetrics.${name}`;
  const millis = contact?.['AgentFirstResponseTimeInMillis'];
  if (millis !== undefined && millis !== null && (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 0)) {
    throw new FieldError(`${path}.AgentFirstResponseTimeInMillis`, 'not a non-negative number of milliseconds');
  }
  return {
    firstResponseAt: optionalTimestamp(contact, 'AgentFirstResponseTimestamp', `${path}.AgentFirstResponseTimestamp`),
    firstResponseMs: typeof millis === 'number' ? millis : null,
  };
}
