//! OAuth 2.0: refreshing an access token and asking whether one is still alive.
//!
//! - refresh: `POST {oauth}/accessToken`, form `grant_type=refresh_token&refresh_token=..
//!   &client_id=..&client_secret=..` → `access_token`, `expires_in`, `refresh_token`,
//!   `refresh_token_expires_in`. A dead refresh token answers `{"error":"invalid_grant"}`,
//!   typed as [`Error::InvalidGrant`]: only a person re-authorizing can fix it.
//! - introspect: `POST {oauth}/introspectToken`, form `client_id, client_secret, token` →
//!   `active`, `status`, `expires_at`, `scope`.
//!
//! Both are retried like reads: LinkedIn's refresh tokens do not rotate on use (refreshing
//! returns the same one with its original expiry), so a repeated refresh is harmless.
//! (learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens,
//! .../token-introspection)

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::config::Config;
use crate::error::Error;
use crate::token::{AccessToken, ClientCredentials, RefreshToken};
use crate::transport::{ApiRequest, Transport};

/// Talks to LinkedIn's OAuth server. Needs no access token; cheap to clone.
#[derive(Clone, Debug)]
pub struct OAuthClient {
    transport: Arc<Transport>,
}

/// A refreshed access token. `Debug` redacts the tokens.
#[derive(Debug, Clone)]
pub struct RefreshedToken {
    /// The new access token.
    pub access_token: AccessToken,
    /// How long the access token lives from now (60 days at LinkedIn).
    pub expires_in: Duration,
    /// The refresh token, when returned (LinkedIn returns the same one).
    pub refresh_token: Option<RefreshToken>,
    /// How long the refresh token still lives; refreshing does not extend it.
    pub refresh_token_expires_in: Option<Duration>,
}

/// What LinkedIn says about a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspection {
    /// Whether the token is usable now.
    pub active: bool,
    /// LinkedIn's status, e.g. `active`, `expired`, `revoked`.
    pub status: Option<String>,
    /// When the token expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// The scopes granted, comma-separated as LinkedIn sends them.
    pub scope: Option<String>,
}

#[derive(Deserialize)]
struct TokenWire {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
    refresh_token_expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct IntrospectionWire {
    active: bool,
    status: Option<String>,
    expires_at: Option<i64>,
    scope: Option<String>,
}

pub(crate) fn refresh_request(
    credentials: &ClientCredentials,
    refresh_token: &RefreshToken,
) -> ApiRequest {
    let form = serde_urlencoded::to_string([
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", credentials.client_id.as_str()),
        ("client_secret", credentials.client_secret.expose()),
    ])
    .unwrap_or_default();
    ApiRequest::oauth_form("/accessToken", form)
}

pub(crate) fn introspect_request(
    credentials: &ClientCredentials,
    token: &AccessToken,
) -> ApiRequest {
    let form = serde_urlencoded::to_string([
        ("client_id", credentials.client_id.as_str()),
        ("client_secret", credentials.client_secret.expose()),
        ("token", token.expose()),
    ])
    .unwrap_or_default();
    ApiRequest::oauth_form("/introspectToken", form)
}

pub(crate) fn parse_refreshed(body: &str) -> Result<RefreshedToken, Error> {
    // serde_json's error names a position, never the input, so no token leaks into it.
    let wire: TokenWire =
        serde_json::from_str(body).map_err(|e| Error::invalid_response("token refresh", e))?;
    Ok(RefreshedToken {
        access_token: AccessToken::new(wire.access_token),
        expires_in: Duration::from_secs(wire.expires_in),
        refresh_token: wire.refresh_token.map(RefreshToken::new),
        refresh_token_expires_in: wire.refresh_token_expires_in.map(Duration::from_secs),
    })
}

pub(crate) fn parse_introspection(body: &str) -> Result<Introspection, Error> {
    let wire: IntrospectionWire = serde_json::from_str(body)
        .map_err(|e| Error::invalid_response("token introspection", e))?;
    Ok(Introspection {
        active: wire.active,
        status: wire.status,
        expires_at: wire.expires_at.and_then(|s| DateTime::from_timestamp(s, 0)),
        scope: wire.scope,
    })
}

impl OAuthClient {
    /// A client of `config.oauth_url`, with `config`'s retry policy.
    ///
    /// # Panics
    /// If the TLS backend cannot initialise (as `reqwest::Client::new` does).
    pub fn new(config: Config) -> OAuthClient {
        OAuthClient {
            transport: Arc::new(Transport::new(config, None)),
        }
    }

