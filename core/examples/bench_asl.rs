//! Benchmark of the ASL engine: validating a 10,000-state definition, and running executions
//! (a 1,000-state Pass chain, and the photo example with mocks) per second.
//! Run: `cargo run --release -p eventlab-core --example bench_asl`.

use std::sync::Arc;
use std::time::Instant;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, ExecutionOptions, ExecutionStatus};
use serde_json::{json, Map, Value};

fn chain(length: usize) -> Value {
    let mut states = Map::new();
    for index in 0..length {
        let state = if index + 1 == length {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "ResultPath": "$.last", "Result": index, "Next": format!("S{}", index + 1)})
        };
        states.insert(format!("S{index}"), state);
    }
    json!({"StartAt": "S0", "States": states})
}

fn main() {
    let big = chain(10_000);
    let started = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        Definition::parse(&big).expect("valid");
    }
    println!(
        "validate_10000_states: {:.2} ms",
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
    );

    let thousand = Arc::new(Definition::parse(&chain(1_000)).expect("valid"));
    let started = Instant::now();
    let runs = 200;
    for _ in 0..runs {
        let execution = run_with_mocks(
            Arc::clone(&thousand),
            json!({}),
            ExecutionOptions::default(),
            &Mocks::default(),
        );
        assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "pass_chain_1000_runs_per_s: {:.0} runs/s",
        f64::from(runs) / seconds
    );
    println!(
        "state_transitions_per_s: {:.0} transitions/s",
        f64::from(runs) * 1000.0 / seconds
    );

    let photo: Value =
        serde_json::from_str(include_str!("../tests/data/asl/photo.asl.json")).expect("JSON");
    let photo = Arc::new(Definition::parse(&photo).expect("valid"));
    let mocks = Mocks::from_json(&json!({
        "MakeThumbnail": [{"result": {"Payload": {"thumbnailKey": "t"}}}],
        "DetectLabels": [{"error": "Lambda.ServiceException", "cause": ""}, {"result": {"Payload": {"labels": []}}}],
        "ModeratePhoto": [{"result": {"Payload": {"approved": true}}}]
    }))
    .expect("mocks");
    let started = Instant::now();
    let runs = 20_000;
    for _ in 0..runs {
        let execution = run_with_mocks(
            Arc::clone(&photo),
            json!({"photoId": "p", "bucket": "b"}),
            ExecutionOptions::default(),
            &mocks,
        );
        assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    }
    println!(
        "photo_executions_per_s: {:.0} executions/s",
        f64::from(runs) / started.elapsed().as_secs_f64()
    );
}
