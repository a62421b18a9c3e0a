//! Benchmark of the callback pattern inside a design: the moderation-callback fixture as it is
//! (runs per second over seeds), and scaled to 2,000 photos (task tokens answered per second).
//! Run: `cargo run --release -p eventlab-core --example bench_callback`.

use std::time::Instant;

use eventlab_core::design::{load_text, Design, NodeKind};
use eventlab_core::sim::{simulate, RunOptions, TraceKind};

fn main() {
    let path = format!(
        "{}/../designs/photo-orchestrator-callback.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the fixture is in the repo");
    let design = load_text(&text).expect("a valid design").design;

    let seeds = 200;
    let started = Instant::now();
    let mut events = 0;
    for seed in 1..=seeds {
        let run = simulate(
            &design,
            &RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            },
        );
        assert!(run.summary.settled);
        events += run.trace.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("fixture_runs_per_s: {:.0} runs/s", seeds as f64 / seconds);
    println!(
        "fixture_trace_events_per_s: {:.0} events/s",
        events as f64 / seconds
    );

    // The request-response orchestrator at the same scale, for the cost of waiting on tokens.
    let baseline = scaled_run("photo-orchestrator.json");
    println!(
        "baseline_photo_orchestrator_2000: {} trace events in {:.1} ms ({:.0} events/s)",
        baseline.0,
        baseline.1 * 1000.0,
        baseline.0 as f64 / baseline.1
    );
    let scaled = scale(design);
    let started = Instant::now();
    let run = simulate(&scaled, &RunOptions::default());
    let seconds = started.elapsed().as_secs_f64();
    let answers = run
        .trace
        .iter()
        .filter(|e| matches!(&e.kind, TraceKind::Step { op, .. } if op.starts_with("sendTask")))
        .count();
    println!(
        "scaled_2000_photos: {} trace events, settled {}",
        run.trace.len(),
        run.summary.settled
    );
    println!("scaled_run_time_ms: {:.1} ms", seconds * 1000.0);
    println!(
        "scaled_trace_events_per_s: {:.0} events/s",
        run.trace.len() as f64 / seconds
    );
    println!(
        "task_token_answers_per_s: {:.0} answers/s",
        answers as f64 / seconds
    );
}

/// The design with its `uploader` producer at 2,000 photos, 5 ms apart.
fn scale(mut design: Design) -> Design {
    for node in &mut design.nodes {
        if let NodeKind::Producer(producer) = &mut node.kind {
            if node.id == "uploader" {
                producer.count = 2_000;
                producer.interval_ms = 5;
            }
        }
    }
    design
}

/// Trace events and seconds of one run of a scaled example design.
fn scaled_run(name: &str) -> (usize, f64) {
    let path = format!("{}/../designs/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the design is in the repo");
    let design = scale(load_text(&text).expect("a valid design").design);
    let started = Instant::now();
    let run = simulate(&design, &RunOptions::default());
    (run.trace.len(), started.elapsed().as_secs_f64())
}
