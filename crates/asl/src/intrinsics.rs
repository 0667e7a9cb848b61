//! Intrinsic functions (`States.Format(...)` and friends) in payload templates and in a Fail
//! state's `ErrorPath`/`CausePath`: parsed when the definition is read, evaluated per state.
//!
//! Source: "Intrinsic functions for JSONPath states in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>), including
//! its "Reserved characters" section: inside a string literal `\'`, `\{`, `\}` and `\\`
//! stand for `'`, `{`, `}` and `\`, and any other backslash is an error.

use base64::Engine as _;
use md5::Md5;
use rand::{RngExt as _, SeedableRng as _};
use serde_json::{Map, Number, Value};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use crate::paths::Path;

/// "You can nest up to 10 intrinsic functions within a field."
const MAX_NESTING: usize = 10;
/// The Base64 and Hash functions take "a data string of up to 10,000 characters".
const MAX_DATA_CHARS: usize = 10_000;
/// "The new array can contain up to 1000 elements."
const MAX_RANGE_ITEMS: usize = 1000;

/// A parsed intrinsic function call.
#[derive(Debug, Clone)]
pub(crate) struct Intrinsic {
    call: Call,
}

#[derive(Debug, Clone)]
struct Call {
    function: Function,
    args: Vec<Arg>,
}

#[derive(Debug, Clone)]
enum Arg {
    /// A string literal as written, escapes included (States.Format needs to tell `\{` from `{`).
    Text(String),
    Number(Number),
    Bool(bool),
    Null,
    Path(Path),
    Call(Box<Call>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Function {
    fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "Format" => Function::Format,
            "StringToJson" => Function::StringToJson,
            "JsonToString" => Function::JsonToString,
            "Array" => Function::Array,
            "ArrayPartition" => Function::ArrayPartition,
            "ArrayContains" => Function::ArrayContains,
            "ArrayRange" => Function::ArrayRange,
            "ArrayGetItem" => Function::ArrayGetItem,
            "ArrayLength" => Function::ArrayLength,
            "ArrayUnique" => Function::ArrayUnique,
            "Base64Encode" => Function::Base64Encode,
            "Base64Decode" => Function::Base64Decode,
            "Hash" => Function::Hash,
            "JsonMerge" => Function::JsonMerge,
            "MathRandom" => Function::MathRandom,
            "MathAdd" => Function::MathAdd,
            "StringSplit" => Function::StringSplit,
            "UUID" => Function::Uuid,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The smallest and largest number of arguments.
    fn arity(self) -> (usize, usize) {
        match self {
            Function::Format => (1, usize::MAX),
            Function::Array => (0, usize::MAX),
            Function::Uuid => (0, 0),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, 1),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, 2),
            Function::MathRandom => (2, 3),
            Function::ArrayRange | Function::JsonMerge => (3, 3),
        }
    }
}

/// Why an intrinsic could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IntrinsicError {
    /// A path argument matched nothing (a `States.Runtime` failure).
    NotFound(String),
    /// The arguments cannot be used (`States.IntrinsicFailure`), with the reason.
    Failure(String),
}

