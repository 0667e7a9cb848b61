//! Campaigns: what the optimizer reads (bid, budget, status) and moves.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AccountId, CampaignGroupId, CampaignId, Money};

/// A campaign (the UI's "ad set" since late 2025): where bid, budget and targeting live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    /// The campaign's id.
    pub id: CampaignId,
    /// The ad account it belongs to.
    pub account: AccountId,
    /// The campaign group it belongs to, when LinkedIn says.
    pub campaign_group: Option<CampaignGroupId>,
    /// The name shown in Campaign Manager.
    pub name: String,
    /// Whether it delivers.
    pub status: CampaignStatus,
    /// What a bid is paid for.
    pub cost_type: CostType,
    /// LinkedIn's objective, e.g. `WEBSITE_CONVERSION` or `LEAD_GENERATION`.
    pub objective_type: Option<String>,
    /// The bid (`unitCost`): per click for CPC, per thousand impressions for CPM.
    pub unit_cost: Option<Money>,
    /// The daily budget; LinkedIn may spend up to 150% of it on one day.
    pub daily_budget: Option<Money>,
    /// The lifetime budget, if any.
    pub total_budget: Option<Money>,
    /// LinkedIn's targeting criteria, kept as sent: bid limits are asked for by targeting.
    pub targeting_criteria: Option<serde_json::Value>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub last_modified_at: Option<DateTime<Utc>>,
}

/// A campaign's status, as LinkedIn names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CampaignStatus {
    /// Delivering (or eligible to).
    Active,
    /// Stopped by its owner; can be resumed.
    Paused,
    /// Archived; cannot be resumed.
    Archived,
    /// Ran to its end date or total budget.
    Completed,
    /// Canceled; cannot be resumed.
    Canceled,
    /// Not yet launched.
    Draft,
    /// Being deleted.
    PendingDeletion,
    /// Removed.
    Removed,
}

impl CampaignStatus {
    /// Every status, in LinkedIn's documented order.
    pub const ALL: [CampaignStatus; 8] = [
        CampaignStatus::Active,
        CampaignStatus::Paused,
        CampaignStatus::Archived,
        CampaignStatus::Completed,
        CampaignStatus::Canceled,
        CampaignStatus::Draft,
        CampaignStatus::PendingDeletion,
        CampaignStatus::Removed,
    ];

    /// LinkedIn's name for the status, e.g. `ACTIVE`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CampaignStatus::Active => "ACTIVE",
            CampaignStatus::Paused => "PAUSED",
            CampaignStatus::Archived => "ARCHIVED",
            CampaignStatus::Completed => "COMPLETED",
            CampaignStatus::Canceled => "CANCELED",
            CampaignStatus::Draft => "DRAFT",
            CampaignStatus::PendingDeletion => "PENDING_DELETION",
            CampaignStatus::Removed => "REMOVED",
        }
    }
}

/// What a campaign's bid pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CostType {
    /// Cost per click.
    Cpc,
    /// Cost per thousand impressions.
    Cpm,
    /// Cost per video view.
    Cpv,
}

impl CostType {
    /// LinkedIn's name for the cost type, e.g. `CPC`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CostType::Cpc => "CPC",
            CostType::Cpm => "CPM",
            CostType::Cpv => "CPV",
        }
    }
}
