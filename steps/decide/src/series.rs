//! The `decision_series` query result (`athena/queries/decision_series.sql`) read into
//! [`SeriesRow`]s: one row per creative per day, with the campaign's and the creative's
//! current state on every row.
//!
//! The file is Athena's CSV: a header row, any field may be double-quoted, and an empty
//! field is NULL. Columns are found by name, so their order does not matter and extra
//! columns are ignored; a missing column or a value that does not parse is an error naming
//! the row (1 = the first row after the header) and the column. A status or cost type this
//! version does not know is read as unknown (`None`): decide only acts on ACTIVE and PAUSED,
//! so an unknown status is never decided on.

use ads::{CampaignId, CampaignStatus, CostType, CreativeId, CreativeStatus};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One creative's delivery on one day, and the current state of it and its campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    /// The campaign the creative runs in.
    pub campaign_id: CampaignId,
    /// The creative.
    pub creative_id: CreativeId,
    /// The day delivered (UTC).
    pub day: NaiveDate,
    /// Impressions; `None` when LinkedIn did not report them.
    pub impressions: Option<u64>,
    /// Clicks; `None` when not reported.
    pub clicks: Option<u64>,
    /// Conversions reported so far (website conversions + leads); `None` when not reported.
    pub conversions: Option<u64>,
    /// Spend in USD (`cost_in_usd`); `None` when not reported.
    pub cost: Option<Decimal>,
    /// The campaign's current bid (`unitCost`), in `currency`.
    pub unit_cost: Option<Decimal>,
    /// The campaign's current daily budget, in `currency`.
    pub daily_budget: Option<Decimal>,
    /// The campaign's currency (ISO 4217).
    pub currency: Option<String>,
    /// What the campaign's bid pays for.
    pub cost_type: Option<CostType>,
    /// The campaign's current status; `None` when unknown.
    pub campaign_status: Option<CampaignStatus>,
    /// The creative's current status; `None` when unknown.
    pub creative_status: Option<CreativeStatus>,
}

/// Why the query result cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    /// The header lacks a column decide needs.
    #[error(
        "the decision_series result has no column '{column}' (columns: {found}); run the \
         decision_series query of athena/queries, whose result has it"
    )]
    MissingColumn {
        /// The column missing.
        column: &'static str,
        /// The columns the header has, comma-separated.
        found: String,
    },
    /// A value does not parse.
    #[error("the decision_series result row {row} column {column}: {message}")]
    Value {
        /// 1-based, the first row after the header being 1.
        row: usize,
        /// The column.
        column: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The file is not CSV (bad quoting, not UTF-8, a row of the wrong width).
    #[error("the decision_series result is not readable CSV: {0}")]
    Csv(String),
}

/// The columns read, in the order of [`Columns`]' fields.
const COLUMNS: [&str; 13] = [
    "campaign_id",
    "creative_id",
    "day",
    "impressions",
    "clicks",
    "conversions",
    "cost",
    "unit_cost",
    "daily_budget",
    "currency",
    "cost_type",
    "campaign_status",
    "creative_status",
];

/// Reads every row of a `decision_series` result.
pub fn read_series(csv: &[u8]) -> Result<Vec<SeriesRow>, SeriesError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv);
    let header = reader
        .headers()
        .map_err(|e| SeriesError::Csv(e.to_string()))?
        .clone();
    let mut index = [0usize; COLUMNS.len()];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|name| name.trim() == column)
            .ok_or_else(|| SeriesError::MissingColumn {
                column,
                found: header.iter().collect::<Vec<_>>().join(", "),
            })?;
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0;
    while reader
        .read_record(&mut record)
        .map_err(|e| SeriesError::Csv(e.to_string()))?
    {
        row += 1;
        let field = Field {
            record: &record,
            index: &index,
            row,
        };
        rows.push(SeriesRow {
            campaign_id: CampaignId(field.required(0, parse_id)?),
            creative_id: CreativeId(field.required(1, parse_id)?),
            day: field.required(2, parse_day)?,
            impressions: field.optional(3, parse_count)?,
            clicks: field.optional(4, parse_count)?,
            conversions: field.optional(5, parse_count)?,
            cost: field.optional(6, parse_amount)?,
            unit_cost: field.optional(7, parse_amount)?,
            daily_budget: field.optional(8, parse_amount)?,
            currency: field.optional(9, |text| Ok(text.to_owned()))?,
            cost_type: field.optional(10, |text| Ok(cost_type(text)))?.flatten(),
            campaign_status: field
                .optional(11, |text| Ok(campaign_status(text)))?
                .flatten(),
            creative_status: field
                .optional(12, |text| Ok(creative_status(text)))?
                .flatten(),
        });
    }
    Ok(rows)
}

/// One record's fields, by position in [`COLUMNS`].
struct Field<'a> {
    record: &'a csv::StringRecord,
    index: &'a [usize; COLUMNS.len()],
    row: usize,
}

