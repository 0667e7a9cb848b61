//! What a report says, computed once from its sources; [`crate::markdown`] and
//! [`crate::html`] only lay it out.
//!
//! - Figures: spend, conversions, clicks and impressions over the series window and over
//!   its last 7 days, and every day of the window (days without a row count as zero: a day
//!   LinkedIn reported no delivery for had none).
//! - Creatives: each creative's clicks and impressions over the window with its 90% CTR
//!   credible interval, labelled by its headline when collect has its ad copy.
//! - Actions: every action of the decisions file, then every other action in the day's
//!   action log, each with its status — what apply did when the log says, else blocked or
//!   proposed — its reason and its evidence.

use std::collections::{BTreeMap, HashMap};

use ads::decision::{Action, ActionId, ActionKind, LogEntry, Outcome};
use ads::{AccountId, CampaignId, CreativeId};
use chrono::{Days, NaiveDate};
use collect::curated::CreativeRecord;

use crate::credible::{self, Interval};
use crate::numbers;
use crate::series::SeriesRow;
use crate::sources::Sources;
use crate::{Input, StepFailure};

/// The most creatives a report charts: those with the most impressions.
pub const MAX_CREATIVES: usize = 40;

/// The most evidence numbers shown per action (in name order).
pub const MAX_EVIDENCE: usize = 6;

/// The days of the recent figures, counted back from the series' last day.
pub const RECENT_DAYS: u64 = 7;

/// Which report this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The daily report: `reports/YYYY-MM-DD.*`.
    Daily,
    /// An approval request: `reports/YYYY-MM-DD-approval.*`.
    Approval,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Daily report or approval request.
    pub kind: Kind,
    /// The ad account.
    pub account: AccountId,
    /// The day reported on.
    pub as_of: NaiveDate,
    /// The heading, e.g. `LinkedIn Ads report — 2026-09-01`.
    pub title: String,
    /// The notice's one-line subject.
    pub subject: String,
    /// Where the Markdown goes.
    pub markdown_key: String,
    /// Where the HTML goes.
    pub html_key: String,
    /// An earlier step's failure, shown first.
    pub failure: Option<Failure>,
    /// The approval asked for, shown next.
    pub approval: Option<Approval>,
    /// The decide run behind the actions: its mode and when it ran, in words.
    pub decided: Option<String>,
    /// Headline figures; `None` when there is no series (no data yet).
    pub figures: Option<Figures>,
    /// Every day of the series window, oldest first.
    pub days: Vec<DayTotals>,
    /// The charted creatives, by campaign, best posterior CTR first.
    pub creatives: Vec<CreativeCtr>,
    /// Creatives with impressions left out of the chart (past [`MAX_CREATIVES`]).
    pub creatives_hidden: usize,
    /// Every action, decided or logged.
    pub actions: Vec<ActionLine>,
    /// apply's summary as `(field, value)` pairs, nested fields dotted (`counts.applied`).
    pub apply: Vec<(String, String)>,
    /// Notes: the decide run's, and what could not be read.
    pub notes: Vec<String>,
    /// The store keys the report was made from, as `(what, key)`.
    pub inputs: Vec<(String, String)>,
}

/// An earlier step's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Its stable name, e.g. `Query.Failed`.
    pub error: String,
    /// Its message: a Lambda cause's `errorMessage`, else the cause as given.
    pub cause: Option<String>,
}

/// An approval request and how to answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The command that approves: `adsctl approve <token>`.
    pub approve: String,
    /// The command that rejects: `adsctl reject <token>`.
    pub reject: String,
    /// How many actions await the decision (proposed, not blocked).
    pub pending: usize,
}

/// Sums over a span of days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    /// The span's first day.
    pub first: NaiveDate,
    /// The span's last day.
    pub last: NaiveDate,
    /// Spend, US dollars.
    pub spend: f64,
    /// Conversions.
    pub conversions: f64,
    /// Clicks.
    pub clicks: u64,
    /// Impressions.
    pub impressions: u64,
}

impl Totals {
    /// Spend per conversion; `None` without conversions.
    pub fn cost_per_conversion(&self) -> Option<f64> {
        (self.conversions > 0.0).then(|| self.spend / self.conversions)
    }

