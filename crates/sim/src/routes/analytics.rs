//! `GET /rest/adAnalytics` — the finders `q=analytics` (one `pivot`) and `q=statistics`
//! (`pivots=List(...)`, up to 3), as on LinkedIn's Ads Reporting page
//! (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ads-reporting).
//!
//! ```text
//! ?q=analytics&pivot=CREATIVE&timeGranularity=DAILY
//!  &dateRange=(start:(year:2026,month:4,day:1),end:(year:2026,month:4,day:30))
//!  &campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1)
//!  &fields=impressions,clicks,costInUsd,dateRange,pivotValues
//! ```
//! Pivots: CREATIVE, CAMPAIGN, CAMPAIGN_GROUP, ACCOUNT. Granularity: DAILY, MONTHLY, YEARLY,
//! ALL. Filters (at least one): `accounts`, `campaignGroups`, `campaigns`, `creatives`, each a
//! `List` of URNs. At most 20 `fields`; without `fields` only impressions and clicks (and
//! dateRange, pivotValues). Only elements with impressions are returned, at most
//! `max_analytics_elements`, the rest silently dropped — no paging, as LinkedIn does.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value as Json, json};

use super::{Params, json_response};
use crate::errors::ApiError;
use crate::metrics::{METRICS, NON_METRIC_FIELDS, Totals};
use crate::restli::Value;
use crate::state::Sim;
use crate::world::{Creative, World};

/// LinkedIn's cap on `fields` entries per request.
pub const MAX_FIELDS: usize = 20;

/// A pivot dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pivot {
    Creative,
    Campaign,
    CampaignGroup,
    Account,
}

impl Pivot {
    fn parse(s: &str) -> Option<Pivot> {
        match s {
            "CREATIVE" => Some(Pivot::Creative),
            "CAMPAIGN" => Some(Pivot::Campaign),
            "CAMPAIGN_GROUP" => Some(Pivot::CampaignGroup),
            "ACCOUNT" => Some(Pivot::Account),
            _ => None,
        }
    }

    fn key(&self, c: &Creative, world: &World) -> u64 {
        match self {
            Pivot::Creative => c.id,
            Pivot::Campaign => c.campaign,
            Pivot::CampaignGroup => world
                .campaigns
                .get(&c.campaign)
                .map(|x| x.group)
                .unwrap_or(0),
            Pivot::Account => c.account,
        }
    }

    fn urn(&self, id: u64) -> String {
        match self {
            Pivot::Creative => format!("urn:li:sponsoredCreative:{id}"),
            Pivot::Campaign => format!("urn:li:sponsoredCampaign:{id}"),
            Pivot::CampaignGroup => format!("urn:li:sponsoredCampaignGroup:{id}"),
            Pivot::Account => format!("urn:li:sponsoredAccount:{id}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Granularity {
    Daily,
    Monthly,
    Yearly,
    All,
}

fn date_part(v: Option<&Value>, part: &str) -> Option<u32> {
    v?.get(part)?.as_str()?.parse().ok()
}

fn read_date(v: Option<&Value>) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        date_part(v, "year")? as i32,
        date_part(v, "month")?,
        date_part(v, "day")?,
    )
}

fn read_date_range(params: &Params) -> Result<(NaiveDate, Option<NaiveDate>), ApiError> {
    let value = params
        .value("dateRange")?
        .ok_or_else(|| ApiError::missing_param("dateRange"))?;
    let bad = || {
        ApiError::bad_param(
            "dateRange",
            "dateRange must be (start:(year:YYYY,month:M,day:D),end:(year:YYYY,month:M,day:D)) with a valid start not after end",
        )
    };
    let start = read_date(value.get("start")).ok_or_else(bad)?;
    let end = match value.get("end") {
        None => None,
        Some(e) => Some(read_date(Some(e)).ok_or_else(bad)?),
    };
    if end.is_some_and(|e| e < start) {
        return Err(bad());
    }
    Ok((start, end))
}

fn bucket(
    g: Granularity,
    day: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    match g {
        Granularity::Daily => (day, day),
        Granularity::All => (start, end),
        Granularity::Monthly => {
            let first = day.with_day(1).unwrap_or(day);
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(day);
            (first.max(start), last.min(end))
        }
        Granularity::Yearly => {
            let first = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
            let last = NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day);
            (first.max(start), last.min(end))
        }
    }
}

fn date_json(d: NaiveDate) -> Json {
    json!({"year": d.year(), "month": d.month(), "day": d.day()})
}

