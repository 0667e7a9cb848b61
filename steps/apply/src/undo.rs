//! Undo: reversing applied actions — one by its id, or every one applied on a day — through
//! the same gates as apply, logged like any other change (mode `undo`, `undoes` naming the
//! action reversed).
//!
//! The reverse of a pause is a resume and the other way round; of a bid or budget change,
//! the change from the value it set back to the value it found (the log's `after` and
//! `before`); of a variation, pausing the creative it created (its id is the log's `after`).
//! A reverse action is dated today and has its own derived id.
//!
//! Undo is a person's explicit command: the cool-down, the per-run counts and the policy's
//! percentages do not hold it back. Two things still do: it never pauses the last active
//! creative of a campaign, and LinkedIn's own bid and budget limits hold. As in apply, a
//! target already reversed is skipped and one that moved since is refused.

use std::collections::{BTreeMap, BTreeSet};

use ads::AccountId;
use ads::decision::{Action, ActionId, ActionKind, LogEntry, Outcome};
use chrono::{DateTime, NaiveDate, Utc};
use policy::Guardrails;
use policy::action_log;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::batch::{self, Job, Line};
use crate::{ActionResult, Error, Ports, Settings};

/// What to undo (JSON, camelCase): exactly one of `actionId` and `date`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoInput {
    /// The id of an applied action, as the action log (`adsctl actions`) lists it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<ActionId>,
    /// A day (UTC, `YYYY-MM-DD`): every action applied that day is reversed, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The moment of the undo (RFC 3339, UTC): it dates the log entries and the reverse
    /// actions. Absent: the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
}

/// What undo did (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoOutput {
    /// Actions reversed on LinkedIn.
    pub applied: usize,
    /// Nothing to do: undone before, or the target is already back.
    pub skipped: usize,
    /// Refused: the target moved since, the reverse is impossible, or the last-active-
    /// creative guardrail holds it.
    pub refused: usize,
    /// Failed on LinkedIn: 0 in a returned output (a failure returns
    /// `Apply.ActionsFailed`).
    pub failed: usize,
    /// The action log written, `logs/optimizer_actions/YYYY-MM-DD.jsonl` of `now`'s day.
    pub log_key: String,
    /// One result per action reversed (its `actionId` is the reverse action's, `undoes` the
    /// original's), newest original first.
    pub results: Vec<ActionResult>,
}

/// Reverses the applied actions `input` names (see the module's documentation). An id the
/// log does not hold as applied, or a day with nothing applied, is `Input.Invalid`.
pub async fn undo(
    input: UndoInput,
    settings: &Settings,
    ports: Ports<'_>,
) -> Result<UndoOutput, Error> {
    let now = input.now.unwrap_or_else(Utc::now);
    let today = now.date_naive();
    let log = action_log::read_all(ports.store).await?;
    let mut batches: BTreeMap<AccountId, Vec<Line>> = BTreeMap::new();
    for original in select(&input, &log)? {
        batches
            .entry(original.action.account_id)
            .or_default()
            .push(reverse_line(original, &log, today));
    }
    let guardrails = undo_guardrails();
    let mut lines = Vec::new();
    for (account, mut batch) in batches {
        let job = Job {
            settings,
            ports,
            account,
            mode: "undo",
            dry_run: false,
            now,
            guardrails: &guardrails,
            log: &log,
            approved_by: None,
        };
        batch::carry_out(&mut batch, &job).await?;
        lines.extend(batch);
    }
    let summary = batch::Summary::of(&lines, LogEntry::key(today));
    if let Some(failure) = summary.failure() {
        return Err(failure);
    }
    Ok(UndoOutput {
        applied: summary.applied,
        skipped: summary.skipped,
        refused: summary.refused,
        failed: summary.failed,
        log_key: summary.log_key,
        results: summary.results,
    })
}

fn invalid(field: &'static str, message: String) -> Error {
    Error::InvalidInput { field, message }
}

