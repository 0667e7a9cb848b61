//! The executor end to end, through its public API, on the worked examples of AWS's Step
//! Functions developer guide and the Amazon States Language specification
//! (https://states-language.net/spec.html). Time is a `VirtualClock`: waits and retry
//! intervals are asserted as recorded sleeps, never measured.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asl::{
    Clock, Execution, Executor, MockResponse, MockRunner, StateMachine, Status, TaskCall,
    TaskFailure, TaskRunner, VirtualClock,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

// ---- support ---------------------------------------------------------------------------

fn at(timestamp: &str) -> DateTime<Utc> {
    asl::clock::parse_timestamp(timestamp).expect("valid timestamp")
}

fn clock() -> VirtualClock {
    VirtualClock::new(at("2024-01-01T00:00:00Z"))
}

fn machine(json: &str) -> StateMachine {
    StateMachine::parse(json)
        .expect("valid definition")
        .named("Test")
}

fn types(execution: &Execution) -> Vec<&str> {
    execution
        .history
        .iter()
        .map(|e| e.r#type.as_str())
        .collect()
}

fn seconds(clock: &VirtualClock) -> Vec<f64> {
    clock.sleeps().iter().map(Duration::as_secs_f64).collect()
}

fn returns(value: Value) -> MockResponse {
    MockResponse::Return(value)
}

fn throws(error: &str, cause: &str) -> MockResponse {
    MockResponse::Throw(TaskFailure::new(error, cause))
}

/// A runner answering with a function of the call.
struct FnRunner<F>(F);

#[async_trait]
impl<F> TaskRunner for FnRunner<F>
where
    F: Fn(&TaskCall) -> Result<Value, TaskFailure> + Send + Sync,
{
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure> {
        (self.0)(call)
    }
}

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function";

// ---- input and output processing -------------------------------------------------------

#[tokio::test]
async fn hello_world_walk_through_filters_input_result_and_output() {
    // GIVEN the state machine and input of "Example: Manipulating state data with paths"
    // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html)
    let machine = machine(&format!(
        r#"{{"Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
            "StartAt": "HelloWorld",
            "States": {{"HelloWorld": {{"Type": "Task", "Resource": "{LAMBDA}:HelloFunction",
                "InputPath": "$.lambda", "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data", "End": true}}}}}}"#
    ));
    let runner = FnRunner(|call: &TaskCall| {
        Ok(json!(format!(
            "Hello, {}!",
            call.input["who"].as_str().unwrap_or("?")
        )))
    });
    let input = json!({
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"}
    });
    // WHEN it runs
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("hello", input)
        .await;
    // THEN the function saw only the lambda node and the output is the documented data node
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(
        execution.output,
        Some(json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}))
    );
}

#[tokio::test]
async fn numbers_example_inserts_the_sum_and_output_path_selects_it() {
    // GIVEN the specification's "Input/Output Processing Examples": InputPath $.numbers,
    // ResultPath $.sum, and a task returning the sum
    let add = FnRunner(|call: &TaskCall| {
        Ok(json!(
            call.input["val1"].as_i64().unwrap_or(0) + call.input["val2"].as_i64().unwrap_or(0)
        ))
    });
    let input = json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}});
    for (output_path, expected) in [
        (
            "$",
            json!({"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7}),
        ),
        ("$.sum", json!(7)),
    ] {
        let machine = machine(&format!(
            r#"{{"StartAt": "Add", "States": {{"Add": {{"Type": "Task", "Resource": "{LAMBDA}:Add",
                "InputPath": "$.numbers", "ResultPath": "$.sum", "OutputPath": "{output_path}", "End": true}}}}}}"#
        ));
        let clock = clock();
        let execution = Executor::new(&machine, &add, &clock)
            .start("add", input.clone())
            .await;
        // THEN the output is the documented one
        assert_eq!(execution.output, Some(expected));
    }
}

