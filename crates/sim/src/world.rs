//! The world: accounts, campaign groups, campaigns, creatives and posts, their state, the
//! virtual clock, and every day delivered so far. Built deterministically from a
//! [`Scenario`]; changed by the API (status, bid, budget, new posts and creatives) and by
//! advancing the clock, which simulates each day with `delivery`.
//!
//! # Seeded entities (ids are stable for a scenario)
//! Accounts 500000001, 500000002, ...; one campaign group per account (600000001, ...);
//! campaigns 700000001, ... and creatives 880000001, ... numbered across accounts; every
//! creative's copy lives in a dark post `urn:li:share:7100000000000000001`, .... A campaign
//! targets one location, one or two job functions, one to three seniorities and maybe (30%) an
//! industry; it is CPC (or CPM with `cpm_share`), WEBSITE_CONVERSION (or LEAD_GENERATION
//! with `lead_gen_share`), single image (or video with `video_share`); its bid is 0.85–1.35×
//! the suggested bid (or, with `below_min_bid_share`, 0.6–0.95× the minimum bid); its daily
//! budget is $30–$300. Its median conversion rate is `median_conversion_rate` ×
//! LogNormal(0, 0.35) and each creative's is that × LogNormal(0, 0.25), clamped to 2–15%;
//! lead-gen fill rates are 6–15%; a conversion is worth $40–$250.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::admin_types::CopyFeatures;
use crate::clock::{VirtualClock, epoch_ms};
use crate::copy::{self, AdCopy};
use crate::delivery::{self, DayRecord};
use crate::market::{self, Audience, CostType};
use crate::randomness::{self, Stream};
use crate::scenario::Scenario;

/// First account id.
pub const FIRST_ACCOUNT: u64 = 500_000_001;
/// First campaign group id.
pub const FIRST_GROUP: u64 = 600_000_001;
/// First campaign id.
pub const FIRST_CAMPAIGN: u64 = 700_000_001;
/// First creative id.
pub const FIRST_CREATIVE: u64 = 880_000_001;
/// First post (share) id.
pub const FIRST_POST: u64 = 7_100_000_000_000_000_001;
/// LinkedIn's cap on creatives per campaign.
pub const MAX_CREATIVES_PER_CAMPAIGN: usize = 100;

/// The member who owns the seeded token and authored every seeded change.
pub const MEMBER_URN: &str = "urn:li:person:sim0member";

/// A campaign's objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Conversions on the advertiser's site (externalWebsiteConversions).
    WebsiteConversion,
    /// LinkedIn lead forms (oneClickLeads).
    LeadGeneration,
}

impl Objective {
    /// LinkedIn's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Objective::WebsiteConversion => "WEBSITE_CONVERSION",
            Objective::LeadGeneration => "LEAD_GENERATION",
        }
    }
}

/// Campaign statuses (LinkedIn's campaign `status`).
pub const CAMPAIGN_STATUSES: &[&str] = &[
    "ACTIVE",
    "PAUSED",
    "ARCHIVED",
    "COMPLETED",
    "CANCELED",
    "DRAFT",
    "PENDING_DELETION",
    "REMOVED",
];

/// Creative `intendedStatus` values.
pub const CREATIVE_STATUSES: &[&str] = &[
    "ACTIVE",
    "PAUSED",
    "DRAFT",
    "ARCHIVED",
    "CANCELED",
    "PENDING_DELETION",
];

/// Whether a campaign may go from `from` to `to`. Completed, canceled and deleted campaigns
/// are final; archived ones may only be un-archived to PAUSED; nothing returns to DRAFT.
pub fn campaign_transition_allowed(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match from {
        "ACTIVE" | "PAUSED" | "DRAFT" => matches!(
            to,
            "ACTIVE" | "PAUSED" | "ARCHIVED" | "CANCELED" | "PENDING_DELETION"
        ),
        "ARCHIVED" => to == "PAUSED",
        _ => false,
    }
}

/// Whether a creative may go from `from` to `to` (CANCELED and PENDING_DELETION are final).
pub fn creative_transition_allowed(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match from {
        "ACTIVE" | "PAUSED" | "DRAFT" => matches!(
            to,
            "ACTIVE" | "PAUSED" | "ARCHIVED" | "CANCELED" | "PENDING_DELETION"
        ),
        "ARCHIVED" => matches!(to, "ACTIVE" | "PAUSED"),
        _ => false,
    }
}

