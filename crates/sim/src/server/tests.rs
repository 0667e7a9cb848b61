//! The simulator over real HTTP on an ephemeral port, as a LinkedIn client sees it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::spawn;
use crate::admin_types::{Faults, Limits};
use crate::scenario::Scenario;
use crate::server::RunningSim;

const VERSION: &str = "202601";
const CAMPAIGN_1: &str = "urn%3Ali%3AsponsoredCampaign%3A700000001";

struct Api {
    sim: RunningSim,
    http: reqwest::Client,
    token: String,
}

/// These tests speak LinkedIn-Version 202601, so their worlds start in January 2026.
fn scenario() -> Scenario {
    Scenario {
        start_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        ..Scenario::default()
    }
}

async fn start(scenario: Scenario, days: u32) -> Api {
    let sim = spawn(scenario).await.expect("simulator starts");
    let admin = sim.admin();
    admin.advance(days).await.expect("advance");
    let token = admin.credentials().await.expect("credentials").access_token;
    Api {
        sim,
        http: reqwest::Client::new(),
        token,
    }
}

impl Api {
    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.sim.api_url()))
            .bearer_auth(&self.token)
            .header("LinkedIn-Version", VERSION)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.sim.api_url()))
            .bearer_auth(&self.token)
            .header("LinkedIn-Version", VERSION)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }

    async fn json(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.expect("request");
        let status = response.status();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    fn analytics(&self, pivot: &str, filter: &str, fields: &str) -> String {
        format!(
            "/adAnalytics?q=analytics&pivot={pivot}&timeGranularity=DAILY&dateRange=(start:(year:2026,month:1,day:1),end:(year:2026,month:3,day:31))&{filter}&fields={fields}"
        )
    }
}

#[tokio::test]
async fn refuses_bad_auth_version_and_protocol_headers_with_linkedins_bodies() {
    let api = start(scenario(), 0).await;
    let url = format!("{}/adAnalytics?q=analytics", api.sim.api_url());
    // no token
    let (s, b) = api
        .json(api.http.get(&url).header("LinkedIn-Version", VERSION))
        .await;
    assert_eq!(
        (s.as_u16(), b["message"].as_str()),
        (401, Some("Empty oauth2_access_token"))
    );
    // unknown token
    let (s, b) = api
        .json(
            api.http
                .get(&url)
                .bearer_auth("nope")
                .header("LinkedIn-Version", VERSION),
        )
        .await;
    assert_eq!(
        (
            s.as_u16(),
            b["serviceErrorCode"].as_u64(),
            b["code"].as_str()
        ),
        (401, Some(65600), Some("INVALID_ACCESS_TOKEN"))
    );
    // no version
    let (s, b) = api
        .json(
            api.http
                .get(&url)
                .bearer_auth(&api.token)
                .header("X-Restli-Protocol-Version", "2.0.0"),
        )
        .await;
    assert_eq!(
        (s.as_u16(), b["code"].as_str()),
        (400, Some("VERSION_MISSING"))
    );
    // sunset, and not yet released on the virtual clock (2026-01)
    for v in ["202301", "202607"] {
        let (s, b) = api
            .json(
                api.http
                    .get(&url)
                    .bearer_auth(&api.token)
                    .header("LinkedIn-Version", v),
            )
            .await;
        assert_eq!(s.as_u16(), 426);
        assert_eq!(
            b,
            json!({"status": 426, "serviceErrorCode": 426, "code": "NONEXISTENT_VERSION", "message": format!("Requested version {v} is not active")})
        );
    }
    // no Rest.li protocol header
    let (s, b) = api
        .json(
            api.http
                .get(&url)
                .bearer_auth(&api.token)
                .header("LinkedIn-Version", "202601.02"),
        )
        .await;
    assert_eq!((s.as_u16(), b["status"].as_u64()), (400, Some(400)));
    assert!(
        b["message"]
            .as_str()
            .unwrap_or("")
            .contains("X-Restli-Protocol-Version")
    );
    api.sim.shutdown().await;
}

