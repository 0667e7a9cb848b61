//! Query parameters: their kinds, and turning a caller's JSON values into the literal SQL
//! text of Athena's `ExecutionParameters`, refusing anything that is not exactly a value of
//! the declared kind (so `1 OR 1=1` never reaches the SQL).
//!
//! Athena substitutes each `ExecutionParameters` entry for the matching `?` as SQL text:
//! strings must arrive quoted (`'123'`), numbers bare (`100`)
//! (<https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html>).
//! The local engine parses the same text as a SQL literal and binds it as a typed value.

use chrono::NaiveDate;
use serde_json::{Map, Value};

/// The most digits an account id may have (LinkedIn ids fit in 64 bits: 20 digits).
pub const ACCOUNT_ID_MAX_DIGITS: usize = 20;

/// One declared parameter of a query: `-- @param <name> <kind> [min..max] <description>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name, the key of the JSON object passed to [`crate::Query::bind`].
    pub name: String,
    /// What values it takes.
    pub kind: ParamKind,
    /// What it means, from the declaration.
    pub description: String,
}

/// What values a parameter takes, and how each is written as a SQL literal.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamKind {
    /// An ad account id: 1 to 20 digits (a JSON string or a whole JSON number); bound as a
    /// string literal, `'123'`, since the `account_id` partition key is a string.
    AccountId,
    /// A calendar day, `YYYY-MM-DD` (a JSON string); bound as a string literal,
    /// `'2026-11-01'`, comparable with the `dt` partition key.
    Date,
    /// A whole number (a JSON integer) within the bounds; bound bare, `100`.
    Bigint {
        /// The least value allowed, inclusive.
        min: Option<i64>,
        /// The greatest value allowed, inclusive.
        max: Option<i64>,
    },
    /// A number (a JSON number) within the bounds; bound bare, `0.5`.
    Double {
        /// The least value allowed, inclusive.
        min: Option<f64>,
        /// The greatest value allowed, inclusive.
        max: Option<f64>,
    },
}

impl ParamKind {
    /// The kind's name in declarations: `account_id`, `date`, `bigint`, `double`.
    pub fn name(&self) -> &'static str {
        match self {
            ParamKind::AccountId => "account_id",
            ParamKind::Date => "date",
            ParamKind::Bigint { .. } => "bigint",
            ParamKind::Double { .. } => "double",
        }
    }

    /// What a value must be, in words, for error messages.
    fn expected(&self) -> String {
        let range = |min: Option<String>, max: Option<String>| match (min, max) {
            (Some(min), Some(max)) => format!(" from {min} to {max}"),
            (Some(min), None) => format!(" of at least {min}"),
            (None, Some(max)) => format!(" of at most {max}"),
            (None, None) => String::new(),
        };
        match self {
            ParamKind::AccountId => {
                format!(
                    "an ad account id of 1 to {ACCOUNT_ID_MAX_DIGITS} digits, e.g. \"512345678\""
                )
            }
            ParamKind::Date => "a day as \"YYYY-MM-DD\", e.g. \"2026-11-01\"".to_owned(),
            ParamKind::Bigint { min, max } => format!(
                "a whole number{}",
                range(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            ),
            ParamKind::Double { min, max } => format!(
                "a number{}",
                range(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            ),
        }
    }

    /// `value` as the SQL literal text of this kind, or why it is not one.
    fn literal(&self, value: &Value) -> Result<String, Refusal> {
        match self {
            ParamKind::AccountId => {
                let digits = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(number) if number.is_u64() => number.to_string(),
                    Value::Number(_) => return Err(Refusal::Invalid),
                    other => return Err(Refusal::WrongType(json_type(other))),
                };
                let valid = !digits.is_empty()
                    && digits.len() <= ACCOUNT_ID_MAX_DIGITS
                    && digits.bytes().all(|b| b.is_ascii_digit());
                if valid {
                    Ok(format!("'{digits}'"))
                } else {
                    Err(Refusal::Invalid)
                }
            }
            ParamKind::Date => {
                let Value::String(text) = value else {
                    return Err(Refusal::WrongType(json_type(value)));
                };
                // chrono alone would take "2026-1-5"; the partition keys are zero-padded.
                match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(day) if day.format("%Y-%m-%d").to_string() == *text => {
                        Ok(format!("'{text}'"))
                    }
                    _ => Err(Refusal::Invalid),
                }
            }
            ParamKind::Bigint { min, max } => {
                let Value::Number(number) = value else {
                    return Err(Refusal::WrongType(json_type(value)));
                };
                let Some(n) = number.as_i64() else {
                    return Err(Refusal::Invalid);
                };
                if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
                    return Err(Refusal::OutOfRange);
                }
                Ok(n.to_string())
            }
            ParamKind::Double { min, max } => {
                let Value::Number(number) = value else {
                    return Err(Refusal::WrongType(json_type(value)));
                };
                let Some(x) = number.as_f64().filter(|x| x.is_finite()) else {
                    return Err(Refusal::Invalid);
                };
                if min.is_some_and(|min| x < min) || max.is_some_and(|max| x > max) {
                    return Err(Refusal::OutOfRange);
                }
                // Debug keeps a fraction (`1.0`) and writes extremes as `1e-7`: both are
                // SQL numeric literals.
                Ok(format!("{x:?}"))
            }
        }
    }
}

