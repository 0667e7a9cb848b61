//! The collect Lambda: builds the AWS adapters once and runs the step for each event.
//!
//! Environment (set by the CDK stack): `BUCKET` (the data bucket), `LINKEDIN_SECRET_NAME`
//! (default `linkedin`), and optionally `LINKEDIN_API_URL`, `LINKEDIN_VERSION`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let store = aws::S3Store::from_config(&config, aws::required_env("BUCKET")?);
    let secrets = aws::SecretsManagerStore::from_config(&config);
    let metrics = aws::CloudWatchMetrics::from_config(&config, "LinkedInAds");
    let settings = collect::Settings::from_env()?;
    let settings = &settings;
    let ports = collect::Ports {
        store: &store,
        secrets: &secrets,
        metrics: &metrics,
    };
    aws::run_step(move |input: collect::Input| async move {
        collect::run(input, settings, ports, chrono::Utc::now()).await
    })
    .await
}
