//! The `/rest` resources, one module each, behind one dispatcher. A request reaches a
//! resource only after `state::Sim::handle_rest` has checked size, auth, version, protocol,
//! quota and faults; the resource then reads its parameters (Rest.li 2.0, via `restli`) and
//! answers LinkedIn's JSON or a LinkedIn error.

pub mod analytics;
pub mod budget_pricing;
pub mod campaigns;
pub mod creatives;
pub mod oauth;
pub mod posts;

use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};

use crate::errors::ApiError;
use crate::paging::{self, Page, Window, fingerprint};
use crate::restli::{self, Value};
use crate::state::Sim;

/// A `/rest` request after tunneling is resolved.
#[derive(Debug, Clone)]
pub struct RestRequest {
    /// The method served (GET for a tunneled request).
    pub method: Method,
    /// Path segments after `/rest/`, percent-decoded.
    pub segments: Vec<String>,
    /// The raw query string served (the URL's, or the tunneled body).
    pub query: String,
    /// Length of the URL's own query string (what the 4 KB limit applies to).
    pub url_query_len: usize,
    /// Request headers.
    pub headers: HeaderMap,
    /// Request body (empty for a tunneled GET).
    pub body: Bytes,
    /// Whether it arrived tunneled.
    pub tunneled: bool,
}

impl RestRequest {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The route template for stats, e.g. `GET /rest/adAccounts/{id}/adCampaigns`.
    pub fn route_label(&self) -> String {
        let segments: Vec<&str> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| if i % 2 == 1 { "{id}" } else { s.as_str() })
            .collect();
        format!("{} /rest/{}", self.method, segments.join("/"))
    }
}

/// Query parameters: decoded names, raw values.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Splits a raw query string.
    pub fn parse(raw: &str) -> Result<Params, ApiError> {
        restli::split_query(raw)
            .map(Params)
            .map_err(|e| ApiError::new(400, 400, format!("Malformed query string: {e}")))
    }

    /// A parameter's raw value.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter as a Rest.li value, if present.
    pub fn value(&self, name: &str) -> Result<Option<Value>, ApiError> {
        self.raw(name)
            .map(|raw| {
                restli::parse(raw).map_err(|e| {
                    ApiError::bad_param(name, format!("Invalid value for '{name}': {e}"))
                })
            })
            .transpose()
    }

    /// A plain (leaf) parameter, decoded.
    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.value(name)? {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::bad_param(
                name,
                format!("'{name}' must be a plain value"),
            )),
        }
    }

    /// A required plain parameter.
    pub fn required(&self, name: &str) -> Result<String, ApiError> {
        self.text(name)?
            .ok_or_else(|| ApiError::missing_param(name))
    }

    /// Checks `q` names the one finder a resource serves.
    pub fn finder(&self, name: &str) -> Result<(), ApiError> {
        match self.required("q")?.as_str() {
            q if q == name => Ok(()),
            other => Err(ApiError::bad_param(
                "q",
                format!("Unknown finder q={other}: use {name}"),
            )),
        }
    }

    /// A finder's `sortOrder`, `pageSize` and `pageToken`, checked in that order (so the
    /// first bad one is the one reported). The token is bound to every other parameter.
    pub fn window(&self) -> Result<Window, ApiError> {
        let descending = paging::descending(self.text("sortOrder")?.as_deref())?;
        let page = Page::read(
            self.text("pageSize")?.as_deref(),
            self.text("pageToken")?.as_deref(),
            fingerprint(&self.0),
        )?;
        Ok(Window { descending, page })
    }

    /// A `List(...)` of URNs of one type, as ids; `None` when absent.
    pub fn urn_list(&self, name: &str, kind: &str) -> Result<Option<Vec<u64>>, ApiError> {
        let Some(value) = self.value(name)? else {
            return Ok(None);
        };
        let items = value.as_list().ok_or_else(|| {
            ApiError::bad_param(
                name,
                format!("'{name}' must be List(...) of urn:li:{kind}:N"),
            )
        })?;
        items
            .iter()
            .map(|item| {
                item.as_str().and_then(|s| urn_id(s, kind)).ok_or_else(|| {
                    ApiError::bad_param(
                        name,
                        format!("'{name}' must hold urn:li:{kind}:N URNs (got {item:?})"),
                    )
                })
            })
            .collect::<Result<Vec<u64>, ApiError>>()
            .map(Some)
    }
}

/// The id of `urn:li:{kind}:N`.
pub fn urn_id(urn: &str, kind: &str) -> Option<u64> {
    urn.strip_prefix("urn:li:")?
        .strip_prefix(kind)?
        .strip_prefix(':')?
        .parse()
        .ok()
}

/// A Money object: `{"amount":"5.50","currencyCode":"USD"}`.
pub fn money(amount: Decimal) -> Json {
    let mut a = amount.round_dp(2);
    a.rescale(2);
    json!({"amount": a.to_string(), "currencyCode": "USD"})
}

/// Reads a Money object's amount (USD only).
pub fn read_money(value: &Json, field: &str) -> Result<Decimal, ApiError> {
    let amount = value
        .get("amount")
        .and_then(Json::as_str)
        .and_then(|s| s.parse::<Decimal>().ok())
        .ok_or_else(|| {
            ApiError::bad_param(
                field,
                format!("{field}.amount must be a decimal string such as \"5.50\""),
            )
        })?;
    match value.get("currencyCode").and_then(Json::as_str) {
        Some("USD") | None => Ok(amount),
        Some(other) => Err(ApiError::bad_param(
            field,
            format!("{field}.currencyCode must be the account currency USD (got {other})"),
        )),
    }
}

