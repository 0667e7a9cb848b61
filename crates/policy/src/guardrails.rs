//! The guardrails, enforced the same way by decide (on what the data says) and again by
//! apply (on what LinkedIn says now), so an edited decisions file cannot bypass them.
//!
//! [`screen`] walks the actions in order and marks each one a guardrail refuses as
//! [`Blocked`]; counting guardrails (pauses per campaign, actions and variations per run, the
//! last active creative) count only the actions let through before it, so the order of the
//! list is its priority. A blocked action is kept, with the guardrail's name and the reason.
//!
//! A "run" is the account's day: actions the log shows applied earlier the same day (not
//! undos) count against the per-run limits, so running decide and apply again on a day
//! cannot double them.

use std::collections::{BTreeMap, BTreeSet};

use ads::decision::{Action, ActionKind, Blocked, LogEntry, Outcome};
use ads::{CampaignId, CreativeId};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::policy::Guardrails;

/// What the guardrails know of one campaign.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignState {
    /// Its bid now (`unitCost`), when known.
    pub unit_cost: Option<Decimal>,
    /// Its daily budget now, when known.
    pub daily_budget: Option<Decimal>,
    /// LinkedIn's lowest allowed bid (`adBudgetPricing` bidLimits.min), when known.
    pub min_bid: Option<Decimal>,
    /// LinkedIn's highest allowed bid (bidLimits.max), when known.
    pub max_bid: Option<Decimal>,
    /// LinkedIn's lowest allowed daily budget (dailyBudgetLimits.min), when known.
    pub min_daily_budget: Option<Decimal>,
    /// Its creatives whose status is ACTIVE now.
    pub active_creatives: BTreeSet<CreativeId>,
}

/// What the guardrails know of the account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountState {
    /// Campaigns by id.
    pub campaigns: BTreeMap<CampaignId, CampaignState>,
    /// The account's spend so far in the month of `today`.
    pub month_spend: Decimal,
    /// The action log of the last `cooldown_days` days at least (older entries are ignored).
    pub log: Vec<LogEntry>,
}

/// The guardrail names, as in the policy file and in [`Blocked::guardrail`].
pub mod names {
    /// Never pause the last active creative of a campaign.
    pub const LAST_ACTIVE_CREATIVE: &str = "last_active_creative";
    /// `guardrails.max_pauses_per_campaign`.
    pub const MAX_PAUSES_PER_CAMPAIGN: &str = "max_pauses_per_campaign";
    /// `guardrails.max_bid_change_percent`.
    pub const MAX_BID_CHANGE_PERCENT: &str = "max_bid_change_percent";
    /// LinkedIn's bid limits (adBudgetPricing).
    pub const BID_LIMITS: &str = "bid_limits";
    /// `guardrails.max_budget_change_percent`.
    pub const MAX_BUDGET_CHANGE_PERCENT: &str = "max_budget_change_percent";
    /// `guardrails.min_daily_budget` and LinkedIn's minimum.
    pub const MIN_DAILY_BUDGET: &str = "min_daily_budget";
    /// `guardrails.max_daily_budget`.
    pub const MAX_DAILY_BUDGET: &str = "max_daily_budget";
    /// `guardrails.cooldown_days`.
    pub const COOLDOWN_DAYS: &str = "cooldown_days";
    /// `guardrails.monthly_spend_cap`.
    pub const MONTHLY_SPEND_CAP: &str = "monthly_spend_cap";
    /// `guardrails.max_actions_per_run`.
    pub const MAX_ACTIONS_PER_RUN: &str = "max_actions_per_run";
    /// `guardrails.max_variations_per_run`.
    pub const MAX_VARIATIONS_PER_RUN: &str = "max_variations_per_run";
    /// The action's values are not what its kind needs (a bid without an amount, ...).
    pub const MALFORMED: &str = "malformed";
}

/// Marks every action of `actions` that a guardrail refuses; `today` is the day of the run
/// (UTC). Actions already blocked stay blocked and count for nothing.
pub fn screen(actions: &mut [Action], state: &AccountState, rules: &Guardrails, today: NaiveDate) {
    let mut run = Run::new(state);
    for entry in state.log.iter().filter(|e| {
        e.outcome == Outcome::Applied && e.undoes.is_none() && e.at.date_naive() == today
    }) {
        run.count(&entry.action);
    }
    for action in actions.iter_mut() {
        if action.blocked.is_some() {
            continue;
        }
        match run.check(action, state, rules, today) {
            Ok(()) => run.admit(action),
            Err(blocked) => action.blocked = Some(blocked),
        }
    }
}

