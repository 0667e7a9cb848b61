//! [`RuntimeApi`]: the Lambda Runtime API a bootstrap talks to, as AWS documents it
//! (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>), on an ephemeral
//! loopback port:
//!
//! - `GET /2018-06-01/runtime/invocation/next` long-polls for the next event and answers
//!   it with the headers `lambda_runtime` reads: `Lambda-Runtime-Aws-Request-Id`,
//!   `Lambda-Runtime-Deadline-Ms`, `Lambda-Runtime-Invoked-Function-Arn` and
//!   `Lambda-Runtime-Trace-Id`;
//! - `POST /2018-06-01/runtime/invocation/{id}/response` is the handler's output;
//! - `POST /2018-06-01/runtime/invocation/{id}/error` is its error, a JSON body
//!   `{"errorType", "errorMessage"}`;
//! - `POST /2018-06-01/runtime/init/error` is a failed init, in the same shape.
//!
//! The first `next` marks the end of the bootstrap's init: that instant is what init time
//! is measured to, since Lambda sends the first event then.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

use crate::Error;

/// The time an invocation may take, as the `Lambda-Runtime-Deadline-Ms` header says; the
/// steps' functions are configured with the same 15 minutes at most. Informational: the
/// emulator does not stop a handler at the deadline.
const DEADLINE: Duration = Duration::from_secs(900);

/// The account in the function ARNs the emulator hands out.
const ACCOUNT: &str = "000000000000";

/// How an invocation ended, as the bootstrap posted it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The handler's output (`/response`). A body that is not JSON is kept as a JSON string.
    Response(Value),
    /// The handler's error (`/error`): what a state machine's `Retry` and `Catch` match.
    Error {
        /// The `errorType`: a step's stable name, e.g. `Input.Invalid`.
        error_type: String,
        /// The `errorMessage`.
        error_message: String,
    },
}

impl Outcome {
    /// The output, when the invocation succeeded.
    pub fn response(&self) -> Option<&Value> {
        match self {
            Outcome::Response(output) => Some(output),
            Outcome::Error { .. } => None,
        }
    }

    /// The `errorType`, when the invocation failed.
    pub fn error_type(&self) -> Option<&str> {
        match self {
            Outcome::Response(_) => None,
            Outcome::Error { error_type, .. } => Some(error_type),
        }
    }
}

/// Where the bootstrap's init stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Started; it has not asked for an event yet.
    Initializing,
    /// It asked for its first event at this instant: init is over.
    Ready(Instant),
    /// It reported an init error.
    InitFailed {
        /// The `errorType` posted.
        error_type: String,
        /// The `errorMessage` posted.
        error_message: String,
    },
}

/// The Runtime API of one function, serving until dropped.
pub struct RuntimeApi {
    address: SocketAddr,
    shared: Arc<Shared>,
    events: mpsc::UnboundedSender<Event>,
    server: tokio::task::AbortHandle,
}

/// What the routes share.
struct Shared {
    function_name: String,
    /// Events not yet handed out; `next` takes them one at a time.
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
    /// Where each handed-out invocation's outcome goes, by request id.
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    phase: watch::Sender<Phase>,
}

/// A queued invocation.
struct Event {
    request_id: String,
    payload: Value,
}

/// The body of `/error` and `/init/error`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    error_type: String,
    error_message: String,
}

