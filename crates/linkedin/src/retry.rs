//! When to try a request again, and how long to wait first.
//!
//! Throttles (429), LinkedIn failures (5xx) and network errors are retried with exponential
//! backoff and full jitter (a uniformly random wait between zero and
//! `min(max_delay, base_delay × 2^retry)`, as in AWS's "Exponential Backoff and Jitter"), so
//! many clients hitting the same limit spread out. A `Retry-After` in seconds, when LinkedIn
//! sends one, is honoured instead. The analytics data-volume throttle (45 million metric
//! values per 5 minutes) only clears when its window has passed, so it waits
//! `data_volume_wait` (330 s by default, as Airbyte's source-linkedin-ads does).
//!
//! Which requests may be retried at all is the transport's decision: reads and `$set` partial
//! updates always; creates only when the request cannot have reached LinkedIn.

use std::time::Duration;

/// The retry budget and delays. Every delay is configurable so tests run in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; `0` surfaces the first failure.
    pub max_retries: u32,
    /// The backoff ceiling of the first retry.
    pub base_delay: Duration,
    /// The largest backoff ceiling, however many retries.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    pub max_retry_after: Duration,
    /// The wait after the analytics data-volume throttle.
    pub data_volume_wait: Duration,
}

impl Default for RetryPolicy {
    /// 5 retries, backoff from 1 s up to 60 s, `Retry-After` honoured up to 10 minutes,
    /// 330 s after the data-volume throttle.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(600),
            data_volume_wait: Duration::from_secs(330),
        }
    }
}

impl RetryPolicy {
    /// No retries: the first failure surfaces.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The default budget with every wait in milliseconds, for tests against a simulator.
    pub fn quick() -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(10),
            max_retry_after: Duration::from_millis(10),
            data_volume_wait: Duration::from_millis(10),
        }
    }

    /// The backoff ceiling before retry number `retry` (0 for the first retry):
    /// `min(max_delay, base_delay × 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// How long to wait before retry number `retry` (0 for the first retry).
    ///
    /// `jitter` is a uniform draw from `[0, 1)`; it picks the full-jitter wait inside the
    /// ceiling. `retry_after` is LinkedIn's `Retry-After`, if any, and `data_volume` says the
    /// failure was the analytics data-volume throttle.
    pub fn delay(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        data_volume: bool,
        jitter: f64,
    ) -> Duration {
        let asked = retry_after.map(|d| d.min(self.max_retry_after));
        if data_volume {
            return asked.map_or(self.data_volume_wait, |d| d.max(self.data_volume_wait));
        }
        if let Some(asked) = asked {
            return asked;
        }
        self.ceiling(retry).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_the_doubling_ceiling() {
        // GIVEN the default policy
        let policy = RetryPolicy::default();
        for retry in 0..10 {
            let ceiling = policy.ceiling(retry);
            // THEN the ceiling doubles from 1 s and stops at 60 s
            assert_eq!(
                ceiling,
                Duration::from_secs((1u64 << retry).min(60)),
                "retry {retry}"
            );
            // AND any jitter draw lands between zero and the ceiling
            for jitter in [0.0, 0.25, 0.5, 0.999] {
                let delay = policy.delay(retry, None, false, jitter);
                assert!(delay <= ceiling, "retry {retry} jitter {jitter}");
            }
        }
        assert_eq!(policy.delay(3, None, false, 0.0), Duration::ZERO);
        assert_eq!(policy.delay(3, None, false, 0.5), Duration::from_secs(4));
    }

    #[test]
    fn honours_retry_after_up_to_its_cap() {
        let policy = RetryPolicy::default();
        // GIVEN LinkedIn asks for 7 s, then for an hour
        // THEN 7 s is waited exactly, jitter or not; the hour is cut to 10 minutes
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(7)), false, 0.9),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3_600)), false, 0.1),
            Duration::from_secs(600)
        );
    }

    #[test]
    fn waits_long_after_the_data_volume_throttle() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, None, true, 0.0), Duration::from_secs(330));
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(400)), true, 0.0),
            Duration::from_secs(400)
        );
    }

    #[test]
    fn huge_retry_counts_do_not_overflow() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.ceiling(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn quick_policy_keeps_every_wait_in_milliseconds() {
        let policy = RetryPolicy::quick();
        assert!(policy.delay(30, None, true, 0.99) <= Duration::from_millis(10));
        assert!(
            policy.delay(30, Some(Duration::from_secs(60)), false, 0.5)
                <= Duration::from_millis(10)
        );
    }
}
