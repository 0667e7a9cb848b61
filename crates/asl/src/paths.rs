//! Paths: reading values with JSONPath (`InputPath`, `OutputPath`, `ItemsPath`, `.$`
//! fields, Choice variables) and writing a result into the input with `ResultPath`.
//!
//! Step Functions paths "follow JsonPath syntax" (the Jayway implementation); evaluation here
//! is [`serde_json_path`] (RFC 9535) after rewriting the Jayway-only spellings ASL files use —
//! dot-notation names such as `$.delivery-partner`, and `$.abc.['def ghi']`. As in Jayway, a
//! definite path (names and indexes only) yields one value and fails when nothing matches,
//! while an indefinite one (wildcards, slices, filters, unions, `..`) yields an array.
//! `$$.` selects from the context object instead of the input.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// A compiled JSONPath for reading.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    text: String,
    context: bool,
    query: JsonPath,
    definite: bool,
}

/// A path that selected nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotFound;

impl Path {
    /// Compiles a path; `$$`-rooted paths read the context object.
    pub fn parse(text: &str) -> Result<Path, String> {
        let (context, rest) = match text.strip_prefix("$$") {
            Some(rest) => (true, rest),
            None => match text.strip_prefix('$') {
                Some(rest) => (false, rest),
                None => return Err(format!("'{text}' is not a path: paths start with '$'")),
            },
        };
        let rewritten = rewrite(rest);
        let query = JsonPath::parse(&format!("${}", rewritten.text))
            .map_err(|error| format!("'{text}' is not a valid JSONPath: {error}"))?;
        Ok(Path {
            text: text.to_string(),
            context,
            query,
            definite: rewritten.definite,
        })
    }

    /// The path as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Selects from `input` (or from `context` for a `$$` path).
    pub fn select(&self, input: &Value, context: &Value) -> Result<Value, NotFound> {
        let root = if self.context { context } else { input };
        let nodes = self.query.query(root);
        if self.definite {
            nodes.exactly_one().cloned().map_err(|_| NotFound)
        } else {
            Ok(Value::Array(nodes.all().into_iter().cloned().collect()))
        }
    }
}

/// Where a path read its input from, for messages.
pub(crate) fn describe(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A path field that may be absent, `null`, or a path — three different meanings in ASL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum NullablePath {
    #[default]
    Absent,
    Null,
    Path(String),
}

impl<'de> serde::Deserialize<'de> for NullablePath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only called when the field is present; absence is the Default.
        Ok(match Option::<String>::deserialize(deserializer)? {
            None => NullablePath::Null,
            Some(path) => NullablePath::Path(path),
        })
    }
}

/// `InputPath` or `OutputPath`: absent keeps everything, `null` gives `{}`.
#[derive(Debug, Clone)]
pub(crate) enum Selector {
    /// The field is absent (same as `$`).
    Whole,
    /// `null`: "InputPath null → {}" (and likewise OutputPath).
    Empty,
    /// A path.
    Path(Path),
}

impl Selector {
    /// Compiles an `InputPath`/`OutputPath` field.
    pub fn from_field(field: &NullablePath) -> Result<Selector, String> {
        Ok(match field {
            NullablePath::Absent => Selector::Whole,
            NullablePath::Null => Selector::Empty,
            NullablePath::Path(text) if text == "$" => Selector::Whole,
            NullablePath::Path(text) => Selector::Path(Path::parse(text)?),
        })
    }

    /// Applies the selector; a path that matches nothing is `Err` with the AWS-style cause.
    pub fn apply(&self, input: Value, context: &Value) -> Result<Value, String> {
        match self {
            Selector::Whole => Ok(input),
            Selector::Empty => Ok(Value::Object(Map::new())),
            Selector::Path(path) => path.select(&input, context).map_err(|NotFound| {
                format!(
                    "Invalid path '{}' : No results for path: {} in input {}",
                    path.text(),
                    path.text(),
                    describe(&input)
                )
            }),
        }
    }
}

/// `ResultPath`: where a state's result goes in its input.
#[derive(Debug, Clone)]
pub(crate) enum ResultPath {
    /// Absent or `$`: the result replaces the input.
    Replace,
    /// `null`: the result is discarded and the input passes through.
    Discard,
    /// A reference path below `$`.
    At(ReferencePath),
}

impl ResultPath {
    /// Compiles a `ResultPath` field, which must be a reference path.
    pub fn from_field(field: &NullablePath) -> Result<ResultPath, String> {
        Ok(match field {
            NullablePath::Absent => ResultPath::Replace,
            NullablePath::Null => ResultPath::Discard,
            NullablePath::Path(text) if text == "$" => ResultPath::Replace,
            NullablePath::Path(text) => ResultPath::At(ReferencePath::parse(text)?),
        })
    }

