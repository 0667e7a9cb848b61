//! The gates that need no LinkedIn, and the input's contract. Behaviour against LinkedIn is
//! tested on the simulator in the workspace's `tests/decisions/apply.rs`.

use super::*;
use crate::admission::{admit, log_days};
use crate::batch::Line;
use crate::decisions_file::{self, DecisionsFile};
use crate::input::approved_ids;

use ads::decision::{Action, ActionKind, Blocked, Decisions};
use ads::{AccountId, CampaignId, CreativeId};
use bytes::Bytes;
use chrono::{NaiveDate, TimeZone};
use serde_json::json;

const ACCOUNT: AccountId = AccountId(500000001);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 10).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 10, 6, 0, 0).unwrap()
}

fn pause(creative: u64) -> Action {
    Action {
        id: ActionId(String::new()),
        kind: ActionKind::Pause,
        account_id: ACCOUNT,
        campaign_id: CampaignId(700000001),
        creative_id: Some(CreativeId(creative)),
        as_of: today(),
        from: Some("ACTIVE".into()),
        to: Some("PAUSED".into()),
        currency: None,
        variation: None,
        reason: "worse".into(),
        evidence: Default::default(),
        blocked: None,
    }
    .with_derived_id()
}

fn decisions(actions: Vec<serde_json::Value>) -> Vec<u8> {
    let file = Decisions {
        account_id: ACCOUNT,
        as_of: today(),
        execution: "exec-1".into(),
        mode: "bayes".into(),
        decided_at: now(),
        actions: Vec::new(),
        notes: Vec::new(),
    };
    let mut value = serde_json::to_value(file).unwrap();
    value["actions"] = json!(actions);
    serde_json::to_vec(&value).unwrap()
}

fn parsed(actions: Vec<serde_json::Value>) -> DecisionsFile {
    decisions_file::parse("decisions/2026-09-10/exec-1.json", &decisions(actions)).unwrap()
}

fn value(action: &Action) -> serde_json::Value {
    serde_json::to_value(action).unwrap()
}

fn outcomes(lines: &[Line]) -> Vec<Option<Outcome>> {
    lines.iter().map(|l| l.outcome).collect()
}

fn applied(action: Action) -> LogEntry {
    LogEntry {
        action,
        outcome: Outcome::Applied,
        mode: "auto".into(),
        at: now() - chrono::Duration::days(1),
        before: Some("ACTIVE".into()),
        after: Some("PAUSED".into()),
        detail: None,
        error: None,
        undoes: None,
    }
}

#[test]
fn a_tampered_action_is_refused_while_the_others_go_on() {
    // GIVEN a valid pause and one whose target was edited after decide
    let mut tampered = pause(2);
    tampered.creative_id = Some(CreativeId(3));
    let file = parsed(vec![value(&pause(1)), value(&tampered)]);
    // WHEN admitted
    let lines = admit(&file, None, &[]);
    // THEN the first goes on and the second is refused as edited
    assert_eq!(outcomes(&lines), [None, Some(Outcome::Refused)]);
    let detail = lines[1].detail.as_deref().unwrap();
    assert!(
        detail.starts_with(&format!(
            "actions[1] (id {}): id does not match",
            tampered.id
        )),
        "{detail}"
    );
    assert!(detail.contains("run decide again"), "{detail}");
}

#[test]
fn a_malformed_element_is_refused_naming_its_index_and_field() {
    let mut malformed = value(&pause(2));
    malformed["creativeId"] = json!("two");
    let file = parsed(vec![value(&pause(1)), malformed]);
    let lines = admit(&file, None, &[]);
    assert_eq!(outcomes(&lines), [None, Some(Outcome::Refused)]);
    assert!(
        lines[1]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("actions[1].creativeId:")
    );
    // AND its id is still reported
    assert_eq!(lines[1].id, Some(pause(2).id));
}

#[test]
fn blocked_and_foreign_actions_are_refused_and_applied_ones_skipped() {
    // GIVEN an action decide blocked, one of another account, and one applied yesterday
    let mut blocked = pause(1);
    blocked.blocked = Some(Blocked {
        guardrail: "cooldown_days".into(),
        reason: "changed on 2026-09-09".into(),
    });
    let mut foreign = pause(2);
    foreign.account_id = AccountId(9);
    let foreign = foreign.with_derived_id();
    let done = pause(3);
    let file = parsed(vec![value(&blocked), value(&foreign), value(&done)]);
    // WHEN admitted
    let lines = admit(&file, None, &[applied(done.clone())]);
    // THEN each is settled with its reason
    assert_eq!(
        outcomes(&lines),
        [
            Some(Outcome::Refused),
            Some(Outcome::Refused),
            Some(Outcome::Skipped)
        ]
    );
    assert_eq!(
        lines[0].detail.as_deref(),
        Some("blocked by cooldown_days: changed on 2026-09-09")
    );
    assert!(lines[1].detail.as_deref().unwrap().contains("account 9"));
    assert_eq!(lines[2].detail.as_deref(), Some("applied on 2026-09-09"));
    assert!(lines[2].earlier);
}

