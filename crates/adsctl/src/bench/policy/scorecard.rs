//! How a run is judged (shared/reference/ad-performance.md, "How an optimizer is judged"):
//! conversions and cost from the simulator's ground truth; wrong pauses, flip-flops and
//! guardrail violations from the action log against the truth snapshots. The guardrail
//! check is written here independently of `policy::guardrails`, against the default
//! guardrails, so a bug there cannot hide here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::time::Duration;

use ads::decision::{ActionKind, LogEntry, Outcome};
use chrono::NaiveDate;
use policy::Guardrails;
use rust_decimal::prelude::ToPrimitive;
use sim::{CreativeTruth, DeliveryTruth};

use super::{Contender, Job};

/// A pause of a creative whose true value is within this share of its campaign's best is
/// a wrong pause.
const WRONG_PAUSE_MARGIN: f64 = 0.10;

/// A pause, resume and pause of one creative within this many days is a flip-flop.
const FLIP_FLOP_DAYS: i64 = 7;

/// One simulation's figures.
#[derive(Debug, Clone)]
pub struct RunScore {
    /// The market's seed.
    pub seed: u64,
    /// The contender.
    pub contender: Contender,
    /// Conversions the horizon's delivery will ever report.
    pub conversions: f64,
    /// Spend over the horizon, USD.
    pub cost: f64,
    /// Pauses applied.
    pub pauses: u32,
    /// Pauses of a creative within 10% of its campaign's best.
    pub wrong_pauses: u32,
    /// Pause → resume → pause of one creative within a week.
    pub flip_flops: u32,
    /// Applied actions that break a default guardrail.
    pub violations: u32,
    /// Actions applied, by kind.
    pub applied: BTreeMap<ActionKind, u32>,
    /// What the advertiser's launches of new creatives delivered in their first days.
    pub launches: LaunchScore,
}

/// Days after a launch that count as the new creative's first.
pub const FIRST_DAYS: u64 = 14;

/// A new creative the advertiser launched.
#[derive(Debug, Clone, Copy)]
pub struct Launch {
    /// Its campaign.
    pub campaign: u64,
    /// The creative.
    pub creative: u64,
    /// The day it was launched.
    pub day: NaiveDate,
}

/// Conversions in the first [`FIRST_DAYS`] days of each launched creative.
#[derive(Debug, Clone, Copy, Default)]
pub struct LaunchScore {
    /// Creatives launched.
    pub launched: u32,
    /// Their campaigns' conversions over those days (the new creative and its siblings):
    /// what a prior that judges the newcomer well improves.
    pub campaign_conversions: f64,
    /// The new creatives' own conversions over those days.
    pub own_conversions: f64,
}

/// Scores `launches` against the true delivery.
pub fn launches(launches: &[Launch], delivery: &[DeliveryTruth]) -> LaunchScore {
    let mut score = LaunchScore {
        launched: launches.len() as u32,
        ..LaunchScore::default()
    };
    for launch in launches {
        let last = launch.day + chrono::Days::new(FIRST_DAYS - 1);
        for d in delivery
            .iter()
            .filter(|d| d.campaign_id == launch.campaign && d.date >= launch.day && d.date <= last)
        {
            score.campaign_conversions += d.conversions_total as f64;
            if d.creative_id == launch.creative {
                score.own_conversions += d.conversions_total as f64;
            }
        }
    }
    score
}

/// What a creative is truly worth per impression: CTR after fatigue × conversions per click.
/// With LinkedIn's auction a CPC campaign's price falls as its creatives' CTR rises, so
/// conversions per dollar follow this in both billing types.
pub fn true_value(creative: &CreativeTruth) -> f64 {
    creative.base_ctr * creative.fatigue * creative.conversion_rate
}

