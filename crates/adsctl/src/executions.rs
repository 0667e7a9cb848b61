//! `adsctl run`, `executions`, `redrive`, `approve` and `reject`: the state machines with
//! their real steps on this machine ([`orchestration`]), operated the way the Step Functions
//! console operates them — states printed as they pass, the history listed as the console
//! lists it, a failed execution redriven from the state that failed, an approval answered by
//! its task token.

use anyhow::Context;
use asl::{Execution, HistoryEvent, ScaledClock, Status};
use chrono::{Days, Utc};
use clap::{Args, ValueEnum};
use orchestration::{Answer, LocalSteps, Machine, Orchestrator};
use serde_json::{Value, json};

use crate::config::{ConfigArgs, Resolved};
use crate::pipeline;

/// The state machines by their command-line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MachineArg {
    /// statemachines/collect.asl.json
    Collect,
    /// statemachines/optimize.asl.json
    Optimize,
}

impl From<MachineArg> for Machine {
    fn from(arg: MachineArg) -> Machine {
        match arg {
            MachineArg::Collect => Machine::Collect,
            MachineArg::Optimize => Machine::Optimize,
        }
    }
}

/// `adsctl run collect|optimize`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Which state machine.
    machine: MachineArg,
    /// The execution's input as JSON (the whole of it) [default: built from --account].
    #[arg(long, conflicts_with = "account")]
    input: Option<String>,
    /// The ad account (digits), for the default input.
    #[arg(long, required_unless_present = "input")]
    account: Option<String>,
    /// optimize's apply mode for the default input: dry-run (default), approve or auto.
    #[arg(long, default_value = "dry-run")]
    mode: String,
    /// The execution's name [default: <machine>-<UTC time>].
    #[arg(long)]
    name: Option<String>,
}

/// `adsctl executions [show NAME]`.
#[derive(Debug, Args)]
pub struct ExecutionsArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// `show NAME` prints one execution's history.
    #[arg(value_parser = ["show"], requires = "name")]
    show: Option<String>,
    /// The execution to show.
    name: Option<String>,
}

/// `adsctl redrive NAME`.
#[derive(Debug, Args)]
pub struct RedriveArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The failed execution's name.
    name: String,
}

/// `adsctl approve TOKEN` / `adsctl reject TOKEN`.
#[derive(Debug, Args)]
pub struct AnswerArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The task token from the approval request (the report and the notice print it).
    token: String,
    /// Who answers, for the action log [default: $USER].
    #[arg(long)]
    by: Option<String>,
    /// approve only: only these action ids (comma-separated) [default: every one proposed].
    #[arg(long, value_delimiter = ',')]
    actions: Option<Vec<String>>,
}

/// The local adapters a command's steps run over, owned.
pub struct LocalAdapters {
    resolved: Resolved,
    store: local::DirStore,
    secrets: Box<dyn ads::SecretStore>,
    metrics: local::MetricsLog,
    engine: local::LocalQueryEngine,
    notifier: local::FileNotifier,
}

impl LocalAdapters {
    /// The adapters of the configuration: the data directory, its secrets file, metrics log,
    /// DataFusion engine and notifications file.
    pub fn new(resolved: Resolved) -> LocalAdapters {
        let store = resolved.store();
        LocalAdapters {
            secrets: resolved.secrets(),
            metrics: resolved.metrics(),
            engine: local::LocalQueryEngine::new(store.clone()),
            notifier: local::FileNotifier::new(resolved.data_dir.join("notifications.md")),
            store,
            resolved,
        }
    }

    /// The steps over these adapters, on `clock`.
    pub fn steps<'a>(&'a self, clock: &'a dyn asl::Clock) -> LocalSteps<'a> {
        LocalSteps {
            store: &self.store,
            secrets: self.secrets.as_ref(),
            metrics: &self.metrics,
            engine: &self.engine,
            notifier: &self.notifier,
            linkedin: self.resolved.linkedin.clone(),
            secret_name: self.resolved.secret_name.clone(),
            clock,
        }
    }

