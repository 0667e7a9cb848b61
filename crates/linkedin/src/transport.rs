//! The one place requests are sent: headers, query tunneling, retries, error mapping, counting.
//!
//! An endpoint module describes its call as an [`ApiRequest`] (method, path, Rest.li query,
//! body, whether it is safe to repeat). [`prepare`] turns that into exactly what goes on the
//! wire — a pure function, so tests read the URL, headers and body without a server — and
//! [`Transport::send`] sends it, retrying under the [`RetryPolicy`](crate::RetryPolicy).
//!
//! Retry safety: reads and `$set` partial updates are idempotent (setting a field twice leaves
//! it as setting it once) and are retried on 429, 5xx and network errors. A create is not
//! idempotent — a repeat could make a second post or creative — so it is retried only when
//! LinkedIn cannot have acted on it: a 429 (refused before processing) or a failure to
//! connect. A 5xx, a timeout or a connection lost after sending surfaces at once; the caller
//! then reads current state before deciding to create again.
//!
//! Logging: one `debug` event per attempt with method, path, status and attempt number —
//! never a header, a query string or a body. The `Authorization` value is marked sensitive.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use crate::config::Config;
use crate::error::{self, Error, Failed};
use crate::restli;
use crate::retry::RetryPolicy;
use crate::token::AccessToken;

/// Which base URL a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// `Config::api_url`: Rest.li headers and the bearer token.
    Rest,
    /// `Config::oauth_url`: a plain form post, no token.
    OAuth,
}

/// Whether a request may be repeated after a failure that may have reached LinkedIn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Reads and `$set` partial updates.
    Idempotent,
    /// Creates: repeated only when LinkedIn cannot have acted on the failed attempt.
    OnlyIfNotProcessed,
}

/// A request body.
#[derive(Clone, PartialEq)]
pub(crate) enum Body {
    None,
    Json(serde_json::Value),
    /// An `application/x-www-form-urlencoded` body, already encoded. May hold secrets.
    Form(String),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Json(_) => f.write_str("Json(..)"),
            Body::Form(_) => f.write_str("Form(<redacted>)"),
        }
    }
}

/// One logical call, before it is put on the wire.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiRequest {
    pub method: Method,
    pub base: Base,
    /// Path under the base, starting with `/`, segments already encoded.
    pub path: String,
    /// Rest.li-encoded query string, without `?`.
    pub query: Option<String>,
    pub body: Body,
    /// `X-RestLi-Method`, e.g. `PARTIAL_UPDATE`.
    pub restli_method: Option<&'static str>,
    pub repeat: Repeat,
}

impl ApiRequest {
    /// A Rest.li read.
    pub fn get(path: impl Into<String>, query: Option<String>) -> ApiRequest {
        ApiRequest {
            method: Method::GET,
            base: Base::Rest,
            path: path.into(),
            query,
            body: Body::None,
            restli_method: None,
            repeat: Repeat::Idempotent,
        }
    }

    /// A Rest.li partial update: `{"patch":{"$set":{...}}}`, idempotent.
    pub fn partial_update(path: impl Into<String>, set: serde_json::Value) -> ApiRequest {
        ApiRequest {
            method: Method::POST,
            base: Base::Rest,
            path: path.into(),
            query: None,
            body: Body::Json(serde_json::json!({ "patch": { "$set": set } })),
            restli_method: Some("PARTIAL_UPDATE"),
            repeat: Repeat::Idempotent,
        }
    }

    /// A Rest.li create, not idempotent.
    pub fn create(path: impl Into<String>, entity: serde_json::Value) -> ApiRequest {
        ApiRequest {
            method: Method::POST,
            base: Base::Rest,
            path: path.into(),
            query: None,
            body: Body::Json(entity),
            restli_method: None,
            repeat: Repeat::OnlyIfNotProcessed,
        }
    }

    /// A form post to the OAuth server.
    pub fn oauth_form(path: impl Into<String>, form: String) -> ApiRequest {
        ApiRequest {
            method: Method::POST,
            base: Base::OAuth,
            path: path.into(),
            query: None,
            body: Body::Form(form),
            restli_method: None,
            repeat: Repeat::Idempotent,
        }
    }
}

