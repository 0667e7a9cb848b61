//! What can go wrong talking to LinkedIn, typed, with the stable names steps report.
//!
//! LinkedIn's error body is `{"status":401,"serviceErrorCode":65601,"message":"..."}`; newer
//! endpoints add `"code":"UNAUTHORIZED"` and `errorDetails.inputErrors[]`, and the OAuth server
//! answers `{"error":"invalid_grant","error_description":"..."}`. Mapping branches on the
//! HTTP status and on `code`/`error`, never on message text — with one exception: the
//! analytics data-volume throttle (45 million metric values per 5 minutes) is a plain 429
//! whose only marker is its message, and it needs a much longer wait than other 429s.
//!
//! No variant carries a header, a request body or a token; messages are LinkedIn's own
//! (bounded in length) plus the request path.

use std::fmt;
use std::time::Duration;

use ads::error_names;
use serde::Deserialize;

/// A LinkedIn call that failed, after any retries the policy allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 401: the access token is expired, revoked or wrong.
    #[error(
        "LinkedIn refused the access token (401{}): {message}; refresh the token or \
         re-authorize the application",
        code_suffix(None, *service_error_code)
    )]
    Unauthorized {
        /// LinkedIn's `serviceErrorCode`, e.g. 65601 (expired).
        service_error_code: Option<i64>,
        /// LinkedIn's message.
        message: String,
    },
    /// 403: the token lacks a scope, or the member lacks a role on the ad account.
    #[error(
        "LinkedIn forbade {path} (403{}): {message}; the token needs the r_ads/rw_ads \
         (and for posts w_organization_social) scopes and the member a role on the account",
        code_suffix(code.as_deref(), *service_error_code)
    )]
    Forbidden {
        /// The request path (no query).
        path: String,
        /// LinkedIn's `code`, when sent.
        code: Option<String>,
        /// LinkedIn's `serviceErrorCode`.
        service_error_code: Option<i64>,
        /// LinkedIn's message.
        message: String,
    },
    /// 404: the entity does not exist or is not visible to this token.
    #[error("LinkedIn found nothing at {path} (404): {message}")]
    NotFound {
        /// The request path (no query).
        path: String,
        /// LinkedIn's message.
        message: String,
    },
    /// 400, 409, 414, 422 (and other 4xx): the request was refused as malformed or not allowed.
    #[error(
        "LinkedIn refused {path} ({status}{}): {message}{}",
        code_suffix(code.as_deref(), *service_error_code),
        InputErrors(input_errors)
    )]
    BadRequest {
        /// The HTTP status.
        status: u16,
        /// The request path (no query).
        path: String,
        /// LinkedIn's `code`, e.g. `FIELD_VALUE_TOO_LOW`, when sent.
        code: Option<String>,
        /// LinkedIn's `serviceErrorCode`.
        service_error_code: Option<i64>,
        /// LinkedIn's message.
        message: String,
        /// `errorDetails.inputErrors`: which fields were wrong and why.
        input_errors: Vec<InputError>,
    },
    /// 426: the configured `LinkedIn-Version` is no longer served.
    #[error(
        "LinkedIn no longer serves LinkedIn-Version {version} (426); set LINKEDIN_VERSION to \
         a live version (YYYYMM, e.g. {})",
        crate::config::DEFAULT_VERSION
    )]
    VersionSunset {
        /// The version that was sent.
        version: String,
    },
    /// 429 after the retry budget: a quota or throttle.
    #[error(
        "LinkedIn rate-limited the request (429{}): {message}; daily quotas reset at midnight UTC",
        if *data_volume { ", analytics data-volume throttle" } else { "" }
    )]
    RateLimited {
        /// LinkedIn's message.
        message: String,
        /// LinkedIn's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// Whether this is the 45-million-metric-values-per-5-minutes analytics throttle.
        data_volume: bool,
    },
    /// 5xx after the retry budget.
    #[error("LinkedIn failed ({status}): {message}; retry later")]
    Server {
        /// The HTTP status.
        status: u16,
        /// LinkedIn's message or the start of its body.
        message: String,
    },
    /// LinkedIn could not be reached (connection, TLS, timeout) after the retry budget.
    #[error("LinkedIn could not be reached: {reason}; check the network and LINKEDIN_API_URL")]
    Network {
        /// What failed, without the URL.
        reason: String,
    },
    /// LinkedIn answered with something this client cannot read.
    #[error("LinkedIn's answer to {what} could not be read: {reason}")]
    InvalidResponse {
        /// Which request or field.
        what: String,
        /// Why it could not be read.
        reason: String,
    },
    /// The OAuth server refused the refresh token (`invalid_grant`): expired or revoked.
    #[error(
        "LinkedIn refused the refresh token (invalid_grant): {description}; a person must \
         re-authorize the application to get a new one"
    )]
    InvalidGrant {
        /// The OAuth server's `error_description`.
        description: String,
    },
    /// The request was refused before sending: it could not be built as asked (e.g. an
    /// analytics query no plan can keep under LinkedIn's 15,000-element cap).
    #[error("request not sent: {reason}")]
    InvalidQuery {
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl Error {
    /// The stable name of this failure (`LinkedIn.RateLimited`, ...), as the state machines
    /// match it. [`Error::InvalidQuery`] reports as `LinkedIn.BadRequest`: a request LinkedIn
    /// would refuse (or silently truncate), refused one step earlier.
    pub fn name(&self) -> &'static str {
        match self {
            Error::Unauthorized { .. } => error_names::LINKEDIN_UNAUTHORIZED,
            Error::Forbidden { .. } => error_names::LINKEDIN_FORBIDDEN,
            Error::NotFound { .. } => error_names::LINKEDIN_NOT_FOUND,
            Error::BadRequest { .. } | Error::InvalidQuery { .. } => {
                error_names::LINKEDIN_BAD_REQUEST
            }
            Error::VersionSunset { .. } => error_names::LINKEDIN_VERSION_SUNSET,
            Error::RateLimited { .. } => error_names::LINKEDIN_RATE_LIMITED,
            Error::Server { .. } => error_names::LINKEDIN_SERVER,
            Error::Network { .. } => error_names::LINKEDIN_NETWORK,
            Error::InvalidResponse { .. } => error_names::LINKEDIN_INVALID_RESPONSE,
            Error::InvalidGrant { .. } => error_names::LINKEDIN_INVALID_GRANT,
        }
    }

    /// Whether trying again later may succeed (throttles, LinkedIn failures, network).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. } | Error::Server { .. } | Error::Network { .. }
        )
    }

    pub(crate) fn invalid_response(what: impl Into<String>, reason: impl fmt::Display) -> Error {
        Error::InvalidResponse {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

/// One entry of LinkedIn's `errorDetails.inputErrors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The error code, e.g. `FIELD_VALUE_TOO_LOW`.
    pub code: Option<String>,
    /// The field path, e.g. `/unitCost/amount`.
    pub field_path: Option<String>,
    /// LinkedIn's description.
    pub description: Option<String>,
}

/// The marker of LinkedIn's analytics data-volume throttle. LinkedIn gives it no code of its
/// own ("The data request limit has been exceeded. More than 45 million metric values were
/// requested in a 5-minute window."), so this is the one place a message is matched — on its
/// first sentence, which does not depend on the limit's size.
const DATA_VOLUME_MARKER: &str = "The data request limit has been exceeded";

/// The longest piece of a LinkedIn message kept in an error.
const MAX_MESSAGE_CHARS: usize = 300;

/// What a failed request was, for the error built from its response.
pub(crate) struct Failed<'a> {
    pub path: &'a str,
    pub version: &'a str,
    pub retry_after: Option<Duration>,
}

