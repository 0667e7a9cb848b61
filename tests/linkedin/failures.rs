//! Every failure mode surfaces as its typed error with its stable name, and transient ones
//! are retried until they clear or the budget is spent.

use ads::CampaignStatus;
use end_to_end::{Harness, config, scenario};
use linkedin::token::AccessToken;
use linkedin::{Client, Config, Error, RetryPolicy};
use sim::{Faults, Limits};

const STATUSES: [CampaignStatus; 2] = [CampaignStatus::Active, CampaignStatus::Paused];

#[tokio::test]
async fn a_wrong_token_is_unauthorized_at_once_and_never_echoed() {
    let h = Harness::start(scenario(31, 1, 1), 0).await;
    let account = h.account().await;
    let client = Client::new(config(&h.sim), AccessToken::new("AQX-not-a-real-token"));
    h.sim.admin().reset_stats().await.unwrap();
    let err = client
        .search_campaigns(account, &STATUSES)
        .await
        .unwrap_err();
    assert_eq!(err.name(), "LinkedIn.Unauthorized");
    assert_eq!(
        h.sim.admin().stats().await.unwrap().requests,
        1,
        "401 is not retried"
    );
    assert!(!format!("{err} {err:?} {client:?}").contains("not-a-real-token"));
}

#[tokio::test]
async fn a_sunset_version_fails_loudly_with_the_fix() {
    let h = Harness::start(scenario(32, 1, 1), 0).await;
    let account = h.account().await;
    let version = h.client.config().version.to_string();
    h.inject(Faults {
        sunset_versions: vec![version.clone()],
        ..Faults::default()
    })
    .await;
    let err = h
        .client
        .search_campaigns(account, &STATUSES)
        .await
        .unwrap_err();
    assert_eq!(err.name(), "LinkedIn.VersionSunset");
    assert!(matches!(&err, Error::VersionSunset { version: v } if *v == version));
    assert!(err.to_string().contains("LINKEDIN_VERSION"), "{err}");
}

#[tokio::test]
async fn throttles_and_server_errors_are_retried_until_they_clear() {
    // GIVEN LinkedIn answers 429, 500 and 503 before it recovers
    let h = Harness::start(scenario(33, 2, 1), 0).await;
    let account = h.account().await;
    h.inject(Faults {
        fail_next: vec![429, 500, 503],
        ..Faults::default()
    })
    .await;
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN the client lists campaigns
    let listing = h.client.search_campaigns(account, &STATUSES).await.unwrap();
    // THEN it got them on the fourth attempt
    assert_eq!(listing.items.len(), 2);
    assert_eq!(listing.requests, 4);
    let stats = h.sim.admin().stats().await.unwrap();
    for status in [429, 500, 503, 200] {
        assert_eq!(
            stats.by_status.get(&status),
            Some(&1),
            "{status}: {stats:?}"
        );
    }
}

#[tokio::test]
async fn a_spent_retry_budget_surfaces_rate_limited() {
    // GIVEN LinkedIn throttles every request
    let h = Harness::start(scenario(34, 1, 1), 0).await;
    let account = h.account().await;
    h.inject(Faults {
        rate_429: 1.0,
        ..Faults::default()
    })
    .await;
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN the client tries with a budget of 3 retries
    let client = Client::new(
        Config {
            retry: RetryPolicy {
                max_retries: 3,
                ..RetryPolicy::quick()
            },
            ..config(&h.sim)
        },
        AccessToken::new(h.credentials.access_token.clone()),
    );
    let err = client
        .search_campaigns(account, &STATUSES)
        .await
        .unwrap_err();
    // THEN it stopped after four attempts with LinkedIn.RateLimited
    assert_eq!(err.name(), "LinkedIn.RateLimited");
    assert_eq!(h.sim.admin().stats().await.unwrap().requests, 4);
    assert_eq!(client.requests_sent(), 4);
}

#[tokio::test]
async fn server_errors_past_the_budget_surface_as_server() {
    let h = Harness::start(scenario(35, 1, 1), 0).await;
    let account = h.account().await;
    h.inject(Faults {
        rate_5xx: 1.0,
        ..Faults::default()
    })
    .await;
    let err = h
        .client
        .search_campaigns(account, &STATUSES)
        .await
        .unwrap_err();
    assert_eq!(err.name(), "LinkedIn.Server");
}

#[tokio::test]
async fn the_analytics_data_volume_throttle_is_recognised() {
    // GIVEN a metric-values window far smaller than one response
    let h = Harness::start(scenario(36, 2, 3), 5).await;
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    h.sim
        .admin()
        .set_limits(&Limits {
            metric_values_per_5min: 5,
            ..Limits::default()
        })
        .await
        .unwrap();
    let query = linkedin::AnalyticsQuery::new(
        linkedin::Pivot::Creative,
        linkedin::AnalyticsFilter::Creatives(
            truth
                .iter()
                .map(|t| ads::CreativeId(t.creative_id))
                .collect(),
        ),
        end_to_end::start_date(),
        end_to_end::start_date(),
        ["impressions", "clicks", "costInUsd"],
    );
    // WHEN the client asks for more than that
    let err = h.client.analytics(&query).await.unwrap_err();
    // THEN it is throttled as LinkedIn's data-volume limit, after the retry budget
    assert!(
        matches!(
            err,
            Error::RateLimited {
                data_volume: true,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_network_failing_is_its_own_error() {
    let h = Harness::start(scenario(37, 1, 1), 0).await;
    let account = h.account().await;
    let unreachable = Config {
        // A port nobody listens on: the simulator's, after it stopped.
        api_url: h.sim.api_url(),
        retry: RetryPolicy::none(),
        ..Config::default()
    };
    h.sim.shutdown().await;
    let client = Client::new(unreachable, AccessToken::new("t"));
    let err = client
        .search_campaigns(account, &STATUSES)
        .await
        .unwrap_err();
    assert_eq!(err.name(), "LinkedIn.Network");
}
