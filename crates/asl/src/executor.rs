//! The executor: starting, resuming (task-token callbacks), redriving and stopping
//! executions, and running the simple states (Pass, Choice, Wait, Succeed, Fail). Task
//! states are in `task.rs`, Parallel in `parallel.rs`, Map in `map.rs`.
//!
//! Each state follows AWS's input and output processing: `InputPath` → (`Parameters`) →
//! work → `ResultSelector` → `ResultPath` (into the state's raw input) → `OutputPath`.
//! Source: "Processing input and output in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html>).

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::{Value, json};

use crate::clock::{self, Clock, format_timestamp};
use crate::definition::{
    Block, Body, Choice, Dynamic, Fail, Pass, State, StateMachine, Transition, Wait,
};
use crate::errors::{self, Failure};
use crate::execution::{Checkpoint, Delivery, Entered, Execution, Status, Thread};
use crate::history::{Observer, Recorder};
use crate::intrinsics::IntrinsicError;
use crate::paths::describe;
use crate::retry::{self, Catcher, Retrier};
use crate::runner::TaskRunner;

/// The region and account of local ARNs.
const LOCAL_ARN: &str = "arn:aws:states:local:000000000000";

/// Runs executions of one state machine, calling its Tasks through a [`TaskRunner`] and
/// keeping time with a [`Clock`].
pub struct Executor<'a> {
    pub(crate) machine: &'a StateMachine,
    pub(crate) runner: &'a dyn TaskRunner,
    pub(crate) clock: &'a dyn Clock,
    observer: Option<&'a Observer<'a>>,
}

/// Why an execution cannot be redriven (`ExecutionNotRedrivable`).
#[derive(Debug, thiserror::Error)]
pub enum RedriveError {
    /// Only `FAILED`, `TIMED_OUT` and `ABORTED` executions can be redriven.
    #[error(
        "execution '{name}' is {status} and cannot be redriven; only FAILED, TIMED_OUT or ABORTED executions can",
        status = status.as_str()
    )]
    NotRedrivable {
        /// The execution.
        name: String,
        /// Its status.
        status: Status,
    },
    /// The execution carries no checkpoint (it was saved without one).
    #[error("execution '{name}' has no checkpoint to redrive from")]
    NoCheckpoint {
        /// The execution.
        name: String,
    },
}

/// Why a task-token callback was refused.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// The execution is no longer running (`TaskTimedOut` on AWS).
    #[error(
        "execution '{name}' is {status}, not RUNNING; its tasks can no longer be answered",
        status = status.as_str()
    )]
    ExecutionNotRunning {
        /// The execution.
        name: String,
        /// Its status.
        status: Status,
    },
    /// No Task of the execution waits for this token (`TaskDoesNotExist` on AWS).
    #[error("no task of execution '{name}' is waiting for token '{token}'")]
    TaskDoesNotExist {
        /// The execution.
        name: String,
        /// The token given.
        token: String,
    },
}

/// How a thread of states ended (for now).
#[derive(Debug)]
pub(crate) enum Outcome {
    Done(Value),
    Failed(Failure),
    /// Waiting for a task token somewhere inside.
    Suspended,
    /// The execution's `TimeoutSeconds` passed.
    TimedOut,
}

/// What one state did.
#[derive(Debug)]
pub(crate) enum Step {
    Next(String, Value),
    End(Value),
    Failed(Failure),
    Suspended,
    TimedOut,
}

/// What to do about a state's error.
pub(crate) enum Recovery {
    Retry,
    Step(Step),
}

/// One run of an execution: the history being written and what every state's context
/// object shares.
pub(crate) struct Run<'r> {
    pub recorder: Recorder<'r>,
    pub execution_name: String,
    context: Value,
    deadline: Option<DateTime<Utc>>,
}

/// Extra context object fields for one evaluation.
#[derive(Default)]
pub(crate) struct Extra<'v> {
    pub token: Option<&'v str>,
    pub map_item: Option<(usize, &'v Value)>,
}

impl<'a> Executor<'a> {
    /// An executor of `machine` whose Tasks call `runner` and whose time is `clock`.
    pub fn new(
        machine: &'a StateMachine,
        runner: &'a dyn TaskRunner,
        clock: &'a dyn Clock,
    ) -> Self {
        Executor {
            machine,
            runner,
            clock,
            observer: None,
        }
    }

