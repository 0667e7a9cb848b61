//! The report Lambda: wiring only. Builds the S3 store, the secret store and the SNS
//! notifier once, and runs [`report::run`] per event (a step input, or a failed execution's
//! status change event: [`report::event`]).
//!
//! Environment (set by the CDK stack): `BUCKET` (the data bucket), `REPORT_TOPIC_ARN`
//! (optional: the SNS topic notices are published to), `LINKEDIN_SECRET_NAME` (default
//! `linkedin`: the credentials secret, whose optional `notifyWebhookUrl` adds a
//! Slack-compatible webhook).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let config = aws::sdk_config().await;
    let store = aws::S3Store::from_config(&config, aws::required_env("BUCKET")?);
    let secrets = aws::SecretsManagerStore::from_config(&config);
    let sns = std::env::var("REPORT_TOPIC_ARN")
        .ok()
        .filter(|topic| !topic.trim().is_empty())
        .map(|topic| aws::SnsNotifier::from_config(&config, topic));
    let secret_name = linkedin::secret::secret_name(|name| std::env::var(name).ok());
    let (store, secrets, sns, secret_name) = (&store, &secrets, &sns, &secret_name);
    aws::run_step(move |payload: serde_json::Value| async move {
        // A step input, or the status change event of an execution no Catch reported.
        let input = report::event::input_from_event(payload)?;
        // Read per event, so a webhook added to the secret applies without a redeploy. A
        // secret that cannot be read must not stop a failure report from going out by SNS.
        let webhook = report::channels::webhook_from_secret(secrets, secret_name)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "no webhook channel: the credentials secret is unusable");
                None
            });
        let mut channels = report::FanOut::new();
        if let Some(sns) = sns {
            channels.push(sns);
        }
        if let Some(webhook) = &webhook {
            channels.push(webhook);
        }
        if channels.is_empty() {
            tracing::warn!(
                "no notification channel: set REPORT_TOPIC_ARN or add notifyWebhookUrl to the \
                 credentials secret; the report is written but sent nowhere"
            );
        }
        let ports = report::Ports {
            store,
            notifier: &channels,
        };
        report::run(input, ports).await
    })
    .await
}