    /// Combines the state input and its result.
    pub fn apply(&self, input: Value, result: Value) -> Result<Value, String> {
        match self {
            ResultPath::Replace => Ok(result),
            ResultPath::Discard => Ok(input),
            ResultPath::At(path) => path.set(input, result),
        }
    }
}

/// One step of a reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Field(String),
    Index(usize),
}

/// A reference path: "a path whose syntax is limited in such a way that it can identify only
/// a single node" — names and indexes only.
#[derive(Debug, Clone)]
pub(crate) struct ReferencePath {
    text: String,
    segments: Vec<Segment>,
}

impl ReferencePath {
    /// Parses `$`, `.name`, `['name']`, `["name"]` and `[n]` steps.
    pub fn parse(text: &str) -> Result<ReferencePath, String> {
        let fail = |why: &str| {
            Err(format!(
                "'{text}' is not a reference path ({why}); use only .name, ['name'] and [index] steps"
            ))
        };
        let Some(rest) = text.strip_prefix('$') else {
            return fail("it must start with '$'");
        };
        if rest.starts_with('$') {
            return fail("it cannot write to the context object");
        }
        let chars: Vec<char> = rest.chars().collect();
        let mut segments = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    i += 1;
                    if chars.get(i) == Some(&'[') {
                        continue; // Jayway's `$.abc.['def']`
                    }
                    let start = i;
                    while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                        i += 1;
                    }
                    let name: String = chars[start..i].iter().collect();
                    if name.is_empty() || name == "*" || name.contains(['(', '?', '@']) {
                        return fail(
                            "wildcards, filters and empty names select more than one node",
                        );
                    }
                    segments.push(Segment::Field(name));
                }
                '[' => {
                    i += 1;
                    match chars.get(i) {
                        Some(&quote @ ('\'' | '"')) => {
                            i += 1;
                            let mut name = String::new();
                            loop {
                                match chars.get(i) {
                                    None => return fail("an unterminated quoted name"),
                                    Some('\\') => {
                                        if let Some(&next) = chars.get(i + 1) {
                                            name.push(next);
                                        }
                                        i += 2;
                                    }
                                    Some(&c) if c == quote => {
                                        i += 1;
                                        break;
                                    }
                                    Some(&c) => {
                                        name.push(c);
                                        i += 1;
                                    }
                                }
                            }
                            if chars.get(i) != Some(&']') {
                                return fail("a quoted name must be followed by ']'");
                            }
                            i += 1;
                            segments.push(Segment::Field(name));
                        }
                        _ => {
                            let start = i;
                            while i < chars.len() && chars[i].is_ascii_digit() {
                                i += 1;
                            }
                            if start == i || chars.get(i) != Some(&']') {
                                return fail("brackets must hold a quoted name or an index");
                            }
                            let digits: String = chars[start..i].iter().collect();
                            let index = digits
                                .parse()
                                .map_err(|_| format!("'{text}': index {digits} is too large"))?;
                            i += 1;
                            segments.push(Segment::Index(index));
                        }
                    }
                }
                _ => return fail("unexpected characters"),
            }
        }
        Ok(ReferencePath {
            text: text.to_string(),
            segments,
        })
    }

    /// Writes `value` at this path in `input`, creating missing objects on the way.
    pub fn set(&self, input: Value, value: Value) -> Result<Value, String> {
        let mut root = input;
        if set_in(&mut root, &self.segments, value) {
            Ok(root)
        } else {
            Err(format!(
                "Unable to apply ResultPath '{}' to input {}",
                self.text,
                describe(&root)
            ))
        }
    }
}

/// Writes `value` below `node`; false when a step meets a scalar or an index out of range.
fn set_in(node: &mut Value, segments: &[Segment], value: Value) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        *node = value;
        return true;
    };
    match (first, node) {
        (Segment::Field(name), Value::Object(object)) => {
            let child = object.entry(name.clone()).or_insert_with(|| {
                if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                }
            });
            set_in(child, rest, value)
        }
        (Segment::Index(index), Value::Array(array)) => match array.get_mut(*index) {
            Some(child) => set_in(child, rest, value),
            None => false,
        },
        _ => false,
    }
}

/// The RFC 9535 spelling of a Jayway path (without its leading `$`), and whether it is
/// definite.
struct Rewritten {
    text: String,
    definite: bool,
}

