//! The step over a data directory, with creative_training results written as Athena writes
//! them, for creatives drawn from the simulator's copy model.

use ads::ObjectStore;
use ads::error_names::StepError;
use bytes::Bytes;
use chrono::{TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;

const HEADER: &str = "account_id,campaign_id,creative_id,impressions,clicks,first_day,last_day,headline,\
                      description,commentary,call_to_action";

/// A creative_training result of `creatives` creatives of `account` with `impressions` each,
/// clicking at the simulator's CTR for their copy (no quality noise).
fn result(account: &str, creatives: u64, impressions: u64, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(HEADER.split(',')).unwrap();
    for id in 0..creatives {
        let copy = sim::copy::generate(&mut rng);
        let ctr = sim::copy::true_ctr(0.0045, &sim::copy::features(&copy), false, 0.0);
        let clicks = (ctr * impressions as f64).round() as u64;
        csv.write_record([
            account,
            &(seed * 100 + id / 10).to_string(),
            &(seed * 10_000 + id).to_string(),
            &impressions.to_string(),
            &clicks.to_string(),
            "2026-09-01",
            if id % 2 == 0 {
                "2026-11-29"
            } else {
                "2026-11-20"
            },
            &copy.headline,
            &copy.description,
            &copy.commentary,
            &copy.call_to_action,
        ])
        .unwrap();
    }
    String::from_utf8(csv.into_inner().unwrap()).unwrap()
}

async fn put(store: &local::DirStore, key: &str, body: String) {
    store.put(key, Bytes::from(body), "text/csv").await.unwrap();
}

fn input(keys: &[(&str, &str)]) -> Input {
    Input {
        results: keys
            .iter()
            .map(|(account, key)| AccountResult {
                account_id: (*account).to_owned(),
                result_key: (*key).to_owned(),
            })
            .collect(),
        min_impressions: None,
        min_creatives: None,
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 3, 0, 0).unwrap()
}

#[tokio::test]
async fn trains_on_every_accounts_result_and_stores_the_next_version() {
    // GIVEN three accounts' results, 80 creatives each
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    for (i, account) in ["501", "502", "503"].iter().enumerate() {
        put(
            &store,
            &format!("query-results/q{i}.csv"),
            result(account, 80, 30_000, i as u64 + 1),
        )
        .await;
    }
    let given = input(&[
        ("501", "query-results/q0.csv"),
        ("502", "query-results/q1.csv"),
        ("503", "query-results/q2.csv"),
    ]);
    // WHEN the step runs
    let output = run(given, Ports { store: &store }, now()).await.unwrap();
    // THEN version 1 is stored, learned from all 240 creatives, and (copy being all there is
    // to the CTR here) beats the baseline
    assert_eq!(output.version, 1);
    assert_eq!(output.rows, 240);
    assert_eq!(output.model_key, "models/creative_scoring/v1/model.json");
    assert!(output.beats_baseline && output.r2 > 0.5, "{output:?}");
    let metadata = scoring::ModelStore::new(&store)
        .latest_metadata()
        .await
        .unwrap();
    assert_eq!(metadata.accounts, ["501", "502", "503"]);
    assert_eq!(metadata.training_window.start.to_string(), "2026-09-01");
    assert_eq!(metadata.training_window.end.to_string(), "2026-11-29");
    assert_eq!(metadata.trained_at, now());
    assert!(store.get(&output.model_key).await.is_ok());
}

#[tokio::test]
async fn too_little_data_stores_nothing_and_says_what_to_do() {
    // GIVEN one account with 50 creatives
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    put(&store, "query-results/q.csv", result("501", 50, 30_000, 1)).await;
    // WHEN the step runs
    let error = run(
        input(&[("501", "query-results/q.csv")]),
        Ports { store: &store },
        now(),
    )
    .await
    .unwrap_err();
    // THEN it fails with the stable name and the fix, and no model is stored
    assert_eq!(error.name(), "Model.TooLittleData");
    assert!(error.to_string().contains("50 creative(s)"), "{error}");
    assert!(store.list("models/").await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_input_names_the_field_or_the_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    let ports = Ports { store: &store };
    // An empty list of results
    let error = run(input(&[]), ports, now()).await.unwrap_err();
    assert_eq!(error.name(), "Input.Invalid");
    assert!(
        error.to_string().starts_with("input results: is empty"),
        "{error}"
    );
    // A key with no result
    let error = run(input(&[("501", "query-results/none.csv")]), ports, now())
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Input.Invalid");
    assert!(
        error
            .to_string()
            .contains("no query result at query-results/none.csv"),
        "{error}"
    );
    // A result of another query
    put(
        &store,
        "query-results/other.csv",
        "creative_id,day\n1,2026-11-01\n".to_owned(),
    )
    .await;
    let error = run(input(&[("501", "query-results/other.csv")]), ports, now())
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Input.Invalid");
    assert!(
        error.to_string().contains("no column 'account_id'"),
        "{error}"
    );
    // A count that is not one
    let mut bad = result("501", 3, 30_000, 1);
    bad = bad.replacen(",30000,", ",lots,", 1);
    put(&store, "query-results/bad.csv", bad).await;
    let error = run(input(&[("501", "query-results/bad.csv")]), ports, now())
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("row 1, column impressions: 'lots'"),
        "{error}"
    );
    // Minimums that cannot work
    let mut given = input(&[("501", "query-results/bad.csv")]);
    given.min_creatives = Some(3);
    let error = run(given, ports, now()).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("input minCreatives: 3 is too few"),
        "{error}"
    );
}
