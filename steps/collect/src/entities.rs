//! Campaigns, creatives and ad copy: which entities a run covers, the latest metadata and
//! copy of every creative of the account (the `processed/creatives` file), and the latest
//! state of every campaign of the account (the `processed/campaigns` file).
//!
//! Ad copy lives in posts, and a published post does not change, so a post is fetched only
//! when no earlier run stored its copy: re-runs cost no post requests.

use std::collections::{BTreeMap, HashMap};

use ads::{AccountId, AdCopy, Campaign, CampaignId, Creative, CreativeId, Money, PostUrn};
use bytes::Bytes;
use chrono::{DateTime, Utc};

use crate::Error;
use crate::curated::{self, CampaignRecord, CreativeRecord, CuratedError};
use crate::input::InvalidInput;
use crate::keys::{self, EntityKind, RawKeys};
use crate::store::{JSON, Store};

/// The campaigns a run covers: every campaign found, or exactly those asked for.
///
/// A campaign asked for that the account does not have is an invalid input: nothing but
/// the campaign listing has been stored by then.
pub fn select_campaigns(
    account: AccountId,
    found: Vec<Campaign>,
    asked: Option<&[CampaignId]>,
) -> Result<BTreeMap<CampaignId, Campaign>, Error> {
    let mut found: BTreeMap<CampaignId, Campaign> = found.into_iter().map(|c| (c.id, c)).collect();
    let Some(asked) = asked else {
        return Ok(found);
    };
    let mut selected = BTreeMap::new();
    for id in asked {
        let campaign = found.remove(id).ok_or_else(|| {
            Error::InvalidInput(InvalidInput {
                field: "campaignIds",
                message: format!(
                    "campaignIds names campaign {id}, which ad account {account} does not have \
                     (or this token cannot see); check the id in Campaign Manager or leave \
                     campaignIds out to collect every campaign"
                ),
            })
        })?;
        selected.insert(*id, campaign);
    }
    Ok(selected)
}

/// Keeps the creatives of `campaigns`, sorted by id (LinkedIn's search should return no
/// others; one that slips through has no campaign to be joined to).
pub fn of_campaigns(
    creatives: Vec<Creative>,
    campaigns: &BTreeMap<CampaignId, Campaign>,
) -> Vec<Creative> {
    let mut kept: Vec<Creative> = creatives
        .into_iter()
        .filter(|c| {
            let known = campaigns.contains_key(&c.campaign);
            if !known {
                tracing::warn!(creative = %c.id, campaign = %c.campaign,
                    "creative search returned a creative of a campaign not collected; skipped");
            }
            known
        })
        .collect();
    kept.sort_by_key(|c| c.id);
    kept.dedup_by_key(|c| c.id);
    kept
}

/// The creatives file as the last run left it: empty when there is none, or when it cannot
/// be read (then every post's copy is fetched again and the file rewritten whole).
pub async fn stored_records(
    store: &Store<'_>,
    account: AccountId,
) -> Result<Vec<CreativeRecord>, Error> {
    stored(store, keys::creatives(account), curated::read_creatives).await
}

/// The campaigns file as the last run left it: empty when there is none, or when it cannot
/// be read (then it is rewritten from this run's listing alone).
pub async fn stored_campaigns(
    store: &Store<'_>,
    account: AccountId,
) -> Result<Vec<CampaignRecord>, Error> {
    stored(store, keys::campaigns(account), curated::read_campaigns).await
}

/// The records of the curated file at `key`; an unreadable file counts as none (a warning
/// says so) because the run rewrites it whole.
async fn stored<T>(
    store: &Store<'_>,
    key: String,
    read: fn(Bytes) -> Result<Vec<T>, CuratedError>,
) -> Result<Vec<T>, Error> {
    let Some(file) = store.get_if_present(&key).await? else {
        return Ok(Vec::new());
    };
    Ok(read(file).unwrap_or_else(|error| {
        tracing::warn!(%key, %error, "a curated file cannot be read; rebuilding it");
        Vec::new()
    }))
}

/// The ad copy of every post the creatives reference, and how many posts were fetched.
pub struct Copies {
    /// Copy by post.
    pub by_post: HashMap<PostUrn, AdCopy>,
    /// Posts fetched from LinkedIn in this run.
    pub fetched: usize,
}

