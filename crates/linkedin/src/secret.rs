//! The LinkedIn credentials secret: the JSON document kept in Secrets Manager on AWS and in
//! the local secrets file, read by every step that calls LinkedIn and rewritten only by
//! fetch-token when it refreshes the access token.
//!
//! ```json
//! {"clientId": "...", "clientSecret": "...",
//!  "accessToken": "...", "accessTokenExpiresAt": "2026-12-01T00:00:00Z",
//!  "refreshToken": "...", "refreshTokenExpiresAt": "2027-08-03T00:00:00Z"}
//! ```
//!
//! Only `accessToken` is required: a token pasted from LinkedIn's token generator works until
//! it expires; the application's id and secret and the refresh token make refreshing possible.
//! An optional `notifyWebhookUrl` (a Slack-compatible incoming webhook, itself a secret since
//! its URL embeds a token) is where the report step also posts its notices
//! ([`notify_webhook_url`]); fetch-token keeps it when it rewrites the document.
//! Parsing never echoes the document: errors name the field, never its value.
//!
//! [`client_from_secret`] is how a step that calls LinkedIn gets its client: the secret read
//! from the store, parsed, and its access token handed to a [`Client`] and nowhere else.

use ads::SecretStore;
use chrono::{DateTime, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::config::Config;
use crate::token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};

/// The environment variable naming the credentials secret (Secrets Manager's secret name on
/// AWS, the entry in the local secrets file otherwise).
pub const ENV_SECRET_NAME: &str = "LINKEDIN_SECRET_NAME";
/// The secret's name when [`ENV_SECRET_NAME`] is unset.
pub const DEFAULT_SECRET_NAME: &str = "linkedin";

/// The credentials secret's name from `lookup` (e.g. the environment); an empty value counts
/// as unset.
pub fn secret_name(lookup: impl Fn(&str) -> Option<String>) -> String {
    lookup(ENV_SECRET_NAME)
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| DEFAULT_SECRET_NAME.to_owned())
}

/// Why a secret's value is not a usable LinkedIn credentials document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretFormatError {
    /// The value is not a JSON object.
    #[error(
        "the LinkedIn secret must be a JSON object with at least \"accessToken\" \
         (line {line}, column {column} is where reading stopped)"
    )]
    NotAnObject {
        /// Where parsing stopped.
        line: usize,
        /// Where parsing stopped.
        column: usize,
    },
    /// A field is missing or has the wrong type.
    #[error("the LinkedIn secret's \"{field}\" {problem}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it, e.g. "is missing" or "must be an RFC 3339 time".
        problem: &'static str,
    },
}

/// Why no client could be built from the credentials secret: the secret store failed, or
/// the value is not a credentials document. Never carries the secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the LinkedIn secret '{name}' could not be used: {reason}; store the credentials \
     with `adsctl init` (or in Secrets Manager) and set LINKEDIN_SECRET_NAME to its name"
)]
pub struct SecretUnusable {
    /// The secret's name.
    pub name: String,
    /// Why: the store's error or the document's problem, naming a field, never a value.
    pub reason: String,
}

/// A client of `config` with the access token of the credentials secret `name`; the token
/// goes nowhere else. Warns (a `tracing` event) when `config`'s `LinkedIn-Version` is sunset
/// within 30 days of `today`.
pub async fn client_from_secret(
    secrets: &dyn SecretStore,
    name: &str,
    config: &Config,
    today: NaiveDate,
) -> Result<Client, SecretUnusable> {
    let unusable = |reason: String| SecretUnusable {
        name: name.to_owned(),
        reason,
    };
    let value = secrets
        .get(name)
        .await
        .map_err(|e| unusable(e.to_string()))?;
    let credentials = StoredCredentials::parse(&value).map_err(|e| unusable(e.to_string()))?;
    if let Some(warning) = config.version.sunset_warning(today, 30) {
        tracing::warn!("{warning}");
    }
    Ok(Client::new(config.clone(), credentials.access_token))
}

/// The credentials the secret holds.
#[derive(Debug, Clone)]
pub struct StoredCredentials {
    /// The application (client id and secret), when known: needed to refresh.
    pub app: Option<ClientCredentials>,
    /// The member's access token.
    pub access_token: AccessToken,
    /// When the access token expires, when known.
    pub access_token_expires_at: Option<DateTime<Utc>>,
    /// The member's refresh token, when known.
    pub refresh_token: Option<RefreshToken>,
    /// When the refresh token expires; refreshing never moves it.
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
}

