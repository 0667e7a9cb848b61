//! Analytics: chunked, sliced, tunneled, merged — and equal to the simulator's ground truth.

use std::collections::BTreeMap;

use ads::{AccountId, CampaignId, CreativeId};
use chrono::{Days, NaiveDate};
use end_to_end::{Harness, scenario, start_date};
use linkedin::{AnalyticsFilter, AnalyticsQuery, AnalyticsRow, Pivot};
use rust_decimal::Decimal;
use sim::DeliveryTruth;

/// 30 metrics the simulator serves: more than one request's worth (18 plus dateRange and
/// pivotValues).
fn thirty_metrics() -> &'static [&'static str] {
    &sim::metrics::METRICS[..30]
}

fn last_day(days: u64) -> NaiveDate {
    start_date().checked_add_days(Days::new(days - 1)).unwrap()
}

async fn all_creatives(h: &Harness) -> Vec<CreativeId> {
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    truth.iter().map(|c| CreativeId(c.creative_id)).collect()
}

/// The truth's value of `metric`, as the exact decimal LinkedIn would send.
fn truth_value(truth: &DeliveryTruth, metric: &str) -> Option<Decimal> {
    truth.metrics.get(metric).map(|value| match value {
        serde_json::Value::String(text) => text.parse().unwrap(),
        other => other.to_string().parse().unwrap(),
    })
}

fn by_key(rows: &[AnalyticsRow]) -> BTreeMap<(String, NaiveDate), &AnalyticsRow> {
    let mut map = BTreeMap::new();
    for row in rows {
        let previous = map.insert((row.pivot_value.clone(), row.date), row);
        assert!(previous.is_none(), "duplicate row {row:?}");
    }
    map
}

#[tokio::test]
async fn thirty_metrics_take_two_requests_and_merge_to_the_truth() {
    // GIVEN three weeks of delivery for 12 creatives
    let h = Harness::start(scenario(21, 3, 4), 21).await;
    let creatives = all_creatives(&h).await;
    let query = AnalyticsQuery::new(
        Pivot::Creative,
        AnalyticsFilter::Creatives(creatives),
        start_date(),
        last_day(21),
        thirty_metrics().iter().copied(),
    );
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN the client asks for 30 metrics
    let report = h.client.analytics(&query).await.unwrap();
    // THEN it sent exactly two requests of at most 20 fields each
    let plan = query.plan().unwrap();
    assert_eq!(plan.requests.len(), 2);
    assert!(plan.requests.iter().all(|r| r.fields().len() <= 20));
    assert_eq!(report.requests, 2);
    assert_eq!(h.sim.admin().stats().await.unwrap().requests, 2);
    // AND every creative-day the simulator delivered is one row carrying exactly its numbers
    let truth = h
        .sim
        .admin()
        .truth_delivery(start_date(), last_day(21))
        .await
        .unwrap();
    let rows = by_key(&report.rows);
    let delivered: Vec<_> = truth.iter().filter(|t| t.impressions > 0).collect();
    assert_eq!(rows.len(), delivered.len());
    for t in delivered {
        let key = (CreativeId(t.creative_id).urn(), t.date);
        let row = rows
            .get(&key)
            .unwrap_or_else(|| panic!("no row for {key:?}"));
        for &metric in thirty_metrics() {
            assert_eq!(
                row.metrics.get(metric).copied(),
                truth_value(t, metric),
                "{metric} of {key:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_metric_linkedin_did_not_return_stays_absent() {
    let h = Harness::start(scenario(22, 1, 2), 3).await;
    let query = AnalyticsQuery::new(
        Pivot::Creative,
        AnalyticsFilter::Creatives(all_creatives(&h).await),
        start_date(),
        last_day(3),
        ["impressions", "clicks"],
    );
    let report = h.client.analytics(&query).await.unwrap();
    assert!(!report.rows.is_empty());
    for row in &report.rows {
        assert!(row.metrics.contains_key("impressions"));
        assert!(!row.metrics.contains_key("costInUsd"), "{row:?}");
    }
}

#[tokio::test]
async fn a_long_urn_list_is_tunneled_and_no_response_reaches_the_element_cap() {
    // GIVEN 240 creatives over 90 days: 21,600 creative-days, more than one response holds
    let h = Harness::start(scenario(23, 24, 10), 90).await;
    let creatives = all_creatives(&h).await;
    let query = AnalyticsQuery::new(
        Pivot::Creative,
        AnalyticsFilter::Creatives(creatives),
        start_date(),
        last_day(90),
        ["impressions", "clicks", "costInUsd"],
    );
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN the client asks for all of it
    let report = h.client.analytics(&query).await.unwrap();
    // THEN the 240 URNs (over 4 KB of query) went tunneled, in the fewest requests that stay
    // under 15,000 elements each, and no creative-day was lost to truncation
    let stats = h.sim.admin().stats().await.unwrap();
    assert_eq!(stats.requests, 2);
    assert_eq!(stats.tunneled_requests, 2);
    assert!(!stats.by_status.contains_key(&414));
    assert!(query.plan().unwrap().max_elements() < 15_000);
    let truth = h
        .sim
        .admin()
        .truth_delivery(start_date(), last_day(90))
        .await
        .unwrap();
    let delivered = truth.iter().filter(|t| t.impressions > 0).count();
    assert!(
        delivered > 15_000,
        "the scenario must exceed one response: {delivered}"
    );
    assert_eq!(by_key(&report.rows).len(), delivered);
}

#[tokio::test]
async fn the_campaign_pivot_sums_each_campaigns_creatives() {
    let h = Harness::start(scenario(24, 2, 3), 7).await;
    let truth = h
        .sim
        .admin()
        .truth_delivery(start_date(), last_day(7))
        .await
        .unwrap();
    let campaigns: Vec<CampaignId> = {
        let mut ids: Vec<u64> = truth.iter().map(|t| t.campaign_id).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(CampaignId).collect()
    };
    let query = AnalyticsQuery::new(
        Pivot::Campaign,
        AnalyticsFilter::Campaigns(campaigns),
        start_date(),
        last_day(7),
        ["impressions", "costInUsd"],
    );
    let report = h.client.analytics(&query).await.unwrap();
    let mut expected: BTreeMap<(String, NaiveDate), (Decimal, Decimal)> = BTreeMap::new();
    for t in truth.iter().filter(|t| t.impressions > 0) {
        let entry = expected
            .entry((CampaignId(t.campaign_id).urn(), t.date))
            .or_default();
        entry.0 += Decimal::from(t.impressions);
        entry.1 += t.cost_usd;
    }
    let rows = by_key(&report.rows);
    assert_eq!(rows.len(), expected.len());
    for (key, (impressions, cost)) in expected {
        let row = rows[&key];
        assert_eq!(row.metrics["impressions"], impressions, "{key:?}");
        assert_eq!(row.metrics["costInUsd"], cost, "{key:?}");
    }
}

#[tokio::test]
async fn an_account_filter_reaches_its_campaigns() {
    let h = Harness::start(scenario(25, 2, 2), 2).await;
    let account: AccountId = h.account().await;
    let query = AnalyticsQuery::new(
        Pivot::Campaign,
        AnalyticsFilter::Accounts(vec![account]),
        start_date(),
        last_day(2),
        ["impressions"],
    );
    let report = h.client.analytics(&query).await.unwrap();
    assert!(report.rows.iter().all(|row| row.campaign().is_some()));
    assert!(!report.rows.is_empty());
}
