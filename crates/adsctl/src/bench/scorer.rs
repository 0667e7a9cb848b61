//! `adsctl bench scorer`: the creative scorer measured honestly, then put to work.
//!
//! 1. **Training.** A simulated world of many accounts (its own seed, none of the
//!    benchmark's markets) delivers for `--train-days` with no optimizer; every account is
//!    collected, and the train state machine runs over all of them — the `creative_training`
//!    SQL on DataFusion, the train step, the model stored as on AWS. Printed: held-out R²
//!    and MSE against the mean baseline, and the top feature importances.
//! 2. **Use.** The policy benchmark's markets (seeds from `--seed`), with the advertiser
//!    launching a new creative with fresh copy in each active campaign every
//!    `--launch-every` days, run twice through the real steps: bayes with the trained scorer
//!    (its CTR priors and variation ranking), and bayes without it. Printed: the campaigns'
//!    conversions in each new creative's first 14 days, the new creatives' own, and the
//!    whole run's — medians over the runs, and the paired difference.

use std::sync::Arc;

use ads::ObjectStore;
use anyhow::Context;
use asl::{FastForwardClock, Status};
use chrono::Days;
use clap::Args;
use futures::StreamExt;
use orchestration::{LocalSteps, Machine, Orchestrator};
use policy::Policy;
use serde_json::json;

use super::policy::Job;
use super::policy::contender::{self, Contender};
use super::policy::scorecard::{FIRST_DAYS, RunScore, median};

/// Options of the scorer benchmark.
#[derive(Debug, Args)]
pub struct ScorerBench {
    /// Accounts in the training world (a model needs thousands of creatives: copy explains
    /// a small part of a creative's CTR).
    #[arg(long, default_value_t = 80)]
    train_accounts: u32,
    /// Campaigns per training account.
    #[arg(long, default_value_t = 4)]
    train_campaigns: u32,
    /// Creatives per training campaign.
    #[arg(long, default_value_t = 10)]
    train_creatives: u32,
    /// Days the training world delivers.
    #[arg(long, default_value_t = 45)]
    train_days: u32,
    /// The training world's seed.
    #[arg(long, default_value_t = 9_001)]
    train_seed: u64,
    /// Runs (seeded markets) per variant.
    #[arg(long, default_value_t = 20)]
    runs: u32,
    /// Simulated days per run.
    #[arg(long, default_value_t = 60)]
    days: u32,
    /// Seed of the first run; run i uses seed + i.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Days between the advertiser's launches of new creatives.
    #[arg(long, default_value_t = 10)]
    launch_every: u32,
    /// The spread of creatives' quality that copy does not explain (sd of ln CTR), in the
    /// training world and the markets alike [default: the simulator's, 0.30]; lower it to
    /// see what the scorer does when copy explains more.
    #[arg(long)]
    ctr_noise_sd: Option<f64>,
    /// Simulations run at once.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
}

impl ScorerBench {
    /// Trains, prints the model's figures, then runs both variants and prints the table.
    pub async fn run(self) -> anyhow::Result<()> {
        let dir = tempfile::tempdir().context("a temporary data directory")?;
        let store = local::DirStore::new(dir.path().join("data"));
        println!(
            "training world: {} accounts × {} campaigns × {} creatives, {} days, seed {}",
            self.train_accounts,
            self.train_campaigns,
            self.train_creatives,
            self.train_days,
            self.train_seed
        );
        let ctr_noise_sd = self
            .ctr_noise_sd
            .unwrap_or(sim::Calibration::default().ctr_noise_sd);
        println!("creatives' quality beyond their copy: sd {ctr_noise_sd} of ln CTR");
        let metadata = self.train(&store, dir.path(), ctr_noise_sd).await?;
        print!("{}", crate::model::summary(&metadata));
        let mut seeded = Vec::new();
        for key in store.list(scoring::artifact::PREFIX).await? {
            seeded.push((key.clone(), store.get(&key).await?));
        }
        let seeded = Arc::new(seeded);

        let without = Policy {
            bayes: policy::policy::Bayes {
                creative_scorer: false,
                ..Policy::default().bayes
            },
            ..Policy::default()
        };
        let variants = [
            ("bayes with scorer", Policy::default()),
            ("bayes without", without),
        ];
        let jobs: Vec<(usize, Job)> = (0..self.runs)
            .flat_map(|i| {
                let seeded = &seeded;
                variants.iter().enumerate().map(move |(v, (_, policy))| {
                    let job = Job {
                        contender: Contender::Bayes,
                        seed: self.seed + u64::from(i),
                        days: self.days,
                        lag_days: 0,
                        campaigns: 3,
                        creatives: 4,
                        policy: Arc::new(policy.clone()),
                        ctr_noise_sd,
                        launch_every: Some(self.launch_every),
                        seeded: Arc::clone(seeded),
                    };
                    (v, job)
                })
            })
            .collect();
        println!(
            "\nnew creatives: {} runs × {} days, 3 campaigns × 4 creatives, a new creative per \
             active campaign every {} days",
            self.runs, self.days, self.launch_every
        );
        let scores: Vec<(usize, RunScore)> = futures::stream::iter(jobs)
            .map(|(v, job)| async move { contender::simulate(job).await.map(|s| (v, s)) })
            .buffer_unordered(self.jobs.max(1))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<anyhow::Result<_>>()?;
        println!("{}", table(&scores, &variants.map(|(name, _)| name)));
        Ok(())
    }

