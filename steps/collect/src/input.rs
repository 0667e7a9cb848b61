//! Input validation: the whole input is checked before any I/O, so a bad input writes
//! nothing, calls no one, and says which field is wrong and how to fix it.

use ads::{AccountId, CampaignId};
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::Input;
use crate::metric_names::{self, DEFAULT_METRICS};

/// The default `lookbackDays`: two weeks, so conversions LinkedIn restates are re-pulled.
pub const DEFAULT_LOOKBACK_DAYS: u32 = 14;
/// The longest window one run may collect.
pub const MAX_LOOKBACK_DAYS: u32 = 365;

/// A field of the input that failed validation, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    /// The input field, as the state machine spells it (e.g. `accountId`).
    pub field: &'static str,
    /// What is wrong and how to fix it; starts with the field's name.
    pub message: String,
}

fn invalid(field: &'static str, message: String) -> InvalidInput {
    InvalidInput { field, message }
}

/// The input, checked and with its defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// The ad account.
    pub account: AccountId,
    /// The campaigns asked for (sorted, without duplicates), or `None` to discover them.
    pub campaigns: Option<Vec<CampaignId>>,
    /// The window's first day (UTC), inclusive.
    pub start: NaiveDate,
    /// The window's last day (UTC), inclusive.
    pub end: NaiveDate,
    /// The metrics to collect, without duplicates, in the order given.
    pub metrics: Vec<String>,
}

impl Validated {
    /// Every day of the window, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.start
            .iter_days()
            .take_while(|day| *day <= self.end)
            .collect()
    }
}

/// Checks `input` against the run's clock `now`; the first bad field is reported.
pub fn validate(input: &Input, now: DateTime<Utc>) -> Result<Validated, InvalidInput> {
    let account = account_id(&input.account_id)?;
    let campaigns = input
        .campaign_ids
        .as_deref()
        .map(campaign_ids)
        .transpose()?;
    let today = now.date_naive();
    let end = match input.end_date.as_deref() {
        None => today,
        Some(text) => end_date(text, today)?,
    };
    let lookback = match input.lookback_days {
        None => DEFAULT_LOOKBACK_DAYS,
        Some(days) => lookback_days(days)?,
    };
    let start = end
        .checked_sub_days(Days::new(u64::from(lookback - 1)))
        .ok_or_else(|| {
            invalid(
                "endDate",
                format!("endDate {end} minus lookbackDays {lookback} is before any calendar"),
            )
        })?;
    let metrics = match input.metrics.as_deref() {
        None => DEFAULT_METRICS.iter().map(|m| (*m).to_owned()).collect(),
        Some(names) => metrics(names)?,
    };
    Ok(Validated {
        account,
        campaigns,
        start,
        end,
        metrics,
    })
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn account_id(text: &str) -> Result<AccountId, InvalidInput> {
    let text = text.trim();
    let bad = || {
        invalid(
            "accountId",
            format!(
                "accountId must be digits (got '{text}'); find it in Campaign Manager's URL \
                 (…/campaignmanager/accounts/<digits>/…)"
            ),
        )
    };
    if !all_digits(text) {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

fn campaign_ids(texts: &[String]) -> Result<Vec<CampaignId>, InvalidInput> {
    if texts.is_empty() {
        return Err(invalid(
            "campaignIds",
            "campaignIds is empty; list campaign ids (digits) or leave the field out to \
             collect every campaign of the account"
                .to_owned(),
        ));
    }
    let mut ids = Vec::with_capacity(texts.len());
    for text in texts {
        let text = text.trim();
        let id = all_digits(text)
            .then(|| text.parse::<CampaignId>().ok())
            .flatten()
            .ok_or_else(|| {
                invalid(
                    "campaignIds",
                    format!(
                        "campaignIds must hold digits only (got '{text}'); find a campaign's \
                         id in Campaign Manager's URL or leave the field out to collect every \
                         campaign"
                    ),
                )
            })?;
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

fn end_date(text: &str, today: NaiveDate) -> Result<NaiveDate, InvalidInput> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        invalid(
            "endDate",
            format!(
                "endDate must be a date as YYYY-MM-DD, e.g. {today} (got '{text}'); leave it \
                 out for today (UTC)"
            ),
        )
    })?;
    if date > today {
        return Err(invalid(
            "endDate",
            format!(
                "endDate {date} is in the future (today is {today} UTC); use {today} or an \
                 earlier day, or leave it out"
            ),
        ));
    }
    Ok(date)
}

fn lookback_days(days: i64) -> Result<u32, InvalidInput> {
    u32::try_from(days)
        .ok()
        .filter(|d| (1..=MAX_LOOKBACK_DAYS).contains(d))
        .ok_or_else(|| {
            invalid(
                "lookbackDays",
                format!(
                    "lookbackDays must be between 1 and {MAX_LOOKBACK_DAYS} (got {days}); the \
                     default {DEFAULT_LOOKBACK_DAYS} re-pulls the days LinkedIn restates"
                ),
            )
        })
}

fn metrics(names: &[String]) -> Result<Vec<String>, InvalidInput> {
    if names.is_empty() {
        return Err(invalid(
            "metrics",
            format!(
                "metrics is empty; name LinkedIn metrics (e.g. impressions, clicks, costInUsd) \
                 or leave the field out for the default {}",
                DEFAULT_METRICS.len()
            ),
        ));
    }
    let mut chosen: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim();
        if !metric_names::is_known(name) {
            return Err(invalid(
                "metrics",
                format!(
                    "metrics names '{name}', which is not a LinkedIn ad analytics metric; use \
                     LinkedIn's camelCase names (e.g. impressions, costInUsd, \
                     externalWebsiteConversions)"
                ),
            ));
        }
        if !chosen.iter().any(|m| m == name) {
            chosen.push(name.to_owned());
        }
    }
    Ok(chosen)
}

/// An id as JSON gives it: text, or a number (kept as its text, validated later).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum IdText {
    Text(String),
    Number(serde_json::Number),
}

