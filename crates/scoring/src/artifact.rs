//! Models in the store: `models/creative_scoring/v<N>/{model.json,metadata.json}`.
//!
//! Every training that succeeds adds the next version; none is overwritten or deleted, so
//! any decision can be traced to the model it used. `model.json` is written first and
//! `metadata.json` last: a version exists once its metadata does, so a training that stopped
//! half-way leaves no version behind, and one that fails (too little data) writes nothing.
//!
//! The metadata says what the model is (features, target, settings), what it learned from
//! (window, accounts, rows), how it did on held-out creatives (MSE and R² against the mean
//! baseline, importances, residuals), when it was trained, and the SHA-256 of `model.json`.
//! Loading checks that checksum and the feature names: a model file that was truncated,
//! edited or trained on other features is refused with [`ScoringError::Corrupt`].

use ads::{ObjectStore, PortError};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ScoringError;
use crate::features;
use crate::forest::Forest;
use crate::scorer::Scorer;
use crate::training::{Importance, Metrics, Residuals, Trained, TrainingSettings};

/// Where the versions live.
pub const PREFIX: &str = "models/creative_scoring/";

/// What the model predicts.
pub const TARGET: &str = "ln(shrunk CTR / campaign CTR)";

/// The days the training data covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingWindow {
    /// First day, inclusive.
    pub start: NaiveDate,
    /// Last day, inclusive.
    pub end: NaiveDate,
}

