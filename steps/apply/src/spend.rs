//! The account's spend so far this month, for the monthly spend cap: the curated
//! `creative_daily` partitions collect wrote for the days of `today`'s month before `today`,
//! their `cost_in_usd` summed. A day with no partition (not collected, or nothing spent)
//! counts 0.

use ads::{AccountId, ObjectStore, PortError};
use chrono::{Datelike, NaiveDate};
use collect::{curated, keys};
use rust_decimal::Decimal;

use crate::Error;

/// Spend of `account` from the first of `today`'s month up to the day before `today`.
pub(crate) async fn month_so_far(
    store: &dyn ObjectStore,
    account: AccountId,
    today: NaiveDate,
) -> Result<Decimal, Error> {
    let first = today.with_day(1).unwrap_or(today);
    let mut total = Decimal::ZERO;
    for day in first.iter_days().take_while(|day| *day < today) {
        let key = keys::creative_daily(day, account);
        let file = match store.get(&key).await {
            Ok(file) => file,
            Err(PortError::NotFound { .. }) => continue,
            Err(source) => return Err(Error::Store { key, source }),
        };
        let rows = curated::read_creative_daily(file, day, account)
            .map_err(|source| Error::Curated { key, source })?;
        total += rows
            .iter()
            .filter_map(|row| row.day.cost_in_usd)
            .sum::<Decimal>();
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::{CampaignId, CreativeDay, CreativeId};
    use chrono::{TimeZone, Utc};
    use curated::DailyRow;

    fn row(day: NaiveDate, creative: u64, cost: &str) -> DailyRow {
        DailyRow {
            day: CreativeDay {
                date: day,
                account: AccountId(5),
                campaign: CampaignId(7),
                creative: CreativeId(creative),
                impressions: Some(1000),
                clicks: Some(5),
                landing_page_clicks: None,
                cost_in_usd: Some(cost.parse().unwrap()),
                cost_in_local_currency: None,
                external_website_conversions: None,
                one_click_leads: None,
                one_click_lead_form_opens: None,
                likes: None,
                comments: None,
                shares: None,
                follows: None,
                total_engagements: None,
                video_views: None,
                approximate_member_reach: None,
            },
            collected_at: Utc.with_ymd_and_hms(2026, 9, 10, 6, 0, 0).unwrap(),
        }
    }

    #[tokio::test]
    async fn sums_the_days_of_the_month_before_today_and_counts_missing_days_as_zero() {
        // GIVEN spend on Aug 31 (last month), Sep 1 (two creatives), Sep 10 (today), and no
        // partition for Sep 2..9
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let files = [
            (
                NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
                vec![("1", 1)],
            ),
            (day(1), vec![("10.50", 1), ("4.25", 2)]),
            (day(10), vec![("99", 1)]),
        ];
        for (date, costs) in files {
            let rows: Vec<_> = costs.iter().map(|(c, id)| row(date, *id, c)).collect();
            let file = curated::creative_daily_file(&rows).unwrap();
            store
                .put(&keys::creative_daily(date, AccountId(5)), file, "x")
                .await
                .unwrap();
        }
        // WHEN the spend is read on Sep 10
        let spend = month_so_far(&store, AccountId(5), day(10)).await.unwrap();
        // THEN only Sep 1..9 count
        assert_eq!(spend, "14.75".parse::<Decimal>().unwrap());
        assert_eq!(
            month_so_far(&store, AccountId(5), day(1)).await.unwrap(),
            Decimal::ZERO
        );
    }
}
