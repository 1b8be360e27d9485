import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadataAsync } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeParquet,
  ParquetFileWriter,
  ParquetRowError,
  parquetSchemaOf,
} from '../../../functions/core/lake/parquet-writer.ts';
import {
  ParquetColumnNotFoundError,
  readParquetColumn,
  readParquetRows,
  readParquetSummary,
} from '../../../functions/core/lake/parquet-reader.ts';
import { contactsTable, surveysTable, type ContactRow, type SurveyRow } from '../../../functions/core/tables.ts';

const contact = (overrides: Partial<ContactRow>): ContactRow => ({
  updated_at: null,
  delivered_at: null,
  contact_id: 'c-1',
  channel: 'phone',
  direction: 'inbound',
  queue: null,
  category: null,
  subcategory: null,
  customer_key: null,
  agent_id: null,
  arrived_at: new Date('2026-03-01T00:00:00.000Z'),
  answered_at: null,
  ended_at: null,
  ivr_seconds: null,
  wait_seconds: null,
  talk_seconds: null,
  hold_seconds: null,
  acw_seconds: null,
  handle_seconds: null,
  outcome: 'answered',
  is_transferred: false,
  is_resolved: null,
  local_hour: 9,
  source: 'cti',
  source_file: 'export.csv',
  ingested_at: new Date('2026-03-02T01:00:00.000Z'),
  ...overrides,
});

const threeContacts: ContactRow[] = [
  contact({
    contact_id: 'CALL-0001',
    queue: '일반문의',
    category: '배송',
    subcategory: '배송 지연',
    customer_key: 'a3f1',
    agent_id: '김상담',
    arrived_at: new Date('2026-03-01T00:05:10.123Z'),
    answered_at: new Date('2026-03-01T00:05:40.000Z'),
    ended_at: new Date('2026-03-01T00:09:00.500Z'),
    ivr_seconds: 12.5,
    wait_seconds: 29.877,
    talk_seconds: 180,
    hold_seconds: 0,
    acw_seconds: 20.5,
    handle_seconds: 200.5,
    is_transferred: true,
    is_resolved: true,
    local_hour: 9,
    source_file: '콜이력_20260301.csv',
  }),
  contact({
    contact_id: 'CALL-0002',
    channel: 'chat',
    arrived_at: new Date('2026-02-28T15:00:00.000Z'),
    outcome: 'abandoned',
    wait_seconds: 45,
    local_hour: 0,
    is_resolved: false,
  }),
  contact({ contact_id: 'CALL-0003', channel: 'board', direction: 'outbound', local_hour: 23 }),
];

describe('parquetSchemaOf', () => {
  it('maps the column types and nullability of a table', () => {
    const schema = parquetSchemaOf(surveysTable);
    expect(schema[0]).toEqual({ name: 'schema', num_children: 14 });
    const byName = new Map(schema.slice(1).map((element) => [element.name, element]));
    expect(byName.get('survey_id')).toEqual({
      name: 'survey_id',
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      logical_type: { type: 'STRING' },
      repetition_type: 'REQUIRED',
    });
    expect(byName.get('comment')?.repetition_type).toBe('OPTIONAL');
    expect(byName.get('responded_at')).toEqual({
      name: 'responded_at',
      type: 'INT64',
      converted_type: 'TIMESTAMP_MILLIS',
      repetition_type: 'REQUIRED',
    });
    expect(byName.get('score')).toEqual({ name: 'score', type: 'DOUBLE', repetition_type: 'REQUIRED' });
    expect(byName.get('scale_min')).toEqual({ name: 'scale_min', type: 'INT32', repetition_type: 'REQUIRED' });
    expect(byName.has('client_id')).toBe(false);
    expect(byName.has('dt')).toBe(false);
  });
});

