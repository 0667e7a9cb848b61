//! `adsctl run|executions|redrive|approve|reject --aws`: the deployed state machines, operated
//! through Step Functions ([`aws::sfn::StepFunctions`]) as [`crate::executions`] operates the
//! local ones — an execution started, listed, shown with its history, redriven, and an
//! approval answered by its task token.
//!
//! Unlike the local commands these return as soon as Step Functions accepted the request:
//! the execution runs in AWS, and `adsctl executions show ARN --aws` follows it. The list and
//! the history print through the local commands' row functions, so both read the same.
//!
//! A task token lets whoever holds it answer the approval: nothing here prints or logs it,
//! and [`aws::sfn`]'s errors name it by its last four characters only.

use aws::sfn::{Event, ExecutionSummary, StepFunctions};
use orchestration::{Answer, Machine};
use serde_json::Value;

use crate::executions::{execution_row, executions_heading, history_heading, history_row};

/// The environment variable holding the ARN of `machine`'s deployed state machine, read by
/// `adsctl run --aws` when --state-machine-arn is not given.
pub fn state_machine_env(machine: Machine) -> &'static str {
    match machine {
        Machine::Collect => "ADSCTL_COLLECT_STATE_MACHINE_ARN",
        Machine::Optimize => "ADSCTL_OPTIMIZE_STATE_MACHINE_ARN",
        Machine::Train => "ADSCTL_TRAIN_STATE_MACHINE_ARN",
    }
}

/// `adsctl run --aws`: starts an execution of `machine`'s state machine (`flag`, else the
/// machine's environment variable) named `name` with `input`, and prints its ARN and how to
/// follow it. Does not wait for it.
pub async fn start(
    machine: Machine,
    flag: Option<&str>,
    name: &str,
    input: &Value,
) -> anyhow::Result<()> {
    let state_machine = state_machine_arn(machine, flag, |key| std::env::var(key).ok())?;
    let arn = client()
        .await
        .start(&state_machine, Some(name), input)
        .await?;
    println!("started {} execution {name}", machine.name());
    println!("  {arn}");
    println!("follow it: adsctl executions show {arn} --aws");
    Ok(())
}

/// `adsctl executions --aws --state-machine-arn ARN`: the newest `max` executions of the
/// state machine, in the local list's columns.
pub async fn list(state_machine_arn: &str, max: usize) -> anyhow::Result<()> {
    let executions = client().await.list(state_machine_arn, max).await?;
    if executions.is_empty() {
        println!("no executions of {state_machine_arn}");
        return Ok(());
    }
    print!("{}", executions_table(&executions));
    Ok(())
}

/// `adsctl executions show ARN --aws`: the execution now and its history, in the local
/// history's columns.
pub async fn show(execution_arn: &str) -> anyhow::Result<()> {
    let sfn = client().await;
    let execution = sfn.describe(execution_arn).await?;
    let events = sfn.history(execution_arn).await?;
    print!("{}", history_table(&execution, &events));
    Ok(())
}

/// `adsctl redrive ARN --aws`: redrives the execution from the states that failed, and
/// prints when the redrive started and how to follow it. Does not wait for it.
pub async fn redrive(execution_arn: &str) -> anyhow::Result<()> {
    let started = client().await.redrive(execution_arn).await?;
    println!(
        "redriving {execution_arn} (since {})",
        started.format("%Y-%m-%d %H:%M:%S UTC")
    );
    println!("follow it: adsctl executions show {execution_arn} --aws");
    Ok(())
}

/// `adsctl approve|reject TOKEN --aws`: sends `answer` as the waiting task's success — a
/// rejection too, as `{"approved": false}`, which the optimize machine's Choice routes to
/// "Report rejection" (an error would fail the execution instead).
pub async fn answer(token: &str, answer: &Answer) -> anyhow::Result<()> {
    client()
        .await
        .send_task_success(token, &answer.output())
        .await?;
    match answer {
        Answer::Approve { by, action_ids } => println!(
            "approved by {by}: {}; the execution applies them in AWS",
            action_ids
                .as_ref()
                .map_or("every proposed action".to_owned(), |ids| format!(
                    "actions {}",
                    ids.join(", ")
                ))
        ),
        Answer::Reject { by } => println!(
            "rejected by {by}: the execution reports the rejection in AWS and applies nothing"
        ),
    }
    Ok(())
}

