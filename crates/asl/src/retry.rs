//! `Retry` and `Catch`: retriers with their backoff, catchers, and the rules on
//! `ErrorEquals`.
//!
//! Source: "Handling errors in Step Functions workflows"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>). The
//! first retrier whose `ErrorEquals` matches decides, and each retrier counts its own
//! attempts: once it is exhausted the error goes to `Catch`, not to a later retrier. The wait
//! before retry `n` (from 0) is `IntervalSeconds × BackoffRate^n`, capped by `MaxDelaySeconds`;
//! `JitterStrategy: FULL` draws it uniformly from `[0, that]`.

use std::time::Duration;

use rand::RngExt as _;
use serde::Deserialize;

use crate::errors;
use crate::paths::{NullablePath, ResultPath};

/// One element of `Retry`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(crate) struct RawRetrier {
    error_equals: Vec<String>,
    interval_seconds: Option<u64>,
    max_attempts: Option<u64>,
    backoff_rate: Option<f64>,
    max_delay_seconds: Option<u64>,
    jitter_strategy: Option<Jitter>,
    #[allow(dead_code)]
    comment: Option<String>,
}

/// One element of `Catch`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(crate) struct RawCatcher {
    error_equals: Vec<String>,
    next: String,
    #[serde(default)]
    result_path: NullablePath,
    #[allow(dead_code)]
    comment: Option<String>,
}

/// `JitterStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum Jitter {
    Full,
    None,
}

/// A retry policy for some errors.
#[derive(Debug, Clone)]
pub(crate) struct Retrier {
    pub error_equals: Vec<String>,
    interval_seconds: u64,
    max_attempts: u64,
    backoff_rate: f64,
    max_delay_seconds: Option<u64>,
    jitter: Jitter,
}

/// A fallback transition for some errors.
#[derive(Debug, Clone)]
pub(crate) struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: ResultPath,
}

/// "IntervalSeconds has a maximum value of 99999999", as has MaxAttempts.
const MAX_FIELD: u64 = 99_999_999;
/// MaxDelaySeconds must be below 31622401 (a year and a day).
const MAX_DELAY_LIMIT: u64 = 31_622_400;

impl Retrier {
    /// Checks a retrier's fields and applies the defaults (1 s, 3 attempts, rate 2.0).
    pub fn from_raw(raw: RawRetrier, location: &str) -> Result<Retrier, String> {
        let interval_seconds = raw.interval_seconds.unwrap_or(1);
        if !(1..=MAX_FIELD).contains(&interval_seconds) {
            return Err(format!(
                "{location}.IntervalSeconds must be a positive integer up to {MAX_FIELD}"
            ));
        }
        let max_attempts = raw.max_attempts.unwrap_or(3);
        if max_attempts > MAX_FIELD {
            return Err(format!(
                "{location}.MaxAttempts must be at most {MAX_FIELD}"
            ));
        }
        let backoff_rate = raw.backoff_rate.unwrap_or(2.0);
        if !(backoff_rate.is_finite() && backoff_rate >= 1.0) {
            return Err(format!(
                "{location}.BackoffRate must be a number of at least 1.0"
            ));
        }
        if let Some(max_delay) = raw.max_delay_seconds
            && !(1..=MAX_DELAY_LIMIT).contains(&max_delay)
        {
            return Err(format!(
                "{location}.MaxDelaySeconds must be a positive integer up to {MAX_DELAY_LIMIT}"
            ));
        }
        Ok(Retrier {
            error_equals: raw.error_equals,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds: raw.max_delay_seconds,
            jitter: raw.jitter_strategy.unwrap_or(Jitter::None),
        })
    }

    /// The wait before retry number `attempt` (0 for the first retry), before jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let seconds = self.interval_seconds as f64 * self.backoff_rate.powi(attempt as i32);
        let capped = match self.max_delay_seconds {
            Some(max) => seconds.min(max as f64),
            None => seconds,
        };
        Duration::from_secs_f64(capped.min(MAX_DELAY_LIMIT as f64))
    }
}

impl Catcher {
    /// Checks a catcher's fields.
    pub fn from_raw(raw: RawCatcher, location: &str) -> Result<Catcher, String> {
        let result_path = ResultPath::from_field(&raw.result_path)
            .map_err(|why| format!("{location}.ResultPath: {why}"))?;
        Ok(Catcher {
            error_equals: raw.error_equals,
            next: raw.next,
            result_path,
        })
    }
}

