//! Reading a state machine: parsing the ASL JSON into typed states and validating it, so
//! that every mistake is reported before an execution starts, naming the state and field.
//!
//! Checked: `StartAt` and every `Next`, `Default` and `Catch` target exist in their own
//! block (branches and item processors are self-contained); exactly one of `Next`/`End` on
//! states that continue; no unknown field for a state's type; `States.ALL` alone and last;
//! paths, payload templates, intrinsic calls and Choice rules well-formed; every state
//! reachable; `QueryLanguage` JSONPath only. `${Name}` placeholders are filled as CDK's
//! `definitionSubstitutions` would.
//!
//! Sources: the "Amazon States Language" pages of the Step Functions developer guide
//! (state machine structure, each workflow state, error handling).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::choice::ChoiceRule;
use crate::clock::parse_timestamp;
use crate::intrinsics::Intrinsic;
use crate::paths::{NullablePath, Path, ReferencePath, ResultPath, Selector};
use crate::retry::{self, Catcher, RawCatcher, RawRetrier, Retrier};
use crate::runner::Target;
use crate::template::Template;

/// A parsed, validated state machine definition.
#[derive(Debug, Clone)]
pub struct StateMachine {
    pub(crate) name: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) timeout_seconds: Option<u64>,
    pub(crate) root: Block,
}

/// Why a definition was refused. Every message names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    /// The text is not JSON.
    #[error("the definition is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A problem with a block's own fields (`StartAt`, `States`, ...).
    #[error("{scope}: {message}")]
    Structure {
        /// Where: `top level`, `branch 0 of Parallel 'X'`, ...
        scope: String,
        /// What is wrong.
        message: String,
    },
    /// A problem with one state; the message starts with the field.
    #[error("state '{state}' ({scope}): {message}")]
    State {
        /// The block the state is in.
        scope: String,
        /// The state's name.
        state: String,
        /// What is wrong, starting with the field.
        message: String,
    },
    /// A transition names a state that is not in the same block.
    #[error(
        "state '{state}' ({scope}): {field} names '{target}', which is not a state of this block"
    )]
    UnknownTarget {
        /// The block the state is in.
        scope: String,
        /// The state's name.
        state: String,
        /// The field: `Next`, `Default`, `Choices[1].Next`, `Catch[0].Next`.
        field: String,
        /// The missing state.
        target: String,
    },
    /// A state no transition leads to.
    #[error(
        "state '{state}' ({scope}) cannot be reached from StartAt '{start_at}'; remove it or add a transition to it"
    )]
    Unreachable {
        /// The block the state is in.
        scope: String,
        /// The unreachable state.
        state: String,
        /// The block's `StartAt`.
        start_at: String,
    },
    /// `QueryLanguage: JSONata`, which this executor does not run.
    #[error(
        "{scope}: QueryLanguage JSONata is not supported; this executor runs JSONPath state machines (remove QueryLanguage or set it to \"JSONPath\")"
    )]
    Jsonata {
        /// Where it was declared: `top level` or `state 'X'`.
        scope: String,
    },
    /// A `${Name}` placeholder with no substitution.
    #[error("placeholder ${{{name}}} has no substitution; add \"{name}\" to the substitutions")]
    UnknownPlaceholder {
        /// The placeholder's name.
        name: String,
    },
}

/// The type of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StateKind {
    /// `Pass`.
    Pass,
    /// `Task`.
    Task,
    /// `Choice`.
    Choice,
    /// `Wait`.
    Wait,
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail,
    /// `Parallel`.
    Parallel,
    /// `Map`.
    Map,
}

impl StateKind {
    /// The `Type` string, e.g. `Task`.
    pub fn as_str(self) -> &'static str {
        match self {
            StateKind::Pass => "Pass",
            StateKind::Task => "Task",
            StateKind::Choice => "Choice",
            StateKind::Wait => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail => "Fail",
            StateKind::Parallel => "Parallel",
            StateKind::Map => "Map",
        }
    }
}

/// One state of a definition, for callers that list or check states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateInfo {
    /// The state's name.
    pub name: String,
    /// Its type.
    pub kind: StateKind,
    /// A Task's `Resource`.
    pub resource: Option<String>,
    /// The function a Task calls, when the definition fixes it (see [`crate::TaskCall`]).
    pub function: Option<String>,
    /// The Parallel or Map state whose branch or item processor holds this state.
    pub parent: Option<String>,
}

/// A `StartAt` and its `States`: the top level, a Parallel branch or a Map item processor.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub start_at: String,
    pub states: BTreeMap<String, State>,
    order: Vec<String>,
}

impl Block {
    pub fn get(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct State {
    pub name: String,
    pub input_path: Selector,
    pub output_path: Selector,
    pub transition: Transition,
    pub body: Body,
}

impl State {
    pub fn kind(&self) -> StateKind {
        match &self.body {
            Body::Pass(_) => StateKind::Pass,
            Body::Task(_) => StateKind::Task,
            Body::Choice(_) => StateKind::Choice,
            Body::Wait(_) => StateKind::Wait,
            Body::Succeed => StateKind::Succeed,
            Body::Fail(_) => StateKind::Fail,
            Body::Parallel(_) => StateKind::Parallel,
            Body::Map(_) => StateKind::Map,
        }
    }
}

/// Where a state goes when it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transition {
    Next(String),
    End,
    /// Choice, Succeed and Fail decide for themselves.
    Own,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Pass(Pass),
    Task(Box<Task>),
    Choice(Choice),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Parallel),
    Map(Box<MapState>),
}

