/**
 * For the demo clients, kpi_daily summed over an ISO week equals `cspulse kpis --period weekly` for every KPI of
 * the document, total and per channel: the lake is the demo's (simulated exports → ingest, eleven days around the
 * week 2026-03-16 … 22, so that look-back and look-forward windows have data on both sides), the week's figures
 * are sum(numerator) / sum(denominator) over its seven kpi_daily rows, by the rules kpi_daily's header states.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { ingestSimulatedExports } from '../../functions/cli/commands/demo-run.ts';
import { localPaths } from '../../functions/composition/local.ts';
import type { ClientConfig } from '../../functions/core/config/client-config.ts';
import { loadClientConfigs } from '../../functions/core/config/load-configs.ts';
import { computeKpiDocument } from '../../functions/core/kpis/compute-kpi-document.ts';
import type { Kpis } from '../../functions/core/kpis/kpi-result.ts';
import type { SqlValue } from '../../functions/core/ports.ts';
import { createViewsSql } from '../../functions/core/sql/views.ts';
import { demoOptions, simulate } from '../../functions/simulator/index.ts';

const WEEK = { start: '2026-03-16', end: '2026-03-22', days: 7 };

let dir: string;
let engine: DuckDbEngine;
let configs: ClientConfig[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-week-'));
  const exportsDir = join(dir, 'exports');
  configs = await loadClientConfigs('clients');
  await simulate({ ...demoOptions(exportsDir), startDate: '2026-03-13', days: 11, configDir: 'clients' });
  const paths = localPaths({ lake: join(dir, 'lake') });
  for (const config of configs) await ingestSimulatedExports(paths, config, exportsDir);
  engine = await createDuckDbEngine({ lakeRoot: paths.lake });
  for (const statement of await createViewsSql(configs)) await engine.query(statement);
}, 180_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The week from kpi_daily, per channel ('all' included): what an analyst writes to get a period. */
const WEEK_FROM_DAYS = `
select
    channel,
    count(*) as days_with_data,
    sum(offered) as offered, sum(answered) as answered, sum(abandoned) as abandoned, sum(short_abandoned) as short_abandoned,
    sum(callbacks) as callbacks, sum(self_service) as self_service, sum(ivr_abandoned) as ivr_abandoned, sum(inbound) as inbound,
    sum(excluded) as excluded, sum(outbound) as outbound,
    sum(answer_rate_numerator) * 1.0 / nullif(sum(answer_rate_denominator), 0) as answer_rate,
    sum(abandon_rate_numerator) * 1.0 / nullif(sum(abandon_rate_denominator), 0) as abandon_rate,
    case when sum(service_level_known_waits) = 0 or sum(service_level_unknown_brackets) > 0 then null
         else sum(service_level_numerator) * 1.0 / nullif(sum(service_level_denominator), 0) end as service_level,
    sum(asa_seconds_numerator) / nullif(sum(asa_seconds_denominator), 0) as asa_seconds,
    sum(aht_seconds_numerator) / nullif(sum(aht_seconds_denominator), 0) as aht_seconds,
    sum(avg_talk_seconds_numerator) / nullif(sum(avg_talk_seconds_denominator), 0) as avg_talk_seconds,
    sum(avg_acw_seconds_numerator) / nullif(sum(avg_acw_seconds_denominator), 0) as avg_acw_seconds,
    max(max_wait_seconds) as max_wait_seconds,
    sum(avg_abandon_wait_seconds_numerator) / nullif(sum(avg_abandon_wait_seconds_denominator), 0) as avg_abandon_wait_seconds,
    sum(transfer_rate_numerator) * 1.0 / nullif(sum(transfer_rate_denominator), 0) as transfer_rate,
    sum(self_service_rate_numerator) * 1.0 / nullif(sum(self_service_rate_denominator), 0) as self_service_rate,
    sum(ivr_abandon_rate_numerator) * 1.0 / nullif(sum(ivr_abandon_rate_denominator), 0) as ivr_abandon_rate,
    sum(repeat_rate_numerator) * 1.0 / nullif(sum(repeat_rate_denominator), 0) as repeat_rate,
    sum(retry_after_abandon_rate_numerator) * 1.0 / nullif(sum(retry_after_abandon_rate_denominator), 0) as retry_after_abandon_rate,
    sum(fcr_numerator) * 1.0 / nullif(sum(fcr_denominator), 0) as fcr,
    bool_or(fcr_provisional) as fcr_provisional,
    sum(repeat_rate_denominator) as inbound_with_key,
    sum(retry_after_abandon_rate_denominator) as abandoned_with_key,
    sum(fcr_denominator) as answered_with_key,
    sum(csat_avg_numerator) / nullif(sum(csat_avg_denominator), 0) as csat_avg,
    sum(csat_satisfied_rate_numerator) * 1.0 / nullif(sum(csat_satisfied_rate_denominator), 0) as csat_satisfied_rate,
    sum(csat_responses) as csat_responses,
    sum(nps_numerator) / nullif(sum(nps_denominator), 0) as nps,
    sum(nps_responses) as nps_responses,
    sum(ces_avg_numerator) / nullif(sum(ces_avg_denominator), 0) as ces_avg,
    sum(ces_low_effort_rate_numerator) * 1.0 / nullif(sum(ces_low_effort_rate_denominator), 0) as ces_low_effort_rate,
    sum(ces_responses) as ces_responses,
    sum(survey_response_rate_numerator) * 1.0 / nullif(sum(survey_response_rate_denominator), 0) as survey_response_rate,
    sum(daily_cost) / nullif(sum(answered), 0) as cost_per_contact,
    sum(answered) * 1.0 / ${WEEK.days} as contacts_per_day,
    sum(contacts_per_agent_day_numerator) * 1.0 / nullif(sum(contacts_per_agent_day_denominator), 0) as contacts_per_agent_day
from kpi_daily
where client_id = ? and dt between ? and ?
group by channel`;