/// Step Functions with the SDK's configuration from the environment (profile, region,
/// credentials), as the AWS CLI finds them.
async fn client() -> StepFunctions {
    StepFunctions::from_config(&aws::sdk_config().await)
}

/// The state machine `run --aws` starts: `flag`, else the machine's variable in `env`.
fn state_machine_arn(
    machine: Machine,
    flag: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<String> {
    if let Some(arn) = flag {
        return Ok(arn.to_owned());
    }
    let key = state_machine_env(machine);
    match env(key) {
        Some(arn) if !arn.is_empty() => Ok(arn),
        _ => anyhow::bail!(
            "which {} state machine? pass --state-machine-arn ARN or set {key} to the deployed \
             state machine's ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)",
            machine.name()
        ),
    }
}

/// The executions as the local list prints them, the state machine named from each ARN,
/// then where their ARNs come from (which `show` and `redrive` take).
fn executions_table(executions: &[ExecutionSummary]) -> String {
    let mut out = executions_heading();
    for execution in executions {
        out.push_str(&execution_row(
            &execution.name,
            machine_name(&execution.arn),
            &execution.status,
            execution.start_date,
            execution.stop_date,
            i64::from(execution.redrive_count.unwrap_or(0)),
        ));
    }
    if let Some(first) = executions.first() {
        let prefix = first
            .arn
            .strip_suffix(first.name.as_str())
            .unwrap_or("…:execution:MACHINE:");
        out.push_str(&format!(
            "ARN: {prefix}<name> (adsctl executions show ARN --aws, adsctl redrive ARN --aws)\n"
        ));
    }
    out
}

/// The execution and its history as the local `executions show` prints them.
fn history_table(execution: &ExecutionSummary, events: &[Event]) -> String {
    let mut out = history_heading(
        &execution.name,
        machine_name(&execution.arn),
        &execution.status,
        execution.start_date,
        i64::from(execution.redrive_count.unwrap_or(0)),
    );
    for event in events {
        out.push_str(&history_row(
            event.id,
            &event.r#type,
            event.timestamp,
            &event.details,
        ));
    }
    out
}

/// The state machine's name in a state machine or execution ARN: the field after
/// `stateMachine`, `execution` or `express` (`arn:aws:states:REGION:ACCOUNT:execution:NAME:…`).
fn machine_name(arn: &str) -> &str {
    arn.split(':').nth(6).unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use serde_json::json;

    const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:optimize";
    const EXECUTION: &str =
        "arn:aws:states:eu-west-1:123456789012:execution:optimize:optimize-20260301T060000";

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn summary() -> ExecutionSummary {
        ExecutionSummary {
            arn: EXECUTION.to_owned(),
            name: "optimize-20260301T060000".to_owned(),
            status: "FAILED".to_owned(),
            start_date: at("2026-03-01T06:00:00Z"),
            stop_date: Some(at("2026-03-01T06:00:09Z")),
            input: None,
            output: None,
            error: Some("LinkedIn.RateLimited".to_owned()),
            cause: Some("429 from adAnalytics".to_owned()),
            redrive_count: Some(1),
        }
    }

    #[test]
    fn an_aws_history_prints_in_the_local_histories_columns() {
        // GIVEN a redriven execution's history as Step Functions returns it
        let event = |id: i64, kind: &str, second: u32, details: Value| Event {
            id,
            previous_event_id: id - 1,
            timestamp: at(&format!("2026-03-01T06:00:0{second}.250Z")),
            r#type: kind.to_owned(),
            details,
        };
        let events = [
            event(
                1,
                "ExecutionStarted",
                0,
                json!({"input": {"accountId": "5"}}),
            ),
            event(
                2,
                "TaskStateEntered",
                1,
                json!({"name": "Collect", "input": {}}),
            ),
            event(
                3,
                "TaskFailed",
                9,
                json!({"resourceType": "lambda", "resource": "invoke",
                       "error": "LinkedIn.RateLimited", "cause": "429 from adAnalytics"}),
            ),
        ];

        // WHEN it is rendered
        let table = history_table(&summary(), &events);

        // THEN it reads as the local `executions show` does, row for row
        let expected = "\
optimize-20260301T060000 (optimize) FAILED — started 2026-03-01 06:00:00, redriven 1 time(s)
  id  type                         step                         timestamp                detail
   1  ExecutionStarted                                          2026-03-01 06:00:00.250  {\"input\":{\"accountId\":\"5\"}}
   2  TaskStateEntered             Collect                      2026-03-01 06:00:01.250  {\"input\":{}}
   3  TaskFailed                                                2026-03-01 06:00:09.250  LinkedIn.RateLimited 429 from adAnalytics
";
        assert_eq!(table, expected);
        // AND the local executor's same execution prints the very same table
        let local = asl::Execution {
            name: "optimize-20260301T060000".to_owned(),
            execution_arn: EXECUTION.to_owned(),
            machine: Some("optimize".to_owned()),
            status: asl::Status::Failed,
            input: json!({"accountId": "5"}),
            output: None,
            error: Some("LinkedIn.RateLimited".to_owned()),
            cause: Some("429 from adAnalytics".to_owned()),
            start_date: at("2026-03-01T06:00:00Z"),
            stop_date: Some(at("2026-03-01T06:00:09Z")),
            redrive_count: 1,
            redrive_date: None,
            history: events
                .iter()
                .map(|e| asl::HistoryEvent {
                    id: e.id.unsigned_abs(),
                    previous_event_id: e.previous_event_id.unsigned_abs(),
                    timestamp: e.timestamp,
                    r#type: e.r#type.clone(),
                    details: e.details.clone(),
                })
                .collect(),
            checkpoint: None,
        };
        assert_eq!(
            crate::executions::history_table(Machine::Optimize, &local),
            table
        );
    }

    #[test]
    fn an_aws_list_prints_in_the_local_lists_columns_and_says_where_the_arns_are() {
        // GIVEN a running execution and a redriven failed one
        let running = ExecutionSummary {
            arn: format!(
                "{}:optimize-20260302T060000",
                &EXECUTION[..EXECUTION.rfind(':').unwrap()]
            ),
            name: "optimize-20260302T060000".to_owned(),
            status: "RUNNING".to_owned(),
            stop_date: None,
            redrive_count: None,
            ..summary()
        };

        // WHEN they are listed
        let table = executions_table(&[running, summary()]);

        // THEN each is a local list row, the machine named from its ARN
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], executions_heading().trim_end());
        assert_eq!(
            lines[1],
            "optimize-20260302T060000                 optimize  RUNNING    2026-03-01 06:00:00  \
             -                    0"
        );
        assert_eq!(
            lines[2],
            "optimize-20260301T060000                 optimize  FAILED     2026-03-01 06:00:00  \
             2026-03-01 06:00:09  1"
        );
        // AND the last line says how to build an ARN for show and redrive
        assert_eq!(
            lines[3],
            "ARN: arn:aws:states:eu-west-1:123456789012:execution:optimize:<name> \
             (adsctl executions show ARN --aws, adsctl redrive ARN --aws)"
        );
    }

    #[test]
    fn run_takes_the_state_machine_from_the_flag_else_the_machines_variable() {
        // GIVEN only the optimize machine's variable set
        let env =
            |key: &str| (key == "ADSCTL_OPTIMIZE_STATE_MACHINE_ARN").then(|| MACHINE.to_owned());

        // WHEN each machine's state machine is resolved, with and without the flag
        let optimize = state_machine_arn(Machine::Optimize, None, env).unwrap();
        let flagged = state_machine_arn(Machine::Collect, Some("arn:flag"), env).unwrap();
        let error = state_machine_arn(Machine::Collect, None, env).unwrap_err();

        // THEN the flag wins, the variable serves, and a missing one names both fixes
        assert_eq!(optimize, MACHINE);
        assert_eq!(flagged, "arn:flag");
        let message = error.to_string();
        assert!(message.contains("--state-machine-arn"), "{message}");
        assert!(
            message.contains("ADSCTL_COLLECT_STATE_MACHINE_ARN"),
            "{message}"
        );
    }

    #[test]
    fn the_machine_is_named_from_a_state_machine_or_execution_arn() {
        // GIVEN / WHEN / THEN
        assert_eq!(machine_name(MACHINE), "optimize");
        assert_eq!(machine_name(EXECUTION), "optimize");
        assert_eq!(machine_name("not-an-arn"), "-");
    }
}
