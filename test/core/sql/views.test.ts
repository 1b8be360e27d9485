import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { loadClientConfigs } from '../../../functions/core/config/load-configs.ts';
import { configRelationQuery, configRelations, type ViewColumnType } from '../../../functions/core/sql/config-views.ts';
import { SqlTemplateError } from '../../../functions/core/sql/errors.ts';
import { SQL_DIR } from '../../../functions/core/sql/sql-catalog.ts';
import { analystViews, createViewStatement, splitViewFile, VIEW_COLUMNS_FILE } from '../../../functions/core/sql/views.ts';
import { tempLake } from '../kpis/lake-fixture.ts';

const twoVersions = clientConfigSchema.parse({
  id: 'shop-2',
  name: '가게 "둘"', // free text of the config: never in SQL
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'cti', format: 'cspulse-csv' },
    { id: 'chat', format: 'mapped-csv', channel: 'chat', fields: { contact_id: 'id', arrived_at: { column: 'at', format: 'iso' } } },
    { id: 'surveys', format: 'mapped-survey-csv', fields: { survey_id: 'id', survey_type: 'type', score: 'score', responded_at: { column: 'at', format: 'iso' } } },
  ],
  recipients: { to: ['a@example.com'] },
  contract: [
    { effective_from: '2026-01-01', targets: [{ kpi: 'asa_seconds', channel: 'chat', op: '<=', value: 30, label: "it's a label" }] },
    { effective_from: '2026-03-01', monthly_cost: 5_000_000, channels: { phone: { service_level_seconds: 30 } }, repeat_window_hours: 48 },
  ],
});

describe('the config relations', () => {
  const relations = Object.fromEntries(configRelations([twoVersions]).map((r) => [r.name, r]));

  it('has one row per client, per contact source, per version × channel and per target', () => {
    expect(relations.client_settings!.rows.length).toBe(1);
    expect(relations.client_sources!.rows.length).toBe(2); // the survey source has no contacts
    expect(relations.contract_terms!.rows.length).toBe(8); // 2 versions × 4 channels
    expect(relations.contract_targets!.rows.length).toBe(1);
  });

  it('writes each version with the dates it applies to: the first from the beginning, each to the day before the next', () => {
    const query = configRelationQuery(relations.contract_terms!);
    // version 1, phone: the defaults (T 20 s, S 5 s, 24 h, 60 min, 72 h, CSAT 4, CES 5), no cost
    expect(query).toContain(
      "('shop-2', '2026-01-01', '0000-01-01', '2026-02-28', 'phone', cast(20 as double), cast(5 as double), 'answered_within_over_offered_less_short', " +
        'cast(86400 as double), cast(3600 as double), cast(259200 as double), cast(4 as double), cast(5 as double), null)',
    );
    // version 2, phone: T 30 s, repeat window 48 h, ₩5,000,000 a month, open-ended
    expect(query).toContain(
      "('shop-2', '2026-03-01', '2026-03-01', '9999-12-31', 'phone', cast(30 as double), cast(5 as double), 'answered_within_over_offered_less_short', " +
        'cast(172800 as double), cast(3600 as double), cast(259200 as double), cast(4 as double), cast(5 as double), cast(5000000 as double))',
    );
    expect(configRelationQuery(relations.contract_targets!)).toContain(
      "('shop-2', '2026-01-01', '0000-01-01', '2026-02-28', cast(1 as double), 'asa_seconds', 'chat', '<=', cast(30 as double))",
    );
    expect(configRelationQuery(relations.client_sources!)).toContain("('shop-2', 'cti', true),\n    ('shop-2', 'chat', false)");
    expect(configRelationQuery(relations.client_settings!)).toContain("('shop-2', 'Asia/Seoul')");
  });

  it('never writes the config free text into SQL', () => {
    const all = configRelations([twoVersions]).map(configRelationQuery).join('\n');
    expect(all).not.toContain('가게');
    expect(all).not.toContain("it's");
  });

  it('gives a relation without rows its typed columns', () => {
    const empty = configRelations([]).find((r) => r.name === 'contract_targets')!;
    expect(configRelationQuery(empty)).toBe(
      'select cast(null as varchar) as client_id, cast(null as varchar) as effective_from, cast(null as varchar) as applies_from, ' +
        'cast(null as varchar) as effective_to, cast(null as bigint) as target_index, cast(null as varchar) as kpi, ' +
        'cast(null as varchar) as channel, cast(null as varchar) as op, cast(null as double) as target_value where false',
    );
  });
});

describe('view files', () => {
  it('name their view on a create line, and a file creating another view is refused', () => {
    expect(splitViewFile('-- x\ncreate or replace view kpi_daily as\nwith a as (select 1)\nselect * from a\n', 'views/kpi_daily')).toEqual({
      name: 'kpi_daily',
      query: 'with a as (select 1)\nselect * from a',
    });
    expect(() => splitViewFile('create or replace view other as select 1', 'views/kpi_daily')).toThrow(SqlTemplateError);
    expect(() => splitViewFile('select 1', 'views/kpi_daily')).toThrow(/no "create or replace view kpi_daily as" line/);
  });
});

/**
 * The Athena (Trino) type of a column, from the type the local engine gives it: the lake's instants are
 * TIMESTAMPTZ locally and `timestamp` (precision 3) on Athena. Any other type (DuckDB's HUGEINT sum, a DECIMAL)
 * has no sure Trino twin: the view must cast it.
 */
function trinoType(duckType: string, where: string): ViewColumnType {
  const map: Record<string, ViewColumnType> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    INTEGER: 'integer',
    DOUBLE: 'double',
    BOOLEAN: 'boolean',
    DATE: 'date',
    TIMESTAMP: 'timestamp(3)',
    'TIMESTAMP WITH TIME ZONE': 'timestamp(3)',
  };
  const t = map[duckType];
  if (t === undefined) throw new Error(`${where}: DuckDB type ${duckType} has no sure Athena twin: cast it in the view`);
  return t;
}

describe('sql/views/columns.json', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await createDuckDbEngine({ lakeRoot: await tempLake() });
  });
  afterAll(async () => engine.close());

  it('holds the columns and types each view file has on the engine (regenerate with vitest -u)', async () => {
    const views = await analystViews(await loadClientConfigs('clients'));
    const columns: Record<string, { name: string; type: ViewColumnType }[]> = {};
    for (const view of views) {
      await engine.query(createViewStatement(view));
      const described = (await engine.query(`describe ${view.name}`)).rows;
      const types = described.map((r) => ({ name: String(r.column_name), type: trinoType(String(r.column_type), `${view.name}.${String(r.column_name)}`) }));
      if (view.file === null) expect(types, view.name).toEqual(view.columns);
      else columns[view.name] = types;
    }
    // one column a line, so that a diff shows the column that changed
    const text = `{\n${Object.entries(columns)
      .map(([name, cols]) => `  ${JSON.stringify(name)}: [\n${cols.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]`)
      .join(',\n')}\n}\n`;
    expect(JSON.parse(text)).toEqual(columns);
    await expect(text).toMatchFileSnapshot(`${SQL_DIR}/${VIEW_COLUMNS_FILE}`);
  });
});
