//! [`LocalQueryEngine`]: Athena's contract over DataFusion — start a named query with its
//! parameters, get an id, ask later where it stands and find its CSV in the store.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use ads::{ObjectStore, PortError, QueryEngine, QueryRequest, QueryState};
use async_trait::async_trait;
use bytes::Bytes;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::{SessionConfig, SessionContext};
use serde::{Deserialize, Serialize};

use super::params::{Bound, bind};
use super::results::{WriteError, write_csv};
use super::tables::register_tables;
use super::udf::register_trino_functions;
use crate::DirStore;

/// Where results and query states live in the store, as Athena's output location.
pub const RESULTS_PREFIX: &str = "query-results/";

/// A view to create before every query: `sql` is its `CREATE OR REPLACE VIEW` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSql {
    /// The view's name, for error messages.
    pub name: String,
    /// The statement, as in `athena/views/<name>.sql`.
    pub sql: String,
}

/// The [`QueryEngine`] on one machine: DataFusion over the [`DirStore`]'s curated Parquet
/// and action log, with Trino's missing functions and the catalog's tables and views.
///
/// `start` runs the query to completion before returning its id (Athena's asynchrony is the
/// polling step's concern), writes the results to `query-results/<id>.csv` and the outcome
/// to `query-results/<id>.state.json`, so `state` answers from another process too. Each
/// query gets a fresh session: it sees the files as they are when it starts.
#[derive(Debug)]
pub struct LocalQueryEngine {
    store: DirStore,
    views: Vec<ViewSql>,
}

/// What `query-results/<id>.state.json` holds.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StateFile {
    /// The query's name.
    query: String,
    /// Its outcome.
    state: QueryState,
}

impl LocalQueryEngine {
    /// An engine over `store` with the catalog's tables and views (`athena/tables/`,
    /// `athena/views/`), as Athena has them.
    pub fn new(store: DirStore) -> LocalQueryEngine {
        let views = catalog::Catalog::embedded()
            .views()
            .iter()
            .map(|view| (view.name.clone(), view.sql.clone()));
        LocalQueryEngine {
            store,
            views: Vec::new(),
        }
        .with_views(views)
    }

    /// The engine with `views` (name, `CREATE OR REPLACE VIEW` statement) also created, in
    /// order, after the catalog's, before each query.
    pub fn with_views<N, S>(mut self, views: impl IntoIterator<Item = (N, S)>) -> LocalQueryEngine
    where
        N: Into<String>,
        S: Into<String>,
    {
        self.views
            .extend(views.into_iter().map(|(name, sql)| ViewSql {
                name: name.into(),
                sql: sql.into(),
            }));
        self
    }

    /// A DataFusion session with the tables, Trino's functions and the views, for running
    /// SQL directly (e.g. an interactive `adsctl query`).
    pub async fn context(&self) -> Result<SessionContext, DataFusionError> {
        let config = SessionConfig::new()
            .with_information_schema(true)
            .with_target_partitions(2);
        let context = SessionContext::new_with_config(config);
        register_trino_functions(&context);
        let root = std::path::absolute(self.store.root())?;
        register_tables(&context, &root)?;
        for view in &self.views {
            context
                .sql(&view.sql)
                .await
                .map_err(|error| error.context(format!("view {}", view.name)))?;
        }
        Ok(context)
    }

    /// The key of the results of query `id`.
    pub fn result_key(id: &str) -> String {
        format!("{RESULTS_PREFIX}{id}.csv")
    }

    fn state_key(id: &str) -> String {
        format!("{RESULTS_PREFIX}{id}.state.json")
    }

    /// Runs the bound query, writing its CSV under `key`; `Ok(Err(reason))` when the query
    /// itself failed (as Athena reports FAILED), `Err` when the store did.
    async fn run(&self, bound: Bound, key: &str) -> Result<Result<(), String>, PortError> {
        let stream = async {
            let context = self.context().await?;
            let plan = context
                .state()
                .statement_to_plan(bound.statement)
                .await?
                .with_param_values(bound.values)?;
            // A query file reads; it never creates, drops or inserts.
            SQLOptions::new()
                .with_allow_ddl(false)
                .with_allow_dml(false)
                .with_allow_statements(false)
                .verify_plan(&plan)?;
            context
                .execute_logical_plan(plan)
                .await?
                .execute_stream()
                .await
        };
        let stream = match stream.await {
            Ok(stream) => stream,
            Err(error) => return Ok(Err(error.to_string())),
        };
        match write_csv(&self.store, key, stream).await {
            Ok(_rows) => Ok(Ok(())),
            Err(WriteError::Query(error)) => Ok(Err(error.to_string())),
            Err(WriteError::Store(error)) => Err(error),
        }
    }
}

