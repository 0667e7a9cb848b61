//! Tokens and the OAuth 2.0 endpoints LinkedIn's programmatic refresh uses.
//!
//! Facts followed (learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens
//! and .../token-introspection):
//! - access tokens live 60 days (`expires_in` 5184000), refresh tokens 365 days;
//! - refreshing returns a new access token and the **same** refresh token, whose
//!   `refresh_token_expires_in` keeps counting down to its original expiry;
//! - earlier access tokens stay valid until they expire (LinkedIn does not revoke them on
//!   refresh);
//! - a dead refresh token answers 400 `invalid_grant`; bad client credentials 401
//!   `invalid_client`.
//!
//! Times are on the virtual clock (`clock`): a token minted on virtual day D expires 60
//! virtual days later, whatever the wall clock says.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use rand::RngExt;
use rand::rngs::StdRng;
use serde::Deserialize;
use serde_json::json;

use crate::admin_types::Credentials;
use crate::errors::ApiError;
use crate::randomness::{self, Stream};

/// Seconds an access token lives (60 days).
pub const ACCESS_TTL_SECS: i64 = 60 * 86_400;
/// Seconds a refresh token lives (365 days).
pub const REFRESH_TTL_SECS: i64 = 365 * 86_400;
/// Scopes granted to the seeded member.
pub const SCOPES: &str = "r_ads,rw_ads,r_ads_reporting";

/// One issued token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRecord {
    /// Whether it is a refresh token (else an access token).
    pub is_refresh: bool,
    /// When it was minted.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Revoked by the member (fault injection).
    pub revoked: bool,
}

/// The application, the member's tokens and the minting of new ones.
#[derive(Debug, Clone)]
pub struct Auth {
    client_id: String,
    client_secret: String,
    seeded_access: String,
    seeded_refresh: String,
    authorized_at: DateTime<Utc>,
    tokens: HashMap<String, TokenRecord>,
    minted: u64,
    seed: u64,
}

