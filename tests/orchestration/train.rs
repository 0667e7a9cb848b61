//! The train machine end to end: the collected accounts queried through the real
//! `creative_training` SQL on DataFusion, the train step storing a model, decide using it
//! (or saying why not), and a training with too little data keeping the previous model.

use ads::ObjectStore;
use ads::decision::Decisions;
use asl::{Execution, Status};
use bytes::Bytes;
use chrono::Days;
use end_to_end::workspace::Workspace;
use end_to_end::{Harness, scenario};
use orchestration::{Machine, Orchestrator};
use serde_json::json;

/// Days delivered before the test's morning.
const HISTORY_DAYS: u32 = 30;

async fn decisions_of(w: &Workspace, execution: &Execution) -> Decisions {
    let key = execution.output.as_ref().expect("an output")["decision"]["decisionsKey"]
        .as_str()
        .expect("decide ran")
        .to_owned();
    serde_json::from_slice(&w.store.get(&key).await.expect("stored")).expect("decisions")
}

#[tokio::test]
async fn the_train_machine_stores_a_model_that_decide_uses_and_refuses_when_corrupt() {
    // GIVEN a month of 64 creatives (8 campaigns × 8), collected by the collect machine
    let h = Harness::start(scenario(11, 8, 8), HISTORY_DAYS).await;
    let w = Workspace::new(&h).await;
    let rig = crate::Local::new(&h, &w).await;
    let steps = rig.steps(&h, &w);
    let now = h.now().await;
    let orchestrator = Orchestrator::new(&steps);
    let account = h.account().await.0.to_string();
    let today = now.date_naive();
    let collected = orchestrator
        .start(
            Machine::Collect,
            "collect-1",
            json!({"accounts": [account], "lookbackDays": HISTORY_DAYS,
                   "endDate": (today - Days::new(1)).to_string()}),
        )
        .await
        .expect("collect runs");
    assert_eq!(collected.status, Status::Succeeded, "{:?}", collected.cause);

    // WHEN the train machine runs over the account, with minimums this small world meets
    let trained = orchestrator
        .start(
            Machine::Train,
            "train-1",
            json!({"accounts": [account], "asOf": today.to_string(), "windowDays": HISTORY_DAYS,
                   "minImpressions": 500, "minCreatives": 30}),
        )
        .await
        .expect("train runs");

    // THEN version 1 is stored, learned from the account's creatives over the window
    assert_eq!(trained.status, Status::Succeeded, "{:?}", trained.cause);
    let model = &trained.output.as_ref().expect("an output")["model"];
    assert_eq!(model["version"], json!(1));
    assert_eq!(
        model["modelKey"],
        json!("models/creative_scoring/v1/model.json")
    );
    let rows = model["rows"].as_u64().expect("rows");
    assert!((30..=64).contains(&rows), "{model}");
    let metadata = scoring::ModelStore::new(&w.store)
        .latest_metadata()
        .await
        .unwrap();
    assert_eq!(metadata.accounts, std::slice::from_ref(&account));
    assert!(metadata.training_window.end < today);
    assert!(metadata.training_window.start >= today - Days::new(u64::from(HISTORY_DAYS)));

    // AND decide, in the optimize machine, says how it used the model
    let optimize = |name: &'static str| {
        let input = json!({"accountId": account, "asOf": today.to_string()});
        orchestrator.start(Machine::Optimize, name, input)
    };
    let first = optimize("optimize-1").await.expect("optimize runs");
    assert_eq!(first.status, Status::Succeeded, "{:?}", first.cause);
    let notes = decisions_of(&w, &first).await.notes.join("\n");
    let verdict = if metadata.metrics.beats_baseline {
        "creative scorer v1 (trained"
    } else {
        "creative scorer v1 does not beat the mean baseline"
    };
    assert!(notes.contains(verdict), "{notes}");

    // WHEN a training finds too little data (the default 100 creatives)
    let starved = orchestrator
        .start(
            Machine::Train,
            "train-2",
            json!({"accounts": [account], "asOf": today.to_string(), "windowDays": HISTORY_DAYS}),
        )
        .await
        .expect("train runs");
    // THEN it fails at the train step with the stable name, and version 1 stays the latest
    assert_eq!(starved.status, Status::Failed);
    assert_eq!(starved.error.as_deref(), Some("Model.TooLittleData"));
    assert!(
        starved
            .cause
            .as_deref()
            .unwrap_or("")
            .contains("previous model is kept")
    );
    let models = scoring::ModelStore::new(&w.store);
    assert_eq!(models.versions().await.unwrap(), vec![1]);

    // WHEN the model file is damaged
    let key = "models/creative_scoring/v1/model.json";
    let body = w.store.get(key).await.unwrap();
    let damaged = Bytes::copy_from_slice(&body[..body.len() - 10]);
    w.store.put(key, damaged, "application/json").await.unwrap();
    // THEN decide refuses it, falls back to the account prior and says so in the report
    let second = optimize("optimize-2").await.expect("optimize runs");
    assert_eq!(second.status, Status::Succeeded, "{:?}", second.cause);
    let notes = decisions_of(&w, &second).await.notes.join("\n");
    assert!(
        notes.contains("the creative scorer is not used")
            && notes.contains("is refused")
            && notes.contains("fall back to the account's"),
        "{notes}"
    );
    let reports = w.keys("reports/").await;
    let report = reports
        .iter()
        .find(|k| k.ends_with(".md"))
        .expect("a report");
    let text = String::from_utf8(w.store.get(report).await.unwrap().to_vec()).unwrap();
    assert!(text.contains("is refused"), "{text}");
}
