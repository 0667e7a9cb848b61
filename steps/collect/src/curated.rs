//! The curated Parquet files: their schemas, how rows become files, and reading the
//! creatives file back (to keep ad copy already known).
//!
//! Both files are written whole, in memory, and stored with one atomic `put`. Rows are
//! sorted and the writer's properties are fixed, so the same rows and `collected_at` always
//! give the same bytes: a re-run over unchanged data rewrites identical files. Compression is
//! Snappy, the format Parquet 1.0 pages, the statistics per column chunk — readable by Athena
//! and by DataFusion alike.
//!
//! Money is `DECIMAL(38,18)`: LinkedIn's decimal strings (`"13.944527531"`) are kept exactly
//! — no LinkedIn amount carries more than 18 decimals (a double's shortest form has at most
//! 17 significant digits), and one that did would be rounded half away from zero; anything
//! beyond 20 integer digits is refused rather than wrapped. 38 digits is the most both Athena
//! and Arrow's Decimal128 hold. Times are UTC milliseconds. A metric
//! LinkedIn did not return is NULL, never 0.

use std::sync::{Arc, LazyLock};

use ads::{AccountId, AdCopy, CampaignId, CreativeDay, CreativeId, PostUrn};
use arrow::array::{
    Array, ArrayRef, Decimal128Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use rust_decimal::{Decimal, RoundingStrategy};

/// Precision of the money columns: 38 digits, the most Athena's DECIMAL and Decimal128 hold.
pub const MONEY_PRECISION: u8 = 38;
/// Scale of the money columns: 18 decimal places, enough for any amount LinkedIn sends.
pub const MONEY_SCALE: i8 = 18;
/// The time zone of every timestamp column.
pub const TIME_ZONE: &str = "UTC";

/// Why a curated file could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CuratedError {
    /// A value does not fit its column.
    #[error("{column} cannot hold {value} (creative {creative})")]
    DoesNotFit {
        /// The column.
        column: &'static str,
        /// The value, as text.
        value: String,
        /// The creative whose row it is.
        creative: u64,
    },
    /// Arrow or Parquet refused the data (a bug here, or a file of another schema).
    #[error("Parquet: {0}")]
    Parquet(String),
}

fn parquet_error(error: impl std::fmt::Display) -> CuratedError {
    CuratedError::Parquet(error.to_string())
}

fn timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some(TIME_ZONE.into()))
}

fn money() -> DataType {
    DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE)
}

/// The schema of `processed/creative_daily/dt=YYYY-MM-DD/account_id=<id>/part-0.parquet`:
/// one row per creative per day. The day and the account are partition keys in the path,
/// not columns.
///
/// | column | type | |
/// |---|---|---|
/// | campaign_id | INT64 | not null |
/// | creative_id | INT64 | not null |
/// | impressions, clicks, landing_page_clicks | INT64 | null = not returned |
/// | cost_in_usd, cost_in_local_currency | DECIMAL(38,18) | null = not returned |
/// | external_website_conversions, one_click_leads, one_click_lead_form_opens | INT64 | |
/// | conversions | INT64 | external_website_conversions + one_click_leads; null when neither |
/// | likes, comments, shares, follows, total_engagements, video_views, approximate_member_reach | INT64 | |
/// | collected_at | TIMESTAMP(ms, UTC) | not null: when the run started |
pub fn creative_daily_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        let count = |name: &str| Field::new(name, DataType::Int64, true);
        Arc::new(Schema::new(vec![
            Field::new("campaign_id", DataType::Int64, false),
            Field::new("creative_id", DataType::Int64, false),
            count("impressions"),
            count("clicks"),
            count("landing_page_clicks"),
            Field::new("cost_in_usd", money(), true),
            Field::new("cost_in_local_currency", money(), true),
            count("external_website_conversions"),
            count("one_click_leads"),
            count("one_click_lead_form_opens"),
            count("conversions"),
            count("likes"),
            count("comments"),
            count("shares"),
            count("follows"),
            count("total_engagements"),
            count("video_views"),
            count("approximate_member_reach"),
            Field::new("collected_at", timestamp(), false),
        ]))
    });
    Arc::clone(&SCHEMA)
}

