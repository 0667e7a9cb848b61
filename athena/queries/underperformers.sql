-- underperformers: active creatives to consider pausing, the 3 days ending at end_date.
-- @param account_id account_id   The ad account (digits).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
-- @param min_clicks bigint 0..1000000  Creatives with fewer clicks are too early to judge.
-- @param max_ctr_percent double 0..100  Creatives whose CTR % is below this are listed.
--
-- The seed's rule (over 100 clicks, CTR under 1%) with its thresholds as parameters; CTR is
-- the window's clicks over its impressions. Biggest spenders first.
WITH
  account_days AS (
    SELECT * FROM creative_performance WHERE account_id = ?
  ),
  bounds AS (
    SELECT
      CAST(end_day - INTERVAL '2' DAY AS VARCHAR) AS first_dt,
      CAST(end_day AS VARCHAR) AS last_dt
    FROM (SELECT CAST(? AS DATE) AS end_day) AS e
  )
SELECT
  p.campaign_id,
  MAX(p.campaign_name) AS campaign_name,
  p.creative_id,
  MAX(p.creative_name) AS creative_name,
  SUM(p.impressions) AS impressions,
  SUM(p.clicks) AS clicks,
  ROUND(CAST(SUM(p.clicks) AS DOUBLE) * 100 / NULLIF(SUM(p.impressions), 0), 2) AS ctr_percent,
  SUM(p.cost) AS total_spent
FROM account_days AS p
CROSS JOIN bounds AS b
WHERE p.dt BETWEEN b.first_dt AND b.last_dt
  AND p.creative_status = 'ACTIVE'
GROUP BY p.campaign_id, p.creative_id
HAVING COALESCE(SUM(p.clicks), 0) >= ?
  AND CAST(SUM(p.clicks) AS DOUBLE) * 100 / NULLIF(SUM(p.impressions), 0) < ?
ORDER BY total_spent DESC NULLS LAST, p.creative_id;
