//! Design changes: every kind of edit applies, and its inverse gives back the exact original,
//! which is what undo and redo rely on. Cases are data in tests/data/change/.

use eventlab_core::design::change::{apply, delete_node, DesignChange};
use eventlab_core::design::{load_text, Design, Position};
use serde_json::Value;

/// The design every case is applied to: an example design with two positioned nodes.
fn base() -> Design {
    let text = include_str!("../../designs/lost-update.json");
    let mut design = load_text(text).expect("the example design loads").design;
    design
        .layout
        .insert("orders".into(), Position { x: 400, y: 120 });
    design
        .layout
        .insert("pizza-bus".into(), Position { x: 100, y: 0 });
    design
}

fn cases(text: &str) -> Vec<(String, Value)> {
    let cases: Vec<Value> = serde_json::from_str(text).expect("the case file is JSON");
    cases
        .into_iter()
        .map(|case| (case["name"].as_str().unwrap_or("?").to_string(), case))
        .collect()
}

/// Applies `change`, then its inverse, then the inverse of that (redo), checking that undo
/// restores the original exactly and redo restores the edited design exactly.
fn check_round_trip(name: &str, change: DesignChange) {
    let original = base();
    let mut design = original.clone();
    let inverse = apply(&mut design, change).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_ne!(design, original, "{name}: the change changed nothing");
    let edited = design.clone();
    let redo = apply(&mut design, inverse).unwrap_or_else(|e| panic!("{name}: undo: {e}"));
    assert_eq!(
        design, original,
        "{name}: undo did not restore the original"
    );
    apply(&mut design, redo).unwrap_or_else(|e| panic!("{name}: redo: {e}"));
    assert_eq!(design, edited, "{name}: redo did not restore the edit");
}

#[test]
fn every_change_is_undone_by_its_inverse() {
    // Each kind of change, applied to a real design, is exactly undone and redone.
    let mut seen = std::collections::BTreeSet::new();
    for (name, case) in cases(include_str!("data/change/cases.json")) {
        let change: DesignChange = serde_json::from_value(case["change"].clone())
            .unwrap_or_else(|e| panic!("{name}: the case does not parse: {e}"));
        if let Some(kind) = case["change"]["change"].as_str() {
            seen.insert(kind.to_string());
        }
        check_round_trip(&name, change);
    }
    // The case file must name every variant; a new variant without a case fails here.
    let variants = [
        "replace",
        "setInfo",
        "addNode",
        "removeNode",
        "renameNode",
        "setNodeService",
        "moveNodes",
        "setNodeKind",
        "addRule",
        "removeRule",
        "setRule",
        "setRulePattern",
        "addTarget",
        "removeTarget",
        "setTarget",
        "addStep",
        "removeStep",
        "moveStep",
        "setStep",
        "addTrigger",
        "addEventType",
        "removeEventType",
        "setEventType",
        "setEventField",
        "addService",
        "removeService",
        "setService",
        "setScenario",
        "batch",
    ];
    for variant in variants {
        assert!(seen.contains(variant), "no case exercises '{variant}'");
    }
}

#[test]
fn triggers_are_removed_and_edited_reversibly() {
    // Trigger removal and edits need a trigger first; they round-trip on a design that has one.
    let mut design = base();
    let add: DesignChange = serde_json::from_str(
        r#"{"change":"addTrigger","index":0,"trigger":{"id":"feed","source":"orders","function":"create-order"}}"#,
    )
    .unwrap();
    apply(&mut design, add).unwrap();
    let original = design.clone();
    for text in [
        r#"{"change":"removeTrigger","id":"feed"}"#,
        r#"{"change":"setTrigger","id":"feed","trigger":{"id":"feed-2","source":"orders","function":"kitchen-handler","batchSize":1}}"#,
    ] {
        let change: DesignChange = serde_json::from_str(text).unwrap();
        let inverse = apply(&mut design, change).unwrap();
        assert_ne!(design, original);
        apply(&mut design, inverse).unwrap();
        assert_eq!(design, original, "{text}");
    }
}

#[test]
fn a_change_that_does_not_fit_leaves_the_design_unchanged() {
    // Unknown ids, wrong kinds, duplicates and bad indices are errors, and nothing changes,
    // not even the first half of a batch.
    for (name, case) in cases(include_str!("data/change/errors.json")) {
        let change: DesignChange = serde_json::from_value(case["change"].clone())
            .unwrap_or_else(|e| panic!("{name}: the case does not parse: {e}"));
        let original = base();
        let mut design = original.clone();
        let error = apply(&mut design, change).expect_err(&name);
        assert_eq!(
            Some(error.to_string().as_str()),
            case["error"].as_str(),
            "{name}"
        );
        assert_eq!(design, original, "{name}: the design changed");
    }
}

#[test]
fn deleting_a_node_removes_its_wiring_and_undo_brings_it_back() {
    // delete_node also removes the rule targets and triggers that point at the node.
    let mut design = base();
    let add: DesignChange = serde_json::from_str(
        r#"{"change":"addTrigger","index":0,"trigger":{"id":"feed","source":"orders","function":"kitchen-handler"}}"#,
    )
    .unwrap();
    apply(&mut design, add).unwrap();
    let original = design.clone();
    let change = delete_node(&design, "kitchen-handler").expect("the node exists");
    let inverse = apply(&mut design, change).unwrap();
    assert!(design.nodes.iter().all(|n| n.id != "kitchen-handler"));
    assert!(design.triggers.is_empty());
    let text = serde_json::to_string(&design).unwrap();
    assert!(
        !text.contains("\"kitchen-handler\""),
        "a reference was left: {text}"
    );
    apply(&mut design, inverse).unwrap();
    assert_eq!(design, original);
    assert!(delete_node(&design, "ghost").is_none());
}
