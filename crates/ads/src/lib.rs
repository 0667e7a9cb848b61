//! The vocabulary of the optimizer and the ports it talks through.
//!
//! Every step and adapter speaks in these types; this crate depends on no adapter, no SDK
//! and no HTTP client, so a step that only sees `ads` cannot know where it runs.
//!
//! Reading order:
//! - [`ids`]: LinkedIn's numeric ids and their URN forms (`urn:li:sponsoredCreative:123`).
//! - [`money`]: money as an exact decimal with its currency, the way LinkedIn sends it.
//! - [`campaign`] and [`creative`]: the entities the optimizer reads and changes, and the ad
//!   copy behind a creative.
//! - [`metrics`]: one creative's performance on one day, with absent metrics kept absent.
//! - [`ports`]: the traits the steps use for storage, secrets, queries, metrics and
//!   notifications. Adapters for AWS and for one machine implement them elsewhere.
//! - [`error_names`]: the stable error names that cross a step boundary and that the state
//!   machines match on.
//!
//! Deliberately absent: anything about HTTP, LinkedIn's wire format or AWS. The LinkedIn
//! client maps the wire format into these types; adapters map ports onto services.

pub mod campaign;
pub mod creative;
pub mod decision;
pub mod error_names;
pub mod ids;
pub mod metrics;
pub mod money;
pub mod ports;

pub use campaign::{Campaign, CampaignStatus, CostType};
pub use creative::{AdCopy, Creative, CreativeStatus};
pub use ids::{AccountId, CampaignGroupId, CampaignId, CreativeId, IdError, PostUrn};
pub use metrics::{CreativeDay, CreativeDayKey, MetricError};
pub use money::Money;
pub use ports::{
    MetricDatum, Metrics, Notice, Notifier, ObjectStore, PortError, QueryEngine, QueryRequest,
    QueryState, SecretStore, Unit,
};
