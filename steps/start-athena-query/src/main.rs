//! The start-athena-query Lambda: wiring only. Builds the Athena adapter once and runs
//! [`start_athena_query::run`] per event.
//!
//! Environment (set by the CDK stack): `ATHENA_WORKGROUP` (whose results location is
//! `s3://<data bucket>/query-results/`) and `ATHENA_DATABASE` (the Glue database of the
//! `athena/tables`, `linkedin_ads`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let engine = aws::AthenaQueryEngine::from_config(
        &config,
        aws::required_env("ATHENA_WORKGROUP")?,
        aws::required_env("ATHENA_DATABASE")?,
    );
    let engine = &engine;
    aws::run_step(move |input| async move { start_athena_query::run(input, engine).await }).await
}
