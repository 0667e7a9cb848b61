//! `adsctl collect`: the collect step on this machine, over the local adapters.
//!
//! A range longer than one window is collected window by window (each a run of the step,
//! oldest first), with a progress bar, so memory stays bounded on a year-long backfill and
//! a failure part-way keeps every finished window. Within a window the step itself plans
//! the fewest LinkedIn requests.

use anyhow::Context;
use chrono::{Days, NaiveDate, Utc};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::ConfigArgs;

/// The default range: the step's own lookback, so restated conversions are re-pulled.
const DEFAULT_DAYS: u32 = 14;

/// What to collect.
#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The ad account's id (digits, as in Campaign Manager's URL).
    #[arg(long)]
    account: String,
    /// First day to collect (YYYY-MM-DD, UTC); requires --to.
    #[arg(long, requires = "to", conflicts_with = "days")]
    from: Option<NaiveDate>,
    /// Last day to collect (YYYY-MM-DD, UTC) [default: today].
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Days to collect, ending at --to [default: 14].
    #[arg(long)]
    days: Option<u32>,
    /// Only these campaigns (comma-separated ids) [default: every ACTIVE or PAUSED one].
    #[arg(long, value_delimiter = ',')]
    campaigns: Option<Vec<String>>,
    /// LinkedIn metric names (comma-separated) [default: the curated table's 15].
    #[arg(long, value_delimiter = ',')]
    metrics: Option<Vec<String>>,
    /// Days per run of the step when the range is longer.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=365))]
    window_days: u32,
}

/// One run of the step: `days` days ending at `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    end: NaiveDate,
    days: u32,
}

impl CollectArgs {
    /// Collects the range and prints what was written.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let today = Utc::now().date_naive();
        let (from, to) = self.range(today)?;
        let runs = windows(from, to, self.window_days);
        let store = resolved.store();
        let secrets = resolved.secrets();
        let metrics = resolved.metrics();
        let ports = collect::Ports {
            store: &store,
            secrets: secrets.as_ref(),
            metrics: &metrics,
        };
        let settings = collect::Settings {
            secret_name: resolved.secret_name.clone(),
            linkedin: resolved.linkedin.clone(),
            ..collect::Settings::default()
        };
        let total_days: u64 = runs.iter().map(|w| u64::from(w.days)).sum();
        let progress = ProgressBar::new(total_days).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} days  {msg}")
                .context("progress bar template")?,
        );
        let mut totals = Totals::default();
        for window in &runs {
            progress.set_message(format!("up to {}", window.end));
            let input = collect::Input {
                account_id: self.account.clone(),
                campaign_ids: self.campaigns.clone(),
                end_date: Some(window.end.to_string()),
                lookback_days: Some(i64::from(window.days)),
                metrics: self.metrics.clone(),
            };
            let output = collect::run(input, &settings, ports, Utc::now())
                .await
                .map_err(|error| {
                    progress.abandon();
                    anyhow::anyhow!(
                        "{}: {error}\n(windows before {} were collected and stay stored)",
                        ads::error_names::StepError::name(&error),
                        window.end
                    )
                })?;
            totals.add(&output);
            progress.inc(u64::from(window.days));
        }
        progress.finish_and_clear();
        println!(
            "collected account {} from {from} to {to}: {} rows, {} objects written, {} LinkedIn \
             requests, in {}",
            self.account,
            totals.rows,
            totals.keys,
            totals.requests,
            resolved.data_dir.display()
        );
        Ok(())
    }

    /// The inclusive range asked for.
    fn range(&self, today: NaiveDate) -> anyhow::Result<(NaiveDate, NaiveDate)> {
        let to = self.to.unwrap_or(today);
        let from = match (self.from, self.days) {
            (Some(from), _) => from,
            (None, days) => {
                let days = days.unwrap_or(DEFAULT_DAYS);
                anyhow::ensure!(days >= 1, "--days must be at least 1 (got 0)");
                to.checked_sub_days(Days::new(u64::from(days) - 1))
                    .context("--days reaches before the calendar starts")?
            }
        };
        anyhow::ensure!(
            from <= to,
            "--from ({from}) must not be after --to ({to}); swap them"
        );
        Ok((from, to))
    }
}

/// Splits `from..=to` into windows of at most `size` days, oldest first.
fn windows(from: NaiveDate, to: NaiveDate, size: u32) -> Vec<Window> {
    let mut windows = Vec::new();
    let mut start = from;
    while start <= to {
        let remaining = (to - start).num_days() as u32 + 1;
        let days = remaining.min(size);
        let end = start + Days::new(u64::from(days) - 1);
        windows.push(Window { end, days });
        start = end + Days::new(1);
    }
    windows
}

/// What all windows wrote.
#[derive(Debug, Default)]
struct Totals {
    rows: usize,
    keys: usize,
    requests: u64,
}

impl Totals {
    fn add(&mut self, output: &collect::Output) {
        self.rows += output.rows;
        self.keys += output.keys_written;
        self.requests += output.requests;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_long_range_is_split_into_windows_that_cover_it_exactly() {
        // GIVEN 200 days in windows of 90
        let split = windows(day("2026-01-01"), day("2026-07-19"), 90);
        // THEN three windows, oldest first, back to back, the last one short
        assert_eq!(
            split,
            [
                Window {
                    end: day("2026-03-31"),
                    days: 90
                },
                Window {
                    end: day("2026-06-29"),
                    days: 90
                },
                Window {
                    end: day("2026-07-19"),
                    days: 20
                },
            ]
        );
        assert_eq!(windows(day("2026-01-01"), day("2026-01-01"), 90).len(), 1);
    }
}
