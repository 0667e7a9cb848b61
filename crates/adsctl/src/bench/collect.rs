//! `adsctl bench collect`: a 90-day backfill of one account through the collect step
//! against the simulator, reporting wall time, LinkedIn requests against the minimum and
//! peak memory.
//!
//! The simulator runs as a child process (`adsctl sim serve`), so this process's peak RSS
//! (`VmHWM`) is the collect step's own, plus this harness's small baseline, reported apart.
//!
//! The minimum requests for a backfill: one page of campaigns and of creatives per 100, one
//! post read per creative (ad copy), and ceil(metrics / 18) × ceil(creatives × days / 14,999)
//! analytics requests.

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Days, NaiveDate};
use clap::Args;
use linkedin::AnalyticsPlan;
use sim::AdminClient;

/// LinkedIn's page size for campaign and creative searches.
const PAGE_SIZE: usize = 100;

/// The size of the backfill.
#[derive(Debug, Args)]
pub struct CollectBench {
    /// Campaigns in the account.
    #[arg(long, default_value_t = 20)]
    campaigns: u32,
    /// Creatives per campaign.
    #[arg(long, default_value_t = 10)]
    creatives: u32,
    /// Days to backfill.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Seed of the simulated market.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Ends the simulator's process when the benchmark ends, however it ends.
struct Simulator(Child);

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl CollectBench {
    /// Runs the backfill and prints its figures.
    pub async fn run(self) -> anyhow::Result<()> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 2).context("date")?;
        let port = free_port()?;
        let _simulator = Simulator(
            Command::new(std::env::current_exe()?)
                .args(["sim", "serve", "--port", &port.to_string()])
                .args(["--seed", &self.seed.to_string()])
                .args(["--campaigns", &self.campaigns.to_string()])
                .args(["--creatives", &self.creatives.to_string()])
                .args(["--start-date", &today.to_string()])
                .args(["--history-days", &self.days.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("starting the simulator")?,
        );
        let base = format!("http://127.0.0.1:{port}");
        let admin = AdminClient::new(base.clone());
        wait_until_up(&admin).await?;

        let workdir = tempfile::tempdir()?;
        let store = local::DirStore::new(workdir.path().join("data"));
        let secrets = local::SecretsFile::new(workdir.path().join("secrets.json"));
        let metrics = local::MetricsLog::new(workdir.path().join("metrics.jsonl"));
        store_credentials(&admin, &secrets).await?;
        let settings = collect::Settings {
            linkedin: linkedin::Config {
                api_url: format!("{base}/rest"),
                oauth_url: format!("{base}/oauth/v2"),
                ..linkedin::Config::default()
            },
            ..collect::Settings::default()
        };
        let truth = admin.truth_creatives().await?;
        let account = truth
            .first()
            .context("the simulator has no creatives")?
            .account_id;
        let end = today.pred_opt().context("date")?;
        let input = collect::Input {
            account_id: account.to_string(),
            end_date: Some(end.to_string()),
            lookback_days: Some(i64::from(self.days)),
            ..collect::Input::default()
        };
        let now = today.and_hms_opt(6, 0, 0).context("time")?.and_utc();

        let baseline = peak_rss_kib()?;
        let started = Instant::now();
        let ports = collect::Ports {
            store: &store,
            secrets: &secrets,
            metrics: &metrics,
        };
        let output = collect::run(input, &settings, ports, now).await?;
        let elapsed = started.elapsed();
        let peak = peak_rss_kib()?;

        let campaigns = self.campaigns as usize;
        let creatives = truth.len();
        let minimum = campaigns.div_ceil(PAGE_SIZE) as u64
            + creatives.div_ceil(PAGE_SIZE) as u64
            + creatives as u64
            + AnalyticsPlan::lower_bound(
                collect::metric_names::DEFAULT_METRICS.len(),
                creatives as u64,
                1,
                u64::from(self.days),
            );
        let start = end
            .checked_sub_days(Days::new(u64::from(self.days) - 1))
            .context("date")?;
        println!(
            "backfill: 1 account × {} campaigns × {} creatives, {start} to {end} ({} days)",
            self.campaigns, self.creatives, self.days
        );
        println!("wall time          {:>10.2} s", elapsed.as_secs_f64());
        println!("rows written       {:>10}", output.rows);
        println!("objects written    {:>10}", output.keys_written);
        println!("LinkedIn requests  {:>10}", output.requests);
        println!("minimum requests   {:>10}", minimum);
        println!("peak RSS           {:>10.1} MiB", peak as f64 / 1024.0);
        println!(
            "  of which before  {:>10.1} MiB (runtime and harness)",
            baseline as f64 / 1024.0
        );
        Ok(())
    }
}

/// A port nobody listens on right now.
fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Waits up to ten seconds for the simulator to answer.
async fn wait_until_up(admin: &AdminClient) -> anyhow::Result<()> {
    for _ in 0..200 {
        if admin.clock().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("the simulator did not start within 10 s")
}

/// Stores the simulator's seeded credentials as the `linkedin` secret: the simulator's
/// credentials document has the secret's very fields (`clientId`, `accessToken`, ...).
async fn store_credentials(
    admin: &AdminClient,
    secrets: &local::SecretsFile,
) -> anyhow::Result<()> {
    let document = serde_json::to_string(&admin.credentials().await?)?;
    ads::SecretStore::put(
        secrets,
        linkedin::secret::DEFAULT_SECRET_NAME,
        secrecy::SecretString::from(document),
    )
    .await?;
    Ok(())
}

/// This process's peak resident set size so far, in KiB (Linux's `VmHWM`).
fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")
}
