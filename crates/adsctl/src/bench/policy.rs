//! `adsctl bench policy`: the headline figure. The same seeded markets, run under each
//! contender for the same days, through the real steps against the simulator on loopback:
//!
//! - **none**: no changes (LinkedIn rotates every creative evenly);
//! - **rules**: the seed's fixed thresholds (`Policy::seed_rules`) through collect, the
//!   `decision_series` query, decide and apply, every simulated day;
//! - **bayes**: the default policy through the same steps;
//! - **ab-test**: nothing for 14 days, then keep each campaign's creative with the most
//!   conversions per impression observed (collected and queried like the others), applied
//!   through apply;
//! - **oracle**: bayes's bid, budget and variation moves, with the pauses and resumes chosen
//!   from the true rates (the simulator's truth), through apply (see `oracle`).
//!
//! Conversions are the simulator's ground truth: every conversion the horizon's delivery will
//! ever report (the reporting lag hides conversions from the policies, not from the score).
//! [`scorecard`] computes wrong pauses, flip-flops and guardrail violations from the action
//! log and the truth snapshots.

pub(crate) mod contender;
mod oracle;
pub(crate) mod scorecard;

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use policy::Policy;

pub use contender::Contender;
use scorecard::RunScore;

/// Options of the policy benchmark.
#[derive(Debug, Args)]
pub struct PolicyBench {
    /// Simulated days per run.
    #[arg(long, default_value_t = 60)]
    days: u32,
    /// Runs (seeded markets) per contender.
    #[arg(long, default_value_t = 50)]
    runs: u32,
    /// Extra days before LinkedIn reports any conversion (3 models CAPI's late data).
    #[arg(long, default_value_t = 0)]
    lag_days: u32,
    /// Seed of the first run; run i uses seed + i.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Campaigns in the simulated account.
    #[arg(long, default_value_t = 3)]
    campaigns: u32,
    /// Creatives per campaign.
    #[arg(long, default_value_t = 4)]
    creatives: u32,
    /// Which contenders (comma-separated) [default: all five].
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Option<Vec<Contender>>,
    /// Simulations run at once.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// A policy file (TOML or JSON) for the bayes contender and for the oracle's bid, budget
    /// and variation moves [default: the default policy].
    #[arg(long)]
    policy: Option<std::path::PathBuf>,
}

/// One simulation to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The contender.
    pub contender: Contender,
    /// The market's seed.
    pub seed: u64,
    /// Days to simulate.
    pub days: u32,
    /// Reporting lag, days.
    pub lag_days: u32,
    /// Campaigns in the account.
    pub campaigns: u32,
    /// Creatives per campaign.
    pub creatives: u32,
    /// The bayes contender's policy.
    pub policy: Arc<Policy>,
    /// The simulator's `ctr_noise_sd`: the spread of creatives' quality that copy does not
    /// explain (sd of ln CTR).
    pub ctr_noise_sd: f64,
    /// Every this many days the advertiser launches a new creative (fresh copy) in each
    /// active campaign; `None`: never.
    pub launch_every: Option<u32>,
    /// Objects put in the run's store before it starts: a trained creative scorer's
    /// `models/creative_scoring/` files.
    pub seeded: Arc<Vec<(String, bytes::Bytes)>>,
}

impl PolicyBench {
    /// Runs every contender on every seed and prints the table.
    pub async fn run(self) -> anyhow::Result<()> {
        let contenders = self.only.clone().unwrap_or_else(|| Contender::ALL.to_vec());
        let policy = Arc::new(crate::pipeline::read_policy(self.policy.as_deref())?);
        let jobs: Vec<Job> = (0..self.runs)
            .flat_map(|i| {
                let policy = &policy;
                contenders.iter().map(move |contender| Job {
                    contender: *contender,
                    seed: self.seed + u64::from(i),
                    days: self.days,
                    lag_days: self.lag_days,
                    campaigns: self.campaigns,
                    creatives: self.creatives,
                    policy: Arc::clone(policy),
                    ctr_noise_sd: sim::Calibration::default().ctr_noise_sd,
                    launch_every: None,
                    seeded: Arc::default(),
                })
            })
            .collect();
        println!(
            "policy benchmark: {} runs × {} days, {} campaigns × {} creatives, reporting lag {} \
             day(s), contenders {}",
            self.runs,
            self.days,
            self.campaigns,
            self.creatives,
            self.lag_days,
            contenders
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let progress = ProgressBar::new(jobs.len() as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} simulations  {elapsed}")
                .context("progress bar template")?,
        );
        let started = Instant::now();
        let mut scores: Vec<RunScore> = futures::stream::iter(jobs)
            .map(|job| async move { contender::simulate(job).await })
            .buffer_unordered(self.jobs.max(1))
            .inspect(|_| progress.inc(1))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<anyhow::Result<_>>()?;
        progress.finish_and_clear();
        scores.sort_by_key(|s| (s.seed, s.contender));
        println!(
            "{}",
            scorecard::table(&scores, &contenders, started.elapsed())
        );
        Ok(())
    }
}
