//! Rate limits: the application's daily call quota and analytics' metric-values throttle.
//!
//! LinkedIn counts calls per application per day and resets at midnight UTC
//! (learn.microsoft.com/linkedin/shared/api-guide/concepts/rate-limits); here the day is the
//! virtual clock's. The analytics data-volume throttle counts metric values (returned
//! elements × requested metric fields) in a sliding window of real time (5 minutes at
//! LinkedIn; configurable so tests need not wait). A request that would push the window over
//! the limit is refused and not counted.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::admin_types::Limits;
use crate::errors::ApiError;

/// Counters for both limits.
#[derive(Debug, Clone, Default)]
pub struct Quota {
    day: Option<NaiveDate>,
    calls: u64,
    window: VecDeque<(Instant, u64)>,
}

impl Quota {
    /// Counts one call on `today`, or refuses it when the day's quota is spent.
    pub fn take_call(&mut self, today: NaiveDate, limits: &Limits) -> Result<(), ApiError> {
        if self.day != Some(today) {
            self.day = Some(today);
            self.calls = 0;
        }
        if self.calls >= limits.daily_app_quota {
            return Err(ApiError::app_day_throttle());
        }
        self.calls += 1;
        Ok(())
    }

    /// Admits `values` metric values now, or refuses them with LinkedIn's throttle message.
    pub fn take_metric_values(&mut self, values: u64, limits: &Limits) -> Result<(), ApiError> {
        let now = Instant::now();
        let window = Duration::from_secs(limits.metric_window_secs);
        while self
            .window
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) >= window)
        {
            self.window.pop_front();
        }
        let used: u64 = self.window.iter().map(|(_, n)| n).sum();
        if used + values > limits.metric_values_per_5min {
            return Err(ApiError::metric_throttle(limits.metric_values_per_5min));
        }
        self.window.push_back((now, values));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_quota_resets_when_the_virtual_day_changes() {
        let limits = Limits {
            daily_app_quota: 2,
            ..Limits::default()
        };
        let mut q = Quota::default();
        let d1 = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert!(q.take_call(d1, &limits).is_ok() && q.take_call(d1, &limits).is_ok());
        assert_eq!(
            q.take_call(d1, &limits).unwrap_err().service_error_code,
            101
        );
        assert!(q.take_call(d1.succ_opt().unwrap(), &limits).is_ok());
    }

    #[test]
    fn metric_values_over_the_window_limit_are_refused_with_the_limit_in_the_message() {
        let limits = Limits {
            metric_values_per_5min: 100,
            ..Limits::default()
        };
        let mut q = Quota::default();
        assert!(q.take_metric_values(60, &limits).is_ok());
        let err = q.take_metric_values(41, &limits).unwrap_err();
        assert_eq!(err.status, 429);
        assert!(err.message.contains("More than 100 metric values"));
        assert!(q.take_metric_values(40, &limits).is_ok());
    }
}
