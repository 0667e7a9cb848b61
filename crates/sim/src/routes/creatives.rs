//! Creatives under an ad account (learn.microsoft.com/linkedin/marketing/integrations/
//! ads/account-structure/create-and-manage-creatives):
//!
//! ```text
//! GET  /rest/adAccounts/{a}/creatives?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1)
//!      &creatives=List(...)&intendedStatuses=List(ACTIVE)&sortOrder=ASCENDING&pageSize=N&pageToken=T
//! GET  /rest/adAccounts/{a}/creatives/urn%3Ali%3AsponsoredCreative%3AN
//! POST /rest/adAccounts/{a}/creatives/urn%3Ali%3AsponsoredCreative%3AN   PARTIAL_UPDATE  → 204
//! POST /rest/adAccounts/{a}/creatives  {"campaign","intendedStatus","content":{"reference"}}
//!      → 201, x-restli-id: urn:li:sponsoredCreative:N
//! ```
//! A new creative is under review (review.status PENDING) until the next simulated day and
//! cannot be paused meanwhile; a campaign holds at most 100 creatives.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value as Json, json};

use super::{
    Params, RestRequest, account_in_path, check_transition, created, json_response, not_updatable,
    partial_update_set, set_status, urn_id,
};
use crate::errors::ApiError;
use crate::state::Sim;
use crate::world::{
    CREATIVE_STATUSES, Creative, MAX_CREATIVES_PER_CAMPAIGN, MEMBER_URN, World,
    creative_transition_allowed,
};

/// LinkedIn's JSON for a creative.
pub fn render(c: &Creative, world: &World) -> Json {
    let (serving, holds) = match world.campaigns.get(&c.campaign) {
        Some(campaign) => (c.is_serving_on(campaign), c.serving_hold_reasons(campaign)),
        None => (false, vec!["CAMPAIGN_STOPPED"]),
    };
    json!({
        "id": format!("urn:li:sponsoredCreative:{}", c.id),
        "campaign": format!("urn:li:sponsoredCampaign:{}", c.campaign),
        "account": format!("urn:li:sponsoredAccount:{}", c.account),
        "intendedStatus": c.intended_status,
        "isServing": serving,
        "servingHoldReasons": holds,
        "review": {"status": c.review_status},
        "name": c.name,
        "content": {"reference": c.post},
        "createdAt": c.created_ms,
        "lastModifiedAt": c.modified_ms,
        "createdBy": MEMBER_URN,
        "lastModifiedBy": MEMBER_URN,
        "isTest": false,
    })
}

/// `q=criteria`.
pub fn criteria(sim: &mut Sim, account: &str, params: &Params) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    params.finder("criteria")?;
    let campaigns = params.urn_list("campaigns", "sponsoredCampaign")?;
    let creatives = params.urn_list("creatives", "sponsoredCreative")?;
    let statuses: Option<Vec<String>> = match params.value("intendedStatuses")? {
        None => None,
        Some(v) => Some(
            v.as_list()
                .ok_or_else(|| {
                    ApiError::bad_param("intendedStatuses", "intendedStatuses must be List(...)")
                })?
                .iter()
                .map(|s| {
                    s.as_str()
                        .filter(|s| CREATIVE_STATUSES.contains(s))
                        .map(str::to_string)
                        .ok_or_else(|| {
                            ApiError::bad_param(
                                "intendedStatuses",
                                format!("Unknown intendedStatus {s:?}"),
                            )
                        })
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    let window = params.window()?;
    let matching: Vec<&Creative> = sim
        .world
        .creatives
        .values()
        .filter(|c| c.account == account)
        .filter(|c| campaigns.as_ref().is_none_or(|x| x.contains(&c.campaign)))
        .filter(|c| creatives.as_ref().is_none_or(|x| x.contains(&c.id)))
        .filter(|c| {
            statuses
                .as_ref()
                .is_none_or(|x| x.contains(&c.intended_status))
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        window.body(matching, |c| render(c, &sim.world)),
    ))
}

fn creative_in_path(sim: &Sim, account: u64, urn: &str) -> Result<u64, ApiError> {
    urn_id(urn, "sponsoredCreative")
        .filter(|id| {
            sim.world
                .creatives
                .get(id)
                .is_some_and(|c| c.account == account)
        })
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Creative {urn} does not exist in account {account}"
            ))
        })
}

