-- creative_performance: one row per creative per day with its campaign's and its own
-- names, and the seed's rates: CTR %, average CPC and cost per conversion (NULL where the
-- denominator is 0 or unknown, never an error). Money is cost_in_usd.
-- Filter it on account_id (required by the tables' injected projection) and on dt (the
-- partition, 'YYYY-MM-DD' text) so only those days are read; report_date is dt as a DATE.
CREATE OR REPLACE VIEW creative_performance AS
SELECT
  d.dt,
  CAST(d.dt AS DATE) AS report_date,
  d.account_id,
  d.campaign_id,
  c.name AS campaign_name,
  c.status AS campaign_status,
  c.daily_budget,
  c.currency,
  d.creative_id,
  cr.name AS creative_name,
  cr.status AS creative_status,
  cr.headline,
  d.impressions,
  d.clicks,
  d.cost_in_usd AS cost,
  d.conversions,
  d.one_click_leads AS leads,
  ROUND(CAST(d.clicks AS DOUBLE) * 100 / NULLIF(d.impressions, 0), 2) AS ctr_percent,
  ROUND(CAST(d.cost_in_usd AS DOUBLE) / NULLIF(d.clicks, 0), 2) AS avg_cpc,
  ROUND(CAST(d.cost_in_usd AS DOUBLE) / NULLIF(d.conversions, 0), 2) AS cost_per_conversion
FROM creative_daily AS d
LEFT JOIN campaigns AS c
  ON c.account_id = d.account_id AND c.campaign_id = d.campaign_id
LEFT JOIN creatives AS cr
  ON cr.account_id = d.account_id AND cr.creative_id = d.creative_id;
