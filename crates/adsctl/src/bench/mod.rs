//! Benchmarks: each starts the simulator on loopback, drives the real code against it and
//! prints figures. They measure; they assert nothing (tests do that).

mod client;

use clap::Subcommand;

/// Benchmark commands.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Analytics rows per second through the LinkedIn client and the simulator, and the
    /// requests issued against the theoretical minimum.
    Client(client::ClientBench),
}

impl BenchCommand {
    /// Runs the benchmark.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            BenchCommand::Client(bench) => bench.run().await,
        }
    }
}