impl Field<'_> {
    /// The field's text, `None` when empty (NULL).
    fn text(&self, column: usize) -> Option<&str> {
        self.record
            .get(self.index[column])
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }

    fn optional<T>(
        &self,
        column: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, SeriesError> {
        self.text(column)
            .map(|text| parse(text).map_err(|message| self.error(column, message)))
            .transpose()
    }

    fn required<T>(
        &self,
        column: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, SeriesError> {
        self.optional(column, parse)?
            .ok_or_else(|| self.error(column, "is empty; it is never NULL".to_owned()))
    }

    fn error(&self, column: usize, message: String) -> SeriesError {
        SeriesError::Value {
            row: self.row,
            column: COLUMNS[column],
            message,
        }
    }
}

fn parse_id(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not an id (digits)"))
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date as YYYY-MM-DD"))
}

fn parse_count(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a count (a whole number of at least 0)"))
}

fn parse_amount(text: &str) -> Result<Decimal, String> {
    text.parse::<Decimal>()
        .map_err(|_| format!("'{text}' is not an amount such as 12.50"))
        .and_then(|amount| {
            if amount.is_sign_negative() {
                Err(format!("'{text}' is negative; amounts are at least 0"))
            } else {
                Ok(amount)
            }
        })
}

fn cost_type(text: &str) -> Option<CostType> {
    [CostType::Cpc, CostType::Cpm, CostType::Cpv]
        .into_iter()
        .find(|kind| kind.as_str() == text)
}

fn campaign_status(text: &str) -> Option<CampaignStatus> {
    CampaignStatus::ALL
        .into_iter()
        .find(|status| status.as_str() == text)
}

fn creative_status(text: &str) -> Option<CreativeStatus> {
    [
        CreativeStatus::Active,
        CreativeStatus::Paused,
        CreativeStatus::Draft,
        CreativeStatus::Archived,
        CreativeStatus::Canceled,
        CreativeStatus::PendingDeletion,
    ]
    .into_iter()
    .find(|status| status.as_str() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\
        \"conversions\",\"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\
        \"campaign_status\",\"creative_status\"\n";

    #[test]
    fn reads_athena_csv_with_nulls_as_none_and_exact_amounts() {
        // GIVEN Athena's CSV: every value quoted, NULL empty, decimals at scale 18
        let csv = format!(
            "{HEADER}\"700000001\",\"880000001\",\"2026-09-01\",\"1500\",\"7\",\"1\",\
             \"52.500000000000000000\",\"6.500000000000000000\",\"100.000000000000000000\",\
             \"USD\",\"CPC\",\"ACTIVE\",\"PAUSED\"\n\
             \"700000001\",\"880000002\",\"2026-09-01\",\"900\",\"3\",,,,,,,\"ARCHIVED\",\"SOMETHING_NEW\"\n"
        );
        // WHEN read
        let rows = read_series(csv.as_bytes()).unwrap();
        // THEN values are typed, amounts exact, NULLs and unknown statuses absent
        assert_eq!(rows.len(), 2);
        let first = &rows[0];
        assert_eq!(first.creative_id, CreativeId(880000001));
        assert_eq!(first.day, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        assert_eq!(first.cost, Some(Decimal::new(5250, 2)));
        assert_eq!(first.unit_cost.unwrap().to_string(), "6.500000000000000000");
        assert_eq!(first.cost_type, Some(CostType::Cpc));
        assert_eq!(first.creative_status, Some(CreativeStatus::Paused));
        let second = &rows[1];
        assert_eq!((second.conversions, second.cost), (None, None));
        assert_eq!(second.campaign_status, Some(CampaignStatus::Archived));
        assert_eq!(second.creative_status, None);
    }

    #[test]
    fn a_missing_column_is_named() {
        // GIVEN a result without the clicks column
        let csv = "campaign_id,creative_id,day,impressions,conversions,cost,unit_cost,\
                   daily_budget,currency,cost_type,campaign_status,creative_status\n";
        // WHEN read
        let error = read_series(csv.as_bytes()).unwrap_err();
        // THEN the error names it
        assert!(
            matches!(
                error,
                SeriesError::MissingColumn {
                    column: "clicks",
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("'clicks'"), "{error}");
    }

    #[test]
    fn an_unparsable_value_names_its_row_and_column() {
        // GIVEN a second row whose clicks are not a count
        let csv = format!(
            "{HEADER}1,2,2026-09-01,10,1,0,1.0,,,,,,\n1,2,2026-09-02,10,many,0,1.0,,,,,,\n"
        );
        // WHEN read
        let error = read_series(csv.as_bytes()).unwrap_err();
        // THEN row 2, column clicks, and the value are named
        assert_eq!(
            error.to_string(),
            "the decision_series result row 2 column clicks: 'many' is not a count (a whole \
             number of at least 0)"
        );
    }

    #[test]
    fn a_row_without_its_day_is_refused() {
        let csv = format!("{HEADER}1,2,,10,1,0,1.0,,,,,,\n");
        let error = read_series(csv.as_bytes()).unwrap_err();
        assert!(
            matches!(
                error,
                SeriesError::Value {
                    row: 1,
                    column: "day",
                    ..
                }
            ),
            "{error}"
        );
    }
}
