//! [`WebhookNotifier`]: a notice as one JSON `POST` to a Slack-compatible incoming webhook.
//!
//! The body is `{"text": "*<subject>*\n\n<text>"}` — Slack's `mrkdwn` shows `*...*` bold
//! (<https://api.slack.com/messaging/webhooks>). Slack truncates a message's text past
//! 40,000 characters
//! (<https://api.slack.com/changelog/2018-04-truncating-really-long-messages>); the text is
//! cut below that first, at a line end and with a closing line, so the reader sees the cut.
//!
//! Slack reads `<...>` as a link or mention and `&` as an entity, so `&`, `<` and `>` in the
//! subject and text are sent as `&amp;`, `&lt;` and `&gt;`, as Slack asks
//! (<https://api.slack.com/reference/surfaces/formatting#escaping>): a headline with markup
//! shows as written.
//!
//! Any answer but 2xx is [`PortError::Unavailable`] with the status and the first words of
//! the body (Slack answers e.g. `404 no_service` for a deleted webhook). The URL is never
//! in an error: reqwest's errors carry the URL, so it is stripped ([`reqwest::Error::without_url`]),
//! and a body that echoes it is redacted.

use std::fmt;
use std::time::Duration;

use ads::{Notice, Notifier, PortError};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

/// The most bytes of text sent: under Slack's 40,000-character truncation.
pub const MAX_TEXT_BYTES: usize = 39_000;

/// How long one `POST` may take before it counts as unavailable.
const TIMEOUT: Duration = Duration::from_secs(10);

/// How many characters of an error answer's body an error quotes.
const BODY_QUOTE_CHARS: usize = 100;

/// How a webhook notification is named in errors (never with its URL).
const WHAT: &str = "webhook notification";

/// A [`Notifier`] posting to one incoming webhook. `Debug` never shows the URL.
#[derive(Clone)]
pub struct WebhookNotifier {
    http: reqwest::Client,
    url: SecretString,
}

impl WebhookNotifier {
    /// A notifier posting to `url`, an `http` or `https` URL (from the secret's
    /// `notifyWebhookUrl`).
    ///
    /// A URL that does not parse, or of another scheme, is [`PortError::Refused`] with a
    /// message that does not echo it.
    pub fn new(url: SecretString) -> Result<WebhookNotifier, PortError> {
        let refuse = |reason: &str| PortError::Refused {
            what: "the notifyWebhookUrl".to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = reqwest::Url::parse(url.expose_secret())
            .map_err(|_| refuse("it is not a URL; paste the webhook URL the chat app gave"))?;
        if !matches!(parsed.scheme(), "https" | "http") {
            return Err(refuse("it must be an https:// URL"));
        }
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|error| PortError::Unavailable {
                what: WHAT.to_owned(),
                reason: format!("the HTTP client could not start: {}", error.without_url()),
            })?;
        Ok(WebhookNotifier { http, url })
    }

    /// The JSON body for `notice`.
    fn body(notice: &Notice) -> serde_json::Value {
        let text = format!(
            "*{}*\n\n{}",
            slack_escape(&notice.subject),
            slack_escape(&notice.text_within(MAX_TEXT_BYTES))
        );
        json!({ "text": text })
    }

    /// The start of an error answer's body, without the URL should the server echo it.
    fn quote(&self, body: &str) -> String {
        let quoted: String = body.trim().chars().take(BODY_QUOTE_CHARS).collect();
        quoted.replace(self.url.expose_secret(), "<webhook URL>")
    }
}

impl fmt::Debug for WebhookNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookNotifier")
            .field("url", &"<secret>")
            .finish()
    }
}