/// The schema of `processed/creatives/account_id=<id>/part-0.parquet`: the latest metadata
/// and ad copy of each creative. The account is a partition key in the path.
///
/// | column | type | |
/// |---|---|---|
/// | creative_id, campaign_id | INT64 | not null |
/// | campaign_name | STRING | not null |
/// | name | STRING | null when the creative has none |
/// | status | STRING | not null: `intendedStatus`, e.g. ACTIVE, PAUSED |
/// | headline, description, commentary, call_to_action, landing_page | STRING | from the post; null when absent |
/// | post_urn | STRING | the post carrying the copy; null for non-post creatives |
/// | created_at, last_modified_at | TIMESTAMP(ms, UTC) | null when LinkedIn did not say |
/// | collected_at | TIMESTAMP(ms, UTC) | not null: when the run that last saw it started |
pub fn creatives_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
        Arc::new(Schema::new(vec![
            Field::new("creative_id", DataType::Int64, false),
            Field::new("campaign_id", DataType::Int64, false),
            text("campaign_name", false),
            text("name", true),
            text("status", false),
            text("headline", true),
            text("description", true),
            text("commentary", true),
            text("call_to_action", true),
            text("landing_page", true),
            text("post_urn", true),
            Field::new("created_at", timestamp(), true),
            Field::new("last_modified_at", timestamp(), true),
            Field::new("collected_at", timestamp(), false),
        ]))
    });
    Arc::clone(&SCHEMA)
}

/// One row of the creatives file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreativeRecord {
    /// The creative.
    pub creative_id: CreativeId,
    /// Its campaign.
    pub campaign_id: CampaignId,
    /// The campaign's name.
    pub campaign_name: String,
    /// The creative's name, if it has one.
    pub name: Option<String>,
    /// Its `intendedStatus`, e.g. `ACTIVE`.
    pub status: String,
    /// The ad copy read from its post.
    pub copy: AdCopy,
    /// The post that carries the copy.
    pub post_urn: Option<PostUrn>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub last_modified_at: Option<DateTime<Utc>>,
    /// When the run that last saw it started.
    pub collected_at: DateTime<Utc>,
}

/// The fixed writer settings behind byte-identical re-runs.
fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_dictionary_enabled(true)
        .set_max_row_group_row_count(Some(1024 * 1024))
        .build()
}

/// Writes `columns` as one Parquet file of `schema`; no rows gives a valid file with the
/// schema and no row group.
fn parquet_file(schema: &SchemaRef, columns: Vec<ArrayRef>) -> Result<Bytes, CuratedError> {
    let batch = RecordBatch::try_new(Arc::clone(schema), columns).map_err(parquet_error)?;
    let mut writer =
        ArrowWriter::try_new(Vec::new(), Arc::clone(schema), Some(writer_properties()))
            .map_err(parquet_error)?;
    if batch.num_rows() > 0 {
        writer.write(&batch).map_err(parquet_error)?;
    }
    writer.into_inner().map(Bytes::from).map_err(parquet_error)
}

fn id(value: u64, column: &'static str, creative: u64) -> Result<i64, CuratedError> {
    i64::try_from(value).map_err(|_| CuratedError::DoesNotFit {
        column,
        value: value.to_string(),
        creative,
    })
}

fn millis(times: impl Iterator<Item = Option<DateTime<Utc>>>) -> ArrayRef {
    let values: Vec<Option<i64>> = times.map(|t| t.map(|t| t.timestamp_millis())).collect();
    Arc::new(TimestampMillisecondArray::from(values).with_timezone(TIME_ZONE))
}

/// Money in units of 10^-18, rounded half away from zero; `None` past 38 digits.
fn scaled(value: Decimal) -> Option<i128> {
    let rounded =
        value.round_dp_with_strategy(MONEY_SCALE as u32, RoundingStrategy::MidpointAwayFromZero);
    let scaled = rounded
        .mantissa()
        .checked_mul(10i128.pow(MONEY_SCALE as u32 - rounded.scale()))?;
    (scaled.abs() < 10i128.pow(u32::from(MONEY_PRECISION))).then_some(scaled)
}

