//! Campaigns, creatives, posts and pricing: read, change and create through the client, and
//! check the change in the simulator's ground truth.

use ads::{CampaignStatus, CreativeStatus, Money};
use end_to_end::{Harness, scenario};
use linkedin::{BidPricingQuery, CampaignPatch, DarkPost};
use rust_decimal::Decimal;

#[tokio::test]
async fn lists_every_campaign_across_three_pages() {
    // GIVEN an account with 250 campaigns (LinkedIn pages by 100)
    let h = Harness::start(scenario(7, 250, 1), 0).await;
    let account = h.account().await;
    h.sim.admin().reset_stats().await.unwrap();
    // WHEN the client lists the active and paused ones
    let listing = h
        .client
        .search_campaigns(account, &[CampaignStatus::Active, CampaignStatus::Paused])
        .await
        .unwrap();
    // THEN it followed the cursor over three pages and got every campaign once
    assert_eq!(listing.pages.len(), 3);
    assert_eq!(listing.requests, 3);
    let mut ids: Vec<u64> = listing.items.iter().map(|c| c.id.0).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250);
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    let mut true_ids: Vec<u64> = truth.iter().map(|c| c.campaign_id).collect();
    true_ids.sort();
    assert_eq!(ids, true_ids);
    assert_eq!(h.sim.admin().stats().await.unwrap().requests, 3);
}

#[tokio::test]
async fn lists_creatives_of_campaigns_across_three_pages() {
    // GIVEN three campaigns of 80 creatives
    let h = Harness::start(scenario(8, 3, 80), 0).await;
    let account = h.account().await;
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    let mut campaigns: Vec<ads::CampaignId> = truth
        .iter()
        .map(|c| ads::CampaignId(c.campaign_id))
        .collect();
    campaigns.dedup();
    // WHEN the client lists the creatives of all three
    let listing = h
        .client
        .search_creatives(account, &campaigns)
        .await
        .unwrap();
    // THEN 240 creatives arrive over three pages, each in its own campaign
    assert_eq!(listing.pages.len(), 3);
    assert_eq!(listing.items.len(), 240);
    for creative in &listing.items {
        let known = truth
            .iter()
            .find(|t| t.creative_id == creative.id.0)
            .unwrap();
        assert_eq!(creative.campaign.0, known.campaign_id);
        assert_eq!(creative.intended_status.as_str(), known.status);
    }
}

#[tokio::test]
async fn gets_a_campaign_with_its_bid_and_budget_as_exact_money() {
    let h = Harness::start(scenario(9, 2, 1), 0).await;
    let account = h.account().await;
    let listing = h.client.search_campaigns(account, &[]).await.unwrap();
    let listed = &listing.items[0];
    // WHEN one campaign is fetched by id
    let fetched = h.client.campaign(account, listed.id).await.unwrap();
    // THEN it is the same campaign, its body kept as received
    assert_eq!(&fetched.value, listed);
    assert!(fetched.raw.contains("\"unitCost\""));
    assert_eq!(
        fetched.value.unit_cost.as_ref().unwrap().currency_code,
        "USD"
    );
}

#[tokio::test]
async fn a_campaign_update_changes_what_linkedin_returns_and_future_delivery() {
    // GIVEN a delivering campaign
    let h = Harness::start(scenario(10, 1, 2), 0).await;
    let account = h.account().await;
    let campaign = h.client.search_campaigns(account, &[]).await.unwrap().items[0].clone();
    let pricing = h
        .client
        .bid_pricing(&BidPricingQuery::for_campaign(&campaign).unwrap())
        .await
        .unwrap()
        .value;
    let max_bid = pricing.bid_limits.max.unwrap();
    // WHEN its bid goes to the maximum and its budget to $250
    let patch = CampaignPatch {
        unit_cost: Some(max_bid.clone()),
        daily_budget: Some(Money::usd(Decimal::new(250, 0))),
        ..CampaignPatch::default()
    };
    h.client
        .update_campaign(account, campaign.id, &patch)
        .await
        .unwrap();
    // THEN LinkedIn returns the new values
    let updated = h.client.campaign(account, campaign.id).await.unwrap().value;
    assert_eq!(updated.unit_cost, Some(max_bid));
    assert_eq!(updated.daily_budget.unwrap().amount, Decimal::new(250, 0));
    // AND once paused, the next day delivers nothing for it
    let pause = CampaignPatch {
        status: Some(CampaignStatus::Paused),
        ..CampaignPatch::default()
    };
    h.client
        .update_campaign(account, campaign.id, &pause)
        .await
        .unwrap();
    let day = h.sim.admin().clock().await.unwrap().today;
    h.sim.admin().advance(1).await.unwrap();
    let delivered = h.sim.admin().truth_delivery(day, day).await.unwrap();
    assert!(
        delivered.iter().all(|d| d.impressions == 0),
        "{delivered:?}"
    );
}

