//! What LinkedIn says now about the objects a batch of actions touches, and whether each
//! action still fits it.
//!
//! An action was decided from a value (`from`) to a value (`to`). If LinkedIn already shows
//! `to`, there is nothing to do (skipped); if it shows neither, someone changed the target
//! since decide, and applying would overwrite their change with a decision made on stale
//! numbers (refused: decide again).

use std::collections::{BTreeMap, BTreeSet};

use ads::decision::{Action, ActionKind, LogEntry};
use ads::{
    AccountId, AdCopy, Campaign, CampaignId, CampaignStatus, Creative, CreativeId, CreativeStatus,
    Money, PostUrn,
};
use linkedin::{BidPricing, BidPricingQuery, Client};
use policy::{AccountState, CampaignState};
use rust_decimal::Decimal;

/// LinkedIn's state of one account's campaigns, the creatives of the campaigns a batch
/// touches, and the pricing of the campaigns whose bid or budget it moves.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    account: AccountId,
    campaigns: BTreeMap<CampaignId, Campaign>,
    creatives: BTreeMap<CreativeId, Creative>,
    /// Absent for a campaign without targeting (LinkedIn cannot price it).
    pricing: BTreeMap<CampaignId, Result<BidPricing, linkedin::Error>>,
}

/// Whether an action still fits LinkedIn's state.
#[derive(Debug)]
pub(crate) enum Check {
    /// Go ahead with `change`; `before` is LinkedIn's value now.
    Ready {
        /// The value now (status or amount); none for a variation.
        before: Option<String>,
        /// What to send.
        change: Change,
    },
    /// Already in the wanted state: nothing to do.
    Done {
        /// The value now.
        before: Option<String>,
        /// What was found.
        detail: String,
    },
    /// The target is gone or moved since decide, or the action cannot be made.
    Refused {
        /// The value now, when there is one.
        before: Option<String>,
        /// Why, and the fix.
        detail: String,
    },
    /// LinkedIn could not tell the limits the guardrails need (the pricing read failed).
    Failed(linkedin::Error),
}

/// The change to send, with everything LinkedIn needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// A creative's new `intendedStatus`.
    Status(CreativeId, CreativeStatus),
    /// A campaign's new bid, in its currency.
    Bid(Money),
    /// A campaign's new daily budget, in its currency.
    Budget(Money),
    /// A new creative from `copy`, its post authored like the winner's post.
    Variation {
        /// The winner's post, whose author the new post takes.
        winner_post: PostUrn,
        /// The new copy.
        copy: AdCopy,
    },
}

impl Current {
    /// Reads `account`'s campaigns (any status), the creatives of the `touched` campaigns,
    /// and the pricing of the `priced` ones. A failed pricing read is kept (it fails those
    /// campaigns' bid and budget actions only); any other failed read fails the whole.
    pub async fn read(
        client: &Client,
        account: AccountId,
        touched: &BTreeSet<CampaignId>,
        priced: &BTreeSet<CampaignId>,
    ) -> Result<Current, linkedin::Error> {
        let campaigns: BTreeMap<_, _> = client
            .search_campaigns(account, &[])
            .await?
            .items
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let creatives = if touched.is_empty() {
            BTreeMap::new()
        } else {
            let touched: Vec<CampaignId> = touched.iter().copied().collect();
            client
                .search_creatives(account, &touched)
                .await?
                .items
                .into_iter()
                .map(|c| (c.id, c))
                .collect()
        };
        let mut pricing = BTreeMap::new();
        for &id in priced {
            if let Some(query) = campaigns.get(&id).and_then(BidPricingQuery::for_campaign) {
                pricing.insert(id, client.bid_pricing(&query).await.map(|f| f.value));
            }
        }
        Ok(Current {
            account,
            campaigns,
            creatives,
            pricing,
        })
    }

