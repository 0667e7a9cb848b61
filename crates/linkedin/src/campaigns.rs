//! Campaigns: search with cursor paging, get, and partial update of status, bid and budget.
//!
//! - search: `GET /adAccounts/{acct}/adCampaigns?q=search&search=(status:(values:List(...)))
//!   &pageSize=100[&pageToken=T]`
//! - get: `GET /adAccounts/{acct}/adCampaigns/{id}`
//! - update: `POST /adAccounts/{acct}/adCampaigns/{id}` with `X-RestLi-Method: PARTIAL_UPDATE`
//!   and `{"patch":{"$set":{...}}}` → 204. Idempotent, so retried like a read.
//!
//! (learn.microsoft.com/linkedin/marketing/integrations/ads/account-structure/create-and-manage-campaigns)

use ads::{AccountId, Campaign, CampaignGroupId, CampaignId, CampaignStatus, CostType, Money};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::client::{Client, Fetched};
use crate::error::Error;
use crate::paging::{self, Listing, PAGE_SIZE};
use crate::restli::{QueryString, Value};
use crate::transport::ApiRequest;

/// The fields of a campaign the optimizer changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignPatch {
    /// New status, e.g. `PAUSED`.
    pub status: Option<CampaignStatus>,
    /// New bid (`unitCost`).
    pub unit_cost: Option<Money>,
    /// New daily budget.
    pub daily_budget: Option<Money>,
}

impl CampaignPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.unit_cost.is_none() && self.daily_budget.is_none()
    }

    /// The `$set` object, LinkedIn's field names, money as `{"amount":"6.00","currencyCode":"USD"}`.
    fn set(&self) -> serde_json::Value {
        let mut set = Map::new();
        if let Some(status) = self.status {
            set.insert("status".into(), json!(status.as_str()));
        }
        if let Some(unit_cost) = &self.unit_cost {
            set.insert("unitCost".into(), json!(unit_cost));
        }
        if let Some(daily_budget) = &self.daily_budget {
            set.insert("dailyBudget".into(), json!(daily_budget));
        }
        serde_json::Value::Object(set)
    }
}

fn campaigns_path(account: AccountId) -> String {
    format!("/adAccounts/{}/adCampaigns", account.0)
}

pub(crate) fn search_request(
    account: AccountId,
    statuses: &[CampaignStatus],
    page_token: Option<&str>,
) -> ApiRequest {
    let mut query = QueryString::new().text("q", "search");
    if !statuses.is_empty() {
        let values = Value::List(
            statuses
                .iter()
                .map(|s| Value::Literal(s.as_str().to_owned()))
                .collect(),
        );
        let search = Value::Record(vec![(
            "status".into(),
            Value::Record(vec![("values".into(), values)]),
        )]);
        query = query.param("search", &search);
    }
    query = query.param("pageSize", &Value::Literal(PAGE_SIZE.to_string()));
    if let Some(token) = page_token {
        query = query.text("pageToken", token);
    }
    ApiRequest::get(campaigns_path(account), Some(query.finish()))
}

pub(crate) fn get_request(account: AccountId, id: CampaignId) -> ApiRequest {
    ApiRequest::get(format!("{}/{}", campaigns_path(account), id.0), None)
}

pub(crate) fn update_request(
    account: AccountId,
    id: CampaignId,
    patch: &CampaignPatch,
) -> ApiRequest {
    ApiRequest::partial_update(format!("{}/{}", campaigns_path(account), id.0), patch.set())
}

/// A campaign as LinkedIn sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CampaignWire {
    id: serde_json::Value,
    #[serde(default)]
    name: String,
    account: String,
    campaign_group: Option<String>,
    status: CampaignStatus,
    cost_type: CostType,
    objective_type: Option<String>,
    unit_cost: Option<Money>,
    daily_budget: Option<Money>,
    total_budget: Option<Money>,
    targeting_criteria: Option<serde_json::Value>,
    change_audit_stamps: Option<AuditStamps>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuditStamps {
    created: Option<Stamp>,
    last_modified: Option<Stamp>,
}

#[derive(Debug, Deserialize)]
struct Stamp {
    time: i64,
}

const WHAT: &str = "campaign";

impl CampaignWire {
    pub(crate) fn into_campaign(self) -> Result<Campaign, Error> {
        let id = match &self.id {
            serde_json::Value::Number(n) => n.as_u64().map(CampaignId),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            Error::invalid_response(WHAT, format!("id {} is not a campaign id", self.id))
        })?;
        let account = self
            .account
            .parse()
            .map_err(|e| Error::invalid_response(WHAT, e))?;
        let campaign_group = self
            .campaign_group
            .as_deref()
            .map(str::parse::<CampaignGroupId>)
            .transpose()
            .map_err(|e| Error::invalid_response(WHAT, e))?;
        let stamp =
            |s: Option<&Stamp>| s.and_then(|s| DateTime::<Utc>::from_timestamp_millis(s.time));
        let stamps = self.change_audit_stamps.as_ref();
        Ok(Campaign {
            id,
            account,
            campaign_group,
            name: self.name,
            status: self.status,
            cost_type: self.cost_type,
            objective_type: self.objective_type,
            unit_cost: self.unit_cost,
            daily_budget: self.daily_budget,
            total_budget: self.total_budget,
            targeting_criteria: self.targeting_criteria,
            created_at: stamp(stamps.and_then(|s| s.created.as_ref())),
            last_modified_at: stamp(stamps.and_then(|s| s.last_modified.as_ref())),
        })
    }
}

