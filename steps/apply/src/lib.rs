//! # apply — the decided actions, made on LinkedIn
//!
//! The step after decide in the optimize state machine. It reads one decisions file
//! (`decisions/YYYY-MM-DD/<execution>.json`) and takes each action through the same gates,
//! in order:
//!
//! 1. the file: the whole file must be a decisions file (else `Input.Invalid`, nothing
//!    changes); each action is then read on its own, and one that does not parse, whose id
//!    does not match its content (edited after decide), of another account, or blocked by
//!    decide's guardrails is refused — the others go on;
//! 2. the mode: `dry-run` (the default) records what it would do and changes nothing;
//!    `approve` takes only the actions a person approved; `auto` takes every proposed one;
//! 3. the log: an id already applied is skipped — apply never applies one id twice;
//! 4. LinkedIn now: each target is read again; one already in the wanted state is skipped,
//!    one whose value moved since decide (someone changed it) is refused;
//! 5. the guardrails again ([`policy::screen`] on what LinkedIn says now), so an edited
//!    decisions file cannot bypass them;
//! 6. the change, one action at a time: a LinkedIn failure fails that action only.
//!
//! Every outcome — applied, dryRun, skipped, refused, failed — is appended to the day's
//! action log (`logs/optimizer_actions/YYYY-MM-DD.jsonl`) with the value before and after.
//! Then, if an action failed, the step fails with `Apply.ActionsFailed` so the state machine
//! can retry: a re-run skips what was applied and retries the rest. [`undo()`] reverses
//! applied actions through the same gates.
//!
//! Reading order:
//! - this file: [`Input`], [`Mode`], [`Approval`], [`Output`], [`ActionResult`], [`Error`],
//!   [`Settings`], [`Ports`] and [`run`];
//! - `input`: the decisions file and the approval the input names (the policy it names is
//!   read by [`policy::PolicySource`], as decide reads it);
//! - `decisions_file`: reading the file, the whole and then each action;
//! - `admission`: the gates that need no LinkedIn;
//! - `current`: what LinkedIn says now about the targets, and the check of an action
//!   against it;
//! - `change`: one change on LinkedIn (a variation is a dark post and a creative);
//! - `batch`: what apply and undo share — reading LinkedIn, the guardrails, the changes, the
//!   log;
//! - `spend`: the account's spend so far this month, for the monthly cap;
//! - [`mod@undo`]: reversing applied actions;
//! - `main.rs`: the Lambda wiring.
//!
//! Deliberately not here: deciding (decide does; apply never invents or alters an action),
//! rewriting ad copy (a variation's copy is in the decisions file), refreshing the token
//! (fetch-token does), and choosing adapters (`main.rs` and `adsctl` do).

mod admission;
mod batch;
mod change;
mod current;
mod decisions_file;
mod input;
mod spend;
pub mod undo;

use ads::decision::{ActionId, LogEntry, Outcome};
use ads::error_names::{self, StepError};
use ads::{ObjectStore, PortError, SecretStore};
use chrono::{DateTime, Utc};
use policy::PolicySource;
use policy::action_log::{self, LogError};
use serde::{Deserialize, Serialize};

pub use undo::{UndoInput, UndoOutput, undo};

use crate::batch::Job;

/// What the state machine (or `adsctl apply`) asks for (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The decisions file's store key, `decisions/YYYY-MM-DD/<execution>.json`, as decide
    /// wrote it.
    pub decisions_key: String,
    /// `dry-run` (default: record, change nothing), `approve` (only what a person approved)
    /// or `auto` (every proposed action).
    #[serde(default)]
    pub mode: Mode,
    /// Who approved which actions; read in `approve` mode only, and refused in the others.
    /// Absent in `approve` mode: nothing is approved, every action is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The policy inline (a JSON object, snake_case keys as in the policy file); its
    /// guardrails are checked again. At most one of `policy` and `policyKey`; neither: the
    /// default policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<serde_json::Value>,
    /// The store key of a policy file (`.json` is read as JSON, anything else as TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_key: Option<String>,
    /// The moment of the run (RFC 3339, UTC): it dates the log entries (`at`) and the log
    /// file, and is "today" for the cool-down and the month's spend. Absent: the wall clock.
    /// A benchmark on the simulator passes the simulated time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
}