/// Scores one run.
pub fn score(
    job: &Job,
    delivery: &[DeliveryTruth],
    log: &[LogEntry],
    snapshots: &[(NaiveDate, Vec<CreativeTruth>)],
) -> RunScore {
    let applied: Vec<&LogEntry> = log
        .iter()
        .filter(|e| e.outcome == Outcome::Applied)
        .collect();
    let pauses: Vec<&LogEntry> = applied
        .iter()
        .copied()
        .filter(|e| e.action.kind == ActionKind::Pause)
        .collect();
    RunScore {
        seed: job.seed,
        contender: job.contender,
        conversions: delivery.iter().map(|d| d.conversions_total as f64).sum(),
        cost: delivery
            .iter()
            .map(|d| d.cost_usd.to_f64().unwrap_or(0.0))
            .sum(),
        pauses: pauses.len() as u32,
        wrong_pauses: pauses
            .iter()
            .filter(|e| is_wrong_pause(e, snapshots))
            .count() as u32,
        flip_flops: flip_flops(&applied),
        violations: violations(&applied, snapshots, &Guardrails::default()),
        applied: applied.iter().fold(BTreeMap::new(), |mut kinds, e| {
            *kinds.entry(e.action.kind).or_default() += 1;
            kinds
        }),
        launches: LaunchScore::default(),
    }
}

/// Whether the paused creative was, that morning, within 10% of its campaign's best.
fn is_wrong_pause(entry: &LogEntry, snapshots: &[(NaiveDate, Vec<CreativeTruth>)]) -> bool {
    let day = entry.at.date_naive();
    let Some((_, truth)) = snapshots.iter().find(|(d, _)| *d == day) else {
        return false;
    };
    let Some(creative) = entry.action.creative_id else {
        return false;
    };
    let campaign: Vec<&CreativeTruth> = truth
        .iter()
        .filter(|c| c.campaign_id == entry.action.campaign_id.0 && c.status == "ACTIVE")
        .collect();
    let best = campaign.iter().map(|c| true_value(c)).fold(0.0, f64::max);
    campaign
        .iter()
        .find(|c| c.creative_id == creative.0)
        .is_some_and(|c| true_value(c) >= (1.0 - WRONG_PAUSE_MARGIN) * best)
}

/// Pause → resume → pause sequences of one creative within a week.
fn flip_flops(applied: &[&LogEntry]) -> u32 {
    let mut by_creative: BTreeMap<u64, Vec<(NaiveDate, ActionKind)>> = BTreeMap::new();
    for entry in applied {
        if let (Some(creative), ActionKind::Pause | ActionKind::Resume) =
            (entry.action.creative_id, entry.action.kind)
        {
            by_creative
                .entry(creative.0)
                .or_default()
                .push((entry.at.date_naive(), entry.action.kind));
        }
    }
    by_creative
        .values()
        .map(|changes| {
            changes
                .windows(3)
                .filter(|w| {
                    w[0].1 == ActionKind::Pause
                        && w[1].1 == ActionKind::Resume
                        && w[2].1 == ActionKind::Pause
                        && (w[2].0 - w[0].0).num_days() <= FLIP_FLOP_DAYS
                })
                .count() as u32
        })
        .sum()
}

