-- top_performers: creatives with the best CTR over the 7 days ending at end_date.
-- @param account_id account_id   The ad account (digits).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
-- @param min_clicks bigint 0..1000000  Creatives with fewer clicks are left out.
--
-- CTR is the window's clicks over its impressions (not an average of daily rates, which
-- would weigh a quiet day like a busy one). The ten best, ties broken by clicks.
WITH
  account_days AS (
    SELECT * FROM creative_performance WHERE account_id = ?
  ),
  bounds AS (
    SELECT
      CAST(end_day - INTERVAL '6' DAY AS VARCHAR) AS first_dt,
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
  ROUND(CAST(SUM(p.cost) AS DOUBLE) / NULLIF(SUM(p.clicks), 0), 2) AS avg_cpc,
  SUM(p.conversions) AS conversions,
  SUM(p.cost) AS cost
FROM account_days AS p
CROSS JOIN bounds AS b
WHERE p.dt BETWEEN b.first_dt AND b.last_dt
GROUP BY p.campaign_id, p.creative_id
HAVING COALESCE(SUM(p.clicks), 0) >= ?
ORDER BY ctr_percent DESC NULLS LAST, clicks DESC NULLS LAST, p.creative_id
LIMIT 10;
