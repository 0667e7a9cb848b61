//! Bid and budget limits for a campaign's targeting: `GET /adBudgetPricing?q=criteriaV2`.
//!
//! The versioned finder is `criteriaV2` with `account`, `bidType`, `campaignType`,
//! `matchType`, an optional `dailyBudget` (refines the suggestion), and the targeting as a
//! Rest.li record in `target` — here the campaign's own `targetingCriteria`, encoded by
//! [`restli`](crate::restli). (Some third-party clients send `targetingCriteria=` instead;
//! LinkedIn's page and this project's simulator use `target`.) The answer holds
//! `bidLimits.{min,max}`, `suggestedBid.{min,default,max}` and
//! `dailyBudgetLimits.{min,default,max}`, each a MoneyAmount with a string amount.
//! (learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ad-budget-pricing)

use ads::{AccountId, Campaign, CostType, Money};
use serde::Deserialize;

use crate::client::{Client, Fetched};
use crate::error::Error;
use crate::restli::{QueryString, Value};
use crate::transport::ApiRequest;

/// What to price: an account, a bid type and a targeting.
#[derive(Debug, Clone, PartialEq)]
pub struct BidPricingQuery {
    /// The ad account.
    pub account: AccountId,
    /// What the bid pays for (`bidType`).
    pub bid_type: CostType,
    /// `campaignType`, e.g. `SPONSORED_UPDATES`.
    pub campaign_type: String,
    /// `matchType`: `EXACT` or `AUDIENCE_EXPANDED`.
    pub match_type: String,
    /// The targeting (`target`), as in a campaign's `targetingCriteria`.
    pub targeting_criteria: serde_json::Value,
    /// A daily budget to refine the suggested bid for.
    pub daily_budget: Option<Money>,
}

impl BidPricingQuery {
    /// Prices a sponsored-content campaign's own targeting, bid type and daily budget;
    /// `None` when the campaign carries no targeting.
    pub fn for_campaign(campaign: &Campaign) -> Option<BidPricingQuery> {
        Some(BidPricingQuery {
            account: campaign.account,
            bid_type: campaign.cost_type,
            campaign_type: "SPONSORED_UPDATES".to_owned(),
            match_type: "EXACT".to_owned(),
            targeting_criteria: campaign.targeting_criteria.clone()?,
            daily_budget: campaign.daily_budget.clone(),
        })
    }

    /// The Rest.li query string.
    pub fn query_string(&self) -> String {
        let mut query = QueryString::new()
            .text("q", "criteriaV2")
            .text("account", &self.account.urn())
            .text("bidType", self.bid_type.as_str())
            .text("campaignType", &self.campaign_type)
            .text("matchType", &self.match_type)
            .param("target", &Value::from(&self.targeting_criteria));
        if let Some(budget) = &self.daily_budget {
            query = query.param(
                "dailyBudget",
                &Value::Record(vec![
                    ("amount".into(), Value::string(budget.amount.to_string())),
                    ("currencyCode".into(), Value::string(&budget.currency_code)),
                ]),
            );
        }
        query.finish()
    }
}

/// A min / default / max triple of money; LinkedIn may leave any part out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PriceRange {
    /// The lowest allowed (or suggested) amount.
    pub min: Option<Money>,
    /// LinkedIn's default suggestion (absent for bid limits).
    pub default: Option<Money>,
    /// The highest allowed (or suggested) amount.
    pub max: Option<Money>,
}

/// LinkedIn's pricing for a targeting. All parts are empty when LinkedIn returned no
/// pricing element (e.g. an audience too small to price).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BidPricing {
    /// The allowed bid range (`bidLimits`).
    #[serde(default)]
    pub bid_limits: PriceRange,
    /// The suggested bid (`suggestedBid`).
    #[serde(default)]
    pub suggested_bid: PriceRange,
    /// The allowed daily budget range and its default (`dailyBudgetLimits`).
    #[serde(default)]
    pub daily_budget_limits: PriceRange,
}

#[derive(Deserialize)]
struct PricingPage {
    elements: Option<Vec<BidPricing>>,
}

pub(crate) fn request(query: &BidPricingQuery) -> ApiRequest {
    ApiRequest::get("/adBudgetPricing", Some(query.query_string()))
}

