//! The optimize steps on the local adapters, in the order the optimize state machine runs
//! them, as plain functions: `adsctl decide`, `adsctl report` and `adsctl bench policy` share
//! them rather than each wiring the steps again.

use ads::AccountId;
use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate};
use policy::Policy;
use serde_json::json;

/// The `--account` flag as an account id.
pub fn account(flag: &str) -> anyhow::Result<AccountId> {
    flag.parse().with_context(|| {
        format!("--account must be digits (got '{flag}'); find it in Campaign Manager's URL")
    })
}

/// Days of history the decision query covers for `policy` on `as_of`: the policy's own
/// window (the longest rule's, or the bayes window), stretched back to the first of the
/// month so the monthly spend cap sees the whole month.
pub fn decision_window(policy: &Policy, as_of: NaiveDate) -> u32 {
    let own = policy
        .rules
        .iter()
        .map(|r| r.window_days)
        .max()
        .unwrap_or(policy.bayes.window_days);
    own.max(as_of.day())
}

/// Runs `decision_series` over the `window` days before `as_of` through start-athena-query
/// and poll-results on the local engine; returns the result's store key.
pub async fn decision_query(
    store: &local::DirStore,
    account: AccountId,
    as_of: NaiveDate,
    window: u32,
) -> anyhow::Result<String> {
    let last = as_of - Days::new(1);
    let first = last - Days::new(u64::from(window.max(1)) - 1);
    let engine = local::LocalQueryEngine::new(store.clone());
    let started = start_athena_query::run(
        start_athena_query::Input {
            query: "decision_series".to_owned(),
            params: serde_json::from_value(json!({
                "account_id": account.0.to_string(),
                "start_date": first.to_string(),
                "end_date": last.to_string(),
            }))?,
            window: None,
        },
        &engine,
    )
    .await
    .map_err(|e| anyhow::anyhow!("start-athena-query: {e}"))?;
    let polled = poll_results::run(
        poll_results::Input {
            query_id: started.query_id,
            query: Some(started.query),
            attempt: None,
            max_attempts: Some(1),
        },
        &engine,
    )
    .await
    .map_err(|e| anyhow::anyhow!("poll-results: {e}"))?;
    polled
        .result_key
        .context("the local engine finishes a query before answering")
}

/// The policy in `path` (TOML, or JSON by its extension), or the default policy.
pub fn read_policy(path: Option<&std::path::Path>) -> anyhow::Result<Policy> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the policy file {}", path.display()))?;
    Policy::from_file_text(&path.display().to_string(), &text)
        .with_context(|| format!("in {}", path.display()))
}