    /// HTTP requests sent so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.transport.requests_sent()
    }

    /// Exchanges the refresh token for a new access token.
    /// [`Error::InvalidGrant`] means the refresh token is expired or revoked.
    pub async fn refresh(
        &self,
        credentials: &ClientCredentials,
        refresh_token: &RefreshToken,
    ) -> Result<RefreshedToken, Error> {
        let response = self
            .transport
            .send(&refresh_request(credentials, refresh_token))
            .await?;
        parse_refreshed(&response.body)
    }

    /// Asks whether `token` is active, when it expires and what it may do.
    pub async fn introspect(
        &self,
        credentials: &ClientCredentials,
        token: &AccessToken,
    ) -> Result<Introspection, Error> {
        let response = self
            .transport
            .send(&introspect_request(credentials, token))
            .await?;
        parse_introspection(&response.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::ClientSecret;
    use crate::transport::Body;

    fn credentials() -> ClientCredentials {
        ClientCredentials {
            client_id: "app1".into(),
            client_secret: ClientSecret::new("s3cr3t&="),
        }
    }

    #[test]
    fn a_refresh_posts_the_grant_as_a_form_and_hides_it_from_debug() {
        // GIVEN a refresh token with characters that need form encoding
        let request = refresh_request(&credentials(), &RefreshToken::new("AQ+rt/1"));
        // THEN the form is encoded, and the request's Debug shows no secret
        assert_eq!(request.path, "/accessToken");
        assert_eq!(
            request.body,
            Body::Form(
                "grant_type=refresh_token&refresh_token=AQ%2Brt%2F1&client_id=app1\
                 &client_secret=s3cr3t%26%3D"
                    .into()
            )
        );
        let printed = format!("{request:?}");
        assert!(!printed.contains("AQ"), "{printed}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
    }

    #[test]
    fn introspection_sends_client_and_token() {
        let request = introspect_request(&credentials(), &AccessToken::new("tok"));
        assert_eq!(request.path, "/introspectToken");
        assert_eq!(
            request.body,
            Body::Form("client_id=app1&client_secret=s3cr3t%26%3D&token=tok".into())
        );
    }

    #[test]
    fn reads_a_refreshed_token_without_printing_it() {
        let refreshed = parse_refreshed(
            r#"{"access_token":"AQV-new","expires_in":5184000,"refresh_token":"AQX-rt",
                "refresh_token_expires_in":525600,"scope":"r_ads"}"#,
        )
        .unwrap();
        assert_eq!(refreshed.access_token.expose(), "AQV-new");
        assert_eq!(refreshed.expires_in, Duration::from_secs(5_184_000));
        assert_eq!(
            refreshed.refresh_token_expires_in,
            Some(Duration::from_secs(525_600))
        );
        let printed = format!("{refreshed:?}");
        assert!(
            !printed.contains("AQV") && !printed.contains("AQX"),
            "{printed}"
        );
    }

    #[test]
    fn reads_an_introspection() {
        let seen = parse_introspection(
            r#"{"active":true,"client_id":"app1","authorized_at":1,"created_at":1,
                "status":"active","expires_at":1798761600,"scope":"r_ads,rw_ads"}"#,
        )
        .unwrap();
        assert!(seen.active);
        assert_eq!(seen.status.as_deref(), Some("active"));
        assert_eq!(
            seen.expires_at.unwrap().to_rfc3339(),
            "2027-01-01T00:00:00+00:00"
        );
        assert_eq!(seen.scope.as_deref(), Some("r_ads,rw_ads"));
    }

    #[test]
    fn a_dead_refresh_token_maps_to_invalid_grant() {
        let err = crate::error::from_response(
            400,
            r#"{"error":"invalid_grant","error_description":"The provided authorization grant or refresh token is invalid, expired or revoked."}"#,
            &crate::error::Failed {
                path: "/accessToken",
                version: "202607",
                retry_after: None,
            },
        );
        assert!(matches!(err, Error::InvalidGrant { .. }));
    }
}
