//! `adsctl report`: the report step on this machine — the day's decisions, the action log and
//! the daily series as Markdown and standalone HTML in `reports/`, and a notice appended to
//! `<data dir>/notifications.md` (the local notifier).

use ads::ObjectStore;
use chrono::{NaiveDate, Utc};
use clap::Args;

use crate::config::ConfigArgs;
use crate::pipeline;

/// Days of series the report charts.
const REPORT_DAYS: u32 = 28;

/// What to report on.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The ad account's id (digits).
    #[arg(long)]
    account: String,
    /// The day reported on (YYYY-MM-DD, UTC) [default: today].
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// The decisions file [default: the newest of the day, if any].
    #[arg(long)]
    decisions: Option<String>,
}

impl ReportArgs {
    /// Writes the report and prints where.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let account = pipeline::account(&self.account)?;
        let as_of = self.as_of.unwrap_or_else(|| Utc::now().date_naive());
        let decisions_key = match self.decisions {
            Some(key) => Some(key),
            None => newest_of_day(&store, as_of).await?,
        };
        let series_key = pipeline::decision_query(&store, account, as_of, REPORT_DAYS).await?;
        let notifier = local::FileNotifier::new(resolved.data_dir.join("notifications.md"));
        let output = report::run(
            report::Input {
                account_id: account,
                as_of,
                decisions_key,
                series_key: Some(series_key),
                apply: None,
                error: None,
                approval: None,
                execution: None,
                notify: true,
            },
            report::Ports {
                store: &store,
                notifier: &notifier,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", ads::error_names::StepError::name(&e)))?;
        println!("{}", output.subject);
        println!("  {}", resolved.data_dir.join(&output.html_key).display());
        println!(
            "  {}",
            resolved.data_dir.join(&output.markdown_key).display()
        );
        println!("  notice appended to {}", notifier.path().display());
        Ok(())
    }
}

/// The newest decisions file of `day`, if any.
async fn newest_of_day(store: &local::DirStore, day: NaiveDate) -> anyhow::Result<Option<String>> {
    let mut keys = store.list(&format!("decisions/{day}/")).await?;
    keys.retain(|k| k.ends_with(".json"));
    keys.sort();
    Ok(keys.pop())
}
