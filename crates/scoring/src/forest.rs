//! The random forest: smartcore's regressor behind a small type that speaks rows of `f64`
//! and turns smartcore's failures into [`ScoringError`]s.

use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

use crate::error::ScoringError;

/// The forest's settings; the defaults are the seed's (and scikit-learn's where the seed
/// kept them: every feature tried at each split, leaves of one creative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForestSettings {
    /// Trees in the forest.
    pub trees: usize,
    /// Deepest a tree grows.
    pub max_depth: u16,
    /// A node needs this many creatives to be split.
    pub min_samples_split: usize,
    /// A leaf keeps at least this many creatives.
    pub min_samples_leaf: usize,
    /// Features tried at each split; `None`: all of them.
    pub max_features: Option<usize>,
    /// Seed of the bootstrap samples and of the features tried at each split.
    pub seed: u64,
}

impl Default for ForestSettings {
    fn default() -> ForestSettings {
        ForestSettings {
            trees: 100,
            max_depth: 10,
            min_samples_split: 5,
            min_samples_leaf: 1,
            max_features: None,
            seed: 42,
        }
    }
}

type Regressor = RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>;

/// A fitted forest.
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Forest(Regressor);

impl Forest {
    /// Fits a forest to rows `x` (one per creative, columns as `features::NAMES`) and
    /// targets `y`.
    pub fn fit(
        x: &[Vec<f64>],
        y: &[f64],
        settings: &ForestSettings,
    ) -> Result<Forest, ScoringError> {
        let parameters = RandomForestRegressorParameters::default()
            .with_n_trees(settings.trees)
            .with_max_depth(settings.max_depth)
            .with_min_samples_split(settings.min_samples_split)
            .with_min_samples_leaf(settings.min_samples_leaf)
            .with_m(
                settings
                    .max_features
                    .unwrap_or(x.first().map_or(1, Vec::len)),
            )
            .with_seed(settings.seed);
        let regressor = Regressor::fit(&matrix(x)?, &y.to_vec(), parameters)
            .map_err(|e| ScoringError::Training(e.to_string()))?;
        Ok(Forest(regressor))
    }

    /// The predictions for rows `x`.
    pub fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, ScoringError> {
        self.0
            .predict(&matrix(x)?)
            .map_err(|e| ScoringError::Training(e.to_string()))
    }
}

fn matrix(rows: &[Vec<f64>]) -> Result<DenseMatrix<f64>, ScoringError> {
    DenseMatrix::from_2d_vec(&rows.to_vec()).map_err(|e| ScoringError::Training(e.to_string()))
}
