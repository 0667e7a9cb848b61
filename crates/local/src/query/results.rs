//! Query results as Athena writes them: CSV with a header row, every value double-quoted
//! (a quote inside doubled, RFC 4180), NULL as an empty unquoted field, `\n` line ends.
//!
//! Values are rendered as Athena renders them: decimals as plain digits at their scale
//! (`12.500000000000000000`), dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS.fff`.
//! Batches are written as they arrive, so memory holds one batch, not the whole result.

use std::fmt::Write as _;

use ads::PortError;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use futures::StreamExt;

use crate::blocking;
use crate::store::{DirStore, PendingObject};

/// Why results could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The query failed while running; the engine's error.
    Query(DataFusionError),
    /// The store could not take the file.
    Store(PortError),
}

const TIMESTAMP: &str = "%Y-%m-%d %H:%M:%S%.3f";

fn options() -> FormatOptions<'static> {
    FormatOptions::new()
        .with_null("")
        .with_date_format(Some("%Y-%m-%d"))
        .with_datetime_format(Some(TIMESTAMP))
        .with_timestamp_format(Some(TIMESTAMP))
        .with_timestamp_tz_format(Some(TIMESTAMP))
}

/// Appends `value` double-quoted, doubling any quote inside.
fn quoted(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

/// The header row of `names`.
fn header<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push(',');
        }
        quoted(&mut out, name);
    }
    out.push('\n');
    out
}

/// The rows of `batch` as CSV text.
pub fn rows(batch: &RecordBatch) -> Result<String, ArrowError> {
    let options = options();
    let formatters = batch
        .columns()
        .iter()
        .map(|column| ArrayFormatter::try_new(column.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = String::new();
    let mut value = String::new();
    for row in 0..batch.num_rows() {
        for (i, (formatter, column)) in formatters.iter().zip(batch.columns()).enumerate() {
            if i > 0 {
                out.push(',');
            }
            if column.is_valid(row) {
                value.clear();
                write!(value, "{}", formatter.value(row))
                    .map_err(|e| ArrowError::ComputeError(e.to_string()))?;
                quoted(&mut out, &value);
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Runs `stream` to its end, writing its rows as CSV under `key` of `store`; the object
/// appears, atomically, only when every row is written. Returns the number of rows.
pub async fn write_csv(
    store: &DirStore,
    key: &str,
    mut stream: SendableRecordBatchStream,
) -> Result<usize, WriteError> {
    let what = format!("key {key}");
    let mut pending = PendingObject::begin(store, key).map_err(WriteError::Store)?;
    let schema = stream.schema();
    let mut text = header(schema.fields().iter().map(|f| f.name().as_str()));
    let mut count = 0;
    loop {
        pending = append(&what, pending, text).await?;
        match stream.next().await {
            Some(batch) => {
                let batch = batch.map_err(WriteError::Query)?;
                count += batch.num_rows();
                text = rows(&batch).map_err(|e| WriteError::Query(e.into()))?;
            }
            None => break,
        }
    }
    let name = what.clone();
    blocking(what, move || {
        pending
            .commit()
            .map_err(|error| crate::io_error(&name, error))
    })
    .await
    .map_err(WriteError::Store)?;
    Ok(count)
}

/// Appends `text` to `pending` on the blocking pool, handing the object back.
async fn append(
    what: &str,
    mut pending: PendingObject,
    text: String,
) -> Result<PendingObject, WriteError> {
    let name = what.to_owned();
    blocking(what.to_owned(), move || {
        pending
            .write_all(text.as_bytes())
            .map_err(|error| crate::io_error(&name, error))?;
        Ok(pending)
    })
    .await
    .map_err(WriteError::Store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use datafusion::arrow::array::{
        ArrayRef, Date32Array, Decimal128Array, Float64Array, Int64Array, StringArray,
        TimestampMillisecondArray,
    };

    #[test]
    fn renders_values_the_way_athena_does() {
        // GIVEN a batch with every kind of value the curated tables hold, and NULLs
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("id", Arc::new(Int64Array::from(vec![Some(7), None]))),
            (
                "text",
                Arc::new(StringArray::from(vec![Some("say \"hi\", ok"), Some("")])),
            ),
            (
                "cost",
                Arc::new(
                    Decimal128Array::from(vec![Some(12_500), None])
                        .with_precision_and_scale(38, 3)
                        .unwrap(),
                ),
            ),
            ("rate", Arc::new(Float64Array::from(vec![Some(0.25), None]))),
            ("day", Arc::new(Date32Array::from(vec![Some(20_454), None]))),
            (
                "at",
                Arc::new(
                    TimestampMillisecondArray::from(vec![Some(1_767_225_600_123), None])
                        .with_timezone("UTC"),
                ),
            ),
        ];
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        // WHEN rendered
        let text = header(batch.schema().fields().iter().map(|f| f.name().as_str()))
            + &rows(&batch).unwrap();
        // THEN every value is quoted, quotes doubled, NULL empty, an empty string ""
        assert_eq!(
            text,
            "\"id\",\"text\",\"cost\",\"rate\",\"day\",\"at\"\n\
             \"7\",\"say \"\"hi\"\", ok\",\"12.500\",\"0.25\",\"2026-01-01\",\"2026-01-01 00:00:00.123\"\n\
             ,\"\",,,,\n"
        );
    }
}
