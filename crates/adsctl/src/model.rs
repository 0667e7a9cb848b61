//! `adsctl model train|score|list`: the creative scorer ([`scoring`]).
//!
//! `train` runs the train state machine (`statemachines/train.asl.json`) on this machine
//! over the accounts' collected data — the same steps and definition as the weekly run in
//! AWS — and prints what the new version measured; `--aws` starts the deployed one. `score`
//! asks the latest model about a copy; `list` shows every version kept.

use anyhow::Context;
use chrono::Utc;
use clap::{Args, Subcommand};
use orchestration::Machine;
use scoring::{Metadata, ModelStore};
use serde_json::json;

use crate::config::ConfigArgs;
use crate::executions;

/// The creative scorer's commands.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train a new version on the accounts' data (the train state machine), and print its
    /// held-out R² against the mean baseline and its feature importances.
    Train(TrainArgs),
    /// Predict a copy's CTR with the latest model, with its 80% interval.
    Score(ScoreArgs),
    /// List the versions kept, newest last.
    List(ListArgs),
}

/// `adsctl model train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// An ad account to learn from (digits); repeat for several.
    #[arg(long = "account", required = true)]
    accounts: Vec<String>,
    /// Days of data before --as-of to learn from.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// The day the window ends before (YYYY-MM-DD) [default: today, UTC].
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Impressions a creative needs to be learned from [default: 1000].
    #[arg(long)]
    min_impressions: Option<f64>,
    /// Creatives training needs [default: 100].
    #[arg(long)]
    min_creatives: Option<usize>,
    /// Start the deployed train state machine in AWS instead (returns with its ARN).
    #[arg(long)]
    aws: bool,
    /// With --aws: the state machine [default: $ADSCTL_TRAIN_STATE_MACHINE_ARN].
    #[arg(long, value_name = "ARN", requires = "aws")]
    state_machine_arn: Option<String>,
}

/// `adsctl model score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The headline (the article title under the image).
    headline: String,
    /// The description under the headline.
    description: String,
    /// The post text above the image.
    #[arg(long)]
    commentary: Option<String>,
    /// The call to action: LEARN_MORE, DOWNLOAD, REGISTER, SIGN_UP, REQUEST_DEMO, ...
    #[arg(long)]
    cta: Option<String>,
    /// The CTR of the campaign the copy would run in [default: the training creatives'
    /// pooled CTR].
    #[arg(long)]
    campaign_ctr: Option<f64>,
}

/// `adsctl model list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

impl ModelCommand {
    /// Runs the command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            ModelCommand::Train(args) => args.run().await,
            ModelCommand::Score(args) => args.run().await,
            ModelCommand::List(args) => args.run().await,
        }
    }
}

