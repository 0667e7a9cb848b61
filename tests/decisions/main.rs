//! Decisions end to end: the decide and apply steps (and undo) against the real simulator
//! over loopback, checked against what LinkedIn shows afterwards, the requests it received
//! and the action log; the report rendered by a real browser.
//!
//! Modules: `apply` (dry-run changes nothing, auto and approve apply, idempotence, the
//! guardrails checked again, a failed action, variations, undo), `report` (the HTML report
//! rendered by headless Chromium, with its charts and every action's reason), `pipeline`
//! (collect, the decision query, decide and apply on one simulated day).

mod apply;
mod pipeline;
mod report;