/// Serves the analytics finders.
pub fn get(sim: &mut Sim, params: &Params) -> Result<Response, ApiError> {
    let q = params.required("q")?;
    let pivots: Vec<Pivot> = match q.as_str() {
        "analytics" => {
            let p = params.required("pivot")?;
            vec![Pivot::parse(&p).ok_or_else(|| {
                ApiError::bad_param(
                    "pivot",
                    format!(
                        "Unsupported pivot '{p}': use CREATIVE, CAMPAIGN, CAMPAIGN_GROUP or ACCOUNT"
                    ),
                )
            })?]
        }
        "statistics" => {
            let value = params
                .value("pivots")?
                .ok_or_else(|| ApiError::missing_param("pivots"))?;
            let items = value.as_list().unwrap_or(&[]);
            if items.is_empty() || items.len() > 3 {
                return Err(ApiError::bad_param(
                    "pivots",
                    "pivots must be List(...) of 1 to 3 pivots",
                ));
            }
            items
                .iter()
                .map(|i| {
                    i.as_str().and_then(Pivot::parse).ok_or_else(|| {
                        ApiError::bad_param("pivots", format!("Unsupported pivot {i:?}"))
                    })
                })
                .collect::<Result<_, _>>()?
        }
        other => {
            return Err(ApiError::bad_param(
                "q",
                format!("Unknown finder q={other}: use analytics or statistics"),
            ));
        }
    };
    let granularity = match params.required("timeGranularity")?.as_str() {
        "DAILY" => Granularity::Daily,
        "MONTHLY" => Granularity::Monthly,
        "YEARLY" => Granularity::Yearly,
        "ALL" => Granularity::All,
        other => {
            return Err(ApiError::bad_param(
                "timeGranularity",
                format!("Unsupported timeGranularity '{other}': use DAILY, MONTHLY, YEARLY or ALL"),
            ));
        }
    };
    let (start, end) = read_date_range(params)?;

    let accounts = params.urn_list("accounts", "sponsoredAccount")?;
    let groups = params.urn_list("campaignGroups", "sponsoredCampaignGroup")?;
    let campaigns = params.urn_list("campaigns", "sponsoredCampaign")?;
    let creatives = params.urn_list("creatives", "sponsoredCreative")?;
    if accounts.is_none() && groups.is_none() && campaigns.is_none() && creatives.is_none() {
        return Err(ApiError::invalid_input(
            "campaigns",
            "MISSING_REQUIRED_FIELD",
            "A facet filter is required: accounts, campaignGroups, campaigns or creatives",
        ));
    }

    let fields: Vec<String> = match params.text("fields")? {
        None => vec![
            "impressions".into(),
            "clicks".into(),
            "dateRange".into(),
            "pivotValues".into(),
        ],
        Some(f) => f
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if fields.len() > MAX_FIELDS {
        // LinkedIn refuses more than 20 projected fields; its exact code and message are not
        // published, so these are the simulator's.
        return Err(ApiError::invalid_input(
            "fields",
            "TOO_MANY_FIELDS",
            format!(
                "At most {MAX_FIELDS} fields may be requested (got {}); split the request",
                fields.len()
            ),
        ));
    }
    if let Some(unknown) = fields
        .iter()
        .find(|f| !METRICS.contains(&f.as_str()) && !NON_METRIC_FIELDS.contains(&f.as_str()))
    {
        return Err(ApiError::invalid_input(
            "fields",
            "INVALID_VALUE_FOR_FIELD",
            format!("Unknown field '{unknown}' in fields"),
        ));
    }
    let metric_fields: Vec<&str> = fields
        .iter()
        .map(String::as_str)
        .filter(|f| METRICS.contains(f))
        .collect();

    let world = &sim.world;
    let today = world.clock.today();
    let lag = world.scenario.calibration.conversion_reporting_lag_days;
    let last = today.pred_opt().unwrap_or(today);
    let range_end = end.unwrap_or(last);
    let delivered_end = range_end.min(last);

    let mut groups_out: BTreeMap<(NaiveDate, Vec<u64>), (NaiveDate, Totals)> = BTreeMap::new();
    if start <= delivered_end {
        for creative in world.creatives.values() {
            let Some(campaign) = world.campaigns.get(&creative.campaign) else {
                continue;
            };
            let keep = accounts
                .as_ref()
                .is_none_or(|a| a.contains(&creative.account))
                && groups.as_ref().is_none_or(|g| g.contains(&campaign.group))
                && campaigns
                    .as_ref()
                    .is_none_or(|c| c.contains(&creative.campaign))
                && creatives.as_ref().is_none_or(|c| c.contains(&creative.id));
            if !keep {
                continue;
            }
            let ids: Vec<u64> = pivots.iter().map(|p| p.key(creative, world)).collect();
            for record in creative.days_between(start, delivered_end) {
                let (b_start, b_end) = bucket(granularity, record.date, start, range_end);
                let entry = groups_out
                    .entry((b_start, ids.clone()))
                    .or_insert_with(|| (b_end, Totals::default()));
                entry.1.add(record, campaign, today, lag);
            }
        }
    }

    let limit = sim.limits.max_analytics_elements;
    let active: Vec<_> = groups_out
        .into_iter()
        .filter(|(_, (_, t))| t.impressions() > 0)
        .take(limit)
        .collect();
    let values = active.len() as u64 * metric_fields.len() as u64;
    sim.quota.take_metric_values(values, &sim.limits)?;
    sim.stats.analytics_elements += active.len() as u64;
    sim.stats.metric_values += values;

    let elements: Vec<Json> = active
        .into_iter()
        .map(|((b_start, ids), (b_end, totals))| {
            let mut element = Map::new();
            for field in &fields {
                match field.as_str() {
                    "pivotValues" => {
                        let urns: Vec<String> =
                            pivots.iter().zip(&ids).map(|(p, id)| p.urn(*id)).collect();
                        element.insert("pivotValues".into(), json!(urns));
                    }
                    "pivotValue" => {
                        element.insert("pivotValue".into(), json!(pivots[0].urn(ids[0])));
                    }
                    "dateRange" => {
                        element.insert(
                            "dateRange".into(),
                            json!({"start": date_json(b_start), "end": date_json(b_end)}),
                        );
                    }
                    metric => {
                        if let Some(v) = totals.value(metric) {
                            element.insert(metric.to_string(), v);
                        }
                    }
                }
            }
            Json::Object(element)
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        json!({"paging": {"start": 0, "count": 10, "links": []}, "elements": elements}),
    ))
}
