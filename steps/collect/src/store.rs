//! The object store as this step uses it: every put counted (for the output's
//! `keysWritten`) and every failure named with its key.

use std::sync::atomic::{AtomicUsize, Ordering};

use ads::{ObjectStore, PortError};
use bytes::Bytes;

use crate::Error;

/// The content type of raw responses.
pub const JSON: &str = "application/json";
/// The content type of curated files.
pub const PARQUET: &str = "application/vnd.apache.parquet";

/// Writes and reads through the `ObjectStore` port, counting keys written.
pub struct Store<'a> {
    inner: &'a dyn ObjectStore,
    written: AtomicUsize,
}

impl<'a> Store<'a> {
    /// Wraps the port.
    pub fn new(inner: &'a dyn ObjectStore) -> Store<'a> {
        Store {
            inner,
            written: AtomicUsize::new(0),
        }
    }

    /// Stores `body` under `key` (atomically replacing any previous object).
    pub async fn put(
        &self,
        key: &str,
        body: impl Into<Bytes>,
        content_type: &str,
    ) -> Result<(), Error> {
        self.inner
            .put(key, body.into(), content_type)
            .await
            .map_err(|source| Error::Store {
                key: key.to_owned(),
                source,
            })?;
        self.written.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(key, "stored");
        Ok(())
    }

    /// The object under `key`, or `None` when there is none.
    pub async fn get_if_present(&self, key: &str) -> Result<Option<Bytes>, Error> {
        match self.inner.get(key).await {
            Ok(body) => Ok(Some(body)),
            Err(PortError::NotFound { .. }) => Ok(None),
            Err(source) => Err(Error::Store {
                key: key.to_owned(),
                source,
            }),
        }
    }

    /// Keys written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }
}