/// A JSON response with a status.
pub fn json_response(status: StatusCode, body: Json) -> Response {
    (status, axum::Json(body)).into_response()
}

/// 201 with an empty body and the new entity's id in `x-restli-id`, as LinkedIn creates.
pub fn created(id: &str) -> Response {
    let mut response = StatusCode::CREATED.into_response();
    if let Ok(value) = id.parse() {
        response.headers_mut().insert("x-restli-id", value);
    }
    response
}

/// Routes a checked request to its resource.
pub fn dispatch(sim: &mut Sim, req: &RestRequest) -> Result<Response, ApiError> {
    let params = Params::parse(&req.query)?;
    let seg: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let is_get = req.method == Method::GET;
    let is_post = req.method == Method::POST;
    match seg.as_slice() {
        ["adAnalytics"] if is_get => analytics::get(sim, &params),
        ["adBudgetPricing"] if is_get => budget_pricing::get(sim, &params),
        ["adAccounts", account, "adCampaigns"] if is_get => {
            campaigns::search(sim, account, &params)
        }
        ["adAccounts", account, "adCampaigns", id] if is_get => campaigns::get(sim, account, id),
        ["adAccounts", account, "adCampaigns", id] if is_post => {
            campaigns::update(sim, account, id, req)
        }
        ["adAccounts", account, "creatives"] if is_get => {
            creatives::criteria(sim, account, &params)
        }
        ["adAccounts", account, "creatives"] if is_post => creatives::create(sim, account, req),
        ["adAccounts", account, "creatives", urn] if is_get => creatives::get(sim, account, urn),
        ["adAccounts", account, "creatives", urn] if is_post => {
            creatives::update(sim, account, urn, req)
        }
        ["posts"] if is_post => posts::create(sim, req),
        ["posts", urn] if is_get => posts::get(sim, urn),
        _ => Err(ApiError::not_found(format!(
            "No resource at {} /rest/{}",
            req.method,
            seg.join("/")
        ))),
    }
}

/// The account in a path, if it exists.
pub fn account_in_path(sim: &Sim, account: &str) -> Result<u64, ApiError> {
    account
        .parse::<u64>()
        .ok()
        .filter(|id| sim.world.accounts.contains_key(id))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Ad account {account} does not exist or is not accessible"
            ))
        })
}

/// Reads a PARTIAL_UPDATE body's `patch.$set` object, checking the Rest.li method header.
pub fn partial_update_set(req: &RestRequest) -> Result<serde_json::Map<String, Json>, ApiError> {
    if !req
        .header("x-restli-method")
        .is_some_and(|m| m.eq_ignore_ascii_case("PARTIAL_UPDATE"))
    {
        return Err(ApiError::new(
            400,
            400,
            "POST to an entity must be a partial update: send X-RestLi-Method: PARTIAL_UPDATE",
        ));
    }
    let body: Json = serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::new(400, 400, format!("Request body is not valid JSON: {e}")))?;
    let patch = body.get("patch").and_then(Json::as_object).ok_or_else(|| {
        ApiError::invalid_input(
            "patch",
            "MISSING_REQUIRED_FIELD",
            "Body must be {\"patch\":{\"$set\":{...}}}",
        )
    })?;
    if let Some(op) = patch.keys().find(|k| *k != "$set") {
        return Err(ApiError::invalid_input(
            &format!("patch.{op}"),
            "UNSUPPORTED_PATCH_OPERATION",
            format!("Patch operation '{op}' is not supported here; use $set"),
        ));
    }
    patch
        .get("$set")
        .and_then(Json::as_object)
        .cloned()
        .ok_or_else(|| {
            ApiError::invalid_input(
                "patch.$set",
                "MISSING_REQUIRED_FIELD",
                "patch.$set must be an object",
            )
        })
}

/// Reads a `$set` status field: a string that is one of `allowed`.
pub fn set_status<'a>(
    value: &'a Json,
    path: &str,
    field: &str,
    allowed: &[&str],
) -> Result<&'a str, ApiError> {
    value
        .as_str()
        .filter(|s| allowed.contains(s))
        .ok_or_else(|| {
            ApiError::invalid_input(
                path,
                "INVALID_VALUE_FOR_FIELD",
                format!("{field} must be one of {allowed:?}"),
            )
        })
}

/// Refuses a status change the entity's lifecycle does not allow (`kind` names the entity).
pub fn check_transition(
    path: &str,
    kind: &str,
    from: &str,
    to: &str,
    allowed: fn(&str, &str) -> bool,
) -> Result<(), ApiError> {
    if allowed(from, to) {
        return Ok(());
    }
    Err(ApiError::invalid_input(
        path,
        "STATUS_CHANGE_NOT_ALLOWED",
        format!("A {from} {kind} cannot become {to}"),
    ))
}

/// The error for a `$set` field the resource does not let clients change.
pub fn not_updatable(path: &str, field: &str, updatable: &str) -> ApiError {
    ApiError::invalid_input(
        path,
        "FIELD_NOT_UPDATABLE",
        format!("Field '{field}' cannot be updated: updatable fields are {updatable}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_parse_only_for_their_own_kind() {
        assert_eq!(
            urn_id("urn:li:sponsoredCampaign:12", "sponsoredCampaign"),
            Some(12)
        );
        assert_eq!(
            urn_id("urn:li:sponsoredCampaignGroup:12", "sponsoredCampaign"),
            None
        );
        assert_eq!(
            urn_id("urn:li:sponsoredCreative:x", "sponsoredCreative"),
            None
        );
        assert_eq!(money(Decimal::new(55, 1))["amount"], "5.50");
    }
}
