//! Benchmarks: each starts the simulator on loopback, drives the real code against it and
//! prints figures. They measure; they assert nothing (tests do that).

mod backfill;
mod client;
mod collect;
mod lambda;
mod policy;
mod query;
mod scorer;

use clap::Subcommand;

/// Benchmark commands.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Analytics rows per second through the LinkedIn client and the simulator, and the
    /// requests issued against the theoretical minimum.
    Client(client::ClientBench),
    /// A 90-day backfill through the collect step: wall time, requests against the minimum,
    /// peak RSS.
    Collect(collect::CollectBench),
    /// The decision query: bytes Athena would scan against the seed's raw-JSON scan, and the
    /// local engine's latency on a year of data for 2,000 creatives.
    Query(query::QueryBench),
    /// Each step's Lambda bootstrap under the Runtime API emulator: zipped size, init time
    /// (spawn to first event request) and peak RSS after one invocation. Build the
    /// bootstraps with `cargo build --profile lambda -p <step>...` first.
    Lambda(lambda::LambdaBench),
    /// The decision policies on the same seeded markets through the real steps: conversions,
    /// cost per conversion, share of the oracle's conversions, wrong pauses, flip-flops and
    /// guardrail violations.
    Policy(policy::PolicyBench),
    /// The creative scorer: trained on a simulated world of many accounts through the train
    /// state machine (held-out R² against the mean baseline, importances), then the policy
    /// benchmark's markets with new creatives launched, bayes with and without its priors.
    Scorer(scorer::ScorerBench),
}

impl BenchCommand {
    /// Runs the benchmark.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            BenchCommand::Client(bench) => bench.run().await,
            BenchCommand::Collect(bench) => bench.run().await,
            BenchCommand::Query(bench) => bench.run().await,
            BenchCommand::Lambda(bench) => bench.run().await,
            BenchCommand::Policy(bench) => bench.run().await,
            BenchCommand::Scorer(bench) => bench.run().await,
        }
    }
}