/** wait_p90 is a percentile: a week's is not made of its days', so it comes from the week's contacts. */
const WEEK_P90 = `
select case when grouping(channel) = 0 then channel else 'all' end as channel,
       approx_percentile(case when is_answered then wait_seconds end, 0.9) as wait_p90_seconds
from contacts_classified
where client_id = ? and dt between ? and ?
group by grouping sets ((channel), ())`;

function expectSame(report: Kpis, fromDays: Record<string, SqlValue>, p90: SqlValue, where: string): void {
  for (const [key, value] of Object.entries(report)) {
    const actual = key === 'wait_p90_seconds' ? p90 : fromDays[key];
    expect(actual, `${where}: no column for ${key}`).not.toBeUndefined();
    if (typeof value === 'number' && typeof actual === 'number') expect(actual, `${where}.${key}`).toBeCloseTo(value, 9);
    else expect(actual, `${where}.${key}`).toEqual(value);
  }
}

describe('kpi_daily summed over a week equals the weekly KPI document', () => {
  for (const clientId of ['example', 'northwind']) {
    it(`${clientId}: every KPI, all channels and each channel`, async () => {
      const config = configs.find((c) => c.id === clientId)!;
      const doc = await computeKpiDocument(engine, config, 'weekly', WEEK.start);
      expect(doc.period).toEqual({ kind: 'weekly', start: WEEK.start, end: WEEK.end });
      expect(doc.contract.later_versions_in_period).toEqual([]); // one contract version all week: same terms every day

      const params = [clientId, WEEK.start, WEEK.end];
      const days = new Map((await engine.query(WEEK_FROM_DAYS, params)).rows.map((r) => [String(r.channel), r]));
      const p90 = new Map((await engine.query(WEEK_P90, params)).rows.map((r) => [String(r.channel), r.wait_p90_seconds ?? null]));

      // a busy week of real-looking data, not a vacuous comparison
      expect(doc.current.total.offered).toBeGreaterThan(500);
      expect(days.get('all')!.days_with_data).toBe(7);
      expectSame(doc.current.total, days.get('all')!, p90.get('all') ?? null, `${clientId} total`);
      const channels = Object.keys(doc.current.by_channel);
      expect(channels.length).toBeGreaterThanOrEqual(2);
      for (const channel of channels) {
        // cost is a whole-service figure: null per channel in both
        expectSame(doc.current.by_channel[channel as 'phone']!, days.get(channel)!, p90.get(channel) ?? null, `${clientId} ${channel}`);
      }
    });
  }
});
