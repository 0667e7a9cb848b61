-- optimizer_actions: every action the optimizer applied (or proposed, by mode), one JSON
-- object per line in logs/optimizer_actions/YYYY-MM-DD.jsonl. The decisions issue writes
-- these files; this table only reads them. Keys are these column names, snake_case:
--   action_id    deterministic id of the action (re-applying it is a no-op)
--   executed_at  when it was applied, ISO-8601 UTC text (from_iso8601_timestamp reads it)
--   account_id   the ad account (digits, as text, like the partition keys elsewhere)
--   campaign_id, creative_id   what it touched (creative_id null for campaign actions)
--   action_type  e.g. PAUSE_CREATIVE, SET_BID, SET_DAILY_BUDGET
--   target       what was changed, e.g. status, unit_cost, daily_budget
--   from_value, to_value       before and after, as text (a status or a decimal amount)
--   reason       why, in words
--   mode         e.g. auto, approval, dry_run
--   status       e.g. APPLIED, SKIPPED, FAILED
-- A malformed line fails the query (the writer emits only valid JSON lines).
-- ${bucket} is the data bucket's name, substituted by the deploy step.
CREATE EXTERNAL TABLE IF NOT EXISTS optimizer_actions (
  action_id STRING,
  executed_at STRING,
  account_id STRING,
  campaign_id BIGINT,
  creative_id BIGINT,
  action_type STRING,
  target STRING,
  from_value STRING,
  to_value STRING,
  reason STRING,
  mode STRING,
  status STRING
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://${bucket}/logs/optimizer_actions/';