/// One row of a `creative_daily` file: a creative-day and when it was collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyRow {
    /// The creative's metrics for the day.
    pub day: CreativeDay,
    /// When the run that collected it started.
    pub collected_at: DateTime<Utc>,
}

/// The Parquet file of one (day, account) partition of `creative_daily`: `rows` (all of one
/// day and account) sorted by (campaign_id, creative_id). No rows give an empty file with
/// the schema, so a day restated to nothing is overwritten too.
pub fn creative_daily_file(rows: &[DailyRow]) -> Result<Bytes, CuratedError> {
    let mut sorted: Vec<&DailyRow> = rows.iter().collect();
    sorted.sort_by_key(|r| (r.day.campaign, r.day.creative));
    let times = sorted.iter().map(|r| Some(r.collected_at));
    let collected_at = millis(times);
    let rows: Vec<&CreativeDay> = sorted.iter().map(|r| &r.day).collect();
    let count = |column: &'static str, get: fn(&CreativeDay) -> Option<u64>| {
        rows.iter()
            .map(|r| get(r).map(|v| id(v, column, r.creative.0)).transpose())
            .collect::<Result<Vec<Option<i64>>, _>>()
            .map(|values| Arc::new(Int64Array::from(values)) as ArrayRef)
    };
    let cost = |column: &'static str, get: fn(&CreativeDay) -> Option<Decimal>| {
        rows.iter()
            .map(|r| {
                get(r)
                    .map(|v| {
                        scaled(v).ok_or_else(|| CuratedError::DoesNotFit {
                            column,
                            value: v.to_string(),
                            creative: r.creative.0,
                        })
                    })
                    .transpose()
            })
            .collect::<Result<Vec<Option<i128>>, _>>()
            .and_then(|values| {
                Decimal128Array::from(values)
                    .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
                    .map_err(parquet_error)
            })
            .map(|array| Arc::new(array) as ArrayRef)
    };
    let columns: Vec<ArrayRef> = vec![
        count("campaign_id", |r| Some(r.campaign.0))?,
        count("creative_id", |r| Some(r.creative.0))?,
        count("impressions", |r| r.impressions)?,
        count("clicks", |r| r.clicks)?,
        count("landing_page_clicks", |r| r.landing_page_clicks)?,
        cost("cost_in_usd", |r| r.cost_in_usd)?,
        cost("cost_in_local_currency", |r| r.cost_in_local_currency)?,
        count("external_website_conversions", |r| {
            r.external_website_conversions
        })?,
        count("one_click_leads", |r| r.one_click_leads)?,
        count("one_click_lead_form_opens", |r| r.one_click_lead_form_opens)?,
        count("conversions", CreativeDay::conversions)?,
        count("likes", |r| r.likes)?,
        count("comments", |r| r.comments)?,
        count("shares", |r| r.shares)?,
        count("follows", |r| r.follows)?,
        count("total_engagements", |r| r.total_engagements)?,
        count("video_views", |r| r.video_views)?,
        count("approximate_member_reach", |r| r.approximate_member_reach)?,
        collected_at,
    ];
    parquet_file(&creative_daily_schema(), columns)
}