#[async_trait]
impl QueryEngine for LocalQueryEngine {
    async fn start(&self, query: &QueryRequest) -> Result<String, PortError> {
        let bound = bind(&query.sql, &query.params).map_err(|error| PortError::Refused {
            what: format!("query {}", query.name),
            reason: error.to_string(),
        })?;
        let id = new_id();
        let result_key = LocalQueryEngine::result_key(&id);
        let state = match self.run(bound, &result_key).await? {
            Ok(()) => QueryState::Succeeded { result_key },
            Err(reason) => QueryState::Failed { reason },
        };
        let file = StateFile {
            query: query.name.clone(),
            state,
        };
        let body = serde_json::to_vec(&file).expect("a state serializes");
        self.store
            .put(
                &LocalQueryEngine::state_key(&id),
                Bytes::from(body),
                "application/json",
            )
            .await?;
        Ok(id)
    }

    async fn state(&self, id: &str) -> Result<QueryState, PortError> {
        let not_found = || PortError::NotFound {
            what: format!("query {id}"),
        };
        if !is_id(id) {
            return Err(not_found());
        }
        let body = match self.store.get(&LocalQueryEngine::state_key(id)).await {
            Ok(body) => body,
            Err(PortError::NotFound { .. }) => return Err(not_found()),
            Err(error) => return Err(error),
        };
        let file: StateFile =
            serde_json::from_slice(&body).map_err(|error| PortError::Unavailable {
                what: format!("query {id}"),
                reason: format!("its state file is unreadable: {error}"),
            })?;
        Ok(file.state)
    }
}

/// A fresh query id shaped like a UUID: the time in nanoseconds, the process id and a
/// counter, so ids from concurrent processes and from one process never collide, and sort
/// by start time.
fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff_ffff;
    let bits =
        (u128::from(nanos) << 64) | (u128::from(std::process::id()) << 32) | u128::from(count);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Whether `id` is shaped like an id of [`new_id`] (and so safe inside a key).
