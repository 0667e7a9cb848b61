//! [`MockRunner`]: a [`TaskRunner`] that answers from a mocks file, for `adsctl asl run` and
//! for tests.
//!
//! The mocks file maps a function name (the name at the end of a Task's Lambda ARN, or a
//! `lambda:invoke` `FunctionName`) to the responses of its successive calls:
//!
//! ```json
//! {"fetch-token": [{"return": {"refreshed": false}}],
//!  "collect": [{"throw": {"error": "LinkedIn.RateLimited", "cause": "429"}}, {"return": {}}]}
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use serde_json::Value;

use crate::runner::{TaskCall, TaskFailure, TaskRunner};

/// The error name of a call the mocks have no response left for.
pub const NO_RESPONSE_LEFT: &str = "Mocks.NoResponseLeft";

/// One mocked response.
#[derive(Debug, Clone, PartialEq)]
pub enum MockResponse {
    /// `{"return": value}`: the task succeeds with `value`.
    Return(Value),
    /// `{"throw": {"error": ..., "cause": ...}}`: the task fails.
    Throw(TaskFailure),
}

/// A mocks file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The text is not JSON.
    #[error("the mocks file is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The top level is not an object of function names.
    #[error("the mocks file must be a JSON object mapping function names to lists of responses")]
    NotAnObject,
    /// A function's value is not a list.
    #[error("mocks for '{function}' must be a list of responses like [{{\"return\": ...}}]")]
    NotAList {
        /// The function name.
        function: String,
    },
    /// A response is neither `{"return": ...}` nor `{"throw": {"error", "cause"}}`.
    #[error(
        "mocks for '{function}', response {index}: {reason}; write {{\"return\": value}} or {{\"throw\": {{\"error\": \"Name\", \"cause\": \"...\"}}}}"
    )]
    BadResponse {
        /// The function name.
        function: String,
        /// The response's position, from 0.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// A [`TaskRunner`] answering each function's calls from a list of responses, in order, and
/// recording every call. A call beyond the list fails with [`NO_RESPONSE_LEFT`] and the cause
/// `mocks: no response left for FUNCTION (call N)`.
#[derive(Debug, Default)]
pub struct MockRunner {
    state: Mutex<MockState>,
}

#[derive(Debug, Default)]
struct MockState {
    responses: BTreeMap<String, VecDeque<MockResponse>>,
    calls: Vec<TaskCall>,
}

impl MockRunner {
    /// A runner with no responses (every call fails).
    pub fn new() -> Self {
        MockRunner::default()
    }

    /// Reads a mocks file's text.
    pub fn parse(text: &str) -> Result<Self, MockError> {
        MockRunner::from_json(&serde_json::from_str(text)?)
    }

    /// Reads a mocks object.
    pub fn from_json(mocks: &Value) -> Result<Self, MockError> {
        let object = mocks.as_object().ok_or(MockError::NotAnObject)?;
        let mut runner = MockRunner::new();
        for (function, list) in object {
            let list = list.as_array().ok_or_else(|| MockError::NotAList {
                function: function.clone(),
            })?;
            let responses = list
                .iter()
                .enumerate()
                .map(|(index, response)| {
                    parse_response(response).map_err(|reason| MockError::BadResponse {
                        function: function.clone(),
                        index,
                        reason,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            runner = runner.with(function, responses);
        }
        Ok(runner)
    }

    /// Adds responses for a function, after any it already has.
    pub fn with(self, function: &str, responses: impl IntoIterator<Item = MockResponse>) -> Self {
        self.lock()
            .responses
            .entry(function.to_string())
            .or_default()
            .extend(responses);
        self
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<TaskCall> {
        self.lock().calls.clone()
    }

    /// How many times a function was called.
    pub fn call_count(&self, function: &str) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|call| call.function == function)
            .count()
    }

    fn lock(&self) -> MutexGuard<'_, MockState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn parse_response(response: &Value) -> Result<MockResponse, String> {
    let object = response.as_object().ok_or("a response must be an object")?;
    match (object.get("return"), object.get("throw")) {
        (Some(value), None) if object.len() == 1 => Ok(MockResponse::Return(value.clone())),
        (None, Some(thrown)) if object.len() == 1 => {
            let error = thrown
                .get("error")
                .and_then(Value::as_str)
                .ok_or("\"throw\" needs an \"error\" name")?;
            let cause = thrown
                .get("cause")
                .and_then(Value::as_str)
                .unwrap_or_default();
            Ok(MockResponse::Throw(TaskFailure::new(error, cause)))
        }
        _ => Err("a response has exactly one key, \"return\" or \"throw\"".into()),
    }
}

#[async_trait]
impl TaskRunner for MockRunner {
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure> {
        let mut state = self.lock();
        state.calls.push(call.clone());
        let number = state
            .calls
            .iter()
            .filter(|c| c.function == call.function)
            .count();
        match state
            .responses
            .get_mut(&call.function)
            .and_then(VecDeque::pop_front)
        {
            Some(MockResponse::Return(value)) => Ok(value),
            Some(MockResponse::Throw(failure)) => Err(failure),
            None => Err(TaskFailure::new(
                NO_RESPONSE_LEFT,
                format!(
                    "mocks: no response left for {} (call {number})",
                    call.function
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(function: &str) -> TaskCall {
        TaskCall {
            function: function.into(),
            resource: format!("arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            input: json!({}),
            task_token: None,
            state_name: "S".into(),
            execution_name: "e".into(),
        }
    }

    #[tokio::test]
    async fn responses_are_used_in_order_then_run_out() {
        // GIVEN a function mocked to fail once and then return
        let mocks = MockRunner::parse(
            r#"{"collect": [{"throw": {"error": "LinkedIn.RateLimited", "cause": "429"}}, {"return": {"rows": 3}}]}"#,
        )
        .expect("valid mocks");
        // WHEN it is called three times
        let first = mocks.invoke(&call("collect")).await;
        let second = mocks.invoke(&call("collect")).await;
        let third = mocks.invoke(&call("collect")).await;
        // THEN the responses come in order and the third call names itself
        assert_eq!(first, Err(TaskFailure::new("LinkedIn.RateLimited", "429")));
        assert_eq!(second, Ok(json!({"rows": 3})));
        assert_eq!(
            third,
            Err(TaskFailure::new(
                NO_RESPONSE_LEFT,
                "mocks: no response left for collect (call 3)"
            ))
        );
        assert_eq!(mocks.call_count("collect"), 3);
    }

    #[tokio::test]
    async fn an_unmocked_function_fails_on_its_first_call() {
        let mocks = MockRunner::new();
        let failure = mocks.invoke(&call("report")).await.unwrap_err();
        assert_eq!(failure.cause, "mocks: no response left for report (call 1)");
    }

    #[test]
    fn malformed_mocks_name_the_function_and_response() {
        let error = MockRunner::parse(r#"{"f": [{"return": 1}, {"oops": 2}]}"#).unwrap_err();
        assert!(error.to_string().contains("mocks for 'f', response 1"));
        assert!(matches!(
            MockRunner::parse("[]"),
            Err(MockError::NotAnObject)
        ));
        assert!(matches!(
            MockRunner::parse(r#"{"f": 1}"#),
            Err(MockError::NotAList { .. })
        ));
        assert!(MockRunner::parse(r#"{"f": [{"throw": {"cause": "x"}}]}"#).is_err());
    }
}