impl RuntimeApi {
    /// Serves the Runtime API of the function `function_name` on `127.0.0.1:0`.
    pub async fn start(function_name: &str) -> Result<RuntimeApi, Error> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|source| Error::Serve {
                what: "the Lambda Runtime API",
                source,
            })?;
        let address = listener.local_addr().map_err(|source| Error::Serve {
            what: "the Lambda Runtime API",
            source,
        })?;
        let (events, queue) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            function_name: function_name.to_owned(),
            events: tokio::sync::Mutex::new(queue),
            waiting: Mutex::new(HashMap::new()),
            phase: watch::Sender::new(Phase::Initializing),
        });
        let routes = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            // Serving ends only when the task is aborted, on drop.
            let _ = axum::serve(listener, routes).await;
        })
        .abort_handle();
        Ok(RuntimeApi {
            address,
            shared,
            events,
            server,
        })
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// Where init stands; changes when the bootstrap first polls or reports an init error.
    pub fn phase(&self) -> watch::Receiver<Phase> {
        self.shared.phase.subscribe()
    }

    /// Queues `payload` as the next event; the receiver gets the outcome the bootstrap
    /// posts for it.
    pub fn invoke(&self, payload: Value) -> oneshot::Receiver<Outcome> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let (answer, outcome) = oneshot::channel();
        lock(&self.shared.waiting).insert(request_id.clone(), answer);
        // The receiver lives in `shared`, as long as `self`: the send cannot fail.
        let _ = self.events.send(Event {
            request_id,
            payload,
        });
        outcome
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The map of waiting invocations; a panic elsewhere cannot leave it half-written.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    let polled = Instant::now();
    shared.phase.send_if_modified(|phase| {
        let first = *phase == Phase::Initializing;
        if first {
            *phase = Phase::Ready(polled);
        }
        first
    });
    let Some(event) = shared.events.lock().await.recv().await else {
        return (StatusCode::GONE, "the emulator is shutting down").into_response();
    };
    let deadline = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        + DEADLINE;
    let arn = format!(
        "arn:aws:lambda:us-east-1:{ACCOUNT}:function:{}",
        shared.function_name
    );
    // X-Ray's trace header format: Root=1-<epoch seconds, hex>-<96 bits, hex>.
    let trace = format!(
        "Root=1-{:08x}-{};Sampled=0",
        deadline.as_secs(),
        &event.request_id.replace('-', "")[..24]
    );
    let headers = [
        ("lambda-runtime-aws-request-id", event.request_id),
        (
            "lambda-runtime-deadline-ms",
            deadline.as_millis().to_string(),
        ),
        ("lambda-runtime-invoked-function-arn", arn),
        ("lambda-runtime-trace-id", trace),
    ];
    let mut response = axum::Json(event.payload).into_response();
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

async fn response(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let output = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    answer(&shared, &id, Outcome::Response(output))
}

async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (error_type, error_message) = error_body(&headers, &body);
    answer(
        &shared,
        &id,
        Outcome::Error {
            error_type,
            error_message,
        },
    )
}

async fn init_error(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (error_type, error_message) = error_body(&headers, &body);
    shared.phase.send_replace(Phase::InitFailed {
        error_type,
        error_message,
    });
    accepted()
}

/// `errorType` and `errorMessage` from an error body; a body of another shape keeps its
/// text as the message and takes the type from `Lambda-Runtime-Function-Error-Type`.
fn error_body(headers: &HeaderMap, body: &[u8]) -> (String, String) {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) => (parsed.error_type, parsed.error_message),
        Err(_) => (
            headers
                .get("lambda-runtime-function-error-type")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("Unknown")
                .to_owned(),
            String::from_utf8_lossy(body).into_owned(),
        ),
    }
}

