//! `eventlab asl run` from the outside: the built binary on definitions with mocks, checking
//! the printed JSON and the exit codes of docs/cli.md (0 when it ran, 2 when AWS would reject
//! the definition or an input is unusable).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

/// Writes `files` into a fresh directory named after the test and returns their paths.
fn write(test: &str, files: &[(&str, Value)]) -> Vec<String> {
    let directory =
        std::env::temp_dir().join(format!("eventlab-asl-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    files
        .iter()
        .map(|(name, value)| {
            let path: PathBuf = directory.join(name);
            std::fs::write(&path, value.to_string()).expect("write");
            path.to_string_lossy().into_owned()
        })
        .collect()
}

fn eventlab(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .args(arguments)
        .output()
        .expect("the binary runs")
}

fn photo() -> Value {
    let text = include_str!("../../core/tests/data/asl/photo.asl.json");
    serde_json::from_str(text).expect("JSON")
}

fn check(output: &Output, code: i32) -> Value {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

// The photo example succeeds with healthy mocks and prints status, output and the history.
#[test]
fn asl_run_prints_a_succeeded_execution() {
    let mocks = json!({
        "MakeThumbnail": [{"result": {"Payload": {"thumbnailKey": "t.jpg"}}}],
        "DetectLabels": [{"error": "Lambda.ServiceException", "cause": "blip"}, {"result": {"Payload": {"labels": ["dog"]}}}],
        "ModeratePhoto": [{"result": {"Payload": {"approved": true}}}]
    });
    let paths = write(
        "success",
        &[
            ("photo.json", photo()),
            ("input.json", json!({"photoId": "p1", "bucket": "b"})),
            ("mocks.json", mocks),
        ],
    );
    let printed = check(
        &eventlab(&[
            "asl", "run", &paths[0], "--input", &paths[1], "--mock", &paths[2],
        ]),
        0,
    );
    assert_eq!(printed["status"], json!("SUCCEEDED"));
    assert_eq!(
        printed["output"]["processing"][1],
        json!({"labels": ["dog"]})
    );
    let history = printed["history"].as_array().expect("history");
    assert_eq!(
        history.first().map(|e| e["type"].clone()),
        Some(json!("ExecutionStarted"))
    );
    assert_eq!(
        history
            .last()
            .map(|e| (e["type"].clone(), e["timestamp_ms"].clone())),
        Some((json!("ExecutionSucceeded"), json!(2000)))
    );
    assert!(printed.get("error").is_none());
}

// A failed execution still exits 0 and prints error and cause.
#[test]
fn asl_run_prints_a_failed_execution() {
    let definition = json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}});
    let mocks = json!({"Charge": [{"error": "PaymentDeclined", "cause": "card expired"}]});
    let paths = write(
        "failed",
        &[
            ("d.json", definition),
            ("i.json", json!({})),
            ("m.json", mocks),
        ],
    );
    let printed = check(
        &eventlab(&[
            "asl", "run", &paths[0], "--input", &paths[1], "--mock", &paths[2],
        ]),
        0,
    );
    assert_eq!(printed["status"], json!("FAILED"));
    assert_eq!(printed["error"], json!("PaymentDeclined"));
    assert_eq!(printed["cause"], json!("card expired"));
    assert!(printed.get("output").is_none());
}

// Without mocks a task returns its parameters; --express runs the Express kind.
#[test]
fn asl_run_without_mocks_echoes_parameters() {
    let definition = json!({"StartAt": "Echo", "States": {"Echo": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": {"Entries": [{"Detail.$": "$"}]}, "End": true}}});
    let paths = write(
        "echo",
        &[("d.json", definition), ("i.json", json!({"a": 1}))],
    );
    let printed = check(
        &eventlab(&["asl", "run", &paths[0], "--input", &paths[1], "--express"]),
        0,
    );
    assert_eq!(
        printed["output"],
        json!({"Entries": [{"Detail": {"a": 1}}]})
    );
}

// A definition AWS would reject exits 2 with the diagnostics on stderr, nothing on stdout.
#[test]
fn asl_run_rejects_invalid_definitions_with_exit_2() {
    let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}});
    let paths = write("invalid", &[("d.json", definition), ("i.json", json!({}))]);
    let output = eventlab(&["asl", "run", &paths[0], "--input", &paths[1]]);
    check(&output, 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Missing at /States/A/Next"
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

// Express with .waitForTaskToken is rejected (exit 2); unusable inputs exit 2 too.
#[test]
fn asl_run_exit_2_for_unusable_inputs() {
    let callback = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}});
    let paths = write(
        "unusable",
        &[
            ("d.json", callback),
            ("i.json", json!({})),
            ("bad-mocks.json", json!({"T": []})),
        ],
    );
    check(
        &eventlab(&["asl", "run", &paths[0], "--input", &paths[1], "--express"]),
        2,
    );
    check(
        &eventlab(&[
            "asl", "run", &paths[0], "--input", &paths[1], "--mock", &paths[2],
        ]),
        2,
    );
    check(&eventlab(&["asl", "run", &paths[0]]), 2);
    check(
        &eventlab(&[
            "asl",
            "run",
            &paths[0],
            "--input",
            "/nonexistent/input.json",
        ]),
        2,
    );
    check(
        &eventlab(&["asl", "walk", &paths[0], "--input", &paths[1]]),
        2,
    );
}
