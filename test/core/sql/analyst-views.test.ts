/**
 * The analyst views on hand-written rows around Los Angeles' spring-forward (2026-03-08, 02:00 PST → 03:00 PDT at
 * 10:00 UTC), with a contract that changes on 2026-03-09. Every statement is first parsed with the Trino grammar
 * (what Athena runs), then run on DuckDB; every expected value below is worked out by hand in the comments.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { analystViews, createViewStatement } from '../../../functions/core/sql/views.ts';
import type { SqlValue } from '../../../functions/core/ports.ts';
import { contact, survey, tempLake, writeLakeTable } from '../kpis/lake-fixture.ts';

const config = clientConfigSchema.parse({
  id: 'lashop',
  name: 'LA Shop',
  timezone: 'America/Los_Angeles',
  locale: 'en',
  sources: [
    // our own CSV format documents is_transferred: this source records transfers
    { id: 'cti', format: 'cspulse-csv' },
    // a mapped chat export without a transfer column: the transfer rate of its contacts is unknown
    { id: 'chat', format: 'mapped-csv', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'iso' } } },
  ],
  recipients: { to: ['cs@example.com'] },
  contract: [
    {
      effective_from: '2026-03-01',
      monthly_cost: 3100, // March has 31 days: 100 a day
      targets: [
        { kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 },
        { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 },
        { kpi: 'csat_avg', op: '>=', value: 4.5 },
      ],
    },
    {
      effective_from: '2026-03-09',
      monthly_cost: 6200, // 200 a day in March
      channels: { phone: { service_level_seconds: 30, service_level_formula: 'answered_within_over_answered' } },
      targets: [{ kpi: 'service_level', channel: 'phone', op: '>=', value: 0.5 }],
    },
  ],
});

const at = (iso: string) => new Date(iso);
const c = (dt: string, row: Parameters<typeof contact>[0]) => ({ client_id: 'lashop', dt, row: contact(row) });

let engine: DuckDbEngine;
let statements: string[];

beforeAll(async () => {
  const lake = await tempLake();
  await writeLakeTable(lake, 'contacts', [
    // 01:30 PST: answered in 10 s; handle 100 + 0 + 20
    c('2026-03-08', { contact_id: 'c1', arrived_at: at('2026-03-08T09:30:00Z'), answered_at: at('2026-03-08T09:30:10Z'), local_hour: 1, wait_seconds: 10, talk_seconds: 100, hold_seconds: 0, acw_seconds: 20, customer_key: 'K1', agent_id: 'A1', source: 'cti' }),
    // 03:15 PDT (one real hour later would be 02:15, a time that did not exist): a short abandon (3 s < S 5 s)
    c('2026-03-08', { contact_id: 'c2', arrived_at: at('2026-03-08T10:15:00Z'), local_hour: 3, wait_seconds: 3, outcome: 'abandoned', customer_key: 'K2', source: 'cti' }),
    // 03:20 PDT: K1 again 50 minutes after c1 (a repeat), abandoned after 40 s
    c('2026-03-08', { contact_id: 'c3', arrived_at: at('2026-03-08T10:20:00Z'), local_hour: 3, wait_seconds: 40, outcome: 'abandoned', customer_key: 'K1', source: 'cti' }),
    // 03:50 PDT: K1 a third time, 30 minutes after c3: answered in 25 s (beyond T 20 s), transferred; handle 200 + 40
    c('2026-03-08', { contact_id: 'c4', arrived_at: at('2026-03-08T10:50:00Z'), local_hour: 3, wait_seconds: 25, talk_seconds: 200, acw_seconds: 40, customer_key: 'K1', agent_id: 'A2', is_transferred: true, source: 'cti' }),
    // 11:00 PDT: a chat answered in 30 s (T 60 s), from the source that does not record transfers
    c('2026-03-08', { contact_id: 'c5', channel: 'chat', arrived_at: at('2026-03-08T18:00:00Z'), local_hour: 11, wait_seconds: 30, talk_seconds: 300, customer_key: 'K3', agent_id: 'A1', source: 'chat' }),
    // a test call and a caller the IVR served: counted apart
    c('2026-03-08', { contact_id: 'c6', arrived_at: at('2026-03-08T11:00:00Z'), local_hour: 4, outcome: 'excluded', source: 'cti' }),
    c('2026-03-08', { contact_id: 'c7', arrived_at: at('2026-03-08T11:05:00Z'), local_hour: 4, outcome: 'self_service', source: 'cti' }),
    // 09:00 PDT next day, under the new version (T 30 s, answered within T / answered): 25 s is within
    c('2026-03-09', { contact_id: 'c8', arrived_at: at('2026-03-09T16:00:00Z'), local_hour: 9, wait_seconds: 25, talk_seconds: 60, customer_key: 'K2', agent_id: 'A1', source: 'cti' }),
  ]);
  await writeLakeTable(lake, 'surveys', [
    { client_id: 'lashop', dt: '2026-03-08', row: survey({ survey_id: 's1', contact_id: 'c1', channel: 'phone', survey_type: 'csat', score: 5, responded_at: at('2026-03-08T09:40:00Z') }) },
    { client_id: 'lashop', dt: '2026-03-08', row: survey({ survey_id: 's2', contact_id: 'c4', channel: 'phone', survey_type: 'csat', score: 3, responded_at: at('2026-03-08T11:00:00Z') }) },
    { client_id: 'lashop', dt: '2026-03-08', row: survey({ survey_id: 's3', contact_id: 'c4', channel: 'phone', survey_type: 'nps', score: 10, responded_at: at('2026-03-08T11:00:00Z') }) },
    // an answer on a day without any contact
    { client_id: 'lashop', dt: '2026-03-10', row: survey({ survey_id: 's4', channel: 'phone', survey_type: 'csat', score: 4, responded_at: at('2026-03-10T17:00:00Z') }) },
  ]);
  engine = await createDuckDbEngine({ lakeRoot: lake });
  statements = (await analystViews([config])).map(createViewStatement);
  for (const statement of statements) await engine.query(statement);
});
afterAll(async () => engine.close());

const rows = async (sql: string, params: string[] = []): Promise<Record<string, SqlValue>[]> => (await engine.query(sql, params)).rows;

describe('the analyst views', () => {
  it('every statement, the config relations included, parses as Trino with zero errors', () => {
    expect(statements.length).toBe(11);
    for (const statement of statements) expect(new TrinoSQL().validate(statement), statement.slice(0, 60)).toEqual([]);
  });

  it('contacts_local gives the wall clock in the client zone on both sides of the change', async () => {
    const r = await rows(
      `select contact_id, arrived_at_local, answered_at_local from contacts_local
       where client_id = ? and contact_id in ('c1', 'c2', 'c5', 'c8') order by arrived_at`,
      ['lashop'],
    );
    expect(r).toEqual([
      { contact_id: 'c1', arrived_at_local: '2026-03-08T01:30:00.000', answered_at_local: '2026-03-08T01:30:10.000' }, // PST, UTC−8
      { contact_id: 'c2', arrived_at_local: '2026-03-08T03:15:00.000', answered_at_local: null }, // PDT, UTC−7
      { contact_id: 'c5', arrived_at_local: '2026-03-08T11:00:00.000', answered_at_local: null },
      { contact_id: 'c8', arrived_at_local: '2026-03-09T09:00:00.000', answered_at_local: null },
    ]);
  });

  it('kpi_daily: the phone KPIs of the day of the change, each with its numerator and denominator', async () => {
    const [phone] = await rows(`select * from kpi_daily where client_id = ? and dt = ? and channel = 'phone'`, ['lashop', '2026-03-08']);
    expect(phone).toMatchObject({
      inbound: 5, // c1 c2 c3 c4 c7 (c6 excluded)
      offered: 4,
      answered: 2,
      abandoned: 2,
      short_abandoned: 1,
      self_service: 1,
      excluded: 1,
      answer_rate_numerator: 2,
      answer_rate_denominator: 3, // 4 offered − 1 short
      abandon_rate_numerator: 1,
      abandon_rate_denominator: 3,
      service_level_numerator: 1, // c1 (10 s ≤ 20 s); c4 waited 25 s
      service_level_denominator: 3, // c1 c3 c4: offered, not short
      service_level_known_waits: 3,
      service_level_unknown_brackets: 0,
      asa_seconds: 17.5, // (10 + 25) / 2
      asa_seconds_numerator: 35,
      asa_seconds_denominator: 2,
      aht_seconds: 180, // (120 + 240) / 2
      aht_seconds_numerator: 360,
      avg_talk_seconds: 150,
      avg_acw_seconds: 30,
      wait_p90_seconds: 25,
      max_wait_seconds: 25,
      avg_abandon_wait_seconds: 21.5, // (3 + 40) / 2
      transfer_rate: 0.5, // c4 of c1, c4
      transfer_rate_numerator: 1,
      transfer_rate_denominator: 2,
      self_service_rate: 0.2, // 1 / (1 + 4)
      ivr_abandon_rate: 0,
      repeat_rate: 0.5, // c3 and c4 of c1 c2 c3 c4
      repeat_rate_numerator: 2,
      repeat_rate_denominator: 4,
      retry_after_abandon_rate: 0.5, // c3 (c4 came 30 min later) of c2 c3 (K2 came back the next day)
      fcr: 0.5, // c4 (no later K1 contact) of c1 c4 (c1 was followed by c3)
      fcr_provisional: true, // c4's 72 h reach past c8, the newest contact
      contacts_per_agent_day: 1, // 2 answered by A1 and A2
      csat_avg: 4, // (5 + 3) / 2
      csat_avg_numerator: 8,
      csat_satisfied_rate: 0.5,
      nps: 100, // one promoter
      nps_numerator: 100,
      nps_denominator: 1,
      survey_response_rate: 1, // c1 and c4 answered, both surveyed (c4's CSAT and NPS are one response)
      daily_cost: null, // whole-service: on the all-channel row
      cost_per_contact: null,
    });
    expect(phone!.answer_rate).toBeCloseTo(2 / 3, 12);
    expect(phone!.abandon_rate).toBeCloseTo(1 / 3, 12);
    expect(phone!.service_level).toBeCloseTo(1 / 3, 12);
  });

  it('kpi_daily: the all-channel row adds each channel judged with its own terms, with the day cost', async () => {
    const [all] = await rows(`select * from kpi_daily where client_id = ? and dt = ? and channel = 'all'`, ['lashop', '2026-03-08']);
    expect(all).toMatchObject({
      offered: 5,
      answered: 3,
      service_level_numerator: 2, // c1 and the chat c5 (30 s ≤ 60 s)
      service_level_denominator: 4,
      service_level: 0.5,
      answer_rate: 0.75, // 3 / (5 − 1)
      transfer_rate_denominator: 2, // the chat's source does not record transfers
      contacts_per_agent_day_denominator: 2, // A1 answered a call and a chat: one agent-day
      contacts_per_agent_day: 1.5,
      daily_cost: 100,
    });
    expect(all!.cost_per_contact).toBeCloseTo(100 / 3, 12);
    const [chat] = await rows(`select * from kpi_daily where client_id = ? and dt = ? and channel = 'chat'`, ['lashop', '2026-03-08']);
    expect(chat).toMatchObject({ offered: 1, service_level: 1, transfer_rate: null, repeat_rate: 0, fcr: 1 });
  });

  it('kpi_daily measures each day with the version in force on it, and keeps a day with surveys only', async () => {
    const r = await rows(
      `select dt, channel, answered, service_level, daily_cost, cost_per_contact, csat_avg, survey_response_rate
       from kpi_daily where client_id = ? and dt >= ? order by dt, channel`,
      ['lashop', '2026-03-09'],
    );
    expect(r).toEqual([
      // 25 s within the new T of 30 s, over answered: 1 / 1; March's 6,200 / 31 days
      { dt: '2026-03-09', channel: 'all', answered: 1, service_level: 1, daily_cost: 200, cost_per_contact: 200, csat_avg: null, survey_response_rate: 0 },
      { dt: '2026-03-09', channel: 'phone', answered: 1, service_level: 1, daily_cost: null, cost_per_contact: null, csat_avg: null, survey_response_rate: 0 },
      { dt: '2026-03-10', channel: 'all', answered: 0, service_level: null, daily_cost: 200, cost_per_contact: null, csat_avg: 4, survey_response_rate: null },
      { dt: '2026-03-10', channel: 'phone', answered: 0, service_level: null, daily_cost: null, cost_per_contact: null, csat_avg: 4, survey_response_rate: null },
    ]);
  });

  it('kpi_hourly: the local hours of the day the clocks skipped 02:00', async () => {
    const r = await rows(
      `select local_hour, offered, answered, service_level_numerator, service_level_denominator
       from kpi_hourly where client_id = ? and dt = ? and channel = 'phone' order by local_hour`,
      ['lashop', '2026-03-08'],
    );
    expect(r).toEqual([
      { local_hour: 1, offered: 1, answered: 1, service_level_numerator: 1, service_level_denominator: 1 },
      { local_hour: 3, offered: 3, answered: 1, service_level_numerator: 0, service_level_denominator: 2 },
      { local_hour: 4, offered: 0, answered: 0, service_level_numerator: 0, service_level_denominator: 0 },
    ]);
  });

  it('sla_daily judges the targets of the version in force each day', async () => {
    const r = await rows(
      `select dt, target_index, kpi, channel, op, target_value, actual, actual_numerator, actual_denominator, is_met, margin
       from sla_daily where client_id = ? order by dt, effective_from, target_index`,
      ['lashop'],
    );
    expect(r.map((x) => [x.dt, x.kpi, x.channel, x.is_met])).toEqual([
      ['2026-03-08', 'service_level', 'phone', false],
      ['2026-03-08', 'abandon_rate', 'phone', false],
      ['2026-03-08', 'csat_avg', 'all', false],
      ['2026-03-09', 'service_level', 'phone', true],
      // a phone row with a survey and no call: no service level, not judged
      ['2026-03-10', 'service_level', 'phone', null],
    ]);
    expect(r[0]).toMatchObject({ actual_numerator: 1, actual_denominator: 3 });
    expect(r[0]!.margin).toBeCloseTo(1 / 3 - 0.8, 12);
    expect(r[1]!.margin).toBeCloseTo(0.05 - 1 / 3, 12);
    expect(r[2]).toMatchObject({ actual: 4, margin: -0.5, actual_numerator: 8, actual_denominator: 2 });
    expect(r[3]).toMatchObject({ target_value: 0.5, actual: 1, margin: 0.5 });
  });

  it('repeat_contacts pairs each repeat with the contact before it', async () => {
    const r = await rows(
      `select contact_id, earlier_contact_id, earlier_outcome, earlier_channel, seconds_since_earlier, repeat_window_seconds
       from repeat_contacts where client_id = ? order by arrived_at`,
      ['lashop'],
    );
    expect(r).toEqual([
      { contact_id: 'c3', earlier_contact_id: 'c1', earlier_outcome: 'answered', earlier_channel: 'phone', seconds_since_earlier: 3000, repeat_window_seconds: 86400 },
      { contact_id: 'c4', earlier_contact_id: 'c3', earlier_outcome: 'abandoned', earlier_channel: 'phone', seconds_since_earlier: 1800, repeat_window_seconds: 86400 },
    ]);
  });
});
