//! Named secrets held in memory for the life of the process.
//!
//! For running with no secrets file at all: `adsctl` builds the LinkedIn credentials document
//! from `LINKEDIN_ACCESS_TOKEN` (and friends) and hands the steps this store. A put replaces
//! the value in memory only, so a token refreshed here is gone when the process ends — the
//! environment still holds the one it started with. `Debug` lists names, never values.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;

use ads::{PortError, SecretStore};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

/// A [`SecretStore`] over a map in memory. Values must be JSON documents, as in every store.
#[derive(Default)]
pub struct MemorySecrets {
    secrets: Mutex<BTreeMap<String, SecretString>>,
}

impl MemorySecrets {
    /// An empty store.
    pub fn new() -> MemorySecrets {
        MemorySecrets::default()
    }

    /// A store holding one secret, `name` = `value` (not checked; a put checks).
    pub fn with(name: impl Into<String>, value: SecretString) -> MemorySecrets {
        let store = MemorySecrets::new();
        store.lock().insert(name.into(), value);
        store
    }

    /// The map; a poisoned lock is still a consistent map (inserts are single calls).
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, SecretString>> {
        self.secrets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for MemorySecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.lock().keys().cloned().collect();
        f.debug_struct("MemorySecrets")
            .field("names", &names)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SecretStore for MemorySecrets {
    async fn get(&self, name: &str) -> Result<SecretString, PortError> {
        self.lock()
            .get(name)
            .cloned()
            .ok_or_else(|| PortError::NotFound {
                what: format!("secret '{name}' in memory"),
            })
    }

    async fn put(&self, name: &str, value: SecretString) -> Result<(), PortError> {
        if serde_json::from_str::<serde_json::Value>(value.expose_secret()).is_err() {
            return Err(PortError::Refused {
                what: format!("secret '{name}'"),
                reason: "a secret's value must be a JSON document".to_owned(),
            });
        }
        self.lock().insert(name.to_owned(), value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_back_what_was_put_and_debug_shows_only_names() {
        // GIVEN a store seeded with one secret
        let store =
            MemorySecrets::with("linkedin", SecretString::from(r#"{"accessToken":"AQV-1"}"#));
        // WHEN it is replaced and read
        store
            .put("linkedin", SecretString::from(r#"{"accessToken":"AQV-2"}"#))
            .await
            .unwrap();
        let value = store.get("linkedin").await.unwrap();
        // THEN the new value comes back, and Debug names the secret without its value
        assert!(value.expose_secret().contains("AQV-2"));
        let printed = format!("{store:?}");
        assert!(printed.contains("linkedin"), "{printed}");
        assert!(!printed.contains("AQV"), "{printed}");
    }

    #[tokio::test]
    async fn a_missing_secret_is_not_found_and_a_non_json_value_is_refused() {
        let store = MemorySecrets::new();
        assert!(matches!(
            store.get("linkedin").await.unwrap_err(),
            PortError::NotFound { .. }
        ));
        let refused = store
            .put("linkedin", SecretString::from("AQV-plain"))
            .await
            .unwrap_err();
        assert!(!refused.to_string().contains("AQV"), "{refused}");
        assert!(store.get("linkedin").await.is_err());
    }
}
