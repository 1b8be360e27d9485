/**
 * The analyst views in the synthesized data stack: Glue tables of type VIRTUAL_VIEW carrying the Trino view
 * definition Athena reads (trinodb/trino ViewReaderUtil: table type VIRTUAL_VIEW, parameters presto_view = true
 * and comment = Presto View, ViewOriginalText `/* Presto View: <base64 JSON> *\/`), one per view of sql/views/ and
 * per relation of the client configs, created after the database and tables they read.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodePrestoViewText } from '../../functions/core/sql/presto-view.ts';
import { loadViewColumns, splitViewFile } from '../../functions/core/sql/views.ts';
import { readSqlFile, VIEW_SQL_NAMES } from '../../functions/core/sql/sql-catalog.ts';
import { buildApp, type BuiltApp } from '../../infra/build-app.ts';
import { AnalystViews, GLUE_VIEW_TEXT_MAX } from '../../infra/constructs/analyst-views.ts';
import { DeployConfigError } from '../../infra/errors.ts';
import { App, Stack } from 'aws-cdk-lib';
import { ALPHA_YAML, BETA_YAML, writeConfigs } from './fixtures/configs.ts';

const FIXTURE_HANDLER = join(import.meta.dirname, 'fixtures', 'handler.ts');

type Json = Record<string, unknown>;
interface GlueTable {
  DependsOn?: string[];
  Properties: { DatabaseName: string; TableInput: Json & { StorageDescriptor: { Columns: { Name: string; Type: string }[] } } };
}

let built: BuiltApp;
let views: Record<string, GlueTable>;
let configDir: string;

beforeAll(async () => {
  // alpha gets a second contract version, to see it in contract_terms
  configDir = await writeConfigs({
    'alpha.yaml': ALPHA_YAML.replace('  - effective_from: "2026-01-01"', '  - effective_from: "2026-01-01"\n  - effective_from: "2026-04-01"\n    monthly_cost: 3000000'),
    'beta.yaml': BETA_YAML,
  });
  built = await buildApp({
    configDir,
    env: { account: '123456789012', region: 'ap-northeast-2' },
    entries: { collector: FIXTURE_HANDLER, ingest: FIXTURE_HANDLER, report: FIXTURE_HANDLER },
    nag: false,
  });
  const tables = Template.fromStack(built.data).findResources('AWS::Glue::Table') as Record<string, GlueTable>;
  views = Object.fromEntries(
    Object.values(tables)
      .filter((t) => t.Properties.TableInput.TableType === 'VIRTUAL_VIEW')
      .map((t) => [String(t.Properties.TableInput.Name), t]),
  );
});
afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

describe('analyst views in the data stack', () => {
  it('creates every view of sql/views/ and of the configs, as Athena views of the cspulse database', () => {
    expect(Object.keys(views).sort()).toEqual(
      [
        'client_settings', 'client_sources', 'contract_targets', 'contract_terms',
        'contacts_classified', 'contacts_local', 'kpi_daily', 'kpi_hourly', 'repeat_contacts', 'sla_daily', 'surveys_local',
      ].sort(),
    );
    for (const [name, view] of Object.entries(views)) {
      expect(view.Properties.DatabaseName, name).toBe('cspulse');
      expect(view.Properties.TableInput, name).toMatchObject({
        TableType: 'VIRTUAL_VIEW',
        Parameters: { presto_view: 'true', comment: 'Presto View' },
        ViewExpandedText: '/* Presto View */',
        PartitionKeys: [],
      });
      // created after the database and the lake tables
      expect(view.DependsOn?.length, name).toBeGreaterThanOrEqual(3);
    }
  });

  it("holds each file's query and its recorded columns, in the catalog and schema Athena resolves the table names in", async () => {
    const columns = await loadViewColumns();
    for (const file of VIEW_SQL_NAMES) {
      const { name, query } = splitViewFile(await readSqlFile(file), file);
      const input = views[name]!.Properties.TableInput;
      const definition = decodePrestoViewText(String(input.ViewOriginalText));
      expect(definition, name).toEqual({ originalSql: query, catalog: 'awsdatacatalog', schema: 'cspulse', columns: columns[name], runAsInvoker: false, path: [] });
      expect(definition.originalSql).not.toMatch(/create or replace view/);
      // the console's column list, in Hive types
      expect(input.StorageDescriptor.Columns.length).toBe(columns[name]!.length);
    }
    const kpi = views.kpi_daily!.Properties.TableInput.StorageDescriptor.Columns;
    expect(kpi.slice(0, 4)).toEqual([
      { Name: 'client_id', Type: 'string' },
      { Name: 'dt', Type: 'string' },
      { Name: 'channel', Type: 'string' },
      { Name: 'inbound', Type: 'bigint' },
    ]);
    const local = views.contacts_local!.Properties.TableInput.StorageDescriptor.Columns;
    expect(local.find((c) => c.Name === 'arrived_at_local')).toEqual({ Name: 'arrived_at_local', Type: 'timestamp' });
    expect(local.find((c) => c.Name === 'local_hour')).toEqual({ Name: 'local_hour', Type: 'int' });
  });

  it("writes each client's contract versions into contract_terms, with the dates they apply to", () => {
    const sql = decodePrestoViewText(String(views.contract_terms!.Properties.TableInput.ViewOriginalText)).originalSql;
    expect(sql).toContain("('alpha', '2026-01-01', '0000-01-01', '2026-03-31', 'phone', cast(20 as double)");
    expect(sql).toContain("('alpha', '2026-04-01', '2026-04-01', '9999-12-31', 'phone', cast(20 as double)");
    expect(sql).toContain("cast(3000000 as double))");
    expect(sql).toContain("('beta', '2026-01-01', '0000-01-01', '9999-12-31', 'email', cast(86400 as double)");
    const settings = decodePrestoViewText(String(views.client_settings!.Properties.TableInput.ViewOriginalText));
    expect(settings.originalSql).toContain("('alpha', 'Asia/Seoul'),\n    ('beta', 'America/New_York')");
    expect(settings.columns).toEqual([{ name: 'client_id', type: 'varchar' }, { name: 'timezone', type: 'varchar' }]);
  });

  it('refuses a view Glue could not hold, and a view without recorded columns, naming it', () => {
    const stack = new Stack(new App(), 'T');
    const big = { name: 'contract_terms', file: null, query: `select 1 as x from (values ${'(1),'.repeat(GLUE_VIEW_TEXT_MAX / 4)}(1)) as t (x)`, columns: [{ name: 'x', type: 'bigint' as const }] };
    expect(() => new AnalystViews(stack, 'Big', { databaseName: 'cspulse', dependsOn: [], views: [big] })).toThrow(DeployConfigError);
    expect(() => new AnalystViews(stack, 'Big2', { databaseName: 'cspulse', dependsOn: [], views: [big] })).toThrow(/view contract_terms is \d+ bytes as Glue keeps it, over Glue's 409600/);
    const bare = { name: 'kpi_new', file: 'views/kpi_new', query: 'select 1', columns: [] };
    expect(() => new AnalystViews(stack, 'Bare', { databaseName: 'cspulse', dependsOn: [], views: [bare] })).toThrow(/view kpi_new has no columns in sql\/views\/columns.json/);
  });
});
