//! The market: who a campaign's targeting reaches, what that audience costs, and how an
//! auction for it turns a bid into a share of impressions and a price.
//!
//! # Audience (from the targeting's URNs alone)
//! Size = Σ member counts of the targeted locations (no location: 1 billion) × Π over every
//! other facet type (job function, seniority, industry, ...) of the summed share of members
//! its values cover (capped at 1). Known values carry the figures in the tables below;
//! unknown URNs get a share of 2–20% and a price index of 0.9–1.2 derived from a hash of
//! the URN, so any targeting maps to one stable audience. `AUDIENCE_EXPANDED` matching is
//! 1.3× the audience.
//!
//! # Prices (what `/rest/adBudgetPricing` answers; ad-performance.md: CPC $5.50–$9.25)
//! Suggested CPC = $7.50 × price index × (1M / audience)^0.08 (narrow audiences cost more),
//! clamped to $3–$25; the price index is the geometric mean of the targeted values' indices
//! (directors, VPs and CXOs cost more). Minimum bid = 40% of suggested (≥ $2); maximum bid
//! = 8× suggested; suggested range 0.75×–1.4×. CPM prices are CPC × 1000 × 0.45% (≈ $25–$44).
//! Daily budget limits: $10 minimum (LinkedIn's), default 15 suggested CPCs, maximum $50,000.
//!
//! # Auction (second price, rank = bid × relevance)
//! The best competing bid for an impression is LogNormal(median = 1.05 × suggested,
//! σ = 0.35). A campaign's effective bid is its bid × relevance (its serving creatives'
//! mean CTR over the median CTR, clamped to 0.5–2; 1 for CPM bids). Its win share is the
//! chance its effective bid beats the competitor, times 0.1 below the minimum bid, so
//! delivery collapses there. It pays the expected competing bid given it won, divided by
//! relevance, plus $0.01 — never more than its bid.

use crate::randomness::{Stream, unit};

/// A campaign's reachable members and their price level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Audience {
    /// Members the targeting reaches.
    pub size: f64,
    /// Price multiplier of the targeted segment (1.0 = average).
    pub price_index: f64,
}

/// Member counts of known locations, and their price indices.
const GEOS: &[(&str, f64, f64)] = &[
    ("urn:li:geo:103644278", 230e6, 1.0), // United States
    ("urn:li:geo:101165590", 40e6, 0.85), // United Kingdom
    ("urn:li:geo:101282230", 24e6, 0.8),  // Germany
    ("urn:li:geo:105015875", 28e6, 0.75), // France
    ("urn:li:geo:101174742", 23e6, 0.85), // Canada
];

/// Shares of members and price indices of known non-location targeting values.
const FACET_VALUES: &[(&str, f64, f64)] = &[
    ("urn:li:function:4", 0.10, 1.0),   // Business Development
    ("urn:li:function:8", 0.12, 1.15),  // Engineering
    ("urn:li:function:10", 0.07, 1.1),  // Finance
    ("urn:li:function:13", 0.09, 1.1),  // Information Technology
    ("urn:li:function:15", 0.08, 1.0),  // Marketing
    ("urn:li:function:25", 0.11, 1.0),  // Sales
    ("urn:li:seniority:5", 0.25, 0.9),  // Senior
    ("urn:li:seniority:6", 0.18, 1.0),  // Manager
    ("urn:li:seniority:7", 0.07, 1.25), // Director
    ("urn:li:seniority:8", 0.035, 1.4), // VP
    ("urn:li:seniority:9", 0.03, 1.5),  // CXO
    ("urn:li:industry:4", 0.06, 1.05),  // Software Development
    ("urn:li:industry:96", 0.07, 1.0),  // IT Services and IT Consulting
    ("urn:li:industry:43", 0.06, 1.1),  // Financial Services
    ("urn:li:industry:14", 0.05, 0.95), // Hospitals and Health Care
];

