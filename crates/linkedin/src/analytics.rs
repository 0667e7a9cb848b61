//! Ad analytics for any list of metrics: plan, fetch, merge.
//!
//! `GET /adAnalytics?q=analytics` has two limits that shape every query
//! (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ads-reporting):
//! - **at most 20 fields** per request, and `dateRange` and `pivotValues` are fields too, so a
//!   request carries at most 18 metrics; more metrics mean several requests over the same
//!   entities and days, merged back on (pivot value, day);
//! - **at most 15,000 elements** per response, with no paging and no error: the rest is
//!   silently dropped. A request's elements are at most entities × fan-out × days, where the
//!   fan-out is the number of pivot values one filter entity can produce (1 when filter and
//!   pivot are the same kind, LinkedIn's limit otherwise, e.g. 100 creatives per campaign).
//!
//! [`AnalyticsQuery::plan`] picks the requests: metrics in balanced chunks of at most 18, and
//! the entities × days grid cut into as few tiles as it can find whose planned maximum stays
//! strictly below 15,000 (at most [`MAX_PLANNED_ELEMENTS`]). Two tilings are searched — entity
//! groups each with their own day slicing, and day slices each with their own entity
//! batching — by exact dynamic programming over tile shapes, and the one with fewer requests
//! wins; sizes are then balanced. URL length never limits a tile: query tunneling carries
//! any number of URNs.
//!
//! Fetching ([`Client::fetch_analytics`], or one request at a time with
//! [`Client::fetch_planned`]) returns the bodies exactly as received so the caller can store
//! them first; [`AnalyticsPlan::rows`] (or [`AnalyticsResponses::rows`]) then derives rows. Money arrives as
//! strings (`"costInUsd":"209.449"`) and counts as integers; either form is read exactly into
//! a [`Decimal`]. A metric LinkedIn did not return stays absent — never zero.

use std::collections::BTreeMap;
use std::str::FromStr;

use ads::{AccountId, CampaignId, CreativeId};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::restli::{QueryString, Value};
use crate::transport::{ApiRequest, Response};

/// Fields LinkedIn accepts in one request's `fields` projection.
pub const MAX_FIELDS_PER_REQUEST: usize = 20;
/// Fields every request spends on keys: `dateRange` and `pivotValues`.
pub const KEY_FIELDS: [&str; 2] = ["dateRange", "pivotValues"];
/// Metrics per request: the field limit less the key fields.
pub const MAX_METRICS_PER_REQUEST: usize = MAX_FIELDS_PER_REQUEST - KEY_FIELDS.len();
/// LinkedIn's silent truncation point for one response.
pub const ELEMENT_LIMIT: u64 = 15_000;
/// The most elements a planned request may be able to return: strictly below the limit.
pub const MAX_PLANNED_ELEMENTS: u64 = ELEMENT_LIMIT - 1;
/// LinkedIn's limit of creatives per campaign.
pub const CREATIVES_PER_CAMPAIGN: u64 = 100;
/// LinkedIn's limit of campaigns per ad account.
pub const CAMPAIGNS_PER_ACCOUNT: u64 = 5_000;

/// What each row is about (`pivot=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pivot {
    /// One row per creative per day.
    Creative,
    /// One row per campaign per day.
    Campaign,
}

impl Pivot {
    /// LinkedIn's name, e.g. `CREATIVE`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Pivot::Creative => "CREATIVE",
            Pivot::Campaign => "CAMPAIGN",
        }
    }
}

/// Which entities to report on (the finder's facet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyticsFilter {
    /// `accounts=List(...)`.
    Accounts(Vec<AccountId>),
    /// `campaigns=List(...)`.
    Campaigns(Vec<CampaignId>),
    /// `creatives=List(...)`.
    Creatives(Vec<CreativeId>),
}

impl AnalyticsFilter {
    /// The query parameter, e.g. `campaigns`.
    pub fn parameter(&self) -> &'static str {
        match self {
            AnalyticsFilter::Accounts(_) => "accounts",
            AnalyticsFilter::Campaigns(_) => "campaigns",
            AnalyticsFilter::Creatives(_) => "creatives",
        }
    }

    /// The entities' URNs, duplicates dropped, first occurrence kept.
    pub fn urns(&self) -> Vec<String> {
        let urns: Vec<String> = match self {
            AnalyticsFilter::Accounts(ids) => ids.iter().map(AccountId::urn).collect(),
            AnalyticsFilter::Campaigns(ids) => ids.iter().map(CampaignId::urn).collect(),
            AnalyticsFilter::Creatives(ids) => ids.iter().map(CreativeId::urn).collect(),
        };
        let mut seen = std::collections::HashSet::new();
        urns.into_iter()
            .filter(|u| seen.insert(u.clone()))
            .collect()
    }

    /// LinkedIn's bound on pivot values one filter entity can produce for `pivot`.
    pub fn fan_out(&self, pivot: Pivot) -> u64 {
        match (self, pivot) {
            (AnalyticsFilter::Creatives(_), _) => 1,
            (AnalyticsFilter::Campaigns(_), Pivot::Campaign) => 1,
            (AnalyticsFilter::Campaigns(_), Pivot::Creative) => CREATIVES_PER_CAMPAIGN,
            (AnalyticsFilter::Accounts(_), Pivot::Campaign) => CAMPAIGNS_PER_ACCOUNT,
            (AnalyticsFilter::Accounts(_), Pivot::Creative) => {
                CAMPAIGNS_PER_ACCOUNT * CREATIVES_PER_CAMPAIGN
            }
        }
    }
}

