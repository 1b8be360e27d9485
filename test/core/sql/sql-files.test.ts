import { hourCategoriesQuery, hourlyDriversQuery } from '../../../functions/core/kpis/hourly-drivers.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { InlineTableContext, ParameterContext, QuerySpecificationContext, WhereClauseContext } from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { fillDdlPlaceholders, renderAllDdl } from '../../../functions/core/sql/athena-ddl.ts';
import { loadSqlCatalog, SQL_DIR } from '../../../functions/core/sql/sql-catalog.ts';
import { createViewsSql } from '../../../functions/core/sql/views.ts';
import { categoryMixQuery, contactKpiQuery, DEFAULT_SPIKE_RULE, EMPTY_RANGE, surveyCommentsQuery, surveyKpiQuery } from '../../../functions/core/kpis/kpi-queries.ts';
import { templateSlots } from '../../../functions/core/sql/sql-literal.ts';
import { tempLake } from '../kpis/lake-fixture.ts';
import { intradayQuery } from '../../../functions/core/live/intraday-query.ts';
import { liveWindow } from '../../../functions/core/live/live-days.ts';

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

/**
 * Where each `?` of a statement stands, by the Trino grammar: for every parameter, the nearest enclosing WHERE
 * clause, SELECT (query specification: select list, FROM, JOIN … ON, GROUP BY, HAVING) or VALUES list. Athena
 * accepts execution parameters only in a WHERE clause (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
 */
interface TreeNode {
  getChildCount(): number;
  getChild(i: number): TreeNode | null;
}
function parameterPlaces(sql: string): ('where' | 'select' | 'values')[] {
  const tree = new TrinoSQL().parse(sql) as unknown as TreeNode;
  const places: ('where' | 'select' | 'values')[] = [];
  const walk = (node: TreeNode, nearest: 'where' | 'select' | 'values' | null) => {
    let here = nearest;
    if (node instanceof WhereClauseContext) here = 'where';
    else if (node instanceof QuerySpecificationContext) here = 'select';
    else if (node instanceof InlineTableContext) here = 'values';
    if (node instanceof ParameterContext) places.push(here ?? 'select');
    for (let i = 0; i < node.getChildCount(); i++) {
      const child = node.getChild(i);
      if (child !== null) walk(child, here);
    }
  };
  walk(tree, null);
  return places;
}

/** Athena's console takes at most 25 execution parameters per query (same page). */
const ATHENA_MAX_PARAMETERS = 25;

const version = clientConfigSchema.parse({
  id: 'abc', name: 'x', timezone: 'Asia/Seoul', sources: [{ id: 's', format: 'cspulse-csv' }],
  recipients: { to: ['a@example.com'] }, contract: [{ effective_from: '2026-01-01' }],
}).contract[0]!;
const day = (d: string) => ({ start: d, end: d });
const dailyRanges = { current: day('2026-03-10'), prior: day('2026-03-09'), week_ago: day('2026-03-03'), trend: { start: '2026-02-25', end: '2026-03-10' } };

/** Every KPI query as the report binds it: literal slots filled, `?` parameters alongside. */
async function boundQueries(ranges = dailyRanges) {
  const sql = await loadSqlCatalog();
  const six = [0, 1, 2, 3, 4, 5].map((i) => day(`2026-03-1${i}`));
  return {
    'kpis/contact_kpis': contactKpiQuery(sql['kpis/contact_kpis'], 'abc', ranges, version, ['cti', 'connect-main']),
    'kpis/survey_kpis': surveyKpiQuery(sql['kpis/survey_kpis'], 'abc', ranges, version),
    'kpis/category_mix': categoryMixQuery(sql['kpis/category_mix'], 'abc', six, DEFAULT_SPIKE_RULE),
    'kpis/survey_comments': surveyCommentsQuery(sql['kpis/survey_comments'], 'abc', ranges.current),
    'kpis/hourly_drivers': hourlyDriversQuery(sql['kpis/hourly_drivers'], 'abc', { kind: 'monthly', start: '2026-03-01', end: '2026-03-31' }, version),
    'kpis/hour_categories': hourCategoriesQuery(sql['kpis/hour_categories'], 'abc', { kind: 'daily', ...ranges.current }),
    'live/intraday': intradayQuery(sql['live/intraday'], 'abc', liveWindow(new Date('2026-03-10T02:00:00Z'), 'Asia/Seoul'), version),
  };
}

