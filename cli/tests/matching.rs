//! `eventlab match` run as a binary: outputs and exit codes 0, 1 and 2 for each mode.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch folder for one test's input files.
fn scratch(test: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("eventlab-match-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn write(folder: &Path, name: &str, text: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs `eventlab match ARGS` and checks exit code and stdout.
fn check(arguments: &[&str], code: i32, stdout: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .arg("match")
        .args(arguments)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{arguments:?}: stdout {printed} stderr {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(printed, stdout, "{arguments:?}");
}

const EVENT: &str = r#"{"version":"0","id":"1","detail-type":"OrderPlaced","source":"com.shop",
"account":"111122223333","time":"2024-05-01T12:00:00Z","region":"eu-west-1","resources":[],
"detail":{"total":300.0,"state":null}}"#;

// Proves true/false with exit 0, and a rejected pattern's exact message with exit 2.
#[test]
fn one_pattern_one_event() {
    let folder = scratch("one");
    let event = write(&folder, "event.json", EVENT);
    let matching = write(&folder, "p1.json", r#"{"detail":{"total":[300]}}"#);
    let missing = write(
        &folder,
        "p2.json",
        r#"{"detail":{"state":[{"exists":false}]}}"#,
    );
    let invalid = write(&folder, "p3.json", r#"{"detail":{"total":300}}"#);
    check(&[&matching, &event], 0, "true\n");
    check(&[&missing, &event], 0, "false\n");
    check(
        &[&invalid, &event],
        2,
        "Event pattern is not valid. Reason: \"total\" must be an object or an array\n",
    );
    let broken = write(&folder, "broken.json", "{not json");
    check(&[&matching, &broken], 2, "");
    check(&[&matching, &event, "--bogus"], 2, "");
}

// Proves --cloudevent matches the bridged event: source, detail-type, detail = CloudEvent.
#[test]
fn cloudevent_bridge() {
    let folder = scratch("cloudevent");
    let cloud_event = write(
        &folder,
        "ce.json",
        r#"{"specversion":"1.0","id":"evt-42","source":"/orders",
            "type":"com.example.order.placed.v1","data":{"orderId":1}}"#,
    );
    let pattern = write(
        &folder,
        "p.json",
        r#"{"source":["/orders"],"detail-type":["com.example.order.placed.v1"],
            "detail":{"data":{"orderId":[1]}}}"#,
    );
    check(&[&pattern, &cloud_event, "--cloudevent"], 0, "true\n");
    let invalid = write(&folder, "bad.json", r#"{"specversion":"1.0","id":""}"#);
    check(&[&pattern, &invalid, "--cloudevent"], 2, "");
}

// Proves --cases passes the whole public corpus (exit 0) and reports failures (exit 1).
#[test]
fn cases_file() {
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/eventbridge-patterns.json"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(["match", "--cases", corpus])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{printed}");
    assert!(printed.ends_with("159 passed, 0 failed\n"), "{printed}");
    let folder = scratch("cases");
    let cases = write(
        &folder,
        "cases.json",
        r#"[{"name":"ok","pattern":{"a":["x"]},"event":{"a":"x"},"expected":true},
            {"name":"wrong","pattern":{"a":["x"]},"event":{"a":"y"},"expected":true},
            {"name":"message","pattern":{"a":[]},"event":{},
             "expected":"Event pattern is not valid. Reason: Empty arrays are not allowed"}]"#,
    );
    check(
        &["--cases", &cases],
        1,
        "PASS ok\nFAIL wrong: expected true, got false\nPASS message\n2 passed, 1 failed\n",
    );
}

// Proves --rules/--events prints sorted rule names per event line, and --count a summary.
#[test]
fn rules_and_events() {
    let folder = scratch("rules");
    let rules = write(
        &folder,
        "rules.json",
        r#"{"zeta":{"source":["com.shop"]},"alpha":{"detail-type":["OrderPlaced"]},
            "never":{"source":["other"]}}"#,
    );
    let events = write(
        &folder,
        "events.jsonl",
        "{\"source\":\"com.shop\",\"detail-type\":\"OrderPlaced\"}\n{\"source\":\"x\"}\n\n",
    );
    check(
        &["--rules", &rules, "--events", &events],
        0,
        "[\"alpha\",\"zeta\"]\n[]\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(["match", "--rules", &rules, "--events", &events, "--count"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["events"], 2);
    assert_eq!(summary["matches"], 2);
    for key in ["compile_ms", "match_ms", "events_per_s"] {
        assert!(summary[key].is_number(), "{key} in {summary}");
    }
    let bad_rules = write(&folder, "bad.json", r#"{"r":{"a":"x"}}"#);
    check(&["--rules", &bad_rules, "--events", &events], 2, "");
    let bad_events = write(&folder, "bad.jsonl", "{\"a\":1}\nnot json\n");
    check(&["--rules", &rules, "--events", &bad_events], 2, "");
}
