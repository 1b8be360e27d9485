/**
 * The README's ad hoc questions stay runnable: each SQL block of "Ad hoc queries" parses with the Trino grammar
 * (Athena) and runs on the local engine with the analyst views, so a view change that breaks one fails here. (The
 * outputs shown come from the 90-day demo lake, which takes too long to build in the suite.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../functions/adapters/local/duckdb-engine.ts';
import { loadClientConfigs } from '../../functions/core/config/load-configs.ts';
import { createViewsSql } from '../../functions/core/sql/views.ts';
import { tempLake } from '../core/kpis/lake-fixture.ts';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Ad hoc queries'), readme.indexOf('## Deploying'));
const queries = [...section.matchAll(/```sql\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ lakeRoot: await tempLake() });
  for (const statement of await createViewsSql(await loadClientConfigs('clients'))) await engine.query(statement);
});
afterAll(async () => engine.close());

describe("the README's ad hoc questions", () => {
  it('are five, each on the views and one client', () => {
    expect(queries.length).toBe(5);
    for (const q of queries) expect(q).toMatch(/where client_id = 'example'/);
  });

  it('parse as Trino and run on the local engine', async () => {
    for (const q of queries) {
      expect(new TrinoSQL().validate(q), q.slice(0, 60)).toEqual([]);
      await expect(engine.query(q), q.slice(0, 60)).resolves.toBeDefined();
    }
  });
});