/// A daily analytics query: metrics for entities over an inclusive range of UTC days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsQuery {
    /// What each row is about.
    pub pivot: Pivot,
    /// Which entities.
    pub filter: AnalyticsFilter,
    /// First day (UTC), inclusive.
    pub start: NaiveDate,
    /// Last day (UTC), inclusive.
    pub end: NaiveDate,
    /// LinkedIn metric names, e.g. `impressions`, `costInUsd`; any number, duplicates and the
    /// key fields (`dateRange`, `pivotValues`) ignored.
    pub metrics: Vec<String>,
    /// A bound you know on pivot values per filter entity (e.g. the largest creative count of
    /// the campaigns asked about), used instead of LinkedIn's limit; `None` uses the limit.
    pub fan_out: Option<u64>,
}

impl AnalyticsQuery {
    /// A query with LinkedIn's fan-out limits.
    pub fn new<I, S>(
        pivot: Pivot,
        filter: AnalyticsFilter,
        start: NaiveDate,
        end: NaiveDate,
        metrics: I,
    ) -> AnalyticsQuery
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AnalyticsQuery {
            pivot,
            filter,
            start,
            end,
            metrics: metrics.into_iter().map(Into::into).collect(),
            fan_out: None,
        }
    }

    /// The fan-out the plan uses.
    pub fn effective_fan_out(&self) -> u64 {
        self.fan_out
            .unwrap_or_else(|| self.filter.fan_out(self.pivot))
            .max(1)
    }

    /// The requests this query will issue; see [`plan`].
    pub fn plan(&self) -> Result<AnalyticsPlan, Error> {
        plan(self)
    }
}

/// The requests an analytics query issues, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsPlan {
    /// Every request, field chunk by field chunk.
    pub requests: Vec<PlannedRequest>,
    /// The fan-out the tiling assumed.
    pub fan_out: u64,
    /// How many field chunks the metrics were split into.
    pub field_chunks: usize,
    /// How many entity × day tiles each field chunk covers.
    pub tiles: usize,
}

impl AnalyticsPlan {
    /// The largest number of elements any planned request could return; always below
    /// [`ELEMENT_LIMIT`].
    pub fn max_elements(&self) -> u64 {
        self.requests
            .iter()
            .map(|r| r.max_elements)
            .max()
            .unwrap_or(0)
    }

    /// The fewest requests any plan could use: ceil(metrics / 18) × ceil(entities × fan-out
    /// × days / 14,999). Tiles hold whole entity-days, so a plan may need slightly more.
    pub fn lower_bound(metrics: usize, entities: u64, fan_out: u64, days: u64) -> u64 {
        let chunks = metrics.div_ceil(MAX_METRICS_PER_REQUEST) as u64;
        chunks * (entities * fan_out * days).div_ceil(MAX_PLANNED_ELEMENTS)
    }
}

/// One planned `GET /adAnalytics` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRequest {
    /// `pivot=`.
    pub pivot: Pivot,
    /// The filter parameter, e.g. `campaigns`.
    pub filter_parameter: &'static str,
    /// The filter entities' URNs.
    pub entities: Vec<String>,
    /// First day, inclusive.
    pub start: NaiveDate,
    /// Last day, inclusive.
    pub end: NaiveDate,
    /// The metrics asked for (the key fields are added to `fields`).
    pub metrics: Vec<String>,
    /// entities × fan-out × days: the most elements the response can hold.
    pub max_elements: u64,
}

impl PlannedRequest {
    /// The `fields` projection: the metrics then `dateRange,pivotValues`; never over 20.
    pub fn fields(&self) -> Vec<String> {
        self.metrics
            .iter()
            .cloned()
            .chain(KEY_FIELDS.iter().map(|f| (*f).to_owned()))
            .collect()
    }

    /// Days covered.
    pub fn days(&self) -> u64 {
        day_count(self.start, self.end)
    }

    /// The Rest.li query string, e.g. `q=analytics&pivot=CREATIVE&timeGranularity=DAILY
    /// &dateRange=(start:(...),end:(...))&campaigns=List(urn%3A...)&fields=...`.
    pub fn query_string(&self) -> String {
        QueryString::new()
            .text("q", "analytics")
            .text("pivot", self.pivot.as_str())
            .text("timeGranularity", "DAILY")
            .param("dateRange", &Value::date_range(self.start, self.end))
            .param(
                self.filter_parameter,
                &Value::string_list(self.entities.iter().cloned()),
            )
            .fields(self.fields())
            .finish()
    }
}

