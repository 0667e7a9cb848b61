//! The `bayes` mode: within each ACTIVE campaign, compare its ACTIVE creatives by their
//! posterior conversions per dollar; pause the confidently worse, vary the confident winner;
//! move budget and bids toward campaigns that convert for less.
//!
//! **What is compared.** LinkedIn rotates a campaign's creatives evenly and prices the
//! campaign's clicks by its relevance (its creatives' mean CTR), so a creative's own cost per
//! impression under CPC only mirrors its own clicks. What a creative is worth to its campaign
//! is its conversions per impression, CTR × CVR, times what an impression costs the
//! *campaign* (its impressions per dollar over the window): conversions per dollar. The
//! campaign's factor is common to its creatives, so it sets the unit, not the ranking.
//!
//! **Posteriors.** CTR ~ Beta and conversions per click ~ Beta, each with an empirical-Bayes
//! prior fitted over all the account's creatives with data in the window
//! ([`BetaPrior::fit`]); their product is log-normal ([`crate::posterior`]). With a
//! creative scorer, a creative's CTR prior is instead what its copy predicts around the
//! account's ([`crate::copy_prior`]), and variations are the best-ranked rewrite.
//! [`compare`] draws `draws` samples per creative (seeded by account, `asOf` and campaign)
//! for P(best), the expected loss and P(worse than the best other by `pause_margin`).
//!
//! **Conversion lag.** A day's age is counted back from `asOf − 1` (age 0), less
//! `lag_days`; a day of age `a` has `lag_completeness[a]` of its conversions reported
//! (ages past the list: all; ages within `lag_days`: none). Conversions per click use
//! clicks × completeness as the exposure, so the recent days' missing conversions do not
//! read as a worse rate; days below `lag_min_completeness` are left out of conversion rates.
//!
//! **Fatigue.** A creative's CTR over the last `fatigue_recent_days` against its own earlier
//! days in the window: fatigued when P(recent < earlier × (1 − fatigue_drop)) ≥
//! `pause_confidence`. A fatigued creative other than the best is judged on its *recent* CTR
//! (what it delivers now) and paused when that is confidently worse than the best other;
//! a fatigued best creative gets a variation.
//!
//! **Pauses**: P(worse) ≥ `pause_confidence` and at least `min_impressions` in the window,
//! worst (largest expected loss) first. **Variations**: P(best) ≥ `variation_confidence`
//! with at least `min_impressions` and a rival to be best against, or a fatigued best; never
//! when the campaign has 4 or more active creatives, and only with the creative's stored
//! copy ([`crate::variation::rewrite`]).
//!
//! **Budgets**: campaigns' conversions per dollar ~ Gamma (one pseudo-conversion at the
//! account's rate as prior, lag-adjusted spend as exposure). `budget_shift_percent` of the
//! worst campaign's daily budget goes to the best budget-limited one (it spent ≥ 90% of its
//! budget in the last 7 days; more budget elsewhere would go unspent) when P(best > worst)
//! ≥ `budget_confidence`: two SetBudget actions, the total unchanged, the cut first. The
//! shift is kept within `max_budget_change_percent` of both budgets and above
//! `min_daily_budget`. **Bids** (CPC campaigns with a week of history): under-delivering
//! (spent < 80% of 7 daily budgets) and converting at least at the account's rate → raise
//! by `bid_step_percent`; spending ≥ 95% with conversions per dollar below the account's at
//! `budget_confidence` → lower by it (cheaper clicks for the same budget). Steps are kept
//! within `max_bid_change_percent`.
//!
//! **Resumes** (`resume_paused`): fatigue wears the active creatives while a paused one
//! keeps the rate it had. A creative *the optimizer* paused (the action log's latest
//! applied status change on it is a pause) at least `resume_after_days` ago is resumed
//! when its CTR over its last `fatigue_recent_days` served days × its conversions per click
//! beats what the campaign's best delivers now (its recent CTR) by `pause_margin` with
//! `pause_confidence`; at most one per campaign per run. A creative paused by anyone else
//! is never resumed, and the wait keeps a pause, resume and pause a week apart at least.
//!
//! Never touches a campaign that is not ACTIVE.

use std::collections::{BTreeMap, BTreeSet};

use ads::decision::{Action, ActionKind, LogEntry, Outcome};
use ads::{AdCopy, CostType, CreativeId, CreativeStatus};
use chrono::{Days, NaiveDate};
use policy::{Bayes, Guardrails};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use scoring::Scorer;

use crate::account::{Account, Campaign, Creative};
use crate::comparison::{Standing, compare, seed};
use crate::copy_prior;
use crate::posterior::{Beta, BetaPrior, Gamma, LogNormal};
use crate::proposal::{Proposer, by_percent, cents, chance, evidence, money, percent};
use crate::variation;