#[tokio::test]
async fn parameters_and_result_selector_shape_the_call_and_the_result() {
    // GIVEN the Parameters example and the ResultSelector (EMR createCluster.sync) example of
    // "Manipulate parameters in Step Functions workflows" (input-output-inputpath-params.html)
    let machine = machine(
        r#"{"StartAt": "Create Cluster", "States": {"Create Cluster": {
            "Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
            "Parameters": {"comment": "Selecting what I care about.",
                "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}},
            "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
            "ResultPath": "$.EMROutput", "OutputPath": "$['OtherDataFromInput', 'EMROutput']", "End": true}}}"#,
    );
    let runner = MockRunner::new().with(
        "elasticmapreduce:createCluster",
        [returns(json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}
        }))],
    );
    let input = json!({
        "OtherDataFromInput": {},
        "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                    "availability": "in stock", "sku": "2317", "cost": "$23"}
    });
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("emr", input)
        .await;
    // THEN the task received the documented parameters
    assert_eq!(
        runner.calls()[0].input,
        json!({"comment": "Selecting what I care about.",
               "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}})
    );
    // AND the selected result was merged at ResultPath (an indefinite OutputPath yields an array)
    assert_eq!(
        execution.output,
        Some(
            json!([{}, {"ResourceType": "elasticmapreduce", "ClusterId": "AKIAIOSFODNN7EXAMPLE"}])
        )
    );
}

#[tokio::test]
async fn pass_state_places_its_result_at_result_path() {
    // GIVEN the Pass state example (state-pass.html)
    let machine = machine(
        r#"{"StartAt": "No-op", "States": {"No-op": {"Type": "Pass",
            "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
            "ResultPath": "$.coords", "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("pass", json!({"georefOf": "Home"}))
        .await;
    assert_eq!(
        execution.output,
        Some(
            json!({"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}})
        )
    );
}

#[tokio::test]
async fn null_input_and_output_paths_give_empty_objects_and_null_result_path_keeps_input() {
    // GIVEN InputPath null (effective input {}), then ResultPath null, then OutputPath null
    let machine = machine(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "InputPath": null, "ResultPath": "$.seen", "Next": "B"},
            "B": {"Type": "Pass", "Result": "dropped", "ResultPath": null, "Next": "C"},
            "C": {"Type": "Pass", "OutputPath": null, "Next": "D"},
            "D": {"Type": "Pass", "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("nulls", json!({"x": 1}))
        .await;
    // THEN A saw {}, B kept its input, C emptied the output
    let exited = |name: &str| {
        execution
            .history
            .iter()
            .find(|e| e.r#type == "PassStateExited" && e.state_name() == Some(name))
            .map(|e| e.details["output"].clone())
    };
    assert_eq!(exited("A"), Some(json!({"x": 1, "seen": {}})));
    assert_eq!(exited("B"), Some(json!({"x": 1, "seen": {}})));
    assert_eq!(execution.output, Some(json!({})));
}

#[tokio::test]
async fn a_path_that_matches_nothing_fails_with_runtime_even_under_states_all() {
    // GIVEN a Task whose InputPath misses, with Retry and Catch on States.ALL
    let machine = machine(&format!(
        r#"{{"StartAt": "T", "States": {{
            "T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "InputPath": "$.missing", "End": true,
                  "Retry": [{{"ErrorEquals": ["States.ALL"]}}],
                  "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Caught"}}]}},
            "Caught": {{"Type": "Succeed"}}}}}}"#
    ));
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("runtime", json!({"a": 1}))
        .await;
    // THEN "A retry or catch on States.ALL will not catch States.Runtime errors"
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    assert!(
        execution
            .cause
            .as_deref()
            .is_some_and(|c| c.contains("'$.missing'"))
    );
    assert!(runner.calls().is_empty());
    assert!(clock.sleeps().is_empty());
}

// ---- Retry and Catch -------------------------------------------------------------------

#[tokio::test]
async fn retry_intervals_back_off_on_the_clock() {
    // GIVEN IntervalSeconds 3 and BackoffRate 2, and a task failing three times
    let machine = machine(&format!(
        r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "End": true,
            "Retry": [{{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3}}]}}}}}}"#
    ));
    let runner = MockRunner::new().with(
        "f",
        [
            throws("Flaky", "1"),
            throws("Flaky", "2"),
            throws("Flaky", "3"),
            returns(json!("ok")),
        ],
    );
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("backoff", json!({}))
        .await;
    // THEN it waited 3, 6 and 12 seconds and then succeeded
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(seconds(&clock), vec![3.0, 6.0, 12.0]);
    assert_eq!(runner.call_count("f"), 4);
}

#[tokio::test]
async fn max_delay_seconds_caps_the_retry_interval() {
    // GIVEN the specification's retrier with "a maximum limit of 4 seconds on the retry
    // interval": IntervalSeconds 3, MaxAttempts 2, BackoffRate 2.0, MaxDelaySeconds 4
    let machine = machine(&format!(
        r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "End": true,
            "Retry": [{{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2,
                        "BackoffRate": 2.0, "MaxDelaySeconds": 4}}]}}}}}}"#
    ));
    let runner = MockRunner::new().with("f", (0..3).map(|_| throws("States.Timeout", "slow")));
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("cap", json!({}))
        .await;
    // THEN "the Retrier will make the second attempt after 4 seconds, rather than 6 seconds"
    assert_eq!(seconds(&clock), vec![3.0, 4.0]);
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test]
async fn each_retrier_counts_its_attempts_then_the_catcher_takes_over() {
    // GIVEN the "Complex retry scenarios" state X of the error-handling page and the
    // specification: errors ErrorA, ErrorB, ErrorC, ErrorB
    let machine = machine(&format!(
        r#"{{"StartAt": "X", "States": {{
            "X": {{"Type": "Task", "Resource": "{LAMBDA}:X", "Next": "Y",
                  "Retry": [{{"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2}},
                            {{"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}}],
                  "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Z"}}]}},
            "Y": {{"Type": "Succeed"}},
            "Z": {{"Type": "Pass", "End": true}}}}}}"#
    ));
    let runner = MockRunner::new().with(
        "X",
        [
            throws("ErrorA", "a"),
            throws("ErrorB", "b"),
            throws("ErrorC", "c"),
            throws("ErrorB", "b again"),
        ],
    );
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("complex", json!({}))
        .await;
    // THEN waits of 1, 2 and 5 seconds, and the fourth error goes to Z through Catch
    assert_eq!(seconds(&clock), vec![1.0, 2.0, 5.0]);
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(
        execution.output,
        Some(json!({"Error": "ErrorB", "Cause": "b again"}))
    );
    assert!(types(&execution).contains(&"PassStateEntered"));
}

#[tokio::test]
async fn max_attempts_zero_never_retries_and_the_first_matching_catcher_wins() {
    // GIVEN a retrier that never retries States.Timeout before a States.ALL retrier, and the
    // error-handling page's two catchers (java.lang.Exception with ResultPath, then States.ALL)
    let machine = machine(&format!(
        r#"{{"StartAt": "T", "States": {{
            "T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "End": true,
                  "Retry": [{{"ErrorEquals": ["States.Timeout", "java.lang.Exception"], "MaxAttempts": 0}},
                            {{"ErrorEquals": ["States.ALL"]}}],
                  "Catch": [{{"ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info", "Next": "RecoveryState"}},
                            {{"ErrorEquals": ["States.ALL"], "Next": "EndState"}}]}},
            "RecoveryState": {{"Type": "Pass", "End": true}},
            "EndState": {{"Type": "Pass", "End": true}}}}}}"#
    ));
    let runner = MockRunner::new().with("f", [throws("java.lang.Exception", "boom")]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("catch", json!({"foo": "bar"}))
        .await;
    // THEN no retry happened and the first catcher added the error output to the input
    assert!(clock.sleeps().is_empty());
    assert_eq!(
        execution.output,
        Some(
            json!({"foo": "bar", "error-info": {"Error": "java.lang.Exception", "Cause": "boom"}})
        )
    );
    assert!(
        execution
            .history
            .iter()
            .any(|e| e.state_name() == Some("RecoveryState"))
    );
}