impl StoredCredentials {
    /// Reads the secret's value.
    pub fn parse(value: &SecretString) -> Result<StoredCredentials, SecretFormatError> {
        let document = document(value)?;
        let text = |field: &'static str| text_field(&document, field);
        let time = |field: &'static str| -> Result<Option<DateTime<Utc>>, SecretFormatError> {
            text(field)?
                .map(|text| {
                    DateTime::parse_from_rfc3339(&text)
                        .map(|time| time.with_timezone(&Utc))
                        .map_err(|_| SecretFormatError::Field {
                            field,
                            problem: "must be an RFC 3339 time, e.g. 2026-12-01T00:00:00Z",
                        })
                })
                .transpose()
        };
        let access_token = text("accessToken")?.ok_or(SecretFormatError::Field {
            field: "accessToken",
            problem: "is missing; run `adsctl init` or store a token from LinkedIn's token generator",
        })?;
        let app = match (text("clientId")?, text("clientSecret")?) {
            (Some(client_id), Some(secret)) => Some(ClientCredentials {
                client_id,
                client_secret: ClientSecret::new(secret),
            }),
            _ => None,
        };
        Ok(StoredCredentials {
            app,
            access_token: AccessToken::new(access_token),
            access_token_expires_at: time("accessTokenExpiresAt")?,
            refresh_token: text("refreshToken")?.map(RefreshToken::new),
            refresh_token_expires_at: time("refreshTokenExpiresAt")?,
        })
    }

    /// The secret's value, for writing back to the secret store.
    pub fn to_secret(&self) -> SecretString {
        let mut document = Map::new();
        if let Some(app) = &self.app {
            document.insert("clientId".into(), json!(app.client_id));
            document.insert("clientSecret".into(), json!(app.client_secret.expose()));
        }
        document.insert("accessToken".into(), json!(self.access_token.expose()));
        let mut time = |field: &str, value: Option<DateTime<Utc>>| {
            if let Some(value) = value {
                document.insert(
                    field.into(),
                    json!(value.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                );
            }
        };
        time("accessTokenExpiresAt", self.access_token_expires_at);
        time("refreshTokenExpiresAt", self.refresh_token_expires_at);
        if let Some(refresh) = &self.refresh_token {
            document.insert("refreshToken".into(), json!(refresh.expose()));
        }
        SecretString::from(Value::Object(document).to_string())
    }
}

/// The secret's optional `notifyWebhookUrl`: the Slack-compatible incoming webhook the
/// report step posts its notices to, as a secret (its URL embeds the token that lets anyone
/// post to the channel). `None` when absent or empty.
pub fn notify_webhook_url(value: &SecretString) -> Result<Option<SecretString>, SecretFormatError> {
    Ok(text_field(&document(value)?, "notifyWebhookUrl")?.map(SecretString::from))
}

/// The secret's value as a JSON object; the error says where parsing stopped, never what
/// it read.
fn document(value: &SecretString) -> Result<Map<String, Value>, SecretFormatError> {
    serde_json::from_str(value.expose_secret()).map_err(|error| SecretFormatError::NotAnObject {
        line: error.line(),
        column: error.column(),
    })
}

/// The text of `field`; `None` when absent, null or blank.
fn text_field(
    document: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, SecretFormatError> {
    match document.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(SecretFormatError::Field {
            field,
            problem: "must be a string",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn round_trips_a_full_document() {
        // GIVEN a complete credentials document
        let text = r#"{"clientId":"app","clientSecret":"shh","accessToken":"AQV1",
            "accessTokenExpiresAt":"2026-12-01T00:00:00Z","refreshToken":"AQX2",
            "refreshTokenExpiresAt":"2027-08-03T00:00:00Z"}"#;
        // WHEN parsed and written back
        let parsed = StoredCredentials::parse(&secret(text)).unwrap();
        let again = StoredCredentials::parse(&parsed.to_secret()).unwrap();
        // THEN nothing is lost
        assert_eq!(again.access_token.expose(), "AQV1");
        assert_eq!(again.refresh_token.unwrap().expose(), "AQX2");
        assert_eq!(again.app.unwrap().client_secret.expose(), "shh");
        assert_eq!(
            again.refresh_token_expires_at.unwrap().to_rfc3339(),
            "2027-08-03T00:00:00+00:00"
        );
    }

    #[test]
    fn the_notify_webhook_url_is_optional_and_read_as_a_secret() {
        // GIVEN documents with, without, and with a malformed notifyWebhookUrl
        let with = secret(r#"{"accessToken":"AQV1","notifyWebhookUrl":"https://hooks/T/B/XYZ"}"#);
        let without = secret(r#"{"accessToken":"AQV1"}"#);
        let wrong = secret(r#"{"accessToken":"AQV1","notifyWebhookUrl":42}"#);
        // THEN it is read when present, absent otherwise, and a non-string names the field
        let url = notify_webhook_url(&with).unwrap().unwrap();
        assert_eq!(url.expose_secret(), "https://hooks/T/B/XYZ");
        assert!(notify_webhook_url(&without).unwrap().is_none());
        let message = notify_webhook_url(&wrong).unwrap_err().to_string();
        assert!(message.contains("notifyWebhookUrl"), "{message}");
        // AND the credentials still parse beside it
        assert_eq!(
            StoredCredentials::parse(&with)
                .unwrap()
                .access_token
                .expose(),
            "AQV1"
        );
    }

    #[test]
    fn only_the_access_token_is_required() {
        let parsed = StoredCredentials::parse(&secret(r#"{"accessToken":"AQV1"}"#)).unwrap();
        assert!(parsed.app.is_none() && parsed.refresh_token.is_none());
    }

    #[test]
    fn errors_name_the_field_and_never_echo_the_value() {
        let cases = [
            (r#"{"clientId":"x"}"#, "accessToken"),
            (r#"{"accessToken":42}"#, "accessToken"),
            (
                r#"{"accessToken":"AQV-secret","accessTokenExpiresAt":"AQV-secret"}"#,
                "accessTokenExpiresAt",
            ),
        ];
        for (text, field) in cases {
            let message = StoredCredentials::parse(&secret(text))
                .unwrap_err()
                .to_string();
            assert!(message.contains(field), "{message}");
            assert!(!message.contains("AQV-secret"), "{message}");
        }
        let garbage = StoredCredentials::parse(&secret("AQV-secret"))
            .unwrap_err()
            .to_string();
        assert!(!garbage.contains("AQV-secret"), "{garbage}");
    }
}
