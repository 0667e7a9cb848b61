//! The analytics metrics the simulator serves, and how each is derived from delivered days.
//!
//! Every metric is a sum over creative-days, so a campaign's value is exactly the sum of its
//! creatives' values, except `approximateMemberReach`, which is de-duplicated: per campaign
//! in the group, N · (1 − exp(−I / (1.3 N))) with N the campaign's audience and I its
//! impressions (≈ I / 1.3 for small I, never above N). Conversions are counted as reported
//! on the clock's today (see `delivery`). Money is USD (every simulated account bills in
//! USD, so `costInLocalCurrency` equals `costInUsd`) and is written as a string, as LinkedIn
//! does.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::delivery::{DayRecord, Engagement as E, KIND_LEAD, KIND_POST_CLICK, KIND_POST_VIEW};
use crate::world::Campaign;

/// Every metric `/rest/adAnalytics` serves.
pub const METRICS: &[&str] = &[
    "impressions",
    "clicks",
    "landingPageClicks",
    "costInUsd",
    "costInLocalCurrency",
    "externalWebsiteConversions",
    "externalWebsitePostClickConversions",
    "externalWebsitePostViewConversions",
    "oneClickLeads",
    "oneClickLeadFormOpens",
    "conversionValueInLocalCurrency",
    "likes",
    "comments",
    "shares",
    "follows",
    "totalEngagements",
    "videoViews",
    "videoCompletions",
    "videoStarts",
    "videoFirstQuartileCompletions",
    "videoMidpointCompletions",
    "videoThirdQuartileCompletions",
    "approximateMemberReach",
    "actionClicks",
    "adUnitClicks",
    "companyPageClicks",
    "otherEngagements",
    "reactions",
    "commentLikes",
    "textUrlClicks",
    "fullScreenPlays",
    "opens",
    "sends",
    "viralImpressions",
    "viralClicks",
    "viralLandingPageClicks",
    "viralLikes",
    "viralComments",
    "viralShares",
    "viralFollows",
    "cardClicks",
    "cardImpressions",
    "documentCompletions",
    "leadGenerationMailContactInfoShares",
    "leadGenerationMailInterestedClicks",
];

/// Fields an analytics element may carry besides metrics.
pub const NON_METRIC_FIELDS: &[&str] = &["dateRange", "pivotValues", "pivotValue"];

/// Sums of creative-days for one analytics element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    impressions: u64,
    clicks: u64,
    landing_page_clicks: u64,
    cost_nanos: i64,
    lead_form_opens: u64,
    post_click: u64,
    post_view: u64,
    leads: u64,
    value_nanos: i128,
    engagement: [u64; crate::delivery::ENGAGEMENT_KINDS],
    /// (campaign id, audience size, impressions) for de-duplicated reach.
    reach_parts: Vec<(u64, f64, u64)>,
}

impl Totals {
    /// Adds one creative-day, with conversions as reported on `today`.
    pub fn add(
        &mut self,
        record: &DayRecord,
        campaign: &Campaign,
        today: NaiveDate,
        lag_days: u32,
    ) {
        self.impressions += record.impressions as u64;
        self.clicks += record.clicks as u64;
        self.landing_page_clicks += record.landing_page_clicks as u64;
        self.cost_nanos += record.cost_nanos;
        self.lead_form_opens += record.lead_form_opens as u64;
        let (pc, pv, leads) = (
            record.reported(KIND_POST_CLICK, today, lag_days) as u64,
            record.reported(KIND_POST_VIEW, today, lag_days) as u64,
            record.reported(KIND_LEAD, today, lag_days) as u64,
        );
        self.post_click += pc;
        self.post_view += pv;
        self.leads += leads;
        let value_nanos = campaign.conversion_value.mantissa()
            * 10i128.pow(9u32.saturating_sub(campaign.conversion_value.scale()));
        self.value_nanos += value_nanos * (pc + pv + leads) as i128;
        for (sum, n) in self.engagement.iter_mut().zip(record.engagement.iter()) {
            *sum += *n as u64;
        }
        match self.reach_parts.iter_mut().find(|p| p.0 == campaign.id) {
            Some(part) => part.2 += record.impressions as u64,
            None => self.reach_parts.push((
                campaign.id,
                campaign.audience.size,
                record.impressions as u64,
            )),
        }
    }

    /// Impressions summed so far.
    pub fn impressions(&self) -> u64 {
        self.impressions
    }