#[derive(Debug, Clone)]
pub(crate) struct Pass {
    pub parameters: Option<Template>,
    pub result: Option<Value>,
    pub result_path: ResultPath,
}

#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub resource: String,
    pub target: Target,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: ResultPath,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub timeout: Seconds,
    pub heartbeat: Seconds,
}

/// A number of seconds given directly or by a path into the effective input.
#[derive(Debug, Clone)]
pub(crate) enum Seconds {
    Unset,
    Fixed(u64),
    Path(Path),
}

#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Wait {
    Seconds(u64),
    SecondsPath(Path),
    Timestamp(DateTime<Utc>),
    TimestampPath(Path),
}

#[derive(Debug, Clone)]
pub(crate) struct Fail {
    pub error: Dynamic,
    pub cause: Dynamic,
}

/// A Fail state's error or cause: fixed, by path, or by intrinsic.
#[derive(Debug, Clone)]
pub(crate) enum Dynamic {
    Unset,
    Fixed(String),
    Path(Path),
    Intrinsic(Intrinsic),
}

#[derive(Debug, Clone)]
pub(crate) struct Parallel {
    pub branches: Vec<Block>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: ResultPath,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Debug, Clone)]
pub(crate) struct MapState {
    pub processor: Block,
    pub items_path: Option<Path>,
    pub item_selector: Option<Template>,
    pub max_concurrency: Seconds,
    pub result_selector: Option<Template>,
    pub result_path: ResultPath,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl StateMachine {
    /// Parses and validates a definition.
    pub fn parse(json: &str) -> Result<StateMachine, DefinitionError> {
        let value: Value = serde_json::from_str(json)?;
        let top = value
            .as_object()
            .ok_or_else(|| DefinitionError::Structure {
                scope: "top level".into(),
                message: "a state machine definition must be a JSON object".into(),
            })?;
        let scope = "top level".to_string();
        check_keys(
            top,
            &[
                "Comment",
                "StartAt",
                "States",
                "TimeoutSeconds",
                "Version",
                "QueryLanguage",
            ],
            &scope,
        )?;
        check_query_language(top.get("QueryLanguage"), &scope)?;
        let timeout_seconds = match top.get("TimeoutSeconds") {
            None => None,
            Some(value) => match value.as_u64() {
                Some(seconds) if seconds > 0 => Some(seconds),
                _ => {
                    return Err(DefinitionError::Structure {
                        scope,
                        message: "TimeoutSeconds must be a positive integer".into(),
                    });
                }
            },
        };
        let root = parse_block(top, &scope)?;
        Ok(StateMachine {
            name: None,
            comment: top
                .get("Comment")
                .and_then(Value::as_str)
                .map(str::to_string),
            timeout_seconds,
            root,
        })
    }

    /// Fills `${Name}` placeholders from `subs` (as CDK's `definitionSubstitutions` does)
    /// and parses the result; a placeholder with no substitution is an error naming it.
    pub fn with_substitutions(
        json: &str,
        subs: &BTreeMap<String, String>,
    ) -> Result<StateMachine, DefinitionError> {
        if let Some(name) = StateMachine::placeholders(json)
            .into_iter()
            .find(|name| !subs.contains_key(name))
        {
            return Err(DefinitionError::UnknownPlaceholder { name });
        }
        let mut text = json.to_string();
        for (name, value) in subs {
            // The value lands inside a JSON string: escape it as one.
            let escaped = serde_json::to_string(value)?;
            let escaped = &escaped[1..escaped.len() - 1];
            text = text.replace(&format!("${{{name}}}"), escaped);
        }
        StateMachine::parse(&text)
    }

    /// The `${Name}` placeholders a definition's text contains.
    pub fn placeholders(json: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut rest = json;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    if !name.is_empty()
                        && !name.contains(|c: char| c.is_whitespace() || "\"{$\\".contains(c))
                    {
                        names.insert(name.to_string());
                    }
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
        names
    }

    /// Local stand-ins for a definition's `${NameFunctionArn}` placeholders, as CDK's
    /// definitionSubstitutions would give real ones: each becomes the ARN of a Lambda
    /// function named after it in kebab case (`${FetchTokenFunctionArn}` →
    /// `arn:aws:lambda:us-east-1:000000000000:function:fetch-token`), so a Task's function
    /// name is the step's name. Other placeholders are left out (and stay unresolved).
    pub fn local_substitutions(json: &str) -> BTreeMap<String, String> {
        Self::placeholders(json)
            .into_iter()
            .filter_map(|name| {
                let stem = name.strip_suffix("FunctionArn")?;
                let mut function = String::new();
                for (i, c) in stem.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        function.push('-');
                    }
                    function.push(c.to_ascii_lowercase());
                }
                let arn = format!("arn:aws:lambda:us-east-1:000000000000:function:{function}");
                Some((name, arn))
            })
            .collect()
    }

    /// Gives the state machine a name (for `$$.StateMachine.Name` and execution ARNs).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The name given with [`StateMachine::named`].
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The top-level `Comment`.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// The top-level `StartAt`.
    pub fn start_at(&self) -> &str {
        &self.root.start_at
    }

    /// The execution-level `TimeoutSeconds`.
    pub fn timeout_seconds(&self) -> Option<u64> {
        self.timeout_seconds
    }

    /// Every state, nested ones included, in definition order (depth first).
    pub fn states(&self) -> Vec<StateInfo> {
        let mut out = Vec::new();
        collect_states(&self.root, None, &mut out);
        out
    }

    /// The functions the definition's Task states call (where the definition fixes them).
    pub fn task_functions(&self) -> BTreeSet<String> {
        self.states()
            .into_iter()
            .filter_map(|state| state.function)
            .collect()
    }
}

