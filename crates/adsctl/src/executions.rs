//! `adsctl run`, `executions`, `redrive`, `approve` and `reject`: the state machines with
//! their real steps on this machine ([`orchestration`]), operated the way the Step Functions
//! console operates them — states printed as they pass, the history listed as the console
//! lists it, a failed execution redriven from the state that failed, an approval answered by
//! its task token.
//!
//! With `--aws` each command does the same to the deployed state machines through Step
//! Functions instead ([`crate::aws_executions`]); both print the list and the history through
//! the same row functions here ([`execution_row`], [`history_heading`], [`history_row`]).

use anyhow::Context;
use asl::{Execution, HistoryEvent, ScaledClock, Status};
use chrono::{DateTime, Days, Utc};
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
    /// statemachines/train.asl.json
    Train,
}

impl From<MachineArg> for Machine {
    fn from(arg: MachineArg) -> Machine {
        match arg {
            MachineArg::Collect => Machine::Collect,
            MachineArg::Optimize => Machine::Optimize,
            MachineArg::Train => Machine::Train,
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
    /// Start the execution on the deployed state machine in AWS, and return at once with its
    /// ARN (follow it with `adsctl executions show ARN --aws`).
    #[arg(long)]
    aws: bool,
    /// With --aws: the state machine to start [default: $ADSCTL_COLLECT_STATE_MACHINE_ARN,
    /// $ADSCTL_OPTIMIZE_STATE_MACHINE_ARN or $ADSCTL_TRAIN_STATE_MACHINE_ARN, by machine].
    #[arg(long, value_name = "ARN", requires = "aws")]
    state_machine_arn: Option<String>,
}

/// `adsctl executions [show NAME]`.
#[derive(Debug, Args)]
pub struct ExecutionsArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// `show NAME` prints one execution's history.
    #[arg(value_parser = ["show"], requires = "name")]
    show: Option<String>,
    /// The execution to show (with --aws, its ARN).
    name: Option<String>,
    /// The executions in AWS: list a state machine's (--state-machine-arn), or `show ARN`.
    // A requirement of --aws rather than a required_if on the ARN, so that `show`'s conflict
    // with it lifts it (clap ignores conflicts for conditional requirements).
    #[arg(long, requires = "state_machine_arn")]
    aws: bool,
    /// With --aws, to list: the state machine whose executions to list.
    #[arg(long, value_name = "ARN", requires = "aws", conflicts_with = "show")]
    state_machine_arn: Option<String>,
    /// With --aws, to list: how many executions, the newest first.
    #[arg(long, default_value_t = 50, requires = "aws")]
    max: usize,
}

/// `adsctl redrive NAME`.
#[derive(Debug, Args)]
pub struct RedriveArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// The failed execution's name (with --aws, its ARN).
    name: String,
    /// Redrive the execution in AWS, and return once the redrive started.
    #[arg(long)]
    aws: bool,
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
    /// Answer a task of an execution in AWS (SendTaskSuccess), and return at once.
    #[arg(long)]
    aws: bool,
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
    /// Runs the execution, printing its states, then its end (with --aws: starts it).
    pub async fn run(self) -> anyhow::Result<()> {
        let machine = Machine::from(self.machine);
        if self.aws {
            return crate::aws_executions::start(
                machine,
                self.state_machine_arn.as_deref(),
                &self.name(machine),
                &self.input(machine)?,
            )
            .await;
        }
        let execution = run_local(
            self.config.resolve()?,
            machine,
            &self.name(machine),
            self.input(machine)?,
        )
        .await?;
        exit_status(&execution)
    }

    /// The execution's input: --input, or the default built from --account.
    fn input(&self, machine: Machine) -> anyhow::Result<Value> {
        match &self.input {
            Some(text) => serde_json::from_str(text)
                .context("--input must be JSON: the execution's whole input"),
            None => default_input(machine, self.account.as_deref().unwrap_or(""), &self.mode),
        }
    }

    /// The execution's name: --name, or `<machine>-<UTC time>`.
    fn name(&self, machine: Machine) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("{}-{}", machine.name(), Utc::now().format("%Y%m%dT%H%M%S")))
    }
}

/// Runs an execution of `machine` named `name` with `input` on this machine, printing its
/// states as they pass and how it ended.
pub async fn run_local(
    resolved: Resolved,
    machine: Machine,
    name: &str,
    input: Value,
) -> anyhow::Result<Execution> {
    let adapters = LocalAdapters::new(resolved);
    let clock = ScaledClock::realtime();
    let steps = adapters.steps(&clock);
    let printer = |event: &HistoryEvent| print_passing(event);
    let orchestrator = Orchestrator::new(&steps).observe(&printer);
    println!("{} execution {name}", machine.name());
    let execution = orchestrator.start(machine, name, input).await?;
    print_end(&execution, adapters.data_dir());
    Ok(execution)
}

