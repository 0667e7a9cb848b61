//! Choice rules: parsing and checking them when the definition is read, evaluating them
//! against a state's input.
//!
//! Source: "Choice workflow state"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>). A comparison whose
//! value has the wrong type is simply false ("Step Functions doesn't attempt to match a numeric
//! field to a string value"); string order is Java's `compareTo` (UTF-16 code units); a
//! variable path that matches nothing fails the execution with `States.Runtime`, except for
//! `IsPresent`.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::clock::parse_timestamp;
use crate::paths::Path;

/// A top-level rule and the state it leads to.
#[derive(Debug, Clone)]
pub(crate) struct ChoiceRule {
    pub rule: Rule,
    pub next: String,
}

/// A (possibly nested) Boolean expression over the input.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Test { variable: Path, test: Test },
}

#[derive(Debug, Clone)]
pub(crate) enum Test {
    Compare {
        kind: Kind,
        op: Op,
        operand: Operand,
    },
    StringMatches(String),
    IsNull(bool),
    IsPresent(bool),
    IsNumeric(bool),
    IsString(bool),
    IsBoolean(bool),
    IsTimestamp(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone)]
pub(crate) enum Operand {
    Literal(Value),
    Path(Path),
}

const COMPARISONS: &[(&str, Kind, Op)] = &[
    ("StringEquals", Kind::String, Op::Eq),
    ("StringLessThan", Kind::String, Op::Lt),
    ("StringGreaterThan", Kind::String, Op::Gt),
    ("StringLessThanEquals", Kind::String, Op::Le),
    ("StringGreaterThanEquals", Kind::String, Op::Ge),
    ("NumericEquals", Kind::Numeric, Op::Eq),
    ("NumericLessThan", Kind::Numeric, Op::Lt),
    ("NumericGreaterThan", Kind::Numeric, Op::Gt),
    ("NumericLessThanEquals", Kind::Numeric, Op::Le),
    ("NumericGreaterThanEquals", Kind::Numeric, Op::Ge),
    ("BooleanEquals", Kind::Boolean, Op::Eq),
    ("TimestampEquals", Kind::Timestamp, Op::Eq),
    ("TimestampLessThan", Kind::Timestamp, Op::Lt),
    ("TimestampGreaterThan", Kind::Timestamp, Op::Gt),
    ("TimestampLessThanEquals", Kind::Timestamp, Op::Le),
    ("TimestampGreaterThanEquals", Kind::Timestamp, Op::Ge),
];

const TYPE_TESTS: [&str; 6] = [
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

impl ChoiceRule {
    /// Parses one element of `Choices`; `location` (e.g. `Choices[2]`) prefixes errors.
    pub fn parse(value: &Value, location: &str) -> Result<ChoiceRule, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("{location}: a Choice Rule must be an object"))?;
        let next = match object.get("Next") {
            Some(Value::String(next)) => next.clone(),
            Some(_) => return Err(format!("{location}.Next must be a state name")),
            None => return Err(format!("{location}: a top-level Choice Rule needs Next")),
        };
        Ok(ChoiceRule {
            rule: Rule::parse(object, location, true)?,
            next,
        })
    }
}

