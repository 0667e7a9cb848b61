//! # decide — which creatives to pause, which bids and budgets to move, which winners to vary
//!
//! The decide step of the optimize state machine, after poll-results: it reads the
//! `decision_series` query result (one row per creative per day, with each campaign's and
//! creative's current state), the stored ad copy and the recent action log, decides by the
//! policy's mode, screens every action through the guardrails, and writes the decisions
//! file `decisions/<asOf>/<execution>.json` ([`ads::decision::Decisions`]), blocked actions
//! included with the guardrail that blocked them. It returns a small summary.
//!
//! Pure computation over the rows: no LinkedIn call. The same input gives the same actions
//! with the same ids (the Monte Carlo is seeded by account, day and campaign), so a re-run
//! rewrites the same file and apply never applies one decision twice.
//!
//! Reading order:
//! - this file: [`Input`], [`Output`], [`Error`], [`Ports`], [`run`] (read, decide, write)
//!   and [`decide()`], the pure decision a benchmark can call;
//! - [`input`]: validation of the input; [`series`]: the query result read into
//!   [`SeriesRow`]s; `account`: the rows as campaigns and creatives on `asOf`;
//! - `rules`: the `rules` mode; `bayes`: the `bayes` mode, over `posterior` (Beta and
//!   Gamma posteriors, empirical-Bayes priors) and `comparison` (the seeded Monte Carlo);
//! - [`variation`]: the documented rewrite of a winner's copy; [`copy_prior`]: the creative
//!   scorer's CTR priors and its ranking of candidate rewrites; `proposal`: actions built
//!   with their derived ids and formats.
//!
//! Deliberately not here: changing anything on LinkedIn (apply does, re-checking the
//! guardrails against LinkedIn's current state and bid limits, which the rows do not have),
//! querying (start-athena-query and poll-results did), and reading the policy the input
//! names (inline or a key: [`policy::PolicySource`], shared with apply).

mod account;
mod bayes;
mod comparison;
pub mod copy_prior;
pub mod input;
mod posterior;
mod proposal;
mod rules;
pub mod series;
pub mod variation;

use std::collections::BTreeMap;

use ads::decision::{Action, ActionId, Blocked, Decisions, LogEntry};
use ads::error_names::{self, StepError};
use ads::{AccountId, AdCopy, CreativeId, ObjectStore, PortError};
use bytes::Bytes;
use chrono::{Datelike, NaiveDate, Utc};
use policy::action_log::{self, LogError};
use policy::policy::{Mode, RuleAction};
use policy::{LoadError, Policy};
use scoring::Scorer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use input::InvalidInput;
pub use series::{SeriesError, SeriesRow};

use crate::account::Account;
use crate::input::invalid;
use crate::proposal::Proposer;

/// What the state machine asks for (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The store key of the `decision_series` query result (`query-results/<id>.csv`), as
    /// poll-results returns it.
    pub result_key: String,
    /// The ad account's id, digits (a JSON number is accepted too).
    #[serde(deserialize_with = "input::account_text")]
    pub account_id: String,
    /// The day decided for, `YYYY-MM-DD` (UTC): rows of this day and later are ignored, so
    /// the data runs through the day before.
    pub as_of: NaiveDate,
    /// The execution deciding (the state machine's execution name): it names the decisions
    /// file. 1–256 characters of `A-Z a-z 0-9 _ . : -`.
    pub execution: String,
    /// The policy as a JSON object (the policy file's fields, snake_case). Not with
    /// `policyKey`; neither means the default policy (`bayes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Value>,
    /// The store key of a policy file: `.json` is read as JSON, anything else as TOML. Not
    /// with `policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_key: Option<String>,
}

/// What the step reports (JSON, camelCase): counts, never the actions themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The store key of the decisions file written.
    pub decisions_key: String,
    /// The ad account.
    pub account_id: String,
    /// The day decided for.
    pub as_of: NaiveDate,
    /// The policy's mode: `bayes` or `rules`.
    pub mode: String,
    /// Actions proposed (not blocked by a guardrail).
    pub proposed: u32,
    /// Actions a guardrail blocked (kept in the file, never applied).
    pub blocked: u32,
    /// Proposed actions by kind (`pause`, `resume`, `setBid`, `setBudget`,
    /// `createVariation`); kinds without actions are absent.
    pub counts: BTreeMap<String, u32>,
    /// Notes for the report: fallbacks taken, data left out.
    pub notes: Vec<String>,
}