fn collect_states(block: &Block, parent: Option<&str>, out: &mut Vec<StateInfo>) {
    for name in &block.order {
        let Some(state) = block.states.get(name) else {
            continue;
        };
        let (resource, function) = match &state.body {
            Body::Task(task) => (Some(task.resource.clone()), task_function(task)),
            _ => (None, None),
        };
        out.push(StateInfo {
            name: name.clone(),
            kind: state.kind(),
            resource,
            function,
            parent: parent.map(str::to_string),
        });
        match &state.body {
            Body::Parallel(parallel) => {
                for branch in &parallel.branches {
                    collect_states(branch, Some(name), out);
                }
            }
            Body::Map(map) => collect_states(&map.processor, Some(name), out),
            _ => {}
        }
    }
}

fn task_function(task: &Task) -> Option<String> {
    let parameters = match &task.parameters {
        Some(Template::Object(fields)) => Some(Value::Object(
            fields
                .iter()
                .filter_map(|(key, t)| match t {
                    Template::Static(value) => Some((key.clone(), value.clone())),
                    _ => None,
                })
                .collect::<Map<String, Value>>(),
        )),
        _ => None,
    };
    task.target.static_function(parameters.as_ref())
}

fn check_keys(
    object: &Map<String, Value>,
    allowed: &[&str],
    scope: &str,
) -> Result<(), DefinitionError> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(DefinitionError::Structure {
            scope: scope.to_string(),
            message: format!(
                "unknown field {key}; expected one of {}",
                allowed.join(", ")
            ),
        }),
        None => Ok(()),
    }
}

fn check_query_language(value: Option<&Value>, scope: &str) -> Result<(), DefinitionError> {
    match value {
        None => Ok(()),
        Some(Value::String(language)) if language == "JSONPath" => Ok(()),
        Some(Value::String(language)) if language == "JSONata" => Err(DefinitionError::Jsonata {
            scope: scope.to_string(),
        }),
        Some(other) => Err(DefinitionError::Structure {
            scope: scope.to_string(),
            message: format!("QueryLanguage must be \"JSONPath\", got {other}"),
        }),
    }
}

fn parse_block(object: &Map<String, Value>, scope: &str) -> Result<Block, DefinitionError> {
    let structure = |message: String| DefinitionError::Structure {
        scope: scope.to_string(),
        message,
    };
    let start_at = match object.get("StartAt") {
        Some(Value::String(start_at)) => start_at.clone(),
        Some(_) => return Err(structure("StartAt must be a state name".into())),
        None => return Err(structure("StartAt is required".into())),
    };
    let states_value = match object.get("States") {
        Some(Value::Object(states)) if !states.is_empty() => states,
        Some(_) => {
            return Err(structure(
                "States must be a non-empty object of states".into(),
            ));
        }
        None => return Err(structure("States is required".into())),
    };
    let mut states = BTreeMap::new();
    let mut order = Vec::new();
    for (name, value) in states_value {
        states.insert(name.clone(), parse_state(name, value, scope)?);
        order.push(name.clone());
    }
    if !states.contains_key(&start_at) {
        return Err(structure(format!(
            "StartAt '{start_at}' is not one of its States"
        )));
    }
    let block = Block {
        start_at,
        states,
        order,
    };
    check_transitions(&block, scope)?;
    Ok(block)
}

/// Every target exists, and every state is reachable from `StartAt`.
fn check_transitions(block: &Block, scope: &str) -> Result<(), DefinitionError> {
    let mut reached = BTreeSet::new();
    let mut queue = VecDeque::from([block.start_at.clone()]);
    while let Some(name) = queue.pop_front() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some(state) = block.states.get(&name) else {
            continue;
        };
        for (field, target) in targets(state) {
            if !block.states.contains_key(&target) {
                return Err(DefinitionError::UnknownTarget {
                    scope: scope.to_string(),
                    state: name.clone(),
                    field,
                    target,
                });
            }
            queue.push_back(target);
        }
    }
    for name in &block.order {
        if !reached.contains(name) {
            // Report a dangling target of an unreachable state first: it is the likelier typo.
            if let Some(state) = block.states.get(name)
                && let Some((field, target)) = targets(state)
                    .into_iter()
                    .find(|(_, target)| !block.states.contains_key(target))
            {
                return Err(DefinitionError::UnknownTarget {
                    scope: scope.to_string(),
                    state: name.clone(),
                    field,
                    target,
                });
            }
            return Err(DefinitionError::Unreachable {
                scope: scope.to_string(),
                state: name.clone(),
                start_at: block.start_at.clone(),
            });
        }
    }
    Ok(())
}

