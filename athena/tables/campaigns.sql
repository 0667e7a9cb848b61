-- campaigns: the latest state of every campaign of an account (status, bid, budgets), as
-- the collect step writes it to processed/campaigns/account_id=<id>/part-0.parquet.
-- The columns are collect::campaigns_schema(), column for column (the catalog crate tests
-- so). Amounts are in `currency`. account_id is a projected partition key: a query must
-- say `account_id = '<id>'` (directly, or through a join on account_id with a table that
-- does). ${bucket} is the data bucket's name, substituted by the deploy step.
CREATE EXTERNAL TABLE IF NOT EXISTS campaigns (
  campaign_id BIGINT,
  name STRING,
  status STRING,
  cost_type STRING,
  objective_type STRING,
  unit_cost DECIMAL(38,18),
  daily_budget DECIMAL(38,18),
  total_budget DECIMAL(38,18),
  currency STRING,
  created_at TIMESTAMP,
  last_modified_at TIMESTAMP,
  collected_at TIMESTAMP
)
PARTITIONED BY (account_id STRING)
STORED AS PARQUET
LOCATION 's3://${bucket}/processed/campaigns/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.account_id.type' = 'injected',
  'storage.location.template' = 's3://${bucket}/processed/campaigns/account_id=${account_id}'
);
