//! `adsctl`: the optimizer's command line.
//!
//! It runs the pieces on one machine: the configuration and credentials (`adsctl init`,
//! `adsctl token status|refresh`), the collect step (`adsctl collect`), the LinkedIn simulator
//! (`adsctl sim serve`) and the benchmarks (`adsctl bench client|collect`). Later issues add
//! the other steps (`decide`, `apply`, `report`), the local state-machine executor (`demo`)
//! and the commands that operate executions on AWS.
//!
//! Modules: [`config`] (file, environment and flags, and the local adapters they choose),
//! [`init`], [`token`], [`collect`], [`sim_command`], [`bench`]. This file only parses the
//! command line and dispatches.

mod bench;
mod collect;
mod config;
mod init;
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
    }
}
