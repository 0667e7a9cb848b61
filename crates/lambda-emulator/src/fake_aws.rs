//! [`FakeAws`]: the AWS operations the steps' adapters call (`crates/aws`), served in
//! memory on a loopback port, so a bootstrap's real SDK clients — pointed here by
//! `AWS_ENDPOINT_URL` ([`FakeAws::env`]) — complete real requests with no AWS account.
//!
//! | service | protocol | operations |
//! |---|---|---|
//! | S3 | REST-XML, path-style (the SDK uses path-style for an IP endpoint) | GetObject, PutObject, ListObjectsV2 |
//! | Secrets Manager | JSON 1.1, `X-Amz-Target: secretsmanager.<Op>` | GetSecretValue, PutSecretValue |
//! | Athena | JSON 1.1, `X-Amz-Target: AmazonAthena.<Op>` | StartQueryExecution, GetQueryExecution |
//! | CloudWatch | Smithy RPC v2 CBOR | PutMetricData: counted, its body not decoded |
//!
//! Answers follow the services' API references in the fields the SDK reads, errors
//! included (`NoSuchKey`, `ResourceNotFoundException`, `InvalidRequestException`), so the
//! adapters' error mapping is exercised too. A JSON operation not listed is a 400 naming
//! it; any other route is a 404 or 405.
//!
//! Not faked: signatures (any credentials pass), paging (every list fits one page), object
//! versions, query execution (a started query stays `RUNNING` until a test says otherwise),
//! metric values, and SNS (the steps run without a topic).

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::Error;

/// The account in the ARNs the fake hands out.
const ACCOUNT: &str = "000000000000";

/// Where a query execution stands, as GetQueryExecution reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryExecution {
    /// `RUNNING`: what a started query stays.
    Running,
    /// `SUCCEEDED`, its CSV at `output_location` (an `s3://` URI).
    Succeeded {
        /// The `ResultConfiguration.OutputLocation`.
        output_location: String,
    },
    /// `FAILED`, with Athena's `StateChangeReason`.
    Failed {
        /// The reason.
        reason: String,
    },
}

/// The fake services, serving until dropped.
pub struct FakeAws {
    address: SocketAddr,
    accounts: Arc<Mutex<Account>>,
    server: tokio::task::AbortHandle,
}

/// Everything the fake holds.
#[derive(Default)]
struct Account {
    /// Objects by bucket, then key.
    buckets: BTreeMap<String, BTreeMap<String, Object>>,
    secrets: BTreeMap<String, String>,
    queries: BTreeMap<String, QueryExecution>,
    /// StartQueryExecution requests, as sent.
    started: Vec<Value>,
    /// The execution each `ClientRequestToken` started: Athena's idempotency.
    tokens: HashMap<String, String>,
    /// PutMetricData requests received.
    metric_puts: usize,
}

#[derive(Clone)]
struct Object {
    body: Bytes,
    content_type: String,
}

