//! The fields of each state type, as written; unknown fields are refused, so a typo in a
//! definition is reported rather than ignored.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::paths::NullablePath;
use crate::retry::{RawCatcher, RawRetrier};

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Pass {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub next: Option<String>,
    pub end: Option<bool>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    #[serde(default, deserialize_with = "present")]
    pub result: Option<Value>,
    #[serde(default)]
    pub result_path: NullablePath,
    pub parameters: Option<Value>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Task {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub next: Option<String>,
    pub end: Option<bool>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub resource: String,
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    #[serde(default)]
    pub result_path: NullablePath,
    pub retry: Option<Vec<RawRetrier>>,
    pub catch: Option<Vec<RawCatcher>>,
    pub timeout_seconds: Option<u64>,
    pub timeout_seconds_path: Option<String>,
    pub heartbeat_seconds: Option<u64>,
    pub heartbeat_seconds_path: Option<String>,
    pub credentials: Option<Value>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Choice {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub choices: Vec<Value>,
    pub default: Option<String>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Wait {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub next: Option<String>,
    pub end: Option<bool>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub seconds: Option<u64>,
    pub timestamp: Option<String>,
    pub seconds_path: Option<String>,
    pub timestamp_path: Option<String>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Succeed {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Fail {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub error_path: Option<String>,
    pub cause_path: Option<String>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Parallel {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub next: Option<String>,
    pub end: Option<bool>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub branches: Vec<Value>,
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    #[serde(default)]
    pub result_path: NullablePath,
    pub retry: Option<Vec<RawRetrier>>,
    pub catch: Option<Vec<RawCatcher>>,
    pub query_language: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Map {
    #[serde(rename = "Type")]
    pub _kind: String,
    pub comment: Option<String>,
    pub next: Option<String>,
    pub end: Option<bool>,
    #[serde(default)]
    pub input_path: NullablePath,
    #[serde(default)]
    pub output_path: NullablePath,
    pub items_path: Option<String>,
    pub item_selector: Option<Value>,
    pub parameters: Option<Value>,
    pub item_processor: Option<Value>,
    pub iterator: Option<Value>,
    pub max_concurrency: Option<u64>,
    pub max_concurrency_path: Option<String>,
    pub result_selector: Option<Value>,
    #[serde(default)]
    pub result_path: NullablePath,
    pub retry: Option<Vec<RawRetrier>>,
    pub catch: Option<Vec<RawCatcher>>,
    pub query_language: Option<String>,
    pub item_reader: Option<Value>,
    pub item_batcher: Option<Value>,
    pub result_writer: Option<Value>,
    pub tolerated_failure_count: Option<Value>,
    pub tolerated_failure_percentage: Option<Value>,
    pub tolerated_failure_count_path: Option<Value>,
    pub tolerated_failure_percentage_path: Option<Value>,
    pub label: Option<Value>,
}
