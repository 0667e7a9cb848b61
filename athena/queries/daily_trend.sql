-- daily_trend: the account's totals day by day, the 30 days ending at end_date.
-- @param account_id account_id   The ad account (digits).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
--
-- Rates are each day's totals over each day's totals (not averages of campaign rates).
-- Days without data have no row.
WITH
  account_days AS (
    SELECT * FROM daily_summary WHERE account_id = ?
  ),
  bounds AS (
    SELECT
      CAST(end_day - INTERVAL '29' DAY AS VARCHAR) AS first_dt,
      CAST(end_day AS VARCHAR) AS last_dt
    FROM (SELECT CAST(? AS DATE) AS end_day) AS e
  )
SELECT
  s.report_date,
  SUM(s.impressions) AS total_impressions,
  SUM(s.clicks) AS total_clicks,
  SUM(s.cost) AS total_cost,
  SUM(s.conversions) AS total_conversions,
  ROUND(CAST(SUM(s.clicks) AS DOUBLE) * 100 / NULLIF(SUM(s.impressions), 0), 2) AS ctr_percent,
  ROUND(CAST(SUM(s.cost) AS DOUBLE) / NULLIF(SUM(s.clicks), 0), 2) AS avg_cpc,
  ROUND(CAST(SUM(s.cost) AS DOUBLE) / NULLIF(SUM(s.conversions), 0), 2) AS cost_per_conversion
FROM account_days AS s
CROSS JOIN bounds AS b
WHERE s.dt BETWEEN b.first_dt AND b.last_dt
GROUP BY s.report_date
ORDER BY s.report_date;
