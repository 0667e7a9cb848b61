//! `adsctl bench collect`: a 90-day backfill of one account through the collect step
//! against the simulator, reporting wall time, LinkedIn requests against the minimum and
//! peak memory.
//!
//! The simulator runs as a child process, so this process's peak RSS (`VmHWM`) is the
//! collect step's own, plus this harness's small baseline, reported apart.
//!
//! The minimum requests for a backfill: one page of campaigns and of creatives per 100, one
//! post read per creative (ad copy), and ceil(metrics / 18) × ceil(creatives × days / 14,999)
//! analytics requests.

use clap::Args;
use linkedin::AnalyticsPlan;

use super::backfill::{self, Size};

/// LinkedIn's page size for campaign and creative searches.
const PAGE_SIZE: usize = 100;

/// The size of the backfill.
#[derive(Debug, Args)]
pub struct CollectBench {
    #[command(flatten)]
    size: Size,
}

impl CollectBench {
    /// Runs the backfill and prints its figures.
    pub async fn run(self) -> anyhow::Result<()> {
        let size = self.size;
        let done = backfill::run(size).await?;
        let creatives = done.creatives;
        let minimum = (size.campaigns as usize).div_ceil(PAGE_SIZE) as u64
            + creatives.div_ceil(PAGE_SIZE) as u64
            + creatives as u64
            + AnalyticsPlan::lower_bound(
                collect::metric_names::DEFAULT_METRICS.len(),
                creatives as u64,
                1,
                u64::from(size.days),
            );
        println!(
            "backfill: 1 account × {} campaigns × {} creatives, {} to {} ({} days)",
            size.campaigns, size.creatives, done.first, done.last, size.days
        );
        println!("wall time          {:>10.2} s", done.elapsed.as_secs_f64());
        println!("rows written       {:>10}", done.output.rows);
        println!("objects written    {:>10}", done.output.keys_written);
        println!("LinkedIn requests  {:>10}", done.output.requests);
        println!("minimum requests   {:>10}", minimum);
        println!(
            "peak RSS           {:>10.1} MiB",
            done.rss_after_kib as f64 / 1024.0
        );
        println!(
            "  of which before  {:>10.1} MiB (runtime and harness)",
            done.rss_before_kib as f64 / 1024.0
        );
        Ok(())
    }
}