/// CTR when the account has no impressions at all (ad-performance.md: median ≈ 0.45%).
const DEFAULT_CTR: f64 = 0.0045;
/// Typical spread of creatives' CTR (coefficient of variation).
const TYPICAL_CTR_CV: f64 = 0.3;
/// Conversions per click when the account has no clicks.
const DEFAULT_CVR: f64 = 0.05;
/// Typical spread of creatives' conversions per click.
const TYPICAL_CVR_CV: f64 = 0.25;
/// Days of spend that tell whether a campaign spends its budget.
const DELIVERY_DAYS: u64 = 7;
/// Below this share of its budget a campaign under-delivers.
const UNDER_DELIVERY: f64 = 0.8;
/// From this share of its budget a campaign spends all it may.
const FULL_DELIVERY: f64 = 0.95;
/// A campaign that receives budget must spend at least this share of its own.
const BUDGET_LIMITED: f64 = 0.9;

/// The bayes mode over `account`: actions in priority order (pauses worst first, budget
/// moves, bids, variations) and notes.
pub(crate) fn decide(
    account: &Account,
    copies: &BTreeMap<CreativeId, AdCopy>,
    scorer: Option<&Scorer>,
    log: &[LogEntry],
    settings: &Bayes,
    guardrails: &Guardrails,
    proposer: Proposer,
) -> (Vec<Action>, Vec<String>) {
    let window = Window::new(proposer.as_of, settings);
    let mut notes = Vec::new();
    let stats: BTreeMap<CreativeId, Stats> = account
        .campaigns
        .values()
        .flat_map(|c| c.creatives.values())
        .map(|creative| (creative.id, window.stats(creative)))
        .collect();
    window.lag_notes(account, &mut notes);

    let ctr_prior = BetaPrior::fit(
        stats.values().map(|s| (s.clicks, s.impressions)),
        DEFAULT_CTR,
        TYPICAL_CTR_CV,
    );
    let cvr_prior = BetaPrior::fit(
        stats
            .values()
            .map(|s| (s.used_conversions, s.effective_clicks)),
        DEFAULT_CVR,
        TYPICAL_CVR_CV,
    );
    for (name, prior, cv) in [
        ("CTR", ctr_prior, TYPICAL_CTR_CV),
        ("conversions per click", cvr_prior, TYPICAL_CVR_CV),
    ] {
        if !prior.fitted {
            notes.push(format!(
                "{name} prior: too few creatives with data or no spread beyond noise; used the \
                 account's pooled rate {} with a typical spread (±{:.0}%)",
                percent(prior.mean()),
                cv * 100.0
            ));
        }
    }

    let mut plan = Plan::default();
    let priors = Priors {
        ctr: ctr_prior,
        cvr: cvr_prior,
        copy_ctr: scorer
            .map(|scorer| {
                let campaign_ctr = campaign_ctrs(account, &stats, ctr_prior);
                copy_prior::ctr_priors(ctr_prior, &campaign_ctr, copies, scorer, &mut notes)
            })
            .unwrap_or_default(),
    };
    let own_pauses = own_pauses(log);
    for campaign in account.campaigns.values().filter(|c| c.is_active()) {
        let judged = Judged::new(campaign, &stats, &priors, settings, &window, proposer);
        judged.propose(settings, copies, scorer, proposer, &mut plan, &mut notes);
        if settings.resume_paused {
            judged.propose_resume(&own_pauses, &priors, &stats, &window, proposer, &mut plan);
        }
    }
    campaigns(account, &stats, settings, guardrails, proposer, &mut plan);
    (plan.into_actions(), notes)
}

/// Each creative's campaign CTR: the campaign's clicks over its impressions in the window,
/// shrunk toward the account's prior (a new campaign reads as the account).
fn campaign_ctrs(
    account: &Account,
    stats: &BTreeMap<CreativeId, Stats>,
    prior: BetaPrior,
) -> BTreeMap<CreativeId, f64> {
    let mut found = BTreeMap::new();
    for campaign in account.campaigns.values() {
        let ctr = campaign_ctr(&campaign_total(campaign, stats), prior);
        found.extend(campaign.creatives.keys().map(|id| (*id, ctr)));
    }
    found
}

/// A campaign's totals over all its creatives in the window.
fn campaign_total(campaign: &Campaign, stats: &BTreeMap<CreativeId, Stats>) -> Stats {
    let mut total = Stats::default();
    for id in campaign.creatives.keys() {
        total.add(&stats.get(id).copied().unwrap_or_default());
    }
    total
}

/// A campaign's CTR from its `total`, shrunk toward the account's `prior`.
fn campaign_ctr(total: &Stats, prior: BetaPrior) -> f64 {
    prior.posterior(total.clicks, total.impressions).mean()
}

/// The days looked at and their conversion completeness.
struct Window<'a> {
    as_of: NaiveDate,
    from: NaiveDate,
    recent_from: NaiveDate,
    delivery_from: NaiveDate,
    settings: &'a Bayes,
}

