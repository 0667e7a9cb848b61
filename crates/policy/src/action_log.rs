//! The action log, `logs/optimizer_actions/YYYY-MM-DD.jsonl`: one [`LogEntry`] per line, one
//! file per UTC day apply ran. Read for the cool-down, for "never apply one id twice", for
//! undo and for the report; appended by apply and undo.
//!
//! An object store has no append: [`append`] reads the day's file, adds the lines and writes
//! it whole. apply runs once at a time per account (the state machine serialises it), so no
//! two writers race on one file.

use ads::decision::{ActionId, LogEntry, Outcome};
use ads::{ObjectStore, PortError};
use bytes::Bytes;
use chrono::NaiveDate;

/// Why the log could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The store failed.
    #[error("action log: {0}")]
    Store(#[from] PortError),
    /// A line is not a log entry (the file was edited by hand?).
    #[error("action log {key} line {line}: {message}; fix or remove that line")]
    Corrupt {
        /// The file.
        key: String,
        /// 1-based line number.
        line: usize,
        /// The parser's message.
        message: String,
    },
}

/// The entries of the `days` days ending `today` (inclusive), oldest first. A day with no
/// file has no entries.
pub async fn read_recent(
    store: &dyn ObjectStore,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<LogEntry>, LogError> {
    let mut entries = Vec::new();
    for back in (0..days.max(1)).rev() {
        let day = today - chrono::Days::new(back.into());
        entries.extend(read_day(store, day).await?);
    }
    Ok(entries)
}

/// Every entry of the log, oldest first.
pub async fn read_all(store: &dyn ObjectStore) -> Result<Vec<LogEntry>, LogError> {
    let mut keys = store.list(LogEntry::PREFIX).await?;
    keys.retain(|k| k.ends_with(".jsonl"));
    keys.sort();
    let mut entries = Vec::new();
    for key in keys {
        entries.extend(read_key(store, &key).await?);
    }
    Ok(entries)
}

/// The entries of one day's file (none when it does not exist).
pub async fn read_day(store: &dyn ObjectStore, day: NaiveDate) -> Result<Vec<LogEntry>, LogError> {
    read_key(store, &LogEntry::key(day)).await
}

async fn read_key(store: &dyn ObjectStore, key: &str) -> Result<Vec<LogEntry>, LogError> {
    let body = match store.get(key).await {
        Ok(body) => body,
        Err(PortError::NotFound { .. }) => return Ok(Vec::new()),
        Err(other) => return Err(other.into()),
    };
    let text = String::from_utf8_lossy(&body);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| LogError::Corrupt {
                key: key.to_owned(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Appends `entries` to the file of `day`, keeping what it holds.
pub async fn append(
    store: &dyn ObjectStore,
    day: NaiveDate,
    entries: &[LogEntry],
) -> Result<(), LogError> {
    if entries.is_empty() {
        return Ok(());
    }
    let key = LogEntry::key(day);
    let mut body = match store.get(&key).await {
        Ok(body) => body.to_vec(),
        Err(PortError::NotFound { .. }) => Vec::new(),
        Err(other) => return Err(other.into()),
    };
    if !body.is_empty() && !body.ends_with(b"\n") {
        body.push(b'\n');
    }
    for entry in entries {
        let line = serde_json::to_string(entry).map_err(|e| LogError::Corrupt {
            key: key.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        body.extend_from_slice(line.as_bytes());
        body.push(b'\n');
    }
    store
        .put(&key, Bytes::from(body), "application/x-ndjson")
        .await?;
    Ok(())
}

/// Whether `id` was applied (outcome `applied`) in `entries` and not undone since.
pub fn was_applied(entries: &[LogEntry], id: &ActionId) -> bool {
    let applied = entries
        .iter()
        .any(|e| e.outcome == Outcome::Applied && &e.action.id == id);
    let undone = entries
        .iter()
        .any(|e| e.outcome == Outcome::Applied && e.undoes.as_ref() == Some(id));
    applied && !undone
}
