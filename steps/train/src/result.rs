//! A `creative_training` query result (`athena/queries/creative_training.sql`) read into
//! training examples and the days they cover.
//!
//! Athena's CSV: a header row, fields possibly double-quoted, an empty field is NULL.
//! Columns are found by name; a missing column or a number that does not parse is an error
//! naming the row (1 = the first after the header) and the column. NULL impressions or
//! clicks (not reported) count as none.

use ads::AdCopy;
use chrono::NaiveDate;
use scoring::{Example, TrainingWindow};

const COLUMNS: [&str; 11] = [
    "account_id",
    "campaign_id",
    "creative_id",
    "impressions",
    "clicks",
    "first_day",
    "last_day",
    "headline",
    "description",
    "commentary",
    "call_to_action",
];

/// Why a result cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResultError {
    /// The header lacks a column.
    #[error(
        "the creative_training result has no column '{column}' (columns: {found}); run the \
         creative_training query of athena/queries, whose result has it"
    )]
    MissingColumn {
        /// The column missing.
        column: &'static str,
        /// The header's columns.
        found: String,
    },
    /// A value does not parse.
    #[error("row {row}, column {column}: '{value}' is not {expected}")]
    BadValue {
        /// The row, 1-based after the header.
        row: usize,
        /// The column.
        column: &'static str,
        /// The value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// The file is not CSV.
    #[error("it is not CSV: {0}")]
    Csv(String),
}

/// The examples of one result and the days they cover (`None` without rows).
pub struct Read {
    /// One per creative.
    pub examples: Vec<Example>,
    /// First to last day reported.
    pub window: Option<TrainingWindow>,
}

/// Reads a `creative_training` result.
pub fn read(body: &[u8]) -> Result<Read, ResultError> {
    let mut reader = csv::Reader::from_reader(body);
    let header = reader
        .headers()
        .map_err(|e| ResultError::Csv(e.to_string()))?
        .clone();
    let mut index = [0usize; COLUMNS.len()];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot =
            header
                .iter()
                .position(|h| h == column)
                .ok_or_else(|| ResultError::MissingColumn {
                    column,
                    found: header.iter().collect::<Vec<_>>().join(", "),
                })?;
    }
    let mut examples = Vec::new();
    let mut window: Option<TrainingWindow> = None;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ResultError::Csv(e.to_string()))?;
        let row = i + 1;
        let field = |c: usize| record.get(index[c]).unwrap_or("").trim();
        let text = |c: usize| Some(field(c).to_owned()).filter(|t| !t.is_empty());
        let bad = |c: usize, expected: &'static str| ResultError::BadValue {
            row,
            column: COLUMNS[c],
            value: field(c).to_owned(),
            expected,
        };
        let count = |c: usize| -> Result<f64, ResultError> {
            match field(c) {
                "" => Ok(0.0),
                value => value
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| bad(c, "a count ≥ 0")),
            }
        };
        let day = |c: usize| {
            NaiveDate::parse_from_str(field(c), "%Y-%m-%d").map_err(|_| bad(c, "a day YYYY-MM-DD"))
        };
        let (first, last) = (day(5)?, day(6)?);
        let days = TrainingWindow {
            start: first,
            end: last,
        };
        window = Some(window.map_or(days, |w| w.span(days)));
        examples.push(Example {
            account_id: text(0).ok_or_else(|| bad(0, "an account id"))?,
            campaign_id: field(1).parse().map_err(|_| bad(1, "a campaign id"))?,
            creative_id: field(2).parse().map_err(|_| bad(2, "a creative id"))?,
            impressions: count(3)?,
            clicks: count(4)?,
            copy: AdCopy {
                headline: text(7),
                description: text(8),
                commentary: text(9),
                call_to_action: text(10),
                landing_page: None,
            },
        });
    }
    Ok(Read { examples, window })
}
