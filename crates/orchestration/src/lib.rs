//! # orchestration — the state machines with their real steps, on one machine
//!
//! AWS no longer ships Step Functions Local. This crate runs `statemachines/*.asl.json` on the
//! [`asl`] executor with the eight steps as its Task handlers over the local adapters, keeps
//! every execution (history included) in the store, and answers approvals and redrives the
//! way Step Functions does — what `adsctl run`, `executions`, `redrive`, `approve`, `reject`
//! and `demo` stand on.
//!
//! Reading order:
//! - [`machines`]: [`Machine`], the three definitions built into the binary, their function
//!   placeholders resolved to the local steps;
//! - [`steps`]: [`LocalSteps`], the [`asl::TaskRunner`] that runs a step by its function name;
//! - [`executions`]: [`Executions`], `executions/<machine>/<name>.json` in the store;
//! - this file: [`Orchestrator`] — start, answer a task token, redrive — saving the execution
//!   after every move, and sending the failure report of an execution that failed where no
//!   `Catch` reported it (apply has none, so a redrive can rerun it; on AWS an EventBridge rule
//!   on `FAILED` executions does the same).

pub mod executions;
pub mod machines;
pub mod steps;

use asl::{Clock, Execution, Executor, HistoryEvent, Observer, Status, TaskCall, TaskRunner};
use serde_json::{Value, json};

pub use executions::{Executions, ExecutionsError, token_tail};
pub use machines::Machine;
pub use steps::LocalSteps;

/// Why an orchestration command failed.
#[derive(Debug, thiserror::Error)]
pub enum OrchestrationError {
    /// A definition does not parse (a broken build).
    #[error("state machine {machine}: {source}")]
    Definition {
        /// The machine.
        machine: &'static str,
        /// Why.
        source: asl::DefinitionError,
    },
    /// Reading or writing an execution failed.
    #[error(transparent)]
    Executions(#[from] ExecutionsError),
    /// The execution cannot be redriven.
    #[error(transparent)]
    Redrive(#[from] asl::RedriveError),
    /// The callback was refused.
    #[error(transparent)]
    Callback(#[from] asl::CallbackError),
    /// An execution of this name exists already (Step Functions' `ExecutionAlreadyExists`).
    #[error(
        "an execution named '{name}' exists already; choose another name, or `adsctl redrive \
         {name}` if it failed"
    )]
    AlreadyExists {
        /// The name.
        name: String,
    },
}

/// A person's answer to an approval request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Apply the proposed actions: all of them, or only `action_ids`.
    Approve {
        /// Who approved.
        by: String,
        /// The approved action ids (`None`: every proposed action).
        action_ids: Option<Vec<String>>,
    },
    /// Apply nothing.
    Reject {
        /// Who rejected.
        by: String,
    },
}

impl Answer {
    /// The Task's output the optimize machine's "Approval answered" reads.
    pub fn output(&self) -> Value {
        match self {
            Answer::Approve { by, action_ids } => {
                let mut answer = json!({"approved": true, "approvedBy": by});
                if let Some(ids) = action_ids {
                    answer["actionIds"] = json!(ids);
                }
                answer
            }
            Answer::Reject { by } => json!({"approved": false, "approvedBy": by}),
        }
    }
}

/// Runs the state machines with the local steps and keeps their executions in the store.
pub struct Orchestrator<'a> {
    steps: &'a LocalSteps<'a>,
    clock: &'a dyn Clock,
    executions: Executions<'a>,
    observer: Option<&'a Observer<'a>>,
}

impl<'a> Orchestrator<'a> {
    /// An orchestrator whose Tasks run `steps`, whose time is `clock` (the steps' own), and
    /// whose executions are kept in the steps' store.
    pub fn new(steps: &'a LocalSteps<'a>) -> Self {
        Orchestrator {
            steps,
            clock: steps.clock,
            executions: Executions::new(steps.store),
            observer: None,
        }
    }

    /// Calls `observer` with each history event as it is recorded (to print states).
    pub fn observe(mut self, observer: &'a Observer<'a>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The executions of the store.
    pub fn executions(&self) -> Executions<'a> {
        self.executions
    }

