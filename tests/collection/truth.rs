//! Curated data equals the simulator's ground truth, re-runs duplicate nothing, and restated
//! days are brought up to date.

use super::*;

#[tokio::test]
async fn curated_rows_equal_the_simulators_delivery() {
    // GIVEN three weeks of delivery
    let (h, ws) = world(61, 21).await;
    // WHEN collect pulls the last 14 days
    let output = collect(&h, &ws, 14).await.unwrap();
    // THEN each of the 14 days has a file holding exactly what LinkedIn reports for it
    let window = days(yesterday(h.now().await), 14);
    let checked = assert_curated_equals_truth(&h, &ws, &window).await;
    assert_eq!(output.rows, checked);
    assert_eq!(output.days, 14);
    assert!(checked > 100, "a meaningful sample: {checked}");
    // AND the raw responses came first and stay: campaigns, creatives, posts, analytics
    for prefix in ["raw/entities/", "raw/analytics/"] {
        assert!(!ws.keys(prefix).await.is_empty(), "{prefix}");
    }
    assert_eq!(ws.keys("processed/creatives/").await.len(), 1);
}

#[tokio::test]
async fn a_rerun_rewrites_identical_curated_files_without_duplicates() {
    let (h, ws) = world(62, 10).await;
    let now = h.now().await;
    collect_at(&h, &ws, 7, now).await.unwrap();
    let snapshot = curated_bytes(&ws).await;
    // WHEN the same run is repeated, THEN every curated file is byte-identical
    collect_at(&h, &ws, 7, now).await.unwrap();
    assert_eq!(curated_bytes(&ws).await, snapshot);
    // WHEN a later run covers the same days, THEN the rows are the same, once each
    let later = now + chrono::Duration::hours(6);
    let second = collect_at(&h, &ws, 7, later).await.unwrap();
    assert_eq!(
        second.posts_fetched, 0,
        "posts already known are not fetched again"
    );
    assert_eq!(curated_bytes(&ws).await.len(), snapshot.len());
    assert_curated_equals_truth(&h, &ws, &days(yesterday(now), 7)).await;
}

async fn curated_bytes(ws: &Workspace) -> Vec<(String, bytes::Bytes)> {
    let mut files = Vec::new();
    for key in ws.keys("processed/").await {
        let body = ws.store.get(&key).await.unwrap();
        files.push((key, body));
    }
    files
}

#[tokio::test]
async fn late_conversions_update_earlier_days_on_the_next_collect() {
    // GIVEN a collect right after two weeks of delivery
    let (h, ws) = world(63, 14).await;
    let account = h.account().await;
    collect(&h, &ws, 14).await.unwrap();
    let first_window = days(yesterday(h.now().await), 14);
    let before = total_conversions(&ws, account, &first_window).await;
    // WHEN a week passes and late conversions arrive, and collect runs again
    h.sim.admin().advance(7).await.unwrap();
    collect(&h, &ws, 21).await.unwrap();
    // THEN the earlier days now carry the restated numbers, equal to the truth
    let after = total_conversions(&ws, account, &first_window).await;
    assert!(
        after > before,
        "conversions restated upward: {before} → {after}"
    );
    assert_curated_equals_truth(&h, &ws, &first_window).await;
}

async fn total_conversions(ws: &Workspace, account: AccountId, window: &[NaiveDate]) -> i64 {
    let mut total = 0;
    for &day in window {
        for row in curated_day(ws, account, day).await.values() {
            total += row.count("conversions").unwrap_or(0);
        }
    }
    total
}