#[test]
fn an_action_repeated_in_the_file_goes_on_once() {
    let file = parsed(vec![value(&pause(1)), value(&pause(1))]);
    let lines = admit(&file, None, &[]);
    assert_eq!(outcomes(&lines), [None, Some(Outcome::Skipped)]);
    assert_eq!(
        lines[1].detail.as_deref(),
        Some("actions[1] is the same action as actions[0]")
    );
}

#[test]
fn an_undone_action_is_not_skipped_as_applied() {
    let done = pause(3);
    let mut undo = applied(pause(4));
    undo.undoes = Some(done.id.clone());
    let file = parsed(vec![value(&done)]);
    let lines = admit(&file, None, &[applied(done), undo]);
    assert_eq!(outcomes(&lines), [None]);
}

fn input(mode: Mode, approval: Option<Approval>) -> Input {
    Input {
        decisions_key: "decisions/2026-09-10/exec-1.json".into(),
        mode,
        approval,
        ..Input::default()
    }
}

#[test]
fn approve_mode_admits_only_the_approved_ids() {
    // GIVEN two actions and an approval of the second
    let file = parsed(vec![value(&pause(1)), value(&pause(2))]);
    let approval = Approval {
        approved_by: Some("dana".into()),
        action_ids: Some(vec![pause(2).id]),
    };
    // WHEN admitted in approve mode
    let approved = approved_ids(&input(Mode::Approve, Some(approval)), &file).unwrap();
    let lines = admit(&file, approved.as_ref(), &[]);
    // THEN only the second goes on
    assert_eq!(outcomes(&lines), [Some(Outcome::Refused), None]);
    assert!(
        lines[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("not approved")
    );
    // AND with no approval at all nothing goes on
    let none = approved_ids(&input(Mode::Approve, None), &file).unwrap();
    assert_eq!(
        outcomes(&admit(&file, none.as_ref(), &[])),
        [Some(Outcome::Refused), Some(Outcome::Refused)]
    );
    // AND an approval without ids approves every proposed action
    let all = Approval {
        approved_by: None,
        action_ids: None,
    };
    let every = approved_ids(&input(Mode::Approve, Some(all)), &file).unwrap();
    assert_eq!(outcomes(&admit(&file, every.as_ref(), &[])), [None, None]);
}

#[test]
fn an_approval_of_an_unknown_id_or_outside_approve_mode_is_invalid_input() {
    let file = parsed(vec![value(&pause(1))]);
    let unknown = Approval {
        approved_by: None,
        action_ids: Some(vec![ActionId("ffffffffffffffff".into())]),
    };
    let error = approved_ids(&input(Mode::Approve, Some(unknown.clone())), &file).unwrap_err();
    assert_eq!(error.name(), error_names::INPUT_INVALID);
    assert!(
        error
            .to_string()
            .contains("ffffffffffffffff is not an action of")
    );
    let error = approved_ids(&input(Mode::Auto, Some(unknown)), &file).unwrap_err();
    assert!(error.to_string().contains("approve mode only"), "{error}");
}

#[test]
fn the_log_reaches_back_to_the_files_day_and_at_least_a_month() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
    assert_eq!(log_days(day(9), day(10)), 31);
    assert_eq!(
        log_days(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), day(10)),
        102
    );
    assert_eq!(log_days(day(11), day(10)), 31);
}

#[test]
fn input_defaults_to_dry_run_and_reads_camel_case() {
    let input: Input = serde_json::from_value(json!({
        "decisionsKey": "decisions/2026-09-10/e.json",
        "approval": {"approvedBy": "dana", "actionIds": ["00ff"]},
        "policyKey": "config/policy.toml",
        "now": "2026-09-10T06:00:00Z"
    }))
    .unwrap();
    assert_eq!(input.mode, Mode::DryRun);
    assert_eq!(input.policy_key.as_deref(), Some("config/policy.toml"));
    assert_eq!(input.now, Some(now()));
    let approve: Input =
        serde_json::from_value(json!({"decisionsKey": "k", "mode": "approve"})).unwrap();
    assert_eq!(approve.mode, Mode::Approve);
    assert!(serde_json::from_value::<Input>(json!({"decisionsKey": "k", "mode": "yes"})).is_err());
}

