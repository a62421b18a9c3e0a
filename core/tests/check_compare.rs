//! Runs side by side (`check::compare`): the before/after of the double-charge fix, a run set
//! beside itself, the photo flow's three patterns under one scenario, and the fault plan in
//! words. Example designs in, the table out.

use std::path::Path;

use eventlab_core::check::compare::{first_divergence, Comparison, Row, RowKind};
use eventlab_core::check::{compare, describe_plan, Side, Status};
use eventlab_core::design::{load_text, Design, Scenario};
use eventlab_core::sim::{simulate, Run, RunOptions};

fn example(stem: &str) -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../designs")
        .join(format!("{stem}.json"));
    load_text(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .design
}

fn run(design: &Design) -> Run {
    simulate(design, &RunOptions::default())
}

/// Compares the designs (each run under its own scenario) with these column labels.
fn table(designs: &[(&str, &Design)], divergence: bool) -> Comparison {
    let runs: Vec<Run> = designs.iter().map(|(_, d)| run(d)).collect();
    let sides: Vec<Side> = designs
        .iter()
        .zip(&runs)
        .map(|((label, design), run)| Side { label, design, run })
        .collect();
    compare(&sides, divergence)
}

fn row<'a>(table: &'a Comparison, name: &str) -> &'a Row {
    table
        .rows
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name:?} in {:#?}", table.rows))
}

fn statuses(row: &Row) -> Vec<Option<Status>> {
    row.cells
        .iter()
        .map(|c| c.as_ref().and_then(|c| c.status))
        .collect()
}

fn values(row: &Row) -> Vec<Option<u64>> {
    row.cells
        .iter()
        .map(|c| c.as_ref().and_then(|c| c.value))
        .collect()
}

#[test]
fn the_double_charge_fix_side_by_side() {
    // The workshop's first before/after: the check fails before and passes after, the repeated
    // charge disappears from the counts, and the traces part where the fixed handler first
    // claims the order instead of calling the provider.
    let before = example("duplicates");
    let after = example("duplicates-fixed");
    let table = table(&[("Before (pinned)", &before), ("After", &after)], true);
    assert_eq!(table.columns[0].label, "Before (pinned)");
    assert_eq!(table.columns[1].design, after.name);
    assert_eq!(table.columns[0].plan, table.columns[1].plan);
    let charged = row(&table, "charged-once");
    assert_eq!(charged.kind, RowKind::Property);
    assert_eq!(
        statuses(charged),
        [Some(Status::Failed), Some(Status::Passed)]
    );
    assert!(charged.differs);
    assert_eq!(
        charged.description.as_deref(),
        Some("no order is charged twice")
    );
    let repeated = row(&table, "keys with a repeated side effect");
    assert_eq!(values(repeated), [Some(1), Some(0)]);
    assert!(repeated.differs);
    assert_eq!(
        values(row(&table, "conditional writes refused")),
        [Some(0), Some(1)]
    );
    assert!(!row(&table, "deliveries").differs);
    let divergence = table.divergence.expect("asked for");
    let seq = divergence.seq.expect("the traces differ");
    let at = |lines: &[eventlab_core::check::compare::TraceLine]| {
        lines.iter().find(|l| l.seq == seq).cloned().unwrap()
    };
    // The fixed handler's claim is new; the event it displaced still happens after it.
    assert!(at(&divergence.after).line.contains("payments-idempotency"));
    assert!(at(&divergence.after).differs);
    assert!(at(&divergence.before).line.contains("checkout produced"));
    assert!(!at(&divergence.before).differs);
    // The events before the divergence are shared and shown unmarked.
    assert!(divergence.before.iter().any(|l| l.seq < seq && !l.differs));
}

#[test]
fn a_run_beside_itself_differs_nowhere() {
    // Pinning a run and running the same design and seed again must show no change at all.
    let design = example("duplicates");
    let table = table(&[("Before", &design), ("After", &design)], true);
    assert!(table.rows.iter().all(|r| !r.differs), "{:#?}", table.rows);
    assert_eq!(table.divergence.and_then(|d| d.seq), None);
}

#[test]
fn the_photo_patterns_under_one_scenario() {
    // The facilitator's comparison: each design under the first one's seed and faults, one
    // column each; checks only some designs declare are empty elsewhere, counts align.
    let aggregator = example("photo-aggregator");
    let mut orchestrator = example("photo-orchestrator");
    let mut callback = example("photo-orchestrator-callback");
    orchestrator.scenario = aggregator.scenario.clone();
    callback.scenario = aggregator.scenario.clone();
    let table = table(
        &[
            ("Design 1", &aggregator),
            ("Design 2", &orchestrator),
            ("Design 3", &callback),
        ],
        false,
    );
    assert_eq!(table.columns.len(), 3);
    assert!(table
        .columns
        .iter()
        .all(|c| c.plan == table.columns[0].plan));
    assert!(table.divergence.is_none());
    let ready = statuses(row(&table, "ready-once"));
    assert!(ready[0].is_some() && ready[1].is_some() && ready[2].is_none());
    assert_eq!(
        statuses(row(&table, "compensated"))[..2],
        [None, None],
        "the aggregator and the plain orchestrator have no compensation check"
    );
    let properties = table
        .rows
        .iter()
        .take_while(|r| r.kind == RowKind::Property)
        .count();
    assert_eq!(
        properties, 4,
        "ready-once, then the callback design's three, one row each"
    );
    for row in table.rows.iter().filter(|r| r.kind == RowKind::Count) {
        assert!(row.cells.iter().all(Option::is_some), "{}", row.name);
    }
    assert!(row(&table, "invocations").differs);
}

#[test]
fn traces_of_different_lengths_differ_where_the_shorter_ends() {
    // A design that does strictly more than another diverges at the first extra event.
    let design = example("duplicates");
    let full = run(&design);
    let shorter = &full.trace[..10];
    let divergence = first_divergence(shorter, &full.trace);
    assert_eq!(divergence.seq, Some(10));
    assert_eq!(
        divergence.before.len(),
        2,
        "two shared events, nothing after"
    );
    assert_eq!(divergence.after.len(), 6);
    // The extra events happen nowhere in the shorter trace.
    assert_eq!(divergence.after.iter().filter(|l| l.differs).count(), 4);
}

#[test]
fn the_fault_plan_in_words() {
    // What the page shows under "all designs run with": every kind of fault, in words.
    let check = |scenario: serde_json::Value, expected: &str| {
        let scenario: Scenario = serde_json::from_value(scenario).unwrap();
        assert_eq!(describe_plan(&scenario, scenario.seed), expected);
    };
    check(serde_json::json!({"seed": 5}), "seed 5; no faults");
    check(
        serde_json::json!({"seed": 1, "faults": {"duplicateRatePpm": 100000, "deliveryDelayMsMax": 80,
            "crashBeforeStepRatePpm": 2500}}),
        "seed 1; 10% of deliveries duplicated; 0.25% of handler steps crash before running; deliveries delayed up to 80 ms",
    );
    check(
        serde_json::json!({"seed": 2, "scripted": [
            {"kind": "duplicate", "eventType": "x.v1", "nth": 3},
            {"kind": "crash", "function": "f", "afterStep": 1}]}),
        "seed 2; the 3rd x.v1 delivered twice; f crashes after step 1 on every attempt",
    );
}
