//! # collect — LinkedIn creative performance into the store
//!
//! The collect step of the collect state machine (every six hours): for one ad account it
//! lists the campaigns and their creatives, reads the ad copy of posts not seen before, and
//! pulls daily creative-level analytics for a lookback window (14 days by default, because
//! LinkedIn restates conversions for weeks). Every LinkedIn response is stored raw, as
//! received, before anything is derived from it; then each (day, account) partition of the
//! window is rewritten whole. Nothing is lost (raw first, a failed run keeps what it stored),
//! nothing is duplicated (partitions are overwritten, never appended) and restated days stay
//! current (every run re-pulls the window).
//!
//! Reading order:
//! - this file: [`Input`], [`Output`], [`Error`], [`Settings`], [`Ports`] and [`run`], the
//!   step from top to bottom;
//! - [`input`]: validation of the whole input before any I/O, and [`metric_names`], the
//!   LinkedIn metric names it accepts;
//! - [`keys`]: every key written (raw and curated);
//! - [`entities`]: campaigns, creatives, and ad copy fetched only for new posts, and the
//!   records of the creatives and campaigns files;
//! - [`analytics`]: the creative-level query, each response stored as it arrives;
//! - [`partitions`]: rewriting each (day, account) file of the window;
//! - [`curated`]: the Parquet schemas ([`creative_daily_schema`], [`creatives_schema`],
//!   [`campaigns_schema`]), writers and readers;
//! - [`telemetry`]: the operational metrics; `store`: puts that count and name their key.
//!
//! ## What it writes
//! ```text
//! raw/entities/YYYY/MM/DD/<account>/campaigns_<run>.json     [page body, ...]  campaign search
//! raw/entities/YYYY/MM/DD/<account>/creatives_<run>.json     [page body, ...]  creative search
//! raw/entities/YYYY/MM/DD/<account>/posts_<run>.json         [post body, ...]  only posts fetched
//! raw/analytics/YYYY/MM/DD/<account>/creative_performance_<run>_<n>.json      response n = 1..
//! processed/creative_daily/dt=YYYY-MM-DD/account_id=<id>/part-0.parquet      every day of the window
//! processed/creatives/account_id=<id>/part-0.parquet
//! processed/campaigns/account_id=<id>/part-0.parquet
//! ```
//! `YYYY/MM/DD` is the run's UTC date, `<run>` its start in epoch seconds. The entity files
//! are JSON arrays of the response bodies, each body inserted verbatim; the posts file is
//! written only when a post was fetched.
//!
//! ## The curated schemas
//! `creative_daily` — one row per creative per day, sorted by (campaign_id, creative_id); the
//! day (`dt`) and account (`account_id`) are partition keys in the path, not columns:
//! `campaign_id INT64`, `creative_id INT64`, `impressions`, `clicks`, `landing_page_clicks`
//! (INT64?), `cost_in_usd`, `cost_in_local_currency` (DECIMAL(38,18)?, exact),
//! `external_website_conversions`, `one_click_leads`, `one_click_lead_form_opens`,
//! `conversions` (= website conversions + leads), `likes`, `comments`, `shares`, `follows`,
//! `total_engagements`, `video_views`, `approximate_member_reach` (INT64?),
//! `collected_at TIMESTAMP(ms, UTC)`. A metric LinkedIn did not return is NULL, never 0.
//! A run replaces the rows of the campaigns it covers; rows of the account's other
//! campaigns (not named in `campaignIds`, or no longer in a collected status) are kept.
//!
//! `creatives` — the latest metadata and ad copy per creative of the account: `creative_id
//! INT64`, `campaign_id INT64`, `campaign_name STRING`, `name STRING?`, `status STRING`,
//! `headline`, `description`, `commentary`, `call_to_action`, `landing_page`, `post_urn`
//! (STRING?), `created_at`, `last_modified_at` (TIMESTAMP(ms, UTC)?), `collected_at
//! TIMESTAMP(ms, UTC)`. Creatives not seen by a run keep their earlier row.
//!
//! `campaigns` — the latest state of every campaign of the account, as the run's campaign
//! listing returned it (all campaigns listed, whichever the input selected): `campaign_id
//! INT64`, `name`, `status`, `cost_type` (STRING), `objective_type STRING?`, `unit_cost`
//! (the bid), `daily_budget`, `total_budget` (DECIMAL(38,18)?, exact, in `currency`),
//! `currency STRING?` (ISO 4217), `created_at`, `last_modified_at` (TIMESTAMP(ms, UTC)?),
//! `collected_at TIMESTAMP(ms, UTC)`. Campaigns not listed by a run keep their earlier row.
//! The decisions read the current bid, budget and status from it.
//!
//! All three files are Snappy-compressed and byte-identical for identical rows and `now`;
//! `athena/tables/*.sql` declares them column for column (the `catalog` crate tests so).
//!
//! Deliberately not here: refreshing the token (fetch-token does, before this step), any
//! AWS or local adapter (`main.rs` and `adsctl` choose them), and anything derived beyond the
//! curated rows (the analytics queries read them).

