//! Fault injection: failures a client must survive, drawn reproducibly.
//!
//! `fail_next` statuses are served first, one per request, in order — the deterministic way
//! to test a retry. Then, with probabilities `rate_429` and `rate_5xx`, a request fails with
//! LinkedIn's throttle body or with 500/503/504. The generator is seeded from the scenario
//! seed and advanced once per request that reaches fault injection, so the same requests in
//! the same order fail the same way. Token faults (`revoke_tokens`,
//! `expire_access_token_in_days`) act on the token store when the faults are set.

use rand::RngExt;
use rand::rngs::StdRng;

use crate::admin_types::Faults;
use crate::errors::ApiError;
use crate::randomness::{self, Stream};

/// The configured faults and their generator.
#[derive(Debug)]
pub struct FaultState {
    /// The configuration as last set.
    pub faults: Faults,
    rng: StdRng,
}

impl FaultState {
    /// No faults, with a generator seeded from `seed`.
    pub fn new(seed: u64) -> Self {
        FaultState {
            faults: Faults::default(),
            rng: randomness::rng(seed, Stream::Faults, 0, 0),
        }
    }

    /// Replaces the configuration (the generator keeps its position).
    pub fn set(&mut self, faults: Faults) {
        self.faults = faults;
    }

    /// The failure this request gets, if any.
    pub fn draw(&mut self) -> Option<ApiError> {
        if !self.faults.fail_next.is_empty() {
            let status = self.faults.fail_next.remove(0);
            return Some(self.with_retry_after(ApiError::for_status(status)));
        }
        let (r429, r5xx) = (self.faults.rate_429, self.faults.rate_5xx);
        if r429 <= 0.0 && r5xx <= 0.0 {
            return None;
        }
        let x: f64 = self.rng.random();
        if x < r429 {
            return Some(self.with_retry_after(ApiError::app_day_throttle()));
        }
        if x < r429 + r5xx {
            let status = [500, 503, 504][self.rng.random_range(0..3)];
            return Some(ApiError::for_status(status));
        }
        None
    }

    fn with_retry_after(&self, mut error: ApiError) -> ApiError {
        if error.status == 429 {
            error.retry_after_secs = self.faults.retry_after_secs;
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_next_is_served_in_order_then_rates_apply_reproducibly() {
        // GIVEN two queued failures and a 50% 5xx rate
        let faults = Faults {
            fail_next: vec![503, 429],
            rate_5xx: 0.5,
            retry_after_secs: Some(7),
            ..Faults::default()
        };
        let mut a = FaultState::new(3);
        a.set(faults.clone());
        // THEN the queue comes first, 429 with Retry-After
        assert_eq!(a.draw().map(|e| e.status), Some(503));
        let throttled = a.draw().unwrap();
        assert_eq!(
            (throttled.status, throttled.retry_after_secs),
            (429, Some(7))
        );
        // AND the random part repeats for the same seed
        let mut b = FaultState::new(3);
        b.set(Faults {
            fail_next: vec![],
            ..faults
        });
        let seq_a: Vec<_> = (0..50).map(|_| a.draw().map(|e| e.status)).collect();
        let seq_b: Vec<_> = (0..50).map(|_| b.draw().map(|e| e.status)).collect();
        assert_eq!(seq_a, seq_b);
        assert!(seq_a.iter().any(Option::is_some) && seq_a.iter().any(Option::is_none));
    }
}
