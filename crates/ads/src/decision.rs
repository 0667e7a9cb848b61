//! Decisions and actions: what decide proposes, what apply does, what the action log keeps.
//!
//! An [`Action`] is one change to one LinkedIn object (pause a creative, move a campaign's
//! bid, ...), with the reason in words and the numbers behind it. Its [`ActionId`] is derived
//! from what it changes — account, day, kind, target, from and to — so the same decision made
//! twice has the same id (apply never applies one id twice) and an edited action no longer
//! matches its id (apply refuses it as tampered).
//!
//! A [`Decisions`] file (`decisions/YYYY-MM-DD/<execution>.json`) holds one run's actions,
//! blocked ones included with the guardrail that blocked them. A [`LogEntry`] is one line of
//! `logs/optimizer_actions/YYYY-MM-DD.jsonl`: the action, what apply did with it, and the
//! state before and after.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{AccountId, AdCopy, CampaignId, CreativeId};

/// What an action changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionKind {
    /// Pause a creative (`from` ACTIVE, `to` PAUSED).
    Pause,
    /// Resume a paused creative (`from` PAUSED, `to` ACTIVE).
    Resume,
    /// Change a campaign's bid (`unitCost`); `from`/`to` are amounts in its currency.
    SetBid,
    /// Change a campaign's daily budget; `from`/`to` are amounts in its currency.
    SetBudget,
    /// Create a new creative in the winner's campaign from a rewritten copy of the winner
    /// (`variation`); `creativeId` is the winner.
    CreateVariation,
}

impl ActionKind {
    /// The name used in files and messages, e.g. `setBid`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
            ActionKind::SetBid => "setBid",
            ActionKind::SetBudget => "setBudget",
            ActionKind::CreateVariation => "createVariation",
        }
    }

    /// Whether the action targets a creative (else a campaign).
    pub fn targets_creative(&self) -> bool {
        matches!(
            self,
            ActionKind::Pause | ActionKind::Resume | ActionKind::CreateVariation
        )
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action's deterministic id: 16 hex digits of SHA-256 over its identity
/// (see [`Action::derive_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub String);

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One proposed change, with its reason and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// Deterministic id ([`Action::derive_id`]); apply refuses an action whose id does not
    /// match its content.
    pub id: ActionId,
    /// What it changes.
    pub kind: ActionKind,
    /// The ad account.
    pub account_id: AccountId,
    /// The campaign changed, or the campaign of the creative changed.
    pub campaign_id: CampaignId,
    /// The creative changed (pause, resume) or copied (create variation); `None` for
    /// campaign actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creative_id: Option<CreativeId>,
    /// The day decided for (the decision's `asOf`, UTC).
    pub as_of: NaiveDate,
    /// The value before: a status (`ACTIVE`) or an amount (`6.50`); `None` for a variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value after: a status (`PAUSED`) or an amount (`7.15`); `None` for a variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The currency of `from` and `to` amounts (ISO 4217), for bid and budget actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The new copy, for a variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variation: Option<AdCopy>,
    /// Why, in words a person can check ("CTR 0.31% [0.22–0.42] vs best 0.62%, ...").
    pub reason: String,
    /// The numbers behind the reason, by name (e.g. `probBest`, `expectedLoss`, `clicks`).
    #[serde(default)]
    pub evidence: BTreeMap<String, f64>,
    /// Set when a guardrail stopped the action: which and why. A blocked action is kept in
    /// the decisions file and never applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
}

/// A guardrail's refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocked {
    /// The guardrail's name, as in the policy file (e.g. `cooldownDays`).
    pub guardrail: String,
    /// Why, in words.
    pub reason: String,
}

