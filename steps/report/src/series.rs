//! The series the report draws: the CSV result of `athena/queries/decision_series.sql`, one
//! row per creative per day, as Athena (or the local engine) writes it — a header row,
//! values double-quoted, an empty field for NULL.
//!
//! Only the columns the report shows are read (campaign, creative, day, impressions,
//! clicks, conversions, cost, and the campaign's and creative's status); the others are
//! the decide step's. A NULL metric (LinkedIn did not return it) counts as zero in totals.

use ads::{CampaignId, CreativeId};
use chrono::NaiveDate;

/// One creative on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// The creative.
    pub creative_id: CreativeId,
    /// The day (UTC).
    pub day: NaiveDate,
    /// Impressions, 0 when NULL.
    pub impressions: u64,
    /// Clicks, 0 when NULL.
    pub clicks: u64,
    /// Conversions (LinkedIn's `externalWebsiteConversions`), 0 when NULL.
    pub conversions: f64,
    /// Spend in US dollars (`cost_in_usd`), 0 when NULL.
    pub cost: f64,
    /// The campaign's current status, when collect has seen it.
    pub campaign_status: Option<String>,
    /// The creative's current status, when collect has seen it.
    pub creative_status: Option<String>,
}

/// Why the file is not a decision_series result; the message names the column or line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SeriesError(String);

/// The columns read, in [`SeriesRow`] order.
const COLUMNS: [&str; 9] = [
    "campaign_id",
    "creative_id",
    "day",
    "impressions",
    "clicks",
    "conversions",
    "cost",
    "campaign_status",
    "creative_status",
];

/// Reads the rows of a decision_series result.
pub fn parse(csv_text: &[u8]) -> Result<Vec<SeriesRow>, SeriesError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text);
    let headers = reader
        .headers()
        .map_err(|e| SeriesError(format!("its header row cannot be read: {e}")))?
        .clone();
    let mut at = [0usize; COLUMNS.len()];
    for (slot, name) in at.iter_mut().zip(COLUMNS) {
        *slot = headers.iter().position(|h| h == name).ok_or_else(|| {
            SeriesError(format!(
                "it has no column '{name}'; it must be the result of the decision_series query"
            ))
        })?;
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| SeriesError(format!("line {line} cannot be read: {e}")))?;
        let field = |column: usize| record.get(at[column]).unwrap_or_default().trim();
        let bad = |column: usize, what: &str| {
            SeriesError(format!(
                "line {line}, column {}: '{}' is not {what}",
                COLUMNS[column],
                field(column)
            ))
        };
        let id = |column: usize| {
            field(column)
                .parse::<u64>()
                .map_err(|_| bad(column, "an id"))
        };
        let number = |column: usize| -> Result<f64, SeriesError> {
            match field(column) {
                "" => Ok(0.0),
                text => text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| bad(column, "a non-negative number")),
            }
        };
        let text = |column: usize| Some(field(column).to_owned()).filter(|t| !t.is_empty());
        rows.push(SeriesRow {
            campaign_id: CampaignId(id(0)?),
            creative_id: CreativeId(id(1)?),
            day: NaiveDate::parse_from_str(field(2), "%Y-%m-%d")
                .map_err(|_| bad(2, "a YYYY-MM-DD day"))?,
            // Counts arrive as integers, but a sum or a cast may write "12.0".
            impressions: number(3)?.round() as u64,
            clicks: number(4)?.round() as u64,
            conversions: number(5)?,
            cost: number(6)?,
            campaign_status: text(7),
            creative_status: text(8),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\"conversions\",\"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\"campaign_status\",\"creative_status\"\n";

    #[test]
    fn reads_athena_csv_with_nulls_as_zero_and_absent() {
        // GIVEN an Athena-style result: quoted values, one row with NULL metrics and states
        let text = format!(
            "{HEADER}\"700000001\",\"880000001\",\"2026-09-01\",\"1200\",\"9\",\"1.5\",\"30.250000000000000000\",\"6.50\",\"100.00\",\"USD\",\"CPC\",\"ACTIVE\",\"ACTIVE\"\n\
             \"700000001\",\"880000002\",\"2026-09-01\",\"800\",,,,,,,,,\n"
        );
        // WHEN it is read
        let rows = parse(text.as_bytes()).unwrap();
        // THEN the values arrive, NULL metrics as zero and NULL states as None
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].creative_id, CreativeId(880000001));
        assert_eq!(rows[0].impressions, 1200);
        assert_eq!(rows[0].clicks, 9);
        assert_eq!(rows[0].conversions, 1.5);
        assert_eq!(rows[0].cost, 30.25);
        assert_eq!(rows[0].campaign_status.as_deref(), Some("ACTIVE"));
        assert_eq!((rows[1].clicks, rows[1].cost), (0, 0.0));
        assert_eq!(rows[1].creative_status, None);
    }

    #[test]
    fn a_result_of_another_query_names_the_missing_column() {
        let error = parse(b"\"campaign_id\",\"creative_id\",\"day\"\n").unwrap_err();
        assert!(error.to_string().contains("'impressions'"), "{error}");
    }

    #[test]
    fn a_bad_value_names_its_line_and_column() {
        let text = format!("{HEADER}\"7\",\"8\",\"2026-09-01\",\"-3\",,,,,,,,,\n");
        let error = parse(text.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("line 2, column impressions"), "{error}");
    }
}
