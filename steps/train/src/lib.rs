//! # train — the creative scorer, trained on every account's creatives and stored
//!
//! The last step of the train state machine (`statemachines/train.asl.json`), after one
//! `creative_training` query per account: it reads each account's result (one row per
//! creative: impressions and clicks over the window, and its ad copy), trains the random
//! forest ([`scoring::train`]), measures it on held-out creatives against the mean
//! baseline, and stores it as the next version under `models/creative_scoring/`. It returns
//! the version, its keys and its held-out figures.
//!
//! Too little data fails with `Model.TooLittleData` and stores nothing: the previous model
//! stays the latest, and decide goes on using it. A model that does not beat the baseline
//! is stored (its metadata says so) but decide does not use it.
//!
//! Reading order: [`Input`], [`Output`], [`Error`], [`run`]; `result` reads a query result.

mod result;

use ads::error_names::{self, StepError};
use ads::{ObjectStore, PortError};
use chrono::{DateTime, Utc};
use scoring::{ScoringError, TrainingSettings, TrainingWindow};
use serde::{Deserialize, Serialize};

pub use result::ResultError;

/// One account's `creative_training` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountResult {
    /// The ad account.
    pub account_id: String,
    /// The store key of its `creative_training` result (`query-results/<id>.csv`).
    pub result_key: String,
}

/// What the state machine asks for (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// Every account's query result.
    pub results: Vec<AccountResult>,
    /// Impressions a creative needs to be learned from; null or absent: 1,000.
    #[serde(default)]
    pub min_impressions: Option<f64>,
    /// Creatives (with those impressions) training needs; null or absent: 100.
    #[serde(default)]
    pub min_creatives: Option<usize>,
}

/// What the step reports (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The version stored.
    pub version: u32,
    /// Its `model.json`.
    pub model_key: String,
    /// Its `metadata.json`.
    pub metadata_key: String,
    /// Creatives learned from and held out.
    pub rows: usize,
    /// R² on held-out creatives.
    pub r2: f64,
    /// The mean baseline's R² on them.
    pub baseline_r2: f64,
    /// Whether it beat the baseline: only then does decide use it.
    pub beats_baseline: bool,
}

/// Why the step failed; [`StepError::name`] is what `Retry`/`Catch` match.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is invalid (`Input.Invalid`); the message names the field and the fix.
    #[error("input {field}: {problem}")]
    InvalidInput {
        /// The field.
        field: &'static str,
        /// What is wrong and what to do.
        problem: String,
    },
    /// A result is not a `creative_training` result (`Input.Invalid`).
    #[error("{source} (in {key})")]
    Result {
        /// The result's key.
        key: String,
        /// What is wrong.
        source: ResultError,
    },
    /// The store failed reading a result (`Store.Failed`); nothing was stored.
    #[error("the store failed at {key}: {source}")]
    Store {
        /// The key read.
        key: String,
        /// The port's error.
        source: PortError,
    },
    /// Training or storing failed (`Model.TooLittleData`, `Model.TrainingFailed`,
    /// `Store.Failed`); nothing was stored as a version.
    #[error(transparent)]
    Scoring(#[from] ScoringError),
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } | Error::Result { .. } => error_names::INPUT_INVALID,
            Error::Store { .. } => error_names::STORE_FAILED,
            Error::Scoring(error) => error.name(),
        }
    }
}

/// What the step talks through: S3 on Lambda, the data directory in `adsctl` and tests.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    /// Where the query results are and the models go.
    pub store: &'a dyn ObjectStore,
}

/// Runs the step: reads every result, trains, measures and stores the next version,
/// trained at `now`. Invalid input and a failure store nothing.
pub async fn run(input: Input, ports: Ports<'_>, now: DateTime<Utc>) -> Result<Output, Error> {
    let settings = settings(&input)?;
    let mut examples = Vec::new();
    let mut window: Option<TrainingWindow> = None;
    for account in &input.results {
        let key = account.result_key.trim();
        let body = ports.store.get(key).await.map_err(|source| match source {
            PortError::NotFound { .. } => Error::InvalidInput {
                field: "results[].resultKey",
                problem: format!(
                    "no query result at {key}; pass the resultKey poll-results returned for \
                     the account's creative_training query"
                ),
            },
            source => Error::Store {
                key: key.to_owned(),
                source,
            },
        })?;
        let read = result::read(&body).map_err(|source| Error::Result {
            key: key.to_owned(),
            source,
        })?;
        window = match (window, read.window) {
            (Some(w), Some(r)) => Some(w.span(r)),
            (w, r) => w.or(r),
        };
        examples.extend(read.examples);
    }
    let trained = scoring::train(&examples, &settings)?;
    let window = window.ok_or(ScoringError::TooLittleData {
        found: 0,
        needed: settings.min_creatives,
        min_impressions: settings.min_impressions,
    })?;
    let metadata = scoring::ModelStore::new(ports.store)
        .save(trained, &settings, window, now)
        .await?;
    Ok(Output {
        version: metadata.version,
        model_key: scoring::artifact::key(metadata.version, "model.json"),
        metadata_key: scoring::artifact::key(metadata.version, "metadata.json"),
        rows: metadata.rows,
        r2: metadata.metrics.r2,
        baseline_r2: metadata.metrics.baseline_r2,
        beats_baseline: metadata.metrics.beats_baseline,
    })
}

/// The training settings: the defaults, with the input's minimums.
fn settings(input: &Input) -> Result<TrainingSettings, Error> {
    if input.results.is_empty() {
        return Err(Error::InvalidInput {
            field: "results",
            problem: "is empty; give each account's creative_training result \
                      ({\"accountId\", \"resultKey\"})"
                .to_owned(),
        });
    }
    let mut settings = TrainingSettings::default();
    if let Some(min) = input.min_impressions {
        if !(min.is_finite() && min >= 1.0) {
            return Err(Error::InvalidInput {
                field: "minImpressions",
                problem: format!("{min} is not a number of impressions ≥ 1"),
            });
        }
        settings.min_impressions = min;
    }
    if let Some(min) = input.min_creatives {
        if min < 10 {
            return Err(Error::InvalidInput {
                field: "minCreatives",
                problem: format!(
                    "{min} is too few to hold a fifth out and measure anything; give at \
                     least 10"
                ),
            });
        }
        settings.min_creatives = min;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests;
