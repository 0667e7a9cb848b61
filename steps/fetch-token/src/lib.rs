//! # fetch-token — keep the LinkedIn access token alive inside its secret
//!
//! The first step of every collection: it reads the LinkedIn credentials secret
//! ([`linkedin::StoredCredentials`]), refreshes the access token through LinkedIn's OAuth
//! endpoint when it is about to expire (or its expiry is unknown, or introspection says it
//! is dead), writes the new token back, and returns only metadata — expiries, whether it
//! refreshed, and warnings a person should act on. The token never leaves the secret store:
//! not in the output, a log line or an error.
//!
//! Reading order: [`Input`], [`Output`], [`Error`], [`Settings`], [`run`], then
//! [`warnings`] (shared with `adsctl token status`). `main.rs` is the Lambda wiring.
//!
//! Deliberately not here: the authorization-code flow (a person does it once, in a browser;
//! the messages say how), calling the Marketing API (the steps after this one read the
//! secret themselves), and retrying (the state machine's `Retry` matches the error names).

use ads::SecretStore;
use ads::error_names::{self, StepError};
use chrono::{DateTime, Duration, Utc};
use linkedin::{ApiVersion, OAuthClient, RefreshedToken, StoredCredentials};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Refresh when the access token expires within this many days, unless told otherwise.
pub const DEFAULT_REFRESH_MARGIN_DAYS: i64 = 7;
/// The largest margin accepted: access tokens live 60 days, so a margin of 60 or more would
/// refresh on every run.
pub const MAX_REFRESH_MARGIN_DAYS: i64 = 59;
/// Warn when the refresh token expires within this many days.
pub const REFRESH_TOKEN_WARNING_DAYS: i64 = 30;
/// Warn when the configured `LinkedIn-Version` is sunset within this many days.
pub const VERSION_SUNSET_WARNING_DAYS: i64 = 60;
/// How a person gets new tokens once the refresh token is dead or about to be.
pub const REAUTHORIZE: &str = "complete LinkedIn's OAuth authorization-code flow for the app \
    (scopes r_ads, rw_ads, r_ads_reporting) and store the new access and refresh tokens with \
    `adsctl init --force` locally, or in the LinkedIn credentials secret in Secrets Manager on AWS";

/// The step's input; every field is optional (`{}` is a valid input).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// Refresh when the access token expires within this many days, 0–59 (default
    /// [`Settings::refresh_margin`], 7 days). `0` refreshes only an expired token.
    #[serde(default)]
    pub refresh_margin_days: Option<i64>,
}

/// What the step did. Metadata only: never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// When the access token now in the secret expires (RFC 3339, UTC); `null` only when it
    /// is unknown and could not be refreshed (a token pasted without its expiry).
    pub access_token_expires_at: Option<DateTime<Utc>>,
    /// When the refresh token expires (RFC 3339, UTC); refreshing never moves it. `null`
    /// when the secret does not say.
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
    /// Whether this run refreshed the access token and wrote it back to the secret.
    pub refreshed: bool,
    /// Things a person should act on soon, each naming the fix: the refresh token expiring
    /// within 30 days, the `LinkedIn-Version` sunset within 60 days, a token that cannot be
    /// refreshed automatically. Empty when all is well.
    pub warnings: Vec<String>,
}

/// Why the step failed. [`StepError::name`] gives the stable name the state machine matches.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is out of range (`Input.Invalid`).
    #[error(
        "{field} must be a whole number of days from 0 to {MAX_REFRESH_MARGIN_DAYS} (got {got}); \
         leave it out for the default of {DEFAULT_REFRESH_MARGIN_DAYS}"
    )]
    InvalidInput {
        /// The input field, as the state machine spells it.
        field: &'static str,
        /// The value given.
        got: i64,
    },
    /// The refresh token is expired, revoked or missing: only a person can fix it
    /// (`Token.ReauthorizationRequired`).
    #[error(
        "the LinkedIn access token cannot be refreshed: {reason}. To re-authorize, \
         {REAUTHORIZE} (secret '{secret}')"
    )]
    ReauthorizationRequired {
        /// What is wrong with the refresh token or the secret.
        reason: String,
        /// The secret's name.
        secret: String,
    },
    /// LinkedIn's OAuth server failed or refused (its own stable name, e.g. `LinkedIn.Server`).
    #[error(transparent)]
    LinkedIn(linkedin::Error),
    /// The secret could not be read, parsed or written (`Secret.Failed`).
    #[error(
        "the LinkedIn credentials secret '{secret}' could not be {action}: {reason}; locally \
         run `adsctl init` (or set LINKEDIN_ACCESS_TOKEN), on AWS check LINKEDIN_SECRET_NAME \
         and that the function's role may read and write the secret"
    )]
    Secret {
        /// The secret's name.
        secret: String,
        /// `read`, `parsed` or `written`.
        action: &'static str,
        /// The store's or the parser's words (never the value).
        reason: String,
    },
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => error_names::INPUT_INVALID,
            Error::ReauthorizationRequired { .. } => error_names::TOKEN_REAUTHORIZATION_REQUIRED,
            Error::LinkedIn(error) => error.name(),
            Error::Secret { .. } => error_names::SECRET_FAILED,
        }
    }
}

