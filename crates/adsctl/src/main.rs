//! `adsctl`: the optimizer's command line.
//!
//! It runs the pieces on one machine: the LinkedIn simulator (`adsctl sim serve`) and the
//! benchmarks that measure the client against it (`adsctl bench client`). Later issues add the
//! steps (`collect`, `decide`, `apply`, `report`), the local state-machine executor (`demo`)
//! and the commands that operate executions on AWS.
//!
//! Modules: [`sim_command`] (the simulator), [`bench`] (benchmarks). This file only parses
//! the command line and dispatches.

mod bench;
mod sim_command;

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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ADSCTL_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Sim(command) => command.run().await,
        Command::Bench(command) => command.run().await,
    }
}
