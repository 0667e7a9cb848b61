//! `adsctl asl run|validate`: any ASL file on the local executor (`crates/asl`), its Task
//! states answered by mocks — for trying a state machine's paths, retries and catches
//! without running a step.
//!
//! `${NameFunctionArn}` placeholders become local Lambda ARNs named after the step
//! (`asl::StateMachine::local_substitutions`), so a mocks file keys `fetch-token`,
//! `decide`, ... Waits and retry intervals pass on a virtual clock, at once.

use std::path::{Path, PathBuf};

use anyhow::Context;
use asl::{Executor, MockRunner, StateMachine, Status, VirtualClock};
use chrono::Utc;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// ASL commands.
#[derive(Debug, Subcommand)]
pub enum AslCommand {
    /// Run an ASL file; prints `{"status":"SUCCEEDED","output":...}` or
    /// `{"status":"FAILED","error":...,"cause":...}` on stdout.
    Run(RunArgs),
    /// Check an ASL file: it parses, every transition lands on a state, every field is known.
    Validate {
        /// The ASL file.
        file: PathBuf,
    },
}

/// What to run.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The ASL file.
    file: PathBuf,
    /// A JSON file with the execution's input [default: `{}`].
    #[arg(long)]
    input: Option<PathBuf>,
    /// A JSON file mapping each function name (the end of a Task's Resource ARN) to the
    /// responses it gives in order: `{"decide": [{"return": {...}}, {"throw": {"error":
    /// "Query.Failed", "cause": "..."}}]}` [default: none, so any Task fails].
    #[arg(long)]
    mocks: Option<PathBuf>,
}

impl AslCommand {
    /// Runs the command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            AslCommand::Validate { file } => {
                let machine = load(&file)?;
                println!(
                    "{} is valid: {} states, starting at {}; Task functions: {}",
                    file.display(),
                    machine.states().len(),
                    machine.start_at(),
                    machine
                        .task_functions()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                Ok(())
            }
            AslCommand::Run(args) => args.run().await,
        }
    }
}

impl RunArgs {
    async fn run(self) -> anyhow::Result<()> {
        let machine = load(&self.file)?;
        let input = match &self.input {
            Some(path) => read_json(path, "--input")?,
            None => json!({}),
        };
        let runner = match &self.mocks {
            Some(path) => MockRunner::from_json(&read_json(path, "--mocks")?)
                .with_context(|| format!("--mocks {}", path.display()))?,
            None => MockRunner::new(),
        };
        let clock = VirtualClock::new(Utc::now());
        let execution = Executor::new(&machine, &runner, &clock)
            .start("local", input)
            .await;
        let result = match execution.status {
            Status::Succeeded => json!({"status": "SUCCEEDED", "output": execution.output}),
            Status::Running => json!({
                "status": "RUNNING",
                "pendingTaskTokens": execution
                    .pending_callbacks()
                    .iter()
                    .map(|p| p.token.clone())
                    .collect::<Vec<_>>(),
            }),
            other => json!({
                "status": other,
                "error": execution.error,
                "cause": execution.cause,
            }),
        };
        println!("{}", serde_json::to_string(&result)?);
        Ok(())
    }
}

/// The ASL file at `path`, its function placeholders given local ARNs.
fn load(path: &Path) -> anyhow::Result<StateMachine> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the ASL file {}", path.display()))?;
    StateMachine::with_substitutions(&text, &StateMachine::local_substitutions(&text))
        .with_context(|| format!("{} is not a valid state machine", path.display()))
}

fn read_json(path: &Path, flag: &str) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag}: reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{flag}: {} is not JSON", path.display()))
}
