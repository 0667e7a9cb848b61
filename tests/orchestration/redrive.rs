//! A failed apply, redriven: the optimize machine in approve mode against the simulator,
//! LinkedIn failing every request while apply runs, then `RedriveExecution`.

use std::collections::BTreeMap;

use ads::ObjectStore;
use ads::decision::{ActionKind, Decisions, Outcome};
use asl::Status;
use chrono::Days;
use end_to_end::workspace::Workspace;
use end_to_end::{Harness, scenario};
use orchestration::{Answer, Machine, OrchestrationError, Orchestrator};
use serde_json::json;
use sim::Faults;

/// Days delivered before the test's morning: enough for bayes to act on.
const HISTORY_DAYS: u32 = 21;

/// The states entered, in order, over the whole history.
fn entered(execution: &asl::Execution) -> Vec<String> {
    execution
        .history
        .iter()
        .filter(|e| e.r#type.ends_with("StateEntered"))
        .filter_map(|e| e.state_name().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn optimize_failing_in_apply_is_redriven_and_every_action_is_applied_once() {
    // GIVEN three weeks of delivery, collected by the collect machine
    let h = Harness::start(scenario(7, 3, 4), HISTORY_DAYS).await;
    let w = Workspace::new(&h).await;
    let rig = crate::Local::new(&h, &w).await;
    let steps = rig.steps(&h, &w);
    let now = h.now().await;
    let orchestrator = Orchestrator::new(&steps);
    let account = h.account().await.0.to_string();
    let today = now.date_naive();
    let yesterday = today - Days::new(1);
    let collected = orchestrator
        .start(
            Machine::Collect,
            "collect-1",
            json!({"accounts": [account], "lookbackDays": HISTORY_DAYS,
                   "endDate": yesterday.to_string()}),
        )
        .await
        .expect("collect runs");
    assert_eq!(collected.status, Status::Succeeded, "{:?}", collected.cause);

    // WHEN optimize runs in approve mode, LinkedIn fails every request, and it is approved
    let input = json!({"accountId": account, "asOf": today.to_string(),
                       "windowStart": (today - Days::new(28)).to_string(),
                       "windowEnd": yesterday.to_string(), "mode": "approve"});
    let waiting = orchestrator
        .start(Machine::Optimize, "optimize-1", input)
        .await
        .expect("optimize starts");
    assert_eq!(waiting.status, Status::Running, "{:?}", waiting.cause);
    let token = waiting.pending_callbacks()[0].token.clone();
    h.inject(Faults {
        rate_5xx: 1.0,
        ..Faults::default()
    })
    .await;
    let approval = Answer::Approve {
        by: "tester".to_owned(),
        action_ids: None,
    };
    let failed = orchestrator
        .answer(&token, &approval)
        .await
        .expect("answered");

    // THEN the execution failed at apply, nothing was applied, and a failure report was sent
    assert_eq!(failed.status, Status::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some("LinkedIn.Server"),
        "{:?}",
        failed.cause
    );
    assert_eq!(
        entered(&failed).last().map(String::as_str),
        Some("Apply actions")
    );
    let log = policy::action_log::read_all(&w.store).await.expect("log");
    assert!(
        log.iter().all(|e| e.outcome != Outcome::Applied),
        "nothing applied while LinkedIn fails: {log:#?}"
    );
    let report = w
        .store
        .get(&format!("reports/{today}.md"))
        .await
        .expect("report");
    assert!(
        String::from_utf8_lossy(&report).contains("LinkedIn.Server"),
        "the failure report names the error"
    );

    // WHEN LinkedIn recovers and the execution is redriven (as `adsctl redrive` does: the
    // execution is read back from the store)
    h.inject(Faults::default()).await;
    let redriven = orchestrator
        .redrive("optimize-1")
        .await
        .expect("redrivable");

    // THEN it completes without deciding again
    assert_eq!(redriven.status, Status::Succeeded, "{:?}", redriven.cause);
    assert_eq!(redriven.redrive_count, 1);
    let states = entered(&redriven);
    assert_eq!(states.iter().filter(|s| *s == "Decide actions").count(), 1);
    assert_eq!(states.iter().filter(|s| *s == "Apply actions").count(), 2);
    assert_eq!(states.last().map(String::as_str), Some("Optimization done"));

    // AND every approved action was applied exactly once, and LinkedIn shows it
    let key = format!("decisions/{today}/optimize-1.json");
    let decisions: Decisions =
        serde_json::from_slice(&w.store.get(&key).await.expect("decisions")).expect("JSON");
    let proposed: Vec<_> = decisions
        .actions
        .iter()
        .filter(|a| a.blocked.is_none())
        .collect();
    assert!(
        !proposed.is_empty(),
        "the scenario must give bayes something to do"
    );
    let log = policy::action_log::read_all(&w.store).await.expect("log");
    let mut applied: BTreeMap<String, u32> = BTreeMap::new();
    for entry in log.iter().filter(|e| e.outcome == Outcome::Applied) {
        *applied.entry(entry.action.id.0.clone()).or_default() += 1;
    }
    for action in &proposed {
        assert_eq!(applied.get(&action.id.0), Some(&1), "{action:#?}");
    }
    let truth = h.sim.admin().truth_creatives().await.expect("truth");
    for action in proposed
        .iter()
        .filter(|a| matches!(a.kind, ActionKind::Pause | ActionKind::Resume))
    {
        let creative = action.creative_id.expect("a creative action").0;
        let status = &truth
            .iter()
            .find(|c| c.creative_id == creative)
            .expect("known")
            .status;
        assert_eq!(Some(status), action.to.as_ref(), "{action:#?}");
    }

    // AND a succeeded execution cannot be redriven again
    let again = orchestrator.redrive("optimize-1").await;
    assert!(
        matches!(again, Err(OrchestrationError::Redrive(_))),
        "{again:?}"
    );
}
