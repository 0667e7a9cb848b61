//! The account as decide sees it on `asOf`: each campaign's current state (status, bid,
//! budget, currency, cost type) and each creative's current status and days, from the rows
//! before `asOf`. Both modes read it; the guardrails get their [`AccountState`] from it.
//!
//! Every row carries the *current* state of its campaign and creative (the query joins the
//! latest campaigns and creatives files), so the state is taken from the (first) row of the
//! latest day. Two rows of one creative and day are added together.

use std::collections::BTreeMap;

use ads::decision::LogEntry;
use ads::{CampaignId, CampaignStatus, CostType, CreativeId, CreativeStatus};
use chrono::{Datelike, NaiveDate};
use policy::{AccountState, CampaignState};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::series::SeriesRow;

/// The campaigns of the account, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    /// Every campaign with a row before `asOf`.
    pub campaigns: BTreeMap<CampaignId, Campaign>,
    /// Spend (USD) of the rows in `asOf`'s month before `asOf`.
    pub month_spend: Decimal,
    /// The first day of any row before `asOf`.
    pub first_day: Option<NaiveDate>,
}

/// One campaign: its current state and its creatives.
#[derive(Debug, Clone)]
pub(crate) struct Campaign {
    /// Its id.
    pub id: CampaignId,
    /// Current status.
    pub status: Option<CampaignStatus>,
    /// What its bid pays for.
    pub cost_type: Option<CostType>,
    /// Current bid, in `currency`.
    pub unit_cost: Option<Decimal>,
    /// Current daily budget, in `currency`.
    pub daily_budget: Option<Decimal>,
    /// Its currency.
    pub currency: Option<String>,
    /// Its creatives with rows.
    pub creatives: BTreeMap<CreativeId, Creative>,
    /// The day the state was read from.
    state_day: NaiveDate,
}

/// One creative: its current status and its days, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct Creative {
    /// Its id.
    pub id: CreativeId,
    /// Current status.
    pub status: Option<CreativeStatus>,
    /// Its days before `asOf`, oldest first, one per day.
    pub days: Vec<Day>,
    state_day: NaiveDate,
}

/// One creative's delivery on one day (a NULL metric counts as 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Day {
    /// The day.
    pub date: NaiveDate,
    /// Impressions.
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Conversions reported so far.
    pub conversions: u64,
    /// Spend, USD.
    pub cost: f64,
}

/// Sums over some days.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Totals {
    /// Impressions.
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Conversions reported.
    pub conversions: u64,
    /// Spend, USD.
    pub cost: f64,
}

impl Totals {
    fn add(&mut self, day: &Day) {
        self.impressions += day.impressions;
        self.clicks += day.clicks;
        self.conversions += day.conversions;
        self.cost += day.cost;
    }

    /// Adds another total.
    pub fn merge(&mut self, other: &Totals) {
        self.impressions += other.impressions;
        self.clicks += other.clicks;
        self.conversions += other.conversions;
        self.cost += other.cost;
    }
}

impl Account {
    /// The account from `rows`; rows on or after `as_of` are ignored.
    pub fn from_rows(rows: &[SeriesRow], as_of: NaiveDate) -> Account {
        let mut account = Account::default();
        for row in rows.iter().filter(|r| r.day < as_of) {
            account.first_day = Some(account.first_day.map_or(row.day, |d| d.min(row.day)));
            if row.day.year() == as_of.year() && row.day.month() == as_of.month() {
                account.month_spend += row.cost.unwrap_or_default();
            }
            let campaign = account
                .campaigns
                .entry(row.campaign_id)
                .or_insert_with(|| Campaign::from_row(row));
            if row.day > campaign.state_day {
                campaign.take_state(row);
            }
            let creative = campaign
                .creatives
                .entry(row.creative_id)
                .or_insert_with(|| Creative {
                    id: row.creative_id,
                    status: row.creative_status,
                    days: Vec::new(),
                    state_day: row.day,
                });
            if row.day > creative.state_day {
                creative.status = row.creative_status;
                creative.state_day = row.day;
            }
            creative.days.push(Day {
                date: row.day,
                impressions: row.impressions.unwrap_or(0),
                clicks: row.clicks.unwrap_or(0),
                conversions: row.conversions.unwrap_or(0),
                cost: row.cost.and_then(|c| c.to_f64()).unwrap_or(0.0),
            });
        }
        for campaign in account.campaigns.values_mut() {
            for creative in campaign.creatives.values_mut() {
                creative.normalize_days();
            }
        }
        account
    }

    /// What the guardrails need: each campaign's bid, budget and active creatives (LinkedIn's
    /// bid and budget limits are not in the rows: unknown), the month's spend and the log.
    pub fn guardrail_state(&self, log: &[LogEntry]) -> AccountState {
        AccountState {
            campaigns: self
                .campaigns
                .iter()
                .map(|(id, campaign)| {
                    let state = CampaignState {
                        unit_cost: campaign.unit_cost,
                        daily_budget: campaign.daily_budget,
                        min_bid: None,
                        max_bid: None,
                        min_daily_budget: None,
                        active_creatives: campaign.active_creatives().map(|c| c.id).collect(),
                    };
                    (*id, state)
                })
                .collect(),
            month_spend: self.month_spend,
            log: log.to_vec(),
        }
    }
}

