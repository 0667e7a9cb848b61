//! The [`ads::Notifier`] port over a Slack-compatible incoming webhook.
//!
//! The report step sends each notice here when the LinkedIn credentials secret holds a
//! `notifyWebhookUrl`. Slack, Mattermost, Rocket.Chat and Microsoft Teams' Slack-compatible
//! connectors all take the same request: a JSON `POST` of `{"text": "..."}`.
//!
//! Reading order: [`webhook`] ([`WebhookNotifier`]) is the whole crate.
//!
//! The URL is a secret — an incoming webhook's URL embeds the token that lets anyone post to
//! the channel — so it lives in the secret store, is held as a [`secrecy::SecretString`],
//! and never appears in an error, a log line or a `Debug` print.
//!
//! Deliberately not here: retries (the state machine's `Retry` owns them), Slack's Block Kit
//! (a notice is Markdown text), and any other chat API.

pub mod webhook;

pub use webhook::WebhookNotifier;
