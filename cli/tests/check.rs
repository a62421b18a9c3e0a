//! `eventlab check`, `explore` and `lint` from the outside: the built binary on the example
//! designs, checking the printed text or JSON and the exit codes of docs/cli.md (0 all held,
//! 1 a property failed or an error-severity finding, 2 unusable input).

use std::process::{Command, Output};

use serde_json::Value;

fn eventlab(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(arguments)
        .output()
        .expect("the binary runs")
}

fn design(name: &str) -> String {
    format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

/// The one boundary: arguments in, exit code and stdout out (stderr shown on a mismatch).
fn check(arguments: &[&str], code: i32) -> String {
    let output = eventlab(arguments);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{arguments:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn check_reports_the_double_charge_with_its_smallest_case() {
    // The broken design fails on every seed; the text names the rate, the first failing seed
    // and the one scripted fault the failure needs.
    let text = check(&["check", &design("duplicates"), "--seeds", "10"], 1);
    assert!(text.starts_with("FAIL charged-once (always exactlyOnce): no order is charged twice\n  failed in 10 of 10 seeds (100.0%); first failing seed 1\n"), "{text}");
    assert!(text.contains("smallest failing case: seed 1 fails with its one injected fault, which it needs: duplicate:dlv-59619a9ca2 at 100 ms"), "{text}");
    assert!(
        text.contains("Payment provider acted twice for key o-3"),
        "{text}"
    );
    assert!(text.contains("decided at trace event #37"), "{text}");
    assert!(
        text.ends_with("1 of 1 properties failed on seeds 1..=10\n"),
        "{text}"
    );
}

#[test]
fn check_passes_the_fixed_designs() {
    // Exit 0 when every property holds.
    for name in ["duplicates-fixed", "lost-update-fixed"] {
        let text = check(&["check", &design(name), "--seeds", "25"], 0);
        assert!(text.contains("held on all 25 seeds"), "{text}");
    }
}

#[test]
fn explore_prints_the_same_as_json() {
    // The JSON carries the counts, the rate in parts per million and the shrunk case.
    let text = check(&["explore", &design("lost-update"), "--seeds", "5"], 1);
    let report: Value = serde_json::from_str(&text).expect("JSON");
    let property = &report["properties"][0];
    assert_eq!(property["check"], "no-lost-update");
    assert_eq!(property["failed"], 5);
    assert_eq!(property["failureRatePpm"], 1_000_000);
    assert_eq!(property["firstFailingSeed"], 1);
    assert_eq!(property["firstFailure"]["decidingEvent"], 20);
    let case = &property["smallestFailingCase"];
    assert_eq!(case["faults"], Value::Array(vec![]));
    assert!(case["explanation"]
        .as_str()
        .unwrap()
        .contains("no injected fault at all"));
}

#[test]
fn unusable_input_exits_2() {
    // A missing file, a bad --seeds, an exercise that does not exist, a check that cannot
    // be judged: exit 2 with a message on stderr.
    check(&["check", "/nonexistent/design.json"], 2);
    check(&["check", &design("duplicates"), "--seeds", "many"], 2);
    check(&["explore", &design("duplicates"), "--seeds", "0"], 2);
    let output = eventlab(&[
        "check",
        &design("duplicates"),
        "--exercise",
        "no-such-exercise",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown exercise 'no-such-exercise'"));
    let directory = std::env::temp_dir().join(format!("eventlab-check-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("bad-check.json");
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(design("duplicates")).unwrap()).unwrap();
    document["checks"] = serde_json::json!([{"id": "x", "kind": "exactlyOnce", "api": "nowhere"}]);
    std::fs::write(&path, document.to_string()).unwrap();
    let output = eventlab(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("check x: 'api' names nowhere, which is not in the design"));
}

#[test]
fn lint_prints_findings_and_exits_1_on_an_error() {
    // An OrderPlaced that carries the customer's address, which customers owns: an error
    // finding, as a line and as JSON; a lean design has none.
    let cases: Value =
        serde_json::from_str(include_str!("../../core/tests/data/checks/lint.json")).unwrap();
    let directory = std::env::temp_dir().join(format!("eventlab-lint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("fat-event.json");
    std::fs::write(&path, cases[0]["design"].to_string()).unwrap();
    let path = path.to_str().unwrap();
    let text = check(&["lint", path], 1);
    assert!(
        text.starts_with("error event-foreign-data eventTypes/com.pizza.order.placed.v1/fields/address: com.pizza.order.placed.v1 carries address, owned by customers"),
        "{text}"
    );
    let json = check(&["lint", path, "--format", "json"], 1);
    let findings: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(findings[0]["rule"], "event-foreign-data");
    assert_eq!(findings[0]["exercise"], "lean-events");
    assert_eq!(
        check(&["lint", &design("duplicates-fixed")], 0),
        "no findings\n"
    );
    check(&["lint", &design("duplicates"), "--format", "yaml"], 2);
}