fn random_text(rng: &mut StdRng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Auth {
    /// The seeded application and a token pair authorized at `authorized_at`.
    pub fn new(seed: u64, authorized_at: DateTime<Utc>) -> Auth {
        let mut rng = randomness::rng(seed, Stream::Tokens, 0, 0);
        let client_id = format!("77{}", random_text(&mut rng, 12).to_lowercase());
        let client_secret = format!("WPL_AP1.{}", random_text(&mut rng, 16));
        let seeded_access = format!("AQV{}", random_text(&mut rng, 180));
        let seeded_refresh = format!("AQX{}", random_text(&mut rng, 180));
        let mut tokens = HashMap::new();
        tokens.insert(
            seeded_access.clone(),
            TokenRecord {
                is_refresh: false,
                created_at: authorized_at,
                expires_at: authorized_at + TimeDelta::seconds(ACCESS_TTL_SECS),
                revoked: false,
            },
        );
        tokens.insert(
            seeded_refresh.clone(),
            TokenRecord {
                is_refresh: true,
                created_at: authorized_at,
                expires_at: authorized_at + TimeDelta::seconds(REFRESH_TTL_SECS),
                revoked: false,
            },
        );
        Auth {
            client_id,
            client_secret,
            seeded_access,
            seeded_refresh,
            authorized_at,
            tokens,
            minted: 0,
            seed,
        }
    }

    /// The seeded credentials (`GET /_sim/credentials`).
    pub fn credentials(&self) -> Credentials {
        let expiry = |t: &str| {
            self.tokens
                .get(t)
                .map(|r| r.expires_at)
                .unwrap_or(self.authorized_at)
        };
        Credentials {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            access_token: self.seeded_access.clone(),
            refresh_token: self.seeded_refresh.clone(),
            access_token_expires_at: expiry(&self.seeded_access),
            refresh_token_expires_at: expiry(&self.seeded_refresh),
        }
    }

    /// Checks an `Authorization` header value for a `/rest` call at `now`.
    pub fn check_bearer(&self, header: Option<&str>, now: DateTime<Utc>) -> Result<(), ApiError> {
        let Some(header) = header else {
            return Err(ApiError::empty_token());
        };
        let token = header.strip_prefix("Bearer ").map(str::trim).unwrap_or("");
        if token.is_empty() {
            return Err(ApiError::empty_token());
        }
        match self.tokens.get(token) {
            Some(r) if r.is_refresh => Err(ApiError::invalid_token()),
            Some(r) if r.revoked => Err(ApiError::revoked_token()),
            Some(r) if r.expires_at <= now => Err(ApiError::expired_token()),
            Some(_) => Ok(()),
            None => Err(ApiError::invalid_token()),
        }
    }

    /// Revokes every token issued so far.
    pub fn revoke_all(&mut self) {
        self.tokens.values_mut().for_each(|t| t.revoked = true);
    }

    /// Makes every live access token expire `days` after `now` (sooner only, never later).
    pub fn expire_access_tokens(&mut self, now: DateTime<Utc>, days: u32) {
        let at = now + TimeDelta::days(days as i64);
        for t in self.tokens.values_mut().filter(|t| !t.is_refresh) {
            t.expires_at = t.expires_at.min(at);
        }
    }

    fn check_client(
        &self,
        client_id: Option<&str>,
        client_secret: Option<&str>,
    ) -> Result<(), OAuthError> {
        if client_id != Some(self.client_id.as_str())
            || client_secret != Some(self.client_secret.as_str())
        {
            return Err(OAuthError::new(
                401,
                "invalid_client",
                "Client authentication failed",
            ));
        }
        Ok(())
    }

    /// `POST /oauth/v2/accessToken` with `grant_type=refresh_token`.
    pub fn refresh(
        &mut self,
        form: &OAuthForm,
        now: DateTime<Utc>,
    ) -> Result<serde_json::Value, OAuthError> {
        match form.grant_type.as_deref() {
            Some("refresh_token") => {}
            Some(_) => {
                return Err(OAuthError::new(
                    400,
                    "unsupported_grant_type",
                    "The simulator supports grant_type=refresh_token",
                ));
            }
            None => return Err(OAuthError::missing("grant_type")),
        }
        let refresh_token = form
            .refresh_token
            .as_deref()
            .ok_or_else(|| OAuthError::missing("refresh_token"))?;
        if form.client_id.is_none() {
            return Err(OAuthError::missing("client_id"));
        }
        self.check_client(form.client_id.as_deref(), form.client_secret.as_deref())?;
        let record = match self.tokens.get(refresh_token) {
            Some(r) if r.is_refresh && !r.revoked && r.expires_at > now => r.clone(),
            _ => {
                return Err(OAuthError::new(
                    400,
                    "invalid_grant",
                    "The provided authorization grant or refresh token is invalid, expired or revoked.",
                ));
            }
        };
        self.minted += 1;
        let mut rng = randomness::rng(self.seed, Stream::Tokens, self.minted, 1);
        let access = format!("AQV{}", random_text(&mut rng, 180));
        self.tokens.insert(
            access.clone(),
            TokenRecord {
                is_refresh: false,
                created_at: now,
                expires_at: now + TimeDelta::seconds(ACCESS_TTL_SECS),
                revoked: false,
            },
        );
        Ok(json!({
            "access_token": access,
            "expires_in": ACCESS_TTL_SECS,
            "refresh_token": refresh_token,
            "refresh_token_expires_in": (record.expires_at - now).num_seconds(),
            "scope": SCOPES,
        }))
    }

    /// `POST /oauth/v2/introspectToken`.
    pub fn introspect(
        &self,
        form: &OAuthForm,
        now: DateTime<Utc>,
    ) -> Result<serde_json::Value, OAuthError> {
        self.check_client(form.client_id.as_deref(), form.client_secret.as_deref())?;
        let token = form
            .token
            .as_deref()
            .ok_or_else(|| OAuthError::missing("token"))?;
        Ok(match self.tokens.get(token) {
            Some(r) if r.revoked => json!({"active": false, "status": "revoked"}),
            Some(r) if r.expires_at <= now => json!({"active": false, "status": "expired"}),
            Some(r) => json!({
                "active": true,
                "client_id": self.client_id,
                "authorized_at": self.authorized_at.timestamp(),
                "created_at": r.created_at.timestamp(),
                "status": "active",
                "expires_at": r.expires_at.timestamp(),
                "scope": SCOPES,
                "auth_type": "3L",
            }),
            None => json!({"active": false}),
        })
    }
}

/// The form fields of both OAuth endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OAuthForm {
    /// `refresh_token` (the only grant the simulator serves).
    pub grant_type: Option<String>,
    /// The refresh token to exchange.
    pub refresh_token: Option<String>,
    /// The application's client id.
    pub client_id: Option<String>,
    /// The application's client secret.
    pub client_secret: Option<String>,
    /// The token to introspect.
    pub token: Option<String>,
}

