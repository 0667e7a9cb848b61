//! Stable error names: the contract between a step and the state machines.
//!
//! A step's error becomes the Lambda `errorType`; `Retry` and `Catch` in `statemachines/`
//! match it by `ErrorEquals`, and the local executor matches the same strings. Each name is
//! defined here once, as `Domain.Reason`; renaming one breaks deployed state machines.

/// LinkedIn refused the access token (401): expired, revoked or wrong.
pub const LINKEDIN_UNAUTHORIZED: &str = "LinkedIn.Unauthorized";
/// The token lacks a scope or the member lacks an ad-account role (403).
pub const LINKEDIN_FORBIDDEN: &str = "LinkedIn.Forbidden";
/// The entity does not exist or is not visible to this token (404).
pub const LINKEDIN_NOT_FOUND: &str = "LinkedIn.NotFound";
/// LinkedIn refused the request as malformed or not allowed (400, 409, 414, 422).
pub const LINKEDIN_BAD_REQUEST: &str = "LinkedIn.BadRequest";
/// The configured `LinkedIn-Version` is no longer served (426).
pub const LINKEDIN_VERSION_SUNSET: &str = "LinkedIn.VersionSunset";
/// A quota or throttle was hit (429) and the retry budget is spent.
pub const LINKEDIN_RATE_LIMITED: &str = "LinkedIn.RateLimited";
/// LinkedIn failed (5xx) and the retry budget is spent.
pub const LINKEDIN_SERVER: &str = "LinkedIn.Server";
/// LinkedIn could not be reached (connection, timeout) and the retry budget is spent.
pub const LINKEDIN_NETWORK: &str = "LinkedIn.Network";
/// LinkedIn answered with something this client cannot read.
pub const LINKEDIN_INVALID_RESPONSE: &str = "LinkedIn.InvalidResponse";
/// The OAuth server refused a refresh token (`invalid_grant`): expired or revoked.
pub const LINKEDIN_INVALID_GRANT: &str = "LinkedIn.InvalidGrant";
/// A step's input failed validation; the message names the field and the fix.
pub const INPUT_INVALID: &str = "Input.Invalid";
/// The LinkedIn refresh token is expired or revoked: a person must re-authorize the app.
pub const TOKEN_REAUTHORIZATION_REQUIRED: &str = "Token.ReauthorizationRequired";
/// The object store failed (S3 or the data directory).
pub const STORE_FAILED: &str = "Store.Failed";
/// The secret store failed, or the secret is not what it should be.
pub const SECRET_FAILED: &str = "Secret.Failed";
/// A query failed, was cancelled, or could not be started or looked up (the engine refused
/// it or was unavailable); the message carries the engine's reason. Retrying
/// start-athena-query is safe — a start is idempotent — and so is retrying poll-results.
pub const QUERY_FAILED: &str = "Query.Failed";
/// A query was still running after the most polls the state machine allowed
/// (poll-results' `maxAttempts`); it is left running, and its id is in the message.
pub const QUERY_TIMEOUT: &str = "Query.Timeout";
/// The report was written but the notification could not be sent (SNS, the webhook or the
/// notifications file failed); the message names the report's keys, so nothing is lost.
pub const NOTIFY_FAILED: &str = "Notify.Failed";
/// apply (or undo) changed what it could, logged every action, and at least one action
/// failed on LinkedIn; the message counts and names the failed ids. Re-running is safe: what
/// was applied is skipped.
pub const APPLY_ACTIONS_FAILED: &str = "Apply.ActionsFailed";
/// Training found too few creatives with enough impressions to learn and measure a creative
/// scorer; the message says how many it found, how many it needs and the fix. The previous
/// model is kept.
pub const MODEL_TOO_LITTLE_DATA: &str = "Model.TooLittleData";
/// The random forest could not be fitted or asked (smartcore's reason in the message).
pub const MODEL_TRAINING_FAILED: &str = "Model.TrainingFailed";
/// A stored creative-scorer model is unreadable or does not match its metadata (checksum,
/// features); it is refused, never used.
pub const MODEL_CORRUPT: &str = "Model.Corrupt";
/// No creative-scorer model has been trained yet.
pub const MODEL_NOT_FOUND: &str = "Model.NotFound";

/// An error that crosses a step boundary: it knows its stable name, which becomes the
/// Lambda `errorType` and what `Retry`/`Catch` match in the state machines.
pub trait StepError: std::error::Error {
    /// The stable `Domain.Reason` name, one of this module's constants.
    fn name(&self) -> &'static str;
}

/// The message of an [`INPUT_INVALID`] failure for a payload that is not the step's input
/// type, wherever the step runs (a Lambda, or the local executor): serde's words name the
/// field and what was expected.
pub fn input_mismatch(error: &dyn std::fmt::Display) -> String {
    format!(
        "the step's input does not match its contract: {error}; check the state machine's \
         Parameters for this state"
    )
}
