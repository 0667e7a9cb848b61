//! What every end-to-end test starts from: the real simulator on an ephemeral loopback port
//! and a real LinkedIn client pointed at it.
//!
//! Tests live in one target per area (`linkedin/`, `collection/`, ...); this module is the
//! only place that knows how to set them up.
//!
//! - [`Harness`]: the simulator and a client of it.
//! - [`workspace`]: a temporary data directory with the local adapters and the simulator's
//!   credentials stored in its secrets file, as `adsctl init` would leave it.
//! - [`curated`]: reading the curated Parquet files back, independently of the writer.

pub mod curated;
pub mod workspace;

use chrono::NaiveDate;
use linkedin::token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};
use linkedin::{Client, Config, OAuthClient, RetryPolicy};
use sim::{Credentials, RunningSim, Scenario};

/// A simulator and a client of it.
pub struct Harness {
    /// The running simulator; `sim.admin()` drives its clock, faults and ground truth.
    pub sim: RunningSim,
    /// A client with the seeded access token and millisecond retry delays.
    pub client: Client,
    /// The seeded OAuth application and member tokens, with a live access token.
    pub credentials: Credentials,
}

/// The first day of every test world: late enough that the client's default
/// `LinkedIn-Version` is already released on the simulator's clock.
pub fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 3).expect("a valid date")
}

/// A world of one account with `campaigns` campaigns of `creatives` creatives each.
pub fn scenario(seed: u64, campaigns: u32, creatives: u32) -> Scenario {
    Scenario {
        seed,
        start_date: start_date(),
        accounts: 1,
        campaigns_per_account: campaigns,
        creatives_per_campaign: creatives,
        ..Scenario::default()
    }
}

impl Harness {
    /// Starts the simulator with `scenario`, delivers `days` days, and builds a client.
    pub async fn start(scenario: Scenario, days: u32) -> Harness {
        let sim = sim::spawn(scenario).await.expect("the simulator starts");
        if days > 0 {
            sim.admin().advance(days).await.expect("the clock advances");
        }
        let mut credentials = sim.admin().credentials().await.expect("credentials");
        if days > 0 {
            // The seeded access token lives 60 days; refresh it as fetch-token would.
            let app = ClientCredentials {
                client_id: credentials.client_id.clone(),
                client_secret: ClientSecret::new(credentials.client_secret.clone()),
            };
            let refresh = RefreshToken::new(credentials.refresh_token.clone());
            let refreshed = OAuthClient::new(config(&sim))
                .refresh(&app, &refresh)
                .await
                .expect("the seeded refresh token works");
            credentials.access_token = refreshed.access_token.expose().to_owned();
        }
        let client = Client::new(
            config(&sim),
            AccessToken::new(credentials.access_token.clone()),
        );
        Harness {
            sim,
            client,
            credentials,
        }
    }

    /// An OAuth client of the simulator.
    pub fn oauth(&self) -> OAuthClient {
        OAuthClient::new(config(&self.sim))
    }

    /// The simulator's current moment: its today, at 06:00 UTC.
    pub async fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let today = self.sim.admin().clock().await.expect("clock").today;
        today.and_hms_opt(6, 0, 0).expect("a valid time").and_utc()
    }

    /// Injects `faults` into the simulator (replacing any injected before).
    pub async fn inject(&self, faults: sim::Faults) {
        self.sim
            .admin()
            .set_faults(&faults)
            .await
            .expect("faults are set");
    }

    /// The seeded account's id.
    pub async fn account(&self) -> ads::AccountId {
        let truth = self.sim.admin().truth_creatives().await.expect("truth");
        ads::AccountId(truth[0].account_id)
    }
}

/// A client configuration for `sim`, with retries that wait milliseconds.
pub fn config(sim: &RunningSim) -> Config {
    Config {
        api_url: sim.api_url(),
        oauth_url: sim.oauth_url(),
        retry: RetryPolicy::quick(),
        ..Config::default()
    }
}
