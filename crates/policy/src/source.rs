//! Where a step's policy comes from: inline in its input (`policy`), a policy file in the
//! store (`policyKey`), or neither — the default policy. decide and apply take the same two
//! input fields and read them the same way, here: [`PolicySource::from_input`] checks the
//! fields without reading anything, [`PolicySource::load`] reads and validates the policy.
//!
//! Every [`LoadError`] names the input field at fault and is `Input.Invalid`, except a store
//! that failed, which is `Store.Failed` (retrying may help).

use ads::error_names::{self, StepError};
use ads::{ObjectStore, PortError};
use serde_json::Value;

use crate::{Policy, PolicyError};

/// The input field of an inline policy.
const POLICY: &str = "policy";
/// The input field of a policy file's key.
const POLICY_KEY: &str = "policyKey";

/// Where the policy comes from, as a step's input says.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicySource {
    /// The input's `policy`: a JSON object with the policy file's fields (snake_case).
    Inline(Value),
    /// The input's `policyKey`: the store key of a policy file, `.json` read as JSON,
    /// anything else as TOML.
    Key(String),
    /// Neither: [`Policy::default`] (`bayes`).
    Default,
}

/// Why the policy an input names cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `policy` and `policyKey` are both given (`Input.Invalid`).
    #[error(
        "policy and policyKey are both given; give the policy inline or as a key to a policy \
         file, not both"
    )]
    Both,
    /// `policyKey` is empty or blank (`Input.Invalid`).
    #[error(
        "policyKey is empty; give the store key of a .toml or .json policy file, or leave it \
         out for the default policy"
    )]
    EmptyKey,
    /// `policyKey` names no object in the store (`Input.Invalid`).
    #[error(
        "policyKey '{key}' is not in the store; upload the policy file there or check the key \
         (it is case-sensitive)"
    )]
    Missing {
        /// The key looked up.
        key: String,
    },
    /// The policy file is not UTF-8 text (`Input.Invalid`).
    #[error("policyKey '{key}' is not UTF-8 text; save the policy file (TOML or JSON) as UTF-8")]
    NotText {
        /// The policy file's key.
        key: String,
    },
    /// The policy is not a valid policy (`Input.Invalid`): its field and what it must be.
    #[error("{source} ({})", origin(.key.as_deref()))]
    Invalid {
        /// The policy file's key; `None` for an inline policy.
        key: Option<String>,
        /// The policy's field and what it must be.
        source: PolicyError,
    },
    /// The store failed reading the policy file (`Store.Failed`); retrying may help.
    #[error("the store failed reading policyKey '{key}': {source}")]
    Store {
        /// The policy file's key.
        key: String,
        /// The port's error.
        source: PortError,
    },
}

/// Where an invalid policy came from, for its message.
fn origin(key: Option<&str>) -> String {
    match key {
        Some(key) => format!("in policy file {key}"),
        None => "in the input's policy".to_owned(),
    }
}

impl LoadError {
    /// The input field the error is about: `policy` or `policyKey`.
    pub fn field(&self) -> &'static str {
        match self {
            LoadError::Both | LoadError::Invalid { key: None, .. } => POLICY,
            LoadError::EmptyKey
            | LoadError::Missing { .. }
            | LoadError::NotText { .. }
            | LoadError::Invalid { key: Some(_), .. }
            | LoadError::Store { .. } => POLICY_KEY,
        }
    }
}

impl StepError for LoadError {
    fn name(&self) -> &'static str {
        match self {
            LoadError::Store { .. } => error_names::STORE_FAILED,
            _ => error_names::INPUT_INVALID,
        }
    }
}

impl PolicySource {
    /// The source an input's `policy` (`inline`) and `policyKey` (`key`) name; reads
    /// nothing. At most one may be given; a key is trimmed and must not be blank.
    pub fn from_input(
        inline: Option<&Value>,
        key: Option<&str>,
    ) -> Result<PolicySource, LoadError> {
        match (inline, key.map(str::trim)) {
            (Some(_), Some(_)) => Err(LoadError::Both),
            (Some(value), None) => Ok(PolicySource::Inline(value.clone())),
            (None, Some("")) => Err(LoadError::EmptyKey),
            (None, Some(key)) => Ok(PolicySource::Key(key.to_owned())),
            (None, None) => Ok(PolicySource::Default),
        }
    }

