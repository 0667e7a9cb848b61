//! The creative scorer's part in a decision (`crates/scoring`): which model, if any, decide
//! may use; each creative's CTR prior from its copy; and the ranking of candidate
//! variations.
//!
//! **Which model.** The latest version under `models/creative_scoring/`, and only when its
//! training found it beats the mean baseline on held-out creatives. A missing model, one
//! that does not beat the baseline, or one that is refused (corrupt, or trained on other
//! features) leaves every creative on the account's prior, and the decisions' notes (hence
//! the report) say which and why. A store failure reading the model does the same: the
//! scorer sharpens decisions, it never blocks them.
//!
//! **The prior.** The model predicts ln(CTR / campaign CTR) from the copy; a creative's CTR
//! prior is a Beta whose mean is its campaign's CTR (the campaign's clicks over its
//! impressions in the window, shrunk toward the account's prior) × that lift. Its spread is
//! the model's held-out residual sd, but never tighter than the account's fitted prior: the
//! model learned from creatives of one age, while a campaign's rate mixes a new creative
//! with worn ones (fatigue), so a prior surer than the account's would anchor a fresh
//! creative to its siblings' wear. The scorer moves each creative's expected CTR by what its
//! copy predicts; the data outweighs it as impressions come, exactly as it outweighs the
//! account's prior.
//!
//! **Variations.** Every candidate rewrite of the winner's copy
//! ([`crate::variation::candidates`]) is scored; the one predicted best is proposed, and
//! none when no candidate is predicted to beat the winner's own copy.

use std::collections::BTreeMap;

use ads::{AdCopy, CreativeId, ObjectStore};
use scoring::{ModelStore, Scorer, ScoringError};

use crate::posterior::BetaPrior;
use crate::proposal::percent;

/// The latest model when decide may use it; otherwise `None` and a note saying why.
pub async fn load(store: &dyn ObjectStore, notes: &mut Vec<String>) -> Option<Scorer> {
    match ModelStore::new(store).latest().await {
        Ok(scorer) if scorer.beats_baseline() => {
            let m = &scorer.metadata;
            notes.push(format!(
                "creative scorer v{} (trained {}; held-out R² {:.3} against the mean's {:.3}) \
                 gives each creative's CTR prior from its copy and ranks variations",
                m.version,
                m.trained_at.format("%Y-%m-%d"),
                m.metrics.r2,
                m.metrics.baseline_r2
            ));
            Some(scorer)
        }
        Ok(scorer) => {
            notes.push(format!(
                "creative scorer v{} does not beat the mean baseline on held-out creatives \
                 (R² {:.3}); CTR priors are the account's",
                scorer.metadata.version, scorer.metadata.metrics.r2
            ));
            None
        }
        Err(ScoringError::NotFound { .. }) => {
            notes.push(
                "no creative scorer is trained yet (`adsctl model train`); CTR priors are the \
                 account's"
                    .to_owned(),
            );
            None
        }
        Err(error) => {
            notes.push(format!(
                "the creative scorer is not used: {error}; CTR priors fall back to the account's"
            ));
            None
        }
    }
}

/// Each creative's CTR prior from its copy, around its campaign's CTR (`campaign_ctr`, by
/// creative) and no surer than the `account` prior; creatives without copy are absent (they
/// keep the account's prior).
pub(crate) fn ctr_priors(
    account: BetaPrior,
    campaign_ctr: &BTreeMap<CreativeId, f64>,
    copies: &BTreeMap<CreativeId, AdCopy>,
    scorer: &Scorer,
    notes: &mut Vec<String>,
) -> BTreeMap<CreativeId, BetaPrior> {
    let (ids, texts): (Vec<CreativeId>, Vec<&AdCopy>) = copies
        .iter()
        .filter(|(id, _)| campaign_ctr.contains_key(id))
        .unzip();
    let predictions = match scorer.predict(&texts) {
        Ok(predictions) => predictions,
        Err(error) => {
            notes.push(format!(
                "the creative scorer could not predict ({error}); CTR priors are the account's"
            ));
            return BTreeMap::new();
        }
    };
    let spread = scorer.metadata.residuals.sd.max(account.spread());
    ids.into_iter()
        .zip(predictions)
        .map(|(id, p)| (id, BetaPrior::with_spread(p.ctr(campaign_ctr[&id]), spread)))
        .collect()
}

/// The candidate predicted best, when it is predicted to beat `original`; with both
/// predictions (CTR at `campaign_ctr`) for the reason.
pub(crate) fn best_variation(
    scorer: &Scorer,
    original: &AdCopy,
    candidates: Vec<AdCopy>,
    campaign_ctr: f64,
) -> Result<Ranked, String> {
    let count = candidates.len();
    let mut all: Vec<&AdCopy> = vec![original];
    all.extend(&candidates);
    let predictions = scorer.predict(&all).map_err(|e| e.to_string())?;
    let (best, predicted) = candidates
        .iter()
        .zip(&predictions[1..])
        .max_by(|a, b| a.1.log_lift.total_cmp(&b.1.log_lift))
        .ok_or_else(|| "no candidate rewrite".to_owned())?;
    let (original_ctr, best_ctr) = (
        predictions[0].ctr(campaign_ctr),
        predicted.ctr(campaign_ctr),
    );
    if predicted.log_lift <= predictions[0].log_lift {
        return Err(format!(
            "the creative scorer predicts none of {count} candidate rewrites beats its copy \
             (best {} against {})",
            percent(best_ctr),
            percent(original_ctr)
        ));
    }
    Ok(Ranked {
        copy: best.clone(),
        why: format!(
            "the creative scorer ranks it first of {count} candidate rewrites: predicted CTR \
             {} against {} for the winner's copy",
            percent(best_ctr),
            percent(original_ctr)
        ),
    })
}

/// The variation chosen by the scorer, and why.
pub(crate) struct Ranked {
    /// The copy to create.
    pub copy: AdCopy,
    /// The ranking, for the reason.
    pub why: String,
}