impl Rule {
    fn parse(object: &Map<String, Value>, location: &str, top: bool) -> Result<Rule, String> {
        let allowed_extra = |key: &str| key == "Comment" || (top && key == "Next");
        if !top && object.contains_key("Next") {
            return Err(format!(
                "{location}: Next is only allowed in a top-level Choice Rule, not inside And, Or or Not"
            ));
        }
        for combinator in ["And", "Or", "Not"] {
            let Some(value) = object.get(combinator) else {
                continue;
            };
            if let Some(other) = object
                .keys()
                .find(|key| key.as_str() != combinator && !allowed_extra(key))
            {
                return Err(format!(
                    "{location}: {combinator} cannot be combined with {other} in the same rule"
                ));
            }
            let nested = |value: &Value, at: String| {
                value
                    .as_object()
                    .ok_or_else(|| format!("{at}: a Choice Rule must be an object"))
                    .and_then(|object| Rule::parse(object, &at, false))
            };
            return if combinator == "Not" {
                Ok(Rule::Not(Box::new(nested(
                    value,
                    format!("{location}.Not"),
                )?)))
            } else {
                let rules = match value {
                    Value::Array(rules) if !rules.is_empty() => rules
                        .iter()
                        .enumerate()
                        .map(|(i, rule)| nested(rule, format!("{location}.{combinator}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => {
                        return Err(format!(
                            "{location}.{combinator} must be a non-empty array of Choice Rules"
                        ));
                    }
                };
                Ok(if combinator == "And" {
                    Rule::And(rules)
                } else {
                    Rule::Or(rules)
                })
            };
        }
        let variable = match object.get("Variable") {
            Some(Value::String(text)) => {
                Path::parse(text).map_err(|why| format!("{location}.Variable: {why}"))?
            }
            Some(_) => return Err(format!("{location}.Variable must be a path string")),
            None => {
                return Err(format!(
                    "{location}: a Choice Rule needs And, Or, Not, or a Variable with a comparison"
                ));
            }
        };
        let operators: Vec<&String> = object
            .keys()
            .filter(|key| key.as_str() != "Variable" && !allowed_extra(key))
            .collect();
        let [operator] = operators.as_slice() else {
            return Err(format!(
                "{location}: a comparison needs exactly one operator besides Variable, found {}",
                if operators.is_empty() {
                    "none".to_string()
                } else {
                    operators
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
        };
        let operand = &object[operator.as_str()];
        let test = Test::parse(operator, operand)
            .map_err(|why| format!("{location}.{operator}: {why}"))?;
        Ok(Rule::Test { variable, test })
    }

    /// Evaluates the rule; `Err` carries the cause of a `States.Runtime` failure.
    pub fn eval(&self, input: &Value, context: &Value) -> Result<bool, String> {
        match self {
            Rule::And(rules) => {
                for rule in rules {
                    if !rule.eval(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for rule in rules {
                    if rule.eval(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(rule) => Ok(!rule.eval(input, context)?),
            Rule::Test { variable, test } => {
                let value = variable.select(input, context);
                if let Test::IsPresent(expected) = test {
                    return Ok(value.is_ok() == *expected);
                }
                let value = value.map_err(|_| invalid_path(variable))?;
                test.eval(&value, input, context)
            }
        }
    }
}

fn invalid_path(path: &Path) -> String {
    format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        path.text()
    )
}

impl Test {
    fn parse(operator: &str, operand: &Value) -> Result<Test, String> {
        if TYPE_TESTS.contains(&operator) {
            let Value::Bool(expected) = *operand else {
                return Err("must be true or false".into());
            };
            return Ok(match operator {
                "IsNull" => Test::IsNull(expected),
                "IsPresent" => Test::IsPresent(expected),
                "IsNumeric" => Test::IsNumeric(expected),
                "IsString" => Test::IsString(expected),
                "IsBoolean" => Test::IsBoolean(expected),
                _ => Test::IsTimestamp(expected),
            });
        }
        if operator == "StringMatches" {
            return match operand {
                Value::String(pattern) => Ok(Test::StringMatches(pattern.clone())),
                _ => Err("must be a string pattern".into()),
            };
        }
        let (name, by_path) = match operator.strip_suffix("Path") {
            Some(name) => (name, true),
            None => (operator, false),
        };
        let Some(&(_, kind, op)) = COMPARISONS.iter().find(|(n, _, _)| *n == name) else {
            return Err("is not a comparison operator".into());
        };
        let operand = if by_path {
            match operand {
                Value::String(text) => Operand::Path(Path::parse(text)?),
                _ => return Err("must be a path string".into()),
            }
        } else {
            let fits = match kind {
                Kind::String => operand.is_string(),
                Kind::Numeric => operand.is_number(),
                Kind::Boolean => operand.is_boolean(),
                Kind::Timestamp => operand.as_str().and_then(parse_timestamp).is_some(),
            };
            if !fits {
                return Err(match kind {
                    Kind::String => "must be a string".into(),
                    Kind::Numeric => "must be a number".into(),
                    Kind::Boolean => "must be true or false".into(),
                    Kind::Timestamp => {
                        "must be an RFC 3339 timestamp such as 2016-08-18T17:33:00Z".into()
                    }
                });
            }
            Operand::Literal(operand.clone())
        };
        Ok(Test::Compare { kind, op, operand })
    }

    fn eval(&self, value: &Value, input: &Value, context: &Value) -> Result<bool, String> {
        Ok(match self {
            Test::IsNull(expected) => value.is_null() == *expected,
            Test::IsPresent(expected) => *expected,
            Test::IsNumeric(expected) => value.is_number() == *expected,
            Test::IsString(expected) => value.is_string() == *expected,
            Test::IsBoolean(expected) => value.is_boolean() == *expected,
            Test::IsTimestamp(expected) => {
                value.as_str().and_then(parse_timestamp).is_some() == *expected
            }
            Test::StringMatches(pattern) => value
                .as_str()
                .is_some_and(|text| wildcard_match(pattern, text)),
            Test::Compare { kind, op, operand } => {
                let other = match operand {
                    Operand::Literal(literal) => literal.clone(),
                    Operand::Path(path) => path
                        .select(input, context)
                        .map_err(|_| invalid_path(path))?,
                };
                match compare(*kind, value, &other) {
                    Some(ordering) => match op {
                        Op::Eq => ordering == Ordering::Equal,
                        Op::Lt => ordering == Ordering::Less,
                        Op::Gt => ordering == Ordering::Greater,
                        Op::Le => ordering != Ordering::Greater,
                        Op::Ge => ordering != Ordering::Less,
                    },
                    None => false,
                }
            }
        })
    }
}

/// Orders two values of the comparison's kind; `None` when either has another type.
fn compare(kind: Kind, left: &Value, right: &Value) -> Option<Ordering> {
    match kind {
        Kind::String => {
            let (a, b) = (left.as_str()?, right.as_str()?);
            Some(a.encode_utf16().cmp(b.encode_utf16()))
        }
        Kind::Numeric => left.as_f64()?.partial_cmp(&right.as_f64()?),
        Kind::Boolean => match (left, right) {
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            _ => None,
        },
        Kind::Timestamp => {
            let a = parse_timestamp(left.as_str()?)?;
            let b = parse_timestamp(right.as_str()?)?;
            Some(a.cmp(&b))
        }
    }
}

/// `StringMatches`: `*` matches any run of characters, `\*` a literal star and `\\` a
/// backslash; nothing else is special.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Char(char),
        Star,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Token::Char(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(Token::Star),
            c => tokens.push(Token::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy match with backtracking to the last star.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|token| *token == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: Value) -> Rule {
        ChoiceRule::parse(&value, "Choices[0]")
            .expect("valid rule")
            .rule
    }

    fn holds(value: Value, input: Value) -> bool {
        let mut value = value;
        value["Next"] = json!("X");
        rule(value)
            .eval(&input, &json!({}))
            .expect("no runtime error")
    }

    /// The Choice state example of "Choice workflow state" (state-choice.html).
    fn documented_choices() -> Vec<ChoiceRule> {
        let choices = json!([
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
            {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
            {"And": [
                {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                {"Variable": "$.value", "NumericLessThan": 30}
            ], "Next": "ValueInTwenties"}
        ]);
        choices
            .as_array()
            .expect("array")
            .iter()
            .enumerate()
            .map(|(i, c)| ChoiceRule::parse(c, &format!("Choices[{i}]")).expect("valid"))
            .collect()
    }

    fn first_match(input: Value) -> Option<String> {
        documented_choices()
            .into_iter()
            .find(|c| c.rule.eval(&input, &json!({})).expect("evaluates"))
            .map(|c| c.next)
    }

    #[test]
    fn the_documented_example_goes_to_value_in_twenties() {
        // GIVEN input {"type": "Private", "value": 22}
        // THEN "Step Functions transitions to the ValueInTwenties state"
        assert_eq!(
            first_match(json!({"type": "Private", "value": 22})),
            Some("ValueInTwenties".into())
        );
        assert_eq!(
            first_match(json!({"type": "Public", "value": 22})),
            Some("Public".into())
        );
        assert_eq!(
            first_match(json!({"type": "Private", "value": 0})),
            Some("ValueIsZero".into())
        );
        assert_eq!(first_match(json!({"type": "Private", "value": 31})), None);
    }

    #[test]
    fn string_comparisons_follow_java_order() {
        assert!(holds(
            json!({"Variable": "$.foo", "StringEquals": "MyString"}),
            json!({"foo": "MyString"})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "StringGreaterThan": "MyStringABC"}),
            json!({"foo": "MyStringABD"})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "StringLessThan": "b"}),
            json!({"foo": "a"})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "StringLessThanEquals": "a"}),
            json!({"foo": "a"})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "StringGreaterThanEquals": "a"}),
            json!({"foo": "b"})
        ));
        // Java orders by UTF-16 code units: U+1F600 (surrogates 0xD83D 0xDE00) sorts before U+FF5E,
        // though its code point is larger.
        assert!(!holds(
            json!({"Variable": "$.foo", "StringGreaterThan": "\u{FF5E}"}),
            json!({"foo": "\u{1F600}"})
        ));
    }

    #[test]
    fn numeric_comparisons_compare_numbers_only() {
        assert!(holds(
            json!({"Variable": "$.foo", "NumericEquals": 1}),
            json!({"foo": 1.0})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "NumericLessThan": 2}),
            json!({"foo": 1})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "NumericGreaterThan": 2}),
            json!({"foo": 3})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "NumericLessThanEquals": 2}),
            json!({"foo": 2})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "NumericGreaterThanEquals": 2}),
            json!({"foo": 2})
        ));
        // "Step Functions doesn't attempt to match a numeric field to a string value."
        assert!(!holds(
            json!({"Variable": "$.foo", "NumericEquals": 1}),
            json!({"foo": "1"})
        ));
    }

    #[test]
    fn boolean_and_timestamp_comparisons() {
        assert!(holds(
            json!({"Variable": "$.b", "BooleanEquals": true}),
            json!({"b": true})
        ));
        assert!(!holds(
            json!({"Variable": "$.b", "BooleanEquals": true}),
            json!({"b": "true"})
        ));
        assert!(holds(
            json!({"Variable": "$.foo", "TimestampEquals": "2001-01-01T12:00:00Z"}),
            json!({"foo": "2001-01-01T14:00:00+02:00"})
        ));
        assert!(holds(
            json!({"Variable": "$.t", "TimestampLessThan": "2001-01-01T12:00:00Z"}),
            json!({"t": "2000-12-31T23:59:59Z"})
        ));
        assert!(holds(
            json!({"Variable": "$.t", "TimestampGreaterThanEquals": "2001-01-01T12:00:00Z"}),
            json!({"t": "2001-01-01T12:00:00Z"})
        ));
        assert!(!holds(
            json!({"Variable": "$.t", "TimestampGreaterThan": "2001-01-01T12:00:00Z"}),
            json!({"t": "not a time"})
        ));
        // "because timestamp fields are logically strings ... StringEquals" can match them.
        assert!(holds(
            json!({"Variable": "$.t", "StringEquals": "2001-01-01T12:00:00Z"}),
            json!({"t": "2001-01-01T12:00:00Z"})
        ));
    }

    #[test]
    fn path_variants_compare_two_variables() {
        // The page's example: {"Variable": "$.foo", "StringEqualsPath": "$.bar"}.
        let input = json!({"foo": "x", "bar": "x", "n": 3, "m": 4, "t": "2001-01-01T12:00:00Z"});
        assert!(holds(
            json!({"Variable": "$.foo", "StringEqualsPath": "$.bar"}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.n", "NumericLessThanPath": "$.m"}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.t", "TimestampEqualsPath": "$.t"}),
            input.clone()
        ));
        let missing = rule(json!({"Variable": "$.n", "NumericEqualsPath": "$.zzz", "Next": "X"}));
        assert!(missing.eval(&input, &json!({})).is_err());
    }

    #[test]
    fn string_matches_uses_star_wildcards_and_escapes() {
        // The page's example: "StringMatches": "log-*.txt".
        let pattern = |p: &str, s: &str| {
            holds(
                json!({"Variable": "$.f", "StringMatches": p}),
                json!({"f": s}),
            )
        };
        assert!(pattern("log-*.txt", "log-2024-01-01.txt"));
        assert!(pattern("log-*.txt", "log-.txt"));
        assert!(!pattern("log-*.txt", "log-1.txt.gz"));
        assert!(pattern("*", ""));
        assert!(pattern("a*b*c", "aXXbYYc"));
        // "The wildcard character is escaped by using the standard \\ (Ex: “\\*”)".
        assert!(pattern("2\\*3", "2*3"));
        assert!(!pattern("2\\*3", "2x3"));
        assert!(pattern("back\\\\slash", "back\\slash"));
    }

    #[test]
    fn type_tests_check_presence_and_type() {
        let input = json!({"n": 1, "s": "x", "b": false, "z": null, "t": "2016-08-18T17:33:00Z"});
        assert!(holds(
            json!({"Variable": "$.z", "IsNull": true}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.n", "IsNull": false}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.n", "IsNumeric": true}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.s", "IsString": true}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.b", "IsBoolean": true}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.t", "IsTimestamp": true}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.s", "IsTimestamp": false}),
            input.clone()
        ));
        assert!(holds(
            json!({"Variable": "$.gone", "IsPresent": false}),
            input.clone()
        ));
        assert!(holds(json!({"Variable": "$.n", "IsPresent": true}), input));
    }

    #[test]
    fn is_present_guards_a_comparison_inside_and() {
        // The page's example: StringEquals "is only evaluated when $.keyThatMightNotExist
        // exists because of the preceding IsPresent Choice Rule".
        let guarded = json!({"And": [
            {"Variable": "$.keyThatMightNotExist", "IsPresent": true},
            {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"}
        ]});
        assert!(!holds(guarded.clone(), json!({})));
        assert!(holds(guarded, json!({"keyThatMightNotExist": "foo"})));
    }

    #[test]
    fn or_and_not_nest() {
        let nested = json!({"Or": [
            {"Not": {"Variable": "$.a", "NumericGreaterThan": 10}},
            {"And": [{"Variable": "$.b", "BooleanEquals": true}, {"Variable": "$.c", "StringEquals": "x"}]}
        ]});
        assert!(holds(nested.clone(), json!({"a": 5, "b": false, "c": "y"})));
        assert!(holds(nested.clone(), json!({"a": 50, "b": true, "c": "x"})));
        assert!(!holds(nested, json!({"a": 50, "b": true, "c": "y"})));
    }

    #[test]
    fn a_missing_variable_is_a_runtime_error() {
        let r = rule(json!({"Variable": "$.type", "StringEquals": "Buy", "Next": "X"}));
        let cause = r.eval(&json!({}), &json!({})).unwrap_err();
        assert!(cause.contains("Invalid path '$.type'"));
    }

    #[test]
    fn malformed_rules_are_refused_with_their_location() {
        let parse = |v: Value| ChoiceRule::parse(&v, "Choices[1]").unwrap_err();
        assert!(
            parse(json!({"Variable": "$.a", "StringEquals": 1, "Next": "X"}))
                .contains("Choices[1].StringEquals: must be a string")
        );
        assert!(
            parse(json!({"Variable": "$.a", "NumericEquals": "1", "Next": "X"}))
                .contains("must be a number")
        );
        assert!(parse(json!({"Variable": "$.a", "StringEquals": "1"})).contains("needs Next"));
        assert!(parse(json!({"Variable": "$.a", "Next": "X"})).contains("exactly one operator"));
        assert!(
            parse(json!({"Variable": "$.a", "StringEquals": "1", "IsNull": true, "Next": "X"}))
                .contains("exactly one operator")
        );
        assert!(
            parse(json!({"Not": {"Variable": "$.a", "IsNull": true, "Next": "Y"}, "Next": "X"}))
                .contains("only allowed in a top-level")
        );
        assert!(parse(json!({"And": [], "Next": "X"})).contains("non-empty array"));
        assert!(
            parse(json!({"Variable": "$.a", "StringEqual": "x", "Next": "X"}))
                .contains("not a comparison operator")
        );
        assert!(
            parse(json!({"Variable": "$.a", "TimestampEquals": "2001-01-01", "Next": "X"}))
                .contains("timestamp")
        );
    }
}