impl FakeAws {
    /// Serves the fake services on `127.0.0.1:0`, holding nothing.
    pub async fn start() -> Result<FakeAws, Error> {
        let serve = |source| Error::Serve {
            what: "the fake AWS services",
            source,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(serve)?;
        let address = listener.local_addr().map_err(serve)?;
        let accounts = Arc::new(Mutex::new(Account::default()));
        let routes = Router::new()
            .route("/", post(json_protocol))
            .route(
                "/service/GraniteServiceVersion20100801/operation/PutMetricData",
                post(put_metric_data),
            )
            .route("/{bucket}", get(list_objects))
            .route("/{bucket}/", get(list_objects))
            .route("/{bucket}/{*key}", get(get_object).put(put_object))
            .with_state(Arc::clone(&accounts));
        let server = tokio::spawn(async move {
            // Serving ends only when the task is aborted, on drop.
            let _ = axum::serve(listener, routes).await;
        })
        .abort_handle();
        Ok(FakeAws {
            address,
            accounts,
            server,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The variables that send a process's SDK clients here: every service's endpoint, and
    /// checksums only where an operation requires them, so PutObject bodies arrive plain
    /// rather than `aws-chunked` with a trailing checksum (the fake does not decode that).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint()),
            (
                "AWS_REQUEST_CHECKSUM_CALCULATION",
                "WHEN_REQUIRED".to_owned(),
            ),
            (
                "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "WHEN_REQUIRED".to_owned(),
            ),
        ]
    }

    /// Stores `body` at `bucket`/`key`.
    pub fn put_object(&self, bucket: &str, key: &str, body: impl Into<Bytes>) {
        self.lock()
            .buckets
            .entry(bucket.to_owned())
            .or_default()
            .insert(
                key.to_owned(),
                Object {
                    body: body.into(),
                    content_type: "application/octet-stream".to_owned(),
                },
            );
    }

    /// The object at `bucket`/`key`, if any.
    pub fn object(&self, bucket: &str, key: &str) -> Option<Bytes> {
        let account = self.lock();
        Some(account.buckets.get(bucket)?.get(key)?.body.clone())
    }

    /// Every key in `bucket`, sorted.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        self.lock()
            .buckets
            .get(bucket)
            .map(|objects| objects.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Stores `value` as the secret `name`'s `SecretString`.
    pub fn put_secret(&self, name: &str, value: impl Into<String>) {
        self.lock().secrets.insert(name.to_owned(), value.into());
    }

    /// The secret `name`'s current value, if any.
    pub fn secret(&self, name: &str) -> Option<String> {
        self.lock().secrets.get(name).cloned()
    }

    /// Sets where the query execution `id` stands (it need not have been started here).
    pub fn set_query(&self, id: &str, state: QueryExecution) {
        self.lock().queries.insert(id.to_owned(), state);
    }

    /// The StartQueryExecution requests received, as sent (`QueryString`, `WorkGroup`,
    /// `ExecutionParameters`, ...), oldest first.
    pub fn started_queries(&self) -> Vec<Value> {
        self.lock().started.clone()
    }

    /// How many PutMetricData requests arrived.
    pub fn metric_puts(&self) -> usize {
        self.lock().metric_puts
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Account> {
        lock(&self.accounts)
    }
}

impl Drop for FakeAws {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock(accounts: &Mutex<Account>) -> std::sync::MutexGuard<'_, Account> {
    accounts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

type Shared = State<Arc<Mutex<Account>>>;

// --- S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/) ---

async fn put_object(
    State(accounts): Shared,
    Path((bucket, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let etag = etag(&body);
    lock(&accounts)
        .buckets
        .entry(bucket)
        .or_default()
        .insert(key, Object { body, content_type });
    (StatusCode::OK, [(header::ETAG, etag)]).into_response()
}

async fn get_object(
    State(accounts): Shared,
    Path((bucket, key)): Path<(String, String)>,
) -> Response {
    let object = lock(&accounts)
        .buckets
        .get(&bucket)
        .and_then(|objects| objects.get(&key))
        .cloned();
    match object {
        Some(object) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, object.content_type),
                (header::ETAG, etag(&object.body)),
            ],
            object.body,
        )
            .into_response(),
        None => s3_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            &format!("The specified key does not exist: {key}"),
        ),
    }
}

async fn list_objects(
    State(accounts): Shared,
    Path(bucket): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if query.get("list-type").map(String::as_str) != Some("2") {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "NotImplemented",
            "the fake S3 lists with ListObjectsV2 (list-type=2) only",
        );
    }
    let prefix = query.get("prefix").cloned().unwrap_or_default();
    let keys: Vec<(String, usize)> = lock(&accounts)
        .buckets
        .get(&bucket)
        .map(|objects| {
            objects
                .range(prefix.clone()..)
                .take_while(|(key, _)| key.starts_with(&prefix))
                .map(|(key, object)| (key.clone(), object.body.len()))
                .collect()
        })
        .unwrap_or_default();
    let contents: String = keys
        .iter()
        .map(|(key, size)| {
            format!(
                "<Contents><Key>{}</Key><Size>{size}</Size></Contents>",
                xml_text(key)
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>1000</MaxKeys>\
         <IsTruncated>false</IsTruncated>{contents}</ListBucketResult>",
        xml_text(&bucket),
        xml_text(&prefix),
        keys.len()
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/xml")],
        body,
    )
        .into_response()
}

/// S3's error document (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>).
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>\
         <Message>{}</Message><RequestId>fake</RequestId></Error>",
        xml_text(message)
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// An entity tag for `body`: opaque to the SDK, stable for the same bytes.
fn etag(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// --- CloudWatch, Smithy RPC v2 CBOR ---
// (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html)

/// Counts the request; PutMetricData's output has no members, so an empty body answers it.
async fn put_metric_data(State(accounts): Shared) -> Response {
    lock(&accounts).metric_puts += 1;
    (
        StatusCode::OK,
        [
            ("smithy-protocol", "rpc-v2-cbor"),
            ("content-type", "application/cbor"),
        ],
    )
        .into_response()
}

// --- JSON 1.1 services: Secrets Manager and Athena ---

/// Dispatches on `X-Amz-Target`, `<service prefix>.<operation>`.
async fn json_protocol(State(accounts): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return json_error("SerializationException", "the body is not JSON");
    };
    let text = |field: &str| request[field].as_str().unwrap_or_default().to_owned();
    let mut account = lock(&accounts);
    match target.as_str() {
        "secretsmanager.GetSecretValue" => {
            let name = text("SecretId");
            match account.secrets.get(&name) {
                Some(value) => json_ok(json!({
                    "ARN": secret_arn(&name),
                    "Name": name,
                    "SecretString": value,
                    "VersionId": "fake-version",
                    "VersionStages": ["AWSCURRENT"],
                })),
                None => json_error(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret.",
                ),
            }
        }
        "secretsmanager.PutSecretValue" => {
            let name = text("SecretId");
            if !account.secrets.contains_key(&name) {
                return json_error(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret.",
                );
            }
            account.secrets.insert(name.clone(), text("SecretString"));
            json_ok(json!({
                "ARN": secret_arn(&name),
                "Name": name,
                "VersionId": text("ClientRequestToken"),
                "VersionStages": ["AWSCURRENT"],
            }))
        }
        "AmazonAthena.StartQueryExecution" => {
            let token = text("ClientRequestToken");
            let id = match account.tokens.get(&token) {
                Some(id) => id.clone(),
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    account.tokens.insert(token, id.clone());
                    account.queries.insert(id.clone(), QueryExecution::Running);
                    id
                }
            };
            account.started.push(request);
            json_ok(json!({ "QueryExecutionId": id }))
        }
        "AmazonAthena.GetQueryExecution" => {
            let id = text("QueryExecutionId");
            let status = match account.queries.get(&id) {
                None => {
                    return json_error(
                        "InvalidRequestException",
                        &format!("QueryExecution {id} was not found"),
                    );
                }
                Some(QueryExecution::Running) => json!({ "Status": { "State": "RUNNING" } }),
                Some(QueryExecution::Succeeded { output_location }) => json!({
                    "Status": { "State": "SUCCEEDED" },
                    "ResultConfiguration": { "OutputLocation": output_location },
                }),
                Some(QueryExecution::Failed { reason }) => json!({
                    "Status": { "State": "FAILED", "StateChangeReason": reason },
                }),
            };
            let mut execution = status;
            execution["QueryExecutionId"] = json!(id);
            json_ok(json!({ "QueryExecution": execution }))
        }
        other => json_error(
            "UnknownOperationException",
            &format!("the fake AWS does not implement {other:?}"),
        ),
    }
}

fn secret_arn(name: &str) -> String {
    format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}-AbCdEf")
}

fn json_ok(body: Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-amz-json-1.1")],
        body.to_string(),
    )
        .into_response()
}

/// A JSON 1.1 client error: the SDK reads its type from `__type`.
fn json_error(kind: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/x-amz-json-1.1")],
        json!({ "__type": kind, "Message": message }).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lists_the_keys_under_a_prefix_and_only_those() {
        // GIVEN objects under two prefixes
        let aws = FakeAws::start().await.unwrap();
        for key in [
            "logs/2026-11-01.jsonl",
            "logs/2026-11-02.jsonl",
            "reports/a&b.md",
        ] {
            aws.put_object("data", key, "x");
        }

        // WHEN ListObjectsV2 asks for one prefix
        let listed = reqwest::get(format!("{}/data?list-type=2&prefix=logs/", aws.endpoint()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();

        // THEN the page holds that prefix's keys only
        assert!(
            listed.contains("<Key>logs/2026-11-01.jsonl</Key>"),
            "{listed}"
        );
        assert!(
            listed.contains("<Key>logs/2026-11-02.jsonl</Key>"),
            "{listed}"
        );
        assert!(listed.contains("<KeyCount>2</KeyCount>"), "{listed}");
        assert!(!listed.contains("reports"), "{listed}");
    }

    #[tokio::test]
    async fn a_missing_object_is_s3s_no_such_key() {
        // GIVEN an empty bucket
        let aws = FakeAws::start().await.unwrap();

        // WHEN an object is read
        let response = reqwest::get(format!("{}/data/decisions/none.json", aws.endpoint()))
            .await
            .unwrap();

        // THEN it is a 404 whose code the SDK maps to NoSuchKey
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<Code>NoSuchKey</Code>")
        );
    }

    #[tokio::test]
    async fn a_start_retried_with_the_same_token_returns_the_first_execution() {
        // GIVEN a query started once
        let aws = FakeAws::start().await.unwrap();
        let start = || async {
            let body: Value = reqwest::Client::new()
                .post(aws.endpoint())
                .header("x-amz-target", "AmazonAthena.StartQueryExecution")
                .body(r#"{"QueryString":"SELECT 1","ClientRequestToken":"ads-q-0123456789abcdef"}"#)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["QueryExecutionId"].as_str().unwrap().to_owned()
        };
        let first = start().await;

        // WHEN it is started again with the same token
        let second = start().await;

        // THEN Athena's idempotency holds: one execution, both requests recorded
        assert_eq!(first, second);
        assert_eq!(aws.started_queries().len(), 2);
    }
}
