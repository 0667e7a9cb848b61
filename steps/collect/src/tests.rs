//! The step as a whole: refusals before any I/O, failures after it, and one run against
//! the simulator (the full end-to-end suite is `tests/collection`).

use std::collections::HashMap;
use std::sync::Mutex;

use ads::{MetricDatum, PortError};
use async_trait::async_trait;
use chrono::{NaiveDate, TimeZone};
use secrecy::SecretString;

use super::*;

/// Secrets in memory; `None` means "must not be read".
struct Secrets(Option<HashMap<String, String>>);

#[async_trait]
impl SecretStore for Secrets {
    async fn get(&self, name: &str) -> Result<SecretString, PortError> {
        let secrets = self.0.as_ref().expect("the secret store must not be read");
        secrets
            .get(name)
            .map(|value| SecretString::from(value.clone()))
            .ok_or_else(|| PortError::NotFound {
                what: format!("secret {name}"),
            })
    }

    async fn put(&self, _: &str, _: SecretString) -> Result<(), PortError> {
        panic!("collect never writes a secret")
    }
}

impl Secrets {
    fn with(name: &str, value: &str) -> Secrets {
        Secrets(Some(HashMap::from([(name.to_owned(), value.to_owned())])))
    }
}

/// Records what is emitted; fails every emit when `fail` is set.
#[derive(Default)]
struct Recorded {
    data: Mutex<Vec<MetricDatum>>,
    fail: bool,
}

#[async_trait]
impl Metrics for Recorded {
    async fn emit(&self, data: &[MetricDatum]) -> Result<(), PortError> {
        if self.fail {
            return Err(PortError::Unavailable {
                what: "metrics".into(),
                reason: "down".into(),
            });
        }
        self.data.lock().unwrap().extend_from_slice(data);
        Ok(())
    }
}

impl Recorded {
    fn value(&self, name: &str) -> Option<f64> {
        let data = self.data.lock().unwrap();
        data.iter().rev().find(|d| d.name == name).map(|d| d.value)
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 20, 6, 0, 0).unwrap()
}

fn input(account: &str) -> Input {
    Input {
        account_id: account.to_owned(),
        ..Input::default()
    }
}

async fn all_keys(store: &local::DirStore) -> Vec<String> {
    store.list("").await.unwrap()
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_touched() {
    // GIVEN an empty store, a secret store that must not be read, and bad inputs
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    let secrets = Secrets(None);
    let metrics = Recorded::default();
    let ports = Ports {
        store: &store,
        secrets: &secrets,
        metrics: &metrics,
    };
    let cases = [
        ("accountId", input("abc")),
        (
            "campaignIds",
            Input {
                campaign_ids: Some(vec!["12a".into()]),
                ..input("1")
            },
        ),
        (
            "endDate",
            Input {
                end_date: Some("2026-08-21".into()),
                ..input("1")
            },
        ),
        (
            "lookbackDays",
            Input {
                lookback_days: Some(0),
                ..input("1")
            },
        ),
        (
            "lookbackDays",
            Input {
                lookback_days: Some(400),
                ..input("1")
            },
        ),
        (
            "metrics",
            Input {
                metrics: Some(vec!["clicks".into(), "clickz".into()]),
                ..input("1")
            },
        ),
    ];
    for (field, bad) in cases {
        // WHEN run
        let err = run(bad, &Settings::default(), ports, now())
            .await
            .unwrap_err();
        // THEN Input.Invalid names the field, and nothing is written, read or emitted
        assert_eq!(err.name(), error_names::INPUT_INVALID);
        assert!(err.to_string().starts_with(field), "{err}");
    }
    assert_eq!(
        err_message(run(input("abc"), &Settings::default(), ports, now()).await),
        "accountId must be digits (got 'abc'); find it in Campaign Manager's URL \
         (…/campaignmanager/accounts/<digits>/…)"
    );
    assert!(all_keys(&store).await.is_empty());
    assert!(metrics.data.lock().unwrap().is_empty());
}

fn err_message(result: Result<Output, Error>) -> String {
    result.unwrap_err().to_string()
}

#[tokio::test]
async fn a_missing_or_malformed_secret_fails_as_secret_failed_without_echoing_it() {
    // GIVEN no secret, then a secret that is not a credentials document
    let dir = tempfile::tempdir().unwrap();
    let store = local::DirStore::new(dir.path());
    let metrics = Recorded::default();
    for secrets in [
        Secrets(Some(HashMap::new())),
        Secrets::with("linkedin", "AQV-not-json-token"),
    ] {
        let ports = Ports {
            store: &store,
            secrets: &secrets,
            metrics: &metrics,
        };
        // WHEN run
        let err = run(input("1"), &Settings::default(), ports, now())
            .await
            .unwrap_err();
        // THEN Secret.Failed names the secret, never its value, and the failure is reported
        assert_eq!(err.name(), error_names::SECRET_FAILED);
        assert!(err.to_string().contains("'linkedin'"), "{err}");
        assert!(!err.to_string().contains("AQV"), "{err}");
        assert_eq!(metrics.value("CollectionFailure"), Some(1.0));
    }
    assert!(all_keys(&store).await.is_empty());
}

#[test]
fn settings_default_to_the_linkedin_secret_and_active_and_paused_campaigns() {
    let defaults = Settings::from_lookup(|_| None).unwrap();
    assert_eq!(defaults.secret_name, "linkedin");
    assert_eq!(
        defaults.statuses,
        vec![CampaignStatus::Active, CampaignStatus::Paused]
    );
    let named = Settings::from_lookup(|name| {
        (name == linkedin::secret::ENV_SECRET_NAME).then(|| "prod/linkedin".to_owned())
    })
    .unwrap();
    assert_eq!(named.secret_name, "prod/linkedin");
}

#[test]
fn output_is_camel_case_counts() {
    let output = Output {
        account_id: "1".into(),
        start_date: NaiveDate::from_ymd_opt(2026, 8, 7).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2026, 8, 20).unwrap(),
        days: 14,
        campaigns: 2,
        creatives: 6,
        rows: 70,
        posts_fetched: 6,
        keys_written: 19,
        requests: 9,
    };
    let json = serde_json::to_value(&output).unwrap();
    assert_eq!(json["startDate"], "2026-08-07");
    assert_eq!(json["keysWritten"], 19);
    assert_eq!(json["postsFetched"], 6);
}