impl TrainingWindow {
    /// The days from the earlier start to the later end of both.
    pub fn span(self, other: TrainingWindow) -> TrainingWindow {
        TrainingWindow {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A version's `metadata.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// The version, N of `v<N>`.
    pub version: u32,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
    /// The days its data covers.
    pub training_window: TrainingWindow,
    /// The accounts its creatives came from.
    pub accounts: Vec<String>,
    /// Creatives with enough impressions.
    pub rows: usize,
    /// Of them, learned from.
    pub train_rows: usize,
    /// Of them, held out and measured on.
    pub test_rows: usize,
    /// What it predicts ([`TARGET`]).
    pub target: String,
    /// Its features, in column order.
    pub features: Vec<String>,
    /// How it was trained.
    pub settings: TrainingSettings,
    /// The held-out measures; `beatsBaseline` decides whether decide uses it.
    pub metrics: Metrics,
    /// Permutation importances, largest first.
    pub importances: Vec<Importance>,
    /// The held-out residuals (the prediction interval and the prior's strength).
    pub residuals: Residuals,
    /// The pooled CTR of its training creatives.
    pub base_ctr: f64,
    /// SHA-256 of `model.json`, hex.
    pub model_sha256: String,
}

/// The models of one store.
pub struct ModelStore<'a> {
    store: &'a dyn ObjectStore,
}

impl<'a> ModelStore<'a> {
    /// The models under [`PREFIX`] of `store`.
    pub fn new(store: &'a dyn ObjectStore) -> ModelStore<'a> {
        ModelStore { store }
    }

    /// The versions stored (those with metadata), oldest first.
    pub async fn versions(&self) -> Result<Vec<u32>, ScoringError> {
        let mut versions: Vec<u32> = self
            .list()
            .await?
            .iter()
            .filter_map(|key| {
                let (version, file) = parse(key)?;
                (file == "metadata.json").then_some(version)
            })
            .collect();
        versions.sort_unstable();
        versions.dedup();
        Ok(versions)
    }

    /// Stores `trained` as the next version and returns its metadata.
    pub async fn save(
        &self,
        trained: Trained,
        settings: &TrainingSettings,
        window: TrainingWindow,
        trained_at: DateTime<Utc>,
    ) -> Result<Metadata, ScoringError> {
        let version = self
            .list()
            .await?
            .iter()
            .filter_map(|key| parse(key).map(|(version, _)| version))
            .max()
            .unwrap_or(0)
            + 1;
        let model = serde_json::to_vec(&trained.forest)
            .map_err(|e| ScoringError::Training(format!("the forest would not serialize: {e}")))?;
        let metadata = Metadata {
            version,
            trained_at,
            training_window: window,
            accounts: trained.accounts,
            rows: trained.rows,
            train_rows: trained.train_rows,
            test_rows: trained.test_rows,
            target: TARGET.to_owned(),
            features: features::NAMES.map(str::to_owned).to_vec(),
            settings: settings.clone(),
            metrics: trained.metrics,
            importances: trained.importances,
            residuals: trained.residuals,
            base_ctr: trained.base_ctr,
            model_sha256: hex(&Sha256::digest(&model)),
        };
        self.put(&key(version, "model.json"), model).await?;
        let body = serde_json::to_vec_pretty(&metadata).map_err(|e| {
            ScoringError::Training(format!("the metadata would not serialize: {e}"))
        })?;
        self.put(&key(version, "metadata.json"), body).await?;
        Ok(metadata)
    }

    /// The latest version's metadata.
    pub async fn latest_metadata(&self) -> Result<Metadata, ScoringError> {
        let version = self.latest_version().await?;
        self.metadata(version).await
    }

    /// The latest version, loaded and checked.
    pub async fn latest(&self) -> Result<Scorer, ScoringError> {
        let version = self.latest_version().await?;
        self.load(version).await
    }

    /// Version `version`, loaded and checked.
    pub async fn load(&self, version: u32) -> Result<Scorer, ScoringError> {
        let metadata = self.metadata(version).await?;
        let model_key = key(version, "model.json");
        let corrupt = |reason: String| ScoringError::Corrupt {
            key: model_key.clone(),
            reason,
        };
        let body = self.get(&model_key).await?;
        let checksum = hex(&Sha256::digest(&body));
        if checksum != metadata.model_sha256 {
            return Err(corrupt(format!(
                "its SHA-256 is {checksum}, its metadata says {}: the file changed after training",
                metadata.model_sha256
            )));
        }
        if metadata.features != features::NAMES {
            return Err(corrupt(format!(
                "it was trained on the features {:?}, this version reads {:?}",
                metadata.features,
                features::NAMES
            )));
        }
        let forest: Forest = serde_json::from_slice(&body)
            .map_err(|e| corrupt(format!("it is not a forest: {e}")))?;
        Ok(Scorer::new(metadata, forest))
    }

    async fn latest_version(&self) -> Result<u32, ScoringError> {
        self.versions()
            .await?
            .last()
            .copied()
            .ok_or_else(|| ScoringError::NotFound {
                prefix: PREFIX.to_owned(),
            })
    }

    async fn metadata(&self, version: u32) -> Result<Metadata, ScoringError> {
        let metadata_key = key(version, "metadata.json");
        let body = self.get(&metadata_key).await?;
        serde_json::from_slice(&body).map_err(|e| ScoringError::Corrupt {
            key: metadata_key,
            reason: format!("its metadata is not readable: {e}"),
        })
    }

    async fn list(&self) -> Result<Vec<String>, ScoringError> {
        self.store
            .list(PREFIX)
            .await
            .map_err(|source| ScoringError::Store {
                key: PREFIX.to_owned(),
                source,
            })
    }

    async fn get(&self, key: &str) -> Result<Bytes, ScoringError> {
        self.store.get(key).await.map_err(|source| match source {
            PortError::NotFound { .. } => ScoringError::Corrupt {
                key: key.to_owned(),
                reason: "the file is missing".to_owned(),
            },
            source => ScoringError::Store {
                key: key.to_owned(),
                source,
            },
        })
    }

    async fn put(&self, key: &str, body: Vec<u8>) -> Result<(), ScoringError> {
        self.store
            .put(key, Bytes::from(body), "application/json")
            .await
            .map_err(|source| ScoringError::Store {
                key: key.to_owned(),
                source,
            })
    }
}

/// The key of `file` in version `version`.
pub fn key(version: u32, file: &str) -> String {
    format!("{PREFIX}v{version}/{file}")
}

/// `(version, file)` of a key under [`PREFIX`].
fn parse(key: &str) -> Option<(u32, &str)> {
    let (version, file) = key
        .strip_prefix(PREFIX)?
        .strip_prefix('v')?
        .split_once('/')?;
    Some((version.parse().ok()?, file))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