fn rewrite(path: &str) -> Rewritten {
    let chars: Vec<char> = path.chars().collect();
    let mut text = String::with_capacity(path.len() + 8);
    let mut definite = true;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '[' => {
                let start = i;
                let mut depth = 0usize;
                let mut quote: Option<char> = None;
                while i < chars.len() {
                    let c = chars[i];
                    if let Some(q) = quote {
                        if c == '\\' {
                            i += 1;
                        } else if c == q {
                            quote = None;
                        }
                    } else {
                        match c {
                            '\'' | '"' => quote = Some(c),
                            '[' => depth += 1,
                            ']' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    i += 1;
                                    break;
                                }
                            }
                            '*' | ':' | ',' | '?' if depth == 1 => definite = false,
                            _ => {}
                        }
                    }
                    i += 1;
                }
                text.extend(&chars[start..i.min(chars.len())]);
            }
            '.' => {
                let descendant = chars.get(i + 1) == Some(&'.');
                if descendant {
                    definite = false;
                }
                let mut j = if descendant { i + 2 } else { i + 1 };
                if chars.get(j) == Some(&'[') {
                    if descendant {
                        text.push_str("..");
                    }
                    i = j;
                    continue;
                }
                let start = j;
                while j < chars.len() && chars[j] != '.' && chars[j] != '[' {
                    j += 1;
                }
                let name: String = chars[start..j].iter().collect();
                let dots = if descendant { ".." } else { "." };
                if name == "*" {
                    definite = false;
                    text.push_str(dots);
                    text.push('*');
                } else if is_shorthand(&name) {
                    text.push_str(dots);
                    text.push_str(&name);
                } else {
                    if descendant {
                        text.push_str("..");
                    }
                    text.push_str("['");
                    for c in name.chars() {
                        if c == '\'' || c == '\\' {
                            text.push('\\');
                        }
                        text.push(c);
                    }
                    text.push_str("']");
                }
                i = j;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Rewritten { text, definite }
}

