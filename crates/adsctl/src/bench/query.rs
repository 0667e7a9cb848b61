//! `adsctl bench query`: what the daily decision query costs.
//!
//! 1. Bytes scanned, on Athena's terms: Athena bills the Parquet column chunks it reads, and
//!    partition projection means it reads only the window's `dt` partitions and only the
//!    columns the query names. That figure, from the files' own metadata, is set against the
//!    seed's design, which kept raw JSON and had Athena scan all of it — here the raw
//!    analytics responses of one pull of the whole history (the seed pulled every 6 hours,
//!    so its real scan was larger still).
//! 2. Latency of the local engine (DataFusion) on a year of synthetic curated data for
//!    2,000 creatives, through the same catalog query and binding the steps use.

use std::time::Instant;

use ads::{AccountId, CampaignId, CreativeDay, CreativeDayKey, CreativeId, ObjectStore};
use anyhow::Context;
use bytes::Bytes;
use chrono::{Days, NaiveDate, Utc};
use clap::Args;
use collect::curated::{self, CampaignRecord, CreativeRecord, DailyRow};
use collect::keys;
use parquet::file::reader::{FileReader, SerializedFileReader};
use serde_json::json;

use super::backfill::{self, Size};

/// The `creative_daily` columns `athena/queries/decision_input.sql` reads (dt and account_id
/// are partition keys: they come from the path, not the file).
const DAILY_COLUMNS: [&str; 7] = [
    "campaign_id",
    "creative_id",
    "impressions",
    "clicks",
    "cost_in_usd",
    "conversions",
    "one_click_leads",
];
/// The `campaigns` columns it reads.
const CAMPAIGN_COLUMNS: [&str; 6] = [
    "campaign_id",
    "unit_cost",
    "daily_budget",
    "currency",
    "cost_type",
    "status",
];
/// The content type the collect step stores curated files with.
const PARQUET: &str = "application/vnd.apache.parquet";

/// The `creatives` columns it reads.
const CREATIVE_COLUMNS: [&str; 2] = ["creative_id", "status"];

/// The backfill to measure scans on, and the synthetic year to measure latency on.
#[derive(Debug, Args)]
pub struct QueryBench {
    #[command(flatten)]
    size: Size,
    /// Days the decision query reads, ending at the last day collected.
    #[arg(long, default_value_t = 28)]
    window: u32,
    /// Days of synthetic data for the latency run.
    #[arg(long, default_value_t = 365)]
    large_days: u32,
    /// Creatives (10 per campaign) in the synthetic data.
    #[arg(long, default_value_t = 2000)]
    large_creatives: u32,
    /// Runs of each timed query; the best and the median are shown.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

impl QueryBench {
    /// Runs both measurements and prints them.
    pub async fn run(self) -> anyhow::Result<()> {
        self.scanned_bytes().await?;
        println!();
        self.latency().await
    }

    async fn scanned_bytes(&self) -> anyhow::Result<()> {
        let done = backfill::run(self.size).await?;
        let account = AccountId(done.account);
        let raw: u64 = sizes(&done.store, "raw/analytics/").await?;
        println!(
            "scan: {} creatives × {} days collected; raw analytics JSON {} bytes",
            done.creatives, self.size.days, raw
        );
        println!(
            "{:<28} {:>14} {:>16}",
            "decision_input window", "Parquet bytes", "JSON / Parquet"
        );
        for window in [self.window, self.size.days] {
            let first = done
                .last
                .checked_sub_days(Days::new(u64::from(window) - 1))
                .context("window")?;
            let mut bytes = 0;
            let mut day = first;
            while day <= done.last {
                let file = done.store.get(&keys::creative_daily(day, account)).await?;
                bytes += column_bytes(file, &DAILY_COLUMNS)?;
                day = day.succ_opt().context("day")?;
            }
            bytes += column_bytes(
                done.store.get(&keys::campaigns(account)).await?,
                &CAMPAIGN_COLUMNS,
            )?;
            bytes += column_bytes(
                done.store.get(&keys::creatives(account)).await?,
                &CREATIVE_COLUMNS,
            )?;
            println!(
                "{:<28} {:>14} {:>15.0}×",
                format!("{window} days"),
                bytes,
                raw as f64 / bytes as f64
            );
        }
        Ok(())
    }