#[tokio::test]
async fn analytics_serves_requested_metrics_deterministically_and_matches_the_truth() {
    let api = start(scenario(), 21).await;
    let fields = "impressions,clicks,costInUsd,externalWebsiteConversions,oneClickLeads,approximateMemberReach,dateRange,pivotValues";
    let path = api.analytics("CREATIVE", &format!("campaigns=List({CAMPAIGN_1})"), fields);
    let (s, first) = api.json(api.get(&path)).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    let (_, second) = api.json(api.get(&path)).await;
    assert_eq!(first, second, "same query, same numbers");
    let elements = first["elements"].as_array().unwrap();
    assert!(!elements.is_empty());
    let e = &elements[0];
    assert!(e["costInUsd"].is_string() && e["impressions"].is_u64());
    assert!(e["likes"].is_null(), "only requested metrics");
    assert_eq!(e["dateRange"]["start"], e["dateRange"]["end"]);
    assert!(
        e["pivotValues"][0]
            .as_str()
            .unwrap()
            .starts_with("urn:li:sponsoredCreative:")
    );
    // THEN every element equals the truth for that creative and day
    let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let truth = api
        .sim
        .admin()
        .truth_delivery(from, from + chrono::Days::new(90))
        .await
        .unwrap();
    for e in elements {
        let d = &e["dateRange"]["start"];
        let date = chrono::NaiveDate::from_ymd_opt(
            d["year"].as_i64().unwrap() as i32,
            d["month"].as_u64().unwrap() as u32,
            d["day"].as_u64().unwrap() as u32,
        )
        .unwrap();
        let id: u64 = e["pivotValues"][0]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let t = truth
            .iter()
            .find(|t| t.date == date && t.creative_id == id)
            .expect("truth row");
        for m in [
            "impressions",
            "clicks",
            "costInUsd",
            "externalWebsiteConversions",
            "oneClickLeads",
        ] {
            assert_eq!(e[m], t.metrics[m], "{m} on {date} for {id}");
        }
    }
    // AND the campaign pivot is the sum of its creatives
    let (_, by_campaign) = api
        .json(api.get(&api.analytics(
            "CAMPAIGN",
            &format!("campaigns=List({CAMPAIGN_1})"),
            "impressions,clicks,dateRange",
        )))
        .await;
    let sum = |v: &Value, m: &str| {
        v["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[m].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum(&by_campaign, "impressions"), sum(&first, "impressions"));
    assert_eq!(sum(&by_campaign, "clicks"), sum(&first, "clicks"));
    api.sim.shutdown().await;
}

#[tokio::test]
async fn analytics_refuses_bad_parameters_naming_them() {
    let api = start(scenario(), 3).await;
    let filter = format!("campaigns=List({CAMPAIGN_1})");
    let many: Vec<&str> = crate::metrics::METRICS.iter().take(21).copied().collect();
    let (s, b) = api
        .json(api.get(&api.analytics("CREATIVE", &filter, &many.join(","))))
        .await;
    assert_eq!(
        (
            s.as_u16(),
            b["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"].as_str()
        ),
        (400, Some("fields"))
    );
    let (s, b) = api
        .json(api.get(&api.analytics("CREATIVE", &filter, "impressions,bogusMetric")))
        .await;
    assert_eq!(s.as_u16(), 400);
    assert!(b["message"].as_str().unwrap().contains("bogusMetric"));
    let (s, b) = api.json(api.get(&format!("/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange=(start:(year:2026,month:13,day:1))&{filter}"))).await;
    assert_eq!(
        (
            s.as_u16(),
            b["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"].as_str()
        ),
        (400, Some("dateRange"))
    );
    let (s, _) = api.json(api.get("/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange=(start:(year:2026,month:1,day:1))")).await;
    assert_eq!(s.as_u16(), 400, "a facet filter is required");
    // without fields: impressions and clicks only
    let (s, b) = api.json(api.get(&format!("/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2026,month:1,day:1))&{filter}"))).await;
    assert_eq!(s, StatusCode::OK);
    let mut keys: Vec<&String> = b["elements"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["clicks", "dateRange", "impressions", "pivotValues"]
    );
    api.sim.shutdown().await;
}

#[tokio::test]
async fn a_query_over_4kb_answers_414_and_the_same_query_tunneled_succeeds() {
    let api = start(scenario(), 5).await;
    let urns: Vec<String> = (0..200)
        .map(|i| format!("urn%3Ali%3AsponsoredCampaign%3A{}", 700_000_001 + i))
        .collect();
    let query = format!(
        "q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2026,month:1,day:1))&campaigns=List({})&fields=impressions,pivotValues",
        urns.join(",")
    );
    assert!(query.len() > 4096);
    let (s, b) = api.json(api.get(&format!("/adAnalytics?{query}"))).await;
    assert_eq!((s.as_u16(), b["status"].as_u64()), (414, Some(414)));
    let tunneled = api
        .post("/adAnalytics")
        .header("X-HTTP-Method-Override", "GET")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(query);
    let (s, b) = api.json(tunneled).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["elements"].as_array().unwrap().len(),
        3,
        "the three seeded campaigns"
    );
    assert_eq!(api.sim.admin().stats().await.unwrap().tunneled_requests, 1);
    api.sim.shutdown().await;
}

#[tokio::test]
async fn analytics_are_silently_truncated_at_the_element_cap_and_metric_values_are_throttled() {
    let api = start(scenario(), 10).await;
    let admin = api.sim.admin();
    admin
        .set_limits(&Limits {
            max_analytics_elements: 5,
            ..Limits::default()
        })
        .await
        .unwrap();
    let path = api.analytics(
        "CREATIVE",
        "accounts=List(urn%3Ali%3AsponsoredAccount%3A500000001)",
        "impressions,clicks",
    );
    let (s, b) = api.json(api.get(&path)).await;
    assert_eq!(
        (s, b["elements"].as_array().unwrap().len()),
        (StatusCode::OK, 5)
    );
    admin
        .set_limits(&Limits {
            metric_values_per_5min: 12,
            ..Limits::default()
        })
        .await
        .unwrap();
    // 10 values already in the window; one ALL element × 2 fields fits exactly ...
    let all = format!(
        "/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2026,month:1,day:1))&campaigns=List({CAMPAIGN_1})"
    );
    let (s, _) = api.json(api.get(&all)).await;
    assert_eq!(s, StatusCode::OK);
    // ... and 5 more elements do not
    let (s, b) = api.json(api.get(&path)).await;
    assert_eq!(s.as_u16(), 429);
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("More than 12 metric values were requested in a 5-minute window")
    );
    api.sim.shutdown().await;
}