/// An ad account.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Id (500000001, ...).
    pub id: u64,
    /// Name.
    pub name: String,
    /// The company page its posts are authored by.
    pub organization: u64,
}

/// A campaign group.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignGroup {
    /// Id.
    pub id: u64,
    /// Its account.
    pub account: u64,
    /// Name.
    pub name: String,
}

/// A campaign (the UI's "ad set").
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Id.
    pub id: u64,
    /// Its account.
    pub account: u64,
    /// Its campaign group.
    pub group: u64,
    /// Name.
    pub name: String,
    /// Status (one of [`CAMPAIGN_STATUSES`]).
    pub status: String,
    /// Objective.
    pub objective: Objective,
    /// Billing.
    pub cost_type: CostType,
    /// `STANDARD_UPDATE` (single image) or `SINGLE_VIDEO`.
    pub format: &'static str,
    /// The bid (`unitCost`), USD.
    pub unit_cost: Decimal,
    /// Daily budget, USD.
    pub daily_budget: Decimal,
    /// Lifetime budget, USD, if any.
    pub total_budget: Option<Decimal>,
    /// Run schedule start, epoch ms.
    pub run_start_ms: i64,
    /// Run schedule end, epoch ms, if any.
    pub run_end_ms: Option<i64>,
    /// Targeting as (facet URN, values).
    pub targeting: Vec<(String, Vec<String>)>,
    /// The audience the targeting reaches.
    pub audience: Audience,
    /// Created, epoch ms.
    pub created_ms: i64,
    /// Last modified, epoch ms.
    pub modified_ms: i64,
    /// Lead-form fill rate (leads per open) for lead-gen campaigns.
    pub fill_rate: f64,
    /// Value of one conversion, USD.
    pub conversion_value: Decimal,
    /// Spend so far, billionths of a USD.
    pub lifetime_spend_nanos: i64,
    /// (Monday of the current ISO week, spend in it in billionths of a USD).
    pub week: (NaiveDate, i64),
}

impl Campaign {
    /// Whether the campaign's state lets it deliver on `day`.
    pub fn delivers_on(&self, day: NaiveDate) -> bool {
        let start = epoch_ms(day);
        self.status == "ACTIVE"
            && self.run_start_ms <= start + 86_399_999
            && self.run_end_ms.is_none_or(|end| end > start)
    }

    /// Whether it runs video creatives.
    pub fn is_video(&self) -> bool {
        self.format == "SINGLE_VIDEO"
    }

    /// Every targeting value URN.
    pub fn targeting_values(&self) -> impl Iterator<Item = &str> {
        self.targeting
            .iter()
            .flat_map(|(_, v)| v.iter().map(String::as_str))
    }
}

/// A dark post carrying ad copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The post's URN (`urn:li:share:N` or `urn:li:ugcPost:N`).
    pub urn: String,
    /// Author (`urn:li:organization:N`).
    pub author: String,
    /// The ad account it was made for (`adContext.dscAdAccount`).
    pub account: u64,
    /// Its copy.
    pub copy: AdCopy,
    /// Landing page (`content.article.source`).
    pub source: String,
    /// Created, epoch ms.
    pub created_ms: i64,
}

/// A creative: a post placed in a campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Creative {
    /// Id (the N of urn:li:sponsoredCreative:N).
    pub id: u64,
    /// Its campaign.
    pub campaign: u64,
    /// Its account.
    pub account: u64,
    /// The post it shows.
    pub post: String,
    /// Name.
    pub name: String,
    /// intendedStatus (one of [`CREATIVE_STATUSES`]).
    pub intended_status: String,
    /// review.status: PENDING until the next simulated day for new creatives, then APPROVED.
    pub review_status: &'static str,
    /// Created, epoch ms.
    pub created_ms: i64,
    /// Last modified, epoch ms.
    pub modified_ms: i64,
    /// True CTR before fatigue.
    pub true_ctr: f64,
    /// True conversions (or leads) per click.
    pub conversion_rate: f64,
    /// The copy features the CTR came from.
    pub features: CopyFeatures,
    /// Accumulated exposure (drives fatigue).
    pub exposure: f64,
    /// Impressions so far.
    pub cumulative_impressions: u64,
    /// Delivered days, in date order (days without impressions are not kept).
    pub days: Vec<DayRecord>,
}

