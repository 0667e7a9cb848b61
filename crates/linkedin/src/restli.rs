//! Rest.li 2.0 encoding: how values travel in LinkedIn query strings and paths.
//!
//! Every query parameter and every URN in a path is encoded here and nowhere else. The rules
//! (LinkedIn, "Protocol Version 2.0", learn.microsoft.com/linkedin/shared/api-guide/concepts/protocol-version):
//! - a record is `(key:value,key:value)`, a list is `List(a,b)`;
//! - the structural characters `( ) : ,` of those forms stay raw;
//! - every string — a URN, a key, a page token — is percent-encoded, keeping only
//!   `A-Z a-z 0-9 - _ . ~`, so `urn:li:sponsoredCampaign:123` becomes
//!   `urn%3Ali%3AsponsoredCampaign%3A123` and a `(` inside a string cannot be read as structure.
//!
//! It also decides when a query string is too long for a URL: LinkedIn answers 414 above
//! about 4 KB, and its official client tunnels any query longer than 4,000 characters.

use chrono::{Datelike, NaiveDate};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters percent-encoded in a Rest.li string: everything but RFC 3986's unreserved set.
const RESTLI_STRING: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Longest query string sent in a URL; a longer one is tunneled in a POST body. The official
/// client (linkedin-api-python-client, `MAX_QUERY_STRING_LENGTH`) uses the same 4,000.
pub const MAX_QUERY_STRING_LENGTH: usize = 4_000;

/// Whether a query string must travel by query tunneling rather than in the URL.
pub fn needs_tunneling(query_string: &str) -> bool {
    query_string.len() > MAX_QUERY_STRING_LENGTH
}

/// A value as Rest.li 2.0 writes it in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string; percent-encoded when written.
    String(String),
    /// A number or boolean, written as it is (`2026`, `true`).
    Literal(String),
    /// `List(a,b,c)`.
    List(Vec<Value>),
    /// `(key:value,...)`, keys in the order given.
    Record(Vec<(String, Value)>),
}

impl Value {
    /// A string value.
    pub fn string(text: impl Into<String>) -> Value {
        Value::String(text.into())
    }

    /// A list of strings, e.g. URNs: `List(urn%3Ali%3A...,...)`.
    pub fn string_list<I, S>(items: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    /// A calendar day as LinkedIn's `Date` record: `(year:2026,month:4,day:1)`.
    pub fn date(day: NaiveDate) -> Value {
        Value::Record(vec![
            ("year".into(), Value::Literal(day.year().to_string())),
            ("month".into(), Value::Literal(day.month().to_string())),
            ("day".into(), Value::Literal(day.day().to_string())),
        ])
    }

    /// An inclusive day range as LinkedIn's `DateRange`: `(start:(...),end:(...))`.
    pub fn date_range(start: NaiveDate, end: NaiveDate) -> Value {
        Value::Record(vec![
            ("start".into(), Value::date(start)),
            ("end".into(), Value::date(end)),
        ])
    }

    /// Writes the value in Rest.li 2.0 URL form.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::String(text) if text.is_empty() => out.push_str("''"),
            Value::String(text) => out.extend(utf8_percent_encode(text, RESTLI_STRING)),
            Value::Literal(text) => out.push_str(text),
            Value::List(items) => {
                out.push_str("List(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(')');
            }
            Value::Record(fields) => {
                out.push('(');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.extend(utf8_percent_encode(key, RESTLI_STRING));
                    out.push(':');
                    value.write(out);
                }
                out.push(')');
            }
        }
    }
}

impl From<&serde_json::Value> for Value {
    /// Converts a JSON document (e.g. a campaign's `targetingCriteria`) to its Rest.li form:
    /// objects become records, arrays lists; `null` members are left out, as Rest.li has no null.
    /// A record's fields are sorted by name: Rest.li records are unordered, and sorting keeps
    /// the encoding the same whether or not serde_json preserves document order (a feature
    /// any crate in the build may turn on).
    fn from(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::String(String::new()),
            serde_json::Value::Bool(b) => Value::Literal(b.to_string()),
            serde_json::Value::Number(n) => Value::Literal(n.to_string()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(items.iter().map(Value::from).collect()),
            serde_json::Value::Object(members) => {
                let mut fields: Vec<(String, Value)> = members
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), Value::from(v)))
                    .collect();
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Record(fields)
            }
        }
    }
}

/// Percent-encodes one string (a URN, a token) as Rest.li does, e.g. for a path segment.
pub fn encode_string(text: &str) -> String {
    Value::String(text.to_owned()).encode()
}

/// A query string under construction, parameters in the order added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryString {
    params: Vec<(String, String)>,
}

