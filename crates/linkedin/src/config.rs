//! Where the client talks to, which API version it asks for, and when that version dies.
//!
//! LinkedIn ships a Marketing API version every month and serves each for about a year; a
//! sunset version answers 426 to everything. The version is therefore configuration with a
//! live default, and [`ApiVersion::sunset`] tells callers when to move on before it breaks.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{Datelike, Months, NaiveDate};

use crate::retry::RetryPolicy;

/// Environment variable overriding [`Config::api_url`].
pub const ENV_API_URL: &str = "LINKEDIN_API_URL";
/// Environment variable overriding [`Config::oauth_url`].
pub const ENV_OAUTH_URL: &str = "LINKEDIN_OAUTH_URL";
/// Environment variable overriding [`Config::version`].
pub const ENV_VERSION: &str = "LINKEDIN_VERSION";

/// LinkedIn's REST base URL.
pub const DEFAULT_API_URL: &str = "https://api.linkedin.com/rest";
/// LinkedIn's OAuth 2.0 base URL.
pub const DEFAULT_OAUTH_URL: &str = "https://www.linkedin.com/oauth/v2";
/// The version sent when none is configured: live until 2027-07-15.
pub const DEFAULT_VERSION: ApiVersion = ApiVersion {
    year: 2026,
    month: 7,
};

/// Sunset dates LinkedIn has announced (its "Marketing API versioning" page and the
/// collectors tracking it); other versions are assumed to live 12 months from release.
const KNOWN_SUNSETS: [(u32, (i32, u32, u32)); 4] = [
    (202511, (2026, 11, 16)),
    (202601, (2027, 1, 15)),
    (202603, (2027, 3, 16)),
    (202607, (2027, 7, 15)),
];

/// How the client reaches LinkedIn. Cheap to clone; holds no secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Base of every `/rest` call, without a trailing slash (a simulator's address in tests).
    pub api_url: String,
    /// Base of the OAuth endpoints (`/accessToken`, `/introspectToken`), without a trailing slash.
    pub oauth_url: String,
    /// The `LinkedIn-Version` header value.
    pub version: ApiVersion,
    /// When and how long to retry throttled, failed or unreachable requests.
    pub retry: RetryPolicy,
    /// Limit on one HTTP attempt, connection to last byte.
    pub timeout: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api_url: DEFAULT_API_URL.to_owned(),
            oauth_url: DEFAULT_OAUTH_URL.to_owned(),
            version: DEFAULT_VERSION,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// Why the configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A base URL that is not http(s).
    #[error("{variable} must be an http:// or https:// URL (got '{got}')")]
    BadUrl {
        /// The variable or field that held it.
        variable: &'static str,
        /// The value given.
        got: String,
    },
    /// A version that is not `YYYYMM`.
    #[error(
        "LINKEDIN_VERSION must be YYYYMM, e.g. {DEFAULT_VERSION} (got '{got}'); \
         see LinkedIn's Marketing API versioning page for live versions"
    )]
    BadVersion {
        /// The value given.
        got: String,
    },
}

impl Config {
    /// The defaults, with `LINKEDIN_API_URL`, `LINKEDIN_OAUTH_URL` and `LINKEDIN_VERSION`
    /// applied where set (an empty variable counts as unset).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (for tests and for
    /// callers with their own settings source).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut config = Config::default();
        if let Some(url) = get(ENV_API_URL) {
            config.api_url = base_url(ENV_API_URL, &url)?;
        }
        if let Some(url) = get(ENV_OAUTH_URL) {
            config.oauth_url = base_url(ENV_OAUTH_URL, &url)?;
        }
        if let Some(version) = get(ENV_VERSION) {
            config.version = version.trim().parse()?;
        }
        Ok(config)
    }

    /// The day the configured version stops being served (see [`ApiVersion::sunset`]).
    pub fn version_sunset(&self) -> NaiveDate {
        self.version.sunset()
    }
}

fn base_url(variable: &'static str, url: &str) -> Result<String, ConfigError> {
    let url = url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ConfigError::BadUrl {
            variable,
            got: url.to_owned(),
        });
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A Marketing API version, `YYYYMM` (e.g. `202607`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    year: u16,
    month: u8,
}

impl ApiVersion {
    /// The version released in `year`/`month`, if that is a month.
    pub fn new(year: u16, month: u8) -> Option<ApiVersion> {
        (1..=12)
            .contains(&month)
            .then_some(ApiVersion { year, month })
    }

