import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { QueryError } from '../../../functions/core/ports.ts';
import { contactsTable } from '../../../functions/core/tables.ts';
import { join } from 'node:path';
import { openDuckDbWorkspace } from '../../../functions/adapters/local/duckdb-workspace.ts';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { ingestFile } from '../../../functions/core/ingest/ingest-file.ts';
import { contact, tempLake, writeLakeTable } from '../../core/kpis/lake-fixture.ts';

let lake: string;
let engine: DuckDbEngine;
beforeAll(async () => {
  lake = await tempLake();
  engine = await createDuckDbEngine({ lakeRoot: lake });
});
afterAll(async () => engine.close());

describe('DuckDB query engine', () => {
  it('exposes an empty contacts table with the Athena columns before any file exists', async () => {
    const r = await engine.query('select * from contacts where client_id = ?', ['shop']);
    expect(r.rows).toEqual([]);
    expect(r.columns.map((c) => c.name)).toEqual([...contactsTable.columns, ...contactsTable.partitionKeys].map((c) => c.name));
    // an instant: TIMESTAMPTZ, so that AT TIME ZONE gives the wall clock there, as on Athena
    expect(r.columns.find((c) => c.name === 'arrived_at')!.type).toBe('timestamp with time zone');
  });

  it('sees files written after it started, with client_id and dt as varchar partition keys', async () => {
    await writeLakeTable(lake, 'contacts', [
      { client_id: 'shop', dt: '2026-03-10', row: contact({ contact_id: 'a', arrived_at: new Date('2026-03-09T23:30:00Z'), local_hour: 8, wait_seconds: 12.5 }) },
    ]);
    const r = await engine.query(
      `select client_id, dt, arrived_at, wait_seconds, local_hour, is_transferred, count(*) over () as n,
              cast(dt as date) as d, hour(arrived_at) as utc_hour, 7 / 2 as int_division
       from contacts where client_id = ? and dt between ? and ?`,
      ['shop', '2026-03-10', '2026-03-10'],
    );
    expect(r.rows).toEqual([
      {
        client_id: 'shop',
        dt: '2026-03-10',
        arrived_at: '2026-03-09T23:30:00.000Z',
        wait_seconds: 12.5,
        local_hour: 8,
        is_transferred: false,
        n: 1, // BigInt count → number
        d: '2026-03-10',
        utc_hour: 23, // session zone is UTC whatever the host's
        int_division: 3.5, // DuckDB divides integers to a decimal (Trino would give 3): the SQL always casts
      },
    ]);
    expect(r.columns.find((c) => c.name === 'client_id')!.type).toBe('varchar');
    expect(r.stats.engine).toBe('duckdb');
  });

  it('binds a Date parameter as a timestamp and has the Trino shims', async () => {
    const r = await engine.query(
      `select cast(? as timestamp) as t, date_add('hour', 2, timestamp '2026-03-10 23:00:00') as later,
              to_unixtime(timestamp '1970-01-01 01:00:00') as s, approx_percentile(x, 0.5) as median,
              day_of_week(date '2026-03-15') as sunday
       from (values (1), (2), (3)) as v (x)`,
      [new Date('2026-03-01T09:00:00Z')],
    );
    // zone-less timestamps are wall clocks: no Z
    expect(r.rows).toEqual([{ t: '2026-03-01T09:00:00.000', later: '2026-03-11T01:00:00.000', s: 3600, median: 2, sunday: 7 }]);
  });

  it('gives the wall clock of an instant in a zone as Athena does, whatever the host zone, across a DST change', async () => {
    // Los Angeles springs forward on 2026-03-08 at 10:00 UTC: 01:59:59 PST is followed by 03:00:00 PDT.
    // Seoul has no DST: 2026-03-03 00:00 UTC is 09:00 there (UTC+9).
    const own = await tempLake();
    await writeLakeTable(own, 'contacts', [
      { client_id: 'la', dt: '2026-03-08', row: contact({ contact_id: 'p', arrived_at: new Date('2026-03-08T09:59:59Z'), local_hour: 1 }) },
      { client_id: 'la', dt: '2026-03-08', row: contact({ contact_id: 'q', arrived_at: new Date('2026-03-08T10:00:00Z'), local_hour: 3 }) },
    ]);
    const la = await createDuckDbEngine({ lakeRoot: own });
    const r = await la.query(
      `select contact_id, arrived_at at time zone 'America/Los_Angeles' as at_zone,
              cast(from_unixtime(to_unixtime(arrived_at), 'America/Los_Angeles') as timestamp) as from_unix,
              at_timezone(arrived_at, 'Asia/Seoul') as seoul, to_iso8601(arrived_at) as iso
       from contacts where client_id = ? order by contact_id`,
      ['la'],
    );
    await la.close();
    expect(r.rows).toEqual([
      { contact_id: 'p', at_zone: '2026-03-08T01:59:59.000', from_unix: '2026-03-08T01:59:59.000', seoul: '2026-03-08T18:59:59.000', iso: '2026-03-08T09:59:59.000Z' },
      { contact_id: 'q', at_zone: '2026-03-08T03:00:00.000', from_unix: '2026-03-08T03:00:00.000', seoul: '2026-03-08T19:00:00.000', iso: '2026-03-08T10:00:00.000Z' },
    ]);
  });

  it('raises QueryError with the engine message', async () => {
    await expect(engine.query('select nope from contacts')).rejects.toThrow(QueryError);
  });

  it('prunes partitions on dt: EXPLAIN ANALYZE shows the files read', async () => {
    await writeLakeTable(lake, 'contacts', [
      { client_id: 'shop', dt: '2026-03-11', row: contact({ contact_id: 'b', arrived_at: new Date('2026-03-11T01:00:00Z'), local_hour: 10 }) },
    ]);
    const plan = await engine.explainAnalyze('select count(*) from contacts where client_id = ? and dt between ? and ?', ['shop', '2026-03-11', '2026-03-11']);
    expect(plan).toMatch(/Scanning Files: 1\/2/);
  });

  it('reads the files the ingest writes (lake key layout, Parquet from the ingest) with the Athena types', async () => {
    const root = await tempLake();
    const config = clientConfigSchema.parse({
      id: 'shop',
      name: 'Shop',
      timezone: 'Asia/Seoul',
      sources: [{ id: 'cti', format: 'cspulse-csv', channel: 'phone' }],
      contract: [{ effective_from: '2026-01-01' }],
      recipients: { to: ['lead@example.com'] },
    });
    // 2026-03-09T23:30:00.250Z is 08:30 KST on 2026-03-10
    const csv = 'contact_id,arrived_at,outcome,wait_seconds,is_resolved\ni1,2026-03-09T23:30:00.250Z,answered,7,Y\n';
    await ingestFile(
      {
        lake: createFolderStore(root),
        quarantine: createFolderStore(join(root, '..', 'quarantine')),
        customerKeySecret: 'engine-test-secret-0123456789',
        openWorkspace: openDuckDbWorkspace,
        clock: { now: () => new Date('2026-03-11T00:00:00Z') },
        workDir: join(root, '..', 'work'),
      },
      { config, sourceId: 'cti', file: 'cti.csv', body: (async function* () { yield Buffer.from(csv); })() },
    );
    const own = await createDuckDbEngine({ lakeRoot: root });
    try {
      const r = await own.query('select contact_id, arrived_at, local_hour, wait_seconds, is_resolved, dt, client_id from contacts where client_id = ?', ['shop']);
      expect(r.rows).toEqual([
        { contact_id: 'i1', arrived_at: '2026-03-09T23:30:00.250Z', local_hour: 8, wait_seconds: 7, is_resolved: true, dt: '2026-03-10', client_id: 'shop' },
      ]);
      expect(r.columns.find((c) => c.name === 'arrived_at')?.type).toBe('timestamp with time zone');
    } finally {
      await own.close();
    }
  });
});
