//! The train bootstrap answering real invocations through the Lambda Runtime API emulator,
//! its S3 store reaching the emulator's fake S3 (`lambda_emulator::steps::TRAIN`).

use lambda_emulator::steps::{BUCKET, TRAIN, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_train");

#[tokio::test]
async fn trains_on_the_query_result_and_stores_version_1_in_the_bucket() {
    // GIVEN the bootstrap under the emulator, a creative_training result in its bucket
    let (aws, mut function) = TRAIN.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the state machine's input is the event
    let event = TRAIN.answered().expect("train answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response names version 1, and its model and metadata are in the bucket
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["version"], json!(1));
    assert_eq!(output["rows"], json!(60));
    for key in [
        "models/creative_scoring/v1/model.json",
        "models/creative_scoring/v1/metadata.json",
    ] {
        assert!(
            aws.object(BUCKET, key).is_some(),
            "{key} is not in the bucket"
        );
    }
}

#[tokio::test]
async fn an_empty_list_of_results_is_refused_as_input_invalid_and_nothing_is_stored() {
    let (aws, mut function) = TRAIN.start(BOOTSTRAP).await.expect("it starts");
    let outcome = function.invoke(TRAIN.refused()).await.expect("an answer");
    assert_eq!(outcome.error_type(), Some(TRAIN.refused_as), "{outcome:?}");
    assert!(format!("{outcome:?}").contains("results"), "{outcome:?}");
    assert!(
        aws.keys(BUCKET)
            .iter()
            .all(|key| !key.starts_with("models/"))
    );
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    let (_aws, mut function) = TRAIN.start(BOOTSTRAP).await.expect("it starts");
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
