//! The gates that need no LinkedIn, taken in order for each element of the decisions file:
//! readable, untampered (its id matches its content), not a repeat of an earlier element, of
//! the file's account, not blocked by decide, approved (approve mode), not applied before.
//! An element stopped at a gate is settled with the reason; the others stay pending.

use std::collections::{BTreeMap, BTreeSet};

use ads::decision::{ActionId, LogEntry, Outcome};
use chrono::NaiveDate;
use policy::action_log;

use crate::batch::Line;
use crate::decisions_file::DecisionsFile;

/// Days of the action log to read: back to the file's day (an action is applied on or after
/// it), and at least the 31 days the cool-down may look at.
pub(crate) fn log_days(as_of: NaiveDate, today: NaiveDate) -> u32 {
    let since = (today - as_of).num_days() + 1;
    u32::try_from(since).unwrap_or(0).max(31)
}

/// The gates that need no LinkedIn: readable, untampered, not a repeat of an earlier
/// element, of the file's account, not blocked, approved, not applied before. What passes
/// stays pending.
pub(crate) fn admit(
    file: &DecisionsFile,
    approved: Option<&BTreeSet<ActionId>>,
    log: &[LogEntry],
) -> Vec<Line> {
    let mut first_of: BTreeMap<&ActionId, usize> = BTreeMap::new();
    file.elements
        .iter()
        .enumerate()
        .map(|(i, element)| {
            let action = match element {
                Ok(action) => action,
                Err(unreadable) => {
                    return Line::unreadable(unreadable.id.clone(), unreadable.detail.clone());
                }
            };
            let mut line = Line::pending(action.clone());
            if !action.id_matches() {
                line.settle(
                    Outcome::Refused,
                    format!(
                        "actions[{i}] (id {}): id does not match its content — the decisions \
                         file was edited after decide; run decide again",
                        action.id
                    ),
                );
                return line;
            }
            let first = *first_of.entry(&action.id).or_insert(i);
            if first != i {
                line.settle(
                    Outcome::Skipped,
                    format!("actions[{i}] is the same action as actions[{first}]"),
                );
            } else if action.account_id != file.account {
                line.settle(
                    Outcome::Refused,
                    format!(
                        "actions[{i}]: account {} is not the file's account {}",
                        action.account_id, file.account
                    ),
                );
            } else if let Some(blocked) = &action.blocked {
                line.settle(
                    Outcome::Refused,
                    format!("blocked by {}: {}", blocked.guardrail, blocked.reason),
                );
            } else if approved.is_some_and(|ids| !ids.contains(&action.id)) {
                line.settle(
                    Outcome::Refused,
                    "not approved: approve mode applies only the actions a person approved"
                        .to_owned(),
                );
            } else if let Some(day) = applied_on(log, &action.id) {
                line.settle(Outcome::Skipped, format!("applied on {day}"));
                line.earlier = true;
            }
            line
        })
        .collect()
}

/// The day `id` was applied, when it was and has not been undone since.
fn applied_on(log: &[LogEntry], id: &ActionId) -> Option<NaiveDate> {
    if !action_log::was_applied(log, id) {
        return None;
    }
    log.iter()
        .filter(|e| e.outcome == Outcome::Applied && &e.action.id == id)
        .map(|e| e.at.date_naive())
        .max()
}