/// Builds the error for a non-2xx response from its status and body.
pub(crate) fn from_response(status: u16, body: &str, failed: &Failed<'_>) -> Error {
    let parsed = ErrorBody::parse(body);
    let message = parsed.message();
    let path = failed.path.to_owned();
    if parsed.error.as_deref() == Some("invalid_grant") {
        return Error::InvalidGrant {
            description: parsed.error_description.clone().unwrap_or(message),
        };
    }
    let code = parsed.code.clone().or_else(|| parsed.error.clone());
    let service_error_code = parsed.service_error_code;
    match status {
        401 => Error::Unauthorized {
            service_error_code,
            message,
        },
        403 => Error::Forbidden {
            path,
            code,
            service_error_code,
            message,
        },
        404 => Error::NotFound { path, message },
        426 => Error::VersionSunset {
            version: failed.version.to_owned(),
        },
        429 => Error::RateLimited {
            data_volume: message.contains(DATA_VOLUME_MARKER),
            message,
            retry_after: failed.retry_after,
        },
        500..=599 => Error::Server { status, message },
        400..=499 => Error::BadRequest {
            status,
            path,
            code,
            service_error_code,
            message,
            input_errors: parsed.input_errors(),
        },
        _ => Error::InvalidResponse {
            what: path,
            reason: format!("unexpected HTTP status {status}"),
        },
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    message: Option<String>,
    code: Option<String>,
    service_error_code: Option<i64>,
    error_details: Option<ErrorDetails>,
    /// OAuth's error code.
    #[serde(rename = "error")]
    error: Option<String>,
    /// OAuth's description.
    #[serde(rename = "error_description")]
    error_description: Option<String>,
    /// Text of a body that was not JSON (a proxy's HTML page).
    #[serde(skip)]
    text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDetails {
    #[serde(default)]
    input_errors: Vec<InputErrorWire>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputErrorWire {
    code: Option<String>,
    description: Option<String>,
    input: Option<InputWire>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputWire {
    input_path: Option<InputPathWire>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputPathWire {
    field_path: Option<String>,
}

impl ErrorBody {
    fn parse(body: &str) -> ErrorBody {
        serde_json::from_str(body).unwrap_or_else(|_| ErrorBody {
            text: Some(body.trim().to_owned()).filter(|t| !t.is_empty()),
            ..ErrorBody::default()
        })
    }

    fn message(&self) -> String {
        let text = self
            .message
            .as_deref()
            .or(self.error_description.as_deref())
            .or(self.text.as_deref())
            .unwrap_or("(no message)");
        bounded(text)
    }

    fn input_errors(&self) -> Vec<InputError> {
        self.error_details
            .iter()
            .flat_map(|d| &d.input_errors)
            .map(|e| InputError {
                code: e.code.clone(),
                field_path: e
                    .input
                    .as_ref()
                    .and_then(|i| i.input_path.as_ref())
                    .and_then(|p| p.field_path.clone()),
                description: e.description.clone(),
            })
            .collect()
    }
}

fn bounded(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push('…');
    cut
}

fn code_suffix(code: Option<&str>, service_error_code: Option<i64>) -> String {
    let mut out = String::new();
    if let Some(code) = code {
        out.push_str(", ");
        out.push_str(code);
    }
    if let Some(n) = service_error_code {
        out.push_str(&format!(", serviceErrorCode {n}"));
    }
    out
}

/// Displays input errors as `; fields: /a (CODE: description), ...`.
struct InputErrors<'a>(&'a [InputError]);

impl fmt::Display for InputErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        f.write_str("; fields: ")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(e.field_path.as_deref().unwrap_or("?"))?;
            match (&e.code, &e.description) {
                (Some(c), Some(d)) => write!(f, " ({c}: {d})")?,
                (Some(c), None) => write!(f, " ({c})")?,
                (None, Some(d)) => write!(f, " ({d})")?,
                (None, None) => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str) -> Error {
        from_response(
            status,
            body,
            &Failed {
                path: "/adAccounts/1/adCampaigns/2",
                version: "202301",
                retry_after: None,
            },
        )
    }

    #[test]
    fn maps_each_status_to_its_stable_name() {
        // GIVEN LinkedIn's error bodies for each documented status
        let cases = [
            (400, error_names::LINKEDIN_BAD_REQUEST),
            (401, error_names::LINKEDIN_UNAUTHORIZED),
            (403, error_names::LINKEDIN_FORBIDDEN),
            (404, error_names::LINKEDIN_NOT_FOUND),
            (409, error_names::LINKEDIN_BAD_REQUEST),
            (414, error_names::LINKEDIN_BAD_REQUEST),
            (422, error_names::LINKEDIN_BAD_REQUEST),
            (426, error_names::LINKEDIN_VERSION_SUNSET),
            (429, error_names::LINKEDIN_RATE_LIMITED),
            (500, error_names::LINKEDIN_SERVER),
            (503, error_names::LINKEDIN_SERVER),
            (504, error_names::LINKEDIN_SERVER),
        ];
        for (status, name) in cases {
            // WHEN mapped
            let body = format!(r#"{{"message":"m","serviceErrorCode":1,"status":{status}}}"#);
            // THEN the name is the one the state machines match
            assert_eq!(map(status, &body).name(), name, "status {status}");
        }
    }

    #[test]
    fn a_bad_request_carries_code_and_input_error_field_paths() {
        // GIVEN a bid below LinkedIn's floor
        let body = r#"{"status":400,"code":"FIELD_VALUE_TOO_LOW","serviceErrorCode":100,
            "message":"Bid is below the minimum",
            "errorDetails":{"inputErrors":[{"code":"FIELD_VALUE_TOO_LOW",
              "description":"unitCost below 2.00",
              "input":{"inputPath":{"fieldPath":"/unitCost/amount"}}}]}}"#;
        // WHEN mapped
        let err = map(400, body);
        // THEN every detail a user needs is kept, and shown
        let Error::BadRequest {
            status,
            code,
            service_error_code,
            input_errors,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 400);
        assert_eq!(code.as_deref(), Some("FIELD_VALUE_TOO_LOW"));
        assert_eq!(*service_error_code, Some(100));
        assert_eq!(
            input_errors[0].field_path.as_deref(),
            Some("/unitCost/amount")
        );
        let shown = err.to_string();
        assert!(shown.contains("FIELD_VALUE_TOO_LOW"), "{shown}");
        assert!(shown.contains("/unitCost/amount"), "{shown}");
    }

    #[test]
    fn a_sunset_version_names_the_version_and_the_variable() {
        let err = map(
            426,
            r#"{"status":426,"message":"Requested version 20230101 is not active"}"#,
        );
        assert_eq!(
            err,
            Error::VersionSunset {
                version: "202301".into()
            }
        );
        assert!(err.to_string().contains("LINKEDIN_VERSION"));
    }

    #[test]
    fn recognizes_the_data_volume_throttle_by_its_message_only() {
        let throttle = map(
            429,
            r#"{"status":429,"message":"The data request limit has been exceeded. More than 45 million metric values were requested in a 5-minute window."}"#,
        );
        let quota = map(
            429,
            r#"{"status":429,"message":"Resource level throttle limit"}"#,
        );
        assert!(matches!(
            throttle,
            Error::RateLimited {
                data_volume: true,
                ..
            }
        ));
        assert!(matches!(
            quota,
            Error::RateLimited {
                data_volume: false,
                ..
            }
        ));
    }

    #[test]
    fn an_invalid_grant_is_typed_whatever_the_status() {
        let err = map(
            400,
            r#"{"error":"invalid_grant","error_description":"The provided Refresh Token is invalid"}"#,
        );
        assert_eq!(err.name(), error_names::LINKEDIN_INVALID_GRANT);
        assert!(err.to_string().contains("re-authorize"));
    }

    #[test]
    fn a_non_json_server_error_keeps_a_bounded_message() {
        let html = format!("<html>{}</html>", "x".repeat(5_000));
        let Error::Server { status, message } = map(502, &html) else {
            panic!()
        };
        assert_eq!(status, 502);
        assert!(message.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn transient_errors_are_the_retryable_ones() {
        assert!(map(429, "{}").is_transient());
        assert!(map(503, "{}").is_transient());
        assert!(!map(400, "{}").is_transient());
        assert!(!map(401, "{}").is_transient());
    }
}
