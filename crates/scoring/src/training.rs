//! Training: from creatives' totals and copy to a random forest, measured on creatives it
//! never saw.
//!
//! **The target.** A creative's CTR relative to its campaign's: `ln(shrunk CTR / campaign
//! CTR)`. Relative, because campaigns differ in audience, format and offer, and their
//! creatives in how worn they are, far more than copy can explain; LinkedIn rotates a
//! campaign's creatives evenly, so within a campaign those are shared and what is left is
//! mostly the copy and the creative itself. decide applies the prediction to the campaign's
//! own rate. Shrunk, because a creative
//! with few impressions has a noisy CTR: its clicks are pooled with κ pseudo-impressions at
//! the campaign's CTR, κ = (1 − m) / (m · 0.3²) for the campaign's CTR m — the strength of a
//! typical 30% spread between creatives, the same typical spread decide falls back to.
//! Creatives under `min_impressions` are left out.
//!
//! **The split** is by creative: creatives are ordered by a hash of their id (with their
//! account) and the first 20% are held out, so a creative is never in both and mostly the
//! same creatives are held out every week. The forest (the seed's settings: 100 trees, depth 10,
//! minimum split 5, seeded) learns on the rest.
//!
//! **The measures**, on the held-out creatives: MSE and R² of the target; the same for the
//! baseline that predicts the training creatives' mean for every creative — the model is
//! only fit for use when it beats the baseline with 95% confidence (a one-sided paired test
//! of the two squared errors over the held-out creatives: at B2B volumes a forest fitted to
//! noise beats the mean by luck about half the time); each feature's permutation
//! importance (how much the held-out MSE grows when that feature's column is shuffled); and
//! the 10th and 90th percentiles of the held-out residuals, which give a prediction its 80%
//! interval, and their standard deviation, which tells decide how much a prediction is worth
//! as a prior.

use std::collections::BTreeMap;

use ads::AdCopy;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::ScoringError;
use crate::features;
use crate::forest::{Forest, ForestSettings};

/// One creative's totals over the training window, and its copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its ad account (digits).
    pub account_id: String,
    /// Its campaign.
    pub campaign_id: u64,
    /// Its id.
    pub creative_id: u64,
    /// Impressions over the window.
    pub impressions: f64,
    /// Clicks over the window.
    pub clicks: f64,
    /// Its ad copy.
    pub copy: AdCopy,
}

/// How a model is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingSettings {
    /// A creative needs this many impressions to be learned from.
    pub min_impressions: f64,
    /// Training needs at least this many such creatives.
    pub min_creatives: usize,
    /// The share of creatives held out, 0–1.
    pub test_share: f64,
    /// The forest's settings.
    pub forest: ForestSettings,
}

impl Default for TrainingSettings {
    fn default() -> TrainingSettings {
        TrainingSettings {
            min_impressions: 1_000.0,
            min_creatives: 100,
            test_share: 0.2,
            forest: ForestSettings::default(),
        }
    }
}

/// How sure training must be that the model beats the baseline on held-out creatives.
pub const BEATS_BASELINE_CONFIDENCE: f64 = 0.95;

/// A typical spread of creatives' CTR within a campaign (coefficient of variation).
const TYPICAL_CTR_CV: f64 = 0.3;

/// What training measured on the held-out creatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// Mean squared error of the target, ln(CTR / campaign CTR).
    pub mse: f64,
    /// R² of the target.
    pub r2: f64,
    /// MSE of the baseline (the training creatives' mean for every creative).
    pub baseline_mse: f64,
    /// R² of the baseline.
    pub baseline_r2: f64,
    /// The confidence that the model's held-out squared errors are smaller than the
    /// baseline's (a one-sided paired test over the held-out creatives).
    pub confidence: f64,
    /// Whether that confidence is at least [`BEATS_BASELINE_CONFIDENCE`]: only then does
    /// decide use the model.
    pub beats_baseline: bool,
}

/// One feature's permutation importance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Importance {
    /// The feature.
    pub feature: String,
    /// Growth of the held-out MSE when the feature's column is shuffled.
    pub mse_increase: f64,
}

/// What the held-out residuals say about a prediction's error, in the target's (log) units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Residuals {
    /// The 10th percentile: a prediction's 80% interval starts this far from it.
    pub p10: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The standard deviation.
    pub sd: f64,
}

