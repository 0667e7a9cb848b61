//! The `/_sim` admin API: drive the clock, replace the world, read the truth, inject
//! faults, set limits, read stats. JSON camelCase, no auth (it listens on loopback only).
//!
//! | route | body / query | answer |
//! | --- | --- | --- |
//! | `GET /_sim/clock` | | [`Clock`] |
//! | `POST /_sim/advance` | [`AdvanceRequest`] | [`Clock`] |
//! | `GET`/`POST /_sim/scenario` | [`Scenario`] | [`Scenario`] / [`Clock`] |
//! | `GET /_sim/credentials` | | [`Credentials`](crate::Credentials) |
//! | `GET`/`POST /_sim/faults` | [`Faults`] | [`Faults`] |
//! | `GET`/`POST /_sim/limits` | [`Limits`] | [`Limits`] |
//! | `GET /_sim/truth/creatives` | | `[`[`CreativeTruth`]`]` |
//! | `GET /_sim/truth/delivery?from=&to=` | dates, inclusive | `[`[`DeliveryTruth`]`]` |
//! | `GET`/`POST /_sim/stats` | | [`Stats`] (POST resets) |

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::admin_types::{
    AdvanceRequest, Clock, CreativeTruth, DeliveryTruth, Faults, Limits, Stats,
};
use crate::delivery::fatigue;
use crate::metrics::{METRICS, Totals};
use crate::scenario::Scenario;
use crate::state::{Shared, Sim};

/// The longest single advance (ten years), to keep a typo from hanging the server.
pub const MAX_ADVANCE_DAYS: u32 = 3660;

/// The admin routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/_sim/clock", get(clock))
        .route("/_sim/advance", post(advance))
        .route("/_sim/scenario", get(scenario).post(reset))
        .route("/_sim/credentials", get(credentials))
        .route("/_sim/faults", get(faults).post(set_faults))
        .route("/_sim/limits", get(limits).post(set_limits))
        .route("/_sim/truth/creatives", get(truth_creatives))
        .route("/_sim/truth/delivery", get(truth_delivery))
        .route("/_sim/stats", get(stats).post(reset_stats))
}

fn clock_of(sim: &Sim) -> Clock {
    Clock {
        today: sim.world.clock.today(),
    }
}

async fn clock(State(s): State<Shared>) -> Json<Clock> {
    Json(clock_of(&s.lock()))
}

async fn advance(State(s): State<Shared>, Json(req): Json<AdvanceRequest>) -> Response {
    if req.days > MAX_ADVANCE_DAYS {
        return (
            StatusCode::BAD_REQUEST,
            format!("days must be at most {MAX_ADVANCE_DAYS}"),
        )
            .into_response();
    }
    let mut sim = s.lock();
    for _ in 0..req.days {
        sim.world.advance_day();
    }
    Json(clock_of(&sim)).into_response()
}

async fn scenario(State(s): State<Shared>) -> Json<Scenario> {
    Json(s.lock().world.scenario.clone())
}

async fn reset(State(s): State<Shared>, Json(scenario): Json<Scenario>) -> Json<Clock> {
    let mut sim = s.lock();
    sim.reset(scenario);
    Json(clock_of(&sim))
}

async fn credentials(State(s): State<Shared>) -> Json<crate::admin_types::Credentials> {
    Json(s.lock().auth.credentials())
}

async fn faults(State(s): State<Shared>) -> Json<Faults> {
    Json(s.lock().faults.faults.clone())
}

async fn set_faults(State(s): State<Shared>, Json(faults): Json<Faults>) -> Json<Faults> {
    let mut sim = s.lock();
    let now = sim.world.clock.now();
    if faults.revoke_tokens {
        sim.auth.revoke_all();
    }
    if let Some(days) = faults.expire_access_token_in_days {
        sim.auth.expire_access_tokens(now, days);
    }
    sim.faults.set(faults.clone());
    Json(faults)
}

async fn limits(State(s): State<Shared>) -> Json<Limits> {
    Json(s.lock().limits.clone())
}

async fn set_limits(State(s): State<Shared>, Json(limits): Json<Limits>) -> Json<Limits> {
    s.lock().limits = limits.clone();
    Json(limits)
}

/// Every creative's truth.
pub fn creative_truths(sim: &Sim) -> Vec<CreativeTruth> {
    let world = &sim.world;
    world
        .creatives
        .values()
        .filter_map(|c| {
            let campaign = world.campaigns.get(&c.campaign)?;
            Some(CreativeTruth {
                creative_id: c.id,
                campaign_id: c.campaign,
                account_id: c.account,
                post: c.post.clone(),
                base_ctr: c.true_ctr,
                conversion_rate: c.conversion_rate,
                fatigue: fatigue(&world.scenario.calibration, c.exposure),
                cumulative_impressions: c.cumulative_impressions,
                status: c.intended_status.clone(),
                review_status: c.review_status.to_string(),
                is_serving: c.is_serving_on(campaign),
                objective: campaign.objective.as_str().to_string(),
                features: c.features.clone(),
            })
        })
        .collect()
}

async fn truth_creatives(State(s): State<Shared>) -> Json<Vec<CreativeTruth>> {
    Json(creative_truths(&s.lock()))
}

/// Query of `GET /_sim/truth/delivery`.
#[derive(Debug, Deserialize)]
pub struct DeliveryQuery {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
}

/// Every creative-day with delivery in `from..=to`, as analytics reports it now.
pub fn delivery_truths(sim: &Sim, from: NaiveDate, to: NaiveDate) -> Vec<DeliveryTruth> {
    let world = &sim.world;
    let today = world.clock.today();
    let lag = world.scenario.calibration.conversion_reporting_lag_days;
    let mut out = Vec::new();
    for c in world.creatives.values() {
        let Some(campaign) = world.campaigns.get(&c.campaign) else {
            continue;
        };
        for record in c.days_between(from, to) {
            let mut t = Totals::default();
            t.add(record, campaign, today, lag);
            let metrics: BTreeMap<String, serde_json::Value> = METRICS
                .iter()
                .filter_map(|m| t.value(m).map(|v| (m.to_string(), v)))
                .collect();
            out.push(DeliveryTruth {
                date: record.date,
                account_id: c.account,
                campaign_id: c.campaign,
                creative_id: c.id,
                impressions: t.impressions(),
                clicks: t.clicks(),
                landing_page_clicks: t.landing_page_clicks(),
                cost_usd: t.cost(),
                conversions_total: record.conversions.len() as u64,
                conversions_reported: t.conversions(),
                leads: t.leads(),
                lead_form_opens: t.lead_form_opens(),
                metrics,
            });
        }
    }
    out.sort_by_key(|d| (d.date, d.creative_id));
    out
}

async fn truth_delivery(
    State(s): State<Shared>,
    Query(q): Query<DeliveryQuery>,
) -> Json<Vec<DeliveryTruth>> {
    Json(delivery_truths(&s.lock(), q.from, q.to))
}

async fn stats(State(s): State<Shared>) -> Json<Stats> {
    Json(s.lock().stats.clone())
}

async fn reset_stats(State(s): State<Shared>) -> Json<Stats> {
    let mut sim = s.lock();
    sim.stats = Stats::default();
    Json(sim.stats.clone())
}
