//! The project's state machines, `statemachines/collect.asl.json` and
//! `statemachines/optimize.asl.json`: they parse with their `${...}FunctionArn` placeholders
//! substituted as CDK's `definitionSubstitutions` would; every Task carries the retries, the
//! timeout and the catch the design asks for; `asl-validator` (npm, installed by
//! `tests/setup.sh`) accepts them; and they run to the documented ends on this executor with
//! mocked steps. Time is a `VirtualClock`: waits are asserted as recorded sleeps.
//!
//! `asl-validator` missing is a failure naming `tests/setup.sh`, never a silent skip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use asl::{
    Execution, Executor, MockResponse, MockRunner, StateKind, StateMachine, Status, TaskFailure,
    VirtualClock,
};
use serde_json::{Value, json};

// ---- support ---------------------------------------------------------------------------

/// The Lambda errors AWS recommends retrying ("Handle Lambda service exceptions",
/// <https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html>),
/// plus Lambda's throttling error.
const LAMBDA_SERVICE_ERRORS: [&str; 5] = [
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// Each placeholder and the function it names (the steps' crate names).
const FUNCTIONS: [(&str, &str); 8] = [
    ("FetchTokenFunctionArn", "fetch-token"),
    ("CollectFunctionArn", "collect"),
    ("StartAthenaQueryFunctionArn", "start-athena-query"),
    ("PollResultsFunctionArn", "poll-results"),
    ("DecideFunctionArn", "decide"),
    ("ApplyFunctionArn", "apply"),
    ("ReportFunctionArn", "report"),
    ("TrainFunctionArn", "train"),
];

/// Every definition in `statemachines/`.
const FILES: [&str; 3] = ["collect.asl.json", "optimize.asl.json", "train.asl.json"];

fn statemachines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../statemachines")
}

