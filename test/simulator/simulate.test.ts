/**
 * The demo exports, generated once for the 90 demo days and checked against the client configs, the
 * documented Amazon Connect record layout, the simulator's own truth.json, and numbers worked out by hand.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseClientConfig } from '../../functions/core/config/parse-config.ts';
import { demoOptions, simulate, type ClientTruth } from '../../functions/simulator/index.ts';
import { exampleScenario } from '../../functions/simulator/scenarios/example.ts';

const CTI_HEADER = '콜ID,발신번호,큐,상담유형,상세유형,상담원ID,인입일자,인입시각,IVR시간,대기시간,통화시간,보류시간,후처리시간,처리결과,호전환';
const CHAT_HEADER = 'chat_id,user_id,topic,agent,created_at,first_reply_at,closed_at,first_response_seconds,duration_seconds,status,resolved';
const SURVEY_HEADER = 'response_id,contact_id,channel,type,score,comment,answered_at';

/** 2026 Korean public holidays inside Jan–Mar (신정, 설날 연휴, 삼일절 and its substitute day). */
const KR_HOLIDAYS = new Set(['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-03-01', '2026-03-02']);
const INCIDENT_DATES = ['2026-03-03', '2026-03-04', '2026-03-05'];

let out: string;
let example: ClientTruth;
let northwind: ClientTruth;

const dir = (...p: string[]): string => join(out, ...p);
const isoDayOf = (compact: string): string => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
const weekday = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
const ordinaryWeekday = (date: string): boolean => weekday(date) < 5 && !KR_HOLIDAYS.has(date) && !INCIDENT_DATES.includes(date);

let ctiCache: Promise<{ file: string; line: number; cells: string[] }[]> | undefined;
/** Every row of the day files (not the redelivered copy), decoded once for all tests. */
function ctiRows(): Promise<{ file: string; line: number; cells: string[] }[]> {
  ctiCache ??= readCtiRows();
  return ctiCache;
}

async function readCtiRows(): Promise<{ file: string; line: number; cells: string[] }[]> {
  const rows: { file: string; line: number; cells: string[] }[] = [];
  for (const file of (await readdir(dir('example', 'cti'))).sort()) {
    if (file.includes('_resend')) continue;
    const text = iconv.decode(await readFile(dir('example', 'cti', file)), 'cp949');
    const lines = text.split('\r\n').filter((l) => l !== '');
    lines.slice(1).forEach((l, i) => rows.push({ file, line: i + 2, cells: (parse(l, { relax_column_count: true }) as string[][])[0]! }));
  }
  return rows;
}