/// Plans `query`: balanced metric chunks of at most [`MAX_METRICS_PER_REQUEST`], each over the
/// same tiling of entities × days, every tile's `entities × fan-out × days` at most
/// [`MAX_PLANNED_ELEMENTS`]. No entities plan no requests.
///
/// Refused ([`Error::InvalidQuery`]) when there are no metrics, a metric name is not a Rest.li
/// identifier, `end` is before `start`, or one entity on one day could already exceed the
/// limit (an accounts filter with the creative pivot: filter by campaigns instead, or give a
/// known `fan_out`).
pub fn plan(query: &AnalyticsQuery) -> Result<AnalyticsPlan, Error> {
    let invalid = |reason: String| Error::InvalidQuery { reason };
    let metrics = metric_names(&query.metrics).map_err(invalid)?;
    if query.end < query.start {
        return Err(invalid(format!(
            "analytics end {} is before start {}",
            query.end, query.start
        )));
    }
    let fan_out = query.effective_fan_out();
    let cap = MAX_PLANNED_ELEMENTS / fan_out;
    if cap == 0 {
        return Err(invalid(format!(
            "one {} can yield up to {fan_out} {} rows a day, over LinkedIn's {ELEMENT_LIMIT} \
             element limit; filter by campaigns or creatives, or set fan_out to a bound you know",
            query.filter.parameter().trim_end_matches('s'),
            query.pivot.as_str().to_lowercase(),
        )));
    }
    let entities = query.filter.urns();
    let days = day_count(query.start, query.end);
    let tiles = if entities.is_empty() {
        Vec::new()
    } else {
        tile(entities.len() as u64, days, cap)
    };
    let chunks = metric_chunks(&metrics);
    let mut requests = Vec::with_capacity(chunks.len() * tiles.len());
    for chunk in &chunks {
        for t in &tiles {
            let batch = &entities[t.entities.0 as usize..t.entities.1 as usize];
            let start = query.start + Days::new(t.days.0);
            let end = query.start + Days::new(t.days.1 - 1);
            requests.push(PlannedRequest {
                pivot: query.pivot,
                filter_parameter: query.filter.parameter(),
                entities: batch.to_vec(),
                start,
                end,
                metrics: chunk.clone(),
                max_elements: batch.len() as u64 * fan_out * (t.days.1 - t.days.0),
            });
        }
    }
    Ok(AnalyticsPlan {
        requests,
        fan_out,
        field_chunks: chunks.len(),
        tiles: tiles.len(),
    })
}

fn day_count(start: NaiveDate, end: NaiveDate) -> u64 {
    u64::try_from((end - start).num_days() + 1).unwrap_or(0)
}

/// The metric names, de-duplicated in order, key fields dropped, each checked.
fn metric_names(requested: &[String]) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for name in requested {
        let name = name.trim();
        if KEY_FIELDS.contains(&name) || names.iter().any(|n| n == name) {
            continue;
        }
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid {
            return Err(format!(
                "metric '{name}' is not a LinkedIn metric name (letters and digits, e.g. \
                 costInUsd)"
            ));
        }
        names.push(name.to_owned());
    }
    if names.is_empty() {
        return Err("an analytics query needs at least one metric, e.g. impressions".into());
    }
    Ok(names)
}

/// Splits metrics into the fewest chunks of at most 18, sizes differing by at most one.
fn metric_chunks(metrics: &[String]) -> Vec<Vec<String>> {
    let count = metrics.len().div_ceil(MAX_METRICS_PER_REQUEST);
    balanced(metrics.len() as u64, count as u64)
        .into_iter()
        .map(|(a, b)| metrics[a as usize..b as usize].to_vec())
        .collect()
}

/// Cuts `0..total` into `parts` consecutive ranges whose lengths differ by at most one.
fn balanced(total: u64, parts: u64) -> Vec<(u64, u64)> {
    let parts = parts.clamp(1, total.max(1));
    let (base, extra) = (total / parts, total % parts);
    let mut ranges = Vec::with_capacity(parts as usize);
    let mut at = 0;
    for i in 0..parts {
        let len = base + u64::from(i < extra);
        ranges.push((at, at + len));
        at += len;
    }
    ranges
}

/// One request's share of the grid: entity indices × day offsets, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tile {
    entities: (u64, u64),
    days: (u64, u64),
}

/// Tiles `entities × days` into rectangles of at most `cap` entity-days, as few as found.
fn tile(entities: u64, days: u64, cap: u64) -> Vec<Tile> {
    let by_days = strips(days, entities, cap);
    let by_entities = strips(entities, days, cap);
    // On a tie, prefer date slices over all entities: fewer distinct URN lists.
    if by_days.len() <= by_entities.len() {
        by_days
            .into_iter()
            .map(|(d, e)| Tile {
                entities: e,
                days: d,
            })
            .collect()
    } else {
        by_entities
            .into_iter()
            .map(|(e, d)| Tile {
                entities: e,
                days: d,
            })
            .collect()
    }
}

/// Covers a `major × minor` grid with strips along `major`, each strip cut evenly along
/// `minor`; every piece has at most `cap` cells. Returns (major range, minor range) pieces.
///
/// A strip `w` wide, cut into `k` pieces, covers `w` major units at a cost of `k` requests
/// and needs `w × ceil(minor / k) ≤ cap`. For each `k` only the widest strip matters; an
/// unbounded covering knapsack over those shapes finds the cheapest set of strips, which
/// are then narrowed evenly so no piece is fuller than it must be.
fn strips(major: u64, minor: u64, cap: u64) -> Vec<((u64, u64), (u64, u64))> {
    // Shapes (pieces, width), widths strictly increasing with pieces.
    let mut shapes: Vec<(u64, u64)> = Vec::new();
    let mut k = 1;
    while k <= minor {
        let piece = minor.div_ceil(k);
        let width = (cap / piece).min(major);
        if width > 0 && shapes.last().is_none_or(|&(_, w)| width > w) {
            shapes.push((k, width));
        }
        if width >= major {
            break;
        }
        // Jump to the next k that shortens the piece.
        k = if piece > 1 {
            minor.div_ceil(piece - 1)
        } else {
            minor + 1
        };
    }
    if shapes.is_empty() {
        return Vec::new();
    }
    // cost[n]: fewest pieces covering n major units; choice[n]: the shape used last.
    let n = major as usize;
    let mut cost = vec![u64::MAX; n + 1];
    let mut choice = vec![0usize; n + 1];
    cost[0] = 0;
    for covered in 1..=n {
        for (i, &(pieces, width)) in shapes.iter().enumerate() {
            let rest = covered.saturating_sub(width as usize);
            let total = cost[rest].saturating_add(pieces);
            if total < cost[covered] {
                cost[covered] = total;
                choice[covered] = i;
            }
        }
    }
    let mut chosen: Vec<(u64, u64)> = Vec::new();
    let mut left = n;
    while left > 0 {
        let shape = shapes[choice[left]];
        chosen.push(shape);
        left = left.saturating_sub(shape.1 as usize);
    }
    // Widest capacity first, then share the major units out in proportion to capacity.
    chosen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let capacity: u64 = chosen.iter().map(|s| s.1).sum();
    let mut widths: Vec<u64> = chosen
        .iter()
        .map(|&(_, w)| (major as u128 * w as u128 / capacity as u128) as u64)
        .collect();
    let mut short = major - widths.iter().sum::<u64>();
    while short > 0 {
        for (width, &(_, max)) in widths.iter_mut().zip(&chosen) {
            if short > 0 && *width < max {
                *width += 1;
                short -= 1;
            }
        }
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for &width in &widths {
        if width == 0 {
            continue;
        }
        // A strip narrowed by balancing may need fewer pieces than its shape had.
        let k = minor.div_ceil(cap / width);
        for minor_range in balanced(minor, k) {
            pieces.push(((at, at + width), minor_range));
        }
        at += width;
    }
    pieces
}

/// The responses of an analytics query, exactly as received, before anything is derived.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyticsResponses {
    /// The plan that was run; `bodies[i]` answers `plan.requests[i]`.
    pub plan: AnalyticsPlan,
    /// Each response body exactly as received.
    pub bodies: Vec<String>,
    /// HTTP requests made, retries included.
    pub requests: u32,
}

