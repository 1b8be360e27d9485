/**
 * The mapping language, run as ingest runs it: compiled to SQL and executed by DuckDB over a record file
 * (run-sql-mapping.ts). These are the expectations the JavaScript mapping was written against, kept as they
 * were except where a rule moved on purpose: handle_seconds is now computed in the mapping (talk + hold + acw),
 * a short row is the records stage's to reject, and a missing-columns message masks header cells.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientConfigSchema, type ClientConfigInput } from '../../../../functions/core/config/client-config.ts';
import { parseClientConfig } from '../../../../functions/core/config/parse-config.ts';
import { MappingConfigError } from '../../../../functions/core/ingest/mapping/errors.ts';
import type { MappedCsvSource, MappedSurveyCsvSource } from '../../../../functions/core/ingest/mapping/sql-mapping.ts';
import { FileRejectedError, type ContactDraft, type MapResult } from '../../../../functions/core/ingest/types.ts';
import fc from 'fast-check';
import { tokenRegex } from '../../../../functions/core/ingest/mapping/sql-values.ts';
import { compileContactMapping, compileSurveyMapping, mapContactsSql, mapSurveysSql, sqlValue, sqlValues } from './run-sql-mapping.ts';

const DATA = `${import.meta.dirname}/../../../../../shared/data/anonymous-bank-1999`;

type SourceInput = ClientConfigInput['sources'][number];

/** A source parsed through the real client config schema, so defaults and the schema's checks apply. */
const parseSource = (source: SourceInput) =>
  clientConfigSchema.parse({
    id: 'acme',
    name: 'Acme',
    timezone: 'Asia/Seoul',
    sources: [source],
    contract: [{ effective_from: '2026-01-01' }],
    recipients: { to: ['lead@example.com'] },
  }).sources[0]!;

const contactSource = (rest: Record<string, unknown>): MappedCsvSource =>
  parseSource({ id: 'src', format: 'mapped-csv', ...rest } as SourceInput) as MappedCsvSource;

const ok = <T,>(result: MapResult<T>): T => {
  if (!result.ok) throw new Error(`rejected: ${result.rejection.field}: ${result.rejection.reason}`);
  return result.value;
};
const rejection = <T,>(result: MapResult<T>) => {
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection;
};
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

// ---------------------------------------------------------------------------------------------------------

