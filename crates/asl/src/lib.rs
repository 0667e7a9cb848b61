//! # asl — a local executor of Amazon States Language state machines
//!
//! AWS no longer supports Step Functions Local; this crate runs the same ASL files
//! (`statemachines/*.asl.json`, JSONPath query language) on one machine, with AWS's documented
//! semantics: input and output processing, intrinsic functions, Choice rules, Retry and
//! Catch, Wait, Parallel and inline Map, the context object, task-token callbacks, execution
//! history with Step Functions' event types, and RedriveExecution.
//!
//! ```
//! # async fn demo() -> Result<(), asl::DefinitionError> {
//! use asl::{Executor, MockRunner, ScaledClock, StateMachine, Status};
//! let machine = StateMachine::parse(r#"{"StartAt": "Hello", "States": {
//!     "Hello": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hello", "End": true}}}"#)?;
//! let runner = MockRunner::parse(r#"{"hello": [{"return": "Hello, World!"}]}"#).expect("mocks");
//! let clock = ScaledClock::new(1000.0);
//! let execution = Executor::new(&machine, &runner, &clock).start("run-1", serde_json::json!({})).await;
//! assert_eq!(execution.status, Status::Succeeded);
//! # Ok(()) }
//! ```
//!
//! ## Modules, in reading order
//! - [`definition`] — [`StateMachine`]: parsing and validating a definition, `${Name}`
//!   substitutions, listing its states.
//! - `paths` — JSONPath reading (`InputPath`, `OutputPath`, `ItemsPath`, `.$` fields) and
//!   `ResultPath` writing.
//! - `template` — payload templates: `Parameters`, `ResultSelector`, `ItemSelector`.
//! - `intrinsics` — `States.Format`, `States.Hash`, ... and their argument rules.
//! - `choice` — Choice rules.
//! - [`errors`] — the `States.*` error names and `ErrorEquals` matching.
//! - `retry` — retriers with backoff, catchers.
//! - [`runner`] — the [`TaskRunner`] port and how a Task's `Resource` names a function.
//! - [`mock`] — [`MockRunner`], answering Tasks from a mocks file.
//! - [`clock`] — [`Clock`], [`ScaledClock`], [`FastForwardClock`] for the demo and runs with
//!   the real steps, [`VirtualClock`] for tests.
//! - [`history`] — [`HistoryEvent`] and the recorder.
//! - [`execution`] — [`Execution`] as data: status, history, and the checkpoint it resumes
//!   and redrives from.
//! - [`executor`] — [`Executor`]: start, callbacks, redrive, stop; the simple states.
//! - `task`, `parallel`, `map` — the Task, Parallel and Map states.
//!
//! ## Deliberately not here
//! - JSONata states, workflow variables (`Assign`), Distributed Map (`ItemReader`,
//!   `ResultWriter`, tolerated failures) and activities' polling API: refused when the
//!   definition is read, with a message saying so.
//! - Persistence: an [`Execution`] is plain serde data; storing it is the caller's job.
//! - Calling AWS: Tasks go through the [`TaskRunner`] the caller provides.
//! - Payload size quotas (`States.DataLimitExceeded`) and heartbeats sent by workers.

mod choice;
pub mod clock;
pub mod definition;
pub mod errors;
pub mod execution;
pub mod executor;
pub mod history;
mod intrinsics;
mod map;
pub mod mock;
mod parallel;
mod paths;
mod retry;
pub mod runner;
mod task;
mod template;

pub use clock::{Clock, FastForwardClock, ScaledClock, VirtualClock};
pub use definition::{DefinitionError, StateInfo, StateKind, StateMachine};
pub use errors::Failure;
pub use execution::{Checkpoint, Execution, PendingCallback, Status};
pub use executor::{CallbackError, Executor, RedriveError};
pub use history::{HistoryEvent, Observer};
pub use mock::{MockError, MockResponse, MockRunner};
pub use runner::{TaskCall, TaskFailure, TaskRunner};