/// One pivot value's metrics on one day, merged across field chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsRow {
    /// The pivot value's URN, e.g. `urn:li:sponsoredCreative:123`.
    pub pivot_value: String,
    /// The UTC day.
    pub date: NaiveDate,
    /// Metric values by LinkedIn's names; a metric LinkedIn did not return is absent.
    pub metrics: BTreeMap<String, Decimal>,
}

impl AnalyticsRow {
    /// The creative, when the pivot value is one.
    pub fn creative(&self) -> Option<CreativeId> {
        self.pivot_value
            .strip_prefix(CreativeId::URN_PREFIX)
            .and_then(|_| self.pivot_value.parse().ok())
    }

    /// The campaign, when the pivot value is one.
    pub fn campaign(&self) -> Option<CampaignId> {
        self.pivot_value
            .strip_prefix(CampaignId::URN_PREFIX)
            .and_then(|_| self.pivot_value.parse().ok())
    }
}

/// Rows derived from an analytics query, with what they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyticsReport {
    /// One row per (pivot value, day) that LinkedIn reported, ordered by both.
    pub rows: Vec<AnalyticsRow>,
    /// Each response body exactly as received, in plan order.
    pub raw: Vec<String>,
    /// HTTP requests made, retries included.
    pub requests: u32,
}

/// A response, its elements left unparsed until they are merged one by one.
#[derive(Deserialize)]
struct AnalyticsPage<'a> {
    #[serde(default, borrow)]
    elements: Vec<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
struct DateRangeWire {
    start: DateWire,
}

#[derive(Deserialize)]
struct DateWire {
    year: i32,
    month: u32,
    day: u32,
}

impl AnalyticsPlan {
    /// Merges response bodies into rows on (pivot value, day), without sending anything:
    /// `bodies[i]` answers `requests[i]`. Bodies beyond the plan's requests are ignored, and
    /// requests without a body contribute nothing. See [`RowMerger`] to merge bodies one at a
    /// time as they arrive.
    pub fn rows(&self, bodies: &[String]) -> Result<Vec<AnalyticsRow>, Error> {
        let mut merger = RowMerger::default();
        for (request, body) in self.requests.iter().zip(bodies) {
            merger.add(request, body)?;
        }
        Ok(merger.into_rows().collect())
    }
}

/// Rows merged on (pivot value, day) from responses added one at a time (e.g. each fetched
/// with [`Client::fetch_planned`] and stored as it arrived), so a caller never holds more
/// than one response body. Each body contributes only the metrics its request asked for; a
/// metric absent (or `null`) in LinkedIn's answer stays absent from the row.
///
/// Memory matters here (a 90-day backfill of 200 creatives is 18,000 rows): a response is
/// read element by element, and rows are kept as one slot per metric until
/// [`RowMerger::into_rows`] hands them out one at a time.
#[derive(Debug, Default)]
pub struct RowMerger {
    /// Metric names in the order first seen; a row's slot `i` holds `metrics[i]`.
    metrics: Vec<String>,
    merged: BTreeMap<(String, NaiveDate), Vec<Option<Decimal>>>,
}

impl RowMerger {
    /// Merges the body that answered `request`.
    pub fn add(&mut self, request: &PlannedRequest, body: &str) -> Result<(), Error> {
        let slots: Vec<usize> = request
            .metrics
            .iter()
            .map(|metric| self.slot(metric))
            .collect();
        let page: AnalyticsPage<'_> =
            serde_json::from_str(body).map_err(|e| Error::invalid_response(WHAT, e))?;
        if page.elements.len() as u64 >= ELEMENT_LIMIT {
            tracing::warn!(
                elements = page.elements.len(),
                "an ad analytics response reached LinkedIn's element limit and may be truncated"
            );
        }
        for raw in page.elements {
            let element: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(raw.get()).map_err(|e| Error::invalid_response(WHAT, e))?;
            let key = (pivot_value(&element)?, element_date(&element)?);
            let row = self.merged.entry(key).or_default();
            for (metric, &slot) in request.metrics.iter().zip(&slots) {
                let Some(value) = element.get(metric) else {
                    continue;
                };
                if let Some(value) = metric_value(metric, value)? {
                    if row.len() <= slot {
                        row.resize(slot + 1, None);
                    }
                    row[slot] = Some(value);
                }
            }
        }
        Ok(())
    }