/// How the step is configured (on AWS from the function's environment).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The credentials secret's name (`LINKEDIN_SECRET_NAME`, default `linkedin`).
    pub secret_name: String,
    /// Refresh when the access token expires within this long (default 7 days); the
    /// input's `refreshMarginDays` overrides it.
    pub refresh_margin: Duration,
    /// Where LinkedIn's OAuth server is, and the `LinkedIn-Version` to warn about.
    pub linkedin: linkedin::Config,
}

impl Settings {
    /// The defaults with the environment applied: `LINKEDIN_SECRET_NAME` and what
    /// [`linkedin::Config::from_env`] reads.
    pub fn from_env() -> Result<Settings, linkedin::ConfigError> {
        Ok(Settings {
            secret_name: linkedin::secret::secret_name(|name| std::env::var(name).ok()),
            ..Settings::new(linkedin::Config::from_env()?)
        })
    }

    /// The defaults (secret `linkedin`, 7-day margin) for `linkedin`.
    pub fn new(linkedin: linkedin::Config) -> Settings {
        Settings {
            secret_name: linkedin::secret::DEFAULT_SECRET_NAME.to_owned(),
            refresh_margin: Duration::days(DEFAULT_REFRESH_MARGIN_DAYS),
            linkedin,
        }
    }
}

/// Reads the secret, refreshes the access token if it needs it, writes it back, and reports.
///
/// `now` is the current time (the simulator's virtual clock in tests). Idempotent: a second
/// run right after a refresh finds a fresh token and does nothing. On any failure the secret
/// is left as it was.
pub async fn run(
    input: Input,
    settings: &Settings,
    secrets: &dyn SecretStore,
    now: DateTime<Utc>,
) -> Result<Output, Error> {
    let margin = match input.refresh_margin_days {
        None => settings.refresh_margin,
        Some(days @ 0..=MAX_REFRESH_MARGIN_DAYS) => Duration::days(days),
        Some(got) => {
            return Err(Error::InvalidInput {
                field: "refreshMarginDays",
                got,
            });
        }
    };
    let name = settings.secret_name.as_str();
    let secret_error = |action, reason: String| Error::Secret {
        secret: name.to_owned(),
        action,
        reason,
    };
    let original = secrets
        .get(name)
        .await
        .map_err(|e| secret_error("read", e.to_string()))?;
    let stored =
        StoredCredentials::parse(&original).map_err(|e| secret_error("parsed", e.to_string()))?;
    let oauth = OAuthClient::new(settings.linkedin.clone());
    let version = settings.linkedin.version;

    let Some(why) = refresh_reason(&stored, &oauth, margin, now).await? else {
        return Ok(report(&stored, false, version, now));
    };
    let reauthorize = |reason: String| Error::ReauthorizationRequired {
        reason,
        secret: name.to_owned(),
    };
    let (Some(app), Some(refresh_token)) = (&stored.app, &stored.refresh_token) else {
        if why == Why::UnknownExpiry {
            // Nothing says the token is dead; it works until LinkedIn refuses it, and the
            // warnings say it cannot be kept alive automatically.
            return Ok(report(&stored, false, version, now));
        }
        return Err(reauthorize(format!(
            "{why}, and the secret holds no refresh token and app credentials \
             (refreshToken, clientId, clientSecret) to refresh it with"
        )));
    };
    if let Some(expired) = stored.refresh_token_expires_at.filter(|at| *at <= now) {
        return Err(reauthorize(format!(
            "{why}, and the refresh token expired on {}",
            expired.date_naive()
        )));
    }
    tracing::info!(secret = name, reason = %why, "refreshing the LinkedIn access token");
    let refreshed = match oauth.refresh(app, refresh_token).await {
        Err(linkedin::Error::InvalidGrant { description }) => {
            return Err(reauthorize(format!(
                "{why}, and LinkedIn refused the refresh token (invalid_grant: {description})"
            )));
        }
        other => other.map_err(Error::LinkedIn)?,
    };
    let updated = refreshed_credentials(&stored, refreshed, now);
    secrets
        .put(name, merged(&original, &updated))
        .await
        .map_err(|e| secret_error("written", e.to_string()))?;
    tracing::info!(
        secret = name,
        expires_at = ?updated.access_token_expires_at,
        "stored the refreshed LinkedIn access token"
    );
    Ok(report(&updated, true, version, now))
}

