//! # poll-results — where a started query stands
//!
//! The step after start-athena-query in the optimize state machine, run in a loop: it asks
//! the [`QueryEngine`] port once where the query stands and says whether the loop is
//! `done`. Still running → `done: false`, and the state machine's `Choice` on `$.done`
//! sends it through a `Wait` back here; succeeded → `done: true` with the store key of the
//! CSV results; failed or cancelled → the error `Query.Failed` with the engine's reason.
//!
//! The output carries the input's `queryId` and `query` forward and counts the polls in
//! `attempt`, so the loop can pass each output back as the next input unchanged:
//!
//! ```text
//! Poll (poll-results) → Done? ($.done == true → next state; otherwise → Wait 10 s → Poll)
//! ```
//!
//! Reading order: [`Input`], [`Output`], [`State`], [`Error`], [`run`]. `main.rs` is the
//! Lambda wiring.
//!
//! Deliberately not here: waiting (the state machine's `Wait` does it, free of Lambda
//! time), reading the results (decide reads the key), and cancelling a query.

use ads::error_names::{self, StepError};
use ads::{PortError, QueryEngine, QueryState};
use serde::{Deserialize, Serialize};

/// The step's input: the output of start-athena-query, or of the previous poll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The engine's id for the query, as start-athena-query returned it.
    pub query_id: String,
    /// The query's name (e.g. `decision_input`); optional, carried to the output and named
    /// in errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// How many polls came before this one: absent or 0 on the first.
    #[serde(default)]
    pub attempt: Option<u32>,
    /// The most polls allowed, at least 1: a query still running at poll number
    /// `maxAttempts` fails the step with `Query.Timeout`. Absent means no limit (Athena
    /// ends a query at the workgroup's own timeout, and the execution has one too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
}

/// Where the query stands, and whether the loop is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The query's id, as given.
    pub query_id: String,
    /// The query's name, as given (absent when the input had none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// `RUNNING` (queued or running) or `SUCCEEDED`.
    pub state: State,
    /// Where the CSV results are, once `SUCCEEDED`: a store key (`query-results/<id>.csv`)
    /// when the engine wrote them into the data bucket, else the engine's full URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_key: Option<String>,
    /// Whether the query has finished: the `Choice` that ends the `Wait` loop tests this.
    pub done: bool,
    /// This poll's number, 1 on the first; the next poll takes it as its `attempt`.
    pub attempt: u32,
    /// The limit given, carried to the next poll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
}

/// Where a query stands, as the output spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    /// Queued or running: poll again after a wait.
    Running,
    /// Finished; the results are at `resultKey`.
    Succeeded,
}

/// Why the step failed. [`StepError::name`] gives the stable name the state machine matches.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is not usable (`Input.Invalid`).
    #[error("input {field}: {reason}")]
    InvalidInput {
        /// The input field, as the state machine spells it.
        field: &'static str,
        /// What is wrong and what to pass instead.
        reason: String,
    },
    /// The engine knows no query with this id (`Input.Invalid`).
    #[error(
        "input queryId: the query engine knows no query {query_id}; pass the queryId \
         start-athena-query returned (Athena keeps query history for 45 days)"
    )]
    UnknownQuery {
        /// The id given.
        query_id: String,
    },
    /// The query failed or was cancelled, or the engine could not say where it stands
    /// (`Query.Failed`).
    #[error("query {}{query_id} failed: {reason}", named(.query))]
    Failed {
        /// The query's id.
        query_id: String,
        /// The query's name, when the input gave it.
        query: Option<String>,
        /// The engine's reason.
        reason: String,
    },
    /// The query was still running at the last poll allowed (`Query.Timeout`).
    #[error(
        "query {}{query_id} was still running after {attempts} polls (maxAttempts); it was \
         left running — raise maxAttempts or the Wait between polls, or look the query up in \
         the engine's console",
        named(.query)
    )]
    TimedOut {
        /// The query's id.
        query_id: String,
        /// The query's name, when the input gave it.
        query: Option<String>,
        /// How many polls were made.
        attempts: u32,
    },
}

/// `name ` before a query id in messages, when the name is known.
fn named(query: &Option<String>) -> String {
    query
        .as_deref()
        .map_or_else(String::new, |name| format!("{name} "))
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } | Error::UnknownQuery { .. } => error_names::INPUT_INVALID,
            Error::Failed { .. } => error_names::QUERY_FAILED,
            Error::TimedOut { .. } => error_names::QUERY_TIMEOUT,
        }
    }
}

