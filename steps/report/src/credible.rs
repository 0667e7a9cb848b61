//! Credible intervals for a rate (CTR): the Beta posterior of clicks per impression.
//!
//! With a uniform prior, `clicks` out of `impressions` gives the posterior
//! Beta(1 + clicks, 1 + impressions − clicks); the interval is its central `level` mass,
//! between the (1 − level)/2 and (1 + level)/2 quantiles. The report uses it to show how
//! much a creative's CTR is known, not to decide anything (the decide step owns the
//! empirical-Bayes model). Quantiles come from `statrs`' inverse regularized incomplete beta.

use statrs::distribution::{Beta, ContinuousCDF};

/// The level every report interval is drawn at: 90%.
pub const LEVEL: f64 = 0.90;

/// A rate's posterior summary, as fractions (0.0123 is 1.23%).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The posterior mean, (1 + clicks) / (2 + impressions).
    pub mean: f64,
    /// The lower bound of the central interval.
    pub low: f64,
    /// The upper bound of the central interval.
    pub high: f64,
}

/// The [`LEVEL`] central credible interval of the click rate after `clicks` clicks in
/// `impressions` impressions. Clicks above impressions (LinkedIn counts some clicks without
/// an impression) are taken as equal to them.
pub fn ctr_interval(clicks: u64, impressions: u64) -> Interval {
    let clicks = clicks.min(impressions) as f64;
    let impressions = impressions as f64;
    let a = 1.0 + clicks;
    let b = 1.0 + impressions - clicks;
    let mean = a / (a + b);
    // Both shapes are at least 1 and finite, which Beta::new accepts; the fallback keeps
    // the interval honest (everything possible) should that ever change.
    match Beta::new(a, b) {
        Ok(posterior) => Interval {
            mean,
            low: posterior.inverse_cdf((1.0 - LEVEL) / 2.0),
            high: posterior.inverse_cdf((1.0 + LEVEL) / 2.0),
        },
        Err(_) => Interval {
            mean,
            low: 0.0,
            high: 1.0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles of Beta(11, 991) at 0.05 and 0.95, computed independently by bisection on
    /// mpmath's regularized incomplete beta at 40 digits.
    const LOW_10_IN_1000: f64 = 0.006_174_687_465_19;
    const HIGH_10_IN_1000: f64 = 0.016_886_347_755;

    #[test]
    fn ten_clicks_in_a_thousand_impressions_give_about_0_6_to_1_7_percent() {
        // GIVEN 10 clicks in 1,000 impressions
        // WHEN the 90% interval is computed
        let interval = ctr_interval(10, 1000);
        // THEN it is Beta(11, 991)'s 5% and 95% quantiles, and its mean 11/1002
        assert!((interval.low - LOW_10_IN_1000).abs() < 1e-9, "{interval:?}");
        assert!(
            (interval.high - HIGH_10_IN_1000).abs() < 1e-9,
            "{interval:?}"
        );
        assert!((interval.mean - 11.0 / 1002.0).abs() < 1e-15);
    }

    #[test]
    fn no_impressions_give_the_uniform_prior_interval() {
        // GIVEN nothing observed: Beta(1, 1) is uniform, its 90% interval [0.05, 0.95]
        let interval = ctr_interval(0, 0);
        assert!((interval.low - 0.05).abs() < 1e-9, "{interval:?}");
        assert!((interval.high - 0.95).abs() < 1e-9, "{interval:?}");
    }

    #[test]
    fn clicks_above_impressions_count_as_every_impression_clicked() {
        assert_eq!(ctr_interval(12, 10), ctr_interval(10, 10));
    }
}