/// `text` with Slack's three control characters escaped.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Each error's `Display` down the `source` chain, joined by `: `.
fn chain(error: &dyn std::error::Error) -> String {
    let mut words = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

#[async_trait]
impl Notifier for WebhookNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
        let unavailable = |reason: String| PortError::Unavailable {
            what: WHAT.to_owned(),
            reason,
        };
        let response = self
            .http
            .post(self.url.expose_secret())
            .json(&Self::body(notice))
            .send()
            .await
            .map_err(|error| unavailable(chain(&error.without_url())))?;
        let status = response.status();
        if status.is_success() {
            tracing::info!(status = status.as_u16(), "webhook notified");
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        Err(unavailable(format!(
            "the webhook answered {status}: {}",
            self.quote(&body)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::extract::State;
    use axum::http::StatusCode;
    use axum::routing::post;
    use std::sync::{Arc, Mutex};

    type Received = Arc<Mutex<Vec<serde_json::Value>>>;

    /// A webhook on 127.0.0.1 that records each JSON body and answers `status` with
    /// `answer`; its URL carries a token, as Slack's do.
    async fn webhook(status: StatusCode, answer: &'static str) -> (SecretString, Received) {
        let received: Received = Arc::default();
        let app = Router::new()
            .route(
                "/services/T000/B000/XXXSECRETTOKEN",
                post(
                    move |State(received): State<Received>,
                          axum::Json(body): axum::Json<serde_json::Value>| async move {
                        received.lock().unwrap().push(body);
                        (status, answer)
                    },
                ),
            )
            .with_state(received.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let url = format!("http://{address}/services/T000/B000/XXXSECRETTOKEN");
        (SecretString::from(url), received)
    }

    fn notice() -> Notice {
        Notice {
            subject: "LinkedIn Ads report 2026-09-01".to_owned(),
            text: "# Report\n\n- paused creative 880000002".to_owned(),
        }
    }

    #[tokio::test]
    async fn posts_the_subject_in_bold_then_the_text_as_json() {
        // GIVEN a webhook that accepts posts
        let (url, received) = webhook(StatusCode::OK, "ok").await;
        let notifier = WebhookNotifier::new(url).unwrap();

        // WHEN a notice is sent
        notifier.notify(&notice()).await.unwrap();

        // THEN one body arrived: {"text": "*subject*\n\ntext"}
        let received = received.lock().unwrap();
        assert_eq!(
            *received,
            [json!({
                "text": "*LinkedIn Ads report 2026-09-01*\n\n# Report\n\n- paused creative 880000002"
            })]
        );
    }

    #[tokio::test]
    async fn markup_is_escaped_the_way_slack_asks() {
        // GIVEN a webhook and a notice quoting a headline with markup
        let (url, received) = webhook(StatusCode::OK, "ok").await;
        let notifier = WebhookNotifier::new(url).unwrap();
        let notice = Notice {
            subject: "A & B".to_owned(),
            text: "new ad “<script>x</script>”".to_owned(),
        };

        // WHEN it is sent
        notifier.notify(&notice).await.unwrap();

        // THEN Slack receives entities, so it shows the characters as written
        assert_eq!(
            received.lock().unwrap()[0]["text"],
            "*A &amp; B*\n\nnew ad “&lt;script&gt;x&lt;/script&gt;”"
        );
    }

    #[tokio::test]
    async fn a_refusal_is_unavailable_with_the_status_and_never_the_url() {
        // GIVEN a webhook that was deleted (Slack answers 404 no_service)
        let (url, _) = webhook(StatusCode::NOT_FOUND, "no_service").await;
        let notifier = WebhookNotifier::new(url).unwrap();

        // WHEN a notice is sent
        let error = notifier.notify(&notice()).await.unwrap_err();

        // THEN the error is Unavailable, with the status and Slack's word, not the token
        assert!(matches!(error, PortError::Unavailable { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains("404"), "{message}");
        assert!(message.contains("no_service"), "{message}");
        assert!(!message.contains("XXXSECRETTOKEN"), "{message}");
    }

    #[tokio::test]
    async fn an_answer_echoing_the_url_is_redacted() {
        // GIVEN a webhook whose error page quotes the URL it was called at
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/hook/XXXSECRETTOKEN",
            listener.local_addr().unwrap()
        );
        let echoed = url.clone();
        let app = Router::new().route(
            "/hook/XXXSECRETTOKEN",
            post(move || async move { (StatusCode::BAD_REQUEST, format!("bad {echoed}")) }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let notifier = WebhookNotifier::new(SecretString::from(url)).unwrap();

        // WHEN a notice is sent
        let message = notifier.notify(&notice()).await.unwrap_err().to_string();

        // THEN the status is there and the URL is not
        assert!(message.contains("400"), "{message}");
        assert!(!message.contains("XXXSECRETTOKEN"), "{message}");
    }

    #[tokio::test]
    async fn an_unreachable_webhook_is_unavailable_without_the_url() {
        // GIVEN a URL on a port nothing listens on
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let url = format!("http://{address}/services/XXXSECRETTOKEN");
        let notifier = WebhookNotifier::new(SecretString::from(url)).unwrap();

        // WHEN a notice is sent
        let error = notifier.notify(&notice()).await.unwrap_err();

        // THEN it is Unavailable, and neither the error nor Debug shows the token
        assert!(matches!(error, PortError::Unavailable { .. }), "{error:?}");
        assert!(!error.to_string().contains("XXXSECRETTOKEN"), "{error}");
        assert!(!format!("{notifier:?}").contains("XXXSECRETTOKEN"));
    }

    #[test]
    fn a_url_that_is_not_http_is_refused_without_echoing_it() {
        for url in [
            "not a url XXXSECRETTOKEN",
            "ftp://example.com/XXXSECRETTOKEN",
        ] {
            let error = WebhookNotifier::new(SecretString::from(url)).unwrap_err();
            assert!(matches!(error, PortError::Refused { .. }), "{error:?}");
            assert!(!error.to_string().contains("XXXSECRETTOKEN"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_text_past_slacks_limit_is_cut_with_a_note() {
        // GIVEN a webhook and a notice of 100,000 bytes
        let (url, received) = webhook(StatusCode::OK, "ok").await;
        let notifier = WebhookNotifier::new(url).unwrap();
        let long = Notice {
            subject: "big".to_owned(),
            text: "a line of the report\n".repeat(5000),
        };

        // WHEN it is sent
        notifier.notify(&long).await.unwrap();

        // THEN what arrived is under Slack's 40,000 characters and says it was cut
        let text = received.lock().unwrap()[0]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(text.chars().count() < 40_000, "{}", text.len());
        assert!(text.contains("cut to fit"), "{}", &text[text.len() - 200..]);
    }
}
