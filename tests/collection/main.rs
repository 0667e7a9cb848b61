//! Collection end to end: the collect and fetch-token steps, run with the local adapters
//! against the simulator over loopback, checked against the simulator's ground truth.
//!
//! Modules: `truth` (curated rows equal delivery; re-runs and restatements), `faults`
//! (throttles, outages, a failure part-way), `input` (bad input refused, nothing written),
//! `secrets` (no token in any log line).

mod faults;
mod input;
mod secrets;
mod truth;

use std::collections::BTreeMap;

use ads::{AccountId, CreativeId, ObjectStore};
use chrono::{DateTime, Days, NaiveDate, Utc};
use end_to_end::curated::{self, Row};
use end_to_end::workspace::{Workspace, collect_settings};
use end_to_end::{Harness, scenario};
use rust_decimal::Decimal;

/// Curated INT64 columns and the LinkedIn metric each holds.
const COUNT_COLUMNS: [(&str, &str); 13] = [
    ("impressions", "impressions"),
    ("clicks", "clicks"),
    ("landing_page_clicks", "landingPageClicks"),
    ("external_website_conversions", "externalWebsiteConversions"),
    ("one_click_leads", "oneClickLeads"),
    ("one_click_lead_form_opens", "oneClickLeadFormOpens"),
    ("likes", "likes"),
    ("comments", "comments"),
    ("shares", "shares"),
    ("follows", "follows"),
    ("total_engagements", "totalEngagements"),
    ("video_views", "videoViews"),
    ("approximate_member_reach", "approximateMemberReach"),
];

/// Curated DECIMAL columns and the LinkedIn metric each holds.
const MONEY_COLUMNS: [(&str, &str); 2] = [
    ("cost_in_usd", "costInUsd"),
    ("cost_in_local_currency", "costInLocalCurrency"),
];

/// A simulator with `days` days delivered for 3 campaigns × 4 creatives, and a workspace.
async fn world(seed: u64, days: u32) -> (Harness, Workspace) {
    let h = Harness::start(scenario(seed, 3, 4), days).await;
    let ws = Workspace::new(&h).await;
    (h, ws)
}

/// Runs collect for the account over `lookback` days ending yesterday (the simulator's).
async fn collect(
    h: &Harness,
    ws: &Workspace,
    lookback: i64,
) -> Result<collect::Output, collect::Error> {
    collect_at(h, ws, lookback, h.now().await).await
}

async fn collect_at(
    h: &Harness,
    ws: &Workspace,
    lookback: i64,
    now: DateTime<Utc>,
) -> Result<collect::Output, collect::Error> {
    let input = collect::Input {
        account_id: h.account().await.0.to_string(),
        end_date: Some(yesterday(now).to_string()),
        lookback_days: Some(lookback),
        ..collect::Input::default()
    };
    collect::run(input, &collect_settings(h), ws.ports(), now).await
}

fn yesterday(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive().pred_opt().expect("a valid day")
}

fn days(end: NaiveDate, count: u64) -> Vec<NaiveDate> {
    (0..count)
        .rev()
        .map(|back| end.checked_sub_days(Days::new(back)).expect("a valid day"))
        .collect()
}

fn daily_key(day: NaiveDate, account: AccountId) -> String {
    format!("processed/creative_daily/dt={day}/account_id={account}/part-0.parquet")
}

/// The curated rows of `day`, keyed by creative id.
async fn curated_day(ws: &Workspace, account: AccountId, day: NaiveDate) -> BTreeMap<i64, Row> {
    let file = ws
        .store
        .get(&daily_key(day, account))
        .await
        .unwrap_or_else(|e| panic!("no curated file for {day}: {e}"));
    let mut rows = BTreeMap::new();
    for row in curated::rows(file) {
        let creative = row.count("creative_id").expect("creative_id is never null");
        assert!(
            rows.insert(creative, row).is_none(),
            "creative {creative} twice on {day}"
        );
    }
    rows
}

fn truth_count(value: &serde_json::Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

fn truth_money(value: &serde_json::Value) -> Decimal {
    match value {
        serde_json::Value::String(text) => text.parse().expect("a decimal"),
        other => other.to_string().parse().expect("a decimal"),
    }
}

/// Checks that the curated files of `days` hold exactly the simulator's delivery as of now:
/// one row per creative-day delivered, every column equal to what LinkedIn reports.
async fn assert_curated_equals_truth(h: &Harness, ws: &Workspace, days: &[NaiveDate]) -> usize {
    let account = h.account().await;
    let (first, last) = (days[0], days[days.len() - 1]);
    let truth = h.sim.admin().truth_delivery(first, last).await.unwrap();
    let mut checked = 0;
    for &day in days {
        let rows = curated_day(ws, account, day).await;
        let delivered: Vec<_> = truth
            .iter()
            .filter(|t| t.date == day && t.impressions > 0)
            .collect();
        assert_eq!(rows.len(), delivered.len(), "rows on {day}");
        for t in delivered {
            let row = &rows[&(t.creative_id as i64)];
            let what = format!("{} on {day}", CreativeId(t.creative_id).urn());
            assert_eq!(
                row.count("campaign_id"),
                Some(t.campaign_id as i64),
                "{what}"
            );
            for (column, metric) in COUNT_COLUMNS {
                let expected = t.metrics.get(metric).map(truth_count);
                assert_eq!(row.count(column), expected, "{column} of {what}");
            }
            for (column, metric) in MONEY_COLUMNS {
                let expected = t.metrics.get(metric).map(truth_money);
                assert_eq!(row.decimal(column), expected, "{column} of {what}");
            }
            let conversions = row.count("external_website_conversions").unwrap_or(0)
                + row.count("one_click_leads").unwrap_or(0);
            assert_eq!(row.count("conversions"), Some(conversions), "{what}");
            assert_eq!(conversions, t.conversions_reported as i64, "{what}");
            checked += 1;
        }
    }
    checked
}
