//! Target input: EventBridge's `Input`, `InputPath` and `InputTransformer` (InputPathsMap +
//! InputTemplate), with every substitution trap AWS has.
//!
//! Owns turning a matched event into the text a target receives. It must never escape or
//! re-quote what AWS inserts raw, and never read a clock (ingestion time is passed in).
//!
//! # API
//!
//! - [`InputTransformer::parse`] reads `{"InputPathsMap": {...}, "InputTemplate": "..."}`;
//!   [`InputTransformer::validate`] applies PutTargets' checks for one target id.
//! - [`InputTransformer::render`]`(event, &RenderContext)` returns the input text. It is a
//!   `String`, not JSON, because AWS does not guarantee JSON: a value containing `"` inserted
//!   into a string produces invalid JSON, and that is what the target gets.
//! - [`TargetInput::from_target`] enforces that `Input`, `InputPath` and `InputTransformer`
//!   are mutually exclusive; [`TargetInput::render`] produces what the target receives.
//!
//! # Substitution rules
//!
//! - A placeholder `<name>` outside any JSON string is replaced by the value's JSON text, a
//!   string value between quotes (`{"state": <state>}` gives `{"state": "RUNNING"}`).
//! - Inside a JSON string it is replaced by the raw text: strings without quotes and
//!   without escaping, other values as their JSON text.
//! - A declared variable whose path is missing from the event renders as an empty string:
//!   nothing inside a string, `""` as a value.
//! - Reserved variables: `<aws.events.rule-name>`, `<aws.events.rule-arn>`,
//!   `<aws.events.event.ingestion-time>` (ISO-8601 UTC), `<aws.events.event>` (the event
//!   without `detail`, with `detailType` for `detail-type`) and `<aws.events.event.json>` (the
//!   event verbatim).
//! - A placeholder that is neither declared nor reserved is refused at PutTargets with
//!   `InputTemplate for target <id> contains invalid placeholder <name>.`

mod path;
pub(crate) mod time;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

pub use path::select;
pub use time::iso8601_utc;

/// The most variables an InputPathsMap may declare.
pub const MAX_INPUT_PATHS: usize = 100;

const RULE_NAME: &str = "aws.events.rule-name";
const RULE_ARN: &str = "aws.events.rule-arn";
const INGESTION_TIME: &str = "aws.events.event.ingestion-time";
const EVENT: &str = "aws.events.event";
const EVENT_JSON: &str = "aws.events.event.json";
const RESERVED: [&str; 5] = [RULE_NAME, RULE_ARN, INGESTION_TIME, EVENT, EVENT_JSON];

/// Why a target's input configuration is refused (PutTargets' ValidationException).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransformError {
    /// The template uses a placeholder that is neither declared nor reserved.
    InvalidPlaceholder { target_id: String, name: String },
    /// More than one of Input, InputPath and InputTransformer.
    NotExclusive { target_id: String },
    /// More than [`MAX_INPUT_PATHS`] variables (⚠ AWS's exact wording not recorded).
    TooManyPaths { target_id: String },
    /// A reserved variable declared in InputPathsMap (⚠ AWS's exact wording not recorded).
    ReservedVariable { target_id: String, name: String },
    /// The transformer document itself is not of the expected shape.
    Malformed(String),
}

impl fmt::Display for TransformError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransformError::InvalidPlaceholder { target_id, name } => write!(
                formatter,
                "InputTemplate for target {target_id} contains invalid placeholder {name}."
            ),
            TransformError::NotExclusive { target_id } => write!(
                formatter,
                "Only one of Input, InputPath, or InputTransformer must be provided for target \
                 {target_id}."
            ),
            TransformError::TooManyPaths { target_id } => write!(
                formatter,
                "InputPathsMap for target {target_id} has more than {MAX_INPUT_PATHS} entries."
            ),
            TransformError::ReservedVariable { target_id, name } => write!(
                formatter,
                "InputPathsMap for target {target_id} redefines reserved variable {name}."
            ),
            TransformError::Malformed(message) => formatter.write_str(message),
        }
    }
}

