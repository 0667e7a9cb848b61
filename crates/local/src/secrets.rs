//! Named secrets in one JSON file, guarded like a private key.
//!
//! The file maps a secret's name to its JSON document, e.g.
//! `{"linkedin": {"clientId": "...", "accessToken": "...", ...}}`. It is created with mode
//! 0600 and refused, for reads and writes alike, when group or others may read it. A value
//! never appears in an error: errors name the file and the secret, not its contents.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use ads::{PortError, SecretStore};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};

use crate::{blocking, io_error};

/// A [`SecretStore`] over a local file (default `./adsctl-data/secrets.json`).
#[derive(Debug, Clone)]
pub struct SecretsFile {
    path: PathBuf,
}

impl SecretsFile {
    /// Secrets kept in the file at `path`; it is created by the first put.
    pub fn new(path: impl Into<PathBuf>) -> SecretsFile {
        SecretsFile { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl SecretStore for SecretsFile {
    async fn get(&self, name: &str) -> Result<SecretString, PortError> {
        let path = self.path.clone();
        let name = name.to_owned();
        blocking(format!("secret {name}"), move || {
            let secrets = read_secrets(&path)?;
            let value = secrets.get(&name).ok_or_else(|| PortError::NotFound {
                what: format!("secret '{name}' in {}", path.display()),
            })?;
            Ok(SecretString::from(value.to_string()))
        })
        .await
    }

    async fn put(&self, name: &str, value: SecretString) -> Result<(), PortError> {
        let path = self.path.clone();
        let name = name.to_owned();
        blocking(format!("secret {name}"), move || {
            let document: Value =
                serde_json::from_str(value.expose_secret()).map_err(|_| PortError::Refused {
                    what: format!("secret '{name}'"),
                    reason: "a secret's value must be a JSON document".to_owned(),
                })?;
            let mut secrets = match read_secrets(&path) {
                Err(PortError::NotFound { .. }) => Map::new(),
                other => other?,
            };
            secrets.insert(name, document);
            write_secrets(&path, &secrets)
        })
        .await
    }
}

/// Reads the whole file after checking that only its owner may read it.
fn read_secrets(path: &Path) -> Result<Map<String, Value>, PortError> {
    let what = format!("secrets file {}", path.display());
    let mode = fs::metadata(path)
        .map_err(|error| io_error(&what, error))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(PortError::Refused {
            what,
            reason: format!(
                "it is readable by group or others (mode {:o}); run `chmod 600 {}`",
                mode & 0o777,
                path.display()
            ),
        });
    }
    let text = fs::read_to_string(path).map_err(|error| io_error(&what, error))?;
    serde_json::from_str(&text).map_err(|error| PortError::Refused {
        what,
        // serde_json's position, never the text: the text is secret.
        reason: format!(
            "it is not a JSON object of named secrets (line {}, column {})",
            error.line(),
            error.column()
        ),
    })
}

/// Replaces the file atomically with a 0600 temporary file renamed over it.
fn write_secrets(path: &Path, secrets: &Map<String, Value>) -> Result<(), PortError> {
    let what = format!("secrets file {}", path.display());
    let write = || -> std::io::Result<()> {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        fs::create_dir_all(directory)?;
        // tempfile creates the file 0600, so the secret is never briefly readable.
        let mut temporary = tempfile::Builder::new()
            .prefix(".tmp-secrets")
            .tempfile_in(directory)?;
        temporary
            .as_file()
            .set_permissions(fs::Permissions::from_mode(0o600))?;
        temporary.write_all(Value::Object(secrets.clone()).to_string().as_bytes())?;
        temporary.as_file().sync_all()?;
        temporary.persist(path).map_err(|error| error.error)?;
        fs::File::open(directory)?.sync_all()
    };
    write().map_err(|error| io_error(&what, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDENTIALS: &str = r#"{"accessToken":"AQV-very-secret","clientId":"abc"}"#;

    #[tokio::test]
    async fn creates_the_file_0600_and_reads_back_what_was_put() {
        // GIVEN no secrets file
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretsFile::new(dir.path().join("secrets.json"));
        // WHEN a secret is put
        secrets
            .put("linkedin", SecretString::from(CREDENTIALS))
            .await
            .unwrap();
        // THEN only the owner may read the file, and the document round-trips
        let mode = fs::metadata(secrets.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let value = secrets.get("linkedin").await.unwrap();
        let document: Value = serde_json::from_str(value.expose_secret()).unwrap();
        assert_eq!(document["accessToken"], "AQV-very-secret");
    }

    #[tokio::test]
    async fn refuses_a_group_readable_file_without_revealing_it() {
        // GIVEN a secrets file someone made world-readable
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        fs::write(&path, format!(r#"{{"linkedin":{CREDENTIALS}}}"#)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let secrets = SecretsFile::new(&path);
        // WHEN it is read or written
        let read = secrets.get("linkedin").await.unwrap_err();
        let write = secrets
            .put("linkedin", SecretString::from("{}"))
            .await
            .unwrap_err();
        // THEN both are refused with the fix, no secret in the message, the file unchanged
        for err in [read, write] {
            let message = err.to_string();
            assert!(message.contains("chmod 600"), "{message}");
            assert!(!message.contains("very-secret"), "{message}");
        }
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .contains("AQV-very-secret")
        );
    }

    #[tokio::test]
    async fn a_missing_secret_is_not_found_and_other_secrets_survive_a_put() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = SecretsFile::new(dir.path().join("secrets.json"));
        secrets
            .put("a", SecretString::from("{\"x\":1}"))
            .await
            .unwrap();
        secrets
            .put("b", SecretString::from("{\"y\":2}"))
            .await
            .unwrap();
        assert!(secrets.get("a").await.is_ok());
        assert!(matches!(
            secrets.get("c").await.unwrap_err(),
            PortError::NotFound { .. }
        ));
    }
}
