//! Creatives: search by campaign with cursor paging, status change, and creation from a post.
//!
//! - search: `GET /adAccounts/{acct}/creatives?q=criteria&campaigns=List(urn%3A...)
//!   &sortOrder=ASCENDING&pageSize=100[&pageToken=T]`
//! - status: `POST /adAccounts/{acct}/creatives/{encoded urn}` with
//!   `X-RestLi-Method: PARTIAL_UPDATE`, `{"patch":{"$set":{"intendedStatus":"PAUSED"}}}` → 204
//! - create: `POST /adAccounts/{acct}/creatives` `{"campaign":..,"intendedStatus":..,
//!   "content":{"reference":"urn:li:share:9"}}` → 201, the new URN in `x-restli-id`
//!
//! (learn.microsoft.com/linkedin/marketing/integrations/ads/account-structure/create-and-manage-creatives)

use ads::{AccountId, CampaignId, Creative, CreativeId, CreativeStatus, PostUrn};
use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::json;

use crate::client::Client;
use crate::error::Error;
use crate::paging::{self, Listing, PAGE_SIZE};
use crate::restli::{self, QueryString, Value};
use crate::transport::{ApiRequest, Response};

fn creatives_path(account: AccountId) -> String {
    format!("/adAccounts/{}/creatives", account.0)
}

pub(crate) fn search_request(
    account: AccountId,
    campaigns: &[CampaignId],
    page_token: Option<&str>,
) -> ApiRequest {
    let mut query = QueryString::new().text("q", "criteria");
    if !campaigns.is_empty() {
        query = query.param(
            "campaigns",
            &Value::string_list(campaigns.iter().map(CampaignId::urn)),
        );
    }
    query = query
        .text("sortOrder", "ASCENDING")
        .param("pageSize", &Value::Literal(PAGE_SIZE.to_string()));
    if let Some(token) = page_token {
        query = query.text("pageToken", token);
    }
    ApiRequest::get(creatives_path(account), Some(query.finish()))
}

pub(crate) fn status_request(
    account: AccountId,
    creative: CreativeId,
    status: CreativeStatus,
) -> ApiRequest {
    ApiRequest::partial_update(
        format!(
            "{}/{}",
            creatives_path(account),
            restli::encode_string(&creative.urn())
        ),
        json!({ "intendedStatus": status.as_str() }),
    )
}

pub(crate) fn create_request(
    account: AccountId,
    campaign: CampaignId,
    post: &PostUrn,
    status: CreativeStatus,
) -> ApiRequest {
    ApiRequest::create(
        creatives_path(account),
        json!({
            "campaign": campaign.urn(),
            "intendedStatus": status.as_str(),
            "content": { "reference": post.as_str() },
        }),
    )
}

