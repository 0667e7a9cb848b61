//! The start-athena-query bootstrap answering real invocations through the Lambda Runtime
//! API emulator, its Athena client reaching the emulator's fake
//! (`lambda_emulator::steps::START_ATHENA_QUERY`).

use lambda_emulator::steps::{self, START_ATHENA_QUERY, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_start-athena-query");

#[tokio::test]
async fn starts_the_named_query_in_the_workgroup_with_its_bound_parameters() {
    // GIVEN the bootstrap under the emulator
    let (aws, mut function) = START_ATHENA_QUERY
        .start(BOOTSTRAP)
        .await
        .expect("it starts");

    // WHEN the event names decision_input, the account, and a 14-day window
    let event = START_ATHENA_QUERY
        .answered()
        .expect("it answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response is Athena's query id and the query's name
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["query"], json!("decision_input"));
    // AND Athena got one start, in the workgroup and database, the window's dates bound
    let started = aws.started_queries();
    assert_eq!(started.len(), 1, "{started:?}");
    assert_eq!(started[0]["WorkGroup"], json!(steps::WORKGROUP));
    assert_eq!(
        started[0]["QueryExecutionContext"]["Database"],
        json!(steps::DATABASE)
    );
    assert_eq!(
        started[0]["ExecutionParameters"],
        json!(["'500000001'", "'2026-10-19'", "'2026-11-01'"])
    );
    assert!(output["queryId"].as_str().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn an_unknown_query_is_refused_as_input_invalid_and_nothing_starts() {
    // GIVEN the bootstrap under the emulator
    let (aws, mut function) = START_ATHENA_QUERY
        .start(BOOTSTRAP)
        .await
        .expect("it starts");

    // WHEN the event names a query the catalog does not have
    let outcome = function
        .invoke(START_ATHENA_QUERY.refused())
        .await
        .expect("an answer");

    // THEN the error is the step's stable name, and Athena was not called
    assert_eq!(
        outcome.error_type(),
        Some(START_ATHENA_QUERY.refused_as),
        "{outcome:?}"
    );
    assert!(aws.started_queries().is_empty());
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = START_ATHENA_QUERY
        .start(BOOTSTRAP)
        .await
        .expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