/// The input `adsctl run` builds from --account: collect the last 14 days; optimize
/// yesterday's decision window (the default policy's) in `mode`; train on the last 90 days.
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
        Machine::Train => json!({"accounts": [account.0.to_string()], "asOf": today.to_string()}),
    })
}

impl ExecutionsArgs {
    /// Lists the executions, or prints one's history.
    pub async fn run(self) -> anyhow::Result<()> {
        if self.aws {
            return match (&self.name, &self.state_machine_arn) {
                (Some(arn), _) => crate::aws_executions::show(arn).await,
                (None, Some(machine)) => crate::aws_executions::list(machine, self.max).await,
                // clap requires --state-machine-arn with --aws unless there is an ARN to show.
                (None, None) => anyhow::bail!("executions --aws needs --state-machine-arn ARN"),
            };
        }
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
        print!("{}", executions_heading());
        for (machine, execution) in all {
            print!(
                "{}",
                execution_row(
                    &execution.name,
                    machine.name(),
                    execution.status.as_str(),
                    execution.start_date,
                    execution.stop_date,
                    i64::from(execution.redrive_count),
                )
            );
        }
        Ok(())
    }
}

impl RedriveArgs {
    /// Redrives the execution, printing the states it runs (with --aws: starts the redrive).
    pub async fn run(self) -> anyhow::Result<()> {
        if self.aws {
            return crate::aws_executions::redrive(&self.name).await;
        }
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
    /// Answers the approval (`approve` when `approve`), then runs the execution on (with
    /// --aws: sends the answer, and the execution runs on in AWS).
    pub async fn run(self, approve: bool) -> anyhow::Result<()> {
        let answer = self.answer(approve);
        if self.aws {
            return crate::aws_executions::answer(&self.token, &answer).await;
        }
        let adapters = LocalAdapters::new(self.config.resolve()?);
        let clock = ScaledClock::realtime();
        let steps = adapters.steps(&clock);
        let printer = |event: &HistoryEvent| print_passing(event);
        let orchestrator = Orchestrator::new(&steps).observe(&printer);
        let execution = orchestrator.answer(&self.token, &answer).await?;
        print_end(&execution, adapters.data_dir());
        exit_status(&execution)
    }

    /// The answer: approve (every proposed action, or --actions) or reject, by --by.
    fn answer(&self, approve: bool) -> Answer {
        let by = self
            .by
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "adsctl".to_owned());
        if approve {
            Answer::Approve {
                by,
                action_ids: self.actions.clone(),
            }
        } else {
            Answer::Reject { by }
        }
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
    let mut out = history_heading(
        &execution.name,
        machine.name(),
        execution.status.as_str(),
        execution.start_date,
        i64::from(execution.redrive_count),
    );
    for event in &execution.history {
        out.push_str(&history_row(
            event.id,
            &event.r#type,
            event.timestamp,
            &event.details,
        ));
    }
    out
}

/// The executions list's column names, as a line.
pub fn executions_heading() -> String {
    format!(
        "{:<40} {:<9} {:<10} {:<20} {:<20} redrives\n",
        "name", "machine", "status", "started", "stopped"
    )
}

/// One execution as a line of the list, under [`executions_heading`]: its name, its state
/// machine's name, its status as AWS spells it (`RUNNING`, `FAILED`, ...), when it started and
/// stopped (UTC; `-` while it runs), and how many times it was redriven.
pub fn execution_row(
    name: &str,
    machine: &str,
    status: &str,
    start: DateTime<Utc>,
    stop: Option<DateTime<Utc>>,
    redrives: i64,
) -> String {
    format!(
        "{:<40} {:<9} {:<10} {:<20} {:<20} {}\n",
        name,
        machine,
        status,
        start.format("%Y-%m-%d %H:%M:%S"),
        stop.map_or("-".to_owned(), |d| d
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()),
        redrives
    )
}

/// The lines above a history table: the execution (name, machine, status, start, redrives),
/// then the column names.
pub fn history_heading(
    name: &str,
    machine: &str,
    status: &str,
    start: DateTime<Utc>,
    redrives: i64,
) -> String {
    format!(
        "{} ({}) {} — started {}{}\n{:>4}  {:<28} {:<28} {:<24} detail\n",
        name,
        machine,
        status,
        start.format("%Y-%m-%d %H:%M:%S"),
        if redrives > 0 {
            format!(", redriven {redrives} time(s)")
        } else {
            String::new()
        },
        "id",
        "type",
        "step",
        "timestamp"
    )
}

/// One history event as a line of the table, under [`history_heading`]: its id, type, state
/// (the details' `name`), time (UTC, milliseconds), and its error and cause or a short view
/// of its other details. `details` use AWS's field names, as both executors' events do.
pub fn history_row(
    id: impl std::fmt::Display,
    kind: &str,
    timestamp: DateTime<Utc>,
    details: &Value,
) -> String {
    let detail = match details.get("error") {
        Some(error) => format!(
            "{} {}",
            error.as_str().unwrap_or_default(),
            details["cause"].as_str().unwrap_or_default()
        ),
        None => short(details),
    };
    format!(
        "{:>4}  {:<28} {:<28} {:<24} {}\n",
        id,
        kind,
        details
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        timestamp.format("%Y-%m-%d %H:%M:%S%.3f"),
        detail
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    use crate::{Cli, Command};

    /// The command line `adsctl ARGS...` parsed, or clap's error as it would print.
    fn parse(args: &[&str]) -> Result<Command, String> {
        Cli::try_parse_from(std::iter::once("adsctl").chain(args.iter().copied()))
            .map(|cli| cli.command)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn run_aws_takes_a_state_machine_arn_or_leaves_it_to_the_environment() {
        // GIVEN / WHEN run is parsed with --aws, with and without --state-machine-arn
        let flagged = parse(&[
            "run",
            "optimize",
            "--account",
            "5",
            "--aws",
            "--state-machine-arn",
            "arn:aws:states:eu-west-1:1:stateMachine:optimize",
        ]);
        let bare = parse(&["run", "collect", "--account", "5", "--aws"]);

        // THEN both parse, the ARN kept when given
        let Ok(Command::Run(flagged)) = flagged else {
            panic!("{flagged:?}")
        };
        assert!(flagged.aws);
        assert_eq!(
            flagged.state_machine_arn.as_deref(),
            Some("arn:aws:states:eu-west-1:1:stateMachine:optimize")
        );
        let Ok(Command::Run(bare)) = bare else {
            panic!("{bare:?}")
        };
        assert!(bare.aws && bare.state_machine_arn.is_none());
    }

    #[test]
    fn a_state_machine_arn_without_aws_is_refused() {
        // GIVEN / WHEN a local run or list is given a state machine
        let run = parse(&[
            "run",
            "collect",
            "--account",
            "5",
            "--state-machine-arn",
            "arn",
        ]);
        let list = parse(&["executions", "--state-machine-arn", "arn"]);

        // THEN clap says it needs --aws
        for error in [run.unwrap_err(), list.unwrap_err()] {
            assert!(error.contains("--aws"), "{error}");
        }
    }

    #[test]
    fn executions_aws_without_a_state_machine_arn_is_a_clap_error_naming_it() {
        // GIVEN / WHEN the AWS executions are listed without saying whose
        let error = parse(&["executions", "--aws"]).unwrap_err();

        // THEN clap names the missing flag
        assert!(
            error.contains("required arguments were not provided"),
            "{error}"
        );
        assert!(error.contains("--state-machine-arn <ARN>"), "{error}");
    }

    #[test]
    fn executions_aws_lists_by_state_machine_and_shows_by_execution_arn() {
        // GIVEN / WHEN the AWS executions are listed, one is shown, and both are mixed
        let list = parse(&[
            "executions",
            "--aws",
            "--state-machine-arn",
            "arn:m",
            "--max",
            "5",
        ]);
        let show = parse(&["executions", "show", "arn:e", "--aws"]);
        let both = parse(&[
            "executions",
            "show",
            "arn:e",
            "--aws",
            "--state-machine-arn",
            "arn:m",
        ]);
        let local = parse(&["executions"]);

        // THEN a list takes the machine and a count, a show the execution's ARN alone
        let Ok(Command::Executions(list)) = list else {
            panic!("{list:?}")
        };
        assert_eq!(
            (list.state_machine_arn.as_deref(), list.max),
            (Some("arn:m"), 5)
        );
        let Ok(Command::Executions(show)) = show else {
            panic!("{show:?}")
        };
        assert_eq!((show.aws, show.name.as_deref()), (true, Some("arn:e")));
        assert!(both.unwrap_err().contains("cannot be used with"));
        // AND the local list still needs neither
        let Ok(Command::Executions(local)) = local else {
            panic!("{local:?}")
        };
        assert!(!local.aws);
    }

    #[test]
    fn redrive_approve_and_reject_take_aws() {
        // GIVEN / WHEN each is parsed with --aws
        let redrive = parse(&["redrive", "arn:e", "--aws"]);
        let approve = parse(&[
            "approve",
            "TOKEN",
            "--aws",
            "--by",
            "ops",
            "--actions",
            "a,b",
        ]);
        let reject = parse(&["reject", "TOKEN", "--aws"]);

        // THEN each is marked for AWS, and the approval's answer is the one sent
        let Ok(Command::Redrive(redrive)) = redrive else {
            panic!("{redrive:?}")
        };
        assert!(redrive.aws);
        let Ok(Command::Approve(approve)) = approve else {
            panic!("{approve:?}")
        };
        assert!(approve.aws);
        assert_eq!(
            approve.answer(true).output(),
            json!({"approved": true, "approvedBy": "ops", "actionIds": ["a", "b"]})
        );
        let Ok(Command::Reject(reject)) = reject else {
            panic!("{reject:?}")
        };
        assert!(reject.aws);
        assert_eq!(reject.answer(false).output()["approved"], json!(false));
    }
}
