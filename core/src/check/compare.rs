//! Runs side by side: the table behind "before/after" (a pinned run against the run after a
//! change) and "compare patterns" (up to three designs under one seed and fault plan). A column
//! per run; a row per property (each design judges its own, so a cell is empty where a design
//! has no such check) and per key count from the run summary; and, for two runs, the first
//! trace event where they differ with the events around it on both sides.
//!
//! Pure: runs in, a table out. It never simulates (the caller runs each design with the seed
//! and faults it chose) and never decides anything a property does not; it only sets results
//! next to each other and marks the rows that differ.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::design::{Design, Scenario, ScriptedFault};
use crate::sim::{Run, TraceEvent};

use super::{evaluate, Status};

/// One run to set beside the others: what the column is called, the design it ran (with the
/// scenario it ran under) and the run.
pub struct Side<'a> {
    pub label: &'a str,
    pub design: &'a Design,
    pub run: &'a Run,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub columns: Vec<Column>,
    /// Properties first (in the order the designs declare them), then the counts.
    pub rows: Vec<Row>,
    /// For two runs when asked: where their traces first differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divergence: Option<Divergence>,
}

/// A column's head: which run it is and what it ran under.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    pub label: String,
    pub design: String,
    /// The seed as text (a u64 does not fit a JavaScript number).
    pub seed: String,
    /// The seed and fault plan in words, so a reader sees what each run was given.
    pub plan: String,
    pub trace_hash: String,
    pub settled: bool,
}

/// What a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RowKind {
    Property,
    Count,
}

/// One property or count across the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub kind: RowKind,
    /// The check id, or the count's name.
    pub name: String,
    /// A check's description, when its design gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// One per column; `None` where that design has no such check.
    pub cells: Vec<Option<Cell>>,
    /// Whether the runs that have this row disagree on it.
    pub differs: bool,
}

/// One run's value in a row: a verdict (with its explanation) or a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
}

/// The first trace position where two runs differ, and the events around it on each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Divergence {
    /// The first differing position; `None` when the traces are identical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u32>,
    pub before: Vec<TraceLine>,
    pub after: Vec<TraceLine>,
}

/// One trace event as a readable line, marked when it differs from the other side's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceLine {
    pub seq: u32,
    pub line: String,
    pub differs: bool,
}

/// Events shown before the first difference, and from it on.
const CONTEXT_BEFORE: usize = 2;
const CONTEXT_FROM: usize = 4;

