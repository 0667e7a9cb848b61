//! Reads curated Parquet back with the parquet crate's own reader, column by column, so a
//! test checks the files, not the writer's idea of them.

use std::collections::BTreeMap;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{Decimal128Type, Int64Type};
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rust_decimal::Decimal;

/// One curated row: integer, decimal and text columns by name (NULL is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Every INT64 column.
    pub counts: BTreeMap<String, Option<i64>>,
    /// Every DECIMAL column, exact.
    pub money: BTreeMap<String, Option<Decimal>>,
    /// Every STRING column.
    pub text: BTreeMap<String, Option<String>>,
}

impl Row {
    /// An INT64 column's value; panics when the column does not exist.
    pub fn count(&self, column: &str) -> Option<i64> {
        *self
            .counts
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))
    }

    /// A STRING column's value; panics when the column does not exist.
    pub fn text(&self, column: &str) -> Option<&str> {
        self.text
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))
            .as_deref()
    }

    /// A DECIMAL column's value; panics when the column does not exist.
    pub fn decimal(&self, column: &str) -> Option<Decimal> {
        *self
            .money
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))
    }
}

/// The rows of a Parquet file's INT64, DECIMAL and STRING columns (timestamps skipped).
pub fn rows(file: Bytes) -> Vec<Row> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("a reader");
    let mut rows = Vec::new();
    for batch in reader {
        let batch: RecordBatch = batch.expect("a batch");
        for index in 0..batch.num_rows() {
            let mut row = Row {
                counts: BTreeMap::new(),
                money: BTreeMap::new(),
                text: BTreeMap::new(),
            };
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                let name = field.name().clone();
                if let Some(values) = column.as_primitive_opt::<Int64Type>() {
                    let value = values.is_valid(index).then(|| values.value(index));
                    row.counts.insert(name, value);
                } else if let Some(values) = column.as_primitive_opt::<Decimal128Type>() {
                    let value = values.is_valid(index).then(|| {
                        Decimal::from_i128_with_scale(values.value(index), values.scale() as u32)
                    });
                    row.money.insert(name, value);
                } else if let Some(values) = column.as_string_opt::<i32>() {
                    let value = values
                        .is_valid(index)
                        .then(|| values.value(index).to_owned());
                    row.text.insert(name, value);
                }
            }
            rows.push(row);
        }
    }
    rows
}
