//! The `States.*` error names and how `ErrorEquals` matches them.
//!
//! Source: AWS Step Functions developer guide, "Handling errors in Step Functions workflows"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).

use serde::{Deserialize, Serialize};

/// Wildcard matching any error name except [`RUNTIME`] and [`DATA_LIMIT_EXCEEDED`]; it must
/// appear alone and in the last retrier or catcher.
pub const ALL: &str = "States.ALL";
/// A Task failed; as a matcher, any error except [`TIMEOUT`] (and the uncatchable ones).
pub const TASK_FAILED: &str = "States.TaskFailed";
/// A Task ran longer than `TimeoutSeconds`, or the execution ran longer than its own
/// `TimeoutSeconds`.
pub const TIMEOUT: &str = "States.Timeout";
/// A Task sent no heartbeat for longer than `HeartbeatSeconds`; [`TIMEOUT`] matches it too.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// An execution-level failure no `Retry` or `Catch` can handle, not even `States.ALL` — for
/// instance a path that matches nothing.
pub const RUNTIME: &str = "States.Runtime";
/// A Choice state matched no rule and has no `Default`.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// An intrinsic function was called with arguments it cannot use.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// A state's `ResultPath` cannot be applied to the input it received.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// A payload exceeded a size quota; terminal, like [`RUNTIME`] (never raised locally).
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
/// A branch of a Parallel state failed (reserved; the branch's own error is reported).
pub const BRANCH_FAILED: &str = "States.BranchFailed";

/// Whether an error bypasses every `Retry` and `Catch` and fails the execution.
///
/// "A States.Runtime error is not retriable, and will always cause the execution to fail. A
/// retry or catch on States.ALL will not catch States.Runtime errors."
pub fn is_terminal(error: &str) -> bool {
    error == RUNTIME || error == DATA_LIMIT_EXCEEDED
}

/// Whether one `ErrorEquals` entry matches an error name.
pub fn matches(pattern: &str, error: &str) -> bool {
    if is_terminal(error) {
        return false;
    }
    match pattern {
        ALL => true,
        // "States.TaskFailed ... matches any error name except for States.Timeout".
        TASK_FAILED => !is_timeout(error),
        // States.Timeout also covers a missed heartbeat ("A Task state either ran longer
        // than the TimeoutSeconds value, or failed to send a heartbeat ...").
        TIMEOUT => is_timeout(error),
        _ => pattern == error,
    }
}

/// Whether any entry of an `ErrorEquals` list matches an error name.
pub fn any_matches(error_equals: &[String], error: &str) -> bool {
    error_equals.iter().any(|pattern| matches(pattern, error))
}

fn is_timeout(error: &str) -> bool {
    error == TIMEOUT || error == HEARTBEAT_TIMEOUT
}

/// An error raised inside an execution: its name (matched by `ErrorEquals`) and cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The error name, e.g. `States.Timeout` or `LinkedIn.RateLimited`; empty when a Fail
    /// state gave none.
    pub error: String,
    /// A human-readable cause; empty when none was given.
    pub cause: String,
}

impl Failure {
    /// A failure with the given name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` failure.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Failure::new(RUNTIME, cause)
    }

    /// Whether no `Retry` or `Catch` may handle this failure.
    pub fn is_terminal(&self) -> bool {
        is_terminal(&self.error)
    }

    /// The error output a catcher hands on: `{"Error": ..., "Cause": ...}`.
    pub fn error_output(&self) -> serde_json::Value {
        serde_json::json!({ "Error": self.error, "Cause": self.cause })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_all_matches_any_error_but_runtime() {
        // GIVEN the wildcard
        // WHEN matched against task errors and States.Runtime
        // THEN it catches the former only (concepts-error-handling, "States.Runtime").
        assert!(matches(ALL, "LinkedIn.RateLimited"));
        assert!(matches(ALL, TIMEOUT));
        assert!(!matches(ALL, RUNTIME));
        assert!(!matches(ALL, DATA_LIMIT_EXCEEDED));
    }

    #[test]
    fn task_failed_matches_everything_except_timeouts() {
        // GIVEN States.TaskFailed as a matcher
        // WHEN matched against a custom error and the two timeouts
        // THEN it takes the custom error and leaves the timeouts.
        assert!(matches(TASK_FAILED, "Lambda.Unknown"));
        assert!(!matches(TASK_FAILED, TIMEOUT));
        assert!(!matches(TASK_FAILED, HEARTBEAT_TIMEOUT));
        assert!(!matches(TASK_FAILED, RUNTIME));
    }

    #[test]
    fn timeout_matches_a_missed_heartbeat() {
        assert!(matches(TIMEOUT, HEARTBEAT_TIMEOUT));
        assert!(matches(HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT));
        assert!(!matches(HEARTBEAT_TIMEOUT, TIMEOUT));
    }

    #[test]
    fn names_match_exactly_and_case_sensitively() {
        assert!(matches("ErrorA", "ErrorA"));
        assert!(!matches("errora", "ErrorA"));
    }

    #[test]
    fn runtime_is_not_matched_even_by_its_own_name() {
        // "A States.Runtime error is not retriable, and will always cause the execution to fail."
        assert!(!matches(RUNTIME, RUNTIME));
    }
}
