//! Each lint rule on a design that triggers it and on one that does not, with the exact
//! finding lines (cases in tests/data/checks/lint.json for the first rules and
//! tests/data/lint/cases.json for the rest), the rules as data, and the example designs: each
//! bug version triggers the rule its story is about, and its fixed version does not; each
//! exercise a rule links starts with a design that triggers the rule and has a solution that
//! does not.

use std::collections::BTreeMap;

use eventlab_core::design::{load_value, Severity};
use eventlab_core::lint::{lint, lint_with, rule, rules};
use serde_json::Value;

/// The one boundary: a design and rule ids in, the finding lines out.
fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let loaded = load_value(case["design"].clone()).unwrap();
    let ids: Vec<&str> = case["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let lines: Vec<String> = lint_with(&loaded.design, &ids)
        .iter()
        .map(|f| f.to_line())
        .collect();
    let expected: Vec<String> = serde_json::from_value(case["expected"].clone()).unwrap();
    assert_eq!(lines, expected, "{name}");
}

fn all_cases() -> Vec<Value> {
    let mut cases: Vec<Value> =
        serde_json::from_str(include_str!("data/checks/lint.json")).unwrap();
    let more: Vec<Value> = serde_json::from_str(include_str!("data/lint/cases.json")).unwrap();
    cases.extend(more);
    cases
}

fn example_design(name: &str) -> eventlab_core::design::Design {
    let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    load_value(value).unwrap().design
}

#[test]
fn each_rule_fires_where_it_should_and_nowhere_else() {
    // Every rule has a case that triggers it and one that does not, and each gives exactly the
    // expected lines.
    let cases = all_cases();
    for case in &cases {
        check(case);
    }
    for lint_rule in rules() {
        let of_rule = |c: &&Value| c["rules"][0] == lint_rule.id;
        let triggered = cases
            .iter()
            .filter(of_rule)
            .any(|c| !c["expected"].as_array().unwrap().is_empty());
        let quiet = cases
            .iter()
            .filter(of_rule)
            .any(|c| c["expected"].as_array().unwrap().is_empty());
        assert!(triggered && quiet, "{} needs both cases", lint_rule.id);
    }
}

#[test]
fn rules_are_data_with_words_and_an_exercise() {
    // Each rule carries a title, a why, a severity and the exercise that teaches the fix, and
    // ids are unique.
    assert_eq!(rules().len(), 11);
    for lint_rule in rules() {
        assert!(!lint_rule.title.is_empty() && !lint_rule.explanation.is_empty());
        assert!(lint_rule.exercise.is_none_or(|e| !e.is_empty()));
        assert_eq!(rule(lint_rule.id).map(|r| r.id), Some(lint_rule.id));
        assert_eq!(rules().iter().filter(|r| r.id == lint_rule.id).count(), 1);
    }
    assert_eq!(
        rule("event-foreign-data").map(|r| r.severity),
        Some(Severity::Error)
    );
    assert_eq!(
        rule("handler-not-idempotent").and_then(|r| r.exercise),
        Some("duplicates")
    );
    assert!(rule("no-such-rule").is_none());
}

#[test]
fn the_example_designs_lint_as_their_stories_say() {
    // duplicates, lost-update and hot-key trigger the rules their stories are about; their
    // fixed versions do not (lost-update-fixed keeps the shared table: the fix is the version
    // condition, not a new owner).
    let expected: BTreeMap<String, Vec<String>> =
        serde_json::from_str(include_str!("data/lint/designs.json")).unwrap();
    for (name, rule_ids) in &expected {
        let found: Vec<String> = lint(&example_design(name))
            .into_iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(&found, rule_ids, "{name}");
    }
}

/// The exercises on disk by id (exercise.json's `id`): the folder each lives in.
fn exercise_folders() -> BTreeMap<String, std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises");
    let mut folders = BTreeMap::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let folder = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(folder.join("exercise.json")) else {
            continue;
        };
        let exercise: Value = serde_json::from_str(&text).unwrap();
        folders.insert(exercise["id"].as_str().unwrap().to_string(), folder);
    }
    folders
}

/// The one boundary of the exercise links: a rule and an exercise folder in, the number of the
/// rule's findings on its start and on its solution out.
fn check_exercise(rule_id: &str, folder: &std::path::Path, expected: (bool, bool)) {
    let findings = |file: &str| {
        let text = std::fs::read_to_string(folder.join(file)).unwrap();
        let design = load_value(serde_json::from_str(&text).unwrap())
            .unwrap()
            .design;
        lint_with(&design, &[rule_id])
    };
    let (start, solution) = (findings("start.json"), findings("solution.json"));
    assert_eq!(
        (!start.is_empty(), !solution.is_empty()),
        expected,
        "{rule_id} on {}: start {:?}, solution {:?}",
        folder.display(),
        start.iter().map(|f| f.to_line()).collect::<Vec<_>>(),
        solution.iter().map(|f| f.to_line()).collect::<Vec<_>>()
    );
}

#[test]
fn each_linked_exercise_starts_with_its_rule_and_solves_it() {
    // A rule's `exercise` is a promise that the exercise teaches it: that exercise's starting
    // design triggers the rule and its solution does not.
    let folders = exercise_folders();
    let mut linked = 0;
    for lint_rule in rules() {
        let Some(exercise) = lint_rule.exercise else {
            continue;
        };
        let folder = folders
            .get(exercise)
            .unwrap_or_else(|| panic!("{} links {exercise}, which is not on disk", lint_rule.id));
        check_exercise(lint_rule.id, folder, (true, false));
        linked += 1;
    }
    // Eight of the eleven rules have an exercise; the rest say why not in the rules' data.
    assert_eq!(linked, 8);
}

#[test]
fn every_design_on_disk_lints_without_panicking() {
    // The performance designs are large; lint reads them whole and stays quiet or speaks.
    for name in ["perf/large-100-nodes", "perf/orders-10k"] {
        let findings = lint(&example_design(name));
        assert!(findings.iter().all(|f| !f.message.is_empty()), "{name}");
    }
}
