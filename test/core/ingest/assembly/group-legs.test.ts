/**
 * Grouping call legs into contacts (assembly/group-legs.ts), through real ingest into a temporary lake: the
 * per-field rules, and a call quarantined whole when one of its legs cannot be read or its assembled values
 * contradict each other. Counts are checked against rows_read = written + quarantined + duplicates + legs_grouped.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../../../functions/adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../../functions/core/config/client-config.ts';
import { ingestFile, type IngestDeps } from '../../../../functions/core/ingest/ingest-file.ts';
import { MappingConfigError } from '../../../../functions/core/ingest/mapping/errors.ts';
import { compileContactSql, type MappedCsvSource } from '../../../../functions/core/ingest/mapping/sql-mapping.ts';

const TIME = 'YYYY-MM-DD HH:mm:ss';
const config = (legs: Record<string, unknown> = {}) =>
  clientConfigSchema.parse({
    id: 'pbx',
    name: 'PBX',
    timezone: 'Asia/Seoul',
    sources: [
      {
        id: 'cdr',
        format: 'mapped-csv',
        channel: 'phone',
        fields: {
          contact_id: 'call',
          customer: 'caller',
          arrived_at: { column: 'start', format: TIME },
          answered_at: { column: 'answer', format: TIME, null_values: [''] },
          wait_seconds: { between: ['arrived_at', 'answered_at'] },
          talk_seconds: 'talk',
          agent_id: { column: 'agent', null_values: [''] },
          outcome: { column: 'disposition', map: { ANSWERED: 'answered', 'NO ANSWER': 'abandoned' } },
        },
        legs: { key: 'call', fields: { talk_seconds: 'sum' }, ...legs },
      },
    ],
    contract: [{ effective_from: '2026-01-01' }],
    recipients: { to: ['ops@example.com'] },
  });

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-legs-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'legs-test-secret-0000000000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* body(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}
async function lake() {
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    return (await engine.query(`SELECT contact_id, outcome, agent_id, wait_seconds, talk_seconds FROM contacts ORDER BY contact_id`)).rows;
  } finally {
    await engine.close();
  }
}
const quarantined = async (key: string) =>
  (await readFile(join(dir, 'quarantine', key), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; field: string; reason: string });

const HEADER = 'call,caller,start,answer,talk,agent,disposition\n';

describe('grouping legs', () => {
  it('answered if any leg was answered; the answering leg is the one that talked longest; talk summed', async () => {
    const file =
      HEADER +
      // call A: a ring that no one took, then the agent who answered at 10:00:07 (wait 7 s, talk 20 + 0 s)
      'A,010-1111-2222,2026-03-02 10:00:00,,0,kim,NO ANSWER\n' +
      'A,010-1111-2222,2026-03-02 10:00:00,2026-03-02 10:00:07,20,lee,ANSWERED\n' +
      'A,010-1111-2222,2026-03-02 10:00:07,2026-03-02 10:00:07,0,park,ANSWERED\n' +
      // call B: one ring, not answered
      'B,010-3333-4444,2026-03-02 11:00:00,,0,kim,NO ANSWER\n';
    const manifest = await ingestFile(deps, { config: config(), sourceId: 'cdr', file: 'cdr.csv', body: body(file) });
    expect(manifest).toMatchObject({ rows_read: 4, rows_written: 2, rows_quarantined: 0, duplicates_dropped: 0, legs_grouped: 2 });
    expect(await lake()).toEqual([
      { contact_id: 'A', outcome: 'answered', agent_id: 'lee', wait_seconds: 7, talk_seconds: 20 },
      { contact_id: 'B', outcome: 'abandoned', agent_id: null, wait_seconds: null, talk_seconds: 0 },
    ]);
  });

  it('prefer picks the answering leg before talk does', async () => {
    const file = HEADER + 'A,x,2026-03-02 10:00:00,2026-03-02 10:00:03,9,bot,ANSWERED\n' + 'A,x,2026-03-02 10:00:00,2026-03-02 10:00:05,4,lee,ANSWERED\n';
    const preferring = config({ prefer: [{ column: 'agent', equals: 'lee' }] });
    await ingestFile(deps, { config: preferring, sourceId: 'cdr', file: 'cdr.csv', body: body(file) });
    // wait is between the call's arrival and its answering leg's answer (the default answered_at rule)
    expect(await lake()).toEqual([{ contact_id: 'A', outcome: 'answered', agent_id: 'lee', wait_seconds: 5, talk_seconds: 13 }]);
  });

  it('quarantines a call whole when a leg cannot be read, or when its assembled times contradict', async () => {
    const file =
      HEADER +
      'A,x,2026-03-02 10:00:00,,0,kim,NO ANSWER\n' + // line 2
      'A,x,2026-03-02 10:00:00,2026-03-02 25:00:07,20,lee,ANSWERED\n' + // line 3: hour 25
      'B,y,2026-03-02 11:00:10,2026-03-02 11:00:05,20,lee,ANSWERED\n' + // line 4: answered before it arrived
      'B,y,2026-03-02 11:00:10,,0,kim,NO ANSWER\n' + // line 5
      'C,z,2026-03-02 12:00:00,2026-03-02 12:00:02,30,lee,ANSWERED\n'; // line 6
    const manifest = await ingestFile(deps, { config: config(), sourceId: 'cdr', file: 'cdr.csv', body: body(file) });
    expect(manifest).toMatchObject({ rows_read: 5, rows_written: 1, rows_quarantined: 4, duplicates_dropped: 0, legs_grouped: 0 });
    expect(await lake()).toEqual([{ contact_id: 'C', outcome: 'answered', agent_id: 'lee', wait_seconds: 2, talk_seconds: 30 }]);
    expect((await quarantined(manifest.quarantine_key!)).map((q) => [q.line, q.field, q.reason])).toEqual([
      [2, '(legs)', 'another leg of this call (line 3, same column call) was rejected'],
      [3, 'answered_at', 'column answer value "2026-03-02 25:00:07" is not a timestamp in format YYYY-MM-DD HH:mm:ss'],
      [
        4,
        'wait_seconds',
        'the contact of lines 4, 5: answered_at 2026-03-02T02:00:05Z is before arrived_at 2026-03-02T02:00:10Z: wait_seconds between them would be negative',
      ],
      [
        5,
        'wait_seconds',
        'the contact of lines 4, 5: answered_at 2026-03-02T02:00:05Z is before arrived_at 2026-03-02T02:00:10Z: wait_seconds between them would be negative',
      ],
    ]);
  });

  it('refuses a rule that does not fit the field, when the mapping is compiled', () => {
    const source = config({ fields: { agent_id: 'sum' } }).sources[0] as MappedCsvSource;
    const header = HEADER.trim().split(',');
    expect(() => compileContactSql(source, { header, width: header.length, clientZone: 'Asia/Seoul' })).toThrow(
      new MappingConfigError('cdr', 'legs.fields.agent_id', 'rule sum does not apply to a text field (use first, last, answering)'),
    );
  });
});