/// RFC 9535 `member-name-shorthand`: a letter, `_` or non-ASCII first, then digits too.
fn is_shorthand(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_ascii_alphabetic() || first == '_' || !first.is_ascii() => {
            chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn select(path: &str, input: &Value) -> Result<Value, NotFound> {
        Path::parse(path)
            .expect("valid path")
            .select(input, &json!({}))
    }

    #[test]
    fn input_path_selects_a_node() {
        // GIVEN the InputPath example of "Manipulate parameters in Step Functions workflows"
        // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html)
        let input = json!({
            "comment": "Example for InputPath.",
            "dataset1": {"val1": 1, "val2": 2, "val3": 3},
            "dataset2": {"val1": "a", "val2": "b", "val3": "c"}
        });
        // WHEN "InputPath": "$.dataset2" is applied
        // THEN the documented input is passed on
        assert_eq!(
            select("$.dataset2", &input),
            Ok(json!({"val1": "a", "val2": "b", "val3": "c"}))
        );
    }

    #[test]
    fn a_slice_yields_a_selection_of_values() {
        // GIVEN the note on the same page: { "a": [1, 2, 3, 4] } with $.a[0:2]
        // THEN [ 1, 2 ]
        assert_eq!(
            select("$.a[0:2]", &json!({"a": [1, 2, 3, 4]})),
            Ok(json!([1, 2]))
        );
    }

    #[test]
    fn reference_path_examples_return_the_documented_values() {
        // GIVEN the "Reference Paths" example of "Using JSONPath paths"
        // (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html)
        let input = json!({
            "foo": 123,
            "bar": ["a", "b", "c"],
            "car": {"cdr": true},
            "jar": [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]
        });
        assert_eq!(select("$.foo", &input), Ok(json!(123)));
        assert_eq!(select("$.bar", &input), Ok(json!(["a", "b", "c"])));
        assert_eq!(select("$.car.cdr", &input), Ok(json!(true)));
        assert_eq!(
            select("$.jar[?(@.a >= 5)]", &input),
            Ok(json!([{"a": 5}, {"a": 7}]))
        );
    }

    #[test]
    fn a_definite_path_that_matches_nothing_is_not_found() {
        assert_eq!(select("$.missing", &json!({"foo": 1})), Err(NotFound));
        assert_eq!(select("$.foo.bar", &json!({"foo": 1})), Err(NotFound));
    }

    #[test]
    fn an_indefinite_path_that_matches_nothing_is_an_empty_array() {
        assert_eq!(select("$.items[*]", &json!({"items": []})), Ok(json!([])));
        assert_eq!(
            select("$.items[*].id", &json!({"items": [{"id": 1}]})),
            Ok(json!([1]))
        );
    }

    #[test]
    fn jayway_names_with_hyphens_and_dotted_brackets_are_read() {
        // GIVEN the Map page's "courier.$": "$.delivery-partner" and the intrinsic page's
        // "$.abc.['def ghi']"
        let input = json!({"delivery-partner": "UQS", "abc": {"def ghi": 1}, "1st": true});
        assert_eq!(select("$.delivery-partner", &input), Ok(json!("UQS")));
        assert_eq!(select("$.abc.['def ghi']", &input), Ok(json!(1)));
        assert_eq!(select("$.1st", &input), Ok(json!(true)));
        assert_eq!(select("$['delivery-partner']", &input), Ok(json!("UQS")));
    }

    #[test]
    fn context_paths_read_the_context_object() {
        let path = Path::parse("$$.Execution.Name").expect("valid");
        let context = json!({"Execution": {"Name": "run-1"}});
        assert_eq!(path.select(&json!({}), &context), Ok(json!("run-1")));
        let whole = Path::parse("$$").expect("valid");
        assert_eq!(whole.select(&json!(1), &context), Ok(context.clone()));
    }

    #[test]
    fn selectors_treat_null_as_an_empty_object() {
        // GIVEN InputPath/OutputPath null
        // THEN the state sees {} (developer guide, "InputPath null → {}")
        assert_eq!(
            Selector::Empty.apply(json!({"a": 1}), &json!({})),
            Ok(json!({}))
        );
        assert_eq!(
            Selector::Whole.apply(json!({"a": 1}), &json!({})),
            Ok(json!({"a": 1}))
        );
    }

    fn result_path(text: &str) -> ResultPath {
        ResultPath::At(ReferencePath::parse(text).expect("reference path"))
    }

    // The ResultPath examples of "Specifying state output using ResultPath"
    // (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
    fn tutorial_input() -> Value {
        json!({
            "comment": "This is a test of the input and output of a Task state.",
            "details": "Default example",
            "who": "AWS Step Functions"
        })
    }

    #[test]
    fn result_path_dollar_replaces_the_input_with_the_result() {
        let output =
            ResultPath::Replace.apply(tutorial_input(), json!("Hello, AWS Step Functions!"));
        assert_eq!(output, Ok(json!("Hello, AWS Step Functions!")));
    }

    #[test]
    fn result_path_null_discards_the_result_and_keeps_the_input() {
        let output =
            ResultPath::Discard.apply(tutorial_input(), json!("Hello, AWS Step Functions!"));
        assert_eq!(output, Ok(tutorial_input()));
    }

    #[test]
    fn result_path_adds_the_result_to_the_input() {
        let output = result_path("$.taskresult")
            .apply(tutorial_input(), json!("Hello, AWS Step Functions!"));
        let mut expected = tutorial_input();
        expected["taskresult"] = json!("Hello, AWS Step Functions!");
        assert_eq!(output, Ok(expected));
    }

    #[test]
    fn result_path_inserts_the_result_as_a_child_node() {
        let input = json!({
            "comment": "An input comment.",
            "strings": {"string1": "foo", "string2": "bar", "string3": "baz"},
            "who": "AWS Step Functions"
        });
        let output =
            result_path("$.strings.lambdaresult").apply(input, json!("Hello, AWS Step Functions!"));
        assert_eq!(
            output,
            Ok(json!({
                "comment": "An input comment.",
                "strings": {
                    "string1": "foo",
                    "string2": "bar",
                    "string3": "baz",
                    "lambdaresult": "Hello, AWS Step Functions!"
                },
                "who": "AWS Step Functions"
            }))
        );
    }

    #[test]
    fn result_path_updates_an_existing_node() {
        let output =
            result_path("$.comment").apply(tutorial_input(), json!("Hello, AWS Step Functions!"));
        assert_eq!(
            output,
            Ok(json!({
                "comment": "Hello, AWS Step Functions!",
                "details": "Default example",
                "who": "AWS Step Functions"
            }))
        );
    }

    #[test]
    fn result_path_creates_missing_objects_and_writes_array_elements() {
        let output =
            result_path("$.a.b['c d'][1]").apply(json!({"a": {"b": {"c d": [0, 0]}}}), json!(9));
        assert_eq!(output, Ok(json!({"a": {"b": {"c d": [0, 9]}}})));
        let created = result_path("$.x.y").apply(json!({}), json!(1));
        assert_eq!(created, Ok(json!({"x": {"y": 1}})));
    }

    #[test]
    fn result_path_into_a_scalar_cannot_be_applied() {
        assert!(result_path("$.x").apply(json!("text"), json!(1)).is_err());
        assert!(
            result_path("$.a.b")
                .apply(json!({"a": 3}), json!(1))
                .is_err()
        );
        assert!(
            result_path("$.list[5]")
                .apply(json!({"list": []}), json!(1))
                .is_err()
        );
    }

    #[test]
    fn reference_paths_refuse_wildcards_and_filters() {
        assert!(ReferencePath::parse("$.a[*]").is_err());
        assert!(ReferencePath::parse("$..a").is_err());
        assert!(ReferencePath::parse("$.a[?(@.b)]").is_err());
        assert!(ReferencePath::parse("$$.Execution").is_err());
        assert!(ReferencePath::parse("$.error-info").is_ok());
    }
}
