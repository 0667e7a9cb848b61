// lib/ddl.ts: the athena/tables DDL read into columns, partition keys, location, format and
// properties — the real files first, then each construct the reader accepts or refuses.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { glueTableInput } from '../lib/analytics';
import { glueType, parseDatabase, parseTable, readCatalog, withBucket } from '../lib/ddl';
import { REPOSITORY_ROOT } from './support';

const TABLES_DIR = path.join(REPOSITORY_ROOT, 'athena', 'tables');

describe('the athena/tables files', () => {
  const catalog = readCatalog(TABLES_DIR);
  const table = (name: string) => catalog.tables.find((t) => t.name === name)!;

  test('name the linkedin_ads database and its four tables, each from its own file', () => {
    assert.equal(catalog.database, 'linkedin_ads');
    assert.deepEqual(
      catalog.tables.map((t) => t.name),
      ['campaigns', 'creative_daily', 'creatives', 'optimizer_actions'],
    );
  });

  test('creative_daily reads as Parquet partitioned by dt and account_id, columns in file order', () => {
    const daily = table('creative_daily');
    assert.equal(daily.format, 'parquet');
    assert.equal(daily.serde, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.equal(daily.location, 's3://${bucket}/processed/creative_daily/');
    assert.equal(daily.prefix, 'processed/creative_daily/');
    assert.deepEqual(daily.partitionKeys, [
      { name: 'dt', type: 'STRING' },
      { name: 'account_id', type: 'STRING' },
    ]);
    assert.equal(daily.columns.length, 19);
    assert.deepEqual(daily.columns[0], { name: 'campaign_id', type: 'BIGINT' });
    assert.deepEqual(daily.columns[5], { name: 'cost_in_usd', type: 'DECIMAL(38,18)' });
    assert.deepEqual(daily.columns[18], { name: 'collected_at', type: 'TIMESTAMP' });
    assert.equal(daily.properties['projection.dt.type'], 'date');
    assert.equal(daily.properties['projection.dt.range'], '2020-01-01,NOW');
    assert.equal(daily.properties['projection.account_id.type'], 'injected');
    assert.equal(
      daily.properties['storage.location.template'],
      's3://${bucket}/processed/creative_daily/dt=${dt}/account_id=${account_id}',
    );
  });

  test('every column name of the DDL text reaches the definition, none invented', () => {
    for (const definition of catalog.tables) {
      const sql = fs.readFileSync(path.join(TABLES_DIR, `${definition.name}.sql`), 'utf8');
      const body = sql.replace(/--.*$/gm, '');
      for (const column of [...definition.columns, ...definition.partitionKeys]) {
        assert.match(body, new RegExp(`\\b${column.name}\\s+${column.type.replace(/[()]/g, '\\$&')}`, 'i'));
      }
    }
  });

  test('optimizer_actions reads as unpartitioned JSON lines under logs/optimizer_actions/', () => {
    const actions = table('optimizer_actions');
    assert.equal(actions.format, 'json-lines');
    assert.equal(actions.serde, 'org.openx.data.jsonserde.JsonSerDe');
    assert.equal(actions.prefix, 'logs/optimizer_actions/');
    assert.deepEqual(actions.partitionKeys, []);
    assert.deepEqual(actions.properties, {});
    assert.equal(actions.columns.length, 12);
  });

  test('the Parquet tables live under processed/, which the query steps may read', () => {
    for (const definition of catalog.tables.filter((t) => t.format === 'parquet')) {
      assert.ok(definition.prefix.startsWith('processed/'), definition.name);
    }
  });

  test('become Glue tables with the same columns, keys, SerDe and projection, ${bucket} filled in', () => {
    const input = glueTableInput(table('creative_daily'), 'data-bucket');
    assert.equal(input.tableType, 'EXTERNAL_TABLE');
    assert.deepEqual(input.partitionKeys, [
      { name: 'dt', type: 'string' },
      { name: 'account_id', type: 'string' },
    ]);
    const descriptor = input.storageDescriptor as Record<string, any>;
    assert.equal(descriptor.location, 's3://data-bucket/processed/creative_daily/');
    assert.equal(descriptor.inputFormat, 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    assert.equal(descriptor.serdeInfo.serializationLibrary, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.deepEqual(descriptor.columns[5], { name: 'cost_in_usd', type: 'decimal(38,18)' });
    const parameters = input.parameters as Record<string, string>;
    assert.equal(parameters.EXTERNAL, 'TRUE');
    assert.equal(parameters['projection.enabled'], 'true');
    assert.equal(
      parameters['storage.location.template'],
      's3://data-bucket/processed/creative_daily/dt=${dt}/account_id=${account_id}',
    );

    const json = glueTableInput(table('optimizer_actions'), 'data-bucket');
    const jsonDescriptor = json.storageDescriptor as Record<string, any>;
    assert.equal(jsonDescriptor.inputFormat, 'org.apache.hadoop.mapred.TextInputFormat');
    assert.equal(jsonDescriptor.serdeInfo.serializationLibrary, 'org.openx.data.jsonserde.JsonSerDe');
    assert.equal((json.parameters as Record<string, string>).classification, 'json');
  });
});

describe('the DDL reader', () => {
  const table = (body: string) =>
    `CREATE EXTERNAL TABLE IF NOT EXISTS t (\n  a BIGINT\n)\n${body}`;
  const parquet = "STORED AS PARQUET\nLOCATION 's3://${bucket}/processed/t/'";

  test('reads keywords in any case, comments, quoted names, column comments and no final ;', () => {
    const definition = parseTable(
      [
        '/* block',
        '   comment */ create external table `My_Table` ( -- trailing comment',
        "  `Id` bigint COMMENT 'the id, with a '' quote',",
        '  price decimal(10, 2),',
        '  code varchar(3)',
        ')',
        "comment 'a table'",
        'stored as parquet',
        "location 's3://${bucket}/processed/my/'",
      ].join('\n'),
    );
    assert.equal(definition.name, 'my_table');
    assert.deepEqual(definition.columns, [
      { name: 'id', type: 'BIGINT' },
      { name: 'price', type: 'DECIMAL(10,2)' },
      { name: 'code', type: 'VARCHAR(3)' },
    ]);
  });

  test('reads a database statement with or without IF NOT EXISTS', () => {
    assert.equal(parseDatabase('-- the db\nCREATE DATABASE IF NOT EXISTS linkedin_ads;'), 'linkedin_ads');
    assert.equal(parseDatabase('create schema other'), 'other');
  });

  const refusals: [string, string, RegExp][] = [
    ['a complex type', 'CREATE EXTERNAL TABLE t (a ARRAY<STRING>) ' + parquet, /complex type ARRAY is not supported/],
    ['an unknown type', 'CREATE EXTERNAL TABLE t (a MONEY) ' + parquet, /unknown type MONEY/],
    ['a type with too many arguments', 'CREATE EXTERNAL TABLE t (a DECIMAL(1,2,3)) ' + parquet, /DECIMAL takes 0 to 2/],
    ['a missing LOCATION', table('STORED AS PARQUET'), /no LOCATION/],
    ['a LOCATION outside the data bucket', table("STORED AS PARQUET LOCATION 's3://other/processed/t/'"), /folder of the data bucket/],
    ['a LOCATION that is not a folder', table("STORED AS PARQUET LOCATION 's3://${bucket}/processed/t'"), /folder of the data bucket/],
    ['partitions without projection', table("PARTITIONED BY (dt STRING) " + parquet), /no 'projection.enabled' = 'true'/],
    [
      'a partition key the projection does not type',
      table("PARTITIONED BY (dt STRING) " + parquet + " TBLPROPERTIES ('projection.enabled' = 'true')"),
      /partition key dt has no 'projection.dt.type'/,
    ],
    [
      'a location template that does not place a key',
      table(
        "PARTITIONED BY (dt STRING) " + parquet +
          " TBLPROPERTIES ('projection.enabled' = 'true', 'projection.dt.type' = 'date', " +
          "'storage.location.template' = 's3://${bucket}/processed/t/x')",
      ),
      /does not place partition key dt/,
    ],
    ['SERDEPROPERTIES', table("ROW FORMAT SERDE 'x' WITH SERDEPROPERTIES ('a' = 'b')"), /WITH SERDEPROPERTIES is not supported/],
    ['an unsupported storage', table("ROW FORMAT SERDE 'org.example.Csv' LOCATION 's3://${bucket}/t/'"), /unsupported storage/],
    ['an unknown clause', table('CLUSTERED BY (a) INTO 4 BUCKETS'), /expected PARTITIONED or ROW or STORED/],
    ['a clause given twice', table(parquet + " LOCATION 's3://${bucket}/x/'"), /LOCATION is given twice/],
    ['a column declared twice', 'CREATE EXTERNAL TABLE t (a BIGINT, a STRING) ' + parquet, /column 'a' is declared twice/],
    ['a property given twice', table(parquet + " TBLPROPERTIES ('k' = '1', 'k' = '2')"), /property 'k' is given twice/],
    ['a second statement', table(parquet + '; SELECT 1'), /one statement per file/],
    ['an unclosed string', table("STORED AS PARQUET LOCATION 's3://"), /unclosed string literal/],
    ['a table that is not EXTERNAL', 'CREATE TABLE t (a BIGINT) ' + parquet, /expected EXTERNAL, found 'TABLE'/],
  ];
  for (const [what, sql, message] of refusals) {
    test(`refuses ${what}, saying where and why`, () => {
      assert.throws(() => parseTable(sql, 'x.sql'), (error: Error) => {
        assert.match(error.message, /^x\.sql/);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('refuses a table file named unlike its table, and a directory without one database file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddl-'));
    fs.writeFileSync(path.join(dir, 'db.sql'), 'CREATE DATABASE d;');
    fs.writeFileSync(path.join(dir, 'wrong.sql'), table(parquet));
    assert.throws(() => readCatalog(dir), /creates table 't'; a table's file is named after it \(t\.sql\)/);
    fs.renameSync(path.join(dir, 'wrong.sql'), path.join(dir, 't.sql'));
    assert.equal(readCatalog(dir).tables[0].name, 't');
    fs.rmSync(path.join(dir, 'db.sql'));
    assert.throws(() => readCatalog(dir), /expected exactly one CREATE DATABASE file, found 0/);
  });

  test('writes types as Glue stores them and fills in the bucket everywhere', () => {
    assert.equal(glueType('BIGINT'), 'bigint');
    assert.equal(glueType('DECIMAL(38,18)'), 'decimal(38,18)');
    assert.equal(glueType('INTEGER'), 'int');
    assert.equal(withBucket('s3://${bucket}/a/${dt}/${bucket}', 'b'), 's3://b/a/${dt}/b');
  });
});
