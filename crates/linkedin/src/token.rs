//! Secrets the client carries: access tokens, refresh tokens and client secrets.
//!
//! Each is a newtype over [`SecretString`] whose `Debug` prints only its kind, so a token
//! cannot reach a log line, an error or a `{:?}` by accident. The value is read only where it
//! goes on the wire (the `Authorization` header, an OAuth form body).

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps the secret; surrounding whitespace (a newline from a file) is dropped,
            /// since LinkedIn's tokens and secrets never contain any.
            pub fn new(value: impl Into<String>) -> $name {
                let value: String = value.into();
                $name(SecretString::from(value.trim().to_owned()))
            }

            /// The secret itself, for the one place it goes on the wire or into a secret store.
            pub fn expose(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> $name {
                $name::new(value)
            }
        }
    };
}

secret!(
    /// An OAuth 2.0 access token (60 days), sent as `Authorization: Bearer <token>`.
    AccessToken
);
secret!(
    /// An OAuth 2.0 refresh token (365 days; refreshing does not extend it).
    RefreshToken
);
secret!(
    /// The LinkedIn application's client secret.
    ClientSecret
);

/// The LinkedIn application's credentials, for OAuth refresh and introspection.
#[derive(Clone)]
pub struct ClientCredentials {
    /// The application's client id (not secret).
    pub client_id: String,
    /// The application's client secret.
    pub client_secret: ClientSecret,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        // GIVEN each kind of secret
        let access = AccessToken::new("AQX-access-secret");
        let refresh = RefreshToken::new("AQX-refresh-secret");
        let credentials = ClientCredentials {
            client_id: "86abc".into(),
            client_secret: ClientSecret::new("client-secret-value"),
        };
        // WHEN debug-printed
        let printed = format!("{access:?} {refresh:?} {credentials:?}");
        // THEN only kinds (and the public client id) appear
        assert!(!printed.contains("secret-value"), "{printed}");
        assert!(!printed.contains("AQX"), "{printed}");
        assert!(printed.contains("AccessToken(<redacted>)"), "{printed}");
        assert!(printed.contains("86abc"), "{printed}");
    }

    #[test]
    fn drops_whitespace_around_a_secret_read_from_a_file() {
        assert_eq!(AccessToken::new("  abc\n").expose(), "abc");
    }
}
