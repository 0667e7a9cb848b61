//! The simulator's own reader of Rest.li 2.0 query syntax — deliberately independent of the
//! client crate's encoder, so a mistake there cannot hide behind the same mistake here.
//!
//! Rest.li 2.0 ("Protocol Version 2.0.0", linkedin.github.io/rest.li/spec/protocol) writes
//! structured values in the URL: objects `(key:value,key2:value2)`, arrays `List(a,b)`, and
//! leaves percent-encoded, while the structural characters `( ) : ,` stay raw. So the reader
//! splits on the raw structure first and percent-decodes each leaf and key afterwards:
//! `List(urn%3Ali%3AsponsoredCampaign%3A1)` is one leaf `urn:li:sponsoredCampaign:1`. An
//! empty string is written `''`.

use percent_encoding::percent_decode_str;
use thiserror::Error;

/// A parsed Rest.li value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A leaf, percent-decoded.
    Str(String),
    /// `List(...)`.
    List(Vec<Value>),
    /// `(key:value,...)`, keys percent-decoded, in written order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The leaf string, if this is a leaf.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every leaf in the value, depth first (object keys excluded).
    pub fn leaves(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Value::Str(s) => out.push(s),
            Value::List(items) => items.iter().for_each(|v| v.collect_leaves(out)),
            Value::Object(fields) => fields.iter().for_each(|(_, v)| v.collect_leaves(out)),
        }
    }
}

/// Why a value could not be read; `position` is a byte offset into the raw text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} at position {position}")]
pub struct RestliError {
    /// What was wrong.
    pub message: String,
    /// Byte offset in the raw (still percent-encoded) text.
    pub position: usize,
}

fn error(message: impl Into<String>, position: usize) -> RestliError {
    RestliError {
        message: message.into(),
        position,
    }
}

/// Percent-decodes one leaf or key (UTF-8).
pub fn decode(raw: &str) -> Result<String, RestliError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| error("percent-encoded text is not UTF-8", 0))
}

/// Parses one raw (still percent-encoded) query-parameter value.
///
/// At the top level a plain value may contain anything but `(`/`)` (so `fields=a,b` reads as
/// the single leaf `a,b`; the caller splits projections itself).
pub fn parse(raw: &str) -> Result<Value, RestliError> {
    let mut parser = Parser {
        text: raw.as_bytes(),
        pos: 0,
        raw,
    };
    let value = if raw.starts_with("List(") || raw.starts_with('(') {
        parser.value()?
    } else {
        if let Some(i) = raw.find(['(', ')']) {
            return Err(error("unexpected parenthesis in a plain value", i));
        }
        Value::Str(unquote(raw)?)
    };
    if parser.pos < raw.len() && (raw.starts_with("List(") || raw.starts_with('(')) {
        return Err(error("unexpected text after the value", parser.pos));
    }
    Ok(value)
}

fn unquote(raw: &str) -> Result<String, RestliError> {
    if raw == "''" {
        Ok(String::new())
    } else {
        decode(raw)
    }
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    raw: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), RestliError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(error(format!("expected '{}'", byte as char), self.pos))
        }
    }

    fn value(&mut self) -> Result<Value, RestliError> {
        if self.raw[self.pos..].starts_with("List(") {
            self.pos += "List(".len();
            let mut items = Vec::new();
            if self.peek() == Some(b')') {
                self.pos += 1;
                return Ok(Value::List(items));
            }
            loop {
                items.push(self.value()?);
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        return Ok(Value::List(items));
                    }
                    _ => return Err(error("expected ',' or ')' in List(...)", self.pos)),
                }
            }
        }
        if self.peek() == Some(b'(') {
            self.pos += 1;
            let mut fields = Vec::new();
            if self.peek() == Some(b')') {
                self.pos += 1;
                return Ok(Value::Object(fields));
            }
            loop {
                let key = self.leaf()?;
                if key.is_empty() {
                    return Err(error("expected a key", self.pos));
                }
                self.expect(b':')?;
                let value = self.value()?;
                fields.push((key, value));
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        return Ok(Value::Object(fields));
                    }
                    _ => return Err(error("expected ',' or ')' in an object", self.pos)),
                }
            }
        }
        let start = self.pos;
        let leaf = self.leaf()?;
        if leaf.is_empty() && !self.raw[start..self.pos].starts_with("''") {
            return Err(error("expected a value", self.pos));
        }
        Ok(Value::Str(leaf))
    }

    fn leaf(&mut self) -> Result<String, RestliError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'(' | b')' | b':') {
                break;
            }
            self.pos += 1;
        }
        unquote(&self.raw[start..self.pos]).map_err(|e| error(e.message, start))
    }
}

