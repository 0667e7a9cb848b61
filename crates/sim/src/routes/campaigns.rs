//! Campaigns under an ad account (learn.microsoft.com/linkedin/marketing/integrations/
//! ads/account-structure/create-and-manage-campaigns):
//!
//! ```text
//! GET  /rest/adAccounts/{a}/adCampaigns?q=search&search=(status:(values:List(ACTIVE,PAUSED)))&pageSize=N&pageToken=T
//! GET  /rest/adAccounts/{a}/adCampaigns/{id}
//! POST /rest/adAccounts/{a}/adCampaigns/{id}   X-RestLi-Method: PARTIAL_UPDATE
//!      {"patch":{"$set":{"unitCost":{"amount":"6.00","currencyCode":"USD"}}}}   → 204
//! ```
//! Search criteria: `status`, `id` (campaign URNs), `campaignGroup` (group URNs) and `type`,
//! each `(values:List(...))`, combined with AND; `sortOrder=ASCENDING|DESCENDING` by id.
//! Updatable: status, name, dailyBudget, unitCost, totalBudget, runSchedule. Bids are checked
//! against the targeting's bid limits (`market::pricing`), daily budgets against $10 and
//! the daily budget maximum.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value as Json, json};

use super::{
    Params, RestRequest, account_in_path, check_transition, json_response, money, not_updatable,
    partial_update_set, read_money, set_status, urn_id,
};
use crate::errors::ApiError;
use crate::market;
use crate::state::Sim;
use crate::world::{CAMPAIGN_STATUSES, Campaign, campaign_transition_allowed};

/// LinkedIn's JSON for a campaign.
pub fn render(c: &Campaign) -> Json {
    let and: Vec<Json> = c
        .targeting
        .iter()
        .map(|(facet, values)| json!({"or": {facet.clone(): values}}))
        .collect();
    let country = match c.targeting_values().find(|u| u.starts_with("urn:li:geo:")) {
        Some("urn:li:geo:101165590") => "GB",
        Some("urn:li:geo:101282230") => "DE",
        Some("urn:li:geo:105015875") => "FR",
        Some("urn:li:geo:101174742") => "CA",
        _ => "US",
    };
    let mut run_schedule = json!({"start": c.run_start_ms});
    if let Some(end) = c.run_end_ms {
        run_schedule["end"] = json!(end);
    }
    let mut body = json!({
        "id": c.id,
        "name": c.name,
        "account": format!("urn:li:sponsoredAccount:{}", c.account),
        "campaignGroup": format!("urn:li:sponsoredCampaignGroup:{}", c.group),
        "status": c.status,
        "type": "SPONSORED_UPDATES",
        "objectiveType": c.objective.as_str(),
        "costType": c.cost_type.as_str(),
        "unitCost": money(c.unit_cost),
        "dailyBudget": money(c.daily_budget),
        "runSchedule": run_schedule,
        "targetingCriteria": {"include": {"and": and}},
        "optimizationTargetType": "NONE",
        "changeAuditStamps": {"created": {"time": c.created_ms}, "lastModified": {"time": c.modified_ms}},
        "locale": {"country": country, "language": "en"},
        "format": c.format,
        "offsiteDeliveryEnabled": false,
        "audienceExpansionEnabled": false,
        "creativeSelection": "ROUND_ROBIN",
        "servingStatuses": [if c.status == "ACTIVE" { "RUNNABLE" } else { "CAMPAIGN_STATUS_HOLD" }],
        "test": false,
        "version": {"versionTag": (c.modified_ms / 1000 % 1000).to_string()},
    });
    if let Some(total) = c.total_budget {
        body["totalBudget"] = money(total);
    }
    body
}

fn values(criteria: &crate::restli::Value, key: &str) -> Result<Option<Vec<String>>, ApiError> {
    let Some(v) = criteria.get(key) else {
        return Ok(None);
    };
    let list = v.get("values").and_then(|l| l.as_list()).ok_or_else(|| {
        ApiError::bad_param(
            &format!("search.{key}"),
            format!("search.{key} must be ({key}:(values:List(...)))"),
        )
    })?;
    Ok(Some(
        list.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
    ))
}

/// `q=search`.
pub fn search(sim: &mut Sim, account: &str, params: &Params) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    params.finder("search")?;
    let criteria = params.value("search")?;
    let (mut statuses, mut ids, mut groups, mut types) = (None, None, None, None);
    if let Some(c) = &criteria {
        if let crate::restli::Value::Object(fields) = c {
            if let Some((unknown, _)) = fields
                .iter()
                .find(|(k, _)| !["status", "id", "campaignGroup", "type"].contains(&k.as_str()))
            {
                return Err(ApiError::bad_param(
                    &format!("search.{unknown}"),
                    format!("Unsupported search criterion '{unknown}'"),
                ));
            }
        } else {
            return Err(ApiError::bad_param(
                "search",
                "search must be (criterion:(values:List(...)))",
            ));
        }
        statuses = values(c, "status")?;
        ids = values(c, "id")?.map(|v| {
            v.iter()
                .filter_map(|u| urn_id(u, "sponsoredCampaign"))
                .collect::<Vec<_>>()
        });
        groups = values(c, "campaignGroup")?.map(|v| {
            v.iter()
                .filter_map(|u| urn_id(u, "sponsoredCampaignGroup"))
                .collect::<Vec<_>>()
        });
        types = values(c, "type")?;
    }
    let window = params.window()?;
    let matching: Vec<&Campaign> = sim
        .world
        .campaigns
        .values()
        .filter(|c| c.account == account)
        .filter(|c| statuses.as_ref().is_none_or(|s| s.contains(&c.status)))
        .filter(|c| ids.as_ref().is_none_or(|i| i.contains(&c.id)))
        .filter(|c| groups.as_ref().is_none_or(|g| g.contains(&c.group)))
        .filter(|_| {
            types
                .as_ref()
                .is_none_or(|t| t.iter().any(|x| x == "SPONSORED_UPDATES"))
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        window.body(matching, |c| render(c)),
    ))
}

