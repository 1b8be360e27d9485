/**
 * Glue tables for the lake, built from the same column definitions the Parquet writer and the sql/ DDL use
 * (functions/core/tables.ts). Partitions are found by projection, not by crawlers or MSCK REPAIR: `client_id`
 * is injected (every query must say which client, which also keeps one client's query from scanning
 * another's files) and `dt` is a date range from 1970 to one day past today in UTC (PROJECTION_DT_RANGE).
 */
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { PROJECTION_DT_RANGE } from '../../functions/core/sql/athena-ddl.ts';
import { lakeTables, sqlType, type TableDef } from '../../functions/core/tables.ts';

/** Table properties of a lake table; the keys are the ones in sql/ddl/<table>.sql. */
export function projectionParameters(table: TableDef, lakeLocation: string): Record<string, string> {
  return {
    classification: 'parquet',
    'parquet.compression': 'SNAPPY',
    'projection.enabled': 'true',
    'projection.client_id.type': 'injected',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': PROJECTION_DT_RANGE,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'storage.location.template': `${lakeLocation}/${table.name}/client_id=\${client_id}/dt=\${dt}/`,
  };
}

export interface LakeTablesProps {
  databaseName: string;
  lakeBucket: s3.IBucket;
}

export class LakeTables extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables: Record<string, glue.CfnTable> = {};

  constructor(scope: Construct, id: string, props: LakeTablesProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: props.databaseName, description: 'cspulse contact-center lake' },
    });
    const lakeLocation = `s3://${props.lakeBucket.bucketName}`;
    for (const table of Object.values(lakeTables)) {
      const cfn = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId,
        databaseName: props.databaseName,
        tableInput: {
          name: table.name,
          description: table.comment,
          tableType: 'EXTERNAL_TABLE',
          parameters: projectionParameters(table, lakeLocation),
          partitionKeys: table.partitionKeys.map((c) => ({ name: c.name, type: sqlType[c.type], comment: c.comment })),
          storageDescriptor: {
            location: `${lakeLocation}/${table.name}/`,
            columns: table.columns.map((c) => ({ name: c.name, type: sqlType[c.type], comment: c.comment })),
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          },
        },
      });
      cfn.addResourceDependency(this.database);
      this.tables[table.name] = cfn;
    }
  }
}