struct NeverAnswers;

#[async_trait]
impl TaskRunner for NeverAnswers {
    async fn invoke(&self, _call: &TaskCall) -> Result<Value, TaskFailure> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn task_failed_does_not_catch_a_timeout() {
    // GIVEN a task that never answers within its TimeoutSeconds, with a States.TaskFailed
    // catcher before a States.Timeout one
    let machine = machine(
        r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "sleep10", "Payload.$": "$"}, "TimeoutSeconds": 2, "End": true,
                  "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Failed"},
                            {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "TimedOut"}]},
            "Failed": {"Type": "Fail"},
            "TimedOut": {"Type": "Pass", "End": true}}}"#,
    );
    let clock = clock();
    let execution = Executor::new(&machine, &NeverAnswers, &clock)
        .start("slow", json!({}))
        .await;
    // THEN "States.TaskFailed ... matches any error name except for States.Timeout"
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(
        execution
            .output
            .as_ref()
            .map(|o| o["timeout"]["Error"].clone()),
        Some(json!("States.Timeout"))
    );
    assert!(types(&execution).contains(&"TaskTimedOut"));
    assert_eq!(seconds(&clock), vec![2.0]);
}

// ---- Choice ----------------------------------------------------------------------------

fn choice_machine() -> StateMachine {
    // The Choice state example of "Choice workflow state" (state-choice.html).
    machine(&format!(
        r#"{{"StartAt": "ChoiceStateX", "States": {{
            "ChoiceStateX": {{"Type": "Choice", "Choices": [
                {{"Not": {{"Variable": "$.type", "StringEquals": "Private"}}, "Next": "Public"}},
                {{"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"}},
                {{"And": [{{"Variable": "$.value", "NumericGreaterThanEquals": 20}},
                          {{"Variable": "$.value", "NumericLessThan": 30}}], "Next": "ValueInTwenties"}}],
              "Default": "DefaultState"}},
            "Public": {{"Type": "Task", "Resource": "{LAMBDA}:Foo", "Next": "NextState"}},
            "ValueIsZero": {{"Type": "Task", "Resource": "{LAMBDA}:Zero", "Next": "NextState"}},
            "ValueInTwenties": {{"Type": "Task", "Resource": "{LAMBDA}:Bar", "Next": "NextState"}},
            "DefaultState": {{"Type": "Fail", "Cause": "No Matches!"}},
            "NextState": {{"Type": "Succeed"}}}}}}"#
    ))
}

#[tokio::test]
async fn choice_rules_route_the_documented_example() {
    let machine = choice_machine();
    let runner = MockRunner::new().with("Bar", [returns(json!("twenties"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    // GIVEN {"type": "Private", "value": 22}: "Step Functions transitions to the
    // ValueInTwenties state"
    let execution = executor
        .start("twenties", json!({"type": "Private", "value": 22}))
        .await;
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(runner.calls()[0].state_name, "ValueInTwenties");
    // AND with no match the Default state fails the execution with its Cause
    let execution = executor
        .start("none", json!({"type": "Private", "value": 31}))
        .await;
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.cause.as_deref(), Some("No Matches!"));
    assert_eq!(execution.error, None);
}

#[tokio::test]
async fn no_matching_rule_without_default_fails_with_no_choice_matched() {
    let machine = machine(
        r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}]},
            "Big": {"Type": "Succeed"}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("small", json!({"n": 1}))
        .await;
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.NoChoiceMatched"));
    assert_eq!(types(&execution).last(), Some(&"ExecutionFailed"));
}

// ---- Map and Parallel ------------------------------------------------------------------

/// Holds calls until `batch` have arrived, then releases them in reverse order; records
/// the order in which they finish and how many ran at once.
struct ReverseGate {
    batch: usize,
    arrived: Mutex<Vec<tokio::sync::oneshot::Sender<()>>>,
    finished: Mutex<Vec<i64>>,
    running: AtomicUsize,
    most_running: AtomicUsize,
}

#[async_trait]
impl TaskRunner for ReverseGate {
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure> {
        let n = call.input["n"].as_i64().unwrap_or(-1);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_running.fetch_max(now, Ordering::SeqCst);
        let (release, released) = tokio::sync::oneshot::channel();
        {
            let mut arrived = self.arrived.lock().expect("lock");
            arrived.push(release);
            if arrived.len() == self.batch {
                for release in arrived.drain(..).rev() {
                    let _ = release.send(());
                }
            }
        }
        let _ = released.await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.finished.lock().expect("lock").push(n);
        Ok(json!({"n": n, "doubled": n * 2}))
    }
}

#[tokio::test]
async fn map_output_keeps_item_order_when_iterations_finish_out_of_order() {
    // GIVEN a Map over four items with MaxConcurrency 2, whose tasks finish in reverse pairs
    let machine = machine(&format!(
        r#"{{"StartAt": "Double", "States": {{"Double": {{"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "INLINE"}}, "StartAt": "D", "States": {{
                "D": {{"Type": "Task", "Resource": "{LAMBDA}:double", "End": true}}}}}},
            "ResultPath": "$.doubled", "End": true}}}}}}"#
    ));
    let gate = ReverseGate {
        batch: 2,
        arrived: Mutex::new(Vec::new()),
        finished: Mutex::new(Vec::new()),
        running: AtomicUsize::new(0),
        most_running: AtomicUsize::new(0),
    };
    let items = json!([{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}]);
    let clock = clock();
    let execution = Executor::new(&machine, &gate, &clock)
        .start("map", json!({"items": items}))
        .await;
    // THEN the iterations finished out of order, never more than two at once
    assert_eq!(*gate.finished.lock().expect("lock"), vec![1, 0, 3, 2]);
    assert_eq!(gate.most_running.load(Ordering::SeqCst), 2);
    // AND "the output of the Map state is a JSON array where each item is the output of an
    // iteration", in item order
    let doubled: Vec<Value> = (0..4).map(|n| json!({"n": n, "doubled": n * 2})).collect();
    assert_eq!(
        execution.output,
        Some(json!({"items": items, "doubled": doubled}))
    );
    let events = types(&execution);
    assert_eq!(
        events
            .iter()
            .filter(|t| **t == "MapIterationSucceeded")
            .count(),
        4
    );
    assert_eq!(events[1..3], ["MapStateEntered", "MapStateStarted"]);
    assert_eq!(
        events[events.len() - 3..],
        ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
    );
}

