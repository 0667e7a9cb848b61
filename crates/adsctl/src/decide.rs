//! `adsctl decide`: the decision query and the decide step on this machine, printing each
//! proposed and blocked action with its reason. Nothing changes on LinkedIn (that is
//! `adsctl apply`).

use std::path::PathBuf;

use ads::decision::Decisions;
use chrono::{NaiveDate, Utc};
use clap::Args;

use crate::config::ConfigArgs;
use crate::pipeline;

/// What to decide.
#[derive(Debug, Args)]
pub struct DecideArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The ad account's id (digits).
    #[arg(long)]
    account: String,
    /// The day to decide for (YYYY-MM-DD, UTC) [default: today]; data up to the day before.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// A policy file (TOML, or JSON by extension) [default: the bayes policy].
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Names the decisions file `decisions/<as-of>/<execution>.json` [default: local-<time>].
    #[arg(long)]
    execution: Option<String>,
}

impl DecideArgs {
    /// Decides and prints the actions.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let account = pipeline::account(&self.account)?;
        let as_of = self.as_of.unwrap_or_else(|| Utc::now().date_naive());
        let policy = pipeline::read_policy(self.policy.as_deref())?;
        let window = pipeline::decision_window(&policy, as_of);
        let result_key = pipeline::decision_query(&store, account, as_of, window).await?;
        let execution = self
            .execution
            .unwrap_or_else(|| format!("local-{}", Utc::now().format("%Y%m%dT%H%M%S")));
        let output = decide::run(
            decide::Input {
                result_key,
                account_id: account.0.to_string(),
                as_of,
                execution,
                policy: Some(serde_json::to_value(&policy)?),
                policy_key: None,
            },
            decide::Ports { store: &store },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", ads::error_names::StepError::name(&e)))?;
        let body = ads::ObjectStore::get(&store, &output.decisions_key).await?;
        let decisions: Decisions = serde_json::from_slice(&body)?;
        println!(
            "{} mode, as of {as_of}: {} proposed, {} blocked → {}",
            output.mode,
            output.proposed,
            output.blocked,
            resolved.data_dir.join(&output.decisions_key).display()
        );
        for action in &decisions.actions {
            println!("{}", crate::actions::describe(action));
        }
        for note in &decisions.notes {
            println!("note: {note}");
        }
        Ok(())
    }
}
