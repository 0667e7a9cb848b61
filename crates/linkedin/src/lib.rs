//! A typed client of the LinkedIn Marketing API, speaking in the `ads` crate's types.
//!
//! It turns domain questions ("these creatives' metrics for April", "pause this creative")
//! into LinkedIn's Rest.li 2.0 requests, survives LinkedIn's limits and throttles, and maps
//! answers and failures back into typed values — keeping every response body as received so
//! callers can store it before deriving anything. `shared/reference/linkedin-api.md` is the
//! contract it codes against.
//!
//! Reading order:
//! - [`config`]: base URLs (env `LINKEDIN_API_URL`, `LINKEDIN_OAUTH_URL`), the
//!   `LinkedIn-Version` (env `LINKEDIN_VERSION`) and when it is sunset.
//! - [`token`]: access and refresh tokens and client secrets, redacted in every `Debug`.
//! - [`restli`]: Rest.li 2.0 encoding — tuples, `List(...)`, escaped URNs — and the 4,000-
//!   character query tunneling threshold.
//! - [`error`]: [`Error`], one variant per failure, with [`Error::name`] returning the stable
//!   names of `ads::error_names`.
//! - [`retry`]: the retry budget and backoff (full jitter, `Retry-After`, the long wait after
//!   the analytics data-volume throttle).
//! - `transport` (private): the one place requests are sent — headers, tunneling, retries,
//!   error mapping, the request counter, one `debug` event per attempt.
//! - [`client`]: [`Client`], cheap to clone, and [`Fetched`].
//! - [`paging`]: cursor paging shared by the searches, and [`Listing`].
//! - [`analytics`]: the analytics plan (≤ 18 metrics per request, tiles below 15,000
//!   elements, fewest requests), fetching, and merging chunks into rows.
//! - [`campaigns`], [`creatives`], [`posts`], [`pricing`]: the entity endpoints.
//! - [`oauth`]: [`OAuthClient`] — refresh and introspection.
//! - [`secret`]: [`StoredCredentials`], the credentials secret's JSON document, and
//!   [`secret::client_from_secret`], the one place a step turns the secret into a client.
//!
//! Deliberately not here: storing anything (callers store the raw bodies), deciding what to
//! change (the optimizer's steps), choosing where secrets live (the caller hands in the token,
//! or a secret store to [`secret::client_from_secret`]), concurrency across requests
//! (requests go one at a time, which also keeps clear of LinkedIn's throttles), and every
//! endpoint the optimizer does not use.

pub mod analytics;
pub mod campaigns;
pub mod client;
pub mod config;
pub mod creatives;
pub mod error;
#[cfg(test)]
mod loopback;
pub mod oauth;
pub mod paging;
pub mod posts;
pub mod pricing;
pub mod restli;
pub mod retry;
pub mod secret;
pub mod token;
mod transport;

pub use analytics::{
    AnalyticsFilter, AnalyticsPlan, AnalyticsQuery, AnalyticsReport, AnalyticsResponses,
    AnalyticsRow, Pivot, PlannedRequest, RowMerger, plan,
};
pub use campaigns::CampaignPatch;
pub use client::{Client, Fetched};
pub use config::{ApiVersion, Config, ConfigError};
pub use error::{Error, InputError};
pub use oauth::{Introspection, OAuthClient, RefreshedToken};
pub use paging::Listing;
pub use posts::{DarkPost, Post};
pub use pricing::{BidPricing, BidPricingQuery, PriceRange};
pub use retry::RetryPolicy;
pub use secret::{SecretFormatError, SecretUnusable, StoredCredentials, client_from_secret};
pub use token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};
