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
//! Parsing never echoes the document: errors name the field, never its value.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};

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
        let document: Map<String, Value> =
            serde_json::from_str(value.expose_secret()).map_err(|error| {
                SecretFormatError::NotAnObject {
                    line: error.line(),
                    column: error.column(),
                }
            })?;
        let text = |field: &'static str| -> Result<Option<String>, SecretFormatError> {
            match document.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(SecretFormatError::Field {
                    field,
                    problem: "must be a string",
                }),
            }
        };
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
