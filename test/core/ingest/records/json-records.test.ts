/**
 * JSON records read as the file wrote them, and bounded: ids past 2^53 and numbers in exponent form kept as
 * text, a `records:` path the document lacks rejected with the path, and nesting past MAX_JSON_DEPTH
 * quarantining its NDJSON record or rejecting an array file, never overflowing the stack.
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
import { JsonNumber, jsonText, MAX_JSON_DEPTH, parseJsonLossless } from '../../../../functions/core/ingest/records/json-values.ts';

const config = clientConfigSchema.parse({
  id: 'shop',
  name: '샵',
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'app', format: 'mapped-json', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'openedAt', format: 'epoch_ms' }, category: { column: 'meta', null_values: [''] }, outcome: { constant: 'answered' } } },
    {
      id: 'legs',
      format: 'mapped-json',
      channel: 'phone',
      fields: {
        contact_id: 'id',
        arrived_at: { column: 'openedAt', format: 'epoch_ms' },
        category: { column: 'legs[kind=2].code', null_values: [''] },
        talk_seconds: 'sum(legs[*].talk)',
        outcome: { constant: 'answered' },
      },
    },
    { id: 'api', format: 'mapped-json', records: 'data.userChats', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'openedAt', format: 'epoch_ms' }, outcome: { constant: 'answered' } } },
  ],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['ops@example.com'] },
});

let dir: string;
let deps: IngestDeps;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-json-'));
  deps = {
    lake: createFolderStore(join(dir, 'lake')),
    quarantine: createFolderStore(join(dir, 'quarantine')),
    customerKeySecret: 'json-test-secret-0000',
    openWorkspace: openDuckDbWorkspace,
    clock: { now: () => new Date('2026-03-10T00:00:00Z') },
    workDir: join(dir, 'work'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
async function* text(content: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(content, 'utf8');
}
async function lake() {
  const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
  try {
    return (await engine.query(`SELECT contact_id, category FROM contacts ORDER BY contact_id`)).rows;
  } finally {
    await engine.close();
  }
}
// 2026-03-02 09:00 KST
const AT = 1772409600000;
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('numbers as the file wrote them', () => {
  // As doubles, 9007199254740993 is 9007199254740992 (2^53) and 18014398509481985 is 18014398509481984 (2^54):
  // four contacts would become two, with duplicates_dropped 2.
  const ids = ['9007199254740992', '9007199254740993', '18014398509481984', '18014398509481985'];

  it('NDJSON: ids above 2^53 stay four contacts; 1e3 stays 1e3; a nested value keeps its digits', async () => {
    const file = [...ids.map((id) => `{"id":${id},"openedAt":${AT}}`), `{"id":1e3,"openedAt":${AT},"meta":{"n":12345678901234567890,"x":[1.50]}}`].join('\n');
    const m = await ingestFile(deps, { config, sourceId: 'app', file: 'big.ndjson', body: text(file) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 5, rows_written: 5, duplicates_dropped: 0 });
    expect((await lake()).map((r) => [r.contact_id, r.category])).toEqual([
      ['18014398509481984', null],
      ['18014398509481985', null],
      ['1e3', '{"n":12345678901234567890,"x":[1.50]}'],
      ['9007199254740992', null],
      ['9007199254740993', null],
    ]);
  });

  it('an array file likewise', async () => {
    const file = `[${ids.map((id) => `{"id":${id},"openedAt":${AT}}`).join(',')}]`;
    const m = await ingestFile(deps, { config, sourceId: 'app', file: 'big.json', body: text(file) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 4, rows_written: 4, duplicates_dropped: 0 });
    expect((await lake()).map((r) => r.contact_id)).toEqual([...ids].sort());
  });

  it('field-path predicates and aggregates see the numbers as written', async () => {
    // the leg whose kind is 2 has code 9007199254740993 (past 2^53); talk 30 + 45 = 75 s
    const file = `{"id":"l1","openedAt":${AT},"legs":[{"kind":1,"code":7,"talk":30},{"kind":2,"code":9007199254740993,"talk":45}]}`;
    const m = await ingestFile(deps, { config, sourceId: 'legs', file: 'legs.ndjson', body: text(file) });
    expect(m).toMatchObject({ status: 'ok', rows_written: 1 });
    const engine = await createDuckDbEngine({ lakeRoot: join(dir, 'lake') });
    try {
      expect((await engine.query(`SELECT category, talk_seconds FROM contacts`)).rows).toEqual([{ category: '9007199254740993', talk_seconds: 75 }]);
    } finally {
      await engine.close();
    }
  });

  it('the lossless parse and its text', () => {
    const value = parseJsonLossless('{"a":-0.10e+2,"b":[true,null,"x"]}') as { a: JsonNumber; b: unknown[] };
    expect(value.a).toBeInstanceOf(JsonNumber);
    expect(jsonText(value.a)).toBe('-0.10e+2');
    expect(jsonText(value.b)).toBe('[true,null,"x"]');
    expect(() => parseJsonLossless('{"a":')).toThrow();
  });
});

describe('a records path the document does not have', () => {
  it('rejects the file, naming the path; an empty array at the path is a file of no records', async () => {
    const wrong = '{"data":{"chats":[{"id":"p1","openedAt":1772409600000}]}}';
    const m = await ingestFile(deps, { config, sourceId: 'api', file: 'page.json', body: text(wrong) });
    expect(m).toMatchObject({ status: 'rejected', error: 'page.json: records: the document has no array at data.userChats (the path the source names)' });
    const notArray = await ingestFile(deps, { config, sourceId: 'api', file: 'object.json', body: text('{"data":{"userChats":{"id":"p1"}}}') });
    expect(notArray.error).toBe('object.json: records: the document has no array at data.userChats (the path the source names)');
    // the path one level down in another key is not the path
    const nested = await ingestFile(deps, { config, sourceId: 'api', file: 'nested.json', body: text('{"x":{"data":{"userChats":[{"id":"p1"}]}}}') });
    expect(nested.status).toBe('rejected');
    const empty = await ingestFile(deps, { config, sourceId: 'api', file: 'empty.json', body: text('{"data":{"total":0,"userChats":[]}}') });
    expect(empty).toMatchObject({ status: 'ok', rows_read: 0, rows_written: 0 });
  });
});

describe('nesting past the limit', () => {
  it('NDJSON: the record nested 100,000 deep is quarantined with the reason, the others are written', async () => {
    const file = [`{"id":"d1","openedAt":${AT}}`, `{"id":"d2","openedAt":${AT},"x":${deep(100_000)}}`, `{"id":"d3","openedAt":${AT}}`].join('\n');
    const m = await ingestFile(deps, { config, sourceId: 'app', file: 'deep.ndjson', body: text(file) });
    expect(m).toMatchObject({ status: 'ok', rows_read: 3, rows_written: 2, rows_quarantined: 1 });
    const [entry] = (await readFile(join(dir, 'quarantine', m.quarantine_key!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ line: 2, field: '(row)', reason: `the record is nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect((await lake()).map((r) => r.contact_id)).toEqual(['d1', 'd3']);
  });

  it('an array: the file is rejected with the record and the reason, not a stack overflow', async () => {
    const file = `[{"id":"d1","openedAt":${AT}},{"id":"d2","x":${deep(100_000)}}]`;
    const m = await ingestFile(deps, { config, sourceId: 'app', file: 'deep.json', body: text(file) });
    expect(m).toMatchObject({ status: 'rejected', error: `deep.json: record 2 is nested deeper than ${MAX_JSON_DEPTH} levels` });
    // the limit counts the whole document: the array, the record and 62 levels inside it are 64, which is allowed
    const fits = `[{"id":"d1","openedAt":${AT},"x":${deep(MAX_JSON_DEPTH - 2)}}]`;
    expect(await ingestFile(deps, { config, sourceId: 'app', file: 'fits.json', body: text(fits) })).toMatchObject({ status: 'ok', rows_written: 1 });
  });
});