impl TrainArgs {
    async fn run(self) -> anyhow::Result<()> {
        let accounts = self
            .accounts
            .iter()
            .map(|a| crate::pipeline::account(a).map(|id| id.0.to_string()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let input = json!({
            "accounts": accounts,
            "windowDays": self.days,
            "asOf": self.as_of.unwrap_or_else(|| Utc::now().date_naive()).to_string(),
            "minImpressions": self.min_impressions,
            "minCreatives": self.min_creatives,
        });
        let name = format!("train-{}", Utc::now().format("%Y%m%dT%H%M%S"));
        if self.aws {
            let arn = self.state_machine_arn.as_deref();
            return crate::aws_executions::start(Machine::Train, arn, &name, &input).await;
        }
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let execution = executions::run_local(resolved, Machine::Train, &name, input).await?;
        if execution.status != asl::Status::Succeeded {
            anyhow::bail!(
                "training failed ({}); the previous model, if any, is still the one decide uses",
                execution.error.as_deref().unwrap_or("see the execution")
            );
        }
        let metadata = ModelStore::new(&store).latest_metadata().await?;
        print!("{}", summary(&metadata));
        Ok(())
    }
}

impl ScoreArgs {
    async fn run(self) -> anyhow::Result<()> {
        if let Some(ctr) = self.campaign_ctr
            && !(ctr > 0.0 && ctr < 1.0)
        {
            anyhow::bail!("--campaign-ctr {ctr} is not a rate between 0 and 1 (0.0045 is 0.45%)");
        }
        let store = self.config.resolve()?.store();
        let scorer = ModelStore::new(&store).latest().await?;
        let copy = ads::AdCopy {
            headline: Some(self.headline),
            description: Some(self.description),
            commentary: self.commentary,
            call_to_action: self.cta,
            landing_page: None,
        };
        let prediction = scorer.predict(&[&copy])?[0];
        let base = self.campaign_ctr.unwrap_or(scorer.metadata.base_ctr);
        let (low, high) = prediction.interval(base);
        println!(
            "predicted CTR {:.2}% (80% interval {:.2}%–{:.2}%), {:+.0}% against a campaign CTR \
             of {:.2}%",
            prediction.ctr(base) * 100.0,
            low * 100.0,
            high * 100.0,
            (prediction.log_lift.exp() - 1.0) * 100.0,
            base * 100.0
        );
        let m = &scorer.metadata;
        println!(
            "model v{} (trained {}, held-out R² {:.3} against the mean's {:.3}){}",
            m.version,
            m.trained_at.format("%Y-%m-%d"),
            m.metrics.r2,
            m.metrics.baseline_r2,
            if scorer.beats_baseline() {
                ""
            } else {
                "; it does not beat the mean baseline, so decide does not use it"
            }
        );
        Ok(())
    }
}

impl ListArgs {
    async fn run(self) -> anyhow::Result<()> {
        let store = self.config.resolve()?.store();
        let models = ModelStore::new(&store);
        let versions = models.versions().await.context("listing models")?;
        if versions.is_empty() {
            println!(
                "no models under {}; train one with `adsctl model train`",
                scoring::artifact::PREFIX
            );
            return Ok(());
        }
        println!("version  trained at        creatives  R²      mean R²  used by decide");
        for version in versions {
            match models.load(version).await {
                Ok(scorer) => {
                    let m = &scorer.metadata;
                    println!(
                        "v{:<7} {:<17} {:>9}  {:>6.3}  {:>7.3}  {}",
                        m.version,
                        m.trained_at.format("%Y-%m-%d %H:%M"),
                        m.rows,
                        m.metrics.r2,
                        m.metrics.baseline_r2,
                        if m.metrics.beats_baseline {
                            "yes"
                        } else {
                            "no: does not beat the mean"
                        }
                    );
                }
                Err(error) => println!("v{version:<7} refused: {error}"),
            }
        }
        Ok(())
    }
}

/// What a version measured, for the terminal.
pub fn summary(m: &Metadata) -> String {
    let mut out = format!(
        "model v{} stored under {}v{}/\n  learned from {} creatives of {} account(s), {} to {}; \
         {} held out\n  held-out R² {:.3} (MSE {:.4}) against the mean baseline's R² {:.3} \
         (MSE {:.4}): {}\n  top features (held-out MSE increase when shuffled):\n",
        m.version,
        scoring::artifact::PREFIX,
        m.version,
        m.rows,
        m.accounts.len(),
        m.training_window.start,
        m.training_window.end,
        m.test_rows,
        m.metrics.r2,
        m.metrics.mse,
        m.metrics.baseline_r2,
        m.metrics.baseline_mse,
        if m.metrics.beats_baseline {
            format!(
                "beats it ({:.1}% confidence); decide uses it",
                m.metrics.confidence * 100.0
            )
        } else {
            format!(
                "does not beat it with 95% confidence ({:.1}%); decide keeps the account prior",
                m.metrics.confidence * 100.0
            )
        }
    );
    for importance in m.importances.iter().take(8) {
        out.push_str(&format!(
            "    {:<28} {:+.4}\n",
            importance.feature, importance.mse_increase
        ));
    }
    out
}
