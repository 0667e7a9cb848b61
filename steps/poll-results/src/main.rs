//! The poll-results Lambda: wiring only. Builds the Athena adapter once and runs
//! [`poll_results::run`] per event.
//!
//! Environment (set by the CDK stack): `ATHENA_WORKGROUP`, `ATHENA_DATABASE`, and `BUCKET`
//! (the data bucket, so results Athena writes there are reported as store keys,
//! `query-results/<id>.csv`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let engine = aws::AthenaQueryEngine::from_config(
        &config,
        aws::required_env("ATHENA_WORKGROUP")?,
        aws::required_env("ATHENA_DATABASE")?,
    )
    .with_data_bucket(aws::required_env("BUCKET")?);
    let engine = &engine;
    aws::run_step(move |input| async move { poll_results::run(input, engine).await }).await
}
