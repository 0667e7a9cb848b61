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

// The simulator serves from this test's runtime while the test waits on the child process,
// so the runtime needs a thread of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_runs_with_only_a_token_in_the_environment() {
    // GIVEN a simulator with five days of delivery and an empty directory (no adsctl.toml)
    let sim = sim::spawn(Scenario {
        start_date: NaiveDate::from_ymd_opt(2026, 8, 3).unwrap(),
        ..Scenario::default()
    })
    .await
    .unwrap();
    let today = sim.admin().advance(5).await.unwrap().today;
    let credentials = sim.admin().credentials().await.unwrap();
    let account = sim.admin().truth_creatives().await.unwrap()[0]
        .account_id
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("LINKEDIN_ACCESS_TOKEN", credentials.access_token.clone()),
        ("LINKEDIN_API_URL", sim.api_url()),
    ];
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
