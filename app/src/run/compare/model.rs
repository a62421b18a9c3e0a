//! The worker's comparison table (core's `check::compare::Comparison`) as plain data, and the
//! words its cells show. No signals and no DOM, so it is tested natively.
//!
//! It must never compare anything itself: which rows differ and where traces part come from
//! core through the worker.

use serde::Deserialize;

/// The table: a column per run, a row per property or count.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ComparisonView {
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView>,
    #[serde(default)]
    pub divergence: Option<DivergenceView>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ColumnView {
    pub label: String,
    pub design: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RowView {
    /// `property` or `count`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub cells: Vec<Option<CellView>>,
    pub differs: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CellView {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
    #[serde(default)]
    pub value: Option<u64>,
}

/// Where two traces first differ (`seq` absent: nowhere), with the events around it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DivergenceView {
    #[serde(default)]
    pub seq: Option<u32>,
    pub before: Vec<LineView>,
    pub after: Vec<LineView>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LineView {
    pub seq: u32,
    pub line: String,
    pub differs: bool,
}

/// What a cell says: a verdict as a badge's words, a count, or a dash where that design has no
/// such check.
pub fn cell_text(cell: Option<&CellView>) -> String {
    match cell {
        None => "—".to_string(),
        Some(CellView {
            status: Some(status),
            ..
        }) => match status.as_str() {
            "passed" => "✓ pass".to_string(),
            "failed" => "✗ fail".to_string(),
            _ => "? undecided".to_string(),
        },
        Some(CellView {
            value: Some(value), ..
        }) => value.to_string(),
        Some(_) => String::new(),
    }
}

/// The one seed and fault plan every column ran under, or `None` when they differ.
pub fn shared_plan(view: &ComparisonView) -> Option<&str> {
    let first = view.columns.first()?.plan.as_str();
    view.columns
        .iter()
        .all(|c| c.plan == first)
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::model::read_answer;

    #[test]
    fn cells_read_as_badges_counts_or_a_dash() {
        // A person scans the table for pass/fail and numbers; a check a design lacks is a
        // dash, never an empty cell that could read as "nothing happened".
        let table = read_answer::<ComparisonView>(
            r#"{"columns": [{"label": "Before", "design": "d", "seed": "1", "plan": "seed 1; no faults"},
                            {"label": "After", "design": "d", "seed": "1", "plan": "seed 1; no faults"}],
                "rows": [{"kind": "property", "name": "once", "cells": [
                             {"status": "failed", "explanation": "twice"}, null], "differs": false},
                         {"kind": "count", "name": "deliveries", "cells": [{"value": 21}, {"value": 20}],
                          "differs": true}],
                "divergence": {"seq": 4, "before": [], "after": [{"seq": 4, "line": "x", "differs": true}]}}"#,
        )
        .expect("readable");
        let texts: Vec<String> = table
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| cell_text(c.as_ref())))
            .collect();
        assert_eq!(texts, ["✗ fail", "—", "21", "20"]);
        assert_eq!(shared_plan(&table), Some("seed 1; no faults"));
        assert_eq!(table.divergence.and_then(|d| d.seq), Some(4));
    }

    #[test]
    fn different_plans_are_not_shared() {
        // Before/after with different seeds must not claim one plan for both.
        let column = |plan: &str| ColumnView {
            label: String::new(),
            design: String::new(),
            plan: plan.to_string(),
        };
        let table = ComparisonView {
            columns: vec![column("seed 1; no faults"), column("seed 2; no faults")],
            rows: Vec::new(),
            divergence: None,
        };
        assert_eq!(shared_plan(&table), None);
    }
}
