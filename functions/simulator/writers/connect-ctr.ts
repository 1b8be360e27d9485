/**
 * Amazon Connect contact records as Kinesis Data Firehose delivers them to S3: JSON objects written back to
 * back with no separator in some objects and one per line in others (depending on how the stream's
 * processor was set up), with the documented field names and ISO 8601 UTC timestamps, and with a few exact
 * duplicates because the export stream is at-least-once.
 *
 * Inbound contacts map one to one onto SimContacts. Transfers to a queue and queued callbacks also create the
 * extra contact records Connect creates (InitiationMethod TRANSFER / CALLBACK, linked by PreviousContactId);
 * they are not inbound contacts and the ground truth counts them apart.
 */
import { isoSeconds } from '../calendar.ts';
import type { SimContact } from '../engine.ts';
import { Random } from '../random.ts';
import {
  BucketSet,
  writeOutput,
  type PlantedRow,
  type SimDayWithEnd,
  type SourceFilesTruth,
  type SourceWriter,
} from './output.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-west-2';
/**
 * Firehose buffers at most 900 s, so a real bucket holds hundreds of objects a day; twelve-hour objects keep
 * the demo's file count small while preserving what matters to ingest (records span days and formats vary).
 */
const WINDOW_MS = 12 * 3600_000;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export class ConnectCtrWriter implements SourceWriter {
  private readonly buckets = new BucketSet();
  private readonly rng: Random;
  private readonly instanceArn: string;
  private readonly queueArns = new Map<string, string>();
  private readonly files: SourceFilesTruth['files'] = [];
  private readonly duplicates: PlantedRow[] = [];
  private readonly pendingDuplicates: Set<number>;
  private transferLegs = 0;
  private callbackLegs = 0;

  constructor(
    readonly sourceId: string,
    private readonly opts: {
      readonly outDir: string;
      readonly seed: number;
      readonly streamName: string;
      readonly systemNumber: string;
      /** local day indexes on which one record is delivered twice */
      readonly duplicateDays: ReadonlySet<number>;
    },
  ) {
    this.rng = new Random(opts.seed, `connect:${opts.streamName}`);
    this.instanceArn = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${this.rng.uuid()}`;
    this.pendingDuplicates = new Set(opts.duplicateDays);
  }

  private queueArn(name: string): string {
    let arn = this.queueArns.get(name);
    if (!arn) {
      arn = `${this.instanceArn}/queue/${new Random(this.opts.seed, `queue:${name}`).uuid()}`;
      this.queueArns.set(name, arn);
    }
    return arn;
  }

  private readonly agentArns = new Map<string, string>();
  private agentArn(username: string): string {
    let arn = this.agentArns.get(username);
    if (!arn) {
      arn = `${this.instanceArn}/agent/${new Random(this.opts.seed, `agent:${username}`).uuid()}`;
      this.agentArns.set(username, arn);
    }
    return arn;
  }

  private readonly objectNames = new Map<number, string>();
  /** Firehose object name: stream, version, the buffer's UTC start and a random suffix. */
  private objectName(windowStart: number): string {
    let name = this.objectNames.get(windowStart);
    if (!name) {
      const stamp = new Date(windowStart).toISOString().slice(0, 19).replace(/[-T:]/g, '-');
      name = `${this.opts.streamName}-1-${stamp}-${new Random(this.opts.seed, `object:${windowStart}`).uuid()}`;
      this.objectNames.set(windowStart, name);
    }
    return name;
  }

  private agent(username: string, connectedMs: number, talk: number, hold: number, holds: number, acw: number, endedMs: number): Json {
    return {
      ARN: this.agentArn(username),
      AfterContactWorkDuration: acw,
      AfterContactWorkEndTimestamp: isoSeconds(endedMs + acw * 1000),
      AfterContactWorkStartTimestamp: isoSeconds(endedMs),
      AgentInteractionDuration: talk,
      ConnectedToAgentTimestamp: isoSeconds(connectedMs),
      CustomerHoldDuration: hold,
      HierarchyGroups: null,
      LongestHoldDuration: holds > 1 ? Math.ceil(hold * 0.6) : hold,
      NumberOfHolds: holds,
      Username: username,
    };
  }

  private record(fields: {
    contactId: string;
    channel: 'VOICE' | 'CHAT';
    method: 'INBOUND' | 'TRANSFER' | 'CALLBACK';
    initiatedMs: number;
    disconnectedMs: number;
    lastUpdateMs: number;
    customer: string | null;
    queue: Json;
    agent: Json;
    attributes: Record<string, string>;
    disconnectReason: string;
    previous: string | null;
    next: string | null;
    initial: string | null;
    transferCompletedMs: number | null;
    transferredTo: string | null;
    agentAttempts: number;
  }): Record<string, Json> {
    return {
      AWSAccountId: ACCOUNT,
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      Agent: fields.agent,
      AgentConnectionAttempts: fields.agentAttempts,
      Attributes: fields.attributes,
      Channel: fields.channel,
      ConnectedToSystemTimestamp: isoSeconds(fields.initiatedMs),
      ContactId: fields.contactId,
      CustomerEndpoint: fields.customer === null ? null : { Address: fields.customer, Type: 'TELEPHONE_NUMBER' },
      DisconnectReason: fields.disconnectReason,
      DisconnectTimestamp: isoSeconds(fields.disconnectedMs),
      InitialContactId: fields.initial,
      InitiationMethod: fields.method,
      InitiationTimestamp: isoSeconds(fields.initiatedMs),
      InstanceARN: this.instanceArn,
      LastUpdateTimestamp: isoSeconds(fields.lastUpdateMs),
      NextContactId: fields.next,
      PreviousContactId: fields.previous,
      Queue: fields.queue,
      Recording: null,
      Recordings: null,
      SystemEndpoint: fields.channel === 'VOICE' ? { Address: this.opts.systemNumber, Type: 'TELEPHONE_NUMBER' } : null,
      TransferCompletedTimestamp: fields.transferCompletedMs === null ? null : isoSeconds(fields.transferCompletedMs),
      TransferredToEndpoint: fields.transferredTo === null ? null : { Address: fields.transferredTo, Type: 'TELEPHONE_NUMBER' },
    };
  }

  private queueInfo(name: string, enqueuedMs: number, dequeuedMs: number): Json {
    return {
      ARN: this.queueArn(name),
      DequeueTimestamp: isoSeconds(dequeuedMs),
      Duration: Math.round((dequeuedMs - enqueuedMs) / 1000),
      EnqueueTimestamp: isoSeconds(enqueuedMs),
      Name: name,
    };
  }

  /** The record of an inbound contact, plus the transfer or callback leg it spawns. */
  private recordsOf(c: SimContact, agentsOnShift: readonly string[]): Record<string, Json>[] {
    const rng = this.rng;
    const voice = c.channel === 'phone';
    const attributes: Record<string, string> = { category: c.category, subcategory: c.subcategory };
    if (!voice && c.customerRaw) attributes.customer_email = c.customerRaw;
    const customer = voice ? c.customerRaw : null;
    const queue = c.queue !== null && c.enqueuedMs !== null && c.dequeuedMs !== null ? this.queueInfo(c.queue, c.enqueuedMs, c.dequeuedMs) : null;
    const agent =
      c.outcome === 'answered' && c.agentId !== null && c.answeredMs !== null
        ? this.agent(c.agentId, c.answeredMs, c.talkSeconds, c.holdSeconds, c.holds, c.acwSeconds, c.endedMs)
        : null;
    const workEndMs = c.endedMs + c.acwSeconds * 1000;
    const base = {
      contactId: c.id,
      channel: voice ? ('VOICE' as const) : ('CHAT' as const),
      method: 'INBOUND' as const,
      initiatedMs: c.arrivedMs,
      disconnectedMs: c.endedMs,
      lastUpdateMs: workEndMs + rng.int(20, 120) * 1000,
      customer,
      queue,
      agent,
      attributes,
      disconnectReason: 'CUSTOMER_DISCONNECT',
      previous: null,
      next: null,
      initial: null,
      transferCompletedMs: null,
      transferredTo: null,
      agentAttempts: agent ? 1 : 0,
    };
    // the flow ends a call it served (or the closed line's message); a caller who leaves the IVR hangs up first
    if (c.outcome === 'self_service') return [this.record({ ...base, disconnectReason: 'CONTACT_FLOW_DISCONNECT' })];
    if (c.outcome === 'ivr_abandoned') return [this.record({ ...base, disconnectReason: 'CUSTOMER_DISCONNECT' })];
    if (c.outcome === 'callback_requested') {
      const legId = rng.uuid();
      const startMs = c.endedMs;
      const answeredMs = startMs + Math.round(rng.lognormal(15 * 60, 0.6)) * 1000;
      const talk = Math.max(30, Math.round(rng.lognormal(200, 0.5)));
      const acw = Math.max(5, Math.round(rng.lognormal(40, 0.5)));
      const endMs = answeredMs + 8000 + talk * 1000;
      const username = agentsOnShift.length > 0 ? rng.pick(agentsOnShift) : 'voice.agent01';
      this.callbackLegs += 1;
      return [
        this.record({ ...base, next: legId, disconnectReason: 'CONTACT_FLOW_DISCONNECT' }),
        this.record({
          ...base,
          contactId: legId,
          method: 'CALLBACK',
          initiatedMs: startMs,
          disconnectedMs: endMs,
          lastUpdateMs: endMs + acw * 1000 + rng.int(20, 120) * 1000,
          queue: this.queueInfo(c.queue ?? 'General', startMs, answeredMs),
          agent: this.agent(username, answeredMs + 8000, talk, 0, 0, acw, endMs),
          disconnectReason: 'AGENT_DISCONNECT',
          previous: c.id,
          initial: c.id,
          agentAttempts: 1,
        }),
      ];
    }
    if (c.outcome === 'answered' && c.isTransferred) {
      const transferMs = c.endedMs - 5000;
      if (rng.chance(0.5)) {
        // Transfer to the warehouse partner's line: Connect records the endpoint, no new contact.
        return [this.record({ ...base, transferCompletedMs: transferMs, transferredTo: '+18005550142', disconnectReason: 'THIRD_PARTY_DISCONNECT' })];
      }
      const legId = rng.uuid();
      const dequeuedMs = transferMs + rng.int(8, 90) * 1000;
      const talk = Math.max(30, Math.round(rng.lognormal(240, 0.5)));
      const acw = Math.max(5, Math.round(rng.lognormal(45, 0.5)));
      const endMs = dequeuedMs + talk * 1000;
      const others = agentsOnShift.filter((a) => a !== c.agentId);
      const username = others.length > 0 ? rng.pick(others) : 'voice.agent01';
      this.transferLegs += 1;
      return [
        this.record({ ...base, transferCompletedMs: transferMs, next: legId, disconnectReason: 'AGENT_DISCONNECT' }),
        this.record({
          ...base,
          contactId: legId,
          method: 'TRANSFER',
          initiatedMs: transferMs,
          disconnectedMs: endMs,
          lastUpdateMs: endMs + acw * 1000 + rng.int(20, 120) * 1000,
          queue: this.queueInfo('Tier 2', transferMs, dequeuedMs),
          agent: this.agent(username, dequeuedMs, talk, 0, 0, acw, endMs),
          previous: c.id,
          initial: c.id,
          agentAttempts: 1,
        }),
      ];
    }
    const reason = c.outcome === 'answered' && rng.chance(0.3) ? 'AGENT_DISCONNECT' : 'CUSTOMER_DISCONNECT';
    return [this.record({ ...base, disconnectReason: reason })];
  }

  addDay(day: SimDayWithEnd): void {
    const shifts = new Map(day.plans.map((p) => [p.channel, p.agentIds]));
    let duplicateDue = this.pendingDuplicates.delete(day.dayIndex);
    for (const c of day.contacts) {
      if (c.sourceId !== this.sourceId) continue;
      for (const rec of this.recordsOf(c, shifts.get(c.channel) ?? [])) {
        const updated = Date.parse(rec.LastUpdateTimestamp as string);
        const windowStart = Math.floor(updated / WINDOW_MS) * WINDOW_MS;
        const name = this.objectName(windowStart);
        const bucket = this.buckets.get(name, windowStart + WINDOW_MS);
        const json = JSON.stringify(rec);
        bucket.lines.push(json);
        if (duplicateDue && c.outcome === 'answered' && c.localHour >= 13) {
          bucket.lines.push(json);
          this.duplicates.push({ file: name, line: bucket.lines.length, kind: 'duplicate_record', contact_id: c.id });
          duplicateDue = false;
        }
      }
    }
  }

  async flush(watermarkMs: number, final: boolean): Promise<void> {
    const dir = `${this.opts.outDir}/${this.sourceId}`;
    for (const bucket of this.buckets.take(watermarkMs, final)) {
      const windowIndex = Math.floor(bucket.closesAtMs / WINDOW_MS);
      // Alternate the two layouts seen in the wild: concatenated objects, and newline-delimited JSON.
      const text = windowIndex % 2 === 0 ? bucket.lines.join('') : `${bucket.lines.join('\n')}\n`;
      const bytes = Buffer.from(text, 'utf8');
      // Firehose delivers a buffer within minutes of its window closing.
      await writeOutput(dir, bucket.name, bytes, bucket.closesAtMs + 5 * 60_000);
      this.files.push({ name: bucket.name, rows: bucket.lines.length, bytes: bytes.length });
    }
  }

  truth(): SourceFilesTruth {
    return {
      source_id: this.sourceId,
      format: 'amazon-connect-ctr',
      files: [...this.files].sort((a, b) => (a.name < b.name ? -1 : 1)),
      malformed: [],
      duplicates: this.duplicates,
      redelivered: [],
      extra_records: [
        { kind: 'TRANSFER', count: this.transferLegs },
        { kind: 'CALLBACK', count: this.callbackLegs },
      ],
    };
  }
}
