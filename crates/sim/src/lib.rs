//! # sim — a LinkedIn Marketing API simulator
//!
//! A real HTTP server on loopback that answers LinkedIn's routes as LinkedIn does — same
//! paths, Rest.li 2.0 syntax, headers, error bodies, paging, limits and OAuth — backed by a
//! seeded market model and a virtual clock. A client that follows
//! `shared/reference/linkedin-api.md` cannot tell it from LinkedIn; a test or benchmark can
//! additionally drive the clock, inject faults and read the ground truth through `/_sim`.
//! Same scenario, same requests → same numbers.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sim::SimError> {
//! let sim = sim::spawn(sim::Scenario::default()).await?;
//! let admin = sim.admin();
//! admin.advance(14).await?;                 // deliver two weeks
//! let creds = admin.credentials().await?;   // the seeded token pair
//! // point a LinkedIn client at sim.api_url() / sim.oauth_url() with creds.access_token
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! ## Modules, in reading order
//! - [`scenario`] — what a world is built from: seed, size, calibration knobs.
//! - [`randomness`] — seeded streams per (seed, purpose, entity, day), so numbers never
//!   depend on request order.
//! - [`market`] — audiences from targeting, bid/budget pricing, the second-price auction.
//! - [`copy`] — ad copy, its features, and the log-linear CTR model over them.
//! - [`delivery`] — one campaign's day: supply, pacing, budget caps, rotation, clicks,
//!   conversions with reporting delays, fatigue, engagement.
//! - [`world`] — the entities and their state; advancing the clock.
//! - [`clock`] — the virtual clock.
//! - [`metrics`] — the 45 analytics metrics and how each derives from delivered days.
//! - [`restli`] — the simulator's own Rest.li 2.0 reader.
//! - [`errors`] — LinkedIn's error bodies; the crate's [`SimError`].
//! - [`auth`], [`versions`] — tokens, OAuth endpoints, `LinkedIn-Version` activity.
//! - [`quota`], [`faults`], [`paging`] — rate limits, injected failures, cursor tokens.
//! - [`routes`] — one module per LinkedIn resource.
//! - [`state`] — the state behind one lock and the checks every `/rest` call passes.
//! - [`admin`], [`admin_types`], [`admin_client`] — the `/_sim` API, its plain serde types
//!   and a typed reqwest client.
//! - [`server`] — [`spawn`] and [`serve`].
//!
//! ## What it deliberately does not do
//! - No persistence: a world lives in memory; replay it from its scenario.
//! - No campaign or campaign-group creation, no account or campaign-group routes, no
//!   images, videos, carousels, documents, message ads or conversions API: only what the
//!   collector and the optimizer use. Metrics that exist only for those formats are 0.
//! - One currency (USD) and one member with every role on every account; no per-member quota.
//! - The ad auction is a calibrated model, not a replay of LinkedIn's; figures are typical
//!   ranges from `shared/reference/ad-performance.md`, not LinkedIn's constants.
//! - Error texts LinkedIn does not publish are plausible, not verbatim; the comments say which.

pub mod admin;
pub mod admin_client;
pub mod admin_types;
pub mod auth;
pub mod clock;
pub mod copy;
pub mod delivery;
pub mod errors;
pub mod faults;
pub mod market;
pub mod metrics;
pub mod paging;
pub mod quota;
pub mod randomness;
pub mod restli;
pub mod routes;
pub mod scenario;
pub mod server;
pub mod state;
pub mod versions;
pub mod world;

pub use admin_client::AdminClient;
pub use admin_types::{
    AdvanceRequest, Clock, CopyFeatures, CreativeTruth, Credentials, DeliveryTruth, Faults, Limits,
    Stats,
};
pub use errors::SimError;
pub use scenario::{Calibration, Scenario};
pub use server::{RunningSim, serve, spawn};