describe('ParquetFileWriter read by DuckDB', () => {
  let dir: string;
  let duck: DuckDBInstance;
  let db: DuckDBConnection;

  const rowsOf = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cspulse-parquet-'));
    duck = await DuckDBInstance.create(':memory:');
    db = await duck.connect();
  });
  afterAll(async () => {
    db?.closeSync();
    duck?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes contacts with Korean text, nulls and millisecond UTC timestamps', async () => {
    const file = path.join(dir, 'three.parquet');
    const writer = new ParquetFileWriter(file, contactsTable);
    for (const row of threeContacts) writer.append(row as unknown as Record<string, unknown>);
    const result = await writer.close();
    expect(result.rows).toBe(3);
    expect(result.bytes).toBe((await stat(file)).size);

    const described = await rowsOf(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual([
      ['contact_id', 'VARCHAR'],
      ['channel', 'VARCHAR'],
      ['direction', 'VARCHAR'],
      ['queue', 'VARCHAR'],
      ['category', 'VARCHAR'],
      ['subcategory', 'VARCHAR'],
      ['customer_key', 'VARCHAR'],
      ['agent_id', 'VARCHAR'],
      ['arrived_at', 'TIMESTAMP'],
      ['answered_at', 'TIMESTAMP'],
      ['ended_at', 'TIMESTAMP'],
      ['ivr_seconds', 'DOUBLE'],
      ['wait_seconds', 'DOUBLE'],
      ['talk_seconds', 'DOUBLE'],
      ['hold_seconds', 'DOUBLE'],
      ['acw_seconds', 'DOUBLE'],
      ['handle_seconds', 'DOUBLE'],
      ['outcome', 'VARCHAR'],
      ['is_transferred', 'BOOLEAN'],
      ['is_resolved', 'BOOLEAN'],
      ['local_hour', 'INTEGER'],
      ['source', 'VARCHAR'],
      ['source_file', 'VARCHAR'],
      ['ingested_at', 'TIMESTAMP'],
      ['updated_at', 'TIMESTAMP'],
      ['delivered_at', 'TIMESTAMP'],
    ]);

    const rows = await rowsOf(`
      SELECT contact_id, channel, direction, queue, category, subcategory, agent_id, customer_key,
             arrived_at::varchar AS arrived, answered_at::varchar AS answered, ended_at::varchar AS ended,
             ivr_seconds, wait_seconds, talk_seconds, hold_seconds, acw_seconds, handle_seconds,
             outcome, is_transferred, is_resolved, local_hour, source, source_file,
             ingested_at::varchar AS ingested,
             -- the stored instant is UTC: 00:05:10.123Z is epoch second 1772323510
             epoch_ms(arrived_at) AS arrived_ms, length(subcategory) AS subcategory_chars
      FROM read_parquet('${file}') ORDER BY contact_id`);
    expect(rows).toEqual([
      {
        contact_id: 'CALL-0001', channel: 'phone', direction: 'inbound', queue: '일반문의', category: '배송',
        subcategory: '배송 지연', agent_id: '김상담', customer_key: 'a3f1',
        arrived: '2026-03-01 00:05:10.123', answered: '2026-03-01 00:05:40', ended: '2026-03-01 00:09:00.5',
        ivr_seconds: 12.5, wait_seconds: 29.877, talk_seconds: 180, hold_seconds: 0, acw_seconds: 20.5,
        handle_seconds: 200.5, outcome: 'answered', is_transferred: true, is_resolved: true, local_hour: 9,
        source: 'cti', source_file: '콜이력_20260301.csv', ingested: '2026-03-02 01:00:00',
        arrived_ms: '1772323510123', subcategory_chars: '5',
      },
      {
        contact_id: 'CALL-0002', channel: 'chat', direction: 'inbound', queue: null, category: null,
        subcategory: null, agent_id: null, customer_key: null,
        arrived: '2026-02-28 15:00:00', answered: null, ended: null,
        ivr_seconds: null, wait_seconds: 45, talk_seconds: null, hold_seconds: null, acw_seconds: null,
        handle_seconds: null, outcome: 'abandoned', is_transferred: false, is_resolved: false, local_hour: 0,
        source: 'cti', source_file: 'export.csv', ingested: '2026-03-02 01:00:00',
        arrived_ms: '1772290800000', subcategory_chars: null,
      },
      {
        contact_id: 'CALL-0003', channel: 'board', direction: 'outbound', queue: null, category: null,
        subcategory: null, agent_id: null, customer_key: null,
        arrived: '2026-03-01 00:00:00', answered: null, ended: null,
        ivr_seconds: null, wait_seconds: null, talk_seconds: null, hold_seconds: null, acw_seconds: null,
        handle_seconds: null, outcome: 'answered', is_transferred: false, is_resolved: null, local_hour: 23,
        source: 'cti', source_file: 'export.csv', ingested: '2026-03-02 01:00:00',
        arrived_ms: '1772323200000', subcategory_chars: null,
      },
    ]);
  });

  it('marks required and optional columns and compresses with Snappy', async () => {
    const bytes = encodeParquet(contactsTable, threeContacts as unknown as Record<string, unknown>[]);
    const metadata = await parquetMetadataAsync(bytes.buffer.slice(0) as ArrayBuffer);
    const repetition = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, e.repetition_type]));
    expect(repetition.contact_id).toBe('REQUIRED');
    expect(repetition.arrived_at).toBe('REQUIRED');
    expect(repetition.answered_at).toBe('OPTIONAL');
    expect(repetition.is_resolved).toBe('OPTIONAL');
    expect(repetition.local_hour).toBe('REQUIRED');
    const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
    expect([...codecs]).toEqual(['SNAPPY']);
  });

  it('writes 150,000 rows as three row groups of 50,000 with every row intact', async () => {
    const file = path.join(dir, 'big.parquet');
    const writer = new ParquetFileWriter(file, contactsTable, { rowGroupSize: 50_000 });
    const base = Date.parse('2026-03-01T00:00:00.000Z');
    for (let i = 0; i < 150_000; i++) {
      writer.append(
        contact({
          contact_id: `C${i}`,
          local_hour: i % 24,
          wait_seconds: i * 0.5,
          arrived_at: new Date(base + i * 1000),
          answered_at: i % 7 === 0 ? null : new Date(base + i * 1000 + 30_000),
          agent_id: `상담원${i % 40}`,
        }) as unknown as Record<string, unknown>,
      );
    }
    expect(await writer.close()).toMatchObject({ rows: 150_000 });

    // 150000 = 6250 * 24, and 0 + 1 + ... + 23 = 276, so sum(local_hour) = 6250 * 276 = 1,725,000.
    // sum(wait_seconds) = 0.5 * (0 + ... + 149999) = 0.5 * 149999 * 150000 / 2 = 5,624,962,500.
    // answered_at is null for i = 0, 7, ..., 149996: 149996 / 7 + 1 = 21,429 rows, so 128,571 are set.
    // The last row arrived 149,999 s after midnight: 2026-03-02 17:39:59.
    const [summary] = await rowsOf(`
      SELECT count(*) AS n, sum(local_hour) AS hours, sum(wait_seconds) AS waits, count(answered_at) AS answered,
             count(DISTINCT contact_id) AS ids, max(arrived_at)::varchar AS last_arrival,
             count(DISTINCT agent_id) AS agents
      FROM read_parquet('${file}')`);
    expect(summary).toEqual({
      n: '150000',
      hours: '1725000',
      waits: 5624962500,
      answered: '128571',
      ids: '150000',
      last_arrival: '2026-03-02 17:39:59',
      agents: '40',
    });

    const groups = await rowsOf(`
      SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${file}') ORDER BY row_group_id`);
    expect(groups).toEqual([
      { row_group_id: '0', row_group_num_rows: '50000' },
      { row_group_id: '1', row_group_num_rows: '50000' },
      { row_group_id: '2', row_group_num_rows: '50000' },
    ]);

    const bytes = new Uint8Array(await readFile(file));
    expect((await readParquetSummary(bytes)).rowGroups).toEqual([50_000, 50_000, 50_000]);
    const ids = await readParquetColumn(bytes, 'contact_id');
    expect(ids).toHaveLength(150_000);
    expect([ids[0], ids[49_999], ids[50_000], ids[149_999]]).toEqual(['C0', 'C49999', 'C50000', 'C149999']);
  });

  it('writes a last, shorter row group', async () => {
    const file = path.join(dir, 'uneven.parquet');
    const writer = new ParquetFileWriter(file, surveysTable, { rowGroupSize: 4 });
    for (let i = 0; i < 10; i++) writer.append(survey({ survey_id: `S${i}`, score: i }));
    await writer.close();
    const bytes = new Uint8Array(await readFile(file));
    expect(await readParquetSummary(bytes)).toEqual({
      rows: 10,
      rowGroups: [4, 4, 2],
      columns: surveysTable.columns.map((c) => c.name),
      createdBy: 'cspulse',
    });
    const [sums] = await rowsOf(`SELECT sum(score) AS s FROM read_parquet('${file}')`);
    expect(sums).toEqual({ s: 45 });
  });

  it('keeps long strings findable by an equality filter that uses row-group statistics', async () => {
    // String min/max statistics are cut to 16 bytes; a cut max must round up or the engine would skip the
    // row group holding the largest key.
    const file = path.join(dir, 'long-keys.parquet');
    const writer = new ParquetFileWriter(file, contactsTable, { rowGroupSize: 2 });
    const keys = ['a'.repeat(64), `${'a'.repeat(63)}b`, `${'가'.repeat(20)}나`, `${'가'.repeat(21)}`];
    keys.forEach((key, i) => writer.append(contact({ contact_id: `K${i}`, customer_key: key }) as unknown as Record<string, unknown>));
    await writer.close();
    for (const [i, key] of keys.entries()) {
      expect(await rowsOf(`SELECT contact_id FROM read_parquet('${file}') WHERE customer_key = '${key}'`)).toEqual([
        { contact_id: `K${i}` },
      ]);
    }
  });

  it('writes a file with no rows that DuckDB reads as empty', async () => {
    const file = path.join(dir, 'empty.parquet');
    const writer = new ParquetFileWriter(file, surveysTable);
    expect(await writer.close()).toMatchObject({ rows: 0 });
    expect(await rowsOf(`SELECT count(*) AS n FROM read_parquet('${file}')`)).toEqual([{ n: '0' }]);
    const described = await rowsOf(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(described.map((d) => d.column_name)).toEqual(surveysTable.columns.map((c) => c.name));
  });
});