pub mod analytics;
pub mod curated;
pub mod entities;
pub mod input;
pub mod keys;
pub mod metric_names;
pub mod partitions;
mod store;
pub mod telemetry;

use std::collections::HashMap;

use ads::error_names::{self, StepError};
use ads::{CampaignStatus, CreativeId, Metrics, ObjectStore, PortError, SecretStore};
use chrono::{DateTime, NaiveDate, Utc};
use linkedin::{Client, RowMerger};
use serde::{Deserialize, Serialize};

pub use curated::{campaigns_schema, creative_daily_schema, creatives_schema};
pub use input::InvalidInput;

use crate::keys::{EntityKind, RawKeys};
use crate::store::{JSON, PARQUET, Store};

/// What the state machine asks for (JSON, camelCase). Only `accountId` is required.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The ad account's id, digits only (a JSON number is accepted too), as in Campaign
    /// Manager's URL.
    #[serde(deserialize_with = "input::id_text")]
    pub account_id: String,
    /// Campaign ids (digits) to collect. Absent: every campaign of the account whose status
    /// is one of [`Settings::statuses`] (ACTIVE and PAUSED by default), following pages.
    #[serde(
        default,
        deserialize_with = "input::id_texts",
        skip_serializing_if = "Option::is_none"
    )]
    pub campaign_ids: Option<Vec<String>>,
    /// The window's last day, `YYYY-MM-DD` (UTC), inclusive; not after today. Absent: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Days in the window, ending at `endDate` inclusive, 1 to 365. Absent: 14, so
    /// conversions LinkedIn restates are re-pulled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<i64>,
    /// LinkedIn analytics metric names (e.g. `impressions`, `costInUsd`). Absent: the 15
    /// metrics the curated table has columns for ([`metric_names::DEFAULT_METRICS`]).
    /// Others are stored raw but have no curated column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<String>>,
}

/// What the step reports (JSON, camelCase): counts only, never the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The ad account collected.
    pub account_id: String,
    /// The window's first day (UTC), inclusive.
    pub start_date: NaiveDate,
    /// The window's last day (UTC), inclusive.
    pub end_date: NaiveDate,
    /// Days in the window: one `creative_daily` file each.
    pub days: u32,
    /// Campaigns collected.
    pub campaigns: usize,
    /// Creatives of those campaigns.
    pub creatives: usize,
    /// Creative-day rows collected from LinkedIn and written to the curated files (the files
    /// may also keep rows of campaigns this run did not cover).
    pub rows: usize,
    /// Posts whose ad copy was fetched (posts known from earlier runs are not).
    pub posts_fetched: usize,
    /// Objects written to the store, raw and curated.
    pub keys_written: usize,
    /// LinkedIn requests sent, retries included.
    pub requests: u64,
}

