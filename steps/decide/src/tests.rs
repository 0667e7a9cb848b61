//! Behaviour of the step over rows built in code: each scenario is a campaign of creatives
//! with given true rates, its rows the expected counts (rounded cumulatively, so totals are
//! exact) with conversions reported as the default lag profile says.

use std::collections::BTreeMap;
use std::sync::Mutex;

use ads::decision::{ActionKind, Outcome};
use ads::{CampaignId, CampaignStatus, CostType, CreativeStatus};
use async_trait::async_trait;
use chrono::{Days, TimeZone};
use policy::guardrails::names;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde_json::json;

use super::*;

const ACCOUNT: AccountId = AccountId(500000001);

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 29).unwrap()
}

/// One creative's true behaviour over its days (the last is the day before `asOf`).
#[derive(Debug, Clone)]
struct Spec {
    campaign: u64,
    creative: u64,
    /// CTR on the first day and on the last (a straight line between).
    ctr: (f64, f64),
    cvr: f64,
    impressions_per_day: u64,
    days: u32,
    status: CreativeStatus,
    daily_budget: Decimal,
    /// Conversions reported as the default lag profile says (else all at once).
    lagged: bool,
}

fn spec(campaign: u64, creative: u64, ctr: f64, cvr: f64) -> Spec {
    Spec {
        campaign,
        creative,
        ctr: (ctr, ctr),
        cvr,
        impressions_per_day: 2000,
        days: 28,
        status: CreativeStatus::Active,
        daily_budget: Decimal::new(500, 0),
        lagged: true,
    }
}

/// CPM paid, USD per thousand impressions.
const CPM: f64 = 30.0;

impl Spec {
    fn rows(&self) -> Vec<SeriesRow> {
        let completeness = Policy::default().bayes.lag_completeness;
        let (mut clicks_sum, mut conversions_sum) = (0.0, 0.0);
        let (mut clicks_before, mut conversions_before) = (0u64, 0u64);
        (0..self.days)
            .map(|d| {
                let age = self.days - 1 - d;
                let share = if self.days > 1 {
                    f64::from(d) / f64::from(self.days - 1)
                } else {
                    0.0
                };
                let ctr = self.ctr.0 + (self.ctr.1 - self.ctr.0) * share;
                let impressions = self.impressions_per_day;
                let expected_clicks = impressions as f64 * ctr;
                clicks_sum += expected_clicks;
                let reported = if self.lagged {
                    completeness.get(age as usize).copied().unwrap_or(1.0)
                } else {
                    1.0
                };
                conversions_sum += expected_clicks * self.cvr * reported;
                let clicks = clicks_sum.round() as u64 - clicks_before;
                let conversions = conversions_sum.round() as u64 - conversions_before;
                clicks_before += clicks;
                conversions_before += conversions;
                SeriesRow {
                    campaign_id: CampaignId(self.campaign),
                    creative_id: CreativeId(self.creative),
                    day: as_of() - Days::new(u64::from(age) + 1),
                    impressions: Some(impressions),
                    clicks: Some(clicks),
                    conversions: Some(conversions),
                    cost: Decimal::from_f64(impressions as f64 * CPM / 1000.0),
                    unit_cost: Some(Decimal::new(650, 2)),
                    daily_budget: Some(self.daily_budget),
                    currency: Some("USD".into()),
                    cost_type: Some(CostType::Cpm),
                    campaign_status: Some(CampaignStatus::Active),
                    creative_status: Some(self.status),
                }
            })
            .collect()
    }
}

fn rows(specs: &[Spec]) -> Vec<SeriesRow> {
    specs.iter().flat_map(Spec::rows).collect()
}

fn decide_with(specs: &[Spec], policy: &Policy) -> (Vec<Action>, Vec<String>) {
    decide(
        &rows(specs),
        &BTreeMap::new(),
        None,
        &[],
        policy,
        ACCOUNT,
        as_of(),
    )
}

fn of_kind(actions: &[Action], kind: ActionKind) -> Vec<&Action> {
    actions.iter().filter(|a| a.kind == kind).collect()
}

fn paused(actions: &[Action]) -> Vec<u64> {
    of_kind(actions, ActionKind::Pause)
        .iter()
        .filter(|a| a.blocked.is_none())
        .filter_map(|a| a.creative_id.map(|c| c.0))
        .collect()
}

/// Creatives 1 and 2 at 0.8% CTR, creative 3 at 0.3%, all converting 5% of clicks.
fn one_loser() -> Vec<Spec> {
    vec![
        spec(7, 1, 0.008, 0.05),
        spec(7, 2, 0.008, 0.05),
        spec(7, 3, 0.003, 0.05),
    ]
}

