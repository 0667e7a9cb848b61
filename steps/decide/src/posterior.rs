//! Posteriors of rates, their empirical-Bayes priors, and the few special functions they
//! need.
//!
//! A rate (CTR = clicks per impression, CVR = conversions per click) has a Beta posterior
//! Beta(α + successes, β + failures) under a Beta prior; a campaign's conversions per
//! dollar has a Gamma posterior Gamma(α + conversions, β + dollars) (Gamma–Poisson).
//!
//! **Log-normal approximation.** decide compares *products* of rates (CTR × CVR × price),
//! thousands of times per run. The log of a Beta(a, b) variable has mean ψ(a) − ψ(a + b)
//! and variance ψ₁(a) − ψ₁(a + b) exactly (ψ digamma, ψ₁ trigamma); the log of a
//! Gamma(a, rate b) has mean ψ(a) − ln b and variance ψ₁(a). [`LogNormal`] keeps those two
//! exact moments and treats the log as normal, so a product of independent rates is again
//! log-normal (means and variances add) and a draw costs one standard normal. The
//! approximation is close once a ≥ 1, which the priors below guarantee; at a few
//! successes the true log-posterior has a longer lower tail, so the approximation is on the
//! side of *not* pausing.
//!
//! **Empirical-Bayes priors** ([`BetaPrior::fit`]): the method of moments over the
//! account's units (creatives): their rates' spread, minus the part binomial noise
//! explains, gives the between-unit variance, hence the prior's strength κ = α + β. With
//! fewer than three units with data, or no spread beyond noise, the prior falls back to the
//! pooled rate with a typical spread (a coefficient of variation given by the caller, from
//! `shared/reference/ad-performance.md` and the simulator's calibration). κ is kept within
//! a quarter and four times that typical strength, and α ≥ 1.

/// A Beta prior on a rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BetaPrior {
    /// Prior successes.
    pub alpha: f64,
    /// Prior failures.
    pub beta: f64,
    /// Whether the method of moments fitted it (else the typical-spread fallback).
    pub fitted: bool,
}

impl BetaPrior {
    /// The prior from `(successes, trials)` per unit; units without trials are ignored.
    /// `default_mean` is used when there is no trial at all; `typical_cv` is the typical
    /// between-unit coefficient of variation (sd / mean) of the rate.
    pub fn fit(
        units: impl Iterator<Item = (f64, f64)> + Clone,
        default_mean: f64,
        typical_cv: f64,
    ) -> BetaPrior {
        let (mut successes, mut trials, mut n) = (0.0, 0.0, 0usize);
        let (mut sum_rate, mut sum_inverse_trials) = (0.0, 0.0);
        for (s, t) in units.clone().filter(|(_, t)| *t > 0.0) {
            successes += s;
            trials += t;
            n += 1;
            sum_rate += s / t;
            sum_inverse_trials += 1.0 / t;
        }
        let pooled = if trials > 0.0 {
            successes / trials
        } else {
            default_mean
        };
        let clamp_mean = |m: f64| m.clamp(1e-6, 1.0 - 1e-6);
        let typical = |m: f64| strength(m, typical_cv);
        let fallback =
            || BetaPrior::with_mean(clamp_mean(pooled), typical(clamp_mean(pooled)), false);
        if n < 3 {
            return fallback();
        }
        let mean = clamp_mean(sum_rate / n as f64);
        let spread = units
            .filter(|(_, t)| *t > 0.0)
            .map(|(s, t)| (s / t - mean).powi(2))
            .sum::<f64>()
            / (n - 1) as f64;
        let noise = mean * (1.0 - mean) * sum_inverse_trials / n as f64;
        let between = spread - noise;
        if between <= 0.0 || !between.is_finite() {
            return fallback();
        }
        let kappa = mean * (1.0 - mean) / between - 1.0;
        let usual = typical(mean);
        BetaPrior::with_mean(mean, kappa.clamp(usual / 4.0, usual * 4.0), true)
    }

    /// A prior of mean `mean` (clamped into (0, 1)) whose spread is `cv` (sd / mean).
    pub fn with_spread(mean: f64, cv: f64) -> BetaPrior {
        let mean = mean.clamp(1e-6, 1.0 - 1e-6);
        BetaPrior::with_mean(mean, strength(mean, cv), true)
    }

