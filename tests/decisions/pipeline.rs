//! The whole decision day on the simulator: collect, the `decision_series` query, decide and
//! apply, through the real steps, checked against what LinkedIn shows afterwards.

use ads::ObjectStore;
use ads::decision::{ActionKind, Decisions, Outcome};
use chrono::Days;
use end_to_end::workspace::Workspace;
use end_to_end::{Harness, config, scenario};
use policy::Policy;
use serde_json::json;

/// Runs collect, the query and decide for `h`'s today; returns the decisions written.
async fn decide_today(h: &Harness, ws: &Workspace, policy: &Policy) -> Decisions {
    let today = h.now().await.date_naive();
    let yesterday = today - Days::new(1);
    ws.collect(h, yesterday, 28).await;
    let account = h.account().await;
    let result_key = ws
        .query(
            "decision_series",
            json!({"account_id": account.0.to_string(),
                "start_date": (yesterday - Days::new(27)).to_string(),
                "end_date": yesterday.to_string()}),
        )
        .await;
    let output = decide::run(
        decide::Input {
            result_key,
            account_id: account.0.to_string(),
            as_of: today,
            execution: "pipeline-test".to_owned(),
            policy: Some(serde_json::to_value(policy).unwrap()),
            policy_key: None,
        },
        decide::Ports { store: &ws.store },
    )
    .await
    .expect("decide runs");
    let body = ws.store.get(&output.decisions_key).await.expect("stored");
    serde_json::from_slice(&body).expect("a decisions file")
}

async fn apply_auto(
    h: &Harness,
    ws: &Workspace,
    decisions: &Decisions,
    policy: &Policy,
) -> apply::Output {
    let settings = apply::Settings {
        linkedin: config(&h.sim),
        ..apply::Settings::default()
    };
    apply::run(
        apply::Input {
            decisions_key: Decisions::key(decisions.as_of, &decisions.execution),
            mode: apply::Mode::Auto,
            policy: Some(serde_json::to_value(policy).unwrap()),
            now: Some(h.now().await),
            ..apply::Input::default()
        },
        &settings,
        apply::Ports {
            store: &ws.store,
            secrets: &ws.secrets,
        },
    )
    .await
    .expect("apply runs")
}

#[tokio::test]
async fn the_seed_rules_pause_what_they_match_but_never_a_campaigns_last_creative() {
    // GIVEN 28 days of an account whose creatives all sit under the seed's 1% CTR, with a
    // rules policy pausing below 1% CTR at any volume and allowing many pauses per campaign
    let h = Harness::start(scenario(31, 2, 3), 28).await;
    let ws = Workspace::new(&h).await;
    let mut policy = Policy::seed_rules();
    policy.rules.truncate(1);
    policy.rules[0].conditions.truncate(1);
    policy.guardrails.max_pauses_per_campaign = 10;
    // WHEN the day is decided and applied
    let decisions = decide_today(&h, &ws, &policy).await;
    let output = apply_auto(&h, &ws, &decisions, &policy).await;
    // THEN every campaign proposed pauses for all its creatives, and the last one of each
    // was blocked as the last active creative
    let pauses: Vec<_> = decisions
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Pause)
        .collect();
    assert_eq!(pauses.len(), 6, "every creative is under 1% CTR");
    let blocked: Vec<_> = pauses.iter().filter(|a| a.blocked.is_some()).collect();
    assert_eq!(blocked.len(), 2, "one per campaign: {blocked:#?}");
    assert!(
        blocked
            .iter()
            .all(|a| a.blocked.as_ref().unwrap().guardrail == "last_active_creative")
    );
    // AND LinkedIn shows exactly the unblocked pauses, leaving each campaign one creative
    assert_eq!(output.applied, 4);
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    for campaign in [700000001, 700000002] {
        let active = truth
            .iter()
            .filter(|c| c.campaign_id == campaign && c.status == "ACTIVE")
            .count();
        assert_eq!(active, 1, "campaign {campaign}");
    }
}

#[tokio::test]
async fn deciding_and_applying_the_same_day_again_never_repeats_an_action() {
    // GIVEN a bayes day decided and applied
    let h = Harness::start(scenario(32, 3, 4), 28).await;
    let ws = Workspace::new(&h).await;
    let first = decide_today(&h, &ws, &Policy::default()).await;
    let applied = apply_auto(&h, &ws, &first, &Policy::default()).await;
    assert!(applied.applied > 0, "bayes changes something: {applied:?}");
    // WHEN the same day is decided and applied again (LinkedIn now shows the changes)
    let second = decide_today(&h, &ws, &Policy::default()).await;
    let again = apply_auto(&h, &ws, &second, &Policy::default()).await;
    // THEN nothing applied the first time is applied again: each is skipped or, its
    // item's limits for the day spent, refused
    let first_applied: Vec<_> = applied
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Applied)
        .filter_map(|r| r.action_id.clone())
        .collect();
    for result in &again.results {
        if let Some(id) = &result.action_id {
            assert!(
                !(first_applied.contains(id) && result.outcome == Outcome::Applied),
                "{id} applied twice: {again:?}"
            );
        }
    }
    // AND the action log holds each applied id once
    let log = policy::action_log::read_all(&ws.store).await.unwrap();
    let mut applied_ids: Vec<_> = log
        .iter()
        .filter(|e| e.outcome == Outcome::Applied)
        .map(|e| e.action.id.clone())
        .collect();
    let total = applied_ids.len();
    applied_ids.sort();
    applied_ids.dedup();
    assert_eq!(applied_ids.len(), total, "no id applied twice");
    assert_eq!(total, applied.applied + again.applied);
}
