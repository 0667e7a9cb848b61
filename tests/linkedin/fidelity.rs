//! The simulator refuses what LinkedIn refuses, with LinkedIn's status and error body. These
//! requests are made by hand, so the client's own care cannot hide a lenient simulator.

use end_to_end::{Harness, scenario};
use reqwest::StatusCode;
use serde_json::Value;

struct Raw {
    http: reqwest::Client,
    api: String,
    token: String,
}

impl Raw {
    async fn new(h: &Harness) -> Raw {
        Raw {
            http: reqwest::Client::new(),
            api: h.sim.api_url(),
            token: h.credentials.access_token.clone(),
        }
    }

    /// A GET with every header LinkedIn wants, less those named in `omit`.
    async fn get(&self, path_and_query: &str, omit: &[&str]) -> (StatusCode, Value) {
        let mut request = self.http.get(format!("{}{path_and_query}", self.api));
        for (name, value) in [
            ("Authorization", format!("Bearer {}", self.token)),
            ("LinkedIn-Version", "202607".to_owned()),
            ("X-Restli-Protocol-Version", "2.0.0".to_owned()),
        ] {
            if !omit.contains(&name) {
                request = request.header(name, value);
            }
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The same query tunneled: a POST whose form body is the query string.
    async fn tunneled(&self, path: &str, query: &str) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.api))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("LinkedIn-Version", "202607")
            .header("X-Restli-Protocol-Version", "2.0.0")
            .header("X-HTTP-Method-Override", "GET")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(query.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Every creative of the simulated account, as escaped URNs for a `List(...)`.
    async fn creative_urns(h: &Harness) -> String {
        let truth = h.sim.admin().truth_creatives().await.unwrap();
        let urns: Vec<String> = truth
            .iter()
            .map(|t| format!("urn%3Ali%3AsponsoredCreative%3A{}", t.creative_id))
            .collect();
        urns.join(",")
    }
}

async fn campaigns_path(h: &Harness) -> String {
    format!("/adAccounts/{}/adCampaigns?q=search", h.account().await.0)
}

#[tokio::test]
async fn refuses_a_missing_token_with_linkedins_401_body() {
    let h = Harness::start(scenario(41, 1, 1), 0).await;
    let raw = Raw::new(&h).await;
    let (status, body) = raw.get(&campaigns_path(&h).await, &["Authorization"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["status"], 401);
    assert!(body["serviceErrorCode"].is_i64(), "{body}");
    assert!(body["message"].is_string(), "{body}");
}

#[tokio::test]
async fn refuses_a_missing_or_sunset_version() {
    let h = Harness::start(scenario(42, 1, 1), 0).await;
    let raw = Raw::new(&h).await;
    let path = campaigns_path(&h).await;
    let (status, body) = raw.get(&path, &["LinkedIn-Version"]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["status"], 400);

    let sunset = raw
        .http
        .get(format!("{}{path}", raw.api))
        .header("Authorization", format!("Bearer {}", raw.token))
        .header("LinkedIn-Version", "202301")
        .header("X-Restli-Protocol-Version", "2.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(sunset.status(), StatusCode::UPGRADE_REQUIRED);
    let body: Value = sunset.json().await.unwrap();
    assert_eq!(body["code"], "NONEXISTENT_VERSION");
    assert_eq!(body["message"], "Requested version 202301 is not active");
}

#[tokio::test]
async fn refuses_a_missing_protocol_version() {
    let h = Harness::start(scenario(43, 1, 1), 0).await;
    let raw = Raw::new(&h).await;
    let (status, body) = raw
        .get(&campaigns_path(&h).await, &["X-Restli-Protocol-Version"])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["status"], 400);
}

fn analytics_path(creatives: &str, fields: &[String]) -> String {
    format!(
        "/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY\
         &dateRange=(start:(year:2026,month:8,day:3),end:(year:2026,month:8,day:4))\
         &creatives=List({creatives})&fields={}",
        fields.join(",")
    )
}

#[tokio::test]
async fn refuses_more_than_twenty_fields() {
    let h = Harness::start(scenario(44, 1, 1), 2).await;
    let raw = Raw::new(&h).await;
    let creative = h.sim.admin().truth_creatives().await.unwrap()[0].creative_id;
    let urn = format!("urn%3Ali%3AsponsoredCreative%3A{creative}");
    let metrics = &sim::metrics::METRICS[..19];
    let mut fields: Vec<String> = metrics.iter().map(|m| m.to_string()).collect();
    fields.extend(["dateRange".to_owned(), "pivotValues".to_owned()]);
    assert_eq!(fields.len(), 21);
    let (status, body) = raw.get(&analytics_path(&urn, &fields), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["status"], 400);
    // Twenty are fine.
    fields.remove(0);
    let (status, body) = raw.get(&analytics_path(&urn, &fields), &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn refuses_a_query_over_four_kilobytes_unless_tunneled() {
    // GIVEN an analytics query naming 200 creatives: over 4 KB of query string
    let h = Harness::start(scenario(45, 20, 10), 2).await;
    let raw = Raw::new(&h).await;
    let creatives = Raw::creative_urns(&h).await;
    let fields = [
        "impressions".to_owned(),
        "dateRange".to_owned(),
        "pivotValues".to_owned(),
    ];
    let path = analytics_path(&creatives, &fields);
    let (path_only, query) = path.split_once('?').unwrap();
    assert!(query.len() > 4096);
    // WHEN it is sent as a GET, THEN LinkedIn's 414
    let (status, _) = raw.get(&path, &[]).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    // WHEN it is tunneled, THEN it is served
    let (status, body) = raw.tunneled(path_only, query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body["elements"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn silently_truncates_analytics_at_fifteen_thousand_elements() {
    // GIVEN 240 creatives over 90 days, asked for in one request
    let h = Harness::start(scenario(46, 24, 10), 90).await;
    let raw = Raw::new(&h).await;
    let creatives = Raw::creative_urns(&h).await;
    let query = format!(
        "q=analytics&pivot=CREATIVE&timeGranularity=DAILY\
         &dateRange=(start:(year:2026,month:8,day:3),end:(year:2026,month:10,day:31))\
         &creatives=List({creatives})&fields=impressions,dateRange,pivotValues"
    );
    let (status, body) = raw.tunneled("/adAnalytics", &query).await;
    // THEN exactly 15,000 elements come back, with no error and no paging
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["elements"].as_array().unwrap().len(), 15_000);
}
