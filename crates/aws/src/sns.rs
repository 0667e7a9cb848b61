//! [`SnsNotifier`]: notices published to one Amazon SNS topic (e-mail, chat or anything
//! else subscribed to it).
//!
//! One notice is one Publish. SNS constrains both fields
//! (<https://docs.aws.amazon.com/sns/latest/api/API_Publish.html>): the subject, shown as
//! an e-mail's subject line, must be under 100 characters with no line breaks or control
//! characters, so it is made plain ASCII on one line and cut with `...`; the message must be
//! at most 256 KB (262,144 bytes), so a longer text is cut at a line end with a closing line
//! saying so ([`ads::Notice::text_within`]) — the full report stays in the store.

use crate::service_error::{Detail, Verdict, port_error};
use ads::{Notice, Notifier, PortError};
use async_trait::async_trait;
use aws_sdk_sns::Client;
use aws_sdk_sns::operation::publish::PublishError;

/// The longest subject SNS accepts: "less than 100 characters".
pub const MAX_SUBJECT_CHARS: usize = 99;

/// The largest message SNS accepts, in bytes of UTF-8.
pub const MAX_MESSAGE_BYTES: usize = 262_144;

/// The notifier over one SNS topic.
///
/// The function's role needs `sns:Publish` on the topic (and `kms:GenerateDataKey` /
/// `kms:Decrypt` on its key when the topic is encrypted).
#[derive(Debug, Clone)]
pub struct SnsNotifier {
    client: Client,
    topic_arn: String,
}

impl SnsNotifier {
    /// A notifier publishing to `topic_arn` with `client`.
    pub fn new(client: Client, topic_arn: impl Into<String>) -> SnsNotifier {
        SnsNotifier {
            client,
            topic_arn: topic_arn.into(),
        }
    }

    /// A notifier publishing to `topic_arn`, with a client built from the step's shared
    /// `config`.
    pub fn from_config(
        config: &aws_config::SdkConfig,
        topic_arn: impl Into<String>,
    ) -> SnsNotifier {
        SnsNotifier::new(Client::new(config), topic_arn)
    }

    /// How a publish is named in errors.
    fn what(&self) -> String {
        format!("SNS topic {}", self.topic_arn)
    }
}

