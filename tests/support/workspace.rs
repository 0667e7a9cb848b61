//! A temporary data directory wired as the steps see it locally.

use ads::SecretStore;
use local::{DirStore, MetricsLog, SecretsFile};
use secrecy::SecretString;

use crate::{Harness, config};

/// The local adapters over a temporary directory that is removed when this is dropped.
pub struct Workspace {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The object store (`<dir>/data`).
    pub store: DirStore,
    /// The secrets file (`<dir>/secrets.json`), holding the simulator's credentials.
    pub secrets: SecretsFile,
    /// The metrics log (`<dir>/metrics.jsonl`).
    pub metrics: MetricsLog,
}

impl Workspace {
    /// A workspace whose secret `linkedin` holds `h`'s app credentials and tokens, with the
    /// expiries the simulator gave them.
    pub async fn new(h: &Harness) -> Workspace {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let workspace = Workspace {
            store: DirStore::new(dir.path().join("data")),
            secrets: SecretsFile::new(dir.path().join("secrets.json")),
            metrics: MetricsLog::new(dir.path().join("metrics.jsonl")),
            dir,
        };
        // The simulator's credentials document has the secret's very fields.
        let document = serde_json::to_string(&h.credentials).expect("credentials serialize");
        workspace
            .secrets
            .put("linkedin", SecretString::from(document))
            .await
            .expect("the secret is stored");
        workspace
    }

    /// The collect step's ports over this workspace.
    pub fn ports(&self) -> collect::Ports<'_> {
        collect::Ports {
            store: &self.store,
            secrets: &self.secrets,
            metrics: &self.metrics,
        }
    }

    /// Every file under the data directory, as store keys.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        ads::ObjectStore::list(&self.store, prefix)
            .await
            .expect("the store lists")
    }
}

/// The collect step's settings for `h`'s simulator, with millisecond retries.
pub fn collect_settings(h: &Harness) -> collect::Settings {
    collect::Settings {
        linkedin: config(&h.sim),
        ..collect::Settings::default()
    }
}