/// Exactly what goes on the wire, less the `Authorization` header (added when sending, so a
/// prepared request can be compared in tests without a token in it). `Debug` leaves out the
/// body, which may hold OAuth secrets.
#[derive(Clone, PartialEq)]
pub(crate) struct Prepared {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// Content type and body.
    pub body: Option<(&'static str, String)>,
    /// Whether `Authorization: Bearer <token>` is added.
    pub bearer: bool,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.as_ref().map(|(_, b)| b.len()))
            .field("bearer", &self.bearer)
            .finish()
    }
}

impl Prepared {
    /// The value of header `name`, if set.
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Builds the wire form of `request`: the URL, the Rest.li headers, and query tunneling when
/// the query string exceeds [`restli::MAX_QUERY_STRING_LENGTH`] (a `POST` with
/// `X-HTTP-Method-Override: GET` and the query string as a form body).
pub(crate) fn prepare(config: &Config, request: &ApiRequest) -> Prepared {
    let base = match request.base {
        Base::Rest => &config.api_url,
        Base::OAuth => &config.oauth_url,
    };
    let mut url = format!("{base}{}", request.path);
    let mut method = request.method.clone();
    let mut headers = Vec::new();
    let mut body = match &request.body {
        Body::None => None,
        Body::Json(value) => Some((JSON, value.to_string())),
        Body::Form(form) => Some((FORM, form.clone())),
    };
    if request.base == Base::Rest {
        headers.push(("LinkedIn-Version", config.version.to_string()));
        headers.push(("X-Restli-Protocol-Version", "2.0.0".to_owned()));
        if let Some(restli_method) = request.restli_method {
            headers.push(("X-RestLi-Method", restli_method.to_owned()));
        }
    }
    match request.query.as_deref() {
        Some(query)
            if request.method == Method::GET
                && body.is_none()
                && restli::needs_tunneling(query) =>
        {
            method = Method::POST;
            headers.push(("X-HTTP-Method-Override", "GET".to_owned()));
            body = Some((FORM, query.to_owned()));
        }
        Some(query) if !query.is_empty() => {
            url.push('?');
            url.push_str(query);
        }
        _ => {}
    }
    Prepared {
        method,
        url,
        headers,
        body,
        bearer: request.base == Base::Rest,
    }
}

/// A successful (2xx) response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Response {
    pub status: u16,
    /// The body exactly as received.
    pub body: String,
    /// The `x-restli-id` header: a created entity's id.
    pub restli_id: Option<String>,
    /// HTTP attempts this call took (1 plus retries).
    pub attempts: u32,
}

/// A failed attempt, with what the retry decision needs.
struct Failure {
    error: Error,
    retry_after: Option<Duration>,
    /// Whether LinkedIn may have acted on the request.
    maybe_processed: bool,
}

/// Sends requests for one token and configuration; shared by a [`Client`](crate::Client)
/// and its clones.
pub(crate) struct Transport {
    http: reqwest::Client,
    config: Config,
    token: Option<AccessToken>,
    requests: Arc<AtomicU64>,
}