fn definition(file: &str) -> String {
    let path = statemachines_dir().join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Every placeholder mapped to a Lambda ARN whose function name is the step's.
fn substitutions() -> BTreeMap<String, String> {
    FUNCTIONS
        .iter()
        .map(|(placeholder, function)| {
            (
                placeholder.to_string(),
                format!("arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            )
        })
        .collect()
}

/// The definition's text with its placeholders filled in.
fn substituted_text(file: &str) -> String {
    let mut text = definition(file);
    for (placeholder, arn) in substitutions() {
        text = text.replace(&format!("${{{placeholder}}}"), &arn);
    }
    text
}

fn machine(file: &str) -> StateMachine {
    StateMachine::with_substitutions(&definition(file), &substitutions())
        .unwrap_or_else(|error| panic!("{file} does not parse: {error}"))
        .named(file.trim_end_matches(".asl.json"))
}

/// Every Task state of a definition's JSON, nested ones included, with its name.
fn tasks(definition: &Value) -> Vec<(String, Value)> {
    fn walk(block: &Value, out: &mut Vec<(String, Value)>) {
        let Some(states) = block.get("States").and_then(Value::as_object) else {
            return;
        };
        for (name, state) in states {
            if state["Type"] == "Task" {
                out.push((name.clone(), state.clone()));
            }
            for processor in ["ItemProcessor", "Iterator"] {
                if let Some(inner) = state.get(processor) {
                    walk(inner, out);
                }
            }
            for branch in state["Branches"].as_array().into_iter().flatten() {
                walk(branch, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(definition, &mut out);
    out
}

fn clock() -> VirtualClock {
    VirtualClock::new(asl::clock::parse_timestamp("2026-09-01T06:00:00Z").expect("timestamp"))
}

fn returns(value: Value) -> MockResponse {
    MockResponse::Return(value)
}

fn throws(error: &str, cause: &str) -> MockResponse {
    MockResponse::Throw(TaskFailure::new(error, cause))
}

/// The functions called, in order.
fn called(runner: &MockRunner) -> Vec<String> {
    runner
        .calls()
        .into_iter()
        .map(|call| call.function)
        .collect()
}

/// The inputs of every call to `function`, in order.
fn inputs(runner: &MockRunner, function: &str) -> Vec<Value> {
    runner
        .calls()
        .into_iter()
        .filter(|call| call.function == function)
        .map(|call| call.input)
        .collect()
}

/// The states entered, in order (Map iterations included).
fn entered(execution: &Execution) -> Vec<&str> {
    execution
        .history
        .iter()
        .filter(|event| event.r#type.ends_with("StateEntered"))
        .filter_map(|event| event.state_name())
        .collect()
}

fn seconds(clock: &VirtualClock) -> Vec<f64> {
    clock.sleeps().iter().map(Duration::as_secs_f64).collect()
}

// Step outputs shaped as the steps' `Output` types serialize (steps/*/src/lib.rs).

fn token_status() -> Value {
    json!({"accessTokenExpiresAt": "2026-10-20T00:00:00Z", "refreshTokenExpiresAt": "2027-06-01T00:00:00Z",
           "refreshed": false, "warnings": []})
}

fn collected(account: &str) -> Value {
    json!({"accountId": account, "startDate": "2026-08-19", "endDate": "2026-09-01", "days": 14,
           "campaigns": 2, "creatives": 6, "rows": 84, "postsFetched": 6, "keysWritten": 19, "requests": 7})
}

fn started_query() -> Value {
    json!({"queryId": "q-1", "query": "decision_series"})
}

fn poll_running(attempt: u32) -> Value {
    json!({"queryId": "q-1", "query": "decision_series", "state": "RUNNING", "done": false,
           "attempt": attempt, "maxAttempts": 60})
}

fn poll_done(attempt: u32) -> Value {
    json!({"queryId": "q-1", "query": "decision_series", "state": "SUCCEEDED", "done": true,
           "resultKey": "query-results/q-1.csv", "attempt": attempt, "maxAttempts": 60})
}

fn decided(execution: &str, proposed: u32) -> Value {
    json!({"decisionsKey": format!("decisions/2026-09-01/{execution}.json"), "accountId": "500000001",
           "asOf": "2026-09-01", "mode": "bayes", "proposed": proposed, "blocked": 0,
           "counts": {"pause": 1, "setBid": 1}, "notes": []})
}

fn applied(execution: &str, mode: &str) -> Value {
    json!({"mode": mode, "decisionsKey": format!("decisions/2026-09-01/{execution}.json"), "applied": 2,
           "dryRun": 0, "skipped": 0, "refused": 0, "failed": 0,
           "logKey": "logs/optimizer_actions/2026-09-01.jsonl",
           "results": [{"actionId": "a1", "outcome": "applied"}, {"actionId": "a2", "outcome": "applied"}]})
}

fn reported(name: &str) -> Value {
    json!({"markdownKey": format!("reports/{name}.md"), "htmlKey": format!("reports/{name}.html"),
           "subject": "LinkedIn Ads 500000001, 2026-09-01", "notified": true})
}

fn optimize_input(mode: &str) -> Value {
    json!({"accountId": "500000001", "asOf": "2026-09-01", "windowStart": "2026-08-04",
           "windowEnd": "2026-08-31", "mode": mode})
}

/// Mocks answering optimize up to decide: the query runs one poll, then is done.
fn optimize_mocks(execution: &str, proposed: u32) -> MockRunner {
    MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with("start-athena-query", [returns(started_query())])
        .with(
            "poll-results",
            [returns(poll_running(1)), returns(poll_done(2))],
        )
        .with("decide", [returns(decided(execution, proposed))])
}

// ---- the definitions -------------------------------------------------------------------

#[test]
fn each_definition_names_its_functions_by_placeholder_and_parses_once_substituted() {
    let expected: [(&str, &[&str]); 3] = [
        (
            "collect.asl.json",
            &[
                "CollectFunctionArn",
                "FetchTokenFunctionArn",
                "ReportFunctionArn",
            ],
        ),
        (
            "optimize.asl.json",
            &[
                "ApplyFunctionArn",
                "DecideFunctionArn",
                "FetchTokenFunctionArn",
                "PollResultsFunctionArn",
                "ReportFunctionArn",
                "StartAthenaQueryFunctionArn",
            ],
        ),
        (
            "train.asl.json",
            &[
                "PollResultsFunctionArn",
                "StartAthenaQueryFunctionArn",
                "TrainFunctionArn",
            ],
        ),
    ];
    let mut all = BTreeSet::new();
    for (file, placeholders) in expected {
        // GIVEN the definition as CDK reads it
        let text = definition(file);
        // THEN its placeholders are exactly the functions it calls
        let found = StateMachine::placeholders(&text);
        let wanted: BTreeSet<String> = placeholders.iter().map(|p| p.to_string()).collect();
        assert_eq!(found, wanted, "{file}");
        all.extend(found);
        // AND substituted with Lambda ARNs, it parses and validates, every Task calling one
        let machine = machine(file);
        let functions: BTreeSet<String> = FUNCTIONS
            .iter()
            .filter(|(placeholder, _)| wanted.contains(*placeholder))
            .map(|(_, function)| function.to_string())
            .collect();
        assert_eq!(machine.task_functions(), functions, "{file}");
        assert!(
            machine
                .states()
                .iter()
                .filter(|state| state.kind == StateKind::Task)
                .all(|state| state.function.is_some()),
            "{file}: a Task whose function is not fixed by the definition"
        );
        // AND without substitutions a placeholder is named as missing
        let error = StateMachine::with_substitutions(&text, &BTreeMap::new()).unwrap_err();
        assert!(error.to_string().contains("FunctionArn"), "{error}");
    }
    // AND between them the files use all eight step functions
    assert_eq!(all.len(), FUNCTIONS.len());
}

#[test]
fn every_task_retries_lambda_and_rate_limit_errors_times_out_and_all_but_apply_catch_all() {
    for file in FILES {
        let definition: Value = serde_json::from_str(&definition(file)).expect("JSON");
        assert_eq!(definition["QueryLanguage"], "JSONPath", "{file}");
        let tasks = tasks(&definition);
        assert!(tasks.len() >= 3, "{file}: {} tasks", tasks.len());
        for (name, task) in tasks {
            let at = format!("{file}, Task '{name}'");
            // A timeout of its own, so a hung Lambda or a forgotten approval cannot hold
            // the execution for a year (the default).
            assert!(
                task["TimeoutSeconds"].as_u64().is_some_and(|s| s > 0),
                "{at}: no TimeoutSeconds"
            );
            let retry = task["Retry"].as_array().cloned().unwrap_or_default();
            let retrier = |error: &str| {
                retry
                    .iter()
                    .find(|r| {
                        r["ErrorEquals"]
                            .as_array()
                            .is_some_and(|e| e.contains(&json!(error)))
                    })
                    .cloned()
                    .unwrap_or_else(|| panic!("{at}: no Retry for {error}"))
            };
            // AWS's recommended retry of Lambda service errors, with jitter
            let lambda = retrier("Lambda.ServiceException");
            for error in LAMBDA_SERVICE_ERRORS {
                assert!(
                    lambda["ErrorEquals"]
                        .as_array()
                        .unwrap()
                        .contains(&json!(error)),
                    "{at}: the Lambda retrier misses {error}"
                );
            }
            assert_eq!(lambda["IntervalSeconds"], 2, "{at}");
            assert_eq!(lambda["MaxAttempts"], 6, "{at}");
            assert_eq!(lambda["BackoffRate"], 2, "{at}");
            assert_eq!(lambda["JitterStrategy"], "FULL", "{at}");
            // train calls no LinkedIn and catches nothing: a failed training fails the
            // execution where it stands, having stored nothing (decide keeps the previous
            // model), and the stack's alarm on failed train executions tells someone
            if file == "train.asl.json" {
                assert!(task.get("Catch").is_none(), "{at}: train catches nothing");
                continue;
            }
            // LinkedIn's rate limit, waited out with a long backoff
            let rate = retrier("LinkedIn.RateLimited");
            assert!(rate["IntervalSeconds"].as_u64() >= Some(60), "{at}");
            assert!(rate["MaxAttempts"].as_u64() >= Some(3), "{at}");
            assert!(rate["BackoffRate"].as_f64() >= Some(2.0), "{at}");
            assert!(rate["MaxDelaySeconds"].as_u64().is_some(), "{at}");
            // Everything else is caught, keeping the state's input beside the error — but
            // for apply, which fails the execution where it stands so a redrive reruns it
            let catch = task["Catch"].as_array().cloned().unwrap_or_default();
            if name == "Apply actions" {
                assert!(
                    catch.is_empty(),
                    "{at}: a Catch would stop redrive rerunning apply"
                );
                continue;
            }
            let all = catch
                .iter()
                .find(|c| c["ErrorEquals"] == json!(["States.ALL"]))
                .unwrap_or_else(|| panic!("{at}: no Catch for States.ALL"));
            assert!(
                all["ResultPath"].as_str().is_some_and(|p| p != "$"),
                "{at}: the catcher must not replace the input with the error"
            );
        }
    }
}

#[test]
fn asl_validator_accepts_every_definition_as_written_and_substituted() {
    let validator = statemachines_dir().join("node_modules/.bin/asl-validator");
    assert!(
        validator.exists(),
        "asl-validator is not installed at {}: run tests/setup.sh first (it runs \
         `npm ci --prefix statemachines`, which needs Node.js and npm)",
        validator.display()
    );
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("statemachines");
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    for file in FILES {
        // As CDK deploys it (placeholders filled) and as it is written (`${...}` Resources,
        // which the validator's schema allows).
        let substituted = scratch.join(file);
        std::fs::write(&substituted, substituted_text(file)).expect("write");
        for path in [statemachines_dir().join(file), substituted] {
            let output = Command::new(&validator)
                .arg("--json-path")
                .arg(&path)
                .output()
                .unwrap_or_else(|error| {
                    panic!(
                        "cannot run {}: {error}; run tests/setup.sh first (Node.js must be on PATH)",
                        validator.display()
                    )
                });
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() && stdout.contains("is valid"),
                "asl-validator rejects {}:\n{stdout}{stderr}",
                path.display()
            );
        }
    }
}

// ---- collect ---------------------------------------------------------------------------

#[tokio::test]
async fn collect_fetches_the_token_once_then_collects_every_account() {
    // GIVEN two accounts and steps that succeed
    let machine = machine("collect.asl.json");
    let runner = MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with(
            "collect",
            [
                returns(collected("500000001")),
                returns(collected("500000002")),
            ],
        );
    let clock = clock();
    // WHEN collect runs with a lookback
    let execution = Executor::new(&machine, &runner, &clock)
        .start(
            "collect-1",
            json!({"accounts": ["500000001", "500000002"], "lookbackDays": 3}),
        )
        .await;
    // THEN it succeeds, having called collect once per account with its id
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(called(&runner), ["fetch-token", "collect", "collect"]);
    assert_eq!(inputs(&runner, "fetch-token"), [json!({})]);
    let mut collect_inputs = inputs(&runner, "collect");
    collect_inputs.sort_by_key(|input| input["accountId"].to_string());
    assert_eq!(
        collect_inputs,
        [
            json!({"accountId": "500000001", "lookbackDays": 3, "endDate": null}),
            json!({"accountId": "500000002", "lookbackDays": 3, "endDate": null}),
        ]
    );
    // AND the output keeps each account's counts
    let output = execution.output.as_ref().expect("output");
    let mut accounts: Vec<String> = output["collected"]
        .as_array()
        .expect("one result per account")
        .iter()
        .map(|counts| counts["accountId"].to_string())
        .collect();
    accounts.sort();
    assert_eq!(accounts, ["\"500000001\"", "\"500000002\""]);
    assert_eq!(output["tokenStatus"], token_status());
    assert_eq!(entered(&execution).last(), Some(&"Collection done"));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_rate_limited_account_is_retried_after_a_long_wait() {
    // GIVEN collect rate-limited once
    let machine = machine("collect.asl.json");
    let runner = MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with(
            "collect",
            [
                throws("LinkedIn.RateLimited", "429 from adAnalytics"),
                returns(collected("500000001")),
            ],
        );
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("collect-2", json!({"accounts": ["500000001"]}))
        .await;
    // THEN it waited the rate limit's first interval, then succeeded
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(seconds(&clock), [60.0]);
    assert_eq!(runner.call_count("collect"), 2);
    assert_eq!(runner.call_count("report"), 0);
}

#[tokio::test]
async fn a_failed_account_is_reported_and_fails_the_execution_with_its_error() {
    // GIVEN an account whose token LinkedIn refuses
    let machine = machine("collect.asl.json");
    let runner = MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with(
            "collect",
            [throws(
                "LinkedIn.Unauthorized",
                "401: the token was revoked",
            )],
        )
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("collect-3", json!({"accounts": ["500000001"]}))
        .await;
    // THEN the failure is reported for that account and the run's day
    assert_eq!(called(&runner), ["fetch-token", "collect", "report"]);
    assert_eq!(
        inputs(&runner, "report"),
        [json!({"accountId": "500000001", "asOf": "2026-09-01",
                "error": {"Error": "LinkedIn.Unauthorized", "Cause": "401: the token was revoked"}})]
    );
    // AND the execution fails with LinkedIn's error, not a generic one
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("LinkedIn.Unauthorized"));
    assert_eq!(
        execution.cause.as_deref(),
        Some("401: the token was revoked")
    );
}

#[tokio::test]
async fn a_token_failure_is_reported_before_any_account_is_collected() {
    let machine = machine("collect.asl.json");
    let runner = MockRunner::new()
        .with(
            "fetch-token",
            [throws(
                "Token.ReauthorizationRequired",
                "the refresh token expired",
            )],
        )
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("collect-4", json!({"accounts": ["500000002", "500000001"]}))
        .await;
    assert_eq!(called(&runner), ["fetch-token", "report"]);
    assert_eq!(inputs(&runner, "report")[0]["accountId"], "500000002");
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(
        execution.error.as_deref(),
        Some("Token.ReauthorizationRequired")
    );
    assert_eq!(entered(&execution).last(), Some(&"Collection failed"));
}

// ---- optimize --------------------------------------------------------------------------

#[tokio::test]
async fn optimize_in_auto_mode_polls_until_done_then_decides_applies_and_reports() {
    // GIVEN a query that is still running at the first poll
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-1", 2)
        .with("apply", [returns(applied("daily-1", "auto"))])
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    // WHEN optimize runs in auto mode
    let execution = Executor::new(&machine, &runner, &clock)
        .start("daily-1", optimize_input("auto"))
        .await;
    // THEN it succeeds, calling the steps in order, polling twice after a wait each
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(
        called(&runner),
        [
            "fetch-token",
            "start-athena-query",
            "poll-results",
            "poll-results",
            "decide",
            "apply",
            "report"
        ]
    );
    assert_eq!(seconds(&clock), [10.0, 10.0]);
    // AND each step gets exactly its contract's input
    assert_eq!(
        inputs(&runner, "start-athena-query"),
        [json!({"query": "decision_series",
                "params": {"account_id": "500000001", "start_date": "2026-08-04", "end_date": "2026-08-31"},
                "window": {"asOf": "2026-09-01", "days": 31}})]
    );
    assert_eq!(
        inputs(&runner, "poll-results"),
        [
            json!({"queryId": "q-1", "query": "decision_series", "attempt": 0, "maxAttempts": 60}),
            json!({"queryId": "q-1", "query": "decision_series", "attempt": 1, "maxAttempts": 60}),
        ]
    );
    assert_eq!(
        inputs(&runner, "decide"),
        [
            json!({"resultKey": "query-results/q-1.csv", "accountId": "500000001", "asOf": "2026-09-01",
                "execution": "daily-1", "policyKey": null})
        ]
    );
    let apply = &inputs(&runner, "apply")[0];
    assert_eq!(apply["decisionsKey"], "decisions/2026-09-01/daily-1.json");
    assert_eq!(apply["mode"], "auto");
    assert_eq!(apply["approval"], Value::Null);
    assert_eq!(apply["policyKey"], Value::Null);
    // `now` is the executor's clock, so a simulated day dates the action log
    let now = apply["now"].as_str().expect("now");
    assert!(now.starts_with("2026-09-01T06:00:20"), "{now}");
    // AND report gets apply's counts without its per-action lines
    let mut counts = applied("daily-1", "auto");
    counts.as_object_mut().unwrap().remove("results");
    assert_eq!(
        inputs(&runner, "report"),
        [json!({"accountId": "500000001", "asOf": "2026-09-01",
                "decisionsKey": "decisions/2026-09-01/daily-1.json",
                "seriesKey": "query-results/q-1.csv", "apply": counts})]
    );
    assert_eq!(entered(&execution).last(), Some(&"Optimization done"));
}

#[tokio::test]
async fn optimize_without_a_mode_or_policy_runs_apply_as_a_dry_run() {
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-2", 2)
        .with("apply", [returns(applied("daily-2", "dry-run"))])
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let mut input = optimize_input("auto");
    input.as_object_mut().unwrap().remove("mode");
    input["policyKey"] = json!("policies/cautious.toml");
    let execution = Executor::new(&machine, &runner, &clock)
        .start("daily-2", input)
        .await;
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(inputs(&runner, "apply")[0]["mode"], "dry-run");
    assert_eq!(
        inputs(&runner, "apply")[0]["policyKey"],
        "policies/cautious.toml"
    );
    assert_eq!(
        inputs(&runner, "decide")[0]["policyKey"],
        "policies/cautious.toml"
    );
}

#[tokio::test]
async fn a_scheduled_optimize_with_only_an_account_decides_for_its_start_day() {
    // GIVEN the input a schedule sends: the account (and a mode), no day, no window
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("scheduled", 0)
        .with("apply", [returns(applied("scheduled", "dry-run"))])
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let input = json!({"accountId": "500000001", "mode": "dry-run"});
    let execution = Executor::new(&machine, &runner, &clock)
        .start("scheduled", input)
        .await;
    // THEN the query covers the 31 days before the execution's start day, which is asOf
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(
        inputs(&runner, "start-athena-query")[0],
        json!({"query": "decision_series",
               "params": {"account_id": "500000001", "start_date": null, "end_date": null},
               "window": {"asOf": "2026-09-01", "days": 31}})
    );
    assert_eq!(inputs(&runner, "decide")[0]["asOf"], "2026-09-01");
}

#[tokio::test]
async fn a_failed_apply_fails_the_execution_there_and_a_redrive_reruns_only_apply() {
    // GIVEN apply failing with its stable name, then succeeding
    let machine = machine("optimize.asl.json");
    let cause = "1 of 2 actions failed on LinkedIn: a2 (500)";
    let runner = optimize_mocks("daily-3", 2)
        .with(
            "apply",
            [
                throws("Apply.ActionsFailed", cause),
                returns(applied("daily-3", "auto")),
            ],
        )
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let execution = executor.start("daily-3", optimize_input("auto")).await;
    // THEN apply ran once (an action failure is not retried) and the execution failed
    // there, with apply's error and cause
    assert_eq!(called(&runner)[4..], ["decide", "apply"].map(String::from));
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("Apply.ActionsFailed"));
    assert_eq!(execution.cause.as_deref(), Some(cause));
    assert_eq!(entered(&execution).last(), Some(&"Apply actions"));
    // WHEN it is redriven
    let redriven = executor.redrive(execution).await.expect("redrivable");
    // THEN apply runs again with the same decisions, then the report; nothing before it
    assert_eq!(redriven.status, Status::Succeeded);
    assert_eq!(
        called(&runner)[4..],
        ["decide", "apply", "apply", "report"].map(String::from)
    );
    let applies = inputs(&runner, "apply");
    assert_eq!(applies[0]["decisionsKey"], applies[1]["decisionsKey"]);
}

#[tokio::test]
async fn a_failing_failure_report_still_fails_with_the_original_error() {
    let machine = machine("optimize.asl.json");
    let runner = MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with(
            "start-athena-query",
            [throws("Query.Failed", "TABLE_NOT_FOUND")],
        )
        .with("report", [throws("Notify.Failed", "webhook 500")]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("daily-4", optimize_input("auto"))
        .await;
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("Query.Failed"));
    assert_eq!(runner.call_count("report"), 1);
}

#[tokio::test]
async fn a_query_still_running_at_the_last_poll_fails_with_query_timeout() {
    let machine = machine("optimize.asl.json");
    let runner = MockRunner::new()
        .with("fetch-token", [returns(token_status())])
        .with("start-athena-query", [returns(started_query())])
        .with(
            "poll-results",
            [
                returns(poll_running(1)),
                throws("Query.Timeout", "query q-1 still running after 2 polls"),
            ],
        )
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("daily-5", optimize_input("auto"))
        .await;
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("Query.Timeout"));
    assert_eq!(runner.call_count("decide"), 0);
    assert_eq!(
        inputs(&runner, "report")[0]["error"]["Error"],
        "Query.Timeout"
    );
    // AND the report names the attempt, so the status change event does not report it again
    assert_eq!(
        inputs(&runner, "report")[0]["execution"],
        json!({"name": "daily-5", "redriveCount": 0})
    );
}

#[tokio::test]
async fn approve_mode_waits_for_the_approval_then_applies_what_was_approved() {
    // GIVEN approve mode with two actions proposed
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-6", 2)
        .with(
            "report",
            [
                returns(json!({"StatusCode": 202})),
                returns(reported("2026-09-01")),
            ],
        )
        .with("apply", [returns(applied("daily-6", "approve"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    // WHEN it runs
    let waiting = executor.start("daily-6", optimize_input("approve")).await;
    // THEN it waits, RUNNING, on the approval request report received with the token
    assert_eq!(waiting.status, Status::Running, "{:?}", waiting.cause);
    let pending = waiting.pending_callbacks();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state_name, "Request approval");
    assert_eq!(pending[0].function, "report");
    let token = pending[0].token.clone();
    assert_eq!(
        inputs(&runner, "report"),
        [json!({"accountId": "500000001", "asOf": "2026-09-01",
                "decisionsKey": "decisions/2026-09-01/daily-6.json",
                "seriesKey": "query-results/q-1.csv",
                "approval": {"taskToken": token, "decisionsKey": "decisions/2026-09-01/daily-6.json"}})]
    );
    assert_eq!(runner.call_count("apply"), 0);
    // WHEN a person approves, in another process (the execution goes through JSON)
    let restored: Execution =
        serde_json::from_str(&serde_json::to_string(&waiting).expect("serializes"))
            .expect("deserializes");
    let answer = json!({"approved": true, "approvedBy": "alice@example.com"});
    let done = executor
        .send_task_success(restored, &token, answer.clone())
        .await
        .expect("the token is awaited");
    // THEN apply runs in approve mode with the answer, then the report
    assert_eq!(done.status, Status::Succeeded, "{:?}", done.cause);
    let apply = &inputs(&runner, "apply")[0];
    assert_eq!(apply["mode"], "approve");
    assert_eq!(apply["approval"], answer);
    assert_eq!(&called(&runner)[5..], ["report", "apply", "report"]);
    assert_eq!(entered(&done).last(), Some(&"Optimization done"));
}

#[tokio::test]
async fn a_rejected_approval_is_reported_and_nothing_is_applied() {
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-7", 2).with(
        "report",
        [
            returns(json!({"StatusCode": 202})),
            returns(reported("2026-09-01")),
        ],
    );
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("daily-7", optimize_input("approve")).await;
    let token = waiting.pending_callbacks()[0].token.clone();
    let done = executor
        .send_task_success(
            waiting,
            &token,
            json!({"approved": false, "approvedBy": "bob"}),
        )
        .await
        .expect("the token is awaited");
    assert_eq!(done.status, Status::Succeeded, "{:?}", done.cause);
    assert_eq!(runner.call_count("apply"), 0);
    assert_eq!(
        inputs(&runner, "report")[1]["apply"],
        json!({"mode": "approve", "applied": 0, "approval": {"approved": false, "approvedBy": "bob"}})
    );
    assert_eq!(entered(&done).last(), Some(&"Not approved"));
}

#[tokio::test]
async fn approve_mode_with_nothing_proposed_asks_nobody() {
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-8", 0)
        .with("apply", [returns(applied("daily-8", "approve"))])
        .with("report", [returns(reported("2026-09-01"))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("daily-8", optimize_input("approve"))
        .await;
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert!(!entered(&execution).contains(&"Request approval"));
    assert_eq!(runner.call_count("report"), 1);
}

#[tokio::test]
async fn an_unanswered_approval_times_out_after_a_day_and_is_reported() {
    let machine = machine("optimize.asl.json");
    let runner = optimize_mocks("daily-9", 2).with(
        "report",
        [
            returns(json!({"StatusCode": 202})),
            returns(reported("2026-09-01")),
        ],
    );
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("daily-9", optimize_input("approve")).await;
    // WHEN a day and a minute pass with no answer
    clock.advance(Duration::from_secs(86_400 + 60));
    let expired = executor.resume(waiting).await;
    // THEN the wait timed out, was reported, and the execution failed with States.Timeout
    assert_eq!(expired.status, Status::Failed);
    assert_eq!(expired.error.as_deref(), Some("States.Timeout"));
    assert_eq!(runner.call_count("apply"), 0);
    assert_eq!(
        inputs(&runner, "report")[1]["error"]["Error"],
        "States.Timeout"
    );
}

// ---- train -----------------------------------------------------------------------------

fn trained() -> Value {
    json!({"version": 3, "modelKey": "models/creative_scoring/v3/model.json",
           "metadataKey": "models/creative_scoring/v3/metadata.json", "rows": 640,
           "r2": 0.11, "baselineR2": -0.002, "beatsBaseline": true})
}

#[tokio::test]
async fn train_queries_every_account_then_trains_once_on_all_their_results() {
    // GIVEN two accounts whose queries finish after one poll
    let machine = machine("train.asl.json");
    let runner = MockRunner::new()
        .with(
            "start-athena-query",
            [returns(started_query()), returns(started_query())],
        )
        .with(
            "poll-results",
            [returns(poll_done(1)), returns(poll_done(1))],
        )
        .with("train", [returns(trained())]);
    let clock = clock();
    // WHEN train runs on a schedule's input: the accounts only
    let execution = Executor::new(&machine, &runner, &clock)
        .start("weekly", json!({"accounts": ["500000001", "500000002"]}))
        .await;
    // THEN it succeeds with the stored version in its output
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(
        execution.output.as_ref().expect("output")["model"],
        trained()
    );
    // AND each account's creative_training query covers the 90 days before the start day
    let mut queries = inputs(&runner, "start-athena-query");
    queries.sort_by_key(|q| q["params"]["account_id"].to_string());
    assert_eq!(
        queries[0],
        json!({"query": "creative_training",
               "params": {"account_id": "500000001", "start_date": null, "end_date": null},
               "window": {"asOf": "2026-09-01", "days": 90}})
    );
    assert_eq!(queries[1]["params"]["account_id"], "500000002");
    // AND the train step gets every account's result key once, with the default minimums
    let train = &inputs(&runner, "train")[0];
    let mut accounts: Vec<&str> = train["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            assert_eq!(r["resultKey"], "query-results/q-1.csv");
            r["accountId"].as_str().expect("accountId")
        })
        .collect();
    accounts.sort_unstable();
    assert_eq!(accounts, ["500000001", "500000002"]);
    assert_eq!(train["minImpressions"], Value::Null);
    assert_eq!(train["minCreatives"], Value::Null);
    assert_eq!(seconds(&clock), [10.0, 10.0]);
}

#[tokio::test]
async fn too_little_data_fails_the_execution_at_the_train_step_with_its_name() {
    // GIVEN the train step finding too few creatives
    let machine = machine("train.asl.json");
    let runner = MockRunner::new()
        .with("start-athena-query", [returns(started_query())])
        .with("poll-results", [returns(poll_done(1))])
        .with(
            "train",
            [throws(
                "Model.TooLittleData",
                "too little data to train the creative scorer: 12 creative(s) ...",
            )],
        );
    // WHEN train runs
    let execution = Executor::new(&machine, &runner, &clock())
        .start(
            "weekly",
            json!({"accounts": ["500000001"], "windowDays": 30, "minCreatives": 50}),
        )
        .await;
    // THEN it fails there, once (no retry of a data problem), with the step's name and cause
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("Model.TooLittleData"));
    assert!(
        execution
            .cause
            .as_deref()
            .unwrap_or("")
            .contains("12 creative(s)")
    );
    assert_eq!(called(&runner).iter().filter(|f| *f == "train").count(), 1);
    assert_eq!(entered(&execution).last(), Some(&"Train model"));
    assert_eq!(inputs(&runner, "train")[0]["minCreatives"], 50);
    assert_eq!(
        inputs(&runner, "start-athena-query")[0]["window"]["days"],
        30
    );
}