/// Checks the `ErrorEquals` lists of a `Retry` or `Catch` array: each non-empty, and
/// `States.ALL` alone in the last element ("It must appear alone in the ErrorEquals array and
/// must appear in the last retrier in the Retry array"; likewise for catchers).
pub(crate) fn check_error_equals<'a>(
    lists: impl ExactSizeIterator<Item = &'a Vec<String>>,
    field: &str,
) -> Result<(), String> {
    let count = lists.len();
    for (i, list) in lists.enumerate() {
        if list.is_empty() {
            return Err(format!("{field}[{i}].ErrorEquals must not be empty"));
        }
        if list.iter().any(|name| name == errors::ALL) {
            if list.len() > 1 {
                return Err(format!(
                    "{field}[{i}].ErrorEquals: States.ALL must appear alone"
                ));
            }
            if i + 1 != count {
                return Err(format!(
                    "{field}[{i}].ErrorEquals: States.ALL must be in the last element of {field}"
                ));
            }
        }
    }
    Ok(())
}

/// Decides whether an error is retried: the first matching retrier, if it has attempts
/// left, gives the wait and counts the attempt in `attempts` (one counter per retrier).
pub(crate) fn next_retry(
    retriers: &[Retrier],
    attempts: &mut Vec<u32>,
    error: &str,
    rng: &mut impl rand::Rng,
) -> Option<Duration> {
    if errors::is_terminal(error) {
        return None;
    }
    attempts.resize(retriers.len(), 0);
    let index = retriers
        .iter()
        .position(|retrier| errors::any_matches(&retrier.error_equals, error))?;
    let retrier = &retriers[index];
    let attempt = attempts[index];
    if u64::from(attempt) >= retrier.max_attempts {
        return None;
    }
    attempts[index] += 1;
    let delay = retrier.backoff(attempt);
    Some(match retrier.jitter {
        Jitter::None => delay,
        Jitter::Full => Duration::from_secs_f64(rng.random_range(0.0..=delay.as_secs_f64())),
    })
}

