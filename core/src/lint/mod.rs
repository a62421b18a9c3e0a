//! The lint engine: rules about how a design's events and wiring are shaped, each one data
//! (id, severity, title, why it hurts, the exercise that teaches it) plus a function over the
//! design.
//!
//! Lint judges the design document alone, never a run; it never changes the design and never
//! fails: a rule that cannot make sense of part of a design says nothing about it (validation
//! reports broken references). Findings come out in rule order, then in document order.

mod causation;
mod chains;
mod correlation;
mod cycles;
mod fat_events;
mod hot_partition;
mod idempotency;
mod naming;
mod ownership;
mod read_modify_write;
mod steps;
mod table_writers;
mod wiring;

/// The delivery wiring helpers, shared with the exports (which bus an event reaches, which
/// functions a rule feeds).
pub mod wiring_for_export {
    pub use super::wiring::{functions_reached, sample_event};
}

pub use fat_events::{MAX_EXAMPLE_BYTES, MAX_FIELDS};

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
    /// The exercise that teaches the fix (its `id`), when one does: that exercise's starting
    /// design triggers the rule and its solution does not (tests/lint_rules.rs proves it).
    pub exercise: Option<&'static str>,
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
    /// The exercise that teaches the fix, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
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

static RULES: [LintRule; 11] = [
    LintRule {
        id: "event-foreign-data",
        severity: Severity::Error,
        title: "An event carries data its source service does not own",
        explanation: "An event is a fact its emitter vouches for. Data owned by another service goes stale inside the event and couples every consumer to both services; carry the other service's id and let consumers ask its owner.",
        exercise: Some("lean-events"),
        find: ownership::find,
    },
    LintRule {
        id: "correlation-not-carried",
        severity: Severity::Warning,
        title: "A flow does not carry its correlation and causation ids",
        explanation: "Without the correlation id the next event starts a new flow, so one order can no longer be followed across services; without the causation id nobody can tell which event led to which.",
        exercise: Some("correlation"),
        find: correlation::find,
    },
    LintRule {
        id: "sync-invoke-chain",
        severity: Severity::Warning,
        title: "A synchronous invoke chain longer than one hop",
        explanation: "Each caller waits, and pays, for everything after it, the timeouts stack up, and a failure anywhere fails the whole chain; emit an event and let the next function react instead.",
        exercise: Some("lambda-chain"),
        find: chains::find,
    },
    LintRule {
        id: "event-too-fat",
        severity: Severity::Warning,
        title: "An event carries more than its fact",
        explanation: "A fat event (many fields, a large payload, whole entities carried just in case) makes every consumer depend on data the event never promised, so the emitter can no longer change it; carry the fact and the ids, and let consumers ask the owners.",
        exercise: Some("lean-events"),
        find: fat_events::find,
    },
    LintRule {
        id: "causation-missing",
        severity: Severity::Warning,
        title: "An event or workflow starts without a causation id",
        explanation: "The causation id is the id of the event that caused this one; without it a flow's events form a heap instead of a chain, and nobody can tell which event led to which when a duplicate or a retry shows up.",
        exercise: Some("correlation"),
        find: causation::find,
    },
    LintRule {
        id: "event-type-imperative",
        severity: Severity::Warning,
        title: "An event type names a command, not a fact",
        explanation: "An event says what happened (OrderPlaced), in the past tense; a name like SendEmail or ProcessPayment is a command in disguise: the emitter decides a consumer's job, and every new consumer has to pretend to be that one.",
        // No exercise's starting design names an event as a command (03's events are facts
        // and its handlers are locked), so no exercise can teach this rule yet.
        exercise: None,
        find: naming::find,
    },
    LintRule {
        id: "event-cycle",
        severity: Severity::Warning,
        title: "Events that lead back to the function that emitted them",
        explanation: "A function whose event triggers, directly or through others, the same function again runs without end: each pass emits the next event, and nothing but a bound or the bill stops it.",
        // No exercise's starting design has a cycle of events to break.
        exercise: None,
        find: cycles::find,
    },
    LintRule {
        id: "table-shared-writers",
        severity: Severity::Warning,
        title: "One table written by functions of more than one service",
        explanation: "A table with writers in several services has no owner: their writes overwrite each other, its items change without an event from their owner, and its schema cannot change without all of them.",
        // The lost-update exercise keeps two services writing the orders item: its lesson
        // is the condition, not a new owner, so its solution still shares the table.
        exercise: None,
        find: table_writers::find,
    },
    LintRule {
        id: "handler-not-idempotent",
        severity: Severity::Error,
        title: "A handler fed at least once does something unsafe to repeat, unguarded",
        explanation: "EventBridge, SQS standard queues and streams deliver at least once, so every handler sees duplicates; a payment, a counter increment or a workflow start without an idempotency guard happens twice.",
        exercise: Some("duplicates"),
        find: idempotency::find,
    },
    LintRule {
        id: "read-modify-write",
        severity: Severity::Error,
        title: "A read-modify-write of one item without a condition",
        explanation: "Two invocations that read the same item before either writes both write back from the old copy, and the second write silently undoes the first: a lost update. A version condition or an atomic UpdateExpression makes the loser retry instead.",
        exercise: Some("lost-update"),
        find: read_modify_write::find,
    },
    LintRule {
        id: "hot-partition",
        severity: Severity::Warning,
        title: "A producer's keys send more writes to one partition than it takes",
        explanation: "A DynamoDB partition takes about 1,000 write units a second whatever the table's total; when most events share one key, that partition throttles while the others sit idle. Shard the key or aggregate first.",
        exercise: Some("hot-key"),
        find: hot_partition::find,
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
                exercise: rule.exercise.map(str::to_string),
            });
        }
    }
    findings
}
