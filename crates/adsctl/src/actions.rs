//! `adsctl actions`: the action log (`logs/optimizer_actions/`), one line per entry, and the
//! one-line form of an action the other commands print too.

use ads::decision::{Action, LogEntry};
use chrono::NaiveDate;
use clap::Args;

use crate::config::ConfigArgs;

/// Which entries to list.
#[derive(Debug, Args)]
pub struct ActionsArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Only the entries of this day (YYYY-MM-DD, UTC) [default: every day].
    #[arg(long)]
    date: Option<NaiveDate>,
}

impl ActionsArgs {
    /// Prints the log.
    pub async fn run(self) -> anyhow::Result<()> {
        let store = self.config.resolve()?.store();
        let entries = match self.date {
            Some(day) => policy::action_log::read_day(&store, day).await?,
            None => policy::action_log::read_all(&store).await?,
        };
        if entries.is_empty() {
            println!("the action log is empty");
        }
        for entry in &entries {
            println!("{}", log_line(entry));
        }
        Ok(())
    }
}

/// `<id> <kind> <target> <from> → <to>  [blocked by <guardrail>: <reason>]  — <reason>`.
pub fn describe(action: &Action) -> String {
    let change = match (&action.from, &action.to) {
        (Some(from), Some(to)) => format!(" {from} → {to}"),
        _ => String::new(),
    };
    let blocked = action
        .blocked
        .as_ref()
        .map(|b| format!("  [blocked by {}: {}]", b.guardrail, b.reason))
        .unwrap_or_default();
    format!(
        "{} {} {}{change}{blocked} — {}",
        action.id,
        action.kind,
        action.target(),
        action.reason
    )
}

/// One log entry: when, outcome, the action, before → after, and why.
fn log_line(entry: &LogEntry) -> String {
    let undoes = entry
        .undoes
        .as_ref()
        .map(|id| format!(" (undoes {id})"))
        .unwrap_or_default();
    let state = match (&entry.before, &entry.after) {
        (Some(before), Some(after)) => format!(" [{before} → {after}]"),
        (Some(before), None) => format!(" [was {before}]"),
        _ => String::new(),
    };
    let detail = entry
        .detail
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default();
    format!(
        "{} {:<8} {:<7} {} {} {}{state}{undoes}{detail}",
        entry.at.format("%Y-%m-%d %H:%M"),
        entry.outcome.as_str(),
        entry.mode,
        entry.action.id,
        entry.action.kind,
        entry.action.target()
    )
}
