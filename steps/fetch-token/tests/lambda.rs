//! The fetch-token bootstrap answering real invocations through the Lambda Runtime API
//! emulator: its Secrets Manager client reaching the emulator's fake, its OAuth client the
//! LinkedIn simulator (`lambda_emulator::steps::FETCH_TOKEN`).

use chrono::{Duration, Utc};
use lambda_emulator::steps::{self, FETCH_TOKEN, SECRET_NAME, WRONG_SHAPE};
use lambda_emulator::{FakeAws, Function};
use serde_json::{Value, json};
use sim::Scenario;

const BOOTSTRAP: &str = env!("CARGO_BIN_EXE_fetch-token");

#[tokio::test]
async fn a_fresh_token_is_reported_without_a_refresh_and_with_what_to_do_about_it() {
    // GIVEN the bootstrap under the emulator, the secret holding a fresh token it cannot
    // refresh (no refresh token)
    let (aws, mut function) = FETCH_TOKEN.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the scheduled input is the event
    let event = FETCH_TOKEN
        .answered()
        .expect("fetch-token answers without LinkedIn");
    let outcome = function.invoke(event).await.expect("an answer");

    // THEN the response reports the stored expiry, no refresh, and the warning that names
    // the fix
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["refreshed"], json!(false));
    assert_eq!(
        output["accessTokenExpiresAt"],
        json!(steps::ACCESS_TOKEN_EXPIRES_AT)
    );
    assert!(
        output["warnings"][0]
            .as_str()
            .is_some_and(|warning| warning.contains("cannot be refreshed automatically")),
        "{output}"
    );
    // AND the secret is as it was
    assert_eq!(
        aws.secret(SECRET_NAME),
        Some(steps::fresh_token_secret().to_string())
    );
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_through_linkedin_and_stored_back_never_returned() {
    // GIVEN the LinkedIn simulator, and the secret holding its app and tokens with the
    // access token expiring in 3 days
    let sim = sim::spawn(Scenario {
        campaigns_per_account: 1,
        creatives_per_campaign: 1,
        ..Scenario::default()
    })
    .await
    .expect("the simulator starts");
    let credentials = sim.admin().credentials().await.expect("credentials");
    let now = Utc::now();
    let aws = FakeAws::start().await.expect("the fake AWS starts");
    aws.put_secret(
        SECRET_NAME,
        json!({
            "clientId": credentials.client_id,
            "clientSecret": credentials.client_secret,
            "accessToken": credentials.access_token,
            "accessTokenExpiresAt": (now + Duration::days(3)).to_rfc3339(),
            "refreshToken": credentials.refresh_token,
            "refreshTokenExpiresAt": (now + Duration::days(200)).to_rfc3339(),
        })
        .to_string(),
    );
    // AND the bootstrap under the emulator, its OAuth client pointed at the simulator
    let bootstrap = FETCH_TOKEN
        .bootstrap(BOOTSTRAP, &aws)
        .env("LINKEDIN_OAUTH_URL", sim.oauth_url());
    let mut function = Function::start(bootstrap).await.expect("it starts");

    // WHEN the scheduled input is the event
    let outcome = function.invoke(json!({})).await.expect("an answer");

    // THEN it refreshed, and the response carries metadata only
    let logs = function.logs();
    let output = outcome
        .response()
        .unwrap_or_else(|| panic!("{outcome:?}\n{logs}"));
    assert_eq!(output["refreshed"], json!(true), "{output}");
    for secret in [&credentials.access_token, &credentials.refresh_token] {
        assert!(!output.to_string().contains(secret.as_str()), "{output}");
        assert!(
            !logs.contains(secret.as_str()),
            "a token was logged: {logs}"
        );
    }
    // AND the new access token is in the secret, the refresh token kept
    let stored: Value =
        serde_json::from_str(&aws.secret(SECRET_NAME).expect("the secret")).expect("JSON");
    assert_ne!(stored["accessToken"], json!(credentials.access_token));
    assert_eq!(stored["refreshToken"], json!(credentials.refresh_token));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_refresh_margin_out_of_range_is_refused_as_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = FETCH_TOKEN.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the refresh margin is 60 days, longer than a token lives
    let outcome = function
        .invoke(FETCH_TOKEN.refused())
        .await
        .expect("an answer");

    // THEN the error is the step's stable name, its message naming the field
    assert_eq!(
        outcome.error_type(),
        Some(FETCH_TOKEN.refused_as),
        "{outcome:?}"
    );
    assert!(
        format!("{outcome:?}").contains("refreshMarginDays"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_input_invalid() {
    // GIVEN the bootstrap under the emulator
    let (_aws, mut function) = FETCH_TOKEN.start(BOOTSTRAP).await.expect("it starts");

    // WHEN the event is not an object
    let outcome = function
        .invoke(json!(WRONG_SHAPE))
        .await
        .expect("an answer");

    // THEN the runtime wiring refuses it as Input.Invalid before the step runs
    assert_eq!(outcome.error_type(), Some("Input.Invalid"), "{outcome:?}");
}
