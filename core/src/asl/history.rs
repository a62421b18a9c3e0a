//! Execution history: AWS-style events (`TaskStateEntered`, `TaskScheduled`, …) with their
//! virtual timestamps, so a run reads like `GetExecutionHistory`.
//!
//! It must never carry a `usize` or a wall-clock time: ids are u32, times virtual ms.

use serde::Serialize;
use serde_json::Value;

/// One history event. Optional details are left out of the JSON when absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEvent {
    pub id: u32,
    pub timestamp_ms: u64,
    #[serde(rename = "type")]
    pub kind: String,
    /// The state's name, as AWS shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The full state path when nested (`Process[0]/Thumbnail`), for branch and iteration
    /// events; absent at the top level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// A Map iteration's index, or the item count for `MapStateStarted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// Which attempt of a task this event belongs to (1 for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
}

impl HistoryEvent {
    pub fn new(kind: impl Into<String>, timestamp_ms: u64) -> HistoryEvent {
        HistoryEvent {
            id: 0,
            timestamp_ms,
            kind: kind.into(),
            state: None,
            path: None,
            input: None,
            output: None,
            error: None,
            cause: None,
            resource: None,
            parameters: None,
            index: None,
            attempt: None,
        }
    }

    pub fn at_state(mut self, name: &str, path: &str) -> HistoryEvent {
        self.state = Some(name.to_string());
        if path != name {
            self.path = Some(path.to_string());
        }
        self
    }

    pub fn with_input(mut self, input: &Value) -> HistoryEvent {
        self.input = Some(input.clone());
        self
    }

    pub fn with_output(mut self, output: &Value) -> HistoryEvent {
        self.output = Some(output.clone());
        self
    }

    pub fn with_error(mut self, error: &str, cause: &str) -> HistoryEvent {
        self.error = Some(error.to_string());
        self.cause = Some(cause.to_string());
        self
    }

    pub fn with_index(mut self, index: u32) -> HistoryEvent {
        self.index = Some(index);
        self
    }
}

/// The prefix of a state type's `…StateEntered`/`…StateExited` events.
pub fn type_prefix(kind: &super::definition::Kind) -> &'static str {
    use super::definition::Kind;
    match kind {
        Kind::Pass { .. } => "Pass",
        Kind::Task(_) => "Task",
        Kind::Choice { .. } => "Choice",
        Kind::Wait(_) => "Wait",
        Kind::Succeed => "Succeed",
        Kind::Fail { .. } => "Fail",
        Kind::Parallel { .. } => "Parallel",
        Kind::Map(_) => "Map",
    }
}
