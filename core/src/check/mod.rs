//! The checks engine: properties declared in a design's `checks`, judged on a simulated run,
//! explored across seeds, and failing runs shrunk to the few faults that matter.
//!
//! `evaluate(&design, &run)` judges every property of a design on one run; each result names
//! the trace event that decided it and explains itself in business terms (ids, times, the
//! faults behind it). `Exploration` runs many seeds in budgeted slices (the browser calls it
//! between frames); `Shrinker` replays a failing seed with faults suppressed until no fault can
//! be taken away. `compare` sets runs side by side (a pinned run against the run after a change,
//! or several designs under one scenario): a row per property and key count, a column per run,
//! and the first trace event where two runs differ. Everything here is a pure function of the
//! design and the seeds: no clock, no threads, no randomness of its own. The JSON of each kind is in docs/checks-format.md.

pub mod compare;
mod counts;
mod effects;
pub mod explain;
mod explore;
mod flows;
mod items;
mod shrink;
mod spec;
mod split;

use serde::Serialize;

use crate::design::Design;
use crate::sim::{Run, TraceEvent, TraceKind};

pub use compare::{compare, describe_plan, Comparison, Side};
pub use explore::{Exploration, ExplorationReport, ExploreOptions, Progress, PropertySummary};
pub use shrink::{shrink, Shrinker, ShrunkCase};
pub use spec::{
    compile_check_list, compile_checks, Bounds, CheckProblem, CountSpec, Mode, Property,
    PropertyKind, TRACE_KIND_NAMES,
};
pub use split::{ExplorationPart, PartSummary};

/// How a property came out on one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Passed,
    Failed,
    /// The run stopped at a bound before the property could be decided.
    Undecided,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Undecided => "undecided",
        }
    }
}

/// One property's result on one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The check's id.
    pub check: String,
    pub kind: String,
    pub mode: Mode,
    pub status: Status,
    /// The trace event that decided it (absent for a check decided without a run, or an
    /// empty trace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding_event: Option<u32>,
    /// A sentence in business terms: ids, times, causes.
    pub explanation: String,
    /// The injected faults behind a failure, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<String>,
}

/// What a kind's judge found, before it is labelled with the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub status: Status,
    pub deciding_event: Option<u32>,
    pub explanation: String,
    pub faults: Vec<String>,
}

impl Verdict {
    /// Held over the whole trace: decided by its last event.
    pub(crate) fn passed(trace: &[TraceEvent], explanation: String) -> Verdict {
        Verdict {
            status: Status::Passed,
            deciding_event: trace.last().map(|e| e.seq),
            explanation,
            faults: Vec::new(),
        }
    }

    /// An `eventually` property on a run that stopped at a bound: never a pass.
    pub(crate) fn undecided_by_bound(run: &Run) -> Verdict {
        let bound = run.trace.iter().rev().find_map(|e| match &e.kind {
            TraceKind::BoundReached { bound, detail } => Some((e.seq, bound, detail)),
            _ => None,
        });
        let (seq, words) = match bound {
            Some((seq, bound, detail)) => (Some(seq), format!("{bound} ({detail})")),
            None => (
                run.trace.last().map(|e| e.seq),
                run.summary
                    .stopped_by
                    .clone()
                    .unwrap_or_else(|| "a bound".to_string()),
            ),
        };
        Verdict {
            status: Status::Undecided,
            deciding_event: seq,
            explanation: format!(
                "the run stopped at {words} with work still pending, so what holds at the end cannot be decided"
            ),
            faults: Vec::new(),
        }
    }
}

/// Judges every property of the design (those that compile) on one run of it.
pub fn evaluate(design: &Design, run: &Run) -> Vec<CheckResult> {
    let (properties, _) = compile_checks(design);
    properties
        .iter()
        .map(|property| evaluate_property(property, design, run))
        .collect()
}

/// Judges one property on one run.
pub fn evaluate_property(property: &Property, design: &Design, run: &Run) -> CheckResult {
    let label = |id: &str| {
        design
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.label().to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let verdict = match &property.kind {
        PropertyKind::AtMostOnce { api } => {
            effects::judge(run, api, &label(api), property.mode, false)
        }
        PropertyKind::ExactlyOnce { api } => {
            effects::judge(run, api, &label(api), property.mode, true)
        }
        PropertyKind::FinalItems {
            table,
            condition_text,
            condition,
        } => items::judge_final(design, run, table, condition_text, condition),
        PropertyKind::VersionMonotonic { table, attribute } => {
            items::judge_versions(design, run, table, attribute)
        }
        PropertyKind::Count(count) => counts::judge(run, property.mode, count),
        PropertyKind::QueueEmpty { queue } => flows::judge_queue_empty(run, queue),
        PropertyKind::Reaches { event_type } => flows::judge_reaches(run, event_type),
        PropertyKind::Lint { rule } => judge_lint(design, rule),
    };
    CheckResult {
        check: property.id.clone(),
        kind: property.kind.name().to_string(),
        mode: property.mode,
        status: verdict.status,
        deciding_event: verdict.deciding_event,
        explanation: verdict.explanation,
        faults: verdict.faults,
    }
}

/// A lint rule as a property: decided on the design alone, the same on every run.
fn judge_lint(design: &Design, rule_id: &str) -> Verdict {
    let findings = crate::lint::lint_with(design, &[rule_id]);
    if findings.is_empty() {
        return Verdict {
            status: Status::Passed,
            deciding_event: None,
            explanation: format!("lint rule {rule_id} finds nothing"),
            faults: Vec::new(),
        };
    }
    let messages: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
    Verdict {
        status: Status::Failed,
        deciding_event: None,
        explanation: format!(
            "lint rule {rule_id} finds {}: {}",
            plural(findings.len() as u64, "problem"),
            messages.join(" ")
        ),
        faults: Vec::new(),
    }
}

/// `1 problem`, `2 problems`.
pub(crate) fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", explain::grouped(count))
    }
}