/// Why the step failed; [`StepError::name`] is what `Retry`/`Catch` match.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid (`Input.Invalid`); the message names the field and the fix.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// The policy could not be had: not a valid policy, or no policy file at `policyKey`
    /// (`Input.Invalid`, the message naming the field or the key), or the store failed
    /// reading it (`Store.Failed`).
    #[error(transparent)]
    Policy(#[from] LoadError),
    /// The query result is not a `decision_series` result (`Input.Invalid`): a missing
    /// column, or a value that does not parse (the row and column are named).
    #[error("{source} (in {key})")]
    Series {
        /// The result's key.
        key: String,
        /// What is wrong.
        source: SeriesError,
    },
    /// The object store failed (`Store.Failed`); nothing was written.
    #[error("the store failed at {key}: {source}")]
    Store {
        /// The key read or written.
        key: String,
        /// The port's error.
        source: PortError,
    },
    /// The action log could not be read (`Store.Failed`): the cool-down cannot be checked
    /// without it, so nothing is decided.
    #[error(transparent)]
    ActionLog(#[from] LogError),
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) | Error::Series { .. } => error_names::INPUT_INVALID,
            Error::Policy(error) => error.name(),
            Error::Store { .. } | Error::ActionLog(_) => error_names::STORE_FAILED,
        }
    }
}

/// What the step talks through: S3 on Lambda, the data directory in `adsctl` and tests.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    /// Where the query result, the policy file, the ad copy and the action log are, and
    /// where the decisions file goes.
    pub store: &'a dyn ObjectStore,
}

/// Runs the step: validates the input, reads the policy, the query result, the ad copy and
/// the action log, decides ([`decide()`]) and writes the decisions file. Invalid input
/// reads nothing; a failure writes nothing. Re-running with the same input rewrites the
/// same actions with the same ids.
pub async fn run(input: Input, ports: Ports<'_>) -> Result<Output, Error> {
    let valid = input::validate(&input)?;
    let store = ports.store;
    let policy = valid.policy.load(store).await?;
    let csv = get(store, input.result_key.trim(), "resultKey").await?;
    let rows = series::read_series(&csv).map_err(|source| Error::Series {
        key: input.result_key.clone(),
        source,
    })?;
    let mut notes = Vec::new();
    let copies = if needs_copy(&policy) {
        read_copies(store, valid.account, &mut notes).await?
    } else {
        BTreeMap::new()
    };
    let log = action_log::read_recent(store, input.as_of, log_days(&policy)).await?;
    let scorer = if uses_scorer(&policy) {
        copy_prior::load(store, &mut notes).await
    } else {
        None
    };

    let (actions, decided_notes) = decide(
        &rows,
        &copies,
        scorer.as_ref(),
        &log,
        &policy,
        valid.account,
        input.as_of,
    );
    notes.extend(decided_notes);

    let key = Decisions::key(input.as_of, &input.execution);
    let decisions = Decisions {
        account_id: valid.account,
        as_of: input.as_of,
        execution: input.execution.clone(),
        mode: policy.mode.as_str().to_owned(),
        decided_at: Utc::now(),
        actions,
        notes,
    };
    let body = serde_json::to_vec_pretty(&decisions).map_err(|e| Error::Store {
        key: key.clone(),
        source: PortError::Refused {
            what: "the decisions file".to_owned(),
            reason: e.to_string(),
        },
    })?;
    store
        .put(&key, Bytes::from(body), "application/json")
        .await
        .map_err(|source| Error::Store {
            key: key.clone(),
            source,
        })?;
    let output = summary(&decisions, key);
    tracing::info!(
        account = %valid.account, as_of = %input.as_of, mode = %output.mode,
        proposed = output.proposed, blocked = output.blocked, key = %output.decisions_key,
        "decided"
    );
    Ok(output)
}

/// Days of the action log decide reads: the cool-down's, and in bayes mode with resuming on
/// the rate window's (which creatives the optimizer itself paused).
fn log_days(policy: &Policy) -> u32 {
    let cooldown = policy.guardrails.cooldown_days.saturating_add(1);
    if policy.mode == Mode::Bayes && policy.bayes.resume_paused {
        cooldown.max(policy.bayes.window_days.saturating_add(1))
    } else {
        cooldown
    }
}

/// The decision itself, without I/O: `rows` of the `decision_series` result (rows on or
/// after `as_of` are ignored), the ad `copies` by creative (for variations, and the
/// `scorer`'s CTR priors when there is one that decide may use), the action
/// `log` (the cool-down's days, and the rate window's when bayes may resume), the `policy`. Returns every action in
/// priority order — pauses worst first, budget moves, bids, variations — each already
/// screened by the guardrails (a blocked action carries [`Action::blocked`]), and notes for
/// the report. Deterministic: the same arguments give the same actions and ids.
pub fn decide(
    rows: &[SeriesRow],
    copies: &BTreeMap<CreativeId, AdCopy>,
    scorer: Option<&Scorer>,
    log: &[LogEntry],
    policy: &Policy,
    account: AccountId,
    as_of: NaiveDate,
) -> (Vec<Action>, Vec<String>) {
    let view = Account::from_rows(rows, as_of);
    let proposer = Proposer { account, as_of };
    let (mut actions, mut notes) = match policy.mode {
        Mode::Bayes => bayes::decide(
            &view,
            copies,
            scorer,
            log,
            &policy.bayes,
            &policy.guardrails,
            proposer,
        ),
        Mode::Rules => rules::decide(&view, copies, &policy.rules, proposer),
    };
    if policy.guardrails.monthly_spend_cap.is_some()
        && let Some(first) = view.first_day
        && as_of.day() > 1
        && first > as_of.with_day(1).unwrap_or(as_of)
    {
        notes.push(format!(
            "the rows start on {first}, after the 1st of the month: this month's spend for \
             monthly_spend_cap counts only from {first} (widen the query's window to the 1st)"
        ));
    }
    let state = view.guardrail_state(log);
    policy::screen(&mut actions, &state, &policy.guardrails, as_of);
    block_unpaired_budget_moves(&mut actions);
    (actions, notes)
}

