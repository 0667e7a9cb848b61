//! What a Task state calls: the [`TaskRunner`] port, the [`TaskCall`] it receives, and how a
//! Task's `Resource` (and `Parameters`, for `arn:aws:states:::lambda:invoke`) resolves to a
//! function name, its input and its result.
//!
//! Resource forms, from "Task workflow state" and "Invoke an AWS Lambda function with Step
//! Functions" in the developer guide:
//! - `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` — the function `NAME` gets the
//!   state's effective input; its result is the state's result. History: `LambdaFunction*`.
//! - `arn:aws:states:::lambda:invoke` — the function is `Parameters.FunctionName` (a name, a
//!   `NAME:alias` or an ARN), its input `Parameters.Payload`; the result is wrapped as
//!   `{"ExecutedVersion": "$LATEST", "Payload": result, "StatusCode": 200}`. History: `Task*`.
//! - `arn:aws:states:::lambda:invoke.waitForTaskToken` — as above, then the state waits for
//!   `SendTaskSuccess`/`SendTaskFailure` with the token; their output is the result.
//! - `arn:aws:states:REGION:ACCOUNT:activity:NAME` — the runner answers for the activity.
//! - any other `arn:aws:states:::SERVICE:ACTION[.sync|.waitForTaskToken]` — the function is
//!   `SERVICE:ACTION`, the input the effective parameters.
//! - a bare name, or a `${Placeholder}` left unsubstituted — treated as a Lambda function of
//!   that name, so local runs can name step handlers directly.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Runs the work of Task states: for the local executor, the step handlers (or mocks).
#[async_trait]
pub trait TaskRunner: Send + Sync {
    /// Runs one attempt of a Task. `Err` is the task's failure: its `error` is matched by
    /// `Retry`/`Catch` `ErrorEquals`. For a `.waitForTaskToken` resource the `Ok` value is only
    /// the submission's response; the Task's result arrives later through the token.
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure>;
}

/// One invocation a Task state asks of the [`TaskRunner`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskCall {
    /// The function (or activity, or `SERVICE:ACTION`) to run, e.g. `fetch-token`.
    pub function: String,
    /// The Task's `Resource` as written (after substitutions).
    pub resource: String,
    /// The input: the effective parameters, or `Parameters.Payload` for `lambda:invoke`.
    pub input: Value,
    /// The task token, for `.waitForTaskToken` resources.
    pub task_token: Option<String>,
    /// The Task state's name.
    pub state_name: String,
    /// The execution's name.
    pub execution_name: String,
}

/// A failed task: a stable error name and a human-readable cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskFailure {
    /// The error name `ErrorEquals` matches, e.g. `LinkedIn.RateLimited`.
    pub error: String,
    /// What went wrong, for people.
    pub cause: String,
}

impl TaskFailure {
    /// A failure with the given name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

/// What a Task's `Resource` designates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A Lambda function called directly by ARN (or by bare name).
    Lambda { function: String },
    /// `arn:aws:states:::lambda:invoke`, optionally `.waitForTaskToken`.
    LambdaInvoke { callback: bool },
    /// An activity.
    Activity { name: String },
    /// Another service integration.
    Service {
        service: String,
        action: String,
        callback: bool,
    },
}

/// The history event types a Task emits for its target.
pub(crate) struct TaskEvents {
    pub scheduled: &'static str,
    pub started: &'static str,
    pub succeeded: &'static str,
    pub failed: &'static str,
    pub timed_out: &'static str,
    /// Whether the events carry `resourceType`/`resource` (the `Task*` family does).
    pub names_resource: bool,
}

impl Target {
    /// Resolves a `Resource` string.
    pub fn resolve(resource: &str) -> Target {
        if let Some(name) = resource
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
        {
            return Target::Lambda {
                function: name.to_string(),
            };
        }
        if !resource.starts_with("arn:") {
            return Target::Lambda {
                function: resource.to_string(),
            };
        }
        let parts: Vec<&str> = resource.split(':').collect();
        let service = parts.get(2).copied().unwrap_or_default();
        let kind = parts.get(5).copied().unwrap_or_default();
        let rest = parts.get(6..).map(|p| p.join(":")).unwrap_or_default();
        match (service, kind) {
            ("lambda", "function") => Target::Lambda {
                function: parts.get(6).copied().unwrap_or_default().to_string(),
            },
            ("states", "activity") => Target::Activity { name: rest },
            ("states", integration) => {
                let (action, suffix) = match rest.split_once('.') {
                    Some((action, suffix)) => (action.to_string(), suffix),
                    None => (rest.clone(), ""),
                };
                let callback = suffix == "waitForTaskToken";
                if integration == "lambda" && action == "invoke" {
                    Target::LambdaInvoke { callback }
                } else {
                    Target::Service {
                        service: integration.to_string(),
                        action,
                        callback,
                    }
                }
            }
            (other, _) => Target::Service {
                service: other.to_string(),
                action: parts.get(5..).map(|p| p.join(":")).unwrap_or_default(),
                callback: false,
            },
        }
    }

    /// Whether the Task waits for a task token.
    pub fn is_callback(&self) -> bool {
        matches!(
            self,
            Target::LambdaInvoke { callback: true } | Target::Service { callback: true, .. }
        )
    }