/// The ad copy of `creatives`' posts: copy already stored in `known` is reused; other posts
/// are fetched one by one and their bodies stored (`posts_<run>.json`, a JSON array of the
/// bodies fetched) — also when a fetch fails, so what was received is not lost. A post
/// LinkedIn no longer has (404) is left without copy.
pub async fn ad_copy(
    client: &linkedin::Client,
    creatives: &[Creative],
    known: &[CreativeRecord],
    store: &Store<'_>,
    raw: &RawKeys,
) -> Result<Copies, Error> {
    let mut by_post: HashMap<PostUrn, AdCopy> = known
        .iter()
        .filter_map(|r| r.post_urn.clone().map(|post| (post, r.copy.clone())))
        .collect();
    let mut wanted: Vec<&PostUrn> = creatives
        .iter()
        .filter_map(|c| c.content_reference.as_ref())
        .filter(|post| !by_post.contains_key(*post))
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut bodies = Vec::new();
    let mut failure = None;
    for post in wanted {
        match client.ad_copy(post).await {
            Ok(fetched) => {
                by_post.insert(post.clone(), fetched.value);
                bodies.push(fetched.raw);
            }
            Err(linkedin::Error::NotFound { .. }) => {
                tracing::warn!(%post, "LinkedIn has no such post; its creatives keep no copy");
                by_post.insert(post.clone(), AdCopy::default());
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    if !bodies.is_empty() {
        store
            .put(
                &raw.entities(EntityKind::Posts),
                keys::json_array(&bodies),
                JSON,
            )
            .await?;
    }
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(Copies {
            by_post,
            fetched: bodies.len(),
        }),
    }
}

/// The creatives file's new rows: every creative seen in this run, with its campaign's
/// name, its copy and `collected_at` = `now`; creatives of earlier runs not seen now (other
/// campaigns, statuses no longer collected) are kept as they were.
pub fn records(
    stored: Vec<CreativeRecord>,
    creatives: &[Creative],
    campaigns: &BTreeMap<CampaignId, Campaign>,
    copies: &Copies,
    now: DateTime<Utc>,
) -> Vec<CreativeRecord> {
    let mut records: BTreeMap<CreativeId, CreativeRecord> =
        stored.into_iter().map(|r| (r.creative_id, r)).collect();
    for creative in creatives {
        let Some(campaign) = campaigns.get(&creative.campaign) else {
            continue;
        };
        let copy = creative
            .content_reference
            .as_ref()
            .and_then(|post| copies.by_post.get(post))
            .cloned()
            .unwrap_or_default();
        records.insert(
            creative.id,
            CreativeRecord {
                creative_id: creative.id,
                campaign_id: creative.campaign,
                campaign_name: campaign.name.clone(),
                name: creative.name.clone(),
                status: creative.intended_status.as_str().to_owned(),
                copy,
                post_urn: creative.content_reference.clone(),
                created_at: creative.created_at,
                last_modified_at: creative.last_modified_at,
                collected_at: now,
            },
        );
    }
    records.into_values().collect()
}

/// The campaigns file's new rows: every campaign of the account's listing in this run
/// (`seen`, whatever the input selected), at its current state with `collected_at` = `now`;
/// campaigns of earlier runs not listed now (statuses no longer collected) are kept as they
/// were.
pub fn campaign_records(
    stored: Vec<CampaignRecord>,
    seen: &[Campaign],
    now: DateTime<Utc>,
) -> Vec<CampaignRecord> {
    let mut records: BTreeMap<CampaignId, CampaignRecord> =
        stored.into_iter().map(|r| (r.campaign_id, r)).collect();
    for campaign in seen {
        let amounts = [
            &campaign.daily_budget,
            &campaign.unit_cost,
            &campaign.total_budget,
        ];
        let currency = amounts
            .into_iter()
            .flatten()
            .map(|money| money.currency_code.clone())
            .next();
        let amount = |money: &Option<Money>| money.as_ref().map(|m| m.amount);
        records.insert(
            campaign.id,
            CampaignRecord {
                campaign_id: campaign.id,
                name: campaign.name.clone(),
                status: campaign.status.as_str().to_owned(),
                cost_type: campaign.cost_type.as_str().to_owned(),
                objective_type: campaign.objective_type.clone(),
                unit_cost: amount(&campaign.unit_cost),
                daily_budget: amount(&campaign.daily_budget),
                total_budget: amount(&campaign.total_budget),
                currency,
                created_at: campaign.created_at,
                last_modified_at: campaign.last_modified_at,
                collected_at: now,
            },
        );
    }
    records.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::{CampaignStatus, CostType, CreativeStatus};
    use chrono::TimeZone;

    fn campaign(id: u64) -> Campaign {
        Campaign {
            id: CampaignId(id),
            account: AccountId(1),
            campaign_group: None,
            name: format!("Campaign {id}"),
            status: CampaignStatus::Active,
            cost_type: CostType::Cpc,
            objective_type: None,
            unit_cost: None,
            daily_budget: None,
            total_budget: None,
            targeting_criteria: None,
            created_at: None,
            last_modified_at: None,
        }
    }

    fn creative(id: u64, campaign: u64, post: Option<&str>) -> Creative {
        Creative {
            id: CreativeId(id),
            campaign: CampaignId(campaign),
            account: AccountId(1),
            name: None,
            intended_status: CreativeStatus::Paused,
            is_serving: None,
            review_status: None,
            content_reference: post.map(|p| p.parse().unwrap()),
            created_at: None,
            last_modified_at: None,
        }
    }

    #[test]
    fn campaigns_asked_for_must_exist_in_the_account() {
        // GIVEN an account with campaigns 1 and 2
        let found = || vec![campaign(1), campaign(2)];
        // WHEN all, one, or a missing one are asked for
        let all = select_campaigns(AccountId(1), found(), None).unwrap();
        let one = select_campaigns(AccountId(1), found(), Some(&[CampaignId(2)])).unwrap();
        let err = select_campaigns(AccountId(1), found(), Some(&[CampaignId(3)])).unwrap_err();
        // THEN all are kept, exactly the one, or the input is invalid naming the campaign
        assert_eq!(all.len(), 2);
        assert_eq!(one.keys().copied().collect::<Vec<_>>(), vec![CampaignId(2)]);
        assert_eq!(ads::error_names::StepError::name(&err), "Input.Invalid");
        assert!(
            err.to_string().starts_with("campaignIds names campaign 3"),
            "{err}"
        );
    }

    #[test]
    fn creatives_of_other_campaigns_are_dropped_and_the_rest_sorted() {
        let campaigns = select_campaigns(AccountId(1), vec![campaign(1)], None).unwrap();
        let kept = of_campaigns(
            vec![
                creative(9, 1, None),
                creative(5, 2, None),
                creative(3, 1, None),
            ],
            &campaigns,
        );
        let ids: Vec<u64> = kept.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, vec![3, 9]);
    }

    #[test]
    fn records_update_seen_creatives_and_keep_the_others() {
        // GIVEN a stored record of creative 7 (another campaign) and of creative 3
        let then = Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 8, 2, 0, 0, 0).unwrap();
        let stored = |id: u64, campaign: u64| CreativeRecord {
            creative_id: CreativeId(id),
            campaign_id: CampaignId(campaign),
            campaign_name: "old".into(),
            name: None,
            status: "ACTIVE".into(),
            copy: AdCopy::default(),
            post_urn: None,
            created_at: None,
            last_modified_at: None,
            collected_at: then,
        };
        let campaigns = select_campaigns(AccountId(1), vec![campaign(1)], None).unwrap();
        let post: PostUrn = "urn:li:share:5".parse().unwrap();
        let copies = Copies {
            by_post: HashMap::from([(
                post.clone(),
                AdCopy {
                    headline: Some("Hi".into()),
                    ..AdCopy::default()
                },
            )]),
            fetched: 1,
        };
        // WHEN creative 3 is seen again with a post
        let records = records(
            vec![stored(7, 2), stored(3, 1)],
            &[creative(3, 1, Some("urn:li:share:5"))],
            &campaigns,
            &copies,
            now,
        );
        // THEN 3 carries this run's metadata and copy, 7 stays as it was
        assert_eq!(records.len(), 2);
        let (three, seven) = (&records[0], &records[1]);
        assert_eq!(three.campaign_name, "Campaign 1");
        assert_eq!(three.status, "PAUSED");
        assert_eq!(three.copy.headline.as_deref(), Some("Hi"));
        assert_eq!(three.post_urn, Some(post));
        assert_eq!(three.collected_at, now);
        assert_eq!(seven, &stored(7, 2));
    }

    #[test]
    fn campaign_records_take_the_listing_state_and_keep_campaigns_not_listed() {
        // GIVEN stored records of campaigns 1 and 5, and a listing of 1 (now paused, with
        // a bid and a budget) and 2
        let then = Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 8, 2, 0, 0, 0).unwrap();
        let old = |id: u64| CampaignRecord {
            campaign_id: CampaignId(id),
            name: "old".into(),
            status: "ACTIVE".into(),
            cost_type: "CPM".into(),
            objective_type: None,
            unit_cost: None,
            daily_budget: None,
            total_budget: None,
            currency: None,
            created_at: None,
            last_modified_at: None,
            collected_at: then,
        };
        let mut one = campaign(1);
        one.status = CampaignStatus::Paused;
        one.unit_cost = Some(Money::usd("7.5".parse().unwrap()));
        one.daily_budget = Some(Money::usd("100".parse().unwrap()));
        // WHEN the records are updated
        let records = campaign_records(vec![old(5), old(1)], &[one, campaign(2)], now);
        // THEN 1 and 2 carry this run's state, 5 stays as it was, sorted by id
        let ids: Vec<u64> = records.iter().map(|r| r.campaign_id.0).collect();
        assert_eq!(ids, vec![1, 2, 5]);
        let (first, second) = (&records[0], &records[1]);
        assert_eq!(
            (first.status.as_str(), first.cost_type.as_str()),
            ("PAUSED", "CPC")
        );
        assert_eq!(first.unit_cost, Some("7.5".parse().unwrap()));
        assert_eq!(first.daily_budget, Some("100".parse().unwrap()));
        assert_eq!(first.currency.as_deref(), Some("USD"));
        assert_eq!(first.collected_at, now);
        assert_eq!((second.unit_cost, second.currency.as_deref()), (None, None));
        assert_eq!(records[2], old(5));
    }
}