/// Why one value was refused, before the query and parameter names are added.
enum Refusal {
    WrongType(&'static str),
    Invalid,
    OutOfRange,
}

/// A JSON value's type, in words.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Why parameters could not be bound; each message names the query, the parameter and the
/// fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A declared parameter has no value.
    #[error("query {query} needs parameter {param}: pass {expected}")]
    Missing {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// What its value must be.
        expected: String,
    },
    /// A value was given for a parameter the query does not declare.
    #[error(
        "query {query} has no parameter {param}; remove it (its parameters are: {})",
        known.join(", ")
    )]
    Extra {
        /// The query.
        query: String,
        /// The unknown name.
        param: String,
        /// The parameters it does declare.
        known: Vec<String>,
    },
    /// The value is of another JSON type.
    #[error("query {query}: parameter {param} must be {expected} (got {got})")]
    WrongType {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// What its value must be.
        expected: String,
        /// The JSON type given.
        got: &'static str,
    },
    /// The value has the right JSON type but is not a value of the kind (an account id that
    /// is not digits, a day that does not exist, a number with a fraction for a bigint).
    #[error("query {query}: parameter {param} must be {expected} (got {value})")]
    Invalid {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// What its value must be.
        expected: String,
        /// The value given, as JSON.
        value: String,
    },
    /// The number is outside the declared bounds.
    #[error("query {query}: parameter {param} must be {expected} (got {value})")]
    OutOfRange {
        /// The query.
        query: String,
        /// The parameter.
        param: String,
        /// What its value must be, bounds included.
        expected: String,
        /// The value given.
        value: String,
    },
}

