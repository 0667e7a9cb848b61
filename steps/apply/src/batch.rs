//! What apply and undo share: a batch of actions of one account taken from "pending" to an
//! outcome — LinkedIn read, each target checked, the guardrails screened again, each change
//! made — and every outcome written to the action log.
//!
//! The log gets the outcomes decided without a change first (skipped, refused, failed
//! checks), then each change's entry right after LinkedIn answered, so a run cut short keeps
//! the record of what it changed.

use std::collections::BTreeSet;

use ads::decision::{Action, ActionId, ActionKind, LogEntry, Outcome};
use ads::{AccountId, PostUrn};
use chrono::{DateTime, Utc};
use policy::Guardrails;
use policy::action_log;
use rust_decimal::Decimal;

use crate::current::{Check, Current};
use crate::{ActionResult, Error, Ports, Settings, change, spend};

/// One action's way through a run, and what came of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The action; `None` for an element of the file that is not one.
    pub action: Option<Action>,
    /// Its id, when known.
    pub id: Option<ActionId>,
    /// What came of it; `None` while pending.
    pub outcome: Option<Outcome>,
    /// LinkedIn's value before.
    pub before: Option<String>,
    /// The value after (the new creative's id for a variation).
    pub after: Option<String>,
    /// Why it was skipped, refused or failed; who approved it.
    pub detail: Option<String>,
    /// The stable name of the error it failed with.
    pub error: Option<&'static str>,
    /// For an undo: the action it reverses.
    pub undoes: Option<ActionId>,
    /// Applied by an earlier run of the same file: not redone, but counted by the
    /// guardrails' per-run limits, as in that run.
    pub earlier: bool,
}

impl Line {
    /// An action still to go through the gates.
    pub fn pending(action: Action) -> Line {
        Line {
            id: Some(action.id.clone()),
            action: Some(action),
            outcome: None,
            before: None,
            after: None,
            detail: None,
            error: None,
            undoes: None,
            earlier: false,
        }
    }

    /// An element of the file that is not an action: refused.
    pub fn unreadable(id: Option<ActionId>, detail: String) -> Line {
        Line {
            action: None,
            id,
            outcome: Some(Outcome::Refused),
            before: None,
            after: None,
            detail: Some(detail),
            error: None,
            undoes: None,
            earlier: false,
        }
    }

    /// Gives the line its outcome and the reason.
    pub fn settle(&mut self, outcome: Outcome, detail: String) {
        self.outcome = Some(outcome);
        self.detail = Some(detail);
    }

    fn fail(&mut self, error: &linkedin::Error) {
        self.settle(Outcome::Failed, error.to_string());
        self.error = Some(error.name());
    }

    fn pending_action(&self) -> Option<&Action> {
        self.action.as_ref().filter(|_| self.outcome.is_none())
    }

    fn settle_check(&mut self, check: Check) {
        match check {
            Check::Ready { .. } => {}
            Check::Done { before, detail } => {
                self.before = before;
                self.settle(Outcome::Skipped, detail);
            }
            Check::Refused { before, detail } => {
                self.before = before;
                self.settle(Outcome::Refused, detail);
            }
            Check::Failed(error) => self.fail(&error),
        }
    }

    fn entry(&self, job: &Job<'_>) -> Option<LogEntry> {
        Some(LogEntry {
            action: self.action.clone()?,
            outcome: self.outcome?,
            mode: job.mode.to_owned(),
            at: job.now,
            before: self.before.clone(),
            after: self.after.clone(),
            detail: self.detail.clone(),
            error: self.error.map(str::to_owned),
            undoes: self.undoes.clone(),
        })
    }
}