    /// The value of one metric (`None` for an unknown name).
    pub fn value(&self, metric: &str) -> Option<Value> {
        let e = |k: E| self.engagement[k as usize];
        let count = |n: u64| Some(json!(n));
        match metric {
            "impressions" => count(self.impressions),
            "clicks" => count(self.clicks),
            "landingPageClicks" => count(self.landing_page_clicks),
            "costInUsd" | "costInLocalCurrency" => Some(json!(money(self.cost_nanos as i128))),
            "externalWebsiteConversions" => count(self.post_click + self.post_view),
            "externalWebsitePostClickConversions" => count(self.post_click),
            "externalWebsitePostViewConversions" => count(self.post_view),
            "oneClickLeads" => count(self.leads),
            "oneClickLeadFormOpens" => count(self.lead_form_opens),
            "conversionValueInLocalCurrency" => Some(json!(money(self.value_nanos))),
            "likes" => count(e(E::Likes)),
            "comments" => count(e(E::Comments)),
            "shares" => count(e(E::Shares)),
            "follows" => count(e(E::Follows)),
            "reactions" => count(e(E::Likes) + e(E::OtherReactions)),
            "totalEngagements" => count(
                self.clicks
                    + e(E::Likes)
                    + e(E::OtherReactions)
                    + e(E::Comments)
                    + e(E::Shares)
                    + e(E::Follows)
                    + e(E::CompanyPageClicks)
                    + e(E::OtherEngagements),
            ),
            "videoViews" => count(e(E::VideoViews)),
            "videoCompletions" => count(e(E::VideoCompletions)),
            "videoStarts" => count(e(E::VideoStarts)),
            "videoFirstQuartileCompletions" => count(e(E::VideoFirstQuartile)),
            "videoMidpointCompletions" => count(e(E::VideoMidpoint)),
            "videoThirdQuartileCompletions" => count(e(E::VideoThirdQuartile)),
            "fullScreenPlays" => count(e(E::FullScreenPlays)),
            "approximateMemberReach" => count(
                self.reach_parts
                    .iter()
                    .map(|(_, n, i)| n * (1.0 - (-(*i as f64) / (1.3 * n)).exp()))
                    .sum::<f64>()
                    .round() as u64,
            ),
            "actionClicks" => count(e(E::ActionClicks)),
            "adUnitClicks" => count(e(E::AdUnitClicks)),
            "companyPageClicks" => count(e(E::CompanyPageClicks)),
            "otherEngagements" => count(e(E::OtherEngagements)),
            "commentLikes" => count(e(E::CommentLikes)),
            "textUrlClicks" => count(e(E::TextUrlClicks)),
            "viralImpressions" => count(e(E::ViralImpressions)),
            "viralClicks" => count(e(E::ViralClicks)),
            "viralLandingPageClicks" => count(e(E::ViralLandingPageClicks)),
            "viralLikes" => count(e(E::ViralLikes)),
            "viralComments" => count(e(E::ViralComments)),
            "viralShares" => count(e(E::ViralShares)),
            "viralFollows" => count(e(E::ViralFollows)),
            "opens"
            | "sends"
            | "cardClicks"
            | "cardImpressions"
            | "documentCompletions"
            | "leadGenerationMailContactInfoShares"
            | "leadGenerationMailInterestedClicks" => count(0),
            _ => None,
        }
    }

    /// Cost in USD as a decimal.
    pub fn cost(&self) -> Decimal {
        Decimal::from_i128_with_scale(self.cost_nanos as i128, 9).normalize()
    }

    /// Conversions reported (post-click + post-view + leads).
    pub fn conversions(&self) -> u64 {
        self.post_click + self.post_view + self.leads
    }

    /// Leads reported.
    pub fn leads(&self) -> u64 {
        self.leads
    }

    /// Lead-form opens.
    pub fn lead_form_opens(&self) -> u64 {
        self.lead_form_opens
    }

    /// Landing-page clicks.
    pub fn landing_page_clicks(&self) -> u64 {
        self.landing_page_clicks
    }

    /// Clicks.
    pub fn clicks(&self) -> u64 {
        self.clicks
    }
}

/// Billionths of a USD as LinkedIn's money string ("209.449382076", "0").
pub fn money(nanos: i128) -> String {
    Decimal::from_i128_with_scale(nanos, 9)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_at_least_the_forty_metrics_and_writes_money_as_strings() {
        assert!(METRICS.len() >= 40);
        let totals = Totals::default();
        for m in METRICS {
            assert!(totals.value(m).is_some(), "{m} has no value");
        }
        assert_eq!(money(209_449_382_076), "209.449382076");
        assert_eq!(money(0), "0");
        assert!(totals.value("costInUsd").unwrap().is_string());
        assert!(totals.value("noSuchMetric").is_none());
    }
}