/// Validates `values` against `params` (all declared, none extra, each of its kind) and
/// renders them in declaration order, which is the order of the `?` placeholders.
pub(crate) fn bind(
    query: &str,
    params: &[Param],
    values: &Map<String, Value>,
) -> Result<Vec<String>, ParamError> {
    if let Some(extra) = values
        .keys()
        .find(|k| !params.iter().any(|p| p.name == **k))
    {
        return Err(ParamError::Extra {
            query: query.to_owned(),
            param: extra.clone(),
            known: params.iter().map(|p| p.name.clone()).collect(),
        });
    }
    params
        .iter()
        .map(|param| {
            let expected = param.kind.expected();
            let Some(value) = values.get(&param.name) else {
                return Err(ParamError::Missing {
                    query: query.to_owned(),
                    param: param.name.clone(),
                    expected,
                });
            };
            param.kind.literal(value).map_err(|refusal| match refusal {
                Refusal::WrongType(got) => ParamError::WrongType {
                    query: query.to_owned(),
                    param: param.name.clone(),
                    expected,
                    got,
                },
                Refusal::Invalid => ParamError::Invalid {
                    query: query.to_owned(),
                    param: param.name.clone(),
                    expected,
                    value: value.to_string(),
                },
                Refusal::OutOfRange => ParamError::OutOfRange {
                    query: query.to_owned(),
                    param: param.name.clone(),
                    expected,
                    value: value.to_string(),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params() -> Vec<Param> {
        let param = |name: &str, kind| Param {
            name: name.into(),
            kind,
            description: String::new(),
        };
        vec![
            param("account_id", ParamKind::AccountId),
            param("end_date", ParamKind::Date),
            param(
                "min_clicks",
                ParamKind::Bigint {
                    min: Some(0),
                    max: Some(1_000_000),
                },
            ),
            param(
                "max_ctr",
                ParamKind::Double {
                    min: Some(0.0),
                    max: Some(100.0),
                },
            ),
        ]
    }

    fn values(value: Value) -> Map<String, Value> {
        let Value::Object(map) = value else {
            unreachable!()
        };
        map
    }

    fn good() -> Value {
        json!({"account_id": "512345678", "end_date": "2026-11-01", "min_clicks": 100, "max_ctr": 0.5})
    }

    fn bind_with(key: &str, value: Value) -> Result<Vec<String>, ParamError> {
        let mut map = values(good());
        map.insert(key.to_owned(), value);
        bind("q", &params(), &map)
    }

    #[test]
    fn good_values_render_as_sql_literals_in_declaration_order() {
        let bound = bind("q", &params(), &values(good())).unwrap();
        assert_eq!(bound, vec!["'512345678'", "'2026-11-01'", "100", "0.5"]);
        // AND an account id may be a JSON number, a whole double keeps its fraction
        let bound = bind_with("account_id", json!(42)).unwrap();
        assert_eq!(bound[0], "'42'");
        assert_eq!(bind_with("max_ctr", json!(1)).unwrap()[3], "1.0");
    }

    #[test]
    fn an_account_id_that_is_not_digits_is_refused() {
        for bad in [
            "1 OR 1=1",
            "1'; DROP TABLE x; --",
            "",
            "-1",
            "12a",
            "123456789012345678901",
        ] {
            let err = bind_with("account_id", json!(bad)).unwrap_err();
            assert!(matches!(err, ParamError::Invalid { .. }), "{bad}: {err}");
            assert!(err.to_string().contains("account_id"), "{err}");
        }
        let err = bind_with("account_id", json!(-5)).unwrap_err();
        assert!(matches!(err, ParamError::Invalid { .. }));
        let err = bind_with("account_id", json!(["1"])).unwrap_err();
        assert!(matches!(
            err,
            ParamError::WrongType {
                got: "an array",
                ..
            }
        ));
    }

    #[test]
    fn a_date_must_be_a_real_zero_padded_day() {
        for bad in [
            "2026-1-5",
            "2026-02-30",
            "yesterday",
            "2026-11-01' OR '1'='1",
            "2026-11-01 ",
        ] {
            let err = bind_with("end_date", json!(bad)).unwrap_err();
            assert!(matches!(err, ParamError::Invalid { .. }), "{bad}: {err}");
        }
        let err = bind_with("end_date", json!(20261101)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "query q: parameter end_date must be a day as \"YYYY-MM-DD\", e.g. \"2026-11-01\" \
             (got a number)"
        );
    }

    #[test]
    fn a_bigint_must_be_a_whole_number_within_its_bounds() {
        let err = bind_with("min_clicks", json!("100")).unwrap_err();
        assert!(matches!(
            err,
            ParamError::WrongType {
                got: "a string",
                ..
            }
        ));
        let err = bind_with("min_clicks", json!(1.5)).unwrap_err();
        assert!(matches!(err, ParamError::Invalid { .. }));
        let err = bind_with("min_clicks", json!(-1)).unwrap_err();
        assert!(matches!(err, ParamError::OutOfRange { .. }));
        assert_eq!(
            err.to_string(),
            "query q: parameter min_clicks must be a whole number from 0 to 1000000 (got -1)"
        );
        assert!(bind_with("min_clicks", json!(1_000_001)).is_err());
        assert_eq!(
            bind_with("min_clicks", json!(1_000_000)).unwrap()[2],
            "1000000"
        );
    }

    #[test]
    fn a_double_must_be_a_number_within_its_bounds() {
        let err = bind_with("max_ctr", json!(100.5)).unwrap_err();
        assert!(matches!(err, ParamError::OutOfRange { .. }));
        let err = bind_with("max_ctr", json!(null)).unwrap_err();
        assert!(matches!(err, ParamError::WrongType { got: "null", .. }));
        assert_eq!(bind_with("max_ctr", json!(0.0000001)).unwrap()[3], "1e-7");
    }

    #[test]
    fn missing_and_extra_parameters_are_named() {
        let mut map = values(good());
        map.remove("end_date");
        let err = bind("q", &params(), &map).unwrap_err();
        assert!(matches!(&err, ParamError::Missing { param, .. } if param == "end_date"));
        assert!(
            err.to_string()
                .starts_with("query q needs parameter end_date: pass")
        );
        let err = bind_with("limit", json!(5)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "query q has no parameter limit; remove it (its parameters are: account_id, \
             end_date, min_clicks, max_ctr)"
        );
    }
}