/// The warnings for `credentials` at `now`: the refresh token expiring within 30 days (or
/// expired), the `LinkedIn-Version` sunset within 60 days, and a token the secret cannot
/// refresh. Each says how many days are left and what to do. `adsctl token status` shows
/// the same list.
pub fn warnings(
    credentials: &StoredCredentials,
    version: ApiVersion,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if credentials.app.is_none() || credentials.refresh_token.is_none() {
        let expiry = match credentials.access_token_expires_at {
            Some(at) if at <= now => format!("it expired on {}", at.date_naive()),
            Some(at) => format!("it expires on {} ({})", at.date_naive(), days_left(at, now)),
            None => "its expiry is unknown".to_owned(),
        };
        warnings.push(format!(
            "the access token cannot be refreshed automatically because the secret holds no \
             refresh token and app credentials (refreshToken, clientId, clientSecret); {expiry}; \
             to keep it alive, {REAUTHORIZE}"
        ));
    }
    if let Some(at) = credentials.refresh_token_expires_at {
        if at <= now {
            warnings.push(format!(
                "the LinkedIn refresh token expired on {}; to re-authorize, {REAUTHORIZE}",
                at.date_naive()
            ));
        } else if at - now <= Duration::days(REFRESH_TOKEN_WARNING_DAYS) {
            warnings.push(format!(
                "the LinkedIn refresh token expires on {} ({}) and refreshing does not extend \
                 it; before then, {REAUTHORIZE}",
                at.date_naive(),
                days_left(at, now)
            ));
        }
    }
    warnings.extend(version.sunset_warning(now.date_naive(), VERSION_SUNSET_WARNING_DAYS));
    warnings
}

/// Why the access token needs refreshing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// The secret does not say when it expires.
    UnknownExpiry,
    /// It expires (or expired) at this time, within the margin.
    Expiring(DateTime<Utc>),
    /// Introspection says it is not active, with LinkedIn's status.
    Inactive(Option<String>),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::UnknownExpiry => f.write_str("the access token's expiry is unknown"),
            Why::Expiring(at) => write!(f, "the access token expires on {}", at.date_naive()),
            Why::Inactive(status) => write!(
                f,
                "LinkedIn says the access token is not active ({})",
                status.as_deref().unwrap_or("no status")
            ),
        }
    }
}

/// Whether to refresh, and why. Introspection is asked only when the stored expiry says the
/// token is fine and the app credentials are known (it needs them).
async fn refresh_reason(
    stored: &StoredCredentials,
    oauth: &OAuthClient,
    margin: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Why>, Error> {
    match (stored.access_token_expires_at, &stored.app) {
        (None, _) => Ok(Some(Why::UnknownExpiry)),
        (Some(at), _) if at - now <= margin => Ok(Some(Why::Expiring(at))),
        (Some(_), None) => Ok(None),
        (Some(_), Some(app)) => {
            let seen = oauth
                .introspect(app, &stored.access_token)
                .await
                .map_err(Error::LinkedIn)?;
            Ok((!seen.active).then_some(Why::Inactive(seen.status)))
        }
    }
}

/// The credentials after a refresh: the new access token expiring `expires_in` from `now`;
/// the refresh token and its expiry as LinkedIn returned them, else as they were.
fn refreshed_credentials(
    stored: &StoredCredentials,
    refreshed: RefreshedToken,
    now: DateTime<Utc>,
) -> StoredCredentials {
    let after = |d: std::time::Duration| Duration::from_std(d).ok().map(|d| now + d);
    let rotated = match (&refreshed.refresh_token, &stored.refresh_token) {
        (Some(new), Some(old)) => new.expose() != old.expose(),
        _ => false,
    };
    let returned = refreshed.refresh_token_expires_in.and_then(after);
    // LinkedIn's `refresh_token_expires_in` counts down to the same instant (refreshing does
    // not extend the token), so recomputing it from our clock only adds clock skew: keep the
    // original date unless the token rotated or LinkedIn's date differs by a day or more.
    let refresh_token_expires_at = match (returned, stored.refresh_token_expires_at) {
        (Some(new), Some(original)) if !rotated && (new - original).abs() < Duration::days(1) => {
            Some(original)
        }
        (Some(new), _) => Some(new),
        (None, original) => original,
    };
    StoredCredentials {
        app: stored.app.clone(),
        access_token_expires_at: after(refreshed.expires_in),
        access_token: refreshed.access_token,
        refresh_token: refreshed
            .refresh_token
            .or_else(|| stored.refresh_token.clone()),
        refresh_token_expires_at,
    }
}

/// The original document with the credentials' fields replaced, so fields this step does
/// not know (a note, a scope list) survive the write.
fn merged(original: &SecretString, updated: &StoredCredentials) -> SecretString {
    let mut document: Map<String, Value> =
        serde_json::from_str(original.expose_secret()).unwrap_or_default();
    if let Ok(Value::Object(fields)) = serde_json::from_str(updated.to_secret().expose_secret()) {
        document.extend(fields);
    }
    SecretString::from(Value::Object(document).to_string())
}

fn report(
    credentials: &StoredCredentials,
    refreshed: bool,
    version: ApiVersion,
    now: DateTime<Utc>,
) -> Output {
    Output {
        access_token_expires_at: credentials.access_token_expires_at,
        refresh_token_expires_at: credentials.refresh_token_expires_at,
        refreshed,
        warnings: warnings(credentials, version, now),
    }
}

/// "in 12 days", "in less than a day".
fn days_left(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match (at - now).num_days() {
        0 => "in less than a day".to_owned(),
        1 => "in 1 day".to_owned(),
        days => format!("in {days} days"),
    }
}

#[cfg(test)]
mod tests;