function survey(overrides: Partial<SurveyRow>): Record<string, unknown> {
  const row: SurveyRow = {
    delivered_at: null,
    survey_id: 's',
    contact_id: null,
    channel: null,
    agent_id: null,
    survey_type: 'csat',
    score: 5,
    scale_min: 1,
    scale_max: 5,
    comment: null,
    responded_at: new Date('2026-03-01T03:00:00.000Z'),
    source: 'survey',
    source_file: 'csat.csv',
    ingested_at: new Date('2026-03-02T00:00:00.000Z'),
    ...overrides,
  };
  return row as unknown as Record<string, unknown>;
}

describe('encodeParquet and the reader', () => {
  it('reads back every row as written', async () => {
    const rows = [
      survey({ survey_id: 'S1', contact_id: 'CALL-0001', comment: '친절했어요 👍', score: 4.5 }),
      survey({ survey_id: 'S2', survey_type: 'nps', scale_min: 0, scale_max: 10, score: 9, channel: 'chat' }),
    ];
    expect(await readParquetRows(encodeParquet(surveysTable, rows))).toEqual(rows);
  });

  it('reads one column, and names the missing one', async () => {
    const bytes = encodeParquet(surveysTable, [
      survey({ survey_id: 'S1', contact_id: '상담-1' }),
      survey({ survey_id: 'S2' }),
      survey({ survey_id: 'S3', contact_id: 'c-3' }),
    ]);
    expect(await readParquetColumn(bytes, 'contact_id')).toEqual(['상담-1', null, 'c-3']);
    await expect(readParquetColumn(bytes, 'client_id')).rejects.toBeInstanceOf(ParquetColumnNotFoundError);
  });

  it('reads from a Uint8Array that is a view into a larger buffer', async () => {
    const bytes = encodeParquet(surveysTable, [survey({ survey_id: 'only' })]);
    const padded = new Uint8Array(bytes.byteLength + 20);
    padded.set(bytes, 10);
    const view = padded.subarray(10, 10 + bytes.byteLength);
    expect(await readParquetColumn(view, 'survey_id')).toEqual(['only']);
  });
});