#[test]
fn a_clear_loser_with_enough_impressions_is_paused_with_reason_and_evidence() {
    // GIVEN a campaign where creative 3's CTR is under half its rivals', 56,000 impressions each
    // WHEN bayes decides
    let (actions, _) = decide_with(&one_loser(), &Policy::default());
    // THEN creative 3, and only it, is paused
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let pause = &actions[0];
    assert_eq!(pause.kind, ActionKind::Pause);
    assert_eq!(pause.creative_id, Some(CreativeId(3)));
    assert_eq!(pause.campaign_id, CampaignId(7));
    assert_eq!(
        (pause.from.as_deref(), pause.to.as_deref()),
        (Some("ACTIVE"), Some("PAUSED"))
    );
    assert!(pause.blocked.is_none());
    assert!(pause.id_matches());
    // AND the reason says why in numbers, and the evidence carries them
    for words in [
        "creative 3",
        "CTR 0.3",
        "90%:",
        "P(best)",
        "expected loss",
        "56000 impressions",
    ] {
        assert!(pause.reason.contains(words), "{words}: {}", pause.reason);
    }
    let evidence = &pause.evidence;
    assert!(evidence["probWorse"] >= 0.9, "{evidence:?}");
    assert!(evidence["probBest"] < 0.01);
    assert!(evidence["expectedLoss"] > 0.4);
    assert_eq!(evidence["impressions"], 56_000.0);
    assert_eq!(evidence["clicks"], 168.0);
    assert!(evidence["ctrLow"] < evidence["ctr"] && evidence["ctr"] < evidence["ctrHigh"]);
    assert!(evidence.contains_key("convPerDollar"));
}

#[test]
fn the_same_loser_under_min_impressions_is_not_paused() {
    // GIVEN the same campaign, with a policy wanting more impressions than creative 3 has
    let mut policy = Policy::default();
    policy.bayes.min_impressions = 60_000;
    // WHEN bayes decides
    let (actions, _) = decide_with(&one_loser(), &policy);
    // THEN nothing is paused
    assert!(paused(&actions).is_empty(), "{actions:#?}");
}

#[test]
fn equal_creatives_are_left_alone() {
    // GIVEN three creatives with the same rates
    let specs = [
        spec(7, 1, 0.006, 0.05),
        spec(7, 2, 0.006, 0.05),
        spec(7, 3, 0.006, 0.05),
    ];
    // WHEN bayes decides
    let (actions, _) = decide_with(&specs, &Policy::default());
    // THEN there is nothing to do
    assert!(actions.is_empty(), "{actions:#?}");
}

#[test]
fn rows_on_or_after_as_of_are_ignored() {
    // GIVEN the one-loser campaign, plus rows on asOf and after where the loser shines
    let mut all = rows(&one_loser());
    let mut late = all.clone();
    late.retain(|r| r.creative_id == CreativeId(3));
    for (i, row) in late.iter_mut().enumerate() {
        row.day = as_of() + Days::new(i as u64 % 3);
        row.clicks = Some(500);
        row.conversions = Some(100);
    }
    all.extend(late);
    // WHEN bayes decides with and without them
    let policy = Policy::default();
    let with_late = decide(&all, &BTreeMap::new(), None, &[], &policy, ACCOUNT, as_of());
    let without = decide_with(&one_loser(), &policy);
    // THEN the decisions are the same: the loser is paused
    assert_eq!(with_late, without);
    assert_eq!(paused(&with_late.0), [3]);
}

#[test]
fn the_lag_adjustment_keeps_a_new_creative_with_unreported_conversions() {
    // GIVEN an old creative and one started three days ago, equally good (1% CTR, 10% of
    // clicks convert), whose recent conversions are not all reported yet
    let old = Spec {
        impressions_per_day: 5000,
        ..spec(7, 1, 0.01, 0.10)
    };
    let new = Spec {
        impressions_per_day: 40_000,
        days: 3,
        ..spec(7, 2, 0.01, 0.10)
    };
    let specs = [old, new];
    // WHEN bayes decides with the lag profile, and with it switched off
    let (with_lag, notes) = decide_with(&specs, &Policy::default());
    let mut no_lag = Policy::default();
    no_lag.bayes.lag_completeness = Vec::new();
    let (without_lag, _) = decide_with(&specs, &no_lag);
    // THEN the new creative is kept with the adjustment, and wrongly paused without it
    assert!(paused(&with_lag).is_empty(), "{with_lag:#?}");
    assert_eq!(paused(&without_lag), [2], "{without_lag:#?}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("7 recent day(s) are incomplete")),
        "{notes:?}"
    );
}

#[test]
fn days_below_the_minimum_completeness_are_excluded_and_noted() {
    // GIVEN a 3-day reporting lag on top of the profile
    let mut policy = Policy::default();
    policy.bayes.lag_days = 3;
    // WHEN bayes decides
    let (_, notes) = decide_with(&one_loser(), &policy);
    // THEN the three newest days' conversions are left out, and the note says so
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("excluded 3 day(s) of conversions as incomplete")),
        "{notes:?}"
    );
}

fn copy(headline: &str) -> AdCopy {
    AdCopy {
        commentary: Some("Read how teams onboard customers.".into()),
        headline: Some(headline.into()),
        description: Some("A guide".into()),
        landing_page: Some("https://example.com/guide".into()),
        call_to_action: Some("LEARN_MORE".into()),
    }
}