impl Creative {
    /// Whether it serves when its campaign delivers.
    pub fn is_serving_on(&self, campaign: &Campaign) -> bool {
        self.intended_status == "ACTIVE"
            && self.review_status == "APPROVED"
            && campaign.status == "ACTIVE"
    }

    /// LinkedIn's `servingHoldReasons` for it.
    pub fn serving_hold_reasons(&self, campaign: &Campaign) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if self.review_status != "APPROVED" {
            reasons.push("UNDER_REVIEW");
        }
        if self.intended_status != "ACTIVE" {
            reasons.push("STOPPED");
        }
        if campaign.status != "ACTIVE" {
            reasons.push("CAMPAIGN_STOPPED");
        }
        reasons
    }

    /// Its records for days in `from..=to`.
    pub fn days_between(&self, from: NaiveDate, to: NaiveDate) -> &[DayRecord] {
        let lo = self.days.partition_point(|r| r.date < from);
        let hi = self.days.partition_point(|r| r.date <= to);
        &self.days[lo..hi.max(lo)]
    }
}

/// The whole simulated world.
#[derive(Debug, Clone)]
pub struct World {
    /// The scenario it was built from.
    pub scenario: Scenario,
    /// The virtual clock.
    pub clock: VirtualClock,
    /// Accounts by id.
    pub accounts: BTreeMap<u64, Account>,
    /// Campaign groups by id.
    pub groups: BTreeMap<u64, CampaignGroup>,
    /// Campaigns by id.
    pub campaigns: BTreeMap<u64, Campaign>,
    /// Creatives by id.
    pub creatives: BTreeMap<u64, Creative>,
    /// Posts by URN.
    pub posts: BTreeMap<String, Post>,
    next_creative: u64,
    next_post: u64,
}

fn money(x: f64) -> Decimal {
    Decimal::from_f64((x * 100.0).round() / 100.0)
        .unwrap_or_default()
        .round_dp(2)
}