/// Sets the runs side by side; with `divergence` and exactly two runs, also finds where their
/// traces first differ.
pub fn compare(sides: &[Side<'_>], divergence: bool) -> Comparison {
    let columns = sides
        .iter()
        .map(|side| Column {
            label: side.label.to_string(),
            design: side.design.name.clone(),
            seed: side.run.seed.to_string(),
            plan: describe_plan(&side.design.scenario, side.run.seed),
            trace_hash: side.run.trace_hash.clone(),
            settled: side.run.summary.settled,
        })
        .collect();
    let mut rows = property_rows(sides);
    rows.extend(count_rows(sides));
    let divergence = match sides {
        [before, after] if divergence => {
            Some(first_divergence(&before.run.trace, &after.run.trace))
        }
        _ => None,
    };
    Comparison {
        columns,
        rows,
        divergence,
    }
}

/// A row per check id any design declares, in first-seen order.
fn property_rows(sides: &[Side<'_>]) -> Vec<Row> {
    let results: Vec<_> = sides
        .iter()
        .map(|side| evaluate(side.design, side.run))
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    for (column, (side, checks)) in sides.iter().zip(&results).enumerate() {
        for result in checks {
            let position = match rows.iter().position(|r| r.name == result.check) {
                Some(position) => position,
                None => {
                    rows.push(Row {
                        kind: RowKind::Property,
                        name: result.check.clone(),
                        description: description(side.design, &result.check),
                        cells: vec![None; sides.len()],
                        differs: false,
                    });
                    rows.len() - 1
                }
            };
            rows[position].cells[column] = Some(Cell {
                status: Some(result.status),
                explanation: Some(result.explanation.clone()),
                value: None,
            });
        }
    }
    for row in &mut rows {
        row.differs = differs(row.cells.iter().flatten().map(|c| c.status));
    }
    rows
}

fn description(design: &Design, check: &str) -> Option<String> {
    let declared = design.checks.iter().find(|c| c.id == check)?;
    Some(declared.spec.get("description")?.as_str()?.to_string())
}

/// The summary's counts that say how a design behaved, by name; a count that is zero in every
/// run says nothing and is left out.
fn count_rows(sides: &[Side<'_>]) -> Vec<Row> {
    let counted: Vec<Vec<(&'static str, u64)>> =
        sides.iter().map(|side| counts(side.run)).collect();
    let Some(names) = counted.first() else {
        return Vec::new();
    };
    names
        .iter()
        .enumerate()
        .filter_map(|(index, (name, _))| {
            let values: Vec<u64> = counted.iter().map(|c| c[index].1).collect();
            let always_shown = index < 3;
            if !always_shown && values.iter().all(|&v| v == 0) {
                return None;
            }
            Some(Row {
                kind: RowKind::Count,
                name: (*name).to_string(),
                description: None,
                differs: differs(values.iter()),
                cells: values
                    .into_iter()
                    .map(|value| {
                        Some(Cell {
                            status: None,
                            explanation: None,
                            value: Some(value),
                        })
                    })
                    .collect(),
            })
        })
        .collect()
}

/// One run's key counts, in the table's order (the first three are always shown).
fn counts(run: &Run) -> Vec<(&'static str, u64)> {
    let summary = &run.summary;
    let effects = summary
        .external_effects
        .values()
        .flat_map(|keys| keys.values());
    let (effect_total, repeated) = effects.fold((0u64, 0u64), |(total, repeated), &count| {
        (total + u64::from(count), repeated + u64::from(count > 1))
    });
    let sum = |values: &mut dyn Iterator<Item = &u32>| values.map(|&v| u64::from(v)).sum::<u64>();
    let left_in_queues = sum(&mut summary.queue_depths.values());
    let items: u64 = summary.final_items.values().map(|i| i.len() as u64).sum();
    vec![
        ("events published", u64::from(summary.published)),
        ("deliveries", u64::from(summary.deliveries)),
        ("invocations", u64::from(summary.invocations)),
        ("failed invocations", u64::from(summary.failed_invocations)),
        ("retries", u64::from(summary.retries)),
        (
            "conditional writes refused",
            u64::from(summary.condition_failures),
        ),
        ("throttled calls", u64::from(summary.throttles)),
        ("injected faults", u64::from(summary.faults)),
        ("dead-lettered", sum(&mut summary.dead_lettered.values())),
        ("external side effects", effect_total),
        ("keys with a repeated side effect", repeated),
        ("messages left in queues", left_in_queues),
        ("table items at the end", items),
        ("trace events", u64::from(summary.events)),
        ("virtual time (ms)", summary.end_ms),
    ]
}

fn differs<T: PartialEq>(mut values: impl Iterator<Item = T>) -> bool {
    match values.next() {
        Some(first) => values.any(|v| v != first),
        None => false,
    }
}

/// Where two traces first differ: the first position whose readable lines differ (or where
/// one trace ends), with a few events before it and from it on, on both sides. An event is
/// marked as differing when the other trace has no such event at all (its line without the
/// trace positions), so an inserted step stands out rather than everything after it.
pub fn first_divergence(before: &[TraceEvent], after: &[TraceEvent]) -> Divergence {
    let common = before.len().min(after.len());
    let first = (0..common)
        .find(|&i| before[i].to_line() != after[i].to_line())
        .or((before.len() != after.len()).then_some(common));
    let Some(first) = first else {
        return Divergence {
            seq: None,
            before: Vec::new(),
            after: Vec::new(),
        };
    };
    let start = first.saturating_sub(CONTEXT_BEFORE);
    let end = first + CONTEXT_FROM;
    let lines = |trace: &[TraceEvent], other: &[TraceEvent]| -> Vec<TraceLine> {
        let elsewhere: BTreeSet<String> = other.iter().map(happening).collect();
        trace
            .iter()
            .take(end)
            .skip(start)
            .map(|event| TraceLine {
                seq: event.seq,
                line: event.to_line(),
                differs: !elsewhere.contains(&happening(event)),
            })
            .collect()
    };
    Divergence {
        seq: Some(first as u32),
        before: lines(before, after),
        after: lines(after, before),
    }
}

/// What happened, without where in the trace: the line minus its `#seq` and `<- #cause`.
fn happening(event: &TraceEvent) -> String {
    let mut plain = event.clone();
    plain.seq = 0;
    plain.cause = None;
    plain.to_line()
}

/// The seed and fault plan in words: "seed 1; 10% of deliveries duplicated; deliveries delayed
/// up to 80 ms; the 3rd com.pizza.order.placed.v1 delivered twice".
pub fn describe_plan(scenario: &Scenario, seed: u64) -> String {
    let faults = &scenario.faults;
    let rates = [
        (faults.duplicate_rate_ppm, "of deliveries duplicated"),
        (
            faults.target_error_rate_ppm,
            "of target deliveries throttled",
        ),
        (
            faults.crash_before_step_rate_ppm,
            "of handler steps crash before running",
        ),
        (
            faults.crash_after_step_rate_ppm,
            "of handler steps crash after taking effect",
        ),
        (faults.api_error_rate_ppm, "of external calls fail"),
        (
            faults.api_timeout_after_success_rate_ppm,
            "of external calls time out after succeeding",
        ),
    ];
    let mut parts = vec![format!("seed {seed}")];
    for (ppm, words) in rates {
        if ppm > 0 {
            parts.push(format!("{} {words}", percent(ppm)));
        }
    }
    if faults.delivery_delay_ms_max > 0 {
        parts.push(format!(
            "deliveries delayed up to {} ms",
            faults.delivery_delay_ms_max
        ));
    }
    parts.extend(scenario.scripted.iter().map(scripted_words));
    if parts.len() == 1 {
        parts.push("no faults".to_string());
    }
    parts.join("; ")
}

fn scripted_words(fault: &ScriptedFault) -> String {
    use super::explain::ordinal;
    match fault {
        ScriptedFault::Duplicate { event_type, nth } => {
            format!("the {} {event_type} delivered twice", ordinal(*nth))
        }
        ScriptedFault::Delay {
            event_type,
            nth,
            delay_ms,
        } => format!("the {} {event_type} delayed {delay_ms} ms", ordinal(*nth)),
        ScriptedFault::Crash {
            function,
            after_step,
            attempt,
        } => {
            let which = if *attempt == 0 {
                "every attempt".to_string()
            } else {
                format!("attempt {attempt}")
            };
            format!("{function} crashes after step {after_step} on {which}")
        }
    }
}

/// Parts per million as a percentage without float arithmetic: 100000 → "10%", 2500 → "0.25%".
fn percent(ppm: u32) -> String {
    let whole = ppm / 10_000;
    let fraction = ppm % 10_000;
    if fraction == 0 {
        return format!("{whole}%");
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}%", digits.trim_end_matches('0'))
}