#[tokio::test]
async fn creatives_page_with_cursor_tokens_across_three_pages() {
    let api = start(scenario(), 0).await;
    let base = "/adAccounts/500000001/creatives?q=criteria&sortOrder=ASCENDING&pageSize=5";
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            Some(t) => format!("{base}&pageToken={t}"),
            None => base.to_string(),
        };
        let (s, b) = api.json(api.get(&path)).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        pages += 1;
        seen.extend(
            b["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string()),
        );
        token = b["metadata"]["nextPageToken"].as_str().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!((pages, seen.len()), (3, 12));
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 12);
    let (s, _) = api
        .json(api.get(&format!("{base}&pageToken=garbage")))
        .await;
    assert_eq!(s.as_u16(), 400);
    // campaigns page too, filtered by status
    let (s, b) = api.json(api.get("/adAccounts/500000001/adCampaigns?q=search&search=(status:(values:List(ACTIVE,PAUSED)))&pageSize=2")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["elements"].as_array().unwrap().len(), 2);
    assert!(b["metadata"]["nextPageToken"].is_string());
    assert_eq!(b["elements"][0]["unitCost"]["currencyCode"], "USD");
    api.sim.shutdown().await;
}

#[tokio::test]
async fn partial_updates_answer_204_take_effect_and_refuse_illegal_values() {
    let api = start(scenario(), 2).await;
    let campaign = "/adAccounts/500000001/adCampaigns/700000001";
    let patch = |set: Value| {
        api.post(campaign)
            .header("X-RestLi-Method", "PARTIAL_UPDATE")
            .json(&json!({"patch": {"$set": set}}))
    };
    let (s, _) = api
        .json(patch(
            json!({"dailyBudget": {"amount": "5.00", "currencyCode": "USD"}}),
        ))
        .await;
    assert_eq!(s.as_u16(), 400);
    let (s, b) = api
        .json(patch(
            json!({"unitCost": {"amount": "0.50", "currencyCode": "USD"}}),
        ))
        .await;
    assert_eq!(
        (s.as_u16(), b["code"].as_str()),
        (400, Some("FIELD_VALUE_TOO_LOW"))
    );
    let (s, b) = api.json(patch(json!({"bogus": 1}))).await;
    assert_eq!(s.as_u16(), 400, "{b}");
    let (s, _) = api.json(patch(json!({"status": "ARCHIVED"}))).await;
    assert_eq!(s.as_u16(), 204);
    let (s, b) = api.json(patch(json!({"status": "ACTIVE"}))).await;
    assert_eq!(
        (s.as_u16(), b["code"].as_str()),
        (400, Some("STATUS_CHANGE_NOT_ALLOWED"))
    );
    let (_, b) = api.json(api.get(campaign)).await;
    assert_eq!(b["status"], "ARCHIVED");
    // pausing a creative stops its delivery from the next day
    let creative = "/adAccounts/500000001/creatives/urn%3Ali%3AsponsoredCreative%3A880000005";
    let (s, _) = api
        .json(
            api.post(creative)
                .header("X-RestLi-Method", "PARTIAL_UPDATE")
                .json(&json!({"patch": {"$set": {"intendedStatus": "PAUSED"}}})),
        )
        .await;
    assert_eq!(s.as_u16(), 204);
    let (_, b) = api.json(api.get(creative)).await;
    assert_eq!(
        (b["intendedStatus"].as_str(), b["isServing"].as_bool()),
        (Some("PAUSED"), Some(false))
    );
    let today = api.sim.admin().clock().await.unwrap().today;
    api.sim.admin().advance(3).await.unwrap();
    let truth = api
        .sim
        .admin()
        .truth_delivery(today, today + chrono::Days::new(3))
        .await
        .unwrap();
    assert!(
        truth
            .iter()
            .all(|t| t.creative_id != 880_000_005 && t.campaign_id != 700_000_001)
    );
    assert!(!truth.is_empty(), "the other campaigns keep delivering");
    api.sim.shutdown().await;
}

