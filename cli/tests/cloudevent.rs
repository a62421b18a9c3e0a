//! `eventlab cloudevent validate` run as a binary: `valid` (0), one problem per line (1),
//! unusable input (2).

use std::process::Command;

/// Writes `text` to a scratch file, validates it, and checks exit code and stdout.
fn check(name: &str, text: &str, code: i32, stdout: &str) {
    let path = std::env::temp_dir().join(format!("eventlab-ce-{name}-{}.json", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(["cloudevent", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(code), "{name}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), stdout, "{name}");
}

// Proves a valid event prints `valid` and exits 0.
#[test]
fn valid_event() {
    check(
        "valid",
        r#"{"specversion":"1.0","id":"evt-42","source":"/orders","type":"com.example.order.placed.v1",
            "time":"2024-05-01T12:00:00Z","correlationid":"txn-1","data":{"orderId":1}}"#,
        0,
        "valid\n",
    );
}

// Proves an invalid event prints each problem on its own line and exits 1.
#[test]
fn invalid_event() {
    check(
        "invalid",
        r#"{"specversion":"1.0","id":"","source":"/orders","type":"t",
            "time":"2024-05-01 12:00","traceParent":"x","data":1,"data_base64":"AA=="}"#,
        1,
        "id: must be a non-empty String\n\
         time: must be an RFC 3339 timestamp, such as 2024-05-01T12:00:00Z\n\
         data: must not be present together with data_base64 (they are mutually exclusive)\n\
         traceParent: attribute names must consist of lower-case ASCII letters and digits only\n",
    );
}

// Proves unreadable files, invalid JSON and a wrong action exit 2.
#[test]
fn unusable_input() {
    check("broken", "{\"id\": ", 2, "");
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(["cloudevent", "validate", "/nonexistent/event.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(["cloudevent", "check", "x.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