    /// Starts `machine` as execution `name` with `input` and runs it until it ends or waits
    /// for a task token; the execution is saved either way.
    pub async fn start(
        &self,
        machine: Machine,
        name: &str,
        input: Value,
    ) -> Result<Execution, OrchestrationError> {
        match self.executions.find(name).await {
            Ok(_) => {
                return Err(OrchestrationError::AlreadyExists {
                    name: name.to_owned(),
                });
            }
            Err(ExecutionsError::NotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
        let definition = definition(machine)?;
        let execution = self.executor(&definition).start(name, input).await;
        self.settle(machine, execution).await
    }

    /// `RedriveExecution`: continues the failed execution `name` from the state that did not
    /// succeed; states that succeeded are not run again.
    pub async fn redrive(&self, name: &str) -> Result<Execution, OrchestrationError> {
        let (machine, execution) = self.executions.find(name).await?;
        let definition = definition(machine)?;
        let execution = self.executor(&definition).redrive(execution).await?;
        self.settle(machine, execution).await
    }

    /// Answers the approval waiting for `token` (`SendTaskSuccess` with the answer), and runs
    /// the execution on.
    pub async fn answer(
        &self,
        token: &str,
        answer: &Answer,
    ) -> Result<Execution, OrchestrationError> {
        let (machine, execution) = self.executions.waiting_for(token).await?;
        let definition = definition(machine)?;
        let execution = self
            .executor(&definition)
            .send_task_success(execution, token, answer.output())
            .await?;
        self.settle(machine, execution).await
    }

    fn executor<'e>(&'e self, definition: &'e asl::StateMachine) -> Executor<'e> {
        let executor = Executor::new(definition, self.steps, self.clock);
        match self.observer {
            Some(observer) => executor.observe(observer),
            None => executor,
        }
    }

    /// Saves the execution, after sending the failure report when it failed where no
    /// `Catch` sent one.
    async fn settle(
        &self,
        machine: Machine,
        execution: Execution,
    ) -> Result<Execution, OrchestrationError> {
        self.executions.save(machine, &execution).await?;
        if failed_uncaught(&execution) {
            self.report_failure(&execution).await;
        }
        Ok(execution)
    }

    /// The report step with the execution's error, as the EventBridge rule on `FAILED`
    /// executions sends it on AWS. Its own failure is logged, never raised: the execution's
    /// error is what matters.
    async fn report_failure(&self, execution: &Execution) {
        let input = &execution.input;
        let (Some(account), Some(as_of)) = (input.get("accountId"), input.get("asOf")) else {
            return;
        };
        let call = TaskCall {
            function: "report".to_owned(),
            resource: "report".to_owned(),
            input: json!({
                "accountId": account,
                "asOf": as_of,
                "error": {"Error": execution.error, "Cause": execution.cause},
                "execution": {"name": execution.name, "redriveCount": execution.redrive_count},
            }),
            task_token: None,
            state_name: "failure report".to_owned(),
            execution_name: execution.name.clone(),
        };
        if let Err(failure) = self.steps.invoke(&call).await {
            tracing::warn!(execution = %execution.name, %failure, "the failure report failed");
        }
    }
}

fn definition(machine: Machine) -> Result<asl::StateMachine, OrchestrationError> {
    machine
        .state_machine()
        .map_err(|source| OrchestrationError::Definition {
            machine: machine.name(),
            source,
        })
}

/// Whether `execution` failed (or timed out) in a state other than a `Fail` state — where no
/// `Catch` routed the error to a failure report.
pub fn failed_uncaught(execution: &Execution) -> bool {
    matches!(execution.status, Status::Failed | Status::TimedOut)
        && last_entered(&execution.history).is_some_and(|event| event.r#type != "FailStateEntered")
}

/// The last `*StateEntered` event.
fn last_entered(history: &[HistoryEvent]) -> Option<&HistoryEvent> {
    history
        .iter()
        .rev()
        .find(|event| event.r#type.ends_with("StateEntered"))
}
