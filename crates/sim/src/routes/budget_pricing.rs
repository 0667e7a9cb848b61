//! `GET /rest/adBudgetPricing?q=criteriaV2` — bid and budget guidance for a targeting
//! (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ad-budget-pricing):
//!
//! ```text
//! ?q=criteriaV2&account=urn%3Ali%3AsponsoredAccount%3AN&bidType=CPC&campaignType=SPONSORED_UPDATES
//!  &matchType=EXACT&target=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))))))
//! ```
//! `target` may be written in any Rest.li shape (the campaign's `targetingCriteria`, or
//! `(includedTargetingFacets:(...))`): the simulator reads every targeting-value URN in it,
//! so the same targeting always prices the same, exactly as the delivery model prices it.
//! The answer is `elements[0]` with `bidLimits`, `suggestedBid` and `dailyBudgetLimits`,
//! Money amounts as strings. There is deliberately no campaign parameter: LinkedIn has none.

use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde_json::json;

use super::{Params, json_response, money, urn_id};
use crate::errors::ApiError;
use crate::market::{self, CostType};
use crate::state::Sim;

fn usd(x: f64) -> serde_json::Value {
    money(Decimal::from_f64(x).unwrap_or_default())
}

/// Serves the criteriaV2 finder.
pub fn get(sim: &mut Sim, params: &Params) -> Result<Response, ApiError> {
    params.finder("criteriaV2")?;
    let account = params.required("account")?;
    if !urn_id(&account, "sponsoredAccount").is_some_and(|a| sim.world.accounts.contains_key(&a)) {
        return Err(ApiError::bad_param(
            "account",
            format!("account must be an accessible urn:li:sponsoredAccount:N (got '{account}')"),
        ));
    }
    let bid_type = params.required("bidType")?;
    let cost_type = CostType::parse(&bid_type).ok_or_else(|| {
        ApiError::bad_param(
            "bidType",
            format!("bidType must be CPC or CPM (got '{bid_type}')"),
        )
    })?;
    let campaign_type = params.required("campaignType")?;
    if ![
        "SPONSORED_UPDATES",
        "TEXT_AD",
        "SPONSORED_INMAILS",
        "DYNAMIC",
    ]
    .contains(&campaign_type.as_str())
    {
        return Err(ApiError::bad_param(
            "campaignType",
            format!("Unknown campaignType '{campaign_type}'"),
        ));
    }
    let expanded = match params.required("matchType")?.as_str() {
        "EXACT" => false,
        "AUDIENCE_EXPANDED" => true,
        other => {
            return Err(ApiError::bad_param(
                "matchType",
                format!("matchType must be EXACT or AUDIENCE_EXPANDED (got '{other}')"),
            ));
        }
    };
    let target = params
        .value("target")?
        .ok_or_else(|| ApiError::missing_param("target"))?;
    let urns: Vec<&str> = target
        .leaves()
        .into_iter()
        .filter(|l| l.starts_with("urn:li:"))
        .collect();
    if urns.is_empty() {
        return Err(ApiError::bad_param(
            "target",
            "target must name at least one targeting value URN (e.g. a location)",
        ));
    }
    let p = market::pricing(&market::audience(urns, expanded), cost_type);
    let element = json!({
        "bidLimits": {"min": usd(p.bid_min), "max": usd(p.bid_max)},
        "suggestedBid": {"min": usd(p.suggested_min), "default": usd(p.suggested), "max": usd(p.suggested_max)},
        "dailyBudgetLimits": {"min": usd(p.budget_min), "default": usd(p.budget_default), "max": usd(p.budget_max)},
    });
    Ok(json_response(
        StatusCode::OK,
        json!({"paging": {"start": 0, "count": 10, "links": []}, "elements": [element]}),
    ))
}