#[test]
fn a_fatigued_best_creative_gets_a_variation_that_says_so() {
    // GIVEN a best creative whose CTR fell from 2% to 0.8% over four weeks, and two flat ones
    let declining = Spec {
        ctr: (0.02, 0.008),
        ..spec(7, 1, 0.0, 0.05)
    };
    let specs = [declining, spec(7, 2, 0.005, 0.05), spec(7, 3, 0.005, 0.05)];
    let copies = BTreeMap::from([(CreativeId(1), copy("A guide to customer onboarding"))]);
    // WHEN bayes decides
    let (actions, _) = decide(
        &rows(&specs),
        &copies,
        None,
        &[],
        &Policy::default(),
        ACCOUNT,
        as_of(),
    );
    // THEN the variation of creative 1 says it is fatigued, with the numbers
    let variations = of_kind(&actions, ActionKind::CreateVariation);
    assert_eq!(variations.len(), 1, "{actions:#?}");
    let variation = variations[0];
    assert_eq!(variation.creative_id, Some(CreativeId(1)));
    assert!(
        variation.reason.contains("is fatigued"),
        "{}",
        variation.reason
    );
    assert!(variation.evidence["probFatigued"] >= 0.9);
    assert!(variation.evidence["recentCtr"] < variation.evidence["earlierCtr"] * 0.7);
    // AND a flat creative is not fatigued
    let flat = of_kind(&actions, ActionKind::Pause);
    assert!(
        flat.iter()
            .all(|a| !a.evidence.contains_key("probFatigued"))
    );
}

#[test]
fn a_fatigued_creative_is_judged_on_its_recent_ctr_and_paused() {
    // GIVEN a steady 1% creative, and one that fell from 1.2% to 0.4%: over the window it is
    // not confidently worse, over its last week it is
    let declining = Spec {
        ctr: (0.012, 0.004),
        ..spec(7, 2, 0.0, 0.05)
    };
    let specs = [spec(7, 1, 0.01, 0.05), declining];
    // WHEN bayes decides
    let (actions, _) = decide_with(&specs, &Policy::default());
    // THEN it is paused for fatigue, with both probabilities in the evidence
    assert_eq!(paused(&actions), [2], "{actions:#?}");
    let pause = &actions[0];
    assert!(
        pause.reason.starts_with("creative 2 is fatigued"),
        "{}",
        pause.reason
    );
    assert!(pause.evidence["probWorse"] < 0.9);
    assert!(pause.evidence["probWorseRecent"] >= 0.9);
}

#[test]
fn a_confident_winner_gets_a_deterministic_variation_of_its_copy() {
    // GIVEN creative 1 far ahead of two others, with its copy stored
    let specs = [
        spec(7, 1, 0.015, 0.05),
        spec(7, 2, 0.006, 0.05),
        spec(7, 3, 0.006, 0.05),
    ];
    let original = copy("A guide to customer onboarding");
    let copies = BTreeMap::from([(CreativeId(1), original.clone())]);
    let run = || {
        decide(
            &rows(&specs),
            &copies,
            None,
            &[],
            &Policy::default(),
            ACCOUNT,
            as_of(),
        )
    };
    // WHEN bayes decides, twice
    let (actions, _) = run();
    // THEN one variation of creative 1 with a rewritten copy, the same both times
    let variations = of_kind(&actions, ActionKind::CreateVariation);
    assert_eq!(variations.len(), 1, "{actions:#?}");
    let variation = variations[0];
    assert_eq!(variation.creative_id, Some(CreativeId(1)));
    assert!(variation.evidence["probBest"] >= 0.95);
    assert!(
        variation.reason.contains("leads campaign 7"),
        "{}",
        variation.reason
    );
    let rewritten = variation.variation.clone().unwrap();
    assert_ne!(rewritten, original);
    assert_eq!(rewritten.call_to_action.as_deref(), Some("DOWNLOAD"));
    assert_eq!(run().0, actions);
    // AND a variation comes after the pauses
    assert_eq!(
        actions.last().map(|a| a.kind),
        Some(ActionKind::CreateVariation)
    );
}

#[test]
fn no_variation_without_copy_or_with_four_active_creatives() {
    // GIVEN the confident winner without stored copy, and with four active creatives
    let three = [
        spec(7, 1, 0.015, 0.05),
        spec(7, 2, 0.006, 0.05),
        spec(7, 3, 0.006, 0.05),
    ];
    let mut four = three.to_vec();
    four.push(spec(7, 4, 0.006, 0.05));
    let copies = BTreeMap::from([(CreativeId(1), copy("A guide to customer onboarding"))]);
    // WHEN bayes decides
    let (without_copy, notes) = decide_with(&three, &Policy::default());
    let (crowded, _) = decide(
        &rows(&four),
        &copies,
        None,
        &[],
        &Policy::default(),
        ACCOUNT,
        as_of(),
    );
    // THEN neither has a variation; the missing copy is noted
    assert!(of_kind(&without_copy, ActionKind::CreateVariation).is_empty());
    assert!(
        notes
            .iter()
            .any(|n| n.contains("ad copy is not in the store")),
        "{notes:?}"
    );
    assert!(of_kind(&crowded, ActionKind::CreateVariation).is_empty());
}

