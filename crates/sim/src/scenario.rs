//! The scenario: everything a world is built from — the seed, its size and the calibration
//! knobs of the market model. Two simulators given the same scenario serve the same numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A simulated world's recipe. JSON is camelCase; every field has a default, so `{}` and
/// `{"seed": 7}` are valid scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Scenario {
    /// Seed of every random draw in the world.
    pub seed: u64,
    /// The virtual clock's first `today` (no data yet for this day).
    pub start_date: NaiveDate,
    /// Number of ad accounts (ids 500000001, 500000002, ...).
    pub accounts: u32,
    /// Campaigns in each account.
    pub campaigns_per_account: u32,
    /// Creatives in each campaign (at most 100, LinkedIn's limit).
    pub creatives_per_campaign: u32,
    /// Days already delivered before `start_date` when the world is built (0 = none).
    pub history_days: u32,
    /// Market calibration; see `market` and `delivery` for where each knob acts.
    pub calibration: Calibration,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 1,
            start_date: NaiveDate::from_ymd_opt(2026, 8, 3).unwrap_or_default(),
            accounts: 1,
            campaigns_per_account: 3,
            creatives_per_campaign: 4,
            history_days: 0,
            calibration: Calibration::default(),
        }
    }
}

/// The market model's knobs, with defaults calibrated to `shared/reference/ad-performance.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Calibration {
    /// Median true CTR of a single-image creative before fatigue (0.0045 = 0.45%).
    pub median_ctr: f64,
    /// Standard deviation of the creative-level log-CTR noise not explained by ad copy.
    pub ctr_noise_sd: f64,
    /// Median conversion rate per click of a campaign (0.06 = 6%).
    pub median_conversion_rate: f64,
    /// Share of a day's conversions reported the same day (the rest arrive later).
    pub same_day_conversion_share: f64,
    /// Longest delay of a conversion after its click day, in days (LinkedIn's 30-day window).
    pub max_conversion_delay_days: u32,
    /// Extra days before any conversion is reported (0 = off; 3 models a 3-day lag).
    pub conversion_reporting_lag_days: u32,
    /// Feed impression opportunities per audience member per day (before weekday pacing).
    pub impressions_per_member_day: f64,
    /// Fatigue: the lowest CTR multiplier a worn-out creative reaches.
    pub fatigue_floor: f64,
    /// Fatigue: decay per unit of exposure (one typical day of serving is one unit).
    pub fatigue_rate: f64,
    /// Share of campaigns that are LEAD_GENERATION (the rest WEBSITE_CONVERSION).
    pub lead_gen_share: f64,
    /// Share of campaigns billed CPM (the rest CPC).
    pub cpm_share: f64,
    /// Share of campaigns whose bid sits below the minimum bid (they barely deliver).
    pub below_min_bid_share: f64,
    /// Share of campaigns running video creatives (the rest single image).
    pub video_share: f64,
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration {
            median_ctr: 0.0045,
            ctr_noise_sd: 0.30,
            median_conversion_rate: 0.06,
            same_day_conversion_share: 0.5,
            max_conversion_delay_days: 30,
            conversion_reporting_lag_days: 0,
            impressions_per_member_day: 0.035,
            fatigue_floor: 0.25,
            fatigue_rate: 0.0262,
            lead_gen_share: 0.4,
            cpm_share: 0.15,
            below_min_bid_share: 0.1,
            video_share: 0.2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_json_object_is_the_default_scenario() {
        // GIVEN `{}` and a partial scenario
        let empty: Scenario = serde_json::from_str("{}").unwrap();
        let partial: Scenario = serde_json::from_str(
            r#"{"seed":9,"startDate":"2026-03-02","calibration":{"medianCtr":0.005}}"#,
        )
        .unwrap();
        // THEN missing fields take their defaults
        assert_eq!(empty, Scenario::default());
        assert_eq!(empty.campaigns_per_account, 3);
        assert_eq!(partial.seed, 9);
        assert_eq!(partial.calibration.median_ctr, 0.005);
        assert_eq!(partial.calibration.max_conversion_delay_days, 30);
    }
}