#[tokio::test]
async fn map_parameters_read_the_context_item_index_and_value() {
    // GIVEN the "Context object data for Map states" example (input-output-contextobject.html)
    let machine = machine(
        r#"{"StartAt": "ExampleMapState", "States": {"ExampleMapState": {"Type": "Map",
            "Parameters": {"ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value"},
            "Iterator": {"StartAt": "TestPass", "States": {"TestPass": {"Type": "Pass", "End": true}}},
            "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start(
            "context",
            json!([{"who": "bob"}, {"who": "meg"}, {"who": "joe"}]),
        )
        .await;
    // THEN the documented output
    assert_eq!(
        execution.output,
        Some(json!([
            {"ContextIndex": 0, "ContextValue": {"who": "bob"}},
            {"ContextIndex": 1, "ContextValue": {"who": "meg"}},
            {"ContextIndex": 2, "ContextValue": {"who": "joe"}}
        ]))
    );
}

#[tokio::test]
async fn map_item_selector_combines_the_item_with_the_map_input() {
    // GIVEN the "Map state example with parameters" of the Map state page: InputPath,
    // ItemsPath, Parameters with $$.Map.Item.Value and $.delivery-partner, ResultPath
    let machine = machine(&format!(
        r#"{{"StartAt": "Validate-All", "States": {{"Validate-All": {{"Type": "Map",
            "InputPath": "$.detail", "ItemsPath": "$.shipped", "MaxConcurrency": 0,
            "ResultPath": "$.detail.shipped",
            "ItemSelector": {{"parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner"}},
            "ItemProcessor": {{"StartAt": "Validate", "States": {{
                "Validate": {{"Type": "Task", "Resource": "{LAMBDA}:ship-val", "End": true}}}}}},
            "End": true}}}}}}"#
    ));
    let runner = FnRunner(|call: &TaskCall| Ok(json!({"valid": call.input["parcel"]["prod"]})));
    let input = json!({
        "ship-date": "2016-03-14T01:59:00Z",
        "detail": {"delivery-partner": "UQS", "shipped": [
            {"prod": "R31", "dest-code": 9511, "quantity": 1344},
            {"prod": "S39", "dest-code": 9511, "quantity": 40}
        ]}
    });
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("ship", input)
        .await;
    // THEN "the ResultPath field produces output the same as the input, but with the
    // detail.shipped field overwritten by an array" of the iterations' outputs. (ResultPath
    // applies to the Map's raw input, which InputPath narrowed only for the iterations.)
    assert_eq!(
        execution.output,
        Some(json!({
            "ship-date": "2016-03-14T01:59:00Z",
            "detail": {"delivery-partner": "UQS", "shipped": [{"valid": "R31"}, {"valid": "S39"}]}
        }))
    );
}

struct SlowAdd;

#[async_trait]
impl TaskRunner for SlowAdd {
    async fn invoke(&self, call: &TaskCall) -> Result<Value, TaskFailure> {
        let (a, b) = (
            call.input[0].as_i64().unwrap_or(0),
            call.input[1].as_i64().unwrap_or(0),
        );
        if call.function == "Add" {
            // Let the other branch finish first.
            for _ in 0..5 {
                tokio::task::yield_now().await;
            }
            Ok(json!(a + b))
        } else {
            Ok(json!(a - b))
        }
    }
}

