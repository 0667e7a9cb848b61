-- budget_pacing: each campaign's spend against its daily budget, day by day.
-- @param account_id account_id   The ad account (digits).
-- @param start_date date          First day (YYYY-MM-DD, inclusive).
-- @param end_date date            Last day (YYYY-MM-DD, inclusive).
--
-- Spend is cost_in_local_currency, the account's currency, which is the budget's; the
-- budget is the campaign's current one (the campaigns table keeps no history). LinkedIn may
-- spend up to 150% of a daily budget on one day, so pacing_percent can pass 100.
-- pacing_percent is NULL for a campaign without a daily budget.
SELECT
  d.dt AS report_date,
  d.campaign_id,
  MAX(c.name) AS campaign_name,
  MAX(c.status) AS campaign_status,
  MAX(c.daily_budget) AS daily_budget,
  MAX(c.currency) AS currency,
  SUM(d.cost_in_local_currency) AS actual_spend,
  SUM(d.cost_in_usd) AS actual_spend_usd,
  ROUND(
    CAST(SUM(d.cost_in_local_currency) AS DOUBLE) * 100
      / NULLIF(CAST(MAX(c.daily_budget) AS DOUBLE), 0),
    1
  ) AS pacing_percent
FROM creative_daily AS d
LEFT JOIN campaigns AS c
  ON c.account_id = d.account_id AND c.campaign_id = d.campaign_id
WHERE d.account_id = ?
  AND d.dt BETWEEN ? AND ?
GROUP BY d.dt, d.campaign_id
ORDER BY report_date, d.campaign_id;
