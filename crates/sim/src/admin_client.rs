//! A typed client of the `/_sim` admin API, for tests, benchmarks and `adsctl`.

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::admin_types::{
    AdvanceRequest, Clock, CreativeTruth, Credentials, DeliveryTruth, Faults, Limits, Stats,
};
use crate::errors::SimError;
use crate::scenario::Scenario;

/// Client of one simulator's admin API.
#[derive(Debug, Clone)]
pub struct AdminClient {
    base_url: String,
    http: reqwest::Client,
}

impl AdminClient {
    /// A client for the simulator at `base_url` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base_url: impl Into<String>) -> Self {
        AdminClient {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        url: String,
    ) -> Result<T, SimError> {
        let response = request.send().await.map_err(|source| SimError::Http {
            url: url.clone(),
            source,
        })?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(SimError::Status {
                url,
                status: status.as_u16(),
                body,
            });
        }
        response
            .json::<T>()
            .await
            .map_err(|source| SimError::Http { url, source })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, SimError> {
        let url = format!("{}{path}", self.base_url);
        self.send(self.http.get(&url), url).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, SimError> {
        let url = format!("{}{path}", self.base_url);
        self.send(self.http.post(&url).json(body), url).await
    }

    /// `GET /_sim/clock`.
    pub async fn clock(&self) -> Result<Clock, SimError> {
        self.get("/_sim/clock").await
    }

    /// `POST /_sim/advance`: simulates `days` days, one after the other.
    pub async fn advance(&self, days: u32) -> Result<Clock, SimError> {
        self.post("/_sim/advance", &AdvanceRequest { days }).await
    }

    /// `POST /_sim/scenario`: replaces the whole world.
    pub async fn reset(&self, scenario: &Scenario) -> Result<(), SimError> {
        self.post::<_, Clock>("/_sim/scenario", scenario)
            .await
            .map(|_| ())
    }

    /// `GET /_sim/credentials`.
    pub async fn credentials(&self) -> Result<Credentials, SimError> {
        self.get("/_sim/credentials").await
    }

    /// `POST /_sim/faults`.
    pub async fn set_faults(&self, faults: &Faults) -> Result<(), SimError> {
        self.post::<_, Faults>("/_sim/faults", faults)
            .await
            .map(|_| ())
    }

    /// `GET /_sim/faults`.
    pub async fn faults(&self) -> Result<Faults, SimError> {
        self.get("/_sim/faults").await
    }

    /// `POST /_sim/limits`.
    pub async fn set_limits(&self, limits: &Limits) -> Result<(), SimError> {
        self.post::<_, Limits>("/_sim/limits", limits)
            .await
            .map(|_| ())
    }

    /// `GET /_sim/limits`.
    pub async fn limits(&self) -> Result<Limits, SimError> {
        self.get("/_sim/limits").await
    }

    /// `GET /_sim/truth/creatives`.
    pub async fn truth_creatives(&self) -> Result<Vec<CreativeTruth>, SimError> {
        self.get("/_sim/truth/creatives").await
    }

    /// `GET /_sim/truth/delivery?from=&to=` (both inclusive).
    pub async fn truth_delivery(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DeliveryTruth>, SimError> {
        self.get(&format!("/_sim/truth/delivery?from={from}&to={to}"))
            .await
    }

    /// `GET /_sim/stats`.
    pub async fn stats(&self) -> Result<Stats, SimError> {
        self.get("/_sim/stats").await
    }

    /// `POST /_sim/stats`: zeroes the counters.
    pub async fn reset_stats(&self) -> Result<(), SimError> {
        self.post::<_, Stats>("/_sim/stats", &serde_json::json!({}))
            .await
            .map(|_| ())
    }
}
