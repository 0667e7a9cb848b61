//! The store keys this step writes: DESIGN.md's store layout, in one place.
//!
//! ```text
//! raw/entities/YYYY/MM/DD/<account>/campaigns_<run>.json      JSON array of search page bodies
//! raw/entities/YYYY/MM/DD/<account>/creatives_<run>.json      JSON array of search page bodies
//! raw/entities/YYYY/MM/DD/<account>/posts_<run>.json          JSON array of post bodies fetched
//! raw/analytics/YYYY/MM/DD/<account>/creative_performance_<run>_<n>.json   one response, n = 1..
//! processed/creative_daily/dt=YYYY-MM-DD/account_id=<id>/part-0.parquet
//! processed/creatives/account_id=<id>/part-0.parquet
//! processed/campaigns/account_id=<id>/part-0.parquet
//! ```
//!
//! `YYYY/MM/DD` is the run's UTC date and `<run>` the run's start as epoch seconds, so raw
//! keys of two runs never collide (unless they start in the same second, when the later run
//! overwrites the earlier one's responses with its own) and sort by time. Curated keys carry
//! the day and the account as Hive-style partitions (`dt=`, `account_id=`), which Athena's
//! partition projection reads from the path: they are not columns in the files.

use ads::AccountId;
use chrono::{DateTime, NaiveDate, Utc};

/// The entity listings stored raw, one file per kind per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// Campaign search pages.
    Campaigns,
    /// Creative search pages.
    Creatives,
    /// Post bodies (ad copy).
    Posts,
}

impl EntityKind {
    fn file_stem(self) -> &'static str {
        match self {
            EntityKind::Campaigns => "campaigns",
            EntityKind::Creatives => "creatives",
            EntityKind::Posts => "posts",
        }
    }
}

/// The raw keys of one run for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawKeys {
    account: AccountId,
    started: DateTime<Utc>,
}

impl RawKeys {
    /// The raw keys of a run of `account` that started at `started`.
    pub fn new(account: AccountId, started: DateTime<Utc>) -> RawKeys {
        RawKeys { account, started }
    }

    /// The run's id in keys: its start as epoch seconds.
    pub fn run(&self) -> i64 {
        self.started.timestamp()
    }

    fn folder(&self, area: &str) -> String {
        format!(
            "raw/{area}/{}/{}",
            self.started.format("%Y/%m/%d"),
            self.account
        )
    }

    /// `raw/entities/YYYY/MM/DD/<account>/<kind>_<run>.json`.
    pub fn entities(&self, kind: EntityKind) -> String {
        format!(
            "{}/{}_{}.json",
            self.folder("entities"),
            kind.file_stem(),
            self.run()
        )
    }

    /// `raw/analytics/YYYY/MM/DD/<account>/creative_performance_<run>_<n>.json`, `n` counting
    /// the run's analytics responses from 1.
    pub fn analytics(&self, n: usize) -> String {
        format!(
            "{}/creative_performance_{}_{n}.json",
            self.folder("analytics"),
            self.run()
        )
    }
}

/// `processed/creative_daily/dt=YYYY-MM-DD/account_id=<id>/part-0.parquet`: one (day, account)
/// partition, overwritten whole by every run whose window covers the day.
pub fn creative_daily(day: NaiveDate, account: AccountId) -> String {
    format!("processed/creative_daily/dt={day}/account_id={account}/part-0.parquet")
}

/// `processed/creatives/account_id=<id>/part-0.parquet`: the latest metadata and ad copy of
/// every creative of the account seen so far.
pub fn creatives(account: AccountId) -> String {
    format!("processed/creatives/account_id={account}/part-0.parquet")
}

/// `processed/campaigns/account_id=<id>/part-0.parquet`: the latest state (status, bid,
/// budgets) of every campaign of the account seen so far.
pub fn campaigns(account: AccountId) -> String {
    format!("processed/campaigns/account_id={account}/part-0.parquet")
}

/// Joins page or post bodies into one JSON array, each body inserted verbatim (byte for
/// byte as LinkedIn sent it), so the file is one JSON document and nothing is re-encoded.
pub fn json_array(bodies: &[String]) -> String {
    let mut out = String::with_capacity(bodies.iter().map(|b| b.len() + 2).sum::<usize>() + 2);
    out.push('[');
    for (i, body) in bodies.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(body);
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn raw_keys_follow_the_run_date_and_start_second() {
        // GIVEN a run of account 42 starting 2026-08-05 23:59:59 UTC
        let started = Utc.with_ymd_and_hms(2026, 8, 5, 23, 59, 59).unwrap();
        let keys = RawKeys::new(AccountId(42), started);
        // THEN every raw key sits under that UTC date and names the run
        let run = started.timestamp();
        assert_eq!(
            keys.entities(EntityKind::Campaigns),
            format!("raw/entities/2026/08/05/42/campaigns_{run}.json")
        );
        assert_eq!(
            keys.entities(EntityKind::Creatives),
            format!("raw/entities/2026/08/05/42/creatives_{run}.json")
        );
        assert_eq!(
            keys.entities(EntityKind::Posts),
            format!("raw/entities/2026/08/05/42/posts_{run}.json")
        );
        assert_eq!(
            keys.analytics(3),
            format!("raw/analytics/2026/08/05/42/creative_performance_{run}_3.json")
        );
    }

    #[test]
    fn curated_keys_are_hive_partitions_by_day_and_account() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(
            creative_daily(day, AccountId(42)),
            "processed/creative_daily/dt=2026-01-02/account_id=42/part-0.parquet"
        );
        assert_eq!(
            creatives(AccountId(42)),
            "processed/creatives/account_id=42/part-0.parquet"
        );
        assert_eq!(
            campaigns(AccountId(42)),
            "processed/campaigns/account_id=42/part-0.parquet"
        );
    }

    #[test]
    fn bodies_join_into_one_json_array_verbatim() {
        // GIVEN two page bodies with their own spacing
        let bodies = vec![
            r#"{"elements":[{"id":1}], "metadata":{"nextPageToken":"a"}}"#.to_owned(),
            "{\"elements\":[]}\n".to_owned(),
        ];
        // WHEN joined
        let joined = json_array(&bodies);
        // THEN the array parses and holds each body unchanged
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&joined).unwrap();
        assert_eq!(parsed.len(), 2);
        assert!(joined.contains(bodies[0].as_str()));
        assert_eq!(json_array(&[]), "[]");
    }
}
