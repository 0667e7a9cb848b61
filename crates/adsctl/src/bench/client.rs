//! `adsctl bench client`: how fast analytics flows through client + simulator, and whether
//! the client's plan issues the fewest requests LinkedIn's limits allow.
//!
//! The theoretical minimum for a query is ceil(metrics / 18) × ceil(entities × fan-out ×
//! days / 14,999): at most 20 fields per request (two of them `dateRange` and `pivotValues`)
//! and fewer than 15,000 elements per response, since LinkedIn truncates silently there.

use std::time::Instant;

use ads::CreativeId;
use anyhow::Context;
use chrono::{Days, NaiveDate};
use clap::Args;
use linkedin::token::AccessToken;
use linkedin::{AnalyticsFilter, AnalyticsPlan, AnalyticsQuery, Client, Config, Pivot};
use sim::Scenario;

/// The size of the simulated account and how often to repeat each query.
#[derive(Debug, Args)]
pub struct ClientBench {
    /// Campaigns in the account.
    #[arg(long, default_value_t = 20)]
    campaigns: u32,
    /// Creatives per campaign.
    #[arg(long, default_value_t = 10)]
    creatives: u32,
    /// Days of delivery to pull.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Runs of each query; the table shows the best and the median.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Seed of the simulated market.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl ClientBench {
    /// Runs the benchmark and prints its table.
    pub async fn run(self) -> anyhow::Result<()> {
        // The history is delivered before the clock's first day, so the seeded access token
        // (60 days from that day) is live for the whole pull.
        let today = NaiveDate::from_ymd_opt(2026, 11, 2).context("start date")?;
        let scenario = Scenario {
            seed: self.seed,
            start_date: today,
            campaigns_per_account: self.campaigns,
            creatives_per_campaign: self.creatives,
            history_days: self.days,
            ..Scenario::default()
        };
        let simulated = Instant::now();
        let sim = sim::spawn(scenario).await?;
        let simulated = simulated.elapsed();
        let credentials = sim.admin().credentials().await?;
        let creatives: Vec<CreativeId> = sim
            .admin()
            .truth_creatives()
            .await?
            .iter()
            .map(|truth| CreativeId(truth.creative_id))
            .collect();
        let start_date = today
            .checked_sub_days(Days::new(u64::from(self.days)))
            .context("start date")?;
        let end = today.pred_opt().context("end date")?;
        println!(
            "simulator: {} creatives × {} days simulated in {:.2} s",
            creatives.len(),
            self.days,
            simulated.as_secs_f64()
        );
        println!();
        println!(
            "{:<22} {:>8} {:>9} {:>8} {:>10} {:>12} {:>12}",
            "query", "rows", "requests", "minimum", "tunneled", "best rows/s", "median rows/s"
        );

        // One field chunk, then two: the simulator serves 45 metrics.
        for metric_count in [15, 30] {
            let name = format!("{metric_count} metrics");
            let metrics = &sim::metrics::METRICS[..metric_count];
            let query = AnalyticsQuery::new(
                Pivot::Creative,
                AnalyticsFilter::Creatives(creatives.clone()),
                start_date,
                end,
                metrics.iter().copied(),
            );
            let minimum = AnalyticsPlan::lower_bound(
                metrics.len(),
                creatives.len() as u64,
                query.effective_fan_out(),
                u64::from(self.days),
            );
            let client = Client::new(
                Config {
                    api_url: sim.api_url(),
                    oauth_url: sim.oauth_url(),
                    ..Config::default()
                },
                AccessToken::new(credentials.access_token.clone()),
            );
            let mut rates = Vec::with_capacity(self.runs);
            let mut rows = 0;
            let mut requests = 0;
            sim.admin().reset_stats().await?;
            for _ in 0..self.runs.max(1) {
                let started = Instant::now();
                let report = client.analytics(&query).await?;
                let seconds = started.elapsed().as_secs_f64();
                rows = report.rows.len();
                requests = report.requests;
                rates.push(rows as f64 / seconds);
            }
            let tunneled = sim.admin().stats().await?.tunneled_requests / rates.len() as u64;
            rates.sort_by(f64::total_cmp);
            println!(
                "{:<22} {:>8} {:>9} {:>8} {:>10} {:>12.0} {:>12.0}",
                name,
                rows,
                requests,
                minimum,
                tunneled,
                rates[rates.len() - 1],
                rates[rates.len() / 2]
            );
        }
        sim.shutdown().await;
        Ok(())
    }
}
