//! The ports: what a step needs from the world, as traits.
//!
//! Each step's `run` takes these by reference. On AWS they are S3, Secrets Manager, Athena,
//! CloudWatch and SNS; on one machine a data directory, a 0600 secrets file, DataFusion, a
//! JSON-lines metrics log and a file. The steps cannot tell which.
//!
//! Contracts every adapter keeps:
//! - Keys are the store layout of DESIGN.md (`raw/...`, `processed/...`), `/`-separated,
//!   relative, never escaping the root.
//! - `ObjectStore::put` replaces a key atomically: a reader sees the old object or the new
//!   one, never a mix, so a re-run overwrites a partition without a window of loss.
//! - A secret's value never appears in an error, a log line or a `Debug` print.

use async_trait::async_trait;
use bytes::Bytes;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Why a port could not do what was asked. Adapters map their service's errors onto these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// The object, secret or query does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. `key raw/analytics/...`.
        what: String,
    },
    /// The request was refused as given (a key escaping the store, a world-readable secrets
    /// file, a query the engine rejected); retrying will not help.
    #[error("{what} refused: {reason}")]
    Refused {
        /// What was refused.
        what: String,
        /// Why, in words that name the fix.
        reason: String,
    },
    /// The service failed or could not be reached; retrying may help.
    #[error("{what} unavailable: {reason}")]
    Unavailable {
        /// What was being done.
        what: String,
        /// The service's reason.
        reason: String,
    },
}

/// Objects by key: S3 on AWS, a directory locally.
#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// Stores `body` under `key`, atomically replacing any previous object.
    async fn put(&self, key: &str, body: Bytes, content_type: &str) -> Result<(), PortError>;
    /// Reads the object under `key`; [`PortError::NotFound`] when there is none.
    async fn get(&self, key: &str) -> Result<Bytes, PortError>;
    /// Lists every key that starts with `prefix`, in lexicographic order.
    async fn list(&self, prefix: &str) -> Result<Vec<String>, PortError>;
}

/// Named secrets: Secrets Manager on AWS, a 0600 file locally. Values are JSON documents.
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// Reads the current value of the secret `name`.
    async fn get(&self, name: &str) -> Result<SecretString, PortError>;
    /// Replaces the value of the secret `name`.
    async fn put(&self, name: &str, value: SecretString) -> Result<(), PortError>;
}

/// A named query with bound parameters, as the query steps hand it to an engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    /// The query's name, e.g. `decision_input` (its file under `athena/queries/`).
    pub name: String,
    /// The SQL text, with `?` placeholders.
    pub sql: String,
    /// The placeholder values in order, already validated against the query's declaration.
    pub params: Vec<String>,
}

/// Where a started query stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QueryState {
    /// Queued or running.
    Running,
    /// Finished; results are at `result_key` in the object store.
    Succeeded {
        /// The key of the CSV results.
        #[serde(rename = "resultKey")]
        result_key: String,
    },
    /// Failed or cancelled, with the engine's reason.
    Failed {
        /// The engine's words.
        reason: String,
    },
}

/// Runs SQL over the curated data: Athena on AWS, DataFusion locally.
#[async_trait]
pub trait QueryEngine: Send + Sync {
    /// Starts a query and returns its id.
    async fn start(&self, query: &QueryRequest) -> Result<String, PortError>;
    /// Reports where the query `id` stands.
    async fn state(&self, id: &str) -> Result<QueryState, PortError>;
}

/// The unit of a metric datum, as CloudWatch names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// A count of things.
    Count,
    /// A percentage.
    Percent,
    /// No unit (money, ratios).
    None,
}

/// One measurement a step reports, e.g. `TotalImpressions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricDatum {
    /// The metric's name.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Dimensions, e.g. `("AccountId", "123")`.
    pub dimensions: Vec<(String, String)>,
}

/// Operational metrics: CloudWatch on AWS, a JSON-lines log locally.
#[async_trait]
pub trait Metrics: Send + Sync {
    /// Records the data points.
    async fn emit(&self, data: &[MetricDatum]) -> Result<(), PortError>;
}

/// A message for people: a report, an approval request or a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    /// A one-line subject.
    pub subject: String,
    /// The plain-text (Markdown) body.
    pub text: String,
}

impl Notice {
    /// The text cut to at most `max_bytes` bytes of UTF-8 for a channel with a size limit:
    /// at the last line end that leaves room for a closing line saying it was cut (or at a
    /// character boundary when no line fits), so a reader sees the cut. The whole text when
    /// it fits.
    pub fn text_within(&self, max_bytes: usize) -> std::borrow::Cow<'_, str> {
        const CUT: &str =
            "\n\n[… cut to fit the channel's size limit; the full report is in the store]";
        if self.text.len() <= max_bytes {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let room = max_bytes.saturating_sub(CUT.len());
        let mut end = room;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let end = self.text[..end].rfind('\n').unwrap_or(end);
        let mut text = self.text[..end].to_owned();
        if CUT.len() <= max_bytes {
            text.push_str(CUT);
        }
        std::borrow::Cow::Owned(text)
    }
}

/// Delivers notices: SNS on AWS, a webhook, or a file locally.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Sends the notice.
    async fn notify(&self, notice: &Notice) -> Result<(), PortError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(text: &str) -> Notice {
        Notice {
            subject: "s".to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_text_within_the_limit_is_kept_whole() {
        assert_eq!(notice("one\ntwo").text_within(7), "one\ntwo");
    }

    #[test]
    fn a_long_text_is_cut_at_a_line_end_with_a_closing_line_saying_so() {
        // GIVEN 200 lines of "é line" (multi-byte characters)
        let text: String = (0..200).map(|i| format!("é line {i}\n")).collect();
        // WHEN it is cut to 300 bytes
        let notice = notice(&text);
        let cut = notice.text_within(300);
        // THEN it fits, ends with the note, and every kept line is whole
        assert!(cut.len() <= 300, "{}", cut.len());
        assert!(cut.ends_with("the full report is in the store]"), "{cut}");
        let kept = cut.split("\n\n[…").next().unwrap();
        assert!(
            kept.lines().all(|line| line.starts_with("é line ")),
            "{kept}"
        );
        assert!(text.starts_with(kept));
    }
}