/// Counters of what this run has let through so far.
struct Run {
    actions: u32,
    variations: u32,
    pauses: BTreeMap<CampaignId, u32>,
    active: BTreeMap<CampaignId, BTreeSet<CreativeId>>,
    /// Planned daily budgets after the admitted changes.
    budgets: BTreeMap<CampaignId, Decimal>,
}

fn block(guardrail: &str, reason: String) -> Blocked {
    Blocked {
        guardrail: guardrail.to_owned(),
        reason,
    }
}

fn amount(value: Option<&String>, field: &str, action: &Action) -> Result<Decimal, Blocked> {
    value.and_then(|v| v.parse().ok()).ok_or_else(|| {
        block(
            names::MALFORMED,
            format!(
                "{} {} needs `{field}` as an amount such as \"6.50\" (got {:?})",
                action.kind,
                action.target(),
                value
            ),
        )
    })
}

fn percent_change(from: Decimal, to: Decimal) -> Option<Decimal> {
    (from > Decimal::ZERO).then(|| ((to - from) / from * Decimal::ONE_HUNDRED).abs())
}

fn limit(percent: f64) -> Decimal {
    Decimal::try_from(percent).unwrap_or(Decimal::ZERO)
}

impl Run {
    fn new(state: &AccountState) -> Run {
        Run {
            actions: 0,
            variations: 0,
            pauses: BTreeMap::new(),
            active: state
                .campaigns
                .iter()
                .map(|(id, c)| (*id, c.active_creatives.clone()))
                .collect(),
            budgets: state
                .campaigns
                .iter()
                .filter_map(|(id, c)| c.daily_budget.map(|b| (*id, b)))
                .collect(),
        }
    }

