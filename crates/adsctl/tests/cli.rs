//! The `adsctl` binary as a user runs it: against the simulator on loopback, with no
//! configuration file, only `LINKEDIN_ACCESS_TOKEN` and `LINKEDIN_API_URL` in the environment.

use std::process::{Command, Output};

use chrono::NaiveDate;
use sim::Scenario;

fn adsctl(dir: &std::path::Path, env: &[(&str, String)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_adsctl"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("adsctl runs")
}

/// A simulator started on 2026-08-03 and advanced some days, seen as a user sees it.
struct World {
    today: NaiveDate,
    account: String,
    credentials: sim::Credentials,
    api_url: String,
}

impl World {
    /// Starts `scenario` (its start date set) and delivers `days` days.
    async fn start(scenario: Scenario, days: u32) -> (sim::RunningSim, World) {
        let sim = sim::spawn(Scenario {
            start_date: NaiveDate::from_ymd_opt(2026, 8, 3).unwrap(),
            ..scenario
        })
        .await
        .unwrap();
        let world = World {
            today: sim.admin().advance(days).await.unwrap().today,
            account: sim.admin().truth_creatives().await.unwrap()[0]
                .account_id
                .to_string(),
            credentials: sim.admin().credentials().await.unwrap(),
            api_url: sim.api_url(),
        };
        (sim, world)
    }

    /// The environment a user sets: only a token and the API's address.
    fn env(&self) -> [(&'static str, String); 2] {
        [
            (
                "LINKEDIN_ACCESS_TOKEN",
                self.credentials.access_token.clone(),
            ),
            ("LINKEDIN_API_URL", self.api_url.clone()),
        ]
    }
}

// The simulator serves from this test's runtime while the test waits on the child process,
// so the runtime needs a thread of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_runs_with_only_a_token_in_the_environment() {
    // GIVEN a simulator with five days of delivery and an empty directory (no adsctl.toml)
    let (sim, world) = World::start(Scenario::default(), 5).await;
    let (today, account, env) = (world.today, world.account.clone(), world.env());
    let credentials = &world.credentials;
    let dir = tempfile::tempdir().unwrap();
    let to = today.pred_opt().unwrap().to_string();
    // WHEN the user collects the last five days
    let ok = adsctl(
        dir.path(),
        &env,
        &["collect", "--account", &account, "--to", &to, "--days", "5"],
    );
    // THEN it succeeds, says what it wrote, and the curated files are in ./adsctl-data
    let stdout = String::from_utf8_lossy(&ok.stdout);
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("collected account {account}")),
        "{stdout}"
    );
    let partition = dir.path().join(format!(
        "adsctl-data/processed/creative_daily/dt={to}/account_id={account}/part-0.parquet"
    ));
    assert!(partition.exists(), "{}", partition.display());
    assert!(!format!("{stdout}{stderr}").contains(&credentials.access_token));

    // WHEN the account id is not digits, THEN it fails by name, naming the field
    let bad = adsctl(
        dir.path(),
        &env,
        &["collect", "--account", "abc", "--to", &to],
    );
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(
        stderr.contains("Input.Invalid") && stderr.contains("accountId"),
        "{stderr}"
    );
    sim.shutdown().await;
}

#[test]
fn asl_run_answers_tasks_from_mocks_and_prints_one_json_object() {
    // GIVEN the collect state machine, two accounts, and mocks for its three functions
    let dir = tempfile::tempdir().unwrap();
    let file = std::path::absolute("../../statemachines/collect.asl.json").unwrap();
    let input = dir.path().join("input.json");
    let mocks = dir.path().join("mocks.json");
    std::fs::write(&input, r#"{"accounts": ["500000001", "500000002"]}"#).unwrap();
    std::fs::write(
        &mocks,
        r#"{"fetch-token": [{"return": {"refreshed": false, "warnings": []}}],
            "collect": [{"return": {"rows": 10}}, {"return": {"rows": 20}}]}"#,
    )
    .unwrap();
    // WHEN it runs
    let run = |mocks: &std::path::Path| {
        adsctl(
            dir.path(),
            &[],
            &[
                "asl",
                "run",
                file.to_str().unwrap(),
                "--input",
                input.to_str().unwrap(),
                "--mocks",
                mocks.to_str().unwrap(),
            ],
        )
    };
    let output = run(&mocks);
    // THEN it succeeds with one JSON object on stdout
    assert!(output.status.success(), "{output:?}");
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["status"], "SUCCEEDED", "{result}");
    // AND a collect that throws fails the execution with the step's error name
    let failing = dir.path().join("failing.json");
    std::fs::write(
        &failing,
        r#"{"fetch-token": [{"return": {}}],
            "collect": [{"throw": {"error": "Input.Invalid", "cause": "accountId must be digits"}},
                        {"return": {"rows": 1}}],
            "report": [{"return": {"subject": "failed"}}]}"#,
    )
    .unwrap();
    let failed: serde_json::Value = serde_json::from_slice(&run(&failing).stdout).unwrap();
    assert_eq!(failed["status"], "FAILED", "{failed}");
    assert_eq!(failed["error"], "Input.Invalid", "{failed}");
}

