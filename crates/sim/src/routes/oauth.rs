//! `POST /oauth/v2/accessToken` and `POST /oauth/v2/introspectToken` (form-encoded, no
//! Bearer header), served from `auth`. Injected faults apply here too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::auth::OAuthForm;
use crate::state::Shared;

fn read_form(body: &Bytes) -> OAuthForm {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// Exchanges a refresh token for a new access token.
pub async fn access_token(State(shared): State<Shared>, body: Bytes) -> Response {
    shared
        .serve_oauth("POST /oauth/v2/accessToken", |sim| {
            let now = sim.world.clock.now();
            match sim.auth.refresh(&read_form(&body), now) {
                Ok(json) => (StatusCode::OK, axum::Json(json)).into_response(),
                Err(e) => e.into_response(),
            }
        })
        .await
}

/// Introspects a token.
pub async fn introspect(State(shared): State<Shared>, body: Bytes) -> Response {
    shared
        .serve_oauth("POST /oauth/v2/introspectToken", |sim| {
            let now = sim.world.clock.now();
            match sim.auth.introspect(&read_form(&body), now) {
                Ok(json) => (StatusCode::OK, axum::Json(json)).into_response(),
                Err(e) => e.into_response(),
            }
        })
        .await
}