/// The applied actions to reverse, newest first (the latest entry of each id).
fn select<'l>(input: &UndoInput, log: &'l [LogEntry]) -> Result<Vec<&'l LogEntry>, Error> {
    let applied = |e: &&LogEntry| e.outcome == Outcome::Applied && e.undoes.is_none();
    match (&input.action_id, input.date) {
        (Some(id), None) => {
            if let Some(entry) = log
                .iter()
                .rev()
                .filter(applied)
                .find(|e| &e.action.id == id)
            {
                return Ok(vec![entry]);
            }
            let message = match log.iter().find(|e| &e.action.id == id) {
                Some(entry) if entry.undoes.is_some() => format!(
                    "{id} is itself an undo; undo reverses the optimizer's actions (apply the \
                     decisions file again to redo one)"
                ),
                Some(_) => format!(
                    "{id} was never applied (the log has it only as dryRun, skipped, refused \
                     or failed), so there is nothing to undo"
                ),
                None => format!(
                    "no applied action with id {id} in the action log; `adsctl actions` lists \
                     them"
                ),
            };
            Err(invalid("actionId", message))
        }
        (None, Some(date)) => {
            let mut seen = BTreeSet::new();
            let chosen: Vec<&LogEntry> = log
                .iter()
                .rev()
                .filter(applied)
                .filter(|e| e.at.date_naive() == date && seen.insert(&e.action.id))
                .collect();
            if chosen.is_empty() {
                return Err(invalid(
                    "date",
                    format!("no action was applied on {date}; `adsctl actions` lists the log"),
                ));
            }
            Ok(chosen)
        }
        _ => Err(invalid(
            "actionId",
            "give exactly one of actionId (one action) and date (every action of a day)".to_owned(),
        )),
    }
}

/// The line reversing `original`: pending, skipped when it was undone before, refused when
/// it cannot be reversed.
fn reverse_line(original: &LogEntry, log: &[LogEntry], today: NaiveDate) -> Line {
    let id = &original.action.id;
    let mut line = match reverse(original, today) {
        Ok(action) => Line::pending(action),
        Err(detail) => Line::unreadable(None, detail),
    };
    line.undoes = Some(id.clone());
    if line.action.is_some() && !action_log::was_applied(log, id) {
        let day = log
            .iter()
            .filter(|e| e.outcome == Outcome::Applied && e.undoes.as_ref() == Some(id))
            .map(|e| e.at.date_naive())
            .max();
        let on = day.map(|d| format!(" on {d}")).unwrap_or_default();
        line.settle(Outcome::Skipped, format!("{id} was already undone{on}"));
    }
    line
}

/// The action that reverses `original`, dated `today`.
fn reverse(original: &LogEntry, today: NaiveDate) -> Result<Action, String> {
    let action = &original.action;
    let swapped = || {
        (
            original.after.clone().or_else(|| action.to.clone()),
            original.before.clone().or_else(|| action.from.clone()),
        )
    };
    let (kind, creative_id, (from, to)) = match action.kind {
        ActionKind::Pause => (ActionKind::Resume, action.creative_id, swapped()),
        ActionKind::Resume => (ActionKind::Pause, action.creative_id, swapped()),
        ActionKind::SetBid | ActionKind::SetBudget => (action.kind, None, swapped()),
        ActionKind::CreateVariation => {
            let created = original
                .after
                .as_deref()
                .and_then(|after| after.parse().ok())
                .ok_or_else(|| {
                    format!(
                        "the log does not hold the creative variation {} created (its after \
                         is {:?}); pause it in Campaign Manager",
                        action.id, original.after
                    )
                })?;
            (
                ActionKind::Pause,
                Some(created),
                (Some("ACTIVE".to_owned()), Some("PAUSED".to_owned())),
            )
        }
    };
    Ok(Action {
        id: ActionId(String::new()),
        kind,
        account_id: action.account_id,
        campaign_id: action.campaign_id,
        creative_id,
        as_of: today,
        from,
        to,
        currency: action.currency.clone(),
        variation: None,
        reason: format!(
            "undo of {} ({} of {}, applied {})",
            action.id,
            action.kind,
            action.target(),
            original.at.date_naive()
        ),
        evidence: BTreeMap::new(),
        blocked: None,
    }
    .with_derived_id())
}

/// Percentages no change reaches (a `Decimal` holds it; `f64::MAX` would not).
const UNLIMITED_PERCENT: f64 = 1e12;