pub(crate) fn parse(body: &str) -> Result<BidPricing, Error> {
    let invalid = |e: serde_json::Error| Error::invalid_response("ad budget pricing", e);
    let page: PricingPage = serde_json::from_str(body).map_err(invalid)?;
    match page.elements {
        Some(elements) => Ok(elements.into_iter().next().unwrap_or_default()),
        // Some versions answer with the pricing object itself.
        None => serde_json::from_str(body).map_err(invalid),
    }
}

impl Client {
    /// Bid limits, suggested bid and daily budget limits for `query`, with the body as received.
    pub async fn bid_pricing(&self, query: &BidPricingQuery) -> Result<Fetched<BidPricing>, Error> {
        let response = self.transport().send(&request(query)).await?;
        Ok(Fetched {
            value: parse(&response.body)?,
            raw: response.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn usd(amount: &str) -> Money {
        Money::usd(amount.parse::<Decimal>().unwrap())
    }

    #[test]
    fn encodes_the_campaign_targeting_through_restli() {
        // GIVEN a CPC campaign targeting the US
        let query = BidPricingQuery {
            account: AccountId(502840441),
            bid_type: CostType::Cpc,
            campaign_type: "SPONSORED_UPDATES".into(),
            match_type: "EXACT".into(),
            targeting_criteria: serde_json::json!({"include": {"and": [
                {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}}),
            daily_budget: Some(usd("100.00")),
        };
        // WHEN the query is built
        // THEN it is the criteriaV2 finder with URNs escaped and structure raw
        assert_eq!(
            query.query_string(),
            "q=criteriaV2&account=urn%3Ali%3AsponsoredAccount%3A502840441&bidType=CPC\
             &campaignType=SPONSORED_UPDATES&matchType=EXACT\
             &target=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:\
             List(urn%3Ali%3Ageo%3A103644278))))))\
             &dailyBudget=(amount:100.00,currencyCode:USD)"
        );
        assert_eq!(request(&query).path, "/adBudgetPricing");
    }

    #[test]
    fn reads_limits_and_suggestions_exactly() {
        let body = r#"{"elements":[{
            "bidLimits":{"min":{"amount":"2.00","currencyCode":"USD"},"max":{"amount":"2000.00","currencyCode":"USD"}},
            "suggestedBid":{"min":{"amount":"5.61","currencyCode":"USD"},"default":{"amount":"7.27","currencyCode":"USD"},"max":{"amount":"11.93","currencyCode":"USD"}},
            "dailyBudgetLimits":{"min":{"amount":"10.00","currencyCode":"USD"},"default":{"amount":"100.00","currencyCode":"USD"},"max":{"amount":"1000000.00","currencyCode":"USD"}}}],
            "paging":{"count":10,"start":0}}"#;
        let pricing = parse(body).unwrap();
        assert_eq!(pricing.bid_limits.min, Some(usd("2.00")));
        assert_eq!(pricing.bid_limits.default, None);
        assert_eq!(pricing.suggested_bid.default, Some(usd("7.27")));
        assert_eq!(pricing.daily_budget_limits.min, Some(usd("10.00")));
        assert_eq!(parse(r#"{"elements":[]}"#).unwrap(), BidPricing::default());
        assert!(parse("nope").is_err());
    }

    #[test]
    fn a_campaign_without_targeting_cannot_be_priced() {
        let campaign = Campaign {
            id: ads::CampaignId(1),
            account: AccountId(2),
            campaign_group: None,
            name: "c".into(),
            status: ads::CampaignStatus::Active,
            cost_type: CostType::Cpm,
            objective_type: None,
            unit_cost: None,
            daily_budget: None,
            total_budget: None,
            targeting_criteria: None,
            created_at: None,
            last_modified_at: None,
        };
        assert_eq!(BidPricingQuery::for_campaign(&campaign), None);
        let targeted = Campaign {
            targeting_criteria: Some(serde_json::json!({"include": {}})),
            ..campaign
        };
        let query = BidPricingQuery::for_campaign(&targeted).unwrap();
        assert_eq!(query.bid_type, CostType::Cpm);
        assert_eq!(query.account, AccountId(2));
    }
}