#[tokio::test]
async fn parallel_output_is_in_branch_order() {
    // GIVEN the FunWithMath example of "Parallel workflow state" with input [3, 2], whose
    // first branch finishes last
    let machine = machine(
        r#"{"StartAt": "FunWithMath", "States": {"FunWithMath": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Add", "States": {"Add": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Add", "End": true}}},
            {"StartAt": "Subtract", "States": {"Subtract": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Subtract", "End": true}}}]}}}"#,
    );
    let clock = clock();
    let execution = Executor::new(&machine, &SlowAdd, &clock)
        .start("math", json!([3, 2]))
        .await;
    // THEN "the output of the Parallel state would be an array": [ 5, 1 ]
    assert_eq!(execution.output, Some(json!([5, 1])));
    let succeeded: Vec<&str> = execution
        .history
        .iter()
        .filter(|e| e.r#type == "ActivitySucceeded")
        .map(|e| {
            if e.details["output"] == json!(1) {
                "Subtract"
            } else {
                "Add"
            }
        })
        .collect();
    assert_eq!(succeeded, ["Subtract", "Add"]);
}

#[tokio::test]
async fn a_failing_branch_fails_the_parallel_with_its_error_for_catch() {
    // GIVEN a Parallel whose second branch reaches a Fail state
    let machine = machine(
        r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "Done", "Branches": [
                    {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Branch.Broke", "Cause": "no"}}}],
                  "Catch": [{"ErrorEquals": ["Branch.Broke"], "ResultPath": "$.failure", "Next": "Handled"}]},
            "Done": {"Type": "Succeed"},
            "Handled": {"Type": "Succeed"}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("p", json!({"a": 1}))
        .await;
    // THEN the catcher sees the branch's error and the state input is kept
    assert_eq!(
        execution.output,
        Some(json!({"a": 1, "failure": {"Error": "Branch.Broke", "Cause": "no"}}))
    );
    assert!(types(&execution).contains(&"ParallelStateFailed"));
}

// ---- Wait and Fail ---------------------------------------------------------------------

#[tokio::test]
async fn wait_sleeps_for_each_of_its_four_fields() {
    // GIVEN Waits by Seconds, SecondsPath, Timestamp and TimestampPath (state-wait.html uses
    // Seconds 10 and "expirydate": "2016-03-14T01:59:00Z")
    let machine = machine(
        r#"{"StartAt": "Seconds", "States": {
            "Seconds": {"Type": "Wait", "Seconds": 10, "Next": "SecondsPath"},
            "SecondsPath": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Timestamp"},
            "Timestamp": {"Type": "Wait", "Timestamp": "2016-03-14T01:30:00Z", "Next": "TimestampPath"},
            "TimestampPath": {"Type": "Wait", "TimestampPath": "$.expirydate", "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = VirtualClock::new(at("2016-03-14T01:00:00Z"));
    let input = json!({"delay": 5, "expirydate": "2016-03-14T01:59:00Z"});
    let execution = Executor::new(&machine, &runner, &clock)
        .start("waits", input.clone())
        .await;
    // THEN it slept 10 s, 5 s, until 01:30 and until 01:59, passing its input through
    assert_eq!(
        seconds(&clock),
        vec![10.0, 5.0, 29.0 * 60.0 + 45.0, 29.0 * 60.0]
    );
    assert_eq!(clock.now(), at("2016-03-14T01:59:00Z"));
    assert_eq!(execution.output, Some(input));
}

#[tokio::test]
async fn a_timestamp_in_the_past_does_not_wait_and_a_bad_seconds_path_is_a_runtime_error() {
    let machine = machine(
        r#"{"StartAt": "Past", "States": {
            "Past": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "Next": "Bad"},
            "Bad": {"Type": "Wait", "SecondsPath": "$.delay", "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("w", json!({"delay": "soon"}))
        .await;
    assert!(clock.sleeps().is_empty());
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
}

#[tokio::test]
async fn fail_takes_error_and_cause_from_paths_and_intrinsics() {
    // GIVEN the Fail state definitions of "Fail workflow state" (state-fail.html)
    let input = json!({"Error": "ErrorA", "Cause": "Invalid response."});
    for (fields, error, cause) in [
        (
            r#""CausePath": "$.Cause", "ErrorPath": "$.Error""#,
            "ErrorA",
            "Invalid response.",
        ),
        (
            r#""CausePath": "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)", "ErrorPath": "States.Format('{}', $.Error)""#,
            "ErrorA",
            "This is a custom error message for ErrorA, caused by Invalid response..",
        ),
        (
            r#""Cause": "Invalid response.", "Error": "ErrorA""#,
            "ErrorA",
            "Invalid response.",
        ),
    ] {
        let machine = machine(&format!(
            r#"{{"StartAt": "FailState", "States": {{"FailState": {{"Type": "Fail", {fields}}}}}}}"#
        ));
        let runner = MockRunner::new();
        let clock = clock();
        let execution = Executor::new(&machine, &runner, &clock)
            .start("fail", input.clone())
            .await;
        // THEN the execution fails with them
        assert_eq!(execution.status, Status::Failed);
        assert_eq!(execution.error.as_deref(), Some(error));
        assert_eq!(execution.cause.as_deref(), Some(cause));
        assert_eq!(
            types(&execution),
            ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
        );
    }
}

// ---- the context object ----------------------------------------------------------------

#[tokio::test]
async fn the_context_object_describes_the_execution_state_and_retries() {
    // GIVEN the "access the execution start time and name in a Pass state" example
    // (input-output-contextobject.html), then a Task that reads its own retry count
    let machine = machine(&format!(
        r#"{{"StartAt": "Get execution context data", "States": {{
            "Get execution context data": {{"Type": "Pass",
                "Parameters": {{"startTime.$": "$$.Execution.StartTime", "execName.$": "$$.Execution.Name",
                               "id.$": "$$.Execution.Id", "machine.$": "$$.StateMachine.Name",
                               "state.$": "$$.State.Name", "input.$": "$$.Execution.Input"}},
                "ResultPath": "$.executionContext", "Next": "Count"}},
            "Count": {{"Type": "Task", "Resource": "{LAMBDA}:count",
                "Parameters": {{"retries.$": "$$.State.RetryCount", "redrives.$": "$$.Execution.RedriveCount"}},
                "Retry": [{{"ErrorEquals": ["Again"]}}], "ResultPath": "$.count", "End": true}}}}}}"#
    ));
    let runner = MockRunner::new().with("count", [throws("Again", ""), returns(json!("counted"))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("ctx-run", json!({"k": "v"}))
        .await;
    let output = execution.output.expect("succeeded");
    assert_eq!(
        output["executionContext"],
        json!({
            "startTime": "2024-01-01T00:00:00.000Z",
            "execName": "ctx-run",
            "id": "arn:aws:states:local:000000000000:execution:Test:ctx-run",
            "machine": "Test",
            "state": "Get execution context data",
            "input": {"k": "v"}
        })
    );
    let calls = runner.calls();
    assert_eq!(calls[0].input, json!({"retries": 0, "redrives": 0}));
    assert_eq!(calls[1].input, json!({"retries": 1, "redrives": 0}));
}

// ---- history ---------------------------------------------------------------------------

#[tokio::test]
async fn history_of_task_choice_succeed_follows_the_aws_event_order() {
    // GIVEN a lambda:invoke Task, a Choice and a Succeed
    let machine = machine(
        r#"{"StartAt": "Fetch", "States": {
            "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Parameters": {"FunctionName": "fetch-token", "Payload.$": "$"},
                      "ResultSelector": {"ok.$": "$.Payload.ok"}, "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}]},
            "Done": {"Type": "Succeed"}}}"#,
    );
    let runner = MockRunner::new().with("fetch-token", [returns(json!({"ok": true}))]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("h", json!({}))
        .await;
    // THEN the events are those GetExecutionHistory shows, in its order
    assert_eq!(
        types(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded",
        ]
    );
    let ids: Vec<(u64, u64)> = execution
        .history
        .iter()
        .map(|e| (e.id, e.previous_event_id))
        .collect();
    assert_eq!(ids, (1..=11).map(|id| (id, id - 1)).collect::<Vec<_>>());
    let scheduled = &execution.history[2].details;
    assert_eq!(scheduled["resourceType"], "lambda");
    assert_eq!(scheduled["resource"], "invoke");
    assert_eq!(
        scheduled["parameters"],
        json!({"FunctionName": "fetch-token", "Payload": {}})
    );
    assert_eq!(
        execution.history[4].details["output"],
        json!({"ExecutedVersion": "$LATEST", "Payload": {"ok": true}, "StatusCode": 200})
    );
    assert_eq!(
        execution.history[5].details,
        json!({"name": "Fetch", "output": {"ok": true}})
    );
}

#[tokio::test]
async fn a_lambda_arn_resource_records_lambda_function_events() {
    let machine = machine(&format!(
        r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "End": true}}}}}}"#
    ));
    let runner = MockRunner::new().with("f", [throws("Boom", "bad")]);
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("l", json!({}))
        .await;
    assert_eq!(
        types(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(execution.error.as_deref(), Some("Boom"));
}

// ---- redrive ---------------------------------------------------------------------------

fn two_tasks() -> StateMachine {
    machine(&format!(
        r#"{{"StartAt": "First", "States": {{
            "First": {{"Type": "Task", "Resource": "{LAMBDA}:first", "ResultPath": "$.first", "Next": "Second"}},
            "Second": {{"Type": "Task", "Resource": "{LAMBDA}:second", "ResultPath": "$.second", "End": true}}}}}}"#
    ))
}