fn campaign_in_path<'a>(sim: &'a Sim, account: u64, id: &str) -> Result<&'a Campaign, ApiError> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| sim.world.campaigns.get(&id))
        .filter(|c| c.account == account)
        .ok_or_else(|| {
            ApiError::not_found(format!("Campaign {id} does not exist in account {account}"))
        })
}

/// `GET .../adCampaigns/{id}`.
pub fn get(sim: &mut Sim, account: &str, id: &str) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    let campaign = campaign_in_path(sim, account, id)?;
    Ok(json_response(StatusCode::OK, render(campaign)))
}

fn too_low(field: &str, what: &str, value: Decimal, min: f64) -> ApiError {
    ApiError::invalid_input(
        field,
        "FIELD_VALUE_TOO_LOW",
        format!("{what} {value} is below the minimum {min:.2} USD"),
    )
}

fn too_high(field: &str, what: &str, value: Decimal, max: f64) -> ApiError {
    ApiError::invalid_input(
        field,
        "FIELD_VALUE_TOO_HIGH",
        format!("{what} {value} is above the maximum {max:.2} USD"),
    )
}

/// Reads the Money at `path` and checks it lies within `min..=max` USD, naming it `what`.
fn read_bounded(
    value: &Json,
    path: &str,
    what: &str,
    min: f64,
    max: f64,
) -> Result<Decimal, ApiError> {
    let amount = read_money(value, path)?;
    let a = amount.to_f64().unwrap_or(0.0);
    if a < min {
        return Err(too_low(&format!("{path}.amount"), what, amount, min));
    }
    if a > max {
        return Err(too_high(&format!("{path}.amount"), what, amount, max));
    }
    Ok(amount)
}

/// `POST .../adCampaigns/{id}` with PARTIAL_UPDATE: every change is checked before any applies.
pub fn update(
    sim: &mut Sim,
    account: &str,
    id: &str,
    req: &RestRequest,
) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    let mut next = campaign_in_path(sim, account, id)?.clone();
    let set = partial_update_set(req)?;
    let pricing = market::pricing(&next.audience, next.cost_type);
    for (key, value) in &set {
        let path = format!("patch.$set.{key}");
        match key.as_str() {
            "status" => {
                let status = set_status(value, &path, key, CAMPAIGN_STATUSES)?;
                check_transition(
                    &path,
                    "campaign",
                    &next.status,
                    status,
                    campaign_transition_allowed,
                )?;
                next.status = status.to_string();
            }
            "name" => {
                let name = value
                    .as_str()
                    .filter(|s| !s.trim().is_empty() && s.chars().count() <= 255)
                    .ok_or_else(|| {
                        ApiError::invalid_input(
                            &path,
                            "INVALID_VALUE_FOR_FIELD",
                            "name must be 1 to 255 characters",
                        )
                    })?;
                next.name = name.to_string();
            }
            "unitCost" => {
                next.unit_cost =
                    read_bounded(value, &path, "Bid", pricing.bid_min, pricing.bid_max)?;
            }
            "dailyBudget" => {
                next.daily_budget = read_bounded(
                    value,
                    &path,
                    "Daily budget",
                    pricing.budget_min,
                    pricing.budget_max,
                )?;
            }
            "totalBudget" => {
                // A lifetime budget has a floor but no ceiling.
                next.total_budget = Some(read_bounded(
                    value,
                    &path,
                    "Total budget",
                    pricing.budget_min,
                    f64::INFINITY,
                )?);
            }
            "runSchedule" => {
                let start = value.get("start").and_then(Json::as_i64).ok_or_else(|| {
                    ApiError::invalid_input(
                        &format!("{path}.start"),
                        "MISSING_REQUIRED_FIELD",
                        "runSchedule.start (epoch ms) is required",
                    )
                })?;
                let end = value.get("end").and_then(Json::as_i64);
                if end.is_some_and(|e| e <= start) {
                    return Err(ApiError::invalid_input(
                        &format!("{path}.end"),
                        "INVALID_VALUE_FOR_FIELD",
                        "runSchedule.end must be after start",
                    ));
                }
                next.run_start_ms = start;
                next.run_end_ms = end;
            }
            other => {
                return Err(not_updatable(
                    &path,
                    other,
                    "status, name, dailyBudget, unitCost, totalBudget, runSchedule",
                ));
            }
        }
    }
    next.modified_ms = sim.world.clock.now().timestamp_millis();
    sim.world.campaigns.insert(next.id, next);
    Ok(StatusCode::NO_CONTENT.into_response())
}