    async fn latency(&self) -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = local::DirStore::new(dir.path().join("data"));
        let account = AccountId(500_000_001);
        let last = NaiveDate::from_ymd_opt(2026, 11, 1).context("date")?;
        let written = Instant::now();
        let rows = synthesize(&store, account, last, self.large_days, self.large_creatives).await?;
        println!(
            "latency: {} rows ({} creatives × {} days) written in {:.1} s",
            rows,
            self.large_creatives,
            self.large_days,
            written.elapsed().as_secs_f64()
        );
        println!(
            "{:<28} {:>10} {:>12} {:>12}",
            "query", "rows out", "best ms", "median ms"
        );
        let engine = local::LocalQueryEngine::new(store.clone());
        let catalog = catalog::Catalog::embedded();
        for window in [28, self.large_days] {
            let first = last
                .checked_sub_days(Days::new(u64::from(window) - 1))
                .context("window")?;
            let query = catalog.query("decision_input")?;
            let serde_json::Value::Object(params) = json!({
                "account_id": account.0.to_string(),
                "start_date": first.to_string(),
                "end_date": last.to_string(),
            }) else {
                unreachable!("a JSON object")
            };
            let request = ads::QueryRequest {
                name: query.name.clone(),
                sql: query.sql.clone(),
                params: query.bind(&params)?,
            };
            let mut times = Vec::new();
            let mut out_rows = 0;
            for _ in 0..self.runs.max(1) {
                let started = Instant::now();
                let id = ads::QueryEngine::start(&engine, &request).await?;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                match ads::QueryEngine::state(&engine, &id).await? {
                    ads::QueryState::Succeeded { result_key } => {
                        let csv = store.get(&result_key).await?;
                        out_rows = csv
                            .iter()
                            .filter(|b| **b == b'\n')
                            .count()
                            .saturating_sub(1);
                    }
                    other => anyhow::bail!("decision_input did not succeed: {other:?}"),
                }
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{:<28} {:>10} {:>12.0} {:>12.0}",
                format!("decision_input, {window} days"),
                out_rows,
                times[0],
                times[times.len() / 2]
            );
        }
        Ok(())
    }
}

/// The total size of the objects under `prefix`.
async fn sizes(store: &local::DirStore, prefix: &str) -> anyhow::Result<u64> {
    let mut total = 0;
    for key in store.list(prefix).await? {
        total += store.get(&key).await?.len() as u64;
    }
    Ok(total)
}

/// The compressed bytes of the named columns' chunks in a Parquet file: what Athena reads.
fn column_bytes(file: Bytes, columns: &[&str]) -> anyhow::Result<u64> {
    let reader = SerializedFileReader::new(file)?;
    let mut total = 0;
    for group in reader.metadata().row_groups() {
        for chunk in group.columns() {
            if columns.contains(&chunk.column_path().string().as_str()) {
                total += chunk.compressed_size() as u64;
            }
        }
    }
    Ok(total)
}

/// Writes `days` days of curated data for `creatives` creatives (10 per campaign), plus the
/// campaigns and creatives files, with deterministic made-up numbers. Returns the rows.
async fn synthesize(
    store: &local::DirStore,
    account: AccountId,
    last: NaiveDate,
    days: u32,
    creatives: u32,
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let campaign_of = |creative: u32| CampaignId(700_000_000 + u64::from(creative / 10));
    let mut rows = 0;
    for back in 0..days {
        let date = last
            .checked_sub_days(Days::new(u64::from(back)))
            .context("day")?;
        let day: Vec<DailyRow> = (0..creatives)
            .map(|c| {
                let seed = u64::from(c) * 7919 + u64::from(back) * 104_729;
                let impressions = 200 + seed % 900;
                let clicks = impressions * (2 + seed % 7) / 1000;
                let key = CreativeDayKey {
                    date,
                    account,
                    campaign: campaign_of(c),
                    creative: CreativeId(880_000_000 + u64::from(c)),
                };
                let metrics = [
                    ("impressions", impressions.into()),
                    ("clicks", clicks.into()),
                    (
                        "costInUsd",
                        rust_decimal::Decimal::new((clicks * 731) as i64, 2),
                    ),
                    ("externalWebsiteConversions", (clicks / 9).into()),
                ]
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
                CreativeDay::from_metrics(key, &metrics).map(|day| DailyRow {
                    day,
                    collected_at: now,
                })
            })
            .collect::<Result<_, _>>()?;
        rows += day.len();
        let file = curated::creative_daily_file(&day)?;
        store
            .put(&keys::creative_daily(date, account), file, PARQUET)
            .await?;
    }
    let campaigns: Vec<CampaignRecord> = (0..creatives.div_ceil(10))
        .map(|c| CampaignRecord {
            campaign_id: campaign_of(c * 10),
            name: format!("Campaign {c}"),
            status: "ACTIVE".into(),
            cost_type: "CPC".into(),
            objective_type: None,
            unit_cost: Some(rust_decimal::Decimal::new(650, 2)),
            daily_budget: Some(rust_decimal::Decimal::new(100, 0)),
            total_budget: None,
            currency: Some("USD".into()),
            created_at: None,
            last_modified_at: None,
            collected_at: now,
        })
        .collect();
    store
        .put(
            &keys::campaigns(account),
            curated::campaigns_file(&campaigns)?,
            PARQUET,
        )
        .await?;
    let records: Vec<CreativeRecord> = (0..creatives)
        .map(|c| CreativeRecord {
            creative_id: CreativeId(880_000_000 + u64::from(c)),
            campaign_id: campaign_of(c),
            campaign_name: format!("Campaign {}", c / 10),
            name: None,
            status: "ACTIVE".into(),
            copy: ads::AdCopy::default(),
            post_urn: None,
            created_at: None,
            last_modified_at: None,
            collected_at: now,
        })
        .collect();
    store
        .put(
            &keys::creatives(account),
            curated::creatives_file(&records)?,
            PARQUET,
        )
        .await?;
    Ok(rows)
}
