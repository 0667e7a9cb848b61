//! The client: one token, one configuration, one connection pool, cheap to clone.
//!
//! The endpoint methods live beside their wire types (`analytics.rs`, `campaigns.rs`, ...);
//! this module holds what they share.

use std::fmt;
use std::sync::Arc;

use crate::config::Config;
use crate::token::AccessToken;
use crate::transport::Transport;

/// A typed LinkedIn Marketing API client for one access token.
///
/// Clones share the connection pool and the request counter. `Debug` shows the
/// configuration, never the token.
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl Client {
    /// A client calling `config.api_url` with `token`. Sends nothing until a method is called.
    ///
    /// # Panics
    /// If the TLS backend cannot initialise (as `reqwest::Client::new` does).
    pub fn new(config: Config, token: AccessToken) -> Client {
        Client {
            transport: Arc::new(Transport::new(config, Some(token))),
        }
    }

    /// The same configuration, pool and request counter with another token (e.g. after a
    /// refresh).
    pub fn with_token(&self, token: AccessToken) -> Client {
        Client {
            transport: Arc::new(self.transport.with_token(token)),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        self.transport.config()
    }

    /// HTTP requests sent by this client and its clones so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.transport.requests_sent()
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.transport)
            .finish()
    }
}

/// One entity read from LinkedIn, with the body it came from (to store before deriving).
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    /// The entity, mapped into the domain types.
    pub value: T,
    /// The response body exactly as received.
    pub raw: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_client_shows_config_but_not_the_token() {
        // GIVEN a client with a token
        let client = Client::new(Config::default(), AccessToken::new("AQV-super-secret"));
        // WHEN debug-printed, also after swapping the token
        let printed = format!(
            "{client:?} {:?}",
            client.with_token(AccessToken::new("AQV-other"))
        );
        // THEN the configuration shows and no token does
        assert!(printed.contains("api.linkedin.com"), "{printed}");
        assert!(!printed.contains("AQV"), "{printed}");
        assert_eq!(client.requests_sent(), 0);
    }
}