describe('value rules', () => {
  it('decimals are strict: thousands commas in groups of three, decimals, no trailing junk', async () => {
    const decimal = (v: string) => sqlValue('decimal', v);
    for (const [text, value] of [['0', 0], ['166', 166], ['-57', -57], ['+3', 3], ['12.5', 12.5], ['1,234', 1234], ['1,234,567.25', 1234567.25]] as const) {
      expect(await decimal(text), text).toBe(value);
    }
    for (const bad of ['12abc', '1,5', '1,2345', ',123', '1e3', '6.02701E+11', '.5', '5.', '--1', '1 2']) {
      expect(await decimal(bad), bad).toBeNull();
    }
  });

  it('H:MM:SS, HH:MM:SS and MM:SS durations', async () => {
    const hms = (v: string) => sqlValue('hms', v);
    for (const [text, value] of [['0:00:00', 0], ['0:01:05', 65], ['1:02:03', 3723], ['12:00:00', 43200], ['27:00:01', 97201], ['02:30', 150], ['0:00:01.5', 1.5], ['-0:00:05', -5]] as const) {
      expect(await hms(text), text).toBe(value);
    }
    for (const bad of ['65', '1:2:03', '1:60:00', '0:00:60', '1:02:03:04', 'a:00:00', '1:02:03x']) {
      expect(await hms(bad), bad).toBeNull();
    }
  });

  it('two-digit years: 70-99 are 19xx, else 20xx', async () => {
    const year = (v: string) => sqlValue('YYMMDD', v).then((ms) => (ms === null ? null : new Date(Number(ms)).getUTCFullYear()));
    expect(await year('990201')).toBe(1999);
    expect(await year('700101')).toBe(1970);
    expect(await year('690101')).toBe(2069);
    expect(await year('260301')).toBe(2026);
    expect(await year('000101')).toBe(2000);
  });

  it('token patterns, including MM as minutes after a colon and compact forms', async () => {
    const at = async (format: string, v: string) => {
      const ms = await sqlValue(format, v);
      return ms === null ? null : new Date(Number(ms)).toISOString();
    };
    expect(await at('YYMMDD', '990201')).toBe('1999-02-01T00:00:00.000Z');
    expect(await at('H:MM:SS', '7:02:47')).toBe('1970-01-01T07:02:47.000Z');
    expect(await at('HH:mm:ss', '23:59:54')).toBe('1970-01-01T23:59:54.000Z');
    expect(await at('YYYYMMDDHHmmss', '20260301091500')).toBe('2026-03-01T09:15:00.000Z');
    expect(await at('YYYY/MM/DD H:mm', '2026/03/01 9:15')).toBe('2026-03-01T09:15:00.000Z');
    expect(await at('YYYY-MM-DD HH:mm:ss.SSS', '2026-03-01 09:15:00.25')).toBe('2026-03-01T09:15:00.250Z');
    expect(await at('YYYYMMDD', '2026031')).toBeNull();
    expect(await at('YYYYMMDD', '202603011')).toBeNull();
    expect(await at('H:MM:SS', '7:02')).toBeNull();
  });

  it('digit-only dates and clock times read by casts agree with the pattern, value for value', async () => {
    // the reference reads the pattern's own regular expression and checks the calendar and the clock in JS
    const reference = (format: string, v: string): number | null => {
      const { regex, parts } = tokenRegex(format);
      const m = new RegExp(regex).exec(v);
      if (!m) return null;
      const n = (part: string) => (parts.includes(part as never) ? Number(m[parts.indexOf(part as never) + 1]) : undefined);
      const year = n('year4') ?? (n('year2') === undefined ? 1970 : n('year2')! >= 70 ? 1900 + n('year2')! : 2000 + n('year2')!);
      const [month, day, hour, minute, second] = [n('month') ?? 1, n('day') ?? 1, n('hour') ?? 0, n('minute') ?? 0, n('second') ?? 0];
      const ms = Date.UTC(year, month - 1, day, hour, minute, second);
      const d = new Date(ms);
      const calendar = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
      return calendar && hour < 24 && minute < 60 && second < 60 ? ms : null;
    };
    const noise = fc.stringMatching(/^[0-9:+\- ._]{0,16}$/);
    const clockish = fc
      .tuple(fc.stringMatching(/^[0-9]{1,3}$/), fc.stringMatching(/^[0-9]{1,3}$/), fc.stringMatching(/^[0-9]{1,3}$/), fc.constantFrom('', '.5', ':00', ' '))
      .map(([h, m, s, tail]) => `${h}:${m}:${s}${tail}`);
    const digitish = fc.tuple(fc.stringMatching(/^[0-9]{6,14}$/), fc.constantFrom('', '', '+', '-', ' ', '_')).map(([d, sign]) => `${sign}${d}`);
    const values = fc.sample(fc.oneof(noise, clockish, digitish), { numRuns: 600, seed: 20261202 });
    for (const format of ['YYYYMMDD', 'YYMMDD', 'YYYYMMDDHHmmss', 'H:mm:ss', 'HH:mm:ss']) {
      const cases = [...values, '20260229', '20240229', '19991231235959', '24:00:00', '23:59:59', '9:5:0', '009:15:00', '0000000000'];
      const got = await sqlValues(format, cases);
      cases.forEach((v, i) => expect(got[i], `${format} ${JSON.stringify(v)}`).toBe(reference(format, v)));
    }
  });

  it('plain integers and clock-like durations read by casts agree with the rules, value for value', async () => {
    // the references are the rules as the README states them, in JS
    const decimalReference = (v: string): number | null =>
      /^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.][0-9]+)?$/.test(v) ? Number(v.replaceAll(',', '')) : null;
    const hmsReference = (v: string): number | null => {
      const m = /^(-?)([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?([.][0-9]+)?$/.exec(v);
      if (!m) return null;
      const [, sign, a, b, c, fraction] = m;
      const seconds = (c === undefined ? Number(a) * 60 + Number(b) : Number(a) * 3600 + Number(b) * 60 + Number(c)) + (fraction ? Number(`0${fraction}`) : 0);
      return (sign === '-' ? -1 : 1) * seconds;
    };
    const integerish = fc
      .tuple(fc.constantFrom('', '', '', '+', '-', '0', '00', ' ', '_'), fc.stringMatching(/^[0-9]{1,20}$/), fc.constantFrom('', '', '.5', ',000', '_0', 'e3', ' '))
      .map(([head, digits, tail]) => `${head}${digits}${tail}`);
    const clockish = fc
      .tuple(fc.constantFrom('', '', '-', '0'), fc.stringMatching(/^[0-9]{1,3}$/), fc.stringMatching(/^[0-9]{1,3}$/), fc.stringMatching(/^[0-9]{0,3}$/), fc.constantFrom('', '', '.5', '.25', ':00', ' '))
      .map(([head, h, m, s, tail]) => `${head}${h}:${m}${s === '' ? '' : `:${s}`}${tail}`);
    const values = fc.sample(fc.oneof(integerish, clockish, fc.stringMatching(/^[0-9:+\-.,_ ]{0,12}$/)), { numRuns: 600, seed: 20261203 });
    const fixed = ['0', '007', '504', '18446744073709551615', '18446744073709551616', '99999999999999999999', '1_000', '9:15:00', '09:15:00', '9:5:00', '23:59:59', '24:00:00', '99:59:59', '0:01:14.5'];
    const cases = [...values, ...fixed];
    const [decimals, durations] = [await sqlValues('decimal', cases), await sqlValues('hms', cases)];
    cases.forEach((v, i) => {
      expect(decimals[i], `decimal ${JSON.stringify(v)}`).toBe(decimalReference(v));
      expect(durations[i], `hms ${JSON.stringify(v)}`).toBe(hmsReference(v));
    });
  });

  it('ISO 8601 with Z, offsets, a space separator, fractions and a date alone', async () => {
    const at = async (v: string) => {
      const ms = await sqlValue('iso', v);
      return ms === null ? null : new Date(Number(ms)).toISOString();
    };
    expect(await at('2026-03-01T00:15:00Z')).toBe('2026-03-01T00:15:00.000Z');
    expect(await at('2026-03-01 09:15:30.5+09:00')).toBe('2026-03-01T00:15:30.500Z');
    expect(await at('2026-03-01T09:15-0530')).toBe('2026-03-01T14:45:00.000Z');
    // a date alone is local midnight (this harness reads local times in UTC)
    expect(await at('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    for (const bad of ['2026-3-01', '2026-03-01T9:15', '2026-03-01T09:15:00+9', '2026-03-01T09:15:00ZZ', '20260301']) {
      expect(await at(bad), bad).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The Korean CTI, chat and survey sources of clients/example.yaml

const example = parseClientConfig(readFileSync('clients/example.yaml', 'utf8'), 'clients/example.yaml');
const cti = example.sources.find((s) => s.id === 'cti') as MappedCsvSource;
const chat = example.sources.find((s) => s.id === 'chat') as MappedCsvSource;
const surveys = example.sources.find((s) => s.id === 'surveys') as MappedSurveyCsvSource;

const CTI_HEADER = ['콜ID', '발신번호', '큐', '상담유형', '상세유형', '상담원ID', '인입일자', '인입시각', 'IVR시간', '대기시간', '통화시간', '보류시간', '후처리시간', '처리결과', '호전환'];
const ctiRow = (over: Partial<Record<string, string>> = {}): string[] => {
  const base: Record<string, string> = {
    콜ID: 'C-0001',
    발신번호: '010-1234-5678',
    큐: '일반',
    상담유형: '배송',
    상세유형: '배송지연',
    상담원ID: 'A07',
    인입일자: '20260301',
    인입시각: '09:15:00',
    IVR시간: '12',
    대기시간: '0:01:05',
    통화시간: '180',
    보류시간: '0',
    후처리시간: '30',
    처리결과: '응대',
    호전환: 'N',
  };
  return CTI_HEADER.map((h) => over[h] ?? base[h]!);
};

describe('mapped-csv: the Korean CTI source of clients/example.yaml', () => {
  const mapping = compileContactMapping(cti, CTI_HEADER, example.timezone);

  it('maps a row with Korean headers, two-column local time in Asia/Seoul, hms wait and value maps', async () => {
    expect(ok(await mapping.map(ctiRow()))).toEqual({
      contact_id: 'C-0001',
      channel: 'phone', // the source's constant channel
      direction: 'inbound',
      queue: '일반',
      category: '배송',
      subcategory: '배송지연',
      customer_raw: '010-1234-5678',
      agent_id: 'A07',
      arrived_at: new Date('2026-03-01T00:15:00Z'), // 09:15 KST = UTC+9
      answered_at: null,
      ended_at: null,
      ivr_seconds: 12,
      wait_seconds: 65, // 0:01:05
      talk_seconds: 180,
      hold_seconds: 0,
      acw_seconds: 30,
      handle_seconds: 210, // talk 180 + hold 0 + acw 30
      outcome: 'answered',
      is_transferred: false,
      is_resolved: null,
    } satisfies ContactDraft);
  });

  it('maps 테스트 to excluded, 포기 to abandoned, Y to transferred', async () => {
    expect(ok(await mapping.map(ctiRow({ 처리결과: '테스트' }))).outcome).toBe('excluded');
    expect(ok(await mapping.map(ctiRow({ 처리결과: '포기' }))).outcome).toBe('abandoned');
    expect(ok(await mapping.map(ctiRow({ 처리결과: 'ARS종료' }))).outcome).toBe('self_service');
    expect(ok(await mapping.map(ctiRow({ 호전환: 'Y' }))).is_transferred).toBe(true);
    // unknown 호전환 value falls back to the default false
    expect(ok(await mapping.map(ctiRow({ 호전환: '?' }))).is_transferred).toBe(false);
  });

  it('null_values: an empty 상담원ID is null', async () => {
    expect(ok(await mapping.map(ctiRow({ 상담원ID: '' }))).agent_id).toBeNull();
  });

  it('rejects an unknown outcome value, naming the field, the column and the value', async () => {
    expect(rejection(await mapping.map(ctiRow({ 처리결과: '보류' })))).toEqual({
      field: 'outcome',
      reason: 'column 처리결과 value "보류" is not in the map ("응대", "포기", "콜백", "ARS종료", "ARS이탈", "테스트")',
    });
  });

  it('rejects an impossible date and a non-number duration', async () => {
    expect(rejection(await mapping.map(ctiRow({ 인입일자: '20261301' })))).toEqual({
      field: 'arrived_at',
      reason: 'column 인입일자 value "20261301" is not a date in format YYYYMMDD',
    });
    expect(rejection(await mapping.map(ctiRow({ 인입일자: '20260230' }))).field).toBe('arrived_at');
    expect(rejection(await mapping.map(ctiRow({ 통화시간: '12abc' })))).toEqual({
      field: 'talk_seconds',
      reason: 'column 통화시간 value "12abc" is not a number of seconds',
    });
    expect(rejection(await mapping.map(ctiRow({ 통화시간: '-3' })))).toEqual({
      field: 'talk_seconds',
      reason: 'column 통화시간 value "-3" is a negative duration',
    });
    expect(ok(await mapping.map(ctiRow({ 통화시간: '1,234' }))).talk_seconds).toBe(1234);
    expect(ok(await mapping.map(ctiRow({ 통화시간: '12.5' }))).talk_seconds).toBe(12.5);
  });

  it('rejects a row whose required id or arrival time is empty', async () => {
    expect(rejection(await mapping.map(ctiRow({ 콜ID: ' ' })))).toEqual({
      field: 'contact_id',
      reason: 'column 콜ID: empty or a null value; contact_id is required',
    });
    expect(rejection(await mapping.map(ctiRow({ 인입시각: '' })))).toEqual({
      field: 'arrived_at',
      reason: 'columns 인입일자 + 인입시각: empty or a null value; arrived_at is required',
    });
  });

  it('truncates long raw values in reasons', async () => {
    const long = 'x'.repeat(60);
    expect(rejection(await mapping.map(ctiRow({ 처리결과: long }))).reason).toContain(`"${'x'.repeat(40)}…"`);
  });

  it('finds columns by name whatever their order', async () => {
    // (a row shorter than the header never reaches the mapping: the records stage rejects it, csv-framing.test.ts)
    const reversed = [...CTI_HEADER].reverse();
    const m = compileContactMapping(cti, reversed, example.timezone);
    expect(ok(await m.map(ctiRow().reverse())).customer_raw).toBe('010-1234-5678');
  });

  it('a file with the wrong columns is rejected whole, listing every missing column and the header found', () => {
    const header = CTI_HEADER.filter((h) => h !== '인입시각' && h !== '처리결과');
    let error: unknown;
    try {
      compileContactMapping(cti, header, example.timezone, 'cti_20260301.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileRejectedError);
    expect((error as FileRejectedError).message).toBe(
      `cti_20260301.csv: source cti: missing columns 인입시각, 처리결과; the header has 13 columns: ${header.join(' | ')}`,
    );
  });
});

describe('mapped-csv: the chat source of clients/example.yaml (ISO 8601)', () => {
  const header = ['chat_id', 'user_id', 'topic', 'agent', 'created_at', 'first_reply_at', 'closed_at', 'first_response_seconds', 'duration_seconds', 'status', 'resolved'];
  const mapping = compileContactMapping(chat, header, example.timezone);

  it('reads Z and explicit offsets as given, and a value without offset in the client zone', async () => {
    const row = ['ch-1', 'anonymous', 'refund', '', '2026-03-01T00:15:00Z', '2026-03-01T09:16:30+09:00', '2026-03-01 09:20:00', '90', '', 'solved', 'true'];
    expect(ok(await mapping.map(row))).toEqual({
      contact_id: 'ch-1',
      channel: 'chat',
      direction: 'inbound',
      queue: null,
      category: 'refund',
      subcategory: null,
      customer_raw: null, // "anonymous" is a null value
      agent_id: null,
      arrived_at: new Date('2026-03-01T00:15:00Z'),
      answered_at: new Date('2026-03-01T00:16:30Z'), // 09:16:30+09:00
      ended_at: new Date('2026-03-01T00:20:00Z'), // 09:20 local Asia/Seoul
      ivr_seconds: null,
      wait_seconds: 90,
      talk_seconds: null,
      hold_seconds: null,
      acw_seconds: null,
      handle_seconds: null,
      outcome: 'answered',
      is_transferred: false,
      is_resolved: true,
    } satisfies ContactDraft);
  });

  it('rejects a malformed timestamp with the column and value', async () => {
    const row = ['ch-2', 'u1', 'refund', 'A1', '2026-03-01T25:00:00Z', '', '', '', '', 'missed', 'false'];
    expect(rejection(await mapping.map(row))).toEqual({
      field: 'arrived_at',
      reason: 'column created_at value "2026-03-01T25:00:00Z" is not an ISO 8601 timestamp',
    });
  });
});

describe('mapped-csv: options', () => {
  const header = ['id', 'line', 'when', 'day', 'clock', 'result', 'queue_start', 'talk', 'flag', 'cust', 'ms', 'mins'];
  const row = (o: Partial<Record<string, string>> = {}): string[] => {
    const base: Record<string, string> = {
      id: '17', line: 'L2', when: '2026/03/01 9:15', day: '990201', clock: '7:02:47', result: 'OK',
      queue_start: '', talk: '60', flag: 'yes', cust: '0', ms: '1500', mins: '1.5',
    };
    return header.map((h) => o[h] ?? base[h]!);
  };

  it('a token pattern in a fixed-offset source zone; epoch_s and epoch_ms', async () => {
    const source = contactSource({
      channel: 'email',
      timezone: '-05:00',
      fields: { contact_id: 'id', arrived_at: { column: 'when', format: 'YYYY/MM/DD H:mm' }, outcome: { constant: 'answered' } },
    });
    expect(iso(ok(await compileContactMapping(source, header, 'Asia/Seoul').map(row())).arrived_at)).toBe('2026-03-01T14:15:00.000Z');
    const epoch = async (format: string, value: string) =>
      ok(
        await compileContactMapping(
          contactSource({ channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'when', format }, outcome: { constant: 'answered' } } }),
          header,
          'Asia/Seoul',
        ).map(row({ when: value })),
      ).arrived_at;
    // 1772324100 s = 20513 days (2026-03-01) + 900 s
    expect(iso(await epoch('epoch_s', '1772324100'))).toBe('2026-03-01T00:15:00.000Z');
    expect(iso(await epoch('epoch_ms', '1772324100500'))).toBe('2026-03-01T00:15:00.500Z');
    expect(iso(await epoch('YYYYMMDDHHmmss', '20260301091500'))).toBe('2026-03-01T00:15:00.000Z'); // Asia/Seoul
  });

  it('constant channel and queue, a channel map, boolean words, units, negative_as_null', async () => {
    const source = contactSource({
      fields: {
        contact_id: 'id',
        channel: { column: 'line', map: { L1: 'phone', L2: 'chat' } },
        queue: { constant: 'VIP' },
        arrived_at: { date: { column: 'day', format: 'YYMMDD' }, time: { column: 'clock', format: 'H:MM:SS' } },
        outcome: { column: 'result', map: { OK: 'answered' } },
        is_transferred: 'flag',
        talk_seconds: { column: 'ms', unit: 'milliseconds' },
        acw_seconds: { column: 'mins', unit: 'minutes' },
        hold_seconds: { column: 'talk', unit: 'hms' },
      },
    });
    const m = compileContactMapping(source, header, 'Asia/Jerusalem');
    const v = ok(await m.map(row({ talk: '1:00' })));
    expect(v.channel).toBe('chat');
    expect(v.queue).toBe('VIP');
    expect(iso(v.arrived_at)).toBe('1999-02-01T05:02:47.000Z'); // 990201 7:02:47 at UTC+2
    expect(v.is_transferred).toBe(true);
    expect(v.talk_seconds).toBe(1.5);
    expect(v.acw_seconds).toBe(90);
    expect(v.hold_seconds).toBe(60); // MM:SS
    expect(rejection(await m.map(row({ talk: '1:00', line: 'L9' }))).reason).toBe('column line value "L9" is not in the map ("L1", "L2")');
    expect(rejection(await m.map(row({ talk: '1:00', flag: 'maybe' })))).toEqual({ field: 'is_transferred', reason: 'column flag value "maybe" is not a yes/no value' });
    const negative = contactSource({
      channel: 'phone',
      fields: { contact_id: 'id', arrived_at: { column: 'when', format: 'YYYY/MM/DD H:mm' }, outcome: { constant: 'answered' }, ivr_seconds: { column: 'talk', negative_as_null: true } },
    });
    expect(ok(await compileContactMapping(negative, header, 'UTC').map(row({ talk: '-57' }))).ivr_seconds).toBeNull();
  });

  it('outcome_rules come before the outcome map: equals, in, empty (with the column\'s null values)', async () => {
    const source = contactSource({
      channel: 'phone',
      fields: {
        contact_id: 'id',
        customer: { column: 'cust', null_values: ['0'] },
        arrived_at: { column: 'when', format: 'YYYY/MM/DD H:mm' },
        outcome: { column: 'result', map: { OK: 'answered', HANG: 'abandoned' } },
      },
      outcome_rules: [
        { when: [{ column: 'result', in: ['TEST', 'DEMO'] }], then: 'excluded' },
        { when: [{ column: 'result', equals: 'HANG' }, { column: 'queue_start', empty: true }], then: 'self_service' },
        { when: [{ column: 'cust', empty: true }, { column: 'result', equals: 'CB' }], then: 'callback_requested' },
      ],
    });
    const m = compileContactMapping(source, header, 'UTC');
    expect(ok(await m.map(row({ result: 'DEMO' }))).outcome).toBe('excluded');
    expect(ok(await m.map(row({ result: 'HANG', queue_start: '' }))).outcome).toBe('self_service');
    expect(ok(await m.map(row({ result: 'HANG', queue_start: '10:00:00' }))).outcome).toBe('abandoned');
    expect(ok(await m.map(row({ result: 'CB', cust: '0' }))).outcome).toBe('callback_requested'); // "0" is a null value of cust
    expect(ok(await m.map(row({ result: 'OK' }))).outcome).toBe('answered');
    expect(rejection(await m.map(row({ result: 'CB', cust: '42' })))).toEqual({
      field: 'outcome',
      reason: 'column result value "CB" is not in the map ("OK", "HANG")',
    });
    const rulesOnly = contactSource({
      channel: 'phone',
      fields: { contact_id: 'id', arrived_at: { column: 'when', format: 'YYYY/MM/DD H:mm' } },
      outcome_rules: [{ when: [{ column: 'result', equals: 'OK' }], then: 'answered' }],
    });
    expect(rejection(await compileContactMapping(rulesOnly, header, 'UTC').map(row({ result: 'HANG' })))).toEqual({
      field: 'outcome',
      reason: 'no outcome rule matches (result="HANG") and no outcome column is mapped',
    });
  });

  it('composite ids with a pattern, null_pattern, year_offset and fallback', async () => {
    const source = contactSource({
      channel: 'phone',
      fields: {
        contact_id: { columns: ['line', 'id'], separator: '/', pattern: '^L[0-9]/[0-9]+$' },
        customer: { column: 'cust', null_pattern: '^[0-9.]+E\\+[0-9]+$' },
        arrived_at: { date: { column: 'when', format: 'YYYY/MM/DD H:mm' }, time: { column: 'clock', format: 'H:MM:SS' } },
        answered_at: {
          column: 'queue_start',
          format: 'iso',
          fallback: [{ column: 'talk', format: 'epoch_s' }],
        },
        outcome: { constant: 'answered' },
      },
    });
    // `when` carries a time, so it is not a date format: a config error
    expect(() => compileContactMapping(source, header, 'UTC')).toThrow(MappingConfigError);
    const good = contactSource({
      channel: 'phone',
      fields: {
        contact_id: { columns: ['line', 'id'], separator: '/', pattern: '^L[0-9]/[0-9]+$' },
        customer: { column: 'cust', null_pattern: '^[0-9.]+E\\+[0-9]+$' },
        arrived_at: { date: { column: 'day', format: 'YYMMDD' }, time: { column: 'clock', format: 'H:MM:SS' }, year_offset: 11 },
        answered_at: { column: 'queue_start', format: 'iso', fallback: [{ column: 'talk', format: 'epoch_s' }] },
        outcome: { constant: 'answered' },
      },
    });
    const m = compileContactMapping(good, header, 'UTC');
    const v = ok(await m.map(row({ cust: '3.26702E+11', talk: '60' })));
    expect(v.contact_id).toBe('L2/17');
    expect(v.customer_raw).toBeNull();
    expect(iso(v.arrived_at)).toBe('2010-02-01T07:02:47.000Z'); // 1999 + 11
    expect(iso(v.answered_at)).toBe('1970-01-01T00:01:00.000Z'); // queue_start empty → talk as epoch_s
    expect(iso(ok(await m.map(row({ queue_start: '2026-03-01T00:00:00Z' }))).answered_at)).toBe('2026-03-01T00:00:00.000Z');
    expect(ok(await m.map(row({ cust: '42' }))).customer_raw).toBe('42');
    expect(rejection(await m.map(row({ id: '2010-08-' })))).toEqual({
      field: 'contact_id',
      reason: 'columns line + id value "L2/2010-08-" does not match the pattern ^L[0-9]/[0-9]+$',
    });
  });

  it('files without a header: columns by 0-based position; a name then is missing', async () => {
    const byIndex = contactSource({
      channel: 'phone',
      header: false,
      fields: { contact_id: 0, arrived_at: { column: 2, format: 'YYYY/MM/DD H:mm' }, outcome: { constant: 'answered' } },
    });
    expect(ok(await compileContactMapping(byIndex, null, 'Asia/Seoul').map(row())).contact_id).toBe('17');
    const byName = contactSource({
      channel: 'phone',
      header: false,
      fields: { contact_id: 'id', arrived_at: { column: 2, format: 'YYYY/MM/DD H:mm' }, outcome: { constant: 'answered' } },
    });
    expect(() => compileContactMapping(byName, null, 'Asia/Seoul', 'f.csv')).toThrow(
      'f.csv: source src: missing column id; the file has no header row: refer to columns by 0-based position',
    );
  });

  it('config errors: a map to a value the field cannot hold, no channel, no outcome', async () => {
    const bad = (fields: Record<string, unknown>, extra: Record<string, unknown> = { channel: 'phone' }) => () =>
      compileContactMapping(contactSource({ ...extra, fields: { contact_id: 'id', arrived_at: { column: 'when', format: 'YYYY/MM/DD H:mm' }, ...fields } }), header, 'UTC');
    expect(bad({ outcome: { column: 'result', map: { OK: 'answred' } } })).toThrow(
      'source src, field outcome: map value for "OK" "answred" is not one of answered, abandoned, callback_requested, ivr_abandoned, self_service, excluded',
    );
    expect(bad({ outcome: { constant: 'answered' } }, {})).toThrow(MappingConfigError);
    expect(bad({})).toThrow('source src, field outcome: map an outcome column or give outcome_rules');
  });
});

describe('mapped-survey-csv: the survey source of clients/example.yaml', () => {
  const header = ['response_id', 'contact_id', 'channel', 'type', 'score', 'comment', 'answered_at'];
  const mapping = compileSurveyMapping(surveys, header, example.timezone);

  it('maps a CSAT answer with the scale from the source', async () => {
    expect(ok(await mapping.map(['r1', 'C-0001', 'phone', 'CSAT', '4', '친절했어요', '2026-03-01T10:00:00+09:00']))).toEqual({
      survey_id: 'r1',
      contact_id: 'C-0001',
      channel: 'phone',
      agent_id: null,
      survey_type: 'csat',
      score: 4,
      scale_min: 1,
      scale_max: 5,
      comment: '친절했어요',
      responded_at: new Date('2026-03-01T01:00:00Z'),
    });
    const nps = ok(await mapping.map(['r2', 'C-0002', 'chat', 'NPS', '0', '', '2026-03-01T10:00:00Z']));
    expect([nps.survey_type, nps.score, nps.scale_min, nps.scale_max, nps.comment]).toEqual(['nps', 0, 0, 10, null]);
  });

  it('rejects a score outside the scale and an unknown type', async () => {
    expect(rejection(await mapping.map(['r3', 'C-3', 'phone', 'CES', '8', '', '2026-03-01T10:00:00Z']))).toEqual({
      field: 'score',
      reason: 'score 8 is outside the ces scale 1–7',
    });
    expect(rejection(await mapping.map(['r4', 'C-4', 'phone', 'CSAT', 'five', '', '2026-03-01T10:00:00Z']))).toEqual({
      field: 'score',
      reason: 'column score value "five" is not a number',
    });
    expect(rejection(await mapping.map(['r5', 'C-5', 'phone', 'SUS', '3', '', '2026-03-01T10:00:00Z'])).field).toBe('survey_type');
    expect(rejection(await mapping.map(['r6', 'C-6', 'phone', 'CSAT', '', '', '2026-03-01T10:00:00Z']))).toEqual({
      field: 'score',
      reason: 'column score: empty or a null value; score is required',
    });
  });

  it('a scale from the row wins, and a type without any scale is rejected', async () => {
    const source = parseSource({
      id: 's2',
      format: 'mapped-survey-csv',
      fields: {
        survey_id: 'response_id',
        survey_type: { constant: 'csat' },
        score: 'score',
        scale_min: { constant: 0 },
        scale_max: 'comment',
        responded_at: { column: 'answered_at', format: 'iso' },
      },
    } as SourceInput) as MappedSurveyCsvSource;
    const m = compileSurveyMapping(source, header, 'UTC');
    const v = ok(await m.map(['r6', '', '', '', '9', '10', '2026-03-01T10:00:00Z']));
    expect([v.score, v.scale_min, v.scale_max]).toEqual([9, 0, 10]);
    const noScale = parseSource({
      id: 's3',
      format: 'mapped-survey-csv',
      fields: { survey_id: 'response_id', survey_type: { constant: 'nps' }, score: 'score', responded_at: 'answered_at' },
    } as SourceInput) as MappedSurveyCsvSource;
    expect(rejection(await compileSurveyMapping(noScale, header, 'UTC').map(['r7', '', '', '', '9', '', '2026-03-01T10:00:00Z']))).toEqual({
      field: 'scale_min',
      reason: 'no scale for survey type nps: map scale_min/scale_max or add scales.nps to the source',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Real third-party data: the Technion "Anonymous Bank" call records (see SOURCE.md)

const bank = parseClientConfig(readFileSync('test/fixtures/clients/anonymous-bank.yaml', 'utf8'), 'test/fixtures/clients/anonymous-bank.yaml');
const bankAugust = parseClientConfig(
  readFileSync('test/fixtures/clients/anonymous-bank-august.yaml', 'utf8'),
  'test/fixtures/clients/anonymous-bank-august.yaml',
);
const BANK_HEADER = 'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver'.split('\t');

describe('Anonymous Bank, February 1999 (tab-separated, YYMMDD, H:MM:SS, Asia/Jerusalem = UTC+2 in February)', () => {
  const m = compileContactMapping(bank.sources[0] as MappedCsvSource, BANK_HEADER, bank.timezone);
  const line = async (text: string) => ok(await m.map(text.split('\t')));

  it('AGENT served without queueing (file line 2)', async () => {
    expect(await line('AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT')).toEqual({
      contact_id: 'AA0101-34536',
      channel: 'phone',
      direction: 'inbound',
      queue: 'PS',
      category: null,
      subcategory: null,
      customer_raw: null, // customer_id 0
      agent_id: 'DORIT',
      arrived_at: new Date('1999-02-01T05:02:47Z'),
      answered_at: new Date('1999-02-01T05:02:55Z'),
      ended_at: new Date('1999-02-01T05:05:41Z'),
      ivr_seconds: 9,
      wait_seconds: 0,
      talk_seconds: 166,
      hold_seconds: null,
      acw_seconds: null,
      handle_seconds: 166, // talk alone: hold and acw are not in the export
      outcome: 'answered',
      is_transferred: false,
      is_resolved: null,
    } satisfies ContactDraft);
  });

  it('AGENT with NO_SERVER (line 3) is answered with no agent', async () => {
    const v = await line('AA0101\t34537\t0\t0\tPS\t990201\t7:31:45\t7:31:55\t10\t0:00:00\t0:00:00\t0\tAGENT\t7:31:54\t7:31:59\t5\tNO_SERVER');
    expect([v.outcome, v.agent_id, iso(v.answered_at), iso(v.ended_at), v.talk_seconds]).toEqual([
      'answered', null, '1999-02-01T05:31:54.000Z', '1999-02-01T05:31:59.000Z', 5,
    ]);
  });

  it('HANG after queueing (line 5) is abandoned; it ended when it left the queue', async () => {
    const v = await line('AA0101\t34539\t23317894\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER');
    expect(v).toMatchObject({ outcome: 'abandoned', customer_raw: '23317894', agent_id: null, answered_at: null, ivr_seconds: 6, wait_seconds: 5, talk_seconds: 0 });
    expect([iso(v.arrived_at), iso(v.ended_at)]).toEqual(['1999-02-01T06:09:16.000Z', '1999-02-01T06:09:27.000Z']);
  });

  it('HANG without a queue entry is self-service; it ended when it left the VRU', async () => {
    const v = await line('AA0101\t34585\t0\t0\tPS\t990201\t17:16:03\t17:17:16\t73\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER');
    expect(v).toMatchObject({ outcome: 'self_service', ivr_seconds: 73, wait_seconds: 0, answered_at: null });
    expect([iso(v.arrived_at), iso(v.ended_at)]).toEqual(['1999-02-01T15:16:03.000Z', '1999-02-01T15:17:16.000Z']);
  });

  it('PHANTOM is excluded, times kept', async () => {
    const v = await line('AA0101\t34645\t24442634\t2\tPS\t990202\t13:13:33\t13:13:42\t9\t13:13:42\t13:14:12\t30\tPHANTOM\t13:13:40\t13:14:18\t38\tNO_SERVER');
    expect(v).toMatchObject({ outcome: 'excluded', customer_raw: '24442634', wait_seconds: 30, talk_seconds: 38 });
    expect([iso(v.arrived_at), iso(v.answered_at), iso(v.ended_at)]).toEqual([
      '1999-02-02T11:13:33.000Z', '1999-02-02T11:13:40.000Z', '1999-02-02T11:14:18.000Z',
    ]);
  });

  it('a negative vru_time is null; a vru_exit before vru_entry is clock skew, not the next day', async () => {
    const v = await line('AA0102\t30456\t25627027\t2\tPS\t990207\t9:48:14\t9:47:17\t-57\t9:47:17\t9:50:11\t174\tAGENT\t9:50:11\t9:51:28\t77\tKAZAV');
    expect(v).toMatchObject({ ivr_seconds: null, wait_seconds: 174, talk_seconds: 77, outcome: 'answered' });
    expect([iso(v.arrived_at), iso(v.answered_at), iso(v.ended_at)]).toEqual([
      '1999-02-07T07:48:14.000Z', '1999-02-07T07:50:11.000Z', '1999-02-07T07:51:28.000Z',
    ]);
  });

  it('service past midnight wraps to 0:xx:xx and rolls over to the next day (line 2639)', async () => {
    const v = await line('AA0102\t31056\t15696776\t2\tPS\t990215\t23:59:54\t23:59:54\t0\t0:00:00\t0:00:27\t27\tAGENT\t0:00:26\t0:01:33\t67\tAVNI');
    // 1999-02-15 23:59:54 +02 = 21:59:54Z; service 1999-02-16 00:00:26 and 00:01:33 +02
    expect([iso(v.arrived_at), iso(v.answered_at), iso(v.ended_at)]).toEqual([
      '1999-02-15T21:59:54.000Z', '1999-02-15T22:00:26.000Z', '1999-02-15T22:01:33.000Z',
    ]);
    const hang = await line('AA0105\t35608\t0\t0\tNW\t990210\t23:59:19\t23:59:19\t0\t23:59:29\t0:00:26\t57\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER');
    expect([hang.outcome, iso(hang.ended_at), hang.wait_seconds]).toEqual(['abandoned', '1999-02-10T22:00:26.000Z', 57]);
  });

  it('a customer id a spreadsheet rounded to 6.02701E+11 is unknown (line 333); TT is a queue', async () => {
    expect(await line('AA0101\t34872\t6.02701E+11\t0\tPE\t990205\t9:19:25\t9:19:31\t6\t9:19:31\t9:19:51\t20\tAGENT\t9:19:31\t9:27:04\t453\tDORIT')).toMatchObject({
      customer_raw: null,
      queue: 'PE',
      arrived_at: new Date('1999-02-05T07:19:25Z'),
    });
    expect((await line('AA0107\t2284\t55664254\t1\tTT\t990201\t9:14:22\t9:14:24\t2\t0:00:00\t0:00:00\t0\tAGENT\t9:14:23\t9:14:28\t5\tNO_SERVER')).queue).toBe('TT');
  });

  it('the whole file: 33,344 calls, every one mapped, outcome counts equal to a count over the raw text', async () => {
    const text = readFileSync(`${DATA}/february_1999.txt`, 'latin1');
    const lines = text.split('\r\n');
    expect(lines[0]!.split('\t')).toEqual(BANK_HEADER);
    expect(lines.at(-1)).toBe(''); // the file ends with CRLF
    const records = lines.slice(1, -1);
    const results = await mapContactsSql(bank.sources[0] as MappedCsvSource, lines[0]!.split('\t'), records.map((r) => r.split('\t')), bank.timezone);
    const counts: Record<string, number> = {};
    const rejections: string[] = [];
    const ids = new Set<string>();
    let wrongDay = 0;
    let endsBeforeArrival = 0;
    for (const [i, record] of records.entries()) {
      const fields = record.split('\t');
      const result = results[i]!;
      if (!result.ok) {
        rejections.push(`${result.rejection.field}: ${result.rejection.reason}`);
        continue;
      }
      const v = result.value;
      counts[v.outcome] = (counts[v.outcome] ?? 0) + 1;
      ids.add(v.contact_id);
      // the local date (UTC+2) of arrived_at is the row's date column
      const local = new Date(v.arrived_at.getTime() + 2 * 3_600_000).toISOString();
      if (`${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}` !== fields[5]) wrongDay++;
      if (v.ended_at !== null && v.ended_at < v.arrived_at) endsBeforeArrival++;
    }
    // independent counts over the raw lines: the outcome is the 13th tab-separated field, q_start the 10th
    const raw = (re: RegExp) => records.filter((r) => re.test(r)).length;
    const agent = raw(/^(?:[^\t]*\t){12}AGENT\t/);
    const phantom = raw(/^(?:[^\t]*\t){12}PHANTOM\t/);
    const hangNoQueue = raw(/^(?:[^\t]*\t){9}0:00:00\t[^\t]*\t[^\t]*\tHANG\t/);
    const hang = raw(/^(?:[^\t]*\t){12}HANG\t/);

    expect(rejections).toEqual([]);
    expect(records.length).toBe(33_344);
    expect(counts).toEqual({ answered: agent, abandoned: hang - hangNoQueue, self_service: hangNoQueue, excluded: phantom });
    // counted with awk over the file when this test was written
    expect(counts).toEqual({ answered: 27_162, abandoned: 3_963, self_service: 1_941, excluded: 278 });
    expect(ids.size).toBe(33_344); // vru+line + call_id is unique, call_id alone is not
    expect(wrongDay).toBe(0);
    expect(endsBeforeArrival).toBe(0);
  });
});

describe('Anonymous Bank, August 1999 spreadsheet copy (comma-separated, 2010-08-DD dates)', () => {
  const header = BANK_HEADER;
  const m = compileContactMapping(bankAugust.sources[0] as MappedCsvSource, header, bankAugust.timezone);

  it('maps real lines with the year put back to 1999 (Israel is UTC+3 in August 1999)', async () => {
    const first = ok(await m.map('AA0204,43678,0,0,PS,2010-08-01,0:10:10,0:10:27,17,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER'.split(',')));
    expect(first).toMatchObject({ contact_id: 'AA0204-43678', outcome: 'self_service', ivr_seconds: 17, agent_id: null });
    expect([iso(first.arrived_at), iso(first.ended_at)]).toEqual(['1999-07-31T21:10:10.000Z', '1999-07-31T21:10:27.000Z']);
    const served = ok(await m.map('AA0208,9016,0,0,NE,2010-08-23,10:47:29,10:47:40,11,0:00:00,0:00:00,0,AGENT,10:47:40,10:57:40,600,ELI'.split(',')));
    expect(served).toMatchObject({ contact_id: 'AA0208-9016', queue: 'NE', agent_id: 'ELI', talk_seconds: 600, outcome: 'answered' });
    expect([iso(served.arrived_at), iso(served.answered_at), iso(served.ended_at)]).toEqual([
      '1999-08-23T07:47:29.000Z', '1999-08-23T07:47:40.000Z', '1999-08-23T07:57:40.000Z',
    ]);
  });

  it('quarantines the corrupted call_id (line 31,843) with a reason', async () => {
    expect(rejection(await m.map('AA0216,2010-08-,0,0,IN,2010-08-23,10:47:35,10:47:45,10,10:47:45,10:48:15,30,AGENT,10:48:15,10:49:31,76,DORIT'.split(',')))).toEqual({
      field: 'contact_id',
      reason: 'columns vru+line + call_id value "AA0216-2010-08-" does not match the pattern ^AA[0-9]{4}-[0-9]+$',
    });
  });

  it('the whole file: exactly the known defect is rejected, every other call maps into August 1999', async () => {
    const lines = readFileSync(`${DATA}/august_1999_from_ods.csv`, 'latin1').split('\n');
    expect(lines[0]!.split(',')).toEqual(header);
    const records = lines.slice(1).filter((l) => l !== '');
    const counts: Record<string, number> = {};
    const rejected: number[] = [];
    let outsideAugust = 0;
    const results = await mapContactsSql(bankAugust.sources[0] as MappedCsvSource, header, records.map((r) => r.split(',')), bankAugust.timezone);
    records.forEach((record, i) => {
      const result = results[i]!;
      if (!result.ok) {
        rejected.push(i + 2);
        return;
      }
      counts[result.value.outcome] = (counts[result.value.outcome] ?? 0) + 1;
      const t = result.value.arrived_at.getTime();
      // August 1999 in Israel (UTC+3): [1999-07-31T21:00Z, 1999-08-31T21:00Z)
      if (t < Date.UTC(1999, 6, 31, 21) || t >= Date.UTC(1999, 7, 31, 21)) outsideAugust++;
    });
    const raw = (re: RegExp) => records.filter((r) => re.test(r)).length;
    const hangNoQueue = raw(/^(?:[^,]*,){9}0:00:00,[^,]*,[^,]*,HANG,/);
    expect(records.length).toBe(42_078);
    expect(rejected).toEqual([31_843]);
    expect(outsideAugust).toBe(0);
    expect(counts).toEqual({
      answered: raw(/^(?:[^,]*,){12}AGENT,/) - 1, // the rejected row is an AGENT call
      abandoned: raw(/^(?:[^,]*,){12}HANG,/) - hangNoQueue,
      self_service: hangNoQueue,
      excluded: raw(/^(?:[^,]*,){12}PHANTOM,/),
    });
    expect(counts).toEqual({ answered: 31_401, abandoned: 7_309, self_service: 3_057, excluded: 310 });
  });
});

describe('text length limits (tables.ts TEXT_LENGTH_LIMITS)', () => {
  const header = ['id', 'at', 'queue', 'topic', 'detail', 'agent'];
  const source = contactSource({
    channel: 'chat',
    fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'iso' }, outcome: { constant: 'answered' }, queue: 'queue', category: 'topic', subcategory: 'detail', agent_id: 'agent' },
  });
  const row = (o: Partial<Record<string, string>> = {}) => header.map((h) => o[h] ?? { id: 'c1', at: '2026-03-01T10:00:00Z', queue: 'q', topic: 't', detail: 'd', agent: 'a' }[h]!);

  it('a value of exactly the limit is kept, one character more rejects the row, counted in characters', async () => {
    const results = await mapContactsSql(
      source,
      header,
      [
        row({ id: 'i'.repeat(256), queue: 'q'.repeat(200), topic: '배'.repeat(200), detail: 'd'.repeat(200), agent: 'a'.repeat(200) }),
        row({ id: 'i'.repeat(257) }),
        row({ queue: 'q'.repeat(201) }),
        row({ topic: '배'.repeat(201) }),
        row({ detail: 'd'.repeat(201) }),
        row({ agent: 'a'.repeat(201) }),
      ],
      'Asia/Seoul',
    );
    // 200 Hangul syllables are 600 bytes of UTF-8 and still 200 characters
    expect([...ok(results[0]!).category!]).toHaveLength(200);
    expect(results.slice(1).map(rejection)).toEqual([
      { field: 'contact_id', reason: 'column id: 257 characters, more than the 256 allowed for contact_id' },
      { field: 'queue', reason: 'column queue: 201 characters, more than the 200 allowed for queue' },
      { field: 'category', reason: 'column topic: 201 characters, more than the 200 allowed for category' },
      { field: 'subcategory', reason: 'column detail: 201 characters, more than the 200 allowed for subcategory' },
      { field: 'agent_id', reason: 'column agent: 201 characters, more than the 200 allowed for agent_id' },
    ]);
  });

  it('survey ids, agent and comment', async () => {
    const surveyHeader = ['response_id', 'contact_id', 'agent', 'type', 'score', 'comment', 'answered_at'];
    const survey = parseSource({
      id: 'srv',
      format: 'mapped-survey-csv',
      fields: { survey_id: 'response_id', contact_id: 'contact_id', agent_id: 'agent', survey_type: { column: 'type', map: { CSAT: 'csat' } }, score: 'score', comment: 'comment', responded_at: { column: 'answered_at', format: 'iso' } },
      scales: { csat: { min: 1, max: 5 } },
    } as SourceInput) as MappedSurveyCsvSource;
    const answer = (o: Partial<Record<string, string>> = {}) =>
      surveyHeader.map((h) => o[h] ?? { response_id: 'r1', contact_id: 'c1', agent: 'a', type: 'CSAT', score: '5', comment: '', answered_at: '2026-03-01T10:00:00Z' }[h]!);
    const results = await mapSurveysSql(
      survey,
      surveyHeader,
      [answer({ comment: '좋'.repeat(2_000) }), answer({ response_id: 'r'.repeat(257) }), answer({ contact_id: 'c'.repeat(257) }), answer({ agent: 'a'.repeat(201) }), answer({ comment: '좋'.repeat(2_001) })],
      'Asia/Seoul',
    );
    expect([...ok(results[0]!).comment!]).toHaveLength(2_000);
    expect(results.slice(1).map(rejection)).toEqual([
      { field: 'survey_id', reason: 'column response_id: 257 characters, more than the 256 allowed for survey_id' },
      { field: 'contact_id', reason: 'column contact_id: 257 characters, more than the 256 allowed for contact_id' },
      { field: 'agent_id', reason: 'column agent: 201 characters, more than the 200 allowed for agent_id' },
      { field: 'comment', reason: 'column comment: 2,001 characters, more than the 2,000 allowed for comment' },
    ]);
  });
});