    /// Clicks per impression; `None` without impressions.
    pub fn ctr(&self) -> Option<f64> {
        (self.impressions > 0).then(|| self.clicks as f64 / self.impressions as f64)
    }
}

/// The headline figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Over the whole series window.
    pub window: Totals,
    /// Over its last [`RECENT_DAYS`] days.
    pub recent: Totals,
}

/// One day's sums.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayTotals {
    /// The day.
    pub day: NaiveDate,
    /// Spend, US dollars.
    pub spend: f64,
    /// Conversions.
    pub conversions: f64,
}

/// One creative's CTR over the window.
#[derive(Debug, Clone, PartialEq)]
pub struct CreativeCtr {
    /// The creative.
    pub creative: CreativeId,
    /// Its campaign.
    pub campaign: CampaignId,
    /// Its headline or name, when collect has its ad copy.
    pub label: Option<String>,
    /// Its current status, when known.
    pub status: Option<String>,
    /// Impressions over the window.
    pub impressions: u64,
    /// Clicks over the window.
    pub clicks: u64,
    /// The posterior mean and 90% credible interval of its CTR.
    pub interval: Interval,
}

impl CreativeCtr {
    /// The observed CTR, clicks per impression.
    pub fn observed(&self) -> f64 {
        if self.impressions == 0 {
            0.0
        } else {
            self.clicks as f64 / self.impressions as f64
        }
    }
}

/// Where an action stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Decided, not (yet) acted on.
    Proposed,
    /// Stopped by a guardrail; never applied.
    Blocked {
        /// The guardrail's name, e.g. `cooldownDays`.
        guardrail: String,
        /// Why, in words.
        reason: String,
    },
    /// What apply (or undo) did, from the action log.
    Done(Outcome),
}

impl Status {
    /// The status in one word, as in files: `proposed`, `blocked`, `applied`, `dryRun`, ...
    pub fn word(&self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Blocked { .. } => "blocked",
            Status::Done(outcome) => outcome.as_str(),
        }
    }

    /// Every status word, in the order reports count them.
    pub const ORDER: [&'static str; 7] = [
        "applied", "dryRun", "proposed", "blocked", "skipped", "refused", "failed",
    ];
}

/// One action as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionLine {
    /// The action's id.
    pub id: ActionId,
    /// Pause, resume, set bid, ...
    pub kind: ActionKind,
    /// `creative 880000002` or `campaign 700000001`.
    pub target: String,
    /// The target creative's headline or name, when known.
    pub target_label: Option<String>,
    /// The change: `ACTIVE → PAUSED`, `6.50 → 7.15 USD`, or a variation's new headline.
    pub change: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// Why, in the decider's words.
    pub reason: String,
    /// The key evidence, formatted, in name order (at most [`MAX_EVIDENCE`]).
    pub evidence: Vec<(String, String)>,
    /// What the action log saw: `before → after`.
    pub observed: Option<String>,
    /// Why it was skipped, refused or failed, with the error's name.
    pub detail: Option<String>,
}