/// Applied actions that break `rules`: per-run caps, change caps, budget floor, cool-down,
/// and any morning a campaign was left with no active creative.
fn violations(
    applied: &[&LogEntry],
    snapshots: &[(NaiveDate, Vec<CreativeTruth>)],
    rules: &Guardrails,
) -> u32 {
    let mut count = 0u32;
    let mut per_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut pauses: BTreeMap<(NaiveDate, u64), u32> = BTreeMap::new();
    let mut variations: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut last_change: BTreeMap<(u8, u64, u64), NaiveDate> = BTreeMap::new();
    for entry in applied {
        let action = &entry.action;
        let day = entry.at.date_naive();
        *per_day.entry(day).or_default() += 1;
        let item = match action.kind {
            ActionKind::Pause | ActionKind::Resume => 0,
            ActionKind::SetBid => 1,
            ActionKind::SetBudget => 2,
            ActionKind::CreateVariation => 3,
        };
        let creative = action.creative_id.map_or(0, |c| c.0);
        let key = (item, action.campaign_id.0, creative);
        if let Some(previous) = last_change.insert(key, day)
            && (day - previous).num_days() < i64::from(rules.cooldown_days)
        {
            count += 1;
        }
        match action.kind {
            ActionKind::Pause => *pauses.entry((day, action.campaign_id.0)).or_default() += 1,
            ActionKind::CreateVariation => *variations.entry(day).or_default() += 1,
            ActionKind::SetBid | ActionKind::SetBudget => {
                let amounts = (
                    entry.before.as_deref().and_then(|v| v.parse::<f64>().ok()),
                    entry.after.as_deref().and_then(|v| v.parse::<f64>().ok()),
                );
                if let (Some(before), Some(after)) = amounts {
                    let cap = if action.kind == ActionKind::SetBid {
                        rules.max_bid_change_percent
                    } else {
                        rules.max_budget_change_percent
                    };
                    if before > 0.0 && ((after - before) / before).abs() * 100.0 > cap + 1e-9 {
                        count += 1;
                    }
                    let floor = rules.min_daily_budget.to_f64().unwrap_or(0.0);
                    if action.kind == ActionKind::SetBudget && after < floor {
                        count += 1;
                    }
                }
            }
            ActionKind::Resume => {}
        }
    }
    count += per_day
        .values()
        .filter(|n| **n > rules.max_actions_per_run)
        .count() as u32;
    count += pauses
        .values()
        .filter(|n| **n > rules.max_pauses_per_campaign)
        .count() as u32;
    count += variations
        .values()
        .filter(|n| **n > rules.max_variations_per_run)
        .count() as u32;
    // Campaigns that had an active creative on the first morning must keep one.
    let campaigns: BTreeSet<u64> = snapshots.first().map_or_else(BTreeSet::new, |(_, truth)| {
        truth
            .iter()
            .filter(|c| c.status == "ACTIVE")
            .map(|c| c.campaign_id)
            .collect()
    });
    for (_, truth) in snapshots {
        count += campaigns
            .iter()
            .filter(|campaign| {
                !truth
                    .iter()
                    .any(|c| c.campaign_id == **campaign && c.status == "ACTIVE")
            })
            .count() as u32;
    }
    count
}

/// `12 pause, 4 setBudget`: the applied actions of `runs` by kind.
fn applied_by_kind(runs: &[&RunScore]) -> String {
    let mut kinds: BTreeMap<ActionKind, u32> = BTreeMap::new();
    for run in runs {
        for (kind, n) in &run.applied {
            *kinds.entry(*kind).or_default() += n;
        }
    }
    if kinds.is_empty() {
        return "none".to_owned();
    }
    kinds
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The table the benchmark prints.
pub fn table(scores: &[RunScore], contenders: &[Contender], elapsed: Duration) -> String {
    let oracle: BTreeMap<u64, f64> = scores
        .iter()
        .filter(|s| s.contender == Contender::Oracle)
        .map(|s| (s.seed, s.conversions))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| policy | conversions (median) | cost / conversion | share of oracle (median) | \
         actions applied | wrong pauses | flip-flops | guardrail violations |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
    );
    for contender in contenders {
        let runs: Vec<&RunScore> = scores
            .iter()
            .filter(|s| s.contender == *contender)
            .collect();
        let conversions: f64 = runs.iter().map(|s| s.conversions).sum();
        let cost: f64 = runs.iter().map(|s| s.cost).sum();
        let shares: Vec<f64> = runs
            .iter()
            .filter_map(|s| oracle.get(&s.seed).map(|o| s.conversions / o.max(1.0)))
            .collect();
        let share = if shares.is_empty() {
            "—".to_owned()
        } else {
            format!("{:.1}%", 100.0 * median(shares))
        };
        let pauses: u32 = runs.iter().map(|s| s.pauses).sum();
        let wrong: u32 = runs.iter().map(|s| s.wrong_pauses).sum();
        let wrong_share = if pauses == 0 {
            "—".to_owned()
        } else {
            format!(
                "{wrong} ({:.0}%)",
                100.0 * f64::from(wrong) / f64::from(pauses)
            )
        };
        let _ = writeln!(
            out,
            "| {} | {:.0} | ${:.2} | {} | {} | {} | {} | {} |",
            contender.name(),
            median(runs.iter().map(|s| s.conversions).collect()),
            cost / conversions.max(1.0),
            share,
            applied_by_kind(&runs),
            wrong_share,
            runs.iter().map(|s| s.flip_flops).sum::<u32>(),
            runs.iter().map(|s| s.violations).sum::<u32>(),
        );
    }
    let _ = write!(
        out,
        "\n{} simulations in {:.1} s. Violations are counted against the default guardrails; \
         the A/B test and the oracle are references that pause several creatives at once.",
        scores.len(),
        elapsed.as_secs_f64()
    );
    out
}