/// A trained, measured model, not yet stored.
#[derive(Debug)]
pub struct Trained {
    /// The forest.
    pub forest: Forest,
    /// Creatives with enough impressions.
    pub rows: usize,
    /// Of them, learned from.
    pub train_rows: usize,
    /// Of them, held out.
    pub test_rows: usize,
    /// Accounts they came from.
    pub accounts: Vec<String>,
    /// The pooled CTR of those creatives: a prediction of 0 (an average copy) reads as it.
    pub base_ctr: f64,
    /// The held-out measures.
    pub metrics: Metrics,
    /// Every feature's importance, largest first.
    pub importances: Vec<Importance>,
    /// The held-out residuals.
    pub residuals: Residuals,
}

/// Trains and measures a model on `examples`.
///
/// # Errors
/// [`ScoringError::TooLittleData`] when fewer than `min_creatives` (and at least 10)
/// creatives have `min_impressions`;
/// [`ScoringError::Training`] when the forest cannot be fitted.
pub fn train(examples: &[Example], settings: &TrainingSettings) -> Result<Trained, ScoringError> {
    let rows = targets(examples, settings.min_impressions);
    // Ten at the least: two held out and eight to learn from.
    let needed = settings.min_creatives.max(10);
    if rows.len() < needed {
        return Err(ScoringError::TooLittleData {
            found: rows.len(),
            needed,
            min_impressions: settings.min_impressions,
        });
    }
    let (test, learn) = split(&rows, settings.test_share);
    let matrix = |rows: &[&Row]| rows.iter().map(|r| r.features.clone()).collect::<Vec<_>>();
    let target = |rows: &[&Row]| rows.iter().map(|r| r.target).collect::<Vec<_>>();
    let (x_test, y_test) = (matrix(&test), target(&test));
    let (x_learn, y_learn) = (matrix(&learn), target(&learn));
    let forest = Forest::fit(&x_learn, &y_learn, &settings.forest)?;

    let predicted = forest.predict(&x_test)?;
    let mse = mean_squared_error(&y_test, &predicted);
    let learned_mean = mean(&y_learn);
    let baseline_mse = mean_squared_error(&y_test, &vec![learned_mean; y_test.len()]);
    let variance = mean_squared_error(&y_test, &vec![mean(&y_test); y_test.len()]);
    let r2 = |mse: f64| {
        if variance > 0.0 {
            1.0 - mse / variance
        } else {
            0.0
        }
    };
    let confidence = paired_confidence(&y_test, &predicted, learned_mean);
    let metrics = Metrics {
        mse,
        r2: r2(mse),
        baseline_mse,
        baseline_r2: r2(baseline_mse),
        confidence,
        beats_baseline: confidence >= BEATS_BASELINE_CONFIDENCE,
    };
    let importances = importances(&forest, &x_test, &y_test, mse, settings.forest.seed)?;
    let mut residuals: Vec<f64> = y_test.iter().zip(&predicted).map(|(y, p)| y - p).collect();
    residuals.sort_by(f64::total_cmp);
    let accounts: Vec<String> = rows
        .iter()
        .map(|r| r.key.0.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let (clicks, impressions) = rows
        .iter()
        .fold((0.0, 0.0), |(c, i), r| (c + r.clicks, i + r.impressions));
    Ok(Trained {
        forest,
        rows: rows.len(),
        train_rows: learn.len(),
        test_rows: test.len(),
        accounts,
        base_ctr: clicks / impressions,
        metrics,
        importances,
        residuals: Residuals {
            p10: quantile(&residuals, 0.1),
            p90: quantile(&residuals, 0.9),
            sd: mean_squared_error(&residuals, &vec![mean(&residuals); residuals.len()]).sqrt(),
        },
    })
}

/// A creative ready to learn from.
struct Row {
    key: (String, u64),
    impressions: f64,
    clicks: f64,
    features: Vec<f64>,
    target: f64,
}

/// The creatives with at least `min_impressions`, with their shrunk CTR relative to their
/// campaign's.
fn targets(examples: &[Example], min_impressions: f64) -> Vec<Row> {
    let mut campaigns: BTreeMap<(&str, u64), (f64, f64)> = BTreeMap::new();
    for e in examples {
        let totals = campaigns.entry((&e.account_id, e.campaign_id)).or_default();
        totals.0 += e.clicks.max(0.0);
        totals.1 += e.impressions.max(0.0);
    }
    examples
        .iter()
        .filter(|e| e.impressions >= min_impressions && e.clicks >= 0.0)
        .filter_map(|e| {
            let (clicks, impressions) = campaigns[&(e.account_id.as_str(), e.campaign_id)];
            let campaign_ctr = clicks / impressions;
            if campaign_ctr <= 0.0 || campaign_ctr >= 1.0 {
                return None;
            }
            let kappa = (1.0 - campaign_ctr) / (campaign_ctr * TYPICAL_CTR_CV * TYPICAL_CTR_CV);
            let shrunk = (e.clicks + kappa * campaign_ctr) / (e.impressions + kappa);
            Some(Row {
                key: (e.account_id.clone(), e.creative_id),
                impressions: e.impressions,
                clicks: e.clicks,
                features: features::of(&e.copy),
                target: (shrunk / campaign_ctr).ln(),
            })
        })
        .collect()
}

/// The held-out creatives and the rest: the creatives ordered by a hash of their key
/// (account, id), the first `share` of them held out. A creative's place in that order
/// never changes, so the same creatives tend to be held out week after week.
fn split(rows: &[Row], share: f64) -> (Vec<&Row>, Vec<&Row>) {
    let mut ordered: Vec<(u64, &Row)> = rows
        .iter()
        .map(|row| {
            let digest = Sha256::digest(format!("{}:{}", row.key.0, row.key.1));
            let mut first = [0u8; 8];
            first.copy_from_slice(&digest[..8]);
            (u64::from_be_bytes(first), row)
        })
        .collect();
    ordered.sort_by_key(|(hash, _)| *hash);
    let held =
        ((rows.len() as f64 * share).round() as usize).clamp(1, rows.len().saturating_sub(1));
    let mut rows = ordered.into_iter().map(|(_, row)| row);
    let test = rows.by_ref().take(held).collect();
    (test, rows.collect())
}

/// The confidence that the model's squared errors are smaller than the constant
/// `baseline`'s: the normal approximation of a one-sided paired t-test over the per-creative
/// differences of squared errors.
fn paired_confidence(actual: &[f64], predicted: &[f64], baseline: f64) -> f64 {
    let gains: Vec<f64> = actual
        .iter()
        .zip(predicted)
        .map(|(y, p)| (y - baseline).powi(2) - (y - p).powi(2))
        .collect();
    let gain = mean(&gains);
    let spread = mean_squared_error(&gains, &vec![gain; gains.len()]).sqrt();
    let n = gains.len() as f64;
    if spread == 0.0 || n < 2.0 {
        return if gain > 0.0 { 1.0 } else { 0.0 };
    }
    let t = gain / (spread / (n - 1.0).sqrt());
    Normal::standard().cdf(t)
}

/// Each feature's permutation importance on the held-out rows, largest first.
fn importances(
    forest: &Forest,
    x: &[Vec<f64>],
    y: &[f64],
    mse: f64,
    seed: u64,
) -> Result<Vec<Importance>, ScoringError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut found = Vec::with_capacity(features::NAMES.len());
    for (column, name) in features::NAMES.iter().enumerate() {
        let mut values: Vec<f64> = x.iter().map(|row| row[column]).collect();
        values.shuffle(&mut rng);
        let shuffled: Vec<Vec<f64>> = x
            .iter()
            .zip(&values)
            .map(|(row, value)| {
                let mut row = row.clone();
                row[column] = *value;
                row
            })
            .collect();
        let shuffled_mse = mean_squared_error(y, &forest.predict(&shuffled)?);
        found.push(Importance {
            feature: (*name).to_owned(),
            mse_increase: shuffled_mse - mse,
        });
    }
    found.sort_by(|a, b| b.mse_increase.total_cmp(&a.mse_increase));
    Ok(found)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn mean_squared_error(actual: &[f64], predicted: &[f64]) -> f64 {
    let squares: Vec<f64> = actual
        .iter()
        .zip(predicted)
        .map(|(a, p)| (a - p).powi(2))
        .collect();
    mean(&squares)
}

/// The `q` quantile of sorted `values` (linear between neighbours).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}