#[tokio::test]
async fn redrive_reruns_the_failed_task_but_not_the_succeeded_one() {
    // GIVEN an execution whose second Task failed once
    let machine = two_tasks();
    let runner = MockRunner::new().with("first", [returns(json!(1))]).with(
        "second",
        [throws("Apply.Failed", "injected"), returns(json!(2))],
    );
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let failed = executor.start("r", json!({"x": 0})).await;
    assert_eq!(failed.status, Status::Failed);
    // WHEN it is saved, read back (as another process would) and redriven
    let saved = serde_json::to_string(&failed).expect("serializes");
    let restored: Execution = serde_json::from_str(&saved).expect("deserializes");
    let redriven = executor.redrive(restored).await.expect("redrivable");
    // THEN it succeeds without calling the first Task again
    assert_eq!(redriven.status, Status::Succeeded);
    assert_eq!(
        redriven.output,
        Some(json!({"x": 0, "first": 1, "second": 2}))
    );
    assert_eq!(runner.call_count("first"), 1);
    assert_eq!(runner.call_count("second"), 2);
    assert_eq!(runner.calls()[2].input, json!({"x": 0, "first": 1}));
    // AND the history keeps the first attempt and records the redrive
    assert_eq!(redriven.redrive_count, 1);
    let events = types(&redriven);
    let redrive_at = events
        .iter()
        .position(|t| *t == "ExecutionRedriven")
        .expect("redriven event");
    assert_eq!(events[..redrive_at].last(), Some(&"ExecutionFailed"));
    assert_eq!(
        events[redrive_at..],
        [
            "ExecutionRedriven",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        redriven.history[redrive_at].details,
        json!({"redriveCount": 1})
    );
}

#[tokio::test]
async fn redrive_of_a_map_reruns_only_the_failed_iterations() {
    // GIVEN a Map whose second iteration failed
    let machine = machine(&format!(
        r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {{"StartAt": "Apply", "States": {{
                "Apply": {{"Type": "Task", "Resource": "{LAMBDA}:apply", "End": true}}}}}}}}}}}}"#
    ));
    let runner = MockRunner::new().with(
        "apply",
        [
            returns(json!("a")),
            throws("Apply.Failed", "x"),
            returns(json!("b")),
            returns(json!("c")),
        ],
    );
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let failed = executor.start("m", json!([1, 2, 3])).await;
    assert_eq!(failed.status, Status::Failed);
    assert_eq!(runner.call_count("apply"), 2);
    // WHEN redriven
    let redriven = executor.redrive(failed).await.expect("redrivable");
    // THEN the first item is not applied again, and the output keeps item order
    assert_eq!(redriven.status, Status::Succeeded);
    assert_eq!(redriven.output, Some(json!(["a", "b", "c"])));
    let inputs: Vec<Value> = runner.calls().iter().map(|c| c.input.clone()).collect();
    assert_eq!(inputs, [json!(1), json!(2), json!(2), json!(3)]);
}

