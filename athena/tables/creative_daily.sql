-- creative_daily: one row per creative per day, as the collect step writes it to
-- processed/creative_daily/dt=YYYY-MM-DD/account_id=<id>/part-0.parquet (Snappy Parquet).
-- The columns are collect::creative_daily_schema(), column for column (the catalog crate
-- tests so). dt and account_id are partition keys in the path, projected, not listed:
-- a query must say `account_id = '<id>'` (injected projection) and should bound dt.
-- ${bucket} is the data bucket's name, substituted by the deploy step.
-- Partition projection: https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
CREATE EXTERNAL TABLE IF NOT EXISTS creative_daily (
  campaign_id BIGINT,
  creative_id BIGINT,
  impressions BIGINT,
  clicks BIGINT,
  landing_page_clicks BIGINT,
  cost_in_usd DECIMAL(38,18),
  cost_in_local_currency DECIMAL(38,18),
  external_website_conversions BIGINT,
  one_click_leads BIGINT,
  one_click_lead_form_opens BIGINT,
  conversions BIGINT,
  likes BIGINT,
  comments BIGINT,
  shares BIGINT,
  follows BIGINT,
  total_engagements BIGINT,
  video_views BIGINT,
  approximate_member_reach BIGINT,
  collected_at TIMESTAMP
)
PARTITIONED BY (dt STRING, account_id STRING)
STORED AS PARQUET
LOCATION 's3://${bucket}/processed/creative_daily/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2020-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'projection.account_id.type' = 'injected',
  'storage.location.template' = 's3://${bucket}/processed/creative_daily/dt=${dt}/account_id=${account_id}'
);