    /// A prior of mean `mean` and strength `kappa`, with α at least 1.
    fn with_mean(mean: f64, kappa: f64, fitted: bool) -> BetaPrior {
        let alpha = (mean * kappa).max(1.0);
        BetaPrior {
            alpha,
            beta: alpha * (1.0 - mean) / mean,
            fitted,
        }
    }

    /// The prior mean.
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// The spread of rates it expects between units: its sd over its mean.
    pub fn spread(&self) -> f64 {
        let (m, kappa) = (self.mean(), self.alpha + self.beta);
        (m * (1.0 - m) / (kappa + 1.0)).sqrt() / m
    }

    /// The posterior after `successes` in `trials` (trials may be fractional: lag-weighted).
    pub fn posterior(&self, successes: f64, trials: f64) -> Beta {
        Beta {
            a: self.alpha + successes,
            b: self.beta + (trials - successes).max(0.0),
        }
    }
}

/// The strength κ = α + β of a Beta prior of mean `mean` whose sd is `cv` × mean: the
/// Beta's variance m(1 − m)/(κ + 1) set to (cv · m)², at least 1.
fn strength(mean: f64, cv: f64) -> f64 {
    ((1.0 - mean) / (mean * cv * cv) - 1.0).max(1.0)
}

/// A Beta distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Beta {
    /// Successes (α).
    pub a: f64,
    /// Failures (β).
    pub b: f64,
}

impl Beta {
    /// The mean, a / (a + b).
    pub fn mean(&self) -> f64 {
        self.a / (self.a + self.b)
    }

    /// Its log as a normal with the exact mean and variance.
    pub fn log(&self) -> LogNormal {
        LogNormal {
            mu: digamma(self.a) - digamma(self.a + self.b),
            var: (trigamma(self.a) - trigamma(self.a + self.b)).max(0.0),
        }
    }
}

/// A Gamma distribution (shape, rate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Gamma {
    /// Shape.
    pub shape: f64,
    /// Rate.
    pub rate: f64,
}

impl Gamma {
    /// The mean, shape / rate.
    pub fn mean(&self) -> f64 {
        self.shape / self.rate
    }

    /// Its log as a normal with the exact mean and variance.
    pub fn log(&self) -> LogNormal {
        LogNormal {
            mu: digamma(self.shape) - self.rate.ln(),
            var: trigamma(self.shape),
        }
    }
}

/// A positive quantity whose log is Normal(mu, var).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LogNormal {
    /// Mean of the log.
    pub mu: f64,
    /// Variance of the log.
    pub var: f64,
}

/// The standard normal quantile of 95%: a 90% interval is ±this.
pub(crate) const Z90: f64 = 1.644_853_626_951_472_2;

impl LogNormal {
    /// The product with an independent log-normal quantity.
    pub fn times(self, other: LogNormal) -> LogNormal {
        LogNormal {
            mu: self.mu + other.mu,
            var: self.var + other.var,
        }
    }

    /// Scaled by a constant factor (> 0).
    pub fn scaled(self, factor: f64) -> LogNormal {
        LogNormal {
            mu: self.mu + factor.ln(),
            var: self.var,
        }
    }

    /// Standard deviation of the log.
    pub fn sd(&self) -> f64 {
        self.var.sqrt()
    }

    /// The 90% central interval.
    pub fn interval90(&self) -> (f64, f64) {
        let sd = self.sd();
        ((self.mu - Z90 * sd).exp(), (self.mu + Z90 * sd).exp())
    }

    /// P(self < other × factor), both independent.
    pub fn prob_below(&self, other: &LogNormal, factor: f64) -> f64 {
        let sd = (self.var + other.var).sqrt();
        let gap = other.mu + factor.ln() - self.mu;
        if sd == 0.0 {
            return if gap > 0.0 { 1.0 } else { 0.0 };
        }
        normal_cdf(gap / sd)
    }
}

