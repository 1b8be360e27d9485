/**
 * The analyst views as Glue catalog views, created with the stack: no `CREATE VIEW` to run by hand, no custom
 * resource and no Lambda. A view Athena created is a Glue table of type VIRTUAL_VIEW whose ViewOriginalText holds
 * the Trino view definition (functions/core/sql/presto-view.ts); CloudFormation creates such a table like any
 * other (AWS::Glue::Table; ViewOriginalText and PartitionKeys in https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-tables.html),
 * and Athena lists and runs it as a view of the database (https://docs.aws.amazon.com/athena/latest/ug/views.html).
 */
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

import {
  HIVE_TYPE,
  PRESTO_VIEW_EXPANDED_TEXT,
  PRESTO_VIEW_PARAMETERS,
  PRESTO_VIEW_TABLE_TYPE,
  prestoViewDefinition,
  prestoViewText,
} from '../../functions/core/sql/presto-view.ts';
import type { AnalystView } from '../../functions/core/sql/views.ts';
import { DeployConfigError } from '../errors.ts';

/** Glue's limit on ViewOriginalText: "UTF-8 string, not more than 409600 bytes long" (Table API, as above). */
export const GLUE_VIEW_TEXT_MAX = 409_600;

export interface AnalystViewsProps {
  databaseName: string;
  /** what the views read: created first */
  dependsOn: readonly (glue.CfnDatabase | glue.CfnTable)[];
  views: readonly AnalystView[];
}

/** The table's description: where the view comes from. */
const viewDescription = (view: AnalystView): string =>
  view.file === null ? `cspulse analyst view ${view.name}, from the client configs` : `cspulse analyst view ${view.name} (sql/${view.file}.sql)`;

export class AnalystViews extends Construct {
  readonly tables: Record<string, glue.CfnTable> = {};

  constructor(scope: Construct, id: string, props: AnalystViewsProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    for (const view of props.views) {
      if (view.columns.length === 0) {
        throw new DeployConfigError(`view ${view.name} has no columns in sql/views/columns.json: run its test to record them`, 'sql/views/columns.json');
      }
      const text = prestoViewText(prestoViewDefinition(view.query, props.databaseName, view.columns));
      if (Buffer.byteLength(text, 'utf8') > GLUE_VIEW_TEXT_MAX) {
        throw new DeployConfigError(
          `view ${view.name} is ${Buffer.byteLength(text, 'utf8')} bytes as Glue keeps it, over Glue's ${GLUE_VIEW_TEXT_MAX}: ` +
            'fewer contract versions or clients per deployment',
          view.file === null ? 'clients/' : `sql/${view.file}.sql`,
        );
      }
      const table = new glue.CfnTable(this, `View-${view.name}`, {
        catalogId,
        databaseName: props.databaseName,
        tableInput: {
          name: view.name,
          description: viewDescription(view),
          tableType: PRESTO_VIEW_TABLE_TYPE,
          parameters: { ...PRESTO_VIEW_PARAMETERS },
          viewOriginalText: text,
          viewExpandedText: PRESTO_VIEW_EXPANDED_TEXT,
          partitionKeys: [],
          storageDescriptor: {
            columns: view.columns.map((c) => ({ name: c.name, type: HIVE_TYPE[c.type] })),
            serdeInfo: {},
          },
        },
      });
      for (const d of props.dependsOn) table.addResourceDependency(d);
      this.tables[view.name] = table;
    }
  }
}
