//! [`StepFunctions`]: what `adsctl --aws` does to the deployed state machine — start an
//! execution, look at it and its history, redrive it, and answer a task waiting for a token.
//!
//! It is no port of `ads`: the steps never drive their own state machine, so only `adsctl`
//! needs it, and only with the `sfn` feature, which keeps aws-sdk-sfn out of the Lambda
//! builds. Its shapes mirror what the local executor prints: an [`Event`] has the fields of
//! `asl::HistoryEvent`, its details under AWS's own field names, so one rendering serves both.
//!
//! A task token lets whoever holds it approve or reject the task, so it is a secret: an
//! error names it only by its last four characters ([`TokenEnd`]), and any text from the
//! service is scrubbed of it. Reasons carry the SDK error's cause chain but never its debug
//! view, which would print the raw response — and a history or a description may carry a
//! token in a task's parameters or an execution's input. (A history returned by
//! [`StepFunctions::history`] does show those parameters, as the AWS console does: it is the
//! caller's to print.)
//!
//! Limits and behaviours relied on are AWS's, from the API reference
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/>): ListExecutions
//! returns the newest first, at most 1000 a page; GetExecutionHistory returns the oldest
//! first; a redrive is possible for 14 days after a FAILED, TIMED_OUT or ABORTED execution
//! stopped.

use crate::service_error::{Detail, Verdict, port_error};
use ads::PortError;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sfn::operation::describe_execution::{DescribeExecutionError, DescribeExecutionOutput};
use aws_sdk_sfn::operation::get_execution_history::GetExecutionHistoryError;
use aws_sdk_sfn::operation::list_executions::ListExecutionsError;
use aws_sdk_sfn::operation::redrive_execution::RedriveExecutionError;
use aws_sdk_sfn::operation::send_task_success::SendTaskSuccessError;
use aws_sdk_sfn::operation::start_execution::StartExecutionError;
use aws_sdk_sfn::types::{ExecutionListItem, HistoryEvent};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use std::error::Error;
use std::fmt;

/// Step Functions executions, driven the way `adsctl` drives the local executor.
///
/// The caller's identity needs the `states:` action each method names on the state machine
/// and its executions.
#[derive(Debug, Clone)]
pub struct StepFunctions {
    client: Client,
}

/// One execution as DescribeExecution or ListExecutions reports it (JSON in camelCase,
/// AWS's field names).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSummary {
    /// The execution's ARN.
    pub arn: String,
    /// The execution's name, unique within its state machine for 90 days.
    pub name: String,
    /// AWS's status: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED` or
    /// `PENDING_REDRIVE`.
    pub status: String,
    /// When the execution started.
    pub start_date: DateTime<Utc>,
    /// When it stopped; `None` while it runs.
    pub stop_date: Option<DateTime<Utc>>,
    /// Its input, parsed when it is valid JSON (a truncated input stays text); `None` from
    /// [`StepFunctions::list`], which AWS does not give it.
    pub input: Option<Value>,
    /// Its output, likewise; `None` until it succeeds, and from [`StepFunctions::list`].
    pub output: Option<Value>,
    /// The error name it failed with, e.g. `LinkedIn.RateLimited`.
    pub error: Option<String>,
    /// The error's cause, in words.
    pub cause: Option<String>,
    /// How many times it has been redriven; `None` before the first redrive.
    pub redrive_count: Option<i32>,
}

/// One event of an execution's history, in the shape of `asl::HistoryEvent` (JSON in
/// camelCase, the kind under `type`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Sequential from 1.
    pub id: i64,
    /// The event this one follows in its own flow; 0 for `ExecutionStarted`.
    pub previous_event_id: i64,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// AWS's event type, e.g. `TaskStateEntered`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The event's details under AWS's field names (`name`, `input`, `output`, `error`,
    /// `cause`, `resource`, `resourceType`, ...), JSON text parsed when valid; `{}` for an
    /// event without details.
    pub details: Value,
}

/// How an error names a task token: by its last four characters, never more, since the
/// token lets whoever holds it answer the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenEnd(String);

impl TokenEnd {
    /// The end of `token` — nothing of a token under 16 characters, of which four would be
    /// too large a part (a real one has hundreds).
    fn of(token: &str) -> TokenEnd {
        let chars: Vec<char> = token.chars().collect();
        let shown = if chars.len() < 16 { 0 } else { 4 };
        TokenEnd(chars[chars.len() - shown..].iter().collect())
    }
}

impl fmt::Display for TokenEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            write!(f, "the task token (too short to be one)")
        } else {
            write!(f, "the task token ending …{}", self.0)
        }
    }
}