impl<'a> Window<'a> {
    fn new(as_of: NaiveDate, settings: &'a Bayes) -> Window<'a> {
        let back = |days: u64| {
            as_of
                .checked_sub_days(Days::new(days))
                .unwrap_or(NaiveDate::MIN)
        };
        Window {
            as_of,
            from: back(settings.window_days.into()),
            recent_from: back(settings.fatigue_recent_days.into()),
            delivery_from: back(DELIVERY_DAYS),
            settings,
        }
    }

    /// The share of `day`'s conversions reported by now.
    fn completeness(&self, day: NaiveDate) -> f64 {
        let age = (self.as_of - day).num_days() - 1;
        let Some(age) = u64::try_from(age)
            .ok()
            .and_then(|a| a.checked_sub(self.settings.lag_days.into()))
        else {
            return 0.0;
        };
        usize::try_from(age)
            .ok()
            .and_then(|a| self.settings.lag_completeness.get(a))
            .copied()
            .unwrap_or(1.0)
    }

    /// Whether `completeness` is enough for a day's conversions to count.
    fn counts(&self, completeness: f64) -> bool {
        completeness > 0.0 && completeness >= self.settings.lag_min_completeness
    }

    fn stats(&self, creative: &Creative) -> Stats {
        let mut stats = Stats::default();
        for day in creative.window(self.from) {
            let (impressions, clicks) = (day.impressions as f64, day.clicks as f64);
            stats.impressions += impressions;
            stats.clicks += clicks;
            stats.conversions += day.conversions as f64;
            stats.cost += day.cost;
            if day.date >= self.recent_from {
                stats.recent_impressions += impressions;
                stats.recent_clicks += clicks;
            }
            if day.date >= self.delivery_from {
                stats.delivery_cost += day.cost;
            }
            let completeness = self.completeness(day.date);
            if self.counts(completeness) {
                stats.used_conversions += day.conversions as f64;
                stats.effective_clicks += clicks * completeness;
                stats.effective_cost += day.cost * completeness;
            }
        }
        stats
    }

    /// Notes on the days whose conversions were left out or scaled.
    fn lag_notes(&self, account: &Account, notes: &mut Vec<String>) {
        let mut excluded = BTreeSet::new();
        let mut scaled = BTreeSet::new();
        for creative in account
            .campaigns
            .values()
            .flat_map(|c| c.creatives.values())
        {
            for day in creative.window(self.from) {
                let completeness = self.completeness(day.date);
                if !self.counts(completeness) {
                    excluded.insert(day.date);
                } else if completeness < 1.0 {
                    scaled.insert(day.date);
                }
            }
        }
        if !excluded.is_empty() {
            notes.push(format!(
                "excluded {} day(s) of conversions as incomplete ({} to {}, reported share \
                 below {})",
                excluded.len(),
                excluded.first().map_or(String::new(), ToString::to_string),
                excluded.last().map_or(String::new(), ToString::to_string),
                percent(self.settings.lag_min_completeness),
            ));
        }
        if !scaled.is_empty() {
            notes.push(format!(
                "conversions of {} recent day(s) are incomplete; their clicks count only for \
                 the share reported (lag_completeness)",
                scaled.len()
            ));
        }
    }
}

/// One creative's sums over the window.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    impressions: f64,
    clicks: f64,
    conversions: f64,
    cost: f64,
    /// Conversions of the days that count (complete enough).
    used_conversions: f64,
    /// Clicks of the days that count, each day's × its completeness.
    effective_clicks: f64,
    /// Spend of the days that count, each day's × its completeness.
    effective_cost: f64,
    recent_impressions: f64,
    recent_clicks: f64,
    /// Spend of the last [`DELIVERY_DAYS`].
    delivery_cost: f64,
}

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.impressions += other.impressions;
        self.clicks += other.clicks;
        self.conversions += other.conversions;
        self.cost += other.cost;
        self.used_conversions += other.used_conversions;
        self.effective_clicks += other.effective_clicks;
        self.effective_cost += other.effective_cost;
        self.recent_impressions += other.recent_impressions;
        self.recent_clicks += other.recent_clicks;
        self.delivery_cost += other.delivery_cost;
    }
}

struct Priors {
    /// The account's CTR prior.
    ctr: BetaPrior,
    cvr: BetaPrior,
    /// CTR priors from the creatives' copy (the creative scorer), by creative.
    copy_ctr: BTreeMap<CreativeId, BetaPrior>,
}

impl Priors {
    /// The CTR prior of creative `id`: from its copy when the scorer gave one, else the
    /// account's.
    fn ctr_of(&self, id: CreativeId) -> BetaPrior {
        self.copy_ctr.get(&id).copied().unwrap_or(self.ctr)
    }
}

/// One creative of a campaign under comparison.
struct Arm {
    id: CreativeId,
    stats: Stats,
    ctr: Beta,
    cvr: Beta,
    value: LogNormal,
    fatigue: Option<Fatigue>,
}

/// A fatigued creative's recent and earlier CTR.
struct Fatigue {
    recent: Beta,
    earlier: Beta,
    probability: f64,
}