/// A budget move is a cut and a raise of the same amount (the total unchanged): when a
/// guardrail blocks one, the other is blocked too, for the same reason.
fn block_unpaired_budget_moves(actions: &mut [Action]) {
    let moves: Vec<(usize, usize)> = actions
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| is_budget_move(&pair[0], &pair[1]))
        .map(|(i, _)| (i, i + 1))
        .collect();
    for (cut, raise) in moves {
        let blocked = |a: &Action| a.blocked.clone().map(|b| (a.id.clone(), b));
        let partner = match (blocked(&actions[cut]), blocked(&actions[raise])) {
            (Some(why), None) => Some((raise, why)),
            (None, Some(why)) => Some((cut, why)),
            _ => None,
        };
        if let Some((other, (id, why))) = partner {
            actions[other].blocked = Some(paired(&id, why));
        }
    }
}

/// Whether two adjacent actions are the halves of one budget move: bayes writes the cut
/// then the raise, of two campaigns, with the same `shift` evidence.
fn is_budget_move(cut: &Action, raise: &Action) -> bool {
    use ads::decision::ActionKind::SetBudget;
    cut.kind == SetBudget
        && raise.kind == SetBudget
        && cut.campaign_id != raise.campaign_id
        && cut.evidence.contains_key("shift")
        && cut.evidence.get("shift") == raise.evidence.get("shift")
}

fn paired(id: &ActionId, why: Blocked) -> Blocked {
    Blocked {
        reason: format!(
            "this budget move's other half ({id}) is blocked: {}; the two move together so \
             the total budget stays the same",
            why.reason
        ),
        guardrail: why.guardrail,
    }
}

/// Whether the policy uses the creative scorer: bayes mode with `creative_scorer` on.
fn uses_scorer(policy: &Policy) -> bool {
    policy.mode == Mode::Bayes && policy.bayes.creative_scorer
}

/// Whether the policy can create variations (and so needs the ad copy).
fn needs_copy(policy: &Policy) -> bool {
    policy.mode == Mode::Bayes
        || policy
            .rules
            .iter()
            .any(|r| r.action == RuleAction::CreateVariation)
}

fn summary(decisions: &Decisions, key: String) -> Output {
    let mut counts = BTreeMap::new();
    let (mut proposed, mut blocked) = (0, 0);
    for action in &decisions.actions {
        if action.blocked.is_some() {
            blocked += 1;
        } else {
            proposed += 1;
            *counts.entry(action.kind.as_str().to_owned()).or_insert(0) += 1;
        }
    }
    Output {
        decisions_key: key,
        account_id: decisions.account_id.to_string(),
        as_of: decisions.as_of,
        mode: decisions.mode.clone(),
        proposed,
        blocked,
        counts,
        notes: decisions.notes.clone(),
    }
}

/// Reads `key`; a missing object is the input `field`'s fault, other failures the store's.
async fn get(store: &dyn ObjectStore, key: &str, field: &'static str) -> Result<Bytes, Error> {
    store.get(key).await.map_err(|source| match source {
        PortError::NotFound { .. } => invalid(
            field,
            format!("{field} '{key}' is not in the store; check the key (it is case-sensitive)"),
        )
        .into(),
        source => Error::Store {
            key: key.to_owned(),
            source,
        },
    })
}

/// The stored ad copy by creative. No file (collect has not run) or an unreadable one is
/// a note, not a failure: only variations need it.
async fn read_copies(
    store: &dyn ObjectStore,
    account: AccountId,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<CreativeId, AdCopy>, Error> {
    let key = collect::keys::creatives(account);
    let file = match store.get(&key).await {
        Ok(file) => file,
        Err(PortError::NotFound { .. }) => {
            notes.push(format!("no ad copy stored ({key}); no variations"));
            return Ok(BTreeMap::new());
        }
        Err(source) => return Err(Error::Store { key, source }),
    };
    match collect::curated::read_creatives(file) {
        Ok(records) => Ok(records
            .into_iter()
            .map(|record| (record.creative_id, record.copy))
            .collect()),
        Err(error) => {
            notes.push(format!(
                "the ad copy file {key} could not be read ({error}); no variations"
            ));
            Ok(BTreeMap::new())
        }
    }
}

#[cfg(test)]
mod tests;