    /// The merged rows, ordered by pivot value then day, each built as it is taken.
    pub fn into_rows(self) -> impl Iterator<Item = AnalyticsRow> {
        let metrics = self.metrics;
        self.merged
            .into_iter()
            .map(move |((pivot_value, date), values)| AnalyticsRow {
                pivot_value,
                date,
                metrics: metrics
                    .iter()
                    .zip(values)
                    .filter_map(|(name, value)| Some((name.clone(), value?)))
                    .collect(),
            })
    }

    /// The slot of `metric`, assigned on first sight.
    fn slot(&mut self, metric: &str) -> usize {
        match self.metrics.iter().position(|known| known == metric) {
            Some(slot) => slot,
            None => {
                self.metrics.push(metric.to_owned());
                self.metrics.len() - 1
            }
        }
    }
}

impl AnalyticsResponses {
    /// Merges the responses into rows on (pivot value, day); see [`AnalyticsPlan::rows`].
    pub fn rows(&self) -> Result<Vec<AnalyticsRow>, Error> {
        self.plan.rows(&self.bodies)
    }
}

const WHAT: &str = "ad analytics";

/// The day an element covers: the start of its `dateRange`.
fn element_date(element: &serde_json::Map<String, serde_json::Value>) -> Result<NaiveDate, Error> {
    let range: DateRangeWire = element
        .get("dateRange")
        .cloned()
        .ok_or_else(|| Error::invalid_response(WHAT, "an element has no dateRange"))
        .and_then(|v| serde_json::from_value(v).map_err(|e| Error::invalid_response(WHAT, e)))?;
    NaiveDate::from_ymd_opt(range.start.year, range.start.month, range.start.day)
        .ok_or_else(|| Error::invalid_response(WHAT, "dateRange.start is not a date"))
}

fn pivot_value(element: &serde_json::Map<String, serde_json::Value>) -> Result<String, Error> {
    let from_list = element
        .get("pivotValues")
        .and_then(|v| v.as_array())
        .and_then(|values| values.first())
        .and_then(|v| v.as_str());
    from_list
        .or_else(|| element.get("pivotValue").and_then(|v| v.as_str()))
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_response(WHAT, "an element has no pivotValues"))
}

/// Reads a metric exactly from a JSON number or a decimal string; `null` is absent.
fn metric_value(metric: &str, value: &serde_json::Value) -> Result<Option<Decimal>, Error> {
    let text = match value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_owned(),
        other => {
            return Err(Error::invalid_response(
                WHAT,
                format!("metric {metric} is neither a number nor a decimal string: {other}"),
            ));
        }
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map(Some)
        .map_err(|_| {
            Error::invalid_response(WHAT, format!("metric {metric} is not a number: '{text}'"))
        })
}

impl Client {
    /// Runs every request of `query`'s plan (see [`plan`]) and returns the bodies as received,
    /// deriving nothing, so they can be stored first. Requests go one at a time.
    pub async fn fetch_analytics(
        &self,
        query: &AnalyticsQuery,
    ) -> Result<AnalyticsResponses, Error> {
        let plan = query.plan()?;
        let mut bodies = Vec::with_capacity(plan.requests.len());
        let mut requests = 0;
        for planned in &plan.requests {
            let response = self.send_planned(planned).await?;
            requests += response.attempts;
            bodies.push(response.body);
        }
        Ok(AnalyticsResponses {
            plan,
            bodies,
            requests,
        })
    }

    /// Sends ONE planned request (with the usual retries) and returns its body exactly as
    /// received, so a caller can store each response as it arrives — a failure on request 3
    /// then leaves responses 1 and 2 stored. Merge the bodies with [`AnalyticsPlan::rows`].
    /// Attempts count in [`Client::requests_sent`].
    pub async fn fetch_planned(&self, planned: &PlannedRequest) -> Result<String, Error> {
        self.send_planned(planned)
            .await
            .map(|response| response.body)
    }

    async fn send_planned(&self, planned: &PlannedRequest) -> Result<Response, Error> {
        let request = ApiRequest::get("/adAnalytics", Some(planned.query_string()));
        self.transport().send(&request).await
    }

