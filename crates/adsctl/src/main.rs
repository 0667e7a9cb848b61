//! `adsctl`: the optimizer's command line.
//!
//! It runs the pieces on one machine: the configuration and credentials (`adsctl init`,
//! `adsctl token status|refresh`), the steps (`adsctl collect`, `decide`, `apply`, `undo`,
//! `report`, and `actions` to read the action log), the LinkedIn simulator (`adsctl sim
//! serve`), the benchmarks (`adsctl bench client|collect|query|policy|lambda`) and any ASL
//! file on the local executor with mocked Tasks (`adsctl asl run|validate`), the state
//! machines with the real steps (`adsctl run`, `executions`, `redrive`, `approve`,
//! `reject`) and the demo (`adsctl demo`).
//!
//! Modules: [`config`] (file, environment and flags, and the local adapters they choose),
//! [`init`], [`token`], [`collect`], [`pipeline`] (the optimize steps as functions the
//! commands share), [`decide`], [`apply`], [`actions`], [`report`], [`asl_command`],
//! [`executions`] (the state machines locally), [`aws_executions`] (the same commands with
//! `--aws`: the deployed state machines through Step Functions), [`demo`], [`sim_command`],
//! [`bench`]. This file only parses the command line and dispatches.

mod actions;
mod apply;
mod asl_command;
mod aws_executions;
mod bench;
mod collect;
mod config;
mod decide;
mod demo;
mod executions;
mod init;
mod model;
mod pipeline;
mod report;
mod sim_command;
mod token;

use std::io::IsTerminal;

use clap::{Parser, Subcommand};

/// A LinkedIn advertising optimizer that runs itself.
#[derive(Debug, Parser)]
#[command(name = "adsctl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The LinkedIn Marketing API simulator.
    #[command(subcommand)]
    Sim(sim_command::SimCommand),
    /// Measure the system against the simulator on loopback and print the figures.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Write the configuration file and the local secrets file (0600).
    Init(Box<init::InitArgs>),
    /// Collect creative performance into the local data directory (the collect step).
    Collect(Box<collect::CollectArgs>),
    /// The LinkedIn token: its status, and refreshing it with the fetch-token step.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Decide what to change (the decision query and the decide step); changes nothing.
    Decide(Box<decide::DecideArgs>),
    /// Apply a decisions file through LinkedIn: dry-run (default), approve or auto.
    Apply(Box<apply::ApplyArgs>),
    /// Reverse an applied action, or every action of a day.
    Undo(Box<apply::UndoArgs>),
    /// List the action log.
    Actions(Box<actions::ActionsArgs>),
    /// Write the day's report (Markdown and HTML) and notify.
    Report(Box<report::ReportArgs>),
    /// Run or validate an ASL state machine on the local executor, with mocked Tasks.
    #[command(subcommand)]
    Asl(asl_command::AslCommand),
    /// Run a state machine (collect, optimize or train) with the real steps on this machine, or
    /// start it in AWS (--aws).
    Run(Box<executions::RunArgs>),
    /// List the executions, or `show NAME` one's history as the console lists it.
    Executions(Box<executions::ExecutionsArgs>),
    /// Continue a failed execution from the state that failed.
    Redrive(Box<executions::RedriveArgs>),
    /// Approve the actions an execution waits on (by the request's task token).
    Approve(Box<executions::AnswerArgs>),
    /// Reject the actions an execution waits on: nothing is applied.
    Reject(Box<executions::AnswerArgs>),
    /// The simulator, an account, and days of collect and optimize through the local
    /// executor, against a twin run with no optimization.
    Demo(Box<demo::DemoArgs>),
    /// The creative scorer: train a version, score a copy, list the versions.
    #[command(subcommand)]
    Model(model::ModelCommand),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ADSCTL_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match Cli::parse().command {
        Command::Sim(command) => command.run().await,
        Command::Bench(command) => command.run().await,
        Command::Init(args) => args.run().await,
        Command::Collect(args) => args.run().await,
        Command::Token(command) => command.run().await,
        Command::Decide(args) => args.run().await,
        Command::Apply(args) => args.run().await,
        Command::Undo(args) => args.run().await,
        Command::Actions(args) => args.run().await,
        Command::Report(args) => args.run().await,
        Command::Asl(command) => command.run().await,
        Command::Run(args) => args.run().await,
        Command::Executions(args) => args.run().await,
        Command::Redrive(args) => args.run().await,
        Command::Approve(args) => args.run(true).await,
        Command::Reject(args) => args.run(false).await,
        Command::Demo(args) => args.run().await,
        Command::Model(command) => command.run().await,
    }
}