/// One campaign's creatives compared.
struct Judged<'a> {
    campaign: &'a Campaign,
    arms: Vec<Arm>,
    standings: Vec<Standing>,
    /// P(worse) judged on recent CTR, for each fatigued arm.
    recent_worse: BTreeMap<usize, f64>,
    /// Impressions per dollar of the campaign, when it spent.
    impressions_per_dollar: Option<f64>,
    /// The campaign's CTR over all its creatives, shrunk toward the account's prior (the
    /// base the creative scorer's lifts apply to).
    ctr: f64,
    best: usize,
    window_days: u32,
}

impl<'a> Judged<'a> {
    fn new(
        campaign: &'a Campaign,
        stats: &BTreeMap<CreativeId, Stats>,
        priors: &Priors,
        settings: &Bayes,
        window: &Window,
        proposer: Proposer,
    ) -> Judged<'a> {
        let total = campaign_total(campaign, stats);
        let impressions_per_dollar =
            (total.cost > 0.0 && total.impressions > 0.0).then(|| total.impressions / total.cost);
        let unit = impressions_per_dollar.unwrap_or(1.0);
        let arms: Vec<Arm> = campaign
            .active_creatives()
            .map(|creative| {
                let s = stats.get(&creative.id).copied().unwrap_or_default();
                let ctr = priors
                    .ctr_of(creative.id)
                    .posterior(s.clicks, s.impressions);
                let cvr = priors.cvr.posterior(s.used_conversions, s.effective_clicks);
                Arm {
                    id: creative.id,
                    stats: s,
                    ctr,
                    cvr,
                    value: ctr.log().times(cvr.log()).scaled(unit),
                    fatigue: fatigue(&s, priors, settings),
                }
            })
            .collect();
        let values: Vec<LogNormal> = arms.iter().map(|a| a.value).collect();
        let challengers: Vec<(usize, LogNormal)> = arms
            .iter()
            .enumerate()
            .filter_map(|(i, arm)| {
                let f = arm.fatigue.as_ref()?;
                Some((i, f.recent.log().times(arm.cvr.log()).scaled(unit)))
            })
            .collect();
        let (standings, recent) = compare(
            &values,
            &challengers,
            settings.draws,
            settings.pause_margin,
            seed(&[
                proposer.account.0,
                u64::try_from(window.as_of.to_epoch_days()).unwrap_or(0),
                campaign.id.0,
            ]),
        );
        let best = standings
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.prob_best.total_cmp(&b.1.prob_best))
            .map_or(0, |(i, _)| i);
        Judged {
            campaign,
            arms,
            standings,
            recent_worse: challengers.iter().map(|(i, _)| *i).zip(recent).collect(),
            impressions_per_dollar,
            ctr: campaign_ctr(&total, priors.ctr),
            best,
            window_days: settings.window_days,
        }
    }

    fn propose(
        &self,
        settings: &Bayes,
        copies: &BTreeMap<CreativeId, AdCopy>,
        scorer: Option<&Scorer>,
        proposer: Proposer,
        plan: &mut Plan,
        notes: &mut Vec<String>,
    ) {
        if self.arms.is_empty() {
            return;
        }
        for (i, arm) in self.arms.iter().enumerate() {
            if i == self.best || arm.stats.impressions < settings.min_impressions as f64 {
                continue;
            }
            let standing = self.standings[i];
            if standing.prob_worse >= settings.pause_confidence {
                let reason = self.pause_reason(i, settings);
                plan.pause(standing.expected_loss, self.pause(i, reason, proposer));
            } else if let Some(&p) = self.recent_worse.get(&i)
                && p >= settings.pause_confidence
            {
                let reason = self.fatigue_pause_reason(i, p, settings);
                plan.pause(standing.expected_loss, self.pause(i, reason, proposer));
            }
        }
        self.propose_variation(settings, copies, scorer, proposer, plan, notes);
    }

    fn propose_variation(
        &self,
        settings: &Bayes,
        copies: &BTreeMap<CreativeId, AdCopy>,
        scorer: Option<&Scorer>,
        proposer: Proposer,
        plan: &mut Plan,
        notes: &mut Vec<String>,
    ) {
        let best = &self.arms[self.best];
        let standing = self.standings[self.best];
        let winner = self.arms.len() >= 2
            && standing.prob_best >= settings.variation_confidence
            && best.stats.impressions >= settings.min_impressions as f64;
        let fatigued = best.fatigue.is_some();
        if !(winner || fatigued) || self.arms.len() >= variation::MAX_ACTIVE_CREATIVES {
            return;
        }
        let Some(copy) = copies.get(&best.id) else {
            notes.push(format!(
                "creative {} would get a variation but its ad copy is not in the store \
                 (processed/creatives); no variation",
                best.id
            ));
            return;
        };
        let Some(rewritten) = variation::rewrite(copy) else {
            notes.push(format!(
                "creative {}'s copy already has every feature the rewrite adds; no variation",
                best.id
            ));
            return;
        };
        let (rewritten, ranking) = match scorer {
            None => (rewritten, String::new()),
            Some(scorer) => {
                let candidates = variation::candidates(copy);
                match copy_prior::best_variation(scorer, copy, candidates, self.ctr) {
                    Ok(ranked) => (ranked.copy, format!("; {}", ranked.why)),
                    Err(why) => {
                        notes.push(format!("creative {}: no variation: {why}", best.id));
                        return;
                    }
                }
            }
        };
        let why = if fatigued {
            format!(
                "creative {}, the best of campaign {} (P(best) {}), is fatigued: {}",
                best.id,
                self.campaign.id,
                chance(standing.prob_best),
                fatigue_text(best.fatigue.as_ref(), settings)
            )
        } else {
            format!(
                "creative {} leads campaign {}: P(best) {} ≥ {}, CTR {}{}",
                best.id,
                self.campaign.id,
                chance(standing.prob_best),
                chance(settings.variation_confidence),
                ctr_with_interval(&best.ctr),
                self.runner_up_text()
            )
        };
        let reason = format!(
            "{why}; a variation tests a rewritten copy of it (headline and call to action){ranking}"
        );
        let action = proposer.variation(
            self.campaign.id,
            best.id,
            rewritten,
            reason,
            self.evidence(self.best),
        );
        plan.variations.push((standing.prob_best, action));
    }

    /// The paused creative (the optimizer's own, paused long enough) most likely to beat
    /// what the best active one delivers now, when that is likely enough.
    fn propose_resume(
        &self,
        own_pauses: &BTreeMap<CreativeId, NaiveDate>,
        priors: &Priors,
        stats: &BTreeMap<CreativeId, Stats>,
        window: &Window,
        proposer: Proposer,
        plan: &mut Plan,
    ) {
        let settings = window.settings;
        let Some(best) = self.arms.get(self.best) else {
            return;
        };
        let unit = self.impressions_per_dollar.unwrap_or(1.0);
        let best_now = if best.stats.recent_impressions > 0.0 {
            priors
                .ctr_of(best.id)
                .posterior(best.stats.recent_clicks, best.stats.recent_impressions)
        } else {
            best.ctr
        };
        let best_now = best_now.log().times(best.cvr.log()).scaled(unit);
        let resumable = self.campaign.creatives.values().filter(|c| {
            c.status == Some(CreativeStatus::Paused)
                && own_pauses.get(&c.id).is_some_and(|paused| {
                    (window.as_of - *paused).num_days() >= i64::from(settings.resume_after_days)
                })
        });
        let mut candidate: Option<(f64, CreativeId, Beta, Stats)> = None;
        for creative in resumable {
            let s = stats.get(&creative.id).copied().unwrap_or_default();
            let (clicks, impressions) = last_served(creative, window);
            if impressions < settings.min_impressions as f64 {
                continue;
            }
            let ctr = priors.ctr_of(creative.id).posterior(clicks, impressions);
            let value = ctr
                .log()
                .times(
                    priors
                        .cvr
                        .posterior(s.used_conversions, s.effective_clicks)
                        .log(),
                )
                .scaled(unit);
            let p = best_now.prob_below(&value, 1.0 / (1.0 + settings.pause_margin));
            if p >= settings.pause_confidence && candidate.as_ref().is_none_or(|c| p > c.0) {
                candidate = Some((p, creative.id, ctr, s));
            }
        }
        let Some((p, id, ctr, s)) = candidate else {
            return;
        };
        let reason = format!(
            "creative {id}, paused by the optimizer, had CTR {} over its last {} served days; \
             the best active creative of campaign {}, creative {}, has CTR {} now: P(at least \
             {:.0}% more conversions per dollar than it) {} ≥ {}",
            ctr_with_interval(&ctr),
            settings.fatigue_recent_days,
            self.campaign.id,
            best.id,
            percent(recent_ctr(&best.stats)),
            settings.pause_margin * 100.0,
            chance(p),
            chance(settings.pause_confidence),
        );
        let evidence = evidence(&[
            ("ctrBeforePause", ctr.mean()),
            ("bestRecentCtr", recent_ctr(&best.stats)),
            ("probBetter", p),
            ("impressions", s.impressions),
            ("conversions", s.conversions),
        ]);
        plan.resumes
            .push(proposer.resume(self.campaign.id, id, reason, evidence));
    }

    fn pause(&self, i: usize, reason: String, proposer: Proposer) -> Action {
        proposer.pause(self.campaign.id, self.arms[i].id, reason, self.evidence(i))
    }

    fn pause_reason(&self, i: usize, settings: &Bayes) -> String {
        let arm = &self.arms[i];
        let best = &self.arms[self.best];
        let standing = self.standings[i];
        format!(
            "creative {} is confidently worse than creative {} in campaign {}: CTR {} vs {}, \
             conversions per click {} vs {}; P(at least {:.0}% fewer conversions per dollar \
             than the best) {} ≥ {}, P(best) {}, expected loss {} of the best's; {}",
            arm.id,
            best.id,
            self.campaign.id,
            ctr_with_interval(&arm.ctr),
            ctr_with_interval(&best.ctr),
            percent(arm.cvr.mean()),
            percent(best.cvr.mean()),
            settings.pause_margin * 100.0,
            chance(standing.prob_worse),
            chance(settings.pause_confidence),
            chance(standing.prob_best),
            percent(standing.expected_loss),
            self.volume_text(&arm.stats)
        )
    }

    fn fatigue_pause_reason(&self, i: usize, p: f64, settings: &Bayes) -> String {
        let arm = &self.arms[i];
        let best = &self.arms[self.best];
        format!(
            "creative {} is fatigued: {}; judged on its recent CTR it is {} likely at least \
             {:.0}% below the best, creative {} (CTR {}), in campaign {}; P(best) {}; {}",
            arm.id,
            fatigue_text(arm.fatigue.as_ref(), settings),
            chance(p),
            settings.pause_margin * 100.0,
            best.id,
            ctr_with_interval(&best.ctr),
            self.campaign.id,
            chance(self.standings[i].prob_best),
            self.volume_text(&arm.stats)
        )
    }

    fn runner_up_text(&self) -> String {
        let runner_up = (0..self.arms.len())
            .filter(|i| *i != self.best)
            .max_by(|a, b| {
                self.standings[*a]
                    .prob_best
                    .total_cmp(&self.standings[*b].prob_best)
            });
        runner_up.map_or(String::new(), |i| {
            format!(
                " vs runner-up creative {} {}",
                self.arms[i].id,
                ctr_with_interval(&self.arms[i].ctr)
            )
        })
    }

    fn volume_text(&self, stats: &Stats) -> String {
        format!(
            "{:.0} impressions, {:.0} clicks, {:.0} conversions in {} days",
            stats.impressions, stats.clicks, stats.conversions, self.window_days
        )
    }

    fn evidence(&self, i: usize) -> BTreeMap<String, f64> {
        let arm = &self.arms[i];
        let best = &self.arms[self.best];
        let standing = self.standings[i];
        let (ctr_low, ctr_high) = arm.ctr.log().interval90();
        let per_dollar = self
            .impressions_per_dollar
            .map_or(f64::NAN, |ipd| arm.ctr.mean() * arm.cvr.mean() * ipd);
        let (recent_ctr, earlier_ctr, prob_fatigued) = arm
            .fatigue
            .as_ref()
            .map_or((f64::NAN, f64::NAN, f64::NAN), |f| {
                (f.recent.mean(), f.earlier.mean(), f.probability)
            });
        evidence(&[
            ("probBest", standing.prob_best),
            ("expectedLoss", standing.expected_loss),
            ("probWorse", standing.prob_worse),
            (
                "probWorseRecent",
                self.recent_worse.get(&i).copied().unwrap_or(f64::NAN),
            ),
            ("impressions", arm.stats.impressions),
            ("clicks", arm.stats.clicks),
            ("conversions", arm.stats.conversions),
            ("effectiveClicks", arm.stats.effective_clicks),
            ("ctr", arm.ctr.mean()),
            ("ctrLow", ctr_low),
            ("ctrHigh", ctr_high),
            ("cvr", arm.cvr.mean()),
            ("convPerDollar", per_dollar),
            ("bestCtr", best.ctr.mean()),
            ("bestCvr", best.cvr.mean()),
            ("bestProbBest", self.standings[self.best].prob_best),
            ("recentCtr", recent_ctr),
            ("earlierCtr", earlier_ctr),
            ("probFatigued", prob_fatigued),
            ("windowDays", f64::from(self.window_days)),
        ])
    }
}

