//! The `/_sim` admin API's request and response types: plain serde structs (JSON camelCase)
//! that a client crate can use without touching axum. [`crate::AdminClient`] speaks them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The virtual clock. Days before `today` are fully delivered; `today` has no data yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Clock {
    /// The current virtual day (UTC).
    pub today: NaiveDate,
}

/// Body of `POST /_sim/advance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvanceRequest {
    /// Days to simulate, one after the other, before moving the clock.
    pub days: u32,
}

/// The seeded application and member token pair (`GET /_sim/credentials`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// The OAuth application's client id.
    pub client_id: String,
    /// The OAuth application's client secret.
    pub client_secret: String,
    /// The member's seeded access token (60 days from the start date).
    pub access_token: String,
    /// The member's seeded refresh token (365 days from the start date).
    pub refresh_token: String,
    /// When the access token expires, on the virtual clock.
    pub access_token_expires_at: DateTime<Utc>,
    /// When the refresh token expires, on the virtual clock; refreshing never extends it.
    pub refresh_token_expires_at: DateTime<Utc>,
}

/// Injected failures (`GET`/`POST /_sim/faults`). They apply to `/rest` and `/oauth`,
/// never to `/_sim`. Random ones are drawn from a generator seeded by the scenario seed, so
/// a run with the same requests in the same order fails the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Probability that a request answers 429 (LinkedIn's application-day throttle body).
    #[serde(rename = "rate429")]
    pub rate_429: f64,
    /// Probability that a request answers 500, 503 or 504 (equally likely).
    #[serde(rename = "rate5xx")]
    pub rate_5xx: f64,
    /// Extra latency added to every request, in real milliseconds.
    pub latency_ms: u64,
    /// `Retry-After` seconds sent on injected 429s (none when absent, as LinkedIn does).
    pub retry_after_secs: Option<u64>,
    /// Exact statuses for the next requests, consumed one per request, for deterministic tests.
    pub fail_next: Vec<u16>,
    /// Versions (`YYYYMM`) that answer 426 as if sunset.
    pub sunset_versions: Vec<String>,
    /// When set, every access and refresh token issued so far is revoked.
    pub revoke_tokens: bool,
    /// When set, every live access token now expires this many days from now (0 = at once).
    pub expire_access_token_in_days: Option<u32>,
}

/// Rate limits and size caps (`POST /_sim/limits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// `/rest` calls per virtual day for the application; resets when the clock passes midnight UTC.
    pub daily_app_quota: u64,
    /// Metric values (returned elements × requested metric fields) per sliding window.
    #[serde(rename = "metricValuesPer5min")]
    pub metric_values_per_5min: u64,
    /// Length of that sliding window in real seconds (LinkedIn: 300; tests shorten it).
    pub metric_window_secs: u64,
    /// Analytics elements returned at most; the rest are silently dropped, as LinkedIn does.
    pub max_analytics_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            daily_app_quota: 100_000,
            metric_values_per_5min: 45_000_000,
            metric_window_secs: 300,
            max_analytics_elements: 15_000,
        }
    }
}

/// The ad-copy features the CTR model reads (see `copy` for the coefficients).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CopyFeatures {
    /// Characters in the headline (the article title).
    pub headline_chars: u32,
    /// Characters in the commentary (the post text above the image).
    pub commentary_chars: u32,
    /// The headline or commentary contains a digit.
    pub has_digit: bool,
    /// ... a percent sign.
    pub has_percent: bool,
    /// ... a dollar sign.
    pub has_dollar: bool,
    /// ... a question mark.
    pub has_question: bool,
    /// ... an exclamation mark.
    pub has_exclamation: bool,
    /// Power words present (lower case), from: free, new, now, today, data, exclusive.
    pub power_words: Vec<String>,
    /// Share of letters in upper case, 0..1.
    pub uppercase_ratio: f64,
    /// The call-to-action label (LEARN_MORE, DOWNLOAD, REGISTER, SIGN_UP, REQUEST_DEMO, ...).
    pub call_to_action: String,
}

/// What the simulator knows about a creative and a client can only estimate
/// (`GET /_sim/truth/creatives`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreativeTruth {
    /// Creative id (the N of urn:li:sponsoredCreative:N).
    pub creative_id: u64,
    /// Its campaign's id.
    pub campaign_id: u64,
    /// Its account's id.
    pub account_id: u64,
    /// The post (urn:li:share:N) carrying its copy.
    pub post: String,
    /// True click-through rate before fatigue.
    pub base_ctr: f64,
    /// True conversions (or leads) per click.
    pub conversion_rate: f64,
    /// Current fatigue multiplier on the CTR, 0..1 (1 = fresh).
    pub fatigue: f64,
    /// Impressions served so far.
    pub cumulative_impressions: u64,
    /// intendedStatus as the API shows it.
    pub status: String,
    /// review.status as the API shows it.
    pub review_status: String,
    /// Whether it would serve on the next simulated day.
    pub is_serving: bool,
    /// The campaign's objective (WEBSITE_CONVERSION or LEAD_GENERATION).
    pub objective: String,
    /// The ad-copy features the CTR model used.
    pub features: CopyFeatures,
}

/// One creative's delivery on one day, exactly as analytics reports it as of now
/// (`GET /_sim/truth/delivery?from=YYYY-MM-DD&to=YYYY-MM-DD`, both inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryTruth {
    /// The day.
    pub date: NaiveDate,
    /// Account id.
    pub account_id: u64,
    /// Campaign id.
    pub campaign_id: u64,
    /// Creative id.
    pub creative_id: u64,
    /// Impressions.
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Landing-page clicks.
    pub landing_page_clicks: u64,
    /// Cost in USD (the account currency), as `costInUsd` reports it.
    pub cost_usd: Decimal,
    /// Every conversion (post-click + post-view + leads) this day will eventually report.
    pub conversions_total: u64,
    /// The conversions analytics reports for this day as of now.
    pub conversions_reported: u64,
    /// Lead-form submissions reported as of now (oneClickLeads).
    pub leads: u64,
    /// Lead-form opens.
    pub lead_form_opens: u64,
    /// Every analytics metric for this creative and day, as `/rest/adAnalytics` returns it now.
    pub metrics: BTreeMap<String, serde_json::Value>,
}

/// Request counters (`GET /_sim/stats`; `POST /_sim/stats` resets them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Stats {
    /// Requests served on `/rest` and `/oauth`.
    pub requests: u64,
    /// Requests by route, e.g. "GET /rest/adAnalytics".
    pub by_route: BTreeMap<String, u64>,
    /// Requests by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// Analytics elements returned.
    pub analytics_elements: u64,
    /// Metric values returned (elements × requested metric fields).
    pub metric_values: u64,
    /// Requests that arrived tunneled (POST + X-HTTP-Method-Override: GET).
    pub tunneled_requests: u64,
}
