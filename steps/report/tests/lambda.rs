//! The report bootstrap answering real invocations through the Lambda Runtime API emulator,
//! its S3 store and Secrets Manager client reaching the emulator's fakes
//! (`lambda_emulator::steps::REPORT`).

use lambda_emulator::steps::{AS_OF, BUCKET, REPORT, WRONG_SHAPE};
use serde_json::json;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_report");

#[tokio::test]
async fn writes_the_days_report_to_the_bucket_and_answers_its_keys() {
    // GIVEN the bootstrap under the emulator, with no notification channel
    let (aws, mut function) = REPORT.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event asks for the day's report, not sent
    let event = REPORT.answered().expect("report answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response names both reports, and they are in the bucket
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["markdownKey"], json!(format!("reports/{AS_OF}.md")));
    assert_eq!(output["htmlKey"], json!(format!("reports/{AS_OF}.html")));
    assert_eq!(output["notified"], json!(false));
    for key in ["markdownKey", "htmlKey"] {
        let key = output[key].as_str().expect("a key");
        assert!(
            aws.object(BUCKET, key).is_some_and(|body| !body.is_empty()),
            "{key}"
        );
    }
}

#[tokio::test]
async fn a_status_change_event_without_the_executions_input_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (aws, mut function) = REPORT.start(BOOTSTRAP).await.expect("it starts");

    // WHEN a failed execution's event carries no input to name the account
    let outcome = function.invoke(REPORT.refused()).await.expect("an answer");

    // THEN the error is the step's stable name, naming the field, and nothing is written
    assert_eq!(outcome.error_type(), Some(REPORT.refused_as), "{outcome:?}");
    assert!(
        format!("{outcome:?}").contains("detail.input"),
        "{outcome:?}"
    );
    assert!(aws.keys(BUCKET).is_empty());
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = REPORT.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is neither a step input nor a status change event
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN it is refused as Input.Invalid
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
