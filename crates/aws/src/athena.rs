//! [`AthenaQueryEngine`]: the query engine as Amazon Athena.
//!
//! A start is one StartQueryExecution in the configured workgroup and database, with the
//! request's bound literals as `ExecutionParameters` for the SQL's `?` placeholders. Its
//! `ClientRequestToken` is derived from the request (and the workgroup and database), so a
//! start retried by Lambda or by the state machine's `Retry` gets the first execution's id
//! back instead of running the query twice: Athena returns the same `QueryExecutionId` for
//! a token it has seen, for 24 hours
//! (<https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html>).
//! The flip side: the same query with the same parameters, started again within those 24
//! hours, answers with the earlier execution and its results.
//!
//! A state is one GetQueryExecution. Results are where the workgroup writes them — the CDK
//! stack sets its results location to `s3://<data bucket>/query-results/`, so Athena's
//! `<id>.csv` lands at the store key `query-results/<id>.csv` the next steps read.

use crate::service_error::{Detail, Verdict, port_error};
use ads::{PortError, QueryEngine, QueryRequest, QueryState};
use async_trait::async_trait;
use aws_sdk_athena::Client;
use aws_sdk_athena::operation::get_query_execution::GetQueryExecutionError;
use aws_sdk_athena::operation::start_query_execution::StartQueryExecutionError;
use aws_sdk_athena::types::{QueryExecution, QueryExecutionContext, QueryExecutionState};
use sha2::{Digest, Sha256};

/// The query engine over Athena, in one workgroup and one Glue database.
///
/// The function's role needs `athena:StartQueryExecution` and `athena:GetQueryExecution` on
/// the workgroup, read access to the Glue tables and the curated data, and write access to
/// the workgroup's results location.
#[derive(Debug, Clone)]
pub struct AthenaQueryEngine {
    client: Client,
    workgroup: String,
    database: String,
    data_bucket: Option<String>,
}

impl AthenaQueryEngine {
    /// An engine sending requests with `client`, running queries in `workgroup` against the
    /// Glue `database`.
    ///
    /// Without [`with_data_bucket`](Self::with_data_bucket) a succeeded query's
    /// `result_key` is the full `s3://` URI of its results.
    pub fn new(
        client: Client,
        workgroup: impl Into<String>,
        database: impl Into<String>,
    ) -> AthenaQueryEngine {
        AthenaQueryEngine {
            client,
            workgroup: workgroup.into(),
            database: database.into(),
            data_bucket: None,
        }
    }

    /// An engine with a client built from the step's shared `config`.
    pub fn from_config(
        config: &aws_config::SdkConfig,
        workgroup: impl Into<String>,
        database: impl Into<String>,
    ) -> AthenaQueryEngine {
        AthenaQueryEngine::new(Client::new(config), workgroup, database)
    }

    /// The same engine, reporting results that Athena writes into `bucket` (the data bucket
    /// of the object store) as store keys (`query-results/<id>.csv`) rather than `s3://`
    /// URIs. Results anywhere else are still reported as full URIs.
    pub fn with_data_bucket(mut self, bucket: impl Into<String>) -> AthenaQueryEngine {
        self.data_bucket = Some(bucket.into());
        self
    }

    /// Where a results location is: its key when it is in the data bucket, else the URI.
    fn result_key(&self, output_location: &str) -> String {
        self.data_bucket
            .as_deref()
            .and_then(|bucket| output_location.strip_prefix("s3://")?.strip_prefix(bucket))
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|key| !key.is_empty())
            .map_or_else(|| output_location.to_owned(), str::to_owned)
    }
}

/// The `ClientRequestToken` for `request` in `workgroup` and `database`: the same inputs
/// give the same token, in any process, on any Rust release.
///
/// Athena requires 32 to 128 characters (see the module docs). The token is `ads-`, the
/// query name cut to 64 characters of `[A-Za-z0-9_-]` (for reading CloudTrail), and the
/// first 128 bits of a SHA-256, in hex, of every input length-prefixed, so `["a,b"]` and
/// `["a", "b"]` differ.
pub fn client_request_token(request: &QueryRequest, workgroup: &str, database: &str) -> String {
    let mut hash = Sha256::new();
    let mut field = |text: &str| {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    };
    for text in [workgroup, database, &request.name, &request.sql] {
        field(text);
    }
    field(&request.params.len().to_string());
    for param in &request.params {
        field(param);
    }
    let digest: String = hash.finalize()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let name: String = request
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(64)
        .collect();
    format!("ads-{name}-{digest}")
}