describe('row validation', () => {
  const table = surveysTable;

  it.each([
    ['a missing required value', { survey_id: null }, 'survey_id', 'is required but missing'],
    ['a number in a string column', { survey_id: 7 }, 'survey_id', 'expected a string, got number'],
    ['a string in a timestamp column', { responded_at: '2026-03-01T00:00:00Z' }, 'responded_at', 'expected a Date, got string'],
    ['an invalid Date', { responded_at: new Date('nope') }, 'responded_at', 'expected a valid Date, got Date'],
    ['a fraction in an int column', { scale_min: 1.5 }, 'scale_min', 'expected a 32-bit integer, got number'],
    ['an int beyond 32 bits', { scale_max: 2 ** 31 }, 'scale_max', 'expected a 32-bit integer, got number'],
    ['a string in a double column', { score: '5' }, 'score', 'expected a number, got string'],
  ])('rejects %s', (_label, override, column, reason) => {
    const error = (() => {
      try {
        encodeParquet(table, [survey({}), { ...survey({}), ...override }]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ParquetRowError);
    expect(error).toMatchObject({ table: 'surveys', column, rowNumber: 1, message: `surveys row 1, column ${column}: ${reason}` });
  });

  it('keeps the file usable after a rejected row', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cspulse-parquet-bad-'));
    try {
      const file = path.join(dir, 'f.parquet');
      const writer = new ParquetFileWriter(file, table);
      writer.append(survey({ survey_id: 'good-1' }));
      expect(() => writer.append(survey({ survey_id: 'bad', score: Number.NaN as unknown as number, scale_min: 0.5 }))).toThrow(
        ParquetRowError,
      );
      writer.append(survey({ survey_id: 'good-2' }));
      expect(await writer.close()).toMatchObject({ rows: 2 });
      expect(await readParquetColumn(new Uint8Array(await readFile(file)), 'survey_id')).toEqual(['good-1', 'good-2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('abort removes the partial file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cspulse-parquet-abort-'));
    try {
      const file = path.join(dir, 'f.parquet');
      const writer = new ParquetFileWriter(file, table, { rowGroupSize: 1 });
      writer.append(survey({}));
      writer.abort();
      await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(() => writer.append(survey({}))).toThrow('is failed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
