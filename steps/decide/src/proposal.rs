//! Turning a decision into an [`Action`]: the fields each kind needs (statuses for pause and
//! resume, amounts in cents for bids and budgets, the copy for a variation), the derived id,
//! and the number formats reasons use.

use std::collections::BTreeMap;

use ads::decision::{Action, ActionId, ActionKind};
use ads::{AccountId, AdCopy, CampaignId, CreativeId};
use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::account::Campaign;

/// Builds the actions of one decision run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Proposer {
    /// The ad account.
    pub account: AccountId,
    /// The day decided for.
    pub as_of: NaiveDate,
}

/// Evidence as the action carries it, from `(name, value)` pairs; non-finite values are
/// left out (JSON has no NaN).
pub(crate) fn evidence(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs
        .iter()
        .filter(|(_, value)| value.is_finite())
        .map(|(name, value)| ((*name).to_owned(), *value))
        .collect()
}

impl Proposer {
    fn action(
        &self,
        kind: ActionKind,
        campaign: CampaignId,
        creative: Option<CreativeId>,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Action {
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: self.account,
            campaign_id: campaign,
            creative_id: creative,
            as_of: self.as_of,
            from: None,
            to: None,
            currency: None,
            variation: None,
            reason,
            evidence,
            blocked: None,
        }
    }

    /// Pause an ACTIVE creative.
    pub fn pause(
        &self,
        campaign: CampaignId,
        creative: CreativeId,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Action {
        let change = (ActionKind::Pause, "ACTIVE", "PAUSED");
        self.status_change(change, campaign, creative, reason, evidence)
    }

    /// Resume a PAUSED creative.
    pub fn resume(
        &self,
        campaign: CampaignId,
        creative: CreativeId,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Action {
        let change = (ActionKind::Resume, "PAUSED", "ACTIVE");
        self.status_change(change, campaign, creative, reason, evidence)
    }

    /// A creative's status change `(kind, from, to)`, with its derived id.
    fn status_change(
        &self,
        (kind, from, to): (ActionKind, &str, &str),
        campaign: CampaignId,
        creative: CreativeId,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Action {
        let mut action = self.action(kind, campaign, Some(creative), reason, evidence);
        action.from = Some(from.to_owned());
        action.to = Some(to.to_owned());
        action.with_derived_id()
    }

    /// Set the campaign's bid to `to` (rounded to cents); `None` when its bid is unknown or
    /// would not change.
    pub fn set_bid(
        &self,
        campaign: &Campaign,
        to: Decimal,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Option<Action> {
        let from = campaign.unit_cost?;
        self.amount_change(ActionKind::SetBid, campaign, from, to, reason, evidence)
    }

    /// Set the campaign's daily budget to `to` (rounded to cents); `None` when its budget is
    /// unknown or would not change.
    pub fn set_budget(
        &self,
        campaign: &Campaign,
        to: Decimal,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Option<Action> {
        let from = campaign.daily_budget?;
        self.amount_change(ActionKind::SetBudget, campaign, from, to, reason, evidence)
    }

    fn amount_change(
        &self,
        kind: ActionKind,
        campaign: &Campaign,
        from: Decimal,
        to: Decimal,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Option<Action> {
        let (from, to) = (money(from), money(to));
        if from == to {
            return None;
        }
        let mut action = self.action(kind, campaign.id, None, reason, evidence);
        action.from = Some(from);
        action.to = Some(to);
        action.currency = campaign.currency.clone();
        Some(action.with_derived_id())
    }

    /// Create a variation of `creative` with the rewritten `copy`.
    pub fn variation(
        &self,
        campaign: CampaignId,
        creative: CreativeId,
        copy: AdCopy,
        reason: String,
        evidence: BTreeMap<String, f64>,
    ) -> Action {
        let mut action = self.action(
            ActionKind::CreateVariation,
            campaign,
            Some(creative),
            reason,
            evidence,
        );
        action.variation = Some(copy);
        action.with_derived_id()
    }
}

/// Rounds to cents, half away from zero.
pub(crate) fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount as actions write it: two decimals, e.g. `6.50`.
pub(crate) fn money(amount: Decimal) -> String {
    let mut rounded = cents(amount);
    rounded.rescale(2);
    rounded.to_string()
}

/// `amount` changed by `percent` (+10 = 10% more), rounded to cents.
pub(crate) fn by_percent(amount: Decimal, percent: f64) -> Decimal {
    let factor = Decimal::from_f64(percent / 100.0).unwrap_or(Decimal::ZERO);
    cents(amount * (Decimal::ONE + factor))
}

/// A rate as a percentage with two decimals: `0.42%`.
pub(crate) fn percent(rate: f64) -> String {
    format!("{:.2}%", rate * 100.0)
}

/// A probability as a whole percentage (`97%`), or `<1%` / `>99%` at the ends.
pub(crate) fn chance(p: f64) -> String {
    if p < 0.01 {
        "<1%".to_owned()
    } else if p > 0.99 {
        ">99%".to_owned()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_in_cents() {
        assert_eq!(money(Decimal::new(65, 1)), "6.50");
        assert_eq!(money("6.500000000000000000".parse().unwrap()), "6.50");
        assert_eq!(money(Decimal::new(1005, 3)), "1.01");
        assert_eq!(by_percent(Decimal::new(650, 2), 10.0), Decimal::new(715, 2));
        assert_eq!(
            by_percent(Decimal::new(650, 2), -10.0),
            Decimal::new(585, 2)
        );
    }

    #[test]
    fn rates_and_chances_read_as_people_write_them() {
        assert_eq!(percent(0.0042), "0.42%");
        assert_eq!(chance(0.004), "<1%");
        assert_eq!(chance(0.973), "97%");
        assert_eq!(chance(0.996), ">99%");
    }
}