fn is_id(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ads::{AccountId, AdCopy, CampaignId, CreativeDay, CreativeDayKey, CreativeId};
    use chrono::{NaiveDate, TimeZone, Utc};
    use collect::curated::{
        CampaignRecord, CreativeRecord, DailyRow, campaigns_file, creative_daily_file,
        creatives_file,
    };
    use datafusion::physical_plan::displayable;

    use super::*;

    fn collected_at() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 4, 6, 0, 0).unwrap()
    }

    /// (campaign, creative, impressions, clicks, cost in USD)
    type Row = (u64, u64, u64, u64, &'static str);

    async fn put_day(store: &DirStore, day: &str, account: u64, rows: &[Row]) {
        let date: NaiveDate = day.parse().unwrap();
        let rows: Vec<DailyRow> = rows
            .iter()
            .map(|&(campaign, creative, impressions, clicks, cost)| {
                let key = CreativeDayKey {
                    date,
                    account: AccountId(account),
                    campaign: CampaignId(campaign),
                    creative: CreativeId(creative),
                };
                let metrics: BTreeMap<String, rust_decimal::Decimal> = [
                    ("impressions", impressions.to_string()),
                    ("clicks", clicks.to_string()),
                    ("costInUsd", cost.to_string()),
                ]
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.parse().unwrap()))
                .collect();
                DailyRow {
                    day: CreativeDay::from_metrics(key, &metrics).unwrap(),
                    collected_at: collected_at(),
                }
            })
            .collect();
        let key = format!("processed/creative_daily/dt={day}/account_id={account}/part-0.parquet");
        let file = creative_daily_file(&rows).unwrap();
        store
            .put(&key, file, "application/vnd.apache.parquet")
            .await
            .unwrap();
    }

    async fn put_creatives(store: &DirStore, account: u64, creatives: &[(u64, u64, &str)]) {
        let records: Vec<CreativeRecord> = creatives
            .iter()
            .map(|&(creative, campaign, campaign_name)| CreativeRecord {
                creative_id: CreativeId(creative),
                campaign_id: CampaignId(campaign),
                campaign_name: campaign_name.into(),
                name: None,
                status: "ACTIVE".into(),
                copy: AdCopy {
                    commentary: None,
                    headline: Some(format!("Ad {creative}")),
                    description: None,
                    landing_page: None,
                    call_to_action: None,
                },
                post_urn: None,
                created_at: None,
                last_modified_at: None,
                collected_at: collected_at(),
            })
            .collect();
        let key = format!("processed/creatives/account_id={account}/part-0.parquet");
        store
            .put(&key, creatives_file(&records).unwrap(), "x")
            .await
            .unwrap();
    }

    async fn put_campaigns(
        store: &DirStore,
        account: u64,
        campaigns: &[(u64, &str, Option<&str>)],
    ) {
        let records: Vec<CampaignRecord> = campaigns
            .iter()
            .map(|&(campaign, name, daily_budget)| CampaignRecord {
                campaign_id: CampaignId(campaign),
                name: name.into(),
                status: "ACTIVE".into(),
                cost_type: "CPC".into(),
                objective_type: None,
                unit_cost: Some("5.5".parse().unwrap()),
                daily_budget: daily_budget.map(|b| b.parse().unwrap()),
                total_budget: None,
                currency: Some("USD".into()),
                created_at: None,
                last_modified_at: None,
                collected_at: collected_at(),
            })
            .collect();
        let key = format!("processed/campaigns/account_id={account}/part-0.parquet");
        store
            .put(&key, campaigns_file(&records).unwrap(), "x")
            .await
            .unwrap();
    }

    /// A store with account 1 over three days and account 2 over one.
    async fn seeded() -> (tempfile::TempDir, DirStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::new(dir.path().join("data"));
        put_day(
            &store,
            "2026-11-01",
            1,
            &[
                (10, 100, 1000, 10, "12.5"),
                (10, 101, 500, 0, "2.25"),
                (20, 200, 300, 3, "1"),
            ],
        )
        .await;
        put_day(
            &store,
            "2026-11-02",
            1,
            &[(10, 100, 2000, 20, "25"), (20, 200, 700, 0, "0.5")],
        )
        .await;
        put_day(&store, "2026-11-03", 1, &[(10, 100, 9999, 99, "99")]).await;
        put_day(&store, "2026-11-01", 2, &[(30, 300, 8888, 88, "88")]).await;
        put_creatives(
            &store,
            1,
            &[
                (100, 10, "Spring, \"launch\""),
                (101, 10, "Spring, \"launch\""),
                (200, 20, "Retargeting"),
            ],
        )
        .await;
        put_creatives(&store, 2, &[(300, 30, "Other account")]).await;
        put_campaigns(
            &store,
            1,
            &[
                (10, "Spring, \"launch\"", Some("80")),
                (20, "Retargeting", None),
            ],
        )
        .await;
        (dir, store)
    }

    fn request(sql: &str, params: &[&str]) -> QueryRequest {
        QueryRequest {
            name: "test_query".into(),
            sql: sql.into(),
            params: params.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Starts `query` and returns the CSV it wrote, failing on any other outcome.
    async fn csv(engine: &LocalQueryEngine, store: &DirStore, query: QueryRequest) -> String {
        let id = engine.start(&query).await.unwrap();
        match engine.state(&id).await.unwrap() {
            QueryState::Succeeded { result_key } => {
                assert_eq!(result_key, format!("query-results/{id}.csv"));
                String::from_utf8(store.get(&result_key).await.unwrap().to_vec()).unwrap()
            }
            other => panic!("{other:?}"),
        }
    }

    const PERFORMANCE: &str = "
        SELECT d.campaign_id, c.campaign_name,
               sum(d.impressions) AS impressions, sum(d.clicks) AS clicks,
               sum(d.cost_in_usd) AS cost, count(*) AS creative_days,
               count_if(d.clicks > 0) AS days_with_clicks, min(d.dt) AS first_day
        FROM creative_daily d
        JOIN creatives c ON c.account_id = d.account_id AND c.creative_id = d.creative_id
        WHERE d.account_id = ? AND d.dt BETWEEN ? AND ?
        GROUP BY d.campaign_id, c.campaign_name
        ORDER BY d.campaign_id";

    #[tokio::test]
    async fn a_grouped_query_with_parameters_writes_athena_csv() {
        // GIVEN curated files for two accounts over three days
        let (_dir, store) = seeded().await;
        let engine = LocalQueryEngine::new(store.clone());
        // WHEN account 1's first two days are queried with parameters
        let query = request(PERFORMANCE, &["'1'", "'2026-11-01'", "'2026-11-02'"]);
        let text = csv(&engine, &store, query).await;
        // THEN the CSV has a header and exact sums, quoted the way Athena quotes them
        assert_eq!(
            text,
            "\"campaign_id\",\"campaign_name\",\"impressions\",\"clicks\",\"cost\",\"creative_days\",\"days_with_clicks\",\"first_day\"\n\
             \"10\",\"Spring, \"\"launch\"\"\",\"3500\",\"30\",\"39.750000000000000000\",\"3\",\"2\",\"2026-11-01\"\n\
             \"20\",\"Retargeting\",\"1000\",\"3\",\"1.500000000000000000\",\"2\",\"1\",\"2026-11-01\"\n"
        );
    }

    #[tokio::test]
    async fn a_filter_on_day_and_account_reads_only_those_partitions() {
        // GIVEN corrupt files in partitions outside the filter: a day before the range,
        // and the same days of another account
        let (_dir, store) = seeded().await;
        let garbage = Bytes::from_static(b"not a parquet file");
        for key in [
            "processed/creative_daily/dt=2026-10-31/account_id=1/part-0.parquet",
            "processed/creative_daily/dt=2026-11-02/account_id=9/part-0.parquet",
        ] {
            store.put(key, garbage.clone(), "x").await.unwrap();
        }
        let engine = LocalQueryEngine::new(store.clone());
        // WHEN the range is queried
        let query = request(
            "SELECT count(*) AS n, sum(impressions) AS impressions FROM creative_daily \
             WHERE account_id = ? AND dt BETWEEN ? AND ?",
            &["'1'", "'2026-11-01'", "'2026-11-02'"],
        );
        // THEN it succeeds: the corrupt files were never opened
        assert_eq!(
            csv(&engine, &store, query).await,
            "\"n\",\"impressions\"\n\"5\",\"4500\"\n"
        );
        // AND the physical plan scans exactly the two matching files
        let context = engine.context().await.unwrap();
        let plan = context
            .sql(
                "SELECT impressions FROM creative_daily \
                 WHERE account_id = '1' AND dt BETWEEN '2026-11-01' AND '2026-11-02'",
            )
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        let shown = displayable(plan.as_ref()).indent(true).to_string();
        assert_eq!(shown.matches("part-0.parquet").count(), 2, "{shown}");
        assert!(
            shown.contains("dt=2026-11-01/account_id=1/part-0.parquet"),
            "{shown}"
        );
        assert!(
            shown.contains("dt=2026-11-02/account_id=1/part-0.parquet"),
            "{shown}"
        );
        // AND a query that does reach a corrupt partition fails, so the test would notice
        let all = request("SELECT count(*) FROM creative_daily", &[]);
        let id = engine.start(&all).await.unwrap();
        assert!(matches!(
            engine.state(&id).await.unwrap(),
            QueryState::Failed { .. }
        ));
    }

    #[tokio::test]
    async fn an_empty_store_has_every_table_with_no_rows() {
        // GIVEN a store with no data at all
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::new(dir.path().join("data"));
        let engine = LocalQueryEngine::new(store.clone());
        // WHEN every table is queried by its columns
        let query = request(
            "SELECT (SELECT count(*) FROM creative_daily WHERE dt >= ? AND account_id = ?) AS days, \
                    (SELECT count(DISTINCT campaign_name) FROM creatives) AS creatives, \
                    (SELECT count(unit_cost) FROM campaigns) AS campaigns, \
                    (SELECT count(action_id) FROM optimizer_actions) AS actions",
            &["'2026-01-01'", "'1'"],
        );
        // THEN each is empty, not an error
        assert_eq!(
            csv(&engine, &store, query).await,
            "\"days\",\"creatives\",\"campaigns\",\"actions\"\n\"0\",\"0\",\"0\",\"0\"\n"
        );
        // AND a query with no rows writes only the header
        let none = request("SELECT creative_id, impressions FROM creative_daily", &[]);
        assert_eq!(
            csv(&engine, &store, none).await,
            "\"creative_id\",\"impressions\"\n"
        );
    }

    #[tokio::test]
    async fn a_failing_query_reports_the_engines_reason() {
        let (_dir, store) = seeded().await;
        let engine = LocalQueryEngine::new(store.clone());
        for (sql, expected) in [
            ("SELECT * FROM no_such_table", "no_such_table"),
            ("SELECT no_such_column FROM creatives", "no_such_column"),
            (
                "SELECT date_add('fortnight', 1, DATE '2026-01-01')",
                "'fortnight' is not a valid DATE field",
            ),
        ] {
            // WHEN a query that cannot run is started
            let id = engine.start(&request(sql, &[])).await.unwrap();
            // THEN it has an id, and its state is Failed with DataFusion's words
            match engine.state(&id).await.unwrap() {
                QueryState::Failed { reason } => assert!(reason.contains(expected), "{reason}"),
                other => panic!("{sql}: {other:?}"),
            }
            // AND no results were written
            assert!(store.get(&LocalQueryEngine::result_key(&id)).await.is_err());
        }
    }

    #[tokio::test]
    async fn the_state_survives_a_new_engine_and_unknown_ids_are_not_found() {
        // GIVEN a query started by one engine
        let (_dir, store) = seeded().await;
        let id = LocalQueryEngine::new(store.clone())
            .start(&request("SELECT 1 AS one", &[]))
            .await
            .unwrap();
        // WHEN another engine (another process) asks for it
        let engine = LocalQueryEngine::new(store.clone());
        // THEN it knows the outcome
        assert_eq!(
            engine.state(&id).await.unwrap(),
            QueryState::Succeeded {
                result_key: format!("query-results/{id}.csv")
            }
        );
        // AND ids it never issued, or that are not ids, are not found
        for unknown in [
            "00000000-0000-0000-0000-000000000000",
            "../../etc/passwd",
            "",
        ] {
            assert!(matches!(
                engine.state(unknown).await,
                Err(PortError::NotFound { .. })
            ));
        }
        // AND ids are fresh each time
        let again = engine.start(&request("SELECT 1", &[])).await.unwrap();
        assert_ne!(again, id);
        assert!(is_id(&again), "{again}");
    }

    #[tokio::test]
    async fn parameters_that_do_not_bind_are_refused_at_start() {
        let (_dir, store) = seeded().await;
        let engine = LocalQueryEngine::new(store.clone());
        for params in [&["'1' OR 1=1", "'a'", "'b'"][..], &["'1'"][..]] {
            let err = engine
                .start(&request(PERFORMANCE, params))
                .await
                .unwrap_err();
            assert!(matches!(err, PortError::Refused { .. }), "{err}");
        }
        assert!(store.list("query-results/").await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn views_are_created_in_order_and_queries_only_read() {
        // GIVEN two views, the second built on the first
        let (_dir, store) = seeded().await;
        let engine = LocalQueryEngine::new(store.clone()).with_views([
            (
                "campaign_days",
                "CREATE OR REPLACE VIEW campaign_days AS SELECT account_id, dt, campaign_id, \
                 sum(clicks) AS clicks FROM creative_daily GROUP BY 1, 2, 3",
            ),
            (
                "busy_days",
                "CREATE OR REPLACE VIEW busy_days AS SELECT * FROM campaign_days WHERE clicks > 15",
            ),
        ]);
        // WHEN a query reads the second
        let query = request(
            "SELECT dt, campaign_id, clicks FROM busy_days WHERE account_id = ? ORDER BY dt",
            &["'1'"],
        );
        // THEN the views compose
        assert_eq!(
            csv(&engine, &store, query).await,
            "\"dt\",\"campaign_id\",\"clicks\"\n\"2026-11-02\",\"10\",\"20\"\n\"2026-11-03\",\"10\",\"99\"\n"
        );
        // AND a query file cannot change the catalog
        let id = engine
            .start(&request("DROP VIEW busy_days", &[]))
            .await
            .unwrap();
        assert!(matches!(
            engine.state(&id).await.unwrap(),
            QueryState::Failed { .. }
        ));
    }

    #[tokio::test]
    async fn the_action_log_is_a_table_of_json_lines() {
        // GIVEN two days of applied actions
        let (_dir, store) = seeded().await;
        let line = |id: &str, creative: u64, status: &str| {
            format!(
                "{{\"action_id\":\"{id}\",\"executed_at\":\"2026-11-02T06:00:00Z\",\"account_id\":\"1\",\
                 \"campaign_id\":10,\"creative_id\":{creative},\"action_type\":\"PAUSE_CREATIVE\",\
                 \"target\":\"urn:li:sponsoredCreative:{creative}\",\"from_value\":\"ACTIVE\",\
                 \"to_value\":\"PAUSED\",\"reason\":\"low CTR\",\"mode\":\"auto\",\"status\":\"{status}\"}}\n"
            )
        };
        store
            .put(
                "logs/optimizer_actions/2026-11-02.jsonl",
                Bytes::from(line("a1", 100, "APPLIED") + &line("a2", 101, "SKIPPED")),
                "x",
            )
            .await
            .unwrap();
        store
            .put(
                "logs/optimizer_actions/2026-11-03.jsonl",
                Bytes::from(line("a3", 101, "APPLIED")),
                "x",
            )
            .await
            .unwrap();
        let engine = LocalQueryEngine::new(store.clone());
        // WHEN they are queried with Trino's functions
        let query = request(
            "SELECT creative_id, count_if(status = 'APPLIED') AS applied, \
                    max(from_iso8601_timestamp(executed_at)) AS last_at \
             FROM optimizer_actions WHERE account_id = ? GROUP BY creative_id ORDER BY creative_id",
            &["'1'"],
        );
        // THEN every line is a row, ids are numbers
        assert_eq!(
            csv(&engine, &store, query).await,
            "\"creative_id\",\"applied\",\"last_at\"\n\
             \"100\",\"1\",\"2026-11-02 06:00:00.000\"\n\"101\",\"1\",\"2026-11-02 06:00:00.000\"\n"
        );
    }

    #[tokio::test]
    async fn every_catalog_query_runs_unchanged_over_the_curated_files() {
        // GIVEN the curated files and the catalog's views
        let (_dir, store) = seeded().await;
        let engine = LocalQueryEngine::new(store.clone());
        let given: serde_json::Map<String, serde_json::Value> = serde_json::json!({
            "account_id": "1",
            "start_date": "2026-11-01",
            "end_date": "2026-11-02",
            "min_clicks": 0,
            "max_ctr_percent": 50.0,
        })
        .as_object()
        .unwrap()
        .clone();
        let request = |query: &catalog::Query| {
            let mine: serde_json::Map<_, _> = query
                .params
                .iter()
                .map(|p| {
                    let value = given
                        .get(&p.name)
                        .unwrap_or_else(|| panic!("no test value for {}", p.name));
                    (p.name.clone(), value.clone())
                })
                .collect();
            let params = query.bind(&mine).unwrap();
            QueryRequest {
                name: query.name.clone(),
                sql: query.sql.clone(),
                params,
            }
        };
        for query in catalog::Catalog::embedded().queries() {
            // WHEN each named query runs with its parameters bound as Athena would get them
            let request = request(query);
            let id = engine.start(&request).await.unwrap();
            // THEN it succeeds, with a header and rows
            match engine.state(&id).await.unwrap() {
                QueryState::Succeeded { result_key } => {
                    let text = store.get(&result_key).await.unwrap();
                    assert!(
                        text.iter().filter(|&&b| b == b'\n').count() > 1,
                        "{}: {:?}",
                        query.name,
                        text
                    );
                }
                other => panic!("{}: {other:?}", query.name),
            }
        }
        // AND decision_input's numbers are exact
        let query = catalog::Catalog::embedded()
            .query("decision_input")
            .unwrap();
        let text = csv(&engine, &store, request(query)).await;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[1].starts_with("\"10\",\"100\",\"3000\",\"30\",\"37.500000000000000000\","),
            "{text}"
        );
    }
}