/// The digamma function ψ(x), x > 0: recurrence up to 6, then the asymptotic series.
pub(crate) fn digamma(mut x: f64) -> f64 {
    let mut result = 0.0;
    while x < 6.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    result + x.ln()
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

/// The trigamma function ψ₁(x), x > 0: recurrence up to 6, then the asymptotic series.
pub(crate) fn trigamma(mut x: f64) -> f64 {
    let mut result = 0.0;
    while x < 6.0 {
        result += 1.0 / (x * x);
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    result
        + 1.0 / x
        + f / 2.0
        + f / x * (1.0 / 6.0 - f * (1.0 / 30.0 - f * (1.0 / 42.0 - f / 30.0)))
}

/// The standard normal distribution function Φ(x), via erfc (Numerical Recipes' `erfcc`,
/// fractional error below 1.2e-7).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    let z = (x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn special_functions_match_known_values() {
        // ψ(1) = −γ, ψ₁(1) = π²/6, ψ(0.5) = −γ − 2 ln 2, Φ(1.6449) = 0.95
        let gamma = 0.577_215_664_901_532_9;
        assert!(close(digamma(1.0), -gamma, 1e-10));
        assert!(close(digamma(0.5), -gamma - 2.0 * 2f64.ln(), 1e-10));
        assert!(close(digamma(1000.0), 6.907_255_195_648_812, 1e-10));
        assert!(close(
            trigamma(1.0),
            std::f64::consts::PI.powi(2) / 6.0,
            1e-9
        ));
        assert!(close(trigamma(50.0), 0.020_201_333_226_697_13, 1e-9));
        assert!(close(normal_cdf(Z90), 0.95, 1e-6));
        assert!(close(normal_cdf(0.0), 0.5, 1e-7));
        assert!(close(normal_cdf(-3.0), 0.001_349_898, 1e-7));
    }

    #[test]
    fn the_log_normal_keeps_a_betas_interval() {
        // GIVEN Beta(30, 5970): a CTR of 0.5% from 6,000 impressions
        let beta = Beta { a: 30.0, b: 5970.0 };
        // WHEN approximated
        let (low, high) = beta.log().interval90();
        // THEN its 90% interval is within 0.01 percentage points of the Beta's
        // (0.360%–0.658%, by sampling)
        assert!(close(low, 0.003_60, 0.000_1), "{low}");
        assert!(close(high, 0.006_58, 0.000_1), "{high}");
    }

    #[test]
    fn the_prior_is_fitted_from_the_spread_beyond_noise() {
        // GIVEN creatives with CTRs 0.3%–0.9% over 100,000 impressions each
        let units = [(300.0, 1e5), (500.0, 1e5), (700.0, 1e5), (900.0, 1e5)];
        // WHEN the prior is fitted
        let prior = BetaPrior::fit(units.iter().copied(), 0.005, 0.3);
        // THEN its mean is the creatives' and its strength reflects their real spread
        assert!(prior.fitted);
        assert!(close(prior.mean(), 0.006, 1e-9));
        let sd = (prior.mean() * (1.0 - prior.mean()) / (prior.alpha + prior.beta + 1.0)).sqrt();
        assert!(close(sd, 0.002_58, 0.000_2), "{sd}");
    }

    #[test]
    fn too_few_creatives_or_no_spread_fall_back_to_the_typical_spread() {
        // GIVEN two creatives, then four equal ones
        let two = BetaPrior::fit([(10.0, 2000.0), (20.0, 2000.0)].into_iter(), 0.005, 0.3);
        let equal = BetaPrior::fit([(10.0, 2000.0); 4].into_iter(), 0.005, 0.3);
        let none = BetaPrior::fit(std::iter::empty(), 0.05, 0.25);
        // THEN each is the pooled mean with the typical strength, α ≥ 1
        for prior in [two, equal] {
            assert!(!prior.fitted);
            assert!(close(
                prior.mean(),
                if prior == two { 0.0075 } else { 0.005 },
                1e-9
            ));
        }
        assert!(close(none.mean(), 0.05, 1e-9));
        let cv = (none.beta / (none.alpha * (none.alpha + none.beta + 1.0))).sqrt();
        assert!(close(cv, 0.25, 0.001), "{cv}");
        assert!(none.alpha >= 1.0);
    }

    #[test]
    fn probability_below_is_symmetric() {
        let a = LogNormal { mu: 0.0, var: 0.04 };
        let b = LogNormal { mu: 0.1, var: 0.05 };
        assert!(close(
            a.prob_below(&b, 1.0) + b.prob_below(&a, 1.0),
            1.0,
            1e-7
        ));
        assert!(a.prob_below(&b, 1.0) > 0.5);
    }
}
