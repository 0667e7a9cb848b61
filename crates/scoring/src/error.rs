//! The scorer's errors, each with its stable name (`ads::error_names`).

use ads::PortError;
use ads::error_names::{self, StepError};

/// Why training, storing or loading a model failed.
#[derive(Debug, thiserror::Error)]
pub enum ScoringError {
    /// Too few creatives with enough impressions.
    #[error(
        "too little data to train the creative scorer: {found} creative(s) have at least \
         {min_impressions} impressions in the training window, {needed} are needed (a fifth of \
         them held out to measure it); collect more days or more accounts (windowDays, \
         accounts), or lower minImpressions; the previous model is kept"
    )]
    TooLittleData {
        /// Creatives with enough impressions.
        found: usize,
        /// Creatives needed.
        needed: usize,
        /// Impressions a creative needs.
        min_impressions: f64,
    },
    /// The forest could not be fitted or asked.
    #[error("the random forest failed: {0}")]
    Training(String),
    /// A stored model is refused.
    #[error("creative scorer model {key} is refused: {reason}; retrain it (`adsctl model train`)")]
    Corrupt {
        /// The model's key.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No model has been trained.
    #[error(
        "no creative scorer has been trained yet (nothing under {prefix}); train one with `adsctl model train`"
    )]
    NotFound {
        /// Where models are stored.
        prefix: String,
    },
    /// The store failed.
    #[error("the store failed on {key}: {source}")]
    Store {
        /// The key read or written.
        key: String,
        /// The store's error.
        source: PortError,
    },
}

impl StepError for ScoringError {
    fn name(&self) -> &'static str {
        match self {
            ScoringError::TooLittleData { .. } => error_names::MODEL_TOO_LITTLE_DATA,
            ScoringError::Training(_) => error_names::MODEL_TRAINING_FAILED,
            ScoringError::Corrupt { .. } => error_names::MODEL_CORRUPT,
            ScoringError::NotFound { .. } => error_names::MODEL_NOT_FOUND,
            ScoringError::Store { .. } => error_names::STORE_FAILED,
        }
    }
}