/// Hands `outcome` to the invocation `id` is waiting on.
fn answer(shared: &Shared, id: &str, outcome: Outcome) -> Response {
    match lock(&shared.waiting).remove(id) {
        Some(waiting) => {
            // The caller may have stopped waiting (timed out): nothing to tell it then.
            let _ = waiting.send(outcome);
            accepted()
        }
        None => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({
                "errorType": "InvalidRequestID",
                "errorMessage": format!("no invocation {id} is waiting for an answer"),
            })),
        )
            .into_response(),
    }
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, axum::Json(json!({ "status": "OK" }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base URL a bootstrap derives from `AWS_LAMBDA_RUNTIME_API`.
    fn base(api: &RuntimeApi) -> String {
        format!("http://{}/2018-06-01/runtime", api.address())
    }

    #[tokio::test]
    async fn an_event_is_handed_out_with_lambdas_headers_and_its_response_is_the_outcome() {
        // GIVEN a Runtime API with one event queued
        let api = RuntimeApi::start("decide").await.unwrap();
        let outcome = api.invoke(json!({ "accountId": 7 }));
        let http = reqwest::Client::new();

        // WHEN the bootstrap polls and posts its response
        let event = http
            .get(format!("{}/invocation/next", base(&api)))
            .send()
            .await
            .unwrap();
        let headers = event.headers().clone();
        let payload: Value = event.json().await.unwrap();
        let id = headers["lambda-runtime-aws-request-id"].to_str().unwrap();
        let posted = http
            .post(format!("{}/invocation/{id}/response", base(&api)))
            .body(r#"{"decisionsKey":"decisions/x.json"}"#)
            .send()
            .await
            .unwrap();

        // THEN the event came with the headers lambda_runtime requires, init is over
        assert_eq!(payload, json!({ "accountId": 7 }));
        for name in [
            "lambda-runtime-deadline-ms",
            "lambda-runtime-invoked-function-arn",
            "lambda-runtime-trace-id",
        ] {
            assert!(headers.contains_key(name), "{name} missing: {headers:?}");
        }
        assert!(
            headers["lambda-runtime-invoked-function-arn"]
                .to_str()
                .unwrap()
                .ends_with(":function:decide")
        );
        assert!(matches!(*api.phase().borrow(), Phase::Ready(_)));
        // AND the response is accepted and is the invocation's outcome
        assert_eq!(posted.status(), StatusCode::ACCEPTED);
        assert_eq!(
            outcome.await.unwrap(),
            Outcome::Response(json!({ "decisionsKey": "decisions/x.json" }))
        );
    }

    #[tokio::test]
    async fn a_posted_error_is_the_outcome_with_its_error_type_verbatim() {
        // GIVEN an event handed out
        let api = RuntimeApi::start("poll-results").await.unwrap();
        let outcome = api.invoke(json!({ "queryId": "" }));
        let http = reqwest::Client::new();
        let event = http
            .get(format!("{}/invocation/next", base(&api)))
            .send()
            .await
            .unwrap();
        let id = event.headers()["lambda-runtime-aws-request-id"]
            .to_str()
            .unwrap()
            .to_owned();

        // WHEN the bootstrap posts an error
        http.post(format!("{}/invocation/{id}/error", base(&api)))
            .body(r#"{"errorType":"Input.Invalid","errorMessage":"input queryId: it is empty"}"#)
            .send()
            .await
            .unwrap();

        // THEN the outcome carries errorType and errorMessage as posted
        let outcome = outcome.await.unwrap();
        assert_eq!(outcome.error_type(), Some("Input.Invalid"));
        assert_eq!(
            outcome,
            Outcome::Error {
                error_type: "Input.Invalid".into(),
                error_message: "input queryId: it is empty".into(),
            }
        );
    }

    #[tokio::test]
    async fn an_answer_for_no_waiting_invocation_is_refused() {
        // GIVEN a Runtime API with nothing handed out
        let api = RuntimeApi::start("report").await.unwrap();

        // WHEN a response arrives for an unknown request id
        let posted = reqwest::Client::new()
            .post(format!("{}/invocation/nobody/response", base(&api)))
            .body("{}")
            .send()
            .await
            .unwrap();

        // THEN it is a 400, as Lambda answers an invalid request id
        assert_eq!(posted.status(), StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn an_init_error_ends_init_as_failed() {
        // GIVEN a bootstrap that has not polled yet
        let api = RuntimeApi::start("collect").await.unwrap();

        // WHEN it reports an init error
        reqwest::Client::new()
            .post(format!("{}/init/error", base(&api)))
            .body(r#"{"errorType":"Runtime.Config","errorMessage":"BUCKET is not set"}"#)
            .send()
            .await
            .unwrap();

        // THEN init is over, failed, with its words
        assert_eq!(
            *api.phase().borrow(),
            Phase::InitFailed {
                error_type: "Runtime.Config".into(),
                error_message: "BUCKET is not set".into(),
            }
        );
    }
}
