//! The apply bootstrap answering real invocations through the Lambda Runtime API emulator,
//! its S3 store reaching the emulator's fake S3 (`lambda_emulator::steps::APPLY`).

use lambda_emulator::steps::{self, APPLY, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_apply");

#[tokio::test]
async fn a_dry_run_of_a_decisions_file_without_actions_answers_its_counts() {
    // GIVEN the bootstrap under the emulator, a decisions file with no actions in its bucket
    let (_aws, mut function) = APPLY.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the state machine's dry-run input is the event
    let event = APPLY
        .answered()
        .expect("apply answers an empty file without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response counts nothing done, for the file and the day given
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["mode"], json!("dry-run"));
    assert_eq!(output["decisionsKey"], json!(steps::decisions_key()));
    for count in ["applied", "dryRun", "skipped", "refused", "failed"] {
        assert_eq!(output[count], json!(0), "{count} in {output}");
    }
    assert_eq!(
        output["logKey"],
        json!(format!("logs/optimizer_actions/{}.jsonl", steps::AS_OF))
    );
}

#[tokio::test]
async fn a_missing_decisions_key_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = APPLY.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event's decisionsKey is empty
    let outcome = function.invoke(APPLY.refused()).await.expect("an answer");

    // THEN the error is the step's stable name, naming the field
    assert_eq!(outcome.error_type(), Some(APPLY.refused_as), "{outcome:?}");
    assert!(
        format!("{outcome:?}").contains("decisionsKey"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = APPLY.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
