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

    /// Runs the collect step for the `days` days ending `end` (inclusive) at `h`'s moment.
    pub async fn collect(&self, h: &Harness, end: chrono::NaiveDate, days: u32) {
        let input = collect::Input {
            account_id: h.account().await.0.to_string(),
            end_date: Some(end.to_string()),
            lookback_days: Some(i64::from(days)),
            ..collect::Input::default()
        };
        collect::run(input, &collect_settings(h), self.ports(), h.now().await)
            .await
            .expect("collect runs");
    }

    /// Runs `query` with `params` (a JSON object) through start-athena-query and
    /// poll-results on the local engine; returns the result's store key.
    pub async fn query(&self, query: &str, params: serde_json::Value) -> String {
        let serde_json::Value::Object(params) = params else {
            panic!("params must be an object")
        };
        let engine = local::LocalQueryEngine::new(self.store.clone());
        let started = start_athena_query::run(
            start_athena_query::Input {
                query: query.to_owned(),
                params,
                window: None,
            },
            &engine,
        )
        .await
        .unwrap_or_else(|e| panic!("{query} starts: {e}"));
        let polled = poll_results::run(
            poll_results::Input {
                query_id: started.query_id,
                query: Some(query.to_owned()),
                ..poll_results::Input::default()
            },
            &engine,
        )
        .await
        .unwrap_or_else(|e| panic!("{query} succeeds: {e}"));
        assert!(polled.done);
        polled.result_key.expect("a result key")
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