impl Transport {
    /// A transport with its own connection pool and request counter.
    pub fn new(config: Config, token: Option<AccessToken>) -> Transport {
        // Building fails only if the TLS backend cannot start, which no caller can handle.
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .expect("the HTTP client's TLS backend failed to initialise");
        Transport {
            http,
            config,
            token,
            requests: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The same pool, configuration and counter with another token.
    pub fn with_token(&self, token: AccessToken) -> Transport {
        Transport {
            http: self.http.clone(),
            config: self.config.clone(),
            token: Some(token),
            requests: Arc::clone(&self.requests),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// HTTP requests sent so far (every attempt, retries included).
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sends `request`, retrying transient failures as its [`Repeat`] allows.
    pub async fn send(&self, request: &ApiRequest) -> Result<Response, Error> {
        let prepared = prepare(&self.config, request);
        let policy = &self.config.retry;
        let mut retries: u32 = 0;
        loop {
            let attempt = retries + 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let failure = match self.attempt(&prepared, &request.path).await {
                Ok(mut response) => {
                    tracing::debug!(
                        method = %request.method,
                        path = %request.path,
                        status = response.status,
                        attempt,
                        "LinkedIn request"
                    );
                    response.attempts = attempt;
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            let delay = retry_delay(
                policy,
                request.repeat,
                &failure,
                retries,
                rand::random::<f64>(),
            );
            tracing::debug!(
                method = %request.method,
                path = %request.path,
                status = status_of(&failure.error),
                attempt,
                error = failure.error.name(),
                retry_in_ms = delay.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
                "LinkedIn request"
            );
            let Some(delay) = delay else {
                return Err(failure.error);
            };
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    async fn attempt(&self, prepared: &Prepared, path: &str) -> Result<Response, Failure> {
        let mut builder = self.http.request(prepared.method.clone(), &prepared.url);
        for (name, value) in &prepared.headers {
            builder = builder.header(*name, value);
        }
        if prepared.bearer {
            let bearer = self.bearer().map_err(|error| Failure {
                error,
                retry_after: None,
                maybe_processed: false,
            })?;
            builder = builder.header(AUTHORIZATION, bearer);
        }
        if let Some((content_type, body)) = &prepared.body {
            builder = builder
                .header(CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        let response = builder.send().await.map_err(|e| Failure {
            maybe_processed: !e.is_connect(),
            error: network(e),
            retry_after: None,
        })?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let restli_id = response
            .headers()
            .get("x-restli-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await.map_err(|e| Failure {
            error: network(e),
            retry_after: None,
            maybe_processed: true,
        })?;
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                body,
                restli_id,
                attempts: 1,
            });
        }
        let version = self.config.version.to_string();
        let error = error::from_response(
            status,
            &body,
            &Failed {
                path,
                version: &version,
                retry_after,
            },
        );
        Err(Failure {
            error,
            retry_after,
            // A throttled request was refused before LinkedIn acted on it.
            maybe_processed: status != 429,
        })
    }

    fn bearer(&self) -> Result<HeaderValue, Error> {
        let refuse = |message: &str| Error::Unauthorized {
            service_error_code: None,
            message: message.to_owned(),
        };
        let token = self
            .token
            .as_ref()
            .ok_or_else(|| refuse("no access token was given to this client"))?;
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .map_err(|_| refuse("the access token holds characters no HTTP header allows"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .field("token", &self.token)
            .field("requests_sent", &self.requests_sent())
            .finish()
    }
}

/// How long to wait before retrying after `failure`, or `None` when it must surface: it is
/// not transient, the budget is spent, or the request is a create LinkedIn may have acted on.
fn retry_delay(
    policy: &RetryPolicy,
    repeat: Repeat,
    failure: &Failure,
    retries: u32,
    jitter: f64,
) -> Option<Duration> {
    let repeatable = repeat == Repeat::Idempotent || !failure.maybe_processed;
    if !(failure.error.is_transient() && repeatable && retries < policy.max_retries) {
        return None;
    }
    let data_volume = matches!(
        failure.error,
        Error::RateLimited {
            data_volume: true,
            ..
        }
    );
    Some(policy.delay(retries, failure.retry_after, data_volume, jitter))
}

/// The HTTP status an error stands for, 0 when there was no response.
fn status_of(error: &Error) -> u16 {
    match error {
        Error::Unauthorized { .. } => 401,
        Error::Forbidden { .. } => 403,
        Error::NotFound { .. } => 404,
        Error::BadRequest { status, .. } | Error::Server { status, .. } => *status,
        Error::VersionSunset { .. } => 426,
        Error::RateLimited { .. } => 429,
        Error::InvalidGrant { .. } => 400,
        Error::Network { .. } | Error::InvalidResponse { .. } | Error::InvalidQuery { .. } => 0,
    }
}

/// A network error's causes, without the URL (which would carry the query string).
fn network(error: reqwest::Error) -> Error {
    let error = error.without_url();
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        reason.push_str(": ");
        reason.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Network { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::restli::QueryString;

    fn config() -> Config {
        Config {
            api_url: "http://sim/rest".into(),
            oauth_url: "http://sim/oauth/v2".into(),
            ..Config::default()
        }
    }

    #[test]
    fn a_read_carries_the_restli_headers_and_its_query_in_the_url() {
        // GIVEN a short read
        let request = ApiRequest::get("/adAnalytics", Some("q=analytics".into()));
        // WHEN prepared
        let prepared = prepare(&config(), &request);
        // THEN it is a GET with the version and protocol headers and a bearer token to add
        assert_eq!(prepared.method, Method::GET);
        assert_eq!(prepared.url, "http://sim/rest/adAnalytics?q=analytics");
        assert_eq!(prepared.header("LinkedIn-Version"), Some("202607"));
        assert_eq!(prepared.header("X-Restli-Protocol-Version"), Some("2.0.0"));
        assert_eq!(prepared.header("X-HTTP-Method-Override"), None);
        assert!(prepared.bearer);
        assert_eq!(prepared.body, None);
    }

    #[test]
    fn a_long_query_is_tunneled_as_a_form_post() {
        // GIVEN a read whose query string is over 4,000 characters
        let urns = (0..300).map(|i| format!("urn:li:sponsoredCreative:{}", 1_000_000 + i));
        let query = QueryString::new()
            .text("q", "analytics")
            .param("creatives", &restli::Value::string_list(urns))
            .finish();
        assert!(query.len() > 4_000);
        // WHEN prepared
        let prepared = prepare(
            &config(),
            &ApiRequest::get("/adAnalytics", Some(query.clone())),
        );
        // THEN it is a POST overriding to GET, the query string is the form body, the URL bare
        assert_eq!(prepared.method, Method::POST);
        assert_eq!(prepared.url, "http://sim/rest/adAnalytics");
        assert_eq!(prepared.header("X-HTTP-Method-Override"), Some("GET"));
        assert_eq!(prepared.body, Some((FORM, query)));
    }

    #[test]
    fn a_query_at_the_threshold_stays_in_the_url() {
        let query = format!("q={}", "x".repeat(restli::MAX_QUERY_STRING_LENGTH - 2));
        let prepared = prepare(&config(), &ApiRequest::get("/adCampaigns", Some(query)));
        assert_eq!(prepared.method, Method::GET);
        assert_eq!(prepared.body, None);
    }

    #[test]
    fn a_partial_update_sets_fields_under_patch() {
        let request = ApiRequest::partial_update(
            "/adAccounts/1/adCampaigns/2",
            serde_json::json!({"status": "PAUSED"}),
        );
        let prepared = prepare(&config(), &request);
        assert_eq!(prepared.method, Method::POST);
        assert_eq!(prepared.header("X-RestLi-Method"), Some("PARTIAL_UPDATE"));
        assert_eq!(
            prepared.body,
            Some((JSON, r#"{"patch":{"$set":{"status":"PAUSED"}}}"#.to_owned()))
        );
        assert_eq!(request.repeat, Repeat::Idempotent);
    }

    #[test]
    fn a_create_is_not_blindly_repeatable() {
        let request = ApiRequest::create("/posts", serde_json::json!({}));
        assert_eq!(request.repeat, Repeat::OnlyIfNotProcessed);
        assert_eq!(prepare(&config(), &request).header("X-RestLi-Method"), None);
    }

    #[test]
    fn an_oauth_call_goes_to_the_oauth_base_without_rest_headers_or_token() {
        let request = ApiRequest::oauth_form("/accessToken", "grant_type=refresh_token".into());
        let prepared = prepare(&config(), &request);
        assert_eq!(prepared.url, "http://sim/oauth/v2/accessToken");
        assert!(!prepared.bearer);
        assert_eq!(prepared.header("LinkedIn-Version"), None);
        assert_eq!(prepared.body.unwrap().0, FORM);
    }

    fn failure(status: u16, maybe_processed: bool) -> Failure {
        let version = "202607";
        Failure {
            error: error::from_response(
                status,
                "{}",
                &Failed {
                    path: "/x",
                    version,
                    retry_after: None,
                },
            ),
            retry_after: None,
            maybe_processed,
        }
    }

    #[test]
    fn reads_retry_transient_failures_until_the_budget_is_spent() {
        // GIVEN the default budget of 5 retries
        let policy = RetryPolicy::default();
        // THEN a read is retried on 429, 5xx and network errors, but not a sixth time
        for status in [429, 500, 503, 504] {
            assert!(
                retry_delay(&policy, Repeat::Idempotent, &failure(status, true), 0, 0.5).is_some()
            );
            assert!(
                retry_delay(&policy, Repeat::Idempotent, &failure(status, true), 5, 0.5).is_none()
            );
        }
        let network = Failure {
            error: Error::Network {
                reason: "reset".into(),
            },
            retry_after: None,
            maybe_processed: true,
        };
        assert!(retry_delay(&policy, Repeat::Idempotent, &network, 4, 0.5).is_some());
        // AND a refusal is never retried
        for status in [400, 401, 403, 404, 409, 426] {
            assert!(
                retry_delay(&policy, Repeat::Idempotent, &failure(status, true), 0, 0.5).is_none()
            );
        }
    }

    #[test]
    fn creates_retry_only_when_linkedin_cannot_have_acted() {
        let policy = RetryPolicy::default();
        // GIVEN a create that was throttled, failed to connect, or failed after sending
        let throttled = failure(429, false);
        let unconnected = Failure {
            error: Error::Network {
                reason: "connection refused".into(),
            },
            retry_after: None,
            maybe_processed: false,
        };
        let server = failure(503, true);
        // THEN only the first two are retried
        let retry = |f: &Failure| retry_delay(&policy, Repeat::OnlyIfNotProcessed, f, 0, 0.5);
        assert!(retry(&throttled).is_some());
        assert!(retry(&unconnected).is_some());
        assert!(retry(&server).is_none());
    }

    #[test]
    fn a_retry_honours_retry_after() {
        let policy = RetryPolicy::default();
        let mut throttled = failure(429, false);
        throttled.retry_after = Some(Duration::from_secs(3));
        assert_eq!(
            retry_delay(&policy, Repeat::Idempotent, &throttled, 2, 0.99),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn debug_of_a_transport_hides_the_token() {
        let transport = Transport::new(config(), Some(AccessToken::new("very-secret-token")));
        let printed = format!("{transport:?}");
        assert!(!printed.contains("very-secret-token"), "{printed}");
    }

    mod on_the_wire {
        use super::*;
        use crate::Client;
        use crate::analytics::{AnalyticsFilter, AnalyticsQuery, Pivot};
        use crate::loopback::{response, serve};
        use crate::retry::RetryPolicy;
        use ads::{AccountId, CampaignId, CampaignStatus, CreativeId, CreativeStatus, PostUrn};
        use chrono::NaiveDate;

        const CAMPAIGN: &str = r#"{"id":2,"name":"c","account":"urn:li:sponsoredAccount:1",
            "status":"ACTIVE","costType":"CPC"}"#;

        fn client(base: &str) -> Client {
            let config = Config {
                api_url: format!("{base}/rest"),
                oauth_url: format!("{base}/oauth/v2"),
                retry: RetryPolicy::quick(),
                ..Config::default()
            };
            Client::new(config, AccessToken::new("tok-123"))
        }

        #[tokio::test]
        async fn a_read_sends_the_token_and_headers_and_retries_a_server_error() {
            // GIVEN LinkedIn fails once, then answers
            let (base, received) = serve(vec![
                response(503, &[], r#"{"status":503,"message":"busy"}"#),
                response(200, &[], CAMPAIGN),
            ])
            .await;
            let client = client(&base);
            // WHEN a campaign is read
            let fetched = client.campaign(AccountId(1), CampaignId(2)).await.unwrap();
            // THEN it arrives after two requests, each carrying the bearer token and headers
            assert_eq!(fetched.value.id, CampaignId(2));
            assert_eq!(fetched.raw, CAMPAIGN);
            assert_eq!(client.requests_sent(), 2);
            let received = received.lock().unwrap();
            assert_eq!(received.len(), 2);
            let request = &received[1];
            assert!(
                request.starts_with("GET /rest/adAccounts/1/adCampaigns/2 "),
                "{request}"
            );
            assert!(
                request.contains("\nauthorization: bearer tok-123"),
                "{request}"
            );
            assert!(request.contains("\nlinkedin-version: 202607"), "{request}");
            assert!(
                request.contains("\nx-restli-protocol-version: 2.0.0"),
                "{request}"
            );
        }

        #[tokio::test]
        async fn the_typed_error_surfaces_when_the_budget_is_spent() {
            // GIVEN LinkedIn throttles every attempt, and a budget of 2 retries
            let throttled = response(
                429,
                &[("retry-after", "0")],
                r#"{"status":429,"message":"quota"}"#,
            );
            let (base, _) = serve(vec![throttled; 3]).await;
            let mut config = client(&base).config().clone();
            config.retry.max_retries = 2;
            let client = Client::new(config, AccessToken::new("tok-123"));
            // WHEN a campaign is read
            let err = client
                .campaign(AccountId(1), CampaignId(2))
                .await
                .unwrap_err();
            // THEN three attempts were made and the error is typed, without the token
            assert_eq!(err.name(), ads::error_names::LINKEDIN_RATE_LIMITED);
            assert_eq!(client.requests_sent(), 3);
            assert!(!format!("{err} {err:?}").contains("tok-123"));
        }

        #[tokio::test]
        async fn a_create_is_not_retried_after_a_server_error_and_reads_its_id() {
            let (base, received) = serve(vec![
                response(500, &[], "{}"),
                response(
                    201,
                    &[("x-restli-id", "urn%3Ali%3AsponsoredCreative%3A77")],
                    "",
                ),
            ])
            .await;
            let client = client(&base);
            let post: PostUrn = "urn:li:share:9".parse().unwrap();
            // WHEN the first create fails with a 500
            let err = client
                .create_creative(AccountId(1), CampaignId(2), &post, CreativeStatus::Active)
                .await
                .unwrap_err();
            // THEN it was sent once only
            assert_eq!(err.name(), ads::error_names::LINKEDIN_SERVER);
            assert_eq!(client.requests_sent(), 1);
            // AND a second call creates and returns the new id
            let id = client
                .create_creative(AccountId(1), CampaignId(2), &post, CreativeStatus::Active)
                .await
                .unwrap();
            assert_eq!(id, CreativeId(77));
            assert!(received.lock().unwrap()[1].starts_with("POST /rest/adAccounts/1/creatives "));
        }

        #[tokio::test]
        async fn a_search_follows_page_tokens_and_keeps_every_page() {
            let first =
                format!(r#"{{"elements":[{CAMPAIGN}],"metadata":{{"nextPageToken":"p2"}}}}"#);
            let last = format!(r#"{{"elements":[{CAMPAIGN}],"metadata":{{}}}}"#);
            let (base, received) =
                serve(vec![response(200, &[], &first), response(200, &[], &last)]).await;
            let listing = client(&base)
                .search_campaigns(AccountId(1), &[CampaignStatus::Active])
                .await
                .unwrap();
            assert_eq!(listing.items.len(), 2);
            assert_eq!(listing.pages, vec![first, last]);
            assert_eq!(listing.requests, 2);
            assert!(received.lock().unwrap()[1].contains("&pageToken=p2 "));
        }

        #[tokio::test]
        async fn a_long_analytics_query_is_tunneled() {
            // GIVEN 300 creatives: a query string far over 4,000 characters
            let (base, received) = serve(vec![response(200, &[], r#"{"elements":[]}"#)]).await;
            let query = AnalyticsQuery::new(
                Pivot::Creative,
                AnalyticsFilter::Creatives((1..=300).map(CreativeId).collect()),
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                ["impressions"],
            );
            // WHEN fetched
            let report = client(&base).analytics(&query).await.unwrap();
            // THEN one POST carried the query as a form body with the override header
            assert_eq!(report.requests, 1);
            assert_eq!(report.raw, vec![r#"{"elements":[]}"#.to_owned()]);
            let received = received.lock().unwrap();
            let request = &received[0];
            assert!(request.starts_with("POST /rest/adAnalytics "), "{request}");
            assert!(
                request.contains("\nx-http-method-override: get"),
                "{request}"
            );
            assert!(request.contains("\ncontent-type: application/x-www-form-urlencoded"));
            assert!(
                request.contains("\n\nq=analytics&pivot=CREATIVE"),
                "{request}"
            );
        }

        #[tokio::test]
        async fn an_oauth_refresh_posts_a_form_without_a_bearer_token() {
            let (base, received) = serve(vec![response(
                400,
                &[],
                r#"{"error":"invalid_grant","error_description":"expired"}"#,
            )])
            .await;
            let oauth = crate::OAuthClient::new(Config {
                oauth_url: format!("{base}/oauth/v2"),
                retry: RetryPolicy::quick(),
                ..Config::default()
            });
            let credentials = crate::ClientCredentials {
                client_id: "app".into(),
                client_secret: crate::ClientSecret::new("shh"),
            };
            let err = oauth
                .refresh(&credentials, &crate::RefreshToken::new("rt"))
                .await
                .unwrap_err();
            assert_eq!(err.name(), ads::error_names::LINKEDIN_INVALID_GRANT);
            assert!(!err.to_string().contains("shh"));
            let received = received.lock().unwrap();
            assert!(received[0].starts_with("POST /oauth/v2/accessToken "));
            assert!(!received[0].contains("authorization:"));
        }
    }
}