    /// Calls `observer` with each history event as it is recorded.
    pub fn observe(mut self, observer: &'a Observer<'a>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Starts an execution and runs it until it succeeds, fails or times out — or until it
    /// waits for a task-token callback, when it is returned `RUNNING` with
    /// [`Execution::pending_callbacks`].
    pub async fn start(&self, name: &str, input: Value) -> Execution {
        let now = self.clock.now();
        let machine_name = self.machine.name.clone();
        let mut execution = Execution {
            name: name.to_string(),
            execution_arn: format!(
                "{LOCAL_ARN}:execution:{}:{name}",
                machine_name.as_deref().unwrap_or("local")
            ),
            machine: machine_name,
            status: Status::Running,
            input: input.clone(),
            output: None,
            error: None,
            cause: None,
            start_date: now,
            stop_date: None,
            redrive_count: 0,
            redrive_date: None,
            history: Vec::new(),
            checkpoint: None,
        };
        let recorder = Recorder::new(Vec::new(), self.clock, self.observer);
        let mut previous = 0;
        let started = recorder.emit(
            &mut previous,
            "ExecutionStarted",
            json!({"input": input, "roleArn": "arn:aws:iam::000000000000:role/local"}),
        );
        execution.history = recorder.into_events();
        execution.checkpoint = Some(Checkpoint {
            root: Thread::new(&self.machine.root.start_at, input, started),
        });
        self.run(execution).await
    }

    /// `RedriveExecution`: continues a `FAILED`, `TIMED_OUT` or `ABORTED` execution from the
    /// state that did not succeed, with the input that state received. States that succeeded
    /// are not run again (their events stay in the history); inside a Parallel or Map only the
    /// branches and iterations that failed or were stopped run again. Appends
    /// `ExecutionRedriven` and counts the redrive.
    pub async fn redrive(&self, mut execution: Execution) -> Result<Execution, RedriveError> {
        if !matches!(
            execution.status,
            Status::Failed | Status::TimedOut | Status::Aborted
        ) {
            return Err(RedriveError::NotRedrivable {
                name: execution.name,
                status: execution.status,
            });
        }
        let Some(checkpoint) = execution.checkpoint.as_mut() else {
            return Err(RedriveError::NoCheckpoint {
                name: execution.name,
            });
        };
        checkpoint.root.reset_for_redrive();
        execution.redrive_count += 1;
        execution.redrive_date = Some(self.clock.now());
        execution.status = Status::Running;
        execution.error = None;
        execution.cause = None;
        execution.stop_date = None;
        let recorder = Recorder::new(
            std::mem::take(&mut execution.history),
            self.clock,
            self.observer,
        );
        let mut previous = recorder.last_id();
        let redriven = recorder.emit(
            &mut previous,
            "ExecutionRedriven",
            json!({"redriveCount": execution.redrive_count}),
        );
        execution.history = recorder.into_events();
        checkpoint.root.last_event = redriven;
        Ok(self.run(execution).await)
    }

    /// `SendTaskSuccess`: the waiting Task succeeds with `output` (which then goes through the
    /// Task's `ResultSelector`, `ResultPath` and `OutputPath`), and the execution continues.
    /// A callback arriving after the Task's `TimeoutSeconds` (or `HeartbeatSeconds`) by the
    /// clock fails the Task with `States.Timeout` instead.
    pub async fn send_task_success(
        &self,
        execution: Execution,
        token: &str,
        output: Value,
    ) -> Result<Execution, CallbackError> {
        self.deliver(execution, token, Delivery::Success { output })
            .await
    }

    /// `SendTaskFailure`: the waiting Task fails with `error` and `cause` (then its `Retry`
    /// and `Catch` apply), and the execution continues.
    pub async fn send_task_failure(
        &self,
        execution: Execution,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<Execution, CallbackError> {
        let delivery = Delivery::Failure {
            error: error.to_string(),
            cause: cause.to_string(),
        };
        self.deliver(execution, token, delivery).await
    }

    /// Continues a `RUNNING` execution from its checkpoint without a callback: a Task whose
    /// `TimeoutSeconds` (or `HeartbeatSeconds`) passed by the clock while waiting for its token
    /// fails with `States.Timeout` (then its `Retry`/`Catch` apply), and an execution past its
    /// own `TimeoutSeconds` times out. Anything still in time keeps waiting. Other statuses are
    /// returned unchanged.
    pub async fn resume(&self, execution: Execution) -> Execution {
        if execution.status != Status::Running {
            return execution;
        }
        self.run(execution).await
    }

    /// `StopExecution`: marks a running execution `ABORTED` (it can then be redriven).
    pub fn stop(&self, mut execution: Execution, error: &str, cause: &str) -> Execution {
        if execution.status != Status::Running {
            return execution;
        }
        let recorder = Recorder::new(
            std::mem::take(&mut execution.history),
            self.clock,
            self.observer,
        );
        let mut previous = recorder.last_id();
        recorder.emit(
            &mut previous,
            "ExecutionAborted",
            json!({"error": error, "cause": cause}),
        );
        execution.history = recorder.into_events();
        execution.status = Status::Aborted;
        execution.error = non_empty(error);
        execution.cause = non_empty(cause);
        execution.stop_date = Some(self.clock.now());
        execution
    }

    async fn deliver(
        &self,
        mut execution: Execution,
        token: &str,
        delivery: Delivery,
    ) -> Result<Execution, CallbackError> {
        if execution.status != Status::Running {
            return Err(CallbackError::ExecutionNotRunning {
                name: execution.name,
                status: execution.status,
            });
        }
        let callback = execution
            .checkpoint
            .as_mut()
            .and_then(|checkpoint| checkpoint.root.find_callback(token))
            .filter(|callback| callback.delivered.is_none());
        match callback {
            Some(callback) => callback.delivered = Some(delivery),
            None => {
                return Err(CallbackError::TaskDoesNotExist {
                    name: execution.name,
                    token: token.to_string(),
                });
            }
        }
        Ok(self.run(execution).await)
    }

    fn state_machine_arn(&self) -> String {
        format!(
            "{LOCAL_ARN}:stateMachine:{}",
            self.machine.name.as_deref().unwrap_or("local")
        )
    }

    /// Runs the execution from its checkpoint until it ends or waits.
    async fn run(&self, mut execution: Execution) -> Execution {
        let Some(mut checkpoint) = execution.checkpoint.take() else {
            return execution;
        };
        let mut execution_context = json!({
            "Id": execution.execution_arn,
            "Input": execution.input,
            "Name": execution.name,
            "RoleArn": "arn:aws:iam::000000000000:role/local",
            "StartTime": format_timestamp(execution.start_date),
            "RedriveCount": execution.redrive_count,
        });
        if let Some(redriven) = execution.redrive_date {
            execution_context["RedriveTime"] = json!(format_timestamp(redriven));
        }
        // A redriven execution gets its TimeoutSeconds again from the redrive.
        let deadline = self.machine.timeout_seconds.map(|seconds| {
            clock::add(
                execution.redrive_date.unwrap_or(execution.start_date),
                Duration::from_secs(seconds),
            )
        });
        let run = Run {
            recorder: Recorder::new(
                std::mem::take(&mut execution.history),
                self.clock,
                self.observer,
            ),
            execution_name: execution.name.clone(),
            context: json!({
                "Execution": execution_context,
                "StateMachine": {
                    "Id": self.state_machine_arn(),
                    "Name": self.machine.name.as_deref().unwrap_or("local"),
                },
            }),
            deadline,
        };
        let outcome = self
            .run_thread(&run, &self.machine.root, &mut checkpoint.root)
            .await;
        let mut previous = run.recorder.last_id();
        match outcome {
            Outcome::Done(output) => {
                run.recorder.emit(
                    &mut previous,
                    "ExecutionSucceeded",
                    json!({"output": output}),
                );
                execution.status = Status::Succeeded;
                execution.output = Some(output);
                execution.stop_date = Some(self.clock.now());
            }
            Outcome::Failed(failure) => {
                run.recorder.emit(
                    &mut previous,
                    "ExecutionFailed",
                    json!({"error": failure.error, "cause": failure.cause}),
                );
                execution.status = Status::Failed;
                execution.error = non_empty(&failure.error);
                execution.cause = non_empty(&failure.cause);
                execution.stop_date = Some(self.clock.now());
                execution.checkpoint = Some(checkpoint);
            }
            Outcome::TimedOut => {
                let cause = format!(
                    "The execution ran longer than the state machine's TimeoutSeconds ({} s).",
                    self.machine.timeout_seconds.unwrap_or_default()
                );
                run.recorder.emit(
                    &mut previous,
                    "ExecutionTimedOut",
                    json!({"error": errors::TIMEOUT, "cause": cause}),
                );
                execution.status = Status::TimedOut;
                execution.error = Some(errors::TIMEOUT.to_string());
                execution.cause = Some(cause);
                execution.stop_date = Some(self.clock.now());
                execution.checkpoint = Some(checkpoint);
            }
            Outcome::Suspended => {
                execution.checkpoint = Some(checkpoint);
            }
        }
        execution.history = run.recorder.into_events();
        execution
    }

    /// Runs a thread's states until it ends, fails, waits or times out.
    pub(crate) fn run_thread<'s>(
        &'s self,
        run: &'s Run<'s>,
        block: &'s Block,
        thread: &'s mut Thread,
    ) -> BoxFuture<'s, Outcome> {
        Box::pin(async move {
            loop {
                let Some(state) = block.get(&thread.state) else {
                    return Outcome::Failed(Failure::runtime(format!(
                        "The state machine has no state '{}' (was the definition changed?)",
                        thread.state
                    )));
                };
                match self.run_state(run, state, thread).await {
                    Step::Next(next, output) => thread.advance(next, output),
                    Step::End(output) => return Outcome::Done(output),
                    Step::Failed(failure) => return Outcome::Failed(failure),
                    Step::Suspended => return Outcome::Suspended,
                    Step::TimedOut => return Outcome::TimedOut,
                }
            }
        })
    }