/// Why the step failed; [`StepError::name`] is what `Retry`/`Catch` match.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid (`Input.Invalid`); the message names the field and the fix.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// LinkedIn failed; keeps LinkedIn's own name (`LinkedIn.Unauthorized`, ...).
    #[error(transparent)]
    LinkedIn(#[from] linkedin::Error),
    /// The credentials secret could not be read or is not a credentials document
    /// (`Secret.Failed`). Never carries the secret's value.
    #[error(transparent)]
    Secret(#[from] linkedin::SecretUnusable),
    /// The object store failed (`Store.Failed`); what was stored before stays.
    #[error("the store failed at {key}: {source}")]
    Store {
        /// The key read or written.
        key: String,
        /// The port's error.
        source: PortError,
    },
    /// A curated file could not be built (`Store.Failed`).
    #[error("the curated file {key} could not be built: {source}")]
    Curated {
        /// The key it was meant for.
        key: String,
        /// Why.
        source: curated::CuratedError,
    },
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => error_names::INPUT_INVALID,
            Error::LinkedIn(error) => error.name(),
            Error::Secret(_) => error_names::SECRET_FAILED,
            Error::Store { .. } | Error::Curated { .. } => error_names::STORE_FAILED,
        }
    }
}

/// How the step is configured (environment on Lambda, `adsctl`'s configuration locally).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The name of the LinkedIn credentials secret (env `LINKEDIN_SECRET_NAME`).
    pub secret_name: String,
    /// The campaign statuses collected when the input names no campaigns.
    pub statuses: Vec<CampaignStatus>,
    /// How to reach LinkedIn (env `LINKEDIN_API_URL`, `LINKEDIN_VERSION`, ...).
    pub linkedin: linkedin::Config,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secret_name: linkedin::secret::DEFAULT_SECRET_NAME.to_owned(),
            statuses: vec![CampaignStatus::Active, CampaignStatus::Paused],
            linkedin: linkedin::Config::default(),
        }
    }
}

impl Settings {
    /// The defaults with the environment applied (an empty variable counts as unset).
    pub fn from_env() -> Result<Settings, linkedin::ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Settings::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, linkedin::ConfigError> {
        Ok(Settings {
            secret_name: linkedin::secret::secret_name(&lookup),
            linkedin: linkedin::Config::from_lookup(lookup)?,
            ..Settings::default()
        })
    }
}

/// What the step talks through; AWS adapters on Lambda, local ones in `adsctl` and tests.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    /// Where raw and curated data go.
    pub store: &'a dyn ObjectStore,
    /// Where the LinkedIn credentials are.
    pub secrets: &'a dyn SecretStore,
    /// Where operational metrics go.
    pub metrics: &'a dyn Metrics,
}

/// Runs the step at `now` (the run's start: it dates the raw keys and `collected_at`, and
/// "today" for the window). Invalid input fails before any I/O; a failure after validation
/// emits `CollectionFailure` = 1 and leaves what was stored in place. Re-running with the
/// same input converges on the same curated files.
pub async fn run(
    input: Input,
    settings: &Settings,
    ports: Ports<'_>,
    now: DateTime<Utc>,
) -> Result<Output, Error> {
    let window = input::validate(&input, now)?;
    let mut client = None;
    match collect(&window, settings, ports, now, &mut client).await {
        Ok((output, summary)) => {
            let data = telemetry::success(window.account, &summary);
            telemetry::emit(ports.metrics, &data).await;
            tracing::info!(
                account = %window.account, start = %output.start_date, end = %output.end_date,
                rows = output.rows, keys = output.keys_written, requests = output.requests,
                "collected"
            );
            Ok(output)
        }
        Err(error) => {
            let requests = client.as_ref().map_or(0, Client::requests_sent);
            tracing::error!(account = %window.account, error = %error, name = error.name(),
                "collection failed");
            telemetry::emit(ports.metrics, &telemetry::failure(window.account, requests)).await;
            Err(error)
        }
    }
}

