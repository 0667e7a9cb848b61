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

/// The metrics the collect step pulls by default.
const COLLECT_METRICS: [&str; 15] = [
    "impressions",
    "clicks",
    "landingPageClicks",
    "costInUsd",
    "costInLocalCurrency",
    "externalWebsiteConversions",
    "oneClickLeads",
    "oneClickLeadFormOpens",
    "likes",
    "comments",
    "shares",
    "follows",
    "totalEngagements",
    "videoViews",
    "approximateMemberReach",
];

/// Fifteen more, to make a query that needs two field chunks.
const MORE_METRICS: [&str; 15] = [
    "externalWebsitePostClickConversions",
    "externalWebsitePostViewConversions",
    "conversionValueInLocalCurrency",
    "videoCompletions",
    "videoStarts",
    "actionClicks",
    "adUnitClicks",
    "companyPageClicks",
    "otherEngagements",
    "reactions",
    "commentLikes",
    "textUrlClicks",
    "fullScreenPlays",
    "viralImpressions",
    "viralClicks",
];

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
        let start_date = NaiveDate::from_ymd_opt(2026, 8, 3).context("start date")?;
        let scenario = Scenario {
            seed: self.seed,
            start_date,
            campaigns_per_account: self.campaigns,
            creatives_per_campaign: self.creatives,
            ..Scenario::default()
        };
        let sim = sim::spawn(scenario).await?;
        let simulated = Instant::now();
        sim.admin().advance(self.days).await?;
        let simulated = simulated.elapsed();
        let credentials = sim.admin().credentials().await?;
        let creatives: Vec<CreativeId> = sim
            .admin()
            .truth_creatives()
            .await?
            .iter()
            .map(|truth| CreativeId(truth.creative_id))
            .collect();
        let end = start_date
            .checked_add_days(Days::new(u64::from(self.days) - 1))
            .context("end date")?;
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

        let queries = [
            ("15 metrics (collect)", COLLECT_METRICS.to_vec()),
            (
                "30 metrics",
                COLLECT_METRICS
                    .iter()
                    .chain(&MORE_METRICS)
                    .copied()
                    .collect(),
            ),
        ];
        for (name, metrics) in queries {
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