impl Campaign {
    fn from_row(row: &SeriesRow) -> Campaign {
        Campaign {
            id: row.campaign_id,
            status: row.campaign_status,
            cost_type: row.cost_type,
            unit_cost: row.unit_cost,
            daily_budget: row.daily_budget,
            currency: row.currency.clone(),
            creatives: BTreeMap::new(),
            state_day: row.day,
        }
    }

    /// Takes the campaign's state from a later row.
    fn take_state(&mut self, row: &SeriesRow) {
        self.status = row.campaign_status;
        self.cost_type = row.cost_type;
        self.unit_cost = row.unit_cost;
        self.daily_budget = row.daily_budget;
        if self.currency != row.currency {
            self.currency.clone_from(&row.currency);
        }
        self.state_day = row.day;
    }

    /// Whether it is ACTIVE: decide never acts on a campaign that is not.
    pub fn is_active(&self) -> bool {
        self.status == Some(CampaignStatus::Active)
    }

    /// Its creatives whose current status is ACTIVE.
    pub fn active_creatives(&self) -> impl Iterator<Item = &Creative> {
        self.creatives.values().filter(|c| c.is_active())
    }

    /// Its creatives' sums over the days from `from` on.
    pub fn totals(&self, from: NaiveDate) -> Totals {
        let mut totals = Totals::default();
        for creative in self.creatives.values() {
            totals.merge(&creative.totals(from));
        }
        totals
    }
}

impl Creative {
    /// Whether its current status is ACTIVE.
    pub fn is_active(&self) -> bool {
        self.status == Some(CreativeStatus::Active)
    }

    /// Sums over its days from `from` on.
    pub fn totals(&self, from: NaiveDate) -> Totals {
        let mut totals = Totals::default();
        for day in self.window(from) {
            totals.add(day);
        }
        totals
    }

    /// Its days from `from` on.
    pub fn window(&self, from: NaiveDate) -> &[Day] {
        let start = self.days.partition_point(|d| d.date < from);
        &self.days[start..]
    }

    /// Sorts the days and adds up two rows of one day.
    fn normalize_days(&mut self) {
        if self.days.is_sorted_by_key(|d| d.date)
            && self.days.windows(2).all(|w| w[0].date != w[1].date)
        {
            return;
        }
        self.days.sort_by_key(|d| d.date);
        let mut merged: Vec<Day> = Vec::with_capacity(self.days.len());
        for day in self.days.drain(..) {
            match merged.last_mut() {
                Some(last) if last.date == day.date => {
                    last.impressions += day.impressions;
                    last.clicks += day.clicks;
                    last.conversions += day.conversions;
                    last.cost += day.cost;
                }
                _ => merged.push(day),
            }
        }
        self.days = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    fn row(creative: u64, d: u32, status: CreativeStatus) -> SeriesRow {
        SeriesRow {
            campaign_id: CampaignId(7),
            creative_id: CreativeId(creative),
            day: day(d),
            impressions: Some(100),
            clicks: Some(1),
            conversions: None,
            cost: Some(Decimal::new(250, 2)),
            unit_cost: Some(Decimal::new(650, 2)),
            daily_budget: Some(Decimal::new(50, 0)),
            currency: Some("USD".into()),
            cost_type: Some(CostType::Cpc),
            campaign_status: Some(CampaignStatus::Active),
            creative_status: Some(status),
        }
    }

    #[test]
    fn state_comes_from_the_latest_row_and_days_after_as_of_are_ignored() {
        // GIVEN rows out of order, a duplicate day, and a row on asOf
        let rows = vec![
            row(1, 1, CreativeStatus::Paused),
            row(1, 3, CreativeStatus::Active),
            row(1, 3, CreativeStatus::Active),
            row(2, 2, CreativeStatus::Paused),
            row(1, 10, CreativeStatus::Paused),
        ];
        // WHEN the account is read for the 10th
        let account = Account::from_rows(&rows, day(10));
        // THEN creative 1 is active with two days (the 3rd added up), and the 10th is ignored
        let campaign = &account.campaigns[&CampaignId(7)];
        let first = &campaign.creatives[&CreativeId(1)];
        assert!(first.is_active());
        assert_eq!(first.days.len(), 2);
        assert_eq!(first.days[1].impressions, 200);
        assert_eq!(
            campaign
                .active_creatives()
                .map(|c| c.id)
                .collect::<Vec<_>>(),
            [CreativeId(1)]
        );
        // AND the month's spend counts the four rows before the 10th
        assert_eq!(account.month_spend, Decimal::new(1000, 2));
        assert_eq!(account.first_day, Some(day(1)));
        assert_eq!(campaign.totals(day(2)).impressions, 300);
    }
}
