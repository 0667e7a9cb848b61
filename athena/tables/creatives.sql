-- creatives: the latest metadata and ad copy of every creative of an account, as the
-- collect step writes it to processed/creatives/account_id=<id>/part-0.parquet.
-- The columns are collect::creatives_schema(), column for column (the catalog crate tests
-- so). account_id is a projected partition key: a query must say `account_id = '<id>'`
-- (directly, or through a join on account_id with a table that does).
-- ${bucket} is the data bucket's name, substituted by the deploy step.
CREATE EXTERNAL TABLE IF NOT EXISTS creatives (
  creative_id BIGINT,
  campaign_id BIGINT,
  campaign_name STRING,
  name STRING,
  status STRING,
  headline STRING,
  description STRING,
  commentary STRING,
  call_to_action STRING,
  landing_page STRING,
  post_urn STRING,
  created_at TIMESTAMP,
  last_modified_at TIMESTAMP,
  collected_at TIMESTAMP
)
PARTITIONED BY (account_id STRING)
STORED AS PARQUET
LOCATION 's3://${bucket}/processed/creatives/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.account_id.type' = 'injected',
  'storage.location.template' = 's3://${bucket}/processed/creatives/account_id=${account_id}'
);
