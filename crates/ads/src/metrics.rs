//! One creative's performance on one day.
//!
//! A metric that LinkedIn did not return stays `None`: "no data" must never read as zero,
//! or rules fire on creatives that simply were not measured.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::{AccountId, CampaignId, CreativeId};

/// One row of curated data: a creative's metrics for one UTC day.
///
/// Counts are whole numbers; money is exact. Field names follow LinkedIn's metric names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreativeDay {
    /// The UTC day the metrics cover.
    pub date: NaiveDate,
    /// The ad account.
    pub account: AccountId,
    /// The campaign the creative runs in.
    pub campaign: CampaignId,
    /// The creative.
    pub creative: CreativeId,
    /// `impressions`.
    pub impressions: Option<u64>,
    /// `clicks` (all clicks on the ad).
    pub clicks: Option<u64>,
    /// `landingPageClicks`.
    pub landing_page_clicks: Option<u64>,
    /// `costInUsd`, exact.
    pub cost_in_usd: Option<Decimal>,
    /// `costInLocalCurrency`, exact, in the account's currency.
    pub cost_in_local_currency: Option<Decimal>,
    /// `externalWebsiteConversions` (restated for up to 30 days).
    pub external_website_conversions: Option<u64>,
    /// `oneClickLeads` (Lead Gen Form submissions).
    pub one_click_leads: Option<u64>,
    /// `oneClickLeadFormOpens`.
    pub one_click_lead_form_opens: Option<u64>,
    /// `likes`.
    pub likes: Option<u64>,
    /// `comments`.
    pub comments: Option<u64>,
    /// `shares`.
    pub shares: Option<u64>,
    /// `follows`.
    pub follows: Option<u64>,
    /// `totalEngagements`.
    pub total_engagements: Option<u64>,
    /// `videoViews`.
    pub video_views: Option<u64>,
    /// `approximateMemberReach`.
    pub approximate_member_reach: Option<u64>,
}

/// Why a metric value cannot go into a [`CreativeDay`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetricError {
    /// A count that is negative or fractional.
    #[error("metric {metric} must be a whole non-negative count (got {value})")]
    NotACount {
        /// LinkedIn's metric name.
        metric: &'static str,
        /// The value received.
        value: Decimal,
    },
}

/// Identifies the row a set of metric values belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreativeDayKey {
    /// The UTC day.
    pub date: NaiveDate,
    /// The ad account.
    pub account: AccountId,
    /// The campaign.
    pub campaign: CampaignId,
    /// The creative.
    pub creative: CreativeId,
}

impl CreativeDay {
    /// Builds a row from metric values keyed by LinkedIn's metric names; names it does not
    /// carry are ignored and missing ones stay absent.
    pub fn from_metrics(
        key: CreativeDayKey,
        metrics: &BTreeMap<String, Decimal>,
    ) -> Result<CreativeDay, MetricError> {
        let count = |metric: &'static str| -> Result<Option<u64>, MetricError> {
            metrics
                .get(metric)
                .map(|value| {
                    (value.fract().is_zero())
                        .then(|| value.to_u64())
                        .flatten()
                        .ok_or(MetricError::NotACount {
                            metric,
                            value: *value,
                        })
                })
                .transpose()
        };
        let money = |metric: &str| metrics.get(metric).copied();
        Ok(CreativeDay {
            date: key.date,
            account: key.account,
            campaign: key.campaign,
            creative: key.creative,
            impressions: count("impressions")?,
            clicks: count("clicks")?,
            landing_page_clicks: count("landingPageClicks")?,
            cost_in_usd: money("costInUsd"),
            cost_in_local_currency: money("costInLocalCurrency"),
            external_website_conversions: count("externalWebsiteConversions")?,
            one_click_leads: count("oneClickLeads")?,
            one_click_lead_form_opens: count("oneClickLeadFormOpens")?,
            likes: count("likes")?,
            comments: count("comments")?,
            shares: count("shares")?,
            follows: count("follows")?,
            total_engagements: count("totalEngagements")?,
            video_views: count("videoViews")?,
            approximate_member_reach: count("approximateMemberReach")?,
        })
    }

    /// Conversions as conventionally counted (dbt_linkedin): website conversions plus Lead
    /// Gen Form leads; absent only when LinkedIn returned neither.
    pub fn conversions(&self) -> Option<u64> {
        match (self.external_website_conversions, self.one_click_leads) {
            (None, None) => None,
            (website, leads) => Some(website.unwrap_or(0) + leads.unwrap_or(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CreativeDayKey {
        CreativeDayKey {
            date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            account: AccountId(1),
            campaign: CampaignId(2),
            creative: CreativeId(3),
        }
    }

    fn metrics(pairs: &[(&str, &str)]) -> BTreeMap<String, Decimal> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.parse().unwrap()))
            .collect()
    }

    #[test]
    fn keeps_unreturned_metrics_absent_and_money_exact() {
        // GIVEN LinkedIn returned impressions, cost and leads but no website conversions
        let values = metrics(&[
            ("impressions", "19090"),
            ("costInUsd", "209.449"),
            ("oneClickLeads", "2"),
        ]);
        // WHEN a row is built
        let row = CreativeDay::from_metrics(key(), &values).unwrap();
        // THEN what was not returned stays absent, and conversions count the leads
        assert_eq!(row.impressions, Some(19090));
        assert_eq!(row.clicks, None);
        assert_eq!(row.cost_in_usd, Some("209.449".parse().unwrap()));
        assert_eq!(row.external_website_conversions, None);
        assert_eq!(row.conversions(), Some(2));
    }

    #[test]
    fn conversions_are_absent_when_neither_source_was_returned() {
        let row = CreativeDay::from_metrics(key(), &metrics(&[("clicks", "4")])).unwrap();
        assert_eq!(row.conversions(), None);
    }

    #[test]
    fn refuses_a_fractional_count_naming_the_metric() {
        let err = CreativeDay::from_metrics(key(), &metrics(&[("clicks", "1.5")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "metric clicks must be a whole non-negative count (got 1.5)"
        );
    }
}
