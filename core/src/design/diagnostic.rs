//! Diagnostics: what is wrong with a design, where, and how bad. Validation never fails; it
//! returns these next to a best-effort model.

use serde::{Deserialize, Serialize};

/// How bad a finding is. `Error` stops `eventlab validate` from exiting 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding: a stable code, the place at fault and a sentence an attendee understands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier such as `unknown-target`, for tests and for the UI.
    pub code: String,
    /// The node at fault, when there is one (the UI selects it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Where in the document, as a path such as `nodes/kitchen/steps/2/condition`.
    pub location: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        code: &str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, location, message)
    }

    pub fn warning(
        code: &str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, location, message)
    }

    fn new(
        severity: Severity,
        code: &str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.to_string(),
            node: None,
            location: location.into(),
            message: message.into(),
        }
    }

    /// Names the node at fault.
    pub fn on_node(mut self, node: &str) -> Diagnostic {
        self.node = Some(node.to_string());
        self
    }

    /// One line: `error nodes/kitchen/steps/2: message`.
    pub fn to_line(&self) -> String {
        format!(
            "{} {}: {}",
            self.severity.name(),
            self.location,
            self.message
        )
    }
}