/// Splits a raw query string into (decoded name, raw value) pairs, keeping order.
/// Values stay percent-encoded for [`parse`]; a name without `=` gets an empty value.
pub fn split_query(raw_query: &str) -> Result<Vec<(String, String)>, RestliError> {
    raw_query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            Ok((decode(name)?, value.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
    }

    #[test]
    fn reads_nested_tuples_such_as_an_analytics_date_range() {
        // GIVEN LinkedIn's dateRange syntax
        let raw = "(start:(year:2026,month:4,day:1),end:(year:2026,month:4,day:30))";
        // WHEN parsed
        let v = parse(raw).unwrap();
        // THEN the structure is there, in order
        let start = v.get("start").unwrap();
        assert_eq!(start.get("year"), Some(&s("2026")));
        assert_eq!(start.get("month"), Some(&s("4")));
        assert_eq!(v.get("end").unwrap().get("day"), Some(&s("30")));
    }

    #[test]
    fn decodes_percent_encoded_urns_inside_lists_after_splitting_on_raw_structure() {
        // GIVEN two encoded URNs in a List
        let raw = "List(urn%3Ali%3AsponsoredCampaign%3A1,urn%3Ali%3AsponsoredCampaign%3A22)";
        // WHEN parsed
        let v = parse(raw).unwrap();
        // THEN each leaf is one decoded URN (the encoded colons did not split anything)
        assert_eq!(
            v,
            Value::List(vec![
                s("urn:li:sponsoredCampaign:1"),
                s("urn:li:sponsoredCampaign:22")
            ])
        );
    }

    #[test]
    fn reads_search_criteria_with_lists_in_objects_and_encoded_keys() {
        // GIVEN a campaign search and a targeting facet keyed by an encoded URN
        let search = parse("(status:(values:List(ACTIVE,PAUSED)))").unwrap();
        let target = parse(
            "(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))))))",
        )
        .unwrap();
        // THEN values and keys are decoded
        let statuses = search
            .get("status")
            .unwrap()
            .get("values")
            .unwrap()
            .as_list()
            .unwrap();
        assert_eq!(statuses, &[s("ACTIVE"), s("PAUSED")]);
        let or = &target
            .get("include")
            .unwrap()
            .get("and")
            .unwrap()
            .as_list()
            .unwrap()[0];
        let facet = or
            .get("or")
            .unwrap()
            .get("urn:li:adTargetingFacet:locations")
            .unwrap();
        assert_eq!(facet.leaves(), vec!["urn:li:geo:103644278"]);
    }

    #[test]
    fn reads_empty_lists_empty_strings_and_plain_top_level_values() {
        assert_eq!(parse("List()").unwrap(), Value::List(vec![]));
        assert_eq!(parse("(a:'')").unwrap().get("a"), Some(&s("")));
        assert_eq!(parse("CREATIVE").unwrap(), s("CREATIVE"));
        assert_eq!(
            parse("impressions,clicks").unwrap(),
            s("impressions,clicks")
        );
        assert_eq!(parse("urn%3Ali%3Ashare%3A9").unwrap(), s("urn:li:share:9"));
    }

    #[test]
    fn rejects_malformed_structures_with_a_position() {
        // GIVEN unbalanced or truncated values
        for raw in [
            "(start:(year:2026)",
            "List(a,b",
            "(a)",
            "(a:1)x",
            "List(a,)",
            "CREATIVE)",
        ] {
            // THEN each is an error, not a panic
            assert!(parse(raw).is_err(), "{raw} should not parse");
        }
        // AND fully encoded structure is not structure: it is one odd leaf inside a list
        assert_eq!(parse("List(%28a%29)").unwrap(), Value::List(vec![s("(a)")]));
    }

    #[test]
    fn splits_a_query_keeping_values_encoded() {
        let q = split_query("q=analytics&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1)&flag")
            .unwrap();
        assert_eq!(q[0], ("q".to_string(), "analytics".to_string()));
        assert_eq!(q[1].1, "List(urn%3Ali%3AsponsoredCampaign%3A1)");
        assert_eq!(q[2], ("flag".to_string(), String::new()));
    }
}