/** Splits Firehose objects: concatenated JSON objects or one per line. */
function splitJson(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

async function hashTree(root: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else h.update(p.slice(root.length)).update(await readFile(p));
    }
  };
  await walk(root);
  return h.digest('hex');
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cspulse-sim-'));
  const result = await simulate(demoOptions(out));
  expect(result.startDate).toBe('2026-01-01');
  expect(result.endDate).toBe('2026-03-31');
  example = JSON.parse(await readFile(dir('example', 'truth.json'), 'utf8')) as ClientTruth;
  northwind = JSON.parse(await readFile(dir('northwind', 'truth.json'), 'utf8')) as ClientTruth;
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('simulate: file formats match the client configs', () => {
  it('writes the CTI export in CP949 with the exact Korean header, one file per day', async () => {
    const files = (await readdir(dir('example', 'cti'))).filter((f) => !f.includes('_resend'));
    expect(files).toHaveLength(90);
    expect(files[0]).toBe('cti_20260101.csv');
    const bytes = await readFile(dir('example', 'cti', 'cti_20260303.csv'));
    // '콜' is C4 DD in CP949 (KS X 1001) and EC BD 9C in UTF-8.
    expect([...bytes.subarray(0, 2)]).toEqual([0xc4, 0xdd]);
    const text = iconv.decode(bytes, 'cp949');
    expect(text.split('\r\n')[0]).toBe(CTI_HEADER);
  });

  it('writes the chat export as UTF-8 with a BOM and UTC timestamps', async () => {
    const bytes = await readFile(dir('example', 'chat', 'chat_20260303.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\n');
    expect(lines[0]).toBe(CHAT_HEADER);
    const created = lines[1]!.split(',')[4]!;
    expect(created).toMatch(/^2026-03-03T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('writes surveys as UTF-8 CSV with the configured header and scales', async () => {
    const text = await readFile(dir('example', 'surveys', 'surveys_20260303.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(SURVEY_HEADER);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    for (const r of rows) {
      const score = Number(r.score);
      if (r.type === 'CSAT') expect(score >= 1 && score <= 5).toBe(true);
      else if (r.type === 'NPS') expect(score >= 0 && score <= 10).toBe(true);
      else expect(r.type === 'CES' && score >= 1 && score <= 7).toBe(true);
    }
  });

  it('adds northwind, whose config passes the schema', async () => {
    const file = join(process.cwd(), 'clients', 'northwind.yaml');
    const config = parseClientConfig(await readFile(file, 'utf8'), file);
    expect(config.timezone).toBe('America/Los_Angeles');
    expect(config.currency).toBe('USD');
    expect(config.sources.map((s) => [s.id, s.format])).toEqual([
      ['connect', 'amazon-connect-ctr'],
      ['surveys', 'mapped-survey-csv'],
    ]);
    expect(config.contract[0]!.monthly_cost).toBe(48000);
    expect(config.contract[0]!.targets.length).toBeGreaterThan(0);
  });
});

describe('simulate: arrivals, queue and incident', () => {
  it('draws weekday phone arrivals at the configured rate', () => {
    // Configured: 420 calls a day times Mon..Fri multipliers 1.3, 1.08, 1.0, 0.95, 0.9.
    expect(exampleScenario.channels[0]!.dailyVolume).toBe(420);
    expect(exampleScenario.channels[0]!.weekdayMultipliers.slice(0, 5)).toEqual([1.3, 1.08, 1.0, 0.95, 0.9]);
    const multipliers = [1.3, 1.08, 1.0, 0.95, 0.9];
    let expected = 0;
    let observed = 0;
    let days = 0;
    for (const d of example.days) {
      if (!ordinaryWeekday(d.date)) continue;
      days++;
      expected += 420 * multipliers[weekday(d.date)]!;
      observed += d.channels.phone!.contacts - d.channels.phone!.excluded;
    }
    // Weekdays Jan 1–Mar 31 2026: 22 + 20 + 22 = 64; minus the holidays on weekdays (Jan 1, Feb 16–18,
    // Mar 2) = 59; minus the 3 incident days = 56.
    expect(days).toBe(56);
    // Daily counts are independent Poisson draws (follow-ups only relabel arrivals), so the sum is Poisson
    // with mean = variance = expected ≈ 23,500: sd ≈ 153, and 4 sd (false alarm < 1e-4) ≈ 613.
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('plants the 배송 incident on the three working days after 삼일절', () => {
    // 65 % of 90 days = day 58.5 → day 59 = Mar 1 (Sunday, 삼일절) → Mar 2 (substitute holiday) → Mar 3.
    expect(example.incident?.category).toBe('배송');
    expect(example.incident?.dates).toEqual(INCIDENT_DATES);
    expect(example.incident?.extra_contacts).toBeGreaterThan(0);
    expect(northwind.incident).toBeNull();
  });

  it('keeps every contact accounted for: offered = answered + abandoned + callbacks, inbound adds self-service and IVR abandons', () => {
    for (const t of [example, northwind]) {
      for (const d of t.days) {
        for (const c of Object.values(d.channels)) {
          expect(c.offered).toBe(c.answered + c.abandoned + c.callbacks);
          expect(c.inbound).toBe(c.offered + c.self_service + c.ivr_abandoned);
          expect(c.contacts).toBe(c.inbound + c.excluded);
        }
      }
    }
  });

  it('overloads the phone queue on incident days: abandon rate up, service level down', () => {
    const rate = (dates: (d: string) => boolean): { abandon: number; sl: number } => {
      let ab = 0;
      let off = 0;
      let within = 0;
      for (const d of example.days.filter((x) => dates(x.date))) {
        const p = d.channels.phone!;
        ab += p.abandoned - p.short_abandoned;
        off += p.offered - p.short_abandoned;
        within += p.answered_within_threshold;
      }
      return { abandon: ab / off, sl: within / off };
    };
    const normal = rate(ordinaryWeekday);
    const incident = rate((d) => INCIDENT_DATES.includes(d));
    expect(incident.abandon).toBeGreaterThan(2 * normal.abandon);
    expect(incident.sl).toBeLessThan(normal.sl - 0.1);
    // An ordinary day looks like a decently run center.
    expect(normal.sl).toBeGreaterThan(0.75);
    expect(normal.abandon).toBeLessThan(0.08);
  });

  it('shows the incident in the files: 배송 calls about three times an ordinary Tue–Thu', async () => {
    const perDay = new Map<string, number>();
    for (const r of await ctiRows()) {
      if (r.cells.length !== 15 || r.cells[13] === '테스트') continue;
      if (r.cells[3] !== '배송') continue;
      const date = isoDayOf(r.cells[6]!);
      perDay.set(date, (perDay.get(date) ?? 0) + 1);
    }
    const ordinaryTueThu = [...perDay].filter(([d]) => ordinaryWeekday(d) && [1, 2, 3].includes(weekday(d)));
    const baseline = ordinaryTueThu.reduce((s, [, n]) => s + n, 0) / ordinaryTueThu.length;
    for (const d of INCIDENT_DATES) expect(perDay.get(d)! / baseline).toBeGreaterThan(2.2);
  });
});

describe('simulate: files agree with truth.json', () => {
  it('has per-day CTI outcome counts equal to the truth once planted defects are set aside', async () => {
    const planted = new Set(
      example.sources.find((s) => s.source_id === 'cti')!.malformed.concat(example.sources.find((s) => s.source_id === 'cti')!.duplicates).map((p) => `${p.file}:${p.line}`),
    );
    const counts = new Map<string, Record<string, number>>();
    for (const r of await ctiRows()) {
      if (planted.has(`${r.file}:${r.line}`)) continue;
      const date = isoDayOf(r.cells[6]!);
      const c = counts.get(date) ?? {};
      c[r.cells[13]!] = (c[r.cells[13]!] ?? 0) + 1;
      counts.set(date, c);
    }
    for (const d of example.days) {
      const p = d.channels.phone!;
      const c = counts.get(d.date) ?? {};
      expect({ date: d.date, 응대: c['응대'] ?? 0, 포기: c['포기'] ?? 0, 콜백: c['콜백'] ?? 0, ARS종료: c['ARS종료'] ?? 0, ARS이탈: c['ARS이탈'] ?? 0, 테스트: c['테스트'] ?? 0 }).toEqual({
        date: d.date, 응대: p.answered, 포기: p.abandoned, 콜백: p.callbacks, ARS종료: p.self_service, ARS이탈: p.ivr_abandoned, 테스트: p.excluded,
      });
    }
  });

  it('puts chats into the Korean day of their UTC timestamp (16:30Z is the next day in Seoul)', async () => {
    const perDay = new Map<string, number>();
    let crossing = 0;
    const chat = example.sources.find((s) => s.source_id === 'chat')!;
    const planted = new Set(chat.malformed.concat(chat.duplicates).map((p) => `${p.file}:${p.line}`));
    for (const file of (await readdir(dir('example', 'chat'))).sort()) {
      const rows = parse((await readFile(dir('example', 'chat', file), 'utf8')).slice(1), { columns: true, relax_column_count: true }) as Record<string, string>[];
      rows.forEach((r, i) => {
        if (planted.has(`${file}:${i + 2}`)) return;
        const created = Date.parse(r.created_at!);
        const seoulDate = new Date(created + 9 * 3600_000).toISOString().slice(0, 10);
        if (seoulDate !== r.created_at!.slice(0, 10)) crossing++;
        perDay.set(seoulDate, (perDay.get(seoulDate) ?? 0) + 1);
      });
    }
    expect(crossing).toBeGreaterThan(0);
    for (const d of example.days) expect([d.date, perDay.get(d.date)]).toEqual([d.date, d.channels.chat!.contacts]);
  });

  it('plants the malformed rows, duplicates, redelivered file and test calls in the expected numbers', async () => {
    const cti = example.sources.find((s) => s.source_id === 'cti')!;
    // 2 rows of each of 4 kinds, 5 duplicated rows, one redelivered day file.
    expect(cti.malformed.map((m) => m.kind).sort()).toEqual([
      'bad_date', 'bad_date', 'missing_contact_id', 'missing_contact_id', 'too_few_columns', 'too_few_columns', 'unknown_outcome', 'unknown_outcome',
    ]);
    expect(cti.duplicates).toHaveLength(5);
    expect(cti.redelivered).toHaveLength(1);
    const { file: copy, copy_of: original } = cti.redelivered[0]!;
    expect(await readFile(dir('example', 'cti', copy))).toEqual(await readFile(dir('example', 'cti', original)));

    const rows = await ctiRows();
    const at = (file: string, line: number): string[] => rows.find((r) => r.file === file && r.line === line)!.cells;
    for (const m of cti.malformed) {
      const cells = at(m.file, m.line);
      if (m.kind === 'too_few_columns') expect(cells.length).toBeLessThan(15);
      if (m.kind === 'missing_contact_id') expect(cells[0]).toBe('');
      if (m.kind === 'bad_date') expect(cells[6]).toMatch(/^\d{4}1345$/);
      if (m.kind === 'unknown_outcome') expect(cells[13]).toBe('보류');
    }
    // The same 콜ID twice in one file: exactly the five planted duplicates.
    const seen = new Map<string, number>();
    for (const r of rows) if (r.cells[0]) seen.set(`${r.file}:${r.cells[0]}`, (seen.get(`${r.file}:${r.cells[0]}`) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([2, 2, 2, 2, 2]);
    // One test call every third day, on day indexes 1, 4, …, 88: (88 − 1) / 3 + 1 = 30.
    expect(rows.filter((r) => r.cells[13] === '테스트')).toHaveLength(30);

    const chat = example.sources.find((s) => s.source_id === 'chat')!;
    expect(chat.malformed.map((m) => m.kind)).toEqual(['bad_date']);
    expect(chat.duplicates).toHaveLength(1);
  });

  it('has about one survey per five answered contacts, scored lower after long waits', async () => {
    const answered = example.days.reduce((s, d) => s + d.channels.phone!.answered + d.channels.chat!.answered, 0);
    const responses = example.days.reduce((s, d) => s + d.surveys.responses, 0);
    // Binomial(answered ≈ 27,000, 0.2): sd of the share ≈ sqrt(0.16 / 27000) = 0.0024; ±0.015 also covers
    // the last day's answers that come after the range ends.
    expect(Math.abs(responses / answered - 0.2)).toBeLessThan(0.015);

    const waitOf = new Map<string, number>();
    for (const r of await ctiRows()) {
      if (r.cells[13] !== '응대') continue;
      const [h, m, s] = r.cells[9]!.split(':').map(Number) as [number, number, number];
      waitOf.set(r.cells[0]!, h * 3600 + m * 60 + s);
    }
    const short: number[] = [];
    const long: number[] = [];
    for (const file of await readdir(dir('example', 'surveys'))) {
      for (const r of parse(await readFile(dir('example', 'surveys', file), 'utf8'), { columns: true }) as Record<string, string>[]) {
        const wait = waitOf.get(r.contact_id!);
        if (r.type !== 'CSAT' || wait === undefined) continue;
        if (wait <= 20) short.push(Number(r.score));
        else if (wait > 60) long.push(Number(r.score));
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(long.length).toBeGreaterThan(30);
    expect(mean(long)).toBeLessThan(mean(short) - 0.3);
  });
});

describe('simulate: Amazon Connect contact records', () => {
  const AGENT_KEYS = [
    'AfterContactWorkDuration', 'AfterContactWorkEndTimestamp', 'AfterContactWorkStartTimestamp', 'AgentInteractionDuration',
    'ConnectedToAgentTimestamp', 'CustomerHoldDuration', 'NumberOfHolds', 'Username',
  ];
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  // Field names of AWS's "Data model for Amazon Connect contact records" (ContactTraceRecord, QueueInfo).
  const RECORD_KEYS = [
    'ContactId', 'Channel', 'InitiationMethod', 'InitiationTimestamp', 'ConnectedToSystemTimestamp', 'DisconnectTimestamp',
    'LastUpdateTimestamp', 'CustomerEndpoint', 'SystemEndpoint', 'Queue', 'Agent', 'Attributes', 'DisconnectReason',
    'TransferCompletedTimestamp', 'TransferredToEndpoint',
  ];
  const QUEUE_KEYS = ['Name', 'ARN', 'EnqueueTimestamp', 'DequeueTimestamp', 'Duration'];

  it('uses the documented fields, both Firehose layouts, and a few exact duplicates', async () => {
    const files = (await readdir(dir('northwind', 'connect'))).sort();
    let concatenated = 0;
    let newline = 0;
    const seen = new Map<string, string>();
    let exactDuplicates = 0;
    const methods = new Map<string, number>();
    const problems: string[] = [];
    let inboundVoice = 0;
    let inboundChat = 0;
    for (const file of files) {
      expect(file).toMatch(/^northwind-ctr-1-\d{4}-\d{2}-\d{2}-\d{2}-00-00-[0-9a-f-]{36}$/);
      const text = await readFile(dir('northwind', 'connect', file), 'utf8');
      if (text.includes('}{')) concatenated++;
      if (text.includes('}\n{')) newline++;
      for (const json of splitJson(text)) {
        const r = JSON.parse(json) as Record<string, unknown>;
        const bad = (what: string): number => problems.push(`${file} ${String(r.ContactId)}: ${what}`);
        for (const key of RECORD_KEYS) if (!(key in r)) bad(`no ${key}`);
        if (!['VOICE', 'CHAT'].includes(r.Channel as string)) bad(`Channel ${String(r.Channel)}`);
        if (!['INBOUND', 'TRANSFER', 'CALLBACK'].includes(r.InitiationMethod as string)) bad(`InitiationMethod ${String(r.InitiationMethod)}`);
        for (const k of ['InitiationTimestamp', 'DisconnectTimestamp', 'LastUpdateTimestamp']) if (!ISO.test(r[k] as string)) bad(`${k} ${String(r[k])}`);
        const agent = r.Agent as Record<string, unknown> | null;
        if (agent !== null) for (const k of AGENT_KEYS) if (!(k in agent)) bad(`no Agent.${k}`);
        const queue = r.Queue as Record<string, unknown> | null;
        if (queue !== null) for (const k of QUEUE_KEYS) if (!(k in queue)) bad(`no Queue.${k}`);
        if (r.Channel === 'VOICE' && r.InitiationMethod === 'INBOUND') {
          const ep = r.CustomerEndpoint as { Type?: string; Address?: string } | null;
          if (ep?.Type !== 'TELEPHONE_NUMBER' || !/^\+1\d{10}$/.test(ep.Address ?? '')) bad(`CustomerEndpoint ${JSON.stringify(ep)}`);
        }
        const attributes = r.Attributes as Record<string, unknown>;
        if (typeof attributes.category !== 'string' || typeof attributes.subcategory !== 'string') bad('no category attributes');
        const id = r.ContactId as string;
        if (seen.has(id)) {
          expect(seen.get(id)).toBe(json);
          exactDuplicates++;
          continue;
        }
        seen.set(id, json);
        methods.set(r.InitiationMethod as string, (methods.get(r.InitiationMethod as string) ?? 0) + 1);
        if (r.InitiationMethod === 'INBOUND') {
          if (r.Channel === 'VOICE') inboundVoice++;
          else inboundChat++;
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(concatenated).toBeGreaterThan(0);
    expect(newline).toBeGreaterThan(0);
    expect(exactDuplicates).toBe(6);
    const connect = northwind.sources.find((s) => s.source_id === 'connect')!;
    expect(connect.duplicates).toHaveLength(6);
    const legs = Object.fromEntries(connect.extra_records.map((e) => [e.kind, e.count]));
    expect(methods.get('TRANSFER') ?? 0).toBe(legs.TRANSFER);
    expect(methods.get('CALLBACK') ?? 0).toBe(legs.CALLBACK);
    // Every queued callback request has its CALLBACK leg.
    expect(legs.CALLBACK).toBe(northwind.days.reduce((s, d) => s + d.channels.phone!.callbacks, 0));
    expect(inboundVoice).toBe(northwind.days.reduce((s, d) => s + d.channels.phone!.contacts, 0));
    expect(inboundChat).toBe(northwind.days.reduce((s, d) => s + d.channels.chat!.contacts, 0));
  });
});

describe('simulate: determinism', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const a = await mkdtemp(join(tmpdir(), 'cspulse-sim-a-'));
    const b = await mkdtemp(join(tmpdir(), 'cspulse-sim-b-'));
    const c = await mkdtemp(join(tmpdir(), 'cspulse-sim-c-'));
    try {
      const opts = { startDate: '2026-02-23', days: 14 };
      await simulate({ ...opts, seed: 7, outDir: a });
      await simulate({ ...opts, seed: 7, outDir: b });
      await simulate({ ...opts, seed: 8, outDir: c });
      const [ha, hb, hc] = await Promise.all([hashTree(a), hashTree(b), hashTree(c)]);
      expect(ha).toBe(hb);
      expect(hc).not.toBe(ha);
    } finally {
      await Promise.all([a, b, c].map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});