impl Intrinsic {
    /// Whether a `.$` value is an intrinsic call rather than a path.
    pub fn looks_like(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    /// Parses a call such as `States.Format('{}', $.name)`.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            pos: 0,
        };
        parser.skip_spaces();
        let call = parser
            .call(1)
            .map_err(|why| format!("'{text}' is not a valid intrinsic function call: {why}"))?;
        parser.skip_spaces();
        if parser.pos != parser.chars.len() {
            return Err(format!(
                "'{text}' is not a valid intrinsic function call: unexpected text after the closing ')'"
            ));
        }
        Ok(Intrinsic { call })
    }

    /// The function's name, e.g. `States.Format`.
    pub fn name(&self) -> &'static str {
        self.call.function.name()
    }

    /// Evaluates the call against the state's input and the context object.
    pub fn eval(&self, input: &Value, context: &Value) -> Result<Value, IntrinsicError> {
        self.call.eval(input, context)
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        prefix
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn call(&mut self, depth: usize) -> Result<Call, String> {
        if depth > MAX_NESTING {
            return Err(format!(
                "more than {MAX_NESTING} nested intrinsic functions"
            ));
        }
        if !self.rest_starts_with("States.") {
            return Err("an intrinsic function starts with 'States.'".into());
        }
        self.pos += "States.".len();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let function =
            Function::from_name(&name).ok_or_else(|| format!("unknown function States.{name}"))?;
        self.skip_spaces();
        if self.peek() != Some('(') {
            return Err(format!("States.{name} must be followed by '('"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_spaces();
                args.push(self.arg(depth)?);
                self.skip_spaces();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(format!(
                            "expected ',' or ')' in the arguments of States.{name}"
                        ));
                    }
                }
            }
        }
        let (min, max) = function.arity();
        if args.len() < min || args.len() > max {
            let expected = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(format!(
                "{} takes {expected} argument(s), got {}",
                function.name(),
                args.len()
            ));
        }
        Ok(Call { function, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.peek() {
            Some('\'') => self.text(),
            Some('$') => self.path(),
            Some('S') => Ok(Arg::Call(Box::new(self.call(depth + 1)?))),
            Some(_) => self.literal(),
            None => Err("missing argument".into()),
        }
    }

    fn text(&mut self) -> Result<Arg, String> {
        self.pos += 1;
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => return Err("unterminated string literal".into()),
                Some('\\') => {
                    let next = self.chars.get(self.pos + 1).copied();
                    match next {
                        Some(c @ ('\'' | '{' | '}' | '\\')) => {
                            raw.push('\\');
                            raw.push(c);
                            self.pos += 2;
                        }
                        _ => {
                            return Err(
                                "an open escape backslash: only \\', \\{, \\} and \\\\ are allowed"
                                    .into(),
                            );
                        }
                    }
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(Arg::Text(raw));
                }
                Some(c) => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn path(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                if c == '\\' {
                    self.pos += 1;
                } else if c == q {
                    quote = None;
                }
            } else {
                match c {
                    '\'' | '"' => quote = Some(c),
                    '[' | '(' => depth += 1,
                    ']' => depth = depth.saturating_sub(1),
                    ')' if depth == 0 => break,
                    ')' => depth -= 1,
                    ',' if depth == 0 => break,
                    _ => {}
                }
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        Path::parse(text.trim()).map(Arg::Path)
    }

    fn literal(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace())
        {
            self.pos += 1;
        }
        let token: String = self.chars[start..self.pos].iter().collect();
        match token.as_str() {
            "true" => Ok(Arg::Bool(true)),
            "false" => Ok(Arg::Bool(false)),
            "null" => Ok(Arg::Null),
            _ => match serde_json::from_str::<Value>(&token) {
                Ok(Value::Number(number)) => Ok(Arg::Number(number)),
                _ => Err(format!(
                    "'{token}' is not an argument: use a 'string', a number, true, false, null, a path or a function"
                )),
            },
        }
    }
}

/// A string literal's value: `\'`, `\{`, `\}` and `\\` unescaped.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Call {
    fn eval(&self, input: &Value, context: &Value) -> Result<Value, IntrinsicError> {
        let name = self.function.name();
        if self.function == Function::Format {
            return self.format(input, context);
        }
        let args = self
            .args
            .iter()
            .map(|arg| arg.eval(input, context))
            .collect::<Result<Vec<_>, _>>()?;
        let fail = |why: String| Err(IntrinsicError::Failure(format!("{name}: {why}")));
        match self.function {
            Function::Format => unreachable_format(),
            Function::StringToJson => {
                let text = string_arg(name, &args, 0)?;
                match serde_json::from_str(text) {
                    Ok(value) => Ok(value),
                    Err(error) => fail(format!("the argument is not JSON text ({error})")),
                }
            }
            Function::JsonToString => Ok(Value::String(
                serde_json::to_string(&args[0]).unwrap_or_default(),
            )),
            Function::Array => Ok(Value::Array(args)),
            Function::ArrayPartition => {
                let array = array_arg(name, &args, 0)?;
                let size = int_arg(name, &args, 1)?;
                if size < 1 {
                    return fail(format!(
                        "the chunk size must be a positive integer, got {size}"
                    ));
                }
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Ok(Value::Array(
                    array
                        .chunks(size)
                        .map(|chunk| Value::Array(chunk.to_vec()))
                        .collect(),
                ))
            }
            Function::ArrayContains => {
                let array = array_arg(name, &args, 0)?;
                Ok(Value::Bool(
                    array.iter().any(|item| json_eq(item, &args[1])),
                ))
            }
            Function::ArrayRange => {
                let first = int_arg(name, &args, 0)?;
                let last = int_arg(name, &args, 1)?;
                let step = int_arg(name, &args, 2)?;
                if step == 0 {
                    return fail("the step (third argument) must not be zero".into());
                }
                let mut items = Vec::new();
                let mut value = first;
                while (step > 0 && value <= last) || (step < 0 && value >= last) {
                    if items.len() == MAX_RANGE_ITEMS {
                        return fail(format!("the range has more than {MAX_RANGE_ITEMS} items"));
                    }
                    items.push(Value::from(value));
                    value = match value.checked_add(step) {
                        Some(next) => next,
                        None => break,
                    };
                }
                Ok(Value::Array(items))
            }
            Function::ArrayGetItem => {
                let array = array_arg(name, &args, 0)?;
                let index = int_arg(name, &args, 1)?;
                match usize::try_from(index).ok().and_then(|i| array.get(i)) {
                    Some(item) => Ok(item.clone()),
                    None => fail(format!(
                        "index {index} is outside the array of {} items",
                        array.len()
                    )),
                }
            }
            Function::ArrayLength => Ok(Value::from(array_arg(name, &args, 0)?.len())),
            Function::ArrayUnique => {
                let array = array_arg(name, &args, 0)?;
                let mut unique: Vec<Value> = Vec::new();
                for item in array {
                    if !unique.iter().any(|seen| json_eq(seen, item)) {
                        unique.push(item.clone());
                    }
                }
                Ok(Value::Array(unique))
            }
            Function::Base64Encode => {
                let text = data_arg(name, &args, 0)?;
                Ok(Value::String(
                    base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
                ))
            }
            Function::Base64Decode => {
                let text = data_arg(name, &args, 0)?;
                let bytes = match base64::engine::general_purpose::STANDARD.decode(text.as_bytes())
                {
                    Ok(bytes) => bytes,
                    Err(error) => return fail(format!("the argument is not Base64 ({error})")),
                };
                match String::from_utf8(bytes) {
                    Ok(decoded) => Ok(Value::String(decoded)),
                    Err(_) => fail("the decoded bytes are not UTF-8 text".into()),
                }
            }
            Function::Hash => {
                let data = data_arg(name, &args, 0)?;
                let algorithm = string_arg(name, &args, 1)?;
                let digest = match algorithm {
                    "MD5" => Md5::digest(data.as_bytes()).to_vec(),
                    "SHA-1" => Sha1::digest(data.as_bytes()).to_vec(),
                    "SHA-256" => Sha256::digest(data.as_bytes()).to_vec(),
                    "SHA-384" => Sha384::digest(data.as_bytes()).to_vec(),
                    "SHA-512" => Sha512::digest(data.as_bytes()).to_vec(),
                    other => {
                        return fail(format!(
                            "unknown algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
                        ));
                    }
                };
                Ok(Value::String(
                    digest.iter().map(|byte| format!("{byte:02x}")).collect(),
                ))
            }
            Function::JsonMerge => {
                let (Value::Object(first), Value::Object(second)) = (&args[0], &args[1]) else {
                    return fail("the first two arguments must be JSON objects".into());
                };
                match args[2] {
                    Value::Bool(false) => {}
                    Value::Bool(true) => {
                        return fail(
                            "only shallow merging is supported: the third argument must be false"
                                .into(),
                        );
                    }
                    _ => return fail("the third argument must be the boolean false".into()),
                }
                let mut merged: Map<String, Value> = first.clone();
                for (key, value) in second {
                    merged.insert(key.clone(), value.clone());
                }
                Ok(Value::Object(merged))
            }
            Function::MathRandom => {
                let start = int_arg(name, &args, 0)?;
                let end = int_arg(name, &args, 1)?;
                if end <= start {
                    return fail(format!(
                        "the end ({end}) must be greater than the start ({start})"
                    ));
                }
                // The start is inclusive and the end exclusive; the same seed gives the same number.
                let number = match args.get(2) {
                    Some(_) => {
                        let seed = int_arg(name, &args, 2)?;
                        rand::rngs::StdRng::seed_from_u64(seed as u64).random_range(start..end)
                    }
                    None => rand::rng().random_range(start..end),
                };
                Ok(Value::from(number))
            }
            Function::MathAdd => {
                let first = int_arg(name, &args, 0)?;
                let second = int_arg(name, &args, 1)?;
                for value in [first, second] {
                    if i32::try_from(value).is_err() {
                        return fail(format!(
                            "{value} is outside the range -2147483648 to 2147483647"
                        ));
                    }
                }
                Ok(Value::from(first + second))
            }
            Function::StringSplit => {
                let text = string_arg(name, &args, 0)?;
                let delimiters: Vec<char> = string_arg(name, &args, 1)?.chars().collect();
                Ok(Value::Array(
                    text.split(|c| delimiters.contains(&c))
                        .filter(|part| !part.is_empty())
                        .map(|part| Value::String(part.to_string()))
                        .collect(),
                ))
            }
            Function::Uuid => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        }
    }

    /// `States.Format`: each `{}` of the template replaced by the next argument.
    fn format(&self, input: &Value, context: &Value) -> Result<Value, IntrinsicError> {
        let name = self.function.name();
        let fail = |why: String| IntrinsicError::Failure(format!("{name}: {why}"));
        let template = match &self.args[0] {
            Arg::Text(raw) => raw.clone(),
            other => match other.eval(input, context)? {
                Value::String(text) => text,
                _ => return Err(fail("the first argument must be a string".into())),
            },
        };
        let mut values = Vec::with_capacity(self.args.len() - 1);
        for arg in &self.args[1..] {
            values.push(match arg.eval(input, context)? {
                Value::String(text) => text,
                Value::Null => "null".to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(fail(
                        "arguments must be strings, numbers, booleans or null, not arrays or objects"
                            .into(),
                    ));
                }
            });
        }
        let mut out = String::new();
        let mut next = values.into_iter();
        let mut used = 0;
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        out.push(escaped);
                    }
                }
                '{' if chars.peek() == Some(&'}') => {
                    chars.next();
                    used += 1;
                    match next.next() {
                        Some(value) => out.push_str(&value),
                        None => {
                            return Err(fail(format!(
                                "the template has more {{}} than the {} argument(s) after it",
                                self.args.len() - 1
                            )));
                        }
                    }
                }
                c => out.push(c),
            }
        }
        if next.next().is_some() {
            return Err(fail(format!(
                "the template has {used} {{}} but {} argument(s) follow it",
                self.args.len() - 1
            )));
        }
        Ok(Value::String(out))
    }
}