#[test]
fn budget_moves_from_a_worse_campaign_to_a_better_one_keeping_the_total() {
    // GIVEN two campaigns spending their $60 budgets, one converting 10% of clicks, one 2%
    let budget = Decimal::new(60, 0);
    let good = Spec {
        daily_budget: budget,
        ..spec(7, 1, 0.01, 0.10)
    };
    let poor = Spec {
        daily_budget: budget,
        ..spec(8, 2, 0.01, 0.02)
    };
    // WHEN bayes decides
    let (actions, _) = decide_with(&[good, poor], &Policy::default());
    // THEN 20% of the poor one's budget moves to the good one, cut first, total unchanged
    let budgets = of_kind(&actions, ActionKind::SetBudget);
    assert_eq!(budgets.len(), 2, "{actions:#?}");
    let (cut, raise) = (budgets[0], budgets[1]);
    assert_eq!(cut.campaign_id, CampaignId(8));
    assert_eq!(
        (cut.from.as_deref(), cut.to.as_deref()),
        (Some("60.00"), Some("48.00"))
    );
    assert_eq!(raise.campaign_id, CampaignId(7));
    assert_eq!(
        (raise.from.as_deref(), raise.to.as_deref()),
        (Some("60.00"), Some("72.00"))
    );
    let amount = |a: &Action, f: fn(&Action) -> &Option<String>| -> Decimal {
        f(a).as_deref().unwrap().parse().unwrap()
    };
    let before = amount(cut, |a| &a.from) + amount(raise, |a| &a.from);
    let after = amount(cut, |a| &a.to) + amount(raise, |a| &a.to);
    assert_eq!(before, after);
    assert_eq!(cut.currency.as_deref(), Some("USD"));
    assert!(cut.blocked.is_none() && raise.blocked.is_none());
    assert!(cut.evidence["probBetter"] >= 0.9);
    assert!(cut.reason.contains("per conversion"), "{}", cut.reason);
}

#[test]
fn when_a_guardrail_blocks_half_a_budget_move_both_halves_are_blocked() {
    // GIVEN the two campaigns, the poor one's budget changed yesterday (cool-down)
    let budget = Decimal::new(60, 0);
    let specs = [
        Spec {
            daily_budget: budget,
            ..spec(7, 1, 0.01, 0.10)
        },
        Spec {
            daily_budget: budget,
            ..spec(8, 2, 0.01, 0.02)
        },
    ];
    let (proposed, _) = decide_with(&specs, &Policy::default());
    let cut = of_kind(&proposed, ActionKind::SetBudget)[0].clone();
    let log = [applied(cut, 1)];
    // WHEN bayes decides with that log
    let (actions, _) = decide(
        &rows(&specs),
        &BTreeMap::new(),
        None,
        &log,
        &Policy::default(),
        ACCOUNT,
        as_of(),
    );
    // THEN the cut is blocked by the cool-down, and the raise with it
    let budgets = of_kind(&actions, ActionKind::SetBudget);
    let guardrails: Vec<_> = budgets
        .iter()
        .map(|a| a.blocked.as_ref().map(|b| b.guardrail.as_str()))
        .collect();
    assert_eq!(guardrails, [Some(names::COOLDOWN_DAYS); 2]);
    assert!(
        budgets[1]
            .blocked
            .as_ref()
            .unwrap()
            .reason
            .contains("other half")
    );
}

/// `action` as applied `days_ago` days before `asOf`.
fn applied(action: Action, days_ago: u64) -> LogEntry {
    let day = as_of() - Days::new(days_ago);
    LogEntry {
        action,
        outcome: Outcome::Applied,
        mode: "auto".into(),
        at: Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()),
        before: None,
        after: None,
        detail: None,
        error: None,
        undoes: None,
    }
}