/// How a query is named in errors.
fn query(name: &str) -> String {
    format!("Athena query {name}")
}

/// How a query execution is named in errors.
fn execution(id: &str) -> String {
    format!("Athena query execution {id}")
}

/// The engine's reason for a failed or cancelled execution: Athena's `StateChangeReason`,
/// then its `AthenaError` message (when it adds anything) and classification.
fn failure_reason(execution: &QueryExecution, state: &QueryExecutionState) -> String {
    let status = execution.status();
    let mut words: Vec<String> = Vec::new();
    if let Some(reason) = status.and_then(|s| s.state_change_reason()) {
        words.push(reason.to_owned());
    }
    if let Some(error) = status.and_then(|s| s.athena_error()) {
        if let Some(message) = error.error_message()
            && !words.iter().any(|w| w.contains(message))
        {
            words.push(message.to_owned());
        }
        // Categories and types: https://docs.aws.amazon.com/athena/latest/ug/error-reference.html
        let category = match error.error_category() {
            Some(1) => "system error",
            Some(2) => "user error",
            Some(_) => "other error",
            None => "error",
        };
        let kind = error
            .error_type()
            .map_or_else(String::new, |t| format!(" type {t}"));
        let retry = if error.retryable() { ", retryable" } else { "" };
        words.push(format!("(Athena {category}{kind}{retry})"));
    }
    if words.is_empty() {
        return match state {
            QueryExecutionState::Cancelled => "the query was cancelled".to_owned(),
            _ => "Athena gave no reason; look the execution up in the Athena console".to_owned(),
        };
    }
    if *state == QueryExecutionState::Cancelled {
        words.insert(0, "cancelled:".to_owned());
    }
    words.join(" ")
}

