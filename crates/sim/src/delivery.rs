//! Simulating one day of one campaign: supply, auction, budget, rotation, clicks,
//! conversions (with their reporting delays) and engagement. The outcome is one
//! [`DayRecord`] per creative that served.
//!
//! # The day, step by step (calibrated to ad-performance.md)
//! 1. A campaign delivers when it is ACTIVE, inside its run schedule, under its total budget,
//!    and has at least one serving creative (intendedStatus ACTIVE, review APPROVED).
//! 2. **Supply**: audience size × `impressions_per_member_day` (0.035) × weekday factor ×
//!    LogNormal(0, 0.1) noise. Weekday factors Mon 1.0, Tue 1.4, Wed 1.4, Thu 1.2, Fri 0.9,
//!    Sat 0.55, Sun 0.55 (they sum to 7, so a week's target spend is 7 daily budgets).
//! 3. **Auction** (`market::auction`): win share and second price for the bid, with the
//!    serving creatives' mean effective CTR as relevance for CPC bids.
//! 4. **Budget** (LinkedIn's overspend rule): the day's target spend is the daily budget ×
//!    the weekday factor, never more than 150% of the daily budget, never more than what is
//!    left of 7 daily budgets in the ISO week (Monday–Sunday) or of the total budget.
//!    Impressions stop at the target given the expected cost per impression; if random clicks
//!    overshoot the hard cap (150%, the weekly or total remainder), cost is scaled down to
//!    it — LinkedIn does not bill beyond those caps.
//! 5. **Rotation**: impressions are split evenly across serving creatives (LinkedIn's
//!    "rotate ads evenly"); the remainder goes one each to creatives in an order that rotates
//!    by day.
//! 6. **Per creative**: clicks ~ Binomial(impressions, true CTR × fatigue); landing-page
//!    clicks ~ Binomial(clicks, 0.85) for website campaigns (0.05 for lead gen).
//!    WEBSITE_CONVERSION: post-click conversions ~ Binomial(clicks, cvr), post-view
//!    ~ Binomial(impressions, CTR × cvr × 0.25). LEAD_GENERATION: form opens ~
//!    Binomial(clicks, min(1, cvr / fill rate)), leads ~ Binomial(opens, fill rate), so leads
//!    per click = cvr and leads per open = the campaign's fill rate (6–15%).
//! 7. **Delay**: each conversion arrives `d` days after its day: d = 0 with probability
//!    `same_day_conversion_share` (0.5), else 1 + Geometric(0.25), capped at
//!    `max_conversion_delay_days` (30; post-view at 7, LinkedIn's view window). Analytics
//!    reports it once day + d + `conversion_reporting_lag_days` is before the clock's today.
//! 8. **Fatigue**: a creative's exposure grows each served day by √(impressions / 1500), and
//!    its CTR multiplier is floor + (1 − floor) · exp(−rate · exposure) with floor 0.25 and
//!    rate 0.0262: at a typical 1,500 impressions a day, 0.51% becomes ≈ 0.31% after four
//!    weeks (ad-performance.md). Paused creatives do not recover.
//! 9. **Engagement** per impression: likes 0.12%, other reactions 0.04%, comments 0.012%,
//!    shares 0.006%, follows 0.015%, company-page clicks 0.03%, other engagements 0.04%,
//!    ad-unit clicks 0.01%; action (CTA) clicks 30% and text-URL clicks 4% of clicks;
//!    comment likes 25% of comments; viral impressions 1% of impressions with their own
//!    clicks and social actions. Video campaigns: starts 45% of impressions, views 55% of
//!    starts, quartiles 50% / 65% / 75%, completions 80% of third quartiles, full-screen
//!    plays 3% of views. Sponsored Content has no sends, opens, cards or document pages, so
//!    those metrics are 0.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution, Normal};

use crate::market::{self, CostType};
use crate::randomness::{self, Stream};
use crate::scenario::Calibration;
use crate::world::{Campaign, Creative, Objective};