impl std::error::Error for TransformError {}

/// What rendering needs besides the event: the rule and the (virtual) ingestion time.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    pub rule_name: &'a str,
    pub rule_arn: &'a str,
    pub ingestion_time_ms: u64,
}

/// An InputTransformer: variables (name -> JSONPath) and a template using them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputTransformer {
    pub input_paths_map: BTreeMap<String, String>,
    pub input_template: String,
}

/// A placeholder found in a template: its name, where it is, and whether it sits inside a
/// JSON string.
struct Placeholder<'t> {
    name: &'t str,
    start: usize,
    end: usize,
    in_string: bool,
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// Scans a template for `<name>` placeholders, tracking JSON string state (a `"` not escaped
/// by a backslash opens or closes a string).
fn placeholders(template: &str) -> Vec<Placeholder<'_>> {
    let bytes = template.as_bytes();
    let mut found = Vec::new();
    let (mut index, mut in_string) = (0usize, false);
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\\' if in_string => index += 1,
            b'"' => in_string = !in_string,
            b'<' => {
                let length = bytes
                    .get(index + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|byte| is_name_byte(**byte))
                    .count();
                let close = index + 1 + length;
                if length > 0 && bytes.get(close) == Some(&b'>') {
                    if let Some(name) = template.get(index + 1..close) {
                        found.push(Placeholder {
                            name,
                            start: index,
                            end: close + 1,
                            in_string,
                        });
                    }
                    index = close;
                }
            }
            _ => {}
        }
        index += 1;
    }
    found
}

/// `<aws.events.event>`: the event without `detail`, `detail-type` renamed `detailType`.
fn event_without_detail(event: &Value) -> Value {
    let mut object = Map::new();
    for (key, name) in [
        ("id", "id"),
        ("account", "account"),
        ("detail-type", "detailType"),
        ("time", "time"),
        ("source", "source"),
        ("region", "region"),
        ("resources", "resources"),
        ("version", "version"),
    ] {
        if let Some(value) = event.get(key) {
            object.insert(name.to_string(), value.clone());
        }
    }
    Value::Object(object)
}

