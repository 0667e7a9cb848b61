//! # start-athena-query — start a named query of the catalog
//!
//! The first query step of the optimize state machine: it looks the query up by name in the
//! SQL compiled from `athena/queries/` ([`catalog::Catalog::embedded`]), validates every
//! parameter against the query's declaration ([`catalog::Query::bind`]: none missing, none
//! extra, each of its kind and within its range, an account id digits only) and starts the
//! query through the [`QueryEngine`] port with the query's SQL and the bound literals, one
//! per `?`, in order. It returns the query's id at once; poll-results then waits for it.
//!
//! Bad input starts nothing: the whole input is validated before the engine is called.
//! Starting is idempotent on Athena (the adapter derives the request token from the
//! request), so the state machine may `Retry` this step on `Query.Failed`.
//!
//! Reading order: [`Input`], [`Output`], [`Error`], [`run`]. `main.rs` is the Lambda wiring.
//!
//! Deliberately not here: SQL (it lives in `athena/`, never in a step), substituting values
//! into SQL text (they travel separately, as `ExecutionParameters`), and waiting.

use ads::error_names::{self, StepError};
use ads::{QueryEngine, QueryRequest};
use catalog::{Catalog, CatalogError, ParamError, Query};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The step's input: which query, with which parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The query's name, its file under `athena/queries/` without `.sql`, e.g.
    /// `decision_input`.
    pub query: String,
    /// The query's parameters by their declared names (snake_case, as in the SQL file's
    /// `-- @param` lines), e.g. `{"account_id": "123", "start_date": "2026-10-19",
    /// "end_date": "2026-11-01"}`: account ids as digits (string or number), dates as
    /// `YYYY-MM-DD`, numbers as JSON numbers. Every declared parameter is required and no
    /// other is accepted. Absent means none (for a query that declares none).
    #[serde(default)]
    pub params: Map<String, Value>,
    /// A window of whole days before `asOf`, for a scheduled run that cannot do date
    /// arithmetic (Step Functions has none): it fills `start_date` (`asOf` − `days`) and
    /// `end_date` (`asOf` − 1) where `params` leaves them out or null.
    #[serde(default)]
    pub window: Option<Window>,
}

/// The `days` days before `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// The day the window ends before (`YYYY-MM-DD`).
    pub as_of: NaiveDate,
    /// How many days, 1–366.
    pub days: u32,
}

/// The longest window, a leap year.
const MAX_WINDOW_DAYS: u32 = 366;

/// The started query, for poll-results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The engine's id for the query (Athena's `QueryExecutionId`); poll-results takes it.
    pub query_id: String,
    /// The query's name, as given, so the next states can say which query it was.
    pub query: String,
}

/// Why the step failed. [`StepError::name`] gives the stable name the state machine matches.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No query has the name given (`Input.Invalid`); nothing was started.
    #[error("input query: {0}")]
    UnknownQuery(CatalogError),
    /// The window is not 1–366 days (`Input.Invalid`); nothing was started.
    #[error("input window.days: {0} is not within 1–366; give the number of days before asOf")]
    InvalidWindow(u32),
    /// A parameter is missing, extra, of the wrong type or out of range (`Input.Invalid`);
    /// the message names the query, the parameter and what it must be. Nothing was started.
    #[error("input params: {0}")]
    InvalidParams(ParamError),
    /// The engine refused the query or could not be reached (`Query.Failed`).
    #[error("query {query} could not be started: {reason}")]
    Failed {
        /// The query's name.
        query: String,
        /// The engine's reason.
        reason: String,
    },
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::UnknownQuery(_) | Error::InvalidParams(_) | Error::InvalidWindow(_) => {
                error_names::INPUT_INVALID
            }
            Error::Failed { .. } => error_names::QUERY_FAILED,
        }
    }
}

/// Validates the input against the embedded catalog and starts the query on `engine`.
///
/// Idempotent where the engine is (Athena: the same query and parameters within 24 hours
/// return the first start's id).
pub async fn run(input: Input, engine: &dyn QueryEngine) -> Result<Output, Error> {
    let (query, params) = bind(Catalog::embedded(), &input)?;
    let request = QueryRequest {
        name: query.name.clone(),
        sql: query.sql.clone(),
        params,
    };
    let query_id = engine
        .start(&request)
        .await
        .map_err(|error| Error::Failed {
            query: query.name.clone(),
            reason: error.to_string(),
        })?;
    tracing::info!(query = %query.name, query_id = %query_id, "started query");
    Ok(Output {
        query_id,
        query: input.query,
    })
}

/// The catalog's query named by `input` and its parameters as literals, in `?` order.
fn bind<'c>(catalog: &'c Catalog, input: &Input) -> Result<(&'c Query, Vec<String>), Error> {
    let query = catalog.query(&input.query).map_err(Error::UnknownQuery)?;
    let params = query
        .bind(&with_window(&input.params, input.window)?)
        .map_err(Error::InvalidParams)?;
    Ok((query, params))
}