#[async_trait]
impl QueryEngine for AthenaQueryEngine {
    async fn start(&self, request: &QueryRequest) -> Result<String, PortError> {
        let token = client_request_token(request, &self.workgroup, &self.database);
        // ExecutionParameters must hold at least one item when present.
        let params = (!request.params.is_empty()).then(|| request.params.clone());
        let output = self
            .client
            .start_query_execution()
            .query_string(&request.sql)
            .work_group(&self.workgroup)
            .query_execution_context(
                QueryExecutionContext::builder()
                    .database(&self.database)
                    .build(),
            )
            .set_execution_parameters(params)
            .client_request_token(token)
            .send()
            .await
            .map_err(|error| {
                port_error(
                    query(&request.name),
                    "athena:StartQueryExecution",
                    Detail::Full,
                    &error,
                    |error| match error {
                        // A malformed query, a missing workgroup or database, a reused token
                        // with a different query: the same request fails the same way.
                        StartQueryExecutionError::InvalidRequestException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                )
            })?;
        output
            .query_execution_id
            .ok_or_else(|| PortError::Unavailable {
                what: query(&request.name),
                reason: "StartQueryExecution answered without a QueryExecutionId".to_owned(),
            })
    }

    async fn state(&self, id: &str) -> Result<QueryState, PortError> {
        let output = self
            .client
            .get_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .map_err(|error| {
                port_error(
                    execution(id),
                    "athena:GetQueryExecution",
                    Detail::Full,
                    &error,
                    |error| match error {
                        // Athena answers an unknown id with InvalidRequestException
                        // "QueryExecution <id> was not found".
                        GetQueryExecutionError::InvalidRequestException(e)
                            if e.message().is_some_and(|m| m.contains("not found")) =>
                        {
                            Some(Verdict::NotFound)
                        }
                        GetQueryExecutionError::InvalidRequestException(_) => {
                            Some(Verdict::Refused)
                        }
                        _ => None,
                    },
                )
            })?;
        let unreadable = |reason: &str| PortError::Unavailable {
            what: execution(id),
            reason: reason.to_owned(),
        };
        let execution = output
            .query_execution
            .ok_or_else(|| unreadable("GetQueryExecution answered without a QueryExecution"))?;
        let state = execution
            .status()
            .and_then(|status| status.state())
            .ok_or_else(|| unreadable("GetQueryExecution answered without a state"))?;
        match state {
            QueryExecutionState::Queued | QueryExecutionState::Running => Ok(QueryState::Running),
            QueryExecutionState::Succeeded => {
                let location = execution
                    .result_configuration()
                    .and_then(|c| c.output_location())
                    .ok_or_else(|| PortError::Refused {
                        what: self::execution(id),
                        reason: format!(
                            "it succeeded but Athena reports no results location (managed \
                             query results?); give workgroup {} the results location \
                             s3://<data bucket>/query-results/",
                            self.workgroup
                        ),
                    })?;
                Ok(QueryState::Succeeded {
                    result_key: self.result_key(location),
                })
            }
            QueryExecutionState::Failed | QueryExecutionState::Cancelled => {
                Ok(QueryState::Failed {
                    reason: failure_reason(&execution, state),
                })
            }
            other => Err(unreadable(&format!(
                "GetQueryExecution answered with the unknown state {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_athena::operation::get_query_execution::GetQueryExecutionOutput;
    use aws_sdk_athena::operation::start_query_execution::StartQueryExecutionOutput;
    use aws_sdk_athena::types::error::InvalidRequestException;
    use aws_sdk_athena::types::{AthenaError, QueryExecutionStatus, ResultConfiguration};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use std::sync::{Arc, Mutex};

    const WORKGROUP: &str = "linkedin-ads";
    const DATABASE: &str = "linkedin_ads";
    const BUCKET: &str = "linkedin-ads-data-123456789012";
    const ID: &str = "c0ffee00-1234-5678-9abc-def012345678";

    fn request(params: &[&str]) -> QueryRequest {
        QueryRequest {
            name: "decision_input".to_owned(),
            sql: "SELECT * FROM creative_daily WHERE account_id = ? AND dt <= ?".to_owned(),
            params: params.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    /// What one StartQueryExecution carried.
    #[derive(Debug, Clone, PartialEq)]
    struct Sent {
        sql: Option<String>,
        workgroup: Option<String>,
        database: Option<String>,
        params: Option<Vec<String>>,
        token: Option<String>,
    }

    /// An engine whose StartQueryExecution records each request and answers with [`ID`].
    fn recording_engine() -> (AthenaQueryEngine, Arc<Mutex<Vec<Sent>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::start_query_execution).then_compute_output({
            let sent = sent.clone();
            move |input| {
                sent.lock().unwrap().push(Sent {
                    sql: input.query_string.clone(),
                    workgroup: input.work_group.clone(),
                    database: input
                        .query_execution_context()
                        .and_then(|c| c.database())
                        .map(String::from),
                    params: input.execution_parameters.clone(),
                    token: input.client_request_token.clone(),
                });
                StartQueryExecutionOutput::builder()
                    .query_execution_id(ID)
                    .build()
            }
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&rule]);
        (AthenaQueryEngine::new(client, WORKGROUP, DATABASE), sent)
    }

    /// An engine whose GetQueryExecution answers `execution` for any id.
    fn engine_answering(execution: QueryExecution) -> AthenaQueryEngine {
        let rule = mock!(Client::get_query_execution).then_output(move || {
            GetQueryExecutionOutput::builder()
                .query_execution(execution.clone())
                .build()
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&rule]);
        AthenaQueryEngine::new(client, WORKGROUP, DATABASE).with_data_bucket(BUCKET)
    }

    fn execution_in(
        state: QueryExecutionState,
    ) -> aws_sdk_athena::types::builders::QueryExecutionBuilder {
        QueryExecution::builder()
            .query_execution_id(ID)
            .status(QueryExecutionStatus::builder().state(state).build())
    }

    #[tokio::test]
    async fn start_sends_the_sql_workgroup_database_and_parameters_in_order() {
        // GIVEN Athena accepting queries
        let (engine, sent) = recording_engine();

        // WHEN a query with two bound literals is started
        let id = engine
            .start(&request(&["'123'", "DATE '2026-11-01'"]))
            .await
            .unwrap();

        // THEN one StartQueryExecution carried them all, the literals in order
        assert_eq!(id, ID);
        let sent = sent.lock().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].sql.as_deref(), Some(request(&[]).sql.as_str()));
        assert_eq!(sent[0].workgroup.as_deref(), Some(WORKGROUP));
        assert_eq!(sent[0].database.as_deref(), Some(DATABASE));
        assert_eq!(
            sent[0].params,
            Some(vec!["'123'".to_owned(), "DATE '2026-11-01'".to_owned()])
        );
    }

    #[tokio::test]
    async fn start_without_parameters_omits_execution_parameters() {
        // GIVEN Athena, which refuses an empty ExecutionParameters list
        let (engine, sent) = recording_engine();

        // WHEN a query without placeholders is started
        engine.start(&request(&[])).await.unwrap();

        // THEN the request carries no ExecutionParameters at all
        assert_eq!(sent.lock().unwrap()[0].params, None);
    }

    #[tokio::test]
    async fn a_retried_start_sends_the_same_token_so_athena_runs_it_once() {
        // GIVEN Athena accepting queries
        let (engine, sent) = recording_engine();

        // WHEN the same query is started twice, as a retry would
        let query = request(&["'123'", "DATE '2026-11-01'"]);
        engine.start(&query).await.unwrap();
        engine.start(&query).await.unwrap();

        // THEN both requests carry one token, within Athena's 32–128 characters
        let sent = sent.lock().unwrap();
        let token = sent[0].token.clone().expect("a ClientRequestToken");
        assert_eq!(sent[1].token.as_ref(), Some(&token));
        assert!((32..=128).contains(&token.len()), "{token}");
        assert!(token.starts_with("ads-decision_input-"), "{token}");
    }

    #[test]
    fn the_token_changes_with_any_parameter_the_sql_or_the_workgroup() {
        // GIVEN one request
        let base = request(&["'123'", "DATE '2026-11-01'"]);
        let token = |r: &QueryRequest, wg: &str| client_request_token(r, wg, DATABASE);

        // WHEN any input changes, THEN so does the token
        let other_day = request(&["'123'", "DATE '2026-11-02'"]);
        let regrouped = request(&["'123', DATE '2026-11-01'"]);
        let mut other_sql = base.clone();
        other_sql.sql.push_str(" LIMIT 1");
        let tokens = [
            token(&base, WORKGROUP),
            token(&other_day, WORKGROUP),
            token(&regrouped, WORKGROUP),
            token(&other_sql, WORKGROUP),
            token(&base, "primary"),
        ];
        for (i, a) in tokens.iter().enumerate() {
            for b in &tokens[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_token_is_fixed_across_processes_and_releases() {
        // GIVEN a request, WHEN its token is derived, THEN it is the one derived before
        // (a changed derivation would re-run queries retried across a deploy)
        let token = client_request_token(&request(&["'123'"]), WORKGROUP, DATABASE);
        assert_eq!(token.len(), "ads-decision_input-".len() + 32);
        assert_eq!(
            token,
            client_request_token(&request(&["'123'"]), WORKGROUP, DATABASE)
        );
        assert_eq!(
            token, "ads-decision_input-f2d14c46ee7a52776f9920d7f478cdb3",
            "the derivation changed"
        );
    }

    #[tokio::test]
    async fn a_start_athena_refuses_is_refused_with_athenas_words() {
        // GIVEN Athena refusing the SQL
        let rule = mock!(Client::start_query_execution).then_error(|| {
            StartQueryExecutionError::InvalidRequestException(
                InvalidRequestException::builder()
                    .message("line 1:8: mismatched input 'FORM'")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::Sequential, [&rule]);
        let engine = AthenaQueryEngine::new(client, WORKGROUP, DATABASE);

        // WHEN the query is started
        let error = engine.start(&request(&[])).await.unwrap_err();

        // THEN the port refuses, naming the query and quoting Athena
        let PortError::Refused { what, reason } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert_eq!(what, "Athena query decision_input");
        assert!(reason.contains("mismatched input 'FORM'"), "{reason}");
    }

    #[tokio::test]
    async fn a_start_denied_to_the_role_names_the_permission() {
        // GIVEN a role without athena:StartQueryExecution
        let rule = mock!(Client::start_query_execution).then_error(|| {
            StartQueryExecutionError::generic(
                aws_sdk_athena::error::ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized to perform: athena:StartQueryExecution")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::Sequential, [&rule]);
        let engine = AthenaQueryEngine::new(client, WORKGROUP, DATABASE);

        // WHEN the query is started
        let error = engine.start(&request(&[])).await.unwrap_err();

        // THEN the port refuses and names the permission the role needs
        let PortError::Refused { reason, .. } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert!(reason.contains("the function's role needs athena:StartQueryExecution"));
    }

    #[tokio::test]
    async fn queued_and_running_executions_are_running() {
        for state in [QueryExecutionState::Queued, QueryExecutionState::Running] {
            // GIVEN an execution Athena reports as queued or running
            let engine = engine_answering(execution_in(state.clone()).build());

            // WHEN its state is asked
            let got = engine.state(ID).await.unwrap();

            // THEN it is running
            assert_eq!(got, QueryState::Running, "{state}");
        }
    }

    #[tokio::test]
    async fn state_asks_for_the_execution_by_id() {
        // GIVEN Athena recording what it is asked
        let asked = Arc::new(Mutex::new(Vec::new()));
        let rule = mock!(Client::get_query_execution).then_compute_output({
            let asked = asked.clone();
            move |input| {
                asked.lock().unwrap().push(input.query_execution_id.clone());
                GetQueryExecutionOutput::builder()
                    .query_execution(execution_in(QueryExecutionState::Running).build())
                    .build()
            }
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::Sequential, [&rule]);
        let engine = AthenaQueryEngine::new(client, WORKGROUP, DATABASE);

        // WHEN the state of an execution is asked
        engine.state(ID).await.unwrap();

        // THEN GetQueryExecution named it
        assert_eq!(*asked.lock().unwrap(), [Some(ID.to_owned())]);
    }

    #[tokio::test]
    async fn a_succeeded_execution_in_the_data_bucket_reports_its_store_key() {
        // GIVEN an execution that wrote its results to the workgroup's location
        let location = format!("s3://{BUCKET}/query-results/{ID}.csv");
        let engine = engine_answering(
            execution_in(QueryExecutionState::Succeeded)
                .result_configuration(
                    ResultConfiguration::builder()
                        .output_location(location)
                        .build(),
                )
                .build(),
        );

        // WHEN its state is asked
        let got = engine.state(ID).await.unwrap();

        // THEN the results are the store key the next steps read
        assert_eq!(
            got,
            QueryState::Succeeded {
                result_key: format!("query-results/{ID}.csv")
            }
        );
    }

    #[tokio::test]
    async fn a_succeeded_execution_elsewhere_reports_the_full_uri() {
        // GIVEN results written to another bucket (one whose name starts like the data's)
        let location = format!("s3://{BUCKET}-athena/results/{ID}.csv");
        let engine = engine_answering(
            execution_in(QueryExecutionState::Succeeded)
                .result_configuration(
                    ResultConfiguration::builder()
                        .output_location(location.clone())
                        .build(),
                )
                .build(),
        );

        // WHEN its state is asked
        let got = engine.state(ID).await.unwrap();

        // THEN the results are the full URI, not a store key
        assert_eq!(
            got,
            QueryState::Succeeded {
                result_key: location
            }
        );
    }

    #[tokio::test]
    async fn a_failed_execution_carries_athenas_reason_and_error() {
        // GIVEN an execution Athena failed
        let engine = engine_answering(
            QueryExecution::builder()
                .query_execution_id(ID)
                .status(
                    QueryExecutionStatus::builder()
                        .state(QueryExecutionState::Failed)
                        .state_change_reason(
                            "COLUMN_NOT_FOUND: line 3:10: Column 'ctr' cannot be resolved",
                        )
                        .athena_error(
                            AthenaError::builder()
                                .error_category(2)
                                .error_type(1006)
                                .retryable(false)
                                .error_message("Column 'ctr' cannot be resolved")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        );

        // WHEN its state is asked
        let got = engine.state(ID).await.unwrap();

        // THEN it failed, with the reason and Athena's classification
        assert_eq!(
            got,
            QueryState::Failed {
                reason: "COLUMN_NOT_FOUND: line 3:10: Column 'ctr' cannot be resolved \
                         (Athena user error type 1006)"
                    .to_owned()
            }
        );
    }

    #[tokio::test]
    async fn a_cancelled_execution_is_failed_saying_so() {
        // GIVEN an execution someone cancelled, without a reason
        let engine = engine_answering(execution_in(QueryExecutionState::Cancelled).build());

        // WHEN its state is asked
        let got = engine.state(ID).await.unwrap();

        // THEN it failed, and the reason says it was cancelled
        assert_eq!(
            got,
            QueryState::Failed {
                reason: "the query was cancelled".to_owned()
            }
        );
    }

    #[tokio::test]
    async fn an_unknown_execution_id_is_not_found() {
        // GIVEN Athena, which answers an unknown id with InvalidRequestException
        let rule = mock!(Client::get_query_execution).then_error(|| {
            GetQueryExecutionError::InvalidRequestException(
                InvalidRequestException::builder()
                    .message(format!("QueryExecution {ID} was not found"))
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_athena, RuleMode::Sequential, [&rule]);
        let engine = AthenaQueryEngine::new(client, WORKGROUP, DATABASE);

        // WHEN its state is asked
        let error = engine.state(ID).await.unwrap_err();

        // THEN the port says not found, naming the execution
        assert_eq!(
            error,
            PortError::NotFound {
                what: format!("Athena query execution {ID}")
            }
        );
    }
}
