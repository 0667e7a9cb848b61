//! The curated Parquet files: their schemas, how rows become files, and reading them back
//! (the partitions to keep other campaigns' rows, the creatives and campaigns files to keep
//! what earlier runs saw).
//!
//! Every file is written whole, in memory, and stored with one atomic `put`. Rows are
//! sorted and the writer's properties are fixed, so the same rows and `collected_at` always
//! give the same bytes: a re-run over unchanged data rewrites identical files. Compression is
//! Snappy, the format Parquet 1.0 pages, the statistics per column chunk — readable by Athena
//! and by DataFusion alike. The three files share one writer ([`parquet_file`]), one set of
//! column builders ([`Built`]) and one set of typed column readers ([`Columns`]).
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
    #[error("{column} cannot hold {value} ({row})")]
    DoesNotFit {
        /// The column.
        column: &'static str,
        /// The value, as text.
        value: String,
        /// The row it is in, e.g. `creative 7` or `campaign 3`.
        row: String,
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

/// The schema of `processed/campaigns/account_id=<id>/part-0.parquet`: the latest state of
/// each campaign of the account — what the decisions need to move a bid or a budget. The
/// account is a partition key in the path.
///
/// | column | type | |
/// |---|---|---|
/// | campaign_id | INT64 | not null |
/// | name | STRING | not null |
/// | status | STRING | not null: ACTIVE, PAUSED, ARCHIVED, ... |
/// | cost_type | STRING | not null: CPC, CPM or CPV |
/// | objective_type | STRING | e.g. WEBSITE_CONVERSION; null when LinkedIn did not say |
/// | unit_cost | DECIMAL(38,18) | the bid, in `currency`; null when none is set |
/// | daily_budget, total_budget | DECIMAL(38,18) | in `currency`; null when none is set |
/// | currency | STRING | ISO 4217 code of the amounts; null when there is no amount |
/// | created_at, last_modified_at | TIMESTAMP(ms, UTC) | null when LinkedIn did not say |
/// | collected_at | TIMESTAMP(ms, UTC) | not null: when the run that last saw it started |
pub fn campaigns_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
        Arc::new(Schema::new(vec![
            Field::new("campaign_id", DataType::Int64, false),
            text("name", false),
            text("status", false),
            text("cost_type", false),
            text("objective_type", true),
            Field::new("unit_cost", money(), true),
            Field::new("daily_budget", money(), true),
            Field::new("total_budget", money(), true),
            text("currency", true),
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

/// One row of the campaigns file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRecord {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// Its name in Campaign Manager.
    pub name: String,
    /// Its status, e.g. `ACTIVE`.
    pub status: String,
    /// What its bid pays for, e.g. `CPC`.
    pub cost_type: String,
    /// LinkedIn's objective, e.g. `WEBSITE_CONVERSION`.
    pub objective_type: Option<String>,
    /// The bid (`unitCost`), in `currency`.
    pub unit_cost: Option<Decimal>,
    /// The daily budget, in `currency`.
    pub daily_budget: Option<Decimal>,
    /// The lifetime budget, in `currency`.
    pub total_budget: Option<Decimal>,
    /// The ISO 4217 code of the amounts.
    pub currency: Option<String>,
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

/// Money in units of 10^-18, rounded half away from zero; `None` past 38 digits.
fn scaled(value: Decimal) -> Option<i128> {
    let rounded =
        value.round_dp_with_strategy(MONEY_SCALE as u32, RoundingStrategy::MidpointAwayFromZero);
    let scaled = rounded
        .mantissa()
        .checked_mul(10i128.pow(MONEY_SCALE as u32 - rounded.scale()))?;
    (scaled.abs() < 10i128.pow(u32::from(MONEY_PRECISION))).then_some(scaled)
}

/// Builds the Arrow columns of a file from its sorted rows; `row` names a row in errors
/// (`creative 7`), so a value that does not fit says where it is.
struct Built<'a, T> {
    rows: Vec<&'a T>,
    row: fn(&T) -> String,
}

impl<'a, T> Built<'a, T> {
    /// The rows of `rows`, sorted by `key`.
    fn sorted<K: Ord>(rows: &'a [T], key: impl Fn(&T) -> K, row: fn(&T) -> String) -> Self {
        let mut rows: Vec<&T> = rows.iter().collect();
        rows.sort_by_key(|r| key(r));
        Built { rows, row }
    }

    fn does_not_fit(&self, column: &'static str, value: impl ToString, r: &T) -> CuratedError {
        CuratedError::DoesNotFit {
            column,
            value: value.to_string(),
            row: (self.row)(r),
        }
    }

    /// An INT64 column of ids or counts; a value past `i64::MAX` is refused.
    fn int64(
        &self,
        column: &'static str,
        get: impl Fn(&T) -> Option<u64>,
    ) -> Result<ArrayRef, CuratedError> {
        let values = self
            .rows
            .iter()
            .map(|r| {
                get(r)
                    .map(|v| i64::try_from(v).map_err(|_| self.does_not_fit(column, v, r)))
                    .transpose()
            })
            .collect::<Result<Vec<Option<i64>>, _>>()?;
        Ok(Arc::new(Int64Array::from(values)))
    }

    /// A DECIMAL(38,18) column; an amount past 38 digits is refused.
    fn money(
        &self,
        column: &'static str,
        get: impl Fn(&T) -> Option<Decimal>,
    ) -> Result<ArrayRef, CuratedError> {
        let values = self
            .rows
            .iter()
            .map(|r| {
                get(r)
                    .map(|v| scaled(v).ok_or_else(|| self.does_not_fit(column, v, r)))
                    .transpose()
            })
            .collect::<Result<Vec<Option<i128>>, _>>()?;
        let array = Decimal128Array::from(values)
            .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
            .map_err(parquet_error)?;
        Ok(Arc::new(array))
    }

    /// A STRING column.
    fn text(&self, get: impl Fn(&T) -> Option<&str>) -> ArrayRef {
        let values: Vec<Option<&str>> = self.rows.iter().map(|r| get(r)).collect();
        Arc::new(StringArray::from(values))
    }

    /// A TIMESTAMP(ms, UTC) column.
    fn time(&self, get: impl Fn(&T) -> Option<DateTime<Utc>>) -> ArrayRef {
        let values: Vec<Option<i64>> = self
            .rows
            .iter()
            .map(|r| get(r).map(|t| t.timestamp_millis()))
            .collect();
        Arc::new(TimestampMillisecondArray::from(values).with_timezone(TIME_ZONE))
    }
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
    let built = Built::sorted(
        rows,
        |r| (r.day.campaign, r.day.creative),
        |r| format!("creative {}", r.day.creative),
    );
    let count = |column, get: fn(&CreativeDay) -> Option<u64>| {
        built.int64(column, |r: &DailyRow| get(&r.day))
    };
    let cost = |column, get: fn(&CreativeDay) -> Option<Decimal>| {
        built.money(column, |r: &DailyRow| get(&r.day))
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
        built.time(|r| Some(r.collected_at)),
    ];
    parquet_file(&creative_daily_schema(), columns)
}

/// The Parquet file of the creatives table for one account: `records` sorted by
/// (campaign_id, creative_id).
pub fn creatives_file(records: &[CreativeRecord]) -> Result<Bytes, CuratedError> {
    let built = Built::sorted(
        records,
        |r| (r.campaign_id, r.creative_id),
        |r| format!("creative {}", r.creative_id),
    );
    let columns: Vec<ArrayRef> = vec![
        built.int64("creative_id", |r| Some(r.creative_id.0))?,
        built.int64("campaign_id", |r| Some(r.campaign_id.0))?,
        built.text(|r| Some(r.campaign_name.as_str())),
        built.text(|r| r.name.as_deref()),
        built.text(|r| Some(r.status.as_str())),
        built.text(|r| r.copy.headline.as_deref()),
        built.text(|r| r.copy.description.as_deref()),
        built.text(|r| r.copy.commentary.as_deref()),
        built.text(|r| r.copy.call_to_action.as_deref()),
        built.text(|r| r.copy.landing_page.as_deref()),
        built.text(|r| r.post_urn.as_ref().map(PostUrn::as_str)),
        built.time(|r| r.created_at),
        built.time(|r| r.last_modified_at),
        built.time(|r| Some(r.collected_at)),
    ];
    parquet_file(&creatives_schema(), columns)
}

/// The Parquet file of the campaigns table for one account: `records` sorted by
/// campaign_id.
pub fn campaigns_file(records: &[CampaignRecord]) -> Result<Bytes, CuratedError> {
    let built = Built::sorted(
        records,
        |r| r.campaign_id,
        |r| format!("campaign {}", r.campaign_id),
    );
    let columns: Vec<ArrayRef> = vec![
        built.int64("campaign_id", |r| Some(r.campaign_id.0))?,
        built.text(|r| Some(r.name.as_str())),
        built.text(|r| Some(r.status.as_str())),
        built.text(|r| Some(r.cost_type.as_str())),
        built.text(|r| r.objective_type.as_deref()),
        built.money("unit_cost", |r| r.unit_cost)?,
        built.money("daily_budget", |r| r.daily_budget)?,
        built.money("total_budget", |r| r.total_budget)?,
        built.text(|r| r.currency.as_deref()),
        built.time(|r| r.created_at),
        built.time(|r| r.last_modified_at),
        built.time(|r| Some(r.collected_at)),
    ];
    parquet_file(&campaigns_schema(), columns)
}

/// The record batches of a Parquet file.
fn batches(file: Bytes) -> Result<Vec<RecordBatch>, CuratedError> {
    ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.build())
        .map_err(parquet_error)?
        .map(|batch| batch.map_err(parquet_error))
        .collect()
}

/// Reads a creatives file written by [`creatives_file`].
pub fn read_creatives(file: Bytes) -> Result<Vec<CreativeRecord>, CuratedError> {
    let mut records = Vec::new();
    for batch in batches(file)? {
        let columns = Columns(&batch);
        let creative_ids = columns.ids("creative_id")?;
        let campaign_ids = columns.ids("campaign_id")?;
        let campaign_names = columns.texts("campaign_name")?;
        let names = columns.texts("name")?;
        let statuses = columns.texts("status")?;
        let headlines = columns.texts("headline")?;
        let descriptions = columns.texts("description")?;
        let commentaries = columns.texts("commentary")?;
        let calls = columns.texts("call_to_action")?;
        let landing_pages = columns.texts("landing_page")?;
        let posts = columns.texts("post_urn")?;
        let created = columns.times("created_at")?;
        let modified = columns.times("last_modified_at")?;
        let collected = columns.times("collected_at")?;
        for i in 0..batch.num_rows() {
            records.push(CreativeRecord {
                creative_id: CreativeId(creative_ids[i]),
                campaign_id: CampaignId(campaign_ids[i]),
                campaign_name: campaign_names[i].clone().unwrap_or_default(),
                name: names[i].clone(),
                status: statuses[i].clone().unwrap_or_default(),
                copy: AdCopy {
                    commentary: commentaries[i].clone(),
                    headline: headlines[i].clone(),
                    description: descriptions[i].clone(),
                    landing_page: landing_pages[i].clone(),
                    call_to_action: calls[i].clone(),
                },
                post_urn: posts[i]
                    .as_deref()
                    .map(|urn| urn.parse().map_err(parquet_error))
                    .transpose()?,
                created_at: created[i],
                last_modified_at: modified[i],
                collected_at: required(collected[i], "collected_at")?,
            });
        }
    }
    Ok(records)
}

/// Reads a campaigns file written by [`campaigns_file`].
pub fn read_campaigns(file: Bytes) -> Result<Vec<CampaignRecord>, CuratedError> {
    let mut records = Vec::new();
    for batch in batches(file)? {
        let columns = Columns(&batch);
        let ids = columns.ids("campaign_id")?;
        let names = columns.texts("name")?;
        let statuses = columns.texts("status")?;
        let cost_types = columns.texts("cost_type")?;
        let objectives = columns.texts("objective_type")?;
        let unit_costs = columns.money("unit_cost")?;
        let daily_budgets = columns.money("daily_budget")?;
        let total_budgets = columns.money("total_budget")?;
        let currencies = columns.texts("currency")?;
        let created = columns.times("created_at")?;
        let modified = columns.times("last_modified_at")?;
        let collected = columns.times("collected_at")?;
        for i in 0..batch.num_rows() {
            records.push(CampaignRecord {
                campaign_id: CampaignId(ids[i]),
                name: names[i].clone().unwrap_or_default(),
                status: statuses[i].clone().unwrap_or_default(),
                cost_type: cost_types[i].clone().unwrap_or_default(),
                objective_type: objectives[i].clone(),
                unit_cost: unit_costs[i],
                daily_budget: daily_budgets[i],
                total_budget: total_budgets[i],
                currency: currencies[i].clone(),
                created_at: created[i],
                last_modified_at: modified[i],
                collected_at: required(collected[i], "collected_at")?,
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
    let mut rows = Vec::new();
    for batch in batches(file)? {
        let columns = Columns(&batch);
        let counts = |name| columns.counts(name);
        let (campaigns, creatives) = (columns.ids("campaign_id")?, columns.ids("creative_id")?);
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
        let collected = columns.times("collected_at")?;
        for i in 0..batch.num_rows() {
            rows.push(DailyRow {
                day: CreativeDay {
                    date,
                    account,
                    campaign: CampaignId(campaigns[i]),
                    creative: CreativeId(creatives[i]),
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
                collected_at: required(collected[i], "collected_at")?,
            });
        }
    }
    Ok(rows)
}

/// A value of a column written not null.
fn required<T>(value: Option<T>, column: &str) -> Result<T, CuratedError> {
    value.ok_or_else(|| parquet_error(format!("{column} is null")))
}

/// Typed access to a batch's columns by name, each read whole into plain values.
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

    /// A count column as unsigned values, NULL kept as `None`.
    fn counts(&self, name: &str) -> Result<Vec<Option<u64>>, CuratedError> {
        let array: &Int64Array = self.get(name)?;
        array
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

    /// A not-null id column as unsigned values.
    fn ids(&self, name: &str) -> Result<Vec<u64>, CuratedError> {
        self.counts(name)?
            .into_iter()
            .map(|id| required(id, name))
            .collect()
    }

    /// A STRING column, NULL kept as `None`.
    fn texts(&self, name: &str) -> Result<Vec<Option<String>>, CuratedError> {
        let array: &StringArray = self.get(name)?;
        Ok(array.iter().map(|v| v.map(str::to_owned)).collect())
    }

    /// A TIMESTAMP(ms) column, NULL (or out of chrono's range) as `None`.
    fn times(&self, name: &str) -> Result<Vec<Option<DateTime<Utc>>>, CuratedError> {
        let array: &TimestampMillisecondArray = self.get(name)?;
        Ok(array
            .iter()
            .map(|v| v.and_then(DateTime::<Utc>::from_timestamp_millis))
            .collect())
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
                ref row,
                ..
            } if row == "creative 7"
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

    fn campaign_record(id: u64, bid: Option<&str>) -> CampaignRecord {
        CampaignRecord {
            campaign_id: CampaignId(id),
            name: format!("Campaign {id}"),
            status: "ACTIVE".into(),
            cost_type: "CPC".into(),
            objective_type: (id == 1).then(|| "WEBSITE_CONVERSION".into()),
            unit_cost: bid.map(|b| b.parse().unwrap()),
            daily_budget: Some("50.25".parse().unwrap()),
            total_budget: None,
            currency: Some("USD".into()),
            created_at: Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
            last_modified_at: None,
            collected_at: now(),
        }
    }

    #[test]
    fn the_campaigns_file_round_trips_its_records_sorted_with_exact_money() {
        // GIVEN two campaigns out of order, one without a bid
        let records = vec![
            campaign_record(9, None),
            campaign_record(1, Some("5.123456789")),
        ];
        // WHEN written and read back
        let file = campaigns_file(&records).unwrap();
        let back = read_campaigns(file.clone()).unwrap();
        // THEN every field survives, sorted by campaign, the schema is the documented one
        assert_eq!(back, vec![records[1].clone(), records[0].clone()]);
        let (schema, batches) = read(file.clone());
        assert_eq!(schema.fields(), campaigns_schema().fields());
        let bid = batches[0]
            .column_by_name("unit_cost")
            .unwrap()
            .as_primitive::<Decimal128Type>();
        assert_eq!(bid.value_as_string(0), "5.123456789000000000");
        assert!(bid.is_null(1));
        // AND the same records in another order give the same bytes
        let reversed: Vec<_> = records.iter().rev().cloned().collect();
        assert_eq!(campaigns_file(&reversed).unwrap(), file);
    }

    #[test]
    fn a_campaign_amount_beyond_the_column_names_the_campaign() {
        let huge = campaign_record(4, Some("100000000000000000000"));
        let err = campaigns_file(&[huge]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unit_cost cannot hold 100000000000000000000 (campaign 4)"
        );
    }

    #[test]
    fn a_campaigns_file_without_rows_is_valid() {
        let file = campaigns_file(&[]).unwrap();
        assert!(read_campaigns(file).unwrap().is_empty());
    }
}