    /// The function to call and its input, given the Task's effective parameters.
    pub fn call(&self, parameters: &Value) -> Result<(String, Value), String> {
        Ok(match self {
            Target::Lambda { function } => (function.clone(), parameters.clone()),
            Target::Activity { name } => (name.clone(), parameters.clone()),
            Target::Service {
                service, action, ..
            } => (format!("{service}:{action}"), parameters.clone()),
            Target::LambdaInvoke { .. } => {
                let name = parameters
                    .get("FunctionName")
                    .and_then(Value::as_str)
                    .ok_or("lambda:invoke needs Parameters.FunctionName as a string")?;
                let payload = parameters
                    .get("Payload")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                (function_name(name), payload)
            }
        })
    }

    /// The Task's result from what the runner returned.
    pub fn result(&self, returned: Value) -> Value {
        match self {
            Target::LambdaInvoke { .. } => json!({
                "ExecutedVersion": "$LATEST",
                "Payload": returned,
                "StatusCode": 200
            }),
            _ => returned,
        }
    }

    /// `resourceType` and `resource` as the `Task*` history events show them.
    pub fn resource_fields(&self, resource: &str) -> (String, String) {
        match self {
            Target::LambdaInvoke { callback } => (
                "lambda".into(),
                if *callback {
                    "invoke.waitForTaskToken".into()
                } else {
                    "invoke".into()
                },
            ),
            Target::Service {
                service,
                action,
                callback,
            } => (
                service.clone(),
                if *callback {
                    format!("{action}.waitForTaskToken")
                } else {
                    action.clone()
                },
            ),
            _ => (String::new(), resource.to_string()),
        }
    }

    /// The history event types for this target.
    pub fn events(&self) -> TaskEvents {
        match self {
            Target::Lambda { .. } => TaskEvents {
                scheduled: "LambdaFunctionScheduled",
                started: "LambdaFunctionStarted",
                succeeded: "LambdaFunctionSucceeded",
                failed: "LambdaFunctionFailed",
                timed_out: "LambdaFunctionTimedOut",
                names_resource: false,
            },
            Target::Activity { .. } => TaskEvents {
                scheduled: "ActivityScheduled",
                started: "ActivityStarted",
                succeeded: "ActivitySucceeded",
                failed: "ActivityFailed",
                timed_out: "ActivityTimedOut",
                names_resource: false,
            },
            Target::LambdaInvoke { .. } | Target::Service { .. } => TaskEvents {
                scheduled: "TaskScheduled",
                started: "TaskStarted",
                succeeded: "TaskSucceeded",
                failed: "TaskFailed",
                timed_out: "TaskTimedOut",
                names_resource: true,
            },
        }
    }

    /// The function name when it is known from the definition alone.
    pub fn static_function(&self, parameters: Option<&Value>) -> Option<String> {
        match self {
            Target::LambdaInvoke { .. } => parameters
                .and_then(|p| p.get("FunctionName"))
                .and_then(Value::as_str)
                .map(function_name),
            other => other.call(&Value::Null).ok().map(|(name, _)| name),
        }
    }
}

/// A Lambda function name from a `FunctionName`: a name, `NAME:alias`, an ARN, or `${Name}`.
pub(crate) fn function_name(text: &str) -> String {
    if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        return name.to_string();
    }
    if text.starts_with("arn:") {
        return text.split(':').nth(6).unwrap_or(text).to_string();
    }
    text.split(':').next().unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_arns_name_the_function_without_its_qualifier() {
        // The developer guide's "check-identity:$LATEST" example keeps the name, not $LATEST.
        assert_eq!(
            Target::resolve(
                "arn:aws:lambda:us-east-2:111122223333:function:check-identity:$LATEST"
            ),
            Target::Lambda {
                function: "check-identity".into()
            }
        );
        assert_eq!(
            Target::resolve("arn:aws:lambda:us-east-1:123456789012:function:HelloFunction"),
            Target::Lambda {
                function: "HelloFunction".into()
            }
        );
    }

    #[test]
    fn bare_names_and_placeholders_are_functions() {
        assert_eq!(
            Target::resolve("fetch-token"),
            Target::Lambda {
                function: "fetch-token".into()
            }
        );
        assert_eq!(
            Target::resolve("${FetchToken}"),
            Target::Lambda {
                function: "FetchToken".into()
            }
        );
    }

    #[test]
    fn lambda_invoke_reads_function_name_and_payload() {
        let target = Target::resolve("arn:aws:states:::lambda:invoke");
        assert_eq!(target, Target::LambdaInvoke { callback: false });
        let (function, input) = target
            .call(&json!({"FunctionName": "arn:aws:lambda:us-east-1:1:function:report:live", "Payload": {"a": 1}}))
            .expect("call");
        assert_eq!(function, "report");
        assert_eq!(input, json!({"a": 1}));
        assert_eq!(
            target.result(json!("ok")),
            json!({"ExecutedVersion": "$LATEST", "Payload": "ok", "StatusCode": 200})
        );
        assert!(target.call(&json!({"Payload": {}})).is_err());
    }

    #[test]
    fn wait_for_task_token_is_a_callback() {
        let target = Target::resolve("arn:aws:states:::lambda:invoke.waitForTaskToken");
        assert!(target.is_callback());
        assert_eq!(
            target.resource_fields("ignored"),
            ("lambda".to_string(), "invoke.waitForTaskToken".to_string())
        );
        let sqs = Target::resolve("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
        assert!(sqs.is_callback());
        assert_eq!(sqs.call(&json!({})).expect("call").0, "sqs:sendMessage");
    }

    #[test]
    fn activities_and_function_names_resolve() {
        assert_eq!(
            Target::resolve("arn:aws:states:us-east-1:123456789012:activity:Add"),
            Target::Activity { name: "Add".into() }
        );
        assert_eq!(function_name("approve:prod"), "approve");
        assert_eq!(function_name("${Report}"), "Report");
    }
}
