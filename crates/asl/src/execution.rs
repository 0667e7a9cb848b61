//! An execution as data: its status, input, output, history, and the checkpoint from which
//! it can be resumed (a task-token callback) or redriven (after a failure) — by this process
//! or, after saving it as JSON, by another one with the same [`crate::StateMachine`].
//!
//! The checkpoint is a tree of threads: the top level, and under a Parallel or Map state one
//! slot per branch or iteration, either done (with its output) or pending (with its own
//! thread). A thread is at one state, with the raw input that state received.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::history::HistoryEvent;

/// An execution's status, as `DescribeExecution` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Running, or waiting for a task-token callback.
    Running,
    /// Ended in a terminal state with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran longer than the state machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped from outside.
    Aborted,
}

impl Status {
    /// The status as AWS spells it, e.g. `TIMED_OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// One execution of a state machine.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    /// The execution's name (unique per state machine).
    pub name: String,
    /// Its ARN-shaped id, also `$$.Execution.Id`.
    pub execution_arn: String,
    /// The state machine's name, when it was given one.
    pub machine: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// The execution's input.
    pub input: Value,
    /// The output, once `SUCCEEDED`.
    pub output: Option<Value>,
    /// The error name, once `FAILED` or `TIMED_OUT`.
    pub error: Option<String>,
    /// The cause, once `FAILED` or `TIMED_OUT`.
    pub cause: Option<String>,
    /// When it started.
    pub start_date: DateTime<Utc>,
    /// When it stopped, unless `RUNNING`.
    pub stop_date: Option<DateTime<Utc>>,
    /// How many times it was redriven.
    pub redrive_count: u32,
    /// When it was last redriven.
    pub redrive_date: Option<DateTime<Utc>>,
    /// Every event so far; a redrive appends to it.
    pub history: Vec<HistoryEvent>,
    /// Where to resume or redrive from; absent once `SUCCEEDED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

/// A Task waiting for `SendTaskSuccess`/`SendTaskFailure`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingCallback {
    /// The task token to answer with.
    pub token: String,
    /// The waiting Task state.
    pub state_name: String,
    /// The function that was called with the token.
    pub function: String,
    /// What that function was given.
    pub input: Value,
    /// When the task started, by the executor's clock.
    pub started: DateTime<Utc>,
}

impl Execution {
    /// The Tasks waiting for a callback (several when Parallel branches or Map iterations
    /// wait at once).
    pub fn pending_callbacks(&self) -> Vec<PendingCallback> {
        let mut out = Vec::new();
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint.root.collect_callbacks(&mut out);
        }
        out
    }
}

/// Where an unfinished execution stands: enough to resume or redrive it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub(crate) root: Thread,
}

/// A run through one block of states.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Thread {
    /// The current state.
    pub state: String,
    /// The raw input the current state received.
    pub input: Value,
    /// Set once `{Type}StateEntered` was recorded for the current state.
    pub entered: Option<Entered>,
    /// Attempts per retrier of the current state.
    #[serde(default)]
    pub attempts: Vec<u32>,
    /// Retries of the current state so far (`$$.State.RetryCount`).
    #[serde(default)]
    pub retry_count: u32,
    /// The last event of this thread, for `previousEventId`.
    pub last_event: u64,
    /// What the current state has done so far.
    pub progress: Progress,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entered {
    pub time: DateTime<Utc>,
    pub event_id: u64,
}

/// A state's progress, for the states that can stop part-way.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Progress {
    /// Not started (or to be started again).
    #[default]
    Fresh,
    /// A Task waiting for its task token (boxed: the other variants are small).
    Callback(Box<Callback>),
    /// A Parallel state's branches.
    Parallel { branches: Vec<Slot> },
    /// A Map state's iterations.
    Map { iterations: Vec<Slot> },
}

/// One branch or iteration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Slot {
    Done { output: Value },
    Pending { thread: Box<Thread>, started: bool },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Callback {
    pub token: String,
    pub function: String,
    pub input: Value,
    pub started: DateTime<Utc>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    pub delivered: Option<Delivery>,
}

/// What `SendTaskSuccess`/`SendTaskFailure` delivered.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Delivery {
    Success { output: Value },
    Failure { error: String, cause: String },
}

impl Thread {
    /// A thread about to enter `state` with `input`.
    pub fn new(state: &str, input: Value, last_event: u64) -> Thread {
        Thread {
            state: state.to_string(),
            input,
            entered: None,
            attempts: Vec::new(),
            retry_count: 0,
            last_event,
            progress: Progress::Fresh,
        }
    }

