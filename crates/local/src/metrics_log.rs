//! Metric data as JSON lines, one datum per line with the time it was emitted.

use std::path::{Path, PathBuf};

use ads::{MetricDatum, Metrics, PortError};
use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use crate::append_file;

/// A [`Metrics`] sink that appends to a local file (default `./adsctl-data/metrics.jsonl`).
#[derive(Debug, Clone)]
pub struct MetricsLog {
    path: PathBuf,
}

/// One line of the log.
#[derive(Serialize)]
struct Line<'a> {
    timestamp: String,
    #[serde(flatten)]
    datum: &'a MetricDatum,
}

impl MetricsLog {
    /// A log at `path`, created (with its directory) by the first emit.
    pub fn new(path: impl Into<PathBuf>) -> MetricsLog {
        MetricsLog { path: path.into() }
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl Metrics for MetricsLog {
    async fn emit(&self, data: &[MetricDatum]) -> Result<(), PortError> {
        let timestamp = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut text = String::new();
        for datum in data {
            let line = Line {
                timestamp: timestamp.clone(),
                datum,
            };
            text.push_str(&serde_json::to_string(&line).expect("a datum always serializes"));
            text.push('\n');
        }
        // One write per batch, so concurrent writers never interleave inside it.
        append_file(
            format!("metrics log {}", self.path.display()),
            self.path.clone(),
            text,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::Unit;

    #[tokio::test]
    async fn appends_one_json_line_per_datum() {
        // GIVEN two batches of metric data
        let dir = tempfile::tempdir().unwrap();
        let log = MetricsLog::new(dir.path().join("logs/metrics.jsonl"));
        let datum = |name: &str, value| MetricDatum {
            name: name.to_owned(),
            value,
            unit: Unit::Count,
            dimensions: vec![("AccountId".to_owned(), "1".to_owned())],
        };
        log.emit(&[datum("TotalImpressions", 1200.0), datum("TotalClicks", 7.0)])
            .await
            .unwrap();
        log.emit(&[datum("RowsWritten", 3.0)]).await.unwrap();
        // THEN the log holds three parseable lines in order
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["name"], "TotalImpressions");
        assert_eq!(lines[1]["value"], 7.0);
        assert_eq!(lines[2]["dimensions"][0][0], "AccountId");
        assert!(lines[2]["timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
