//! The athena/ files against their contracts: complete, declared, parseable as Trino, and
//! column for column what the collect step writes.

use std::path::{Path, PathBuf};
use std::process::Command;

use arrow::datatypes::{DataType, SchemaRef};
use serde_json::json;

use crate::{Catalog, CatalogError, Format, ParamError, ParamKind};

fn athena() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../athena")
}

fn stems(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(athena().join(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sorted(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names
}

#[test]
fn every_athena_file_is_embedded_and_parses() {
    // GIVEN the files on disk WHEN the embedded catalog loads THEN it has every one of them
    let catalog = Catalog::load().unwrap();
    let mut tables = sorted(catalog.table_ddl().iter().map(|t| t.name.clone()));
    tables.push("database".into());
    tables.sort();
    assert_eq!(tables, stems("tables"));
    assert_eq!(
        sorted(catalog.views().iter().map(|v| v.name.clone())),
        stems("views")
    );
    assert_eq!(
        sorted(catalog.queries().map(|q| q.name.clone())),
        stems("queries")
    );
    assert_eq!(
        catalog.database_ddl().lines().last(),
        Some("CREATE DATABASE IF NOT EXISTS linkedin_ads")
    );
    Catalog::embedded();
}

#[test]
fn every_query_has_one_placeholder_per_parameter_and_filters_on_the_account() {
    for query in Catalog::embedded().queries() {
        let code = crate::lexer::without_comments(&query.sql);
        assert_eq!(
            crate::lexer::placeholders(&query.sql),
            query.params.len(),
            "{}",
            query.name
        );
        assert_eq!(query.params[0].kind, ParamKind::AccountId, "{}", query.name);
        // The tables' account_id is an injected projection: Athena needs it as a constant.
        assert!(code.contains("account_id = ?"), "{}", query.name);
        assert!(!query.sql.trim_end().ends_with(';'), "{}", query.name);
    }
}

#[test]
fn the_queries_declare_the_documented_parameters() {
    let catalog = Catalog::embedded();
    let names = |query: &str| -> Vec<String> {
        let query = catalog.query(query).unwrap();
        query.params.iter().map(|p| p.name.clone()).collect()
    };
    let window = ["account_id", "start_date", "end_date"];
    assert_eq!(
        names("top_performers"),
        ["account_id", "end_date", "min_clicks"]
    );
    assert_eq!(
        names("underperformers"),
        ["account_id", "end_date", "min_clicks", "max_ctr_percent"]
    );
    assert_eq!(names("daily_trend"), ["account_id", "end_date"]);
    assert_eq!(names("budget_pacing"), window);
    assert_eq!(names("decision_input"), window);
    assert_eq!(names("decision_series"), window);
    assert_eq!(names("creative_training"), window);
}

#[test]
fn an_unknown_query_lists_the_known_ones() {
    let err = Catalog::embedded().query("top_performer").unwrap_err();
    assert!(matches!(err, CatalogError::UnknownQuery { .. }));
    assert_eq!(
        err.to_string(),
        "no query is named top_performer; the queries are: top_performers, underperformers, \
         daily_trend, budget_pacing, decision_input, decision_series, creative_training"
    );
}

#[test]
fn a_real_query_binds_its_parameters_in_placeholder_order() {
    let query = Catalog::embedded().query("top_performers").unwrap();
    let params = json!({"min_clicks": 10, "end_date": "2026-11-01", "account_id": "512345678"});
    let bound = query.bind(params.as_object().unwrap()).unwrap();
    assert_eq!(bound, ["'512345678'", "'2026-11-01'", "10"]);
    let params = json!({"min_clicks": 10, "end_date": "2026-11-01", "account_id": "1 OR 1=1"});
    let err = query.bind(params.as_object().unwrap()).unwrap_err();
    assert!(matches!(err, ParamError::Invalid { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("query top_performers: parameter account_id")
    );
}

#[test]
fn a_query_whose_placeholders_do_not_match_its_parameters_is_refused() {
    let text = "-- q: d\n-- @param a date The a.\nSELECT ?, '?' -- ?\n, ?";
    let err = crate::Query::parse("queries/q.sql", text).unwrap_err();
    assert!(
        err.to_string()
            .contains("q declares 1 parameters but has 2 `?` placeholders"),
        "{err}"
    );
}

#[test]
fn views_come_in_dependency_order() {
    let views = Catalog::embedded().views();
    for (i, view) in views.iter().enumerate() {
        for later in &views[i + 1..] {
            let code = crate::lexer::without_comments(&view.sql);
            assert!(
                !code.contains(&later.name),
                "{} reads {}, created after it",
                view.name,
                later.name
            );
        }
    }
}

/// The Athena type of an Arrow type as collect writes it.
fn athena_type(data_type: &DataType) -> String {
    match data_type {
        DataType::Int64 => "BIGINT".into(),
        DataType::Utf8 => "STRING".into(),
        DataType::Decimal128(precision, scale) => format!("DECIMAL({precision},{scale})"),
        DataType::Timestamp(_, _) => "TIMESTAMP".into(),
        other => panic!("collect writes {other}, which has no Athena mapping here"),
    }
}

fn assert_table_matches(table: &str, schema: SchemaRef) {
    let table = Catalog::embedded().table(table).unwrap();
    let declared: Vec<(String, String)> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.sql_type.clone()))
        .collect();
    let written: Vec<(String, String)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), athena_type(f.data_type())))
        .collect();
    assert_eq!(declared, written, "athena/tables/{}.sql", table.name);
    assert_eq!(table.format, Format::Parquet);
}

#[test]
fn the_tables_declare_exactly_what_collect_writes() {
    assert_table_matches("creative_daily", collect::creative_daily_schema());
    assert_table_matches("creatives", collect::creatives_schema());
    assert_table_matches("campaigns", collect::campaigns_schema());
    // AND the partitions and prefixes are collect's keys
    let catalog = Catalog::embedded();
    let daily = catalog.table("creative_daily").unwrap();
    let keys: Vec<_> = daily
        .partition_keys
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(keys, ["dt", "account_id"]);
    let account = "7".parse().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    assert!(collect::keys::creative_daily(day, account).starts_with(&daily.prefix));
    for (table, key) in [
        ("creatives", collect::keys::creatives(account)),
        ("campaigns", collect::keys::campaigns(account)),
    ] {
        let table = catalog.table(table).unwrap();
        assert!(key.starts_with(&table.prefix), "{key}");
        let keys: Vec<_> = table
            .partition_keys
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(keys, ["account_id"]);
    }
    let actions = catalog.table("optimizer_actions").unwrap();
    assert_eq!(actions.format, Format::JsonLines);
    assert_eq!(actions.prefix, "logs/optimizer_actions/");
}

#[test]
fn every_sql_file_parses_as_trino() {
    let script = athena().join("check_sql.py");
    let output = match Command::new("python3").arg(&script).arg(athena()).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: python3 is not installed, so athena/check_sql.py cannot run");
            return;
        }
        Err(error) => panic!("python3 {}: {error}", script.display()),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code() != Some(2),
        "sqlglot is missing: pip install sqlglot\n{stderr}"
    );
    assert!(
        output.status.success(),
        "athena/check_sql.py failed:\n{stderr}"
    );
}