fn targets(state: &State) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Transition::Next(next) = &state.transition {
        out.push(("Next".to_string(), next.clone()));
    }
    let catchers = match &state.body {
        Body::Choice(choice) => {
            for (i, rule) in choice.choices.iter().enumerate() {
                out.push((format!("Choices[{i}].Next"), rule.next.clone()));
            }
            if let Some(default) = &choice.default {
                out.push(("Default".to_string(), default.clone()));
            }
            &[][..]
        }
        Body::Task(task) => &task.catch[..],
        Body::Parallel(parallel) => &parallel.catch[..],
        Body::Map(map) => &map.catch[..],
        _ => &[][..],
    };
    for (i, catcher) in catchers.iter().enumerate() {
        out.push((format!("Catch[{i}].Next"), catcher.next.clone()));
    }
    out
}

mod raw;

/// Reports problems inside one state.
struct StateScope<'a> {
    scope: &'a str,
    name: &'a str,
}

impl StateScope<'_> {
    fn error(&self, message: impl Into<String>) -> DefinitionError {
        DefinitionError::State {
            scope: self.scope.to_string(),
            state: self.name.to_string(),
            message: message.into(),
        }
    }

    fn field<T>(&self, field: &str, result: Result<T, String>) -> Result<T, DefinitionError> {
        result.map_err(|why| self.error(format!("field {field}: {why}")))
    }

    fn raw<T: DeserializeOwned>(&self, value: &Value) -> Result<T, DefinitionError> {
        serde_path_to_error::deserialize(value.clone()).map_err(|error| {
            let path = error.path().to_string();
            if path == "." {
                self.error(error.inner().to_string())
            } else {
                self.error(format!("field {path}: {}", error.inner()))
            }
        })
    }

    fn transition(
        &self,
        next: Option<String>,
        end: Option<bool>,
    ) -> Result<Transition, DefinitionError> {
        match (next, end.unwrap_or(false)) {
            (Some(next), false) => Ok(Transition::Next(next)),
            (None, true) => Ok(Transition::End),
            (Some(_), true) => Err(self.error("has both Next and End: true; keep exactly one")),
            (None, false) => Err(self.error("needs Next or End: true")),
        }
    }

    fn template(
        &self,
        field: &str,
        value: Option<Value>,
    ) -> Result<Option<Template>, DefinitionError> {
        value
            .map(|value| self.field(field, Template::compile(&value)))
            .transpose()
    }

    fn selector(&self, field: &str, path: &NullablePath) -> Result<Selector, DefinitionError> {
        self.field(field, Selector::from_field(path))
    }

    fn result_path(&self, path: &NullablePath) -> Result<ResultPath, DefinitionError> {
        self.field("ResultPath", ResultPath::from_field(path))
    }

    fn query_language(&self, language: Option<String>) -> Result<(), DefinitionError> {
        check_query_language(
            language.map(Value::String).as_ref(),
            &format!("state '{}' ({})", self.name, self.scope),
        )
    }

    fn retry_catch(
        &self,
        retry: Option<Vec<RawRetrier>>,
        catch: Option<Vec<RawCatcher>>,
    ) -> Result<(Vec<Retrier>, Vec<Catcher>), DefinitionError> {
        let retriers = retry
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                Retrier::from_raw(raw, &format!("Retry[{i}]")).map_err(|why| self.error(why))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let catchers = catch
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                Catcher::from_raw(raw, &format!("Catch[{i}]")).map_err(|why| self.error(why))
            })
            .collect::<Result<Vec<_>, _>>()?;
        retry::check_error_equals(retriers.iter().map(|r| &r.error_equals), "Retry")
            .map_err(|why| self.error(why))?;
        retry::check_error_equals(catchers.iter().map(|c| &c.error_equals), "Catch")
            .map_err(|why| self.error(why))?;
        Ok((retriers, catchers))
    }

    fn seconds(
        &self,
        field: &str,
        fixed: Option<u64>,
        path: Option<String>,
    ) -> Result<Seconds, DefinitionError> {
        match (fixed, path) {
            (Some(_), Some(_)) => {
                Err(self.error(format!("has both {field} and {field}Path; keep one")))
            }
            (Some(seconds), None) => {
                if !(1..=99_999_999).contains(&seconds) {
                    return Err(self.error(format!(
                        "field {field}: must be a positive integer up to 99999999"
                    )));
                }
                Ok(Seconds::Fixed(seconds))
            }
            (None, Some(path)) => Ok(Seconds::Path(
                self.field(&format!("{field}Path"), Path::parse(&path))?,
            )),
            (None, None) => Ok(Seconds::Unset),
        }
    }
}

