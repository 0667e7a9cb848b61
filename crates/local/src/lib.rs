//! The ports of `ads` on one machine, so every step runs with no AWS account.
//!
//! Reading order:
//! - [`store`]: [`DirStore`], the object store as a directory. Keys are the store layout's
//!   S3 keys; a put is atomic (temporary file, fsync, rename) and a key that would escape
//!   the root is refused.
//! - [`secrets`]: [`SecretsFile`], named secrets in one JSON file that is created 0600 and
//!   refused when group- or world-readable, the way `ssh` treats a private key.
//! - [`metrics_log`]: [`MetricsLog`], metric data appended as JSON lines.
//! - [`file_notifier`]: [`FileNotifier`], notices appended to a Markdown file, one section
//!   per notice, so a local run leaves a readable trail.
//! - [`memory_secrets`]: [`MemorySecrets`], named secrets in memory, for running with no
//!   secrets file (credentials from the environment).
//! - [`query`]: [`LocalQueryEngine`], Apache DataFusion running the `athena/` SQL unchanged
//!   over the store's curated Parquet: the tables, Trino's missing functions as UDFs,
//!   `?` parameters bound through the parser, results as Athena-style CSV under
//!   `query-results/`.
//!
//! Deliberately not here: any network access, and any SQL of its own — tables, views and
//! queries are the catalog's `athena/` files. Files are written with
//! blocking calls on tokio's blocking pool.

pub mod file_notifier;
pub mod memory_secrets;
pub mod metrics_log;
pub mod query;
pub mod secrets;
pub mod store;

pub use file_notifier::FileNotifier;
pub use memory_secrets::MemorySecrets;
pub use metrics_log::MetricsLog;
pub use query::LocalQueryEngine;
pub use secrets::SecretsFile;
pub use store::DirStore;

use ads::PortError;

/// Runs blocking file work off the async executor, mapping a panic or cancellation of the
/// blocking task to an unavailable port.
async fn blocking<T: Send + 'static>(
    what: String,
    work: impl FnOnce() -> Result<T, PortError> + Send + 'static,
) -> Result<T, PortError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| {
            Err(PortError::Unavailable {
                what,
                reason: join.to_string(),
            })
        })
}

/// Appends `text` to the file at `path` (creating it and its folders) in one write, off
/// the async executor, so concurrent writers never interleave inside one `text`.
async fn append_file(
    what: String,
    path: std::path::PathBuf,
    text: String,
) -> Result<(), PortError> {
    blocking(what.clone(), move || {
        let append = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::io::Write::write_all(
                &mut std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)?,
                text.as_bytes(),
            )
        };
        append().map_err(|error| io_error(&what, error))
    })
    .await
}

/// Maps an I/O error on `what` to the port's vocabulary.
fn io_error(what: &str, error: std::io::Error) -> PortError {
    match error.kind() {
        std::io::ErrorKind::NotFound => PortError::NotFound {
            what: what.to_owned(),
        },
        _ => PortError::Unavailable {
            what: what.to_owned(),
            reason: error.to_string(),
        },
    }
}