/// The Parquet file of the creatives table for one account: `records` sorted by
/// (campaign_id, creative_id).
pub fn creatives_file(records: &[CreativeRecord]) -> Result<Bytes, CuratedError> {
    let mut records: Vec<&CreativeRecord> = records.iter().collect();
    records.sort_by_key(|r| (r.campaign_id, r.creative_id));
    let ids = |column: &'static str, get: fn(&CreativeRecord) -> u64| {
        records
            .iter()
            .map(|r| id(get(r), column, r.creative_id.0))
            .collect::<Result<Vec<i64>, _>>()
            .map(|values| Arc::new(Int64Array::from(values)) as ArrayRef)
    };
    let text = |get: fn(&CreativeRecord) -> Option<&str>| -> ArrayRef {
        Arc::new(StringArray::from(
            records
                .iter()
                .map(|r| get(r))
                .collect::<Vec<Option<&str>>>(),
        ))
    };
    let columns: Vec<ArrayRef> = vec![
        ids("creative_id", |r| r.creative_id.0)?,
        ids("campaign_id", |r| r.campaign_id.0)?,
        text(|r| Some(r.campaign_name.as_str())),
        text(|r| r.name.as_deref()),
        text(|r| Some(r.status.as_str())),
        text(|r| r.copy.headline.as_deref()),
        text(|r| r.copy.description.as_deref()),
        text(|r| r.copy.commentary.as_deref()),
        text(|r| r.copy.call_to_action.as_deref()),
        text(|r| r.copy.landing_page.as_deref()),
        text(|r| r.post_urn.as_ref().map(PostUrn::as_str)),
        millis(records.iter().map(|r| r.created_at)),
        millis(records.iter().map(|r| r.last_modified_at)),
        millis(records.iter().map(|r| Some(r.collected_at))),
    ];
    parquet_file(&creatives_schema(), columns)
}

/// Reads a creatives file written by [`creatives_file`].
pub fn read_creatives(file: Bytes) -> Result<Vec<CreativeRecord>, CuratedError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.build())
        .map_err(parquet_error)?;
    let mut records = Vec::new();
    for batch in reader {
        let batch = batch.map_err(parquet_error)?;
        let columns = Columns(&batch);
        let creative_ids = columns.int64("creative_id")?;
        let campaign_ids = columns.int64("campaign_id")?;
        let campaign_names = columns.text("campaign_name")?;
        let names = columns.text("name")?;
        let statuses = columns.text("status")?;
        let headlines = columns.text("headline")?;
        let descriptions = columns.text("description")?;
        let commentaries = columns.text("commentary")?;
        let calls = columns.text("call_to_action")?;
        let landing_pages = columns.text("landing_page")?;
        let posts = columns.text("post_urn")?;
        let created = columns.time("created_at")?;
        let modified = columns.time("last_modified_at")?;
        let collected = columns.time("collected_at")?;
        for row in 0..batch.num_rows() {
            let text =
                |array: &StringArray| array.is_valid(row).then(|| array.value(row).to_owned());
            let time = |array: &TimestampMillisecondArray| {
                array
                    .is_valid(row)
                    .then(|| DateTime::<Utc>::from_timestamp_millis(array.value(row)))
                    .flatten()
            };
            let unsigned = |array: &Int64Array, column| {
                u64::try_from(array.value(row))
                    .map_err(|_| parquet_error(format!("{column} holds a negative id")))
            };
            records.push(CreativeRecord {
                creative_id: CreativeId(unsigned(creative_ids, "creative_id")?),
                campaign_id: CampaignId(unsigned(campaign_ids, "campaign_id")?),
                campaign_name: text(campaign_names).unwrap_or_default(),
                name: text(names),
                status: text(statuses).unwrap_or_default(),
                copy: AdCopy {
                    commentary: text(commentaries),
                    headline: text(headlines),
                    description: text(descriptions),
                    landing_page: text(landing_pages),
                    call_to_action: text(calls),
                },
                post_urn: text(posts)
                    .map(|urn| urn.parse().map_err(parquet_error))
                    .transpose()?,
                created_at: time(created),
                last_modified_at: time(modified),
                collected_at: time(collected)
                    .ok_or_else(|| parquet_error("collected_at is null"))?,
            });
        }
    }
    Ok(records)
}