    async fn run_state(&self, run: &Run<'_>, state: &State, thread: &mut Thread) -> Step {
        if thread.entered.is_none() {
            let now = self.clock.now();
            if run.deadline.is_some_and(|deadline| now >= deadline) {
                return Step::TimedOut;
            }
            let id = run.recorder.emit(
                &mut thread.last_event,
                &format!("{}StateEntered", state.kind().as_str()),
                json!({"name": state.name, "input": thread.input}),
            );
            thread.entered = Some(Entered {
                time: now,
                event_id: id,
            });
        }
        let step = match &state.body {
            Body::Pass(pass) => self.pass(run, state, pass, thread),
            Body::Task(task) => self.task(run, state, task, thread).await,
            Body::Choice(choice) => self.choice(run, state, choice, thread),
            Body::Wait(wait) => self.wait(run, state, wait, thread).await,
            Body::Succeed => self.succeed(run, state, thread),
            Body::Fail(fail) => self.fail(run, fail, thread),
            Body::Parallel(parallel) => self.parallel(run, state, parallel, thread).await,
            Body::Map(map) => self.map(run, state, map, thread).await,
        };
        match step {
            Step::Failed(failure) => Step::Failed(locate(state, thread, failure)),
            other => other,
        }
    }

    /// The context object for an evaluation in `thread`'s current state.
    pub(crate) fn context(&self, run: &Run<'_>, thread: &Thread, extra: Extra<'_>) -> Value {
        let mut context = run.context.clone();
        let entered = thread.entered.map_or_else(|| self.clock.now(), |e| e.time);
        context["State"] = json!({
            "EnteredTime": format_timestamp(entered),
            "Name": thread.state,
            "RetryCount": thread.retry_count,
        });
        if let Some(token) = extra.token {
            context["Task"] = json!({ "Token": token });
        }
        if let Some((index, value)) = extra.map_item {
            context["Map"] = json!({"Item": {"Index": index, "Value": value}});
        }
        context
    }

