//! The tables of `athena/tables/`, registered over the same store prefixes: Parquet listing
//! tables partitioned hive-style (`dt=…/account_id=…/`) and the NDJSON action log.
//!
//! Each table is read from the very DDL Athena runs (through the `catalog` crate): its
//! columns and their types, its partition keys, its prefix and its format. The schema is
//! fixed by the DDL, not inferred from files, so a prefix with no data yet is an empty table
//! with every column: a query over it plans and returns no rows instead of failing. Every
//! column is nullable, as in Athena.

use std::path::Path;
use std::sync::Arc;

use catalog::{Column, Format, Table};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::MemTable;
use datafusion::common::plan_err;
use datafusion::datasource::TableProvider;
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::json::JsonFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::error::Result;
use datafusion::prelude::SessionContext;

/// The Arrow type of an Athena (Hive DDL) column type.
///
/// `TIMESTAMP` is read as UTC milliseconds, what collect writes; Athena shows the same
/// instant, without a zone.
pub fn arrow_type(sql_type: &str) -> Result<DataType> {
    let upper = sql_type.trim().to_ascii_uppercase();
    let data_type = match upper.as_str() {
        "BIGINT" => DataType::Int64,
        "INT" | "INTEGER" => DataType::Int32,
        "SMALLINT" => DataType::Int16,
        "TINYINT" => DataType::Int8,
        "BOOLEAN" => DataType::Boolean,
        "DOUBLE" => DataType::Float64,
        "FLOAT" | "REAL" => DataType::Float32,
        "STRING" | "VARCHAR" => DataType::Utf8,
        "DATE" => DataType::Date32,
        "TIMESTAMP" => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        decimal if decimal.starts_with("DECIMAL(") && decimal.ends_with(')') => {
            let inner = &decimal["DECIMAL(".len()..decimal.len() - 1];
            let (precision, scale) = inner.split_once(',').unwrap_or((inner, "0"));
            match (precision.trim().parse(), scale.trim().parse()) {
                (Ok(precision), Ok(scale)) => DataType::Decimal128(precision, scale),
                _ => return plan_err!("cannot read the column type {sql_type}"),
            }
        }
        _ => return plan_err!("the local engine has no type for the column type {sql_type}"),
    };
    Ok(data_type)
}

fn schema<'a>(columns: impl Iterator<Item = &'a Column>) -> Result<SchemaRef> {
    let fields = columns
        .map(|column| {
            Ok(Field::new(
                &column.name,
                arrow_type(&column.sql_type)?,
                true,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

/// The columns stored in the table's files (partition keys excluded).
pub fn file_schema(table: &Table) -> Result<SchemaRef> {
    schema(table.columns.iter())
}

/// The table's full schema as SQL sees it: the stored columns, then the partition keys.
pub fn table_schema(table: &Table) -> Result<SchemaRef> {
    schema(table.columns.iter().chain(&table.partition_keys))
}

/// `table` over the store rooted at `root` (an absolute path): a listing table over its
/// prefix, partitions from the path, or an empty table with its schema when the prefix does
/// not exist yet.
pub fn provider(table: &Table, root: &Path) -> Result<Arc<dyn TableProvider>> {
    let directory = root.join(&table.prefix);
    if !directory.is_dir() {
        return Ok(Arc::new(MemTable::try_new(
            table_schema(table)?,
            vec![vec![]],
        )?));
    }
    let (format, extension): (Arc<dyn FileFormat>, &str) = match table.format {
        Format::Parquet => (Arc::new(ParquetFormat::default()), ".parquet"),
        Format::JsonLines => (Arc::new(JsonFormat::default()), ".jsonl"),
    };
    let partitions = table
        .partition_keys
        .iter()
        .map(|key| Ok((key.name.clone(), arrow_type(&key.sql_type)?)))
        .collect::<Result<Vec<_>>>()?;
    let options = ListingOptions::new(format)
        .with_file_extension(extension)
        .with_table_partition_cols(partitions);
    // A trailing separator makes the URL a directory to list, not one object.
    let url = ListingTableUrl::parse(format!("{}/", directory.display()))?;
    let config = ListingTableConfig::new(url)
        .with_listing_options(options)
        .with_schema(file_schema(table)?);
    Ok(Arc::new(ListingTable::try_new(config)?))
}

/// Registers every table of the catalog in `context`, over the store rooted at `root`.
pub fn register_tables(context: &SessionContext, root: &Path) -> Result<()> {
    for table in catalog::Catalog::embedded().table_ddl() {
        context.register_table(table.name.as_str(), provider(table, root)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_have_the_columns_collect_writes() {
        // GIVEN the schemas collect writes its Parquet with
        let written = [
            ("creative_daily", collect::curated::creative_daily_schema()),
            ("creatives", collect::curated::creatives_schema()),
            ("campaigns", collect::curated::campaigns_schema()),
        ];
        for (name, schema) in written {
            // WHEN the DDL's table is read
            let table = catalog::Catalog::embedded().table(name).unwrap();
            let columns = |s: &Schema| -> Vec<(String, DataType)> {
                s.fields()
                    .iter()
                    .map(|f| (f.name().clone(), f.data_type().clone()))
                    .collect()
            };
            // THEN it has the same columns of the same Arrow types
            assert_eq!(
                columns(&file_schema(table).unwrap()),
                columns(&schema),
                "{name}"
            );
        }
    }

    #[test]
    fn maps_athena_types() {
        assert_eq!(
            arrow_type("DECIMAL(38,18)").unwrap(),
            DataType::Decimal128(38, 18)
        );
        assert_eq!(arrow_type("string").unwrap(), DataType::Utf8);
        assert!(arrow_type("MAP<STRING,STRING>").is_err());
    }
}
