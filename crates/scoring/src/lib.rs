//! The creative scorer: the seed's CTR model (Phase 3), so that new creatives and proposed
//! variations are judged by their copy before they spend money.
//!
//! A random forest predicts a creative's CTR relative to its campaign's from features of
//! its ad copy. Training measures it on creatives it never saw against the mean baseline and
//! records whether it beats it; decide uses only a model that does, as the prior of each
//! creative's CTR (it matters while a creative has little data, and fades as data comes)
//! and to rank candidate variations.
//!
//! Reading order:
//! - [`features`]: what is read of the copy (the seed's features and those that earned
//!   their place), in one fixed order.
//! - [`training`]: the target (shrunk CTR relative to the campaign), the split by creative,
//!   the forest, and the held-out measures.
//! - [`forest`]: smartcore's random forest behind a small type.
//! - [`artifact`]: versions in the store (`models/creative_scoring/v<N>/`), their metadata,
//!   and the checks that refuse a corrupt model.
//! - [`scorer`]: a loaded model's predictions with their interval.
//! - [`error`]: what can fail, with stable names.

pub mod artifact;
pub mod error;
pub mod features;
pub mod forest;
pub mod scorer;
pub mod training;

pub use artifact::{Metadata, ModelStore, TrainingWindow};
pub use error::ScoringError;
pub use scorer::{Prediction, Scorer};
pub use training::{Example, Metrics, TrainingSettings, train};

#[cfg(test)]
mod tests;