/// Reads a `creative_daily` file written by [`creative_daily_file`]; `date` and `account`
/// come from its key (they are partition keys, not columns).
pub fn read_creative_daily(
    file: Bytes,
    date: NaiveDate,
    account: AccountId,
) -> Result<Vec<DailyRow>, CuratedError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.build())
        .map_err(parquet_error)?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(parquet_error)?;
        let columns = Columns(&batch);
        let counts = |name| columns.counts(name);
        let (campaigns, creatives) = (counts("campaign_id")?, counts("creative_id")?);
        let (impressions, clicks) = (counts("impressions")?, counts("clicks")?);
        let landing_page_clicks = counts("landing_page_clicks")?;
        let cost_in_usd = columns.money("cost_in_usd")?;
        let cost_in_local_currency = columns.money("cost_in_local_currency")?;
        let external_website_conversions = counts("external_website_conversions")?;
        let one_click_leads = counts("one_click_leads")?;
        let one_click_lead_form_opens = counts("one_click_lead_form_opens")?;
        let (likes, comments) = (counts("likes")?, counts("comments")?);
        let (shares, follows) = (counts("shares")?, counts("follows")?);
        let total_engagements = counts("total_engagements")?;
        let video_views = counts("video_views")?;
        let approximate_member_reach = counts("approximate_member_reach")?;
        let collected = columns.time("collected_at")?;
        for i in 0..batch.num_rows() {
            let required = |values: &[Option<u64>], name: &str| {
                values[i].ok_or_else(|| parquet_error(format!("{name} is null")))
            };
            let collected_at = collected
                .is_valid(i)
                .then(|| DateTime::<Utc>::from_timestamp_millis(collected.value(i)))
                .flatten()
                .ok_or_else(|| parquet_error("collected_at is null"))?;
            rows.push(DailyRow {
                day: CreativeDay {
                    date,
                    account,
                    campaign: CampaignId(required(&campaigns, "campaign_id")?),
                    creative: CreativeId(required(&creatives, "creative_id")?),
                    impressions: impressions[i],
                    clicks: clicks[i],
                    landing_page_clicks: landing_page_clicks[i],
                    cost_in_usd: cost_in_usd[i],
                    cost_in_local_currency: cost_in_local_currency[i],
                    external_website_conversions: external_website_conversions[i],
                    one_click_leads: one_click_leads[i],
                    one_click_lead_form_opens: one_click_lead_form_opens[i],
                    likes: likes[i],
                    comments: comments[i],
                    shares: shares[i],
                    follows: follows[i],
                    total_engagements: total_engagements[i],
                    video_views: video_views[i],
                    approximate_member_reach: approximate_member_reach[i],
                },
                collected_at,
            });
        }
    }
    Ok(rows)
}

/// Typed access to a batch's columns by name.
struct Columns<'a>(&'a RecordBatch);

impl<'a> Columns<'a> {
    fn get<T: 'static>(&self, name: &str) -> Result<&'a T, CuratedError> {
        self.0
            .column_by_name(name)
            .ok_or_else(|| parquet_error(format!("no column {name}")))?
            .as_any()
            .downcast_ref::<T>()
            .ok_or_else(|| parquet_error(format!("column {name} has another type")))
    }