fn parse_state(name: &str, value: &Value, scope: &str) -> Result<State, DefinitionError> {
    let at = StateScope { scope, name };
    let object = value
        .as_object()
        .ok_or_else(|| at.error("a state must be a JSON object"))?;
    for jsonata in ["Arguments", "Output"] {
        if object.contains_key(jsonata) {
            return Err(at.error(format!(
                "field {jsonata}: is a JSONata field; this executor runs JSONPath states (use Parameters, ResultSelector, OutputPath)"
            )));
        }
    }
    if object.contains_key("Assign") {
        return Err(at.error(
            "field Assign: workflow variables are not supported by this executor; pass data in the state input",
        ));
    }
    let kind = match object.get("Type") {
        Some(Value::String(kind)) => kind.as_str(),
        _ => {
            return Err(
                at.error("field Type: is required and must be a state type such as \"Task\"")
            );
        }
    };
    if matches!(kind, "Choice" | "Succeed" | "Fail") {
        for field in ["Next", "End"] {
            if object.contains_key(field) {
                return Err(at.error(format!(
                    "field {field}: a {kind} state has no {field}{}",
                    if kind == "Choice" {
                        "; put Next in each Choice Rule and use Default"
                    } else {
                        ""
                    }
                )));
            }
        }
    }
    let (input_path, output_path, transition, body) = match kind {
        "Pass" => {
            let raw: raw::Pass = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            let body = Body::Pass(Pass {
                parameters: at.template("Parameters", raw.parameters)?,
                result: raw.result,
                result_path: at.result_path(&raw.result_path)?,
            });
            (
                raw.input_path,
                raw.output_path,
                at.transition(raw.next, raw.end)?,
                body,
            )
        }
        "Task" => {
            let raw: raw::Task = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = (raw.comment, raw.credentials);
            let target = Target::resolve(&raw.resource);
            if let Target::LambdaInvoke { .. } = target {
                let has_name = raw.parameters.as_ref().is_some_and(|p| {
                    p.get("FunctionName").is_some() || p.get("FunctionName.$").is_some()
                });
                if !has_name {
                    return Err(at.error(
                        "field Parameters: arn:aws:states:::lambda:invoke needs Parameters.FunctionName",
                    ));
                }
            }
            let timeout = at.seconds(
                "TimeoutSeconds",
                raw.timeout_seconds,
                raw.timeout_seconds_path,
            )?;
            let heartbeat = at.seconds(
                "HeartbeatSeconds",
                raw.heartbeat_seconds,
                raw.heartbeat_seconds_path,
            )?;
            if let (Seconds::Fixed(timeout), Seconds::Fixed(heartbeat)) = (&timeout, &heartbeat)
                && heartbeat >= timeout
            {
                return Err(at.error("field HeartbeatSeconds: must be less than TimeoutSeconds"));
            }
            let (retry, catch) = at.retry_catch(raw.retry, raw.catch)?;
            let body = Body::Task(Box::new(Task {
                resource: raw.resource,
                target,
                parameters: at.template("Parameters", raw.parameters)?,
                result_selector: at.template("ResultSelector", raw.result_selector)?,
                result_path: at.result_path(&raw.result_path)?,
                retry,
                catch,
                timeout,
                heartbeat,
            }));
            (
                raw.input_path,
                raw.output_path,
                at.transition(raw.next, raw.end)?,
                body,
            )
        }
        "Choice" => {
            let raw: raw::Choice = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            if raw.choices.is_empty() {
                return Err(at.error("field Choices: must be a non-empty array of Choice Rules"));
            }
            let choices = raw
                .choices
                .iter()
                .enumerate()
                .map(|(i, rule)| {
                    ChoiceRule::parse(rule, &format!("Choices[{i}]"))
                        .map_err(|why| at.error(format!("field {why}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let body = Body::Choice(Choice {
                choices,
                default: raw.default,
            });
            (raw.input_path, raw.output_path, Transition::Own, body)
        }
        "Wait" => {
            let raw: raw::Wait = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            let wait = match (raw.seconds, raw.timestamp, raw.seconds_path, raw.timestamp_path) {
                (Some(seconds), None, None, None) => Wait::Seconds(seconds),
                (None, Some(timestamp), None, None) => Wait::Timestamp(at.field(
                    "Timestamp",
                    parse_timestamp(&timestamp).ok_or_else(|| {
                        format!("'{timestamp}' is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z")
                    }),
                )?),
                (None, None, Some(path), None) => {
                    Wait::SecondsPath(at.field("SecondsPath", Path::parse(&path))?)
                }
                (None, None, None, Some(path)) => {
                    Wait::TimestampPath(at.field("TimestampPath", Path::parse(&path))?)
                }
                _ => {
                    return Err(at.error(
                        "needs exactly one of Seconds, Timestamp, SecondsPath or TimestampPath",
                    ));
                }
            };
            (
                raw.input_path,
                raw.output_path,
                at.transition(raw.next, raw.end)?,
                Body::Wait(wait),
            )
        }
        "Succeed" => {
            let raw: raw::Succeed = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            (
                raw.input_path,
                raw.output_path,
                Transition::Own,
                Body::Succeed,
            )
        }
        "Fail" => {
            let raw: raw::Fail = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            let error = fail_field(&at, "Error", raw.error, raw.error_path)?;
            let cause = fail_field(&at, "Cause", raw.cause, raw.cause_path)?;
            (
                NullablePath::Absent,
                NullablePath::Absent,
                Transition::Own,
                Body::Fail(Fail { error, cause }),
            )
        }
        "Parallel" => {
            let raw: raw::Parallel = at.raw(value)?;
            at.query_language(raw.query_language)?;
            let _ = raw.comment;
            if raw.branches.is_empty() {
                return Err(at.error("field Branches: must be a non-empty array"));
            }
            let branches = raw
                .branches
                .iter()
                .enumerate()
                .map(|(i, branch)| {
                    let inner = format!("branch {i} of Parallel '{name}' in {scope}");
                    let object = branch.as_object().ok_or_else(|| {
                        at.error(format!(
                            "field Branches[{i}]: must be an object with StartAt and States"
                        ))
                    })?;
                    check_keys(object, &["StartAt", "States", "Comment"], &inner)?;
                    parse_block(object, &inner)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let (retry, catch) = at.retry_catch(raw.retry, raw.catch)?;
            let body = Body::Parallel(Parallel {
                branches,
                parameters: at.template("Parameters", raw.parameters)?,
                result_selector: at.template("ResultSelector", raw.result_selector)?,
                result_path: at.result_path(&raw.result_path)?,
                retry,
                catch,
            });
            (
                raw.input_path,
                raw.output_path,
                at.transition(raw.next, raw.end)?,
                body,
            )
        }
        "Map" => {
            let raw: raw::Map = at.raw(value)?;
            at.query_language(raw.query_language.clone())?;
            parse_map(&at, raw, name, scope)?
        }
        other => {
            return Err(at.error(format!(
                "field Type: '{other}' is not a state type; use Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map"
            )));
        }
    };
    Ok(State {
        name: name.to_string(),
        input_path: at.selector("InputPath", &input_path)?,
        output_path: at.selector("OutputPath", &output_path)?,
        transition,
        body,
    })
}

fn parse_map(
    at: &StateScope<'_>,
    raw: raw::Map,
    name: &str,
    scope: &str,
) -> Result<(NullablePath, NullablePath, Transition, Body), DefinitionError> {
    let distributed = [
        ("ItemReader", raw.item_reader.is_some()),
        ("ItemBatcher", raw.item_batcher.is_some()),
        ("ResultWriter", raw.result_writer.is_some()),
        (
            "ToleratedFailureCount",
            raw.tolerated_failure_count.is_some(),
        ),
        (
            "ToleratedFailurePercentage",
            raw.tolerated_failure_percentage.is_some(),
        ),
        (
            "ToleratedFailureCountPath",
            raw.tolerated_failure_count_path.is_some(),
        ),
        (
            "ToleratedFailurePercentagePath",
            raw.tolerated_failure_percentage_path.is_some(),
        ),
        ("Label", raw.label.is_some()),
    ];
    if let Some((field, _)) = distributed.iter().find(|(_, present)| *present) {
        return Err(at.error(format!(
            "field {field}: belongs to a Distributed Map, which this executor does not run; use an inline Map"
        )));
    }
    let (processor_value, processor_field) = match (&raw.item_processor, &raw.iterator) {
        (Some(processor), None) => (processor, "ItemProcessor"),
        (None, Some(iterator)) => (iterator, "Iterator"),
        (Some(_), Some(_)) => {
            return Err(at.error("has both ItemProcessor and Iterator; keep ItemProcessor"));
        }
        (None, None) => return Err(at.error("needs ItemProcessor (or the legacy Iterator)")),
    };
    let inner = format!("{processor_field} of Map '{name}' in {scope}");
    let processor_object = processor_value.as_object().ok_or_else(|| {
        at.error(format!(
            "field {processor_field}: must be an object with StartAt and States"
        ))
    })?;
    check_keys(
        processor_object,
        &["StartAt", "States", "Comment", "ProcessorConfig"],
        &inner,
    )?;
    if let Some(config) = processor_object.get("ProcessorConfig") {
        match config.get("Mode").and_then(Value::as_str) {
            None | Some("INLINE") => {}
            Some("DISTRIBUTED") => {
                return Err(at.error(format!(
                    "field {processor_field}.ProcessorConfig.Mode: DISTRIBUTED is not supported; use INLINE"
                )));
            }
            Some(other) => {
                return Err(at.error(format!(
                    "field {processor_field}.ProcessorConfig.Mode: '{other}' must be INLINE"
                )));
            }
        }
    }
    let processor = parse_block(processor_object, &inner)?;
    let item_selector = match (raw.item_selector, raw.parameters) {
        (Some(_), Some(_)) => {
            return Err(at.error("has both ItemSelector and Parameters; keep ItemSelector"));
        }
        (Some(selector), None) => at.template("ItemSelector", Some(selector))?,
        (None, Some(parameters)) => at.template("Parameters", Some(parameters))?,
        (None, None) => None,
    };
    let items_path = match raw.items_path {
        None => None,
        Some(path) if path == "$" => None,
        Some(path) => {
            if !path.starts_with("$$") {
                at.field("ItemsPath", ReferencePath::parse(&path).map(|_| ()))?;
            }
            Some(at.field("ItemsPath", Path::parse(&path))?)
        }
    };
    let max_concurrency = match (raw.max_concurrency, raw.max_concurrency_path) {
        (Some(_), Some(_)) => {
            return Err(at.error("has both MaxConcurrency and MaxConcurrencyPath; keep one"));
        }
        (Some(limit), None) => Seconds::Fixed(limit),
        (None, Some(path)) => Seconds::Path(at.field("MaxConcurrencyPath", Path::parse(&path))?),
        (None, None) => Seconds::Unset,
    };
    let (retry, catch) = at.retry_catch(raw.retry, raw.catch)?;
    let body = Body::Map(Box::new(MapState {
        processor,
        items_path,
        item_selector,
        max_concurrency,
        result_selector: at.template("ResultSelector", raw.result_selector)?,
        result_path: at.result_path(&raw.result_path)?,
        retry,
        catch,
    }));
    let _ = raw.comment;
    Ok((
        raw.input_path,
        raw.output_path,
        at.transition(raw.next, raw.end)?,
        body,
    ))
}

/// The intrinsics a Fail state's ErrorPath/CausePath may call (state-fail.html).
const FAIL_INTRINSICS: [&str; 7] = [
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

fn fail_field(
    at: &StateScope<'_>,
    field: &str,
    fixed: Option<String>,
    path: Option<String>,
) -> Result<Dynamic, DefinitionError> {
    match (fixed, path) {
        (Some(_), Some(_)) => Err(at.error(format!(
            "has both {field} and {field}Path; you can specify either, not both"
        ))),
        (Some(text), None) => Ok(Dynamic::Fixed(text)),
        (None, Some(path)) if Intrinsic::looks_like(&path) => {
            let call = at.field(&format!("{field}Path"), Intrinsic::parse(&path))?;
            if !FAIL_INTRINSICS.contains(&call.name()) {
                return Err(at.error(format!(
                    "field {field}Path: {} does not return a string; use one of {}",
                    call.name(),
                    FAIL_INTRINSICS.join(", ")
                )));
            }
            Ok(Dynamic::Intrinsic(call))
        }
        (None, Some(path)) => Ok(Dynamic::Path(
            at.field(&format!("{field}Path"), Path::parse(&path))?,
        )),
        (None, None) => Ok(Dynamic::Unset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(json: &str) -> String {
        StateMachine::parse(json).unwrap_err().to_string()
    }

    #[test]
    fn a_hello_world_definition_parses() {
        // The example of "State machine structure in Amazon States Language".
        let machine = StateMachine::parse(
            r#"{"Comment": "A Hello World example of the Amazon States Language using a Pass state",
                "StartAt": "HelloWorld",
                "States": {"HelloWorld": {"Type": "Pass", "Result": "Hello World!", "End": true}}}"#,
        )
        .expect("valid");
        assert_eq!(machine.start_at(), "HelloWorld");
        assert_eq!(machine.states()[0].kind, StateKind::Pass);
    }

    #[test]
    fn start_at_must_name_a_state() {
        let message = error(r#"{"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}"#);
        assert!(message.contains("StartAt 'Nope'"), "{message}");
    }

    #[test]
    fn next_targets_must_exist() {
        let message = error(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#);
        assert!(
            message.contains("state 'A'") && message.contains("Next names 'B'"),
            "{message}"
        );
        let message = error(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "D"}], "Default": "Gone"}, "D": {"Type": "Succeed"}}}"#,
        );
        assert!(message.contains("Default names 'Gone'"), "{message}");
        let message = error(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "f", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Missing"}]}}}"#,
        );
        assert!(
            message.contains("Catch[0].Next names 'Missing'"),
            "{message}"
        );
    }

    #[test]
    fn exactly_one_of_next_and_end() {
        let both = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": true}}}"#,
        );
        assert!(both.contains("both Next and End"), "{both}");
        let neither = error(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"#);
        assert!(neither.contains("needs Next or End"), "{neither}");
        let choice_end = error(
            r#"{"StartAt": "C", "States": {"C": {"Type": "Choice", "End": true, "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "C"}]}}}"#,
        );
        assert!(
            choice_end.contains("a Choice state has no End"),
            "{choice_end}"
        );
    }

    #[test]
    fn states_all_must_be_last_and_alone() {
        let message = error(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "f", "End": true,
                "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]}}}"#,
        );
        assert!(
            message.contains("state 'T'") && message.contains("Retry[0]"),
            "{message}"
        );
        let alone = error(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "f", "End": true,
                "Catch": [{"ErrorEquals": ["States.ALL", "E"], "Next": "T"}]}}}"#,
        );
        assert!(alone.contains("alone"), "{alone}");
    }

    #[test]
    fn unknown_fields_are_refused_per_state_type() {
        let message = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Resource": "x"}}}"#,
        );
        assert!(
            message.contains("state 'A'") && message.contains("Resource"),
            "{message}"
        );
        let nested = error(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "f", "End": true, "Retry": [{"ErrorEquals": ["E"], "MaxAttempt": 2}]}}}"#,
        );
        assert!(nested.contains("MaxAttempt"), "{nested}");
        let top = error(r#"{"StartAt": "A", "Statez": {}, "States": {"A": {"Type": "Succeed"}}}"#);
        assert!(top.contains("unknown field Statez"), "{top}");
    }

    #[test]
    fn jsonata_is_refused_clearly() {
        let message = error(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#,
        );
        assert!(message.contains("JSONata is not supported"), "{message}");
        let state = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed", "QueryLanguage": "JSONata"}}}"#,
        );
        assert!(
            state.contains("state 'A'") && state.contains("JSONata"),
            "{state}"
        );
    }

    #[test]
    fn branches_and_item_processors_are_checked_recursively() {
        let message = error(
            r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Outside"}}}]}}}"#,
        );
        assert!(
            message.contains("branch 1 of Parallel 'P'") && message.contains("'Outside'"),
            "{message}"
        );
        let map = error(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
                "StartAt": "X", "States": {"X": {"Type": "Wait", "End": true}}}}}}"#,
        );
        assert!(
            map.contains("ItemProcessor of Map 'M'") && map.contains("state 'X'"),
            "{map}"
        );
    }

    #[test]
    fn unreachable_states_are_refused() {
        let message = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}}}"#,
        );
        assert!(
            message.contains("'Orphan'") && message.contains("cannot be reached"),
            "{message}"
        );
    }

    #[test]
    fn field_values_are_checked() {
        let wait = error(
            r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}}}"#,
        );
        assert!(wait.contains("exactly one of Seconds"), "{wait}");
        let path = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.a[*]", "End": true}}}"#,
        );
        assert!(path.contains("field ResultPath"), "{path}");
        let fail = error(
            r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}}"#,
        );
        assert!(fail.contains("either, not both"), "{fail}");
        let intrinsic = error(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Nope()"}, "End": true}}}"#,
        );
        assert!(
            intrinsic.contains("field Parameters") && intrinsic.contains("unknown function"),
            "{intrinsic}"
        );
        let invoke = error(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
        );
        assert!(invoke.contains("FunctionName"), "{invoke}");
        let distributed = error(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemReader": {}, "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}"#,
        );
        assert!(distributed.contains("Distributed Map"), "{distributed}");
    }

    #[test]
    fn placeholders_are_listed_and_substituted() {
        let json = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${FetchTokenArn}", "Next": "U"},
            "U": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "${ReportArn}", "Payload.$": "$"}, "End": true}}}"#;
        assert_eq!(
            StateMachine::placeholders(json),
            BTreeSet::from(["FetchTokenArn".to_string(), "ReportArn".to_string()])
        );
        let subs = BTreeMap::from([
            (
                "FetchTokenArn".to_string(),
                "arn:aws:lambda:us-east-1:1:function:fetch-token".to_string(),
            ),
            (
                "ReportArn".to_string(),
                "arn:aws:lambda:us-east-1:1:function:report".to_string(),
            ),
        ]);
        let machine = StateMachine::with_substitutions(json, &subs).expect("valid");
        assert_eq!(
            machine.task_functions(),
            BTreeSet::from(["fetch-token".to_string(), "report".to_string()])
        );
        let missing = StateMachine::with_substitutions(json, &BTreeMap::new()).unwrap_err();
        assert!(
            missing.to_string().contains("${FetchTokenArn}"),
            "{missing}"
        );
    }

    #[test]
    fn the_recommended_lambda_task_shape_parses() {
        // GIVEN a Task with the AWS-recommended Retry on Lambda service errors, a long
        // backoff on a rate limit, a timeout and a catch-all to a failure report
        let machine = StateMachine::parse(
            r#"{"StartAt": "Collect", "States": {
                "Collect": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "${Collect}", "Payload.$": "$"},
                    "OutputPath": "$.Payload", "TimeoutSeconds": 300,
                    "Retry": [
                        {"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                         "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"},
                        {"ErrorEquals": ["LinkedIn.RateLimited"], "IntervalSeconds": 60, "MaxAttempts": 5, "BackoffRate": 2, "MaxDelaySeconds": 900}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Report failure"}],
                    "Next": "Done"},
                "Report failure": {"Type": "Pass", "Next": "Failed"},
                "Failed": {"Type": "Fail", "Error": "Collect.Failed", "CausePath": "$.error.Cause"},
                "Done": {"Type": "Succeed"}}}"#,
        )
        .expect("valid");
        // THEN its function is known from the placeholder
        assert_eq!(
            machine.task_functions(),
            BTreeSet::from(["Collect".to_string()])
        );
    }

    #[test]
    fn states_lists_nested_states_with_their_parent() {
        let machine = StateMachine::parse(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
                "StartAt": "V", "States": {"V": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:ship-val", "End": true}}}}}}"#,
        )
        .expect("valid");
        let states = machine.states();
        assert_eq!(states.len(), 2);
        assert_eq!(states[1].name, "V");
        assert_eq!(states[1].parent.as_deref(), Some("M"));
        assert_eq!(states[1].function.as_deref(), Some("ship-val"));
    }
    #[test]
    fn local_substitutions_name_each_function_after_its_placeholder() {
        // GIVEN a definition with two function placeholders and another one
        let json =
            r#"{"A": "${FetchTokenFunctionArn}", "B": "${ReportFunctionArn}", "C": "${Bucket}"}"#;
        // WHEN local stand-ins are made
        let subs = StateMachine::local_substitutions(json);
        // THEN each function placeholder is a Lambda ARN ending in the kebab-case step name
        assert_eq!(
            subs["FetchTokenFunctionArn"],
            "arn:aws:lambda:us-east-1:000000000000:function:fetch-token"
        );
        assert!(subs["ReportFunctionArn"].ends_with(":function:report"));
        assert!(!subs.contains_key("Bucket"));
    }
}
