//! Rewriting the `creative_daily` partitions of a window, one (day, account) file each.
//!
//! A run is authoritative for the campaigns it covers on the days of its window: their rows
//! in each file are replaced by what LinkedIn reports now (so a restated day, even one
//! restated to nothing, is current). Rows of the account's other campaigns — ones the input
//! did not name, or whose status is no longer collected (a campaign that completed
//! yesterday still delivered last week) — are kept as an earlier run wrote them, so a
//! narrower run never deletes data it did not re-pull.

use std::collections::{BTreeMap, BTreeSet};

use ads::{AccountId, CampaignId, CreativeDay};
use chrono::{DateTime, NaiveDate, Utc};

use crate::Error;
use crate::curated::{self, DailyRow};
use crate::input::Validated;
use crate::keys;
use crate::store::{PARQUET, Store};

/// Writes one file per day of `window`: `collected` rows (by day) of the `covered`
/// campaigns, stamped `now`, plus the stored rows of other campaigns. Returns the rows
/// collected, in the order written.
pub async fn rewrite(
    store: &Store<'_>,
    window: &Validated,
    covered: &BTreeSet<CampaignId>,
    mut collected: BTreeMap<NaiveDate, Vec<CreativeDay>>,
    now: DateTime<Utc>,
) -> Result<Vec<CreativeDay>, Error> {
    let mut written = Vec::new();
    for day in window.days() {
        let key = keys::creative_daily(day, window.account);
        let mut rows = kept_rows(store, &key, day, window.account, covered).await?;
        let fresh = collected.remove(&day).unwrap_or_default();
        rows.extend(fresh.iter().map(|row| DailyRow {
            day: row.clone(),
            collected_at: now,
        }));
        let file = curated::creative_daily_file(&rows).map_err(|source| Error::Curated {
            key: key.clone(),
            source,
        })?;
        store.put(&key, file, PARQUET).await?;
        written.extend(fresh);
    }
    Ok(written)
}

/// The stored rows of campaigns this run does not cover; none when there is no file, or
/// when it cannot be read (it is then rewritten whole).
async fn kept_rows(
    store: &Store<'_>,
    key: &str,
    day: NaiveDate,
    account: AccountId,
    covered: &BTreeSet<CampaignId>,
) -> Result<Vec<DailyRow>, Error> {
    let Some(file) = store.get_if_present(key).await? else {
        return Ok(Vec::new());
    };
    match curated::read_creative_daily(file, day, account) {
        Ok(rows) => Ok(rows
            .into_iter()
            .filter(|row| !covered.contains(&row.day.campaign))
            .collect()),
        Err(error) => {
            tracing::warn!(%key, %error, "a creative_daily file cannot be read; rewriting it");
            Ok(Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::{CreativeDayKey, CreativeId};
    use chrono::TimeZone;

    fn row(date: NaiveDate, campaign: u64, creative: u64, clicks: u64) -> CreativeDay {
        let key = CreativeDayKey {
            date,
            account: AccountId(1),
            campaign: CampaignId(campaign),
            creative: CreativeId(creative),
        };
        let metrics = [("clicks".to_owned(), clicks.into())].into_iter().collect();
        CreativeDay::from_metrics(key, &metrics).unwrap()
    }

    #[tokio::test]
    async fn a_run_replaces_its_campaigns_rows_and_keeps_the_others() {
        // GIVEN a day file with campaign 1 (covered now) and campaign 2 (not covered)
        let dir = tempfile::tempdir().unwrap();
        let port = local::DirStore::new(dir.path());
        let store = Store::new(&port);
        let day = NaiveDate::from_ymd_opt(2026, 8, 10).unwrap();
        let window = Validated {
            account: AccountId(1),
            campaigns: Some(vec![CampaignId(1)]),
            start: day,
            end: day.succ_opt().unwrap(),
            metrics: vec!["clicks".into()],
        };
        let then = Utc.with_ymd_and_hms(2026, 8, 10, 12, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 8, 11, 6, 0, 0).unwrap();
        let earlier = vec![
            DailyRow {
                day: row(day, 1, 10, 5),
                collected_at: then,
            },
            DailyRow {
                day: row(day, 2, 20, 7),
                collected_at: then,
            },
        ];
        let key = keys::creative_daily(day, AccountId(1));
        store
            .put(
                &key,
                curated::creative_daily_file(&earlier).unwrap(),
                PARQUET,
            )
            .await
            .unwrap();
        // WHEN campaign 1 is collected again, restated to 6 clicks, nothing the next day
        let collected = BTreeMap::from([(day, vec![row(day, 1, 10, 6)])]);
        let covered = BTreeSet::from([CampaignId(1)]);
        let written = rewrite(&store, &window, &covered, collected, now)
            .await
            .unwrap();
        // THEN campaign 1's row is the new one, campaign 2's is kept as it was
        assert_eq!(written.len(), 1);
        let back = curated::read_creative_daily(port_get(&port, &key).await, day, AccountId(1));
        let back = back.unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].day.clicks, back[0].collected_at), (Some(6), now));
        assert_eq!(back[1], earlier[1]);
        // AND the next day, with no rows, is an empty file
        let next = keys::creative_daily(window.end, AccountId(1));
        let empty =
            curated::read_creative_daily(port_get(&port, &next).await, window.end, AccountId(1));
        assert!(empty.unwrap().is_empty());
        assert_eq!(store.written(), 3);
    }

    async fn port_get(port: &local::DirStore, key: &str) -> bytes::Bytes {
        ads::ObjectStore::get(port, key).await.unwrap()
    }
}