    /// Fetches `query` and merges it into rows: [`Client::fetch_analytics`] then
    /// [`AnalyticsResponses::rows`].
    pub async fn analytics(&self, query: &AnalyticsQuery) -> Result<AnalyticsReport, Error> {
        let responses = self.fetch_analytics(query).await?;
        let rows = responses.rows()?;
        Ok(AnalyticsReport {
            rows,
            raw: responses.bodies,
            requests: responses.requests,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn metrics(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("metric{i}")).collect()
    }

    fn creatives(n: u64) -> AnalyticsFilter {
        AnalyticsFilter::Creatives((1..=n).map(CreativeId).collect())
    }

    fn campaigns(n: u64) -> AnalyticsFilter {
        AnalyticsFilter::Campaigns((1..=n).map(CampaignId).collect())
    }

    fn query(filter: AnalyticsFilter, days: u64, metric_count: usize) -> AnalyticsQuery {
        let start = day(2026, 1, 1);
        AnalyticsQuery::new(
            Pivot::Creative,
            filter,
            start,
            start + Days::new(days - 1),
            metrics(metric_count),
        )
    }

    /// Every (entity, day) is covered exactly once per field chunk, and the bounds hold.
    fn assert_sound(query: &AnalyticsQuery, plan: &AnalyticsPlan) {
        let entities = query.filter.urns();
        let days = day_count(query.start, query.end);
        for request in &plan.requests {
            assert!(request.fields().len() <= MAX_FIELDS_PER_REQUEST);
            assert!(request.max_elements < ELEMENT_LIMIT);
            assert_eq!(
                request.max_elements,
                request.entities.len() as u64 * plan.fan_out * request.days()
            );
        }
        let mut seen = std::collections::HashMap::new();
        for request in &plan.requests {
            for entity in &request.entities {
                for offset in 0..request.days() {
                    for metric in &request.metrics {
                        *seen
                            .entry((
                                entity.clone(),
                                request.start + Days::new(offset),
                                metric.clone(),
                            ))
                            .or_insert(0) += 1;
                    }
                }
            }
        }
        let metric_count = metric_names(&query.metrics).unwrap().len();
        assert_eq!(seen.len(), entities.len() * days as usize * metric_count);
        assert!(seen.values().all(|&n| n == 1));
    }

    #[test]
    fn thirty_metrics_split_into_two_chunks_within_twenty_fields() {
        // GIVEN 30 metrics for a handful of creatives over a week
        let q = query(creatives(5), 7, 30);
        // WHEN planned
        let plan = q.plan().unwrap();
        // THEN two requests, each ≤ 20 fields counting dateRange and pivotValues
        assert_eq!(plan.field_chunks, 2);
        assert_eq!(plan.requests.len(), 2);
        for request in &plan.requests {
            let fields = request.fields();
            assert!(fields.len() <= 20, "{fields:?}");
            assert!(fields.ends_with(&["dateRange".into(), "pivotValues".into()]));
        }
        assert_sound(&q, &plan);
        // AND 18 metrics fit one request, 19 do not
        assert_eq!(query(creatives(5), 7, 18).plan().unwrap().requests.len(), 1);
        assert_eq!(query(creatives(5), 7, 19).plan().unwrap().requests.len(), 2);
    }

    #[test]
    fn two_hundred_creatives_over_ninety_days_take_two_balanced_slices() {
        // GIVEN 200 creatives × 90 days = 18,000 creative-days
        let q = query(creatives(200), 90, 10);
        // WHEN planned
        let plan = q.plan().unwrap();
        // THEN two requests of 9,000 each
        assert_eq!(plan.requests.len(), 2);
        assert!(plan.requests.iter().all(|r| r.max_elements == 9_000));
        assert_sound(&q, &plan);
    }

    #[test]
    fn a_campaigns_filter_with_the_creative_pivot_uses_fan_out_one_hundred() {
        // GIVEN 10 campaigns over 30 days, pivoting by creative
        let q = query(campaigns(10), 30, 5);
        // WHEN planned
        let plan = q.plan().unwrap();
        // THEN each campaign counts for 100 creatives: 30,000 elements need 3 requests
        assert_eq!(plan.fan_out, 100);
        assert_eq!(plan.requests.len(), 3);
        assert!(plan.max_elements() < ELEMENT_LIMIT);
        assert_sound(&q, &plan);
        // AND filtering and pivoting on campaigns has fan-out 1
        let same = AnalyticsQuery {
            pivot: Pivot::Campaign,
            ..q.clone()
        };
        assert_eq!(same.plan().unwrap().fan_out, 1);
        assert_eq!(same.plan().unwrap().requests.len(), 1);
    }

    #[test]
    fn edge_cases_stay_below_the_element_limit() {
        // GIVEN one entity on one day, and 20,000 entities on one day
        let single = query(campaigns(1), 1, 1);
        let many = query(creatives(20_000), 1, 1);
        // WHEN planned
        let single_plan = single.plan().unwrap();
        let many_plan = many.plan().unwrap();
        // THEN both are sound, one request and two balanced ones
        assert_eq!(single_plan.requests.len(), 1);
        assert_eq!(single_plan.max_elements(), 100);
        assert_eq!(many_plan.requests.len(), 2);
        assert_eq!(many_plan.max_elements(), 10_000);
        assert_sound(&single, &single_plan);
        assert_sound(&many, &many_plan);
        // AND exactly 14,999 creative-days fit one request, 15,000 do not
        assert_eq!(
            query(creatives(14_999), 1, 1)
                .plan()
                .unwrap()
                .requests
                .len(),
            1
        );
        assert_eq!(
            query(creatives(15_000), 1, 1)
                .plan()
                .unwrap()
                .requests
                .len(),
            2
        );
    }

    #[test]
    fn plans_stay_at_or_next_to_the_theoretical_minimum_across_a_sweep() {
        // GIVEN a spread of shapes, for creatives (fan-out 1) and campaigns (fan-out 100)
        for fan_out in [1u64, 100] {
            let cap = MAX_PLANNED_ELEMENTS / fan_out;
            for entities in [
                1u64, 2, 3, 7, 49, 50, 149, 150, 166, 167, 200, 999, 5_000, 20_000,
            ] {
                for days in [1u64, 2, 7, 30, 31, 90, 365] {
                    // WHEN the grid is tiled
                    let tiles = tile(entities, days, cap);
                    // THEN no tile can reach the limit
                    let widest = tiles
                        .iter()
                        .map(|t| (t.entities.1 - t.entities.0) * (t.days.1 - t.days.0))
                        .max()
                        .unwrap();
                    assert!(widest * fan_out < ELEMENT_LIMIT);
                    // AND the count is never below the theoretical minimum (a check of the
                    // bound itself), and within one (or 1%) of what whole entity-days allow
                    // (149 campaign-days a tile, a prime, does not always pack); with
                    // fan-out 1 it is exactly the theoretical minimum
                    let count = tiles.len() as u64;
                    let bound = AnalyticsPlan::lower_bound(1, entities, fan_out, days);
                    let whole = (entities * days).div_ceil(cap);
                    assert!(count >= bound);
                    assert!(
                        count <= whole + (whole / 100).max(1),
                        "{entities} × {days} × {fan_out}: {count} tiles, {whole} whole"
                    );
                    if fan_out == 1 {
                        assert_eq!(count, bound, "{entities} × {days}");
                    }
                }
            }
        }
    }

    #[test]
    fn planned_requests_cover_every_entity_day_and_metric_exactly_once() {
        for (filter, days) in [
            (creatives(7), 365),
            (creatives(999), 31),
            (campaigns(50), 90),
            (campaigns(167), 7),
            (campaigns(3), 2),
        ] {
            let q = query(filter, days, 20);
            let plan = q.plan().unwrap();
            assert_eq!(plan.requests.len(), 2 * plan.tiles);
            assert_sound(&q, &plan);
        }
    }

    #[test]
    fn mixes_strip_shapes_when_one_shape_wastes_requests() {
        // GIVEN 50 campaigns × 90 days with the creative pivot: 4,500 campaign-days, 149 a tile
        let q = query(campaigns(50), 90, 1);
        // WHEN planned
        let plan = q.plan().unwrap();
        // THEN 31 requests, the fewest whole tiles can do (4,500 / 149 → 31)
        assert_eq!(plan.requests.len(), 31);
        assert_sound(&q, &plan);
    }

    #[test]
    fn refuses_queries_no_plan_can_serve() {
        // GIVEN an accounts filter with the creative pivot (500,000 creatives per account)
        let accounts = AnalyticsQuery::new(
            Pivot::Creative,
            AnalyticsFilter::Accounts(vec![AccountId(1)]),
            day(2026, 1, 1),
            day(2026, 1, 1),
            ["impressions"],
        );
        // THEN it is refused with the fix, unless a known fan-out is given
        let err = accounts.plan().unwrap_err();
        assert_eq!(err.name(), ads::error_names::LINKEDIN_BAD_REQUEST);
        assert!(err.to_string().contains("filter by campaigns"), "{err}");
        let known = AnalyticsQuery {
            fan_out: Some(300),
            ..accounts.clone()
        };
        assert_eq!(known.plan().unwrap().requests.len(), 1);
        // AND no metrics, a bad metric name, or a reversed range are refused
        let mut bad = query(creatives(1), 1, 1);
        bad.metrics = vec!["dateRange".into()];
        assert!(bad.plan().is_err());
        bad.metrics = vec!["clicks,impressions".into()];
        assert!(bad.plan().is_err());
        let mut reversed = query(creatives(1), 1, 1);
        reversed.end = day(2025, 12, 31);
        assert!(reversed.plan().is_err());
    }

    #[test]
    fn no_entities_plan_no_requests_and_duplicates_count_once() {
        assert!(
            query(creatives(0), 30, 3)
                .plan()
                .unwrap()
                .requests
                .is_empty()
        );
        let mut q = query(creatives(2), 1, 1);
        q.metrics = vec!["clicks".into(), "clicks".into(), "pivotValues".into()];
        q.filter = AnalyticsFilter::Creatives(vec![CreativeId(1), CreativeId(1)]);
        let plan = q.plan().unwrap();
        assert_eq!(plan.requests[0].entities.len(), 1);
        assert_eq!(plan.requests[0].metrics, vec!["clicks".to_owned()]);
    }

    #[test]
    fn a_planned_request_has_linkedins_query_syntax() {
        let q = AnalyticsQuery::new(
            Pivot::Creative,
            AnalyticsFilter::Campaigns(vec![CampaignId(474763193)]),
            day(2026, 4, 1),
            day(2026, 4, 30),
            ["impressions", "clicks", "costInUsd"],
        );
        let plan = q.plan().unwrap();
        assert_eq!(
            plan.requests[0].query_string(),
            "q=analytics&pivot=CREATIVE&timeGranularity=DAILY\
             &dateRange=(start:(year:2026,month:4,day:1),end:(year:2026,month:4,day:30))\
             &campaigns=List(urn%3Ali%3AsponsoredCampaign%3A474763193)\
             &fields=impressions,clicks,costInUsd,dateRange,pivotValues"
        );
    }

    fn responses(chunks: &[&[&str]], bodies: &[&str]) -> AnalyticsResponses {
        let requests = chunks
            .iter()
            .map(|metrics| PlannedRequest {
                pivot: Pivot::Creative,
                filter_parameter: "creatives",
                entities: vec![],
                start: day(2026, 1, 1),
                end: day(2026, 1, 2),
                metrics: metrics.iter().map(|m| m.to_string()).collect(),
                max_elements: 0,
            })
            .collect();
        AnalyticsResponses {
            plan: AnalyticsPlan {
                requests,
                fan_out: 1,
                field_chunks: chunks.len(),
                tiles: 1,
            },
            bodies: bodies.iter().map(|b| b.to_string()).collect(),
            requests: bodies.len() as u32,
        }
    }

    #[test]
    fn merges_chunks_on_pivot_and_day_keeping_absent_metrics_absent_and_money_exact() {
        // GIVEN two field chunks answering for the same creative and days
        let first = r#"{"paging":{},"elements":[
            {"pivotValues":["urn:li:sponsoredCreative:1"],
             "dateRange":{"start":{"year":2026,"month":1,"day":2},"end":{"year":2026,"month":1,"day":2}},
             "impressions":19090,"costInUsd":"209.449"},
            {"pivotValues":["urn:li:sponsoredCreative:1"],
             "dateRange":{"start":{"year":2026,"month":1,"day":1},"end":{"year":2026,"month":1,"day":1}},
             "impressions":"7","costInUsd":0.1}]}"#;
        let second = r#"{"elements":[
            {"pivotValues":["urn:li:sponsoredCreative:1"],
             "dateRange":{"start":{"year":2026,"month":1,"day":2},"end":{"year":2026,"month":1,"day":2}},
             "oneClickLeads":2,"conversionValueInLocalCurrency":"1234567.000001",
             "unasked":5}]}"#;
        let responses = responses(
            &[
                &["impressions", "costInUsd"],
                &[
                    "oneClickLeads",
                    "externalWebsiteConversions",
                    "conversionValueInLocalCurrency",
                ],
            ],
            &[first, second],
        );
        // WHEN merged
        let rows = responses.rows().unwrap();
        // THEN one row per (creative, day), ordered by day
        assert_eq!(rows.len(), 2);
        let (jan1, jan2) = (&rows[0], &rows[1]);
        assert_eq!(jan1.date, day(2026, 1, 1));
        assert_eq!(jan1.creative(), Some(CreativeId(1)));
        // AND the day only the first chunk reported lacks the second chunk's metrics
        assert_eq!(jan1.metrics.len(), 2);
        assert_eq!(jan1.metrics["impressions"], Decimal::from(7));
        assert_eq!(jan1.metrics["costInUsd"], "0.1".parse::<Decimal>().unwrap());
        // AND the other day carries both chunks, money exact, unreturned and unasked absent
        assert_eq!(jan2.metrics["impressions"], Decimal::from(19090));
        assert_eq!(jan2.metrics["costInUsd"].to_string(), "209.449");
        assert_eq!(jan2.metrics["oneClickLeads"], Decimal::from(2));
        assert_eq!(
            jan2.metrics["conversionValueInLocalCurrency"].to_string(),
            "1234567.000001"
        );
        assert!(!jan2.metrics.contains_key("externalWebsiteConversions"));
        assert!(!jan2.metrics.contains_key("unasked"));
    }

    #[test]
    fn a_plan_merges_bodies_fetched_one_by_one_like_the_whole_response_set() {
        // GIVEN one planned request per field chunk and their bodies
        let element = |metric: &str, value: u32| {
            format!(
                r#"{{"elements":[{{"pivotValues":["urn:li:sponsoredCreative:9"],
                "dateRange":{{"start":{{"year":2026,"month":1,"day":1}}}},"{metric}":{value}}}]}}"#
            )
        };
        let bodies = vec![element("clicks", 3), element("impressions", 70)];
        let all = responses(
            &[&["clicks"], &["impressions"]],
            &[bodies[0].as_str(), bodies[1].as_str()],
        );
        // WHEN the plan merges all bodies, and only the first one
        let rows = all.plan.rows(&bodies).unwrap();
        let partial = all.plan.rows(&bodies[..1]).unwrap();
        // THEN all bodies give what the responses give, and a missing body adds nothing
        assert_eq!(rows, all.rows().unwrap());
        assert_eq!(rows[0].metrics.len(), 2);
        assert_eq!(partial[0].metrics.len(), 1);
        assert_eq!(partial[0].metrics["clicks"], Decimal::from(3));
    }

    #[tokio::test]
    async fn fetch_planned_sends_one_request_and_returns_its_body_as_received() {
        use crate::loopback::{response, serve};
        // GIVEN a server answering one analytics request
        let body = r#"{"elements":[],"paging":{"count":0}}"#;
        let (base, received) = serve(vec![response(200, &[], body)]).await;
        let config = crate::Config {
            api_url: base,
            ..crate::Config::default()
        };
        let client = Client::new(config, crate::AccessToken::new("AQV-test"));
        let q = AnalyticsQuery::new(
            Pivot::Creative,
            AnalyticsFilter::Creatives(vec![CreativeId(7)]),
            day(2026, 4, 1),
            day(2026, 4, 2),
            ["clicks"],
        );
        let plan = q.plan().unwrap();
        // WHEN its single request is fetched
        let fetched = client.fetch_planned(&plan.requests[0]).await.unwrap();
        // THEN the body is returned byte for byte, after exactly one request
        assert_eq!(fetched, body);
        assert_eq!(client.requests_sent(), 1);
        let sent = received.lock().unwrap().join("\n");
        assert!(
            sent.contains("/adAnalytics?q=analytics&pivot=CREATIVE"),
            "{sent}"
        );
    }

    #[test]
    fn an_unreadable_metric_or_element_is_an_invalid_response() {
        let bad_metric = r#"{"elements":[{"pivotValues":["urn:li:sponsoredCreative:1"],
            "dateRange":{"start":{"year":2026,"month":1,"day":1}},"clicks":"many"}]}"#;
        let no_pivot = r#"{"elements":[{"dateRange":{"start":{"year":2026,"month":1,"day":1}}}]}"#;
        for body in [bad_metric, no_pivot, "not json"] {
            let err = responses(&[&["clicks"]], &[body]).rows().unwrap_err();
            assert_eq!(
                err.name(),
                ads::error_names::LINKEDIN_INVALID_RESPONSE,
                "{body}"
            );
        }
        let null_metric = r#"{"elements":[{"pivotValues":["urn:li:sponsoredCreative:1"],
            "dateRange":{"start":{"year":2026,"month":1,"day":1}},"clicks":null}]}"#;
        let rows = responses(&[&["clicks"]], &[null_metric]).rows().unwrap();
        assert!(rows[0].metrics.is_empty());
    }
}
