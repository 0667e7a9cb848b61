//! No secret reaches a log line: every event of a full fetch-token and collect run, at
//! TRACE level and from every crate (client, HTTP stack, simulator), is captured and searched.
//!
//! The capture is the process's global subscriber, not a thread-local one: tracing caches
//! per call site whether anyone listens, and tests running on other threads without a
//! subscriber would otherwise switch this test's call sites off. Installing the global
//! subscriber rebuilds that cache, and from then on every test's events are searched too.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::*;
use ads::SecretStore;
use linkedin::StoredCredentials;
use secrecy::ExposeSecret;

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_or_client_secret_appears_in_any_log_line() {
    // GIVEN every event at every level captured
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
    let (h, ws) = world(91, 5).await;
    // WHEN fetch-token refreshes the token and collect runs with it
    let settings = fetch_token::Settings::new(end_to_end::config(&h.sim));
    let input = fetch_token::Input {
        refresh_margin_days: Some(59),
    };
    let output = fetch_token::run(input, &settings, &ws.secrets, h.now().await)
        .await
        .unwrap();
    assert!(output.refreshed);
    collect(&h, &ws, 3).await.unwrap();
    // THEN the logs say what happened, but hold none of the secrets
    let stored = StoredCredentials::parse(&ws.secrets.get("linkedin").await.unwrap()).unwrap();
    let secrets = [
        h.credentials.access_token.clone(),
        h.credentials.refresh_token.clone(),
        h.credentials.client_secret.clone(),
        stored.access_token.expose().to_owned(),
    ];
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for event in [
        "refreshing the LinkedIn access token",
        "LinkedIn request",
        "collected",
    ] {
        assert!(
            logs.contains(event),
            "the run was logged: no '{event}' in\n{logs}"
        );
    }
    for secret in secrets {
        assert!(!logs.contains(&secret), "a secret leaked into the logs");
    }
    let output_json = serde_json::to_string(&output).unwrap();
    assert!(!output_json.contains(stored.access_token.expose()));
    // The secret itself was rewritten with the new token (and only the secret holds it).
    let raw = ws.secrets.get("linkedin").await.unwrap();
    assert!(raw.expose_secret().contains(stored.access_token.expose()));
}