    /// The secret store.
    pub fn secrets(&self) -> &dyn ads::SecretStore {
        self.secrets.as_ref()
    }

    /// The data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.resolved.data_dir
    }
}

impl RunArgs {
    /// Runs the execution, printing its states, then its end.
    pub async fn run(self) -> anyhow::Result<()> {
        let machine = Machine::from(self.machine);
        let input = match &self.input {
            Some(text) => serde_json::from_str(text)
                .context("--input must be JSON: the execution's whole input")?,
            None => default_input(machine, self.account.as_deref().unwrap_or(""), &self.mode)?,
        };
        let name = self.name.clone().unwrap_or_else(|| {
            format!("{}-{}", machine.name(), Utc::now().format("%Y%m%dT%H%M%S"))
        });
        let adapters = LocalAdapters::new(self.config.resolve()?);
        let clock = ScaledClock::realtime();
        let steps = adapters.steps(&clock);
        let printer = |event: &HistoryEvent| print_passing(event);
        let orchestrator = Orchestrator::new(&steps).observe(&printer);
        println!("{} execution {name}", machine.name());
        let execution = orchestrator.start(machine, &name, input).await?;
        print_end(&execution, adapters.data_dir());
        exit_status(&execution)
    }
}

/// The input `adsctl run` builds from --account: collect the last 14 days; optimize
/// yesterday's decision window (the default policy's) in `mode`.
fn default_input(machine: Machine, account: &str, mode: &str) -> anyhow::Result<Value> {
    let account = pipeline::account(account)?;
    let today = Utc::now().date_naive();
    Ok(match machine {
        Machine::Collect => json!({"accounts": [account.0.to_string()], "lookbackDays": 14}),
        Machine::Optimize => {
            let window = pipeline::decision_window(&policy::Policy::default(), today);
            let end = today - Days::new(1);
            let start = end - Days::new(u64::from(window) - 1);
            json!({"accountId": account.0.to_string(), "asOf": today.to_string(),
                   "windowStart": start.to_string(), "windowEnd": end.to_string(), "mode": mode})
        }
    })
}

impl ExecutionsArgs {
    /// Lists the executions, or prints one's history.
    pub async fn run(self) -> anyhow::Result<()> {
        let resolved = self.config.resolve()?;
        let store = resolved.store();
        let executions = orchestration::Executions::new(&store);
        if let Some(name) = &self.name {
            let (machine, execution) = executions.find(name).await?;
            print!("{}", history_table(machine, &execution));
            return Ok(());
        }
        let all = executions.list().await?;
        if all.is_empty() {
            println!("no executions in {}", resolved.data_dir.display());
            return Ok(());
        }
        println!(
            "{:<40} {:<9} {:<10} {:<20} {:<20} redrives",
            "name", "machine", "status", "started", "stopped"
        );
        for (machine, execution) in all {
            println!(
                "{:<40} {:<9} {:<10} {:<20} {:<20} {}",
                execution.name,
                machine.name(),
                execution.status.as_str(),
                execution.start_date.format("%Y-%m-%d %H:%M:%S"),
                execution.stop_date.map_or("-".to_owned(), |d| d
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()),
                execution.redrive_count
            );
        }
        Ok(())
    }
}

impl RedriveArgs {
    /// Redrives the execution, printing the states it runs.
    pub async fn run(self) -> anyhow::Result<()> {
        let adapters = LocalAdapters::new(self.config.resolve()?);
        let clock = ScaledClock::realtime();
        let steps = adapters.steps(&clock);
        let printer = |event: &HistoryEvent| print_passing(event);
        let orchestrator = Orchestrator::new(&steps).observe(&printer);
        println!("redriving {}", self.name);
        let execution = orchestrator.redrive(&self.name).await?;
        print_end(&execution, adapters.data_dir());
        exit_status(&execution)
    }
}