impl Action {
    /// The id this action's content gives: SHA-256 over account, day, kind, campaign,
    /// creative, from, to and the variation's copy, first 16 hex digits. Reason, evidence and
    /// `blocked` are not part of it (re-deciding with new evidence is the same action).
    pub fn derive_id(&self) -> ActionId {
        let mut hash = Sha256::new();
        let copy = self
            .variation
            .as_ref()
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .unwrap_or_default();
        let creative = self
            .creative_id
            .map(|c| c.0.to_string())
            .unwrap_or_default();
        for part in [
            self.account_id.0.to_string().as_str(),
            &self.as_of.to_string(),
            self.kind.as_str(),
            &self.campaign_id.0.to_string(),
            &creative,
            self.from.as_deref().unwrap_or_default(),
            self.to.as_deref().unwrap_or_default(),
            &copy,
        ] {
            hash.update(part.as_bytes());
            hash.update([0x1f]);
        }
        let digest = hash.finalize();
        ActionId(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Sets `id` from the content; call after the last change to the identity fields.
    pub fn with_derived_id(mut self) -> Action {
        self.id = self.derive_id();
        self
    }

    /// Whether `id` matches the content (an edited action does not).
    pub fn id_matches(&self) -> bool {
        self.id == self.derive_id()
    }

    /// The target in words: `creative 880000001` or `campaign 700000001`.
    pub fn target(&self) -> String {
        match self.creative_id {
            Some(creative) if self.kind.targets_creative() => format!("creative {}", creative.0),
            _ => format!("campaign {}", self.campaign_id.0),
        }
    }
}

/// One decide run's output: `decisions/YYYY-MM-DD/<execution>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decisions {
    /// The ad account.
    pub account_id: AccountId,
    /// The day decided for (UTC).
    pub as_of: NaiveDate,
    /// The execution (state machine run) that decided, part of the key.
    pub execution: String,
    /// The policy's mode (`bayes` or `rules`).
    pub mode: String,
    /// When decide ran.
    pub decided_at: DateTime<Utc>,
    /// Every action, proposed and blocked, in a stable order.
    pub actions: Vec<Action>,
    /// Notes for the report: fallbacks taken, data left out (e.g. days excluded for lag).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Decisions {
    /// The store key: `decisions/YYYY-MM-DD/<execution>.json`.
    pub fn key(as_of: NaiveDate, execution: &str) -> String {
        format!("decisions/{as_of}/{execution}.json")
    }
}

/// What apply did with an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Changed on LinkedIn.
    Applied,
    /// Dry run: recorded what would change; nothing changed.
    DryRun,
    /// Nothing to do: already in the target state, or this id was applied before.
    Skipped,
    /// Not approved (approve mode), blocked by a guardrail, or refused as invalid.
    Refused,
    /// LinkedIn or the store failed; the error says which.
    Failed,
}

impl Outcome {
    /// The name used in files and messages.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::DryRun => "dryRun",
            Outcome::Skipped => "skipped",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

/// One line of `logs/optimizer_actions/YYYY-MM-DD.jsonl` (the day apply ran, UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// The action as applied (for an undo, the reversing action).
    pub action: Action,
    /// What happened.
    pub outcome: Outcome,
    /// apply's mode: `dry-run`, `approve`, `auto`, or `undo`.
    pub mode: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The target's state read from LinkedIn before (status or amount), when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The state after (the new creative's id for a variation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Why it was skipped, refused or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The error's stable name, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For an undo: the id of the action it reverses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<ActionId>,
}

impl LogEntry {
    /// The action log's key for `day`: `logs/optimizer_actions/YYYY-MM-DD.jsonl`.
    pub fn key(day: NaiveDate) -> String {
        format!("{}{day}.jsonl", Self::PREFIX)
    }

    /// The prefix of every action-log key.
    pub const PREFIX: &'static str = "logs/optimizer_actions/";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pause() -> Action {
        Action {
            id: ActionId(String::new()),
            kind: ActionKind::Pause,
            account_id: AccountId(500000001),
            campaign_id: CampaignId(700000001),
            creative_id: Some(CreativeId(880000002)),
            as_of: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            from: Some("ACTIVE".into()),
            to: Some("PAUSED".into()),
            currency: None,
            variation: None,
            reason: "worse".into(),
            evidence: BTreeMap::new(),
            blocked: None,
        }
        .with_derived_id()
    }

    #[test]
    fn the_same_change_has_the_same_id_whatever_the_reason() {
        // GIVEN one pause decided twice with different evidence
        let first = pause();
        let mut second = pause();
        second.reason = "still worse".into();
        second.evidence.insert("clicks".into(), 40.0);
        // THEN the ids are equal, 16 hex digits
        assert_eq!(first.id, second.derive_id());
        assert_eq!(first.id.0.len(), 16);
        assert!(first.id.0.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn an_edited_target_or_value_no_longer_matches_its_id() {
        // GIVEN a valid action, and copies edited in the target and in the value
        let valid = pause();
        let mut other_creative = valid.clone();
        other_creative.creative_id = Some(CreativeId(880000003));
        let mut other_value = valid.clone();
        other_value.to = Some("ARCHIVED".into());
        // THEN only the original matches
        assert!(valid.id_matches());
        assert!(!other_creative.id_matches());
        assert!(!other_value.id_matches());
    }

    #[test]
    fn keys_follow_the_store_layout() {
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(
            Decisions::key(day, "exec-1"),
            "decisions/2026-09-01/exec-1.json"
        );
        assert_eq!(
            LogEntry::key(day),
            "logs/optimizer_actions/2026-09-01.jsonl"
        );
    }

    #[test]
    fn actions_serialize_in_camel_case_without_empty_fields() {
        let json = serde_json::to_value(pause()).unwrap();
        assert_eq!(json["kind"], "pause");
        assert_eq!(json["creativeId"], 880000002);
        assert!(json.get("variation").is_none());
        assert!(json.get("blocked").is_none());
    }
}