// States.Format is handled before the arguments are evaluated.
fn unreachable_format() -> Result<Value, IntrinsicError> {
    Err(IntrinsicError::Failure(
        "States.Format: internal dispatch error".into(),
    ))
}

impl Arg {
    fn eval(&self, input: &Value, context: &Value) -> Result<Value, IntrinsicError> {
        Ok(match self {
            Arg::Text(raw) => Value::String(unescape(raw)),
            Arg::Number(number) => Value::Number(number.clone()),
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Null => Value::Null,
            Arg::Path(path) => path
                .select(input, context)
                .map_err(|_| IntrinsicError::NotFound(path.text().to_string()))?,
            Arg::Call(call) => call.eval(input, context)?,
        })
    }
}

fn ordinal(index: usize) -> &'static str {
    ["first", "second", "third"]
        .get(index)
        .copied()
        .unwrap_or("last")
}

fn string_arg<'v>(name: &str, args: &'v [Value], index: usize) -> Result<&'v str, IntrinsicError> {
    args[index].as_str().ok_or_else(|| {
        IntrinsicError::Failure(format!(
            "{name}: the {} argument must be a string, got {}",
            ordinal(index),
            args[index]
        ))
    })
}

fn data_arg<'v>(name: &str, args: &'v [Value], index: usize) -> Result<&'v str, IntrinsicError> {
    let text = string_arg(name, args, index)?;
    if text.chars().count() > MAX_DATA_CHARS {
        return Err(IntrinsicError::Failure(format!(
            "{name}: the data string has more than {MAX_DATA_CHARS} characters"
        )));
    }
    Ok(text)
}

