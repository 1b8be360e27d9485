/**
 * The whole pipeline, end to end, as `npm run demo` runs it (three weeks instead of ninety days): simulated
 * exports → ingest → lake → KPI SQL on DuckDB → e-mail reports. The expected numbers are the simulator's own
 * ground truth, counted while it generated the contacts, independently of ingest and SQL.
 */
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { CliFailure, type CliContext } from '../../functions/cli/context.ts';
import { runCli } from '../../functions/cli/main.ts';
import { loadClientConfig } from '../../functions/core/config/load-configs.ts';
import { computeKpiDocument } from '../../functions/core/kpis/compute-kpi-document.ts';
import type { QueryEngine } from '../../functions/core/ports.ts';
import type { ClientTruth } from '../../functions/simulator/index.ts';

let dir: string;
let engine: QueryEngine;
const stdout: string[] = [];
let exitCode: number;

const context: CliContext = {
  loadConfig: loadClientConfig,
  out: (l) => stdout.push(l),
  err: () => undefined,
  fail: (m) => {
    throw new CliFailure(m);
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-e2e-'));
  exitCode = await runCli(
    ['demo', '--days', '21', '--lake', join(dir, 'lake'), '--out', join(dir, 'out'), '--exports', join(dir, 'exports')],
    context,
  );
  engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
}, 240_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

const truthOf = async (client: string): Promise<ClientTruth> =>
  JSON.parse(await readFile(join(dir, 'exports', client, 'truth.json'), 'utf8')) as ClientTruth;

describe('demo pipeline', () => {
  it('runs to the end and reports the planted incident', () => {
    expect(exitCode).toBe(0);
    expect(stdout.join('\n')).toMatch(/planted incident: 배송 spike on .* detected as a spike on/);
  });

  it('writes the daily, weekly and monthly e-mail of every client', async () => {
    for (const client of ['example', 'northwind']) {
      const files = (await readdir(join(dir, 'out', client))).sort();
      expect(files).toEqual([
        `${client}-daily-2026-03-31.eml`,
        `${client}-daily-2026-03-31.html`,
        `${client}-monthly-2026-03-01.eml`,
        `${client}-monthly-2026-03-01.html`,
        `${client}-weekly-2026-03-23.eml`,
        `${client}-weekly-2026-03-23.html`,
      ]);
    }
    const html = await readFile(join(dir, 'out', 'example', 'example-daily-2026-03-31.html'), 'utf8');
    expect(html).toContain('예시몰');
  });

  for (const client of ['example', 'northwind']) {
    it(`${client}: daily KPIs per channel equal the simulator's ground truth`, async () => {
      const truth = await truthOf(client);
      const config = await loadClientConfig('clients', client);
      const days = truth.days.filter((d) => d.date >= '2026-03-16').slice(0, 7);
      expect(days.length).toBe(7);
      for (const day of days) {
        const doc = await computeKpiDocument(engine, config, 'daily', day.date);
        for (const [channel, t] of Object.entries(day.channels)) {
          const k = doc.current.by_channel[channel as 'phone' | 'chat'];
          const label = `${client} ${day.date} ${channel}`;
          expect(k, label).toBeDefined();
          expect(
            { offered: k!.offered, answered: k!.answered, abandoned: k!.abandoned, callbacks: k!.callbacks, self_service: k!.self_service, ivr_abandoned: k!.ivr_abandoned },
            label,
          ).toEqual({ offered: t.offered, answered: t.answered, abandoned: t.abandoned, callbacks: t.callbacks, self_service: t.self_service, ivr_abandoned: t.ivr_abandoned });
          expect(k!.short_abandoned, label).toBe(t.short_abandoned);
          if (t.answered > 0) {
            expect(k!.asa_seconds, label).toBeCloseTo(t.sum_wait_answered_seconds / t.answered, 6);
            // the example shop's chat export has no hold or after-chat-work columns, so its AHT is talk time only
            if (!(client === 'example' && channel === 'chat')) {
              expect(k!.aht_seconds, label).toBeCloseTo(t.sum_handle_answered_seconds / t.answered, 6);
            }
            // max wait is over answered contacts; the truth's maximum also covers abandoned ones, so it bounds it
            expect(k!.max_wait_seconds, label).toBeLessThanOrEqual(t.max_wait_seconds);
            expect(k!.max_wait_seconds!, label).toBeGreaterThanOrEqual(k!.asa_seconds!);
          }
          if (config.contract[0]!.service_level_formula === 'answered_within_over_offered_less_short' && t.offered > t.short_abandoned) {
            // the spec's default: answered within T / (offered − short abandons)
            expect(k!.service_level, label).toBeCloseTo(t.answered_within_threshold / (t.offered - t.short_abandoned), 12);
          }
        }
      }
    });
  }
});