describe('the placeholder check', () => {
  it('tells a parameter in a WHERE clause from one in a select list, a VALUES list or a join condition', () => {
    expect(parameterPlaces('select a from t where b = ? and c between ? and ?')).toEqual(['where', 'where', 'where']);
    expect(parameterPlaces('select ? as a from t')).toEqual(['select']);
    expect(parameterPlaces("select * from (values ('x', ?)) as v (a, b)")).toEqual(['values']);
    expect(parameterPlaces('select a from t join u on t.a = u.a and u.b = ? where t.c = ?')).toEqual(['select', 'where']);
    // a subquery inside a WHERE clause has its own select list
    expect(parameterPlaces('select a from t where b in (select ? from u where c = ?)')).toEqual(['select', 'where']);
    expect(parameterPlaces('with p as (select x from t where y = ?) select x, ? from p')).toEqual(['where', 'select']);
  });
});

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

  it('every query and view parses as Trino with zero syntax errors once its literal slots are filled', async () => {
    const files = (await sqlFiles(SQL_DIR)).filter((f) => !f.includes('/ddl/'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const bound: Record<string, { sql: string }> = await boundQueries();
    for (const file of files) {
      const name = file.slice(SQL_DIR.length).replace(/^\//, '').replace(/\.sql$/, '');
      const text = bound[name]?.sql ?? (await readFile(file, 'utf8'));
      expect(templateSlots(text), file).toEqual([]);
      expect(new TrinoSQL().validate(text), file).toEqual([]);
    }
  });

  it('every ? of every SQL file stands in a WHERE clause, at most 25 per file, as Athena requires', async () => {
    const files = (await sqlFiles(SQL_DIR)).filter((f) => !f.includes('/ddl/'));
    const bound: Record<string, { sql: string }> = await boundQueries();
    const counts: Record<string, number> = {};
    for (const file of files) {
      const name = file.slice(SQL_DIR.length).replace(/^\//, '').replace(/\.sql$/, '');
      const places = parameterPlaces(bound[name]?.sql ?? (await readFile(file, 'utf8')));
      counts[name] = places.length;
      expect(places.filter((p) => p !== 'where'), `${file}: ? outside a WHERE clause`).toEqual([]);
      expect(places.length, file).toBeLessThanOrEqual(ATHENA_MAX_PARAMETERS);
    }
    // client_id + scan range, client_id + probe range; client_id + scan range; client_id + six ranges; client_id + five dates
    expect(counts).toMatchObject({ 'kpis/contact_kpis': 6, 'kpis/survey_kpis': 3, 'kpis/category_mix': 13, 'kpis/survey_comments': 6, 'kpis/hourly_drivers': 3, 'kpis/hour_categories': 3, 'live/intraday': 6 });
  });

  it('no query splices a free value: parameters match what the builders pass, literals are numbers, enum members and dates', async () => {
    for (const [name, q] of Object.entries(await boundQueries())) {
      expect(placeholders(q.sql), name).toBe(q.params.length);
      // no `?` in a comment either: a `?` there made a count of the text's placeholders one above the parameters
      expect((q.sql.match(/--[^\n]*/g) ?? []).filter((c) => c.includes('?')), `${name}: a ? in a comment`).toEqual([]);
      // the client id is always a parameter, never text
      expect(q.sql, name).not.toContain("'abc'");
      expect(q.params[0], name).toBe('abc');
    }
    const raw = await loadSqlCatalog();
    for (const text of Object.values(raw)) expect(text).not.toMatch(/20\d\d-\d\d-\d\d/);
    const { 'kpis/contact_kpis': contacts } = await boundQueries();
    // phone: T 20 s, S 5 s, the default formula; repeat 24 h, FCR 72 h as seconds
    expect(contacts.sql).toContain("('phone', cast(20 as double), cast(5 as double), 'answered_within_over_offered_less_short')");
    expect(contacts.sql).toContain('cast(86400 as double) as repeat_window_seconds');
    expect(contacts.sql).toContain('cast(259200 as double) as fcr_window_seconds');
    expect(contacts.sql).toContain("('current', '2026-03-10', '2026-03-10')");
    // a daily report: scan from 2 days before the trend start to 4 days after the report day
    expect(contacts.params).toEqual(['abc', '2026-02-23', '2026-03-14', 'abc', '2026-03-10', '2026-03-17']);
  });

  describe('on DuckDB with an empty lake', () => {
    let engine: DuckDbEngine;
    beforeAll(async () => {
      engine = await createDuckDbEngine({ lakeRoot: await tempLake() });
    });
    afterAll(async () => engine.close());

    it('runs every KPI query and creates every view', async () => {
      const r = { start: '2026-03-01', end: '2026-03-31' };
      const queries = await boundQueries({ current: r, prior: r, week_ago: EMPTY_RANGE, trend: r });
      for (const [name, q] of Object.entries(queries)) expect((await engine.query(q.sql, q.params)).rows, name).toEqual([]);
      for (const view of await createViewsSql([])) await engine.query(view);
      const local = await engine.query('select * from contacts_local where client_id = ?', ['abc']);
      expect(local.columns.map((c) => c.name)).toContain('arrived_at_local');
      expect((await engine.query('select count(*) as n from surveys_local')).rows).toEqual([{ n: 0 }]);
    });
  });
});