/// Why a Step Functions request failed.
#[derive(Debug, thiserror::Error)]
pub enum SfnError {
    /// No execution has this ARN.
    #[error(
        "execution {arn} does not exist: check the ARN (list the state machine's executions); \
         Step Functions forgets an execution 90 days after it stops"
    )]
    ExecutionDoesNotExist {
        /// The execution asked for.
        arn: String,
    },
    /// The execution is not in a state a redrive may resume.
    #[error(
        "execution {arn} cannot be redriven: only FAILED, TIMED_OUT or ABORTED executions of \
         the last 14 days can ({reason}); start a new execution instead"
    )]
    ExecutionNotRedrivable {
        /// The execution asked for.
        arn: String,
        /// Step Functions' reason, e.g. that it is still running.
        reason: String,
    },
    /// No task waits for this token any more.
    #[error(
        "no task waits for {token}: it was answered already, or its execution stopped; \
         check the execution's history"
    )]
    TaskDoesNotExist {
        /// The token, by its end.
        token: TokenEnd,
    },
    /// The task waiting for this token timed out before the answer came.
    #[error(
        "the task waiting for {token} timed out; redrive its execution to ask again, with the \
         new token it sends"
    )]
    TaskTimedOut {
        /// The token, by its end.
        token: TokenEnd,
    },
    /// The token is not one Step Functions issued.
    #[error("{token} is not a valid task token: pass the whole token the task sent, unchanged")]
    InvalidToken {
        /// The token, by its end.
        token: TokenEnd,
    },
    /// Any other failure, classified as for every other service: missing, refused (naming
    /// the IAM action) or unavailable.
    #[error(transparent)]
    Service(#[from] PortError),
}

impl StepFunctions {
    /// Step Functions through `client`.
    pub fn new(client: Client) -> StepFunctions {
        StepFunctions { client }
    }

    /// Step Functions with a client built from the shared `config`.
    pub fn from_config(config: &aws_config::SdkConfig) -> StepFunctions {
        StepFunctions::new(Client::new(config))
    }

