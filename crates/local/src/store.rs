//! The object store as a directory: `<root>/<key>`, with S3's keys and atomic replacement.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ads::{ObjectStore, PortError};
use async_trait::async_trait;
use bytes::Bytes;

use crate::{blocking, io_error};

/// Names of files being written start with this; they are never listed and no key may use it.
const TEMP_PREFIX: &str = ".tmp-";

/// An [`ObjectStore`] over a local directory (default `./adsctl-data`).
///
/// A put writes a temporary file beside the target, fsyncs it, renames it over the target and
/// fsyncs the directory: a reader sees the old object or the new one, and a crash leaves at
/// worst a temporary file that is never listed.
#[derive(Debug, Clone)]
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    /// A store rooted at `root`; the directory is created on the first put.
    pub fn new(root: impl Into<PathBuf>) -> DirStore {
        DirStore { root: root.into() }
    }

    /// The directory the store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file behind `key`, after refusing keys that could escape the root or that S3
    /// would store under a different name.
    fn path_of(&self, key: &str) -> Result<PathBuf, PortError> {
        let refuse = |reason: &str| PortError::Refused {
            what: format!("key '{key}'"),
            reason: reason.to_owned(),
        };
        if key.is_empty() {
            return Err(refuse("a key must not be empty"));
        }
        if key.contains('\\') || key.contains('\0') {
            return Err(refuse("a key must use '/' separators and no NUL bytes"));
        }
        let mut path = self.root.clone();
        for segment in key.split('/') {
            match segment {
                "" => {
                    return Err(refuse(
                        "a key must be relative, without empty segments ('//' or a leading '/')",
                    ));
                }
                "." | ".." => return Err(refuse("a key must not contain '.' or '..' segments")),
                s if s.starts_with(TEMP_PREFIX) => {
                    return Err(refuse("segments starting with '.tmp-' are reserved"));
                }
                s => path.push(s),
            }
        }
        Ok(path)
    }
}

#[async_trait]
impl ObjectStore for DirStore {
    async fn put(&self, key: &str, body: Bytes, _content_type: &str) -> Result<(), PortError> {
        let path = self.path_of(key)?;
        let what = format!("key {key}");
        blocking(what.clone(), move || {
            write_atomically(&path, &body).map_err(|error| io_error(&what, error))
        })
        .await
    }

    async fn get(&self, key: &str) -> Result<Bytes, PortError> {
        let path = self.path_of(key)?;
        let what = format!("key {key}");
        blocking(what.clone(), move || {
            fs::read(&path)
                .map(Bytes::from)
                .map_err(|error| io_error(&what, error))
        })
        .await
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, PortError> {
        // Walk only the deepest directory the prefix names, as S3 lists only what matches.
        let directory = match prefix.rfind('/') {
            Some(end) => self.path_of(&prefix[..end])?,
            None => self.root.clone(),
        };
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        blocking(format!("prefix {prefix}"), move || {
            let mut keys = Vec::new();
            collect_keys(&root, &directory, &mut keys)
                .map_err(|error| io_error(&format!("prefix {prefix}"), error))?;
            keys.retain(|key| key.starts_with(&prefix));
            keys.sort();
            Ok(keys)
        })
        .await
    }
}

fn write_atomically(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut pending = PendingObject::create(path.to_owned())?;
    pending.write_all(body)?;
    pending.commit()
}

/// An object being written piece by piece (e.g. query results streamed batch by batch):
/// a temporary file beside the target that becomes the object, atomically, on
/// [`PendingObject::commit`]; dropped uncommitted, it is removed and the object untouched.
#[derive(Debug)]
pub(crate) struct PendingObject {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl PendingObject {
    /// Starts writing the object under `key` of `store`.
    pub(crate) fn begin(store: &DirStore, key: &str) -> Result<PendingObject, PortError> {
        let path = store.path_of(key)?;
        PendingObject::create(path).map_err(|error| io_error(&format!("key {key}"), error))
    }

    fn create(path: PathBuf) -> std::io::Result<PendingObject> {
        let directory = path
            .parent()
            .expect("a key always has the root as an ancestor");
        fs::create_dir_all(directory)?;
        let temporary = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(directory)?;
        Ok(PendingObject {
            file: std::io::BufWriter::new(temporary),
            path,
        })
    }

    /// Appends `bytes` to the object.
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)
    }

    /// Makes the object visible under its key: fsync, rename over the target, fsync the
    /// directory.
    pub(crate) fn commit(self) -> std::io::Result<()> {
        let temporary = self.file.into_inner().map_err(|error| error.into_error())?;
        temporary.as_file().sync_all()?;
        temporary.persist(&self.path).map_err(|error| error.error)?;
        // The rename is durable only once the directory entry is.
        let directory = self.path.parent().expect("a key has a parent");
        fs::File::open(directory)?.sync_all()
    }
}

/// Appends the keys of every file under `directory` (relative to `root`, '/'-separated);
/// a directory that does not exist holds no keys.
fn collect_keys(root: &Path, directory: &Path, keys: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_keys(root, &path, keys)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let segments: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            keys.push(segments.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, DirStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::new(dir.path().join("data"));
        (dir, store)
    }

    #[tokio::test]
    async fn put_replaces_an_object_and_leaves_no_temporary_files() {
        // GIVEN an object stored twice under one key
        let (_dir, store) = store();
        let key = "processed/creative_daily/dt=2026-04-01/account_id=1/part-0.parquet";
        store.put(key, Bytes::from("old"), "x").await.unwrap();
        store.put(key, Bytes::from("new"), "x").await.unwrap();
        // THEN the second write wins and only the object is in the directory
        assert_eq!(store.get(key).await.unwrap(), Bytes::from("new"));
        let parent = store.path_of(key).unwrap().parent().unwrap().to_owned();
        assert_eq!(fs::read_dir(parent).unwrap().count(), 1);
    }

    #[tokio::test]
    async fn lists_keys_by_prefix_in_order_like_s3() {
        let (_dir, store) = store();
        for key in [
            "raw/b/2.json",
            "raw/a/1.json",
            "raw/ab.json",
            "reports/x.md",
        ] {
            store.put(key, Bytes::from("{}"), "x").await.unwrap();
        }
        assert_eq!(
            store.list("raw/a").await.unwrap(),
            ["raw/a/1.json", "raw/ab.json"]
        );
        assert_eq!(store.list("raw/").await.unwrap().len(), 3);
        assert!(store.list("missing/").await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn refuses_keys_that_escape_the_root_and_writes_nothing() {
        // GIVEN keys that would leave the data directory
        let (dir, store) = store();
        for key in ["../outside", "/etc/passwd", "a//b", "a/./b", "a\\b", ""] {
            // WHEN one is put
            let err = store.put(key, Bytes::from("x"), "x").await.unwrap_err();
            // THEN it is refused, naming the key
            assert!(matches!(err, PortError::Refused { .. }), "{key}: {err}");
        }
        assert!(!dir.path().join("outside").exists());
        assert!(!dir.path().join("data").exists());
    }

    #[tokio::test]
    async fn a_missing_key_is_not_found() {
        let (_dir, store) = store();
        let err = store.get("raw/nothing.json").await.unwrap_err();
        assert_eq!(err.to_string(), "key raw/nothing.json not found");
    }
}
