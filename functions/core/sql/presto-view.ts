/**
 * A view as the Glue catalog keeps the views Athena creates, so that a CloudFormation `AWS::Glue::Table` can
 * create one without running `CREATE VIEW` (no custom resource, no Lambda). Athena (Trino) recognizes a view by
 * the table type `VIRTUAL_VIEW` and the parameters `presto_view = true` and `comment = Presto View`, and reads
 * its definition from `ViewOriginalText`: `/* Presto View: <base64 of the JSON of ConnectorViewDefinition> *\/`
 * (trinodb/trino, plugin/trino-hive/src/main/java/io/trino/plugin/hive/ViewReaderUtil.java, `isTrinoView`,
 * `encodeViewData`; core/trino-spi/src/main/java/io/trino/spi/connector/ConnectorViewDefinition.java).
 *
 * Trino checks a stored view against its query when it runs it: the same column names in the same order, and
 * each column's computed type coercible to the stored one, else "View … is stale"
 * (https://docs.aws.amazon.com/athena/latest/ug/considerations-limitations-views.html). The column types come from
 * sql/views/columns.json, which a test keeps equal to what the local engine computes for the same files.
 */
import type { ViewColumn, ViewColumnType } from './config-views.ts';

/** The table type and parameters that make a Glue table a Trino view. */
export const PRESTO_VIEW_TABLE_TYPE = 'VIRTUAL_VIEW';
export const PRESTO_VIEW_PARAMETERS = { presto_view: 'true', comment: 'Presto View' } as const;
export const PRESTO_VIEW_EXPANDED_TEXT = '/* Presto View */';
/** Athena's catalog of the Glue Data Catalog. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/** The Hive type of a view column in the table's storage descriptor (what the Athena console lists). */
export const HIVE_TYPE: Record<ViewColumnType, string> = {
  varchar: 'string',
  double: 'double',
  bigint: 'bigint',
  integer: 'int',
  boolean: 'boolean',
  date: 'date',
  'timestamp(3)': 'timestamp',
};

export interface PrestoViewDefinition {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: ViewColumnType }[];
  /** the view runs with its definer's rights when false; Athena's own views are written so */
  runAsInvoker: false;
  path: [];
}

export function prestoViewDefinition(query: string, schema: string, columns: readonly ViewColumn[]): PrestoViewDefinition {
  return {
    originalSql: query,
    catalog: ATHENA_CATALOG,
    schema,
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    runAsInvoker: false,
    path: [],
  };
}

/** `ViewOriginalText` of a view: the definition's JSON, base64, between the markers Trino looks for. */
export function prestoViewText(definition: PrestoViewDefinition): string {
  return `/* Presto View: ${Buffer.from(JSON.stringify(definition), 'utf8').toString('base64')} */`;
}

/** The definition back from `ViewOriginalText` (tests, and a reader of a deployed view). */
export function decodePrestoViewText(text: string): PrestoViewDefinition {
  const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
  if (!match) throw new Error('not a Presto view text');
  return JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) as PrestoViewDefinition;
}
