//! The apply Lambda: wiring only. Builds the S3 and Secrets Manager adapters once and runs
//! [`apply::run`] per event.
//!
//! Environment (set by the CDK stack): `BUCKET` (the data bucket), `LINKEDIN_SECRET_NAME`
//! (default `linkedin`), and optionally `LINKEDIN_API_URL`, `LINKEDIN_VERSION`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let store = aws::S3Store::from_config(&config, aws::required_env("BUCKET")?);
    let secrets = aws::SecretsManagerStore::from_config(&config);
    let settings = apply::Settings::from_env()?;
    let settings = &settings;
    let ports = apply::Ports {
        store: &store,
        secrets: &secrets,
    };
    aws::run_step(
        move |input: apply::Input| async move { apply::run(input, settings, ports).await },
    )
    .await
}