    /// Records `{Type}StateExited` and follows the state's transition.
    pub(crate) fn exit(
        &self,
        run: &Run<'_>,
        state: &State,
        thread: &mut Thread,
        output: Value,
    ) -> Step {
        run.recorder.emit(
            &mut thread.last_event,
            &format!("{}StateExited", state.kind().as_str()),
            json!({"name": state.name, "output": output}),
        );
        match &state.transition {
            Transition::Next(next) => Step::Next(next.clone(), output),
            Transition::End | Transition::Own => Step::End(output),
        }
    }

    /// Sleeps on the clock unless the execution's deadline comes first (then `false`).
    pub(crate) async fn sleep(&self, run: &Run<'_>, duration: Duration) -> bool {
        if let Some(deadline) = run.deadline {
            let left = clock::until(self.clock.now(), deadline);
            if left < duration {
                if !left.is_zero() {
                    self.clock.sleep(left).await;
                }
                return false;
            }
        }
        if !duration.is_zero() {
            self.clock.sleep(duration).await;
        }
        true
    }

    /// The execution's deadline, if it has one.
    pub(crate) fn deadline(&self, run: &Run<'_>) -> Option<DateTime<Utc>> {
        run.deadline
    }

    /// Applies `Retry`, then `Catch`, to a state's failure.
    pub(crate) async fn recover(
        &self,
        run: &Run<'_>,
        state: &State,
        thread: &mut Thread,
        retriers: &[Retrier],
        catchers: &[Catcher],
        failure: Failure,
    ) -> Recovery {
        if failure.is_terminal() {
            return Recovery::Step(Step::Failed(failure));
        }
        let delay = {
            let mut rng = rand::rng();
            retry::next_retry(retriers, &mut thread.attempts, &failure.error, &mut rng)
        };
        if let Some(delay) = delay {
            if !self.sleep(run, delay).await {
                return Recovery::Step(Step::TimedOut);
            }
            thread.retry_count += 1;
            return Recovery::Retry;
        }
        let Some(catcher) = retry::find_catcher(catchers, &failure.error) else {
            return Recovery::Step(Step::Failed(failure));
        };
        match catcher
            .result_path
            .apply(thread.input.clone(), failure.error_output())
        {
            Ok(output) => {
                run.recorder.emit(
                    &mut thread.last_event,
                    &format!("{}StateExited", state.kind().as_str()),
                    json!({"name": state.name, "output": output}),
                );
                Recovery::Step(Step::Next(catcher.next.clone(), output))
            }
            Err(cause) => Recovery::Step(Step::Failed(Failure::runtime(cause))),
        }
    }