/// Asks `engine` once where the query stands. Read-only, so always safe to retry.
pub async fn run(input: Input, engine: &dyn QueryEngine) -> Result<Output, Error> {
    if input.query_id.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "queryId",
            reason: "it is empty; pass the queryId start-athena-query returned".to_owned(),
        });
    }
    if input.max_attempts == Some(0) {
        return Err(Error::InvalidInput {
            field: "maxAttempts",
            reason: "it must be at least 1; leave it out for no limit".to_owned(),
        });
    }
    let attempt = input.attempt.unwrap_or(0).saturating_add(1);
    let failed = |reason: String| Error::Failed {
        query_id: input.query_id.clone(),
        query: input.query.clone(),
        reason,
    };
    let (state, result_key) = match engine.state(&input.query_id).await {
        Ok(QueryState::Running) => (State::Running, None),
        Ok(QueryState::Succeeded { result_key }) => (State::Succeeded, Some(result_key)),
        Ok(QueryState::Failed { reason }) => return Err(failed(reason)),
        Err(PortError::NotFound { .. }) => {
            return Err(Error::UnknownQuery {
                query_id: input.query_id,
            });
        }
        Err(error) => return Err(failed(error.to_string())),
    };
    if state == State::Running && input.max_attempts.is_some_and(|max| attempt >= max) {
        return Err(Error::TimedOut {
            query_id: input.query_id,
            query: input.query,
            attempts: attempt,
        });
    }
    tracing::info!(query_id = %input.query_id, ?state, attempt, "polled query");
    Ok(Output {
        query_id: input.query_id,
        query: input.query,
        done: state == State::Succeeded,
        state,
        result_key,
        attempt,
        max_attempts: input.max_attempts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::QueryRequest;
    use async_trait::async_trait;
    use serde_json::json;
    use std::sync::Mutex;

    /// A query engine that answers every `state` with one result and records the ids asked.
    struct FakeEngine {
        answer: Result<QueryState, PortError>,
        asked: Mutex<Vec<String>>,
    }

    impl FakeEngine {
        fn answering(answer: Result<QueryState, PortError>) -> FakeEngine {
            FakeEngine {
                answer,
                asked: Mutex::new(Vec::new()),
            }
        }
    }

    #[async_trait]
    impl QueryEngine for FakeEngine {
        async fn start(&self, _query: &QueryRequest) -> Result<String, PortError> {
            unreachable!("poll-results never starts a query")
        }

        async fn state(&self, id: &str) -> Result<QueryState, PortError> {
            self.asked.lock().unwrap().push(id.to_owned());
            self.answer.clone()
        }
    }

    fn input(json: serde_json::Value) -> Input {
        serde_json::from_value(json).unwrap()
    }

    #[tokio::test]
    async fn a_running_query_is_not_done_and_counts_the_poll() {
        // GIVEN a query still running, polled for the first time
        let engine = FakeEngine::answering(Ok(QueryState::Running));
        let first = input(json!({ "queryId": "q-1", "query": "decision_input" }));

        // WHEN it is polled
        let output = run(first, &engine).await.unwrap();

        // THEN the loop goes on: RUNNING, not done, no results, poll number 1
        assert_eq!(*engine.asked.lock().unwrap(), ["q-1"]);
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            json!({ "queryId": "q-1", "query": "decision_input", "state": "RUNNING", "done": false, "attempt": 1 })
        );
    }

    #[tokio::test]
    async fn the_output_fed_back_as_input_counts_on() {
        // GIVEN the output of a poll, passed back by the loop unchanged
        let engine = FakeEngine::answering(Ok(QueryState::Running));
        let first = run(input(json!({ "queryId": "q-1" })), &engine)
            .await
            .unwrap();
        let again = input(serde_json::to_value(&first).unwrap());

        // WHEN it is polled again
        let second = run(again, &engine).await.unwrap();

        // THEN it is poll number 2 of the same query
        assert_eq!(second.attempt, 2);
        assert_eq!(second.query_id, "q-1");
    }

    #[tokio::test]
    async fn a_succeeded_query_is_done_with_its_result_key() {
        // GIVEN a query that succeeded
        let engine = FakeEngine::answering(Ok(QueryState::Succeeded {
            result_key: "query-results/q-1.csv".to_owned(),
        }));

        // WHEN it is polled for the third time
        let output = run(input(json!({ "queryId": "q-1", "attempt": 2 })), &engine)
            .await
            .unwrap();

        // THEN the loop ends: SUCCEEDED, done, and where the results are
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            json!({ "queryId": "q-1", "state": "SUCCEEDED", "resultKey": "query-results/q-1.csv", "done": true, "attempt": 3 })
        );
    }

    #[tokio::test]
    async fn a_failed_query_is_query_failed_with_the_engines_reason() {
        // GIVEN a query the engine failed
        let engine = FakeEngine::answering(Ok(QueryState::Failed {
            reason: "COLUMN_NOT_FOUND: Column 'ctr' cannot be resolved".to_owned(),
        }));

        // WHEN it is polled
        let error = run(
            input(json!({ "queryId": "q-1", "query": "decision_input" })),
            &engine,
        )
        .await
        .unwrap_err();

        // THEN Query.Failed names the query and carries the engine's reason
        assert_eq!(error.name(), "Query.Failed");
        assert_eq!(
            error.to_string(),
            "query decision_input q-1 failed: COLUMN_NOT_FOUND: Column 'ctr' cannot be resolved"
        );
    }

    #[tokio::test]
    async fn an_unknown_query_id_is_invalid_input_naming_query_id() {
        // GIVEN an engine that knows no such query
        let engine = FakeEngine::answering(Err(PortError::NotFound {
            what: "Athena query execution nope".to_owned(),
        }));

        // WHEN it is polled
        let error = run(input(json!({ "queryId": "nope" })), &engine)
            .await
            .unwrap_err();

        // THEN Input.Invalid names queryId and the id given
        assert_eq!(error.name(), "Input.Invalid");
        let message = error.to_string();
        assert!(message.contains("queryId"), "{message}");
        assert!(message.contains("nope"), "{message}");
    }

    #[tokio::test]
    async fn an_engine_that_cannot_answer_is_query_failed_with_its_reason() {
        // GIVEN an engine that is unavailable
        let engine = FakeEngine::answering(Err(PortError::Unavailable {
            what: "Athena query execution q-1".to_owned(),
            reason: "ThrottlingException: Rate exceeded".to_owned(),
        }));

        // WHEN the query is polled
        let error = run(input(json!({ "queryId": "q-1" })), &engine)
            .await
            .unwrap_err();

        // THEN Query.Failed carries the engine's words
        assert_eq!(error.name(), "Query.Failed");
        assert!(error.to_string().contains("Rate exceeded"), "{error}");
    }

    #[tokio::test]
    async fn an_empty_query_id_is_invalid_input_and_the_engine_is_not_asked() {
        // GIVEN an input without a query id
        let engine = FakeEngine::answering(Ok(QueryState::Running));

        // WHEN it is polled
        let error = run(input(json!({ "queryId": " " })), &engine)
            .await
            .unwrap_err();

        // THEN Input.Invalid names queryId, and no engine call was made
        assert_eq!(error.name(), "Input.Invalid");
        assert!(error.to_string().contains("queryId"), "{error}");
        assert!(engine.asked.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_query_still_running_at_the_last_poll_allowed_times_out() {
        // GIVEN a query still running, and the poll before the last one allowed done
        let engine = FakeEngine::answering(Ok(QueryState::Running));
        let last = input(json!({ "queryId": "q-1", "attempt": 2, "maxAttempts": 3 }));

        // WHEN the last allowed poll runs
        let error = run(last, &engine).await.unwrap_err();

        // THEN Query.Timeout says how many polls were made
        assert_eq!(error.name(), "Query.Timeout");
        assert!(error.to_string().contains("after 3 polls"), "{error}");
    }

    #[tokio::test]
    async fn a_query_that_succeeds_at_the_last_poll_allowed_is_done() {
        // GIVEN a query that has just succeeded, at the last poll allowed
        let engine = FakeEngine::answering(Ok(QueryState::Succeeded {
            result_key: "query-results/q-1.csv".to_owned(),
        }));
        let last = input(json!({ "queryId": "q-1", "attempt": 2, "maxAttempts": 3 }));

        // WHEN it is polled
        let output = run(last, &engine).await.unwrap();

        // THEN it is done, not timed out, and the limit travels on
        assert!(output.done);
        assert_eq!(output.max_attempts, Some(3));
    }
}
