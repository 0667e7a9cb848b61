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
