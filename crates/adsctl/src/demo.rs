//! `adsctl demo`: the whole product on one machine, nothing to install but Rust. It starts
//! the LinkedIn simulator on loopback with a seeded account and, for each simulated day,
//! runs the collect state machine every six hours and the optimize state machine each
//! morning — through the local executor, with the real steps, in approve mode with the
//! approval granted at once — and a twin simulator with the same seed where nobody changes
//! anything. It ends with both runs' spend and conversions (the simulator's truth) and the
//! latest HTML report.
//!
//! The simulator's day moves in whole days, so the four collects of a day see the same
//! delivered days (the first re-pulls 14 days, as restated conversions need; the others the
//! last 2). The executor's clock starts at each execution's simulated hour and skips the
//! state machines' waits ([`asl::FastForwardClock`]); steps run in real time against their
//! `TimeoutSeconds`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use asl::{Execution, FastForwardClock, Status};
use chrono::{Days, NaiveDate};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use orchestration::{Answer, Machine, Orchestrator};
use rust_decimal::prelude::ToPrimitive;
use secrecy::SecretString;
use serde_json::{Value, json};
use sim::{RunningSim, Scenario};

use crate::config::ConfigArgs;
use crate::executions::LocalAdapters;

/// Marks a directory the demo made, so a re-run may empty it.
const MARKER: &str = ".adsctl-demo";
/// Hours of the day collect runs at; optimize runs after the first morning collect.
const COLLECT_HOURS: [u32; 4] = [0, 6, 12, 18];
/// The hour optimize runs.
const OPTIMIZE_HOUR: u32 = 6;

/// The demo's options.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Simulated days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=365))]
    days: u32,
    /// The simulated market's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where the demo's data goes (emptied first if an earlier demo made it).
    #[arg(long, default_value = "adsctl-demo")]
    data_dir: PathBuf,
}

/// One simulated run's totals.
#[derive(Debug, Default, Clone, Copy)]
struct Totals {
    spend: f64,
    conversions: f64,
}

impl DemoArgs {
    /// Runs the demo and prints its table.
    pub async fn run(self) -> anyhow::Result<()> {
        let started = Instant::now();
        prepare(&self.data_dir)?;
        let scenario = Scenario {
            seed: self.seed,
            ..Scenario::default()
        };
        let (optimized, twin) =
            tokio::try_join!(sim::spawn(scenario.clone()), sim::spawn(scenario))
                .context("starting the simulators")?;
        let adapters = adapters(&optimized, &self.data_dir).await?;
        let account = optimized
            .admin()
            .truth_creatives()
            .await?
            .first()
            .context("the simulator seeded no creative")?
            .account_id
            .to_string();
        let first_day = optimized.admin().clock().await?.today;
        println!(
            "demo: seed {}, account {account}, {} simulated days from {first_day}, data in {}",
            self.seed,
            self.days,
            self.data_dir.display()
        );
        let progress = ProgressBar::new(u64::from(self.days)).with_style(
            ProgressStyle::with_template("{bar:40} day {pos}/{len}  {msg}  {elapsed}")
                .context("progress bar template")?,
        );
        let mut last_as_of = first_day;
        let mut executions = 0u32;
        for _ in 0..self.days {
            let today = optimized.admin().advance(1).await?.today;
            progress.set_message(today.to_string());
            for hour in COLLECT_HOURS {
                collect(&adapters, &account, today, hour).await?;
                executions += 1;
                if hour == OPTIMIZE_HOUR {
                    optimize(&adapters, &account, today).await?;
                    executions += 1;
                }
            }
            last_as_of = today;
            progress.inc(1);
        }
        progress.finish_and_clear();
        twin.admin().advance(self.days).await?;
        let last_day = first_day + Days::new(u64::from(self.days) - 1);
        let with = totals(&optimized, first_day, last_day).await?;
        let without = totals(&twin, first_day, last_day).await?;
        optimized.shutdown().await;
        twin.shutdown().await;
        println!("{}", table(&with, &without));
        println!(
            "{executions} executions in {:.1} s; latest report: {}",
            started.elapsed().as_secs_f64(),
            self.data_dir
                .join(format!("reports/{last_as_of}.html"))
                .display()
        );
        println!(
            "inspect them: adsctl executions --data-dir {}",
            self.data_dir.display()
        );
        Ok(())
    }
}

