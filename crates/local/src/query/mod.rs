//! The local query engine: Apache DataFusion running the `athena/` SQL files unchanged over
//! the store's curated Parquet, standing in for Athena.
//!
//! Reading order:
//! - [`engine`]: [`LocalQueryEngine`], the [`ads::QueryEngine`] port: a query runs to
//!   completion on `start`; its CSV and its state are files under `query-results/`.
//! - [`tables`]: the tables of `athena/tables/`, read from the catalog's DDL, over the same
//!   store prefixes, partitioned hive-style so a filter on `dt`/`account_id` reads only the
//!   matching directories; a prefix with no files yet is an empty table.
//! - [`udf`]: Trino's functions DataFusion lacks (`date_diff`, `date_add`, `count_if`,
//!   `arbitrary`, `from_iso8601_timestamp`), with Trino's meaning.
//! - [`params`]: binding Athena's ExecutionParameters to `?` placeholders through the parser,
//!   never by pasting text.
//! - [`results`]: Athena-style CSV, streamed batch by batch into an atomic put.
//!
//! Views and queries are the catalog's (`athena/views/`, `athena/queries/`); nothing here
//! rewrites their SQL. Trino functions they use that DataFusion already has with the same
//! meaning (`ROUND`, `NULLIF`, `COALESCE`, `CAST(x AS DATE)`, `INTERVAL 'n' DAY`) are not
//! redefined.

pub mod engine;
pub mod params;
pub mod results;
pub mod tables;
pub mod udf;

pub use engine::{LocalQueryEngine, ViewSql};