/// What one creative did on one day. Counts are final; conversions carry their delays, so
/// what is *reported* depends on the clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayRecord {
    /// The day.
    pub date: NaiveDate,
    /// Impressions.
    pub impressions: u32,
    /// Clicks.
    pub clicks: u32,
    /// Landing-page clicks.
    pub landing_page_clicks: u32,
    /// Cost in billionths of a USD (exact sums across creatives).
    pub cost_nanos: i64,
    /// Lead-form opens.
    pub lead_form_opens: u32,
    /// One byte per conversion: kind in the top 2 bits ([`KIND_POST_CLICK`], ...), delay in days below.
    pub conversions: Box<[u8]>,
    /// Engagement counts, indexed by [`Engagement`].
    pub engagement: [u32; ENGAGEMENT_KINDS],
}

/// A post-click website conversion.
pub const KIND_POST_CLICK: u8 = 0;
/// A post-view website conversion.
pub const KIND_POST_VIEW: u8 = 1;
/// A lead-form submission (oneClickLeads).
pub const KIND_LEAD: u8 = 2;

impl DayRecord {
    /// Conversions of `kind` reported when the clock's today is `today`.
    pub fn reported(&self, kind: u8, today: NaiveDate, lag_days: u32) -> u32 {
        self.conversions
            .iter()
            .filter(|c| *c >> 6 == kind)
            .filter(|c| {
                let arrival = self.date + chrono::Days::new((*c & 0x3f) as u64 + lag_days as u64);
                arrival < today
            })
            .count() as u32
    }

    /// Conversions of `kind` this day will ever report.
    pub fn total(&self, kind: u8) -> u32 {
        self.conversions.iter().filter(|c| *c >> 6 == kind).count() as u32
    }
}

/// Engagement counters kept per creative-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
#[allow(missing_docs)]
pub enum Engagement {
    Likes,
    OtherReactions,
    Comments,
    Shares,
    Follows,
    CompanyPageClicks,
    OtherEngagements,
    AdUnitClicks,
    ActionClicks,
    TextUrlClicks,
    CommentLikes,
    VideoStarts,
    VideoViews,
    VideoFirstQuartile,
    VideoMidpoint,
    VideoThirdQuartile,
    VideoCompletions,
    FullScreenPlays,
    ViralImpressions,
    ViralClicks,
    ViralLandingPageClicks,
    ViralLikes,
    ViralComments,
    ViralShares,
    ViralFollows,
}

/// Number of [`Engagement`] counters.
pub const ENGAGEMENT_KINDS: usize = 25;

/// Weekday pacing factor (module docs); they sum to 7 over a week.
pub fn weekday_factor(day: NaiveDate) -> f64 {
    match day.weekday() {
        Weekday::Mon => 1.0,
        Weekday::Tue | Weekday::Wed => 1.4,
        Weekday::Thu => 1.2,
        Weekday::Fri => 0.9,
        Weekday::Sat | Weekday::Sun => 0.55,
    }
}

/// A day's number, for keying random streams.
pub fn day_number(day: NaiveDate) -> u64 {
    day.num_days_from_ce() as u64
}

/// The CTR multiplier of a creative with this much exposure (module docs, step 8).
pub fn fatigue(cal: &Calibration, exposure: f64) -> f64 {
    cal.fatigue_floor + (1.0 - cal.fatigue_floor) * (-cal.fatigue_rate * exposure).exp()
}

fn binomial(rng: &mut StdRng, n: u32, p: f64) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    Binomial::new(n as u64, p.min(1.0))
        .map(|b| b.sample(rng) as u32)
        .unwrap_or(0)
}

fn delay(rng: &mut StdRng, cal: &Calibration, cap: u32) -> u8 {
    if rng.random_bool(cal.same_day_conversion_share.clamp(0.0, 1.0)) {
        return 0;
    }
    let mut d = 1u32;
    while d < cap && !rng.random_bool(0.25) {
        d += 1;
    }
    d.min(cap).min(63) as u8
}