/// `GET .../creatives/{urn}`.
pub fn get(sim: &mut Sim, account: &str, urn: &str) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    let id = creative_in_path(sim, account, urn)?;
    let creative = sim
        .world
        .creatives
        .get(&id)
        .ok_or_else(|| ApiError::not_found(urn.to_string()))?;
    Ok(json_response(StatusCode::OK, render(creative, &sim.world)))
}

/// `POST .../creatives/{urn}` with PARTIAL_UPDATE (intendedStatus, name).
pub fn update(
    sim: &mut Sim,
    account: &str,
    urn: &str,
    req: &RestRequest,
) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    let id = creative_in_path(sim, account, urn)?;
    let set = partial_update_set(req)?;
    let mut next = sim
        .world
        .creatives
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(urn.to_string()))?;
    for (key, value) in &set {
        let path = format!("patch.$set.{key}");
        match key.as_str() {
            "intendedStatus" => {
                let status = set_status(value, &path, key, CREATIVE_STATUSES)?;
                if next.review_status == "PENDING" && status != next.intended_status {
                    // LinkedIn refuses status changes while a creative is in review; the code
                    // is the simulator's (LinkedIn's is not published).
                    return Err(ApiError::invalid_input(
                        &path,
                        "CREATIVE_UNDER_REVIEW",
                        "The creative is under review and its status cannot change until review completes",
                    ));
                }
                check_transition(
                    &path,
                    "creative",
                    &next.intended_status,
                    status,
                    creative_transition_allowed,
                )?;
                next.intended_status = status.to_string();
            }
            "name" => {
                let name = value
                    .as_str()
                    .filter(|s| s.chars().count() <= 255)
                    .ok_or_else(|| {
                        ApiError::invalid_input(
                            &path,
                            "INVALID_VALUE_FOR_FIELD",
                            "name must be at most 255 characters",
                        )
                    })?;
                next.name = name.to_string();
            }
            other => {
                return Err(not_updatable(&path, other, "intendedStatus and name"));
            }
        }
    }
    next.modified_ms = sim.world.clock.now().timestamp_millis();
    sim.world.creatives.insert(id, next);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST .../creatives`: creates a creative from an existing post.
pub fn create(sim: &mut Sim, account: &str, req: &RestRequest) -> Result<Response, ApiError> {
    let account = account_in_path(sim, account)?;
    let body: Json = serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::new(400, 400, format!("Request body is not valid JSON: {e}")))?;
    let campaign_urn = body.get("campaign").and_then(Json::as_str).unwrap_or("");
    let campaign = urn_id(campaign_urn, "sponsoredCampaign")
        .filter(|id| {
            sim.world
                .campaigns
                .get(id)
                .is_some_and(|c| c.account == account)
        })
        .ok_or_else(|| {
            ApiError::invalid_input(
                "campaign",
                "INVALID_VALUE_FOR_FIELD",
                format!(
                    "campaign must be a campaign URN of account {account} (got '{campaign_urn}')"
                ),
            )
        })?;
    let reference = body
        .pointer("/content/reference")
        .and_then(Json::as_str)
        .unwrap_or("");
    if !sim.world.posts.contains_key(reference) {
        return Err(ApiError::invalid_input(
            "content.reference",
            "INVALID_VALUE_FOR_FIELD",
            format!("content.reference must be an existing post URN (got '{reference}')"),
        ));
    }
    let status = body
        .get("intendedStatus")
        .and_then(Json::as_str)
        .unwrap_or("ACTIVE");
    if !CREATIVE_STATUSES.contains(&status) {
        return Err(ApiError::invalid_input(
            "intendedStatus",
            "INVALID_VALUE_FOR_FIELD",
            format!("intendedStatus must be one of {CREATIVE_STATUSES:?}"),
        ));
    }
    if sim.world.creatives_in(campaign) >= MAX_CREATIVES_PER_CAMPAIGN {
        // LinkedIn caps a campaign at 100 creatives; the code is the simulator's.
        return Err(ApiError::invalid_input(
            "campaign",
            "MAX_CREATIVES_PER_CAMPAIGN_EXCEEDED",
            format!(
                "Campaign {campaign} already has {MAX_CREATIVES_PER_CAMPAIGN} creatives, the maximum"
            ),
        ));
    }
    let id = sim.world.create_creative(campaign, reference, status);
    if let (Some(name), Some(c)) = (
        body.get("name").and_then(Json::as_str),
        sim.world.creatives.get_mut(&id),
    ) {
        c.name = name.to_string();
    }
    Ok(created(&format!("urn:li:sponsoredCreative:{id}")))
}