    /// The policy, validated; a policy file is read from `store`.
    pub async fn load(&self, store: &dyn ObjectStore) -> Result<Policy, LoadError> {
        match self {
            PolicySource::Default => Ok(Policy::default()),
            PolicySource::Inline(value) => {
                Policy::from_json(value).map_err(|source| LoadError::Invalid { key: None, source })
            }
            PolicySource::Key(key) => {
                let body = store.get(key).await.map_err(|source| match source {
                    PortError::NotFound { .. } => LoadError::Missing { key: key.clone() },
                    source => LoadError::Store {
                        key: key.clone(),
                        source,
                    },
                })?;
                let text = std::str::from_utf8(&body)
                    .map_err(|_| LoadError::NotText { key: key.clone() })?;
                Policy::from_file_text(key, text).map_err(|source| LoadError::Invalid {
                    key: Some(key.clone()),
                    source,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use async_trait::async_trait;
    use bytes::Bytes;
    use serde_json::json;

    use super::*;

    /// Objects in memory; `get` of a key in `down` fails as the store being unavailable.
    #[derive(Default)]
    struct Store {
        objects: Mutex<BTreeMap<String, Bytes>>,
        down: Option<String>,
    }

    impl Store {
        fn with(key: &str, body: &[u8]) -> Store {
            let store = Store::default();
            store
                .objects
                .lock()
                .unwrap()
                .insert(key.to_owned(), Bytes::copy_from_slice(body));
            store
        }
    }

    #[async_trait]
    impl ObjectStore for Store {
        async fn put(&self, key: &str, body: Bytes, _: &str) -> Result<(), PortError> {
            self.objects.lock().unwrap().insert(key.to_owned(), body);
            Ok(())
        }

        async fn get(&self, key: &str) -> Result<Bytes, PortError> {
            if self.down.as_deref() == Some(key) {
                return Err(PortError::Unavailable {
                    what: format!("key {key}"),
                    reason: "timeout".into(),
                });
            }
            let objects = self.objects.lock().unwrap();
            objects
                .get(key)
                .cloned()
                .ok_or_else(|| PortError::NotFound {
                    what: format!("key {key}"),
                })
        }

        async fn list(&self, prefix: &str) -> Result<Vec<String>, PortError> {
            let objects = self.objects.lock().unwrap();
            Ok(objects
                .keys()
                .filter(|k| k.starts_with(prefix))
                .cloned()
                .collect())
        }
    }

    #[test]
    fn the_input_names_one_source_or_the_default() {
        // GIVEN each allowed combination of the two fields
        let inline = json!({"mode": "rules"});
        // WHEN read THEN each names its source; a key is trimmed
        assert_eq!(
            PolicySource::from_input(Some(&inline), None).unwrap(),
            PolicySource::Inline(inline.clone())
        );
        assert_eq!(
            PolicySource::from_input(None, Some(" policies/p.toml ")).unwrap(),
            PolicySource::Key("policies/p.toml".into())
        );
        assert_eq!(
            PolicySource::from_input(None, None).unwrap(),
            PolicySource::Default
        );
    }

    #[test]
    fn both_fields_or_a_blank_key_are_invalid_input_naming_the_field() {
        // GIVEN both fields, then a blank key
        let both = PolicySource::from_input(Some(&json!({})), Some("policies/p.toml"));
        let blank = PolicySource::from_input(None, Some("  "));
        // THEN each is Input.Invalid, its message starting with the field at fault
        for (error, field) in [
            (both.unwrap_err(), "policy"),
            (blank.unwrap_err(), "policyKey"),
        ] {
            assert_eq!(error.field(), field);
            assert_eq!(error.name(), error_names::INPUT_INVALID);
            assert!(error.to_string().starts_with(field), "{error}");
        }
    }

    #[tokio::test]
    async fn the_default_and_an_inline_policy_read_nothing() {
        // GIVEN an empty store
        let store = Store::default();
        // WHEN the default and an inline rules policy are loaded
        let default = PolicySource::Default.load(&store).await.unwrap();
        let inline = PolicySource::Inline(json!({"guardrails": {"cooldown_days": 5}}));
        let loaded = inline.load(&store).await.unwrap();
        // THEN they are the default policy and the inline one
        assert_eq!(default, Policy::default());
        assert_eq!(loaded.guardrails.cooldown_days, 5);
    }

    #[tokio::test]
    async fn a_policy_file_is_read_as_toml_or_by_its_json_extension() {
        // GIVEN the seed rules as TOML and a JSON policy file
        let toml = include_str!("../examples/seed-rules.toml");
        let store = Store::with("policies/seed.toml", toml.as_bytes());
        let json = br#"{"guardrails": {"max_actions_per_run": 3}}"#;
        store
            .objects
            .lock()
            .unwrap()
            .insert("policies/p.json".into(), Bytes::from_static(json));
        // WHEN each is loaded by key
        let seed = PolicySource::Key("policies/seed.toml".into())
            .load(&store)
            .await
            .unwrap();
        let by_json = PolicySource::Key("policies/p.json".into())
            .load(&store)
            .await
            .unwrap();
        // THEN each is the file's policy
        assert_eq!(seed, Policy::seed_rules());
        assert_eq!(by_json.guardrails.max_actions_per_run, 3);
    }

    #[tokio::test]
    async fn an_unusable_policy_is_invalid_input_naming_the_key_or_the_field() {
        // GIVEN a store with a non-UTF-8 file and an invalid TOML policy
        let store = Store::with("policies/binary.toml", &[0xff, 0xfe, 0x00]);
        store.objects.lock().unwrap().insert(
            "policies/bad.toml".into(),
            Bytes::from_static(b"[guardrails]\nmax_pauses = 1\n"),
        );
        let load = |key: &str| {
            let source = PolicySource::Key(key.to_owned());
            let store = &store;
            async move { source.load(store).await.unwrap_err() }
        };
        // WHEN a missing, a non-UTF-8 and an invalid file are loaded, and an invalid inline one
        let missing = load("policies/none.toml").await;
        let binary = load("policies/binary.toml").await;
        let bad = load("policies/bad.toml").await;
        let inline = PolicySource::Inline(json!({"bayes": {"pause_confidence": 2.0}}))
            .load(&store)
            .await
            .unwrap_err();
        // THEN each is Input.Invalid, names the key or the policy's field, and the input field
        assert!(matches!(missing, LoadError::Missing { .. }), "{missing:?}");
        assert!(matches!(binary, LoadError::NotText { .. }), "{binary:?}");
        for error in [&missing, &binary, &bad, &inline] {
            assert_eq!(error.name(), error_names::INPUT_INVALID);
        }
        assert!(
            missing.to_string().contains("'policies/none.toml'"),
            "{missing}"
        );
        assert!(binary.to_string().contains("UTF-8"), "{binary}");
        assert!(bad.to_string().contains("max_pauses"), "{bad}");
        assert!(bad.to_string().contains("policies/bad.toml"), "{bad}");
        assert!(
            inline.to_string().contains("bayes.pause_confidence"),
            "{inline}"
        );
        assert_eq!(
            [missing.field(), binary.field(), bad.field(), inline.field()],
            ["policyKey", "policyKey", "policyKey", "policy"]
        );
    }

    #[tokio::test]
    async fn a_failing_store_is_store_failed_not_invalid_input() {
        // GIVEN a store that times out reading the policy file
        let store = Store {
            down: Some("policies/p.toml".into()),
            ..Store::default()
        };
        // WHEN it is loaded
        let error = PolicySource::Key("policies/p.toml".into())
            .load(&store)
            .await
            .unwrap_err();
        // THEN the failure is the store's, naming the key
        assert!(matches!(error, LoadError::Store { .. }), "{error:?}");
        assert_eq!(error.name(), error_names::STORE_FAILED);
        assert!(error.to_string().contains("policies/p.toml"), "{error}");
    }
}
