//! Reading a design's `checks` into typed properties (the JSON is in docs/checks-format.md).
//!
//! Owns the meaning of each kind's fields, which modes a kind allows, and the problems a check
//! can have before any run (unknown kind, missing field, a condition DynamoDB would reject, a
//! reference to a node that does not exist). It never runs or evaluates anything.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::design::{Check, Design, NodeKind};
use crate::dynamo::{parse_condition, Condition, Placeholders};

/// When a property is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// After every event: fails at the first event that violates it.
    Always,
    /// At the end of the run: undecided (never passed) when the run stopped at a bound.
    Eventually,
    /// A goal reached at some event.
    Sometimes,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Always => "always",
            Mode::Eventually => "eventually",
            Mode::Sometimes => "sometimes",
        }
    }

    fn parse(text: &str) -> Option<Mode> {
        match text {
            "always" => Some(Mode::Always),
            "eventually" => Some(Mode::Eventually),
            "sometimes" => Some(Mode::Sometimes),
            _ => None,
        }
    }
}

/// A check that can be evaluated: its id, words, mode and kind.
#[derive(Debug, Clone)]
pub struct Property {
    pub id: String,
    pub description: String,
    pub mode: Mode,
    pub kind: PropertyKind,
}

/// What a property watches.
#[derive(Debug, Clone)]
pub enum PropertyKind {
    /// An external API acts at most once per business key.
    AtMostOnce { api: String },
    /// At most once per key; in `eventually` mode also at least once for every produced key.
    ExactlyOnce { api: String },
    /// Every item of a table satisfies a condition expression at the end.
    FinalItems {
        table: String,
        condition_text: String,
        condition: Box<Condition>,
    },
    /// How many trace events of one kind (optionally at one node, of one event type) happen,
    /// in the whole run or in each flow.
    Count(CountSpec),
    /// A queue (or dead-letter queue) holds no message at the end.
    QueueEmpty { queue: String },
    /// Every flow a producer started reaches an event type.
    Reaches { event_type: String },
    /// An item's version attribute never goes backwards.
    VersionMonotonic { table: String, attribute: String },
    /// A lint rule reports nothing on the design.
    Lint { rule: String },
}

impl PropertyKind {
    pub fn name(&self) -> &'static str {
        match self {
            PropertyKind::AtMostOnce { .. } => "atMostOnce",
            PropertyKind::ExactlyOnce { .. } => "exactlyOnce",
            PropertyKind::FinalItems { .. } => "finalItems",
            PropertyKind::Count { .. } => "count",
            PropertyKind::QueueEmpty { .. } => "queueEmpty",
            PropertyKind::Reaches { .. } => "reaches",
            PropertyKind::VersionMonotonic { .. } => "versionMonotonic",
            PropertyKind::Lint { .. } => "lint",
        }
    }
}

/// A check that cannot be evaluated, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckProblem {
    pub check: String,
    pub message: String,
}

/// Every check of a design as a property, or the problems that stop it being one.
pub fn compile_checks(design: &Design) -> (Vec<Property>, Vec<CheckProblem>) {
    compile_check_list(&design.checks, design)
}

/// Like `compile_checks`, for checks that come from elsewhere (an exercise's locked checks).
pub fn compile_check_list(checks: &[Check], design: &Design) -> (Vec<Property>, Vec<CheckProblem>) {
    let mut properties = Vec::new();
    let mut problems = Vec::new();
    for check in checks {
        match compile(check, design) {
            Ok(property) => properties.push(property),
            Err(message) => problems.push(CheckProblem {
                check: check.id.clone(),
                message,
            }),
        }
    }
    (properties, problems)
}

/// The modes each kind allows; the first is its default.
fn allowed_modes(kind: &str) -> &'static [Mode] {
    match kind {
        "atMostOnce" | "versionMonotonic" => &[Mode::Always],
        "exactlyOnce" => &[Mode::Always, Mode::Eventually],
        "finalItems" | "queueEmpty" | "reaches" | "lint" => &[Mode::Eventually],
        "count" => &[Mode::Eventually, Mode::Always, Mode::Sometimes],
        _ => &[],
    }
}

fn compile(check: &Check, design: &Design) -> Result<Property, String> {
    let spec = &check.spec;
    let kind_name = text(spec, "kind")?;
    let allowed = allowed_modes(&kind_name);
    let Some(default_mode) = allowed.first().copied() else {
        return Err(format!(
            "unknown kind '{kind_name}' (known: atMostOnce, exactlyOnce, finalItems, count, queueEmpty, reaches, versionMonotonic, lint)"
        ));
    };
    let mode = match spec.get("mode") {
        None => default_mode,
        Some(Value::String(text)) => Mode::parse(text)
            .filter(|m| allowed.contains(m))
            .ok_or_else(|| {
                let names: Vec<&str> = allowed.iter().map(|m| m.name()).collect();
                format!(
                    "mode '{text}' is not one {kind_name} allows ({})",
                    names.join(", ")
                )
            })?,
        Some(_) => return Err("mode must be a string".to_string()),
    };
    let kind = match kind_name.as_str() {
        "atMostOnce" => PropertyKind::AtMostOnce {
            api: node_ref(spec, "api", design, "externalApi")?,
        },
        "exactlyOnce" => PropertyKind::ExactlyOnce {
            api: node_ref(spec, "api", design, "externalApi")?,
        },
        "finalItems" => final_items(spec, design)?,
        "count" => PropertyKind::Count(count(spec, design, mode)?),
        "queueEmpty" => PropertyKind::QueueEmpty {
            queue: node_ref(spec, "queue", design, "queue")?,
        },
        "reaches" => PropertyKind::Reaches {
            event_type: text(spec, "eventType")?,
        },
        "versionMonotonic" => PropertyKind::VersionMonotonic {
            table: node_ref(spec, "table", design, "table")?,
            attribute: optional_text(spec, "attribute")?.unwrap_or_else(|| "version".into()),
        },
        _ => {
            let rule = text(spec, "rule")?;
            if crate::lint::rule(&rule).is_none() {
                return Err(format!("unknown lint rule '{rule}'"));
            }
            PropertyKind::Lint { rule }
        }
    };
    Ok(Property {
        id: check.id.clone(),
        description: optional_text(spec, "description")?.unwrap_or_default(),
        mode,
        kind,
    })
}

