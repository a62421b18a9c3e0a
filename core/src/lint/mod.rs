//! The lint engine: rules about how a design's events and wiring are shaped, each one data
//! (id, severity, title, why it hurts, the exercise that teaches it) plus a function over the
//! design.
//!
//! Lint judges the design document alone, never a run; it never changes the design and never
//! fails: a rule that cannot make sense of part of a design says nothing about it (validation
//! reports broken references). Findings come out in rule order, then in document order.

mod chains;
mod correlation;
mod ownership;
mod steps;

use serde::Serialize;

use crate::design::{Design, Severity};

/// One rule: what it is about, and the function that finds it.
#[derive(Debug, Clone, Copy)]
pub struct LintRule {
    /// A stable id such as `event-foreign-data`, used in checks (`{"kind": "lint", "rule": ..}`).
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// Why it hurts, in a sentence or two.
    pub explanation: &'static str,
    /// The exercise that teaches the fix.
    pub exercise: &'static str,
    pub find: fn(&Design) -> Vec<Spot>,
}

/// Where a rule found something, and what, before it is stamped with the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub node: Option<String>,
    pub location: String,
    pub message: String,
}

/// A finding on a design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The node at fault, when there is one (the UI selects it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Where in the document, as a path such as `eventTypes/com.pizza.order.placed.v1/fields/name`.
    pub location: String,
    pub message: String,
    pub exercise: String,
}

impl Finding {
    /// One line: `error event-foreign-data eventTypes/x/fields/y: message`.
    pub fn to_line(&self) -> String {
        format!(
            "{} {} {}: {}",
            self.severity.name(),
            self.rule,
            self.location,
            self.message
        )
    }
}

static RULES: [LintRule; 3] = [
    LintRule {
        id: "event-foreign-data",
        severity: Severity::Error,
        title: "An event carries data its source service does not own",
        explanation: "An event is a fact its emitter vouches for. Data owned by another service goes stale inside the event and couples every consumer to both services; carry the other service's id and let consumers ask its owner.",
        exercise: "lean-events",
        find: ownership::find,
    },
    LintRule {
        id: "correlation-not-carried",
        severity: Severity::Warning,
        title: "A flow does not carry its correlation and causation ids",
        explanation: "Without the correlation id the next event starts a new flow, so one order can no longer be followed across services; without the causation id nobody can tell which event led to which.",
        exercise: "correlation",
        find: correlation::find,
    },
    LintRule {
        id: "sync-invoke-chain",
        severity: Severity::Warning,
        title: "A synchronous invoke chain longer than one hop",
        explanation: "Each caller waits, and pays, for everything after it, the timeouts stack up, and a failure anywhere fails the whole chain; emit an event and let the next function react instead.",
        exercise: "lambda-chain",
        find: chains::find,
    },
];

/// Every rule, in the order findings are reported.
pub fn rules() -> &'static [LintRule] {
    &RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static LintRule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule's findings on a design.
pub fn lint(design: &Design) -> Vec<Finding> {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    lint_with(design, &ids)
}

/// The findings of the named rules only (unknown ids find nothing).
pub fn lint_with(design: &Design, rule_ids: &[&str]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES.iter().filter(|r| rule_ids.contains(&r.id)) {
        for spot in (rule.find)(design) {
            findings.push(Finding {
                rule: rule.id.to_string(),
                severity: rule.severity,
                node: spot.node,
                location: spot.location,
                message: spot.message,
                exercise: rule.exercise.to_string(),
            });
        }
    }
    findings
}