    /// Starts an execution of `state_machine_arn` with `input`, named `name` (Step Functions
    /// picks a UUID when `None`); returns the execution's ARN. Needs `states:StartExecution`.
    ///
    /// Idempotent for a name: while the execution with that name runs, starting it again
    /// with the same input returns its ARN; with another input it is refused.
    pub async fn start(
        &self,
        state_machine_arn: &str,
        name: Option<&str>,
        input: &Value,
    ) -> Result<String, SfnError> {
        let output = self
            .client
            .start_execution()
            .state_machine_arn(state_machine_arn)
            .set_name(name.map(String::from))
            .input(input.to_string())
            .send()
            .await
            .map_err(|error| {
                service(
                    format!("start of state machine {state_machine_arn}"),
                    "states:StartExecution",
                    &error,
                    |error| match error {
                        StartExecutionError::StateMachineDoesNotExist(_) => Some(Verdict::NotFound),
                        StartExecutionError::ExecutionAlreadyExists(_)
                        | StartExecutionError::InvalidArn(_)
                        | StartExecutionError::InvalidExecutionInput(_)
                        | StartExecutionError::InvalidName(_)
                        | StartExecutionError::StateMachineDeleting(_)
                        | StartExecutionError::ValidationException(_)
                        | StartExecutionError::KmsAccessDeniedException(_)
                        | StartExecutionError::KmsInvalidStateException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                )
            })?;
        Ok(output.execution_arn().to_owned())
    }

    /// The execution `execution_arn` now, input and output included. Needs
    /// `states:DescribeExecution`.
    pub async fn describe(&self, execution_arn: &str) -> Result<ExecutionSummary, SfnError> {
        let output = self
            .client
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|error| match error.as_service_error() {
                Some(DescribeExecutionError::ExecutionDoesNotExist(_)) => {
                    SfnError::ExecutionDoesNotExist {
                        arn: execution_arn.to_owned(),
                    }
                }
                _ => service(
                    execution(execution_arn),
                    "states:DescribeExecution",
                    &error,
                    |error| match error {
                        DescribeExecutionError::InvalidArn(_)
                        | DescribeExecutionError::KmsAccessDeniedException(_)
                        | DescribeExecutionError::KmsInvalidStateException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                ),
            })?;
        Ok(described(&output))
    }

    /// The newest `max` executions of `state_machine_arn`, newest first, without input or
    /// output (ask [`describe`](Self::describe) for those). Needs `states:ListExecutions`.
    pub async fn list(
        &self,
        state_machine_arn: &str,
        max: usize,
    ) -> Result<Vec<ExecutionSummary>, SfnError> {
        let mut executions = Vec::new();
        if max == 0 {
            return Ok(executions);
        }
        let mut items = self
            .client
            .list_executions()
            .state_machine_arn(state_machine_arn)
            .into_paginator()
            // AWS's largest page, 1000.
            .page_size(max.min(1000) as i32)
            .items()
            .send();
        while executions.len() < max {
            let Some(item) = items.next().await else {
                break;
            };
            let item = item.map_err(|error| {
                service(
                    format!("executions of state machine {state_machine_arn}"),
                    "states:ListExecutions",
                    &error,
                    |error| match error {
                        ListExecutionsError::StateMachineDoesNotExist(_)
                        | ListExecutionsError::ResourceNotFound(_) => Some(Verdict::NotFound),
                        // An Express state machine: its executions are in CloudWatch Logs.
                        ListExecutionsError::StateMachineTypeNotSupported(_)
                        | ListExecutionsError::InvalidArn(_)
                        | ListExecutionsError::ValidationException(_) => Some(Verdict::Refused),
                        _ => None,
                    },
                )
            })?;
            executions.push(listed(&item));
        }
        Ok(executions)
    }

    /// Every event of `execution_arn`'s history, oldest first, page after page. Needs
    /// `states:GetExecutionHistory`.
    pub async fn history(&self, execution_arn: &str) -> Result<Vec<Event>, SfnError> {
        let mut events = Vec::new();
        let mut items = self
            .client
            .get_execution_history()
            .execution_arn(execution_arn)
            .into_paginator()
            .items()
            .send();
        while let Some(item) = items.next().await {
            let item = item.map_err(|error| match error.as_service_error() {
                Some(GetExecutionHistoryError::ExecutionDoesNotExist(_)) => {
                    SfnError::ExecutionDoesNotExist {
                        arn: execution_arn.to_owned(),
                    }
                }
                _ => service(
                    format!("history of {}", execution(execution_arn)),
                    "states:GetExecutionHistory",
                    &error,
                    |error| match error {
                        GetExecutionHistoryError::InvalidArn(_)
                        | GetExecutionHistoryError::KmsAccessDeniedException(_)
                        | GetExecutionHistoryError::KmsInvalidStateException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                ),
            })?;
            events.push(event(&item));
        }
        Ok(events)
    }

    /// Redrives `execution_arn` from the states that failed, keeping what succeeded; returns
    /// when the redrive started. Needs `states:RedriveExecution`.
    pub async fn redrive(&self, execution_arn: &str) -> Result<DateTime<Utc>, SfnError> {
        let output = self
            .client
            .redrive_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|error| match error.as_service_error() {
                Some(RedriveExecutionError::ExecutionDoesNotExist(_)) => {
                    SfnError::ExecutionDoesNotExist {
                        arn: execution_arn.to_owned(),
                    }
                }
                Some(RedriveExecutionError::ExecutionNotRedrivable(refusal)) => {
                    SfnError::ExecutionNotRedrivable {
                        arn: execution_arn.to_owned(),
                        reason: refusal
                            .message()
                            .unwrap_or("Step Functions gave no reason")
                            .to_owned(),
                    }
                }
                _ => service(
                    format!("redrive of {}", execution(execution_arn)),
                    "states:RedriveExecution",
                    &error,
                    |error| match error {
                        RedriveExecutionError::InvalidArn(_)
                        | RedriveExecutionError::ValidationException(_) => Some(Verdict::Refused),
                        _ => None,
                    },
                ),
            })?;
        Ok(utc(output.redrive_date()))
    }

    /// Answers the task waiting for `task_token` with `output`, which becomes the task's
    /// result. Needs `states:SendTaskSuccess`.
    pub async fn send_task_success(
        &self,
        task_token: &str,
        output: &Value,
    ) -> Result<(), SfnError> {
        let end = TokenEnd::of(task_token);
        self.client
            .send_task_success()
            .task_token(task_token)
            .output(output.to_string())
            .send()
            .await
            .map_err(|error| match error.as_service_error() {
                Some(SendTaskSuccessError::TaskDoesNotExist(_)) => {
                    SfnError::TaskDoesNotExist { token: end.clone() }
                }
                Some(SendTaskSuccessError::TaskTimedOut(_)) => {
                    SfnError::TaskTimedOut { token: end.clone() }
                }
                Some(SendTaskSuccessError::InvalidToken(_)) => {
                    SfnError::InvalidToken { token: end.clone() }
                }
                _ => scrubbed(
                    service(
                        format!("success of the task waiting for {end}"),
                        "states:SendTaskSuccess",
                        &error,
                        |error| match error {
                            SendTaskSuccessError::InvalidOutput(_)
                            | SendTaskSuccessError::KmsAccessDeniedException(_)
                            | SendTaskSuccessError::KmsInvalidStateException(_) => {
                                Some(Verdict::Refused)
                            }
                            _ => None,
                        },
                    ),
                    task_token,
                    &end,
                ),
            })?;
        Ok(())
    }
}

/// How an execution is named in errors.
fn execution(arn: &str) -> String {
    format!("execution {arn}")
}

/// `error` as every service's errors are classified, showing the cause chain only (see the
/// module's note on secrets).
fn service<E, R>(
    what: String,
    action: &str,
    error: &SdkError<E, R>,
    modeled: impl Fn(&E) -> Option<Verdict>,
) -> SfnError
where
    E: ProvideErrorMetadata + Error + 'static,
    R: fmt::Debug,
{
    SfnError::Service(port_error(what, action, Detail::Chain, error, modeled))
}

/// `error` with every occurrence of `token` in the service's words replaced by its end, in
/// case a message echoes what it was sent.
fn scrubbed(error: SfnError, token: &str, end: &TokenEnd) -> SfnError {
    let SfnError::Service(error) = error else {
        return error;
    };
    let scrub = |text: String| {
        if token.is_empty() {
            text
        } else {
            text.replace(token, &end.to_string())
        }
    };
    SfnError::Service(match error {
        PortError::NotFound { what } => PortError::NotFound { what: scrub(what) },
        PortError::Refused { what, reason } => PortError::Refused {
            what: scrub(what),
            reason: scrub(reason),
        },
        PortError::Unavailable { what, reason } => PortError::Unavailable {
            what: scrub(what),
            reason: scrub(reason),
        },
    })
}

/// An AWS timestamp in chrono's terms. The SDK's range exceeds chrono's (±262,000 years);
/// no AWS date is out there, so such a value saturates rather than failing the call.
fn utc(time: &aws_sdk_sfn::primitives::DateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(time.secs(), time.subsec_nanos()).unwrap_or(if time.secs() < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// JSON text as the value it holds, or as a string when it is not JSON (a payload AWS
/// truncated, a plain-text cause).
fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// A DescribeExecution answer as a summary.
fn described(output: &DescribeExecutionOutput) -> ExecutionSummary {
    let arn = output.execution_arn();
    ExecutionSummary {
        arn: arn.to_owned(),
        // Always present in practice; the ARN ends with it when the model's optional field
        // is missing.
        name: output
            .name()
            .unwrap_or_else(|| arn.rsplit(':').next().unwrap_or(arn))
            .to_owned(),
        status: output.status().as_str().to_owned(),
        start_date: utc(output.start_date()),
        stop_date: output.stop_date().map(utc),
        input: output.input().map(parsed),
        output: output.output().map(parsed),
        error: output.error().map(String::from),
        cause: output.cause().map(String::from),
        redrive_count: output.redrive_count(),
    }
}

/// A ListExecutions item as a summary, without what AWS does not list.
fn listed(item: &ExecutionListItem) -> ExecutionSummary {
    ExecutionSummary {
        arn: item.execution_arn().to_owned(),
        name: item.name().to_owned(),
        status: item.status().as_str().to_owned(),
        start_date: utc(item.start_date()),
        stop_date: item.stop_date().map(utc),
        input: None,
        output: None,
        error: None,
        cause: None,
        redrive_count: item.redrive_count(),
    }
}

/// A history event in the shape of `asl::HistoryEvent`.
fn event(event: &HistoryEvent) -> Event {
    Event {
        id: event.id(),
        previous_event_id: event.previous_event_id(),
        timestamp: utc(event.timestamp()),
        r#type: event.r#type().as_str().to_owned(),
        details: Value::Object(details(event).0),
    }
}

/// An event's details, built field by field under AWS's names; absent fields are left out.
#[derive(Default)]
struct Details(Map<String, Value>);

impl Details {
    /// With `key` set to `value` as it is.
    fn field(mut self, key: &str, value: Option<impl Into<Value>>) -> Details {
        if let Some(value) = value {
            self.0.insert(key.to_owned(), value.into());
        }
        self
    }

    /// With `key` set to the JSON `text` holds.
    fn json(self, key: &str, text: Option<&str>) -> Details {
        self.field(key, text.map(parsed))
    }

    /// A failure's `error` and `cause`.
    fn failure(error: Option<&str>, cause: Option<&str>) -> Details {
        Details::default()
            .field("error", error)
            .field("cause", cause)
    }

    /// A task's `resourceType` and `resource` (e.g. `lambda` and `invoke`).
    fn task(resource_type: &str, resource: &str) -> Details {
        Details::default()
            .field("resourceType", Some(resource_type))
            .field("resource", Some(resource))
    }

    /// A task failure's resource, `error` and `cause`.
    fn task_failure(
        resource_type: &str,
        resource: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Details {
        Details::task(resource_type, resource)
            .field("error", error)
            .field("cause", cause)
    }
}

/// The one `*EventDetails` member of `event` that is set; empty for an event without any
/// (e.g. `ParallelStateStarted`, `LambdaFunctionStarted`).
fn details(event: &HistoryEvent) -> Details {
    let e = event;
    // Only the member matching the event's type is set, so at most one of these is `Some`.
    [
        e.execution_started_event_details().map(|d| {
            Details::default()
                .json("input", d.input())
                .field("roleArn", d.role_arn())
        }),
        e.execution_succeeded_event_details()
            .map(|d| Details::default().json("output", d.output())),
        e.execution_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.execution_aborted_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.execution_timed_out_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.execution_redriven_event_details()
            .map(|d| Details::default().field("redriveCount", d.redrive_count())),
        e.state_entered_event_details().map(|d| {
            Details::default()
                .field("name", Some(d.name()))
                .json("input", d.input())
        }),
        e.state_exited_event_details().map(|d| {
            Details::default()
                .field("name", Some(d.name()))
                .json("output", d.output())
        }),
        e.task_scheduled_event_details().map(|d| {
            Details::task(d.resource_type(), d.resource())
                .field("region", Some(d.region()))
                .json("parameters", Some(d.parameters()))
                .field("timeoutInSeconds", d.timeout_in_seconds())
                .field("heartbeatInSeconds", d.heartbeat_in_seconds())
        }),
        e.task_started_event_details()
            .map(|d| Details::task(d.resource_type(), d.resource())),
        e.task_submitted_event_details()
            .map(|d| Details::task(d.resource_type(), d.resource()).json("output", d.output())),
        e.task_succeeded_event_details()
            .map(|d| Details::task(d.resource_type(), d.resource()).json("output", d.output())),
        e.task_failed_event_details()
            .map(|d| Details::task_failure(d.resource_type(), d.resource(), d.error(), d.cause())),
        e.task_start_failed_event_details()
            .map(|d| Details::task_failure(d.resource_type(), d.resource(), d.error(), d.cause())),
        e.task_submit_failed_event_details()
            .map(|d| Details::task_failure(d.resource_type(), d.resource(), d.error(), d.cause())),
        e.task_timed_out_event_details()
            .map(|d| Details::task_failure(d.resource_type(), d.resource(), d.error(), d.cause())),
        e.lambda_function_scheduled_event_details().map(|d| {
            Details::default()
                .field("resource", Some(d.resource()))
                .json("input", d.input())
                .field("timeoutInSeconds", d.timeout_in_seconds())
        }),
        e.lambda_function_succeeded_event_details()
            .map(|d| Details::default().json("output", d.output())),
        e.lambda_function_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.lambda_function_schedule_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.lambda_function_start_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.lambda_function_timed_out_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.activity_scheduled_event_details().map(|d| {
            Details::default()
                .field("resource", Some(d.resource()))
                .json("input", d.input())
                .field("timeoutInSeconds", d.timeout_in_seconds())
                .field("heartbeatInSeconds", d.heartbeat_in_seconds())
        }),
        e.activity_started_event_details()
            .map(|d| Details::default().field("workerName", d.worker_name())),
        e.activity_succeeded_event_details()
            .map(|d| Details::default().json("output", d.output())),
        e.activity_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.activity_schedule_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.activity_timed_out_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.map_state_started_event_details()
            .map(|d| Details::default().field("length", Some(d.length()))),
        e.map_iteration_started_event_details()
            .or(e.map_iteration_succeeded_event_details())
            .or(e.map_iteration_failed_event_details())
            .or(e.map_iteration_aborted_event_details())
            .map(|d| {
                Details::default()
                    .field("name", d.name())
                    .field("index", Some(d.index()))
            }),
        e.map_run_started_event_details()
            .map(|d| Details::default().field("mapRunArn", d.map_run_arn())),
        e.map_run_failed_event_details()
            .map(|d| Details::failure(d.error(), d.cause())),
        e.map_run_redriven_event_details().map(|d| {
            Details::default()
                .field("mapRunArn", d.map_run_arn())
                .field("redriveCount", d.redrive_count())
        }),
        e.evaluation_failed_event_details().map(|d| {
            Details::failure(d.error(), d.cause())
                .field("location", d.location())
                .field("state", Some(d.state()))
        }),
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sfn::operation::get_execution_history::GetExecutionHistoryOutput;
    use aws_sdk_sfn::operation::list_executions::ListExecutionsOutput;
    use aws_sdk_sfn::operation::redrive_execution::RedriveExecutionOutput;
    use aws_sdk_sfn::operation::send_task_success::SendTaskSuccessOutput;
    use aws_sdk_sfn::operation::start_execution::StartExecutionOutput;
    use aws_sdk_sfn::primitives::DateTime as AwsDateTime;
    use aws_sdk_sfn::types::error::{
        ExecutionDoesNotExist, ExecutionNotRedrivable, TaskDoesNotExist,
    };
    use aws_sdk_sfn::types::{
        ExecutionStatus, HistoryEventType, StateEnteredEventDetails, TaskFailedEventDetails,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use serde_json::json;
    use std::sync::{Arc, Mutex};

    const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:linkedin-ads";
    const EXECUTION: &str =
        "arn:aws:states:eu-west-1:123456789012:execution:linkedin-ads:daily-2024-05-01";
    const TOKEN: &str = "AQCEAAAAKgAAAAMAAAAAAAAAAb1yDsecret-approval-tokenXyZ9";

    /// An event of `kind` at second `id` after the epoch, following event `id - 1`.
    fn event_of(
        id: i64,
        kind: HistoryEventType,
    ) -> aws_sdk_sfn::types::builders::HistoryEventBuilder {
        HistoryEvent::builder()
            .id(id)
            .previous_event_id(id - 1)
            .timestamp(AwsDateTime::from_secs(1_714_521_600 + id))
            .r#type(kind)
    }

    /// Asserts that nothing a caller could print of `error` holds the task token.
    fn assert_no_token_in(error: &SfnError) {
        for printed in [error.to_string(), format!("{error:?}")] {
            assert!(!printed.contains(TOKEN), "token leaked: {printed}");
            assert!(
                !printed.contains("secret-approval"),
                "token leaked: {printed}"
            );
        }
    }

    #[tokio::test]
    async fn start_sends_the_state_machine_the_name_and_the_input_as_json() {
        // GIVEN a state machine that accepts the start
        let sent = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::start_execution).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push((
                    input.state_machine_arn().map(String::from),
                    input.name().map(String::from),
                    input.input().map(String::from),
                ));
                StartExecutionOutput::builder()
                    .execution_arn(EXECUTION)
                    .start_date(AwsDateTime::from_secs(1_714_521_600))
                    .build()
                    .unwrap()
            }
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN an execution is started with a name and an input
        let input = json!({"accountId": "512345678", "days": 7});
        let arn = sfn
            .start(MACHINE, Some("daily-2024-05-01"), &input)
            .await
            .unwrap();

        // THEN StartExecution named the machine and the execution, the input as JSON text
        let sent = sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0.as_deref(), Some(MACHINE));
        assert_eq!(sent[0].1.as_deref(), Some("daily-2024-05-01"));
        let text = sent[0].2.as_deref().unwrap();
        assert_eq!(serde_json::from_str::<Value>(text).unwrap(), input);
        // AND the execution's ARN comes back
        assert_eq!(arn, EXECUTION);
    }

    #[tokio::test]
    async fn history_follows_every_page_and_maps_each_events_details() {
        // GIVEN a history of two pages: a start and a state entered, then a task failure
        let asked = Arc::new(Mutex::new(Vec::new()));
        let first = mock!(Client::get_execution_history).then_compute_output({
            let asked = asked.clone();
            move |input| {
                asked
                    .lock()
                    .unwrap()
                    .push(input.next_token().map(String::from));
                GetExecutionHistoryOutput::builder()
                    .events(
                        event_of(1, HistoryEventType::ExecutionStarted)
                            .execution_started_event_details(
                                aws_sdk_sfn::types::ExecutionStartedEventDetails::builder()
                                    .input(r#"{"days":7}"#)
                                    .build(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .events(
                        event_of(2, HistoryEventType::TaskStateEntered)
                            .state_entered_event_details(
                                StateEnteredEventDetails::builder()
                                    .name("Collect")
                                    .input(r#"{"days":7}"#)
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .next_token("page-2")
                    .build()
                    .unwrap()
            }
        });
        let second = mock!(Client::get_execution_history).then_compute_output({
            let asked = asked.clone();
            move |input| {
                asked
                    .lock()
                    .unwrap()
                    .push(input.next_token().map(String::from));
                GetExecutionHistoryOutput::builder()
                    .events(
                        event_of(3, HistoryEventType::TaskFailed)
                            .task_failed_event_details(
                                TaskFailedEventDetails::builder()
                                    .resource_type("lambda")
                                    .resource("invoke")
                                    .error("LinkedIn.RateLimited")
                                    .cause("429 from adAnalytics")
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            }
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&first, &second]);
        let sfn = StepFunctions::new(client);

        // WHEN the history is read
        let events = sfn.history(EXECUTION).await.unwrap();

        // THEN the second page was asked for with the first page's token
        assert_eq!(*asked.lock().unwrap(), [None, Some("page-2".to_owned())]);
        // AND every event arrives oldest first, its details under AWS's names, JSON parsed
        let kinds: Vec<&str> = events.iter().map(|e| e.r#type.as_str()).collect();
        assert_eq!(
            kinds,
            ["ExecutionStarted", "TaskStateEntered", "TaskFailed"]
        );
        assert_eq!(events[0].details, json!({"input": {"days": 7}}));
        assert_eq!(
            events[1].details,
            json!({"name": "Collect", "input": {"days": 7}})
        );
        assert_eq!(
            events[2].details,
            json!({
                "resourceType": "lambda",
                "resource": "invoke",
                "error": "LinkedIn.RateLimited",
                "cause": "429 from adAnalytics",
            })
        );
        assert_eq!(events[2].previous_event_id, 2);
        assert_eq!(events[2].timestamp.timestamp(), 1_714_521_603);
        // AND an event serializes like asl::HistoryEvent
        assert_eq!(
            serde_json::to_value(&events[1]).unwrap()["type"],
            json!("TaskStateEntered")
        );
    }

    #[tokio::test]
    async fn list_stops_at_max_across_pages_newest_first() {
        // GIVEN two pages of executions, newest first
        let item = |name: &str, status: ExecutionStatus| {
            ExecutionListItem::builder()
                .execution_arn(format!("{MACHINE}:{name}"))
                .state_machine_arn(MACHINE)
                .name(name)
                .status(status)
                .start_date(AwsDateTime::from_secs(1_714_521_600))
                .build()
                .unwrap()
        };
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let first = mock!(Client::list_executions).then_compute_output({
            let sizes = sizes.clone();
            move |input| {
                sizes.lock().unwrap().push(input.max_results());
                ListExecutionsOutput::builder()
                    .executions(item("c", ExecutionStatus::Running))
                    .executions(item("b", ExecutionStatus::Failed))
                    .next_token("page-2")
                    .build()
                    .unwrap()
            }
        });
        let second = mock!(Client::list_executions).then_output(move || {
            ListExecutionsOutput::builder()
                .executions(item("a", ExecutionStatus::Succeeded))
                .executions(item("older", ExecutionStatus::Succeeded))
                .next_token("page-3")
                .build()
                .unwrap()
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&first, &second]);
        let sfn = StepFunctions::new(client);

        // WHEN at most three are listed
        let listed = sfn.list(MACHINE, 3).await.unwrap();

        // THEN pages of three were asked for, and the newest three came back in order
        assert_eq!(*sizes.lock().unwrap(), [Some(3)]);
        let seen: Vec<(&str, &str)> = listed
            .iter()
            .map(|e| (e.name.as_str(), e.status.as_str()))
            .collect();
        assert_eq!(
            seen,
            [("c", "RUNNING"), ("b", "FAILED"), ("a", "SUCCEEDED")]
        );
    }

    #[tokio::test]
    async fn describe_of_a_missing_execution_says_to_check_the_arn() {
        // GIVEN no such execution
        let rule = mock!(Client::describe_execution).then_error(|| {
            DescribeExecutionError::ExecutionDoesNotExist(
                ExecutionDoesNotExist::builder()
                    .message("Execution Does Not Exist")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN it is described
        let error = sfn.describe(EXECUTION).await.unwrap_err();

        // THEN the error names it and the fix
        assert!(
            matches!(&error, SfnError::ExecutionDoesNotExist { arn } if arn == EXECUTION),
            "{error:?}"
        );
        assert!(error.to_string().contains("check the ARN"), "{error}");
    }

    #[tokio::test]
    async fn redrive_of_a_running_execution_says_which_executions_can_be_redriven() {
        // GIVEN an execution Step Functions will not redrive
        let rule = mock!(Client::redrive_execution).then_error(|| {
            RedriveExecutionError::ExecutionNotRedrivable(
                ExecutionNotRedrivable::builder()
                    .message("Execution is RUNNING and cannot be redriven")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN it is redriven
        let error = sfn.redrive(EXECUTION).await.unwrap_err();

        // THEN the error names the execution, the rule and Step Functions' reason
        let message = error.to_string();
        assert!(
            matches!(error, SfnError::ExecutionNotRedrivable { .. }),
            "{error:?}"
        );
        assert!(
            message.contains(&format!("execution {EXECUTION} cannot be redriven")),
            "{message}"
        );
        assert!(
            message.contains("only FAILED, TIMED_OUT or ABORTED executions of the last 14 days"),
            "{message}"
        );
        assert!(message.contains("Execution is RUNNING"), "{message}");
    }

    #[tokio::test]
    async fn redrive_returns_when_the_redrive_started() {
        // GIVEN a failed execution Step Functions redrives
        let rule = mock!(Client::redrive_execution).then_output(|| {
            RedriveExecutionOutput::builder()
                .redrive_date(AwsDateTime::from_secs(1_714_608_000))
                .build()
                .unwrap()
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN it is redriven
        let date = sfn.redrive(EXECUTION).await.unwrap();

        // THEN the redrive date comes back in UTC
        assert_eq!(date.to_rfc3339(), "2024-05-02T00:00:00+00:00");
    }

    #[tokio::test]
    async fn send_task_success_sends_the_token_and_the_output_as_json() {
        // GIVEN a task waiting for its token
        let sent = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::send_task_success).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push((
                    input.task_token().map(String::from),
                    input.output().map(String::from),
                ));
                SendTaskSuccessOutput::builder().build()
            }
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN the task is approved with an output
        let output = json!({"approved": true, "by": "ops"});
        sfn.send_task_success(TOKEN, &output).await.unwrap();

        // THEN SendTaskSuccess carried the token and the output as JSON text
        let sent = sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0.as_deref(), Some(TOKEN));
        let text = sent[0].1.as_deref().unwrap();
        assert_eq!(serde_json::from_str::<Value>(text).unwrap(), output);
    }

    #[tokio::test]
    async fn an_answer_to_a_gone_task_names_the_token_by_its_last_four_characters_only() {
        // GIVEN no task waiting for the token any more
        let rule = mock!(Client::send_task_success).then_error(|| {
            SendTaskSuccessError::TaskDoesNotExist(
                TaskDoesNotExist::builder()
                    .message(format!("Provided task does not exist anymore: {TOKEN}"))
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN it is answered
        let error = sfn
            .send_task_success(TOKEN, &serde_json::json!({"approved": false}))
            .await
            .unwrap_err();

        // THEN the error refers to the token by its end, and says what happened
        let message = error.to_string();
        assert!(message.contains("the task token ending …XyZ9"), "{message}");
        assert!(message.contains("no task waits"), "{message}");
        // AND the token appears nowhere in it
        assert_no_token_in(&error);
    }

    #[tokio::test]
    async fn a_service_message_echoing_the_token_is_scrubbed_of_it() {
        // GIVEN a refusal whose message repeats the token it was sent
        let rule = mock!(Client::send_task_success).then_error(|| {
            SendTaskSuccessError::generic(
                aws_sdk_sfn::error::ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message(format!("not authorized to answer {TOKEN}"))
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule]);
        let sfn = StepFunctions::new(client);

        // WHEN the task is approved
        let error = sfn
            .send_task_success(TOKEN, &json!({"approved": true}))
            .await
            .unwrap_err();

        // THEN the refusal names the permission, and the token only by its end
        let message = error.to_string();
        assert!(message.contains("states:SendTaskSuccess"), "{message}");
        assert!(message.contains("…XyZ9"), "{message}");
        assert_no_token_in(&error);
    }

    #[test]
    fn a_token_is_shown_by_its_last_four_characters_and_a_short_one_not_at_all() {
        // GIVEN a real-length token and one too short to be one
        // WHEN each is named as errors name it
        let long = TokenEnd::of(TOKEN).to_string();
        let short = TokenEnd::of("abc123").to_string();

        // THEN the long one shows its last four characters, the short one nothing of itself
        assert_eq!(long, "the task token ending …XyZ9");
        assert_eq!(short, "the task token (too short to be one)");
    }
}