/// `subject` as SNS takes it: printable ASCII on one line (typographic dashes and arrows
/// spelled in ASCII, anything else dropped), blanks collapsed and trimmed, at most
/// [`MAX_SUBJECT_CHARS`] characters with `...` where it was cut.
pub fn sns_subject(subject: &str) -> String {
    let mut plain = String::with_capacity(subject.len());
    for c in subject.chars() {
        match c {
            ' '..='~' => plain.push(c),
            '\n' | '\r' | '\t' => plain.push(' '),
            '—' | '–' | '−' => plain.push('-'),
            '→' => plain.push_str("->"),
            '…' => plain.push_str("..."),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.len() <= MAX_SUBJECT_CHARS {
        return plain;
    }
    // ASCII only from here, so byte offsets are character offsets.
    format!("{}...", plain[..MAX_SUBJECT_CHARS - 3].trim_end())
}

#[async_trait]
impl Notifier for SnsNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
        let subject = sns_subject(&notice.subject);
        let message = match notice.text_within(MAX_MESSAGE_BYTES) {
            // SNS refuses an empty message.
            text if text.trim().is_empty() => notice.subject.clone().into(),
            text => text,
        };
        self.client
            .publish()
            .topic_arn(&self.topic_arn)
            .set_subject((!subject.is_empty()).then_some(subject))
            .message(message)
            .send()
            .await
            .map_err(|error| {
                let denied = matches!(
                    error.as_service_error(),
                    Some(PublishError::AuthorizationErrorException(_))
                );
                match port_error(self.what(), "sns:Publish", Detail::Full, &error, |error| {
                    match error {
                        PublishError::NotFoundException(_) => Some(Verdict::NotFound),
                        PublishError::AuthorizationErrorException(_)
                        | PublishError::InvalidParameterException(_)
                        | PublishError::InvalidParameterValueException(_)
                        | PublishError::KmsDisabledException(_)
                        | PublishError::KmsNotFoundException(_) => Some(Verdict::Refused),
                        _ => None,
                    }
                }) {
                    // SNS's own "not authorized" code is not one of the shared denial codes.
                    PortError::Refused { what, reason } if denied => PortError::Refused {
                        what,
                        reason: format!("{reason}; the function's role needs sns:Publish"),
                    },
                    other => other,
                }
            })?;
        tracing::info!(topic = %self.topic_arn, "published notice");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sns::operation::publish::{PublishInput, PublishOutput};
    use aws_sdk_sns::types::error::{AuthorizationErrorException, NotFoundException};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use std::sync::{Arc, Mutex};

    const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:linkedin-ads-reports";

    type Sent = Arc<Mutex<Vec<PublishInput>>>;

    /// SNS accepting every Publish and recording it.
    fn sns() -> (SnsNotifier, Sent) {
        let sent: Sent = Arc::default();
        let rule = mock!(Client::publish).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push(input.clone());
                PublishOutput::builder().message_id("m-1").build()
            }
        });
        let client = mock_client!(aws_sdk_sns, RuleMode::MatchAny, [&rule]);
        (SnsNotifier::new(client, TOPIC), sent)
    }

    fn notice(subject: &str, text: &str) -> Notice {
        Notice {
            subject: subject.to_owned(),
            text: text.to_owned(),
        }
    }

    #[tokio::test]
    async fn publishes_the_subject_and_the_markdown_to_the_topic() {
        // GIVEN SNS
        let (notifier, sent) = sns();

        // WHEN a notice is sent
        notifier
            .notify(&notice(
                "LinkedIn Ads report 2026-09-01",
                "# Report\n\n- pause",
            ))
            .await
            .unwrap();

        // THEN one Publish carried the topic, the subject and the text unchanged
        let sent = sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].topic_arn(), Some(TOPIC));
        assert_eq!(sent[0].subject(), Some("LinkedIn Ads report 2026-09-01"));
        assert_eq!(sent[0].message(), Some("# Report\n\n- pause"));
    }

    #[tokio::test]
    async fn a_long_non_ascii_subject_becomes_one_ascii_line_under_100_characters() {
        // GIVEN a subject with a line break, dashes, an arrow, an emoji, and 150 characters
        let (notifier, sent) = sns();
        let subject = format!(
            "Report — bid 6.50 → 7.15 ✅\nsecond line {}",
            "x".repeat(120)
        );

        // WHEN it is sent
        notifier.notify(&notice(&subject, "body")).await.unwrap();

        // THEN the subject is printable ASCII, one line, at most 99 characters, marked as cut
        let sent = sent.lock().unwrap();
        let subject = sent[0].subject().unwrap();
        assert!(subject.len() <= MAX_SUBJECT_CHARS, "{}", subject.len());
        assert!(
            subject.chars().all(|c| (' '..='~').contains(&c)),
            "{subject}"
        );
        assert!(
            subject.starts_with("Report - bid 6.50 -> 7.15 second line x"),
            "{subject}"
        );
        assert!(subject.ends_with("..."), "{subject}");
    }

    #[tokio::test]
    async fn a_message_past_256_kb_is_cut_at_a_line_with_a_note() {
        // GIVEN a 400 KB text
        let (notifier, sent) = sns();
        let text = "| creative | 1.00% | [0.60%, 1.70%] |\n".repeat(11_000);

        // WHEN it is sent
        notifier.notify(&notice("big", &text)).await.unwrap();

        // THEN the message fits SNS's limit, ends on a whole line, and says it was cut
        let sent = sent.lock().unwrap();
        let message = sent[0].message().unwrap();
        assert!(message.len() <= MAX_MESSAGE_BYTES, "{}", message.len());
        assert!(
            message.contains("|\n\n[… cut to fit"),
            "{}",
            &message[message.len() - 120..]
        );
    }

    #[tokio::test]
    async fn a_missing_topic_is_not_found_naming_it() {
        // GIVEN a topic that was deleted
        let rule = mock!(Client::publish).then_error(|| {
            PublishError::NotFoundException(
                NotFoundException::builder()
                    .message("Topic does not exist")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sns, RuleMode::Sequential, [&rule]);
        let notifier = SnsNotifier::new(client, TOPIC);

        // WHEN a notice is sent
        let error = notifier.notify(&notice("s", "t")).await.unwrap_err();

        // THEN the port says the topic was not found
        assert_eq!(
            error,
            PortError::NotFound {
                what: format!("SNS topic {TOPIC}")
            }
        );
    }

    #[tokio::test]
    async fn a_publish_denied_to_the_role_is_refused_naming_the_permission() {
        // GIVEN a role without sns:Publish
        let rule = mock!(Client::publish).then_error(|| {
            PublishError::AuthorizationErrorException(
                AuthorizationErrorException::builder()
                    .message("not authorized to perform: SNS:Publish")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sns, RuleMode::Sequential, [&rule]);
        let notifier = SnsNotifier::new(client, TOPIC);

        // WHEN a notice is sent
        let error = notifier.notify(&notice("s", "t")).await.unwrap_err();

        // THEN the port refuses and names the permission
        let PortError::Refused { reason, .. } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert!(
            reason.contains("the function's role needs sns:Publish"),
            "{reason}"
        );
    }

    #[test]
    fn a_short_plain_subject_is_kept_as_is() {
        assert_eq!(
            sns_subject("  Approval needed: 3 actions "),
            "Approval needed: 3 actions"
        );
    }
}
