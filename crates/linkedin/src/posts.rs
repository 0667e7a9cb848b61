//! Posts: the ad copy a creative shows, and dark (ad-only) posts to make new creatives from.
//!
//! - read: `GET /posts/{encoded urn}` → `author`, `commentary`,
//!   `content.article.{title,description,source}`
//! - dark post: `POST /posts` with an organization `author`, `visibility: PUBLIC`,
//!   `distribution.feedDistribution: NONE` (never shown in the page's feed) and
//!   `adContext: {dscAdAccount, dscStatus: ACTIVE}` → 201, the new URN in `x-restli-id`
//!
//! (learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api, "Create a
//! Dark Post" / Direct Sponsored Content)

use ads::{AccountId, AdCopy, PostUrn};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::client::{Client, Fetched};
use crate::creatives::created_id;
use crate::error::Error;
use crate::restli;
use crate::transport::ApiRequest;

/// A post as the optimizer reads it: who speaks and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The author, `urn:li:organization:N` for an ad's post (a new dark post made from it
    /// speaks for the same organization); `None` when LinkedIn left it out.
    pub author: Option<String>,
    /// The ad copy.
    pub copy: AdCopy,
}

/// A dark post to create: ad copy published only as an ad of `account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DarkPost {
    /// The organization the post speaks for, `urn:li:organization:N`.
    pub author: String,
    /// The ad account allowed to sponsor it.
    pub account: AccountId,
    /// The copy: `commentary` is the intro text; with a `landing_page` the post is an
    /// article (`headline` its title, `description` under it); `call_to_action` a label
    /// such as `LEARN_MORE`.
    pub copy: AdCopy,
}

impl DarkPost {
    /// The `POST /posts` body.
    fn body(&self) -> serde_json::Value {
        let mut post = json!({
            "author": self.author,
            "commentary": self.copy.commentary.clone().unwrap_or_default(),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "NONE",
                "targetEntities": [],
                "thirdPartyDistributionChannels": []
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": true,
            "adContext": {
                "dscAdAccount": self.account.urn(),
                "dscStatus": "ACTIVE"
            }
        });
        if let Some(source) = &self.copy.landing_page {
            let mut article = Map::new();
            article.insert("source".into(), json!(source));
            if let Some(title) = &self.copy.headline {
                article.insert("title".into(), json!(title));
            }
            if let Some(description) = &self.copy.description {
                article.insert("description".into(), json!(description));
            }
            post["content"] = json!({ "article": article });
        }
        if let Some(label) = &self.copy.call_to_action {
            post["contentCallToActionLabel"] = json!(label);
        }
        post
    }
}

pub(crate) fn get_request(post: &PostUrn) -> ApiRequest {
    ApiRequest::get(
        format!("/posts/{}", restli::encode_string(post.as_str())),
        None,
    )
}

pub(crate) fn create_request(post: &DarkPost) -> ApiRequest {
    ApiRequest::create("/posts", post.body())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostWire {
    author: Option<String>,
    commentary: Option<String>,
    content: Option<ContentWire>,
    content_landing_page: Option<String>,
    content_call_to_action_label: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ContentWire {
    article: Option<ArticleWire>,
}

#[derive(Debug, Deserialize)]
struct ArticleWire {
    title: Option<String>,
    description: Option<String>,
    source: Option<String>,
}

pub(crate) fn parse_post(body: &str) -> Result<Post, Error> {
    let post: PostWire =
        serde_json::from_str(body).map_err(|e| Error::invalid_response("post", e))?;
    let article = post.content.and_then(|c| c.article);
    let (headline, description, source) = match article {
        Some(a) => (a.title, a.description, a.source),
        None => (None, None, None),
    };
    Ok(Post {
        author: post.author,
        copy: AdCopy {
            commentary: post.commentary,
            headline,
            description,
            landing_page: source.or(post.content_landing_page),
            call_to_action: post.content_call_to_action_label,
        },
    })
}

impl Client {
    /// The ad copy of a post (a creative's `content.reference`), with the body as received.
    pub async fn ad_copy(&self, post: &PostUrn) -> Result<Fetched<AdCopy>, Error> {
        let fetched = self.post(post).await?;
        Ok(Fetched {
            value: fetched.value.copy,
            raw: fetched.raw,
        })
    }

    /// A post's author and ad copy, with the body as received.
    pub async fn post(&self, post: &PostUrn) -> Result<Fetched<Post>, Error> {
        let response = self.transport().send(&get_request(post)).await?;
        Ok(Fetched {
            value: parse_post(&response.body)?,
            raw: response.body,
        })
    }

    /// Publishes a dark post and returns its URN (`urn:li:share:N` or `urn:li:ugcPost:N`).
    ///
    /// Not idempotent: retried only after a 429 or a failed connection. After any other
    /// failure LinkedIn may have created the post; an orphan dark post shows nowhere.
    pub async fn create_dark_post(&self, post: &DarkPost) -> Result<PostUrn, Error> {
        let response = self.transport().send(&create_request(post)).await?;
        created_id(&response, "post create")?
            .parse()
            .map_err(|e| Error::invalid_response("post create", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Body, Repeat};

    #[test]
    fn reads_the_post_at_its_encoded_urn() {
        let post: PostUrn = "urn:li:ugcPost:12".parse().unwrap();
        assert_eq!(get_request(&post).path, "/posts/urn%3Ali%3AugcPost%3A12");
    }

    #[test]
    fn maps_author_commentary_and_article_into_a_post() {
        // GIVEN an article post
        let body = r#"{"author":"urn:li:organization:1","commentary":"Ship faster.",
            "content":{"article":{"source":"https://example.com/a","title":"Ship","description":"How"}},
            "contentCallToActionLabel":"LEARN_MORE"}"#;
        // WHEN mapped
        let post = parse_post(body).unwrap();
        // THEN each part lands in its field
        assert_eq!(post.author.as_deref(), Some("urn:li:organization:1"));
        assert_eq!(
            post.copy,
            AdCopy {
                commentary: Some("Ship faster.".into()),
                headline: Some("Ship".into()),
                description: Some("How".into()),
                landing_page: Some("https://example.com/a".into()),
                call_to_action: Some("LEARN_MORE".into()),
            }
        );
        // AND a text-only post leaves the article fields absent
        let text_only = parse_post(r#"{"commentary":"Hi"}"#).unwrap();
        assert_eq!((text_only.author, text_only.copy.headline), (None, None));
    }

    #[test]
    fn a_dark_post_stays_out_of_the_feed_and_belongs_to_the_ad_account() {
        // GIVEN new copy for account 5
        let post = DarkPost {
            author: "urn:li:organization:42".into(),
            account: AccountId(5),
            copy: AdCopy {
                commentary: Some("New intro".into()),
                headline: Some("Title".into()),
                description: Some("Desc".into()),
                landing_page: Some("https://example.com".into()),
                call_to_action: None,
            },
        };
        // WHEN the request is built
        let request = create_request(&post);
        // THEN it is LinkedIn's dark-post body, not repeated blindly
        assert_eq!(request.path, "/posts");
        assert_eq!(request.repeat, Repeat::OnlyIfNotProcessed);
        assert_eq!(
            request.body,
            Body::Json(json!({
                "author": "urn:li:organization:42",
                "commentary": "New intro",
                "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "NONE", "targetEntities": [],
                                 "thirdPartyDistributionChannels": []},
                "content": {"article": {"source": "https://example.com", "title": "Title",
                                        "description": "Desc"}},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": true,
                "adContext": {"dscAdAccount": "urn:li:sponsoredAccount:5", "dscStatus": "ACTIVE"}
            }))
        );
    }
}
