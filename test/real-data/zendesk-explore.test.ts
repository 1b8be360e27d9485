/**
 * A Zendesk Explore ticket report (test/fixtures/reconstructed/zendesk-explore/README.md), read twice: as
 * contacts with `preset: zendesk-explore-tickets`, whose first-reply times are brackets, and as CSAT answers with
 * `preset: zendesk-explore-satisfaction`, where Offered and Unoffered are no answer. The README works out the
 * service level at thresholds on and off the brackets' edges, by hand.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../functions/core/config/client-config.ts';
import { ingestFile } from '../../functions/core/ingest/ingest-file.ts';
import type { IngestManifest } from '../../functions/core/ingest/manifest.ts';
import { computeKpiDocument } from '../../functions/core/kpis/compute-kpi-document.ts';
import type { SqlValue } from '../../functions/core/ports.ts';

const FILE = join(import.meta.dirname, '../fixtures/reconstructed/zendesk-explore/tickets-explore.csv');
const configWith = (serviceLevelSeconds?: number) =>
  clientConfigSchema.parse({
    id: 'desk',
    name: 'Desk',
    timezone: 'Asia/Seoul',
    sources: [
      { id: 'tickets', preset: 'zendesk-explore-tickets' },
      { id: 'csat', preset: 'zendesk-explore-satisfaction' },
    ],
    contract: [{ effective_from: '2026-01-01', channels: serviceLevelSeconds === undefined ? {} : { email: { service_level_seconds: serviceLevelSeconds } } }],
    recipients: { to: ['ops@example.com'] },
  });

let dir: string;
let engine: DuckDbEngine;
const manifests: Record<string, IngestManifest> = {};
let contacts: Record<string, SqlValue>[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-explore-'));
  const deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'explore-test-secret-00000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-05T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
  for (const source of ['tickets', 'csat']) {
    manifests[source] = await ingestFile(deps, { config: configWith(), sourceId: source, file: 'tickets-explore.csv', body: createReadStream(FILE) });
  }
  engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  contacts = (await engine.query(`SELECT * FROM contacts WHERE client_id = 'desk' ORDER BY contact_id`)).rows;
}, 60_000);
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Zendesk Explore tickets through preset zendesk-explore-tickets', () => {
  it('reads 7 tickets as 7 contacts, NBSP cells as empty', () => {
    expect(manifests.tickets).toMatchObject({ status: 'ok', rows_read: 7, rows_written: 7, rows_quarantined: 0, rows_excluded: 1 });
    expect(contacts.map((c) => [c.contact_id, c.outcome, c.queue, c.wait_seconds, c.wait_min_seconds, c.wait_max_seconds, c.is_resolved])).toEqual([
      ['101', 'answered', '배송', null, 0, 3600, true],
      ['102', 'answered', '배송', null, 3600, 28800, true],
      ['103', 'answered', '환불', null, 28800, 86400, true],
      ['104', 'answered', '환불', null, 86400, null, false],
      ['105', 'answered', null, null, 0, 3600, false],
      ['106', 'abandoned', '배송', null, null, null, false],
      ['107', 'excluded', '배송', null, null, null, true],
    ]);
  });

  it('gives the service level exactly when the threshold is a bracket edge, and no ASA', async () => {
    const at = async (t?: number) => (await computeKpiDocument(engine, configWith(t), 'daily', '2026-03-02')).current.by_channel.email!;
    const day = await at(); // e-mail's default threshold, 86,400 s = 24 h: an edge
    expect(day).toMatchObject({ offered: 6, answered: 5, abandoned: 1, excluded: 1, asa_seconds: null, wait_p90_seconds: null, max_wait_seconds: null });
    expect(day.service_level).toBeCloseTo(4 / 6, 12); // 101, 102, 103, 105 within 24 h; 104 beyond; over 6 offered
    expect((await at(28_800)).service_level).toBe(0.5); // 8 h, an edge: 101, 102, 105
    expect((await at(14_400)).service_level).toBeNull(); // 4 h falls inside 102's 1-8 hrs: unknown, not a guess
  });
});

describe('Zendesk Explore satisfaction through preset zendesk-explore-satisfaction', () => {
  it('writes every ticket, the unrated ones without a score: nothing is quarantined', () => {
    expect(manifests.csat).toMatchObject({ status: 'ok', rows_read: 7, rows_written: 7, rows_quarantined: 0 });
  });

  it('counts only Good and Bad as answers: CSAT 3.0, half satisfied, 2 responses of 5 answered', async () => {
    const total = (await computeKpiDocument(engine, configWith(), 'daily', '2026-03-02')).current.total;
    expect(total).toMatchObject({ csat_responses: 2, csat_avg: 3, csat_satisfied_rate: 0.5 });
    expect(total.survey_response_rate).toBeCloseTo(2 / 5, 12);
  });
});
