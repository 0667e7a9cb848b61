//! A simulated backfill: the simulator in a child process (`adsctl sim serve`) with a history
//! of delivery, and the collect step run over all of it into a temporary data directory.
//! The collect and query benchmarks both start from it.

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Days, NaiveDate};
use sim::AdminClient;

/// The size of the simulated account.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Size {
    /// Campaigns in the account.
    #[arg(long, default_value_t = 20)]
    pub campaigns: u32,
    /// Creatives per campaign.
    #[arg(long, default_value_t = 10)]
    pub creatives: u32,
    /// Days to backfill.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Seed of the simulated market.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A finished backfill; its directory is removed when this is dropped.
pub struct Backfill {
    /// Keeps the data directory alive.
    pub _workdir: tempfile::TempDir,
    /// The store the step wrote into.
    pub store: local::DirStore,
    /// What the step reported.
    pub output: collect::Output,
    /// How long the step took.
    pub elapsed: Duration,
    /// This process's peak RSS before the step, in KiB.
    pub rss_before_kib: u64,
    /// This process's peak RSS after the step, in KiB.
    pub rss_after_kib: u64,
    /// The ad account.
    pub account: u64,
    /// The creatives the simulator has.
    pub creatives: usize,
    /// The first and last day collected.
    pub first: NaiveDate,
    /// The last day collected (the simulator's yesterday).
    pub last: NaiveDate,
}

/// Ends the simulator's process when the benchmark ends, however it ends.
struct Simulator(Child);

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the backfill of `size`.
pub async fn run(size: Size) -> anyhow::Result<Backfill> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 2).context("date")?;
    let port = free_port()?;
    let _simulator = Simulator(
        Command::new(std::env::current_exe()?)
            .args(["sim", "serve", "--port", &port.to_string()])
            .args(["--seed", &size.seed.to_string()])
            .args(["--campaigns", &size.campaigns.to_string()])
            .args(["--creatives", &size.creatives.to_string()])
            .args(["--start-date", &today.to_string()])
            .args(["--history-days", &size.days.to_string()])
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
    let last = today.pred_opt().context("date")?;
    let first = last
        .checked_sub_days(Days::new(u64::from(size.days) - 1))
        .context("date")?;
    let input = collect::Input {
        account_id: account.to_string(),
        end_date: Some(last.to_string()),
        lookback_days: Some(i64::from(size.days)),
        ..collect::Input::default()
    };
    let now = today.and_hms_opt(6, 0, 0).context("time")?.and_utc();

    let rss_before_kib = peak_rss_kib()?;
    let started = Instant::now();
    let ports = collect::Ports {
        store: &store,
        secrets: &secrets,
        metrics: &metrics,
    };
    let output = collect::run(input, &settings, ports, now).await?;
    let elapsed = started.elapsed();
    let rss_after_kib = peak_rss_kib()?;
    Ok(Backfill {
        _workdir: workdir,
        store,
        output,
        elapsed,
        rss_before_kib,
        rss_after_kib,
        account,
        creatives: truth.len(),
        first,
        last,
    })
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
pub fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")
}
