//! LinkedIn's error bodies, and the crate's own error type.
//!
//! LinkedIn answers errors as `{"message","serviceErrorCode","status"}`, newer endpoints add
//! `"code"` and, for bad parameters, `"errorDetails":{"inputErrors":[...]}`
//! (learn.microsoft.com/linkedin/shared/api-guide/concepts/error-handling). Every `/rest`
//! error the simulator sends is built here, so the bodies stay uniform. Where LinkedIn's
//! exact text is known (token, version, throttle errors) it is used verbatim; where it is
//! not published the text is plausible and the comment says so.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

/// One LinkedIn-shaped API error.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// LinkedIn's sub-code.
    pub service_error_code: u32,
    /// Machine-readable code (`INVALID_ACCESS_TOKEN`, `FIELD_VALUE_TOO_LOW`, ...), if any.
    pub code: Option<&'static str>,
    /// Human-readable message.
    pub message: String,
    /// Per-input problems, for parameter errors.
    pub input_errors: Vec<InputError>,
    /// `Retry-After` seconds to send, if any.
    pub retry_after_secs: Option<u64>,
}

/// One entry of `errorDetails.inputErrors`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputError {
    /// What is wrong with the input.
    pub description: String,
    /// The field path, e.g. `dateRange` or `patch.$set.unitCost.amount`.
    pub field_path: String,
    /// The error code for this input.
    pub code: &'static str,
}

