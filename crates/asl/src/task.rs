//! The Task state: one attempt after another under its `Retry` policy, each calling the
//! [`TaskRunner`](crate::TaskRunner) within `TimeoutSeconds`, or submitting a task token and
//! waiting for its callback; then `ResultSelector`, `ResultPath` and `OutputPath`.
//!
//! Source: "Task workflow state" and "Wait for a callback with task token" in the developer
//! guide. `TimeoutSeconds` and `HeartbeatSeconds` count from the task's start by the
//! executor's clock, so a callback answered after them fails the task with `States.Timeout`
//! (or `States.HeartbeatTimeout`, which `States.Timeout` also matches).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::clock;
use crate::definition::{Seconds, State, Task};
use crate::errors::{self, Failure};
use crate::execution::{Callback, Delivery, Progress, Thread};
use crate::executor::{Executor, Extra, Recovery, Run, Step};
use crate::paths::{ResultPath, describe};
use crate::runner::{Target, TaskCall, TaskFailure};
use crate::template::Template;

/// How one attempt went.
enum Attempt {
    Result(Value),
    Failed(Failure),
    Suspended,
    TimedOut,
}

/// How a runner call went, with timeouts.
enum Invoked {
    Returned(Value),
    Failed(TaskFailure),
    TaskTimedOut(u64),
    ExecutionTimedOut,
}

