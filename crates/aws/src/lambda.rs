//! The Lambda wiring every step's `main.rs` shares, so each `main.rs` is boring:
//!
//! ```ignore
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_runtime::Error> {
//!     let config = aws::sdk_config().await;
//!     let store = aws::S3Store::from_config(&config, aws::required_env("DATA_BUCKET")?);
//!     let secrets = aws::SecretsManagerStore::from_config(&config);
//!     let (store, secrets) = (&store, &secrets);
//!     aws::run_step(move |input| async move { collect::run(input, store, secrets).await }).await
//! }
//! ```
//!
//! The adapters are built once per cold start and borrowed by every invocation.
//!
//! A step's error crosses into the state machine as a Lambda error: its `errorType` is the
//! error's stable name ([`StepError::name`]), verbatim, because `Retry` and `Catch` match it
//! with `ErrorEquals`; its `errorMessage` is the error's `Display`. An event payload that
//! does not deserialize into the step's input is an [`INPUT_INVALID`] error the same way.
//!
//! A step error's message is shown in the Step Functions console and logged here, so it must
//! never contain a secret; the steps guarantee that (see DESIGN.md, "No secret in a payload,
//! a log line or an error").

use ads::error_names::{INPUT_INVALID, StepError};
use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use tracing_subscriber::EnvFilter;

/// Builds the SDK config once (region and credentials from the Lambda environment).
///
/// Every client of a step shares it, so credentials are resolved once per cold start.
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}

/// Reads a required environment variable, naming it in the error.
pub fn required_env(name: &str) -> Result<String, lambda_runtime::Error> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        Ok(_) | Err(std::env::VarError::NotPresent) => Err(format!(
            "environment variable {name} is not set or empty; the CDK stack sets it on the function"
        )
        .into()),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(format!("environment variable {name} is not valid UTF-8").into())
        }
    }
}

/// The Lambda error a step error becomes: `errorType` is its stable name, `errorMessage`
/// its `Display`.
pub fn diagnostic<E: StepError>(error: &E) -> Diagnostic {
    Diagnostic {
        error_type: error.name().to_owned(),
        error_message: error.to_string(),
    }
}

/// Initializes JSON logs (tracing-subscriber json, no ANSI, level from `RUST_LOG` or info)
/// and runs the handler: deserializes the event payload into `I`, calls `handler(I)` and
/// serializes `O`; an `Err(E)` becomes a Lambda error whose `errorType` is `E::name()`
/// ([`StepError`]) and whose `errorMessage` is `E`'s `Display`.
///
/// A payload that is not an `I` fails with `errorType` [`INPUT_INVALID`] and serde's words
/// (the field and what was expected); the handler is not called.
pub async fn run_step<I, O, E, F, Fut>(handler: F) -> Result<(), lambda_runtime::Error>
where
    I: DeserializeOwned + Send + 'static,
    O: Serialize + Send + 'static,
    E: StepError + Send + Sync + 'static,
    F: Fn(I) -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
{
    init_logs();
    let handler = &handler;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<serde_json::Value>| async move {
            let input = input::<I>(event.payload)?;
            handler(input).await.map_err(|error| {
                let diagnostic = diagnostic(&error);
                tracing::error!(
                    error_type = %diagnostic.error_type,
                    error_message = %diagnostic.error_message,
                    "step failed"
                );
                diagnostic
            })
        },
    ))
    .await
}

/// The step's input from the event payload, or an [`INPUT_INVALID`] error saying why not.
fn input<I: DeserializeOwned>(payload: serde_json::Value) -> Result<I, Diagnostic> {
    serde_json::from_value(payload).map_err(|error| {
        tracing::error!(error_type = INPUT_INVALID, %error, "step input rejected");
        Diagnostic {
            error_type: INPUT_INVALID.to_owned(),
            error_message: ads::error_names::input_mismatch(&error),
        }
    })
}

