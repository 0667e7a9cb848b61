/**
 * Analytics: the Glue database and tables Athena queries, built from `athena/tables/*.sql`
 * at synth time (lib/ddl.ts reads them, so the SQL stays the single source of truth), and
 * the Athena workgroup the query steps run in, with results in `query-results/` and a cap
 * on the bytes one query may scan.
 */

import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TableDefinition, glueType, readCatalog, withBucket } from './ddl';

/** The Athena workgroup's name (the query steps' `ATHENA_WORKGROUP`). */
export const WORKGROUP_NAME = 'linkedin-ads';

/** Where Athena writes results, relative to the data bucket; poll-results reports keys there. */
export const QUERY_RESULTS_PREFIX = 'query-results/';

export interface AnalyticsProps {
  readonly bucket: s3.IBucket;
  /** The directory of the DDL files: the repository's `athena/tables`. */
  readonly tablesDir: string;
  /** Athena cancels a query scanning more than this. */
  readonly bytesScannedCutoffPerQuery: number;
}

export class Analytics extends Construct {
  /** The Glue database (the query steps' `ATHENA_DATABASE`), as `database.sql` names it. */
  readonly databaseName: string;
  /** The tables, as read from their DDL. */
  readonly tables: readonly TableDefinition[];
  readonly workGroupName = WORKGROUP_NAME;
  readonly workGroupArn: string;
  /** The Glue catalog, database and table ARNs, for the query steps' Glue reads. */
  readonly glueArns: readonly string[];

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const catalog = readCatalog(props.tablesDir);
    this.databaseName = catalog.database;
    this.tables = catalog.tables;

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: catalog.database,
        description: 'LinkedIn Ads performance history (athena/tables); partitions are projected, never added.',
      },
    });
    for (const table of catalog.tables) {
      const resource = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: stack.account,
        databaseName: catalog.database,
        tableInput: glueTableInput(table, props.bucket.bucketName),
      });
      resource.addResourceDependency(database);
    }

    new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: WORKGROUP_NAME,
      description: 'The optimizer\'s queries (start-athena-query, poll-results); settings enforced.',
      state: 'ENABLED',
      // Deleting the stack deletes the workgroup with its query history; results stay in S3.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.bucket.bucketName}/${QUERY_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: WORKGROUP_NAME });
    this.glueArns = [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: catalog.database }),
      ...catalog.tables.map((table) =>
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${catalog.database}/${table.name}` }),
      ),
    ];
  }
}

/** Input and output formats of each storage format, as Athena's own DDL records them. */
const FORMATS = {
  parquet: {
    classification: 'parquet',
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  },
  'json-lines': {
    classification: 'json',
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  },
} as const;

/** The Glue table one DDL statement describes, in the data bucket `bucketName`: the same
 * columns, partition keys, location, SerDe and table properties (partition projection). */
export function glueTableInput(table: TableDefinition, bucketName: string): glue.CfnTable.TableInputProperty {
  const format = FORMATS[table.format];
  const properties: Record<string, string> = { EXTERNAL: 'TRUE', classification: format.classification };
  for (const [key, value] of Object.entries(table.properties)) {
    properties[key] = withBucket(value, bucketName);
  }
  return {
    name: table.name,
    tableType: 'EXTERNAL_TABLE',
    parameters: properties,
    partitionKeys: table.partitionKeys.map((key) => ({ name: key.name, type: glueType(key.type) })),
    storageDescriptor: {
      columns: table.columns.map((column) => ({ name: column.name, type: glueType(column.type) })),
      location: withBucket(table.location, bucketName),
      inputFormat: format.inputFormat,
      outputFormat: format.outputFormat,
      compressed: false,
      storedAsSubDirectories: false,
      serdeInfo: { serializationLibrary: table.serde, parameters: { 'serialization.format': '1' } },
    },
  };
}