/// Simulates `day` for one campaign and its creatives, appending a [`DayRecord`] to each
/// creative that served and updating spend and fatigue state.
pub fn simulate_day(
    seed: u64,
    cal: &Calibration,
    day: NaiveDate,
    campaign: &mut Campaign,
    creatives: &mut [&mut Creative],
) {
    let mut serving: Vec<&mut Creative> = creatives
        .iter_mut()
        .filter(|c| c.is_serving_on(campaign))
        .map(|c| &mut **c)
        .collect();
    if serving.is_empty() || !campaign.delivers_on(day) {
        return;
    }
    let daily_budget = to_f64(campaign.daily_budget);
    let week_start = day - chrono::Days::new(day.weekday().num_days_from_monday() as u64);
    if campaign.week.0 != week_start {
        campaign.week = (week_start, 0);
    }
    let week_left = 7.0 * daily_budget - campaign.week.1 as f64 / 1e9;
    let total_left = campaign
        .total_budget
        .map(|t| to_f64(t) - campaign.lifetime_spend_nanos as f64 / 1e9);
    let hard_cap = (1.5 * daily_budget)
        .min(week_left)
        .min(total_left.unwrap_or(f64::INFINITY))
        .max(0.0);
    let target = (daily_budget * weekday_factor(day)).min(hard_cap);
    if target <= 0.0 {
        return;
    }

    let mut rng = randomness::rng(seed, Stream::CampaignDay, campaign.id, day_number(day));
    let ctrs: Vec<f64> = serving
        .iter()
        .map(|c| c.true_ctr * fatigue(cal, c.exposure))
        .collect();
    let mean_ctr = ctrs.iter().sum::<f64>() / ctrs.len() as f64;
    let pricing = market::pricing(&campaign.audience, campaign.cost_type);
    let relevance = match campaign.cost_type {
        CostType::Cpc => (mean_ctr / cal.median_ctr).clamp(0.5, 2.0),
        CostType::Cpm => 1.0,
    };
    let outcome = market::auction(to_f64(campaign.unit_cost), &pricing, relevance);
    let noise = Normal::new(0.0f64, 0.1)
        .map(|n| n.sample(&mut rng).exp())
        .unwrap_or(1.0);
    let supply =
        campaign.audience.size * cal.impressions_per_member_day * weekday_factor(day) * noise;
    let potential = (supply * outcome.win_share).round();
    let cost_per_impression = match campaign.cost_type {
        CostType::Cpc => mean_ctr * outcome.price,
        CostType::Cpm => outcome.price / 1000.0,
    };
    let impressions = potential
        .min((target / cost_per_impression.max(1e-9)).floor())
        .max(0.0) as u32;
    if impressions == 0 {
        return;
    }

    // Even rotation; the remainder rotates by day.
    let n = serving.len() as u32;
    let (base, remainder) = (impressions / n, impressions % n);
    let offset = (day_number(day) % n as u64) as u32;
    let mut records: Vec<(usize, DayRecord)> = Vec::with_capacity(serving.len());
    for (i, creative) in serving.iter_mut().enumerate() {
        let extra = u32::from((i as u32 + n - offset) % n < remainder);
        let imps = base + extra;
        if imps == 0 {
            continue;
        }
        let record = simulate_creative(
            seed,
            cal,
            day,
            campaign,
            creative,
            ctrs[i],
            imps,
            outcome.price,
        );
        records.push((i, record));
    }

    let spent: i64 = records.iter().map(|(_, r)| r.cost_nanos).sum();
    let cap_nanos = (hard_cap * 1e9) as i64;
    if spent > cap_nanos && spent > 0 {
        for (_, r) in &mut records {
            r.cost_nanos = (r.cost_nanos as i128 * cap_nanos as i128 / spent as i128) as i64;
        }
    }
    for (i, record) in records {
        let creative = &mut serving[i];
        creative.exposure += (record.impressions as f64 / 1500.0).sqrt();
        creative.cumulative_impressions += record.impressions as u64;
        campaign.week.1 += record.cost_nanos;
        campaign.lifetime_spend_nanos += record.cost_nanos;
        creative.days.push(record);
    }
}