impl Executor<'_> {
    pub(crate) async fn task(
        &self,
        run: &Run<'_>,
        state: &State,
        task: &Task,
        thread: &mut Thread,
    ) -> Step {
        loop {
            let attempt = if matches!(thread.progress, Progress::Callback(_)) {
                self.resume_callback(run, task, thread)
            } else {
                self.attempt(run, state, task, thread).await
            };
            let failure = match attempt {
                Attempt::Result(result) => {
                    thread.progress = Progress::Fresh;
                    match self.finish(
                        run,
                        state,
                        thread,
                        task.result_selector.as_ref(),
                        &task.result_path,
                        result,
                    ) {
                        Ok(output) => return self.exit(run, state, thread, output),
                        Err(failure) => failure,
                    }
                }
                Attempt::Failed(failure) => {
                    thread.progress = Progress::Fresh;
                    failure
                }
                Attempt::Suspended => return Step::Suspended,
                Attempt::TimedOut => return Step::TimedOut,
            };
            match self
                .recover(run, state, thread, &task.retry, &task.catch, failure)
                .await
            {
                Recovery::Retry => continue,
                Recovery::Step(step) => return step,
            }
        }
    }

    /// `ResultSelector`, `ResultPath` into the raw input, then `OutputPath`.
    pub(crate) fn finish(
        &self,
        run: &Run<'_>,
        state: &State,
        thread: &Thread,
        result_selector: Option<&Template>,
        result_path: &ResultPath,
        result: Value,
    ) -> Result<Value, Failure> {
        let context = self.context(run, thread, Extra::default());
        let selected = match result_selector {
            Some(template) => template.render(&result, &context)?,
            None => result,
        };
        let output = result_path
            .apply(thread.input.clone(), selected)
            .map_err(|cause| Failure::new(errors::RESULT_PATH_MATCH_FAILURE, cause))?;
        state
            .output_path
            .apply(output, &context)
            .map_err(Failure::runtime)
    }

    async fn attempt(
        &self,
        run: &Run<'_>,
        state: &State,
        task: &Task,
        thread: &mut Thread,
    ) -> Attempt {
        let token = task
            .target
            .is_callback()
            .then(|| uuid::Uuid::new_v4().simple().to_string());
        let context = self.context(
            run,
            thread,
            Extra {
                token: token.as_deref(),
                map_item: None,
            },
        );
        let prepared = (|| {
            let effective = state
                .input_path
                .apply(thread.input.clone(), &context)
                .map_err(Failure::runtime)?;
            let parameters = match &task.parameters {
                Some(template) => template.render(&effective, &context)?,
                None => effective.clone(),
            };
            let (function, input) = task.target.call(&parameters).map_err(Failure::runtime)?;
            let timeout = seconds(&task.timeout, "TimeoutSecondsPath", &effective, &context)?;
            let heartbeat = seconds(
                &task.heartbeat,
                "HeartbeatSecondsPath",
                &effective,
                &context,
            )?;
            Ok::<_, Failure>((parameters, function, input, timeout, heartbeat))
        })();
        let (parameters, function, input, timeout, heartbeat) = match prepared {
            Ok(prepared) => prepared,
            Err(failure) => return Attempt::Failed(failure),
        };
        let events = task.target.events();
        let details = |extra: Value| event_details(&task.target, &task.resource, extra);
        let mut scheduled = if events.names_resource {
            details(json!({"region": "local", "parameters": parameters}))
        } else {
            json!({"resource": task.resource, "input": input})
        };
        if let Some(seconds) = timeout {
            scheduled["timeoutInSeconds"] = json!(seconds);
        }
        if let Some(seconds) = heartbeat {
            scheduled["heartbeatInSeconds"] = json!(seconds);
        }
        run.recorder
            .emit(&mut thread.last_event, events.scheduled, scheduled);
        let started_details = match task.target {
            Target::Activity { .. } => json!({"workerName": "local"}),
            _ => details(json!({})),
        };
        run.recorder
            .emit(&mut thread.last_event, events.started, started_details);
        let call = TaskCall {
            function: function.clone(),
            resource: task.resource.clone(),
            input: input.clone(),
            task_token: token.clone(),
            state_name: state.name.clone(),
            execution_name: run.execution_name.clone(),
        };
        let started = self.clock.now();
        match self.invoke(run, &call, timeout, started).await {
            Invoked::Returned(value) => {
                let result = task.target.result(value);
                match token {
                    Some(token) => {
                        run.recorder.emit(
                            &mut thread.last_event,
                            "TaskSubmitted",
                            details(json!({"output": result})),
                        );
                        thread.progress = Progress::Callback(Box::new(Callback {
                            token,
                            function,
                            input,
                            started,
                            timeout_seconds: timeout,
                            heartbeat_seconds: heartbeat,
                            delivered: None,
                        }));
                        Attempt::Suspended
                    }
                    None => {
                        run.recorder.emit(
                            &mut thread.last_event,
                            events.succeeded,
                            details(json!({"output": result})),
                        );
                        Attempt::Result(result)
                    }
                }
            }
            Invoked::Failed(failure) => {
                run.recorder.emit(
                    &mut thread.last_event,
                    events.failed,
                    details(json!({"error": failure.error, "cause": failure.cause})),
                );
                Attempt::Failed(Failure::new(failure.error, failure.cause))
            }
            Invoked::TaskTimedOut(seconds) => {
                let cause = format!("The task ran longer than its TimeoutSeconds ({seconds} s).");
                run.recorder.emit(
                    &mut thread.last_event,
                    events.timed_out,
                    details(json!({"error": errors::TIMEOUT, "cause": cause})),
                );
                Attempt::Failed(Failure::new(errors::TIMEOUT, cause))
            }
            Invoked::ExecutionTimedOut => Attempt::TimedOut,
        }
    }

    /// Calls the runner, racing the Task's `TimeoutSeconds` and the execution's deadline.
    async fn invoke(
        &self,
        run: &Run<'_>,
        call: &TaskCall,
        timeout: Option<u64>,
        started: DateTime<Utc>,
    ) -> Invoked {
        let task_limit = timeout.map(Duration::from_secs);
        let execution_limit = self
            .deadline(run)
            .map(|deadline| clock::until(started, deadline));
        let limit = match (task_limit, execution_limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let returned = match limit {
            None => Some(self.runner.invoke(call).await),
            Some(limit) => tokio::select! {
                biased;
                returned = self.runner.invoke(call) => Some(returned),
                () = self.clock.limit(limit) => None,
            },
        };
        // A task that answered after its limit by the clock has timed out all the same.
        let elapsed = clock::until(started, self.clock.now());
        let over = |limit: Option<Duration>| limit.is_some_and(|limit| elapsed > limit);
        let execution_first = match (task_limit, execution_limit) {
            (Some(task), Some(execution)) => execution < task,
            (None, Some(_)) => true,
            _ => false,
        };
        match returned {
            None if execution_first => Invoked::ExecutionTimedOut,
            None => Invoked::TaskTimedOut(timeout.unwrap_or_default()),
            Some(_) if execution_first && over(execution_limit) => Invoked::ExecutionTimedOut,
            Some(_) if over(task_limit) => Invoked::TaskTimedOut(timeout.unwrap_or_default()),
            Some(_) if over(execution_limit) => Invoked::ExecutionTimedOut,
            Some(Ok(value)) => Invoked::Returned(value),
            Some(Err(failure)) => Invoked::Failed(failure),
        }
    }

    /// Continues a Task waiting for its token: with the answer, if one came in time; with
    /// `States.Timeout` once its `TimeoutSeconds` (or `HeartbeatSeconds`) passed by the clock,
    /// answered or not; otherwise it keeps waiting.
    fn resume_callback(&self, run: &Run<'_>, task: &Task, thread: &mut Thread) -> Attempt {
        let Progress::Callback(callback) = &thread.progress else {
            return Attempt::Suspended;
        };
        let delivery = callback.delivered.clone();
        let now = self.clock.now();
        let at = |seconds: Option<u64>| {
            seconds.map(|s| clock::add(callback.started, Duration::from_secs(s)))
        };
        let limits = [
            (
                at(callback.timeout_seconds),
                errors::TIMEOUT,
                "TimeoutSeconds",
                callback.timeout_seconds,
            ),
            (
                at(callback.heartbeat_seconds),
                errors::HEARTBEAT_TIMEOUT,
                "HeartbeatSeconds",
                callback.heartbeat_seconds,
            ),
        ];
        let missed = limits
            .into_iter()
            .filter_map(|(when, error, field, seconds)| {
                when.map(|when| (when, error, field, seconds))
            })
            .filter(|(when, ..)| now > *when)
            .min_by_key(|(when, ..)| *when);
        let deadline = self.deadline(run);
        let events = task.target.events();
        let details = |extra: Value| event_details(&task.target, &task.resource, extra);
        if let Some((when, error, field, seconds)) = missed
            && deadline.is_none_or(|deadline| deadline > when)
        {
            let cause = format!(
                "No callback came within the task's {field} ({} s).",
                seconds.unwrap_or_default()
            );
            run.recorder.emit(
                &mut thread.last_event,
                events.timed_out,
                details(json!({"error": error, "cause": cause})),
            );
            return Attempt::Failed(Failure::new(error, cause));
        }
        if deadline.is_some_and(|deadline| now >= deadline) {
            return Attempt::TimedOut;
        }
        match delivery {
            None => Attempt::Suspended,
            Some(Delivery::Success { output }) => {
                run.recorder.emit(
                    &mut thread.last_event,
                    events.succeeded,
                    details(json!({"output": output})),
                );
                Attempt::Result(output)
            }
            Some(Delivery::Failure { error, cause }) => {
                run.recorder.emit(
                    &mut thread.last_event,
                    events.failed,
                    details(json!({"error": error, "cause": cause})),
                );
                Attempt::Failed(Failure::new(error, cause))
            }
        }
    }
}

/// Adds `resourceType` and `resource` for the `Task*` events.
fn event_details(target: &Target, resource: &str, mut extra: Value) -> Value {
    if target.events().names_resource {
        let (resource_type, resource) = target.resource_fields(resource);
        extra["resourceType"] = json!(resource_type);
        extra["resource"] = json!(resource);
    }
    extra
}

/// `TimeoutSeconds`/`HeartbeatSeconds` or their `...Path` forms.
fn seconds(
    seconds: &Seconds,
    field: &str,
    input: &Value,
    context: &Value,
) -> Result<Option<u64>, Failure> {
    match seconds {
        Seconds::Unset => Ok(None),
        Seconds::Fixed(seconds) => Ok(Some(*seconds)),
        Seconds::Path(path) => {
            let value = path.select(input, context).map_err(|_| {
                Failure::runtime(format!(
                    "Invalid path '{}' for {field}: no value in the input {}",
                    path.text(),
                    describe(input)
                ))
            })?;
            match value.as_u64() {
                Some(seconds) if seconds > 0 => Ok(Some(seconds)),
                _ => Err(Failure::runtime(format!(
                    "{field} '{}' must select a positive integer, got {value}",
                    path.text()
                ))),
            }
        }
    }
}
