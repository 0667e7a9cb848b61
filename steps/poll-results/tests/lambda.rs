//! The poll-results bootstrap answering real invocations through the Lambda Runtime API
//! emulator, its Athena client reaching the emulator's fake
//! (`lambda_emulator::steps::POLL_RESULTS`).

use lambda_emulator::QueryExecution;
use lambda_emulator::steps::{self, POLL_RESULTS, QUERY_ID, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_poll-results");

#[tokio::test]
async fn a_succeeded_query_is_done_with_its_results_as_a_store_key() {
    // GIVEN the bootstrap under the emulator, the query succeeded into the data bucket
    let (_aws, mut function) = POLL_RESULTS.start(BOOTSTRAP).await.expect("it starts");

    // WHEN start-athena-query's output is the event
    let event = POLL_RESULTS
        .answered()
        .expect("it answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the loop is done, the results named by their key in the bucket
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(
        *output,
        json!({
            "queryId": QUERY_ID,
            "query": "decision_series",
            "state": "SUCCEEDED",
            "resultKey": steps::result_key(),
            "done": true,
            "attempt": 1,
        })
    );
}

#[tokio::test]
async fn a_failed_query_is_query_failed_with_athenas_reason() {
    // GIVEN the bootstrap under the emulator, and Athena saying the query failed
    let (aws, mut function) = POLL_RESULTS.start(BOOTSTRAP).await.expect("it starts");
    aws.set_query(
        QUERY_ID,
        QueryExecution::Failed {
            reason: "TABLE_NOT_FOUND: line 3:8: Table 'creative_daily' does not exist".into(),
        },
    );

    // WHEN it is polled
    let event = POLL_RESULTS.answered().expect("an event");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the error is Query.Failed, carrying Athena's reason
    assert_eq!(outcome.error_type(), Some("Query.Failed"), "{outcome:?}");
    assert!(
        format!("{outcome:?}").contains("TABLE_NOT_FOUND"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn an_empty_query_id_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = POLL_RESULTS.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event's queryId is empty
    let outcome = function
        .invoke(POLL_RESULTS.refused())
        .await
        .expect("an answer");

    // THEN the error is the step's stable name, naming the field
    assert_eq!(
        outcome.error_type(),
        Some(POLL_RESULTS.refused_as),
        "{outcome:?}"
    );
    assert!(format!("{outcome:?}").contains("queryId"), "{outcome:?}");
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = POLL_RESULTS.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