    fn check(
        &self,
        action: &Action,
        state: &AccountState,
        rules: &Guardrails,
        today: NaiveDate,
    ) -> Result<(), Blocked> {
        if self.actions >= rules.max_actions_per_run {
            return Err(block(
                names::MAX_ACTIONS_PER_RUN,
                format!(
                    "this run already has {} actions, the most max_actions_per_run allows",
                    self.actions
                ),
            ));
        }
        if action.kind.targets_creative() && action.creative_id.is_none() {
            return Err(block(
                names::MALFORMED,
                format!("{} needs a creativeId", action.kind),
            ));
        }
        cooldown(action, state, rules, today)?;
        let campaign = state.campaigns.get(&action.campaign_id);
        match action.kind {
            ActionKind::Pause => self.check_pause(action, rules),
            ActionKind::Resume => Ok(()),
            ActionKind::CreateVariation => {
                if self.variations >= rules.max_variations_per_run {
                    Err(block(
                        names::MAX_VARIATIONS_PER_RUN,
                        format!(
                            "this run already creates {} variation(s), the most \
                             max_variations_per_run allows",
                            self.variations
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
            ActionKind::SetBid => check_bid(action, campaign, state, rules, today),
            ActionKind::SetBudget => self.check_budget(action, campaign, state, rules, today),
        }
    }

    fn check_pause(&self, action: &Action, rules: &Guardrails) -> Result<(), Blocked> {
        let pauses = self.pauses.get(&action.campaign_id).copied().unwrap_or(0);
        if pauses >= rules.max_pauses_per_campaign {
            return Err(block(
                names::MAX_PAUSES_PER_CAMPAIGN,
                format!(
                    "campaign {} already has {pauses} pause(s) this run, the most \
                     max_pauses_per_campaign allows",
                    action.campaign_id.0
                ),
            ));
        }
        let active = self.active.get(&action.campaign_id);
        let others = active.map_or(0, |set| {
            set.iter()
                .filter(|c| Some(**c) != action.creative_id)
                .count()
        });
        if others == 0 {
            return Err(block(
                names::LAST_ACTIVE_CREATIVE,
                format!(
                    "{} is the last active creative of campaign {}; pausing it would stop the campaign",
                    action.target(),
                    action.campaign_id.0
                ),
            ));
        }
        Ok(())
    }

    fn check_budget(
        &self,
        action: &Action,
        campaign: Option<&CampaignState>,
        state: &AccountState,
        rules: &Guardrails,
        today: NaiveDate,
    ) -> Result<(), Blocked> {
        let (from, to) = daily_change(
            action,
            state,
            today,
            names::MAX_BUDGET_CHANGE_PERCENT,
            rules.max_budget_change_percent,
        )?;
        let linkedin_min = campaign.and_then(|c| c.min_daily_budget);
        let floor = linkedin_min.map_or(rules.min_daily_budget, |m| m.max(rules.min_daily_budget));
        if to < floor {
            return Err(block(
                names::MIN_DAILY_BUDGET,
                format!("{to} is below the minimum daily budget {floor}"),
            ));
        }
        if let Some(max) = rules.max_daily_budget
            && to > max
        {
            return Err(block(
                names::MAX_DAILY_BUDGET,
                format!("{to} is above max_daily_budget {max}"),
            ));
        }
        if let Some(cap) = rules.monthly_spend_cap
            && to > from
        {
            let mut budgets = self.budgets.clone();
            budgets.insert(action.campaign_id, to);
            let daily: Decimal = budgets.values().copied().sum();
            let planned = state.month_spend + daily * Decimal::from(days_left_in_month(today));
            if planned > cap {
                return Err(block(
                    names::MONTHLY_SPEND_CAP,
                    format!(
                        "spend this month {} plus daily budgets {daily} for the {} day(s) left \
                         plans {planned}, above monthly_spend_cap {cap}",
                        state.month_spend,
                        days_left_in_month(today)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Counts `action` against the per-run limits (an action applied earlier today, or
    /// one just admitted).
    fn count(&mut self, action: &Action) {
        self.actions += 1;
        match action.kind {
            ActionKind::Pause => *self.pauses.entry(action.campaign_id).or_default() += 1,
            ActionKind::CreateVariation => self.variations += 1,
            _ => {}
        }
    }

    fn admit(&mut self, action: &Action) {
        self.count(action);
        match action.kind {
            ActionKind::Pause => {
                if let (Some(set), Some(creative)) =
                    (self.active.get_mut(&action.campaign_id), action.creative_id)
                {
                    set.remove(&creative);
                }
            }
            ActionKind::Resume => {
                if let Some(creative) = action.creative_id {
                    self.active
                        .entry(action.campaign_id)
                        .or_default()
                        .insert(creative);
                }
            }
            ActionKind::CreateVariation => {}
            ActionKind::SetBudget => {
                if let Some(to) = action.to.as_ref().and_then(|t| t.parse().ok()) {
                    self.budgets.insert(action.campaign_id, to);
                }
            }
            ActionKind::SetBid => {}
        }
    }
}

/// An amount action's (from, to), once its change since the morning (the value before
/// today's first applied change to the item, else `from`) is within `max_percent`; the
/// guardrail `name` blocks it otherwise.
fn daily_change(
    action: &Action,
    state: &AccountState,
    today: NaiveDate,
    name: &str,
    max_percent: f64,
) -> Result<(Decimal, Decimal), Blocked> {
    let to = amount(action.to.as_ref(), "to", action)?;
    let from = amount(action.from.as_ref(), "from", action)?;
    let base = day_start_value(state, action, today).unwrap_or(from);
    match percent_change(base, to) {
        Some(change) if change > limit(max_percent) => Err(block(
            name,
            format!("{base} → {to} is a {change:.1}% change today; {name} is {max_percent}"),
        )),
        _ => Ok((from, to)),
    }
}

fn check_bid(
    action: &Action,
    campaign: Option<&CampaignState>,
    state: &AccountState,
    rules: &Guardrails,
    today: NaiveDate,
) -> Result<(), Blocked> {
    let (_, to) = daily_change(
        action,
        state,
        today,
        names::MAX_BID_CHANGE_PERCENT,
        rules.max_bid_change_percent,
    )?;
    let (min, max) = campaign.map_or((None, None), |c| (c.min_bid, c.max_bid));
    if let Some(min) = min
        && to < min
    {
        return Err(block(
            names::BID_LIMITS,
            format!("{to} is below LinkedIn's minimum bid {min} for this targeting"),
        ));
    }
    if let Some(max) = max
        && to > max
    {
        return Err(block(
            names::BID_LIMITS,
            format!("{to} is above LinkedIn's maximum bid {max} for this targeting"),
        ));
    }
    if to <= Decimal::ZERO {
        return Err(block(
            names::BID_LIMITS,
            format!("{to} is not a bid; bids are above 0"),
        ));
    }
    Ok(())
}

/// Blocks a change to an item changed (applied) within the cool-down.
fn cooldown(
    action: &Action,
    state: &AccountState,
    rules: &Guardrails,
    today: NaiveDate,
) -> Result<(), Blocked> {
    if rules.cooldown_days == 0 {
        return Ok(());
    }
    let last = state
        .log
        .iter()
        .filter(|e| e.outcome == Outcome::Applied && same_item(&e.action, action))
        .map(|e| e.at.date_naive())
        .max();
    match last {
        Some(day) if (today - day).num_days() < i64::from(rules.cooldown_days) => Err(block(
            names::COOLDOWN_DAYS,
            format!(
                "{} was changed on {day}; cooldown_days is {}, so not before {}",
                item(action),
                rules.cooldown_days,
                day + chrono::Days::new(rules.cooldown_days.into())
            ),
        )),
        _ => Ok(()),
    }
}

/// The item an action changes, for the cool-down: a creative's status, a campaign's bid or
/// a campaign's budget. A variation changes nothing existing, so its item is the creative
/// copied (one variation per winner per cool-down).
fn same_item(a: &Action, b: &Action) -> bool {
    let group = |k: ActionKind| match k {
        ActionKind::Pause | ActionKind::Resume => 0,
        ActionKind::SetBid => 1,
        ActionKind::SetBudget => 2,
        ActionKind::CreateVariation => 3,
    };
    group(a.kind) == group(b.kind)
        && a.campaign_id == b.campaign_id
        && (!a.kind.targets_creative() || a.creative_id == b.creative_id)
}

fn item(action: &Action) -> String {
    match action.kind {
        ActionKind::SetBid => format!("the bid of campaign {}", action.campaign_id.0),
        ActionKind::SetBudget => format!("the budget of campaign {}", action.campaign_id.0),
        _ => action.target(),
    }
}

/// The value of a bid or budget before today's first applied change to it, if any.
fn day_start_value(state: &AccountState, action: &Action, today: NaiveDate) -> Option<Decimal> {
    state
        .log
        .iter()
        .filter(|e| {
            e.outcome == Outcome::Applied
                && e.at.date_naive() == today
                && same_item(&e.action, action)
        })
        .min_by_key(|e| e.at)
        .and_then(|e| e.before.as_ref().or(e.action.from.as_ref()))
        .and_then(|v| v.parse().ok())
}

/// Days from `today` to the end of its month, `today` included.
fn days_left_in_month(today: NaiveDate) -> u32 {
    let next_month = if today.month() == 12 {
        NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(today.year(), today.month() + 1, 1)
    };
    next_month.map_or(1, |first| (first - today).num_days() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::decision::ActionId;
    use ads::{AccountId, decision::Outcome};
    use chrono::{TimeZone, Utc};

    const CAMPAIGN: CampaignId = CampaignId(700000001);

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 10).unwrap()
    }

    fn action(kind: ActionKind, creative: Option<u64>, from: &str, to: &str) -> Action {
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: AccountId(500000001),
            campaign_id: CAMPAIGN,
            creative_id: creative.map(CreativeId),
            as_of: today(),
            from: Some(from.into()),
            to: Some(to.into()),
            currency: None,
            variation: None,
            reason: "test".into(),
            evidence: BTreeMap::new(),
            blocked: None,
        }
        .with_derived_id()
    }

    fn pause(creative: u64) -> Action {
        action(ActionKind::Pause, Some(creative), "ACTIVE", "PAUSED")
    }

    fn state(active: &[u64]) -> AccountState {
        let campaign = CampaignState {
            unit_cost: Some(Decimal::new(600, 2)),
            daily_budget: Some(Decimal::new(100, 0)),
            min_bid: Some(Decimal::new(300, 2)),
            max_bid: Some(Decimal::new(1500, 2)),
            min_daily_budget: Some(Decimal::TEN),
            active_creatives: active.iter().copied().map(CreativeId).collect(),
        };
        AccountState {
            campaigns: BTreeMap::from([(CAMPAIGN, campaign)]),
            month_spend: Decimal::ZERO,
            log: Vec::new(),
        }
    }

    fn blocked_by(actions: &[Action]) -> Vec<Option<&str>> {
        actions
            .iter()
            .map(|a| a.blocked.as_ref().map(|b| b.guardrail.as_str()))
            .collect()
    }

    #[test]
    fn the_last_active_creative_is_never_paused() {
        // GIVEN a campaign with two active creatives and a policy allowing two pauses
        let rules = Guardrails {
            max_pauses_per_campaign: 5,
            ..Guardrails::default()
        };
        let mut actions = vec![pause(1), pause(2)];
        // WHEN both are screened
        screen(&mut actions, &state(&[1, 2]), &rules, today());
        // THEN the second pause, which would leave none, is blocked
        assert_eq!(
            blocked_by(&actions),
            [None, Some(names::LAST_ACTIVE_CREATIVE)]
        );
    }

    #[test]
    fn pauses_per_campaign_are_capped() {
        let mut actions = vec![pause(1), pause(2)];
        screen(
            &mut actions,
            &state(&[1, 2, 3]),
            &Guardrails::default(),
            today(),
        );
        assert_eq!(
            blocked_by(&actions),
            [None, Some(names::MAX_PAUSES_PER_CAMPAIGN)]
        );
    }

    #[test]
    fn bids_move_within_the_daily_cap_and_linkedins_limits() {
        let mut actions = vec![
            action(ActionKind::SetBid, None, "6.00", "9.00"),
            action(ActionKind::SetBid, None, "6.00", "6.60"),
        ];
        let mut too_low = vec![action(ActionKind::SetBid, None, "3.20", "2.90")];
        let rules = Guardrails {
            cooldown_days: 0,
            ..Guardrails::default()
        };
        screen(&mut actions, &state(&[1]), &rules, today());
        screen(&mut too_low, &state(&[1]), &rules, today());
        assert_eq!(
            blocked_by(&actions),
            [Some(names::MAX_BID_CHANGE_PERCENT), None]
        );
        assert_eq!(blocked_by(&too_low), [Some(names::BID_LIMITS)]);
    }

    #[test]
    fn a_budget_never_goes_under_the_minimum_nor_past_the_month_cap() {
        let rules = Guardrails {
            monthly_spend_cap: Some(Decimal::new(2500, 0)),
            max_budget_change_percent: 100.0,
            ..Guardrails::default()
        };
        // GIVEN $100/day, $0 spent on the 10th: 21 days × $100 = $2,100 planned
        let mut cut = vec![action(ActionKind::SetBudget, None, "12", "8")];
        let mut raise = vec![action(ActionKind::SetBudget, None, "100", "130")];
        screen(&mut cut, &state(&[1]), &rules, today());
        screen(&mut raise, &state(&[1]), &rules, today());
        assert_eq!(blocked_by(&cut), [Some(names::MIN_DAILY_BUDGET)]);
        // 21 × 130 = 2,730 > 2,500
        assert_eq!(blocked_by(&raise), [Some(names::MONTHLY_SPEND_CAP)]);
    }

    #[test]
    fn a_budget_moves_within_its_daily_cap_and_under_its_ceiling() {
        // GIVEN a 30% daily cap and a $120 ceiling
        let rules = Guardrails {
            max_daily_budget: Some(Decimal::new(120, 0)),
            ..Guardrails::default()
        };
        let mut big_cut = vec![action(ActionKind::SetBudget, None, "100", "50")];
        let mut over_ceiling = vec![action(ActionKind::SetBudget, None, "100", "125")];
        let mut fine = vec![action(ActionKind::SetBudget, None, "100", "120")];
        for actions in [&mut big_cut, &mut over_ceiling, &mut fine] {
            screen(actions, &state(&[1]), &rules, today());
        }
        assert_eq!(
            blocked_by(&big_cut),
            [Some(names::MAX_BUDGET_CHANGE_PERCENT)]
        );
        assert_eq!(blocked_by(&over_ceiling), [Some(names::MAX_DAILY_BUDGET)]);
        assert_eq!(blocked_by(&fine), [None]);
    }

    #[test]
    fn a_second_bid_change_the_same_day_counts_from_the_mornings_bid() {
        // GIVEN the bid moved 6.00 → 7.00 earlier today, and no cool-down
        let rules = Guardrails {
            cooldown_days: 0,
            ..Guardrails::default()
        };
        let mut state = state(&[1]);
        state.log.push(LogEntry {
            action: action(ActionKind::SetBid, None, "6.00", "7.00"),
            outcome: Outcome::Applied,
            mode: "auto".into(),
            at: Utc.from_utc_datetime(&today().and_hms_opt(6, 0, 0).unwrap()),
            before: Some("6.00".into()),
            after: Some("7.00".into()),
            detail: None,
            error: None,
            undoes: None,
        });
        // WHEN another +10% is proposed (7.00 → 7.70, +28% on the day)
        let mut actions = vec![action(ActionKind::SetBid, None, "7.00", "7.70")];
        screen(&mut actions, &state, &rules, today());
        // THEN it is blocked by the daily cap
        assert_eq!(blocked_by(&actions), [Some(names::MAX_BID_CHANGE_PERCENT)]);
    }

    #[test]
    fn an_action_without_its_amount_is_blocked_as_malformed() {
        let mut bid = action(ActionKind::SetBid, None, "6.00", "");
        bid.to = None;
        let mut actions = vec![bid];
        screen(&mut actions, &state(&[1]), &Guardrails::default(), today());
        assert_eq!(blocked_by(&actions), [Some(names::MALFORMED)]);
    }

    #[test]
    fn an_item_changed_within_the_cooldown_is_left_alone() {
        // GIVEN creative 1 paused two days ago, and the bid changed a week ago
        let mut state = state(&[1, 2, 3]);
        let at = |days: i64| {
            Utc.from_utc_datetime(
                &(today() - chrono::Days::new(days as u64))
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
            )
        };
        for (entry, days) in [
            (pause(1), 2),
            (action(ActionKind::SetBid, None, "5", "6"), 7),
        ] {
            state.log.push(LogEntry {
                action: entry,
                outcome: Outcome::Applied,
                mode: "auto".into(),
                at: at(days),
                before: None,
                after: None,
                detail: None,
                error: None,
                undoes: None,
            });
        }
        let mut actions = vec![
            action(ActionKind::Resume, Some(1), "PAUSED", "ACTIVE"),
            action(ActionKind::SetBid, None, "6.00", "6.50"),
        ];
        screen(&mut actions, &state, &Guardrails::default(), today());
        assert_eq!(blocked_by(&actions), [Some(names::COOLDOWN_DAYS), None]);
    }

    #[test]
    fn actions_and_variations_per_run_are_capped() {
        let rules = Guardrails {
            max_actions_per_run: 2,
            max_pauses_per_campaign: 9,
            ..Guardrails::default()
        };
        let mut variation = action(ActionKind::CreateVariation, Some(3), "", "");
        variation.from = None;
        variation.to = None;
        let mut actions = vec![variation.clone(), variation, pause(1), pause(2)];
        screen(&mut actions, &state(&[1, 2, 3]), &rules, today());
        assert_eq!(
            blocked_by(&actions),
            [
                None,
                Some(names::MAX_VARIATIONS_PER_RUN),
                None,
                Some(names::MAX_ACTIONS_PER_RUN)
            ]
        );
    }

    #[test]
    fn actions_applied_earlier_the_same_day_count_against_the_per_run_limits() {
        // GIVEN a pause applied this morning in the campaign
        let mut state = state(&[1, 2, 3]);
        state.log.push(LogEntry {
            action: pause(1),
            outcome: Outcome::Applied,
            mode: "auto".into(),
            at: Utc.from_utc_datetime(&today().and_hms_opt(6, 0, 0).unwrap()),
            before: None,
            after: None,
            detail: None,
            error: None,
            undoes: None,
        });
        // WHEN a re-run proposes another pause there
        let mut actions = vec![pause(2)];
        screen(&mut actions, &state, &Guardrails::default(), today());
        // THEN it is blocked: one pause per campaign per day
        assert_eq!(blocked_by(&actions), [Some(names::MAX_PAUSES_PER_CAMPAIGN)]);
    }

    #[test]
    fn days_left_count_today() {
        assert_eq!(days_left_in_month(today()), 21);
        assert_eq!(
            days_left_in_month(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            1
        );
    }
}