    /// What the guardrails know: every campaign with its bid, its daily budget when it is
    /// ACTIVE (a paused campaign spends nothing toward the month), LinkedIn's limits, and
    /// its creatives whose intended status is ACTIVE.
    pub fn account_state(&self, month_spend: Decimal, log: Vec<LogEntry>) -> AccountState {
        let amount = |money: Option<&Money>| money.map(|m| m.amount);
        let campaigns = self
            .campaigns
            .iter()
            .map(|(id, campaign)| {
                let pricing = self.pricing.get(id).and_then(|p| p.as_ref().ok());
                let state = CampaignState {
                    unit_cost: amount(campaign.unit_cost.as_ref()),
                    daily_budget: amount(campaign.daily_budget.as_ref())
                        .filter(|_| campaign.status == CampaignStatus::Active),
                    min_bid: pricing.and_then(|p| amount(p.bid_limits.min.as_ref())),
                    max_bid: pricing.and_then(|p| amount(p.bid_limits.max.as_ref())),
                    min_daily_budget: pricing
                        .and_then(|p| amount(p.daily_budget_limits.min.as_ref())),
                    active_creatives: self
                        .creatives
                        .values()
                        .filter(|c| {
                            c.campaign == *id && c.intended_status == CreativeStatus::Active
                        })
                        .map(|c| c.id)
                        .collect(),
                };
                (*id, state)
            })
            .collect();
        AccountState {
            campaigns,
            month_spend,
            log,
        }
    }

    /// A creative of `campaign` showing `post`, if there is one.
    pub fn creative_showing(&self, campaign: CampaignId, post: &PostUrn) -> Option<CreativeId> {
        self.creatives
            .values()
            .find(|c| c.campaign == campaign && c.content_reference.as_ref() == Some(post))
            .map(|c| c.id)
    }

    /// Whether `action` still fits LinkedIn's state.
    pub fn check(&self, action: &Action) -> Check {
        match action.kind {
            ActionKind::Pause => self.check_status(action, CreativeStatus::Paused),
            ActionKind::Resume => self.check_status(action, CreativeStatus::Active),
            ActionKind::SetBid => self.check_amount(action, "bid", |c| c.unit_cost.as_ref()),
            ActionKind::SetBudget => {
                self.check_amount(action, "daily budget", |c| c.daily_budget.as_ref())
            }
            ActionKind::CreateVariation => self.check_variation(action),
        }
    }

    /// Takes `action` as made: later checks of the same target see its new value.
    pub fn record(&mut self, action: &Action) {
        let to: Option<Decimal> = action.to.as_deref().and_then(|t| t.parse().ok());
        let campaign = self.campaigns.get_mut(&action.campaign_id);
        match action.kind {
            ActionKind::Pause | ActionKind::Resume => {
                let status = match action.kind {
                    ActionKind::Pause => CreativeStatus::Paused,
                    _ => CreativeStatus::Active,
                };
                if let Some(creative) = action.creative_id.and_then(|c| self.creatives.get_mut(&c))
                {
                    creative.intended_status = status;
                }
            }
            ActionKind::SetBid => {
                if let (Some(money), Some(to)) = (campaign.and_then(|c| c.unit_cost.as_mut()), to) {
                    money.amount = to;
                }
            }
            ActionKind::SetBudget => {
                if let (Some(money), Some(to)) =
                    (campaign.and_then(|c| c.daily_budget.as_mut()), to)
                {
                    money.amount = to;
                }
            }
            ActionKind::CreateVariation => {}
        }
    }

    /// The action's creative, in the action's campaign.
    fn creative_of(&self, action: &Action) -> Result<&Creative, String> {
        let id = action
            .creative_id
            .ok_or_else(|| format!("a {} needs a creativeId", action.kind))?;
        self.creatives
            .get(&id)
            .filter(|c| c.campaign == action.campaign_id)
            .ok_or_else(|| {
                format!(
                    "LinkedIn has no creative {id} in campaign {} of account {} (deleted or \
                     moved?); decide again",
                    action.campaign_id, self.account
                )
            })
    }

    fn check_status(&self, action: &Action, wanted: CreativeStatus) -> Check {
        let creative = match self.creative_of(action) {
            Ok(creative) => creative,
            Err(detail) => return refused(None, detail),
        };
        let now = creative.intended_status.as_str();
        let before = Some(now.to_owned());
        if action.to.as_deref() != Some(wanted.as_str()) {
            return refused(
                before,
                format!(
                    "a {} goes to {} (its `to` is {:?}); decide again",
                    action.kind,
                    wanted.as_str(),
                    action.to
                ),
            );
        }
        if creative.intended_status == wanted {
            return Check::Done {
                before,
                detail: format!("creative {} is already {now}", creative.id),
            };
        }
        if action.from.as_deref() != Some(now) {
            return refused(
                before,
                format!(
                    "creative {} is now {now}, decided from {}; decide again",
                    creative.id,
                    action.from.as_deref().unwrap_or("nothing")
                ),
            );
        }
        Check::Ready {
            before,
            change: Change::Status(creative.id, wanted),
        }
    }