impl Report {
    /// The report `input` asks for, from what was read.
    pub fn build(input: &Input, sources: Sources) -> Report {
        let kind = if input.approval.is_some() {
            Kind::Approval
        } else {
            Kind::Daily
        };
        let stem = match kind {
            Kind::Daily => format!("reports/{}", input.as_of),
            Kind::Approval => format!("reports/{}-approval", input.as_of),
        };
        let labels = labels(&sources.creatives);
        let decisions = sources.decisions.as_ref().map(|(_, d)| d);
        let actions = actions(
            decisions.map_or(&[][..], |d| &d.actions[..]),
            &sources.log,
            &labels,
        );
        let rows = sources.series.as_ref().map_or(&[][..], |(_, r)| &r[..]);
        let days = days(rows);
        let figures = figures(&days, rows);
        let (creatives, creatives_hidden) = creatives(rows, &labels);
        let approval = input.approval.as_ref().map(|request| Approval {
            approve: format!("adsctl approve {}", request.task_token),
            reject: format!("adsctl reject {}", request.task_token),
            pending: actions
                .iter()
                .filter(|a| a.status == Status::Proposed)
                .count(),
        });
        let failure = input.error.as_ref().map(failure);
        let mut notes: Vec<String> = decisions.map(|d| d.notes.clone()).unwrap_or_default();
        notes.extend(sources.notes);
        let mut inputs = Vec::new();
        if let Some((key, _)) = &sources.decisions {
            inputs.push(("decisions".to_owned(), key.clone()));
        }
        if let Some((key, _)) = &sources.series {
            inputs.push(("series".to_owned(), key.clone()));
        }
        let mut report = Report {
            kind,
            account: input.account_id,
            as_of: input.as_of,
            title: match kind {
                Kind::Daily => format!("LinkedIn Ads report — {}", input.as_of),
                Kind::Approval => format!("LinkedIn Ads approval request — {}", input.as_of),
            },
            subject: String::new(),
            markdown_key: format!("{stem}.md"),
            html_key: format!("{stem}.html"),
            failure,
            approval,
            decided: decisions.map(|d| {
                format!(
                    "decided {} in {} mode (execution {})",
                    d.decided_at.format("%Y-%m-%d %H:%M UTC"),
                    d.mode,
                    d.execution
                )
            }),
            figures,
            days,
            creatives,
            creatives_hidden,
            actions,
            apply: input.apply.as_ref().map(flatten).unwrap_or_default(),
            notes,
            inputs,
        };
        report.subject = report.subject_line();
        report
    }