    fn int64(&self, name: &str) -> Result<&'a Int64Array, CuratedError> {
        self.get(name)
    }

    fn text(&self, name: &str) -> Result<&'a StringArray, CuratedError> {
        self.get(name)
    }

    fn time(&self, name: &str) -> Result<&'a TimestampMillisecondArray, CuratedError> {
        self.get(name)
    }

    /// A count column as unsigned values, NULL kept as `None`.
    fn counts(&self, name: &str) -> Result<Vec<Option<u64>>, CuratedError> {
        self.int64(name)?
            .iter()
            .map(|value| {
                value
                    .map(|v| {
                        u64::try_from(v).map_err(|_| parquet_error(format!("{name} is negative")))
                    })
                    .transpose()
            })
            .collect()
    }

    /// A money column as exact decimals, NULL kept as `None`.
    fn money(&self, name: &str) -> Result<Vec<Option<Decimal>>, CuratedError> {
        let array: &Decimal128Array = self.get(name)?;
        if array.scale() != MONEY_SCALE {
            return Err(parquet_error(format!("{name} has scale {}", array.scale())));
        }
        Ok(array
            .iter()
            .map(|v| v.map(|units| Decimal::from_i128_with_scale(units, MONEY_SCALE as u32)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::CreativeDayKey;
    use arrow::array::AsArray;
    use arrow::datatypes::{Decimal128Type, Int64Type, TimestampMillisecondType};
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 8, 20, 6, 30, 15).unwrap()
    }

    fn row(campaign: u64, creative: u64, metrics: &[(&str, &str)]) -> CreativeDay {
        let key = CreativeDayKey {
            date: NaiveDate::from_ymd_opt(2026, 8, 19).unwrap(),
            account: AccountId(1),
            campaign: CampaignId(campaign),
            creative: CreativeId(creative),
        };
        let values: BTreeMap<String, Decimal> = metrics
            .iter()
            .map(|(name, value)| (name.to_string(), value.parse().unwrap()))
            .collect();
        CreativeDay::from_metrics(key, &values).unwrap()
    }

    fn at_now(rows: &[CreativeDay]) -> Vec<DailyRow> {
        rows.iter()
            .map(|day| DailyRow {
                day: day.clone(),
                collected_at: now(),
            })
            .collect()
    }

    fn read(file: Bytes) -> (SchemaRef, Vec<RecordBatch>) {
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = Arc::clone(builder.schema());
        let batches = builder.build().unwrap().collect::<Result<_, _>>().unwrap();
        (schema, batches)
    }

    #[test]
    fn a_day_file_reads_back_typed_sorted_exact_and_with_nulls_for_unreturned_metrics() {
        // GIVEN three creatives out of order, one with no conversions returned
        let rows = vec![
            row(
                20,
                5,
                &[
                    ("impressions", "100"),
                    ("costInUsd", "12.3456789"),
                    ("oneClickLeads", "2"),
                ],
            ),
            row(
                10,
                9,
                &[
                    ("impressions", "19090"),
                    ("clicks", "100"),
                    ("costInUsd", "209.449"),
                    ("costInLocalCurrency", "0.000001"),
                    ("externalWebsiteConversions", "3"),
                ],
            ),
            row(10, 2, &[("impressions", "0"), ("clicks", "0")]),
        ];
        // WHEN written and read back with the parquet crate's arrow reader
        let file = creative_daily_file(&at_now(&rows)).unwrap();
        let (schema, batches) = read(file);
        // THEN the schema is the documented one, without day or account columns
        assert_eq!(schema.fields(), creative_daily_schema().fields());
        assert!(schema.field_with_name("dt").is_err());
        assert!(schema.field_with_name("account_id").is_err());
        assert_eq!(batches.len(), 1);
        let batch = &batches[0];
        let int = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_primitive::<Int64Type>()
        };
        // AND rows are sorted by (campaign_id, creative_id)
        assert_eq!(int("campaign_id").values().as_ref(), &[10, 10, 20]);
        assert_eq!(int("creative_id").values().as_ref(), &[2, 9, 5]);
        // AND metrics not returned are NULL, while a returned 0 stays 0
        let clicks = int("clicks");
        assert_eq!(clicks.value(0), 0);
        assert!(clicks.is_valid(0) && clicks.is_null(2));
        assert!(int("external_website_conversions").is_null(0));
        assert!(int("likes").is_null(1));
        // AND conversions add website conversions and leads, NULL when neither came
        let conversions = int("conversions");
        assert!(conversions.is_null(0));
        assert_eq!((conversions.value(1), conversions.value(2)), (3, 2));
        // AND money is exact: every digit LinkedIn sent, at 18 decimal places
        let usd = batch
            .column_by_name("cost_in_usd")
            .unwrap()
            .as_primitive::<Decimal128Type>();
        assert_eq!(usd.value_as_string(1), "209.449000000000000000");
        assert_eq!(usd.value_as_string(2), "12.345678900000000000");
        assert!(usd.is_null(0));
        let local = batch
            .column_by_name("cost_in_local_currency")
            .unwrap()
            .as_primitive::<Decimal128Type>();
        assert_eq!(local.value_as_string(1), "0.000001000000000000");
        // AND collected_at is the run's time, in UTC milliseconds
        let collected = batch
            .column_by_name("collected_at")
            .unwrap()
            .as_primitive::<TimestampMillisecondType>();
        assert_eq!(collected.value(0), now().timestamp_millis());
        assert_eq!(
            collected.data_type(),
            &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
        );
    }

    #[test]
    fn a_day_file_reads_back_into_the_rows_it_was_written_from() {
        // GIVEN rows collected at two times, money rounded to the micro-unit already
        let mut rows = at_now(&[
            row(1, 2, &[("impressions", "7"), ("costInUsd", "1.234567")]),
            row(1, 1, &[("clicks", "0"), ("oneClickLeads", "4")]),
        ]);
        rows[0].collected_at = now() - chrono::Days::new(1);
        // WHEN written, read back and written again
        let file = creative_daily_file(&rows).unwrap();
        let date = rows[0].day.date;
        let back = read_creative_daily(file.clone(), date, AccountId(1)).unwrap();
        // THEN the same rows come back (sorted), and rewriting them gives the same bytes
        assert_eq!(back, vec![rows[1].clone(), rows[0].clone()]);
        assert_eq!(creative_daily_file(&back).unwrap(), file);
    }

    #[test]
    fn the_same_rows_write_byte_identical_files_in_any_order() {
        let a = row(1, 1, &[("impressions", "5"), ("costInUsd", "1.5")]);
        let b = row(1, 2, &[("clicks", "1")]);
        let first = creative_daily_file(&at_now(&[a.clone(), b.clone()])).unwrap();
        let second = creative_daily_file(&at_now(&[b, a])).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn a_day_without_rows_is_a_valid_empty_file_with_the_schema() {
        let (schema, batches) = read(creative_daily_file(&[]).unwrap());
        assert_eq!(schema.fields(), creative_daily_schema().fields());
        assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), 0);
    }

    #[test]
    fn the_files_are_snappy_compressed() {
        let file = creative_daily_file(&at_now(&[row(1, 1, &[("impressions", "5")])])).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let column = builder.metadata().row_group(0).column(0);
        assert_eq!(column.compression(), Compression::SNAPPY);
    }

    #[test]
    fn money_beyond_the_column_is_refused_not_wrapped() {
        let huge = row(1, 7, &[("costInUsd", "100000000000000000000")]);
        let err = creative_daily_file(&at_now(&[huge])).unwrap_err();
        assert!(matches!(
            err,
            CuratedError::DoesNotFit {
                column: "cost_in_usd",
                creative: 7,
                ..
            }
        ));
        assert_eq!(
            scaled("13.944527531".parse().unwrap()),
            Some(13_944_527_531_000_000_000)
        );
        assert_eq!(
            scaled("-0.0000000000000000005".parse().unwrap()),
            Some(-1),
            "rounded half away from zero"
        );
    }

    fn record(creative: u64, post: Option<&str>) -> CreativeRecord {
        CreativeRecord {
            creative_id: CreativeId(creative),
            campaign_id: CampaignId(3),
            campaign_name: "Spring launch".into(),
            name: creative.is_multiple_of(2).then(|| format!("Ad {creative}")),
            status: "ACTIVE".into(),
            copy: AdCopy {
                commentary: Some("Ship faster.".into()),
                headline: post.map(|_| "Ship".into()),
                description: None,
                landing_page: Some("https://example.com/a".into()),
                call_to_action: None,
            },
            post_urn: post.map(|p| p.parse().unwrap()),
            created_at: Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
            last_modified_at: None,
            collected_at: now(),
        }
    }

    #[test]
    fn the_creatives_file_round_trips_its_records_sorted() {
        // GIVEN two creatives, one without a post
        let records = vec![record(8, Some("urn:li:share:77")), record(5, None)];
        // WHEN written and read back
        let file = creatives_file(&records).unwrap();
        let back = read_creatives(file.clone()).unwrap();
        // THEN every field survives, sorted by creative
        assert_eq!(back, vec![records[1].clone(), records[0].clone()]);
        let (schema, _) = read(file);
        assert_eq!(schema.fields(), creatives_schema().fields());
    }
}
