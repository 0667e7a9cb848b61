//! Orchestration end to end: the real state machines on the local executor with the real
//! steps, against the real simulator over loopback — executions kept in the store, an
//! approval answered by its token, and a failed apply redriven to completion.
//!
//! Modules: `redrive` (optimize with a failure injected in apply, then redrive: decide is not
//! run again and the simulator shows each action applied exactly once); `train` (the train
//! machine stores a model, decide uses it or says why not, too little data keeps the
//! previous one, a damaged one is refused).

mod redrive;
mod train;

use end_to_end::workspace::Workspace;
use end_to_end::{Harness, config};

/// The local adapters a test's orchestrator runs the real steps over: the workspace's store,
/// secrets and metrics, DataFusion over that store, a notifications file, and a clock that
/// starts at the simulator's now and skips waits.
struct Local {
    engine: local::LocalQueryEngine,
    notifier: local::FileNotifier,
    clock: asl::FastForwardClock,
}

impl Local {
    async fn new(h: &Harness, w: &Workspace) -> Local {
        Local {
            engine: local::LocalQueryEngine::new(w.store.clone()),
            notifier: local::FileNotifier::new(w.dir.path().join("notifications.md")),
            clock: asl::FastForwardClock::starting_at(h.now().await),
        }
    }

    /// The steps over these adapters, reaching `h`'s simulator.
    fn steps<'a>(&'a self, h: &Harness, w: &'a Workspace) -> orchestration::LocalSteps<'a> {
        orchestration::LocalSteps {
            store: &w.store,
            secrets: &w.secrets,
            metrics: &w.metrics,
            engine: &self.engine,
            notifier: &self.notifier,
            linkedin: config(&h.sim),
            secret_name: "linkedin".to_owned(),
            clock: &self.clock,
        }
    }
}
