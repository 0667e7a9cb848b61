-- decision_series: per creative per day over the window, the series fatigue is judged on.
-- @param account_id account_id   The ad account (digits).
-- @param start_date date          First day of the window (YYYY-MM-DD, inclusive).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
--
-- One row per creative-day collected, ordered by (campaign_id, creative_id, day); day is
-- 'YYYY-MM-DD'. A day without a row had no delivery LinkedIn reported. NULL metrics were
-- not returned by LinkedIn.
SELECT
  d.campaign_id,
  d.creative_id,
  d.dt AS day,
  d.impressions,
  d.clicks,
  d.conversions,
  d.cost_in_usd AS cost
FROM creative_daily AS d
WHERE d.account_id = ?
  AND d.dt BETWEEN ? AND ?
ORDER BY d.campaign_id, d.creative_id, d.dt;
