//! One change on LinkedIn.
//!
//! Status, bid and budget changes are `$set` partial updates: repeating one is harmless.
//! A variation is two creations — a dark post with the new copy, authored by the
//! organization that authored the winner's post, then an ACTIVE creative showing it in the
//! winner's campaign — and creations are not idempotent. When the post was created but the
//! creative was not, the failure keeps the post's URN (the log entry's `after`), and the next
//! run makes the creative from that post instead of a second post — or, when LinkedIn did
//! create the creative before failing to say so, finds it (the linkedin crate's
//! `create_creative` asks callers to search before creating again).

use ads::decision::Action;
use ads::{CreativeStatus, PostUrn};
use linkedin::{CampaignPatch, Client, DarkPost};

use crate::current::{Change, Current};

/// A change LinkedIn failed.
#[derive(Debug)]
pub(crate) struct Failure {
    /// LinkedIn's error.
    pub error: linkedin::Error,
    /// For a variation: the dark post created before the failure, to reuse.
    pub post: Option<PostUrn>,
}

impl From<linkedin::Error> for Failure {
    fn from(error: linkedin::Error) -> Failure {
        Failure { error, post: None }
    }
}

/// Sends `change` for `action` and returns the value after: the new status or amount, or
/// the new creative's id for a variation. `posted` is a dark post an earlier run created for
/// this variation; `current` tells whether a creative already shows it.
pub(crate) async fn make(
    client: &Client,
    action: &Action,
    change: Change,
    posted: Option<PostUrn>,
    current: &Current,
) -> Result<String, Failure> {
    let account = action.account_id;
    let campaign = action.campaign_id;
    match change {
        Change::Status(creative, status) => {
            client
                .set_creative_status(account, creative, status)
                .await?;
            Ok(status.as_str().to_owned())
        }
        Change::Bid(money) => {
            let after = money.amount.to_string();
            let patch = CampaignPatch {
                unit_cost: Some(money),
                ..CampaignPatch::default()
            };
            client.update_campaign(account, campaign, &patch).await?;
            Ok(after)
        }
        Change::Budget(money) => {
            let after = money.amount.to_string();
            let patch = CampaignPatch {
                daily_budget: Some(money),
                ..CampaignPatch::default()
            };
            client.update_campaign(account, campaign, &patch).await?;
            Ok(after)
        }
        Change::Variation { winner_post, copy } => {
            let post = match posted {
                Some(post) => {
                    if let Some(made) = current.creative_showing(campaign, &post) {
                        return Ok(made.0.to_string());
                    }
                    post
                }
                None => {
                    let winner = client.post(&winner_post).await?.value;
                    let author = winner
                        .author
                        .ok_or_else(|| linkedin::Error::InvalidResponse {
                            what: format!("post {}", winner_post.as_str()),
                            reason: "it has no author to create the new post for".to_owned(),
                        })?;
                    let dark = DarkPost {
                        author,
                        account,
                        copy,
                    };
                    client.create_dark_post(&dark).await?
                }
            };
            let creative = client
                .create_creative(account, campaign, &post, CreativeStatus::Active)
                .await
                .map_err(|error| Failure {
                    error,
                    post: Some(post.clone()),
                })?;
            Ok(creative.0.to_string())
        }
    }
}