impl QueryString {
    /// An empty query string.
    pub fn new() -> QueryString {
        QueryString::default()
    }

    /// Adds `name=<value encoded>`.
    pub fn param(mut self, name: &str, value: &Value) -> QueryString {
        self.params.push((name.to_owned(), value.encode()));
        self
    }

    /// Adds `name=<text percent-encoded>`, for plain strings such as `q=analytics` or a
    /// page token.
    pub fn text(self, name: &str, text: &str) -> QueryString {
        self.param(name, &Value::string(text))
    }

    /// Adds a projection, `fields=a,b,c`; field names are Rest.li identifiers and stay raw.
    pub fn fields<I, S>(mut self, names: I) -> QueryString
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = names
            .into_iter()
            .map(|n| n.as_ref().to_owned())
            .collect::<Vec<_>>()
            .join(",");
        self.params.push(("fields".to_owned(), joined));
        self
    }

    /// The value already added under `name`, in encoded form.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query string, without the leading `?`.
    pub fn finish(&self) -> String {
        self.params
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn writes_a_date_range_as_nested_tuples() {
        // GIVEN April 2026
        // WHEN it is written as a DateRange
        let encoded = Value::date_range(day(2026, 4, 1), day(2026, 4, 30)).encode();
        // THEN it is LinkedIn's tuple form, start before end, structure raw
        assert_eq!(
            encoded,
            "(start:(year:2026,month:4,day:1),end:(year:2026,month:4,day:30))"
        );
    }

    #[test]
    fn percent_encodes_urns_inside_lists_and_keeps_structure_raw() {
        let encoded = Value::string_list([
            "urn:li:sponsoredCampaign:123",
            "urn:li:sponsoredCampaign:456",
        ])
        .encode();
        assert_eq!(
            encoded,
            "List(urn%3Ali%3AsponsoredCampaign%3A123,urn%3Ali%3AsponsoredCampaign%3A456)"
        );
    }

    #[test]
    fn escapes_structural_characters_inside_strings() {
        // GIVEN a string that contains Rest.li's own structure characters
        let tricky = "a(b):c,d e&f=g'h/ü";
        // WHEN encoded
        // THEN none of them survives raw, so it cannot be read as structure
        assert_eq!(
            encode_string(tricky),
            "a%28b%29%3Ac%2Cd%20e%26f%3Dg%27h%2F%C3%BC"
        );
        assert_eq!(encode_string("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(Value::string("").encode(), "''");
        assert_eq!(Value::List(vec![]).encode(), "List()");
    }

    #[test]
    fn encodes_a_targeting_object_with_urn_keys_and_values() {
        // GIVEN a campaign's targetingCriteria as LinkedIn returns it
        let targeting = serde_json::json!({
            "include": {"and": [
                {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
                {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}}
            ]},
            "exclude": {"or": {"urn:li:adTargetingFacet:staffCountRanges":
                ["urn:li:staffCountRange:(10001,2147483647)"]}}
        });
        // WHEN encoded for a query
        let encoded = Value::from(&targeting).encode();
        // THEN objects are records, arrays lists, and every URN (key or value) is escaped
        assert_eq!(
            encoded,
            "(exclude:(or:(urn%3Ali%3AadTargetingFacet%3AstaffCountRanges:\
             List(urn%3Ali%3AstaffCountRange%3A%2810001%2C2147483647%29))),\
             include:(and:List(\
             (or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))),\
             (or:(urn%3Ali%3AadTargetingFacet%3AinterfaceLocales:List(urn%3Ali%3Alocale%3Aen_US))))))"
        );
    }

    #[test]
    fn leaves_out_null_members_and_writes_numbers_and_booleans_raw() {
        let json = serde_json::json!({"a": null, "b": 1.5, "c": true});
        assert_eq!(Value::from(&json).encode(), "(b:1.5,c:true)");
    }

    #[test]
    fn builds_a_query_string_in_order_with_a_raw_projection() {
        let query = QueryString::new()
            .text("q", "analytics")
            .text("pageToken", "a+b=")
            .fields(["impressions", "dateRange"])
            .finish();
        assert_eq!(
            query,
            "q=analytics&pageToken=a%2Bb%3D&fields=impressions,dateRange"
        );
    }

    #[test]
    fn tunnels_only_above_four_thousand_characters() {
        // GIVEN query strings at and just over the official client's threshold
        let at_limit = "x".repeat(MAX_QUERY_STRING_LENGTH);
        let over = "x".repeat(MAX_QUERY_STRING_LENGTH + 1);
        // THEN only the longer one is tunneled
        assert!(!needs_tunneling(&at_limit));
        assert!(needs_tunneling(&over));
    }
}
