//! `adsctl apply` and `adsctl undo`: the apply step on this machine. apply runs a decisions
//! file (the newest by default) in dry-run mode unless told otherwise; undo reverses applied
//! actions. Both log to `logs/optimizer_actions/` like the Lambda does.

use std::path::PathBuf;

use ads::ObjectStore;
use ads::decision::ActionId;
use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::config::{ConfigArgs, Resolved};
use crate::pipeline;

/// apply's modes, as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    /// Record what would change; change nothing.
    DryRun,
    /// Apply only the actions approved with --approve (or all with --approve-all).
    Approve,
    /// Apply every action no guardrail blocks.
    Auto,
}

/// What to apply.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The decisions file's key (decisions/YYYY-MM-DD/<execution>.json) [default: the newest].
    #[arg(long)]
    decisions: Option<String>,
    /// dry-run records what would change; approve applies what a person approved; auto
    /// applies every action no guardrail blocks.
    #[arg(long, value_enum, default_value_t = ModeArg::DryRun)]
    mode: ModeArg,
    /// In approve mode: the approved action ids (comma-separated).
    #[arg(long, value_delimiter = ',', conflicts_with = "approve_all")]
    approve: Option<Vec<String>>,
    /// In approve mode: approve every proposed action of the file.
    #[arg(long)]
    approve_all: bool,
    /// The policy file whose guardrails apply re-checks [default: the default guardrails].
    #[arg(long)]
    policy: Option<PathBuf>,
}

impl ApplyArgs {
    /// Applies the file and prints each action's outcome.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let decisions_key = match self.decisions {
            Some(key) => key,
            None => newest_decisions(&store).await?,
        };
        let approval = (self.approve.is_some() || self.approve_all).then(|| apply::Approval {
            approved_by: std::env::var("USER").ok(),
            action_ids: self
                .approve
                .map(|ids| ids.into_iter().map(ActionId).collect()),
        });
        let mode = match self.mode {
            ModeArg::DryRun => apply::Mode::DryRun,
            ModeArg::Approve => apply::Mode::Approve,
            ModeArg::Auto => apply::Mode::Auto,
        };
        let policy = pipeline::read_policy(self.policy.as_deref())?;
        let secrets = resolved.secrets();
        let input = apply::Input {
            decisions_key: decisions_key.clone(),
            mode,
            approval,
            policy: Some(serde_json::to_value(&policy)?),
            policy_key: None,
            now: None,
        };
        let ports = apply::Ports {
            store: &store,
            secrets: secrets.as_ref(),
        };
        match apply::run(input, &settings(&resolved), ports).await {
            Ok(output) => {
                println!(
                    "{} {decisions_key}: {} applied, {} dry-run, {} skipped, {} refused → {}",
                    output.mode.as_str(),
                    output.applied,
                    output.dry_run,
                    output.skipped,
                    output.refused,
                    output.log_key
                );
                print_results(&output.results);
                Ok(())
            }
            Err(apply::Error::ActionsFailed { results, .. }) => {
                print_results(&results);
                anyhow::bail!(
                    "{}: some actions failed (see above); run the same command again to retry \
                     them — applied ones are skipped",
                    ads::error_names::APPLY_ACTIONS_FAILED
                )
            }
            Err(error) => Err(step_error(error)),
        }
    }
}

/// What to undo.
#[derive(Debug, Args)]
pub struct UndoArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The id of the applied action to reverse (see `adsctl actions`).
    #[arg(required_unless_present = "date", conflicts_with = "date")]
    action_id: Option<String>,
    /// Reverse every action applied on this day (YYYY-MM-DD, UTC).
    #[arg(long)]
    date: Option<NaiveDate>,
}

impl UndoArgs {
    /// Reverses the actions and prints each outcome.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let secrets = resolved.secrets();
        let input = apply::UndoInput {
            action_id: self.action_id.map(ActionId),
            date: self.date,
            now: None,
        };
        let ports = apply::Ports {
            store: &store,
            secrets: secrets.as_ref(),
        };
        match apply::undo(input, &settings(&resolved), ports).await {
            Ok(output) => {
                println!(
                    "undo: {} applied, {} skipped, {} refused → {}",
                    output.applied, output.skipped, output.refused, output.log_key
                );
                print_results(&output.results);
                Ok(())
            }
            Err(apply::Error::ActionsFailed { results, .. }) => {
                print_results(&results);
                anyhow::bail!("some reversals failed (see above); run the same command again")
            }
            Err(error) => Err(step_error(error)),
        }
    }
}

fn settings(resolved: &Resolved) -> apply::Settings {
    apply::Settings {
        secret_name: resolved.secret_name.clone(),
        linkedin: resolved.linkedin.clone(),
    }
}

fn step_error(error: apply::Error) -> anyhow::Error {
    anyhow::anyhow!("{}: {error}", ads::error_names::StepError::name(&error))
}

fn print_results(results: &[apply::ActionResult]) {
    for result in results {
        let id = result
            .action_id
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string);
        let detail = result
            .detail
            .as_ref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        println!("  {id} {}{detail}", result.outcome.as_str());
    }
}

/// The newest decisions file in the store (keys sort by day, then execution).
async fn newest_decisions(store: &local::DirStore) -> anyhow::Result<String> {
    let mut keys = store.list("decisions/").await?;
    keys.retain(|k| k.ends_with(".json"));
    keys.sort();
    keys.pop()
        .context("no decisions file yet; run `adsctl decide` first, or name one with --decisions")
}
