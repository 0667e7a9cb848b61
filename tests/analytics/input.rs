//! Bad input is refused by name before anything runs; an engine failure is `Query.Failed`
//! with the engine's reason.

use super::*;
use ads::error_names::StepError;
use serde_json::json;

#[tokio::test]
async fn bad_query_input_is_invalid_and_starts_nothing() {
    let w = World::new(111).await;
    let account = w.account.0.to_string();
    let end = w.end.to_string();
    let cases = [
        ("no_such_query", json!({}), "no_such_query"),
        (
            "decision_input",
            json!({"account_id": account, "end_date": end}),
            "start_date",
        ),
        (
            "decision_input",
            json!({"account_id": account, "start_date": end, "end_date": end, "extra": 1}),
            "extra",
        ),
        (
            "top_performers",
            json!({"account_id": account, "end_date": end, "min_clicks": "many"}),
            "min_clicks",
        ),
        (
            "top_performers",
            json!({"account_id": "1 OR 1=1", "end_date": end, "min_clicks": 1}),
            "account_id",
        ),
        (
            "decision_series",
            json!({"account_id": account, "start_date": "2026-13-01", "end_date": end}),
            "start_date",
        ),
    ];
    let before = w.ws.keys("query-results/").await;
    for (query, params, named) in cases {
        let Value::Object(params) = params else {
            unreachable!()
        };
        let err = start_athena_query::run(
            start_athena_query::Input {
                query: query.to_owned(),
                params,
                window: None,
            },
            &w.engine,
        )
        .await
        .unwrap_err();
        assert_eq!(err.name(), "Input.Invalid", "{query}: {err}");
        assert!(err.to_string().contains(named), "{query}: {err}");
    }
    assert_eq!(
        w.ws.keys("query-results/").await,
        before,
        "nothing was started"
    );
}

#[tokio::test]
async fn a_query_the_engine_cannot_run_is_query_failed_with_its_reason() {
    // GIVEN a curated file that is not Parquet in a partition the query reads
    let w = World::new(112).await;
    let key = format!(
        "processed/creative_daily/dt={}/account_id={}/part-0.parquet",
        w.end, w.account
    );
    w.ws.store
        .put(&key, bytes::Bytes::from_static(b"not parquet"), "x")
        .await
        .unwrap();
    let Value::Object(params) = json!({"account_id": w.account.0.to_string(),
        "start_date": w.day(3).to_string(), "end_date": w.end.to_string()})
    else {
        unreachable!()
    };
    // WHEN the decision input is queried
    let outcome = async {
        let started = start_athena_query::run(
            start_athena_query::Input {
                query: "decision_input".to_owned(),
                params,
                window: None,
            },
            &w.engine,
        )
        .await
        .map_err(|e| (e.name(), e.to_string()))?;
        poll_results::run(
            poll_results::Input {
                query_id: started.query_id,
                ..poll_results::Input::default()
            },
            &w.engine,
        )
        .await
        .map_err(|e| (e.name(), e.to_string()))
    }
    .await;
    // THEN it fails as Query.Failed, saying what the engine said
    let (name, message) = outcome.unwrap_err();
    assert_eq!(name, "Query.Failed", "{message}");
    assert!(message.to_lowercase().contains("parquet"), "{message}");
}
