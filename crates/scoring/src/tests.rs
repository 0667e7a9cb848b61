//! Training, storing and loading models on creatives drawn from the simulator's copy model.

use ads::error_names::StepError;
use ads::{AdCopy, ObjectStore};
use bytes::Bytes;
use chrono::{NaiveDate, TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, Poisson};

use super::*;

/// `accounts` × `per_account` creatives with the simulator's copy and CTR model (quality
/// noise included) and `impressions` each; `copy_matters: false` draws CTRs that ignore
/// the copy.
fn creatives(
    accounts: u64,
    per_account: u64,
    impressions: f64,
    copy_matters: bool,
) -> Vec<Example> {
    let mut rng = StdRng::seed_from_u64(7);
    let quality = Normal::new(0.0, 0.3).unwrap();
    let mut examples = Vec::new();
    for account in 0..accounts {
        for i in 0..per_account {
            // Campaigns differ in their level, which copy cannot explain.
            let median = 0.0045 * (1.0 + 0.1 * ((account * 7 + i / 10) % 5) as f64 - 0.2);
            let copy = sim::copy::generate(&mut rng);
            let features = sim::copy::features(&copy);
            let epsilon = quality.sample(&mut rng);
            let ctr = if copy_matters {
                sim::copy::true_ctr(median, &features, false, epsilon)
            } else {
                median * (epsilon * 1.3).exp()
            };
            let clicks = Poisson::new(ctr * impressions).unwrap().sample(&mut rng);
            examples.push(Example {
                account_id: format!("50{account}"),
                campaign_id: account * 100 + i / 10,
                creative_id: account * 1_000 + i,
                impressions,
                clicks,
                copy: AdCopy {
                    commentary: Some(copy.commentary),
                    headline: Some(copy.headline),
                    description: Some(copy.description),
                    landing_page: None,
                    call_to_action: Some(copy.call_to_action),
                },
            });
        }
    }
    examples
}

fn window() -> TrainingWindow {
    TrainingWindow {
        start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
    }
}

async fn train_and_save(
    store: &local::DirStore,
    examples: &[Example],
) -> Result<Metadata, ScoringError> {
    let settings = TrainingSettings::default();
    let trained = train(examples, &settings)?;
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 3, 0, 0).unwrap();
    ModelStore::new(store)
        .save(trained, &settings, window(), at)
        .await
}

#[test]
fn a_forest_trained_on_simulated_copy_beats_the_mean_baseline() {
    // GIVEN 1,000 simulated creatives whose CTR follows their copy, with quality noise
    let examples = creatives(10, 100, 20_000.0, true);
    // WHEN a model is trained with the seed's settings
    let trained = train(&examples, &TrainingSettings::default()).unwrap();
    // THEN about a fifth is held out, and on it the model beats the mean baseline
    assert_eq!(trained.rows, 1_000);
    assert!(
        (150..250).contains(&trained.test_rows),
        "{}",
        trained.test_rows
    );
    let m = &trained.metrics;
    assert!(m.beats_baseline && m.confidence >= 0.95, "{m:?}");
    assert!(m.r2 > 0.1, "R² {} (baseline {})", m.r2, m.baseline_r2);
    assert!(m.baseline_r2 <= 0.0 + 1e-9, "{m:?}");
    // AND shouting, the simulator's largest copy effect, is among the most important
    let top: Vec<&str> = trained.importances[..5]
        .iter()
        .map(|i| i.feature.as_str())
        .collect();
    assert!(top.iter().any(|f| f.contains("uppercase_ratio")), "{top:?}");
    // AND the 80% interval of the residuals brackets zero
    assert!(trained.residuals.p10 < 0.0 && trained.residuals.p90 > 0.0);
}

#[test]
fn copy_that_does_not_matter_does_not_beat_the_baseline() {
    // GIVEN creatives whose CTR has nothing to do with their copy
    let examples = creatives(10, 100, 20_000.0, false);
    // WHEN a model is trained
    let trained = train(&examples, &TrainingSettings::default()).unwrap();
    // THEN it does not beat the mean on held-out creatives, and says so
    assert!(!trained.metrics.beats_baseline, "{:?}", trained.metrics);
    assert!(trained.metrics.confidence < 0.95, "{:?}", trained.metrics);
}