    fn check_amount(
        &self,
        action: &Action,
        what: &str,
        field: fn(&Campaign) -> Option<&Money>,
    ) -> Check {
        let id = action.campaign_id;
        let Some(campaign) = self.campaigns.get(&id) else {
            return refused(
                None,
                format!(
                    "LinkedIn has no campaign {id} in account {}; decide again",
                    self.account
                ),
            );
        };
        let Some(money) = field(campaign) else {
            return refused(None, format!("campaign {id} has no {what} to change"));
        };
        let before = Some(money.amount.to_string());
        let (from, to) = match (amount(action, "from"), amount(action, "to")) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(detail), _) | (_, Err(detail)) => return refused(before, detail),
        };
        if let Some(currency) = &action.currency
            && currency != &money.currency_code
        {
            return refused(
                before,
                format!(
                    "campaign {id}'s {what} is in {}, decided in {currency}; decide again",
                    money.currency_code
                ),
            );
        }
        if money.amount == to {
            return Check::Done {
                before,
                detail: format!("campaign {id}'s {what} is already {}", money.amount),
            };
        }
        if money.amount != from {
            return refused(
                before,
                format!(
                    "campaign {id}'s {what} is now {}, decided from {from}; decide again",
                    money.amount
                ),
            );
        }
        if let Some(Err(error)) = self.pricing.get(&id) {
            return Check::Failed(error.clone());
        }
        let new = Money {
            amount: to,
            currency_code: money.currency_code.clone(),
        };
        let change = match action.kind {
            ActionKind::SetBudget => Change::Budget(new),
            _ => Change::Bid(new),
        };
        Check::Ready { before, change }
    }

    fn check_variation(&self, action: &Action) -> Check {
        let winner = match self.creative_of(action) {
            Ok(creative) => creative,
            Err(detail) => return refused(None, detail),
        };
        let Some(copy) = action.variation.clone() else {
            return refused(
                None,
                "a createVariation needs the new copy (`variation`); decide again".to_owned(),
            );
        };
        let Some(winner_post) = winner.content_reference.clone() else {
            return refused(
                None,
                format!(
                    "creative {} shows no post, so there is no author for the new post",
                    winner.id
                ),
            );
        };
        Check::Ready {
            before: None,
            change: Change::Variation { winner_post, copy },
        }
    }
}

fn refused(before: Option<String>, detail: String) -> Check {
    Check::Refused { before, detail }
}