#[allow(clippy::too_many_arguments)]
fn simulate_creative(
    seed: u64,
    cal: &Calibration,
    day: NaiveDate,
    campaign: &Campaign,
    creative: &Creative,
    ctr: f64,
    impressions: u32,
    price: f64,
) -> DayRecord {
    let mut rng = randomness::rng(seed, Stream::CreativeDay, creative.id, day_number(day));
    let r = &mut rng;
    let clicks = binomial(r, impressions, ctr);
    let cost = match campaign.cost_type {
        CostType::Cpc => clicks as f64 * price,
        CostType::Cpm => impressions as f64 * price / 1000.0,
    };
    let mut conversions: Vec<u8> = Vec::new();
    let mut lead_form_opens = 0;
    let landing_page_clicks;
    match campaign.objective {
        Objective::WebsiteConversion => {
            landing_page_clicks = binomial(r, clicks, 0.85);
            let post_click = binomial(r, clicks, creative.conversion_rate);
            let post_view = binomial(r, impressions, ctr * creative.conversion_rate * 0.25);
            for _ in 0..post_click {
                let d = delay(r, cal, cal.max_conversion_delay_days);
                conversions.push(KIND_POST_CLICK << 6 | d);
            }
            for _ in 0..post_view {
                let d = delay(r, cal, cal.max_conversion_delay_days.min(7));
                conversions.push(KIND_POST_VIEW << 6 | d);
            }
        }
        Objective::LeadGeneration => {
            landing_page_clicks = binomial(r, clicks, 0.05);
            let open_share = (creative.conversion_rate / campaign.fill_rate).min(1.0);
            lead_form_opens = binomial(r, clicks, open_share);
            let leads = binomial(
                r,
                lead_form_opens,
                (creative.conversion_rate / open_share).min(1.0),
            );
            for _ in 0..leads {
                let d = delay(r, cal, cal.max_conversion_delay_days);
                conversions.push(KIND_LEAD << 6 | d);
            }
        }
    }
    use Engagement as E;
    let mut e = [0u32; ENGAGEMENT_KINDS];
    for (kind, rate) in [
        (E::Likes, 0.0012),
        (E::OtherReactions, 0.0004),
        (E::Comments, 0.00012),
        (E::Shares, 0.00006),
        (E::Follows, 0.00015),
        (E::CompanyPageClicks, 0.0003),
        (E::OtherEngagements, 0.0004),
        (E::AdUnitClicks, 0.0001),
    ] {
        e[kind as usize] = binomial(r, impressions, rate);
    }
    e[E::ActionClicks as usize] = binomial(r, clicks, 0.3);
    e[E::TextUrlClicks as usize] = binomial(r, clicks, 0.04);
    e[E::CommentLikes as usize] = binomial(r, e[E::Comments as usize], 0.25);
    if campaign.is_video() {
        let starts = binomial(r, impressions, 0.45);
        let views = binomial(r, starts, 0.55);
        let q1 = binomial(r, starts, 0.5);
        let mid = binomial(r, q1, 0.65);
        let q3 = binomial(r, mid, 0.75);
        e[E::VideoStarts as usize] = starts;
        e[E::VideoViews as usize] = views;
        e[E::VideoFirstQuartile as usize] = q1;
        e[E::VideoMidpoint as usize] = mid;
        e[E::VideoThirdQuartile as usize] = q3;
        e[E::VideoCompletions as usize] = binomial(r, q3, 0.8);
        e[E::FullScreenPlays as usize] = binomial(r, views, 0.03);
    }
    let viral = binomial(r, impressions, 0.01);
    let viral_clicks = binomial(r, viral, ctr * 0.8);
    e[E::ViralImpressions as usize] = viral;
    e[E::ViralClicks as usize] = viral_clicks;
    e[E::ViralLandingPageClicks as usize] = binomial(r, viral_clicks, 0.8);
    e[E::ViralLikes as usize] = binomial(r, viral, 0.001);
    e[E::ViralComments as usize] = binomial(r, viral, 0.0001);
    e[E::ViralShares as usize] = binomial(r, viral, 0.00005);
    e[E::ViralFollows as usize] = binomial(r, viral, 0.0001);
    DayRecord {
        date: day,
        impressions,
        clicks,
        landing_page_clicks,
        cost_nanos: (cost * 1e9).round() as i64,
        lead_form_opens,
        conversions: conversions.into_boxed_slice(),
        engagement: e,
    }
}