fn array_arg<'v>(
    name: &str,
    args: &'v [Value],
    index: usize,
) -> Result<&'v Vec<Value>, IntrinsicError> {
    args[index].as_array().ok_or_else(|| {
        IntrinsicError::Failure(format!(
            "{name}: the {} argument must be an array, got {}",
            ordinal(index),
            args[index]
        ))
    })
}

/// An integer argument; "if you specify a non-integer value ... Step Functions will round it
/// off to the nearest integer".
fn int_arg(name: &str, args: &[Value], index: usize) -> Result<i64, IntrinsicError> {
    let number = args[index].as_f64().ok_or_else(|| {
        IntrinsicError::Failure(format!(
            "{name}: the {} argument must be a number, got {}",
            ordinal(index),
            args[index]
        ))
    })?;
    let rounded = (number + 0.5).floor();
    if rounded.abs() > 9.0e15 {
        return Err(IntrinsicError::Failure(format!(
            "{name}: {number} is too large for an integer argument"
        )));
    }
    Ok(rounded as i64)
}

/// JSON equality that takes `1` and `1.0` as the same number.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| json_eq(value, other)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    //! Each function's example from "Intrinsic functions for JSONPath states in Step
    //! Functions" (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
    use super::*;
    use serde_json::json;

    fn eval(call: &str, input: Value) -> Result<Value, IntrinsicError> {
        Intrinsic::parse(call)
            .expect("valid call")
            .eval(&input, &json!({"Execution": {"Name": "run-1"}}))
    }

    fn failure(call: &str, input: Value) -> String {
        match eval(call, input) {
            Err(IntrinsicError::Failure(why)) => why,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn array_wraps_its_arguments() {
        assert_eq!(
            eval("States.Array($.Id)", json!({"Id": 123456})),
            Ok(json!([123456]))
        );
        // The ASL specification's example: States.Array('Foo', 2020, $.someJson, null).
        assert_eq!(
            eval(
                "States.Array('Foo', 2020, $.someJson, null)",
                json!({"someJson": {"random": "abcdefg"}, "zebra": "stripe"})
            ),
            Ok(json!(["Foo", 2020, {"random": "abcdefg"}, null]))
        );
    }

    #[test]
    fn array_partition_chunks_with_a_short_last_chunk() {
        assert_eq!(
            eval(
                "States.ArrayPartition($.inputArray,4)",
                json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]})
            ),
            Ok(json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]))
        );
    }

    #[test]
    fn array_partition_rounds_a_fractional_chunk_size_and_refuses_zero() {
        let input = json!({"a": [1, 2, 3, 4, 5]});
        assert_eq!(
            eval("States.ArrayPartition($.a, 2.6)", input.clone()),
            Ok(json!([[1, 2, 3], [4, 5]]))
        );
        assert!(failure("States.ArrayPartition($.a, 0)", input).contains("positive integer"));
    }

    #[test]
    fn array_contains_finds_the_value() {
        assert_eq!(
            eval(
                "States.ArrayContains($.inputArray, $.lookingFor)",
                json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5})
            ),
            Ok(json!(true))
        );
    }

    #[test]
    fn array_range_counts_by_the_step() {
        assert_eq!(
            eval("States.ArrayRange(1, 9, 2)", json!({})),
            Ok(json!([1, 3, 5, 7, 9]))
        );
        assert_eq!(
            eval("States.ArrayRange(3, 1, -1)", json!({})),
            Ok(json!([3, 2, 1]))
        );
        assert!(failure("States.ArrayRange(1, 9, 0)", json!({})).contains("zero"));
        assert!(failure("States.ArrayRange(1, 5000, 1)", json!({})).contains("1000"));
    }

    #[test]
    fn array_get_item_returns_the_indexed_value() {
        assert_eq!(
            eval(
                "States.ArrayGetItem($.inputArray, $.index)",
                json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "index": 5})
            ),
            Ok(json!(6))
        );
        assert!(failure("States.ArrayGetItem($.a, 3)", json!({"a": [1]})).contains("outside"));
    }

    #[test]
    fn array_length_counts_items() {
        assert_eq!(
            eval(
                "States.ArrayLength($.inputArray)",
                json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]})
            ),
            Ok(json!(9))
        );
    }

    #[test]
    fn array_unique_removes_duplicates_keeping_first_occurrences() {
        assert_eq!(
            eval(
                "States.ArrayUnique($.inputArray)",
                json!({"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]})
            ),
            Ok(json!([1, 2, 3, 4]))
        );
    }

    #[test]
    fn base64_encode_and_decode_round_trip() {
        assert_eq!(
            eval(
                "States.Base64Encode($.input)",
                json!({"input": "Data to encode"})
            ),
            Ok(json!("RGF0YSB0byBlbmNvZGU="))
        );
        // The page shows "Decoded data" as the result of decoding "RGF0YSB0byBlbmNvZGU=", an
        // erratum: those bytes are the page's own encoded "Data to encode".
        assert_eq!(
            eval(
                "States.Base64Decode($.base64)",
                json!({"base64": "RGF0YSB0byBlbmNvZGU="})
            ),
            Ok(json!("Data to encode"))
        );
        assert!(failure("States.Base64Decode('%%%')", json!({})).contains("Base64"));
    }

    #[test]
    fn hash_computes_each_documented_algorithm() {
        let input = json!({"Data": "input data", "Algorithm": "SHA-1"});
        // The page prints "aaff4a450a104cd177d28d18d7485e8cae074b7", one hex digit short of a
        // SHA-1 (40 digits); the digest of "input data" is the value below.
        assert_eq!(
            eval("States.Hash($.Data, $.Algorithm)", input),
            Ok(json!("aaff4a450a104cd177d28d18d74485e8cae074b7"))
        );
        let data = json!({"Data": "input data"});
        assert_eq!(
            eval("States.Hash($.Data, 'MD5')", data.clone()),
            Ok(json!("812f45842bc6d66ee14572ce20db8e86"))
        );
        assert_eq!(
            eval("States.Hash($.Data, 'SHA-256')", data.clone()),
            Ok(json!(
                "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"
            ))
        );
        for (algorithm, hex_digits) in [("SHA-384", 96), ("SHA-512", 128)] {
            let call = format!("States.Hash($.Data, '{algorithm}')");
            let digest = eval(&call, data.clone()).expect("hash");
            assert_eq!(digest.as_str().map(str::len), Some(hex_digits));
        }
        assert!(failure("States.Hash($.Data, 'CRC32')", data).contains("unknown algorithm"));
    }

    #[test]
    fn json_merge_is_shallow() {
        assert_eq!(
            eval(
                "States.JsonMerge($.json1, $.json2, false)",
                json!({
                    "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
                    "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}
                })
            ),
            Ok(json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}))
        );
        assert!(failure("States.JsonMerge($.a, $.a, true)", json!({"a": {}})).contains("shallow"));
    }

    #[test]
    fn math_random_stays_in_range_and_repeats_with_a_seed() {
        let input = json!({"start": 1, "end": 999});
        for _ in 0..50 {
            let n = eval("States.MathRandom($.start, $.end)", input.clone())
                .expect("random")
                .as_i64()
                .expect("integer");
            assert!((1..999).contains(&n));
        }
        let seeded = eval("States.MathRandom($.start, $.end, 7)", input.clone());
        assert_eq!(seeded, eval("States.MathRandom($.start, $.end, 7)", input));
    }

    #[test]
    fn math_add_adds_integers() {
        assert_eq!(
            eval(
                "States.MathAdd($.value1, $.step)",
                json!({"value1": 111, "step": -1})
            ),
            Ok(json!(110))
        );
        assert!(failure("States.MathAdd(3000000000, 1)", json!({})).contains("range"));
    }

    #[test]
    fn string_split_divides_on_each_delimiter_character() {
        assert_eq!(
            eval(
                "States.StringSplit($.inputString, $.splitter)",
                json!({"inputString": "1,2,3,4,5", "splitter": ","})
            ),
            Ok(json!(["1", "2", "3", "4", "5"]))
        );
        assert_eq!(
            eval(
                "States.StringSplit($.inputString, $.splitter)",
                json!({"inputString": "This.is+a,test=string", "splitter": ".+,="})
            ),
            Ok(json!(["This", "is", "a", "test", "string"]))
        );
    }

    #[test]
    fn uuid_returns_a_version_4_uuid() {
        let value = eval("States.UUID()", json!({})).expect("uuid");
        let parsed = uuid::Uuid::parse_str(value.as_str().expect("string")).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
    }

    #[test]
    fn format_fills_placeholders_from_literals_and_paths() {
        let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
        assert_eq!(
            eval(
                "States.Format('Hello, my name is {}.', $.name)",
                input.clone()
            ),
            Ok(json!("Hello, my name is Arnav."))
        );
        assert_eq!(
            eval("States.Format($.template, $.name)", input),
            Ok(json!("Hello, my name is Arnav."))
        );
        // The ASL specification's example.
        assert_eq!(
            eval(
                "States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
                json!({"name": "Foo", "zebra": "stripe"})
            ),
            Ok(json!("Your name is Foo, we are in the year 2020"))
        );
    }

    #[test]
    fn format_honours_the_reserved_character_escapes() {
        // GIVEN a template with escaped braces, quote and backslash (the JSON text would
        // double each backslash)
        let call = r"States.Format('\{\} {} it\'s \\ {}', $.a, true)";
        // THEN the escaped characters are literal and only {} is a placeholder
        assert_eq!(eval(call, json!({"a": 1})), Ok(json!(r"{} 1 it's \ true")));
        // AND an open escape backslash is refused when the definition is read
        assert!(Intrinsic::parse(r"States.Format('\n {}', $.a)").is_err());
    }

    #[test]
    fn format_refuses_a_wrong_number_of_arguments_or_an_object() {
        assert!(failure("States.Format('{} {}', 1)", json!({})).contains("more {}"));
        assert!(failure("States.Format('{}', 1, 2)", json!({})).contains("follow"));
        assert!(failure("States.Format('{}', $.o)", json!({"o": {}})).contains("not arrays"));
    }

    #[test]
    fn string_to_json_and_json_to_string_convert_both_ways() {
        assert_eq!(
            eval(
                "States.StringToJson($.escapedJsonString)",
                json!({"escapedJsonString": "{\"foo\": \"bar\"}"})
            ),
            Ok(json!({"foo": "bar"}))
        );
        assert_eq!(
            eval(
                "States.JsonToString($.unescapedJson)",
                json!({"unescapedJson": {"foo": "bar"}})
            ),
            Ok(json!("{\"foo\":\"bar\"}"))
        );
        // The specification's example: {"name":"Foo","year":2020}.
        assert_eq!(
            eval(
                "States.JsonToString($.someJson)",
                json!({"someJson": {"name": "Foo", "year": 2020}})
            ),
            Ok(json!("{\"name\":\"Foo\",\"year\":2020}"))
        );
        assert!(failure("States.StringToJson('{nope')", json!({})).contains("not JSON"));
    }

    #[test]
    fn nested_calls_evaluate_inside_out() {
        // GIVEN the page's myArn example, nine functions deep
        let documented = "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
        let input = json!({"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe/1.0.2"}});
        // THEN it parses; as printed it has three {} for two arguments, which the page's own
        // States.Format rule ("There must be as many remaining arguments ... as there are
        // occurrences of {}") refuses
        assert!(failure(documented, input.clone()).contains("more {}"));
        // AND with two placeholders the inner calls yield the version's first two parts
        let two = documented.replacen("'{}.{}.{}'", "'{}.{}'", 1);
        assert_eq!(eval(&two, input), Ok(json!("1.0")));
    }

    #[test]
    fn context_paths_are_arguments_too() {
        assert_eq!(
            eval("States.Format('run {}', $$.Execution.Name)", json!({})),
            Ok(json!("run run-1"))
        );
    }

    #[test]
    fn a_missing_path_argument_is_not_found() {
        assert_eq!(
            eval("States.ArrayLength($.nope)", json!({})),
            Err(IntrinsicError::NotFound("$.nope".into()))
        );
    }

    #[test]
    fn parse_errors_name_the_problem() {
        assert!(
            Intrinsic::parse("States.Nope(1)")
                .unwrap_err()
                .contains("unknown function")
        );
        assert!(
            Intrinsic::parse("States.ArrayLength()")
                .unwrap_err()
                .contains("takes 1")
        );
        assert!(Intrinsic::parse("States.Array(").is_err());
        let deep = format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11));
        assert!(Intrinsic::parse(&deep).unwrap_err().contains("nested"));
    }
}
