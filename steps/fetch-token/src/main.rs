//! The fetch-token Lambda: wiring only. Builds the Secrets Manager adapter once, reads the
//! settings from the function's environment, and runs [`fetch_token::run`] per event.
//!
//! Environment: `LINKEDIN_SECRET_NAME` (default `linkedin`), and `LINKEDIN_OAUTH_URL`,
//! `LINKEDIN_API_URL`, `LINKEDIN_VERSION` as [`linkedin::Config::from_env`] reads them.

use chrono::Utc;
use fetch_token::Settings;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let settings = Settings::from_env()?;
    let config = aws::sdk_config().await;
    let secrets = aws::SecretsManagerStore::from_config(&config);
    let (settings, secrets) = (&settings, &secrets);
    aws::run_step(move |input| async move {
        fetch_token::run(input, settings, secrets, Utc::now()).await
    })
    .await
}
