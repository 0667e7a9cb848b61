//! The virtual clock: a day that moves only when the admin advances it.
//!
//! `today` is the day being lived: every earlier day is fully delivered, `today` has no data.
//! Instants on the clock (token expiry, audit stamps) are `today` at midnight UTC plus the
//! real time elapsed since the clock last moved, capped just before the next midnight — so
//! tokens minted one after the other get increasing times, yet a virtual day never spills
//! into the next however long a test runs.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The clock's state.
#[derive(Debug, Clone)]
pub struct VirtualClock {
    today: NaiveDate,
    moved_at: Instant,
}

impl VirtualClock {
    /// A clock whose `today` is `start`.
    pub fn new(start: NaiveDate) -> Self {
        VirtualClock {
            today: start,
            moved_at: Instant::now(),
        }
    }

    /// The current virtual day.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Moves to the next day.
    pub fn next_day(&mut self) {
        self.today = self.today.succ_opt().unwrap_or(self.today);
        self.moved_at = Instant::now();
    }

    /// The current virtual instant (see the module docs).
    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = self.moved_at.elapsed().min(Duration::from_secs(86_399));
        midnight(self.today) + TimeDelta::milliseconds(elapsed.as_millis() as i64)
    }
}

/// Midnight UTC at the start of `day`.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Milliseconds since the epoch of midnight UTC at the start of `day` (LinkedIn's time fields).
pub fn epoch_ms(day: NaiveDate) -> i64 {
    midnight(day).timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_stays_within_today_and_moves_with_the_day() {
        // GIVEN a clock on 2026-01-05
        let mut clock = VirtualClock::new(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        // THEN its instant lies within that day
        assert_eq!(clock.now().date_naive(), clock.today());
        // WHEN it moves a day
        clock.next_day();
        // THEN today and now follow
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 1, 6).unwrap());
        assert_eq!(clock.now().date_naive(), clock.today());
    }
}
