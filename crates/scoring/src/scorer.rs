//! A loaded model answering for ad copy: its CTR relative to its campaign's, as a rate at
//! a given campaign CTR, with the 80% interval its held-out residuals give.

use ads::AdCopy;

use crate::artifact::Metadata;
use crate::error::ScoringError;
use crate::features;
use crate::forest::Forest;

/// A stored model, checked and ready.
#[derive(Debug)]
pub struct Scorer {
    /// What the model is and how it measured.
    pub metadata: Metadata,
    forest: Forest,
}

/// What the model predicts for one copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// ln(CTR / campaign CTR) predicted.
    pub log_lift: f64,
    /// ln of the interval's ends relative to the prediction (10th, 90th percentile of the
    /// held-out residuals).
    pub residual_p10: f64,
    /// See `residual_p10`.
    pub residual_p90: f64,
}

impl Prediction {
    /// The predicted CTR in a campaign whose CTR is `campaign_ctr`.
    pub fn ctr(&self, campaign_ctr: f64) -> f64 {
        campaign_ctr * self.log_lift.exp()
    }

    /// The 80% interval of the CTR in a campaign whose CTR is `campaign_ctr`.
    pub fn interval(&self, campaign_ctr: f64) -> (f64, f64) {
        (
            self.ctr(campaign_ctr) * self.residual_p10.exp(),
            self.ctr(campaign_ctr) * self.residual_p90.exp(),
        )
    }
}

impl Scorer {
    pub(crate) fn new(metadata: Metadata, forest: Forest) -> Scorer {
        Scorer { metadata, forest }
    }

    /// Whether the model beat the mean baseline on held-out creatives; decide uses only
    /// such a model.
    pub fn beats_baseline(&self) -> bool {
        self.metadata.metrics.beats_baseline
    }

    /// The prediction for each of `copies`, in order.
    pub fn predict(&self, copies: &[&AdCopy]) -> Result<Vec<Prediction>, ScoringError> {
        if copies.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Vec<f64>> = copies.iter().map(|copy| features::of(copy)).collect();
        let residuals = self.metadata.residuals;
        Ok(self
            .forest
            .predict(&rows)?
            .into_iter()
            .map(|log_lift| Prediction {
                log_lift,
                residual_p10: residuals.p10,
                residual_p90: residuals.p90,
            })
            .collect())
    }
}