#[tokio::test]
async fn versions_are_kept_and_the_latest_predicts_with_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    let examples = creatives(5, 60, 20_000.0, true);
    // WHEN two models are trained
    let first = train_and_save(&store, &examples).await.unwrap();
    let second = train_and_save(&store, &examples).await.unwrap();
    // THEN both versions are kept, with what they learned from
    let models = ModelStore::new(&store);
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!(models.versions().await.unwrap(), vec![1, 2]);
    assert_eq!(second.rows, 300);
    assert_eq!(second.accounts.len(), 5);
    assert_eq!(second.training_window, window());
    assert_eq!(second.features.len(), features::NAMES.len());
    // AND the latest is loaded and ranks good copy above shouting copy
    let scorer = models.latest().await.unwrap();
    assert_eq!(scorer.metadata.version, 2);
    let good = AdCopy {
        headline: Some("Free 2026 data checklist: cut onboarding time 30%".to_owned()),
        commentary: Some("Is onboarding slow? Here is what the top 10% do today.".to_owned()),
        description: Some("Download the guide".to_owned()),
        call_to_action: Some("DOWNLOAD".to_owned()),
        landing_page: None,
    };
    let shouting = AdCopy {
        headline: Some("ONBOARDING IS BROKEN. FIX IT NOW".to_owned()),
        commentary: Some("DON'T GET LEFT BEHIND!".to_owned()),
        description: Some("Webinar on demand".to_owned()),
        call_to_action: Some("REQUEST_DEMO".to_owned()),
        landing_page: None,
    };
    let predictions = scorer.predict(&[&good, &shouting]).unwrap();
    assert!(
        predictions[0].ctr(0.0045) > predictions[1].ctr(0.0045),
        "{predictions:?}"
    );
    let (low, high) = predictions[0].interval(0.0045);
    assert!(low < predictions[0].ctr(0.0045) && predictions[0].ctr(0.0045) < high);
}

#[tokio::test]
async fn too_little_data_fails_clearly_and_keeps_the_previous_model() {
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    train_and_save(&store, &creatives(5, 60, 20_000.0, true))
        .await
        .unwrap();
    // GIVEN 90 creatives with enough impressions and 100 without
    let mut few = creatives(1, 90, 20_000.0, true);
    few.extend(creatives(2, 50, 500.0, true).into_iter().map(|mut e| {
        e.account_id = "other".to_owned();
        e
    }));
    // WHEN a model is trained on them
    let error = train_and_save(&store, &few).await.unwrap_err();
    // THEN the error is named, counts what it found and says what to do
    assert_eq!(error.name(), "Model.TooLittleData");
    let message = error.to_string();
    assert!(
        message.contains("90 creative(s) have at least 1000 impressions"),
        "{message}"
    );
    assert!(
        message.contains("100 are needed") && message.contains("windowDays"),
        "{message}"
    );
    // AND the previous model is still the latest
    let models = ModelStore::new(&store);
    assert_eq!(models.versions().await.unwrap(), vec![1]);
    assert_eq!(models.latest().await.unwrap().metadata.version, 1);
}

#[tokio::test]
async fn a_corrupt_or_foreign_model_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    let models = ModelStore::new(&store);
    // GIVEN no model: the error says how to train one
    let none = models.latest().await.unwrap_err();
    assert_eq!(none.name(), "Model.NotFound");
    assert!(none.to_string().contains("adsctl model train"), "{none}");
    train_and_save(&store, &creatives(5, 60, 20_000.0, true))
        .await
        .unwrap();
    let model_key = artifact::key(1, "model.json");
    let original = store.get(&model_key).await.unwrap();

    // WHEN the model file is truncated
    let truncated = Bytes::copy_from_slice(&original[..original.len() / 2]);
    store
        .put(&model_key, truncated, "application/json")
        .await
        .unwrap();
    // THEN it is refused, naming the file and the checksum
    let error = models.latest().await.unwrap_err();
    assert_eq!(error.name(), "Model.Corrupt");
    assert!(
        error.to_string().contains(&model_key) && error.to_string().contains("SHA-256"),
        "{error}"
    );

    // WHEN the model is intact but its metadata names other features
    store
        .put(&model_key, original, "application/json")
        .await
        .unwrap();
    let metadata_key = artifact::key(1, "metadata.json");
    let mut metadata: serde_json::Value =
        serde_json::from_slice(&store.get(&metadata_key).await.unwrap()).unwrap();
    metadata["features"][0] = serde_json::json!("emoji_count");
    let body = Bytes::from(serde_json::to_vec(&metadata).unwrap());
    store
        .put(&metadata_key, body, "application/json")
        .await
        .unwrap();
    // THEN it is refused too
    let error = models.latest().await.unwrap_err();
    assert!(error.to_string().contains("emoji_count"), "{error}");

    // WHEN the metadata is not JSON
    store
        .put(
            &metadata_key,
            Bytes::from_static(b"{\"version\": 1,"),
            "application/json",
        )
        .await
        .unwrap();
    let error = models.latest().await.unwrap_err();
    assert_eq!(error.name(), "Model.Corrupt");
    assert!(error.to_string().contains(&metadata_key), "{error}");
}

#[test]
fn the_split_is_by_creative_and_stable() {
    // GIVEN the same creatives twice, in another order
    let examples = creatives(3, 60, 20_000.0, true);
    let mut reversed = examples.clone();
    reversed.reverse();
    // WHEN trained twice
    let a = train(&examples, &TrainingSettings::default()).unwrap();
    let b = train(&reversed, &TrainingSettings::default()).unwrap();
    // THEN the same creatives are held out
    assert_eq!((a.train_rows, a.test_rows), (b.train_rows, b.test_rows));
}
