/**
 * The SQL ingest against the JS ingest it replaces, on the real bank records and on simulated exports of both
 * demo clients (CP949 CTI, UTF-8 chat, surveys, Amazon Connect CTRs): the lake a query sees must be the same,
 * row for row and value for value, and the same rows must be quarantined. Where the rules changed on purpose
 * (the newest copy of a contact wins, where the JS ingest kept the first) the comparison leaves out the one
 * column that says which copy it was (source_file) and the provenance columns the JS ingest did not write.
 */
import { readdir, readFile, rm, mkdtemp, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import type { ClientConfig } from '../../../functions/core/config/client-config.ts';
import { loadClientConfigs } from '../../../functions/core/config/load-configs.ts';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';
import { customerHasher, customerKeyScope } from '../../../functions/core/ingest/customer-key.ts';
import { ingestFile } from '../../../functions/core/ingest/ingest-file.ts';
import { ingestFile as legacyIngestFile } from '../../../functions/core/ingest/legacy-ingest-file.ts';
import { simulate } from '../../../functions/simulator/index.ts';

const SECRET = 'comparison-secret-0123456789';
const BANK = join(import.meta.dirname, '../../../../shared/data/anonymous-bank-1999');

const COLUMNS = [
  'client_id', 'dt', 'source', 'contact_id', 'channel', 'direction', 'queue', 'category', 'subcategory', 'customer_key', 'agent_id',
  'arrived_at', 'answered_at', 'ended_at', 'ivr_seconds', 'wait_seconds', 'talk_seconds', 'hold_seconds', 'acw_seconds',
  'handle_seconds', 'outcome', 'is_transferred', 'is_resolved', 'local_hour',
];
const SURVEY_COLUMNS = ['client_id', 'dt', 'source', 'survey_id', 'contact_id', 'channel', 'agent_id', 'survey_type', 'score', 'scale_min', 'scale_max', 'comment', 'responded_at'];

interface Input {
  config: ClientConfig;
  sourceId: string;
  file: string;
  deliveredAt: Date;
}

let dir: string;
const inputs: Input[] = [];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.name !== 'truth.json') out.push(p);
  }
  return out;
}

async function ingestAll(lake: string, legacy: boolean) {
  const quarantine = join(lake, '..', `${legacy ? 'legacy' : 'new'}-quarantine`);
  const manifests = [];
  for (const input of inputs) {
    const clock = { now: () => input.deliveredAt };
    const request = { config: input.config, sourceId: input.sourceId, file: input.file, body: createReadStream(input.file), deliveredAt: input.deliveredAt };
    const common = { lake: createFolderStore(lake), quarantine: createFolderStore(quarantine), clock, workDir: join(dir, 'work') };
    manifests.push(
      legacy
        ? await legacyIngestFile({ ...common, hashCustomer: customerHasher(SECRET, customerKeyScope(input.config)) }, request)
        : await ingestFile({ ...common, customerKeySecret: SECRET, openWorkspace: openDuckDbWorkspace }, request),
    );
  }
  return { manifests, quarantine };
}

async function rowsOf(lake: string, table: 'contacts' | 'surveys') {
  const engine = await createDuckDbEngine({ lakeRoot: lake });
  try {
    const columns = table === 'contacts' ? COLUMNS : SURVEY_COLUMNS;
    const id = table === 'contacts' ? 'contact_id' : 'survey_id';
    return (await engine.query(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY client_id, source, ${id}`)).rows;
  } finally {
    await engine.close();
  }
}

async function quarantined(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await filesUnder(folder)) {
    for (const line of (await readFile(f, 'utf8')).split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { file: string; line: number; field: string };
      out.push(`${entry.file}:${entry.line}:${entry.field}`);
    }
  }
  return out.sort();
}

let legacy: Awaited<ReturnType<typeof ingestAll>>;
let current: Awaited<ReturnType<typeof ingestAll>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-comparison-'));
  for (const [cfg, file] of [
    ['test/fixtures/clients/anonymous-bank.yaml', 'february_1999.txt'],
    ['test/fixtures/clients/anonymous-bank-august.yaml', 'august_1999_from_ods.csv'],
  ] as const) {
    const config = parseClientConfig(await readFile(cfg, 'utf8'), cfg);
    inputs.push({ config, sourceId: config.sources[0]!.id, file: join(BANK, file), deliveredAt: new Date('2026-11-01T00:00:00Z') });
  }
  const exportsDir = join(dir, 'exports');
  const simulation = await simulate({ seed: 42, startDate: '2026-03-02', days: 14, outDir: exportsDir });
  const configs = await loadClientConfigs('clients');
  for (const client of simulation.clients) {
    const config = configs.find((c) => c.id === client.clientId)!;
    for (const source of config.sources) {
      for (const file of await filesUnder(join(exportsDir, config.id, source.id))) {
        inputs.push({ config, sourceId: source.id, file, deliveredAt: (await stat(file)).mtime });
      }
    }
  }
  legacy = await ingestAll(join(dir, 'legacy-lake'), true);
  current = await ingestAll(join(dir, 'new-lake'), false);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the SQL ingest and the JS ingest it replaces', () => {
  it('read, write, quarantine and drop the same number of rows per file', () => {
    expect(inputs.length).toBeGreaterThan(60);
    const counts = (m: { file: string; status: string; rows_read: number; rows_written: number; rows_quarantined: number; duplicates_dropped: number }) =>
      [m.file.split('/').slice(-2).join('/'), m.status, m.rows_read, m.rows_quarantined];
    expect(current.manifests.map(counts)).toEqual(legacy.manifests.map(counts));
    const total = (ms: typeof current.manifests, k: 'rows_written' | 'duplicates_dropped') => ms.reduce((n, m) => n + m[k], 0);
    // across files only which copy wins differs: every contact is in the lake once either way
    expect(total(current.manifests, 'rows_written') - current.manifests.reduce((n, m) => n + ((m as { rows_replaced?: number }).rows_replaced ?? 0), 0)).toBe(
      total(legacy.manifests, 'rows_written'),
    );
  });

  it('give the same contacts and surveys, value for value', async () => {
    for (const table of ['contacts', 'surveys'] as const) {
      const a = await rowsOf(join(dir, 'legacy-lake'), table);
      const b = await rowsOf(join(dir, 'new-lake'), table);
      expect(b.length, table).toBe(a.length);
      expect(b.length).toBeGreaterThan(table === 'contacts' ? 80_000 : 1_000);
      for (let i = 0; i < a.length; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) expect(b[i], `${table} row ${i}`).toEqual(a[i]);
    }
  });

  it('quarantine the same lines for the same fields', async () => {
    expect(await quarantined(current.quarantine)).toEqual(await quarantined(legacy.quarantine));
  });
});