    /// The day LinkedIn stops serving this version: the announced date where known,
    /// otherwise 12 months after the first day of its release month (earlier than LinkedIn
    /// usually retires one, so a warning comes early rather than late).
    pub fn sunset(&self) -> NaiveDate {
        let number = u32::from(self.year) * 100 + u32::from(self.month);
        if let Some((_, (y, m, d))) = KNOWN_SUNSETS.iter().find(|(v, _)| *v == number) {
            return NaiveDate::from_ymd_opt(*y, *m, *d).unwrap_or(NaiveDate::MAX);
        }
        NaiveDate::from_ymd_opt(i32::from(self.year), u32::from(self.month), 1)
            .and_then(|release| release.checked_add_months(Months::new(12)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Days from `today` until the sunset; zero or negative once it has passed.
    pub fn days_until_sunset(&self, today: NaiveDate) -> i64 {
        (self.sunset() - today).num_days()
    }

    /// A warning to show when the sunset is at most `within_days` away (or past), naming
    /// the fix; `None` while the version is comfortably live.
    pub fn sunset_warning(&self, today: NaiveDate, within_days: i64) -> Option<String> {
        let left = self.days_until_sunset(today);
        if left > within_days {
            return None;
        }
        let sunset = self.sunset();
        Some(if left <= 0 {
            format!(
                "LinkedIn-Version {self} was sunset on {sunset}; every call will fail with 426 \
                 until {ENV_VERSION} is set to a live version"
            )
        } else {
            format!(
                "LinkedIn-Version {self} is sunset on {sunset} ({left} days); set {ENV_VERSION} \
                 to a newer live version before then"
            )
        })
    }

    /// The version's release month as a date (its first day).
    pub fn released(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(i32::from(self.year), u32::from(self.month), 1)
    }

    /// The version released in the month of `day`.
    pub fn of_month(day: NaiveDate) -> Option<ApiVersion> {
        ApiVersion::new(
            u16::try_from(day.year()).ok()?,
            u8::try_from(day.month()).ok()?,
        )
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

impl FromStr for ApiVersion {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<ApiVersion, ConfigError> {
        let bad = || ConfigError::BadVersion {
            got: text.to_owned(),
        };
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: u16 = text[..4].parse().map_err(|_| bad())?;
        let month: u8 = text[4..].parse().map_err(|_| bad())?;
        ApiVersion::new(year, month).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_to_linkedins_hosts_and_a_live_version() {
        let config = Config::from_lookup(lookup(&[])).unwrap();
        assert_eq!(config.api_url, "https://api.linkedin.com/rest");
        assert_eq!(config.oauth_url, "https://www.linkedin.com/oauth/v2");
        assert_eq!(config.version.to_string(), "202607");
    }

    #[test]
    fn environment_overrides_urls_and_version() {
        // GIVEN a simulator address with a trailing slash and an older version
        let config = Config::from_lookup(lookup(&[
            ("LINKEDIN_API_URL", "http://127.0.0.1:9000/rest/"),
            ("LINKEDIN_OAUTH_URL", "http://127.0.0.1:9000/oauth/v2"),
            ("LINKEDIN_VERSION", "202603"),
        ]))
        .unwrap();
        // THEN they are used, the slash dropped
        assert_eq!(config.api_url, "http://127.0.0.1:9000/rest");
        assert_eq!(config.oauth_url, "http://127.0.0.1:9000/oauth/v2");
        assert_eq!(config.version, ApiVersion::new(2026, 3).unwrap());
    }

    #[test]
    fn refuses_a_malformed_version_naming_the_variable() {
        let err = Config::from_lookup(lookup(&[("LINKEDIN_VERSION", "2026-07")])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("LINKEDIN_VERSION must be YYYYMM")
        );
        assert!("202613".parse::<ApiVersion>().is_err());
        assert!(Config::from_lookup(lookup(&[("LINKEDIN_API_URL", "api.linkedin.com")])).is_err());
    }

    #[test]
    fn knows_the_announced_sunsets() {
        let sunset = |v: &str| v.parse::<ApiVersion>().unwrap().sunset();
        assert_eq!(sunset("202511"), day(2026, 11, 16));
        assert_eq!(sunset("202601"), day(2027, 1, 15));
        assert_eq!(sunset("202603"), day(2027, 3, 16));
        assert_eq!(sunset("202607"), day(2027, 7, 15));
        assert_eq!(Config::default().version_sunset(), day(2027, 7, 15));
    }

    #[test]
    fn assumes_twelve_months_for_unannounced_versions() {
        assert_eq!(
            "202609".parse::<ApiVersion>().unwrap().sunset(),
            day(2027, 9, 1)
        );
    }

    #[test]
    fn warns_ahead_of_the_sunset_and_names_the_variable() {
        // GIVEN the default version, 30 days before it is sunset
        let version = DEFAULT_VERSION;
        let today = day(2027, 6, 15);
        // WHEN asked with a 45-day horizon, and with a 10-day one
        let warning = version.sunset_warning(today, 45).unwrap();
        // THEN the first warns with the date and the fix; the second stays quiet
        assert!(warning.contains("2027-07-15"), "{warning}");
        assert!(warning.contains("LINKEDIN_VERSION"), "{warning}");
        assert_eq!(version.sunset_warning(today, 10), None);
        assert!(
            version
                .sunset_warning(day(2027, 8, 1), 0)
                .unwrap()
                .contains("426")
        );
    }
}