/// JSON logs for CloudWatch Logs: no ANSI colours, level from `RUST_LOG` or `info`.
///
/// A second call (a test, or a step that set up its own logs) keeps the first subscriber.
fn init_logs() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _already_set = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_current_span(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step error like the steps define: a `thiserror` enum with stable names.
    #[derive(Debug, thiserror::Error)]
    enum StepFailure {
        #[error("LinkedIn throttled account 123 past the retry budget; retry after 60 s")]
        RateLimited,
        #[error("accountId must be digits (got 'abc')")]
        BadAccount,
    }

    impl StepError for StepFailure {
        fn name(&self) -> &'static str {
            match self {
                StepFailure::RateLimited => ads::error_names::LINKEDIN_RATE_LIMITED,
                StepFailure::BadAccount => INPUT_INVALID,
            }
        }
    }

    #[test]
    fn a_step_error_becomes_a_diagnostic_named_verbatim_with_its_display_as_message() {
        // GIVEN a step error whose stable name the state machines match
        let error = StepFailure::RateLimited;

        // WHEN it crosses the Lambda boundary
        let diagnostic = diagnostic(&error);

        // THEN errorType is the name, character for character, and errorMessage the Display
        assert_eq!(diagnostic.error_type, "LinkedIn.RateLimited");
        assert_eq!(
            diagnostic.error_message,
            "LinkedIn throttled account 123 past the retry budget; retry after 60 s"
        );
    }

    #[test]
    fn the_diagnostic_serializes_as_lambdas_error_type_and_error_message() {
        // GIVEN an input error
        let diagnostic = diagnostic(&StepFailure::BadAccount);

        // WHEN it is sent to the Lambda runtime API
        let json = serde_json::to_value(&diagnostic).unwrap();

        // THEN the fields carry the names Step Functions reads
        assert_eq!(
            json,
            serde_json::json!({
                "errorType": "Input.Invalid",
                "errorMessage": "accountId must be digits (got 'abc')",
            })
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Input {
        account_id: String,
    }

    #[test]
    fn a_payload_that_is_not_the_input_becomes_input_invalid_naming_the_field() {
        // GIVEN a payload missing the input's required field
        let payload = serde_json::json!({ "account": "123" });

        // WHEN it is read as the step's input
        let error = input::<Input>(payload).unwrap_err();

        // THEN the state machine sees Input.Invalid and the message names the field
        assert_eq!(error.error_type, INPUT_INVALID);
        assert!(
            error.error_message.contains("accountId"),
            "{}",
            error.error_message
        );
    }

    #[test]
    fn a_payload_that_is_the_input_is_read_as_it() {
        // GIVEN a payload with the input's fields
        let payload = serde_json::json!({ "accountId": "123" });

        // WHEN it is read as the step's input
        let input = input::<Input>(payload).unwrap();

        // THEN the fields arrive
        assert_eq!(input.account_id, "123");
    }

    #[test]
    fn a_handler_borrowing_adapters_built_in_main_is_accepted() {
        // GIVEN an adapter built once in main and a step that borrows it
        let greeting = String::from("hello");
        let greeting = &greeting;
        async fn step(input: Input, greeting: &str) -> Result<String, StepFailure> {
            Ok(format!("{greeting} {}", input.account_id))
        }

        // WHEN the handler is wired the way every main.rs wires it
        let run = run_step(move |input: Input| async move { step(input, greeting).await });

        // THEN it type-checks; the future is dropped unpolled, since polling it needs the
        // Lambda Runtime API
        drop(run);
    }

    #[test]
    fn a_missing_environment_variable_is_named_in_the_error() {
        // GIVEN a variable no test environment sets
        let name = "AWS_CRATE_TEST_SURELY_UNSET_VARIABLE";

        // WHEN it is required
        let error = required_env(name).unwrap_err();

        // THEN the error names it
        assert!(error.to_string().contains(name), "{error}");
    }
}