    /// How many actions have each status, in [`Status::ORDER`], leaving out zeros.
    pub fn status_counts(&self) -> Vec<(&'static str, usize)> {
        Status::ORDER
            .iter()
            .map(|word| {
                let n = self
                    .actions
                    .iter()
                    .filter(|a| a.status.word() == *word)
                    .count();
                (*word, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The counts in words: `2 applied, 1 blocked`, or `no actions`.
    pub fn status_summary(&self) -> String {
        let counts = self.status_counts();
        if counts.is_empty() {
            return "no actions".to_owned();
        }
        counts
            .iter()
            .map(|(word, n)| format!("{n} {word}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The notice's subject: a failure first, then an approval, else the day's summary.
    fn subject_line(&self) -> String {
        let whose = format!("LinkedIn Ads {}, account {}", self.as_of, self.account);
        if let Some(failure) = &self.failure {
            return format!("FAILED {}: {whose}", failure.error);
        }
        if let Some(approval) = &self.approval {
            let s = if approval.pending == 1 { "" } else { "s" };
            return format!("Approval needed: {} action{s}, {whose}", approval.pending);
        }
        match &self.figures {
            Some(figures) => format!(
                "{whose}: {}; spend {} in {} days",
                self.status_summary(),
                numbers::money(figures.recent.spend),
                RECENT_DAYS
            ),
            None => format!("{whose}: {}; no data yet", self.status_summary()),
        }
    }
}

/// The failure, with a Lambda cause's JSON reduced to its message.
fn failure(failure: &StepFailure) -> Failure {
    let cause = failure.cause.as_ref().map(|cause| {
        serde_json::from_str::<serde_json::Value>(cause)
            .ok()
            .and_then(|json| json.get("errorMessage")?.as_str().map(str::to_owned))
            .unwrap_or_else(|| cause.clone())
    });
    Failure {
        error: failure.error.clone(),
        cause,
    }
}

/// Each creative's headline (or name), by id.
fn labels(creatives: &[CreativeRecord]) -> HashMap<CreativeId, String> {
    creatives
        .iter()
        .filter_map(|record| {
            let label = record
                .copy
                .headline
                .clone()
                .or_else(|| record.name.clone())?;
            Some((record.creative_id, label))
        })
        .collect()
}

/// Every day from the series' first to its last, with its sums.
fn days(rows: &[SeriesRow]) -> Vec<DayTotals> {
    let mut by_day: BTreeMap<NaiveDate, DayTotals> = BTreeMap::new();
    for row in rows {
        let day = by_day.entry(row.day).or_insert(DayTotals {
            day: row.day,
            spend: 0.0,
            conversions: 0.0,
        });
        day.spend += row.cost;
        day.conversions += row.conversions;
    }
    let (Some(first), Some(last)) = (
        by_day.keys().next().copied(),
        by_day.keys().next_back().copied(),
    ) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|day| {
            by_day.get(&day).copied().unwrap_or(DayTotals {
                day,
                spend: 0.0,
                conversions: 0.0,
            })
        })
        .collect()
}

/// The window's and the recent days' totals; `None` without days.
fn figures(days: &[DayTotals], rows: &[SeriesRow]) -> Option<Figures> {
    let first = days.first()?.day;
    let last = days.last()?.day;
    let recent_first = (last - Days::new(RECENT_DAYS - 1)).max(first);
    let totals = |from: NaiveDate| {
        let mut totals = Totals {
            first: from,
            last,
            spend: 0.0,
            conversions: 0.0,
            clicks: 0,
            impressions: 0,
        };
        for row in rows.iter().filter(|row| row.day >= from) {
            totals.spend += row.cost;
            totals.conversions += row.conversions;
            totals.clicks += row.clicks;
            totals.impressions += row.impressions;
        }
        totals
    };
    Some(Figures {
        window: totals(first),
        recent: totals(recent_first),
    })
}

/// The creatives with impressions, at most [`MAX_CREATIVES`] (the most seen), by campaign
/// and best posterior CTR first; and how many were left out.
fn creatives(
    rows: &[SeriesRow],
    labels: &HashMap<CreativeId, String>,
) -> (Vec<CreativeCtr>, usize) {
    // (campaign, creative) → (impressions, clicks, latest status); rows are in day order.
    let mut sums: BTreeMap<(CampaignId, CreativeId), (u64, u64, Option<String>)> = BTreeMap::new();
    for row in rows {
        let entry = sums
            .entry((row.campaign_id, row.creative_id))
            .or_insert((0, 0, None));
        entry.0 += row.impressions;
        entry.1 += row.clicks;
        if row.creative_status.is_some() {
            entry.2.clone_from(&row.creative_status);
        }
    }
    let mut all: Vec<CreativeCtr> = sums
        .into_iter()
        .filter(|(_, (impressions, _, _))| *impressions > 0)
        .map(
            |((campaign, creative), (impressions, clicks, status))| CreativeCtr {
                creative,
                campaign,
                label: labels.get(&creative).cloned(),
                status,
                impressions,
                clicks,
                interval: credible::ctr_interval(clicks, impressions),
            },
        )
        .collect();
    let hidden = all.len().saturating_sub(MAX_CREATIVES);
    if hidden > 0 {
        all.sort_by_key(|c| std::cmp::Reverse(c.impressions));
        all.truncate(MAX_CREATIVES);
    }
    all.sort_by(|a, b| {
        a.campaign
            .cmp(&b.campaign)
            .then(b.interval.mean.total_cmp(&a.interval.mean))
            .then(a.creative.cmp(&b.creative))
    });
    (all, hidden)
}

/// The decided actions with what the log says of each, then the logged actions that were
/// not in the decisions file (another run's, an undo), once each.
fn actions(
    decided: &[Action],
    log: &[LogEntry],
    labels: &HashMap<CreativeId, String>,
) -> Vec<ActionLine> {
    let latest = |id: &ActionId| log.iter().rev().find(|entry| &entry.action.id == id);
    let mut lines: Vec<ActionLine> = decided
        .iter()
        .map(|action| line(action, latest(&action.id), labels))
        .collect();
    for entry in log {
        let id = &entry.action.id;
        if lines.iter().all(|line| &line.id != id) {
            lines.push(line(&entry.action, latest(id), labels));
        }
    }
    lines
}

/// One action as shown, with its latest log entry if any.
fn line(
    action: &Action,
    entry: Option<&LogEntry>,
    labels: &HashMap<CreativeId, String>,
) -> ActionLine {
    let status = match (entry, &action.blocked) {
        (Some(entry), _) => Status::Done(entry.outcome),
        (None, Some(blocked)) => Status::Blocked {
            guardrail: blocked.guardrail.clone(),
            reason: blocked.reason.clone(),
        },
        (None, None) => Status::Proposed,
    };
    let change = match (&action.from, &action.to, &action.variation) {
        (Some(from), Some(to), _) => Some(match &action.currency {
            Some(currency) => format!("{from} → {to} {currency}"),
            None => format!("{from} → {to}"),
        }),
        (_, _, Some(copy)) => Some(match (&copy.headline, &copy.call_to_action) {
            (Some(headline), Some(cta)) => format!("new ad “{headline}” ({cta})"),
            (Some(headline), None) => format!("new ad “{headline}”"),
            _ => "new ad from a rewritten copy".to_owned(),
        }),
        _ => None,
    };
    let target_label = action
        .creative_id
        .filter(|_| action.kind.targets_creative())
        .and_then(|creative| labels.get(&creative).cloned());
    let observed = entry
        .filter(|e| e.before.is_some() || e.after.is_some())
        .map(|e| {
            format!(
                "{} → {}",
                e.before.as_deref().unwrap_or("—"),
                e.after.as_deref().unwrap_or("—")
            )
        });
    let detail = entry.and_then(|e| match (&e.detail, &e.error) {
        (Some(detail), Some(error)) => Some(format!("{error}: {detail}")),
        (Some(detail), None) => Some(detail.clone()),
        (None, Some(error)) => Some(error.clone()),
        (None, None) => None,
    });
    ActionLine {
        id: action.id.clone(),
        kind: action.kind,
        target: action.target(),
        target_label,
        change,
        status,
        reason: action.reason.clone(),
        evidence: action
            .evidence
            .iter()
            .take(MAX_EVIDENCE)
            .map(|(name, value)| (name.clone(), numbers::evidence(*value)))
            .collect(),
        observed,
        detail,
    }
}

/// apply's output as `(field, value)` pairs, nested objects' fields dotted.
fn flatten(value: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(fields) => {
                for (name, value) in fields {
                    let name = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    walk(&name, value, out);
                }
            }
            serde_json::Value::String(text) => out.push((prefix.to_owned(), text.clone())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", value, &mut out);
    if let [(name, _)] = &mut out[..]
        && name.is_empty()
    {
        "apply".clone_into(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApprovalRequest;
    use ads::decision::Blocked;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    fn row(
        creative: u64,
        d: u32,
        impressions: u64,
        clicks: u64,
        conv: f64,
        cost: f64,
    ) -> SeriesRow {
        SeriesRow {
            campaign_id: CampaignId(700),
            creative_id: CreativeId(creative),
            day: day(d),
            impressions,
            clicks,
            conversions: conv,
            cost,
            campaign_status: Some("ACTIVE".into()),
            creative_status: Some("ACTIVE".into()),
        }
    }

    fn input() -> Input {
        serde_json::from_value(json!({ "accountId": "500", "asOf": "2026-09-10" })).unwrap()
    }

    fn action(kind: ActionKind, creative: Option<u64>) -> Action {
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: AccountId(500),
            campaign_id: CampaignId(700),
            creative_id: creative.map(CreativeId),
            as_of: day(10),
            from: Some("ACTIVE".into()),
            to: Some("PAUSED".into()),
            currency: None,
            variation: None,
            reason: "worse".into(),
            evidence: BTreeMap::new(),
            blocked: None,
        }
        .with_derived_id()
    }

    fn entry(action: &Action, outcome: Outcome) -> LogEntry {
        LogEntry {
            action: action.clone(),
            outcome,
            mode: "auto".into(),
            at: Utc.with_ymd_and_hms(2026, 9, 10, 6, 0, 0).unwrap(),
            before: Some("ACTIVE".into()),
            after: Some("PAUSED".into()),
            detail: None,
            error: None,
            undoes: None,
        }
    }

    #[test]
    fn days_without_rows_count_as_zero_and_recent_figures_cover_the_last_seven() {
        // GIVEN rows on days 1, 2 and 10 (nothing delivered in between)
        let rows = vec![
            row(1, 1, 1000, 10, 1.0, 10.0),
            row(1, 2, 1000, 10, 1.0, 10.0),
            row(1, 10, 1000, 20, 2.0, 30.0),
        ];
        // WHEN the days and figures are computed
        let days = days(&rows);
        let figures = figures(&days, &rows).unwrap();
        // THEN all ten days are there, and the recent figures hold only days 4..=10
        assert_eq!(days.len(), 10);
        assert_eq!(days[4].spend, 0.0);
        assert_eq!(figures.window.spend, 50.0);
        assert_eq!(figures.window.cost_per_conversion(), Some(12.5));
        assert_eq!(
            (figures.recent.first, figures.recent.last),
            (day(4), day(10))
        );
        assert_eq!(figures.recent.spend, 30.0);
        assert_eq!(figures.recent.ctr(), Some(0.02));
    }

    #[test]
    fn the_log_says_what_happened_and_logged_actions_outside_the_file_are_listed_too() {
        // GIVEN a decided pause apply applied, a blocked one, a proposed one, and an undo
        // in the log that is not in the decisions file
        let applied = action(ActionKind::Pause, Some(1));
        let mut blocked = action(ActionKind::Pause, Some(2));
        blocked.blocked = Some(Blocked {
            guardrail: "cooldownDays".into(),
            reason: "changed 1 day ago".into(),
        });
        let proposed = action(ActionKind::Resume, Some(3));
        let undo = action(ActionKind::Resume, Some(4));
        let log = vec![
            entry(&applied, Outcome::Applied),
            entry(&undo, Outcome::Applied),
        ];
        // WHEN the actions are listed
        let lines = actions(&[applied, blocked, proposed], &log, &HashMap::new());
        // THEN each has its status, and the undo comes last
        let words: Vec<_> = lines.iter().map(|l| l.status.word()).collect();
        assert_eq!(words, ["applied", "blocked", "proposed", "applied"]);
        assert_eq!(lines[0].observed.as_deref(), Some("ACTIVE → PAUSED"));
        assert_eq!(lines[3].target, "creative 4");
    }

    #[test]
    fn a_lambda_cause_is_reduced_to_its_message() {
        let cause = json!({"errorType": "Query.Failed", "errorMessage": "table missing"});
        let failure = failure(&StepFailure {
            error: "Query.Failed".into(),
            cause: Some(cause.to_string()),
        });
        assert_eq!(failure.cause.as_deref(), Some("table missing"));
    }

    #[test]
    fn an_approval_counts_the_proposed_actions_and_names_its_files() {
        // GIVEN an approval request over two proposed actions and a blocked one
        let mut input = input();
        input.approval = Some(ApprovalRequest {
            task_token: "tok".into(),
            decisions_key: "decisions/2026-09-10/x.json".into(),
        });
        let mut blocked = action(ActionKind::Pause, Some(2));
        blocked.blocked = Some(Blocked {
            guardrail: "maxPausesPerCampaign".into(),
            reason: "two already".into(),
        });
        let sources = Sources {
            decisions: Some((
                "decisions/2026-09-10/x.json".into(),
                ads::decision::Decisions {
                    account_id: AccountId(500),
                    as_of: day(10),
                    execution: "x".into(),
                    mode: "bayes".into(),
                    decided_at: Utc.with_ymd_and_hms(2026, 9, 10, 5, 0, 0).unwrap(),
                    actions: vec![
                        action(ActionKind::Pause, Some(1)),
                        action(ActionKind::Resume, Some(3)),
                        blocked,
                    ],
                    notes: vec![],
                },
            )),
            ..Sources::default()
        };
        // WHEN the report is built
        let report = Report::build(&input, sources);
        // THEN it asks about the two proposed, under the approval keys
        assert_eq!(report.approval.as_ref().unwrap().pending, 2);
        assert_eq!(report.markdown_key, "reports/2026-09-10-approval.md");
        assert!(
            report.subject.starts_with("Approval needed: 2 actions"),
            "{}",
            report.subject
        );
    }

    #[test]
    fn apply_output_is_flattened_with_dotted_names() {
        let pairs = flatten(&json!({"mode": "dry-run", "counts": {"dryRun": 3, "failed": 0}}));
        assert!(pairs.contains(&("mode".into(), "dry-run".into())));
        assert!(pairs.contains(&("counts.dryRun".into(), "3".into())));
        assert!(pairs.contains(&("counts.failed".into(), "0".into())));
    }
}