impl AnswerArgs {
    /// Answers the approval (`approve` when `approve`), then runs the execution on.
    pub async fn run(self, approve: bool) -> anyhow::Result<()> {
        let by = self
            .by
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "adsctl".to_owned());
        let answer = if approve {
            Answer::Approve {
                by,
                action_ids: self.actions.clone(),
            }
        } else {
            Answer::Reject { by }
        };
        let adapters = LocalAdapters::new(self.config.resolve()?);
        let clock = ScaledClock::realtime();
        let steps = adapters.steps(&clock);
        let printer = |event: &HistoryEvent| print_passing(event);
        let orchestrator = Orchestrator::new(&steps).observe(&printer);
        let execution = orchestrator.answer(&self.token, &answer).await?;
        print_end(&execution, adapters.data_dir());
        exit_status(&execution)
    }
}

/// One line per state entered, and each failure, as an execution runs.
fn print_passing(event: &HistoryEvent) {
    let name = event.state_name().unwrap_or_default();
    if event.r#type.ends_with("StateEntered") {
        println!("  → {name}");
    } else if event.r#type.ends_with("Failed") || event.r#type.ends_with("TimedOut") {
        println!(
            "    ✗ {}: {} {}",
            event.r#type,
            event.details["error"].as_str().unwrap_or_default(),
            event.details["cause"].as_str().unwrap_or_default()
        );
    }
}

/// How the execution ended (or what it waits for), and what to do next.
fn print_end(execution: &Execution, data_dir: &std::path::Path) {
    match execution.status {
        Status::Running => {
            for callback in execution.pending_callbacks() {
                println!(
                    "waiting at '{}' for an answer: adsctl approve {} (or reject); the request \
                     is in {}",
                    callback.state_name,
                    callback.token,
                    data_dir.join("notifications.md").display()
                );
            }
        }
        Status::Succeeded => println!("SUCCEEDED"),
        status => {
            println!(
                "{}: {} {}",
                status.as_str(),
                execution.error.as_deref().unwrap_or_default(),
                execution.cause.as_deref().unwrap_or_default()
            );
            println!(
                "  adsctl executions show {}   adsctl redrive {}",
                execution.name, execution.name
            );
        }
    }
}

/// Success unless the execution failed, timed out or was aborted.
fn exit_status(execution: &Execution) -> anyhow::Result<()> {
    match execution.status {
        Status::Running | Status::Succeeded => Ok(()),
        status => anyhow::bail!("execution {} is {}", execution.name, status.as_str()),
    }
}

/// The history as the console's table lists it: id, type, step, time, and the event's
/// error or a short view of its details.
pub fn history_table(machine: Machine, execution: &Execution) -> String {
    let mut out = format!(
        "{} ({}) {} — started {}{}\n{:>4}  {:<28} {:<28} {:<24} detail\n",
        execution.name,
        machine.name(),
        execution.status.as_str(),
        execution.start_date.format("%Y-%m-%d %H:%M:%S"),
        if execution.redrive_count > 0 {
            format!(", redriven {} time(s)", execution.redrive_count)
        } else {
            String::new()
        },
        "id",
        "type",
        "step",
        "timestamp"
    );
    for event in &execution.history {
        let detail = match event.details.get("error") {
            Some(error) => format!(
                "{} {}",
                error.as_str().unwrap_or_default(),
                event.details["cause"].as_str().unwrap_or_default()
            ),
            None => short(&event.details),
        };
        out.push_str(&format!(
            "{:>4}  {:<28} {:<28} {:<24} {}\n",
            event.id,
            event.r#type,
            event.state_name().unwrap_or_default(),
            event.timestamp.format("%Y-%m-%d %H:%M:%S%.3f"),
            detail
        ));
    }
    out
}

/// A one-line view of an event's details (without the repeated state name), cut at 100
/// characters.
fn short(details: &Value) -> String {
    let mut details = details.clone();
    if let Some(object) = details.as_object_mut() {
        object.remove("name");
    }
    let text = if details.as_object().is_some_and(|o| o.is_empty()) {
        String::new()
    } else {
        details.to_string()
    };
    match text.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