/// A creative as LinkedIn sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreativeWire {
    id: String,
    campaign: String,
    account: String,
    name: Option<String>,
    intended_status: CreativeStatus,
    is_serving: Option<bool>,
    review: Option<Review>,
    content: Option<Content>,
    created_at: Option<i64>,
    last_modified_at: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Review {
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Content {
    reference: Option<String>,
}

const WHAT: &str = "creative";

impl CreativeWire {
    pub(crate) fn into_creative(self) -> Result<Creative, Error> {
        let invalid = |e: ads::IdError| Error::invalid_response(WHAT, e);
        let millis = |ms: Option<i64>| ms.and_then(DateTime::<Utc>::from_timestamp_millis);
        Ok(Creative {
            id: self.id.parse().map_err(invalid)?,
            campaign: self.campaign.parse().map_err(invalid)?,
            account: self.account.parse().map_err(invalid)?,
            name: self.name,
            intended_status: self.intended_status,
            is_serving: self.is_serving,
            review_status: self.review.and_then(|r| r.status),
            // Other content kinds (message ads, documents) are not posts: no copy to read.
            content_reference: self
                .content
                .and_then(|c| c.reference)
                .and_then(|r| r.parse().ok()),
            created_at: millis(self.created_at),
            last_modified_at: millis(self.last_modified_at),
        })
    }
}

/// The id LinkedIn gives a created entity in `x-restli-id` (possibly percent-encoded).
pub(crate) fn created_id(response: &Response, what: &str) -> Result<String, Error> {
    let raw = response
        .restli_id
        .as_deref()
        .ok_or_else(|| Error::invalid_response(what, "no x-restli-id header on the 201"))?;
    Ok(percent_decode_str(raw).decode_utf8_lossy().into_owned())
}

impl Client {
    /// Every creative of `account` in `campaigns` (every creative of the account when
    /// empty), following cursor pages, with each page's body as received.
    pub async fn search_creatives(
        &self,
        account: AccountId,
        campaigns: &[CampaignId],
    ) -> Result<Listing<Creative>, Error> {
        paging::collect(
            self.transport(),
            "creative search",
            |token| search_request(account, campaigns, token),
            CreativeWire::into_creative,
        )
        .await
    }

    /// Sets a creative's `intendedStatus` (e.g. pauses it). Idempotent: safe to repeat.
    /// LinkedIn refuses to pause a creative under review (a 400 naming it).
    pub async fn set_creative_status(
        &self,
        account: AccountId,
        creative: CreativeId,
        status: CreativeStatus,
    ) -> Result<(), Error> {
        self.transport()
            .send(&status_request(account, creative, status))
            .await
            .map(|_| ())
    }

    /// Creates a creative in `campaign` showing `post`, returning its id.
    ///
    /// Not idempotent: it is retried only after a 429 or a failed connection, when LinkedIn
    /// cannot have created it. After any other failure, search the campaign's creatives for
    /// the post before creating again.
    pub async fn create_creative(
        &self,
        account: AccountId,
        campaign: CampaignId,
        post: &PostUrn,
        status: CreativeStatus,
    ) -> Result<CreativeId, Error> {
        let response = self
            .transport()
            .send(&create_request(account, campaign, post, status))
            .await?;
        created_id(&response, "creative create")?
            .parse()
            .map_err(|e| Error::invalid_response("creative create", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Body, Repeat};

    #[test]
    fn search_lists_campaign_urns_encoded_in_ascending_pages() {
        let request = search_request(AccountId(5), &[CampaignId(123), CampaignId(456)], None);
        assert_eq!(request.path, "/adAccounts/5/creatives");
        assert_eq!(
            request.query.as_deref(),
            Some(
                "q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A123,\
                 urn%3Ali%3AsponsoredCampaign%3A456)&sortOrder=ASCENDING&pageSize=100"
            )
        );
        let next = search_request(AccountId(5), &[CampaignId(1)], Some("T"));
        assert!(next.query.unwrap().ends_with("&pageSize=100&pageToken=T"));
    }

    #[test]
    fn a_status_change_addresses_the_encoded_urn() {
        let request = status_request(AccountId(5), CreativeId(9), CreativeStatus::Paused);
        assert_eq!(
            request.path,
            "/adAccounts/5/creatives/urn%3Ali%3AsponsoredCreative%3A9"
        );
        assert_eq!(request.restli_method, Some("PARTIAL_UPDATE"));
        assert_eq!(
            request.body,
            Body::Json(json!({"patch": {"$set": {"intendedStatus": "PAUSED"}}}))
        );
    }

    #[test]
    fn a_create_references_the_post_and_is_not_blindly_retried() {
        let post: PostUrn = "urn:li:share:9".parse().unwrap();
        let request = create_request(AccountId(5), CampaignId(1), &post, CreativeStatus::Active);
        assert_eq!(request.path, "/adAccounts/5/creatives");
        assert_eq!(
            request.body,
            Body::Json(json!({
                "campaign": "urn:li:sponsoredCampaign:1",
                "intendedStatus": "ACTIVE",
                "content": {"reference": "urn:li:share:9"}
            }))
        );
        assert_eq!(request.repeat, Repeat::OnlyIfNotProcessed);
    }

    #[test]
    fn reads_the_created_id_plain_or_encoded() {
        let response = |id: &str| Response {
            status: 201,
            body: String::new(),
            restli_id: Some(id.to_owned()),
            attempts: 1,
        };
        for id in [
            "urn:li:sponsoredCreative:77",
            "urn%3Ali%3AsponsoredCreative%3A77",
        ] {
            let parsed: CreativeId = created_id(&response(id), "t").unwrap().parse().unwrap();
            assert_eq!(parsed, CreativeId(77));
        }
        let missing = Response {
            restli_id: None,
            ..response("")
        };
        assert!(created_id(&missing, "t").is_err());
    }

    #[test]
    fn maps_a_creative_and_tolerates_non_post_content() {
        let body = r#"{"id":"urn:li:sponsoredCreative:3","campaign":"urn:li:sponsoredCampaign:2",
            "account":"urn:li:sponsoredAccount:1","intendedStatus":"ACTIVE","isServing":true,
            "review":{"status":"APPROVED"},"content":{"reference":"urn:li:share:9"},
            "createdAt":1767225600000}"#;
        let creative = serde_json::from_str::<CreativeWire>(body)
            .unwrap()
            .into_creative()
            .unwrap();
        assert_eq!(creative.id, CreativeId(3));
        assert_eq!(creative.campaign, CampaignId(2));
        assert_eq!(creative.review_status.as_deref(), Some("APPROVED"));
        assert_eq!(
            creative.content_reference.unwrap().as_str(),
            "urn:li:share:9"
        );
        let inmail = body.replace("urn:li:share:9", "urn:li:adInMailContent:4");
        let creative = serde_json::from_str::<CreativeWire>(&inmail)
            .unwrap()
            .into_creative()
            .unwrap();
        assert_eq!(creative.content_reference, None);
    }
}