/// How to carry out a batch.
pub(crate) struct Job<'a> {
    /// Where LinkedIn is and the credentials secret's name.
    pub settings: &'a Settings,
    /// The store and the secrets.
    pub ports: Ports<'a>,
    /// The account every pending action belongs to.
    pub account: AccountId,
    /// The log's `mode`: `dry-run`, `approve`, `auto` or `undo`.
    pub mode: &'static str,
    /// Change nothing; record what would change.
    pub dry_run: bool,
    /// The moment of the run.
    pub now: DateTime<Utc>,
    /// The guardrails to screen with.
    pub guardrails: &'a Guardrails,
    /// The action log of the days that matter (the cool-down, earlier dark posts).
    pub log: &'a [LogEntry],
    /// Who approved, in approve mode.
    pub approved_by: Option<&'a str>,
}

/// Takes every pending line to an outcome and logs every line that holds an action.
/// Fails only when LinkedIn's state cannot be read (nothing changed then) or the store
/// fails; a LinkedIn failure of one change fails that line only.
pub(crate) async fn carry_out(lines: &mut [Line], job: &Job<'_>) -> Result<(), Error> {
    let today = job.now.date_naive();
    let pending: Vec<&Action> = lines.iter().filter_map(Line::pending_action).collect();
    if pending.is_empty() {
        return log(lines.iter(), job).await;
    }
    // The campaigns of the pending actions, and of those an earlier run applied (the
    // guardrails count them too); LinkedIn's limits for the pending bids and budgets.
    let touched = lines
        .iter()
        .filter(|l| l.earlier)
        .filter_map(|l| l.action.as_ref())
        .chain(pending.iter().copied())
        .map(|a| a.campaign_id)
        .collect();
    let priced = pending
        .iter()
        .filter(|a| matches!(a.kind, ActionKind::SetBid | ActionKind::SetBudget))
        .map(|a| a.campaign_id)
        .collect();
    let client = linkedin::client_from_secret(
        job.ports.secrets,
        &job.settings.secret_name,
        &job.settings.linkedin,
        today,
    )
    .await?;
    let mut current = Current::read(&client, job.account, &touched, &priced).await?;

    // Each target as LinkedIn shows it, each action taken as made for the next.
    let mut planned = current.clone();
    for line in lines.iter_mut() {
        let Some(action) = line.pending_action().cloned() else {
            continue;
        };
        match planned.check(&action) {
            Check::Ready { before, .. } => {
                line.before = before;
                planned.record(&action);
            }
            other => line.settle_check(other),
        }
    }
    screen(lines, &current, job).await?;
    log(lines.iter().filter(|l| l.outcome.is_some()), job).await?;

    for line in lines.iter_mut() {
        let Some(action) = line.pending_action().cloned() else {
            continue;
        };
        // Checked again against what this run has really done: an earlier change to the
        // same target may have failed.
        let change = match current.check(&action) {
            Check::Ready { change, .. } => change,
            other => {
                line.settle_check(other);
                log([&*line].into_iter(), job).await?;
                continue;
            }
        };
        if job.dry_run {
            line.outcome = Some(Outcome::DryRun);
            line.after = action.to.clone();
            current.record(&action);
        } else {
            let posted = earlier_post(job.log, &action.id);
            match change::make(&client, &action, change, posted, &current).await {
                Ok(after) => {
                    line.outcome = Some(Outcome::Applied);
                    line.after = Some(after);
                    line.detail = job.approved_by.map(|who| format!("approved by {who}"));
                    current.record(&action);
                }
                Err(failure) => {
                    line.fail(&failure.error);
                    if let Some(post) = failure.post {
                        line.detail = line.detail.take().map(|d| {
                            format!(
                                "{d} (dark post {} was created; the next run makes the \
                                 creative from it)",
                                post.as_str()
                            )
                        });
                        line.after = Some(post.as_str().to_owned());
                    }
                }
            }
        }
        log([&*line].into_iter(), job).await?;
    }
    Ok(())
}

