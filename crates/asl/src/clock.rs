//! Time for Wait states, retry intervals and timeouts: the [`Clock`] trait, a scaled real
//! clock, a fast-forward clock for the demo (waits skipped, tasks in real time), a virtual
//! clock for tests, and AWS's timestamp format.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Where the executor reads the time and sleeps: Wait states, retry intervals, task and
/// execution timeouts, and history timestamps all go through it.
#[async_trait]
pub trait Clock: Send + Sync {
    /// The current time, UTC.
    fn now(&self) -> DateTime<Utc>;
    /// Waits for `duration` of this clock's time.
    async fn sleep(&self, duration: Duration);

    /// Waits out a running task's limit (its `TimeoutSeconds`, or the execution's deadline)
    /// of `duration` of this clock's time; the task races it. By default a [`Clock::sleep`].
    async fn limit(&self, duration: Duration) {
        self.sleep(duration).await;
    }
}

/// Real time sped up by a factor: `sleep(d)` sleeps `d / factor` of real time and `now()`
/// reads `start + elapsed × factor`, so the two agree.
///
/// With a factor of 1000 a one-hour Wait takes 3.6 s. Note that everything the executor
/// measures is scaled alike, task timeouts included: a step that takes 50 ms of real time
/// has taken 50 s of this clock's time.
#[derive(Debug)]
pub struct ScaledClock {
    factor: f64,
    real_origin: Instant,
    origin: DateTime<Utc>,
}

impl ScaledClock {
    /// A clock starting now and running `factor` times faster than real time; a factor that
    /// is not a positive finite number is taken as 1.
    pub fn new(factor: f64) -> Self {
        ScaledClock::starting_at(Utc::now(), factor)
    }

    /// A clock that reads `start` now and runs `factor` times faster than real time.
    pub fn starting_at(start: DateTime<Utc>, factor: f64) -> Self {
        let factor = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        ScaledClock {
            factor,
            real_origin: Instant::now(),
            origin: start,
        }
    }

    /// Real time: a factor of 1.
    pub fn realtime() -> Self {
        ScaledClock::new(1.0)
    }

    /// How many times faster than real time this clock runs.
    pub fn factor(&self) -> f64 {
        self.factor
    }
}

#[async_trait]
impl Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        let scaled =
            Duration::try_from_secs_f64(self.real_origin.elapsed().as_secs_f64() * self.factor)
                .unwrap_or(Duration::MAX);
        add(self.origin, scaled)
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration.div_f64(self.factor)).await;
    }
}

/// Real time with the waits skipped: a Wait state or a retry interval passes at once, the
/// clock jumping ahead by it, while a running task takes real time against its limits — so
/// `TimeoutSeconds` means what it says, and a state machine's waits cost nothing. For the
/// demo and end-to-end runs with the real steps.
///
/// Waits of concurrent branches add up rather than overlap, and a branch's wait moves the
/// time other branches' running tasks see.
#[derive(Debug)]
pub struct FastForwardClock {
    real_origin: Instant,
    origin: DateTime<Utc>,
    skipped: Mutex<Duration>,
}

