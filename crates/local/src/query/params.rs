//! Binding Athena's ExecutionParameters to a query's `?` placeholders, without ever pasting
//! text into SQL.
//!
//! Athena numbers the `?` placeholders of a query in the order they appear and binds each
//! ExecutionParameter (SQL literal text: `'123'`, `100`, `0.5`) to one of them. Here the SQL
//! is parsed once with DataFusion's parser; each `?` is renamed, in textual order, to the
//! positional placeholder `$1..$n` DataFusion binds; each parameter is parsed on its own
//! and must be exactly one literal, which becomes a typed [`ScalarValue`]. A parameter such
//! as `1 OR 1=1` or `'a'; DROP TABLE t` is therefore refused, not executed.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use datafusion::common::ScalarValue;
use datafusion::sql::parser::{DFParserBuilder, Statement};
use datafusion::sql::sqlparser::ast::{
    DataType as SqlType, Expr, UnaryOperator, Value, visit_expressions, visit_expressions_mut,
};
use datafusion::sql::sqlparser::dialect::GenericDialect;
use datafusion::sql::sqlparser::parser::Parser;
use datafusion::sql::sqlparser::tokenizer::{Location, Token};

/// Why a query and its parameters could not be bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    /// The query's SQL does not parse.
    #[error("the SQL does not parse: {0}")]
    Syntax(String),
    /// The query is not exactly one SQL statement.
    #[error("a query must be exactly one SQL statement (found {0})")]
    NotOneStatement(usize),
    /// The query uses a placeholder other than Athena's `?`.
    #[error("placeholder {0} is not supported; write Athena's positional '?'")]
    UnsupportedPlaceholder(String),
    /// The number of parameters differs from the number of `?` in the query.
    #[error("the query has {placeholders} '?' placeholder(s) but {params} parameter(s) were given")]
    CountMismatch {
        /// `?` in the SQL.
        placeholders: usize,
        /// Parameters given.
        params: usize,
    },
    /// A parameter is not a single SQL literal.
    #[error(
        "parameter {position} ({text}) is not a single SQL literal: give a quoted string ('2026-11-01'), an integer (100), a decimal (0.5), true/false or DATE '…'"
    )]
    NotALiteral {
        /// 1-based position of the parameter.
        position: usize,
        /// The parameter as given.
        text: String,
    },
}

/// A statement whose `?` placeholders are now `$1..$n`, and the values to bind to them.
#[derive(Debug, Clone)]
pub struct Bound {
    /// The parsed statement, ready for `SessionState::statement_to_plan`.
    pub statement: Statement,
    /// The value of `$i` at index `i - 1`.
    pub values: Vec<ScalarValue>,
}