/// How far apply goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Read LinkedIn, check everything, record what would change; change nothing.
    #[default]
    DryRun,
    /// Apply only the actions a person approved ([`Input::approval`]).
    Approve,
    /// Apply every proposed action.
    Auto,
}

impl Mode {
    /// The name in files and messages: `dry-run`, `approve` or `auto`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::DryRun => "dry-run",
            Mode::Approve => "approve",
            Mode::Auto => "auto",
        }
    }
}

/// A person's approval, for `approve` mode.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Approval {
    /// Who approved (recorded in the log entries' `detail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The approved action ids; each must be an action of the file. Absent: every proposed
    /// action of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_ids: Option<Vec<ActionId>>,
}

/// What the step reports (JSON, camelCase): counts and one short line per action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The mode it ran in.
    pub mode: Mode,
    /// The decisions file read.
    pub decisions_key: String,
    /// Actions changed on LinkedIn.
    pub applied: usize,
    /// Actions that would have changed (dry-run).
    pub dry_run: usize,
    /// Actions with nothing to do: applied before, or already in the wanted state.
    pub skipped: usize,
    /// Actions refused: unreadable, edited, of another account, blocked, not approved, or
    /// their target moved since decide.
    pub refused: usize,
    /// Actions LinkedIn failed: 0 in a returned output — a run in which an action failed
    /// returns `Apply.ActionsFailed` instead, with every outcome ([`Error::ActionsFailed`]).
    pub failed: usize,
    /// The action log written, `logs/optimizer_actions/YYYY-MM-DD.jsonl` of `now`'s day.
    pub log_key: String,
    /// One result per action of the file, in the file's order.
    pub results: Vec<ActionResult>,
}

/// What became of one action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionResult {
    /// The action's id; absent for an element with no readable id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<ActionId>,
    /// What happened.
    pub outcome: Outcome,
    /// Why it was skipped, refused or failed; who approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For an undo: the id of the action it reverses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<ActionId>,
}

/// Why the step failed; [`StepError::name`] is what `Retry`/`Catch` match.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input or the decisions file is not usable (`Input.Invalid`); nothing changed.
    #[error("input {field}: {message}")]
    InvalidInput {
        /// The input field, e.g. `decisionsKey`.
        field: &'static str,
        /// What is wrong and the fix.
        message: String,
    },
    /// The policy could not be had: not a valid policy, or no policy file at `policyKey`
    /// (`Input.Invalid`), or the store failed reading it (`Store.Failed`); nothing changed.
    #[error(transparent)]
    Policy(#[from] policy::LoadError),
    /// The credentials secret could not be used (`Secret.Failed`); nothing changed.
    #[error(transparent)]
    Secret(#[from] linkedin::SecretUnusable),
    /// Reading LinkedIn's current state failed (LinkedIn's own name, e.g.
    /// `LinkedIn.Unauthorized`); the actions it was read for were not changed.
    #[error("reading LinkedIn's current state failed, so its actions were not changed: {0}")]
    LinkedIn(#[from] linkedin::Error),
    /// The object store failed (`Store.Failed`).
    #[error("the store failed at {key}: {source}")]
    Store {
        /// The key read.
        key: String,
        /// The port's error.
        source: PortError,
    },
    /// The action log could not be read or written (`Store.Failed`).
    #[error(transparent)]
    Log(#[from] LogError),
    /// A curated `creative_daily` file (for the month's spend) could not be read
    /// (`Store.Failed`).
    #[error("the curated file {key} could not be read: {source}")]
    Curated {
        /// Its key.
        key: String,
        /// Why.
        source: collect::curated::CuratedError,
    },
    /// At least one action failed on LinkedIn (`Apply.ActionsFailed`); the others were
    /// carried out and every outcome is in the log. Re-running retries the failed ones only.
    #[error(
        "{} of {total} action(s) failed on LinkedIn: {}; every outcome is in {log_key}. Run \
         again to retry them: what was applied is skipped",
        failed.len(), failed.join("; ")
    )]
    ActionsFailed {
        /// Each failed action: its id, the error's name and message.
        failed: Vec<String>,
        /// The actions of the run.
        total: usize,
        /// The action log written.
        log_key: String,
        /// Every action's outcome, as [`Output::results`] would have listed them.
        results: Vec<ActionResult>,
    },
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => error_names::INPUT_INVALID,
            Error::Policy(error) => error.name(),
            Error::Secret(_) => error_names::SECRET_FAILED,
            Error::LinkedIn(error) => error.name(),
            Error::Store { .. } | Error::Log(_) | Error::Curated { .. } => {
                error_names::STORE_FAILED
            }
            Error::ActionsFailed { .. } => error_names::APPLY_ACTIONS_FAILED,
        }
    }
}

