//! Where notices go: [`FanOut`] sends one notice to several notifiers, and
//! [`webhook_from_secret`] builds the webhook notifier when the credentials secret names
//! one. The Lambda's `main.rs` and `adsctl` both wire their channels with these.

use ads::{Notice, Notifier, PortError, SecretStore};
use async_trait::async_trait;
use notify::WebhookNotifier;

/// One notice to every notifier it holds (SNS and a webhook, say). Each is tried even when
/// an earlier one fails; the notice counts as sent only when all succeeded. With none, a
/// notice goes nowhere and that is not an error (no channel configured).
#[derive(Default, Clone)]
pub struct FanOut<'a> {
    notifiers: Vec<&'a dyn Notifier>,
}

impl<'a> FanOut<'a> {
    /// No channel yet.
    pub fn new() -> FanOut<'a> {
        FanOut::default()
    }

    /// Adds a channel.
    pub fn push(&mut self, notifier: &'a dyn Notifier) {
        self.notifiers.push(notifier);
    }

    /// How many channels it sends to.
    pub fn len(&self) -> usize {
        self.notifiers.len()
    }

    /// Whether it sends nowhere.
    pub fn is_empty(&self) -> bool {
        self.notifiers.is_empty()
    }
}

#[async_trait]
impl Notifier for FanOut<'_> {
    async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
        let mut failures = Vec::new();
        for notifier in &self.notifiers {
            if let Err(error) = notifier.notify(notice).await {
                failures.push(error);
            }
        }
        match (failures.len(), self.notifiers.len()) {
            (0, _) => Ok(()),
            (1, 1) => Err(failures.remove(0)),
            (failed, all) => Err(PortError::Unavailable {
                what: "notification".to_owned(),
                reason: format!(
                    "{failed} of {all} channels failed: {}",
                    failures
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }),
        }
    }
}

/// The webhook notifier of the credentials secret `name`'s `notifyWebhookUrl`, or `None`
/// when it has none. Errors name the secret and the problem, never a value.
pub async fn webhook_from_secret(
    secrets: &dyn SecretStore,
    name: &str,
) -> Result<Option<WebhookNotifier>, PortError> {
    let value = secrets.get(name).await?;
    let url = linkedin::secret::notify_webhook_url(&value).map_err(|error| PortError::Refused {
        what: format!("secret {name}"),
        reason: error.to_string(),
    })?;
    url.map(WebhookNotifier::new).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A notifier that records subjects, or fails.
    #[derive(Default)]
    struct Channel {
        sent: Mutex<Vec<String>>,
        broken: bool,
    }

    #[async_trait]
    impl Notifier for Channel {
        async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
            if self.broken {
                return Err(PortError::Unavailable {
                    what: "channel".into(),
                    reason: "down".into(),
                });
            }
            self.sent.lock().unwrap().push(notice.subject.clone());
            Ok(())
        }
    }

    fn notice() -> Notice {
        Notice {
            subject: "s".into(),
            text: "t".into(),
        }
    }

    #[tokio::test]
    async fn every_channel_is_tried_and_one_failure_fails_the_notice() {
        // GIVEN a broken channel before a working one
        let broken = Channel {
            broken: true,
            ..Channel::default()
        };
        let working = Channel::default();
        let mut fan_out = FanOut::new();
        fan_out.push(&broken);
        fan_out.push(&working);

        // WHEN a notice is sent
        let error = fan_out.notify(&notice()).await.unwrap_err();

        // THEN the working channel got it, and the error says one of two failed
        assert_eq!(*working.sent.lock().unwrap(), ["s"]);
        assert!(
            error.to_string().contains("1 of 2 channels failed"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn no_channel_sends_nowhere_without_error() {
        assert!(FanOut::new().notify(&notice()).await.is_ok());
    }

    #[tokio::test]
    async fn the_webhook_comes_from_the_secret_and_its_absence_is_none() {
        // GIVEN secrets with and without a webhook URL
        let with = local::MemorySecrets::with(
            "linkedin".to_owned(),
            secrecy::SecretString::from(
                r#"{"accessToken":"AQV","notifyWebhookUrl":"https://chat.example/hook/XYZSECRET"}"#,
            ),
        );
        let without = local::MemorySecrets::with(
            "linkedin".to_owned(),
            secrecy::SecretString::from(r#"{"accessToken":"AQV"}"#),
        );
        // THEN one gives a notifier, whose Debug hides the URL, and the other none
        let webhook = webhook_from_secret(&with, "linkedin")
            .await
            .unwrap()
            .unwrap();
        assert!(!format!("{webhook:?}").contains("XYZSECRET"));
        assert!(
            webhook_from_secret(&without, "linkedin")
                .await
                .unwrap()
                .is_none()
        );
    }
}