/// Undo's guardrails: only the last active creative and LinkedIn's limits hold.
fn undo_guardrails() -> Guardrails {
    Guardrails {
        max_pauses_per_campaign: u32::MAX,
        max_bid_change_percent: UNLIMITED_PERCENT,
        max_budget_change_percent: UNLIMITED_PERCENT,
        min_daily_budget: Decimal::ZERO,
        max_daily_budget: None,
        cooldown_days: 0,
        monthly_spend_cap: None,
        max_actions_per_run: u32::MAX,
        max_variations_per_run: u32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::{CampaignId, CreativeId};
    use chrono::TimeZone;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 12).unwrap()
    }

    fn applied(kind: ActionKind, from: &str, to: &str, after: &str, day: u32) -> LogEntry {
        let action = Action {
            id: ActionId(String::new()),
            kind,
            account_id: AccountId(5),
            campaign_id: CampaignId(7),
            creative_id: kind.targets_creative().then_some(CreativeId(9)),
            as_of: NaiveDate::from_ymd_opt(2026, 9, day).unwrap(),
            from: (!from.is_empty()).then(|| from.to_owned()),
            to: (!to.is_empty()).then(|| to.to_owned()),
            currency: None,
            variation: None,
            reason: "r".into(),
            evidence: BTreeMap::new(),
            blocked: None,
        }
        .with_derived_id();
        LogEntry {
            before: action.from.clone(),
            after: Some(after.to_owned()),
            action,
            outcome: Outcome::Applied,
            mode: "auto".into(),
            at: Utc.with_ymd_and_hms(2026, 9, day, 6, 0, 0).unwrap(),
            detail: None,
            error: None,
            undoes: None,
        }
    }

    #[test]
    fn reverses_a_pause_a_bid_and_a_variation() {
        // GIVEN an applied pause, bid change and variation
        let pause = applied(ActionKind::Pause, "ACTIVE", "PAUSED", "PAUSED", 10);
        let bid = applied(ActionKind::SetBid, "6.50", "7.15", "7.15", 10);
        let variation = applied(ActionKind::CreateVariation, "", "", "880000009", 10);
        // WHEN reversed
        let resume = reverse(&pause, today()).unwrap();
        let back = reverse(&bid, today()).unwrap();
        let pause_new = reverse(&variation, today()).unwrap();
        // THEN each is the opposite change, dated today, with its own id
        assert_eq!(resume.kind, ActionKind::Resume);
        assert_eq!(
            (resume.from.as_deref(), resume.to.as_deref()),
            (Some("PAUSED"), Some("ACTIVE"))
        );
        assert_eq!(
            (back.from.as_deref(), back.to.as_deref()),
            (Some("7.15"), Some("6.50"))
        );
        assert_eq!(pause_new.kind, ActionKind::Pause);
        assert_eq!(pause_new.creative_id, Some(CreativeId(880000009)));
        assert_eq!(resume.as_of, today());
        assert!(resume.id_matches() && resume.id != pause.action.id);
    }

    #[test]
    fn an_unknown_id_or_an_empty_day_is_invalid_input_naming_the_fix() {
        let log = vec![applied(ActionKind::Pause, "ACTIVE", "PAUSED", "PAUSED", 10)];
        let by_id = UndoInput {
            action_id: Some(ActionId("0123456789abcdef".into())),
            ..UndoInput::default()
        };
        let message = select(&by_id, &log).unwrap_err().to_string();
        assert!(
            message.contains("no applied action with id 0123456789abcdef"),
            "{message}"
        );
        assert!(message.contains("adsctl actions"), "{message}");
        let by_day = UndoInput {
            date: Some(today()),
            ..UndoInput::default()
        };
        assert!(select(&by_day, &log).is_err());
        assert!(select(&UndoInput::default(), &log).is_err());
    }

    #[test]
    fn a_day_selects_its_applied_actions_newest_first_and_skips_what_was_undone() {
        // GIVEN two actions applied on the 10th, the first of them undone on the 11th
        let first = applied(ActionKind::Pause, "ACTIVE", "PAUSED", "PAUSED", 10);
        let mut second = applied(ActionKind::SetBid, "6.50", "7.15", "7.15", 10);
        second.at += chrono::Duration::hours(1);
        let mut undone = applied(ActionKind::Resume, "PAUSED", "ACTIVE", "ACTIVE", 11);
        undone.undoes = Some(first.action.id.clone());
        let log = vec![first.clone(), second.clone(), undone];
        let input = UndoInput {
            date: NaiveDate::from_ymd_opt(2026, 9, 10),
            ..UndoInput::default()
        };
        // WHEN selected and reversed
        let chosen = select(&input, &log).unwrap();
        let lines: Vec<Line> = chosen
            .iter()
            .map(|e| reverse_line(e, &log, today()))
            .collect();
        // THEN the newest comes first, and the undone one is skipped with the day
        assert_eq!(chosen[0].action.id, second.action.id);
        assert_eq!(lines[0].outcome, None);
        assert_eq!(lines[1].outcome, Some(Outcome::Skipped));
        assert!(
            lines[1]
                .detail
                .as_deref()
                .unwrap()
                .ends_with("already undone on 2026-09-11")
        );
        assert_eq!(lines[1].undoes.as_ref(), Some(&first.action.id));
    }
}