/// The action's `field` (`from` or `to`) as an amount.
fn amount(action: &Action, field: &str) -> Result<Decimal, String> {
    let value = match field {
        "from" => &action.from,
        _ => &action.to,
    };
    value
        .as_deref()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            format!(
                "a {} needs `{field}` as an amount such as \"6.50\" (got {value:?})",
                action.kind
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::decision::ActionId;
    use ads::{CostType, Money};
    use chrono::NaiveDate;

    const CAMPAIGN: CampaignId = CampaignId(7);

    fn usd(amount: &str) -> Money {
        Money::usd(amount.parse().unwrap())
    }

    fn current(creative_status: CreativeStatus, bid: &str) -> Current {
        let campaign = Campaign {
            id: CAMPAIGN,
            account: AccountId(5),
            campaign_group: None,
            name: "c".into(),
            status: CampaignStatus::Active,
            cost_type: CostType::Cpc,
            objective_type: None,
            unit_cost: Some(usd(bid)),
            daily_budget: Some(usd("100")),
            total_budget: None,
            targeting_criteria: None,
            created_at: None,
            last_modified_at: None,
        };
        let creative = |id: u64, status| Creative {
            id: CreativeId(id),
            campaign: CAMPAIGN,
            account: AccountId(5),
            name: None,
            intended_status: status,
            is_serving: None,
            review_status: None,
            content_reference: Some("urn:li:share:1".parse().unwrap()),
            created_at: None,
            last_modified_at: None,
        };
        Current {
            account: AccountId(5),
            campaigns: BTreeMap::from([(CAMPAIGN, campaign)]),
            creatives: BTreeMap::from([
                (CreativeId(1), creative(1, creative_status)),
                (CreativeId(2), creative(2, CreativeStatus::Active)),
            ]),
            pricing: BTreeMap::new(),
        }
    }

    fn action(kind: ActionKind, creative: Option<u64>, from: &str, to: &str) -> Action {
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: AccountId(5),
            campaign_id: CAMPAIGN,
            creative_id: creative.map(CreativeId),
            as_of: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            from: Some(from.into()),
            to: Some(to.into()),
            currency: Some("USD".into()),
            variation: None,
            reason: "test".into(),
            evidence: Default::default(),
            blocked: None,
        }
        .with_derived_id()
    }

    fn detail(check: Check) -> String {
        match check {
            Check::Done { detail, .. } | Check::Refused { detail, .. } => detail,
            other => panic!("expected a detail, got {other:?}"),
        }
    }

    #[test]
    fn a_pause_of_an_active_creative_is_ready_and_of_a_paused_one_is_done() {
        let pause = action(ActionKind::Pause, Some(1), "ACTIVE", "PAUSED");
        let ready = current(CreativeStatus::Active, "6.50").check(&pause);
        assert!(matches!(
            ready,
            Check::Ready { change: Change::Status(CreativeId(1), CreativeStatus::Paused), ref before }
                if before.as_deref() == Some("ACTIVE")
        ));
        let done = current(CreativeStatus::Paused, "6.50").check(&pause);
        assert!(matches!(done, Check::Done { .. }));
        assert_eq!(detail(done), "creative 1 is already PAUSED");
    }

    #[test]
    fn a_bid_moved_since_decide_is_refused_and_one_already_set_is_done() {
        // GIVEN a bid decided 6.50 → 7.15
        let bid = action(ActionKind::SetBid, None, "6.50", "7.15");
        // WHEN LinkedIn shows 7.00, then 7.15, then 6.5 (the same amount, written shorter)
        let moved = current(CreativeStatus::Active, "7.00").check(&bid);
        let done = current(CreativeStatus::Active, "7.15").check(&bid);
        let ready = current(CreativeStatus::Active, "6.5").check(&bid);
        // THEN refused naming both values, skipped, and ready with the campaign's currency
        assert_eq!(
            detail(moved),
            "campaign 7's bid is now 7.00, decided from 6.50; decide again"
        );
        assert!(matches!(done, Check::Done { .. }));
        assert!(matches!(
            ready,
            Check::Ready { change: Change::Bid(ref money), .. } if *money == usd("7.15")
        ));
    }

    #[test]
    fn a_missing_creative_or_amount_is_refused_with_the_fix() {
        let gone = action(ActionKind::Pause, Some(99), "ACTIVE", "PAUSED");
        assert!(detail(current(CreativeStatus::Active, "6").check(&gone)).contains("creative 99"));
        let mut no_amount = action(ActionKind::SetBudget, None, "100", "");
        no_amount.to = None;
        let message = detail(current(CreativeStatus::Active, "6").check(&no_amount));
        assert!(message.contains("`to`"), "{message}");
    }

    #[test]
    fn the_guardrails_see_active_creatives_and_only_active_campaigns_budgets() {
        // GIVEN creative 1 paused, creative 2 active, in an active campaign
        let mut state = current(CreativeStatus::Paused, "6.50");
        let account = state.account_state(Decimal::ZERO, Vec::new());
        let campaign = &account.campaigns[&CAMPAIGN];
        // THEN only creative 2 counts as active, and the budget counts
        assert_eq!(campaign.active_creatives, BTreeSet::from([CreativeId(2)]));
        assert_eq!(campaign.daily_budget, Some(Decimal::ONE_HUNDRED));
        assert_eq!(campaign.unit_cost, Some("6.50".parse().unwrap()));
        // AND a paused campaign's budget spends nothing toward the month
        let mut paused = state.clone();
        if let Some(c) = paused.campaigns.get_mut(&CAMPAIGN) {
            c.status = CampaignStatus::Paused;
        }
        let account = paused.account_state(Decimal::ZERO, Vec::new());
        assert_eq!(account.campaigns[&CAMPAIGN].daily_budget, None);
        // AND a recorded resume is seen by the next check
        let resume = action(ActionKind::Resume, Some(1), "PAUSED", "ACTIVE");
        state.record(&resume);
        assert!(matches!(state.check(&resume), Check::Done { .. }));
    }
}
