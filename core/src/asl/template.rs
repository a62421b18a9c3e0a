//! Payload templates: `Parameters`, `ResultSelector` and `ItemSelector`, where a key ending in
//! `.$` takes its value from a path or an intrinsic call and every other value is literal.
//!
//! It must never resolve a missing path to null: AWS fails the state with `States.Runtime`.
//! Templates recurse into nested objects and arrays (so `Entries: [{"Detail.$": …}]` works, as
//! in AWS's `events:putEvents` examples); their depth is bounded by the definition depth limit
//! checked before parsing.

use serde_json::{Map, Value};

use super::intrinsic::{self, Call, Scope};
use super::path::Path;
use super::random::Generator;
use super::StateError;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    Literal(Value),
    Array(Vec<Template>),
    Object(Vec<(String, Source)>),
}

/// Where one key's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Template(Template),
    Path { key: String, path: Path },
    Call { key: String, call: Call },
}

/// A template problem: the location under the template and the message.
pub struct Problem {
    pub location: String,
    pub message: String,
}

impl Template {
    /// Parses a template; `location` is the field's location, e.g. `/States/A/Parameters`.
    pub fn parse(value: &Value, location: &str, problems: &mut Vec<Problem>) -> Template {
        let object = match value {
            Value::Object(object) => object,
            Value::Array(items) => {
                let parsed = items.iter().enumerate().map(|(index, item)| {
                    Template::parse(item, &format!("{location}[{index}]"), problems)
                });
                return Template::Array(parsed.collect());
            }
            _ => return Template::Literal(value.clone()),
        };
        let mut fields = Vec::with_capacity(object.len());
        for (key, member) in object {
            let Some(name) = key.strip_suffix(".$") else {
                let nested = Template::parse(member, &format!("{location}/{key}"), problems);
                fields.push((key.clone(), Source::Template(nested)));
                continue;
            };
            let message = format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call");
            let text = member.as_str().unwrap_or_default();
            let source = if intrinsic::looks_like_call(text) {
                intrinsic::parse(text).ok().map(|call| Source::Call {
                    key: key.clone(),
                    call,
                })
            } else {
                Path::parse(text).map(|path| Source::Path {
                    key: key.clone(),
                    path,
                })
            };
            match source {
                Some(source) => fields.push((name.to_string(), source)),
                None => problems.push(Problem {
                    location: format!("{location}/{key}"),
                    message,
                }),
            }
        }
        Template::Object(fields)
    }

    /// Builds the payload from the input and context object.
    pub fn evaluate(&self, scope: &Scope, generator: &mut Generator) -> Result<Value, StateError> {
        let fields = match self {
            Template::Literal(value) => return Ok(value.clone()),
            Template::Array(items) => {
                let values: Result<Vec<Value>, StateError> = items
                    .iter()
                    .map(|item| item.evaluate(scope, generator))
                    .collect();
                return values.map(Value::Array);
            }
            Template::Object(fields) => fields,
        };
        let mut object = Map::new();
        for (name, source) in fields {
            let value = match source {
                Source::Template(nested) => nested.evaluate(scope, generator)?,
                Source::Path { key, path } => {
                    let (root, what) = if path.context {
                        (scope.context, "context object")
                    } else {
                        (scope.input, "input")
                    };
                    path.read(root).map_err(|_| {
                        StateError::runtime(format!(
                            "The JSONPath '{}' specified for the field '{key}' could not be found in the {what} '{}'",
                            path.text, root
                        ))
                    })?
                }
                Source::Call { call, .. } => intrinsic::evaluate(call, scope, generator)
                    .map_err(|f| StateError::new(f.error, f.cause))?,
            };
            object.insert(name.clone(), value);
        }
        Ok(Value::Object(object))
    }
}
