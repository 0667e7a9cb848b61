//! The header a query file opens with, which declares it:
//!
//! ```sql
//! -- top_performers: creatives with the best CTR over the 7 days ending at end_date.
//! -- @param account_id account_id   The ad account (digits).
//! -- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
//! -- @param min_clicks bigint 0..1000000  Creatives with fewer clicks are left out.
//! SELECT ...
//! ```
//!
//! The first line is `-- <name>: <description>`; `@param` lines follow among the leading
//! comment lines (other comment lines are notes for readers), each `<name> <kind>
//! [min..max] <description>`, kinds `account_id`, `date`, `bigint` and `double`, the bounds
//! inclusive and only for numbers (either side may be left out: `0..`). The parameters are
//! listed in the order of the `?` placeholders they fill, one `?` each.

use crate::params::{Param, ParamKind};

/// A query file's header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Declaration {
    pub name: String,
    pub description: String,
    pub params: Vec<Param>,
}

/// Why a header is not a declaration: the line (from 1) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderError {
    pub line: usize,
    pub message: String,
}

fn error(line: usize, message: impl Into<String>) -> HeaderError {
    HeaderError {
        line,
        message: message.into(),
    }
}

fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Parses the header of `text`, a query file.
pub(crate) fn parse(text: &str) -> Result<Declaration, HeaderError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()));
    let (first, title) = lines
        .find(|(_, line)| !line.is_empty())
        .ok_or_else(|| error(1, "the file is empty"))?;
    let title = title
        .strip_prefix("--")
        .map(str::trim)
        .ok_or_else(|| error(first, "the first line must be `-- <name>: <description>`"))?;
    let (name, description) = title
        .split_once(':')
        .map(|(name, description)| (name.trim(), description.trim()))
        .filter(|(name, description)| is_name(name) && !description.is_empty())
        .ok_or_else(|| {
            error(
                first,
                "the first line must be `-- <name>: <description>`, the name in lowercase \
                 letters, digits and underscores",
            )
        })?;
    let mut params: Vec<Param> = Vec::new();
    for (number, line) in lines {
        let Some(comment) = line.strip_prefix("--") else {
            break;
        };
        let Some(declaration) = comment.trim().strip_prefix("@param") else {
            continue;
        };
        let param = parse_param(declaration, number)?;
        if params.iter().any(|p| p.name == param.name) {
            return Err(error(
                number,
                format!(
                    "parameter {} is declared twice; declare it once and use it through a CTE \
                     where it is needed twice",
                    param.name
                ),
            ));
        }
        params.push(param);
    }
    Ok(Declaration {
        name: name.to_owned(),
        description: description.to_owned(),
        params,
    })
}

/// Splits the first whitespace-separated word off `text`.
fn word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], text[end..].trim_start())
}

/// `<name> <kind> [min..max] <description>`, after `@param`.
fn parse_param(text: &str, line: usize) -> Result<Param, HeaderError> {
    let usage = "a parameter is declared as `-- @param <name> <kind> [min..max] <description>`, \
                 kind account_id, date, bigint or double";
    let (name, rest) = word(text);
    let (kind, rest) = word(rest);
    if !is_name(name) || kind.is_empty() {
        return Err(error(line, usage));
    }
    let (range, description) = match word(rest) {
        (range, description) if range.contains("..") => (Some(range), description),
        _ => (None, rest),
    };
    let kind = match (kind, range) {
        ("account_id", None) => ParamKind::AccountId,
        ("date", None) => ParamKind::Date,
        ("account_id" | "date", Some(_)) => {
            return Err(error(
                line,
                format!("parameter {name}: only bigint and double take bounds"),
            ));
        }
        ("bigint", range) => {
            let (min, max) = bounds(range, kind, name, line)?;
            ParamKind::Bigint { min, max }
        }
        ("double", range) => {
            let (min, max) = bounds(range, kind, name, line)?;
            if let Some(bound) = [min, max]
                .into_iter()
                .flatten()
                .find(|b: &f64| !b.is_finite())
            {
                return Err(error(
                    line,
                    format!("parameter {name}: the bound {bound} is not a finite double"),
                ));
            }
            ParamKind::Double { min, max }
        }
        (other, _) => {
            return Err(error(
                line,
                format!("parameter {name}: unknown kind {other}; {usage}"),
            ));
        }
    };
    if let ParamKind::Bigint {
        min: Some(min),
        max: Some(max),
    } = kind
        && min > max
    {
        return Err(error(line, format!("parameter {name}: {min} > {max}")));
    }
    if let ParamKind::Double {
        min: Some(min),
        max: Some(max),
    } = kind
        && min > max
    {
        return Err(error(line, format!("parameter {name}: {min} > {max}")));
    }
    if description.is_empty() {
        return Err(error(
            line,
            format!("parameter {name} needs a description; {usage}"),
        ));
    }
    Ok(Param {
        name: name.to_owned(),
        kind,
        description: description.to_owned(),
    })
}

