//! How an SDK error becomes a [`PortError`], the same way for every service.
//!
//! Each adapter says which of its operation's modeled errors mean "missing" or "refused"
//! (modeled errors carry no code when a test builds them, so they are matched by variant);
//! the error codes every AWS service shares for a denied or malformed request are matched
//! here. Anything else — throttling, a 5xx, a timeout, no connection — is `Unavailable`,
//! because a retry may help.

use ads::PortError;
// Every SDK re-exports the same smithy error types; S3's path names them for all services.
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::error::Error;
use std::fmt::Debug;

/// How a service's error counts for a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The thing asked for does not exist.
    NotFound,
    /// The request was refused as given; a retry will not help.
    Refused,
    /// The service failed; a retry may help.
    Unavailable,
}

/// How much of an SDK error a reason may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// [`DisplayErrorContext`]: the cause chain and the debug view, raw response included.
    Full,
    /// The cause chain only (each error's `Display`, joined by `: `), for responses that may
    /// carry a secret.
    Chain,
}

/// Codes AWS services use when the caller's identity may not do what it asked
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>,
/// <https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html>).
const DENIED: &[&str] = &["AccessDenied", "AccessDeniedException", "AllAccessDisabled"];

/// Codes AWS services use when they do not recognise the caller's credentials at all
/// (same pages). Expired credentials are not here: the Lambda environment renews them, so
/// a retry helps.
const UNAUTHENTICATED: &[&str] = &[
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
];

/// Maps `error`, raised while doing `what`, onto the port's vocabulary.
///
/// `modeled` classifies the operation's modeled errors; `action` is the IAM action the
/// request needed (e.g. `s3:GetObject`), named in a refusal so the message says the fix;
/// `detail` says how much of the error the reason shows.
pub(crate) fn port_error<E, R>(
    what: String,
    action: &str,
    detail: Detail,
    error: &SdkError<E, R>,
    modeled: impl Fn(&E) -> Option<Verdict>,
) -> PortError
where
    E: ProvideErrorMetadata + Error + 'static,
    R: Debug,
{
    let code = error.code().unwrap_or_default();
    let denied = DENIED.contains(&code);
    let unauthenticated = UNAUTHENTICATED.contains(&code);
    let verdict = match error {
        SdkError::ServiceError(service) => {
            modeled(service.err()).unwrap_or(if denied || unauthenticated {
                Verdict::Refused
            } else {
                Verdict::Unavailable
            })
        }
        // The SDK could not even build the request (a malformed name, no region): the same
        // request will fail the same way.
        SdkError::ConstructionFailure(_) => Verdict::Refused,
        _ => Verdict::Unavailable,
    };
    let reason = match detail {
        Detail::Full => DisplayErrorContext(error).to_string(),
        Detail::Chain => chain(error),
    };
    match verdict {
        Verdict::NotFound => PortError::NotFound { what },
        Verdict::Refused if denied => PortError::Refused {
            what,
            reason: format!("{reason}; the function's role needs {action}"),
        },
        Verdict::Refused if unauthenticated => PortError::Refused {
            what,
            reason: format!("{reason}; check the credentials the function runs with"),
        },
        Verdict::Refused => PortError::Refused { what, reason },
        Verdict::Unavailable => PortError::Unavailable { what, reason },
    }
}

/// Each error's `Display` down the `source` chain, joined by `: ` — [`DisplayErrorContext`]
/// without its debug view.
fn chain(error: &dyn Error) -> String {
    let mut words = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}
