//! The Parallel state, and running a set of branches or iterations concurrently — shared
//! with the Map state.
//!
//! Source: "Parallel workflow state" in the developer guide: every branch gets a copy of the
//! (effective) input; the output is an array with one element per branch, in branch order;
//! "if any branch fails ... the entire Parallel state is considered to have failed and all its
//! branches are stopped", and its `Retry` and `Catch` then apply (a retry runs every branch
//! again). A branch's own error name is the Parallel state's error.

use std::collections::BTreeSet;

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use serde_json::{Value, json};

use crate::definition::{Block, Parallel, State};
use crate::errors::Failure;
use crate::execution::{Progress, Slot, Thread};
use crate::executor::{Executor, Extra, Outcome, Recovery, Run, Step};

/// How a set of branches or iterations ended.
pub(crate) enum SlotsOutcome {
    /// All done: their outputs in order.
    Done(Vec<Value>),
    /// One failed (the others were stopped).
    Failed(Failure),
    /// Some wait for a task token; the rest are done.
    Suspended,
    /// The execution's deadline passed.
    TimedOut,
}

impl Executor<'_> {
    pub(crate) async fn parallel(
        &self,
        run: &Run<'_>,
        state: &State,
        parallel: &Parallel,
        thread: &mut Thread,
    ) -> Step {
        loop {
            if !matches!(thread.progress, Progress::Parallel { .. }) {
                let context = self.context(run, thread, Extra::default());
                let input = state
                    .input_path
                    .apply(thread.input.clone(), &context)
                    .map_err(Failure::runtime)
                    .and_then(|effective| match &parallel.parameters {
                        Some(template) => template.render(&effective, &context),
                        None => Ok(effective),
                    });
                let input = match input {
                    Ok(input) => input,
                    Err(failure) => {
                        match self
                            .recover(
                                run,
                                state,
                                thread,
                                &parallel.retry,
                                &parallel.catch,
                                failure,
                            )
                            .await
                        {
                            Recovery::Retry => continue,
                            Recovery::Step(step) => return step,
                        }
                    }
                };
                let started =
                    run.recorder
                        .emit(&mut thread.last_event, "ParallelStateStarted", json!({}));
                thread.progress = Progress::Parallel {
                    branches: parallel
                        .branches
                        .iter()
                        .map(|branch| Slot::Pending {
                            thread: Box::new(Thread::new(&branch.start_at, input.clone(), started)),
                            started: true,
                        })
                        .collect(),
                };
            }
            let Progress::Parallel { branches } = &mut thread.progress else {
                return Step::Failed(Failure::runtime("the Parallel state lost its branches"));
            };
            let outcome = self
                .run_slots(run, branches, &|index| &parallel.branches[index], 0, None)
                .await;
            thread.last_event = run.recorder.last_id();
            let failure = match outcome {
                SlotsOutcome::Done(outputs) => {
                    run.recorder
                        .emit(&mut thread.last_event, "ParallelStateSucceeded", json!({}));
                    thread.progress = Progress::Fresh;
                    match self.finish(
                        run,
                        state,
                        thread,
                        parallel.result_selector.as_ref(),
                        &parallel.result_path,
                        Value::Array(outputs),
                    ) {
                        Ok(output) => return self.exit(run, state, thread, output),
                        Err(failure) => failure,
                    }
                }
                SlotsOutcome::Failed(failure) => {
                    run.recorder.emit(
                        &mut thread.last_event,
                        "ParallelStateFailed",
                        json!({"error": failure.error, "cause": failure.cause}),
                    );
                    failure
                }
                SlotsOutcome::Suspended => return Step::Suspended,
                SlotsOutcome::TimedOut => return Step::TimedOut,
            };
            match self
                .recover(
                    run,
                    state,
                    thread,
                    &parallel.retry,
                    &parallel.catch,
                    failure,
                )
                .await
            {
                Recovery::Retry => thread.progress = Progress::Fresh,
                // Uncaught: the branch states stay for a redrive of the failed branches.
                Recovery::Step(step) => return step,
            }
        }
    }

    /// Runs the pending slots, at most `limit` at once (0: no limit; a slot waiting for a
    /// task token keeps its place), stopping the others when one fails. With `map_state`
    /// set, records the Map iteration events.
    pub(crate) async fn run_slots<'b>(
        &self,
        run: &Run<'_>,
        slots: &mut [Slot],
        blocks: &(dyn Fn(usize) -> &'b Block + Sync),
        limit: usize,
        map_state: Option<&str>,
    ) -> SlotsOutcome {
        let limit = if limit == 0 { usize::MAX } else { limit };
        let mut outputs: Vec<(usize, Value)> = Vec::new();
        let mut finished = BTreeSet::new();
        let mut failure = None;
        let mut timed_out = false;
        let mut suspended = 0usize;
        {
            let mut waiting = slots
                .iter_mut()
                .enumerate()
                .filter_map(|(index, slot)| match slot {
                    Slot::Pending { thread, started } => Some((index, thread, started)),
                    Slot::Done { .. } => None,
                });
            let mut running = FuturesUnordered::new();
            while running.len() < limit {
                match waiting.next() {
                    Some((index, thread, started)) => running.push(self.run_slot(
                        run,
                        blocks(index),
                        index,
                        thread,
                        started,
                        map_state,
                    )),
                    None => break,
                }
            }
            while let Some((index, outcome)) = running.next().await {
                finished.insert(index);
                match outcome {
                    Outcome::Done(output) => outputs.push((index, output)),
                    Outcome::Suspended => suspended += 1,
                    Outcome::Failed(error) => {
                        failure = Some(error);
                        break;
                    }
                    Outcome::TimedOut => {
                        timed_out = true;
                        break;
                    }
                }
                while running.len() + suspended < limit {
                    match waiting.next() {
                        Some((index, thread, started)) => running.push(self.run_slot(
                            run,
                            blocks(index),
                            index,
                            thread,
                            started,
                            map_state,
                        )),
                        None => break,
                    }
                }
            }
            // Dropping the futures stops the branches still running.
        }
        if let Some(name) = map_state
            && (failure.is_some() || timed_out)
        {
            for (index, slot) in slots.iter_mut().enumerate() {
                if let Slot::Pending {
                    thread,
                    started: true,
                } = slot
                    && !finished.contains(&index)
                {
                    run.recorder.emit(
                        &mut thread.last_event,
                        "MapIterationAborted",
                        json!({"name": name, "index": index}),
                    );
                }
            }
        }
        for (index, output) in outputs {
            slots[index] = Slot::Done { output };
        }
        if let Some(failure) = failure {
            return SlotsOutcome::Failed(failure);
        }
        if timed_out {
            return SlotsOutcome::TimedOut;
        }
        let mut done = Vec::with_capacity(slots.len());
        for slot in slots.iter() {
            match slot {
                Slot::Done { output } => done.push(output.clone()),
                Slot::Pending { .. } => return SlotsOutcome::Suspended,
            }
        }
        SlotsOutcome::Done(done)
    }

    /// Runs one branch or iteration, with the Map iteration events.
    async fn run_slot(
        &self,
        run: &Run<'_>,
        block: &Block,
        index: usize,
        thread: &mut Thread,
        started: &mut bool,
        map_state: Option<&str>,
    ) -> (usize, Outcome) {
        if let Some(name) = map_state
            && !*started
        {
            run.recorder.emit(
                &mut thread.last_event,
                "MapIterationStarted",
                json!({"name": name, "index": index}),
            );
        }
        *started = true;
        let outcome = self.run_thread(run, block, thread).await;
        if let Some(name) = map_state {
            let kind = match outcome {
                Outcome::Done(_) => Some("MapIterationSucceeded"),
                Outcome::Failed(_) => Some("MapIterationFailed"),
                _ => None,
            };
            if let Some(kind) = kind {
                run.recorder.emit(
                    &mut thread.last_event,
                    kind,
                    json!({"name": name, "index": index}),
                );
            }
        }
        (index, outcome)
    }
}
