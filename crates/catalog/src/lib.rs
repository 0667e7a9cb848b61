//! # catalog — the athena/ SQL, compiled in and declared
//!
//! The SQL of this project lives in `athena/`, in Trino's dialect, once: Athena runs it on
//! AWS and the local engine (DataFusion) runs the very same text on one machine. This crate
//! embeds those files (`include_str!`), parses what they declare, and checks them once at
//! first use, so the steps that run queries ask for them by name and never hold SQL of
//! their own:
//!
//! ```no_run
//! let catalog = catalog::Catalog::embedded();
//! let query = catalog.query("top_performers")?;
//! let params = serde_json::json!({"account_id": "512345678", "end_date": "2026-11-01", "min_clicks": 100});
//! let literals = query.bind(params.as_object().unwrap())?; // ["'512345678'", "'2026-11-01'", "100"]
//! // Athena: StartQueryExecution(query.sql, ExecutionParameters = literals)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reading order:
//! - [`catalog`]: [`Catalog`] (tables, views in creation order, queries by name), [`Query`],
//!   [`View`] and [`CatalogError`];
//! - `files`: the one list of embedded files — a new athena/ file is added there;
//! - `declaration`: the header each query file opens with (`-- name: description`, then
//!   `-- @param name kind [min..max] description`, one per `?`, in order);
//! - [`params`]: [`ParamKind`], and binding a JSON object of values into Athena
//!   `ExecutionParameters` literals, refusing anything not exactly of its kind
//!   ([`ParamError`]);
//! - [`tables`]: [`Table`], the DDL with its columns, partition keys, prefix and format;
//! - `lexer`: finding `?` outside literals and comments, and stripping comments.
//!
//! The tests also hold the SQL to its contracts: each table's columns equal, name for name
//! and type for type, the Parquet schema the collect step writes; every file parses as
//! Trino (`athena/check_sql.py`, sqlglot); every query has one `?` per parameter.
//!
//! Deliberately not here: running SQL (the Athena adapter and the local engine do), and
//! substituting parameters into SQL text — values travel separately, as
//! `ExecutionParameters` on Athena and as typed bound values locally.

pub mod catalog;
mod declaration;
mod files;
mod lexer;
pub mod params;
pub mod tables;

pub use catalog::{Catalog, CatalogError, DATABASE, Query, View};
pub use params::{ACCOUNT_ID_MAX_DIGITS, Param, ParamError, ParamKind};
pub use tables::{BUCKET_PLACEHOLDER, Column, Format, Table};

#[cfg(test)]
mod tests;