    fn pass(&self, run: &Run<'_>, state: &State, pass: &Pass, thread: &mut Thread) -> Step {
        let context = self.context(run, thread, Extra::default());
        let output = (|| {
            let effective = state
                .input_path
                .apply(thread.input.clone(), &context)
                .map_err(Failure::runtime)?;
            let effective = match &pass.parameters {
                Some(template) => template.render(&effective, &context)?,
                None => effective,
            };
            let result = pass.result.clone().unwrap_or(effective);
            let output = pass
                .result_path
                .apply(thread.input.clone(), result)
                .map_err(|cause| Failure::new(errors::RESULT_PATH_MATCH_FAILURE, cause))?;
            state
                .output_path
                .apply(output, &context)
                .map_err(Failure::runtime)
        })();
        match output {
            Ok(output) => self.exit(run, state, thread, output),
            Err(failure) => Step::Failed(failure),
        }
    }

    fn choice(&self, run: &Run<'_>, state: &State, choice: &Choice, thread: &mut Thread) -> Step {
        let context = self.context(run, thread, Extra::default());
        let effective = match state.input_path.apply(thread.input.clone(), &context) {
            Ok(effective) => effective,
            Err(cause) => return Step::Failed(Failure::runtime(cause)),
        };
        let mut next = None;
        for rule in &choice.choices {
            match rule.rule.eval(&effective, &context) {
                Ok(true) => {
                    next = Some(rule.next.clone());
                    break;
                }
                Ok(false) => {}
                Err(cause) => return Step::Failed(Failure::runtime(cause)),
            }
        }
        let Some(next) = next.or_else(|| choice.default.clone()) else {
            return Step::Failed(Failure::new(
                errors::NO_CHOICE_MATCHED,
                format!(
                    "No Choice Rule of state '{}' matched the input {} and it has no Default",
                    state.name,
                    describe(&effective)
                ),
            ));
        };
        let output = match state.output_path.apply(effective, &context) {
            Ok(output) => output,
            Err(cause) => return Step::Failed(Failure::runtime(cause)),
        };
        run.recorder.emit(
            &mut thread.last_event,
            "ChoiceStateExited",
            json!({"name": state.name, "output": output}),
        );
        Step::Next(next, output)
    }

