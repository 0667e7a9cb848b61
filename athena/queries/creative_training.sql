-- creative_training: each creative's totals over the window with its ad copy, for the creative
-- scorer (steps/train).
-- @param account_id account_id   The ad account (digits).
-- @param start_date date          First day of the window (YYYY-MM-DD, inclusive).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
--
-- One row per creative with delivery in the window and copy in the creatives table, ordered
-- by creative_id (the scorer compares a creative with its campaign); first_day and last_day ('YYYY-MM-DD') are the days it was reported on.
-- Copy columns are NULL where the post has none.
SELECT
  d.account_id,
  d.campaign_id,
  d.creative_id,
  SUM(d.impressions) AS impressions,
  SUM(d.clicks) AS clicks,
  MIN(d.dt) AS first_day,
  MAX(d.dt) AS last_day,
  cr.headline,
  cr.description,
  cr.commentary,
  cr.call_to_action
FROM creative_daily AS d
JOIN creatives AS cr
  ON cr.account_id = d.account_id AND cr.creative_id = d.creative_id
WHERE d.account_id = ?
  AND d.dt BETWEEN ? AND ?
GROUP BY d.account_id, d.campaign_id, d.creative_id, cr.headline, cr.description, cr.commentary, cr.call_to_action
ORDER BY d.creative_id;