/// A store with `files`, and no secrets: a run that reached LinkedIn would fail as
/// `Secret.Failed`.
async fn store_with(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, local::DirStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    for (key, body) in files {
        store
            .put(key, Bytes::from(body.clone()), "application/json")
            .await
            .unwrap();
    }
    (dir, store)
}

async fn run_on(store: &local::DirStore, input: Input) -> Result<Output, Error> {
    let secrets = local::MemorySecrets::new();
    let ports = Ports {
        store,
        secrets: &secrets,
    };
    run(input, &Settings::default(), ports).await
}

#[tokio::test]
async fn an_unparsable_file_is_invalid_input_and_nothing_is_logged() {
    // GIVEN a file that is JSON but not a decisions file
    let key = "decisions/2026-09-10/exec-1.json";
    let (_dir, store) = store_with(&[(key, br#"{"accountId": 1, "actions": []}"#.to_vec())]).await;
    // WHEN applied
    let error = run_on(
        &store,
        Input {
            now: Some(now()),
            ..input(Mode::Auto, None)
        },
    )
    .await
    .unwrap_err();
    // THEN Input.Invalid names the key and the missing field, and no log was written
    assert_eq!(error.name(), error_names::INPUT_INVALID);
    let message = error.to_string();
    assert!(
        message.contains(key) && message.contains("asOf"),
        "{message}"
    );
    assert!(store.list("logs/").await.unwrap().is_empty());
    // AND a missing file names the key too
    let missing = run_on(
        &store,
        Input {
            decisions_key: "decisions/none.json".into(),
            ..input(Mode::Auto, None)
        },
    )
    .await
    .unwrap_err();
    assert!(
        missing.to_string().contains("decisions/none.json"),
        "{missing}"
    );
}

#[tokio::test]
async fn refused_actions_are_logged_without_reaching_linkedin() {
    // GIVEN a file whose only action was edited after decide
    let mut tampered = pause(1);
    tampered.to = Some("ARCHIVED".into());
    let key = "decisions/2026-09-10/exec-1.json";
    let (_dir, store) = store_with(&[(key, decisions(vec![value(&tampered)]))]).await;
    // WHEN applied in auto mode (with no LinkedIn credentials)
    let output = run_on(
        &store,
        Input {
            now: Some(now()),
            ..input(Mode::Auto, None)
        },
    )
    .await
    .unwrap();
    // THEN it is refused and logged, and LinkedIn was not needed
    assert_eq!((output.refused, output.applied), (1, 0));
    assert_eq!(output.log_key, "logs/optimizer_actions/2026-09-10.jsonl");
    let log = action_log::read_day(&store, today()).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, Outcome::Refused);
    assert_eq!(log[0].mode, "auto");
    assert_eq!(log[0].at, now());
}

#[tokio::test]
async fn a_policy_that_cannot_be_had_stops_the_run_before_anything_else() {
    // GIVEN a store with a policy file and no decisions file
    let (_dir, store) = store_with(&[(
        "config/policy.toml",
        b"[guardrails]\nmax_actions_per_run = 3\n".to_vec(),
    )])
    .await;
    let with = |policy: Option<serde_json::Value>, key: Option<&str>| Input {
        policy,
        policy_key: key.map(str::to_owned),
        now: Some(now()),
        ..input(Mode::Auto, None)
    };
    // WHEN the policy is both inline and by key, by a missing key, or invalid inline
    let both = run_on(&store, with(Some(json!({})), Some("config/policy.toml"))).await;
    let missing = run_on(&store, with(None, Some("config/none.toml"))).await;
    let bad = run_on(
        &store,
        with(Some(json!({"guardrails": {"max_pauses": 1}})), None),
    )
    .await;
    // THEN each is Input.Invalid naming the field or the key, before the decisions file
    for (error, names) in [
        (both.unwrap_err(), "policyKey"),
        (missing.unwrap_err(), "config/none.toml"),
        (bad.unwrap_err(), "max_pauses"),
    ] {
        assert_eq!(error.name(), error_names::INPUT_INVALID, "{error}");
        assert!(error.to_string().contains(names), "{error}");
    }
    // AND a store that cannot read the policy file (the key is a directory) is Store.Failed
    let unreadable = run_on(&store, with(None, Some("config")))
        .await
        .unwrap_err();
    assert_eq!(unreadable.name(), error_names::STORE_FAILED, "{unreadable}");
    // AND a readable policy file lets the run go on to the decisions file
    let read = run_on(&store, with(None, Some("config/policy.toml"))).await;
    assert!(read.unwrap_err().to_string().contains("decisionsKey"));
    assert!(store.list("logs/").await.unwrap().is_empty());
}
