//! Throttles and outages during collect: it completes, or fails with a named error that
//! leaves the raw data already written intact, and a re-run completes without duplicates.

use super::*;
use ads::error_names::StepError;
use sim::{Faults, Limits};

#[tokio::test]
async fn completes_through_a_429_storm_and_5xx_bursts() {
    // GIVEN LinkedIn throttles a quarter of requests and fails a sixth
    let (h, ws) = world(71, 10).await;
    h.inject(Faults {
        rate_429: 0.25,
        rate_5xx: 0.15,
        ..Faults::default()
    })
    .await;
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN collect runs (retrying with backoff)
    let output = collect(&h, &ws, 7).await.unwrap();
    // THEN it completed through throttles and failures, and the data is exact
    let stats = h.sim.admin().stats().await.unwrap();
    assert_eq!(output.requests, stats.requests, "every attempt counted");
    let failed = stats.requests - stats.by_status.get(&200).copied().unwrap_or(0);
    assert!(failed >= 3, "{stats:?}");
    assert!(stats.by_status.contains_key(&429), "{stats:?}");
    assert_curated_equals_truth(&h, &ws, &days(yesterday(h.now().await), 7)).await;
}

#[tokio::test]
async fn a_failure_part_way_keeps_the_raw_data_and_a_rerun_completes() {
    // GIVEN a daily quota that runs out after the campaign and creative searches
    let (h, ws) = world(72, 10).await;
    h.sim.admin().reset_stats().await.unwrap();
    let calls_so_far = h.sim.admin().stats().await.unwrap().requests;
    h.sim
        .admin()
        .set_limits(&Limits {
            daily_app_quota: calls_so_far + 2,
            ..Limits::default()
        })
        .await
        .unwrap();
    // WHEN collect runs
    let err = collect(&h, &ws, 7).await.unwrap_err();
    // THEN it fails by name, the raw responses it got are stored, and nothing is curated
    assert_eq!(err.name(), "LinkedIn.RateLimited", "{err}");
    let raw_before = ws.keys("raw/").await;
    assert_eq!(
        raw_before.len(),
        2,
        "campaigns and creatives: {raw_before:?}"
    );
    assert!(ws.keys("processed/").await.is_empty());
    let saved: Vec<_> = futures_bodies(&ws, &raw_before).await;
    // WHEN the quota is lifted and collect runs again
    h.sim.admin().set_limits(&Limits::default()).await.unwrap();
    collect(&h, &ws, 7).await.unwrap();
    // THEN the earlier raw files are untouched and the curated data is complete and exact
    assert_eq!(futures_bodies(&ws, &raw_before).await, saved);
    assert_curated_equals_truth(&h, &ws, &days(yesterday(h.now().await), 7)).await;
}

async fn futures_bodies(ws: &Workspace, keys: &[String]) -> Vec<bytes::Bytes> {
    let mut bodies = Vec::new();
    for key in keys {
        bodies.push(ws.store.get(key).await.unwrap());
    }
    bodies
}

#[tokio::test]
async fn a_revoked_token_fails_collect_as_unauthorized() {
    let (h, ws) = world(73, 3).await;
    h.inject(Faults {
        revoke_tokens: true,
        ..Faults::default()
    })
    .await;
    let err = collect(&h, &ws, 2).await.unwrap_err();
    assert_eq!(err.name(), "LinkedIn.Unauthorized");
    assert!(ws.keys("").await.is_empty());
}