/// The step after validation: raw first, then curated.
async fn collect(
    window: &input::Validated,
    settings: &Settings,
    ports: Ports<'_>,
    now: DateTime<Utc>,
    client_slot: &mut Option<Client>,
) -> Result<(Output, telemetry::Summary), Error> {
    let account = window.account;
    let client = client_slot.insert(
        linkedin::client_from_secret(
            ports.secrets,
            &settings.secret_name,
            &settings.linkedin,
            now.date_naive(),
        )
        .await?,
    );
    let store = Store::new(ports.store);
    let raw = RawKeys::new(account, now);

    // Campaigns: the configured statuses, or any status when the input names them.
    let statuses: &[CampaignStatus] = match window.campaigns {
        None => &settings.statuses,
        Some(_) => &[],
    };
    let listing = client.search_campaigns(account, statuses).await?;
    let key = raw.entities(EntityKind::Campaigns);
    store
        .put(&key, keys::json_array(&listing.pages), JSON)
        .await?;
    let listed = listing.items.clone();
    let campaigns =
        entities::select_campaigns(account, listing.items, window.campaigns.as_deref())?;

    // Creatives of those campaigns (an empty filter would list the whole account).
    let creatives = if campaigns.is_empty() {
        Vec::new()
    } else {
        let ids: Vec<_> = campaigns.keys().copied().collect();
        let listing = client.search_creatives(account, &ids).await?;
        let key = raw.entities(EntityKind::Creatives);
        store
            .put(&key, keys::json_array(&listing.pages), JSON)
            .await?;
        entities::of_campaigns(listing.items, &campaigns)
    };

    // Ad copy: only posts no earlier run stored.
    let stored = entities::stored_records(&store, account).await?;
    let copies = entities::ad_copy(client, &creatives, &stored, &store, &raw).await?;

    // Analytics, each response stored as it arrives.
    let creative_ids: Vec<CreativeId> = creatives.iter().map(|c| c.id).collect();
    let rows = if creative_ids.is_empty() {
        RowMerger::default()
    } else {
        let query = analytics::query(window, &creative_ids);
        analytics::fetch(client, &query, &store, &raw).await?
    };
    let campaign_of: HashMap<_, _> = creatives.iter().map(|c| (c.id, c.campaign)).collect();

    // Curated: every day of the window, this run's campaigns replaced, others kept.
    let covered = campaigns.keys().copied().collect();
    let days = analytics::creative_days(rows.into_rows(), account, &campaign_of, window)?;
    let written_rows = partitions::rewrite(&store, window, &covered, days, now).await?;
    let records = entities::records(stored, &creatives, &campaigns, &copies, now);
    put_curated(&store, keys::creatives(account), || {
        curated::creatives_file(&records)
    })
    .await?;
    let stored = entities::stored_campaigns(&store, account).await?;
    let records = entities::campaign_records(stored, &listed, now);
    put_curated(&store, keys::campaigns(account), || {
        curated::campaigns_file(&records)
    })
    .await?;

    let summary = telemetry::Summary::of_rows(&written_rows, client.requests_sent());
    let output = Output {
        account_id: account.to_string(),
        start_date: window.start,
        end_date: window.end,
        days: window.days().len() as u32,
        campaigns: campaigns.len(),
        creatives: creatives.len(),
        rows: written_rows.len(),
        posts_fetched: copies.fetched,
        keys_written: store.written(),
        requests: summary.requests,
    };
    Ok((output, summary))
}

/// Builds a curated file and stores it at `key`.
async fn put_curated(
    store: &Store<'_>,
    key: String,
    build: impl FnOnce() -> Result<bytes::Bytes, curated::CuratedError>,
) -> Result<(), Error> {
    let file = build().map_err(|source| Error::Curated {
        key: key.clone(),
        source,
    })?;
    store.put(&key, file, PARQUET).await
}

#[cfg(test)]
mod tests;
