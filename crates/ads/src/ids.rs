//! LinkedIn's ids and URNs.
//!
//! LinkedIn names an entity by a numeric id inside a URN (`urn:li:sponsoredCampaign:123`).
//! Paths and filters want one form or the other, so each id type knows its URN prefix and
//! parses either form. Percent-encoding a URN for a query or a path is the LinkedIn client's
//! job, not this module's.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a string is not the id or URN it was meant to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text is neither digits nor a URN of the expected kind.
    #[error("{kind} must be digits or '{prefix}<digits>' (got '{got}')")]
    Malformed {
        /// What was being parsed, e.g. "campaign id".
        kind: &'static str,
        /// The URN prefix that was expected.
        prefix: &'static str,
        /// The text that was given.
        got: String,
    },
}

/// Declares a numeric LinkedIn id with its URN prefix, so the four id types share one
/// implementation of parsing and formatting.
macro_rules! linkedin_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The URN prefix LinkedIn uses for this kind of entity.
            pub const URN_PREFIX: &'static str = $prefix;

            /// The entity's URN, e.g. `urn:li:sponsoredCampaign:123`.
            pub fn urn(&self) -> String {
                format!("{}{}", Self::URN_PREFIX, self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            /// Accepts the bare id (`123`) or its URN (`urn:li:...:123`).
            fn from_str(text: &str) -> Result<Self, IdError> {
                let digits = text.strip_prefix(Self::URN_PREFIX).unwrap_or(text);
                let malformed = || IdError::Malformed {
                    kind: $kind,
                    prefix: Self::URN_PREFIX,
                    got: text.to_owned(),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed());
                }
                digits.parse().map($name).map_err(|_| malformed())
            }
        }
    };
}

linkedin_id!(
    /// An ad account (`urn:li:sponsoredAccount:N`); the id shown in Campaign Manager's URL.
    AccountId,
    "account id",
    "urn:li:sponsoredAccount:"
);
linkedin_id!(
    /// A campaign group (`urn:li:sponsoredCampaignGroup:N`).
    CampaignGroupId,
    "campaign group id",
    "urn:li:sponsoredCampaignGroup:"
);
linkedin_id!(
    /// A campaign (`urn:li:sponsoredCampaign:N`); the UI calls it an "ad set" since late 2025.
    CampaignId,
    "campaign id",
    "urn:li:sponsoredCampaign:"
);
linkedin_id!(
    /// A creative, i.e. one ad (`urn:li:sponsoredCreative:N`).
    CreativeId,
    "creative id",
    "urn:li:sponsoredCreative:"
);

/// The post that carries a creative's ad copy: `urn:li:share:N` or `urn:li:ugcPost:N`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostUrn(String);

impl PostUrn {
    const PREFIXES: [&'static str; 2] = ["urn:li:share:", "urn:li:ugcPost:"];

    /// The URN as LinkedIn writes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PostUrn {
    type Err = IdError;

    fn from_str(text: &str) -> Result<Self, IdError> {
        let valid = Self::PREFIXES.iter().any(|prefix| {
            text.strip_prefix(prefix)
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        });
        if valid {
            Ok(PostUrn(text.to_owned()))
        } else {
            Err(IdError::Malformed {
                kind: "post urn",
                prefix: "urn:li:share:",
                got: text.to_owned(),
            })
        }
    }
}

impl TryFrom<String> for PostUrn {
    type Error = IdError;

    fn try_from(text: String) -> Result<Self, IdError> {
        text.parse()
    }
}

impl From<PostUrn> for String {
    fn from(urn: PostUrn) -> String {
        urn.0
    }
}

impl fmt::Display for PostUrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bare_ids_and_urns_alike() {
        // GIVEN the two forms LinkedIn uses for one campaign
        // WHEN both are parsed
        // THEN they name the same id, and the URN round-trips
        let bare: CampaignId = "474763193".parse().unwrap();
        let urn: CampaignId = "urn:li:sponsoredCampaign:474763193".parse().unwrap();
        assert_eq!(bare, urn);
        assert_eq!(urn.urn(), "urn:li:sponsoredCampaign:474763193");
    }

    #[test]
    fn refuses_a_urn_of_another_kind_and_names_the_expected_form() {
        let err = "urn:li:sponsoredCreative:1"
            .parse::<CampaignId>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "campaign id must be digits or 'urn:li:sponsoredCampaign:<digits>' \
             (got 'urn:li:sponsoredCreative:1')"
        );
        assert!("".parse::<AccountId>().is_err());
        assert!("12a".parse::<AccountId>().is_err());
        assert!("99999999999999999999999".parse::<AccountId>().is_err());
    }

    #[test]
    fn post_urns_accept_shares_and_ugc_posts_only() {
        assert!("urn:li:share:9".parse::<PostUrn>().is_ok());
        assert!("urn:li:ugcPost:12".parse::<PostUrn>().is_ok());
        assert!("urn:li:article:12".parse::<PostUrn>().is_err());
        assert!("urn:li:share:".parse::<PostUrn>().is_err());
    }
}