/// The creative's fatigue, when its recent CTR fell by more than `fatigue_drop` with
/// confidence.
fn fatigue(stats: &Stats, priors: &Priors, settings: &Bayes) -> Option<Fatigue> {
    let earlier_impressions = stats.impressions - stats.recent_impressions;
    if stats.impressions < settings.min_impressions as f64
        || stats.recent_impressions <= 0.0
        || earlier_impressions <= 0.0
    {
        return None;
    }
    let recent = priors
        .ctr
        .posterior(stats.recent_clicks, stats.recent_impressions);
    let earlier = priors
        .ctr
        .posterior(stats.clicks - stats.recent_clicks, earlier_impressions);
    let probability = recent
        .log()
        .prob_below(&earlier.log(), 1.0 - settings.fatigue_drop);
    (probability >= settings.pause_confidence).then_some(Fatigue {
        recent,
        earlier,
        probability,
    })
}

fn fatigue_text(fatigue: Option<&Fatigue>, settings: &Bayes) -> String {
    fatigue.map_or(String::new(), |f| {
        format!(
            "CTR over the last {} days {} vs {} before, {} likely down more than {:.0}%",
            settings.fatigue_recent_days,
            percent(f.recent.mean()),
            percent(f.earlier.mean()),
            chance(f.probability),
            settings.fatigue_drop * 100.0
        )
    })
}