/// The bounds of `min..max` (either side may be empty), each parsed as a `kind`.
fn bounds<T: std::str::FromStr>(
    range: Option<&str>,
    kind: &str,
    name: &str,
    line: usize,
) -> Result<(Option<T>, Option<T>), HeaderError> {
    let Some((min, max)) = range.and_then(|r| r.split_once("..")) else {
        return Ok((None, None));
    };
    let side = |text: &str| -> Result<Option<T>, HeaderError> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            error(
                line,
                format!("parameter {name}: the bound {text} is not a {kind}"),
            )
        })
    };
    Ok((side(min)?, side(max)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\
-- top_performers: creatives with the best CTR over the 7 days ending at end_date.
-- @param account_id account_id   The ad account (digits).
-- @param end_date date            Last day of the window (YYYY-MM-DD, inclusive).
-- @param min_clicks bigint 0..1000000  Creatives with fewer clicks are left out.
--
-- A note for readers.
-- @param max_ctr double ..2.5 Below this.
SELECT ?, ?, ?, ?
-- @param not_a_param bigint after the SQL began
";

    #[test]
    fn a_header_declares_the_name_description_and_parameters_in_order() {
        let declaration = parse(HEADER).unwrap();
        assert_eq!(declaration.name, "top_performers");
        assert_eq!(
            declaration.description,
            "creatives with the best CTR over the 7 days ending at end_date."
        );
        let kinds: Vec<_> = declaration
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("account_id", ParamKind::AccountId),
                ("end_date", ParamKind::Date),
                (
                    "min_clicks",
                    ParamKind::Bigint {
                        min: Some(0),
                        max: Some(1_000_000)
                    }
                ),
                (
                    "max_ctr",
                    ParamKind::Double {
                        min: None,
                        max: Some(2.5)
                    }
                ),
            ]
        );
        assert_eq!(
            declaration.params[0].description,
            "The ad account (digits)."
        );
        assert_eq!(
            declaration.params[2].description,
            "Creatives with fewer clicks are left out."
        );
    }

    #[test]
    fn malformed_headers_are_refused_with_their_line() {
        let cases = [
            ("SELECT 1", 1, "first line"),
            ("-- Top Performers: x\nSELECT 1", 1, "lowercase"),
            ("-- q:\nSELECT 1", 1, "first line"),
            (
                "-- q: d\n-- @param a text The a.\nSELECT ?",
                2,
                "unknown kind text",
            ),
            (
                "-- q: d\n-- @param a bigint\nSELECT ?",
                2,
                "needs a description",
            ),
            (
                "-- q: d\n-- @param a date 1..2 The a.\nSELECT ?",
                2,
                "only bigint",
            ),
            (
                "-- q: d\n-- @param a bigint x..2 The a.\nSELECT ?",
                2,
                "not a bigint",
            ),
            (
                "-- q: d\n-- @param a bigint 5..2 The a.\nSELECT ?",
                2,
                "5 > 2",
            ),
            (
                "-- q: d\n-- @param a date The a.\n-- @param a date Again.\nSELECT ?",
                3,
                "declared twice",
            ),
        ];
        for (text, line, message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text}: {err:?}");
            assert!(err.message.contains(message), "{text}: {err:?}");
        }
    }
}