impl ApiError {
    /// A bare error with status, sub-code and message.
    pub fn new(status: u16, service_error_code: u32, message: impl Into<String>) -> Self {
        ApiError {
            status,
            service_error_code,
            code: None,
            message: message.into(),
            input_errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// Adds LinkedIn's `code`.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// A 400 naming the offending parameter or field, with one input error.
    pub fn invalid_input(
        field_path: &str,
        code: &'static str,
        description: impl Into<String>,
    ) -> Self {
        let description = description.into();
        ApiError {
            input_errors: vec![InputError {
                description: description.clone(),
                field_path: field_path.to_string(),
                code,
            }],
            ..ApiError::new(400, 100, description).with_code(code)
        }
    }

    /// A 400 for a query parameter that is missing or malformed.
    pub fn bad_param(param: &str, description: impl Into<String>) -> Self {
        ApiError::invalid_input(param, "INVALID_VALUE_FOR_FIELD", description)
    }

    /// A 400 for a required query parameter that is absent.
    pub fn missing_param(param: &str) -> Self {
        ApiError::invalid_input(
            param,
            "MISSING_REQUIRED_FIELD",
            format!("Required parameter '{param}' is missing"),
        )
    }

    /// No `Authorization` header (the sample body of LinkedIn's error-handling page).
    pub fn empty_token() -> Self {
        ApiError::new(401, 401, "Empty oauth2_access_token")
    }

    /// An unknown access token.
    pub fn invalid_token() -> Self {
        ApiError::new(401, 65600, "Invalid access token").with_code("INVALID_ACCESS_TOKEN")
    }

    /// A revoked access token.
    pub fn revoked_token() -> Self {
        ApiError::new(
            401,
            65601,
            "The token used in the request has been revoked by the user",
        )
        .with_code("REVOKED_ACCESS_TOKEN")
    }

    /// An expired access token.
    pub fn expired_token() -> Self {
        ApiError::new(401, 65602, "The token used in the request has expired")
            .with_code("EXPIRED_ACCESS_TOKEN")
    }

    /// No `LinkedIn-Version` header.
    pub fn version_missing() -> Self {
        ApiError::new(
            400,
            400,
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
        )
        .with_code("VERSION_MISSING")
    }

    /// A version that is not (or no longer) active.
    pub fn nonexistent_version(requested: &str) -> Self {
        ApiError::new(
            426,
            426,
            format!("Requested version {requested} is not active"),
        )
        .with_code("NONEXISTENT_VERSION")
    }

    /// No `X-Restli-Protocol-Version: 2.0.0`. LinkedIn's exact text for this is not
    /// published; the code and message are the simulator's.
    pub fn protocol_version_missing() -> Self {
        ApiError::new(
            400,
            400,
            "Rest.li protocol 2.0.0 is required: send the header X-Restli-Protocol-Version: 2.0.0",
        )
        .with_code("INVALID_PROTOCOL_VERSION")
    }

    /// Query string longer than LinkedIn accepts in a URL (4 KB); the fix is tunneling.
    pub fn uri_too_long(len: usize) -> Self {
        ApiError::new(
            414,
            414,
            format!(
                "Request-URI Too Long: the query string has {len} bytes (limit 4096); tunnel it as a POST with X-HTTP-Method-Override: GET"
            ),
        )
        .with_code("URI_TOO_LONG")
    }

    /// The application's daily call quota is spent.
    pub fn app_day_throttle() -> Self {
        ApiError::new(
            429,
            101,
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        )
    }

    /// Too many metric values in the 5-minute window (Airbyte and LinkedIn's reporting page
    /// quote this message; the number follows the configured limit).
    pub fn metric_throttle(limit: u64) -> Self {
        ApiError::new(
            429,
            429,
            format!(
                "The data request limit has been exceeded. More than {} metric values were requested in a 5-minute window.",
                human_count(limit)
            ),
        )
    }

    /// A 404 for an entity that does not exist or is not visible to the token.
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::new(404, 404, what).with_code("NOT_FOUND")
    }

    /// A LinkedIn-like body for any status, used by fault injection.
    pub fn for_status(status: u16) -> Self {
        match status {
            401 => ApiError::invalid_token(),
            414 => ApiError::uri_too_long(4097),
            426 => ApiError::nonexistent_version("000000"),
            429 => ApiError::app_day_throttle(),
            400 => ApiError::new(400, 400, "Bad Request"),
            403 => ApiError::new(403, 100, "Not enough permissions to access: GET /rest")
                .with_code("ACCESS_DENIED"),
            404 => ApiError::not_found("Not Found"),
            409 => ApiError::new(409, 409, "Conflict").with_code("CONFLICT"),
            500 => {
                ApiError::new(500, 500, "Internal Server Error").with_code("INTERNAL_SERVER_ERROR")
            }
            502 => ApiError::new(502, 502, "Bad Gateway"),
            503 => ApiError::new(503, 503, "Service Unavailable").with_code("SERVICE_UNAVAILABLE"),
            504 => ApiError::new(504, 504, "Gateway Timeout").with_code("GATEWAY_TIMEOUT"),
            other => ApiError::new(other, other as u32, "Injected failure"),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({
            "message": self.message,
            "serviceErrorCode": self.service_error_code,
            "status": self.status,
        });
        if let Some(code) = self.code {
            body["code"] = json!(code);
        }
        if !self.input_errors.is_empty() {
            let errors: Vec<_> = self
                .input_errors
                .iter()
                .map(|e| {
                    json!({
                        "description": e.description,
                        "input": {"inputPath": {"fieldPath": e.field_path}},
                        "code": e.code,
                    })
                })
                .collect();
            body["errorDetails"] = json!({"inputErrors": errors});
        }
        body
    }
}

/// "45 million" for 45_000_000, else the plain number.
fn human_count(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{} million", n / 1_000_000)
    } else {
        n.to_string()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after_secs
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

/// Errors of the simulator as a library: starting it, and talking to its admin API.
#[derive(Debug, Error)]
pub enum SimError {
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server stopped with an I/O error.
    #[error("simulator server failed: {0}")]
    Serve(std::io::Error),
    /// The admin API could not be reached.
    #[error("admin request to {url} failed: {source}")]
    Http {
        /// The URL called.
        url: String,
        /// Why.
        source: reqwest::Error,
    },
    /// The admin API answered an error status.
    #[error("admin request to {url} answered {status}: {body}")]
    Status {
        /// The URL called.
        url: String,
        /// HTTP status.
        status: u16,
        /// Response body.
        body: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_errors_carry_input_errors_with_the_field_path() {
        // GIVEN a malformed dateRange
        let body = ApiError::bad_param("dateRange", "dateRange is malformed").body();
        // THEN LinkedIn's shape names the parameter
        assert_eq!(body["status"], 400);
        assert_eq!(
            body["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"],
            "dateRange"
        );
        assert_eq!(body["code"], "INVALID_VALUE_FOR_FIELD");
    }

    #[test]
    fn the_metric_throttle_message_follows_the_limit() {
        assert!(
            ApiError::metric_throttle(45_000_000)
                .message
                .contains("More than 45 million metric values")
        );
        assert!(
            ApiError::metric_throttle(1234)
                .message
                .contains("More than 1234 metric values")
        );
    }
}