fn ctr_with_interval(ctr: &Beta) -> String {
    let (low, high) = ctr.log().interval90();
    format!(
        "{} [90%: {}–{}]",
        percent(ctr.mean()),
        percent(low),
        percent(high)
    )
}

/// The creatives whose latest applied pause or resume in `log` (oldest first) is a pause
/// by the optimizer, with the day of that pause.
fn own_pauses(log: &[LogEntry]) -> BTreeMap<CreativeId, NaiveDate> {
    let mut paused = BTreeMap::new();
    for entry in log.iter().filter(|e| e.outcome == Outcome::Applied) {
        let Some(creative) = entry.action.creative_id else {
            continue;
        };
        match entry.action.kind {
            ActionKind::Pause => {
                paused.insert(creative, entry.at.date_naive());
            }
            ActionKind::Resume => {
                paused.remove(&creative);
            }
            _ => {}
        }
    }
    paused
}

/// Clicks and impressions of `creative`'s last `fatigue_recent_days` days with impressions
/// in the window: the rate it had when it stopped serving.
fn last_served(creative: &Creative, window: &Window) -> (f64, f64) {
    creative
        .window(window.from)
        .iter()
        .rev()
        .filter(|d| d.impressions > 0)
        .take(window.settings.fatigue_recent_days as usize)
        .fold((0.0, 0.0), |(clicks, impressions), d| {
            (clicks + d.clicks as f64, impressions + d.impressions as f64)
        })
}

