//! The photo-processing example (core/tests/data/asl/photo.asl.json): three Lambda branches in
//! parallel, a retry on the flaky label detector, compensation on failure, and a PhotoReady
//! event through EventBridge PutEvents; run with mocks for success, flaky-then-success and a
//! failure caught to compensation.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, Execution, ExecutionOptions, ExecutionStatus};
use serde_json::{json, Value};

fn run(mocks: Value) -> Execution {
    let source: Value =
        serde_json::from_str(include_str!("data/asl/photo.asl.json")).expect("JSON");
    let definition =
        Arc::new(Definition::parse(&source).unwrap_or_else(|d| panic!("rejected: {d:?}")));
    let mocks = Mocks::from_json(&mocks).expect("mocks");
    run_with_mocks(
        definition,
        json!({"photoId": "p-42", "bucket": "uploads"}),
        ExecutionOptions::default(),
        &mocks,
    )
}

fn healthy() -> Value {
    json!({
        "MakeThumbnail": [{"result": {"Payload": {"thumbnailKey": "thumbs/p-42.jpg"}}}],
        "DetectLabels": [{"result": {"Payload": {"labels": ["cat", "sofa"]}}}],
        "ModeratePhoto": [{"result": {"Payload": {"approved": true}}}]
    })
}

/// The PutEvents parameters the execution scheduled, if any.
fn published(execution: &Execution) -> Option<Value> {
    execution
        .history()
        .iter()
        .find(|e| e.kind == "TaskScheduled" && e.state.as_deref() == Some("PublishPhotoReady"))
        .and_then(|e| e.parameters.clone())
}

fn scheduled_at(execution: &Execution, state: &str) -> Vec<u64> {
    execution
        .history()
        .iter()
        .filter(|e| e.kind == "TaskScheduled" && e.state.as_deref() == Some(state))
        .map(|e| e.timestamp_ms)
        .collect()
}

// All three branches succeed: PhotoReady carries each branch's result, in branch order.
#[test]
fn photo_success_publishes_photo_ready() {
    let execution = run(healthy());
    assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    let entries = published(&execution).expect("PutEvents scheduled");
    assert_eq!(entries["Entries"][0]["DetailType"], json!("PhotoReady"));
    assert_eq!(
        entries["Entries"][0]["Detail"],
        json!({"photoId": "p-42", "thumbnailKey": "thumbs/p-42.jpg", "labels": ["cat", "sofa"], "approved": true})
    );
    assert_eq!(
        execution
            .history()
            .iter()
            .find(|e| e.kind == "TaskScheduled" && e.state.as_deref() == Some("PublishPhotoReady"))
            .and_then(|e| e.resource.clone())
            .as_deref(),
        Some("arn:aws:states:::events:putEvents")
    );
    assert_eq!(
        execution
            .result()
            .and_then(|r| r.output.clone())
            .map(|o| o["processing"].clone()),
        Some(
            json!([{"thumbnailKey": "thumbs/p-42.jpg"}, {"labels": ["cat", "sofa"]}, {"approved": true}])
        )
    );
}

// The label detector is throttled twice, retried after 2 s and 4 s, and the photo is published
// at 6 s.
#[test]
fn photo_flaky_labels_retry_then_succeed() {
    let mut mocks = healthy();
    mocks["DetectLabels"] = json!([
        {"error": "Lambda.TooManyRequestsException", "cause": "Rate exceeded"},
        {"error": "Lambda.TooManyRequestsException", "cause": "Rate exceeded"},
        {"result": {"Payload": {"labels": ["cat"]}}}
    ]);
    let execution = run(mocks);
    assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    assert_eq!(
        scheduled_at(&execution, "DetectLabels"),
        vec![0, 2000, 6000]
    );
    assert_eq!(scheduled_at(&execution, "PublishPhotoReady"), vec![6000]);
}

// Moderation fails: the Parallel's Catch runs the compensation, which learns the error, and the
// execution fails as PhotoProcessingFailed without publishing anything.
#[test]
fn photo_failure_is_compensated() {
    let mut mocks = healthy();
    mocks["ModeratePhoto"] = json!([{"error": "ModerationUnavailable", "cause": "{\"errorMessage\":\"model offline\"}"}]);
    let execution = run(mocks);
    let result = execution.result().expect("finished");
    assert_eq!(result.status, ExecutionStatus::Failed);
    assert_eq!(result.error.as_deref(), Some("PhotoProcessingFailed"));
    assert!(published(&execution).is_none());
    let compensation = execution
        .history()
        .iter()
        .find(|e| e.kind == "TaskScheduled" && e.state.as_deref() == Some("CompensateUpload"))
        .and_then(|e| e.parameters.clone());
    assert_eq!(
        compensation.map(|p| p["Payload"].clone()),
        Some(json!({"photoId": "p-42", "reason": "ModerationUnavailable"}))
    );
}
