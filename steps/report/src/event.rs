//! What the report function is invoked with: the state machines' [`Input`], or EventBridge's
//! "Step Functions Execution Status Change" event of an execution that ended `FAILED`,
//! `TIMED_OUT` or `ABORTED`. The event is how a failure that no `Catch` reported gets its
//! failure report on AWS: apply has no `Catch`, so that a redrive can rerun it (see
//! `statemachines/README.md`), and the CDK stack routes those events here.
//!
//! The event carries the execution's input as JSON text: its `accountId` (and `asOf`, or
//! else the execution's start day) name the report, and the event's `error` and `cause` (or
//! the status, when absent) are the failure shown. The execution's name and redrive count
//! make it the same attempt a `Catch` may have reported already, which is then not reported
//! twice ([`crate::ExecutionAttempt`]).

use chrono::DateTime;
use serde_json::{Value, json};

use crate::{Error, Input};

/// EventBridge's `detail-type` for Step Functions execution status changes.
pub const STATUS_CHANGE: &str = "Step Functions Execution Status Change";

/// The step's input from an invocation's payload: a status change event turned into a
/// failure report, anything else read as [`Input`].
pub fn input_from_event(payload: Value) -> Result<Input, Error> {
    let is_status_change =
        payload.get("detail-type").and_then(Value::as_str) == Some(STATUS_CHANGE);
    let input = if is_status_change {
        failure_input(&payload["detail"])?
    } else {
        payload
    };
    serde_json::from_value(input).map_err(|error| Error::InvalidInput {
        field: "payload",
        message: ads::error_names::input_mismatch(&error),
    })
}

/// The failure report's input for a status change's `detail`.
fn failure_input(detail: &Value) -> Result<Value, Error> {
    let invalid = |message: &str| Error::InvalidInput {
        field: "detail.input",
        message: message.to_owned(),
    };
    let execution_input: Value = detail["input"]
        .as_str()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| {
            invalid("the event carries no execution input (JSON text) to name the account")
        })?;
    let account = execution_input
        .get("accountId")
        .filter(|v| !v.is_null())
        .ok_or_else(|| {
            invalid("the execution's input has no accountId; only optimize executions are reported")
        })?;
    let as_of = match execution_input.get("asOf").and_then(Value::as_str) {
        Some(day) => day.to_owned(),
        None => detail["startDate"]
            .as_i64()
            .and_then(DateTime::from_timestamp_millis)
            .map(|start| start.date_naive().to_string())
            .ok_or_else(|| {
                invalid("the execution's input has no asOf and the event no startDate")
            })?,
    };
    let status = detail["status"].as_str().unwrap_or("FAILED");
    let error = detail["error"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| match status {
            "TIMED_OUT" => "States.Timeout".to_owned(),
            "ABORTED" => "Execution.Aborted".to_owned(),
            _ => "Execution.Failed".to_owned(),
        });
    let cause = detail["cause"].as_str().map(str::to_owned).unwrap_or_else(|| {
        format!(
            "execution {} ended {status}; its history says where (adsctl executions show {} --aws)",
            detail["name"].as_str().unwrap_or("?"),
            detail["executionArn"].as_str().unwrap_or("?")
        )
    });
    let attempt = json!({"name": detail["name"], "redriveCount": detail["redriveCount"].as_u64().unwrap_or(0)});
    Ok(
        json!({"accountId": account, "asOf": as_of, "error": {"Error": error, "Cause": cause},
              "execution": attempt}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::error_names::StepError;

    fn status_change(detail: Value) -> Value {
        json!({"version": "0", "detail-type": STATUS_CHANGE, "source": "aws.states",
               "resources": ["arn:aws:states:eu-west-1:1:execution:optimize:daily"],
               "detail": detail})
    }

    #[test]
    fn a_failed_execution_becomes_its_failure_report() {
        let event = status_change(json!({
            "executionArn": "arn:aws:states:eu-west-1:1:execution:optimize:daily",
            "name": "daily", "status": "FAILED", "startDate": 1_788_242_400_000_i64,
            "input": "{\"accountId\": \"500000001\", \"asOf\": \"2026-09-01\"}",
            "error": "Apply.ActionsFailed", "cause": "1 of 2 actions failed"}));
        let input = input_from_event(event).expect("an input");
        assert_eq!(input.account_id.0, 500_000_001);
        assert_eq!(input.as_of.to_string(), "2026-09-01");
        let error = input.error.expect("the failure");
        assert_eq!(error.error, "Apply.ActionsFailed");
        assert_eq!(error.cause.as_deref(), Some("1 of 2 actions failed"));
        assert_eq!(
            input.execution.expect("the attempt").failure_key(),
            "reports/failures/daily-0.json"
        );
        assert!(input.notify);
    }

    #[test]
    fn a_scheduled_execution_without_as_of_or_error_is_dated_by_its_start() {
        // 2026-09-01T06:00:00Z, an input with the account only, an execution that timed out
        let event = status_change(json!({
            "name": "daily", "status": "TIMED_OUT", "startDate": 1_788_242_400_000_i64,
            "input": "{\"accountId\": \"500000001\"}"}));
        let input = input_from_event(event).expect("an input");
        assert_eq!(input.as_of.to_string(), "2026-09-01");
        assert_eq!(input.error.expect("the failure").error, "States.Timeout");
    }

    #[test]
    fn a_step_input_passes_through_and_a_bad_event_names_the_field() {
        let input = input_from_event(json!({"accountId": "7", "asOf": "2026-09-01"}))
            .expect("a step input");
        assert!(input.error.is_none());
        let collect = status_change(json!({"status": "FAILED",
                                           "input": "{\"accounts\": [\"7\"]}"}));
        let error = input_from_event(collect).unwrap_err();
        assert_eq!(error.name(), "Input.Invalid");
        assert!(error.to_string().contains("detail.input"), "{error}");
    }
}