/// Screens the pending actions with the guardrails again, on LinkedIn's state now. Actions
/// applied by an earlier run of the same file are screened with them (without their own log
/// entries, which would trip their own cool-down), so per-run limits hold across re-runs.
async fn screen(lines: &mut [Line], current: &Current, job: &Job<'_>) -> Result<(), Error> {
    let screened: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].pending_action().is_some() || lines[i].earlier)
        .collect();
    if !screened.iter().any(|&i| lines[i].outcome.is_none()) {
        return Ok(());
    }
    let mut actions: Vec<Action> = screened
        .iter()
        .filter_map(|&i| lines[i].action.clone())
        .collect();
    let ids: BTreeSet<&ActionId> = actions.iter().map(|a| &a.id).collect();
    let log: Vec<LogEntry> = job
        .log
        .iter()
        .filter(|e| !ids.contains(&e.action.id))
        .cloned()
        .collect();
    let today = job.now.date_naive();
    let raises_budget = actions.iter().any(|a| a.kind == ActionKind::SetBudget);
    let month_spend = if job.guardrails.monthly_spend_cap.is_some() && raises_budget {
        spend::month_so_far(job.ports.store, job.account, today).await?
    } else {
        Decimal::ZERO
    };
    let state = current.account_state(month_spend, log);
    policy::screen(&mut actions, &state, job.guardrails, today);
    for (i, action) in screened.into_iter().zip(actions) {
        if let (None, Some(blocked)) = (lines[i].outcome, action.blocked) {
            lines[i].settle(
                Outcome::Refused,
                format!("guardrail {}: {}", blocked.guardrail, blocked.reason),
            );
        }
    }
    Ok(())
}

/// A dark post an earlier run created for `id` before its creative failed.
fn earlier_post(log: &[LogEntry], id: &ActionId) -> Option<PostUrn> {
    log.iter()
        .rev()
        .filter(|e| &e.action.id == id && e.outcome == Outcome::Failed)
        .find_map(|e| e.after.as_deref()?.parse().ok())
}

async fn log<'l>(lines: impl Iterator<Item = &'l Line>, job: &Job<'_>) -> Result<(), Error> {
    let entries: Vec<LogEntry> = lines.filter_map(|line| line.entry(job)).collect();
    action_log::append(job.ports.store, job.now.date_naive(), &entries).await?;
    Ok(())
}

/// The counts and results of a run, and its failure if an action failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub applied: usize,
    pub dry_run: usize,
    pub skipped: usize,
    pub refused: usize,
    pub failed: usize,
    pub log_key: String,
    pub results: Vec<ActionResult>,
    /// Each failed action: `id (Name): message`.
    pub failures: Vec<String>,
}

impl Summary {
    /// Counts `lines`; `log_key` is the log they were written to.
    pub fn of(lines: &[Line], log_key: String) -> Summary {
        let count = |outcome| lines.iter().filter(|l| l.outcome == Some(outcome)).count();
        Summary {
            applied: count(Outcome::Applied),
            dry_run: count(Outcome::DryRun),
            skipped: count(Outcome::Skipped),
            refused: count(Outcome::Refused),
            failed: count(Outcome::Failed),
            log_key,
            results: lines
                .iter()
                .filter_map(|line| {
                    Some(ActionResult {
                        action_id: line.id.clone(),
                        outcome: line.outcome?,
                        detail: line.detail.clone(),
                        undoes: line.undoes.clone(),
                    })
                })
                .collect(),
            failures: lines
                .iter()
                .filter(|l| l.outcome == Some(Outcome::Failed))
                .map(|l| {
                    format!(
                        "{} ({}): {}",
                        l.id.as_ref().map_or("?", |id| id.0.as_str()),
                        l.error.unwrap_or("failed"),
                        l.detail.as_deref().unwrap_or_default()
                    )
                })
                .collect(),
        }
    }

    /// `Apply.ActionsFailed` naming each failed action, when one failed.
    pub fn failure(&self) -> Option<Error> {
        (!self.failures.is_empty()).then(|| Error::ActionsFailed {
            failed: self.failures.clone(),
            total: self.results.len(),
            log_key: self.log_key.clone(),
            results: self.results.clone(),
        })
    }
}
