//! The train Lambda: wiring only. Builds the S3 store once and runs [`train::run`] per event.
//!
//! Environment (set by the CDK stack): `BUCKET`, the data bucket (query results in, models
//! out).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let store = aws::S3Store::from_config(&config, aws::required_env("BUCKET")?);
    let store = &store;
    aws::run_step(move |input: train::Input| async move {
        train::run(input, train::Ports { store }, chrono::Utc::now()).await
    })
    .await
}
