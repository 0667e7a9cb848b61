//! Payload templates — `Parameters`, `ResultSelector`, `ItemSelector`: static JSON in which a
//! key ending in `.$` takes its value from a path or an intrinsic function.
//!
//! Source: "Manipulate parameters in Step Functions workflows"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html>).

use serde_json::{Map, Value};

use crate::errors::{self, Failure};
use crate::intrinsics::{Intrinsic, IntrinsicError};
use crate::paths::{Path, describe};

/// A compiled payload template.
#[derive(Debug, Clone)]
pub(crate) enum Template {
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Static(Value),
    /// `"name.$": "$.path"`; `field` is the key as written.
    Path {
        field: String,
        path: Path,
    },
    /// `"name.$": "States.Fn(...)"`.
    Intrinsic {
        field: String,
        call: Intrinsic,
    },
}

impl Template {
    /// Compiles a template; the error names the offending key.
    pub fn compile(value: &Value) -> Result<Template, String> {
        Ok(match value {
            Value::Object(object) => {
                let mut fields = Vec::with_capacity(object.len());
                for (key, value) in object {
                    match key.strip_suffix(".$") {
                        Some(name) => {
                            let Value::String(text) = value else {
                                return Err(format!(
                                    "'{key}': a field ending in .$ needs a path or an intrinsic function as a string, got {value}"
                                ));
                            };
                            let compiled = if Intrinsic::looks_like(text) {
                                Template::Intrinsic {
                                    field: key.clone(),
                                    call: Intrinsic::parse(text)
                                        .map_err(|why| format!("'{key}': {why}"))?,
                                }
                            } else {
                                Template::Path {
                                    field: key.clone(),
                                    path: Path::parse(text)
                                        .map_err(|why| format!("'{key}': {why}"))?,
                                }
                            };
                            fields.push((name.to_string(), compiled));
                        }
                        None => fields.push((key.clone(), Template::compile(value)?)),
                    }
                }
                Template::Object(fields)
            }
            Value::Array(items) => Template::Array(
                items
                    .iter()
                    .map(Template::compile)
                    .collect::<Result<_, _>>()?,
            ),
            other => Template::Static(other.clone()),
        })
    }

    /// Produces the payload from the state's (effective) input and the context object.
    pub fn render(&self, input: &Value, context: &Value) -> Result<Value, Failure> {
        Ok(match self {
            Template::Object(fields) => {
                let mut object = Map::with_capacity(fields.len());
                for (key, template) in fields {
                    object.insert(key.clone(), template.render(input, context)?);
                }
                Value::Object(object)
            }
            Template::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| item.render(input, context))
                    .collect::<Result<_, _>>()?,
            ),
            Template::Static(value) => value.clone(),
            Template::Path { field, path } => path
                .select(input, context)
                .map_err(|_| not_found(field, path.text(), input))?,
            Template::Intrinsic { field, call } => match call.eval(input, context) {
                Ok(value) => value,
                Err(IntrinsicError::NotFound(path)) => {
                    return Err(not_found(field, &path, input));
                }
                Err(IntrinsicError::Failure(why)) => {
                    return Err(Failure::new(
                        errors::INTRINSIC_FAILURE,
                        format!(
                            "The evaluation of the intrinsic function for the field '{field}' failed: {why}"
                        ),
                    ));
                }
            },
        })
    }
}

fn not_found(field: &str, path: &str, input: &Value) -> Failure {
    Failure::runtime(format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{}'",
        describe(input)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: Value, input: Value) -> Result<Value, Failure> {
        Template::compile(&template)
            .expect("valid template")
            .render(&input, &json!({"Execution": {"Id": "arn:exec"}}))
    }

    #[test]
    fn parameters_select_values_and_keep_static_ones() {
        // GIVEN the "Key-value pairs" example of "Manipulate parameters in Step Functions
        // workflows" (input-output-inputpath-params.html)
        let input = json!({
            "comment": "Example for Parameters.",
            "product": {
                "details": {"color": "blue", "size": "small", "material": "cotton"},
                "availability": "in stock",
                "sku": "2317",
                "cost": "$23"
            }
        });
        let parameters = json!({
            "comment": "Selecting what I care about.",
            "MyDetails": {
                "size.$": "$.product.details.size",
                "exists.$": "$.product.availability",
                "StaticValue": "foo"
            }
        });
        // THEN the documented JSON is passed
        assert_eq!(
            render(parameters, input),
            Ok(json!({
                "comment": "Selecting what I care about.",
                "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}
            }))
        );
    }

    #[test]
    fn result_selector_picks_parts_of_a_result() {
        // GIVEN the page's ResultSelector example (an EMR createCluster.sync result)
        let result = json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {
                "SdkHttpMetadata": {"HttpStatusCode": 200},
                "SdkResponseMetadata": {"RequestId": "1234-5678-9012"},
                "ClusterId": "AKIAIOSFODNN7EXAMPLE"
            }
        });
        let selector =
            json!({"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"});
        assert_eq!(
            render(selector, result),
            Ok(json!({"ResourceType": "elasticmapreduce", "ClusterId": "AKIAIOSFODNN7EXAMPLE"}))
        );
    }

    #[test]
    fn context_object_and_intrinsics_fill_fields() {
        let template = json!({"Execution.$": "$$.Execution.Id", "ids.$": "States.Array($.id)"});
        assert_eq!(
            render(template, json!({"id": 7})),
            Ok(json!({"Execution": "arn:exec", "ids": [7]}))
        );
    }

    #[test]
    fn objects_inside_arrays_are_templates_too() {
        let template = json!({"list": [{"v.$": "$.a"}, 2]});
        assert_eq!(
            render(template, json!({"a": 1})),
            Ok(json!({"list": [{"v": 1}, 2]}))
        );
    }

    #[test]
    fn a_path_that_selects_nothing_is_a_runtime_failure() {
        let failure = render(json!({"x.$": "$.missing"}), json!({"a": 1})).unwrap_err();
        assert_eq!(failure.error, "States.Runtime");
        assert!(failure.cause.contains("'$.missing'"));
        assert!(failure.cause.contains("'x.$'"));
    }

    #[test]
    fn bad_intrinsic_arguments_are_an_intrinsic_failure() {
        let failure =
            render(json!({"x.$": "States.ArrayLength($.a)"}), json!({"a": 1})).unwrap_err();
        assert_eq!(failure.error, "States.IntrinsicFailure");
    }

    #[test]
    fn a_dollar_key_needs_a_string_path() {
        assert!(
            Template::compile(&json!({"x.$": 3}))
                .unwrap_err()
                .contains("'x.$'")
        );
        assert!(Template::compile(&json!({"x.$": "nope"})).is_err());
    }
}