/// CTR over the recent days (0 without impressions).
fn recent_ctr(stats: &Stats) -> f64 {
    if stats.recent_impressions > 0.0 {
        stats.recent_clicks / stats.recent_impressions
    } else {
        0.0
    }
}

/// The actions by priority group.
#[derive(Default)]
struct Plan {
    /// Pauses with their expected loss (worst first).
    pauses: Vec<(f64, Action)>,
    /// Resumes of paused creatives that beat the active best now.
    resumes: Vec<Action>,
    /// Budget moves, in order (the cut before the raise).
    budgets: Vec<Action>,
    /// Bid changes.
    bids: Vec<Action>,
    /// Variations with the winner's P(best).
    variations: Vec<(f64, Action)>,
}

impl Plan {
    fn pause(&mut self, expected_loss: f64, action: Action) {
        self.pauses.push((expected_loss, action));
    }

    fn into_actions(mut self) -> Vec<Action> {
        self.pauses.sort_by(|a, b| b.0.total_cmp(&a.0));
        self.variations.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut actions: Vec<Action> = self.pauses.into_iter().map(|(_, a)| a).collect();
        actions.extend(self.resumes);
        actions.extend(self.budgets);
        actions.extend(self.bids);
        actions.extend(self.variations.into_iter().map(|(_, a)| a));
        actions
    }
}

/// One ACTIVE campaign's conversions per dollar.
struct Rate<'a> {
    campaign: &'a Campaign,
    stats: Stats,
    per_dollar: Gamma,
}

/// Budget moves and bid changes between and for the ACTIVE campaigns.
fn campaigns(
    account: &Account,
    stats: &BTreeMap<CreativeId, Stats>,
    settings: &Bayes,
    guardrails: &Guardrails,
    proposer: Proposer,
    plan: &mut Plan,
) {
    let mut totals: Vec<(&Campaign, Stats)> = Vec::new();
    for campaign in account.campaigns.values().filter(|c| c.is_active()) {
        totals.push((campaign, campaign_total(campaign, stats)));
    }
    let conversions: f64 = totals.iter().map(|(_, s)| s.used_conversions).sum();
    let spend: f64 = totals.iter().map(|(_, s)| s.effective_cost).sum();
    if conversions <= 0.0 || spend <= 0.0 {
        return;
    }
    let account_rate = conversions / spend;
    let rates: Vec<Rate> = totals
        .into_iter()
        .filter(|(_, s)| s.effective_cost > 0.0)
        .map(|(campaign, s)| Rate {
            campaign,
            stats: s,
            per_dollar: Gamma {
                shape: 1.0 + s.used_conversions,
                rate: 1.0 / account_rate + s.effective_cost,
            },
        })
        .collect();
    shift_budget(&rates, settings, guardrails, proposer, plan);
    for rate in &rates {
        if let Some(action) = bid(rate, account_rate, settings, guardrails, proposer) {
            plan.bids.push(action);
        }
    }
}

/// The share of its daily budget a campaign spent over the last [`DELIVERY_DAYS`], when
/// its budget is known.
fn delivery(rate: &Rate) -> Option<f64> {
    let budget = rate.campaign.daily_budget?.to_f64()?;
    (budget > 0.0).then(|| rate.stats.delivery_cost / (budget * DELIVERY_DAYS as f64))
}