#[tokio::test]
async fn new_posts_and_creatives_answer_201_with_their_urn_and_serve_after_review() {
    let api = start(scenario(), 0).await;
    let post = json!({
        "author": "urn:li:organization:10000001",
        "commentary": "Free 2026 data report: 40% of teams cut onboarding time. Get yours today?",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "NONE", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "content": {"article": {"source": "https://example.com/r", "title": "The 2026 onboarding benchmark", "description": "Free report"}},
        "adContext": {"dscAdAccount": "urn:li:sponsoredAccount:500000001", "dscStatus": "ACTIVE"},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false
    });
    let response = api.post("/posts").json(&post).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let share = response.headers()["x-restli-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(share.starts_with("urn:li:share:"));
    let (s, b) = api
        .json(api.get(&format!("/posts/{}", share.replace(':', "%3A"))))
        .await;
    assert_eq!(
        (s.as_u16(), b["content"]["article"]["title"].as_str()),
        (200, Some("The 2026 onboarding benchmark"))
    );
    let body = json!({"campaign": "urn:li:sponsoredCampaign:700000001", "intendedStatus": "ACTIVE", "content": {"reference": share}});
    let response = api
        .post("/adAccounts/500000001/creatives")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let urn = response.headers()["x-restli-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(urn.starts_with("urn:li:sponsoredCreative:"));
    let path = format!(
        "/adAccounts/500000001/creatives/{}",
        urn.replace(':', "%3A")
    );
    let pause = || {
        api.post(&path)
            .header("X-RestLi-Method", "PARTIAL_UPDATE")
            .json(&json!({"patch": {"$set": {"intendedStatus": "PAUSED"}}}))
    };
    let (s, _) = api.json(pause()).await;
    assert_eq!(s.as_u16(), 400, "under review");
    api.sim.admin().advance(2).await.unwrap();
    let (_, b) = api.json(api.get(&path)).await;
    assert_eq!(
        (b["review"]["status"].as_str(), b["isServing"].as_bool()),
        (Some("APPROVED"), Some(true))
    );
    let id: u64 = urn.rsplit(':').next().unwrap().parse().unwrap();
    let truth = api.sim.admin().truth_creatives().await.unwrap();
    let t = truth.iter().find(|t| t.creative_id == id).unwrap();
    assert!(t.features.has_percent && t.features.power_words.contains(&"free".to_string()));
    assert!(t.cumulative_impressions > 0, "it served on its second day");
    let (s, _) = api.json(pause()).await;
    assert_eq!(s.as_u16(), 204);
    api.sim.shutdown().await;
}

#[tokio::test]
async fn oauth_refresh_keeps_the_refresh_token_expiry_and_revoked_tokens_get_invalid_grant() {
    let api = start(scenario(), 0).await;
    let admin = api.sim.admin();
    let creds = admin.credentials().await.unwrap();
    admin.advance(10).await.unwrap();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", creds.refresh_token.as_str()),
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.client_secret.as_str()),
    ];
    let refresh = || {
        api.http
            .post(format!("{}/accessToken", api.sim.oauth_url()))
            .form(&form)
    };
    let (s, b) = api.json(refresh()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["expires_in"], 5_184_000);
    assert_eq!(b["refresh_token"], creds.refresh_token.as_str());
    let left = b["refresh_token_expires_in"].as_i64().unwrap();
    assert!(left <= 355 * 86_400 && left > 354 * 86_400, "{left}");
    let new_token = b["access_token"].as_str().unwrap().to_string();
    let introspect = [
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.client_secret.as_str()),
        ("token", new_token.as_str()),
    ];
    let (_, b) = api
        .json(
            api.http
                .post(format!("{}/introspectToken", api.sim.oauth_url()))
                .form(&introspect),
        )
        .await;
    assert_eq!(
        (b["active"].as_bool(), b["status"].as_str()),
        (Some(true), Some("active"))
    );
    admin
        .set_faults(&Faults {
            revoke_tokens: true,
            ..Faults::default()
        })
        .await
        .unwrap();
    let (s, b) = api.json(refresh()).await;
    assert_eq!(
        (s.as_u16(), b["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (s, b) = api
        .json(api.get("/adAccounts/500000001/adCampaigns/700000001"))
        .await;
    assert_eq!(
        (s.as_u16(), b["serviceErrorCode"].as_u64()),
        (401, Some(65601))
    );
    api.sim.shutdown().await;
}

#[tokio::test]
async fn injected_failures_and_the_daily_quota_answer_linkedin_errors() {
    let api = start(scenario(), 1).await;
    let admin = api.sim.admin();
    let path = "/adAccounts/500000001/adCampaigns/700000001";
    admin
        .set_faults(&Faults {
            fail_next: vec![429, 503, 500],
            retry_after_secs: Some(2),
            ..Faults::default()
        })
        .await
        .unwrap();
    let response = api.get(path).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "2");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["serviceErrorCode"], 101);
    assert_eq!(api.json(api.get(path)).await.0.as_u16(), 503);
    assert_eq!(api.json(api.get(path)).await.0.as_u16(), 500);
    assert_eq!(api.json(api.get(path)).await.0, StatusCode::OK);
    admin.set_faults(&Faults::default()).await.unwrap();
    admin
        .set_limits(&Limits {
            daily_app_quota: 2,
            ..Limits::default()
        })
        .await
        .unwrap();
    admin.advance(1).await.unwrap();
    assert_eq!(api.json(api.get(path)).await.0, StatusCode::OK);
    assert_eq!(api.json(api.get(path)).await.0, StatusCode::OK);
    let (s, b) = api.json(api.get(path)).await;
    assert_eq!(s.as_u16(), 429);
    assert_eq!(
        b["message"],
        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
    );
    admin.advance(1).await.unwrap();
    assert_eq!(
        api.json(api.get(path)).await.0,
        StatusCode::OK,
        "the quota resets at virtual midnight"
    );
    let stats = admin.stats().await.unwrap();
    assert!(stats.by_status.get(&429).copied().unwrap_or(0) >= 2);
    api.sim.shutdown().await;
}