/// Empties `dir` when an earlier demo made it; refuses a directory the demo did not make.
fn prepare(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let ours = dir.join(MARKER).exists();
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_none();
        anyhow::ensure!(
            ours || empty,
            "--data-dir {} exists and was not made by adsctl demo; choose another directory",
            dir.display()
        );
        std::fs::remove_dir_all(dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(dir.join(MARKER), "made by adsctl demo\n")?;
    Ok(())
}

/// The local adapters over `dir`, pointed at the simulator, its credentials in the
/// (0600) secrets file.
async fn adapters(running: &RunningSim, dir: &Path) -> anyhow::Result<LocalAdapters> {
    let mut resolved = ConfigArgs {
        config: None,
        data_dir: Some(dir.to_path_buf()),
    }
    .resolve_with(|_| None)?;
    resolved.linkedin.api_url = running.api_url();
    resolved.linkedin.oauth_url = running.oauth_url();
    resolved.linkedin.retry = linkedin::RetryPolicy::quick();
    let credentials = running.admin().credentials().await?;
    let adapters = LocalAdapters::new(resolved);
    adapters
        .secrets()
        .put(
            linkedin::secret::DEFAULT_SECRET_NAME,
            SecretString::from(serde_json::to_string(&credentials)?),
        )
        .await?;
    Ok(adapters)
}

/// One collect execution at `hour` of `today`, of the days before it.
async fn collect(
    adapters: &LocalAdapters,
    account: &str,
    today: NaiveDate,
    hour: u32,
) -> anyhow::Result<()> {
    let lookback = if hour == COLLECT_HOURS[0] { 14 } else { 2 };
    let input = json!({"accounts": [account], "lookbackDays": lookback,
                       "endDate": (today - Days::new(1)).to_string()});
    let name = format!("collect-{today}T{hour:02}");
    let execution = run(adapters, Machine::Collect, &name, today, hour, input).await?;
    succeeded(&execution)
}

/// The morning's optimize execution, in approve mode, approved as soon as it asks.
async fn optimize(adapters: &LocalAdapters, account: &str, today: NaiveDate) -> anyhow::Result<()> {
    let window = crate::pipeline::decision_window(&policy::Policy::default(), today);
    let end = today - Days::new(1);
    let start = end - Days::new(u64::from(window) - 1);
    let input = json!({"accountId": account, "asOf": today.to_string(),
                       "windowStart": start.to_string(), "windowEnd": end.to_string(),
                       "mode": "approve"});
    let name = format!("optimize-{today}");
    let execution = run(
        adapters,
        Machine::Optimize,
        &name,
        today,
        OPTIMIZE_HOUR,
        input,
    )
    .await?;
    succeeded(&execution)
}

/// Starts `machine` at `hour` of `today` on the executor's clock; answers an approval
/// request at once.
async fn run(
    adapters: &LocalAdapters,
    machine: Machine,
    name: &str,
    today: NaiveDate,
    hour: u32,
    input: Value,
) -> anyhow::Result<Execution> {
    let start = today
        .and_hms_opt(hour, 0, 0)
        .context("an hour of the day")?
        .and_utc();
    let clock = FastForwardClock::starting_at(start);
    let steps = adapters.steps(&clock);
    let orchestrator = Orchestrator::new(&steps);
    let mut execution = orchestrator.start(machine, name, input).await?;
    let approval = Answer::Approve {
        by: "adsctl demo (auto-approved)".to_owned(),
        action_ids: None,
    };
    while let Some(waiting) = execution.pending_callbacks().first() {
        execution = orchestrator.answer(&waiting.token, &approval).await?;
    }
    Ok(execution)
}

/// An error naming the execution unless it succeeded.
fn succeeded(execution: &Execution) -> anyhow::Result<()> {
    anyhow::ensure!(
        execution.status == Status::Succeeded,
        "execution {} ended {}: {} {} (adsctl executions show {} --data-dir ...)",
        execution.name,
        execution.status.as_str(),
        execution.error.as_deref().unwrap_or_default(),
        execution.cause.as_deref().unwrap_or_default(),
        execution.name
    );
    Ok(())
}

/// Spend and every conversion the days will report, from the simulator's truth.
async fn totals(running: &RunningSim, first: NaiveDate, last: NaiveDate) -> anyhow::Result<Totals> {
    let delivery = running.admin().truth_delivery(first, last).await?;
    Ok(Totals {
        spend: delivery
            .iter()
            .map(|d| d.cost_usd.to_f64().unwrap_or(0.0))
            .sum(),
        conversions: delivery.iter().map(|d| d.conversions_total as f64).sum(),
    })
}

/// The two runs side by side.
fn table(with: &Totals, without: &Totals) -> String {
    let per = |t: &Totals| {
        if t.conversions > 0.0 {
            format!("${:.2}", t.spend / t.conversions)
        } else {
            "—".to_owned()
        }
    };
    let change = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:+.1}%", 100.0 * (a / b - 1.0))
        } else {
            "—".to_owned()
        }
    };
    let cpa = |t: &Totals| t.spend / t.conversions.max(1.0);
    format!(
        "| run | spend | conversions | cost / conversion |\n| --- | ---: | ---: | ---: |\n\
         | optimized (bayes, approved) | ${:.2} | {:.0} | {} |\n\
         | twin, no optimization | ${:.2} | {:.0} | {} |\n\
         | change | {} | {} | {} |",
        with.spend,
        with.conversions,
        per(with),
        without.spend,
        without.conversions,
        per(without),
        change(with.spend, without.spend),
        change(with.conversions, without.conversions),
        change(cpa(with), cpa(without)),
    )
}