/// How the step is configured (environment on Lambda, `adsctl`'s configuration locally).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The name of the LinkedIn credentials secret (env `LINKEDIN_SECRET_NAME`).
    pub secret_name: String,
    /// How to reach LinkedIn (env `LINKEDIN_API_URL`, `LINKEDIN_VERSION`, ...).
    pub linkedin: linkedin::Config,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secret_name: linkedin::secret::DEFAULT_SECRET_NAME.to_owned(),
            linkedin: linkedin::Config::default(),
        }
    }
}

impl Settings {
    /// The defaults with the environment applied (an empty variable counts as unset).
    pub fn from_env() -> Result<Settings, linkedin::ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Settings::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, linkedin::ConfigError> {
        Ok(Settings {
            secret_name: linkedin::secret::secret_name(&lookup),
            linkedin: linkedin::Config::from_lookup(lookup)?,
        })
    }
}

/// What the step talks through; AWS adapters on Lambda, local ones in `adsctl` and tests.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    /// Where the decisions file, the policy file, the curated data and the action log are.
    pub store: &'a dyn ObjectStore,
    /// Where the LinkedIn credentials are.
    pub secrets: &'a dyn SecretStore,
}

/// Applies the decisions file's actions as [`Input::mode`] says (see the crate's tour).
///
/// Idempotent: an id applied before is skipped, so a re-run after `Apply.ActionsFailed`
/// (or a retry of the whole step) changes LinkedIn only for what was not done. Nothing
/// changes when the input, the policy or the file is invalid, or LinkedIn cannot be read.
pub async fn run(input: Input, settings: &Settings, ports: Ports<'_>) -> Result<Output, Error> {
    let now = input.now.unwrap_or_else(Utc::now);
    let today = now.date_naive();
    let source = PolicySource::from_input(input.policy.as_ref(), input.policy_key.as_deref())?;
    let policy = source.load(ports.store).await?;
    let file = input::decisions(ports.store, &input.decisions_key).await?;
    let approved = input::approved_ids(&input, &file)?;
    let days = admission::log_days(file.as_of, today);
    let log = action_log::read_recent(ports.store, today, days).await?;

    let mut lines = admission::admit(&file, approved.as_ref(), &log);
    let job = Job {
        settings,
        ports,
        account: file.account,
        mode: input.mode.as_str(),
        dry_run: input.mode == Mode::DryRun,
        now,
        guardrails: &policy.guardrails,
        log: &log,
        approved_by: input
            .approval
            .as_ref()
            .and_then(|a| a.approved_by.as_deref()),
    };
    batch::carry_out(&mut lines, &job).await?;
    let summary = batch::Summary::of(&lines, LogEntry::key(today));
    if let Some(failure) = summary.failure() {
        return Err(failure);
    }
    tracing::info!(
        key = %input.decisions_key, mode = input.mode.as_str(), applied = summary.applied,
        dry_run = summary.dry_run, skipped = summary.skipped, refused = summary.refused,
        "applied"
    );
    Ok(Output {
        mode: input.mode,
        decisions_key: input.decisions_key,
        applied: summary.applied,
        dry_run: summary.dry_run,
        skipped: summary.skipped,
        refused: summary.refused,
        failed: summary.failed,
        log_key: summary.log_key,
        results: summary.results,
    })
}

#[cfg(test)]
mod tests;