impl From<IdText> for String {
    fn from(id: IdText) -> String {
        match id {
            IdText::Text(text) => text,
            IdText::Number(number) => number.to_string(),
        }
    }
}

/// Reads `accountId` from a string or a number, so validation (not serde) judges it.
pub(crate) fn id_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    <IdText as serde::Deserialize>::deserialize(deserializer).map(String::from)
}

/// Reads `campaignIds` from strings or numbers.
pub(crate) fn id_texts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    let ids = <Option<Vec<IdText>> as serde::Deserialize>::deserialize(deserializer)?;
    Ok(ids.map(|ids| ids.into_iter().map(String::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 8, 20, 6, 30, 0).unwrap()
    }

    fn input(account: &str) -> Input {
        Input {
            account_id: account.to_owned(),
            campaign_ids: None,
            end_date: None,
            lookback_days: None,
            metrics: None,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn defaults_to_the_fourteen_days_ending_today_and_the_default_metrics() {
        // GIVEN only an account
        // WHEN validated
        let valid = validate(&input("500000001"), now()).unwrap();
        // THEN the window is the 14 days ending today (UTC), inclusive
        assert_eq!(valid.account, AccountId(500000001));
        assert_eq!(valid.campaigns, None);
        assert_eq!(valid.end, day(2026, 8, 20));
        assert_eq!(valid.start, day(2026, 8, 7));
        assert_eq!(valid.days().len(), 14);
        assert_eq!(valid.metrics.len(), DEFAULT_METRICS.len());
    }

    #[test]
    fn keeps_given_fields_dropping_duplicates() {
        let mut given = input("7");
        given.campaign_ids = Some(vec!["30".into(), "4".into(), "30".into()]);
        given.end_date = Some("2026-08-01".into());
        given.lookback_days = Some(1);
        given.metrics = Some(vec!["clicks".into(), "costInUsd".into(), "clicks".into()]);
        let valid = validate(&given, now()).unwrap();
        assert_eq!(valid.campaigns, Some(vec![CampaignId(4), CampaignId(30)]));
        assert_eq!((valid.start, valid.end), (day(2026, 8, 1), day(2026, 8, 1)));
        assert_eq!(valid.metrics, vec!["clicks", "costInUsd"]);
    }

    #[test]
    fn a_non_numeric_account_is_refused_with_where_to_find_it() {
        let err = validate(&input("abc"), now()).unwrap_err();
        assert_eq!(err.field, "accountId");
        assert!(
            err.message.starts_with(
                "accountId must be digits (got 'abc'); find it in Campaign Manager's URL"
            ),
            "{err}"
        );
    }

    #[test]
    fn each_bad_field_is_named_in_its_error() {
        // GIVEN one bad field at a time
        let with = |spoil: fn(&mut Input)| {
            let mut bad = input("500000001");
            spoil(&mut bad);
            bad
        };
        let cases = [
            ("accountId", with(|i| i.account_id = String::new())),
            (
                "accountId",
                with(|i| i.account_id = "urn:li:sponsoredAccount:1".into()),
            ),
            (
                "campaignIds",
                with(|i| i.campaign_ids = Some(vec!["12".into(), "x1".into()])),
            ),
            ("campaignIds", with(|i| i.campaign_ids = Some(vec![]))),
            ("endDate", with(|i| i.end_date = Some("2026-08-21".into()))),
            ("endDate", with(|i| i.end_date = Some("20/08/2026".into()))),
            ("lookbackDays", with(|i| i.lookback_days = Some(0))),
            ("lookbackDays", with(|i| i.lookback_days = Some(366))),
            ("lookbackDays", with(|i| i.lookback_days = Some(-3))),
            (
                "metrics",
                with(|i| i.metrics = Some(vec!["clicks".into(), "impresions".into()])),
            ),
            ("metrics", with(|i| i.metrics = Some(vec![]))),
        ];
        for (field, bad) in cases {
            // WHEN validated
            let err = validate(&bad, now()).unwrap_err();
            // THEN the error names the field, in its message too
            assert_eq!(err.field, field, "{bad:?}");
            assert!(err.message.starts_with(field), "{err}");
        }
    }

    #[test]
    fn an_unknown_metric_is_named() {
        let mut bad = input("1");
        bad.metrics = Some(vec!["impresions".into()]);
        let err = validate(&bad, now()).unwrap_err();
        assert!(err.message.contains("'impresions'"), "{err}");
    }

    #[test]
    fn ids_may_arrive_as_json_numbers_or_strings() {
        // GIVEN the state machine's JSON with numeric and textual ids
        let json = r#"{"accountId":500000001,"campaignIds":["7",8],"lookbackDays":3}"#;
        // WHEN read and validated
        let given: Input = serde_json::from_str(json).unwrap();
        let valid = validate(&given, now()).unwrap();
        // THEN both forms are ids
        assert_eq!(valid.account, AccountId(500000001));
        assert_eq!(valid.campaigns, Some(vec![CampaignId(7), CampaignId(8)]));
        // AND a negative number reaches validation, which names the field
        let negative: Input = serde_json::from_str(r#"{"accountId":-1}"#).unwrap();
        assert_eq!(validate(&negative, now()).unwrap_err().field, "accountId");
    }

    #[test]
    fn today_and_a_full_year_are_allowed() {
        let mut edge = input("1");
        edge.end_date = Some("2026-08-20".into());
        edge.lookback_days = Some(365);
        let valid = validate(&edge, now()).unwrap();
        assert_eq!(valid.days().len(), 365);
        assert_eq!(valid.start, day(2025, 8, 21));
    }
}
