//! The `rules` mode: each rule of the policy, in order, tests its conditions on every
//! creative (level `creative`) or campaign (level `campaign`: its creatives summed) of the
//! ACTIVE campaigns, over its window (the `window_days` days before `asOf`), and proposes its
//! action where they hold.
//!
//! A rate whose denominator is zero has no value and a condition on it does not hold (no
//! data is not zero); an item without a row in the window is not tested. Conversions are
//! taken as reported (no lag adjustment: fixed rules are the baseline the bayes mode
//! improves on). Only ACTIVE
//! creatives are paused and only PAUSED ones resumed; a creative gets one status change per
//! run (the first rule wins), a campaign at most one bid and one budget change, a winner one
//! variation. Actions come out pauses and resumes first, then budgets, bids, variations,
//! each in rule order.

use std::collections::{BTreeMap, BTreeSet};

use ads::decision::Action;
use ads::{AdCopy, CampaignId, CreativeId, CreativeStatus};
use chrono::{Days, NaiveDate};
use policy::policy::{Combine, Condition, Level, Metric, Op, Rule, RuleAction};

use crate::account::{Account, Campaign, Totals};
use crate::proposal::{Proposer, by_percent, evidence};
use crate::variation;

/// The change of a bid or budget rule when it gives none, percent.
const DEFAULT_CHANGE_PERCENT: f64 = 10.0;

/// The rules mode over `account`: actions in priority order, and notes.
pub(crate) fn decide(
    account: &Account,
    copies: &BTreeMap<CreativeId, AdCopy>,
    rules: &[Rule],
    proposer: Proposer,
) -> (Vec<Action>, Vec<String>) {
    let mut run = Run::default();
    for rule in rules {
        let from = proposer
            .as_of
            .checked_sub_days(Days::new(rule.window_days.into()))
            .unwrap_or(NaiveDate::MIN);
        for campaign in account.campaigns.values().filter(|c| c.is_active()) {
            match rule.level {
                Level::Campaign => {
                    let has_rows = campaign
                        .creatives
                        .values()
                        .any(|c| !c.window(from).is_empty());
                    if has_rows && let Some(why) = fired(rule, &campaign.totals(from)) {
                        run.act(rule, campaign, None, why, copies, proposer);
                    }
                }
                Level::Creative => {
                    for creative in campaign.creatives.values() {
                        if creative.window(from).is_empty() {
                            continue;
                        }
                        if let Some(why) = fired(rule, &creative.totals(from)) {
                            run.act(rule, campaign, Some(creative.id), why, copies, proposer);
                        }
                    }
                }
            }
        }
    }
    run.finish()
}

/// Why a rule fired: the reason's words and the numbers.
struct Fired {
    words: String,
    evidence: BTreeMap<String, f64>,
}

/// The rule's verdict on `totals`: `Some` when its conditions hold.
fn fired(rule: &Rule, totals: &Totals) -> Option<Fired> {
    let outcomes: Vec<(&Condition, Option<f64>, bool)> = rule
        .conditions
        .iter()
        .map(|c| {
            let value = metric(totals, c.metric);
            (c, value, value.is_some_and(|v| c.op.holds(v, c.value)))
        })
        .collect();
    let holds = match rule.combine {
        Combine::All => outcomes.iter().all(|(_, _, held)| *held),
        Combine::Any => outcomes.iter().any(|(_, _, held)| *held),
    };
    if !holds {
        return None;
    }
    let parts: Vec<String> = outcomes
        .iter()
        .filter(|(_, _, held)| *held)
        .map(|(c, value, _)| {
            format!(
                "{} {} {} {}",
                metric_name(c.metric),
                format_metric(c.metric, value.unwrap_or_default(), true),
                op_symbol(c.op),
                format_metric(c.metric, c.value, false)
            )
        })
        .collect();
    let joiner = match rule.combine {
        Combine::All => ", ",
        Combine::Any => " or ",
    };
    let mut numbers: Vec<(&str, f64)> = METRICS
        .iter()
        .filter_map(|(m, key)| metric(totals, *m).map(|v| (*key, v)))
        .collect();
    numbers.push(("windowDays", f64::from(rule.window_days)));
    Some(Fired {
        words: format!(
            "rule '{}': {} over the last {} days",
            rule.name,
            parts.join(joiner),
            rule.window_days
        ),
        evidence: evidence(&numbers),
    })
}

/// Every metric with its evidence key.
const METRICS: [(Metric, &str); 9] = [
    (Metric::Impressions, "impressions"),
    (Metric::Clicks, "clicks"),
    (Metric::Cost, "cost"),
    (Metric::Conversions, "conversions"),
    (Metric::Ctr, "ctr"),
    (Metric::Cpc, "cpc"),
    (Metric::Cpm, "cpm"),
    (Metric::ConversionRate, "conversionRate"),
    (Metric::CostPerConversion, "costPerConversion"),
];

/// The metric over `totals`; a rate with a zero denominator has none.
fn metric(totals: &Totals, metric: Metric) -> Option<f64> {
    let ratio = |top: f64, bottom: u64| (bottom > 0).then(|| top / bottom as f64);
    let (impressions, clicks, conversions) =
        (totals.impressions, totals.clicks, totals.conversions);
    match metric {
        Metric::Impressions => Some(impressions as f64),
        Metric::Clicks => Some(clicks as f64),
        Metric::Cost => Some(totals.cost),
        Metric::Conversions => Some(conversions as f64),
        Metric::Ctr => ratio(clicks as f64, impressions),
        Metric::Cpc => ratio(totals.cost, clicks),
        Metric::Cpm => ratio(totals.cost * 1000.0, impressions),
        Metric::ConversionRate => ratio(conversions as f64, clicks),
        Metric::CostPerConversion => ratio(totals.cost, conversions),
    }
}