    async fn wait(&self, run: &Run<'_>, state: &State, wait: &Wait, thread: &mut Thread) -> Step {
        let context = self.context(run, thread, Extra::default());
        let effective = match state.input_path.apply(thread.input.clone(), &context) {
            Ok(effective) => effective,
            Err(cause) => return Step::Failed(Failure::runtime(cause)),
        };
        let now = self.clock.now();
        let duration = match wait_duration(wait, &effective, &context, now) {
            Ok(duration) => duration,
            Err(cause) => return Step::Failed(Failure::runtime(cause)),
        };
        if !self.sleep(run, duration).await {
            return Step::TimedOut;
        }
        match state.output_path.apply(effective, &context) {
            Ok(output) => self.exit(run, state, thread, output),
            Err(cause) => Step::Failed(Failure::runtime(cause)),
        }
    }

    fn succeed(&self, run: &Run<'_>, state: &State, thread: &mut Thread) -> Step {
        let context = self.context(run, thread, Extra::default());
        let output = state
            .input_path
            .apply(thread.input.clone(), &context)
            .and_then(|effective| state.output_path.apply(effective, &context));
        match output {
            Ok(output) => self.exit(run, state, thread, output),
            Err(cause) => Step::Failed(Failure::runtime(cause)),
        }
    }

    fn fail(&self, run: &Run<'_>, fail: &Fail, thread: &mut Thread) -> Step {
        let context = self.context(run, thread, Extra::default());
        let error = dynamic(&fail.error, "ErrorPath", &thread.input, &context);
        let cause = dynamic(&fail.cause, "CausePath", &thread.input, &context);
        match (error, cause) {
            (Ok(error), Ok(cause)) => Step::Failed(Failure::new(error, cause)),
            (Err(failure), _) | (_, Err(failure)) => Step::Failed(failure),
        }
    }
}

/// A Wait state's duration from now.
fn wait_duration(
    wait: &Wait,
    input: &Value,
    context: &Value,
    now: DateTime<Utc>,
) -> Result<Duration, String> {
    let read = |path: &crate::paths::Path| {
        path.select(input, context).map_err(|_| {
            format!(
                "Invalid path '{}': no value for the Wait state in the input {}",
                path.text(),
                describe(input)
            )
        })
    };
    Ok(match wait {
        Wait::Seconds(seconds) => Duration::from_secs(*seconds),
        Wait::SecondsPath(path) => {
            let value = read(path)?;
            match value.as_u64() {
                Some(seconds) => Duration::from_secs(seconds),
                None => {
                    return Err(format!(
                        "The SecondsPath '{}' must select a non-negative integer, got {value}",
                        path.text()
                    ));
                }
            }
        }
        Wait::Timestamp(until) => clock::until(now, *until),
        Wait::TimestampPath(path) => {
            let value = read(path)?;
            match value.as_str().and_then(clock::parse_timestamp) {
                Some(until) => clock::until(now, until),
                None => {
                    return Err(format!(
                        "The TimestampPath '{}' must select an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got {value}",
                        path.text()
                    ));
                }
            }
        }
    })
}

/// A Fail state's error or cause.
fn dynamic(field: &Dynamic, name: &str, input: &Value, context: &Value) -> Result<String, Failure> {
    let value = match field {
        Dynamic::Unset => return Ok(String::new()),
        Dynamic::Fixed(text) => return Ok(text.clone()),
        Dynamic::Path(path) => path.select(input, context).map_err(|_| {
            Failure::runtime(format!(
                "Invalid path '{}' for {name}: no value in the input {}",
                path.text(),
                describe(input)
            ))
        })?,
        Dynamic::Intrinsic(call) => call.eval(input, context).map_err(|error| match error {
            IntrinsicError::NotFound(path) => Failure::runtime(format!(
                "Invalid path '{path}' in {name}: no value in the input {}",
                describe(input)
            )),
            IntrinsicError::Failure(why) => Failure::new(errors::INTRINSIC_FAILURE, why),
        })?,
    };
    match value {
        Value::String(text) => Ok(text),
        other => Err(Failure::runtime(format!(
            "{name} must select a string, got {other}"
        ))),
    }
}

/// Prefixes a runtime failure's cause with the state, as Step Functions does.
fn locate(state: &State, thread: &Thread, failure: Failure) -> Failure {
    const PREFIX: &str = "An error occurred while executing the state";
    if failure.error != errors::RUNTIME || failure.cause.starts_with(PREFIX) {
        return failure;
    }
    let event = thread.entered.map(|e| e.event_id).unwrap_or_default();
    Failure::runtime(format!(
        "{PREFIX} '{}' (entered at the event id #{event}). {}",
        state.name, failure.cause
    ))
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}