impl InputTransformer {
    /// Reads the API shape `{"InputPathsMap": {name: path}, "InputTemplate": text}`.
    pub fn parse(document: &Value) -> Result<InputTransformer, TransformError> {
        let template = document
            .get("InputTemplate")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                TransformError::Malformed("InputTemplate must be a string".to_string())
            })?;
        let mut input_paths_map = BTreeMap::new();
        if let Some(map) = document.get("InputPathsMap") {
            let Value::Object(entries) = map else {
                return Err(TransformError::Malformed(
                    "InputPathsMap must be an object".to_string(),
                ));
            };
            for (name, path) in entries {
                let path = path.as_str().ok_or_else(|| {
                    TransformError::Malformed(format!("InputPathsMap.{name} must be a string"))
                })?;
                input_paths_map.insert(name.clone(), path.to_string());
            }
        }
        Ok(InputTransformer {
            input_paths_map,
            input_template: template.to_string(),
        })
    }

    /// PutTargets' checks for target `target_id`. JSONPaths are not checked: AWS does not.
    pub fn validate(&self, target_id: &str) -> Result<(), TransformError> {
        if self.input_paths_map.len() > MAX_INPUT_PATHS {
            return Err(TransformError::TooManyPaths {
                target_id: target_id.to_string(),
            });
        }
        if let Some(name) = self
            .input_paths_map
            .keys()
            .find(|name| RESERVED.contains(&name.as_str()))
        {
            return Err(TransformError::ReservedVariable {
                target_id: target_id.to_string(),
                name: name.clone(),
            });
        }
        for placeholder in placeholders(&self.input_template) {
            let declared = self.input_paths_map.contains_key(placeholder.name);
            if !declared && !RESERVED.contains(&placeholder.name) {
                return Err(TransformError::InvalidPlaceholder {
                    target_id: target_id.to_string(),
                    name: placeholder.name.to_string(),
                });
            }
        }
        Ok(())
    }

    /// The input text the target receives for `event`.
    pub fn render(&self, event: &Value, context: &RenderContext<'_>) -> String {
        let template = &self.input_template;
        let mut output = String::with_capacity(template.len());
        let mut copied = 0;
        for placeholder in placeholders(template) {
            let Some(value) = self.resolve(placeholder.name, event, context) else {
                continue;
            };
            output.push_str(template.get(copied..placeholder.start).unwrap_or(""));
            copied = placeholder.end;
            match (value, placeholder.in_string) {
                (None, true) => {}
                (None, false) => output.push_str("\"\""),
                (Some(Value::String(text)), true) => output.push_str(&text),
                (Some(Value::String(text)), false) => {
                    output.push('"');
                    output.push_str(&text);
                    output.push('"');
                }
                (Some(other), _) => output.push_str(&other.to_string()),
            }
        }
        output.push_str(template.get(copied..).unwrap_or(""));
        output
    }

    /// The value a placeholder stands for: `None` when the name is unknown (left as typed),
    /// `Some(None)` when declared but missing from the event (rendered empty).
    fn resolve(
        &self,
        name: &str,
        event: &Value,
        context: &RenderContext<'_>,
    ) -> Option<Option<Value>> {
        let reserved = match name {
            RULE_NAME => Some(Value::String(context.rule_name.to_string())),
            RULE_ARN => Some(Value::String(context.rule_arn.to_string())),
            INGESTION_TIME => Some(Value::String(iso8601_utc(context.ingestion_time_ms))),
            EVENT => Some(event_without_detail(event)),
            EVENT_JSON => Some(event.clone()),
            _ => None,
        };
        if reserved.is_some() {
            return Some(reserved);
        }
        let path = self.input_paths_map.get(name)?;
        Some(select(event, path).cloned())
    }
}

/// How a target's input is configured: at most one of the three, or none (the whole event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetInput {
    MatchedEvent,
    /// `Input`: constant JSON text.
    Constant(String),
    /// `InputPath`: a JSONPath selecting part of the event.
    Path(String),
    Transformer(InputTransformer),
}

impl TargetInput {
    /// Builds a target's input configuration, refusing more than one kind as PutTargets does,
    /// and validating a transformer.
    pub fn from_target(
        input: Option<&str>,
        input_path: Option<&str>,
        transformer: Option<InputTransformer>,
        target_id: &str,
    ) -> Result<TargetInput, TransformError> {
        let given = usize::from(input.is_some())
            + usize::from(input_path.is_some())
            + usize::from(transformer.is_some());
        if given > 1 {
            return Err(TransformError::NotExclusive {
                target_id: target_id.to_string(),
            });
        }
        if let Some(transformer) = transformer {
            transformer.validate(target_id)?;
            return Ok(TargetInput::Transformer(transformer));
        }
        Ok(match (input, input_path) {
            (Some(text), _) => TargetInput::Constant(text.to_string()),
            (_, Some(path)) => TargetInput::Path(path.to_string()),
            _ => TargetInput::MatchedEvent,
        })
    }

    /// What the target receives. `InputPath` selecting a string delivers it as a JSON string
    /// (with quotes); selecting nothing delivers `null` (⚠ not recorded against AWS).
    pub fn render(&self, event: &Value, context: &RenderContext<'_>) -> String {
        match self {
            TargetInput::MatchedEvent => event.to_string(),
            TargetInput::Constant(text) => text.clone(),
            TargetInput::Path(path) => select(event, path)
                .map(Value::to_string)
                .unwrap_or_else(|| "null".to_string()),
            TargetInput::Transformer(transformer) => transformer.render(event, context),
        }
    }
}
