//! The decide bootstrap answering real invocations through the Lambda Runtime API emulator,
//! its S3 store reaching the emulator's fake S3 (`lambda_emulator::steps::DECIDE`).

use lambda_emulator::steps::{self, BUCKET, DECIDE, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_decide");

#[tokio::test]
async fn decides_on_the_query_result_and_answers_the_summary_with_the_decisions_file_written() {
    // GIVEN the bootstrap under the emulator, the decision_series result in its bucket
    let (aws, mut function) = DECIDE.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the state machine's input is the event
    let event = DECIDE.answered().expect("decide answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response is the summary, naming the decisions file it wrote to the bucket
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["decisionsKey"], json!(steps::decisions_key()));
    assert_eq!(output["accountId"], json!(steps::ACCOUNT_ID.to_string()));
    assert_eq!(output["mode"], json!("bayes"));
    let written = aws
        .object(BUCKET, &steps::decisions_key())
        .expect("the decisions file is in the bucket");
    let decisions: serde_json::Value = serde_json::from_slice(&written).expect("JSON");
    assert_eq!(decisions["execution"], json!(steps::EXECUTION));
}

#[tokio::test]
async fn an_account_id_that_is_not_digits_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (aws, mut function) = DECIDE.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the input's accountId is not digits
    let outcome = function.invoke(DECIDE.refused()).await.expect("an answer");

    // THEN the error is the step's stable name, its message naming the field
    assert_eq!(outcome.error_type(), Some(DECIDE.refused_as), "{outcome:?}");
    assert!(format!("{outcome:?}").contains("accountId"), "{outcome:?}");
    // AND nothing was written
    assert!(
        aws.keys(BUCKET)
            .iter()
            .all(|key| !key.starts_with("decisions/"))
    );
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = DECIDE.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