/// An OAuth error (`{"error","error_description"}`, RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    /// HTTP status.
    pub status: u16,
    /// `error`.
    pub error: &'static str,
    /// `error_description`.
    pub description: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    fn missing(param: &str) -> Self {
        OAuthError::new(
            400,
            "invalid_request",
            format!("A required parameter \"{param}\" is missing"),
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (
            status,
            axum::Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form(auth: &Auth, refresh: &str) -> OAuthForm {
        let c = auth.credentials();
        OAuthForm {
            grant_type: Some("refresh_token".into()),
            refresh_token: Some(refresh.into()),
            client_id: Some(c.client_id),
            client_secret: Some(c.client_secret),
            token: None,
        }
    }

    #[test]
    fn refreshing_mints_a_new_access_token_without_extending_the_refresh_token() {
        // GIVEN credentials authorized on day 0
        let t0 = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
        let mut auth = Auth::new(1, t0);
        let creds = auth.credentials();
        // WHEN refreshing 59 days later
        let now = t0 + TimeDelta::days(59);
        let body = auth
            .refresh(&form(&auth, &creds.refresh_token), now)
            .unwrap();
        // THEN the refresh token is the same and has 306 days left
        assert_eq!(body["refresh_token"], creds.refresh_token.as_str());
        assert_eq!(body["refresh_token_expires_in"], 306 * 86_400);
        let new_access = body["access_token"].as_str().unwrap();
        assert!(
            auth.check_bearer(Some(&format!("Bearer {new_access}")), now)
                .is_ok()
        );
        // AND the old access token still works until its own expiry
        assert!(
            auth.check_bearer(Some(&format!("Bearer {}", creds.access_token)), now)
                .is_ok()
        );
        let expired = auth.check_bearer(
            Some(&format!("Bearer {}", creds.access_token)),
            t0 + TimeDelta::days(61),
        );
        assert_eq!(expired.unwrap_err().service_error_code, 65602);
    }

    #[test]
    fn revoked_or_wrong_credentials_are_refused_with_oauth_errors() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
        let mut auth = Auth::new(1, t0);
        let creds = auth.credentials();
        let mut bad_secret = form(&auth, &creds.refresh_token);
        bad_secret.client_secret = Some("nope".into());
        assert_eq!(
            auth.refresh(&bad_secret, t0).unwrap_err().error,
            "invalid_client"
        );
        auth.revoke_all();
        let err = auth
            .refresh(&form(&auth, &creds.refresh_token), t0)
            .unwrap_err();
        assert_eq!((err.status, err.error), (400, "invalid_grant"));
        let err = auth
            .check_bearer(Some(&format!("Bearer {}", creds.access_token)), t0)
            .unwrap_err();
        assert_eq!(err.service_error_code, 65601);
    }
}
