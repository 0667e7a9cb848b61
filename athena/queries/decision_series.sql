-- decision_series: per creative per day over the window, with the current state decide needs.
-- @param account_id account_id   The ad account (digits).
-- @param start_date date          First day of the window (YYYY-MM-DD, inclusive).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
--
-- One row per creative-day collected, ordered by (campaign_id, creative_id, day); day is
-- 'YYYY-MM-DD'. A day without a row had no delivery LinkedIn reported. NULL metrics were
-- not returned by LinkedIn. The decide step reads this one result: the series for fatigue
-- and conversion lag, and on every row the campaign's current unit_cost (its bid),
-- daily_budget, currency, cost_type and status and the creative's current status, from the
-- campaigns and creatives tables (NULL when collect has not seen them yet).
SELECT
  d.campaign_id,
  d.creative_id,
  d.dt AS day,
  d.impressions,
  d.clicks,
  d.conversions,
  d.cost_in_usd AS cost,
  c.unit_cost,
  c.daily_budget,
  c.currency,
  c.cost_type,
  c.status AS campaign_status,
  cr.status AS creative_status
FROM creative_daily AS d
LEFT JOIN campaigns AS c
  ON c.account_id = d.account_id AND c.campaign_id = d.campaign_id
LEFT JOIN creatives AS cr
  ON cr.account_id = d.account_id AND cr.creative_id = d.creative_id
WHERE d.account_id = ?
  AND d.dt BETWEEN ? AND ?
ORDER BY d.campaign_id, d.creative_id, d.dt;
