//! The LinkedIn client against the LinkedIn simulator, over HTTP on loopback.
//!
//! One module per feature: the entity endpoints, analytics, OAuth, failures, and the
//! simulator refusing what LinkedIn refuses (requests sent by hand, not by the client).

mod analytics;
mod entities;
mod failures;
mod fidelity;
mod oauth;
