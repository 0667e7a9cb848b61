//! The inline Map state: its item processor runs once per item of the array `ItemsPath`
//! selects, at most `MaxConcurrency` at once (0: no limit), and its output is the array of
//! the iterations' outputs in item order.
//!
//! Source: "Map state in inline mode" and "ItemSelector (Map)" in the developer guide. Each
//! iteration's input is its item, or the `ItemSelector` (legacy `Parameters`) rendered against
//! the Map's effective input with `$$.Map.Item.Index` and `$$.Map.Item.Value`. "If any
//! iteration fails, entire Map state fails, and all iterations are terminated"; a `Retry` on
//! the Map state runs all iterations again.

use serde_json::{Value, json};

use crate::definition::{MapState, Seconds, State};
use crate::errors::Failure;
use crate::execution::{Progress, Slot, Thread};
use crate::executor::{Executor, Extra, Recovery, Run, Step};
use crate::parallel::SlotsOutcome;
use crate::paths::describe;

impl Executor<'_> {
    pub(crate) async fn map(
        &self,
        run: &Run<'_>,
        state: &State,
        map: &MapState,
        thread: &mut Thread,
    ) -> Step {
        loop {
            let prepared = self.map_inputs(run, state, map, thread);
            let failure = match prepared {
                Err(failure) => failure,
                Ok((inputs, limit)) => {
                    if !matches!(thread.progress, Progress::Map { .. }) {
                        let started = run.recorder.emit(
                            &mut thread.last_event,
                            "MapStateStarted",
                            json!({"length": inputs.len()}),
                        );
                        thread.progress = Progress::Map {
                            iterations: inputs
                                .into_iter()
                                .map(|input| Slot::Pending {
                                    thread: Box::new(Thread::new(
                                        &map.processor.start_at,
                                        input,
                                        started,
                                    )),
                                    started: false,
                                })
                                .collect(),
                        };
                    }
                    let Progress::Map { iterations } = &mut thread.progress else {
                        return Step::Failed(Failure::runtime("the Map state lost its iterations"));
                    };
                    let outcome = self
                        .run_slots(
                            run,
                            iterations,
                            &|_| &map.processor,
                            limit,
                            Some(&state.name),
                        )
                        .await;
                    thread.last_event = run.recorder.last_id();
                    match outcome {
                        SlotsOutcome::Done(outputs) => {
                            run.recorder.emit(
                                &mut thread.last_event,
                                "MapStateSucceeded",
                                json!({}),
                            );
                            thread.progress = Progress::Fresh;
                            match self.finish(
                                run,
                                state,
                                thread,
                                map.result_selector.as_ref(),
                                &map.result_path,
                                Value::Array(outputs),
                            ) {
                                Ok(output) => return self.exit(run, state, thread, output),
                                Err(failure) => failure,
                            }
                        }
                        SlotsOutcome::Failed(failure) => {
                            run.recorder.emit(
                                &mut thread.last_event,
                                "MapStateFailed",
                                json!({"error": failure.error, "cause": failure.cause}),
                            );
                            failure
                        }
                        SlotsOutcome::Suspended => return Step::Suspended,
                        SlotsOutcome::TimedOut => return Step::TimedOut,
                    }
                }
            };
            match self
                .recover(run, state, thread, &map.retry, &map.catch, failure)
                .await
            {
                Recovery::Retry => thread.progress = Progress::Fresh,
                // Uncaught: the iterations stay for a redrive of the failed ones.
                Recovery::Step(step) => return step,
            }
        }
    }

    /// Each iteration's input (only computed when the Map starts) and the concurrency limit.
    fn map_inputs(
        &self,
        run: &Run<'_>,
        state: &State,
        map: &MapState,
        thread: &Thread,
    ) -> Result<(Vec<Value>, usize), Failure> {
        let context = self.context(run, thread, Extra::default());
        let effective = state
            .input_path
            .apply(thread.input.clone(), &context)
            .map_err(Failure::runtime)?;
        let limit = match &map.max_concurrency {
            Seconds::Unset => 0,
            Seconds::Fixed(limit) => usize::try_from(*limit).unwrap_or(usize::MAX),
            Seconds::Path(path) => {
                let value = path.select(&effective, &context).map_err(|_| {
                    Failure::runtime(format!(
                        "Invalid path '{}' for MaxConcurrencyPath: no value in the input {}",
                        path.text(),
                        describe(&effective)
                    ))
                })?;
                value
                    .as_u64()
                    .and_then(|limit| usize::try_from(limit).ok())
                    .ok_or_else(|| {
                        Failure::runtime(format!(
                            "MaxConcurrencyPath '{}' must select a non-negative integer, got {value}",
                            path.text()
                        ))
                    })?
            }
        };
        if matches!(thread.progress, Progress::Map { .. }) {
            return Ok((Vec::new(), limit));
        }
        let items = match &map.items_path {
            Some(path) => path.select(&effective, &context).map_err(|_| {
                Failure::runtime(format!(
                    "Invalid path '{}' for ItemsPath: no value in the input {}",
                    path.text(),
                    describe(&effective)
                ))
            })?,
            None => effective.clone(),
        };
        let Value::Array(items) = items else {
            return Err(Failure::runtime(format!(
                "The Map state's items must be a JSON array; ItemsPath selected {}",
                describe(&items)
            )));
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match &map.item_selector {
                Some(selector) => {
                    let context = self.context(
                        run,
                        thread,
                        Extra {
                            token: None,
                            map_item: Some((index, item)),
                        },
                    );
                    selector.render(&effective, &context)
                }
                None => Ok(item.clone()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|inputs| (inputs, limit))
    }
}