#[tokio::test]
async fn budget_pricing_for_a_campaigns_targeting_brackets_the_model_and_two_seeds_agree() {
    let api = start(scenario(), 0).await;
    let (_, campaign) = api
        .json(api.get("/adAccounts/500000001/adCampaigns/700000001"))
        .await;
    // the client passes the campaign's targeting in Rest.li form
    let mut and = Vec::new();
    for clause in campaign["targetingCriteria"]["include"]["and"]
        .as_array()
        .unwrap()
    {
        let (facet, values) = clause["or"].as_object().unwrap().iter().next().unwrap();
        let enc = |s: &str| s.replace(':', "%3A");
        let vals: Vec<String> = values
            .as_array()
            .unwrap()
            .iter()
            .map(|v| enc(v.as_str().unwrap()))
            .collect();
        and.push(format!("(or:({}:List({})))", enc(facet), vals.join(",")));
    }
    let target = format!("(include:(and:List({})))", and.join(","));
    let path = format!(
        "/adBudgetPricing?q=criteriaV2&account=urn%3Ali%3AsponsoredAccount%3A500000001&bidType={}&campaignType=SPONSORED_UPDATES&matchType=EXACT&target={target}",
        campaign["costType"].as_str().unwrap()
    );
    let (s, b) = api.json(api.get(&path)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let e = &b["elements"][0];
    let amount = |v: &Value| v["amount"].as_str().unwrap().parse::<f64>().unwrap();
    assert!(amount(&e["bidLimits"]["min"]) < amount(&e["suggestedBid"]["default"]));
    assert!(amount(&e["suggestedBid"]["default"]) < amount(&e["bidLimits"]["max"]));
    assert_eq!(amount(&e["dailyBudgetLimits"]["min"]), 10.0);
    // same seed, same world: another simulator answers the same campaign and analytics
    let other = start(scenario(), 0).await;
    let (_, again) = other
        .json(other.get("/adAccounts/500000001/adCampaigns/700000001"))
        .await;
    assert_eq!(campaign["unitCost"], again["unitCost"]);
    assert_eq!(campaign["targetingCriteria"], again["targetingCriteria"]);
    api.sim.shutdown().await;
    other.sim.shutdown().await;
}
