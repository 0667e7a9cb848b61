//! The decide Lambda: wiring only. Builds the S3 store once and runs [`decide::run`] per
//! event.
//!
//! Environment (set by the CDK stack): `BUCKET`, the data bucket (query results, ad copy,
//! action log, policy files and decisions).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let store = aws::S3Store::from_config(&config, aws::required_env("BUCKET")?);
    let store = &store;
    aws::run_step(move |input: decide::Input| async move {
        decide::run(input, decide::Ports { store }).await
    })
    .await
}
