//! The collect bootstrap answering real invocations through the Lambda Runtime API
//! emulator: its LinkedIn client reaching the simulator, its S3, Secrets Manager and
//! CloudWatch clients the emulator's fakes (`lambda_emulator::steps::COLLECT`).

use chrono::Days;
use lambda_emulator::steps::{BUCKET, COLLECT, SECRET_NAME, WRONG_SHAPE};
use lambda_emulator::{FakeAws, Function};
use serde_json::json;
use sim::Scenario;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_collect");

#[tokio::test]
async fn collects_the_simulated_days_into_the_bucket_and_answers_the_counts() {
    // GIVEN the LinkedIn simulator with three days delivered for one campaign of two
    // creatives, and its access token in the credentials secret
    let sim = sim::spawn(Scenario {
        accounts: 1,
        campaigns_per_account: 1,
        creatives_per_campaign: 2,
        ..Scenario::default()
    })
    .await
    .expect("the simulator starts");
    let clock = sim.admin().advance(3).await.expect("the clock advances");
    let account = sim.admin().truth_creatives().await.expect("truth")[0].account_id;
    let credentials = sim.admin().credentials().await.expect("credentials");
    let aws = FakeAws::start().await.expect("the fake AWS starts");
    aws.put_secret(
        SECRET_NAME,
        json!({ "accessToken": credentials.access_token }).to_string(),
    );
    // AND the bootstrap under the emulator, its LinkedIn client pointed at the simulator
    let bootstrap = COLLECT
        .bootstrap(BOOTSTRAP, &aws)
        .env("LINKEDIN_API_URL", sim.api_url());
    let mut function = Function::start(bootstrap).await.expect("it starts");

    // WHEN the event asks for the three delivered days
    let end = clock.today - Days::new(1);
    let event = json!({
        "accountId": account.to_string(),
        "endDate": end.to_string(),
        "lookbackDays": 3,
    });
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response counts the campaign, its creatives and the days
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["days"], json!(3), "{output}");
    assert_eq!(output["campaigns"], json!(1), "{output}");
    assert_eq!(output["creatives"], json!(2), "{output}");
    // AND every object it says it wrote is in the bucket, and the run's metrics were sent
    let written = output["keysWritten"].as_u64().expect("a count");
    assert!(written > 0, "{output}");
    assert_eq!(
        aws.keys(BUCKET).len() as u64,
        written,
        "{:?}",
        aws.keys(BUCKET)
    );
    assert!(aws.metric_puts() > 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_account_id_that_is_not_digits_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (aws, mut function) = COLLECT.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event's accountId is not digits
    let outcome = function.invoke(COLLECT.refused()).await.expect("an answer");

    // THEN the error is the step's stable name, naming the field, and nothing is written
    assert_eq!(
        outcome.error_type(),
        Some(COLLECT.refused_as),
        "{outcome:?}"
    );
    assert!(format!("{outcome:?}").contains("accountId"), "{outcome:?}");
    assert!(aws.keys(BUCKET).is_empty());
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = COLLECT.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