fn final_items(spec: &Map<String, Value>, design: &Design) -> Result<PropertyKind, String> {
    let table = node_ref(spec, "table", design, "table")?;
    let condition_text = text(spec, "condition")?;
    // The placeholders are read exactly as DynamoDB reads a request's, with its messages.
    let mut placeholders = Placeholders::from_request(spec.get("names"), spec.get("values"))?;
    let condition = parse_condition(&condition_text, &mut placeholders)
        .map_err(|e| format!("Invalid ConditionExpression: {}", e.message))?;
    Ok(PropertyKind::FinalItems {
        table,
        condition_text,
        condition: Box::new(condition),
    })
}

/// A `count`: which events, and the bounds on their number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountSpec {
    pub trace_kind: String,
    pub node: Option<String>,
    pub event_type: Option<String>,
    pub bounds: Bounds,
    /// Count within each flow a producer started (by correlation id) instead of the whole run.
    pub per_correlation: bool,
}

/// Inclusive bounds on a number; at least one is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

impl Bounds {
    pub fn contains(self, count: u32) -> bool {
        self.min.is_none_or(|m| count >= m) && self.max.is_none_or(|m| count <= m)
    }
}

fn count(spec: &Map<String, Value>, design: &Design, mode: Mode) -> Result<CountSpec, String> {
    let trace_kind = text(spec, "traceKind")?;
    if !TRACE_KIND_NAMES.contains(&trace_kind.as_str()) {
        return Err(format!(
            "traceKind '{trace_kind}' is not a trace event kind ({})",
            TRACE_KIND_NAMES.join(", ")
        ));
    }
    let node = optional_text(spec, "node")?;
    if let Some(node) = &node {
        if node != "run" && !design.nodes.iter().any(|n| &n.id == node) {
            return Err(format!("node '{node}' is not in the design"));
        }
    }
    let event_type = optional_text(spec, "eventType")?;
    if event_type.is_some()
        && !["produced", "published", "delivered"].contains(&trace_kind.as_str())
    {
        return Err("eventType filters only produced, published and delivered events".to_string());
    }
    let (bounds_spec, per_correlation) = match spec.get("perCorrelation") {
        None | Some(Value::Null) => (spec, false),
        Some(Value::Object(inner)) => {
            if spec.contains_key("min") || spec.contains_key("max") {
                return Err(
                    "put min and max either inside perCorrelation or beside it, not both"
                        .to_string(),
                );
            }
            if mode == Mode::Sometimes {
                return Err("perCorrelation counts are always or eventually".to_string());
            }
            (inner, true)
        }
        Some(_) => return Err("'perCorrelation' must be an object with min and/or max".to_string()),
    };
    let bounds = Bounds {
        min: optional_count(bounds_spec, "min")?,
        max: optional_count(bounds_spec, "max")?,
    };
    if bounds.min.is_none() && bounds.max.is_none() {
        return Err("a count needs min, max or both".to_string());
    }
    if let (Some(min), Some(max)) = (bounds.min, bounds.max) {
        if min > max {
            return Err(format!("min {min} is above max {max}"));
        }
    }
    Ok(CountSpec {
        trace_kind,
        node,
        event_type,
        bounds,
        per_correlation,
    })
}

/// The names `count` accepts, as the trace writes them.
pub const TRACE_KIND_NAMES: &[&str] = &[
    "produced",
    "published",
    "delivered",
    "fault",
    "invocationStarted",
    "step",
    "conditionFailed",
    "throttled",
    "invocationFinished",
    "retryScheduled",
    "deadLettered",
    "discarded",
    "messageSent",
    "messageDeduplicated",
    "messageReceived",
    "messageDeleted",
    "streamRecord",
    "externalEffect",
    "boundReached",
];

fn text(spec: &Map<String, Value>, field: &str) -> Result<String, String> {
    optional_text(spec, field)?.ok_or_else(|| format!("missing '{field}'"))
}

fn optional_text(spec: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match spec.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("'{field}' must be a string")),
    }
}

fn optional_count(spec: &Map<String, Value>, field: &str) -> Result<Option<u32>, String> {
    match spec.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("'{field}' must be a whole number from 0 to 4294967295")),
    }
}

/// A field naming a node of one kind; the node must exist and be of that kind.
fn node_ref(
    spec: &Map<String, Value>,
    field: &str,
    design: &Design,
    kind: &str,
) -> Result<String, String> {
    let id = text(spec, field)?;
    match design.nodes.iter().find(|n| n.id == id) {
        Some(node) if node.kind.name() == kind => Ok(id),
        Some(node) => Err(format!(
            "'{field}' names {id}, a {}, not a {kind}",
            node.kind.name()
        )),
        None => Err(format!("'{field}' names {id}, which is not in the design")),
    }
}

/// The partition and sort key names of a table node, for naming items in explanations.
pub fn key_names(design: &Design, table: &str) -> Vec<String> {
    let mut names = Vec::new();
    for node in &design.nodes {
        if let (true, NodeKind::Table(t)) = (node.id == table, &node.kind) {
            names.push(t.partition_key.name.clone());
            if let Some(sort) = &t.sort_key {
                names.push(sort.name.clone());
            }
        }
    }
    names
}