/// The metric's name as the policy file writes it.
fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Impressions => "impressions",
        Metric::Clicks => "clicks",
        Metric::Cost => "cost",
        Metric::Conversions => "conversions",
        Metric::Ctr => "ctr",
        Metric::Cpc => "cpc",
        Metric::Cpm => "cpm",
        Metric::ConversionRate => "conversion_rate",
        Metric::CostPerConversion => "cost_per_conversion",
    }
}

/// A value in the metric's unit: rates as percentages, money in dollars (the rows' spend is
/// USD), counts whole. An observed value has two decimals; a threshold as few as it needs.
fn format_metric(metric: Metric, value: f64, observed: bool) -> String {
    let number = |v: f64| {
        if observed {
            format!("{v:.2}")
        } else {
            let text = format!("{v:.4}");
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
    };
    match metric {
        Metric::Ctr | Metric::ConversionRate => format!("{}%", number(value * 100.0)),
        Metric::Cost | Metric::Cpc | Metric::Cpm | Metric::CostPerConversion => {
            format!("${}", number(value))
        }
        Metric::Impressions | Metric::Clicks | Metric::Conversions => format!("{value:.0}"),
    }
}

fn op_symbol(op: Op) -> &'static str {
    match op {
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
    }
}

/// What the rules proposed so far.
#[derive(Default)]
struct Run {
    statuses: Vec<Action>,
    budgets: Vec<Action>,
    bids: Vec<Action>,
    variations: Vec<Action>,
    /// Creatives with a status change, campaigns with a bid, a budget, a variation.
    changed: BTreeSet<CreativeId>,
    bid_changed: BTreeSet<CampaignId>,
    budget_changed: BTreeSet<CampaignId>,
    varied: BTreeSet<CampaignId>,
    notes: Vec<String>,
}

impl Run {
    fn act(
        &mut self,
        rule: &Rule,
        campaign: &Campaign,
        creative: Option<CreativeId>,
        why: Fired,
        copies: &BTreeMap<CreativeId, AdCopy>,
        proposer: Proposer,
    ) {
        let percent = rule.change_percent.unwrap_or(DEFAULT_CHANGE_PERCENT);
        let status = creative.and_then(|id| campaign.creatives.get(&id).and_then(|c| c.status));
        let target = creative.map_or(format!("campaign {}", campaign.id), |c| {
            format!("creative {c}")
        });
        let reason = |verb: &str| format!("{}; {verb} {target}", why.words);
        match (rule.action, creative) {
            (RuleAction::Pause | RuleAction::Resume, Some(id)) => {
                let pause = rule.action == RuleAction::Pause;
                let from = if pause {
                    CreativeStatus::Active
                } else {
                    CreativeStatus::Paused
                };
                if status != Some(from) || !self.changed.insert(id) {
                    return;
                }
                let action = if pause {
                    proposer.pause(campaign.id, id, reason("pause"), why.evidence)
                } else {
                    proposer.resume(campaign.id, id, reason("resume"), why.evidence)
                };
                self.statuses.push(action);
            }
            (RuleAction::RaiseBid | RuleAction::LowerBid, _) => {
                let signed = if rule.action == RuleAction::RaiseBid {
                    percent
                } else {
                    -percent
                };
                if !self.bid_changed.contains(&campaign.id)
                    && let Some(bid) = campaign.unit_cost
                    && let Some(action) = proposer.set_bid(
                        campaign,
                        by_percent(bid, signed),
                        format!(
                            "{}; change the bid of campaign {} by {signed:+}%",
                            why.words, campaign.id
                        ),
                        why.evidence,
                    )
                {
                    self.bid_changed.insert(campaign.id);
                    self.bids.push(action);
                }
            }
            (RuleAction::RaiseBudget | RuleAction::LowerBudget, _) => {
                let signed = if rule.action == RuleAction::RaiseBudget {
                    percent
                } else {
                    -percent
                };
                if !self.budget_changed.contains(&campaign.id)
                    && let Some(budget) = campaign.daily_budget
                    && let Some(action) = proposer.set_budget(
                        campaign,
                        by_percent(budget, signed),
                        format!(
                            "{}; change the daily budget of campaign {} by {signed:+}%",
                            why.words, campaign.id
                        ),
                        why.evidence,
                    )
                {
                    self.budget_changed.insert(campaign.id);
                    self.budgets.push(action);
                }
            }
            (RuleAction::CreateVariation, Some(id)) => {
                if self.varied.contains(&campaign.id)
                    || campaign.active_creatives().count() >= variation::MAX_ACTIVE_CREATIVES
                {
                    return;
                }
                match copies.get(&id).map(variation::rewrite) {
                    Some(Some(copy)) => {
                        self.varied.insert(campaign.id);
                        let reason = reason("create a variation of");
                        self.variations
                            .push(proposer.variation(campaign.id, id, copy, reason, why.evidence));
                    }
                    Some(None) => self.notes.push(format!(
                        "creative {id}'s copy already has every feature the rewrite adds; no variation"
                    )),
                    None => self.notes.push(format!(
                        "creative {id} would get a variation but its ad copy is not in the store \
                         (processed/creatives); no variation"
                    )),
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> (Vec<Action>, Vec<String>) {
        let mut actions = self.statuses;
        actions.extend(self.budgets);
        actions.extend(self.bids);
        actions.extend(self.variations);
        (actions, self.notes)
    }
}