#[tokio::test]
async fn a_bid_under_linkedins_minimum_is_refused_with_its_code() {
    let h = Harness::start(scenario(11, 1, 1), 0).await;
    let account = h.account().await;
    let campaign = h.client.search_campaigns(account, &[]).await.unwrap().items[0].clone();
    let patch = CampaignPatch {
        unit_cost: Some(Money::usd(Decimal::new(1, 2))),
        ..CampaignPatch::default()
    };
    let err = h
        .client
        .update_campaign(account, campaign.id, &patch)
        .await
        .unwrap_err();
    assert_eq!(err.name(), "LinkedIn.BadRequest");
    assert!(
        matches!(&err, linkedin::Error::BadRequest { code: Some(code), .. } if code == "FIELD_VALUE_TOO_LOW"),
        "{err:?}"
    );
}

#[tokio::test]
async fn pausing_a_creative_stops_its_delivery() {
    let h = Harness::start(scenario(12, 1, 3), 0).await;
    let account = h.account().await;
    let creative = h.client.search_creatives(account, &[]).await.unwrap().items[0].clone();
    // WHEN the creative is paused
    h.client
        .set_creative_status(account, creative.id, CreativeStatus::Paused)
        .await
        .unwrap();
    // THEN LinkedIn shows it paused and it delivers nothing the next day
    let truth = h.sim.admin().truth_creatives().await.unwrap();
    let paused = truth
        .iter()
        .find(|t| t.creative_id == creative.id.0)
        .unwrap();
    assert_eq!(paused.status, "PAUSED");
    let day = h.sim.admin().clock().await.unwrap().today;
    h.sim.admin().advance(1).await.unwrap();
    let delivered = h.sim.admin().truth_delivery(day, day).await.unwrap();
    assert!(
        delivered
            .iter()
            .all(|d| d.creative_id != creative.id.0 || d.impressions == 0)
    );
    assert!(
        delivered.iter().any(|d| d.impressions > 0),
        "the others still deliver"
    );
}

#[tokio::test]
async fn reads_ad_copy_and_creates_a_dark_post_and_its_creative() {
    // GIVEN a campaign and the copy of one of its creatives
    let h = Harness::start(scenario(13, 1, 2), 0).await;
    let account = h.account().await;
    let creative = h.client.search_creatives(account, &[]).await.unwrap().items[0].clone();
    let post = creative.content_reference.clone().unwrap();
    let copy = h.client.ad_copy(&post).await.unwrap().value;
    assert!(copy.headline.as_deref().is_some_and(|h| !h.is_empty()));
    assert!(copy.commentary.is_some());
    // WHEN a variation is published as a dark post and made a creative of the same campaign
    let mut variation = copy.clone();
    variation.headline = Some("Get the 2026 benchmark report free today".to_owned());
    let new_post = h
        .client
        .create_dark_post(&DarkPost {
            author: "urn:li:organization:2414183".to_owned(),
            account,
            copy: variation.clone(),
        })
        .await
        .unwrap();
    let new_creative = h
        .client
        .create_creative(
            account,
            creative.campaign,
            &new_post,
            CreativeStatus::Active,
        )
        .await
        .unwrap();
    // THEN the post carries the new copy and the campaign lists the new creative
    let read_back = h.client.ad_copy(&new_post).await.unwrap().value;
    assert_eq!(read_back.headline, variation.headline);
    let listing = h
        .client
        .search_creatives(account, &[creative.campaign])
        .await
        .unwrap();
    let listed = listing.items.iter().find(|c| c.id == new_creative).unwrap();
    assert_eq!(listed.content_reference.as_ref(), Some(&new_post));
    assert_eq!(listed.intended_status, CreativeStatus::Active);
}

#[tokio::test]
async fn reads_bid_limits_for_a_campaigns_targeting() {
    let h = Harness::start(scenario(14, 1, 1), 0).await;
    let account = h.account().await;
    let campaign = h.client.search_campaigns(account, &[]).await.unwrap().items[0].clone();
    let pricing = h
        .client
        .bid_pricing(&BidPricingQuery::for_campaign(&campaign).unwrap())
        .await
        .unwrap()
        .value;
    let min = pricing.bid_limits.min.unwrap().amount;
    let max = pricing.bid_limits.max.unwrap().amount;
    let suggested = pricing.suggested_bid.default.unwrap().amount;
    assert!(
        min < suggested && suggested < max,
        "{min} < {suggested} < {max}"
    );
    assert!(pricing.daily_budget_limits.min.unwrap().amount >= Decimal::new(10, 0));
}
