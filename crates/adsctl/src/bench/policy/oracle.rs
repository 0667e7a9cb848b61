//! The oracle: the benchmark's upper reference for choosing creatives. Each morning it runs
//! the bayes policy like the bayes contender, then replaces its pauses and resumes with its
//! own, made from what no policy can know — each
//! creative's true CTR, fatigue and conversion rate (the simulator's truth): in each
//! campaign it pauses every active creative truly worse than the best by more than 10%
//! (the benchmark's own line between a right and a wrong pause), and resumes a paused one
//! that has become 10% better than every active one (paused creatives do not fatigue).
//! Bids, budgets and variations move exactly as bayes moves them, so the gap between bayes
//! and the oracle is the price of not knowing the creatives' rates.
use std::collections::BTreeMap;

use ads::AccountId;
use ads::decision::{Action, ActionKind};
use chrono::NaiveDate;
use sim::CreativeTruth;

use super::contender::status_change;
use super::scorecard::true_value;

/// A creative this much better than another is truly better (the wrong-pause line).
const SWITCH_MARGIN: f64 = 1.10;

/// The oracle's creative actions for `today`: resumes first (so a campaign never has no
/// active creative), then pauses.
pub fn creative_choice(
    account: AccountId,
    today: NaiveDate,
    creatives: &[CreativeTruth],
) -> Vec<Action> {
    let mut by_campaign: BTreeMap<u64, Vec<&CreativeTruth>> = BTreeMap::new();
    for creative in creatives
        .iter()
        .filter(|c| c.status == "ACTIVE" || c.status == "PAUSED")
    {
        by_campaign
            .entry(creative.campaign_id)
            .or_default()
            .push(creative);
    }
    let change = |campaign, creative, kind| {
        status_change(
            account,
            campaign,
            creative,
            today,
            kind,
            "oracle: knows the true rates".to_owned(),
        )
    };
    let mut resumes = Vec::new();
    let mut pauses = Vec::new();
    for (campaign, creatives) in by_campaign {
        let best_of = |status: &str| {
            creatives
                .iter()
                .filter(|c| c.status == status)
                .max_by(|a, b| true_value(a).total_cmp(&true_value(b)))
        };
        let (Some(active), paused) = (best_of("ACTIVE"), best_of("PAUSED")) else {
            continue;
        };
        let best = match paused {
            Some(paused) if true_value(paused) > SWITCH_MARGIN * true_value(active) => {
                resumes.push(change(campaign, paused.creative_id, ActionKind::Resume));
                true_value(paused)
            }
            _ => true_value(active),
        };
        for worse in creatives
            .iter()
            .filter(|c| c.status == "ACTIVE" && true_value(c) * SWITCH_MARGIN < best)
        {
            pauses.push(change(campaign, worse.creative_id, ActionKind::Pause));
        }
    }
    resumes.extend(pauses);
    resumes
}