#[tokio::test]
async fn redrive_refuses_an_execution_that_succeeded() {
    let machine = machine(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#);
    let runner = MockRunner::new();
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let done = executor.start("ok", json!({})).await;
    let error = executor.redrive(done).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("SUCCEEDED and cannot be redriven"),
        "{error}"
    );
}

// ---- task tokens -----------------------------------------------------------------------

fn approval_machine() -> StateMachine {
    machine(
        r#"{"StartAt": "Approve", "States": {
            "Approve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "${Report}", "Payload": {"token.$": "$$.Task.Token", "plan.$": "$.plan"}},
                "TimeoutSeconds": 3600, "ResultPath": "$.approval", "Next": "Apply",
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Expired"},
                          {"ErrorEquals": ["Approval.Rejected"], "Next": "Rejected"}]},
            "Apply": {"Type": "Succeed"},
            "Expired": {"Type": "Pass", "End": true},
            "Rejected": {"Type": "Fail", "Error": "Rejected"}}}"#,
    )
}

#[tokio::test]
async fn wait_for_task_token_suspends_until_send_task_success() {
    // GIVEN a callback task that sends the token through the report function
    let machine = approval_machine();
    let runner = MockRunner::new().with("Report", [returns(json!("sent"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    // WHEN it starts
    let waiting = executor.start("approve", json!({"plan": "pause"})).await;
    // THEN it is RUNNING with the token the function received
    assert_eq!(waiting.status, Status::Running);
    let pending = waiting.pending_callbacks();
    assert_eq!(pending.len(), 1);
    let token = pending[0].token.clone();
    assert_eq!(
        runner.calls()[0].input,
        json!({"token": token, "plan": "pause"})
    );
    assert_eq!(
        runner.calls()[0].task_token.as_deref(),
        Some(token.as_str())
    );
    assert_eq!(
        types(&waiting)[1..],
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted"
        ]
    );
    // WHEN the approval arrives, even in another process
    let restored: Execution =
        serde_json::from_str(&serde_json::to_string(&waiting).expect("serializes"))
            .expect("deserializes");
    let done = executor
        .send_task_success(restored, &token, json!({"approved": true}))
        .await
        .expect("accepted");
    // THEN the output goes through ResultPath and the execution succeeds
    assert_eq!(done.status, Status::Succeeded);
    assert_eq!(
        done.output,
        Some(json!({"plan": "pause", "approval": {"approved": true}}))
    );
    assert!(types(&done).ends_with(&[
        "TaskSucceeded",
        "TaskStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded"
    ]));
}

#[tokio::test]
async fn a_callback_after_timeout_seconds_is_a_caught_timeout() {
    let machine = approval_machine();
    let runner = MockRunner::new().with("Report", [returns(json!("sent"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("late", json!({"plan": "pause"})).await;
    let token = waiting.pending_callbacks()[0].token.clone();
    // WHEN the approval comes two hours later, past TimeoutSeconds 3600
    clock.advance(Duration::from_secs(7200));
    let done = executor
        .send_task_success(waiting, &token, json!({"approved": true}))
        .await
        .expect("accepted");
    // THEN the Task timed out and the States.Timeout catcher took it
    assert_eq!(done.status, Status::Succeeded);
    assert_eq!(
        done.output.as_ref().map(|o| o["timeout"]["Error"].clone()),
        Some(json!("States.Timeout"))
    );
    assert!(types(&done).contains(&"TaskTimedOut"));
}

#[tokio::test]
async fn an_unanswered_callback_times_out_when_resumed_after_timeout_seconds() {
    let machine = approval_machine();
    let runner = MockRunner::new().with("Report", [returns(json!("sent"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("unanswered", json!({"plan": "pause"})).await;
    // WHEN resumed while still within TimeoutSeconds
    clock.advance(Duration::from_secs(600));
    let still = executor.resume(waiting).await;
    // THEN nothing changes
    assert_eq!(still.status, Status::Running);
    assert_eq!(still.pending_callbacks().len(), 1);
    assert_eq!(types(&still).last(), Some(&"TaskSubmitted"));
    // WHEN resumed after it
    clock.advance(Duration::from_secs(3600));
    let expired = executor.resume(still).await;
    // THEN the wait timed out and was caught
    assert_eq!(expired.status, Status::Succeeded);
    assert!(expired.pending_callbacks().is_empty());
    assert_eq!(
        expired
            .output
            .as_ref()
            .map(|o| o["timeout"]["Error"].clone()),
        Some(json!("States.Timeout"))
    );
}

#[tokio::test]
async fn send_task_failure_goes_through_catch_and_unknown_tokens_are_refused() {
    let machine = approval_machine();
    let runner = MockRunner::new().with("Report", [returns(json!("sent"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("reject", json!({"plan": "pause"})).await;
    let token = waiting.pending_callbacks()[0].token.clone();
    let refused = executor
        .send_task_success(waiting.clone(), "not-a-token", json!({}))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("not-a-token"));
    let done = executor
        .send_task_failure(waiting, &token, "Approval.Rejected", "a person said no")
        .await
        .expect("accepted");
    assert_eq!(done.status, Status::Failed);
    assert_eq!(done.error.as_deref(), Some("Rejected"));
    let again = executor
        .send_task_success(done, &token, json!({}))
        .await
        .unwrap_err();
    assert!(again.to_string().contains("FAILED, not RUNNING"), "{again}");
}

#[tokio::test]
async fn parallel_callbacks_wait_for_every_token() {
    // GIVEN two branches that each wait for a token
    let branch = |name: &str| {
        format!(
            r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {{"FunctionName": "ask", "Payload": {{"who": "{name}", "token.$": "$$.Task.Token"}}}},
                "End": true}}}}}}"#
        )
    };
    let machine = machine(&format!(
        r#"{{"StartAt": "Both", "States": {{"Both": {{"Type": "Parallel", "End": true,
            "Branches": [{}, {}]}}}}}}"#,
        branch("Alice"),
        branch("Bob")
    ));
    let runner = MockRunner::new().with("ask", [returns(json!("asked")), returns(json!("asked"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let waiting = executor.start("both", json!({})).await;
    let pending = waiting.pending_callbacks();
    assert_eq!(pending.len(), 2);
    let token_of = |state: &str| {
        pending
            .iter()
            .find(|p| p.state_name == state)
            .map(|p| p.token.clone())
            .expect("pending")
    };
    // WHEN Bob answers first
    let half = executor
        .send_task_success(waiting.clone(), &token_of("Bob"), json!("bob says yes"))
        .await
        .expect("accepted");
    // THEN the execution still waits for Alice only
    assert_eq!(half.status, Status::Running);
    assert_eq!(half.pending_callbacks().len(), 1);
    // AND once Alice answers, the output is in branch order
    let done = executor
        .send_task_success(half, &token_of("Alice"), json!("alice says yes"))
        .await
        .expect("accepted");
    assert_eq!(done.status, Status::Succeeded);
    assert_eq!(done.output, Some(json!(["alice says yes", "bob says yes"])));
}

#[tokio::test]
async fn a_timed_out_execution_can_be_redriven() {
    let machine = machine(&format!(
        r#"{{"TimeoutSeconds": 60, "StartAt": "W", "States": {{
            "W": {{"Type": "Wait", "Seconds": 30, "Next": "T"}},
            "T": {{"Type": "Task", "Resource": "{LAMBDA}:f", "End": true,
                  "Retry": [{{"ErrorEquals": ["Busy"], "IntervalSeconds": 40}}]}}}}}}"#
    ));
    let runner = MockRunner::new().with("f", [throws("Busy", ""), returns(json!("done"))]);
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    // GIVEN an execution that timed out while waiting to retry
    let timed_out = executor.start("t", json!({})).await;
    assert_eq!(timed_out.status, Status::TimedOut);
    // WHEN redriven (which gives it its TimeoutSeconds again)
    let redriven = executor.redrive(timed_out).await.expect("redrivable");
    // THEN the Task runs again and the Wait before it does not
    assert_eq!(redriven.status, Status::Succeeded);
    assert_eq!(seconds(&clock), vec![30.0, 30.0]);
    assert_eq!(redriven.output, Some(json!("done")));
}

#[tokio::test]
async fn an_observer_sees_every_event_as_it_is_recorded() {
    let machine = two_tasks();
    let runner = MockRunner::new()
        .with("first", [returns(json!(1))])
        .with("second", [returns(json!(2))]);
    let clock = clock();
    let seen = Mutex::new(Vec::new());
    let observer =
        |event: &asl::HistoryEvent| seen.lock().expect("lock").push(event.r#type.clone());
    let execution = Executor::new(&machine, &runner, &clock)
        .observe(&observer)
        .start("watched", json!({}))
        .await;
    assert_eq!(*seen.lock().expect("lock"), types(&execution));
}

// ---- execution timeout, mocks, Send ----------------------------------------------------

#[tokio::test]
async fn execution_timeout_seconds_times_the_execution_out() {
    // GIVEN a state machine TimeoutSeconds of 60 and a Wait of 120 s
    let machine = machine(
        r#"{"TimeoutSeconds": 60, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 120, "End": true}}}"#,
    );
    let runner = MockRunner::new();
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("slow", json!({}))
        .await;
    // THEN it stops at the deadline, TIMED_OUT with States.Timeout
    assert_eq!(execution.status, Status::TimedOut);
    assert_eq!(execution.error.as_deref(), Some("States.Timeout"));
    assert_eq!(seconds(&clock), vec![60.0]);
    assert_eq!(types(&execution).last(), Some(&"ExecutionTimedOut"));
}

#[tokio::test]
async fn mocks_run_out_with_a_clear_failure() {
    // GIVEN a mocks file with one response for a function called twice
    let machine = machine(&format!(
        r#"{{"StartAt": "A", "States": {{
            "A": {{"Type": "Task", "Resource": "{LAMBDA}:collect", "Next": "B"}},
            "B": {{"Type": "Task", "Resource": "{LAMBDA}:collect", "End": true}}}}}}"#
    ));
    let runner = MockRunner::parse(r#"{"collect": [{"return": {"rows": 1}}]}"#).expect("mocks");
    let clock = clock();
    let execution = Executor::new(&machine, &runner, &clock)
        .start("mocks", json!({}))
        .await;
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("Mocks.NoResponseLeft"));
    assert_eq!(
        execution.cause.as_deref(),
        Some("mocks: no response left for collect (call 2)")
    );
}

#[tokio::test]
async fn executions_can_run_on_spawned_tasks() {
    fn assert_send<T: Send>(_: &T) {}
    let machine = two_tasks();
    let runner = MockRunner::new();
    let clock = clock();
    let executor = Executor::new(&machine, &runner, &clock);
    let future = executor.start("send", json!({}));
    assert_send(&future);
    assert_eq!(future.await.status, Status::Failed);
}