/// Locations a seeded campaign may target.
pub fn seed_geos() -> impl Iterator<Item = &'static str> {
    GEOS.iter().map(|g| g.0)
}

/// Values of one facet type (`function`, `seniority`, `industry`) a seeded campaign may target.
pub fn seed_values(kind: &str) -> Vec<&'static str> {
    let prefix = format!("urn:li:{kind}:");
    FACET_VALUES
        .iter()
        .map(|v| v.0)
        .filter(|u| u.starts_with(&prefix))
        .collect()
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// The audience reached by targeting values (URN strings); facet names are ignored, the
/// URN type (`geo`, `function`, ...) groups values. `expanded` is LinkedIn's audience expansion.
pub fn audience<'a>(urns: impl IntoIterator<Item = &'a str>, expanded: bool) -> Audience {
    let mut urns: Vec<&str> = urns
        .into_iter()
        .filter(|u| u.starts_with("urn:li:"))
        .collect();
    urns.sort_unstable();
    urns.dedup();
    let mut geo_members = 0.0;
    let mut shares: Vec<(&str, f64)> = Vec::new();
    let mut log_price = 0.0;
    for urn in &urns {
        let kind = urn.split(':').nth(2).unwrap_or("");
        let u = |salt: u64| unit(0, Stream::World, hash_str(urn), salt);
        if kind == "geo" {
            let (members, price) = GEOS
                .iter()
                .find(|g| g.0 == *urn)
                .map(|g| (g.1, g.2))
                .unwrap_or((1e6 + 20e6 * u(1), 0.8 + 0.3 * u(2)));
            geo_members += members;
            log_price += f64::ln(price);
        } else {
            let (share, price) = FACET_VALUES
                .iter()
                .find(|v| v.0 == *urn)
                .map(|v| (v.1, v.2))
                .unwrap_or((0.02 + 0.18 * u(3), 0.9 + 0.3 * u(4)));
            match shares.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, s)) => *s += share,
                None => shares.push((kind, share)),
            }
            log_price += f64::ln(price);
        }
    }
    let base = if geo_members > 0.0 { geo_members } else { 1e9 };
    let size =
        shares.iter().fold(base, |acc, (_, s)| acc * s.min(1.0)) * if expanded { 1.3 } else { 1.0 };
    let price_index = if urns.is_empty() {
        1.0
    } else {
        (log_price / urns.len() as f64).exp()
    };
    Audience {
        size: size.max(1000.0),
        price_index,
    }
}

/// How a campaign is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostType {
    /// Per click.
    Cpc,
    /// Per thousand impressions.
    Cpm,
}

impl CostType {
    /// LinkedIn's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            CostType::Cpc => "CPC",
            CostType::Cpm => "CPM",
        }
    }

    /// Reads LinkedIn's name.
    pub fn parse(s: &str) -> Option<CostType> {
        match s {
            "CPC" => Some(CostType::Cpc),
            "CPM" => Some(CostType::Cpm),
            _ => None,
        }
    }
}

/// Bid and budget guidance for an audience, in USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    /// Below this bid delivery collapses.
    pub bid_min: f64,
    /// Highest accepted bid.
    pub bid_max: f64,
    /// Low end of the suggested range.
    pub suggested_min: f64,
    /// Suggested bid.
    pub suggested: f64,
    /// High end of the suggested range.
    pub suggested_max: f64,
    /// Lowest daily budget.
    pub budget_min: f64,
    /// Default daily budget.
    pub budget_default: f64,
    /// Highest daily budget.
    pub budget_max: f64,
}

/// The CTR the market prices against (converts CPC to CPM prices).
pub const MARKET_CTR: f64 = 0.0045;

