-- decision_input: per creative, its totals over the window and its campaign's current bid.
-- @param account_id account_id   The ad account (digits).
-- @param start_date date          First day of the window (YYYY-MM-DD, inclusive).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
--
-- One row per creative that has any row in the window, ordered by (campaign_id,
-- creative_id). impressions, clicks and cost (USD) are 0 when LinkedIn returned none;
-- conversions and leads stay NULL when LinkedIn never reported them (not tracked is not
-- zero). days_active counts days with impressions; first_day and last_day are the first
-- and last of them ('YYYY-MM-DD', NULL when none). The campaign's unit_cost (its bid),
-- daily_budget, cost_type and status, and the creative's status, are their current values
-- from the campaigns and creatives tables (NULL when collect has not seen them yet).
SELECT
  d.campaign_id,
  d.creative_id,
  COALESCE(SUM(d.impressions), 0) AS impressions,
  COALESCE(SUM(d.clicks), 0) AS clicks,
  COALESCE(SUM(d.cost_in_usd), 0) AS cost,
  SUM(d.conversions) AS conversions,
  SUM(d.one_click_leads) AS leads,
  COUNT(DISTINCT CASE WHEN d.impressions > 0 THEN d.dt END) AS days_active,
  MIN(CASE WHEN d.impressions > 0 THEN d.dt END) AS first_day,
  MAX(CASE WHEN d.impressions > 0 THEN d.dt END) AS last_day,
  MAX(c.unit_cost) AS unit_cost,
  MAX(c.daily_budget) AS daily_budget,
  MAX(c.currency) AS currency,
  MAX(c.cost_type) AS cost_type,
  MAX(c.status) AS campaign_status,
  MAX(cr.status) AS creative_status
FROM creative_daily AS d
LEFT JOIN campaigns AS c
  ON c.account_id = d.account_id AND c.campaign_id = d.campaign_id
LEFT JOIN creatives AS cr
  ON cr.account_id = d.account_id AND cr.creative_id = d.creative_id
WHERE d.account_id = ?
  AND d.dt BETWEEN ? AND ?
GROUP BY d.campaign_id, d.creative_id
ORDER BY d.campaign_id, d.creative_id;
