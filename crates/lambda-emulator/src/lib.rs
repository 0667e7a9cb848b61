//! # lambda-emulator — run a step's Lambda bootstrap on this machine, for real
//!
//! A step's `main.rs` is only proven by running it the way Lambda does: as a process that
//! asks the Lambda Runtime API for events over HTTP and posts back a response or an error
//! whose `errorType` the state machine matches. This crate is that environment on
//! loopback, shared by the steps' runtime tests (`steps/<step>/tests/lambda.rs`) and by
//! `adsctl bench lambda`, so both drive the bootstraps the same way.
//!
//! Reading order:
//! - [`runtime_api`]: [`RuntimeApi`], the Runtime API's four routes (next, response, error,
//!   init error) on an ephemeral loopback port, one event at a time.
//! - [`function`]: [`Function`], a bootstrap process under the emulator with the
//!   environment Lambda gives it; measures init time (spawn → first `next`) and peak RSS.
//! - [`fake_aws`]: [`FakeAws`], the few S3, Secrets Manager and Athena operations the steps
//!   call, in memory, which the bootstraps' SDK clients reach through `AWS_ENDPOINT_URL`.
//! - [`steps`]: each of the eight steps' environment, seeded fake AWS state and the events
//!   it is invoked with: one it answers, one it refuses with its stable error name.
//!
//! Why the tests sit in each step crate: cargo builds a package's binaries for that
//! package's own integration tests only (`CARGO_BIN_EXE_<name>`), so a test of the
//! `decide` bootstrap lives in `steps/decide/tests/lambda.rs`; this crate is what they
//! share.
//!
//! Deliberately not here: Lambda's sandbox (no memory limit, freeze or timeout is
//! enforced: the deadline header is informational), concurrency (one invocation at a time,
//! as Lambda gives one execution environment), response streaming, extensions, and any AWS
//! behaviour beyond what the steps rely on (no auth check, no paging, no versions).

pub mod fake_aws;
pub mod function;
pub mod runtime_api;
pub mod steps;

pub use fake_aws::{FakeAws, QueryExecution};
pub use function::{Bootstrap, Function};
pub use runtime_api::{Outcome, RuntimeApi};
pub use steps::Step;

use std::path::PathBuf;
use std::time::Duration;

/// What went wrong running a bootstrap under the emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A loopback server could not start.
    #[error("could not serve {what} on a loopback port: {source}")]
    Serve {
        /// Which server: the Runtime API or the fake AWS.
        what: &'static str,
        /// The socket's error.
        source: std::io::Error,
    },
    /// The bootstrap could not be started.
    #[error(
        "could not start the bootstrap {}: {source}; build it first \
         (`cargo build -p <step>`, or `--profile lambda` for the benchmark)",
        path.display()
    )]
    Spawn {
        /// The executable's path.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The bootstrap reported an init error to the Runtime API (a missing environment
    /// variable, a configuration it refuses).
    #[error("{function} failed its init ({error_type}): {error_message}\n--- its output:\n{logs}")]
    InitFailed {
        /// The function's name.
        function: String,
        /// The `errorType` it posted.
        error_type: String,
        /// The `errorMessage` it posted.
        error_message: String,
        /// What it printed.
        logs: String,
    },
    /// The bootstrap exited while it should have been waiting for or handling an event.
    #[error("{function} exited ({status}) while {doing}\n--- its output:\n{logs}")]
    Exited {
        /// The function's name.
        function: String,
        /// What the emulator was waiting for.
        doing: &'static str,
        /// How it exited.
        status: std::process::ExitStatus,
        /// What it printed.
        logs: String,
    },
    /// The bootstrap neither answered nor exited in time: a hang, not a slow step.
    #[error("{function} gave no answer within {after:?} while {doing}\n--- its output:\n{logs}")]
    TimedOut {
        /// The function's name.
        function: String,
        /// What the emulator was waiting for.
        doing: &'static str,
        /// How long it waited.
        after: Duration,
        /// What it printed.
        logs: String,
    },
    /// The bootstrap's process could not be inspected (its `/proc` status, its exit).
    #[error("could not inspect {function}'s process: {source}")]
    Process {
        /// The function's name.
        function: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}
