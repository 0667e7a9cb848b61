//! Posts carrying ad copy (learn.microsoft.com/linkedin/marketing/community-management/
//! shares/posts-api): `GET /rest/posts/{encoded urn}` and dark-post creation
//! `POST /rest/posts` with `adContext` and `distribution.feedDistribution: NONE` → 201 and
//! `x-restli-id: urn:li:share:N`. A creative made from a new post takes its true CTR from the
//! post's copy through the same model as seeded creatives (`copy`).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value as Json, json};

use super::{RestRequest, created, json_response, urn_id};
use crate::copy::AdCopy;
use crate::errors::ApiError;
use crate::state::Sim;
use crate::world::Post;

/// LinkedIn's JSON for a post.
pub fn render(p: &Post) -> Json {
    json!({
        "id": p.urn,
        "author": p.author,
        "commentary": p.copy.commentary,
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "NONE", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "content": {"article": {"source": p.source, "title": p.copy.headline, "description": p.copy.description}},
        "contentCallToActionLabel": p.copy.call_to_action,
        "adContext": {"dscAdAccount": format!("urn:li:sponsoredAccount:{}", p.account), "dscStatus": "ACTIVE", "dscAdType": "STANDARD"},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false,
        "createdAt": p.created_ms,
        "lastModifiedAt": p.created_ms,
        "publishedAt": p.created_ms,
    })
}

/// `GET /rest/posts/{urn}`.
pub fn get(sim: &mut Sim, urn: &str) -> Result<Response, ApiError> {
    let post = sim
        .world
        .posts
        .get(urn)
        .ok_or_else(|| ApiError::not_found(format!("Post {urn} does not exist")))?;
    Ok(json_response(StatusCode::OK, render(post)))
}

/// `POST /rest/posts` (dark posts for ads only).
pub fn create(sim: &mut Sim, req: &RestRequest) -> Result<Response, ApiError> {
    let body: Json = serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::new(400, 400, format!("Request body is not valid JSON: {e}")))?;
    let field = |path: &str| body.pointer(path).and_then(Json::as_str);
    let author = field("/author").unwrap_or("");
    if urn_id(author, "organization").is_none() {
        return Err(ApiError::invalid_input(
            "author",
            "INVALID_VALUE_FOR_FIELD",
            "author must be urn:li:organization:N",
        ));
    }
    let account_urn = field("/adContext/dscAdAccount").unwrap_or("");
    let account = urn_id(account_urn, "sponsoredAccount")
        .filter(|a| sim.world.accounts.contains_key(a))
        .ok_or_else(|| {
            ApiError::invalid_input(
                "adContext.dscAdAccount",
                "INVALID_VALUE_FOR_FIELD",
                "adContext.dscAdAccount must be an ad account URN this token can use",
            )
        })?;
    if field("/distribution/feedDistribution") != Some("NONE") {
        return Err(ApiError::invalid_input(
            "distribution.feedDistribution",
            "INVALID_VALUE_FOR_FIELD",
            "A post with adContext is a dark post: distribution.feedDistribution must be NONE",
        ));
    }
    let commentary = field("/commentary").unwrap_or("").to_string();
    let copy = AdCopy {
        commentary,
        headline: field("/content/article/title").unwrap_or("").to_string(),
        description: field("/content/article/description")
            .unwrap_or("")
            .to_string(),
        call_to_action: field("/contentCallToActionLabel")
            .unwrap_or("LEARN_MORE")
            .to_string(),
    };
    let source = field("/content/article/source").map(str::to_string);
    let urn = sim.world.create_post(account, copy, source);
    if let Some(post) = sim.world.posts.get_mut(&urn) {
        post.author = author.to_string();
    }
    Ok(created(&urn))
}