    /// Moves on to the next state.
    pub fn advance(&mut self, next: String, input: Value) {
        self.state = next;
        self.input = input;
        self.entered = None;
        self.attempts.clear();
        self.retry_count = 0;
        self.progress = Progress::Fresh;
    }

    /// Prepares a failed or interrupted thread to run again: a simple state starts over
    /// (entered anew, retries reset); a Parallel or Map keeps its finished branches and
    /// iterations and prepares the others.
    pub fn reset_for_redrive(&mut self) {
        self.attempts.clear();
        self.retry_count = 0;
        match &mut self.progress {
            Progress::Parallel { branches: slots } | Progress::Map { iterations: slots } => {
                for slot in slots {
                    if let Slot::Pending { thread, .. } = slot {
                        thread.reset_for_redrive();
                    }
                }
            }
            Progress::Fresh | Progress::Callback(_) => {
                self.progress = Progress::Fresh;
                self.entered = None;
            }
        }
    }

    /// The waiting callback with this token, anywhere below this thread.
    pub fn find_callback(&mut self, token: &str) -> Option<&mut Callback> {
        match &mut self.progress {
            Progress::Callback(callback) if callback.token == token => Some(callback),
            Progress::Parallel { branches: slots } | Progress::Map { iterations: slots } => {
                slots.iter_mut().find_map(|slot| match slot {
                    Slot::Pending { thread, .. } => thread.find_callback(token),
                    Slot::Done { .. } => None,
                })
            }
            _ => None,
        }
    }

    fn collect_callbacks(&self, out: &mut Vec<PendingCallback>) {
        match &self.progress {
            Progress::Callback(callback) if callback.delivered.is_none() => {
                out.push(PendingCallback {
                    token: callback.token.clone(),
                    state_name: self.state.clone(),
                    function: callback.function.clone(),
                    input: callback.input.clone(),
                    started: callback.started,
                })
            }
            Progress::Parallel { branches: slots } | Progress::Map { iterations: slots } => {
                for slot in slots {
                    if let Slot::Pending { thread, .. } = slot {
                        thread.collect_callbacks(out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn waiting(token: &str) -> Thread {
        let mut thread = Thread::new("Approve", json!({}), 3);
        thread.entered = Some(Entered {
            time: Utc::now(),
            event_id: 3,
        });
        thread.progress = Progress::Callback(Box::new(Callback {
            token: token.into(),
            function: "report".into(),
            input: json!({"token": token}),
            started: Utc::now(),
            timeout_seconds: Some(60),
            heartbeat_seconds: None,
            delivered: None,
        }));
        thread
    }

    #[test]
    fn callbacks_are_found_inside_branches() {
        // GIVEN a Parallel whose second branch waits for a token
        let mut root = Thread::new("P", json!({}), 2);
        root.progress = Progress::Parallel {
            branches: vec![
                Slot::Done { output: json!(1) },
                Slot::Pending {
                    thread: Box::new(waiting("tok-2")),
                    started: true,
                },
            ],
        };
        // THEN the token is found and listed
        assert!(root.find_callback("tok-2").is_some());
        assert!(root.find_callback("tok-x").is_none());
        let mut listed = Vec::new();
        root.collect_callbacks(&mut listed);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].state_name, "Approve");
    }

    #[test]
    fn redrive_keeps_finished_branches_and_restarts_the_rest() {
        let mut root = Thread::new("P", json!({}), 2);
        root.progress = Progress::Parallel {
            branches: vec![
                Slot::Done { output: json!(1) },
                Slot::Pending {
                    thread: Box::new(waiting("tok")),
                    started: true,
                },
            ],
        };
        root.reset_for_redrive();
        let Progress::Parallel { branches } = &root.progress else {
            panic!("still a Parallel");
        };
        assert!(matches!(branches[0], Slot::Done { .. }));
        let Slot::Pending { thread, .. } = &branches[1] else {
            panic!("still pending");
        };
        assert!(matches!(thread.progress, Progress::Fresh));
        assert!(thread.entered.is_none());
    }

    #[test]
    fn status_serializes_as_aws_spells_it() {
        assert_eq!(
            serde_json::to_value(Status::TimedOut).expect("serializes"),
            json!("TIMED_OUT")
        );
        assert_eq!(Status::Succeeded.as_str(), "SUCCEEDED");
    }
}