/// Pricing for an audience and a cost type (formulas in the module docs).
pub fn pricing(audience: &Audience, cost_type: CostType) -> Pricing {
    let cpc = (7.5 * audience.price_index * (1e6 / audience.size).powf(0.08)).clamp(3.0, 25.0);
    let scale = match cost_type {
        CostType::Cpc => 1.0,
        CostType::Cpm => 1000.0 * MARKET_CTR,
    };
    let s = cpc * scale;
    Pricing {
        bid_min: round2((0.4 * s).max(2.0)),
        bid_max: round2(8.0 * s),
        suggested_min: round2(0.75 * s),
        suggested: round2(s),
        suggested_max: round2(1.4 * s),
        budget_min: 10.0,
        budget_default: round2((15.0 * cpc).max(10.0)),
        budget_max: 50_000.0,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The result of bidding for a day's impressions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuctionOutcome {
    /// Share of impression opportunities won, 0..1.
    pub win_share: f64,
    /// Price paid per unit (per click for CPC, per thousand impressions for CPM), ≤ bid.
    pub price: f64,
}

const COMPETITOR_SIGMA: f64 = 0.35;

/// Runs the auction model for a bid (module docs).
pub fn auction(bid: f64, pricing: &Pricing, relevance: f64) -> AuctionOutcome {
    if bid <= 0.0 {
        return AuctionOutcome {
            win_share: 0.0,
            price: 0.0,
        };
    }
    let mu = (1.05 * pricing.suggested).ln();
    let sigma = COMPETITOR_SIGMA;
    let effective = bid * relevance;
    let z = (effective.ln() - mu) / sigma;
    let mut win_share = normal_cdf(z);
    if bid < pricing.bid_min {
        win_share *= 0.1;
    }
    // E[X | X < b] for X ~ LogNormal(mu, sigma).
    let p = normal_cdf(z).max(1e-12);
    let expected_competitor = (mu + sigma * sigma / 2.0).exp() * normal_cdf(z - sigma) / p;
    let price = (expected_competitor / relevance + 0.01).min(bid);
    AuctionOutcome { win_share, price }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    let erf = if x >= 0.0 { erf } else { -erf };
    0.5 * (1.0 + erf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrower_and_more_senior_targeting_is_smaller_and_dearer() {
        // GIVEN a broad and a narrow senior audience in the US
        let broad = audience(
            [
                "urn:li:geo:103644278",
                "urn:li:function:25",
                "urn:li:function:4",
            ],
            false,
        );
        let narrow = audience(
            [
                "urn:li:geo:103644278",
                "urn:li:function:13",
                "urn:li:seniority:8",
                "urn:li:seniority:9",
            ],
            false,
        );
        // THEN the narrow one is smaller and its suggested CPC higher
        assert!(narrow.size < broad.size / 10.0);
        let (pb, pn) = (
            pricing(&broad, CostType::Cpc),
            pricing(&narrow, CostType::Cpc),
        );
        assert!(pn.suggested > pb.suggested);
        assert!(pb.bid_min < pb.suggested_min && pb.suggested_max < pb.bid_max);
        // AND the same targeting in another order is the same audience
        assert_eq!(
            audience(
                [
                    "urn:li:function:4",
                    "urn:li:geo:103644278",
                    "urn:li:function:25"
                ],
                false
            ),
            broad
        );
    }

    #[test]
    fn win_share_rises_with_the_bid_collapses_below_the_minimum_and_price_never_exceeds_the_bid() {
        let p = pricing(
            &audience(["urn:li:geo:103644278", "urn:li:function:15"], false),
            CostType::Cpc,
        );
        let below = auction(p.bid_min * 0.9, &p, 1.0);
        let at = auction(p.suggested, &p, 1.0);
        let above = auction(p.suggested * 1.5, &p, 1.0);
        assert!(below.win_share < 0.01, "{below:?}");
        assert!(at.win_share > 0.3 && at.win_share < above.win_share);
        for o in [below, at, above] {
            assert!(o.price > 0.0);
        }
        assert!(at.price <= p.suggested && above.price <= p.suggested * 1.5);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7 && (normal_cdf(1.96) - 0.975).abs() < 1e-3);
    }
}
