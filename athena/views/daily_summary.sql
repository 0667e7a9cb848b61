-- daily_summary: one row per campaign per day, summed over its creatives from
-- creative_performance (so it is created after it), with the campaign's current daily
-- budget: impressions, clicks, cost (USD), conversions, CTR %, CPC and cost per conversion
-- (NULL where the denominator is 0). Filter it on account_id and dt like its source.
CREATE OR REPLACE VIEW daily_summary AS
SELECT
  dt,
  report_date,
  account_id,
  campaign_id,
  campaign_name,
  campaign_status,
  daily_budget,
  currency,
  SUM(impressions) AS impressions,
  SUM(clicks) AS clicks,
  SUM(cost) AS cost,
  SUM(conversions) AS conversions,
  ROUND(CAST(SUM(clicks) AS DOUBLE) * 100 / NULLIF(SUM(impressions), 0), 2) AS ctr,
  ROUND(CAST(SUM(cost) AS DOUBLE) / NULLIF(SUM(clicks), 0), 2) AS cpc,
  ROUND(CAST(SUM(cost) AS DOUBLE) / NULLIF(SUM(conversions), 0), 2) AS cpa
FROM creative_performance
GROUP BY
  dt,
  report_date,
  account_id,
  campaign_id,
  campaign_name,
  campaign_status,
  daily_budget,
  currency;