fn lognormal(rng: &mut StdRng, sd: f64) -> f64 {
    Normal::new(0.0, sd)
        .map(|n| n.sample(rng).exp())
        .unwrap_or(1.0)
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

impl World {
    /// Builds the world for a scenario, then simulates its `history_days`.
    pub fn new(scenario: Scenario) -> World {
        let history = chrono::Days::new(scenario.history_days as u64);
        let first_day = scenario.start_date - history;
        let mut world = World {
            clock: VirtualClock::new(first_day),
            accounts: BTreeMap::new(),
            groups: BTreeMap::new(),
            campaigns: BTreeMap::new(),
            creatives: BTreeMap::new(),
            posts: BTreeMap::new(),
            next_creative: FIRST_CREATIVE,
            next_post: FIRST_POST,
            scenario,
        };
        world.seed_entities(first_day);
        for _ in 0..world.scenario.history_days {
            world.advance_day();
        }
        world
    }

    fn seed_entities(&mut self, first_day: NaiveDate) {
        let seed = self.scenario.seed;
        let cal = self.scenario.calibration.clone();
        let created = epoch_ms(first_day) - 7 * 86_400_000;
        let mut campaign_id = FIRST_CAMPAIGN;
        for a in 0..self.scenario.accounts as u64 {
            let account = FIRST_ACCOUNT + a;
            let group = FIRST_GROUP + a;
            self.accounts.insert(
                account,
                Account {
                    id: account,
                    name: format!("Sim Account {}", a + 1),
                    organization: 10_000_001 + a,
                },
            );
            self.groups.insert(
                group,
                CampaignGroup {
                    id: group,
                    account,
                    name: format!("Always-on {}", a + 1),
                },
            );
            for c in 0..self.scenario.campaigns_per_account {
                let id = campaign_id;
                campaign_id += 1;
                let mut rng = randomness::rng(seed, Stream::World, id, 0);
                let geos: Vec<&str> = market::seed_geos().collect();
                let geo = if rng.random_bool(0.6) {
                    geos[0]
                } else {
                    pick(&mut rng, &geos[1..])
                };
                let functions = market::seed_values("function");
                let seniorities = market::seed_values("seniority");
                let industries = market::seed_values("industry");
                let mut targeting = vec![(
                    "urn:li:adTargetingFacet:locations".to_string(),
                    vec![geo.to_string()],
                )];
                let chosen = |rng: &mut StdRng, pool: &[&str], max: usize| {
                    let k = rng.random_range(1..=max);
                    let mut out: Vec<String> = Vec::new();
                    while out.len() < k {
                        let v = pick(rng, pool).to_string();
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                    out.sort();
                    out
                };
                targeting.push((
                    "urn:li:adTargetingFacet:jobFunctions".to_string(),
                    chosen(&mut rng, &functions, 2),
                ));
                targeting.push((
                    "urn:li:adTargetingFacet:seniorities".to_string(),
                    chosen(&mut rng, &seniorities, 3),
                ));
                if rng.random_bool(0.3) {
                    targeting.push((
                        "urn:li:adTargetingFacet:industries".to_string(),
                        chosen(&mut rng, &industries, 1),
                    ));
                }
                let audience = market::audience(
                    targeting
                        .iter()
                        .flat_map(|(_, v)| v.iter().map(String::as_str)),
                    false,
                );
                let cost_type = if rng.random_bool(cal.cpm_share.clamp(0.0, 1.0)) {
                    CostType::Cpm
                } else {
                    CostType::Cpc
                };
                let objective = if rng.random_bool(cal.lead_gen_share.clamp(0.0, 1.0)) {
                    Objective::LeadGeneration
                } else {
                    Objective::WebsiteConversion
                };
                let is_video = rng.random_bool(cal.video_share.clamp(0.0, 1.0));
                let pricing = market::pricing(&audience, cost_type);
                let bid = if rng.random_bool(cal.below_min_bid_share.clamp(0.0, 1.0)) {
                    pricing.bid_min * rng.random_range(0.6..0.95)
                } else {
                    pricing.suggested * rng.random_range(0.85..1.35)
                };
                let daily_budget = (rng.random_range(30.0..300.0f64) / 5.0).round() * 5.0;
                let base_cvr = cal.median_conversion_rate * lognormal(&mut rng, 0.35);
                let fill_rate = rng.random_range(0.06..0.15);
                let conversion_value = money(rng.random_range(40.0..250.0));
                let topic = [
                    "Cloud",
                    "Data",
                    "Security",
                    "Sales",
                    "Onboarding",
                    "Compliance",
                ][rng.random_range(0..6)];
                let name = format!(
                    "{topic} {} {} #{}",
                    if objective == Objective::LeadGeneration {
                        "Leads"
                    } else {
                        "Conversions"
                    },
                    geo.rsplit(':').next().unwrap_or(""),
                    c + 1
                );
                self.campaigns.insert(
                    id,
                    Campaign {
                        id,
                        account,
                        group,
                        name,
                        status: "ACTIVE".to_string(),
                        objective,
                        cost_type,
                        format: if is_video {
                            "SINGLE_VIDEO"
                        } else {
                            "STANDARD_UPDATE"
                        },
                        unit_cost: money(bid),
                        daily_budget: money(daily_budget),
                        total_budget: None,
                        run_start_ms: epoch_ms(first_day),
                        run_end_ms: None,
                        targeting,
                        audience,
                        created_ms: created,
                        modified_ms: created,
                        fill_rate,
                        conversion_value,
                        lifetime_spend_nanos: 0,
                        week: (first_day, 0),
                    },
                );
                for k in 0..self
                    .scenario
                    .creatives_per_campaign
                    .min(MAX_CREATIVES_PER_CAMPAIGN as u32)
                {
                    let mut copy_rng = randomness::rng(seed, Stream::World, self.next_post, 1);
                    let copy = copy::generate(&mut copy_rng);
                    let post = self.insert_post(account, copy, created);
                    let creative = self.insert_creative(id, &post, created, "APPROVED", base_cvr);
                    if let Some(c) = self.creatives.get_mut(&creative) {
                        c.name = format!("Creative {} of campaign {}", k + 1, id);
                    }
                }
            }
        }
    }

    fn insert_post(&mut self, account: u64, copy: AdCopy, created_ms: i64) -> String {
        let urn = format!("urn:li:share:{}", self.next_post);
        self.next_post += 1;
        let organization = self
            .accounts
            .get(&account)
            .map(|a| a.organization)
            .unwrap_or(10_000_001);
        self.posts.insert(
            urn.clone(),
            Post {
                urn: urn.clone(),
                author: format!("urn:li:organization:{organization}"),
                account,
                copy,
                source: format!("https://example.com/lp/{}", self.next_post - 1),
                created_ms,
            },
        );
        urn
    }

    /// Base conversion rate of a campaign's creatives (the seeded creatives' geometric mean;
    /// the calibrated median when it has none).
    fn campaign_base_cvr(&self, campaign: u64) -> f64 {
        let rates: Vec<f64> = self
            .creatives
            .values()
            .filter(|c| c.campaign == campaign)
            .map(|c| c.conversion_rate.ln())
            .collect();
        if rates.is_empty() {
            self.scenario.calibration.median_conversion_rate
        } else {
            (rates.iter().sum::<f64>() / rates.len() as f64).exp()
        }
    }

    fn insert_creative(
        &mut self,
        campaign: u64,
        post: &str,
        created_ms: i64,
        review: &'static str,
        base_cvr: f64,
    ) -> u64 {
        let id = self.next_creative;
        self.next_creative += 1;
        let cal = &self.scenario.calibration;
        let (account, is_video) = self
            .campaigns
            .get(&campaign)
            .map(|c| (c.account, c.is_video()))
            .unwrap_or((FIRST_ACCOUNT, false));
        let features = self
            .posts
            .get(post)
            .map(|p| copy::features(&p.copy))
            .unwrap_or_default();
        let mut rng = randomness::rng(self.scenario.seed, Stream::CreativeQuality, id, 0);
        let epsilon = Normal::new(0.0, cal.ctr_noise_sd.max(0.0))
            .map(|n| n.sample(&mut rng))
            .unwrap_or(0.0);
        let true_ctr = copy::true_ctr(cal.median_ctr, &features, is_video, epsilon);
        let conversion_rate = (base_cvr * lognormal(&mut rng, 0.25)).clamp(0.02, 0.15);
        self.creatives.insert(
            id,
            Creative {
                id,
                campaign,
                account,
                post: post.to_string(),
                name: format!("Creative {id}"),
                intended_status: "ACTIVE".to_string(),
                review_status: review,
                created_ms,
                modified_ms: created_ms,
                true_ctr,
                conversion_rate,
                features,
                exposure: 0.0,
                cumulative_impressions: 0,
                days: Vec::new(),
            },
        );
        id
    }

    /// Creates a dark post for `account` (POST /rest/posts); returns its URN.
    pub fn create_post(&mut self, account: u64, copy: AdCopy, source: Option<String>) -> String {
        let now = self.clock.now().timestamp_millis();
        let urn = self.insert_post(account, copy, now);
        if let (Some(source), Some(post)) = (source, self.posts.get_mut(&urn)) {
            post.source = source;
        }
        urn
    }

    /// Creates a creative showing `post` in `campaign` (POST /rest/adAccounts/{a}/creatives).
    /// It is under review (PENDING) until the next simulated day. Returns its id.
    pub fn create_creative(&mut self, campaign: u64, post: &str, intended_status: &str) -> u64 {
        let now = self.clock.now().timestamp_millis();
        let base = self.campaign_base_cvr(campaign);
        let id = self.insert_creative(campaign, post, now, "PENDING", base);
        if let Some(c) = self.creatives.get_mut(&id) {
            c.intended_status = intended_status.to_string();
        }
        id
    }

    /// Number of creatives in a campaign.
    pub fn creatives_in(&self, campaign: u64) -> usize {
        self.creatives
            .values()
            .filter(|c| c.campaign == campaign)
            .count()
    }

    /// Simulates the clock's `today` for every campaign, then moves the clock to the next day.
    /// Creatives under review are approved at the day boundary, before the next day serves.
    pub fn advance_day(&mut self) {
        let day = self.clock.today();
        let seed = self.scenario.seed;
        let cal = self.scenario.calibration.clone();
        let mut by_campaign: BTreeMap<u64, Vec<&mut Creative>> = BTreeMap::new();
        for creative in self.creatives.values_mut() {
            by_campaign
                .entry(creative.campaign)
                .or_default()
                .push(creative);
        }
        for (id, campaign) in self.campaigns.iter_mut() {
            if let Some(creatives) = by_campaign.get_mut(id) {
                delivery::simulate_day(seed, &cal, day, campaign, creatives);
            }
        }
        for creative in self.creatives.values_mut() {
            if creative.review_status == "PENDING" {
                creative.review_status = "APPROVED";
            }
        }
        self.clock.next_day();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_scenario_builds_the_same_world_and_delivery() {
        // GIVEN two worlds from one scenario
        let scenario = Scenario {
            history_days: 10,
            ..Scenario::default()
        };
        let (a, b) = (World::new(scenario.clone()), World::new(scenario));
        // THEN entities and every delivered day are identical
        assert_eq!(a.campaigns, b.campaigns);
        assert_eq!(a.creatives, b.creatives);
        assert_eq!(a.accounts.keys().next(), Some(&FIRST_ACCOUNT));
        assert_eq!(a.creatives.len(), 12);
        assert!(a.creatives.values().any(|c| !c.days.is_empty()));
    }

    #[test]
    fn api_changes_alter_the_following_days_delivery() {
        // GIVEN two identical worlds with a week delivered
        let scenario = Scenario {
            history_days: 7,
            ..Scenario::default()
        };
        let (mut same, mut changed) = (World::new(scenario.clone()), World::new(scenario));
        // WHEN one pauses a creative and raises another campaign's bid and budget by half
        let campaign = FIRST_CAMPAIGN + 1;
        changed
            .creatives
            .get_mut(&FIRST_CREATIVE)
            .unwrap()
            .intended_status = "PAUSED".into();
        let c = changed.campaigns.get_mut(&campaign).unwrap();
        c.daily_budget *= Decimal::new(15, 1);
        c.unit_cost *= Decimal::new(15, 1);
        for _ in 0..7 {
            same.advance_day();
            changed.advance_day();
        }
        // THEN the paused creative stops, the other campaign's spend moves, history stays
        let week2 = |w: &World, id: u64| {
            w.creatives[&id]
                .days
                .iter()
                .filter(|r| r.date >= w.scenario.start_date)
                .count()
        };
        assert!(week2(&same, FIRST_CREATIVE) > 0);
        assert_eq!(week2(&changed, FIRST_CREATIVE), 0);
        let spend = |w: &World| -> i64 {
            w.creatives
                .values()
                .filter(|c| c.campaign == campaign)
                .flat_map(|c| c.days.iter())
                .filter(|r| r.date >= w.scenario.start_date)
                .map(|r| r.cost_nanos)
                .sum()
        };
        assert_ne!(spend(&same), spend(&changed));
        let week1 = |w: &World| {
            w.creatives[&FIRST_CREATIVE]
                .days
                .iter()
                .filter(|r| r.date < w.scenario.start_date)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(week1(&same), week1(&changed));
    }

    #[test]
    #[ignore = "prints size and speed; run in release with --ignored --nocapture"]
    fn print_size_and_speed_of_a_400_day_world() {
        let scenario = Scenario {
            campaigns_per_account: 20,
            creatives_per_campaign: 10,
            ..Scenario::default()
        };
        let mut world = World::new(scenario);
        let t = std::time::Instant::now();
        for _ in 0..90 {
            world.advance_day();
        }
        println!(
            "advance(90) for 20 campaigns x 10 creatives: {:?}",
            t.elapsed()
        );
        for _ in 90..400 {
            world.advance_day();
        }
        let records: usize = world.creatives.values().map(|c| c.days.len()).sum();
        let conversions: usize = world
            .creatives
            .values()
            .flat_map(|c| c.days.iter())
            .map(|r| r.conversions.len())
            .sum();
        let bytes = records * std::mem::size_of::<DayRecord>() + conversions;
        println!(
            "400 days: {records} creative-days, ~{:.1} MB of day records",
            bytes as f64 / 1e6
        );
    }

    #[test]
    fn status_transitions_follow_linkedins_rules() {
        assert!(campaign_transition_allowed("ACTIVE", "PAUSED"));
        assert!(campaign_transition_allowed("PAUSED", "ACTIVE"));
        for from in ["ARCHIVED", "COMPLETED", "CANCELED"] {
            assert!(
                !campaign_transition_allowed(from, "ACTIVE"),
                "{from} -> ACTIVE"
            );
        }
        assert!(creative_transition_allowed("ACTIVE", "PAUSED"));
        assert!(!creative_transition_allowed("CANCELED", "ACTIVE"));
    }
}
