//! Which creative of a campaign is best: a seeded Monte Carlo over the creatives' posterior
//! values (conversions per dollar, log-normal; see [`crate::posterior`]).
//!
//! Each draw samples every creative's value once; over the draws it counts, per creative,
//! how often it is the best (P(best)), its expected loss relative to the best
//! (E[1 − value / best value], a share), and how often it is worse than the best *other*
//! creative by the pause margin (P(worse)). A challenger is an extra sample of one
//! creative judged on other data (its recent days, for fatigue), compared with the best of
//! the others but not competing itself.
//!
//! The generator is SplitMix64 with Marsaglia's polar normals, in antithetic pairs, seeded from account, day and
//! campaign: the same input gives the same decision on any machine and with any version of
//! the `rand` crates, whose generators do not promise a stable stream.

use crate::posterior::LogNormal;

/// Where one creative stands among its campaign's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Standing {
    /// P(it is the best).
    pub prob_best: f64,
    /// E[1 − its value / the best value]: the share of conversions per dollar it loses.
    pub expected_loss: f64,
    /// P(its value < the best other's × (1 − margin)).
    pub prob_worse: f64,
}

/// The standings of `arms` and, for each challenger `(arm, value)`, P(value < the best of the
/// other arms × (1 − margin)); `draws` samples seeded by `seed`.
pub(crate) fn compare(
    arms: &[LogNormal],
    challengers: &[(usize, LogNormal)],
    draws: u32,
    margin: f64,
    seed: u64,
) -> (Vec<Standing>, Vec<f64>) {
    let n = arms.len();
    if n == 0 || draws == 0 {
        return (vec![Standing::default(); n], vec![0.0; challengers.len()]);
    }
    // Arms then challengers in flat arrays; `owner` is the arm each row stands for. Plain
    // `while` loops over indices: this runs draws × rows times, and debug builds (tests, the
    // benchmark) do not inline iterators.
    let rows = n + challengers.len();
    let mut mean = Vec::with_capacity(rows);
    let mut sd = Vec::with_capacity(rows);
    let mut owner = Vec::with_capacity(rows);
    for (i, arm) in arms.iter().enumerate() {
        mean.push(arm.mu);
        sd.push(arm.sd());
        owner.push(i);
    }
    for (arm, value) in challengers {
        mean.push(value.mu);
        sd.push(value.sd());
        owner.push(*arm);
    }
    let log_keep = (1.0 - margin).ln();
    let mut normals = Normals::new(seed);
    let (mut z, mut x) = (vec![0.0; rows], vec![0.0; rows]);
    let (mut wins, mut kept, mut worse) = (vec![0u32; n], vec![0.0; n], vec![0u32; rows]);
    let mut draw = 0;
    while draw < draws {
        // Antithetic pairs: each vector of normals is used as drawn and negated, which
        // halves the normals needed and lowers the estimates' variance.
        let sign = if draw % 2 == 0 {
            normals.fill(&mut z);
            1.0
        } else {
            -1.0
        };
        // The arms' values and the best two of them.
        let (mut best, mut first, mut second) = (0, f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut i = 0;
        while i < rows {
            let value = mean[i] + sign * sd[i] * z[i];
            x[i] = value;
            if i < n {
                if value > first {
                    second = first;
                    first = value;
                    best = i;
                } else if value > second {
                    second = value;
                }
            }
            i += 1;
        }
        wins[best] += 1;
        i = 0;
        while i < rows {
            let value = x[i];
            if i < n {
                kept[i] += (value - first).exp();
            }
            let others = if owner[i] == best { second } else { first };
            if value < others + log_keep {
                worse[i] += 1;
            }
            i += 1;
        }
        draw += 1;
    }
    let scale = 1.0 / f64::from(draws);
    let standings = (0..n)
        .map(|i| Standing {
            prob_best: f64::from(wins[i]) * scale,
            expected_loss: 1.0 - kept[i] * scale,
            prob_worse: f64::from(worse[i]) * scale,
        })
        .collect();
    let challenged = worse[n..].iter().map(|w| f64::from(*w) * scale).collect();
    (standings, challenged)
}

/// A seed from the parts that make a decision unique (account, day, campaign).
pub(crate) fn seed(parts: &[u64]) -> u64 {
    let mut state = 0x5eed_dec1_de00_0000_u64;
    for part in parts {
        state = SplitMix64(state ^ part).next_u64();
    }
    state
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and its output is fixed by its
/// definition.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1), never 0.
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }
}

/// Standard normals by Marsaglia's polar method, two per accepted pair of uniforms.
struct Normals {
    rng: SplitMix64,
}

impl Normals {
    fn new(seed: u64) -> Normals {
        Normals {
            rng: SplitMix64(seed),
        }
    }

    /// Fills `out` with independent standard normals.
    fn fill(&mut self, out: &mut [f64]) {
        let mut i = 0;
        while i < out.len() {
            let (a, b) = self.pair();
            out[i] = a;
            if i + 1 < out.len() {
                out[i + 1] = b;
            }
            i += 2;
        }
    }

    fn pair(&mut self) -> (f64, f64) {
        loop {
            let u = 2.0 * self.rng.uniform() - 1.0;
            let v = 2.0 * self.rng.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * s.ln() / s).sqrt();
                return (u * factor, v * factor);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(mu: f64, sd: f64) -> LogNormal {
        LogNormal { mu, var: sd * sd }
    }

    #[test]
    fn normals_have_mean_zero_and_variance_one() {
        let mut draws = vec![0.0; 100_001];
        Normals::new(7).fill(&mut draws);
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.01, "{var}");
    }

    #[test]
    fn a_clear_loser_is_worse_and_equal_arms_share_the_lead() {
        // GIVEN one arm 50% below two equal ones, all fairly certain
        let arms = [arm(0.0, 0.05), arm(0.0, 0.05), arm(-0.7, 0.05)];
        // WHEN compared
        let (standings, _) = compare(&arms, &[], 4000, 0.1, seed(&[1, 2, 3]));
        // THEN the loser is surely worse, the equals split P(best) and are rarely 10% worse
        // than each other (a difference of sd 0.07 below ln 0.9: 7%)
        assert!(standings[2].prob_worse > 0.999);
        assert!((standings[2].expected_loss - 0.52).abs() < 0.03);
        assert!((standings[0].prob_best - 0.5).abs() < 0.05);
        assert!((standings[0].prob_worse - 0.067).abs() < 0.02);
        assert!((standings.iter().map(|s| s.prob_best).sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_same_seed_gives_the_same_standings() {
        let arms = [arm(0.0, 0.3), arm(0.1, 0.3)];
        let challengers = [(0, arm(-0.5, 0.3))];
        let first = compare(&arms, &challengers, 1000, 0.1, seed(&[9]));
        assert_eq!(first, compare(&arms, &challengers, 1000, 0.1, seed(&[9])));
        assert_ne!(first, compare(&arms, &challengers, 1000, 0.1, seed(&[10])));
        assert!(first.1[0] > 0.8, "{:?}", first.1);
    }
}