#[test]
fn demo_runs_the_state_machines_and_leaves_executions_to_inspect() {
    // GIVEN a fresh directory
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let data_arg = data.to_str().unwrap();
    // WHEN the demo runs three days
    let demo = adsctl(
        dir.path(),
        &[],
        &["demo", "--days", "3", "--data-dir", data_arg],
    );
    // THEN it prints both runs and the latest report, which exists
    assert!(demo.status.success(), "{demo:?}");
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(stdout.contains("| optimized"), "{stdout}");
    assert!(stdout.contains("| twin, no optimization"), "{stdout}");
    let report = stdout
        .split("latest report: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("the report's path");
    assert!(std::path::Path::new(report).exists(), "{report}");
    // AND every execution succeeded: four collects and one optimize a day
    let list = adsctl(dir.path(), &[], &["executions", "--data-dir", data_arg]);
    let listed = String::from_utf8_lossy(&list.stdout);
    let rows: Vec<&str> = listed.lines().skip(1).collect();
    assert_eq!(rows.len(), 15, "{listed}");
    assert!(rows.iter().all(|r| r.contains("SUCCEEDED")), "{listed}");
    // AND an optimize execution's history shows the approval and apply, as the console would
    let optimize = rows
        .iter()
        .find(|r| r.starts_with("optimize-"))
        .and_then(|r| r.split_whitespace().next())
        .expect("an optimize execution");
    let show = adsctl(
        dir.path(),
        &[],
        &["executions", "show", optimize, "--data-dir", data_arg],
    );
    let history = String::from_utf8_lossy(&show.stdout);
    for expected in [
        "ExecutionStarted",
        "Decide actions",
        "Apply actions",
        "ExecutionSucceeded",
    ] {
        assert!(history.contains(expected), "{expected}: {history}");
    }
    // AND a directory the demo did not make is refused, untouched
    let other = dir.path().join("mine");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "mine").unwrap();
    let refused = adsctl(
        dir.path(),
        &[],
        &["demo", "--days", "1", "--data-dir", other.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--data-dir"));
    assert!(other.join("keep.txt").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_train_score_and_list_work_on_collected_data() {
    // GIVEN a month of 64 creatives collected into an empty directory
    let scenario = Scenario {
        campaigns_per_account: 8,
        creatives_per_campaign: 8,
        ..Scenario::default()
    };
    let (_sim, world) = World::start(scenario, 30).await;
    let (today, account, env) = (world.today, world.account.clone(), world.env());
    let dir = tempfile::tempdir().unwrap();
    let to = today.pred_opt().unwrap().to_string();
    let collected = adsctl(
        dir.path(),
        &env,
        &[
            "collect",
            "--account",
            &account,
            "--to",
            &to,
            "--days",
            "30",
        ],
    );
    assert!(collected.status.success(), "{collected:?}");
    // WHEN nothing is trained yet, scoring says how to train
    let untrained = adsctl(
        dir.path(),
        &env,
        &["model", "score", "A headline", "A description"],
    );
    assert!(!untrained.status.success());
    let stderr = String::from_utf8_lossy(&untrained.stderr);
    assert!(stderr.contains("adsctl model train"), "{stderr}");
    // WHEN a model is trained on the month, with minimums this account meets
    let as_of = today.to_string();
    let trained = adsctl(
        dir.path(),
        &env,
        &[
            "model",
            "train",
            "--account",
            &account,
            "--as-of",
            &as_of,
            "--days",
            "30",
            "--min-impressions",
            "500",
            "--min-creatives",
            "30",
        ],
    );
    // THEN the train machine ran and the version's figures are printed
    let stdout = String::from_utf8_lossy(&trained.stdout);
    assert!(
        trained.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&trained.stderr)
    );
    assert!(stdout.contains("→ Train model"), "{stdout}");
    assert!(
        stdout.contains("model v1 stored under models/creative_scoring/v1/"),
        "{stdout}"
    );
    assert!(
        stdout.contains("held-out R²") && stdout.contains("top features"),
        "{stdout}"
    );
    // AND a copy is scored with an interval, and the version is listed
    let scored = adsctl(
        dir.path(),
        &env,
        &[
            "model",
            "score",
            "Free 2026 data checklist",
            "Download the guide",
            "--cta",
            "DOWNLOAD",
        ],
    );
    let stdout = String::from_utf8_lossy(&scored.stdout);
    assert!(scored.status.success(), "{stdout}");
    assert!(
        stdout.starts_with("predicted CTR ") && stdout.contains("80% interval"),
        "{stdout}"
    );
    let listed = adsctl(dir.path(), &env, &["model", "list"]);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.lines().nth(1).is_some_and(|l| l.starts_with("v1 ")),
        "{stdout}"
    );
    // WHEN a training finds too little data
    let starved = adsctl(
        dir.path(),
        &env,
        &[
            "model",
            "train",
            "--account",
            &account,
            "--as-of",
            &as_of,
            "--days",
            "30",
        ],
    );
    // THEN it fails naming the error, and v1 is still the only version
    let stdout = String::from_utf8_lossy(&starved.stdout);
    assert!(!starved.status.success());
    assert!(stdout.contains("Model.TooLittleData"), "{stdout}");
    let listed = adsctl(dir.path(), &env, &["model", "list"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 2);
}
