import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { fillDdlPlaceholders, renderAllDdl } from '../../../functions/core/sql/athena-ddl.ts';
import { loadSqlCatalog, SQL_DIR } from '../../../functions/core/sql/sql-catalog.ts';
import { createViewsSql } from '../../../functions/core/sql/views.ts';
import { categoryMixParams, contactKpiParams, DEFAULT_SPIKE_RULE, surveyKpiParams } from '../../../functions/core/kpis/kpi-queries.ts';
import { tempLake } from '../kpis/lake-fixture.ts';

async function sqlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await sqlFiles(join(dir, e.name))));
    else if (e.name.endsWith('.sql')) out.push(join(dir, e.name));
  }
  return out.sort();
}

/** `?` outside string literals and comments. */
const placeholders = (sql: string): number =>
  sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''").split('?').length - 1;

describe('sql/ files', () => {
  it('the committed DDL is exactly what tables.ts renders', async () => {
    for (const [path, text] of Object.entries(renderAllDdl())) {
      expect(await readFile(join(SQL_DIR, path), 'utf8'), `sql/${path} is stale: regenerate it`).toBe(text);
    }
  });

  it('the DDL parses as Hive (Athena DDL) with zero errors once the placeholders are filled', async () => {
    for (const [path, text] of Object.entries(renderAllDdl())) {
      const filled = fillDdlPlaceholders(text, { DATABASE: 'cspulse', LAKE_LOCATION: 's3://lake-bucket' });
      expect(filled).not.toContain('${DATABASE}');
      expect(new HiveSQL().validate(filled), path).toEqual([]);
    }
    const contacts = fillDdlPlaceholders(renderAllDdl()['ddl/contacts.sql']!, { DATABASE: 'db', LAKE_LOCATION: 's3://b' });
    expect(contacts).toContain("'storage.location.template' = 's3://b/contacts/client_id=${client_id}/dt=${dt}/'");
    expect(contacts).toContain("PARTITIONED BY (\n  `client_id` string");
  });

  it('every query and view parses as Trino with zero syntax errors', async () => {
    const files = (await sqlFiles(SQL_DIR)).filter((f) => !f.includes('/ddl/'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) expect(new TrinoSQL().validate(await readFile(file, 'utf8')), file).toEqual([]);
  });

  it('no query splices values: parameters are positional and match what the builders pass', async () => {
    const sql = await loadSqlCatalog();
    const version = clientConfigSchema.parse({
      id: 'abc', name: 'x', timezone: 'Asia/Seoul', sources: [{ id: 's', format: 'cspulse-csv' }],
      recipients: { to: ['a@example.com'] }, contract: [{ effective_from: '2026-01-01' }],
    }).contract[0]!;
    const ranges = { current: { start: '2026-03-10', end: '2026-03-10' }, prior: { start: '2026-03-09', end: '2026-03-09' }, week_ago: { start: '2026-03-03', end: '2026-03-03' }, trend: { start: '2026-02-25', end: '2026-03-10' } };
    expect(placeholders(sql['kpis/contact_kpis'])).toBe(contactKpiParams('abc', ranges, version).length);
    expect(placeholders(sql['kpis/survey_kpis'])).toBe(surveyKpiParams('abc', ranges, version).length);
    const six = [0, 1, 2, 3, 4, 5].map(() => ({ start: '2026-03-10', end: '2026-03-10' }));
    expect(placeholders(sql['kpis/category_mix'])).toBe(categoryMixParams('abc', six, DEFAULT_SPIKE_RULE).length);
    for (const text of Object.values(sql)) expect(text).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  describe('on DuckDB with an empty lake', () => {
    let engine: DuckDbEngine;
    beforeAll(async () => {
      engine = await createDuckDbEngine({ lakeRoot: await tempLake() });
    });
    afterAll(async () => engine.close());

    it('runs every KPI query and creates every view', async () => {
      const sql = await loadSqlCatalog();
      const version = clientConfigSchema.parse({
        id: 'abc', name: 'x', timezone: 'Asia/Seoul', sources: [{ id: 's', format: 'cspulse-csv' }],
        recipients: { to: ['a@example.com'] }, contract: [{ effective_from: '2026-01-01' }],
      }).contract[0]!;
      const r = { start: '2026-03-01', end: '2026-03-31' };
      const ranges = { current: r, prior: r, week_ago: r, trend: r };
      expect((await engine.query(sql['kpis/contact_kpis'], contactKpiParams('abc', ranges, version))).rows).toEqual([]);
      expect((await engine.query(sql['kpis/survey_kpis'], surveyKpiParams('abc', ranges, version))).rows).toEqual([]);
      expect((await engine.query(sql['kpis/category_mix'], categoryMixParams('abc', [r, r, r, r, r, r], DEFAULT_SPIKE_RULE))).rows).toEqual([]);
      for (const view of await createViewsSql()) await engine.query(view);
      const local = await engine.query('select * from contacts_local where client_id = ?', ['abc']);
      expect(local.columns.map((c) => c.name)).toContain('arrived_at_local');
      expect((await engine.query('select count(*) as n from surveys_local')).rows).toEqual([{ n: 0 }]);
    });
  });
});