/// `params` with `start_date` and `end_date` filled from `window` where absent or null.
fn with_window(
    params: &Map<String, Value>,
    window: Option<Window>,
) -> Result<Map<String, Value>, Error> {
    let mut params = params.clone();
    let Some(window) = window else {
        return Ok(params);
    };
    if !(1..=MAX_WINDOW_DAYS).contains(&window.days) {
        return Err(Error::InvalidWindow(window.days));
    }
    let start = window.as_of - Days::new(u64::from(window.days));
    let end = window.as_of - Days::new(1);
    for (name, day) in [("start_date", start), ("end_date", end)] {
        if params.get(name).is_none_or(Value::is_null) {
            params.insert(name.to_owned(), Value::String(day.to_string()));
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::{PortError, QueryState};
    use async_trait::async_trait;
    use serde_json::json;
    use std::sync::Mutex;

    /// A query engine that records what it is asked to start, and may refuse.
    #[derive(Default)]
    struct FakeEngine {
        started: Mutex<Vec<QueryRequest>>,
        refusal: Option<PortError>,
    }

    #[async_trait]
    impl QueryEngine for FakeEngine {
        async fn start(&self, query: &QueryRequest) -> Result<String, PortError> {
            if let Some(error) = &self.refusal {
                return Err(error.clone());
            }
            self.started.lock().unwrap().push(query.clone());
            Ok("q-1".to_owned())
        }

        async fn state(&self, _id: &str) -> Result<QueryState, PortError> {
            unreachable!("start-athena-query never polls")
        }
    }

    impl FakeEngine {
        fn started(&self) -> Vec<QueryRequest> {
            self.started.lock().unwrap().clone()
        }
    }

    fn input(query: &str, params: Value) -> Input {
        serde_json::from_value(json!({ "query": query, "params": params })).unwrap()
    }

    fn decision_input() -> Value {
        json!({ "account_id": "123", "start_date": "2026-10-19", "end_date": "2026-11-01" })
    }

    /// Runs `input` on a fresh engine; the error and what was started.
    async fn refused(input: Input) -> (Error, Vec<QueryRequest>) {
        let engine = FakeEngine::default();
        let error = run(input, &engine).await.unwrap_err();
        (error, engine.started())
    }

    #[tokio::test]
    async fn a_window_fills_the_dates_params_leave_out_or_null_and_never_overrides_one() {
        // GIVEN a scheduled run's input: the account, the dates null, 31 days before asOf
        let engine = FakeEngine::default();
        let mut given = input(
            "decision_input",
            json!({ "account_id": "123", "start_date": null }),
        );
        given.window = Some(Window {
            as_of: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            days: 31,
        });
        // WHEN it starts
        run(given.clone(), &engine).await.unwrap();
        // THEN the dates are the 31 days before asOf (across February's end)
        assert_eq!(
            engine.started()[0].params,
            ["'123'", "'2026-01-29'", "'2026-02-28'"].map(String::from)
        );
        // AND a date given in params wins
        given.params.insert("end_date".into(), json!("2026-02-20"));
        run(given, &engine).await.unwrap();
        assert_eq!(engine.started()[1].params[2], "'2026-02-20'");
    }

    #[tokio::test]
    async fn a_window_of_no_days_or_over_a_year_is_invalid_input_naming_it() {
        for days in [0, 367] {
            let mut given = input("decision_input", json!({ "account_id": "123" }));
            given.window = Some(Window {
                as_of: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                days,
            });
            let (error, started) = refused(given).await;
            assert_eq!(error.name(), "Input.Invalid");
            assert!(error.to_string().contains("window.days"), "{error}");
            assert!(started.is_empty());
        }
    }

    #[tokio::test]
    async fn starts_the_catalog_sql_with_the_bound_literals_in_order() {
        // GIVEN an engine and valid parameters, given in another order than declared
        let engine = FakeEngine::default();
        let params =
            json!({ "end_date": "2026-11-01", "account_id": 123, "start_date": "2026-10-19" });

        // WHEN decision_input is started
        let output = run(input("decision_input", params), &engine).await.unwrap();

        // THEN the engine got the catalog's SQL and one literal per `?`, in declared order
        let query = Catalog::embedded().query("decision_input").unwrap();
        assert_eq!(
            engine.started(),
            [QueryRequest {
                name: "decision_input".to_owned(),
                sql: query.sql.clone(),
                params: vec![
                    "'123'".to_owned(),
                    "'2026-10-19'".to_owned(),
                    "'2026-11-01'".to_owned()
                ],
            }]
        );
        // AND the output carries the engine's id and the query's name, in camelCase
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            json!({ "queryId": "q-1", "query": "decision_input" })
        );
    }

    #[tokio::test]
    async fn numbers_are_bound_bare() {
        // GIVEN a query with a bigint parameter
        let engine = FakeEngine::default();
        let params = json!({ "account_id": "123", "end_date": "2026-11-01", "min_clicks": 100 });

        // WHEN it is started
        run(input("top_performers", params), &engine).await.unwrap();

        // THEN the number travels as a bare literal
        assert_eq!(engine.started()[0].params, ["'123'", "'2026-11-01'", "100"]);
    }

    #[tokio::test]
    async fn an_unknown_query_is_invalid_input_listing_the_known_ones() {
        // GIVEN a query name the catalog does not have
        // WHEN it is started
        let (error, started) = refused(input("decision_inputs", decision_input())).await;

        // THEN Input.Invalid names it and the queries there are, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        let message = error.to_string();
        assert!(message.contains("decision_inputs"), "{message}");
        assert!(message.contains("top_performers"), "{message}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn a_missing_parameter_is_invalid_input_naming_it() {
        // GIVEN parameters without end_date
        let params = json!({ "account_id": "123", "start_date": "2026-10-19" });

        // WHEN decision_input is started
        let (error, started) = refused(input("decision_input", params)).await;

        // THEN Input.Invalid names the query and the parameter, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        assert!(
            matches!(&error, Error::InvalidParams(ParamError::Missing { param, .. }) if param == "end_date"),
            "{error:?}"
        );
        assert!(error.to_string().contains("decision_input"), "{error}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn an_extra_parameter_is_invalid_input_naming_it() {
        // GIVEN a parameter decision_input does not declare
        let mut params = decision_input();
        params["campaign_id"] = json!("456");

        // WHEN it is started
        let (error, started) = refused(input("decision_input", params)).await;

        // THEN Input.Invalid names the stray parameter, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        assert!(error.to_string().contains("campaign_id"), "{error}");
        assert!(matches!(
            error,
            Error::InvalidParams(ParamError::Extra { .. })
        ));
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn a_parameter_of_the_wrong_type_is_invalid_input() {
        // GIVEN a date given as a number
        let mut params = decision_input();
        params["end_date"] = json!(20261101);

        // WHEN it is started
        let (error, started) = refused(input("decision_input", params)).await;

        // THEN Input.Invalid says what end_date must be, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        assert!(matches!(
            error,
            Error::InvalidParams(ParamError::WrongType { .. })
        ));
        assert!(error.to_string().contains("end_date"), "{error}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn a_date_that_does_not_exist_is_invalid_input() {
        // GIVEN the 31st of November
        let mut params = decision_input();
        params["end_date"] = json!("2026-11-31");

        // WHEN it is started
        let (error, started) = refused(input("decision_input", params)).await;

        // THEN Input.Invalid names the parameter and the value, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        assert!(error.to_string().contains("2026-11-31"), "{error}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn a_number_out_of_range_is_invalid_input() {
        // GIVEN min_clicks below its declared 0..1000000
        let params = json!({ "account_id": "123", "end_date": "2026-11-01", "min_clicks": -1 });

        // WHEN top_performers is started
        let (error, started) = refused(input("top_performers", params)).await;

        // THEN Input.Invalid names the parameter and its range, and nothing was started
        assert_eq!(error.name(), "Input.Invalid");
        assert!(matches!(
            error,
            Error::InvalidParams(ParamError::OutOfRange { .. })
        ));
        assert!(error.to_string().contains("min_clicks"), "{error}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn an_account_id_smuggling_sql_is_refused_and_nothing_starts() {
        // GIVEN an account id that is SQL, not digits
        let mut params = decision_input();
        params["account_id"] = json!("1 OR 1=1");

        // WHEN it is started
        let (error, started) = refused(input("decision_input", params)).await;

        // THEN Input.Invalid names account_id, and no SQL reached the engine
        assert_eq!(error.name(), "Input.Invalid");
        assert!(matches!(
            error,
            Error::InvalidParams(ParamError::Invalid { .. })
        ));
        assert!(error.to_string().contains("account_id"), "{error}");
        assert!(started.is_empty());
    }

    #[tokio::test]
    async fn an_engine_failure_is_query_failed_with_the_engines_reason() {
        // GIVEN an engine that refuses the query
        let engine = FakeEngine {
            refusal: Some(PortError::Refused {
                what: "Athena query decision_input".to_owned(),
                reason: "workgroup linkedin-ads is disabled".to_owned(),
            }),
            ..FakeEngine::default()
        };

        // WHEN a valid query is started
        let error = run(input("decision_input", decision_input()), &engine)
            .await
            .unwrap_err();

        // THEN Query.Failed carries the query's name and the engine's reason
        assert_eq!(error.name(), "Query.Failed");
        let message = error.to_string();
        assert!(message.contains("decision_input"), "{message}");
        assert!(
            message.contains("workgroup linkedin-ads is disabled"),
            "{message}"
        );
    }

    #[test]
    fn the_input_reads_the_state_machines_json() {
        // GIVEN the input as a state machine passes it, without params
        let json = json!({ "query": "decision_input" });

        // WHEN it is read
        let input: Input = serde_json::from_value(json).unwrap();

        // THEN the query is named and the parameters are empty
        assert_eq!(input.query, "decision_input");
        assert!(input.params.is_empty());
    }
}