#[test]
fn bids_rise_where_delivery_lags_and_fall_where_full_budgets_convert_poorly() {
    // GIVEN two CPC campaigns bidding $6.50: campaign 7 converts well but spends $60 of
    // $500 a day; campaign 8 converts poorly and spends all of its $60
    let good = spec(7, 1, 0.01, 0.10);
    let poor = Spec {
        daily_budget: Decimal::new(60, 0),
        ..spec(8, 2, 0.01, 0.02)
    };
    let mut cpc = rows(&[good, poor]);
    for row in &mut cpc {
        row.cost_type = Some(CostType::Cpc);
    }
    // WHEN bayes decides
    let (actions, _) = decide(
        &cpc,
        &BTreeMap::new(),
        None,
        &[],
        &Policy::default(),
        ACCOUNT,
        as_of(),
    );
    // THEN campaign 7's bid rises 10% and campaign 8's falls 10%, each with its reason
    let bids: Vec<_> = of_kind(&actions, ActionKind::SetBid)
        .into_iter()
        .map(|a| {
            (
                a.campaign_id.0,
                a.from.clone().unwrap(),
                a.to.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        bids,
        [
            (7, "6.50".to_owned(), "7.15".to_owned()),
            (8, "6.50".to_owned(), "5.85".to_owned())
        ],
        "{actions:#?}"
    );
    let raise = of_kind(&actions, ActionKind::SetBid)[0];
    assert!(raise.reason.contains("under-delivers"), "{}", raise.reason);
    assert_eq!(raise.currency.as_deref(), Some("USD"));
    // AND no budget moves to campaign 7, which does not spend what it has
    assert!(
        of_kind(&actions, ActionKind::SetBudget).is_empty(),
        "{actions:#?}"
    );
}

#[test]
fn seed_rules_pause_a_low_ctr_creative_over_100_clicks_only() {
    // GIVEN CTR 0.5% on 28,000 impressions (140 clicks in 14 days), CTR 0.5% on 18,000
    // (90 clicks), and a 2% creative
    let many = spec(7, 1, 0.005, 0.05);
    let few = Spec {
        impressions_per_day: 18_000 / 14,
        ..spec(7, 2, 0.005, 0.05)
    };
    let specs = [many, few, spec(7, 3, 0.02, 0.05)];
    // WHEN the seed's rules decide
    let (actions, _) = decide_with(&specs, &Policy::seed_rules());
    // THEN only the creative with more than 100 clicks is paused, the rule named with its numbers
    assert_eq!(paused(&actions), [1], "{actions:#?}");
    assert_eq!(
        actions[0].reason,
        "rule 'pause low CTR': ctr 0.50% < 1%, clicks 140 > 100 over the last 14 days; pause \
         creative 1"
    );
    assert_eq!(actions[0].evidence["clicks"], 140.0);
    assert_eq!(actions[0].evidence["windowDays"], 14.0);
}

#[test]
fn two_losers_in_one_campaign_pause_one_and_the_second_is_blocked() {
    // GIVEN two clear losers beside two winners
    let specs = [
        spec(7, 1, 0.01, 0.05),
        spec(7, 2, 0.01, 0.05),
        spec(7, 3, 0.003, 0.05),
        spec(7, 4, 0.0035, 0.05),
    ];
    // WHEN bayes decides
    let (actions, _) = decide_with(&specs, &Policy::default());
    // THEN both pauses are proposed, worst first, and the second is blocked
    let pauses = of_kind(&actions, ActionKind::Pause);
    assert_eq!(pauses.len(), 2, "{actions:#?}");
    assert_eq!(pauses[0].creative_id, Some(CreativeId(3)));
    assert!(pauses[0].blocked.is_none());
    let blocked = pauses[1].blocked.as_ref().unwrap();
    assert_eq!(blocked.guardrail, names::MAX_PAUSES_PER_CAMPAIGN);
}

#[test]
fn the_last_active_creative_is_never_paused() {
    // GIVEN a campaign whose only active creative breaks the seed's CTR rule, and a paused one
    let paused_one = Spec {
        status: CreativeStatus::Paused,
        ..spec(7, 2, 0.02, 0.05)
    };
    let specs = [spec(7, 1, 0.005, 0.05), paused_one];
    // WHEN the seed's rules decide
    let (actions, _) = decide_with(&specs, &Policy::seed_rules());
    // THEN the pause is kept, blocked as the last active creative
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let blocked = actions[0].blocked.as_ref().unwrap();
    assert_eq!(blocked.guardrail, names::LAST_ACTIVE_CREATIVE);
}

#[test]
fn campaigns_that_are_not_active_are_never_decided_on() {
    // GIVEN the one-loser campaign, paused
    let mut paused_campaign = rows(&one_loser());
    for row in &mut paused_campaign {
        row.campaign_status = Some(CampaignStatus::Paused);
    }
    // WHEN bayes and the seed's rules decide
    for policy in [Policy::default(), Policy::seed_rules()] {
        let (actions, _) = decide(
            &paused_campaign,
            &BTreeMap::new(),
            None,
            &[],
            &policy,
            ACCOUNT,
            as_of(),
        );
        // THEN nothing is proposed
        assert!(actions.is_empty(), "{actions:#?}");
    }
}

/// An object store in memory.
#[derive(Default)]
struct MemoryStore(Mutex<BTreeMap<String, Bytes>>);

#[async_trait]
impl ObjectStore for MemoryStore {
    async fn put(&self, key: &str, body: Bytes, _content_type: &str) -> Result<(), PortError> {
        self.0.lock().unwrap().insert(key.to_owned(), body);
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Bytes, PortError> {
        self.0
            .lock()
            .unwrap()
            .get(key)
            .cloned()
            .ok_or_else(|| PortError::NotFound {
                what: format!("key {key}"),
            })
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, PortError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }
}

/// The rows as Athena's CSV: every value quoted, NULL empty.
fn csv(rows: &[SeriesRow]) -> String {
    let mut out = String::from(
        "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\"conversions\",\
         \"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\"campaign_status\",\
         \"creative_status\"\n",
    );
    let quoted = |v: Option<String>| v.map_or(String::new(), |v| format!("\"{v}\""));
    for r in rows {
        let fields = [
            Some(r.campaign_id.to_string()),
            Some(r.creative_id.to_string()),
            Some(r.day.to_string()),
            r.impressions.map(|v| v.to_string()),
            r.clicks.map(|v| v.to_string()),
            r.conversions.map(|v| v.to_string()),
            r.cost.map(|v| v.to_string()),
            r.unit_cost.map(|v| v.to_string()),
            r.daily_budget.map(|v| v.to_string()),
            r.currency.clone(),
            r.cost_type.map(|v| v.as_str().to_owned()),
            r.campaign_status.map(|v| v.as_str().to_owned()),
            r.creative_status.map(|v| v.as_str().to_owned()),
        ];
        let line: Vec<String> = fields.into_iter().map(quoted).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

const RESULT_KEY: &str = "query-results/q-1.csv";

async fn store_with(rows: &[SeriesRow]) -> MemoryStore {
    let store = MemoryStore::default();
    store
        .put(RESULT_KEY, Bytes::from(csv(rows)), "text/csv")
        .await
        .unwrap();
    store
}

fn input(execution: &str) -> Input {
    serde_json::from_value(json!({
        "resultKey": RESULT_KEY,
        "accountId": "500000001",
        "asOf": as_of().to_string(),
        "execution": execution,
    }))
    .unwrap()
}

async fn stored_decisions(store: &MemoryStore, key: &str) -> Decisions {
    serde_json::from_slice(&store.get(key).await.unwrap()).unwrap()
}

#[tokio::test]
async fn run_writes_the_decisions_file_at_its_key_deterministically() {
    // GIVEN the one-loser rows as Athena's CSV in the store
    let store = store_with(&rows(&one_loser())).await;
    // WHEN the step runs twice, under two executions
    let first = run(input("exec-1"), Ports { store: &store }).await.unwrap();
    let second = run(input("exec-2"), Ports { store: &store }).await.unwrap();
    // THEN the file is at decisions/<asOf>/<execution>.json with the pause
    assert_eq!(first.decisions_key, "decisions/2026-09-29/exec-1.json");
    assert_eq!(first.mode, "bayes");
    assert_eq!((first.proposed, first.blocked), (1, 0));
    assert_eq!(first.counts, BTreeMap::from([("pause".to_owned(), 1)]));
    let one = stored_decisions(&store, &first.decisions_key).await;
    assert_eq!(one.account_id, ACCOUNT);
    assert_eq!(one.execution, "exec-1");
    assert_eq!(one.actions.len(), 1);
    assert_eq!(one.actions[0].creative_id, Some(CreativeId(3)));
    // AND the same input gives the same actions with the same ids
    let two = stored_decisions(&store, &second.decisions_key).await;
    assert_eq!(one.actions, two.actions);
    // AND the output reads as camelCase JSON
    let json = serde_json::to_value(&first).unwrap();
    assert_eq!(json["decisionsKey"], "decisions/2026-09-29/exec-1.json");
    assert_eq!(json["counts"]["pause"], 1);
}

#[tokio::test]
async fn run_reads_the_action_log_for_the_cooldown() {
    // GIVEN the one-loser rows, and the same pause applied yesterday
    let store = store_with(&rows(&one_loser())).await;
    let (proposed, _) = decide_with(&one_loser(), &Policy::default());
    let entry = applied(proposed[0].clone(), 1);
    action_log::append(&store, as_of() - Days::new(1), &[entry])
        .await
        .unwrap();
    // WHEN the step runs
    let output = run(input("exec-1"), Ports { store: &store }).await.unwrap();
    // THEN the pause is kept but blocked by the cool-down
    assert_eq!((output.proposed, output.blocked), (0, 1));
    let decisions = stored_decisions(&store, &output.decisions_key).await;
    let blocked = decisions.actions[0].blocked.as_ref().unwrap();
    assert_eq!(blocked.guardrail, names::COOLDOWN_DAYS);
}

#[tokio::test]
async fn run_takes_a_policy_file_by_key() {
    // GIVEN the seed rules as a TOML file in the store, and a low-CTR creative
    let store = store_with(&rows(&[spec(7, 1, 0.005, 0.05), spec(7, 2, 0.02, 0.05)])).await;
    let toml = include_str!("../../../crates/policy/examples/seed-rules.toml");
    store
        .put("policies/seed.toml", Bytes::from(toml), "text/plain")
        .await
        .unwrap();
    let mut given = input("exec-1");
    given.policy_key = Some("policies/seed.toml".into());
    // WHEN the step runs
    let output = run(given, Ports { store: &store }).await.unwrap();
    // THEN the rules decided
    assert_eq!(output.mode, "rules");
    assert_eq!(output.counts, BTreeMap::from([("pause".to_owned(), 1)]));
}

#[tokio::test]
async fn a_policy_both_inline_and_by_key_is_invalid_input() {
    // GIVEN an input with an inline policy and a policy key
    let store = store_with(&rows(&one_loser())).await;
    let mut given = input("exec-1");
    given.policy = Some(json!({ "mode": "bayes" }));
    given.policy_key = Some("policies/p.toml".into());
    // WHEN the step runs
    let error = run(given, Ports { store: &store }).await.unwrap_err();
    // THEN Input.Invalid names the conflict, and nothing is written
    assert_eq!(error.name(), "Input.Invalid");
    assert!(error.to_string().contains("policyKey"), "{error}");
    assert!(store.list("decisions/").await.unwrap().is_empty());
}

#[tokio::test]
async fn an_invalid_inline_policy_is_invalid_input_naming_the_field() {
    // GIVEN an inline policy with an impossible confidence
    let store = store_with(&rows(&one_loser())).await;
    let mut given = input("exec-1");
    given.policy = Some(json!({ "bayes": { "pause_confidence": 2.0 } }));
    // WHEN the step runs
    let error = run(given, Ports { store: &store }).await.unwrap_err();
    // THEN Input.Invalid names the field
    assert_eq!(error.name(), "Input.Invalid");
    assert!(
        error.to_string().contains("bayes.pause_confidence"),
        "{error}"
    );
}

#[tokio::test]
async fn a_result_missing_a_column_is_invalid_input_naming_it() {
    // GIVEN a result without the conversions column
    let store = MemoryStore::default();
    let text = csv(&rows(&one_loser())).replacen("\"conversions\"", "\"conversion\"", 1);
    store
        .put(RESULT_KEY, Bytes::from(text), "text/csv")
        .await
        .unwrap();
    // WHEN the step runs
    let error = run(input("exec-1"), Ports { store: &store })
        .await
        .unwrap_err();
    // THEN Input.Invalid names the column and the key, and nothing is written
    assert_eq!(error.name(), "Input.Invalid");
    let message = error.to_string();
    assert!(message.contains("'conversions'"), "{message}");
    assert!(message.contains(RESULT_KEY), "{message}");
    assert!(store.list("decisions/").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_missing_result_is_invalid_input_and_a_failing_store_is_store_failed() {
    // GIVEN an empty store
    let store = MemoryStore::default();
    // WHEN the step runs
    let error = run(input("exec-1"), Ports { store: &store })
        .await
        .unwrap_err();
    // THEN the missing result is named as the input's fault
    assert_eq!(error.name(), "Input.Invalid");
    assert!(error.to_string().starts_with("resultKey"), "{error}");
    // AND a store that fails is Store.Failed
    struct Down;
    #[async_trait]
    impl ObjectStore for Down {
        async fn put(&self, _: &str, _: Bytes, _: &str) -> Result<(), PortError> {
            unreachable!("nothing is written when reading fails")
        }
        async fn get(&self, key: &str) -> Result<Bytes, PortError> {
            Err(PortError::Unavailable {
                what: key.to_owned(),
                reason: "timeout".into(),
            })
        }
        async fn list(&self, _: &str) -> Result<Vec<String>, PortError> {
            Ok(Vec::new())
        }
    }
    let error = run(input("exec-1"), Ports { store: &Down })
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Store.Failed");
}

/// Creative 1 active and worn from 1% to 0.4% CTR; creative 2 paused `paused_days_ago`, at
/// 0.8% over its served days; the log has the optimizer's pause of it when `ours`.
fn worn_best_and_fresh_paused(paused_days_ago: u64, ours: bool) -> (Vec<Action>, Vec<String>) {
    let worn = Spec {
        ctr: (0.010, 0.004),
        ..spec(7, 1, 0.0, 0.05)
    };
    let fresh = Spec {
        status: CreativeStatus::Paused,
        ..spec(7, 2, 0.008, 0.05)
    };
    let stopped = as_of() - Days::new(paused_days_ago);
    let mut rows = worn.rows();
    rows.extend(fresh.rows().into_iter().filter(|r| r.day < stopped));
    let proposer = Proposer {
        account: ACCOUNT,
        as_of: stopped,
    };
    let pause = proposer.pause(CampaignId(7), CreativeId(2), "test".into(), BTreeMap::new());
    let log: Vec<LogEntry> = if ours {
        vec![applied(pause, paused_days_ago)]
    } else {
        Vec::new()
    };
    decide(
        &rows,
        &BTreeMap::new(),
        None,
        &log,
        &Policy::default(),
        ACCOUNT,
        as_of(),
    )
}

#[test]
fn a_creative_the_optimizer_paused_is_resumed_when_it_beats_the_worn_best() {
    // GIVEN the optimizer paused creative 2 ten days ago, and the active one has worn down
    let (actions, _) = worn_best_and_fresh_paused(10, true);
    // THEN creative 2 is resumed, saying why, with the evidence
    let resumes = of_kind(&actions, ActionKind::Resume);
    assert_eq!(resumes.len(), 1, "{actions:#?}");
    let resume = resumes[0];
    assert_eq!(resume.creative_id, Some(CreativeId(2)));
    assert!(resume.blocked.is_none(), "{resume:#?}");
    assert!(
        resume.reason.contains("paused by the optimizer"),
        "{}",
        resume.reason
    );
    assert!(resume.evidence["probBetter"] >= Policy::default().bayes.pause_confidence);
}

#[test]
fn creatives_paused_by_a_person_or_paused_recently_stay_paused() {
    // GIVEN the same campaign, with creative 2 paused by someone else
    let (by_a_person, _) = worn_best_and_fresh_paused(10, false);
    // OR paused by the optimizer fewer than resume_after_days ago
    let (recently, _) = worn_best_and_fresh_paused(4, true);
    // THEN nothing is resumed
    for actions in [by_a_person, recently] {
        assert!(
            of_kind(&actions, ActionKind::Resume).is_empty(),
            "{actions:#?}"
        );
    }
}

// ---- the creative scorer ---------------------------------------------------------------

/// A scorer trained on 300 creatives whose CTR is 1.6× their campaign's with a digit in the
/// headline and 1.25× with DOWNLOAD, nothing else: it beats the mean easily.
async fn trained_scorer(store: &MemoryStore) -> scoring::Scorer {
    let examples: Vec<scoring::Example> = (0..300u64)
        .map(|i| {
            let digit = i % 2 == 0;
            let download = i % 3 == 0;
            let ctr = 0.004 * if digit { 1.6 } else { 1.0 } * if download { 1.25 } else { 1.0 };
            let headline = if digit {
                format!("Onboarding guide {}", i % 7 + 2)
            } else {
                "Onboarding guide for teams".to_owned()
            };
            scoring::Example {
                account_id: "500000001".to_owned(),
                campaign_id: i / 10,
                creative_id: i,
                impressions: 50_000.0,
                clicks: (ctr * 50_000.0_f64).round(),
                copy: AdCopy {
                    call_to_action: Some(if download { "DOWNLOAD" } else { "LEARN_MORE" }.into()),
                    ..copy(&headline)
                },
            }
        })
        .collect();
    let settings = scoring::TrainingSettings::default();
    let trained = scoring::train(&examples, &settings).unwrap();
    let window = scoring::TrainingWindow {
        start: as_of() - Days::new(90),
        end: as_of() - Days::new(1),
    };
    let models = scoring::ModelStore::new(store);
    models
        .save(trained, &settings, window, Utc::now())
        .await
        .unwrap();
    let scorer = models.latest().await.unwrap();
    assert!(scorer.beats_baseline(), "{:?}", scorer.metadata.metrics);
    scorer
}

#[tokio::test]
async fn the_scorer_gives_each_creative_a_ctr_prior_from_its_copy() {
    let store = MemoryStore::default();
    let scorer = trained_scorer(&store).await;
    // GIVEN two creatives of one campaign at 0.5%, one with a number in its headline
    let campaign_ctr = BTreeMap::from([(CreativeId(1), 0.005), (CreativeId(2), 0.005)]);
    let copies = BTreeMap::from([
        (CreativeId(1), copy("Onboarding guide 5")),
        (CreativeId(2), copy("Onboarding guide for teams")),
    ]);
    // WHEN their priors are drawn from the scorer
    let mut notes = Vec::new();
    let account = posterior::BetaPrior::with_spread(0.005, 0.3);
    let priors = copy_prior::ctr_priors(account, &campaign_ctr, &copies, &scorer, &mut notes);
    // THEN the one with the number expects about 1.6× the other's CTR, around the campaign's
    let (with, without) = (priors[&CreativeId(1)].mean(), priors[&CreativeId(2)].mean());
    assert!((with / without - 1.6).abs() < 0.25, "{with} vs {without}");
    assert!(without < 0.005 && with > 0.005, "{with} vs {without}");
    // AND, the model being near perfect here, they are as sure as the account's prior, no surer
    for prior in priors.values() {
        assert!((prior.spread() - 0.3).abs() < 1e-6, "{}", prior.spread());
    }
    assert!(notes.is_empty(), "{notes:?}");
}

#[tokio::test]
async fn the_scorer_ranks_candidate_rewrites_and_the_variation_says_so() {
    let store = MemoryStore::default();
    let scorer = trained_scorer(&store).await;
    // GIVEN a campaign with a clear winner whose copy lacks a number and a DOWNLOAD
    let specs = [
        spec(7, 1, 0.015, 0.05),
        spec(7, 2, 0.006, 0.05),
        spec(7, 3, 0.006, 0.05),
    ];
    let copies = BTreeMap::from([(CreativeId(1), copy("A guide to customer onboarding"))]);
    // WHEN bayes decides with the scorer
    let (actions, _) = decide(
        &rows(&specs),
        &copies,
        Some(&scorer),
        &[],
        &Policy::default(),
        ACCOUNT,
        as_of(),
    );
    // THEN the variation is the candidate the scorer ranks first, and its reason says so
    let variations = of_kind(&actions, ActionKind::CreateVariation);
    assert_eq!(variations.len(), 1, "{actions:#?}");
    let reason = &variations[0].reason;
    assert!(
        reason.contains("the creative scorer ranks it first of 7 candidate rewrites"),
        "{reason}"
    );
    let made = variations[0].variation.as_ref().expect("the new copy");
    assert!(
        made.headline.as_deref().unwrap_or("").contains('3'),
        "{made:?}"
    );
    assert_eq!(made.call_to_action.as_deref(), Some("DOWNLOAD"));
}

#[tokio::test]
async fn run_says_when_the_scorer_is_missing_or_refused_and_decides_anyway() {
    // GIVEN the store with no model
    let store = store_with(&rows(&one_loser())).await;
    let output = run(input("exec-1"), Ports { store: &store }).await.unwrap();
    // THEN the notes say none is trained yet
    assert!(
        output
            .notes
            .iter()
            .any(|n| n.starts_with("no creative scorer is trained yet")),
        "{:?}",
        output.notes
    );
    // WHEN a model is stored and its file then damaged
    trained_scorer(&store).await;
    let key = scoring::artifact::key(1, "model.json");
    let body = store.get(&key).await.unwrap();
    store
        .put(&key, body.slice(1..), "application/json")
        .await
        .unwrap();
    let output = run(input("exec-2"), Ports { store: &store }).await.unwrap();
    // THEN decide still decides, on the account's prior, and says the model was refused
    assert!(
        output
            .notes
            .iter()
            .any(|n| n.contains("is refused") && n.contains("fall back to the account's")),
        "{:?}",
        output.notes
    );
    assert!(output.proposed > 0);
}
