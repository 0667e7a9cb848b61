//! The HTTP server: LinkedIn's routes under `/rest` and `/oauth/v2`, the admin API under
//! `/_sim`, on loopback. [`spawn`] runs it in a background task on an ephemeral port (tests,
//! benchmarks, the local demo); [`serve`] runs it in the foreground (`adsctl sim serve`).
//!
//! Query tunneling (learn.microsoft.com/linkedin/shared/api-guide/concepts/query-tunneling):
//! a `POST` with `X-HTTP-Method-Override: GET` and a form-encoded body is served exactly
//! like the GET whose query string is the body; the 4 KB limit applies to the URL only.

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::admin;
use crate::admin_client::AdminClient;
use crate::errors::{ApiError, SimError};
use crate::routes::{RestRequest, oauth};
use crate::scenario::Scenario;
use crate::state::{Shared, Sim};

/// The whole application for a scenario.
pub fn app(scenario: Scenario) -> Router {
    Router::new()
        .route("/rest/{*path}", any(rest))
        .route("/oauth/v2/accessToken", post(oauth::access_token))
        .route("/oauth/v2/introspectToken", post(oauth::introspect))
        .merge(admin::router())
        .fallback(not_found)
        .with_state(Shared::new(Sim::new(scenario)))
}

async fn not_found(method: Method, uri: Uri) -> Response {
    ApiError::not_found(format!("No resource at {method} {}", uri.path())).into_response()
}

async fn rest(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().strip_prefix("/rest/").unwrap_or("");
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let url_query = uri.query().unwrap_or("").to_string();
    let overridden = headers
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("GET"));
    let request = if method == Method::POST && overridden {
        let form = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return ApiError::new(
                400,
                400,
                "A tunneled request needs Content-Type: application/x-www-form-urlencoded with the query string as its body",
            )
            .into_response();
        }
        let tunneled = String::from_utf8_lossy(&body).into_owned();
        let query = match (url_query.is_empty(), tunneled.is_empty()) {
            (true, _) => tunneled,
            (false, true) => url_query.clone(),
            (false, false) => format!("{url_query}&{tunneled}"),
        };
        RestRequest {
            method: Method::GET,
            segments,
            query,
            url_query_len: url_query.len(),
            headers,
            body: Bytes::new(),
            tunneled: true,
        }
    } else {
        RestRequest {
            method,
            segments,
            url_query_len: url_query.len(),
            query: url_query,
            headers,
            body,
            tunneled: false,
        }
    };
    shared.serve_rest(request).await
}

/// A simulator serving in a background task.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RunningSim {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The LinkedIn API base a client uses (`LINKEDIN_API_URL`): base + `/rest`.
    pub fn api_url(&self) -> String {
        format!("{}/rest", self.base_url())
    }

    /// The OAuth base a client uses (`LINKEDIN_OAUTH_URL`): base + `/oauth/v2`.
    pub fn oauth_url(&self) -> String {
        format!("{}/oauth/v2", self.base_url())
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A typed client of its admin API.
    pub fn admin(&self) -> AdminClient {
        AdminClient::new(self.base_url())
    }

    /// Stops serving and waits for the task to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Starts a simulator for `scenario` on 127.0.0.1 with an ephemeral port, serving in a
/// background task of the current tokio runtime.
pub async fn spawn(scenario: Scenario) -> Result<RunningSim, SimError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SimError::Bind { addr, source })?;
    let (stop, stopped) = oneshot::channel::<()>();
    let router = app(scenario);
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "simulator server stopped");
        }
    });
    Ok(RunningSim { addr, stop, task })
}

/// Serves a simulator for `scenario` on `addr` until the process is interrupted (Ctrl-C
/// ends the process; the simulator keeps no state worth flushing).
pub async fn serve(addr: SocketAddr, scenario: Scenario) -> Result<(), SimError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| SimError::Bind { addr, source })?;
    tracing::info!(%local, seed = scenario.seed, "LinkedIn simulator listening");
    axum::serve(listener, app(scenario))
        .await
        .map_err(SimError::Serve)
}

#[cfg(test)]
mod tests;
