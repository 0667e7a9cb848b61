//! Which `LinkedIn-Version` values are active on a given virtual day.
//!
//! LinkedIn ships a Marketing API version monthly and supports each for at least a year
//! (learn.microsoft.com/linkedin/marketing/versioning); the migrations page lists the sunset
//! dates. A version is active when it has been released (its month is not after the
//! virtual clock's month), it is not sunset, and the admin has not sunset it by fault.
//! Headers are `YYYYMM` or `YYYYMM.RR` (a revision of that month's version).

use chrono::{Datelike, NaiveDate};

/// Sunset dates LinkedIn published for recent versions (the migrations table). Other
/// versions sunset on the 15th of the same month a year later.
const KNOWN_SUNSETS: &[(u32, (i32, u32, u32))] = &[
    (202511, (2026, 11, 16)),
    (202601, (2027, 1, 15)),
    (202603, (2027, 3, 16)),
    (202607, (2027, 7, 15)),
];

/// A parsed version header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// Year and month as YYYYMM.
    pub yyyymm: u32,
}

impl Version {
    /// Reads `YYYYMM` or `YYYYMM.RR`; anything else is `None`.
    pub fn parse(header: &str) -> Option<Version> {
        let (main, revision) = match header.split_once('.') {
            Some((m, r)) => (m, Some(r)),
            None => (header, None),
        };
        if main.len() != 6 || !main.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Some(r) = revision
            && (r.len() != 2 || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let yyyymm: u32 = main.parse().ok()?;
        let month = yyyymm % 100;
        (1..=12).contains(&month).then_some(Version { yyyymm })
    }

    /// The first day this version can no longer be used.
    pub fn sunset(&self) -> NaiveDate {
        let (y, m, d) = KNOWN_SUNSETS
            .iter()
            .find(|(v, _)| *v == self.yyyymm)
            .map(|(_, date)| *date)
            .unwrap_or(((self.yyyymm / 100) as i32 + 1, self.yyyymm % 100, 15));
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX)
    }

    /// Whether the version is live on `today`, given versions sunset by fault injection.
    pub fn is_active(&self, today: NaiveDate, sunset_by_fault: &[String]) -> bool {
        let current = today.year() as u32 * 100 + today.month();
        let released = self.yyyymm <= current;
        let forced = sunset_by_fault
            .iter()
            .any(|v| Version::parse(v).map(|x| x.yyyymm) == Some(self.yyyymm));
        released && today < self.sunset() && !forced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_version_lives_from_its_release_month_until_its_sunset() {
        let v = Version::parse("202601").unwrap();
        assert!(!v.is_active(day(2025, 12, 31), &[]), "not yet released");
        assert!(v.is_active(day(2026, 1, 5), &[]));
        assert!(v.is_active(day(2027, 1, 14), &[]));
        assert!(
            !v.is_active(day(2027, 1, 15), &[]),
            "LinkedIn's published sunset"
        );
        let other = Version::parse("202604.01").unwrap();
        assert_eq!(other.sunset(), day(2027, 4, 15));
    }

    #[test]
    fn malformed_or_fault_sunset_versions_are_not_active() {
        assert_eq!(Version::parse("2026-01"), None);
        assert_eq!(Version::parse("202613"), None);
        assert_eq!(Version::parse("202601.1"), None);
        let v = Version::parse("202601.03").unwrap();
        assert!(!v.is_active(day(2026, 6, 1), &["202601".to_string()]));
    }
}