impl FastForwardClock {
    /// A clock that reads `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        FastForwardClock {
            real_origin: Instant::now(),
            origin: start,
            skipped: Mutex::new(Duration::ZERO),
        }
    }

    fn skipped(&self) -> std::sync::MutexGuard<'_, Duration> {
        // A panic while holding this lock cannot leave a duration inconsistent.
        self.skipped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl Clock for FastForwardClock {
    fn now(&self) -> DateTime<Utc> {
        let skipped = *self.skipped();
        add(
            self.origin,
            self.real_origin.elapsed().saturating_add(skipped),
        )
    }

    async fn sleep(&self, duration: Duration) {
        {
            let mut skipped = self.skipped();
            *skipped = skipped.saturating_add(duration);
        }
        tokio::task::yield_now().await;
    }

    async fn limit(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A clock that never sleeps: `sleep(d)` records `d`, moves the time forward by `d` and
/// returns at once. For tests, which then assert on [`VirtualClock::sleeps`].
///
/// Time moves only by sleeps and [`VirtualClock::advance`]; sleeps of concurrent branches add
/// up rather than overlap. As its sleeps end at once, a Task with `TimeoutSeconds` (or any
/// Task, under an execution `TimeoutSeconds`) whose runner is not ready when first polled
/// times out at once on this clock.
#[derive(Debug)]
pub struct VirtualClock {
    inner: Mutex<VirtualTime>,
}

#[derive(Debug)]
struct VirtualTime {
    now: DateTime<Utc>,
    sleeps: Vec<Duration>,
}

impl VirtualClock {
    /// A clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        VirtualClock {
            inner: Mutex::new(VirtualTime {
                now: start,
                sleeps: Vec::new(),
            }),
        }
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// Moves the time forward without recording a sleep (a callback arriving late, say).
    pub fn advance(&self, by: Duration) {
        let mut time = self.lock();
        time.now = add(time.now, by);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualTime> {
        // A panic while holding this lock cannot leave the time inconsistent.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().now
    }

    async fn sleep(&self, duration: Duration) {
        {
            let mut time = self.lock();
            time.now = add(time.now, duration);
            time.sleeps.push(duration);
        }
        tokio::task::yield_now().await;
    }
}

/// `time + duration`, saturating at the largest time chrono represents.
pub(crate) fn add(time: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(duration)
        .ok()
        .and_then(|duration| time.checked_add_signed(duration))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The time from `now` until `until`, zero if it has passed.
pub(crate) fn until(now: DateTime<Utc>, until: DateTime<Utc>) -> Duration {
    (until - now).to_std().unwrap_or(Duration::ZERO)
}

/// Parses a timestamp in AWS's profile of RFC 3339: "an uppercase T must separate the date
/// and time portions" and "an uppercase Z must denote that a numeric time zone offset isn't
/// present" (Choice and Wait state pages of the Step Functions developer guide).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if text.as_bytes().get(10) != Some(&b'T') || text.ends_with('z') {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// Formats a time as Step Functions does in the context object: ISO 8601 with milliseconds.
pub(crate) fn format_timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {

    #[tokio::test]
    async fn fast_forward_skips_waits_but_limits_take_real_time() {
        let start = parse_timestamp("2026-09-01T06:00:00Z").unwrap();
        let clock = FastForwardClock::starting_at(start);
        let real = Instant::now();
        clock.sleep(Duration::from_secs(3600)).await;
        assert!(
            real.elapsed() < Duration::from_secs(1),
            "a wait passes at once"
        );
        assert!(clock.now() >= start + chrono::Duration::hours(1));
        clock.limit(Duration::from_millis(30)).await;
        assert!(
            real.elapsed() >= Duration::from_millis(30),
            "a limit is real time"
        );
    }
    use super::*;

    #[test]
    fn timestamps_follow_the_aws_profile() {
        // GIVEN timestamps from the Wait and Choice pages and lower-case variants
        // WHEN parsed
        // THEN only upper-case T and Z (or a numeric offset) are accepted.
        assert!(parse_timestamp("2016-03-14T01:59:00Z").is_some());
        assert!(parse_timestamp("2001-01-01T12:00:00+02:00").is_some());
        assert!(parse_timestamp("2016-03-14t01:59:00Z").is_none());
        assert!(parse_timestamp("2016-03-14T01:59:00z").is_none());
        assert!(parse_timestamp("yesterday").is_none());
    }

    #[tokio::test]
    async fn virtual_clock_advances_by_its_sleeps_without_sleeping() {
        // GIVEN a virtual clock
        let start = parse_timestamp("2024-01-01T00:00:00Z").expect("valid");
        let clock = VirtualClock::new(start);
        // WHEN it sleeps twice
        clock.sleep(Duration::from_secs(3)).await;
        clock.sleep(Duration::from_secs(6)).await;
        // THEN both sleeps are recorded and the time moved nine seconds
        assert_eq!(
            clock.sleeps(),
            vec![Duration::from_secs(3), Duration::from_secs(6)]
        );
        assert_eq!(clock.now() - start, chrono::Duration::seconds(9));
    }

    #[tokio::test]
    async fn scaled_clock_compresses_sleeps_and_stretches_time() {
        // GIVEN a clock a million times faster than real time
        let start = parse_timestamp("2024-01-01T00:00:00Z").expect("valid");
        let clock = ScaledClock::starting_at(start, 1_000_000.0);
        // WHEN it sleeps an hour of its time
        clock.sleep(Duration::from_secs(3600)).await;
        // THEN at least that hour has passed on the clock
        assert!(clock.now() - start >= chrono::Duration::seconds(3600));
    }

    #[test]
    fn a_nonsense_factor_means_real_time() {
        assert_eq!(ScaledClock::new(0.0).factor(), 1.0);
        assert_eq!(ScaledClock::new(f64::NAN).factor(), 1.0);
    }
}