fn to_f64(d: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod calibration {
    //! The model's figures against ad-performance.md, on a world big enough to be stable.

    use chrono::{Datelike, Weekday};

    use crate::scenario::Scenario;
    use crate::world::World;

    use super::*;

    fn big_world(days: u32) -> World {
        let scenario = Scenario {
            seed: 11,
            accounts: 2,
            campaigns_per_account: 20,
            creatives_per_campaign: 5,
            history_days: days,
            ..Scenario::default()
        };
        World::new(scenario)
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    }

    #[test]
    #[ignore = "prints figures; run with --ignored --nocapture"]
    fn print_calibration_figures() {
        let world = big_world(56);
        let ctrs: Vec<f64> = world.creatives.values().map(|c| c.true_ctr).collect();
        println!(
            "median true ctr {:.4} min {:.4} max {:.4}",
            median(ctrs.clone()),
            ctrs.iter().cloned().fold(1.0, f64::min),
            ctrs.iter().cloned().fold(0.0, f64::max)
        );
        for c in world.campaigns.values() {
            let recs: Vec<&DayRecord> = world
                .creatives
                .values()
                .filter(|x| x.campaign == c.id)
                .flat_map(|x| x.days.iter())
                .collect();
            let imps: u64 = recs.iter().map(|r| r.impressions as u64).sum();
            let clicks: u64 = recs.iter().map(|r| r.clicks as u64).sum();
            let cost: f64 = recs.iter().map(|r| r.cost_nanos as f64 / 1e9).sum();
            let conv: u64 = recs.iter().map(|r| r.conversions.len() as u64).sum();
            let p = crate::market::pricing(&c.audience, c.cost_type);
            println!(
                "{} {:?} {:?} aud {:.0} bid {} sugg {:.2} min {:.2} budget {} imps/day {:.0} ctr {:.4} cpc {:.2} cpm {:.2} spend/day {:.1} conv {}",
                c.id,
                c.cost_type,
                c.objective,
                c.audience.size,
                c.unit_cost,
                p.suggested,
                p.bid_min,
                c.daily_budget,
                imps as f64 / 56.0,
                clicks as f64 / imps.max(1) as f64,
                cost / clicks.max(1) as f64,
                cost / imps.max(1) as f64 * 1000.0,
                cost / 56.0,
                conv
            );
        }
    }

    #[test]
    fn seeded_creatives_have_a_median_true_ctr_near_045_percent_within_the_typical_range() {
        // GIVEN 200 seeded creatives
        let world = big_world(0);
        let ctrs: Vec<f64> = world
            .creatives
            .values()
            .filter(|c| !world.campaigns[&c.campaign].is_video())
            .map(|c| c.true_ctr)
            .collect();
        // THEN their median is ≈ 0.45% and they spread over the typical range
        let m = median(ctrs.clone());
        assert!((0.0038..0.0053).contains(&m), "median ctr {m}");
        assert!(ctrs.iter().all(|c| (0.0025..=0.015).contains(c)));
        assert!(ctrs.iter().any(|c| *c < 0.0035) && ctrs.iter().any(|c| *c > 0.0065));
    }

    #[test]
    fn cpc_campaigns_pay_typical_linkedin_cpcs_and_never_more_than_their_bid() {
        // GIVEN eight weeks of delivery
        let world = big_world(56);
        let mut cpcs = Vec::new();
        for c in world
            .campaigns
            .values()
            .filter(|c| c.cost_type == CostType::Cpc)
        {
            let (clicks, cost) = world
                .creatives
                .values()
                .filter(|x| x.campaign == c.id)
                .flat_map(|x| x.days.iter())
                .fold((0u64, 0f64), |(k, s), r| {
                    (k + r.clicks as u64, s + r.cost_nanos as f64 / 1e9)
                });
            if clicks > 50 {
                let cpc = cost / clicks as f64;
                assert!(
                    cpc <= rust_decimal::prelude::ToPrimitive::to_f64(&c.unit_cost).unwrap() + 1e-9
                );
                cpcs.push(cpc);
            }
        }
        // THEN the median CPC sits in LinkedIn's typical $5.50–$9.25 band, roughly
        let m = median(cpcs.clone());
        assert!((4.5..10.0).contains(&m), "median cpc {m} of {cpcs:?}");
    }

    #[test]
    fn tuesday_and_wednesday_deliver_about_1_4x_and_weekends_about_half_of_monday() {
        let world = big_world(56);
        let mut by_day = [0f64; 7];
        for r in world.creatives.values().flat_map(|c| c.days.iter()) {
            by_day[r.date.weekday().num_days_from_monday() as usize] += r.impressions as f64;
        }
        let mon = by_day[Weekday::Mon.num_days_from_monday() as usize];
        let tue = by_day[1] / mon;
        let sat = by_day[5] / mon;
        assert!((1.2..1.6).contains(&tue), "tue/mon {tue}");
        assert!((0.35..0.7).contains(&sat), "sat/mon {sat}");
    }

    #[test]
    fn no_day_spends_over_150_percent_and_no_week_over_7_daily_budgets() {
        let world = big_world(56);
        for c in world.campaigns.values() {
            let budget = rust_decimal::prelude::ToPrimitive::to_f64(&c.daily_budget).unwrap();
            let mut days: BTreeMap<NaiveDate, f64> = BTreeMap::new();
            for r in world
                .creatives
                .values()
                .filter(|x| x.campaign == c.id)
                .flat_map(|x| x.days.iter())
            {
                *days.entry(r.date).or_default() += r.cost_nanos as f64 / 1e9;
            }
            let mut weeks: BTreeMap<u32, f64> = BTreeMap::new();
            for (d, spend) in &days {
                assert!(
                    *spend <= 1.5 * budget + 1e-6,
                    "campaign {} spent {spend} on {d} with budget {budget}",
                    c.id
                );
                *weeks.entry(d.iso_week().week()).or_default() += spend;
            }
            for spend in weeks.values() {
                assert!(*spend <= 7.0 * budget + 1e-6);
            }
        }
    }

    use std::collections::BTreeMap;

    #[test]
    fn a_creatives_ctr_fatigues_from_about_051_to_031_percent_in_four_weeks() {
        let cal = Calibration::default();
        // 28 typical days of 1,500 impressions = 28 units of exposure
        let ratio = fatigue(&cal, 28.0) / fatigue(&cal, 0.0);
        assert!(
            (0.31 / 0.51 - 0.03..0.31 / 0.51 + 0.03).contains(&ratio),
            "ratio {ratio}"
        );
        // AND in a simulated world a creative's observed CTR falls over its first four weeks
        let world = big_world(56);
        let (mut early, mut late) = ((0u64, 0u64), (0u64, 0u64));
        for c in world.creatives.values() {
            for r in &c.days {
                let age = (r.date - world.scenario.start_date).num_days() + 56;
                let slot = if age < 7 {
                    &mut early
                } else if (28..35).contains(&age) {
                    &mut late
                } else {
                    continue;
                };
                slot.0 += r.clicks as u64;
                slot.1 += r.impressions as u64;
            }
        }
        let (ctr_early, ctr_late) = (
            early.0 as f64 / early.1 as f64,
            late.0 as f64 / late.1 as f64,
        );
        assert!(
            ctr_late < ctr_early * 0.85,
            "early {ctr_early} late {ctr_late}"
        );
    }

    #[test]
    fn reported_conversions_rise_as_the_clock_advances_and_converge_to_the_total() {
        // GIVEN a world with two weeks delivered
        let mut world = big_world(14);
        let day = world.clock.today() - chrono::Days::new(14);
        let reported = |w: &World, today: NaiveDate| -> (u32, u32) {
            w.creatives
                .values()
                .flat_map(|c| c.days.iter().filter(|r| r.date == day))
                .map(|r| {
                    let rep = [KIND_POST_CLICK, KIND_POST_VIEW, KIND_LEAD]
                        .iter()
                        .map(|k| r.reported(*k, today, 0))
                        .sum::<u32>();
                    (rep, r.conversions.len() as u32)
                })
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        let next_day = day.succ_opt().unwrap();
        let (first, total) = reported(&world, next_day);
        // THEN about half is reported the next morning ...
        assert!(total > 20, "too few conversions to judge: {total}");
        let share = first as f64 / total as f64;
        assert!((0.35..0.7).contains(&share), "same-day share {share}");
        // ... more as the clock advances, and all after the 30-day window
        let (mid, _) = reported(&world, world.clock.today());
        for _ in 0..20 {
            world.advance_day();
        }
        let (last, total_after) = reported(&world, world.clock.today());
        assert!(first < mid && mid <= last);
        assert_eq!((last, total_after), (total, total));
    }
}
