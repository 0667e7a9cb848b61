//! Input validation: the whole input is checked before anything is read, so a bad input
//! reads and writes nothing and says which field is wrong and how to fix it.

use ads::AccountId;
use policy::PolicySource;
use serde::Deserialize;
use serde_json::Value;

use crate::Input;

/// The longest `execution` accepted (it is one segment of the decisions key).
const MAX_EXECUTION_CHARS: usize = 256;

/// A field of the input that failed validation, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    /// The input field, as the state machine spells it (e.g. `accountId`).
    pub field: &'static str,
    /// What is wrong and how to fix it; starts with the field's name.
    pub message: String,
}

/// Builds an [`InvalidInput`].
pub(crate) fn invalid(field: &'static str, message: String) -> InvalidInput {
    InvalidInput { field, message }
}

/// The input, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Validated {
    /// The ad account.
    pub account: AccountId,
    /// Where the policy comes from.
    pub policy: PolicySource,
}

/// Checks `input`; the first bad field is reported.
pub(crate) fn validate(input: &Input) -> Result<Validated, InvalidInput> {
    let key = input.result_key.trim();
    if key.is_empty() || key.starts_with('/') {
        return Err(invalid(
            "resultKey",
            format!(
                "resultKey must be the store key of the decision_series result, e.g. \
                 query-results/<query id>.csv (got '{}'); pass poll-results' resultKey",
                input.result_key
            ),
        ));
    }
    let text = input.account_id.trim();
    let account = text
        .parse::<AccountId>()
        .ok()
        .filter(|_| !text.is_empty())
        .ok_or_else(|| {
            invalid(
                "accountId",
                format!(
                    "accountId must be digits (got '{text}'); find it in Campaign Manager's URL \
                     (…/campaignmanager/accounts/<digits>/…)"
                ),
            )
        })?;
    execution(&input.execution)?;
    let policy = PolicySource::from_input(input.policy.as_ref(), input.policy_key.as_deref())
        .map_err(|error| invalid(error.field(), error.to_string()))?;
    Ok(Validated { account, policy })
}

fn execution(text: &str) -> Result<(), InvalidInput> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-');
    let valid = !text.is_empty()
        && text.chars().count() <= MAX_EXECUTION_CHARS
        && text.chars().all(allowed)
        && text.chars().any(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(invalid(
            "execution",
            format!(
                "execution must be 1 to {MAX_EXECUTION_CHARS} characters of A-Z a-z 0-9 _ . : - \
                 with a letter or digit (got '{text}'); it names the decisions file, so pass \
                 the state machine's execution name"
            ),
        ))
    }
}

/// Reads `accountId` from a string or a number, so validation (not serde) judges it.
pub(crate) fn account_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "accountId must be digits, as a string or a number (got {other})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input() -> Input {
        serde_json::from_value(json!({
            "resultKey": "query-results/q-1.csv",
            "accountId": 500000001,
            "asOf": "2026-09-10",
            "execution": "exec-1"
        }))
        .unwrap()
    }

    #[test]
    fn a_minimal_input_takes_the_default_policy() {
        // GIVEN the state machine's JSON with a numeric account id
        // WHEN validated
        let valid = validate(&input()).unwrap();
        // THEN the account is read and the default policy chosen
        assert_eq!(valid.account, AccountId(500000001));
        assert_eq!(valid.policy, PolicySource::Default);
    }

    #[test]
    fn each_bad_field_is_named_in_its_error() {
        let with = |spoil: fn(&mut Input)| {
            let mut bad = input();
            spoil(&mut bad);
            bad
        };
        let cases = [
            ("resultKey", with(|i| i.result_key = " ".into())),
            ("accountId", with(|i| i.account_id = "abc".into())),
            ("accountId", with(|i| i.account_id = String::new())),
            ("execution", with(|i| i.execution = String::new())),
            ("execution", with(|i| i.execution = "a/b".into())),
            ("execution", with(|i| i.execution = "..".into())),
            (
                "policy",
                with(|i| {
                    i.policy = Some(json!({}));
                    i.policy_key = Some("policies/p.toml".into());
                }),
            ),
            ("policyKey", with(|i| i.policy_key = Some(String::new()))),
        ];
        for (field, bad) in cases {
            let error = validate(&bad).unwrap_err();
            assert_eq!(error.field, field, "{bad:?}");
            assert!(error.message.starts_with(field), "{error}");
        }
    }

    #[test]
    fn an_execution_arn_is_a_valid_name() {
        let mut given = input();
        given.execution = "arn:aws:states:eu-west-1:123456789012:execution:optimize:run-1".into();
        assert!(validate(&given).is_ok());
    }
}
