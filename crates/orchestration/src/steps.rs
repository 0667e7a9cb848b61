//! The eight steps as the local executor's Task handlers: [`LocalSteps`] answers a Task by
//! the function name its `Resource` resolves to (`fetch-token`, `collect`, ...), running the
//! step's own `run` over the adapters it was given — the same code the Lambda mains run, with
//! the local store, secrets, query engine and notifier instead of AWS's.
//!
//! A payload becomes the step's input type as on Lambda: one that does not fit fails with
//! `Input.Invalid` and serde's words, and a step's error fails the Task with the error's
//! stable name ([`StepError::name`]) and its message as the cause, so the state machines'
//! `Retry` and `Catch` match exactly what they match on AWS.
//!
//! Time: the steps that ask for "now" (fetch-token, collect, train) get the executor's clock, so a
//! run on a simulated clock collects the simulated days.

use std::future::Future;

use ads::error_names::{INPUT_INVALID, StepError, input_mismatch};
use ads::{Metrics, Notifier, ObjectStore, QueryEngine, SecretStore};
use asl::{Clock, TaskCall, TaskFailure, TaskRunner};
use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every function name the state machines call, one per step.
pub const STEP_NAMES: [&str; 8] = [
    "fetch-token",
    "collect",
    "start-athena-query",
    "poll-results",
    "decide",
    "apply",
    "report",
    "train",
];

/// The error of a Task naming no step.
const UNKNOWN_FUNCTION: &str = "Lambda.ResourceNotFoundException";

/// The adapters and settings the steps run with on this machine.
pub struct LocalSteps<'a> {
    /// Where data, decisions, reports, logs and executions are.
    pub store: &'a dyn ObjectStore,
    /// Where the LinkedIn credentials are.
    pub secrets: &'a dyn SecretStore,
    /// Where collect's operational metrics go.
    pub metrics: &'a dyn Metrics,
    /// The query engine (DataFusion over the store's Parquet).
    pub engine: &'a dyn QueryEngine,
    /// Where report's notices go.
    pub notifier: &'a dyn Notifier,
    /// How to reach LinkedIn, and the secret's name.
    pub linkedin: linkedin::Config,
    /// The name of the LinkedIn credentials secret.
    pub secret_name: String,
    /// The executor's clock: "now" for fetch-token and collect.
    pub clock: &'a dyn Clock,
}

#[async_trait]
impl TaskRunner for LocalSteps<'_> {
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure> {
        let input = call.input.clone();
        let now = self.clock.now();
        match call.function.as_str() {
            "fetch-token" => {
                let settings = fetch_token::Settings {
                    secret_name: self.secret_name.clone(),
                    ..fetch_token::Settings::new(self.linkedin.clone())
                };
                step(input, |i| fetch_token::run(i, &settings, self.secrets, now)).await
            }
            "collect" => {
                let settings = collect::Settings {
                    secret_name: self.secret_name.clone(),
                    linkedin: self.linkedin.clone(),
                    ..collect::Settings::default()
                };
                let ports = collect::Ports {
                    store: self.store,
                    secrets: self.secrets,
                    metrics: self.metrics,
                };
                step(input, |i| collect::run(i, &settings, ports, now)).await
            }
            "start-athena-query" => step(input, |i| start_athena_query::run(i, self.engine)).await,
            "poll-results" => step(input, |i| poll_results::run(i, self.engine)).await,
            "decide" => {
                let ports = decide::Ports { store: self.store };
                step(input, |i| decide::run(i, ports)).await
            }
            "apply" => {
                let settings = apply::Settings {
                    secret_name: self.secret_name.clone(),
                    linkedin: self.linkedin.clone(),
                };
                let ports = apply::Ports {
                    store: self.store,
                    secrets: self.secrets,
                };
                step(input, |i| apply::run(i, &settings, ports)).await
            }
            "report" => {
                let ports = report::Ports {
                    store: self.store,
                    notifier: self.notifier,
                };
                step(input, |i| report::run(i, ports)).await
            }
            "train" => {
                let ports = train::Ports { store: self.store };
                step(input, |i| train::run(i, ports, now)).await
            }
            other => Err(TaskFailure::new(
                UNKNOWN_FUNCTION,
                format!(
                    "no local step is called '{other}' (Task '{}'); the steps are {}",
                    call.state_name,
                    STEP_NAMES.join(", ")
                ),
            )),
        }
    }
}

/// Runs one step over `payload` as its Lambda main would: the payload into the input type,
/// the output into JSON, an error into its stable name and message.
async fn step<I, O, E, F, Fut>(payload: Value, run: F) -> Result<Value, TaskFailure>
where
    I: DeserializeOwned,
    O: Serialize,
    E: StepError,
    F: FnOnce(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let input: I = serde_json::from_value(payload)
        .map_err(|error| TaskFailure::new(INPUT_INVALID, input_mismatch(&error)))?;
    let output = run(input)
        .await
        .map_err(|error| TaskFailure::new(error.name(), error.to_string()))?;
    serde_json::to_value(output)
        .map_err(|error| TaskFailure::new("States.Runtime", format!("step output: {error}")))
}
