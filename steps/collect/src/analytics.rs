//! Creative-level analytics: one query over all creatives of the run, each response stored
//! the moment it arrives, then merged and joined to the creative → campaign mapping.
//!
//! The filter is the creatives themselves (fan-out 1: one creative is at most one row a
//! day), so the plan needs the theoretical minimum of requests: ceil(metrics / 18) ×
//! ceil(creatives × days / 14,999).

use std::collections::{BTreeMap, HashMap};

use ads::{AccountId, CampaignId, CreativeDay, CreativeDayKey, CreativeId};
use chrono::NaiveDate;
use linkedin::{AnalyticsFilter, AnalyticsQuery, AnalyticsRow, Pivot, RowMerger};

use crate::Error;
use crate::input::Validated;
use crate::keys::RawKeys;
use crate::store::{JSON, Store};

/// The query a run sends: daily rows per creative over the window.
pub fn query(window: &Validated, creatives: &[CreativeId]) -> AnalyticsQuery {
    AnalyticsQuery {
        pivot: Pivot::Creative,
        filter: AnalyticsFilter::Creatives(creatives.to_vec()),
        start: window.start,
        end: window.end,
        metrics: window.metrics.clone(),
        fan_out: Some(1),
    }
}

/// Runs `query` request by request, storing each body under `raw.analytics(n)` before
/// reading it and before the next is sent, and merging it into rows once stored; only one
/// body is held at a time. A failure leaves the responses received so far stored.
pub async fn fetch(
    client: &linkedin::Client,
    query: &AnalyticsQuery,
    store: &Store<'_>,
    raw: &RawKeys,
) -> Result<RowMerger, Error> {
    let plan = query.plan()?;
    let mut merger = RowMerger::default();
    for (index, planned) in plan.requests.iter().enumerate() {
        let body = client.fetch_planned(planned).await?;
        let body = bytes::Bytes::from(body);
        store
            .put(&raw.analytics(index + 1), body.clone(), JSON)
            .await?;
        let text = std::str::from_utf8(&body).expect("the body was a String");
        merger.add(planned, text)?;
    }
    Ok(merger)
}

/// Joins rows to their campaigns and groups them by day. A row of a creative not asked
/// about, or of a day outside the window, is skipped with a warning: it cannot belong to a
/// partition this run owns.
pub fn creative_days(
    rows: impl IntoIterator<Item = AnalyticsRow>,
    account: AccountId,
    campaign_of: &HashMap<CreativeId, CampaignId>,
    window: &Validated,
) -> Result<BTreeMap<NaiveDate, Vec<CreativeDay>>, Error> {
    let mut days: BTreeMap<NaiveDate, Vec<CreativeDay>> = BTreeMap::new();
    for row in rows {
        let campaign = row
            .creative()
            .and_then(|c| campaign_of.get(&c).map(|k| (c, *k)));
        let Some((creative, campaign)) = campaign else {
            tracing::warn!(pivot = %row.pivot_value, "analytics row for a creative not asked about; skipped");
            continue;
        };
        if row.date < window.start || row.date > window.end {
            tracing::warn!(date = %row.date, "analytics row outside the window; skipped");
            continue;
        }
        let key = CreativeDayKey {
            date: row.date,
            account,
            campaign,
            creative,
        };
        let day = CreativeDay::from_metrics(key, &row.metrics).map_err(|error| {
            linkedin::Error::InvalidResponse {
                what: format!("ad analytics for creative {creative} on {}", row.date),
                reason: error.to_string(),
            }
        })?;
        days.entry(row.date).or_default().push(day);
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn window() -> Validated {
        Validated {
            account: AccountId(1),
            campaigns: None,
            start: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 8, 14).unwrap(),
            metrics: crate::metric_names::DEFAULT_METRICS
                .iter()
                .map(|m| (*m).to_owned())
                .collect(),
        }
    }

    fn row(creative: &str, day: u32, clicks: &str) -> AnalyticsRow {
        AnalyticsRow {
            pivot_value: creative.to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 8, day).unwrap(),
            metrics: BTreeMap::from([("clicks".to_owned(), clicks.parse::<Decimal>().unwrap())]),
        }
    }

    #[test]
    fn the_query_filters_by_creatives_and_needs_the_fewest_requests() {
        // GIVEN 200 creatives over 90 days and the 15 default metrics
        let mut window = window();
        window.start = window.end - chrono::Days::new(89);
        let creatives: Vec<CreativeId> = (1..=200).map(CreativeId).collect();
        // WHEN planned
        let plan = query(&window, &creatives).plan().unwrap();
        // THEN 18,000 creative-days need two requests, the theoretical minimum
        assert_eq!(plan.fan_out, 1);
        assert_eq!(plan.requests.len(), 2);
        assert_eq!(
            plan.requests.len() as u64,
            linkedin::AnalyticsPlan::lower_bound(15, 200, 1, 90)
        );
        assert!(
            plan.requests
                .iter()
                .all(|r| r.filter_parameter == "creatives")
        );
    }

    #[test]
    fn rows_join_their_campaign_and_group_by_day() {
        // GIVEN rows of a known creative on two days, an unknown creative, and a day outside
        let campaign_of = HashMap::from([(CreativeId(5), CampaignId(50))]);
        let rows = vec![
            row("urn:li:sponsoredCreative:5", 2, "3"),
            row("urn:li:sponsoredCreative:5", 3, "4"),
            row("urn:li:sponsoredCreative:6", 3, "1"),
            row("urn:li:sponsoredCreative:5", 20, "1"),
        ];
        // WHEN joined
        let days = creative_days(rows, AccountId(1), &campaign_of, &window()).unwrap();
        // THEN two days of one row each, with campaign and account set
        assert_eq!(days.len(), 2);
        let day2 = &days[&NaiveDate::from_ymd_opt(2026, 8, 2).unwrap()][0];
        assert_eq!(
            (day2.campaign, day2.account, day2.clicks),
            (CampaignId(50), AccountId(1), Some(3))
        );
    }

    #[test]
    fn a_fractional_count_is_an_invalid_linkedin_response() {
        let campaign_of = HashMap::from([(CreativeId(5), CampaignId(50))]);
        let rows = vec![row("urn:li:sponsoredCreative:5", 2, "1.5")];
        let err = creative_days(rows, AccountId(1), &campaign_of, &window()).unwrap_err();
        assert_eq!(
            ads::error_names::StepError::name(&err),
            ads::error_names::LINKEDIN_INVALID_RESPONSE
        );
    }
}