mod on_the_simulator {
    use super::*;
    use bytes::Bytes;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    struct World {
        sim: sim::RunningSim,
        settings: Settings,
        token: String,
        account: String,
        now: DateTime<Utc>,
    }

    /// One account of 2 campaigns × 3 creatives, 20 days delivered.
    async fn world() -> World {
        let sim = sim::spawn(sim::Scenario {
            seed: 11,
            start_date: NaiveDate::from_ymd_opt(2026, 8, 3).unwrap(),
            accounts: 1,
            campaigns_per_account: 2,
            creatives_per_campaign: 3,
            ..sim::Scenario::default()
        })
        .await
        .unwrap();
        let clock = sim.admin().advance(20).await.unwrap();
        let token = sim.admin().credentials().await.unwrap().access_token;
        let truth = sim.admin().truth_creatives().await.unwrap();
        let settings = Settings {
            linkedin: linkedin::Config {
                api_url: sim.api_url(),
                oauth_url: sim.oauth_url(),
                retry: linkedin::RetryPolicy::quick(),
                ..linkedin::Config::default()
            },
            ..Settings::default()
        };
        World {
            account: truth[0].account_id.to_string(),
            now: clock.today.and_hms_opt(6, 0, 0).unwrap().and_utc(),
            sim,
            settings,
            token,
        }
    }

