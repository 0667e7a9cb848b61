//! Analytics end to end: the Athena SQL files run by the local engine (DataFusion) over
//! Parquet that the collect step wrote from the simulator, through the start-athena-query
//! and poll-results steps, each query's result checked against an independent computation
//! in Rust over the same curated rows.
//!
//! Modules: `queries` (each query against its Rust twin), `input` (bad input and engine
//! failures by name).

mod input;
mod queries;

use std::collections::BTreeMap;

use ads::{AccountId, ObjectStore};
use chrono::{Days, NaiveDate};
use end_to_end::curated::{self, Row};
use end_to_end::workspace::Workspace;
use end_to_end::{Harness, scenario};
use local::LocalQueryEngine;
use rust_decimal::Decimal;
use serde_json::Value;

/// Days collected; the queries' windows fall inside.
const DAYS: u64 = 40;

/// A simulated account with `DAYS` days collected into a workspace, and the engine over it.
struct World {
    /// Keeps the simulator running for as long as the world is used.
    _harness: Harness,
    ws: Workspace,
    engine: LocalQueryEngine,
    account: AccountId,
    /// The last day collected (the simulator's yesterday).
    end: NaiveDate,
}

impl World {
    async fn new(seed: u64) -> World {
        let h = Harness::start(scenario(seed, 3, 4), DAYS as u32).await;
        let ws = Workspace::new(&h).await;
        let now = h.now().await;
        let end = now.date_naive().pred_opt().unwrap();
        let account = h.account().await;
        ws.collect(&h, end, DAYS as u32).await;
        let engine = LocalQueryEngine::new(ws.store.clone());
        World {
            _harness: h,
            ws,
            engine,
            account,
            end,
        }
    }

    fn day(&self, back: u64) -> NaiveDate {
        self.end.checked_sub_days(Days::new(back)).unwrap()
    }

    /// Runs `query` through the two steps and returns its CSV rows by column name.
    async fn query(&self, query: &str, params: Value) -> Vec<BTreeMap<String, String>> {
        let key = self.ws.query(query, params).await;
        let csv = self
            .ws
            .store
            .get(&key)
            .await
            .expect("the results are stored");
        let mut reader = csv::Reader::from_reader(csv.as_ref());
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|record| {
                let record = record.unwrap();
                headers
                    .iter()
                    .zip(record.iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }

    /// The curated creative-day rows of `first..=last`, with their day.
    async fn daily(&self, first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, Row)> {
        let mut rows = Vec::new();
        let mut day = first;
        while day <= last {
            let key = format!(
                "processed/creative_daily/dt={day}/account_id={}/part-0.parquet",
                self.account
            );
            for row in curated::rows(self.ws.store.get(&key).await.unwrap()) {
                rows.push((day, row));
            }
            day = day.succ_opt().unwrap();
        }
        rows
    }

    /// The rows of a per-account curated file (`creatives` or `campaigns`) by id column.
    async fn entities(&self, table: &str, id: &str) -> BTreeMap<i64, Row> {
        let key = format!(
            "processed/{table}/account_id={}/part-0.parquet",
            self.account
        );
        curated::rows(self.ws.store.get(&key).await.unwrap())
            .into_iter()
            .map(|row| (row.count(id).unwrap(), row))
            .collect()
    }
}

/// A CSV field as an exact decimal (`None` for an empty field, SQL NULL).
fn decimal(field: &str) -> Option<Decimal> {
    (!field.is_empty()).then(|| {
        field
            .parse::<Decimal>()
            .unwrap_or_else(|_| panic!("not a decimal: {field}"))
            .normalize()
    })
}

/// A CSV field as a float (`None` for NULL).
fn float(field: &str) -> Option<f64> {
    (!field.is_empty()).then(|| {
        field
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {field}"))
    })
}

/// Trino's ROUND(x, digits) on a double: half away from zero.
fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// `numerator * 100 / denominator` rounded as the SQL does; NULL on a zero denominator.
fn percent(numerator: f64, denominator: f64, digits: i32) -> Option<f64> {
    (denominator != 0.0).then(|| round(numerator * 100.0 / denominator, digits))
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0).then(|| round(numerator / denominator, 2))
}

fn assert_close(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => assert!((a - e).abs() < 1e-9, "{what}: {a} != {e}"),
        (a, e) => assert_eq!(a, e, "{what}"),
    }
}

fn to_f64(value: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    value.to_f64().unwrap()
}