pub(crate) fn parse_campaign(body: &str) -> Result<Campaign, Error> {
    serde_json::from_str::<CampaignWire>(body)
        .map_err(|e| Error::invalid_response(WHAT, e))?
        .into_campaign()
}

impl Client {
    /// Every campaign of `account` whose status is one of `statuses` (all campaigns when
    /// empty), following cursor pages, with each page's body as received.
    pub async fn search_campaigns(
        &self,
        account: AccountId,
        statuses: &[CampaignStatus],
    ) -> Result<Listing<Campaign>, Error> {
        paging::collect(
            self.transport(),
            "campaign search",
            |token| search_request(account, statuses, token),
            CampaignWire::into_campaign,
        )
        .await
    }

    /// One campaign, with the body as received.
    pub async fn campaign(
        &self,
        account: AccountId,
        id: CampaignId,
    ) -> Result<Fetched<Campaign>, Error> {
        let response = self.transport().send(&get_request(account, id)).await?;
        Ok(Fetched {
            value: parse_campaign(&response.body)?,
            raw: response.body,
        })
    }

    /// Sets the patch's fields on a campaign (a `$set` partial update, idempotent: safe to
    /// repeat). An empty patch sends nothing.
    pub async fn update_campaign(
        &self,
        account: AccountId,
        id: CampaignId,
        patch: &CampaignPatch,
    ) -> Result<(), Error> {
        if patch.is_empty() {
            return Ok(());
        }
        self.transport()
            .send(&update_request(account, id, patch))
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Body;
    use rust_decimal::Decimal;

    #[test]
    fn search_asks_for_statuses_and_pages_of_one_hundred() {
        // GIVEN a first page and a following one
        let first = search_request(
            AccountId(5),
            &[CampaignStatus::Active, CampaignStatus::Paused],
            None,
        );
        let next = search_request(AccountId(5), &[CampaignStatus::Active], Some("tok/1="));
        // THEN LinkedIn's finder syntax is used, the token encoded
        assert_eq!(first.path, "/adAccounts/5/adCampaigns");
        assert_eq!(
            first.query.as_deref(),
            Some("q=search&search=(status:(values:List(ACTIVE,PAUSED)))&pageSize=100")
        );
        assert_eq!(
            next.query.as_deref(),
            Some(
                "q=search&search=(status:(values:List(ACTIVE)))&pageSize=100&pageToken=tok%2F1%3D"
            )
        );
        assert_eq!(
            search_request(AccountId(5), &[], None).query.as_deref(),
            Some("q=search&pageSize=100")
        );
    }

    #[test]
    fn get_addresses_the_campaign_under_its_account() {
        assert_eq!(
            get_request(AccountId(5), CampaignId(7)).path,
            "/adAccounts/5/adCampaigns/7"
        );
    }

    #[test]
    fn update_sets_only_the_given_fields_with_string_money() {
        // GIVEN a new bid and status
        let patch = CampaignPatch {
            status: Some(CampaignStatus::Paused),
            unit_cost: Some(Money::usd("6.00".parse::<Decimal>().unwrap())),
            daily_budget: None,
        };
        // WHEN the request is built
        let request = update_request(AccountId(5), CampaignId(7), &patch);
        // THEN it is a PARTIAL_UPDATE $set of exactly those fields
        assert_eq!(request.path, "/adAccounts/5/adCampaigns/7");
        assert_eq!(request.restli_method, Some("PARTIAL_UPDATE"));
        assert_eq!(
            request.body,
            Body::Json(json!({"patch": {"$set": {
                "status": "PAUSED",
                "unitCost": {"amount": "6.00", "currencyCode": "USD"}
            }}}))
        );
        assert!(CampaignPatch::default().is_empty());
    }

    #[test]
    fn maps_a_campaign_from_linkedins_json() {
        // GIVEN a campaign as LinkedIn returns it
        let body = r#"{"id":474763193,"name":"Q2 leads","account":"urn:li:sponsoredAccount:5",
            "campaignGroup":"urn:li:sponsoredCampaignGroup:9","status":"ACTIVE","type":"SPONSORED_UPDATES",
            "costType":"CPC","objectiveType":"LEAD_GENERATION",
            "unitCost":{"amount":"5.50","currencyCode":"USD"},
            "dailyBudget":{"amount":"100","currencyCode":"USD"},
            "targetingCriteria":{"include":{"and":[{"or":{"urn:li:adTargetingFacet:locations":["urn:li:geo:103644278"]}}]}},
            "changeAuditStamps":{"created":{"time":1767225600000},"lastModified":{"time":1767312000000}}}"#;
        // WHEN mapped
        let campaign = parse_campaign(body).unwrap();
        // THEN ids, money and stamps are typed and exact
        assert_eq!(campaign.id, CampaignId(474763193));
        assert_eq!(campaign.account, AccountId(5));
        assert_eq!(campaign.campaign_group, Some(CampaignGroupId(9)));
        assert_eq!(campaign.cost_type, CostType::Cpc);
        assert_eq!(campaign.unit_cost.unwrap().amount.to_string(), "5.50");
        assert!(campaign.targeting_criteria.is_some());
        assert_eq!(
            campaign.created_at.unwrap().to_rfc3339(),
            "2026-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn an_unknown_status_is_an_invalid_response() {
        let body = r#"{"id":1,"account":"urn:li:sponsoredAccount:5","status":"SOMETHING_NEW","costType":"CPC"}"#;
        assert_eq!(
            parse_campaign(body).unwrap_err().name(),
            ads::error_names::LINKEDIN_INVALID_RESPONSE
        );
    }
}
