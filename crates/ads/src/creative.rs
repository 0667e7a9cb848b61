//! Creatives (ads) and the ad copy that LinkedIn keeps in the post they reference.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AccountId, CampaignId, CreativeId, PostUrn};

/// One ad in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Creative {
    /// The creative's id.
    pub id: CreativeId,
    /// The campaign it runs in.
    pub campaign: CampaignId,
    /// The ad account it belongs to.
    pub account: AccountId,
    /// The name shown in Campaign Manager, if it has one.
    pub name: Option<String>,
    /// The status its owner asked for; LinkedIn may still hold it from serving.
    pub intended_status: CreativeStatus,
    /// Whether LinkedIn is serving it right now.
    pub is_serving: Option<bool>,
    /// Review state, e.g. `APPROVED` or `PENDING`; a creative under review cannot be paused.
    pub review_status: Option<String>,
    /// The post that carries its copy (`content.reference`).
    pub content_reference: Option<PostUrn>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub last_modified_at: Option<DateTime<Utc>>,
}

/// A creative's intended status, as LinkedIn names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreativeStatus {
    /// Meant to serve.
    Active,
    /// Stopped by its owner; can be resumed.
    Paused,
    /// Not yet launched.
    Draft,
    /// Archived.
    Archived,
    /// Canceled.
    Canceled,
    /// Being deleted.
    PendingDeletion,
}

impl CreativeStatus {
    /// LinkedIn's name for the status, e.g. `PAUSED`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CreativeStatus::Active => "ACTIVE",
            CreativeStatus::Paused => "PAUSED",
            CreativeStatus::Draft => "DRAFT",
            CreativeStatus::Archived => "ARCHIVED",
            CreativeStatus::Canceled => "CANCELED",
            CreativeStatus::PendingDeletion => "PENDING_DELETION",
        }
    }
}

/// The words of an ad, read from the post a creative references.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdCopy {
    /// The post's intro text (`commentary`).
    pub commentary: Option<String>,
    /// The headline (`content.article.title`).
    pub headline: Option<String>,
    /// The description under the headline (`content.article.description`).
    pub description: Option<String>,
    /// The landing page (`content.article.source`).
    pub landing_page: Option<String>,
    /// The call to action label, when the post has one.
    pub call_to_action: Option<String>,
}