    fn impressions_in(file: Bytes) -> (usize, i64) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let mut rows = 0;
        let mut impressions = 0;
        for batch in reader {
            let batch = batch.unwrap();
            rows += batch.num_rows();
            let column = batch
                .column_by_name("impressions")
                .unwrap()
                .as_any()
                .downcast_ref::<arrow::array::Int64Array>()
                .unwrap();
            impressions += column.iter().flatten().sum::<i64>();
        }
        (rows, impressions)
    }

    #[tokio::test]
    async fn collects_every_day_of_the_window_raw_first_and_a_rerun_rewrites_the_same_files() {
        // GIVEN a simulated account and a credentials secret holding its token
        let world = world().await;
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let secret = format!(r#"{{"accessToken":"{}"}}"#, world.token);
        let secrets = Secrets::with("linkedin", &secret);
        let metrics = Recorded::default();
        let ports = Ports {
            store: &store,
            secrets: &secrets,
            metrics: &metrics,
        };
        world.sim.admin().reset_stats().await.unwrap();

        // WHEN the default window is collected
        let output = run(input(&world.account), &world.settings, ports, world.now)
            .await
            .unwrap();

        // THEN two campaigns of three creatives, 14 days, and the fewest requests: one
        // search each, one post per creative, one analytics request
        assert_eq!(
            (output.campaigns, output.creatives, output.days),
            (2, 6, 14)
        );
        assert_eq!(output.posts_fetched, 6);
        let stats = world.sim.admin().stats().await.unwrap();
        assert_eq!(output.requests, stats.requests);
        assert_eq!(stats.by_route["GET /rest/adAnalytics"], 1);
        assert_eq!(output.requests, 9);
        // AND the raw responses are stored under the run's date and start second
        let run_id = world.now.timestamp();
        let day = world.now.format("%Y/%m/%d");
        let account = &world.account;
        let keys = all_keys(&store).await;
        for kind in ["campaigns", "creatives", "posts"] {
            let key = format!("raw/entities/{day}/{account}/{kind}_{run_id}.json");
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        let analytics =
            format!("raw/analytics/{day}/{account}/creative_performance_{run_id}_1.json");
        assert!(keys.contains(&analytics));
        // AND one curated file per day of the window, whose impressions are LinkedIn's
        let start = output.start_date;
        let truth = world
            .sim
            .admin()
            .truth_delivery(start, output.end_date)
            .await
            .unwrap();
        let mut rows = 0;
        let mut impressions = 0;
        let mut files = HashMap::new();
        for offset in 0..14 {
            let date = start + chrono::Days::new(offset);
            let file = store
                .get(&keys::creative_daily(date, world.account.parse().unwrap()))
                .await
                .unwrap();
            let (n, sum) = impressions_in(file.clone());
            rows += n;
            impressions += sum;
            files.insert(date, file);
        }
        assert_eq!(rows, output.rows);
        assert_eq!(
            impressions as u64,
            truth.iter().map(|t| t.impressions).sum::<u64>()
        );
        assert_eq!(output.keys_written, keys.len());
        assert_eq!(metrics.value("CollectionFailure"), Some(0.0));
        assert_eq!(metrics.value("RowsWritten"), Some(output.rows as f64));
        let creatives_key = keys::creatives(world.account.parse().unwrap());
        let creatives_file = store.get(&creatives_key).await.unwrap();
        let records = curated::read_creatives(creatives_file.clone()).unwrap();
        assert_eq!(records.len(), 6);
        assert!(
            records
                .iter()
                .all(|r| r.post_urn.is_some() && r.copy != ads::AdCopy::default())
        );
        // AND the campaigns file holds both campaigns' current status, bid and budget
        let campaigns_key = keys::campaigns(world.account.parse().unwrap());
        let campaigns_file = store.get(&campaigns_key).await.unwrap();
        let campaigns = curated::read_campaigns(campaigns_file.clone()).unwrap();
        assert_eq!(campaigns.len(), 2);
        assert!(campaigns.iter().all(|c| c.collected_at == world.now
            && !c.status.is_empty()
            && !c.cost_type.is_empty()));

        // WHEN run again at the same time, with the metrics port down
        let down = Recorded {
            fail: true,
            ..Recorded::default()
        };
        let again = run(
            input(&world.account),
            &world.settings,
            Ports {
                metrics: &down,
                ..ports
            },
            world.now,
        )
        .await
        .unwrap();
        // THEN no post is fetched again, and every curated file is byte-identical
        assert_eq!(again.posts_fetched, 0);
        assert_eq!(again.rows, output.rows);
        for (date, file) in files {
            let key = keys::creative_daily(date, world.account.parse().unwrap());
            assert_eq!(store.get(&key).await.unwrap(), file, "{key}");
        }
        assert_eq!(store.get(&creatives_key).await.unwrap(), creatives_file);
        assert_eq!(store.get(&campaigns_key).await.unwrap(), campaigns_file);
        world.sim.shutdown().await;
    }

    #[tokio::test]
    async fn a_refused_token_fails_as_unauthorized_without_showing_it() {
        // GIVEN a secret with a token LinkedIn does not know
        let world = world().await;
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let secrets = Secrets::with("linkedin", r#"{"accessToken":"AQV-revoked-token"}"#);
        let metrics = Recorded::default();
        let ports = Ports {
            store: &store,
            secrets: &secrets,
            metrics: &metrics,
        };
        // WHEN run
        let err = run(input(&world.account), &world.settings, ports, world.now)
            .await
            .unwrap_err();
        // THEN LinkedIn.Unauthorized, no token in the message, the failure reported
        assert_eq!(err.name(), error_names::LINKEDIN_UNAUTHORIZED);
        assert!(!err.to_string().contains("AQV"), "{err}");
        assert_eq!(metrics.value("CollectionFailure"), Some(1.0));
        assert_eq!(metrics.value("ApiRequests"), Some(1.0));
        assert!(all_keys(&store).await.is_empty());
        world.sim.shutdown().await;
    }
}
