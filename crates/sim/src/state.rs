//! The simulator's mutable state behind one lock, and the checks every `/rest` request
//! passes before it reaches a resource, in LinkedIn's order as far as it is observable:
//!
//! 1. query string over 4 KB (the URL's own; a tunneled body may be longer) → 414;
//! 2. injected faults (`faults`);
//! 3. `Authorization: Bearer` → 401 with LinkedIn's token bodies (`auth`);
//! 4. `LinkedIn-Version` missing → 400 VERSION_MISSING, inactive → 426 (`versions`);
//! 5. `X-Restli-Protocol-Version: 2.0.0` missing → 400;
//! 6. the application's daily quota → 429 (`quota`);
//! 7. the resource (`routes`).
//!
//! Requests are handled synchronously under the lock (no await while holding it), so
//! concurrent clients see one consistent world.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::response::{IntoResponse, Response};

use crate::admin_types::{Limits, Stats};
use crate::auth::Auth;
use crate::clock::midnight;
use crate::errors::ApiError;
use crate::faults::FaultState;
use crate::quota::Quota;
use crate::routes::{self, RestRequest};
use crate::scenario::Scenario;
use crate::versions::Version;
use crate::world::World;

/// LinkedIn's limit on a URL's query string, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;

/// Everything the simulator knows.
#[derive(Debug)]
pub struct Sim {
    /// Entities, delivery and the clock.
    pub world: World,
    /// The application and tokens.
    pub auth: Auth,
    /// Injected faults.
    pub faults: FaultState,
    /// Rate limits and caps.
    pub limits: Limits,
    /// Rate-limit counters.
    pub quota: Quota,
    /// Request counters.
    pub stats: Stats,
}

impl Sim {
    /// A fresh simulator for a scenario, default limits.
    pub fn new(scenario: Scenario) -> Sim {
        let seed = scenario.seed;
        let authorized_at = midnight(scenario.start_date);
        Sim {
            world: World::new(scenario),
            auth: Auth::new(seed, authorized_at),
            faults: FaultState::new(seed),
            limits: Limits::default(),
            quota: Quota::default(),
            stats: Stats::default(),
        }
    }

    /// Replaces the world, tokens, faults and quota counters; limits and stats are kept.
    pub fn reset(&mut self, scenario: Scenario) {
        let fresh = Sim::new(scenario);
        self.world = fresh.world;
        self.auth = fresh.auth;
        self.faults = fresh.faults;
        self.quota = fresh.quota;
    }

    /// Counts a served request.
    pub fn record(&mut self, route: String, status: u16, tunneled: bool) {
        self.stats.requests += 1;
        *self.stats.by_route.entry(route).or_default() += 1;
        *self.stats.by_status.entry(status).or_default() += 1;
        if tunneled {
            self.stats.tunneled_requests += 1;
        }
    }

    fn check(&mut self, req: &RestRequest) -> Result<(), ApiError> {
        if req.url_query_len > MAX_QUERY_BYTES {
            return Err(ApiError::uri_too_long(req.url_query_len));
        }
        if let Some(fault) = self.faults.draw() {
            return Err(fault);
        }
        self.auth
            .check_bearer(req.header("authorization"), self.world.clock.now())?;
        let version = req
            .header("linkedin-version")
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let Some(version) = version else {
            return Err(ApiError::version_missing());
        };
        let today = self.world.clock.today();
        if !Version::parse(version)
            .is_some_and(|v| v.is_active(today, &self.faults.faults.sunset_versions))
        {
            return Err(ApiError::nonexistent_version(version));
        }
        if req.header("x-restli-protocol-version").map(str::trim) != Some("2.0.0") {
            return Err(ApiError::protocol_version_missing());
        }
        self.quota.take_call(today, &self.limits)
    }

    /// Serves one `/rest` request (checks, then the resource).
    pub fn handle_rest(&mut self, req: &RestRequest) -> Response {
        let outcome = self.check(req).and_then(|()| routes::dispatch(self, req));
        let response = match outcome {
            Ok(r) => r,
            Err(e) => e.into_response(),
        };
        self.record(req.route_label(), response.status().as_u16(), req.tunneled);
        response
    }
}

/// The shared handle the HTTP handlers hold.
#[derive(Debug, Clone)]
pub struct Shared(Arc<Mutex<Sim>>);

impl Shared {
    /// Wraps a simulator.
    pub fn new(sim: Sim) -> Shared {
        Shared(Arc::new(Mutex::new(sim)))
    }

    /// Locks the state (a poisoned lock is recovered: state is only mutated whole).
    pub fn lock(&self) -> MutexGuard<'_, Sim> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn injected_latency(&self) {
        let ms = self.lock().faults.faults.latency_ms;
        if ms > 0 {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }

    /// Serves a `/rest` request.
    pub async fn serve_rest(&self, req: RestRequest) -> Response {
        self.injected_latency().await;
        self.lock().handle_rest(&req)
    }

    /// Serves an OAuth request: faults first, then `f`.
    pub async fn serve_oauth(&self, route: &str, f: impl FnOnce(&mut Sim) -> Response) -> Response {
        self.injected_latency().await;
        let mut sim = self.lock();
        let response = match sim.faults.draw() {
            Some(fault) => fault.into_response(),
            None => f(&mut sim),
        };
        sim.record(route.to_string(), response.status().as_u16(), false);
        response
    }
}