    /// The training world delivered, collected and trained on by the train state machine.
    async fn train(
        &self,
        store: &local::DirStore,
        dir: &std::path::Path,
        ctr_noise_sd: f64,
    ) -> anyhow::Result<scoring::Metadata> {
        let scenario = sim::Scenario {
            seed: self.train_seed,
            accounts: self.train_accounts,
            campaigns_per_account: self.train_campaigns,
            creatives_per_campaign: self.train_creatives,
            calibration: sim::Calibration {
                ctr_noise_sd,
                ..sim::Calibration::default()
            },
            ..sim::Scenario::default()
        };
        let running = sim::spawn(scenario).await.context("starting a simulator")?;
        running.admin().advance(self.train_days).await?;
        let secrets = contender::simulator_secrets(&running).await?;
        let mut accounts: Vec<String> = running
            .admin()
            .truth_creatives()
            .await?
            .iter()
            .map(|c| c.account_id.to_string())
            .collect();
        accounts.dedup();
        let engine = local::LocalQueryEngine::new(store.clone());
        let notifier = local::FileNotifier::new(dir.join("notifications.md"));
        let metrics = local::MetricsLog::new(dir.join("metrics.jsonl"));
        let now = (running.admin().clock().await?.today)
            .and_hms_opt(6, 0, 0)
            .context("a morning")?
            .and_utc();
        let clock = FastForwardClock::starting_at(now);
        let steps = LocalSteps {
            store,
            secrets: &secrets,
            metrics: &metrics,
            engine: &engine,
            notifier: &notifier,
            linkedin: linkedin::Config {
                api_url: running.api_url(),
                oauth_url: running.oauth_url(),
                ..linkedin::Config::default()
            },
            secret_name: linkedin::secret::DEFAULT_SECRET_NAME.to_owned(),
            clock: &clock,
        };
        let orchestrator = Orchestrator::new(&steps);
        let today = now.date_naive();
        let collected = orchestrator
            .start(
                Machine::Collect,
                "collect",
                json!({"accounts": accounts, "lookbackDays": self.train_days,
                       "endDate": (today - Days::new(1)).to_string()}),
            )
            .await?;
        anyhow::ensure!(
            collected.status == Status::Succeeded,
            "collecting the training world failed: {:?}",
            collected.cause
        );
        let trained = orchestrator
            .start(
                Machine::Train,
                "train",
                json!({"accounts": accounts, "asOf": today.to_string(),
                       "windowDays": self.train_days}),
            )
            .await?;
        running.shutdown().await;
        anyhow::ensure!(
            trained.status == Status::Succeeded,
            "training failed: {} {}",
            trained.error.unwrap_or_default(),
            trained.cause.unwrap_or_default()
        );
        Ok(scoring::ModelStore::new(store).latest_metadata().await?)
    }
}

/// One figure of a run.
type Measure = fn(&RunScore) -> f64;

/// Medians per variant, and the first variant's paired difference against the second.
fn table(scores: &[(usize, RunScore)], variants: &[&str]) -> String {
    let of = |v: usize, f: Measure| -> Vec<(u64, f64)> {
        let mut found: Vec<(u64, f64)> = scores
            .iter()
            .filter(|(i, _)| *i == v)
            .map(|(_, s)| (s.seed, f(s)))
            .collect();
        found.sort_by_key(|(seed, _)| *seed);
        found
    };
    let measures: [(&str, Measure); 3] = [
        ("campaign conversions, new creatives' first 14 days", |s| {
            s.launches.campaign_conversions
        }),
        ("new creatives' own conversions, first 14 days", |s| {
            s.launches.own_conversions
        }),
        ("conversions, whole run", |s| s.conversions),
    ];
    let mut out = format!(
        "| measure (median over runs) | {} | {} | paired difference: median | mean ± s.e. | runs better / worse |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        variants[0], variants[1]
    );
    for (name, f) in measures {
        let (with, without) = (of(0, f), of(1, f));
        let diffs: Vec<f64> = with
            .iter()
            .zip(&without)
            .filter(|(a, b)| a.0 == b.0)
            .map(|(a, b)| a.1 - b.1)
            .collect();
        let better = diffs.iter().filter(|d| **d > 0.0).count();
        let worse = diffs.iter().filter(|d| **d < 0.0).count();
        let values = |v: &[(u64, f64)]| median(v.iter().map(|(_, x)| *x).collect());
        let n = diffs.len().max(1) as f64;
        let mean = diffs.iter().sum::<f64>() / n;
        let spread =
            (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
        out.push_str(&format!(
            "| {name} | {:.1} | {:.1} | {:+.1} | {mean:+.1} ± {:.1} | {better} / {worse} |\n",
            values(&with),
            values(&without),
            median(diffs.clone()),
            spread / n.sqrt()
        ));
    }
    let launched: u32 = scores.iter().map(|(_, s)| s.launches.launched).sum();
    out.push_str(&format!(
        "\n{launched} creatives launched in all; a launch's first days are the {FIRST_DAYS} days \
         from its launch day"
    ));
    out
}