/// The first catcher whose `ErrorEquals` matches.
pub(crate) fn find_catcher<'c>(catchers: &'c [Catcher], error: &str) -> Option<&'c Catcher> {
    catchers
        .iter()
        .find(|catcher| errors::any_matches(&catcher.error_equals, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;
    use serde_json::json;

    fn retriers(value: serde_json::Value) -> Vec<Retrier> {
        let raw: Vec<RawRetrier> = serde_json::from_value(value).expect("valid retriers");
        raw.into_iter()
            .enumerate()
            .map(|(i, r)| Retrier::from_raw(r, &format!("Retry[{i}]")).expect("valid"))
            .collect()
    }

    fn waits(retriers: &[Retrier], errors: &[&str]) -> Vec<Option<f64>> {
        let mut attempts = Vec::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        errors
            .iter()
            .map(|error| {
                next_retry(retriers, &mut attempts, error, &mut rng).map(|d| d.as_secs_f64())
            })
            .collect()
    }

    #[test]
    fn the_documented_retrier_waits_3_then_4_5_seconds() {
        // GIVEN "This example of a Retry makes 2 retry attempts after waiting for 3 and 4.5
        // seconds" (concepts-error-handling.html)
        let r = retriers(json!([{
            "ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1.5
        }]));
        // WHEN the task times out three times
        // THEN it waits 3 s, then 4.5 s, then gives up
        assert_eq!(
            waits(&r, &["States.Timeout", "States.Timeout", "States.Timeout"]),
            vec![Some(3.0), Some(4.5), None]
        );
    }

    #[test]
    fn defaults_are_one_second_rate_two_and_three_attempts() {
        let r = retriers(json!([{"ErrorEquals": ["States.ALL"]}]));
        assert_eq!(
            waits(&r, &["E", "E", "E", "E"]),
            vec![Some(1.0), Some(2.0), Some(4.0), None]
        );
    }

    #[test]
    fn max_attempts_zero_never_retries_and_the_later_all_retrier_is_not_used() {
        // GIVEN the page's "retries any error except States.Timeout" example
        let r = retriers(json!([
            {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0},
            {"ErrorEquals": ["States.ALL"]}
        ]));
        // THEN a timeout is not retried, anything else is
        assert_eq!(waits(&r, &["States.Timeout"]), vec![None]);
        assert_eq!(waits(&r, &["Boom"]), vec![Some(1.0)]);
    }

    #[test]
    fn each_retrier_counts_its_own_attempts() {
        // GIVEN the "Complex retry scenarios" example: ErrorA, ErrorB, ErrorC, ErrorB
        let r = retriers(json!([
            {"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2},
            {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}
        ]));
        // THEN waits of 1 and 2 s, then 5 s, then the first retrier is exhausted (its
        // MaxAttempts of two retries is used) and the error goes on to Catch
        assert_eq!(
            waits(&r, &["ErrorA", "ErrorB", "ErrorC", "ErrorB"]),
            vec![Some(1.0), Some(2.0), Some(5.0), None]
        );
    }

    #[test]
    fn max_delay_seconds_caps_the_backoff() {
        let r = retriers(json!([{
            "ErrorEquals": ["E"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 5, "MaxDelaySeconds": 10
        }]));
        assert_eq!(
            waits(&r, &["E", "E", "E", "E", "E", "E"]),
            vec![
                Some(3.0),
                Some(6.0),
                Some(10.0),
                Some(10.0),
                Some(10.0),
                None
            ]
        );
    }

    #[test]
    fn full_jitter_waits_between_zero_and_the_backoff() {
        let r = retriers(json!([{
            "ErrorEquals": ["E"], "IntervalSeconds": 8, "MaxAttempts": 99, "JitterStrategy": "FULL"
        }]));
        let mut attempts = Vec::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..10 {
            let wait = next_retry(&r, &mut attempts, "E", &mut rng).expect("retried");
            assert!(wait <= r[0].backoff(attempt));
        }
    }

    #[test]
    fn runtime_errors_are_never_retried() {
        let r = retriers(json!([{"ErrorEquals": ["States.ALL"]}]));
        assert_eq!(waits(&r, &["States.Runtime"]), vec![None]);
    }

    #[test]
    fn error_equals_rules_are_enforced() {
        let check = |lists: Vec<Vec<String>>| check_error_equals(lists.iter(), "Catch");
        let s = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(check(vec![s(&["A"]), s(&["States.ALL"])]).is_ok());
        assert!(
            check(vec![s(&["States.ALL"]), s(&["A"])])
                .unwrap_err()
                .contains("last element")
        );
        assert!(
            check(vec![s(&["States.ALL", "A"])])
                .unwrap_err()
                .contains("alone")
        );
        assert!(
            check(vec![s(&[])])
                .unwrap_err()
                .contains("must not be empty")
        );
    }

    #[test]
    fn retrier_fields_are_range_checked() {
        let bad = |v: serde_json::Value| {
            let raw: RawRetrier = serde_json::from_value(v).expect("shape");
            Retrier::from_raw(raw, "Retry[0]").unwrap_err()
        };
        assert!(bad(json!({"ErrorEquals": ["E"], "BackoffRate": 0.5})).contains("BackoffRate"));
        assert!(
            bad(json!({"ErrorEquals": ["E"], "IntervalSeconds": 0})).contains("IntervalSeconds")
        );
        assert!(
            bad(json!({"ErrorEquals": ["E"], "MaxDelaySeconds": 0})).contains("MaxDelaySeconds")
        );
    }

    #[test]
    fn the_first_matching_catcher_wins() {
        let catchers = vec![
            Catcher {
                error_equals: vec!["java.lang.Exception".into()],
                next: "RecoveryState".into(),
                result_path: ResultPath::Replace,
            },
            Catcher {
                error_equals: vec!["States.ALL".into()],
                next: "EndState".into(),
                result_path: ResultPath::Replace,
            },
        ];
        assert_eq!(
            find_catcher(&catchers, "java.lang.Exception").map(|c| c.next.as_str()),
            Some("RecoveryState")
        );
        assert_eq!(
            find_catcher(&catchers, "Other").map(|c| c.next.as_str()),
            Some("EndState")
        );
        assert!(find_catcher(&catchers, "States.Runtime").is_none());
    }
}