/// Parses `sql`, numbers its `?` placeholders in textual order and converts `params` (one
/// per placeholder, in the same order) into typed values.
pub fn bind(sql: &str, params: &[String]) -> Result<Bound, BindError> {
    let dialect = GenericDialect {};
    let mut statements = DFParserBuilder::new(sql)
        .with_dialect(&dialect)
        .build()
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|error| BindError::Syntax(error.to_string()))?;
    if statements.len() != 1 {
        return Err(BindError::NotOneStatement(statements.len()));
    }
    let mut statement = statements.pop_front().expect("one statement");
    let placeholders = number_placeholders(&mut statement)?;
    if placeholders != params.len() {
        return Err(BindError::CountMismatch {
            placeholders,
            params: params.len(),
        });
    }
    let values = params
        .iter()
        .enumerate()
        .map(|(index, text)| {
            literal(text).ok_or_else(|| BindError::NotALiteral {
                position: index + 1,
                text: text.clone(),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Bound { statement, values })
}

/// Renames every `?` in `statement` to `$i`, `i` being its rank in the text, and returns how
/// many there were. Ranks come from source positions, not from the order the AST happens
/// to be walked in.
fn number_placeholders(statement: &mut Statement) -> Result<usize, BindError> {
    let Statement::Statement(statement) = statement else {
        // DataFusion's own statements (CREATE EXTERNAL TABLE, COPY) take no `?`.
        return Ok(0);
    };
    let mut positions: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    let mut unsupported = None;
    let _ = visit_expressions(&**statement, |expr| {
        if let Expr::Value(value) = expr
            && let Value::Placeholder(name) = &value.value
        {
            if name == "?" {
                positions.insert(key(value.span.start), 0);
            } else {
                unsupported = Some(name.clone());
            }
        }
        ControlFlow::<()>::Continue(())
    });
    if let Some(name) = unsupported {
        return Err(BindError::UnsupportedPlaceholder(name));
    }
    for (rank, position) in positions.values_mut().enumerate() {
        *position = rank + 1;
    }
    let _ = visit_expressions_mut(&mut **statement, |expr| {
        if let Expr::Value(value) = expr
            && let Value::Placeholder(name) = &mut value.value
            && let Some(rank) = positions.get(&key(value.span.start))
        {
            *name = format!("${rank}");
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(positions.len())
}

fn key(location: Location) -> (u64, u64) {
    (location.line, location.column)
}

/// The value of one parameter, if its text is exactly one literal: a quoted string (Utf8),
/// an integer (Int64), a decimal or exponent number (Float64), `true`/`false` (Boolean) or
/// `DATE '…'` (Date32); a leading minus is allowed on numbers.
pub fn literal(text: &str) -> Option<ScalarValue> {
    let dialect = GenericDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(text).ok()?;
    let expr = parser.parse_expr().ok()?;
    if parser.peek_token().token != Token::EOF {
        return None;
    }
    match expr {
        Expr::Value(value) => match value.value {
            Value::SingleQuotedString(s) => Some(ScalarValue::Utf8(Some(s))),
            Value::Number(digits, false) => number(&digits, false),
            Value::Boolean(b) => Some(ScalarValue::Boolean(Some(b))),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match *expr {
            Expr::Value(value) => match value.value {
                Value::Number(digits, false) => number(&digits, true),
                _ => None,
            },
            _ => None,
        },
        Expr::TypedString(typed) if matches!(typed.data_type, SqlType::Date) => {
            let Value::SingleQuotedString(day) = typed.value.value else {
                return None;
            };
            let date = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
            let days = i32::try_from(date.signed_duration_since(epoch).num_days()).ok()?;
            Some(ScalarValue::Date32(Some(days)))
        }
        _ => None,
    }
}

fn number(digits: &str, negative: bool) -> Option<ScalarValue> {
    let text = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        // An integer too large for BIGINT is refused rather than silently made inexact.
        return text
            .parse::<i64>()
            .ok()
            .map(|n| ScalarValue::Int64(Some(n)));
    }
    text.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| ScalarValue::Float64(Some(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn binds_each_placeholder_in_textual_order_to_a_typed_value() {
        // GIVEN a query with placeholders in the select list, the WHERE and the LIMIT
        let sql = "SELECT ? AS label, count(*) FROM creative_daily \
                   WHERE account_id = ? AND dt BETWEEN ? AND ? AND clicks > ? GROUP BY 1 LIMIT ?";
        let given = params(&["'x'", "'123'", "'2026-11-01'", "'2026-11-07'", "0.5", "100"]);
        // WHEN bound
        let bound = bind(sql, &given).unwrap();
        // THEN `?` became $1..$6 in the order they are written
        let text = bound.statement.to_string();
        let order: Vec<usize> = [
            "$1 AS label",
            "account_id = $2",
            "BETWEEN $3 AND $4",
            "> $5",
            "LIMIT $6",
        ]
        .iter()
        .map(|needle| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {text}"))
        })
        .collect();
        assert!(order.is_sorted(), "{text}");
        assert!(!text.contains('?'));
        // AND each parameter has the type its literal spells
        assert_eq!(
            bound.values,
            vec![
                ScalarValue::Utf8(Some("x".into())),
                ScalarValue::Utf8(Some("123".into())),
                ScalarValue::Utf8(Some("2026-11-01".into())),
                ScalarValue::Utf8(Some("2026-11-07".into())),
                ScalarValue::Float64(Some(0.5)),
                ScalarValue::Int64(Some(100)),
            ]
        );
    }

    #[test]
    fn converts_each_kind_of_literal() {
        assert_eq!(literal("-7"), Some(ScalarValue::Int64(Some(-7))));
        assert_eq!(literal("1e3"), Some(ScalarValue::Float64(Some(1000.0))));
        assert_eq!(
            literal("'it''s'"),
            Some(ScalarValue::Utf8(Some("it's".into())))
        );
        assert_eq!(literal("true"), Some(ScalarValue::Boolean(Some(true))));
        assert_eq!(
            literal("DATE '1970-01-02'"),
            Some(ScalarValue::Date32(Some(1)))
        );
        assert_eq!(literal("99999999999999999999"), None, "beyond BIGINT");
    }

    #[test]
    fn refuses_a_parameter_that_is_not_a_single_literal() {
        // GIVEN parameters that would change the query if pasted into it
        for text in [
            "1 OR 1=1",
            "'a'; DROP TABLE t",
            "(SELECT 1)",
            "clicks",
            "1 + 1",
            "NULL",
            "",
        ] {
            // WHEN bound
            let err = bind("SELECT * FROM t WHERE x = ?", &params(&[text])).unwrap_err();
            // THEN it is refused, naming the parameter
            assert_eq!(
                err,
                BindError::NotALiteral {
                    position: 1,
                    text: text.into()
                },
                "{text}"
            );
        }
    }

    #[test]
    fn a_count_mismatch_is_a_clear_error() {
        let err = bind("SELECT ? + ?", &params(&["1"])).unwrap_err();
        assert_eq!(
            err,
            BindError::CountMismatch {
                placeholders: 2,
                params: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "the query has 2 '?' placeholder(s) but 1 parameter(s) were given"
        );
        let err = bind("SELECT 1", &params(&["1"])).unwrap_err();
        assert!(matches!(
            err,
            BindError::CountMismatch {
                placeholders: 0,
                params: 1
            }
        ));
    }

    #[test]
    fn refuses_other_placeholders_and_several_statements() {
        assert_eq!(
            bind("SELECT $1", &[]).unwrap_err(),
            BindError::UnsupportedPlaceholder("$1".into())
        );
        assert_eq!(
            bind("SELECT 1; SELECT 2", &[]).unwrap_err(),
            BindError::NotOneStatement(2)
        );
    }

    #[test]
    fn a_question_mark_inside_a_string_is_not_a_placeholder() {
        let bound = bind("SELECT 'why?' AS q, ? AS p", &params(&["1"])).unwrap();
        assert!(bound.statement.to_string().contains("'why?' AS q, $1 AS p"));
    }
}