fn shift_budget(
    rates: &[Rate],
    settings: &Bayes,
    guardrails: &Guardrails,
    proposer: Proposer,
    plan: &mut Plan,
) {
    let with_budget = || rates.iter().filter(|r| r.campaign.daily_budget.is_some());
    let Some(best) = with_budget()
        .filter(|r| delivery(r).is_some_and(|d| d >= BUDGET_LIMITED))
        .max_by(|a, b| a.per_dollar.mean().total_cmp(&b.per_dollar.mean()))
    else {
        return;
    };
    let Some(worst) = with_budget()
        .filter(|r| {
            r.campaign.id != best.campaign.id && r.campaign.currency == best.campaign.currency
        })
        .min_by(|a, b| a.per_dollar.mean().total_cmp(&b.per_dollar.mean()))
    else {
        return;
    };
    let confidence = worst
        .per_dollar
        .log()
        .prob_below(&best.per_dollar.log(), 1.0);
    if confidence < settings.budget_confidence {
        return;
    }
    let (Some(from_worst), Some(from_best)) =
        (worst.campaign.daily_budget, best.campaign.daily_budget)
    else {
        return;
    };
    let share = |percent: f64| Decimal::from_f64(percent / 100.0).unwrap_or(Decimal::ZERO);
    let shift = cents(
        (from_worst * share(settings.budget_shift_percent))
            .min(from_worst * share(guardrails.max_budget_change_percent))
            .min(from_best * share(guardrails.max_budget_change_percent))
            .min(from_worst - guardrails.min_daily_budget),
    );
    if shift < Decimal::new(1, 2) {
        return;
    }
    let cost_per = |r: &Rate| 1.0 / r.per_dollar.mean();
    let reason = |role: &str| {
        format!(
            "budget {role}: campaign {} converts for ${:.2} per conversion vs campaign {}'s \
             ${:.2} (posterior means, lag-adjusted; {:.0} vs {:.0} conversions); P(campaign {} \
             converts more per dollar) {} ≥ {}; {} of campaign {}'s daily budget ({}) moves to \
             campaign {}, which spends its budget",
            best.campaign.id,
            cost_per(best),
            worst.campaign.id,
            cost_per(worst),
            best.stats.conversions,
            worst.stats.conversions,
            best.campaign.id,
            chance(confidence),
            chance(settings.budget_confidence),
            percent(shift.to_f64().unwrap_or(0.0) / from_worst.to_f64().unwrap_or(1.0)),
            worst.campaign.id,
            money(shift),
            best.campaign.id
        )
    };
    let numbers = evidence(&[
        ("probBetter", confidence),
        ("bestConvPerDollar", best.per_dollar.mean()),
        ("worstConvPerDollar", worst.per_dollar.mean()),
        ("bestConversions", best.stats.conversions),
        ("worstConversions", worst.stats.conversions),
        ("bestCost", best.stats.cost),
        ("worstCost", worst.stats.cost),
        ("shift", shift.to_f64().unwrap_or(0.0)),
    ]);
    let cut = proposer.set_budget(
        worst.campaign,
        from_worst - shift,
        reason("cut"),
        numbers.clone(),
    );
    let raise = proposer.set_budget(best.campaign, from_best + shift, reason("raise"), numbers);
    if let (Some(cut), Some(raise)) = (cut, raise) {
        plan.budgets.push(cut);
        plan.budgets.push(raise);
    }
}

fn bid(
    rate: &Rate,
    account_rate: f64,
    settings: &Bayes,
    guardrails: &Guardrails,
    proposer: Proposer,
) -> Option<Action> {
    let campaign = rate.campaign;
    if campaign.cost_type != Some(CostType::Cpc) {
        return None;
    }
    let bid = campaign.unit_cost?;
    let first_day = campaign
        .creatives
        .values()
        .filter_map(|c| c.days.first().map(|d| d.date))
        .min()?;
    if (proposer.as_of - first_day).num_days() < DELIVERY_DAYS as i64 {
        return None;
    }
    let delivered = delivery(rate)?;
    let mean = rate.per_dollar.mean();
    let below = rate.per_dollar.log().prob_below(
        &LogNormal {
            mu: account_rate.ln(),
            var: 0.0,
        },
        1.0,
    );
    let step = settings
        .bid_step_percent
        .min(guardrails.max_bid_change_percent);
    let (signed, why) = if delivered < UNDER_DELIVERY && mean >= account_rate {
        (
            step,
            format!(
                "campaign {} under-delivers: it spent {} of its daily budget over the last {} \
                 days (< {}) while converting at {:.4} per dollar, at least the account's {:.4}; \
                 raising the bid {:.0}% wins more auctions",
                campaign.id,
                percent(delivered),
                DELIVERY_DAYS,
                percent(UNDER_DELIVERY),
                mean,
                account_rate,
                step
            ),
        )
    } else if delivered >= FULL_DELIVERY && below >= settings.budget_confidence {
        (
            -step,
            format!(
                "campaign {} spends its full budget ({} over the last {} days) but converts at \
                 {:.4} per dollar, {} likely below the account's {:.4}; lowering the bid {:.0}% \
                 buys cheaper clicks with the same budget",
                campaign.id,
                percent(delivered),
                DELIVERY_DAYS,
                mean,
                chance(below),
                account_rate,
                step
            ),
        )
    } else {
        return None;
    };
    proposer.set_bid(
        campaign,
        by_percent(bid, signed),
        why,
        evidence(&[
            ("delivery", delivered),
            ("convPerDollar", mean),
            ("accountConvPerDollar", account_rate),
            ("probBelowAccount", below),
            ("conversions", rate.stats.conversions),
            ("cost", rate.stats.cost),
        ]),
    )
}
